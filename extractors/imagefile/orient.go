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
		return orientYCbCr(src, o)
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

// affine gives the stored point of the upright (0,0) and how the stored
// point moves per step right (ax, ay) and per step down (bx, by): every
// orientation is an affine map, so the inner loops need no switch.
func affine(o, w, h int) (sx0, sy0, ax, ay, bx, by int) {
	sx0, sy0 = sourcePoint(o, w, h, 0, 0)
	x1, y1 := sourcePoint(o, w, h, 1, 0)
	x2, y2 := sourcePoint(o, w, h, 0, 1)
	return sx0, sy0, x1 - sx0, y1 - sy0, x2 - sx0, y2 - sy0
}

// remapPix copies pixels of bpp bytes from a stored buffer (whose Pix starts
// at the image's Min) to the upright one.
func remapPix(src []byte, sstride int, dst []byte, dstride, bpp, o, w, h int) {
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	sx0, sy0, ax, ay, bx, by := affine(o, w, h)
	step := ay*sstride + ax*bpp
	for dy := 0; dy < dh; dy++ {
		si := (sy0+dy*by)*sstride + (sx0+dy*bx)*bpp
		row := dst[dy*dstride : dy*dstride+dw*bpp]
		if bpp == 1 {
			for dx := range row {
				row[dx] = src[si]
				si += step
			}
			continue
		}
		for dx := 0; dx < len(row); dx += bpp {
			copy(row[dx:dx+bpp], src[si:si+bpp])
			si += step
		}
	}
}

// orientYCbCr turns a YCbCr picture (what JPEG decodes to) into a 4:4:4 one:
// luma moves like any 1-byte plane, chroma is looked up through per-column
// and per-row tables of the subsampled planes.
func orientYCbCr(src *image.YCbCr, o int) *image.YCbCr {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	dst := image.NewYCbCr(image.Rect(0, 0, dw, dh), image.YCbCrSubsampleRatio444)
	remapPix(src.Y[src.YOffset(b.Min.X, b.Min.Y):], src.YStride, dst.Y, dst.YStride, 1, o, w, h)
	hd, vd := 1, 1
	switch src.SubsampleRatio {
	case image.YCbCrSubsampleRatio422:
		hd = 2
	case image.YCbCrSubsampleRatio420:
		hd, vd = 2, 2
	case image.YCbCrSubsampleRatio440:
		vd = 2
	case image.YCbCrSubsampleRatio411:
		hd = 4
	case image.YCbCrSubsampleRatio410:
		hd, vd = 4, 2
	}
	base := src.COffset(b.Min.X, b.Min.Y)
	cx := make([]int, w)
	for x := range cx {
		cx[x] = (b.Min.X+x)/hd - b.Min.X/hd
	}
	cy := make([]int, h)
	for y := range cy {
		cy[y] = ((b.Min.Y+y)/vd - b.Min.Y/vd) * src.CStride
	}
	sx0, sy0, ax, ay, bx, by := affine(o, w, h)
	for dy := 0; dy < dh; dy++ {
		sx, sy := sx0+dy*bx, sy0+dy*by
		row := dy * dst.CStride
		for dx := 0; dx < dw; dx++ {
			ci := base + cy[sy] + cx[sx]
			dst.Cb[row+dx] = src.Cb[ci]
			dst.Cr[row+dx] = src.Cr[ci]
			sx += ax
			sy += ay
		}
	}
	return dst
}
