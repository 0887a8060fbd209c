// Package fingerprint computes a compact perceptual fingerprint of a page
// image, so that the same photo sent again — re-encoded by a messenger at a
// lower JPEG quality, rescaled, its EXIF stripped — is recognised without
// reading it again.
//
// A Fingerprint holds two things: Hash, a 64-bit difference hash (dHash) of
// a 9×8 grayscale thumbnail, used to find candidates cheaply (an index on
// its four 16-bit bands finds every hash within Hamming distance 3, see
// Bands); and Thumb, a Side×Side grayscale thumbnail whose high-pass
// correlation (Distance) decides whether a candidate is the same picture.
//
// Limits: it recognises the same picture, not the same sheet photographed
// twice — a second photo differs in framing and light, and is found later by
// the extract stage's duplicate check (same supplier ИНН, number and date).
// A copy rotated by 90°, mirrored or cropped is not recognised either. The
// thumbnails squash the aspect ratio, so a copy that keeps it at any scale
// matches.
package fingerprint

import (
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"math"
	"math/bits"
)

// Side is the thumbnail's width and height in cells.
const Side = 64

// Fingerprint is a page image's perceptual fingerprint.
type Fingerprint struct {
	Hash  uint64             // dHash of a 9×8 thumbnail: bit set where a cell is brighter than its right neighbour
	Thumb [Side * Side]uint8 // mean gray of each cell, row by row
}

// Of computes the fingerprint of img. Every source pixel contributes to the
// cell it falls in (area averaging), so a downscaled copy gives nearly the
// same cells as its original.
func Of(img image.Image) (Fingerprint, error) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w < 9 || h < 8 {
		return Fingerprint{}, fmt.Errorf("fingerprint: image %d×%d is too small", w, h)
	}
	var (
		fine    [Side * Side]uint64
		fineN   [Side * Side]uint32
		coarse  [9 * 8]uint64
		coarseN [9 * 8]uint32
		fineX   = make([]int, w)
		coarseX = make([]int, w)
		row     = make([]uint8, w)
	)
	for x := range w {
		fineX[x] = x * Side / w
		coarseX[x] = x * 9 / w
	}
	for y := range h {
		grayRow(img, b.Min.X, b.Min.Y+y, row)
		fy, cy := y*Side/h, y*8/h
		fr, cr := fine[fy*Side:(fy+1)*Side], coarse[cy*9:(cy+1)*9]
		fn, cn := fineN[fy*Side:(fy+1)*Side], coarseN[cy*9:(cy+1)*9]
		for x, v := range row {
			fr[fineX[x]] += uint64(v)
			fn[fineX[x]]++
			cr[coarseX[x]] += uint64(v)
			cn[coarseX[x]]++
		}
	}
	var fp Fingerprint
	for i := range fine {
		fp.Thumb[i] = uint8((fine[i] + uint64(fineN[i])/2) / uint64(max(fineN[i], 1)))
	}
	var cells [9 * 8]float64
	for i := range coarse {
		cells[i] = float64(coarse[i]) / float64(max(coarseN[i], 1))
	}
	for y := range 8 {
		for x := range 8 {
			if cells[y*9+x] > cells[y*9+x+1] {
				fp.Hash |= 1 << (y*8 + x)
			}
		}
	}
	return fp, nil
}

// grayRow writes the luma of row y into dst, reading the common decoded
// types' pixels directly: image.At costs an allocation-free but slow
// interface call per pixel.
func grayRow(img image.Image, x0, y int, dst []uint8) {
	switch m := img.(type) {
	case *image.YCbCr:
		i := m.YOffset(x0, y)
		copy(dst, m.Y[i:i+len(dst)])
	case *image.Gray:
		i := m.PixOffset(x0, y)
		copy(dst, m.Pix[i:i+len(dst)])
	case *image.RGBA:
		i := m.PixOffset(x0, y)
		for x := range dst {
			p := m.Pix[i+4*x : i+4*x+3]
			dst[x] = luma(uint32(p[0]), uint32(p[1]), uint32(p[2]))
		}
	case *image.NRGBA:
		i := m.PixOffset(x0, y)
		for x := range dst {
			p := m.Pix[i+4*x : i+4*x+4]
			a := uint32(p[3])
			// Composite onto white: a transparent PNG margin is paper.
			dst[x] = luma((uint32(p[0])*a+255*(255-a))/255, (uint32(p[1])*a+255*(255-a))/255, (uint32(p[2])*a+255*(255-a))/255)
		}
	default:
		for x := range dst {
			r, g, b, a := img.At(x0+x, y).RGBA()
			// Premultiplied 16-bit: add the white showing through.
			r, g, b = r+(0xffff-a), g+(0xffff-a), b+(0xffff-a)
			dst[x] = luma(r>>8, g>>8, b>>8)
		}
	}
}

// luma is ITU-R BT.601, as JPEG's Y.
func luma(r, g, b uint32) uint8 {
	return uint8((19595*r + 38470*g + 7471*b + 1<<15) >> 16)
}

// NumBands is how many bands Bands splits the hash into.
const NumBands = 6

