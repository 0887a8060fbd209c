// Package photostat measures what makes a phone photo of a document hard
// to read — the size of its text in pixels, sharpness, sensor noise, the
// JPEG quality it was saved at and how much of the frame is not the sheet —
// so that generated photos (corpus/degrade) can be held against real ones.
//
// The measures are cheap and rough by design: they compare two sets of
// photos with one ruler, they do not describe one photo exactly. Limits:
// the sheet is taken to be the largest bright, low-colour region, so a
// white table or a photo cropped inside the page reads as background share
// near 0; text height is the median height of dark blobs on the sheet,
// which mixes lower case and capitals (about the x-height of body text).
package photostat

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"math"
	"slices"
)

// Stats are the measures of one photo.
type Stats struct {
	W, H int
	// Quality is the IJG quality whose scaled luminance table is nearest
	// to the file's (0 when the file has none).
	Quality int
	// Background is the share of the frame outside the sheet.
	Background float64
	// TextPx is the median height of ink blobs on the sheet, in pixels.
	TextPx float64
	// Sharpness is the mean absolute Laplacian at ink edges, relative to
	// the local contrast (paper − ink): ~0.5 crisp, ~0.15 soft.
	Sharpness float64
	// Noise is the standard deviation of sensor noise on flat paper, in
	// grey levels (Immerkær's estimator).
	Noise float64
	// Paper and Ink are the 90th and 1st percentile of luminance on the
	// sheet (ink covers only a few per cent of a bill): a «scanner app» pushes paper to 255 and ink towards 0.
	Paper, Ink float64
}

// maxPixels bounds what Measure decodes: phone photos, not posters.
const maxPixels = 50_000_000

// Measure decodes a JPEG and measures it.
func Measure(b []byte) (Stats, error) {
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return Stats{}, fmt.Errorf("photostat: %w", err)
	}
	if cfg.Width*cfg.Height > maxPixels || cfg.Width < 16 || cfg.Height < 16 {
		return Stats{}, fmt.Errorf("photostat: %d×%d is outside what a phone photo is", cfg.Width, cfg.Height)
	}
	img, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil {
		return Stats{}, fmt.Errorf("photostat: %w", err)
	}
	s := Stats{W: cfg.Width, H: cfg.Height, Quality: Quality(b)}
	g, sat := luma(img)
	mask := sheetMask(g, sat, s.W, s.H)
	on := 0
	for _, m := range mask {
		if m {
			on++
		}
	}
	s.Background = 1 - float64(on)/float64(len(mask))
	s.Paper, s.Ink = percentiles(g, mask)
	s.TextPx, s.Sharpness = textStats(g, mask, s.W, s.H, s.Paper, s.Ink)
	s.Noise = noise(g, mask, s.W, s.H)
	return s, nil
}

// luma returns the grey levels and a per-pixel saturation (max−min of RGB).
func luma(img image.Image) ([]float64, []float64) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	g := make([]float64, w*h)
	sat := make([]float64, w*h)
	if m, ok := img.(*image.YCbCr); ok { // what a JPEG decodes to: read the planes
		for y := range h {
			for x := range w {
				yi := m.YOffset(b.Min.X+x, b.Min.Y+y)
				ci := m.COffset(b.Min.X+x, b.Min.Y+y)
				cb, cr := float64(m.Cb[ci])-128, float64(m.Cr[ci])-128
				g[y*w+x] = float64(m.Y[yi])
				// R−B spans about 1.77 Cb + 1.40 Cr: a rough max−min.
				sat[y*w+x] = max(math.Abs(1.402*cr), math.Abs(1.772*cb), math.Abs(1.402*cr-1.772*cb))
			}
		}
		return g, sat
	}
	for y := range h {
		for x := range w {
			r, gg, bb, _ := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
			rf, gf, bf := float64(r>>8), float64(gg>>8), float64(bb>>8)
			g[y*w+x] = 0.299*rf + 0.587*gf + 0.114*bf
			sat[y*w+x] = max(rf, gf, bf) - min(rf, gf, bf)
		}
	}
	return g, sat
}

