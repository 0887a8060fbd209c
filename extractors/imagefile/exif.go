package imagefile

import (
	"bytes"
	"encoding/binary"
)

// tagOrientation is the EXIF/TIFF Orientation tag: 1..8, how the stored
// pixels must be turned to be seen upright.
const tagOrientation = 0x0112

// maxIFDEntries bounds the entries read from one IFD; real files have tens.
const maxIFDEntries = 4096

// tiffHeader is a parsed TIFF (or EXIF) header over a byte slice. All reads
// are bounds-checked: a garbage offset yields "not found", never a panic.
type tiffHeader struct {
	b     []byte
	order binary.ByteOrder
	first uint32 // offset of IFD0
}

func parseTIFFHeader(b []byte) (tiffHeader, bool) {
	if len(b) < 8 {
		return tiffHeader{}, false
	}
	var order binary.ByteOrder
	switch string(b[:4]) {
	case "II*\x00":
		order = binary.LittleEndian
	case "MM\x00*":
		order = binary.BigEndian
	default:
		return tiffHeader{}, false
	}
	return tiffHeader{b: b, order: order, first: order.Uint32(b[4:8])}, true
}

// ifd returns the 12-byte entries of the IFD at off and the offset of the
// next IFD (0 at the end of the chain).
func (h tiffHeader) ifd(off uint32) (entries []byte, next uint32, ok bool) {
	o := uint64(off)
	if o+2 > uint64(len(h.b)) {
		return nil, 0, false
	}
	n := uint64(h.order.Uint16(h.b[o:]))
	if n == 0 || n > maxIFDEntries {
		return nil, 0, false
	}
	end := o + 2 + 12*n
	if end > uint64(len(h.b)) {
		return nil, 0, false
	}
	entries = h.b[o+2 : end]
	if end+4 <= uint64(len(h.b)) {
		next = h.order.Uint32(h.b[end:])
	}
	return entries, next, true
}

// orientation reads the Orientation tag from IFD entries; 1 when absent or
// out of range. SHORT is the type the standard gives; LONG is accepted since
// some writers use it.
func (h tiffHeader) orientation(entries []byte) int {
	for i := 0; i+12 <= len(entries); i += 12 {
		e := entries[i : i+12]
		if h.order.Uint16(e) != tagOrientation {
			continue
		}
		var v uint32
		switch h.order.Uint16(e[2:]) {
		case 3: // SHORT
			v = uint32(h.order.Uint16(e[8:]))
		case 4: // LONG
			v = h.order.Uint32(e[8:])
		default:
			return 1
		}
		if v < 1 || v > 8 {
			return 1
		}
		return int(v)
	}
	return 1
}

// exifOrientation reads the Orientation of IFD0 from an EXIF payload (a TIFF
// header and IFDs). Garbage gives 1.
func exifOrientation(payload []byte) int {
	h, ok := parseTIFFHeader(payload)
	if !ok {
		return 1
	}
	entries, _, ok := h.ifd(h.first)
	if !ok {
		return 1
	}
	return h.orientation(entries)
}

var exifPrefix = []byte("Exif\x00\x00")

// jpegOrientation finds the EXIF APP1 segment of a JPEG and returns its
// Orientation (1 when there is none). It walks the marker segments up to the
// start of scan; every step moves forward, so the loop is bounded by len(b).
func jpegOrientation(b []byte) int {
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		return 1
	}
	i := 2
	for i+4 <= len(b) {
		if b[i] != 0xFF {
			return 1 // not at a marker: garbage between segments
		}
		marker := b[i+1]
		switch {
		case marker == 0xFF: // fill byte
			i++
			continue
		case marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7): // no length
			i += 2
			continue
		case marker == 0xDA || marker == 0xD9: // start of scan, end of image
			return 1
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 2 || i+2+n > len(b) {
			return 1
		}
		seg := b[i+4 : i+2+n]
		if marker == 0xE1 && bytes.HasPrefix(seg, exifPrefix) {
			return exifOrientation(seg[len(exifPrefix):])
		}
		i += 2 + n
	}
	return 1
}

// webpOrientation finds the EXIF chunk of an extended WebP file. Some writers
// put the JPEG-style "Exif\0\0" prefix in front of the TIFF header.
func webpOrientation(b []byte) int {
	if len(b) < 12 {
		return 1
	}
	i := 12
	for i+8 <= len(b) {
		id := string(b[i : i+4])
		n := uint64(binary.LittleEndian.Uint32(b[i+4:]))
		start := uint64(i + 8)
		if start+n > uint64(len(b)) {
			return 1
		}
		if id == "EXIF" {
			return exifOrientation(bytes.TrimPrefix(b[start:start+n], exifPrefix))
		}
		i = int(start + n + n&1) // chunks are padded to even sizes
	}
	return 1
}
