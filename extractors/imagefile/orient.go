package imagefile

import (
	"image"
	"image/color"
)

// Orient returns img turned upright for an EXIF/TIFF Orientation value:
//
//	1 as stored            5 transposed (mirror across the main diagonal)
//	2 mirrored left–right  6 turned 90° clockwise
//	3 turned 180°          7 transversed (mirror across the other diagonal)
//	4 mirrored top–bottom  8 turned 90° counter-clockwise
//
// Values 5–8 swap width and height. 1 and any other value return img
// itself; otherwise the result is a new image starting at (0,0). Gray, RGBA, NRGBA, CMYK and their 16-bit forms
// keep their type; YCbCr becomes 4:4:4 YCbCr; anything else becomes NRGBA.
func Orient(img image.Image, o int) image.Image {
	if o < 2 || o > 8 {
		return img
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	dr := image.Rect(0, 0, dw, dh)
	switch src := img.(type) {
	case *image.Gray:
		dst := image.NewGray(dr)
		remapPix(src.Pix, src.Stride, dst.Pix, dst.Stride, 1, o, w, h)
		return dst
	case *image.Gray16:
		dst := image.NewGray16(dr)
		remapPix(src.Pix, src.Stride, dst.Pix, dst.Stride, 2, o, w, h)
		return dst
	case *image.RGBA:
		dst := image.NewRGBA(dr)
		remapPix(src.Pix, src.Stride, dst.Pix, dst.Stride, 4, o, w, h)
		return dst
	case *image.NRGBA:
		dst := image.NewNRGBA(dr)
		remapPix(src.Pix, src.Stride, dst.Pix, dst.Stride, 4, o, w, h)
		return dst
	case *image.CMYK:
		dst := image.NewCMYK(dr)
		remapPix(src.Pix, src.Stride, dst.Pix, dst.Stride, 4, o, w, h)
		return dst
	case *image.RGBA64:
		dst := image.NewRGBA64(dr)
		remapPix(src.Pix, src.Stride, dst.Pix, dst.Stride, 8, o, w, h)
		return dst
	case *image.NRGBA64:
		dst := image.NewNRGBA64(dr)
		remapPix(src.Pix, src.Stride, dst.Pix, dst.Stride, 8, o, w, h)
		return dst
	case *image.YCbCr:
		dst := image.NewYCbCr(dr, image.YCbCrSubsampleRatio444)
		for dy := 0; dy < dh; dy++ {
			for dx := 0; dx < dw; dx++ {
				sx, sy := sourcePoint(o, w, h, dx, dy)
				yi := src.YOffset(b.Min.X+sx, b.Min.Y+sy)
				ci := src.COffset(b.Min.X+sx, b.Min.Y+sy)
				di := dy*dst.YStride + dx
				dst.Y[di] = src.Y[yi]
				dst.Cb[di] = src.Cb[ci]
				dst.Cr[di] = src.Cr[ci]
			}
		}
		return dst
	}
	dst := image.NewNRGBA(dr)
	for dy := 0; dy < dh; dy++ {
		for dx := 0; dx < dw; dx++ {
			sx, sy := sourcePoint(o, w, h, dx, dy)
			c := color.NRGBAModel.Convert(img.At(b.Min.X+sx, b.Min.Y+sy)).(color.NRGBA)
			i := dy*dst.Stride + dx*4
			dst.Pix[i], dst.Pix[i+1], dst.Pix[i+2], dst.Pix[i+3] = c.R, c.G, c.B, c.A
		}
	}
	return dst
}

// sourcePoint maps a point of the upright picture to the stored pixel it
// comes from; w and h are the stored width and height.
func sourcePoint(o, w, h, dx, dy int) (sx, sy int) {
	switch o {
	case 2:
		return w - 1 - dx, dy
	case 3:
		return w - 1 - dx, h - 1 - dy
	case 4:
		return dx, h - 1 - dy
	case 5:
		return dy, dx
	case 6:
		return dy, h - 1 - dx
	case 7:
		return w - 1 - dy, h - 1 - dx
	case 8:
		return w - 1 - dy, dx
	}
	return dx, dy
}

// remapPix copies pixels of bpp bytes from a stored buffer (whose Pix starts
// at the image's Min) to the upright one.
func remapPix(src []byte, sstride int, dst []byte, dstride, bpp, o, w, h int) {
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	for dy := 0; dy < dh; dy++ {
		row := dst[dy*dstride : dy*dstride+dw*bpp]
		for dx := 0; dx < dw; dx++ {
			sx, sy := sourcePoint(o, w, h, dx, dy)
			si := sy*sstride + sx*bpp
			copy(row[dx*bpp:dx*bpp+bpp], src[si:si+bpp])
		}
	}
}