// sheetMask marks the sheet: on a 1/8 grid, cells bright relative to the
// frame and low in colour, the largest 4-connected group of them, with the
// holes (text, stamps, shadow) filled row by row and column by column.
func sheetMask(g, sat []float64, w, h int) []bool {
	const cell = 8
	cw, ch := (w+cell-1)/cell, (h+cell-1)/cell
	mean := make([]float64, cw*ch)
	msat := make([]float64, cw*ch)
	cnt := make([]float64, cw*ch)
	for y := range h {
		for x := range w {
			i := (y/cell)*cw + x/cell
			mean[i] += g[y*w+x]
			msat[i] += sat[y*w+x]
			cnt[i]++
		}
	}
	for i := range mean {
		mean[i] /= cnt[i]
		msat[i] /= cnt[i]
	}
	sorted := slices.Clone(mean)
	slices.Sort(sorted)
	bright := sorted[len(sorted)*95/100]
	// Paper under a shadow is still brighter than wood or stone relative to
	// the brightest paper, and it carries little colour.
	cand := make([]bool, len(mean))
	for i := range mean {
		cand[i] = mean[i] > 0.55*bright && msat[i] < 45
	}
	// Largest component.
	label := make([]int, len(cand))
	best, bestN := 0, 0
	next := 0
	for i := range cand {
		if !cand[i] || label[i] != 0 {
			continue
		}
		next++
		n := 0
		stack := []int{i}
		label[i] = next
		for len(stack) > 0 {
			p := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			n++
			px, py := p%cw, p/cw
			for _, q := range [][2]int{{px - 1, py}, {px + 1, py}, {px, py - 1}, {px, py + 1}} {
				if q[0] < 0 || q[1] < 0 || q[0] >= cw || q[1] >= ch {
					continue
				}
				j := q[1]*cw + q[0]
				if cand[j] && label[j] == 0 {
					label[j] = next
					stack = append(stack, j)
				}
			}
		}
		if n > bestN {
			best, bestN = next, n
		}
	}
	grid := make([]bool, len(cand))
	for i := range grid {
		grid[i] = label[i] == best && best != 0
	}
	// Fill holes: a cell between sheet cells in its row and in its column.
	filled := slices.Clone(grid)
	for y := range ch {
		lo, hi := -1, -1
		for x := range cw {
			if grid[y*cw+x] {
				if lo < 0 {
					lo = x
				}
				hi = x
			}
		}
		for x := max(lo, 0); lo >= 0 && x <= hi; x++ {
			filled[y*cw+x] = true
		}
	}
	for x := range cw {
		lo, hi := -1, -1
		for y := range ch {
			if grid[y*cw+x] {
				if lo < 0 {
					lo = y
				}
				hi = y
			}
		}
		for y := 0; y < ch; y++ {
			if lo >= 0 && y >= lo && y <= hi {
				continue
			}
			filled[y*cw+x] = false
		}
	}
	mask := make([]bool, w*h)
	for y := range h {
		for x := range w {
			mask[y*w+x] = filled[(y/cell)*cw+x/cell]
		}
	}
	return mask
}

func percentiles(g []float64, mask []bool) (p90, p1 float64) {
	var v []float64
	for i, m := range mask {
		if m {
			v = append(v, g[i])
		}
	}
	if len(v) == 0 {
		return 0, 0
	}
	slices.Sort(v)
	return v[len(v)*90/100], v[len(v)/100]
}

// textStats finds ink: pixels darker than their neighbourhood's paper by a
// third of the paper−ink contrast, grouped into 8-connected blobs; blobs of
// glyph size give the median height. Sharpness is the mean |Laplacian| on
// the ink's edge pixels over the contrast.
func textStats(g []float64, mask []bool, w, h int, paper, ink float64) (float64, float64) {
	contrast := paper - ink
	if contrast < 20 {
		return 0, 0
	}
	// Local paper level: max over a 15-px box (separable), then the
	// threshold a third of the way down to ink.
	local := boxMax(g, w, h, 7)
	dark := make([]bool, w*h)
	for i := range g {
		dark[i] = mask[i] && g[i] < local[i]-contrast/3
	}
	var heights []float64
	seen := make([]bool, w*h)
	var sharp float64
	var edges int
	for i := range dark {
		if !dark[i] || seen[i] {
			continue
		}
		minY, maxY, minX, maxX, n := h, -1, w, -1, 0
		stack := []int{i}
		seen[i] = true
		for len(stack) > 0 {
			p := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			n++
			px, py := p%w, p/w
			minY, maxY, minX, maxX = min(minY, py), max(maxY, py), min(minX, px), max(maxX, px)
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					qx, qy := px+dx, py+dy
					if qx < 0 || qy < 0 || qx >= w || qy >= h {
						continue
					}
					j := qy*w + qx
					if dark[j] && !seen[j] {
						seen[j] = true
						stack = append(stack, j)
					}
				}
			}
		}
		bh, bw := maxY-minY+1, maxX-minX+1
		if bh >= 4 && bh <= 80 && bw <= 3*bh && bw >= 1 && n >= 6 {
			heights = append(heights, float64(bh))
		}
	}
	for y := 1; y < h-1; y++ {
		for x := 1; x < w-1; x++ {
			i := y*w + x
			if !dark[i] || (dark[i-1] && dark[i+1] && dark[i-w] && dark[i+w]) {
				continue
			}
			lap := 4*g[i] - g[i-1] - g[i+1] - g[i-w] - g[i+w]
			sharp += math.Abs(lap)
			edges++
		}
	}
	if len(heights) == 0 || edges == 0 {
		return 0, 0
	}
	slices.Sort(heights)
	return heights[len(heights)/2], sharp / float64(edges) / contrast
}

