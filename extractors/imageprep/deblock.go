package imageprep

import "image"

// heavyBlockiness is the input blockiness (see inputStats) above which the
// JPEG counts as heavily compressed. On synthetic photos: q95 ≈ 1.1,
// q80 ≈ 1.55, q25–q60 ≈ 1.8–2.1 (the measure saturates: strong
// quantisation also wipes the noise inside blocks).
//
// Measured with the tesseract CLI on synthetic photos (sigma 12), the
// filter did not earn its place: mean CER 1.6% with and without at q50–80,
// 3.8% with vs 3.2% without at q30 — flatten's stretch already whitens
// ringing on the paper and smoothing softens small glyphs before
// upscaling. The threshold is therefore above everything measured so far,
// keeping the step for inputs worse than that (and for `eval --ablate`
// on real corpora) instead of running it by default.
const heavyBlockiness = 2.5

// sigmaDeblock is how far (in gray levels) a neighbour may differ from a
// pixel and still be averaged with it.
const sigmaDeblock = 12

// deblock smooths JPEG blocking and ringing with a 3×3 sigma filter: each
// pixel becomes the mean of its neighbours within ±sigmaDeblock of it, so
// flat areas and the noise around strokes are smoothed while stroke edges
// (steps far larger than the noise) stay sharp. The block grid is measured
// on the input, before any warp; skipped unless the input was heavily
// compressed.
func (p *enhancer) deblock() (bool, error) {
	if p.stats.blockiness < heavyBlockiness {
		return false, nil
	}
	g := p.gray
	if g.Rect.Dx() < 3 || g.Rect.Dy() < 3 {
		return false, nil
	}
	p.gray = sigmaFilter(g, sigmaDeblock)
	return true, nil
}

func sigmaFilter(g *image.Gray, sigma int) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	out := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		rows := [3][]uint8{
			g.Pix[max(0, y-1)*g.Stride:][:w],
			g.Pix[y*g.Stride:][:w],
			g.Pix[min(h-1, y+1)*g.Stride:][:w],
		}
		o := out.Pix[y*out.Stride:][:w]
		for x := 0; x < w; x++ {
			c := int(rows[1][x])
			if c == 255 || c == 0 { // saturated: already clean paper or ink
				o[x] = uint8(c)
				continue
			}
			sum, n := 0, 0
			for _, r := range rows {
				for xx := max(0, x-1); xx <= min(w-1, x+1); xx++ {
					v := int(r[xx])
					if v-c <= sigma && c-v <= sigma {
						sum += v
						n++
					}
				}
			}
			o[x] = uint8((sum + n/2) / n)
		}
	}
	return out
}
