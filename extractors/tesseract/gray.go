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
	grayRows(img, func(y int) []byte { return pix[y*w : (y+1)*w] })
	return pix, w, h
}

// grayRows writes the luminance of each row y of img (counted from the top
// of its bounds) into dstRow(y), which must have room for the image's width.
func grayRows(img image.Image, dstRow func(y int) []byte) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	switch m := img.(type) {
	case *image.Gray:
		for y := 0; y < h; y++ {
			off := m.PixOffset(b.Min.X, b.Min.Y+y)
			copy(dstRow(y)[:w], m.Pix[off:off+w])
		}
	case *image.YCbCr:
		// Y is the luma of the pixel: exactly what a grayscale page needs.
		for y := 0; y < h; y++ {
			off := m.YOffset(b.Min.X, b.Min.Y+y)
			copy(dstRow(y)[:w], m.Y[off:off+w])
		}
	case *image.RGBA:
		for y := 0; y < h; y++ {
			src := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			dst := dstRow(y)[:w]
			for x := range dst {
				r, g, bl := uint32(src[4*x]), uint32(src[4*x+1]), uint32(src[4*x+2])
				dst[x] = luma8(r, g, bl)
			}
		}
	case *image.NRGBA:
		// Non-premultiplied: composite over white so transparent areas are
		// paper, not ink.
		for y := 0; y < h; y++ {
			src := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			dst := dstRow(y)[:w]
			for x := range dst {
				a := uint32(src[4*x+3])
				r := (uint32(src[4*x])*a + 255*(255-a)) / 255
				g := (uint32(src[4*x+1])*a + 255*(255-a)) / 255
				bl := (uint32(src[4*x+2])*a + 255*(255-a)) / 255
				dst[x] = luma8(r, g, bl)
			}
		}
	case *image.Paletted:
		lut := make([]byte, len(m.Palette))
		for i, c := range m.Palette {
			lut[i] = color.GrayModel.Convert(overWhite(c)).(color.Gray).Y
		}
		for y := 0; y < h; y++ {
			src := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			dst := dstRow(y)[:w]
			for x := range dst {
				if i := int(src[x]); i < len(lut) {
					dst[x] = lut[i]
				} else {
					dst[x] = 255 // out-of-palette index: treat as paper
				}
			}
		}
	default:
		for y := 0; y < h; y++ {
			dst := dstRow(y)[:w]
			for x := range dst {
				dst[x] = color.GrayModel.Convert(overWhite(img.At(b.Min.X+x, b.Min.Y+y))).(color.Gray).Y
			}
		}
	}
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

// grayBMP encodes img as an 8-bit gray BMP with its resolution in the
// header, converting to luminance straight into the file's rows. BMP is
// the cheapest format Leptonica reads from memory: rows are copied with
// memcpy. Binary PGM (P5), the obvious alternative, is read one byte per
// fread and took 134 ms for an A4 page against 1.5 ms (BenchmarkEncode).
func grayBMP(img image.Image, dpi int) []byte {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	out, hdr, stride := bmpHeader(w, h, dpi)
	grayRows(img, func(y int) []byte { return out[hdr+(h-1-y)*stride:] }) // bottom-up
	return out
}

// bmp8 encodes gray pixels (stride == w) as an 8-bit gray BMP.
func bmp8(pix []byte, w, h, dpi int) []byte {
	out, hdr, stride := bmpHeader(w, h, dpi)
	for y := range h {
		copy(out[hdr+(h-1-y)*stride:], pix[y*w:(y+1)*w])
	}
	return out
}

// bmpHeader allocates a w×h 8-bit BMP with a gray palette, fills in its
// headers and returns it with the offset of the pixel rows and their stride.
func bmpHeader(w, h, dpi int) (out []byte, hdr, stride int) {
	hdr = 14 + 40 + 256*4
	stride = (w + 3) &^ 3
	size := hdr + stride*h
	out = make([]byte, size)
	le32 := func(off int, v uint32) {
		out[off], out[off+1], out[off+2], out[off+3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
	}
	out[0], out[1] = 'B', 'M'
	le32(2, uint32(size))
	le32(10, uint32(hdr))
	le32(14, 40)
	le32(18, uint32(w))
	le32(22, uint32(h)) // positive: rows are stored bottom-up
	out[26], out[28] = 1, 8
	le32(34, uint32(stride*h))
	ppm := uint32(float64(dpi)/0.0254 + 0.5)
	le32(38, ppm)
	le32(42, ppm)
	le32(46, 256)
	for i := range 256 {
		out[54+4*i], out[54+4*i+1], out[54+4*i+2] = byte(i), byte(i), byte(i)
	}
	return out, hdr, stride
}
