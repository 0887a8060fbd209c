package imageprep

import (
	"image"
	"math"
)

type point struct{ X, Y float64 }

// homography is a 3×3 projective map in row-major order with h[8] = 1.
type homography [9]float64

// homographyFromQuads returns the map taking src[i] to dst[i]. It fails
// when the points are degenerate (three collinear corners).
func homographyFromQuads(src, dst [4]point) (homography, bool) {
	// Eight equations in h0..h7:
	//   u = (h0 x + h1 y + h2) / (h6 x + h7 y + 1)
	//   v = (h3 x + h4 y + h5) / (h6 x + h7 y + 1)
	var a [8][9]float64
	for i := 0; i < 4; i++ {
		x, y, u, v := src[i].X, src[i].Y, dst[i].X, dst[i].Y
		a[2*i] = [9]float64{x, y, 1, 0, 0, 0, -u * x, -u * y, u}
		a[2*i+1] = [9]float64{0, 0, 0, x, y, 1, -v * x, -v * y, v}
	}
	// Gaussian elimination with partial pivoting.
	for c := 0; c < 8; c++ {
		piv := c
		for r := c + 1; r < 8; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[piv][c]) {
				piv = r
			}
		}
		if math.Abs(a[piv][c]) < 1e-12 {
			return homography{}, false
		}
		a[c], a[piv] = a[piv], a[c]
		for r := 0; r < 8; r++ {
			if r == c {
				continue
			}
			f := a[r][c] / a[c][c]
			for k := c; k < 9; k++ {
				a[r][k] -= f * a[c][k]
			}
		}
	}
	var h homography
	for i := 0; i < 8; i++ {
		h[i] = a[i][8] / a[i][i]
		if math.IsNaN(h[i]) || math.IsInf(h[i], 0) {
			return homography{}, false
		}
	}
	h[8] = 1
	return h, true
}

func (h homography) apply(x, y float64) (float64, float64) {
	d := h[6]*x + h[7]*y + h[8]
	return (h[0]*x + h[1]*y + h[2]) / d, (h[3]*x + h[4]*y + h[5]) / d
}

// rotationMap maps output coordinates of a w×h canvas to the input of an
// sw×sh image rotated by deg degrees clockwise about its centre (for
// deskew). A skewed line rising by tan(deg) per px comes out level.
func rotationMap(deg float64, sw, sh, w, h int) homography {
	t := deg * math.Pi / 180
	c, s := math.Cos(t), math.Sin(t)
	cx, cy := float64(w)/2, float64(h)/2
	scx, scy := float64(sw)/2, float64(sh)/2
	// src = R(t)·(dst − c) + sc
	return homography{c, -s, scx - c*cx + s*cy, s, c, scy - s*cx - c*cy, 0, 0, 1}
}

// warpGray renders a w×h image whose pixel centre (x+.5, y+.5) takes the
// bilinear sample of src at dstToSrc(x+.5, y+.5). Samples outside src take
// fill. The map is evaluated incrementally along rows: no per-pixel
// interface calls, one division per pixel.
func warpGray(src *image.Gray, dstToSrc homography, w, h int, fill uint8) *image.Gray {
	out := image.NewGray(image.Rect(0, 0, w, h))
	sw, sh := src.Rect.Dx(), src.Rect.Dy()
	sp, ss := src.Pix, src.Stride
	m := dstToSrc
	for y := 0; y < h; y++ {
		fy := float64(y) + 0.5
		nx := m[0]*0.5 + m[1]*fy + m[2]
		ny := m[3]*0.5 + m[4]*fy + m[5]
		d := m[6]*0.5 + m[7]*fy + m[8]
		row := out.Pix[y*out.Stride : y*out.Stride+w]
		for x := 0; x < w; x++ {
			sx := nx/d - 0.5
			sy := ny/d - 0.5
			nx += m[0]
			ny += m[3]
			d += m[6]
			if !(sx > -1 && sy > -1 && sx < float64(sw) && sy < float64(sh)) { // also catches NaN
				row[x] = fill
				continue
			}
			x0, y0 := int(math.Floor(sx)), int(math.Floor(sy))
			fx, fyy := sx-float64(x0), sy-float64(y0)
			x1, y1 := x0+1, y0+1
			x0, x1 = clampInt(x0, 0, sw-1), clampInt(x1, 0, sw-1)
			y0, y1 = clampInt(y0, 0, sh-1), clampInt(y1, 0, sh-1)
			p00 := float64(sp[y0*ss+x0])
			p01 := float64(sp[y0*ss+x1])
			p10 := float64(sp[y1*ss+x0])
			p11 := float64(sp[y1*ss+x1])
			top := p00 + (p01-p00)*fx
			bot := p10 + (p11-p10)*fx
			row[x] = uint8(top + (bot-top)*fyy + 0.5)
		}
	}
	return out
}

func clampInt(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}