// bandBits are the bands' widths, low bits first; they add up to 64.
var bandBits = [NumBands]uint{11, 11, 11, 11, 10, 10}

// Bands splits the hash into six bands of 10–11 bits. Two hashes within
// Hamming distance 5 agree in at least one band (pigeonhole: six bands, at
// most five differ), so an index per band finds every such candidate
// without a full scan; a random hash shares a given band with about one
// stored hash in 2000.
func (fp Fingerprint) Bands() [NumBands]int64 {
	var out [NumBands]int64
	h := fp.Hash
	for i, n := range bandBits {
		out[i] = int64(h & (1<<n - 1))
		h >>= n
	}
	return out
}

// HashFromBands puts the hash back together from its Bands.
func HashFromBands(bands [NumBands]int64) uint64 {
	var h uint64
	var shift uint
	for i, n := range bandBits {
		h |= uint64(bands[i]) & (1<<n - 1) << shift
		shift += n
	}
	return h
}

// HashDistance is the Hamming distance between the two hashes.
func HashDistance(a, b Fingerprint) int { return bits.OnesCount64(a.Hash ^ b.Hash) }

// Distance compares the thumbnails: 1 minus the correlation of their
// high-pass images (each cell minus the mean of its 5×5 neighbourhood), in
// [0, 2]. The high pass keeps the print — lines, text blocks, the table —
// and drops what any two photos of white paper share: the overall
// brightness, the gradient of the light, the dark table around the sheet.
// 0 is the same picture; unrelated pages score near 1.
func Distance(a, b Fingerprint) float64 {
	ha, hb := highPass(&a.Thumb), highPass(&b.Thumb)
	var sa, sb, sab float64
	for i := range ha {
		sa += ha[i] * ha[i]
		sb += hb[i] * hb[i]
		sab += ha[i] * hb[i]
	}
	if sa == 0 || sb == 0 {
		// A flat page (a blank sheet) has nothing printed to recognise it
		// by: two blank pages are not one re-sent picture.
		return 1
	}
	return 1 - sab/math.Sqrt(sa*sb)
}

// highPass subtracts from each cell the mean of its 5×5 neighbourhood
// (clipped at the edges) and then the overall mean.
func highPass(t *[Side * Side]uint8) []float64 {
	const r = 2
	// Summed-area table for the box means.
	var sat [(Side + 1) * (Side + 1)]float64
	for y := range Side {
		var run float64
		for x := range Side {
			run += float64(t[y*Side+x])
			sat[(y+1)*(Side+1)+x+1] = sat[y*(Side+1)+x+1] + run
		}
	}
	out := make([]float64, Side*Side)
	var mean float64
	for y := range Side {
		y0, y1 := max(y-r, 0), min(y+r+1, Side)
		for x := range Side {
			x0, x1 := max(x-r, 0), min(x+r+1, Side)
			sum := sat[y1*(Side+1)+x1] - sat[y0*(Side+1)+x1] - sat[y1*(Side+1)+x0] + sat[y0*(Side+1)+x0]
			v := float64(t[y*Side+x]) - sum/float64((y1-y0)*(x1-x0))
			out[y*Side+x] = v
			mean += v
		}
	}
	mean /= Side * Side
	for i := range out {
		out[i] -= mean
	}
	return out
}

// encoding: a version byte, the hash (big endian), then the thumbnail.
const (
	version1   = 1
	encodedLen = 1 + 8 + Side*Side
)

// MarshalBinary encodes the fingerprint for storage.
func (fp Fingerprint) MarshalBinary() ([]byte, error) {
	b := make([]byte, encodedLen)
	b[0] = version1
	binary.BigEndian.PutUint64(b[1:9], fp.Hash)
	copy(b[9:], fp.Thumb[:])
	return b, nil
}

// ErrEncoding is returned for bytes that are not an encoded Fingerprint.
var ErrEncoding = errors.New("fingerprint: not an encoded fingerprint")

// UnmarshalBinary decodes what MarshalBinary encoded.
func (fp *Fingerprint) UnmarshalBinary(b []byte) error {
	if len(b) != encodedLen {
		return fmt.Errorf("%w: %d bytes, want %d", ErrEncoding, len(b), encodedLen)
	}
	if b[0] != version1 {
		return fmt.Errorf("%w: version %d", ErrEncoding, b[0])
	}
	fp.Hash = binary.BigEndian.Uint64(b[1:9])
	copy(fp.Thumb[:], b[9:])
	return nil
}

// Thresholds: a stored fingerprint is the same picture when its hash is
// within MaxHashDistance (the most Bands guarantees to find) and its
// thumbnail within MaxDistance. Measured on the committed corpus by
// TestCorpusSeparation (docs/ledger.md, "Duplicates", has the figures):
// re-sent copies reach hash distance 3 and distance 0.006; photos of
// different documents start at hash distance 4 and distance 0.35. The hash
// only finds candidates; the thumbnail decides, with its threshold far
// from both ends of the gap.
const (
	MaxHashDistance = NumBands - 1
	MaxDistance     = 0.1
)