func boxMax(g []float64, w, h, r int) []float64 {
	tmp := make([]float64, len(g))
	out := make([]float64, len(g))
	for y := range h {
		for x := range w {
			m := 0.0
			for k := max(0, x-r); k <= min(w-1, x+r); k++ {
				m = max(m, g[y*w+k])
			}
			tmp[y*w+x] = m
		}
	}
	for y := range h {
		for x := range w {
			m := 0.0
			for k := max(0, y-r); k <= min(h-1, y+r); k++ {
				m = max(m, tmp[k*w+x])
			}
			out[y*w+x] = m
		}
	}
	return out
}

// noise is Immerkær's fast noise estimate on flat paper: the mask
// [1 −2 1; −2 4 −2; 1 −2 1] cancels smooth light, leaving noise; pixels
// near ink (large gradients) are left out.
func noise(g []float64, mask []bool, w, h int) float64 {
	var sum float64
	var n int
	for y := 1; y < h-1; y++ {
		for x := 1; x < w-1; x++ {
			i := y*w + x
			if !mask[i] {
				continue
			}
			gx := g[i+1] - g[i-1]
			gy := g[i+w] - g[i-w]
			if math.Abs(gx)+math.Abs(gy) > 12 {
				continue
			}
			v := g[i-w-1] - 2*g[i-w] + g[i-w+1] - 2*g[i-1] + 4*g[i] - 2*g[i+1] + g[i+w-1] - 2*g[i+w] + g[i+w+1]
			sum += math.Abs(v)
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return math.Sqrt(math.Pi/2) * sum / (6 * float64(n))
}

// stdLuma is the IJG luminance table (Annex K) in zigzag order.
var stdLuma = [64]int{
	16, 11, 12, 14, 12, 10, 16, 14, 13, 14, 18, 17, 16, 19, 24, 40,
	26, 24, 22, 22, 24, 49, 35, 37, 29, 40, 58, 51, 61, 60, 57, 51,
	56, 55, 64, 72, 92, 78, 64, 68, 87, 69, 55, 56, 80, 109, 81, 87,
	95, 98, 103, 104, 103, 62, 77, 113, 121, 112, 100, 120, 92, 101, 103, 99,
}

// Quality estimates the IJG quality of a JPEG from its first luminance
// quantisation table (table 0), or 0 when there is none. Both the table and
// the reference are in zigzag order; encoders that do not scale the IJG
// table (some phone ISPs) get the nearest quality anyway.
func Quality(b []byte) int {
	tab, ok := lumaTable(b)
	if !ok {
		return 0
	}
	best, bestD := 0, math.MaxInt
	for q := 1; q <= 100; q++ {
		scale := 200 - 2*q
		if q < 50 {
			scale = 5000 / q
		}
		d := 0
		for i, s := range stdLuma {
			v := min(max((s*scale+50)/100, 1), 255)
			d += abs(v - tab[i])
		}
		if d < bestD {
			best, bestD = q, d
		}
	}
	return best
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// lumaTable finds DQT table 0 in the markers before the scan.
func lumaTable(b []byte) ([64]int, bool) {
	var t [64]int
	i := 2
	for i+4 <= len(b) {
		if b[i] != 0xff {
			return t, false
		}
		m := b[i+1]
		if m == 0xd8 || (m >= 0xd0 && m <= 0xd7) || m == 0x01 {
			i += 2
			continue
		}
		if m == 0xda || m == 0xd9 {
			return t, false
		}
		n := int(b[i+2])<<8 | int(b[i+3])
		if n < 2 || i+2+n > len(b) {
			return t, false
		}
		if m == 0xdb {
			seg := b[i+4 : i+2+n]
			for len(seg) > 0 {
				pq, tq := seg[0]>>4, seg[0]&15
				size := 64
				if pq == 1 {
					size = 128
				}
				if len(seg) < 1+size {
					return t, false
				}
				if tq == 0 {
					for k := range 64 {
						if pq == 1 {
							t[k] = int(seg[1+2*k])<<8 | int(seg[2+2*k])
						} else {
							t[k] = int(seg[1+k])
						}
					}
					return t, true
				}
				seg = seg[1+size:]
			}
		}
		i += 2 + n
	}
	return t, false
}
