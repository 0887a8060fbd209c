package imageprep

import (
	"image"
	"image/color"

	"github.com/disintegration/imaging"
)

// inputStats are measured on the input pixels in the conversion pass, when
// the JPEG block grid is still aligned with the pixel grid and the colours
// are still there.
type inputStats struct {
	// blockiness is the mean small luma step across 8-px block borders
	// divided by the mean small step inside blocks: ≈1 for clean images,
	// well above for heavily compressed JPEGs.
	blockiness float64
	// grid is a downscaled colour summary for sheet finding.
	grid colorGrid
}

// colorGrid is a block-averaged view of the input: luma and chroma
// (max−min of R,G,B) per cell of cell×cell input pixels.
type colorGrid struct {
	w, h   int
	cell   int
	luma   []float32
	chroma []float32
}

// gridLongSide is the long side of the sheet-analysis grid: enough to place
// corners within a few input pixels, small enough to label in a millisecond.
const gridLongSide = 600

// redInkMargin: a pixel counts as red or brown ink, kept as luma instead of
// being mixed away, when its red exceeds its blue by more than this. Stamps,
// signatures and pens are blue or violet (blue ≥ red); red and maroon are
// printed text — 1C bills whose bank grid is printed in dark red lost every
// requisite with it (real-dev photos 18-12-37 and 18-12-58, issue 14). The
// margin keeps violet (red ≈ blue) with the stamps.
const redInkMargin = 16

// convert turns img into the working gray image and gathers inputStats in
// the same pass. With inkMix the gray value is max(R,G,B) plus the chroma
// max−min: black and gray ink (chroma ≈ 0) stay dark while blue and violet
// ink (stamps, signatures, pen) reaches the paper's level and disappears in
// flattening; red and brown ink is printed text and stays Rec.601 luma
// (redInkMargin). Without inkMix the value is Rec.601 luma.
// (With max alone a blue stamp stayed light gray and Tesseract read its
// ring and lettering into the neighbouring lines.)
func (p *enhancer) convert(img image.Image, inkMix bool) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	g := image.NewGray(image.Rect(0, 0, w, h))

	cell := max(1, (max(w, h)+gridLongSide-1)/gridLongSide)
	gw, gh := (w+cell-1)/cell, (h+cell-1)/cell
	lumaSum := make([]uint32, gw*gh)
	chromaSum := make([]uint32, gw*gh)
	cellOf := make([]int32, w)
	for x := range cellOf {
		cellOf[x] = int32(x / cell)
	}

	// Blockiness is sampled, not summed over every pixel: horizontal steps
	// on every 4th row, vertical steps between rows 7|8 (block border) and
	// 3|4 (inside) of each block row.
	var bSum, bN, iSum, iN float64
	prevLuma := make([]uint8, w)
	luma := make([]uint8, w)
	const smallStep = 24 // ignore text edges: blocking shows in flat areas

	forEachRGBRow(img, func(y int, r, gr, bl []uint8) {
		row := g.Pix[y*g.Stride : y*g.Stride+w]
		ls := lumaSum[(y/cell)*gw : (y/cell+1)*gw]
		cs := chromaSum[(y/cell)*gw : (y/cell+1)*gw]
		for x := 0; x < w; x++ {
			rv, gv, bv := r[x], gr[x], bl[x]
			l := uint8((19595*uint32(rv) + 38470*uint32(gv) + 7471*uint32(bv) + 1<<15) >> 16)
			luma[x] = l
			mx, mn := max(rv, gv, bv), min(rv, gv, bv)
			if inkMix && int(bv) >= int(rv)-redInkMargin {
				row[x] = sat(int(mx) + int(mx-mn))
			} else {
				row[x] = l
			}
			c := cellOf[x]
			ls[c] += uint32(l)
			cs[c] += uint32(mx - mn)
		}
		if y%4 == 1 {
			for x := 1; x < w; x++ {
				d := absDiff(luma[x], luma[x-1])
				if d > smallStep {
					continue
				}
				if x%8 == 0 {
					bSum += float64(d)
					bN++
				} else if x%8 == 4 {
					iSum += float64(d)
					iN++
				}
			}
		}
		if y > 0 && (y%8 == 0 || y%8 == 4) {
			border := y%8 == 0
			for x := 0; x < w; x++ {
				d := absDiff(luma[x], prevLuma[x])
				if d > smallStep {
					continue
				}
				if border {
					bSum += float64(d)
					bN++
				} else {
					iSum += float64(d)
					iN++
				}
			}
		}
		prevLuma, luma = luma, prevLuma
	})
	lumaMean := make([]float32, gw*gh)
	chromaMean := make([]float32, gw*gh)
	for gy := 0; gy < gh; gy++ {
		ch := min(cell, h-gy*cell)
		for gx := 0; gx < gw; gx++ {
			cw := min(cell, w-gx*cell)
			n := float32(cw * ch)
			lumaMean[gy*gw+gx] = float32(lumaSum[gy*gw+gx]) / n
			chromaMean[gy*gw+gx] = float32(chromaSum[gy*gw+gx]) / n
		}
	}
	p.gray = g
	p.scale = 1
	p.stats.grid = colorGrid{w: gw, h: gh, cell: cell, luma: lumaMean, chroma: chromaMean}
	// Both means need enough samples and a nonzero interior noise floor.
	if bN > 500 && iN > 500 && iSum > 0 {
		p.stats.blockiness = (bSum / bN) / (iSum / iN)
	} else {
		p.stats.blockiness = 1
	}
}

