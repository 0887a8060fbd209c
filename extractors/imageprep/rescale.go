package imageprep

import (
	"image"
	"math"
)

const (
	// Tesseract's LSTM reads best with capitals of ~20–30 px and collapses
	// under ~10 px (ocr-facts). Text under upscaleBelow is enlarged to
	// targetCap; text over downscaleAbove is reduced to it, which saves
	// OCR time on HD photos and 600-dpi scans without costing accuracy.
	// On synthetic photos (4 samples, tesseract CLI) a target of 20 px gave
	// mean CER 1.9%, 24 px 1.7%, 30 px 2.0%; OCR time grows with the
	// square of the target (30 px took 1.6× the time of 20 px).
	targetCap      = 24.0
	upscaleBelow   = 17.0
	downscaleAbove = 48.0
	maxUpscale     = 3.0
)

// rescaleTuning holds the rescale choices the corpus recall evaluation
// compares (TestCorpusRecall); rescaleParams is the setting in use.
type rescaleTuning struct {
	target  float64 // capital height to reach, px
	maxUp   float64 // largest upscale factor
	sharpen float64 // unsharp-mask amount after upscaling, 0 = none
}

// rescaleParams: measured on testdata/corpus with the tesseract pool
// (TestCorpusRecall, born-digital token recall). Larger text did not help:
// on 9 photos target 24/×3 gave 0.678 token and 0.783 digit recall, 28/×4
// 0.678/0.767 and 32/×4 0.680/0.800, for 1.1–1.2× the OCR time; the small
// table text of a landscape счёт-фактура is lost in the messenger JPEG
// (1280 px: capitals ≈ 6–8 px) and more enlargement does not bring it
// back. The cap estimate already settles on that table text (5–6 px on
// most landscape pages), so estimating from a lower percentile changed
// nothing. An unsharp mask after upscaling (σ = factor/2, amount 0.6)
// helps together with the softer stretch (see stretchParams).
var rescaleParams = rescaleTuning{target: targetCap, maxUp: maxUpscale, sharpen: 0.6}

// rescale measures the capital height of the text and resamples (Lanczos)
// so that it reaches targetCap; the output never exceeds maxOutputPixels.
// Text already within [upscaleBelow, downscaleAbove] is left alone, which
// is the case for body text on a 300-dpi scan.
func (p *enhancer) rescale() (bool, error) {
	g := p.gray
	w, h := g.Rect.Dx(), g.Rect.Dy()
	if w < 16 || h < 16 {
		return false, nil
	}
	tune := rescaleParams
	capH, ok := estimateCapHeight(g)
	f := 1.0
	if ok {
		p.capHeight = capH
		switch {
		case capH < upscaleBelow:
			f = min(tune.target/capH, tune.maxUp)
		case capH > downscaleAbove:
			f = tune.target / capH
		}
	}
	if px := float64(w) * float64(h) * f * f; px > maxOutputPixels {
		f = math.Sqrt(maxOutputPixels / (float64(w) * float64(h)))
	}
	ow, oh := max(1, int(math.Round(float64(w)*f))), max(1, int(math.Round(float64(h)*f)))
	if ow == w && oh == h {
		return false, nil
	}
	p.gray = resizeLanczos(g, ow, oh)
	f = float64(ow) / float64(w)
	if f > 1 && tune.sharpen > 0 {
		unsharp(p.gray, f, tune.sharpen)
	}
	p.scale *= f
	if p.capHeight > 0 {
		p.capHeight *= f
	}
	p.log.Debug("rescale", "cap", capH, "factor", f)
	return true, nil
}

