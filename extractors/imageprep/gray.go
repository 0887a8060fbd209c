package imageprep

import "image"

// integralImage holds running sums of a gray image, (w+1)×(h+1) with a zero
// first row and column, so any box sum costs four reads.
type integralImage struct {
	w, h int
	s    []uint64
}

func integral(g *image.Gray) integralImage {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	s := make([]uint64, (w+1)*(h+1))
	for y := 0; y < h; y++ {
		row := g.Pix[y*g.Stride:]
		var acc uint64
		o, prev := (y+1)*(w+1), y*(w+1)
		for x := 0; x < w; x++ {
			acc += uint64(row[x])
			s[o+x+1] = s[prev+x+1] + acc
		}
	}
	return integralImage{w, h, s}
}

// sum is the sum over [x0,x1)×[y0,y1).
func (ii integralImage) sum(x0, y0, x1, y1 int) uint64 {
	W := ii.w + 1
	return ii.s[y1*W+x1] - ii.s[y0*W+x1] - ii.s[y1*W+x0] + ii.s[y0*W+x0]
}

// boxDown averages f×f blocks (partial blocks at the edges average what
// they have).
func boxDown(g *image.Gray, f int) *image.Gray {
	if f <= 1 {
		return g
	}
	w, h := g.Rect.Dx(), g.Rect.Dy()
	ow, oh := (w+f-1)/f, (h+f-1)/f
	out := image.NewGray(image.Rect(0, 0, ow, oh))
	acc := make([]uint32, ow)
	cnt := make([]uint32, ow)
	for oy := 0; oy < oh; oy++ {
		clear(acc)
		clear(cnt)
		for y := oy * f; y < min(h, (oy+1)*f); y++ {
			row := g.Pix[y*g.Stride : y*g.Stride+w]
			for x, v := range row {
				acc[x/f] += uint32(v)
				cnt[x/f]++
			}
		}
		orow := out.Pix[oy*out.Stride:]
		for x := range acc {
			orow[x] = uint8((acc[x] + cnt[x]/2) / cnt[x])
		}
	}
	return out
}
