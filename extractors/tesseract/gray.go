package tesseract

import (
	"image"
	"image/color"
)

// toGray returns the pixels of img as 8-bit luminance, row by row without
// padding (stride == width). Tesseract binarises internally and wants one
// channel, so colour is dropped here, in Go, where it is cheap, instead of
// being shipped through the C boundary. Common image types take fast paths;
// anything else goes through color.GrayModel pixel by pixel.
func toGray(img image.Image) (pix []byte, w, h int) {
	b := img.Bounds()
	w, h = b.Dx(), b.Dy()
	pix = make([]byte, w*h)
	switch m := img.(type) {
	case *image.Gray:
		for y := 0; y < h; y++ {
			off := m.PixOffset(b.Min.X, b.Min.Y+y)
			copy(pix[y*w:(y+1)*w], m.Pix[off:off+w])
		}
	case *image.YCbCr:
		// Y is the luma of the pixel: exactly what a grayscale page needs.
		for y := 0; y < h; y++ {
			off := m.YOffset(b.Min.X, b.Min.Y+y)
			copy(pix[y*w:(y+1)*w], m.Y[off:off+w])
		}
	case *image.RGBA:
		for y := 0; y < h; y++ {
			row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			dst := pix[y*w : (y+1)*w]
			for x := range dst {
				r, g, bl := uint32(row[4*x]), uint32(row[4*x+1]), uint32(row[4*x+2])
				dst[x] = luma8(r, g, bl)
			}
		}
	case *image.NRGBA:
		// Non-premultiplied: composite over white so transparent areas are
		// paper, not ink.
		for y := 0; y < h; y++ {
			row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			dst := pix[y*w : (y+1)*w]
			for x := range dst {
				a := uint32(row[4*x+3])
				r := (uint32(row[4*x])*a + 255*(255-a)) / 255
				g := (uint32(row[4*x+1])*a + 255*(255-a)) / 255
				bl := (uint32(row[4*x+2])*a + 255*(255-a)) / 255
				dst[x] = luma8(r, g, bl)
			}
		}
	case *image.Paletted:
		lut := make([]byte, len(m.Palette))
		for i, c := range m.Palette {
			lut[i] = color.GrayModel.Convert(overWhite(c)).(color.Gray).Y
		}
		for y := 0; y < h; y++ {
			row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			dst := pix[y*w : (y+1)*w]
			for x := range dst {
				if i := int(row[x]); i < len(lut) {
					dst[x] = lut[i]
				} else {
					dst[x] = 255 // out-of-palette index: treat as paper
				}
			}
		}
	default:
		for y := 0; y < h; y++ {
			dst := pix[y*w : (y+1)*w]
			for x := range dst {
				dst[x] = color.GrayModel.Convert(overWhite(img.At(b.Min.X+x, b.Min.Y+y))).(color.Gray).Y
			}
		}
	}
	return pix, w, h
}

// luma8 is color.GrayModel's formula (ITU-R 601 weights) on 8-bit channels.
func luma8(r, g, b uint32) byte {
	return byte((19595*r*0x101 + 38470*g*0x101 + 7471*b*0x101 + 1<<15) >> 24)
}

// overWhite composites a possibly transparent colour over white paper.
func overWhite(c color.Color) color.Color {
	r, g, b, a := c.RGBA()
	if a == 0xffff {
		return c
	}
	inv := 0xffff - a
	return color.RGBA64{uint16(r + inv), uint16(g + inv), uint16(b + inv), 0xffff}
}

// bmp8 encodes gray pixels as an 8-bit BMP with a gray palette, rows
// bottom-up as the format requires, and the resolution in the header.
// It is the cheapest format Leptonica reads from memory: rows are copied
// with memcpy. Binary PGM (P5), the obvious alternative, is read one byte per
// fread and took 134 ms for an A4 page against 1.5 ms (BenchmarkEncode).
func bmp8(pix []byte, w, h, dpi int) []byte {
	const hdr = 14 + 40 + 256*4
	stride := (w + 3) &^ 3
	size := hdr + stride*h
	out := make([]byte, size)
	le32 := func(off int, v uint32) {
		out[off], out[off+1], out[off+2], out[off+3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
	}
	out[0], out[1] = 'B', 'M'
	le32(2, uint32(size))
	le32(10, hdr)
	le32(14, 40)
	le32(18, uint32(w))
	le32(22, uint32(h)) // positive: bottom-up rows
	out[26], out[28] = 1, 8
	le32(34, uint32(stride*h))
	ppm := uint32(float64(dpi)/0.0254 + 0.5)
	le32(38, ppm)
	le32(42, ppm)
	le32(46, 256)
	for i := range 256 {
		out[54+4*i], out[54+4*i+1], out[54+4*i+2] = byte(i), byte(i), byte(i)
	}
	for y := range h {
		copy(out[hdr+(h-1-y)*stride:], pix[y*w:(y+1)*w])
	}
	return out
}