// estimateCapHeight finds the height of capital letters (and digits) in
// px from the connected components of the ink. The tallest histogram peak
// among letter-sized components is either the x-height (running text) or
// the cap height (digit-heavy tables); a second peak ~1.2–1.6× above it
// marks it as x-height, one ~0.6–0.85× below marks it as cap height.
func estimateCapHeight(g *image.Gray) (float64, bool) {
	boxes := inkComponents(g)
	var hist [257]float64
	n := 0
	for _, b := range boxes {
		bw, bh := b.x1-b.x0, b.y1-b.y0
		if bh < 4 || bh > 256 || bw > 3*bh || bw*8 < bh || b.touchesEdge {
			continue
		}
		if float64(b.area) < 0.12*float64(bw*bh) {
			continue // frames, table lines, diagonal strokes
		}
		hist[bh]++
		n++
	}
	if n < 20 {
		return 0, false
	}
	// Smooth over ±1 px and find the mode.
	var sm [257]float64
	for i := 1; i < 256; i++ {
		sm[i] = hist[i-1]*0.5 + hist[i] + hist[i+1]*0.5
	}
	mode := 4
	for i := 4; i < 257; i++ {
		if sm[i] > sm[mode] {
			mode = i
		}
	}
	mass := func(a, b float64) (float64, int) {
		var s, best float64
		arg := 0
		for i := max(1, int(math.Ceil(a))); i <= min(256, int(b)); i++ {
			s += hist[i]
			if sm[i] > best {
				best, arg = sm[i], i
			}
		}
		return s, arg
	}
	modeMass, _ := mass(float64(mode)-1, float64(mode)+1)
	below, _ := mass(0.6*float64(mode), 0.85*float64(mode))
	above, upPeak := mass(1.2*float64(mode), 1.6*float64(mode))
	switch {
	case below > 0.3*modeMass && below > above:
		return float64(mode), true
	case above > 0.15*modeMass && upPeak > 0:
		return float64(upPeak), true
	default:
		return float64(mode) * 1.38, true
	}
}

type inkBox struct {
	x0, y0, x1, y1 int
	area           int
	touchesEdge    bool
}

// inkComponents labels 8-connected ink (below an Otsu threshold) by runs
// with union–find and returns each component's bounding box and area.
func inkComponents(g *image.Gray) []inkBox {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	var hist [256]float64
	for y := 0; y < h; y += 2 {
		for _, v := range g.Pix[y*g.Stride : y*g.Stride+w] {
			hist[v]++
		}
	}
	var tot float64
	for _, c := range hist {
		tot += c
	}
	t, _ := otsuHist(hist[:], tot)
	thr := uint8(clampInt(int(t), 60, 200))

	type run struct{ x0, x1, y, id int } // [x0,x1)
	var parent []int
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	var prev, cur, all []run
	for y := 0; y < h; y++ {
		row := g.Pix[y*g.Stride : y*g.Stride+w]
		cur = cur[:0]
		for x := 0; x < w; {
			if row[x] >= thr {
				x++
				continue
			}
			x0 := x
			for x < w && row[x] < thr {
				x++
			}
			id := len(parent)
			parent = append(parent, id)
			cur = append(cur, run{x0, x, y, id})
		}
		// 8-connectivity: runs touch if they overlap with a 1-px margin.
		j := 0
		for i := range cur {
			for j < len(prev) && prev[j].x1 < cur[i].x0 {
				j++
			}
			for k := j; k < len(prev) && prev[k].x0 <= cur[i].x1; k++ {
				a, b := find(cur[i].id), find(prev[k].id)
				if a != b {
					parent[a] = b
				}
			}
		}
		all = append(all, cur...)
		prev = append(prev[:0], cur...)
	}
	idx := make([]int32, len(parent)) // root → box index + 1
	var boxes []inkBox
	for _, r := range all {
		root := find(r.id)
		bi := int(idx[root]) - 1
		if bi < 0 {
			bi = len(boxes)
			idx[root] = int32(bi + 1)
			boxes = append(boxes, inkBox{x0: r.x0, y0: r.y, x1: r.x1, y1: r.y + 1})
		}
		b := &boxes[bi]
		b.x0, b.x1 = min(b.x0, r.x0), max(b.x1, r.x1)
		b.y0, b.y1 = min(b.y0, r.y), max(b.y1, r.y+1)
		b.area += r.x1 - r.x0
	}
	for i := range boxes {
		b := &boxes[i]
		b.touchesEdge = b.x0 == 0 || b.y0 == 0 || b.x1 == w || b.y1 == h
	}
	return boxes
}