func absDiff(a, b uint8) uint8 {
	if a > b {
		return a - b
	}
	return b - a
}

// forEachRGBRow calls fn for every row of img with its R, G and B values,
// transparent pixels composited over white. The common decoder outputs
// (YCbCr, RGBA, NRGBA, Gray) are read from their Pix slices; anything else
// is first converted to NRGBA by imaging.
func forEachRGBRow(img image.Image, fn func(y int, r, g, b []uint8)) {
	bnd := img.Bounds()
	w, h := bnd.Dx(), bnd.Dy()
	r, g, b := make([]uint8, w), make([]uint8, w), make([]uint8, w)
	switch m := img.(type) {
	case *image.YCbCr:
		for y := 0; y < h; y++ {
			sy := bnd.Min.Y + y
			yrow := m.Y[m.YOffset(bnd.Min.X, sy):]
			for x := 0; x < w; x++ {
				ci := m.COffset(bnd.Min.X+x, sy)
				r[x], g[x], b[x] = color.YCbCrToRGB(yrow[x], m.Cb[ci], m.Cr[ci])
			}
			fn(y, r, g, b)
		}
	case *image.Gray:
		for y := 0; y < h; y++ {
			row := m.Pix[m.PixOffset(bnd.Min.X, bnd.Min.Y+y):][:w]
			fn(y, row, row, row)
		}
	case *image.RGBA:
		for y := 0; y < h; y++ {
			row := m.Pix[m.PixOffset(bnd.Min.X, bnd.Min.Y+y):][:4*w]
			for x := 0; x < w; x++ {
				q := row[4*x : 4*x+4]
				bg := 255 - q[3] // premultiplied: over white adds (1−α)·255
				r[x], g[x], b[x] = sat(int(q[0])+int(bg)), sat(int(q[1])+int(bg)), sat(int(q[2])+int(bg))
			}
			fn(y, r, g, b)
		}
	case *image.NRGBA:
		for y := 0; y < h; y++ {
			row := m.Pix[m.PixOffset(bnd.Min.X, bnd.Min.Y+y):][:4*w]
			for x := 0; x < w; x++ {
				q := row[4*x : 4*x+4]
				a := uint32(q[3])
				over := func(v uint8) uint8 { return uint8((uint32(v)*a + 255*(255-a) + 127) / 255) }
				r[x], g[x], b[x] = over(q[0]), over(q[1]), over(q[2])
			}
			fn(y, r, g, b)
		}
	default:
		forEachRGBRow(imaging.Clone(img), fn)
	}
}

func sat(v int) uint8 {
	if v > 255 {
		return 255
	}
	if v < 0 {
		return 0
	}
	return uint8(v)
}