// resizeLanczos resamples g to w×h with a separable Lanczos-3 filter
// (widened when shrinking so it also low-passes).
func resizeLanczos(g *image.Gray, w, h int) *image.Gray {
	sw, sh := g.Rect.Dx(), g.Rect.Dy()
	xw := lanczosWeights(sw, w)
	yw := lanczosWeights(sh, h)
	// Horizontal pass into float32 rows (sh × w), then vertical.
	tmp := make([]float32, sh*w)
	for y := 0; y < sh; y++ {
		in := g.Pix[y*g.Stride : y*g.Stride+sw]
		o := tmp[y*w : (y+1)*w]
		for x := 0; x < w; x++ {
			c := xw[x]
			var s float32
			for k, wt := range c.w {
				s += wt * float32(in[c.start+k])
			}
			o[x] = s
		}
	}
	out := image.NewGray(image.Rect(0, 0, w, h))
	acc := make([]float32, w)
	for y := 0; y < h; y++ {
		c := yw[y]
		clear(acc)
		for k, wt := range c.w {
			r := tmp[(c.start+k)*w : (c.start+k+1)*w]
			for x := range acc {
				acc[x] += wt * r[x]
			}
		}
		o := out.Pix[y*out.Stride : y*out.Stride+w]
		for x, v := range acc {
			switch {
			case v >= 254.5:
				o[x] = 255
			case v <= 0:
				o[x] = 0
			default:
				o[x] = uint8(v + 0.5)
			}
		}
	}
	return out
}

type filterTaps struct {
	start int
	w     []float32
}

func lanczosWeights(src, dst int) []filterTaps {
	const a = 3.0
	scale := float64(dst) / float64(src)
	support := a
	if scale < 1 {
		support = a / scale
	}
	taps := make([]filterTaps, dst)
	for i := range taps {
		c := (float64(i)+0.5)/scale - 0.5
		lo := int(math.Floor(c - support + 1))
		hi := int(math.Ceil(c + support - 1))
		lo, hi = max(lo, 0), min(hi, src-1)
		if hi < lo {
			lo, hi = clampInt(int(math.Round(c)), 0, src-1), clampInt(int(math.Round(c)), 0, src-1)
		}
		ws := make([]float32, hi-lo+1)
		var sum float64
		for k := lo; k <= hi; k++ {
			d := float64(k) - c
			if scale < 1 {
				d *= scale
			}
			v := lanczos(d, a)
			ws[k-lo] = float32(v)
			sum += v
		}
		if sum == 0 {
			for k := range ws {
				ws[k] = 1 / float32(len(ws))
			}
		} else {
			for k := range ws {
				ws[k] = float32(float64(ws[k]) / sum)
			}
		}
		taps[i] = filterTaps{lo, ws}
	}
	return taps
}

func lanczos(x, a float64) float64 {
	x = math.Abs(x)
	if x < 1e-9 {
		return 1
	}
	if x >= a {
		return 0
	}
	px := math.Pi * x
	return a * math.Sin(px) * math.Sin(px/a) / (px * px)
}

// unsharp sharpens g in place after an upscale by factor f: out = in +
// amount·(in − blur), with a Gaussian of σ ≈ f/2 source pixels' worth, so
// the edges Lanczos softened regain contrast without ringing the paper.
func unsharp(g *image.Gray, f, amount float64) {
	sigma := max(0.8, f/2)
	r := int(math.Ceil(2.5 * sigma))
	k := make([]float32, 2*r+1)
	var sum float32
	for i := range k {
		d := float64(i - r)
		k[i] = float32(math.Exp(-d * d / (2 * sigma * sigma)))
		sum += k[i]
	}
	for i := range k {
		k[i] /= sum
	}
	w, h := g.Rect.Dx(), g.Rect.Dy()
	tmp := make([]float32, w*h)
	for y := 0; y < h; y++ {
		row := g.Pix[y*g.Stride : y*g.Stride+w]
		o := tmp[y*w : (y+1)*w]
		for x := range o {
			var s float32
			if x >= r && x+r < w {
				in := row[x-r : x+r+1]
				for j, kv := range k {
					s += kv * float32(in[j])
				}
			} else {
				for j, kv := range k {
					s += kv * float32(row[clampInt(x+j-r, 0, w-1)])
				}
			}
			o[x] = s
		}
	}
	col := make([]float32, w)
	a := float32(amount)
	for y := 0; y < h; y++ {
		clear(col)
		for j, kv := range k {
			yy := clampInt(y+j-r, 0, h-1)
			src := tmp[yy*w : (yy+1)*w]
			for x := range col {
				col[x] += kv * src[x]
			}
		}
		row := g.Pix[y*g.Stride : y*g.Stride+w]
		for x, b := range col {
			v := float32(row[x]) + a*(float32(row[x])-b)
			row[x] = uint8(min(255, max(0, v+0.5)))
		}
	}
}
