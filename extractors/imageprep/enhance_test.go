package imageprep

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/pervichka/pervichka"
)

func TestHomographyRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 50; i++ {
		var src, dst [4]point
		base := [4]point{{0, 0}, {1000, 0}, {1000, 1400}, {0, 1400}}
		for k := range src {
			src[k] = point{base[k].X + r.Float64()*200 - 100, base[k].Y + r.Float64()*200 - 100}
			dst[k] = point{base[k].X*0.7 + r.Float64()*100, base[k].Y*0.7 + r.Float64()*100}
		}
		h, ok := homographyFromQuads(src, dst)
		if !ok {
			t.Fatalf("case %d: no homography", i)
		}
		inv, ok := homographyFromQuads(dst, src)
		if !ok {
			t.Fatalf("case %d: no inverse", i)
		}
		for k := range src {
			x, y := h.apply(src[k].X, src[k].Y)
			if math.Hypot(x-dst[k].X, y-dst[k].Y) > 1e-6 {
				t.Fatalf("case %d corner %d: got (%.4f,%.4f) want %v", i, k, x, y, dst[k])
			}
		}
		for j := 0; j < 10; j++ {
			px, py := r.Float64()*1000, r.Float64()*1400
			x, y := h.apply(px, py)
			bx, by := inv.apply(x, y)
			if math.Hypot(bx-px, by-py) > 1e-6 {
				t.Fatalf("case %d: round trip (%.3f,%.3f) → (%.3f,%.3f)", i, px, py, bx, by)
			}
		}
	}
	// Three collinear corners cannot define a quadrilateral map.
	if _, ok := homographyFromQuads([4]point{{0, 0}, {1, 0}, {2, 0}, {3, 0}}, [4]point{{0, 0}, {1, 0}, {1, 1}, {0, 1}}); ok {
		t.Error("degenerate quad accepted")
	}
}

func TestWarpGrayIdentityAndShift(t *testing.T) {
	g := image.NewGray(image.Rect(0, 0, 7, 5))
	for i := range g.Pix {
		g.Pix[i] = uint8(i * 7)
	}
	id := homography{1, 0, 0, 0, 1, 0, 0, 0, 1}
	if out := warpGray(g, id, 7, 5, 0); !bytes.Equal(out.Pix, g.Pix) {
		t.Errorf("identity warp changed pixels:\n%v\n%v", out.Pix, g.Pix)
	}
	shift := homography{1, 0, 2, 0, 1, 1, 0, 0, 1} // output (x,y) reads input (x+2,y+1)
	out := warpGray(g, shift, 3, 2, 0)
	for y := 0; y < 2; y++ {
		for x := 0; x < 3; x++ {
			if got, want := out.GrayAt(x, y).Y, g.GrayAt(x+2, y+1).Y; got != want {
				t.Errorf("shift (%d,%d): %d want %d", x, y, got, want)
			}
		}
	}
}

func TestFindSheetCorners(t *testing.T) {
	cases := []photoParams{
		defaultPhoto(1),
		func() photoParams { p := defaultPhoto(2); p.tilt, p.persp, p.quality = -4, 0.07, 50; return p }(),
		func() photoParams { p := defaultPhoto(3); p.pageFrac, p.shadow = 0.65, false; return p }(),
		// The top-right corner in deep shadow: its lines must meet where
		// the paper's corner is, not where the shadow ends.
		func() photoParams {
			p := defaultPhoto(4)
			p.pageFrac, p.shadow, p.cornerShadow = 0.7, false, true
			return p
		}(),
		func() photoParams {
			p := defaultPhoto(5)
			p.pageFrac, p.shadow, p.cornerShadow, p.tilt, p.persp = 0.75, false, true, -3, 0.06
			return p
		}(),
	}
	for i, pp := range cases {
		ph := makePhoto(t, pp)
		p := &enhancer{}
		p.convert(ph.img, true)
		b := ph.img.Bounds()
		q, why := findSheet(p.stats.grid, b.Dx(), b.Dy())
		if why != "" {
			t.Fatalf("case %d: no sheet: %s", i, why)
		}
		worst := 0.0
		for k := range q {
			worst = max(worst, dist(q[k], ph.corners[k]))
			if d := dist(q[k], ph.corners[k]); d > 4 {
				t.Errorf("case %d corner %d: found (%.1f,%.1f), true (%.1f,%.1f), off by %.1f px", i, k, q[k].X, q[k].Y, ph.corners[k].X, ph.corners[k].Y, d)
			}
		}
		t.Logf("case %d: worst corner off by %.1f px", i, worst)
	}
}

func TestFindSheetSkipsScan(t *testing.T) {
	scan, _ := makeScan(t, 5, 1)
	p := &enhancer{}
	p.convert(scan, true)
	b := scan.Bounds()
	if q, why := findSheet(p.stats.grid, b.Dx(), b.Dy()); why == "" {
		t.Errorf("sheet found on a scan: %v", q)
	}
}

// textPage renders a gray page of document text at font size px.
func textPage(t testing.TB, w, h int, px float64, seed uint64) *image.Gray {
	r := rand.New(rand.NewPCG(seed, 3))
	page := renderPage(t, w, h, px, pageText(r, 60), false)
	g := image.NewGray(page.Rect)
	for i := range g.Pix {
		g.Pix[i] = page.Pix[4*i+1]
	}
	return g
}

func TestEstimateSkew(t *testing.T) {
	g := textPage(t, 1200, 1600, 20, 1)
	w, h := g.Rect.Dx(), g.Rect.Dy()
	for _, deg := range []float64{-8.5, -4.2, -1.3, 0, 0.6, 2.7, 7.1} {
		// Rotating by −deg tilts the lines by +deg.
		tilted := warpGray(g, rotationMap(-deg, w, h, w, h), w, h, 250)
		got, ok := estimateSkew(tilted)
		if !ok {
			t.Fatalf("%.1f°: no estimate", deg)
		}
		if math.Abs(got-deg) > 0.2 {
			t.Errorf("tilt %.2f°: estimated %.2f°", deg, got)
		}
		// And the deskew step levels it.
		p := &enhancer{gray: tilted, log: discard()}
		if _, err := p.deskew(); err != nil {
			t.Fatal(err)
		}
		if after, ok := estimateSkew(p.gray); !ok || math.Abs(after) > 0.2 {
			t.Errorf("tilt %.2f°: %.2f° left after deskew", deg, after)
		}
	}
	blank := image.NewGray(image.Rect(0, 0, 800, 600))
	for i := range blank.Pix {
		blank.Pix[i] = 240
	}
	if d, ok := estimateSkew(blank); ok {
		t.Errorf("skew %.2f° found on a blank page", d)
	}
}

func TestFlattenEvensPaper(t *testing.T) {
	clean := textPage(t, 1000, 1400, 16, 2)
	w, h := clean.Rect.Dx(), clean.Rect.Dy()
	lit := image.NewGray(clean.Rect)
	var paper, ink []int
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := y*clean.Stride + x
			l := 0.55 + 0.4*float64(x)/float64(w) // gradient
			if float64(x)+0.6*float64(y) > 1100 { // hard shadow edge
				l *= 0.6
			}
			lit.Pix[i] = uint8(float64(clean.Pix[i]) * l)
			switch v := clean.Pix[i]; {
			case v > 245:
				paper = append(paper, i)
			case v < 60:
				ink = append(ink, i)
			}
		}
	}
	before, _ := statsAt(lit, paper)
	p := &enhancer{gray: lit, log: discard()}
	changed, err := p.flatten()
	if err != nil || !changed {
		t.Fatalf("flatten changed=%v err=%v", changed, err)
	}
	mean, sd := statsAt(p.gray, paper)
	inkMean, _ := statsAt(p.gray, ink)
	t.Logf("paper before mean %.1f; after mean %.1f sd %.1f; ink mean %.1f", before, mean, sd, inkMean)
	if mean < 245 || sd > 12 {
		t.Errorf("paper not even: mean %.1f sd %.1f", mean, sd)
	}
	if inkMean > 90 {
		t.Errorf("ink washed out: mean %.1f", inkMean)
	}
	// Pale ink (stray light over a gradient) still stands out.
	pale := image.NewGray(clean.Rect)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := y*clean.Stride + x
			l := 0.6 + 0.3*float64(y)/float64(h)
			pale.Pix[i] = uint8((110 + float64(clean.Pix[i])*0.55) * l)
		}
	}
	p = &enhancer{gray: pale, log: discard()}
	if _, err := p.flatten(); err != nil {
		t.Fatal(err)
	}
	paleInk, _ := statsAt(p.gray, ink)
	paleMean, paleSD := statsAt(p.gray, paper)
	t.Logf("pale ink: paper mean %.1f sd %.1f, ink mean %.1f", paleMean, paleSD, paleInk)
	// The black point stays at flatBlack (stretchParams): on the corpus
	// photos grey strokes read better than strokes pushed to black, so
	// pale ink only has to stand clearly apart from the paper.
	if paleInk > 140 || paleMean < 245 {
		t.Errorf("pale ink: paper mean %.1f, ink mean %.1f", paleMean, paleInk)
	}
	// An evenly white page needs no flattening.
	p = &enhancer{gray: clean, log: discard()}
	if changed, _ := p.flatten(); changed {
		t.Error("flatten ran on an even page")
	}
}

func statsAt(g *image.Gray, idx []int) (mean, sd float64) {
	var s, ss float64
	for _, i := range idx {
		v := float64(g.Pix[i])
		s += v
		ss += v * v
	}
	n := float64(len(idx))
	mean = s / n
	return mean, math.Sqrt(max(0, ss/n-mean*mean))
}

func TestCapHeightAndRescale(t *testing.T) {
	for _, px := range []float64{11, 14, 20, 34, 80} {
		g := textPage(t, int(px*60), int(px*80), px, 4)
		want := capHeightPx(t, px)
		got, ok := estimateCapHeight(g)
		if !ok || math.Abs(got/want-1) > 0.15 {
			t.Errorf("font %.0f px: cap height %.1f, true %.1f", px, got, want)
		}
		p := &enhancer{gray: g, scale: 1, log: discard()}
		if _, err := p.rescale(); err != nil {
			t.Fatal(err)
		}
		after := want * p.scale
		if after < upscaleBelow*0.9 || after > downscaleAbove*1.05 {
			t.Errorf("font %.0f px: capitals %.1f px after rescale ×%.2f", px, after, p.scale)
		}
		if want < upscaleBelow && math.Abs(after/targetCap-1) > 0.2 {
			t.Errorf("font %.0f px: capitals %.1f px after upscaling, target %v", px, after, targetCap)
		}
	}
}

func TestBlockinessSeparatesQuality(t *testing.T) {
	measure := func(q int) float64 {
		pp := defaultPhoto(5)
		pp.quality = q
		p := &enhancer{}
		p.convert(makePhoto(t, pp).img, false)
		return p.stats.blockiness
	}
	lo, hi := measure(95), measure(50)
	t.Logf("blockiness q95 %.2f, q50 %.2f", lo, hi)
	if lo > 1.2 || hi < 1.4 {
		t.Errorf("blockiness q95 %.2f, q50 %.2f do not separate", lo, hi)
	}
	// The filter itself: a flat area with a block step is smoothed, an ink
	// edge (a step far above sigma) is kept.
	g := image.NewGray(image.Rect(0, 0, 16, 8))
	for y := 0; y < 8; y++ {
		for x := 0; x < 16; x++ {
			switch {
			case x < 4:
				g.Pix[y*16+x] = 20 // ink
			case x < 8:
				g.Pix[y*16+x] = 200
			default:
				g.Pix[y*16+x] = 208 // next block, slightly off
			}
		}
	}
	f := sigmaFilter(g, sigmaDeblock)
	if v := f.Pix[3*16+3]; v != 20 {
		t.Errorf("ink edge moved: %d", v)
	}
	if a, b := f.Pix[3*16+7], f.Pix[3*16+8]; absDiff(a, b) >= 8 {
		t.Errorf("block step kept: %d|%d", a, b)
	}
}

type fakeOrienter struct {
	deg    int
	conf   float64
	err    error
	cancel context.CancelFunc
	calls  int
}

func (f *fakeOrienter) Orientation(ctx context.Context, img image.Image) (int, float64, error) {
	f.calls++
	if f.cancel != nil {
		f.cancel()
	}
	return f.deg, f.conf, f.err
}

func TestOrient(t *testing.T) {
	g := textPage(t, 600, 800, 16, 6)
	cases := []struct {
		name    string
		o       *fakeOrienter
		rotated int
	}{
		{"confident 90", &fakeOrienter{deg: 90, conf: 0.8}, 90},
		{"confident 270", &fakeOrienter{deg: 270, conf: 0.8}, 270},
		{"confident 180", &fakeOrienter{deg: 180, conf: 0.8}, 180},
		{"unsure", &fakeOrienter{deg: 90, conf: 0.3}, 0},
		{"upright", &fakeOrienter{deg: 0, conf: 0.9}, 0},
		{"orienter fails", &fakeOrienter{err: errors.New("osd: too few characters")}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := Enhance(context.Background(), g, Options{Orienter: c.o, Disabled: map[string]bool{StepRescale: true, StepBinarize: true}})
			if err != nil {
				t.Fatal(err)
			}
			if out.Rotated != c.rotated || c.o.calls != 1 {
				t.Errorf("rotated %d (calls %d), want %d", out.Rotated, c.o.calls, c.rotated)
			}
			wantW := 600
			if c.rotated%180 == 90 {
				wantW = 800
			}
			if out.Image.Rect.Dx() != wantW {
				t.Errorf("width %d, want %d", out.Image.Rect.Dx(), wantW)
			}
		})
	}
}

func TestRotateRight(t *testing.T) {
	// 3×2:  a b c      90° cw → d a     180° → f e d    270° → c f
	//       d e f               e b            c b a            b e
	//                           f c                             a d
	g := &image.Gray{Pix: []uint8{1, 2, 3, 4, 5, 6}, Stride: 3, Rect: image.Rect(0, 0, 3, 2)}
	for _, c := range []struct {
		deg  int
		want []uint8
	}{{90, []uint8{4, 1, 5, 2, 6, 3}}, {180, []uint8{6, 5, 4, 3, 2, 1}}, {270, []uint8{3, 6, 2, 5, 1, 4}}} {
		if got := rotateRight(g, c.deg).Pix; !bytes.Equal(got, c.want) {
			t.Errorf("%d°: %v want %v", c.deg, got, c.want)
		}
	}
}

func TestEnhanceOddInputs(t *testing.T) {
	uniform := func(w, h int, v uint8) image.Image {
		g := image.NewGray(image.Rect(0, 0, w, h))
		for i := range g.Pix {
			g.Pix[i] = v
		}
		return g
	}
	noise := image.NewRGBA(image.Rect(0, 0, 300, 200))
	r := rand.New(rand.NewPCG(9, 9))
	for i := range noise.Pix {
		noise.Pix[i] = uint8(r.IntN(256))
	}
	g16 := image.NewGray16(image.Rect(0, 0, 50, 40))
	g16.SetGray16(3, 3, color.Gray16{Y: 1000})
	alpha := image.NewNRGBA(image.Rect(0, 0, 64, 64)) // fully transparent → white
	offset := image.NewGray(image.Rect(-20, 30, 180, 230))
	cases := map[string]image.Image{
		"1x1":         uniform(1, 1, 0),
		"1x5000":      uniform(1, 5000, 128),
		"5000x1":      uniform(5000, 1, 128),
		"3x3":         uniform(3, 3, 255),
		"white":       uniform(500, 700, 255),
		"black":       uniform(500, 700, 0),
		"noise":       noise,
		"gray16":      g16,
		"transparent": alpha,
		"offset":      offset,
		"thin page":   textPage(t, 2000, 40, 16, 1),
	}
	for name, img := range cases {
		t.Run(name, func(t *testing.T) {
			out, err := Enhance(context.Background(), img, Options{Orienter: &fakeOrienter{deg: 90, conf: 0.9}})
			if err != nil {
				t.Fatal(err)
			}
			if out.Image == nil || out.Image.Rect.Empty() || out.DPI < 70 {
				t.Fatalf("bad output: %+v", out)
			}
			if px := out.Image.Rect.Dx() * out.Image.Rect.Dy(); px > maxOutputPixels {
				t.Errorf("output %d px", px)
			}
		})
	}
	if _, err := Enhance(context.Background(), image.NewGray(image.Rect(0, 0, 0, 10)), Options{}); codeOf(err) != pervichka.CodeEmpty {
		t.Errorf("empty image: %v", err)
	}
	if _, err := Enhance(context.Background(), nil, Options{}); codeOf(err) != pervichka.CodeEmpty {
		t.Errorf("nil image: %v", err)
	}
}

func TestEnhanceCanceled(t *testing.T) {
	g := textPage(t, 400, 500, 14, 7)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Enhance(ctx, g, Options{}); codeOf(err) != pervichka.CodeCanceled || !errors.Is(err, context.Canceled) {
		t.Errorf("canceled before start: %v", err)
	}
	// Canceled during orient: the steps after it must not run.
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	o := &fakeOrienter{deg: 0, conf: 0.9, cancel: cancel}
	_, err := Enhance(ctx, g, Options{Orienter: o})
	if codeOf(err) != pervichka.CodeCanceled {
		t.Errorf("canceled in orient: %v", err)
	}
}

func TestEnhanceAblation(t *testing.T) {
	ph := makePhoto(t, defaultPhoto(8))
	all, err := Enhance(context.Background(), ph.img, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{StepSheet, StepFlatten, StepRescale} {
		if !contains(all.Applied, want) {
			t.Errorf("photo: %s not applied (applied %v)", want, all.Applied)
		}
	}
	off := map[string]bool{}
	for _, s := range Steps {
		off[s] = true
	}
	none, err := Enhance(context.Background(), ph.img, Options{Disabled: off})
	if err != nil {
		t.Fatal(err)
	}
	if len(none.Applied) != 0 || none.Image.Rect.Size() != ph.img.Bounds().Size() {
		t.Errorf("all steps off: applied %v, size %v", none.Applied, none.Image.Rect.Size())
	}
	// A clean, level, even scan at 300 dpi needs nothing but maybe binarize.
	clean := textPage(t, 1240, 1754, 42, 9)
	out, err := Enhance(context.Background(), clean, Options{SourceDPI: 300})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{StepSheet, StepDeskew, StepFlatten, StepDeblock, StepRescale} {
		if contains(out.Applied, s) {
			t.Errorf("clean scan: %s applied (%v)", s, out.Applied)
		}
	}
	if out.DPI != 300 {
		t.Errorf("clean scan: dpi %d", out.DPI)
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func codeOf(err error) pervichka.ErrorCode {
	var e *pervichka.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

func FuzzEnhance(f *testing.F) {
	for _, sz := range [][2]int{{1, 1}, {17, 9}, {64, 80}} {
		g := image.NewGray(image.Rect(0, 0, sz[0], sz[1]))
		for i := range g.Pix {
			g.Pix[i] = uint8(i * 37)
		}
		var buf bytes.Buffer
		png.Encode(&buf, g)
		f.Add(buf.Bytes())
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := png.DecodeConfig(bytes.NewReader(data))
		if err != nil || cfg.Width*cfg.Height > 256*256 || cfg.Width > 4096 || cfg.Height > 4096 {
			return
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			return
		}
		out, err := Enhance(context.Background(), img, Options{Orienter: &fakeOrienter{deg: 180, conf: 0.7}})
		if err != nil {
			if codeOf(err) == pervichka.CodeEmpty {
				return
			}
			t.Fatalf("enhance: %v", err)
		}
		if out.Image == nil || out.DPI <= 0 {
			t.Fatalf("bad output %+v", out)
		}
	})
}

// A bright region far from a page's proportions (a strip of the paper cut
// off by a shadow band) or with a corner far from square must not be
// warped to fill the output; a page-shaped sheet still is.
func TestSheetRejectsNonPageShapes(t *testing.T) {
	frame := func(poly []point) *image.Gray {
		g := image.NewGray(image.Rect(0, 0, 900, 900))
		for y := 0; y < 900; y++ {
			for x := 0; x < 900; x++ {
				v := uint8(50 + (x*7+y*3)%11) // dark textured table
				c := point{float64(x) + 0.5, float64(y) + 0.5}
				inside := true
				for i := range poly {
					if cross(poly[i], poly[(i+1)%len(poly)], c) < 0 {
						inside = false
						break
					}
				}
				if inside {
					v = 235
				}
				g.Pix[y*g.Stride+x] = v
			}
		}
		return g
	}
	cases := []struct {
		name string
		poly []point
		want bool
	}{
		{"A4 portrait", []point{{250, 100}, {650, 100}, {650, 666}, {250, 666}}, true},
		{"A4 landscape", []point{{100, 250}, {800, 250}, {800, 745}, {100, 745}}, true},
		// Seed 9501's realistic act 014: a shadow over the top third left a
		// region of ratio 1.25, which was warped to fill the page.
		{"cut by a shadow 1:1.25", []point{{250, 100}, {650, 100}, {650, 600}, {250, 600}}, false},
		{"strip 1:2.4", []point{{300, 60}, {600, 60}, {600, 780}, {300, 780}}, false},
		{"square", []point{{150, 150}, {750, 150}, {750, 750}, {150, 750}}, false},
		{"sheared 130°", []point{{150, 120}, {500, 120}, {800, 760}, {150, 760}}, false},
	}
	for _, c := range cases {
		p := &enhancer{log: discard(), scale: 1}
		p.convert(frame(c.poly), true)
		got, err := p.sheet()
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("%s: warped %v, want %v", c.name, got, c.want)
		}
	}
}

func TestUnsharpSharpensEdgesOnly(t *testing.T) {
	g := image.NewGray(image.Rect(0, 0, 40, 30))
	for y := 0; y < 30; y++ {
		for x := 0; x < 40; x++ {
			// A soft edge from 200 to 60 around x = 20.
			g.Pix[y*g.Stride+x] = uint8(200 - 140*min(1, max(0, float64(x-17)/6)))
		}
	}
	before := slices.Clone(g.Pix)
	unsharp(g, 3, 0.6)
	row := 15 * g.Stride
	if g.Pix[row+2] != before[row+2] || g.Pix[row+37] != before[row+37] {
		t.Errorf("flat areas changed: %d→%d, %d→%d", before[row+2], g.Pix[row+2], before[row+37], g.Pix[row+37])
	}
	if !(g.Pix[row+17] > before[row+17] && g.Pix[row+23] < before[row+23]) {
		t.Errorf("edge not steepened: light side %d→%d, dark side %d→%d", before[row+17], g.Pix[row+17], before[row+23], g.Pix[row+23])
	}
	for _, sz := range []int{1, 2, 5} { // tiny images must not index out of range
		unsharp(image.NewGray(image.Rect(0, 0, sz, sz)), 4, 1)
	}
}

// deferringOrienter answers like an unsure OSD that leaves the upright
// answer to the caller.
type deferringOrienter struct {
	fakeOrienter
	unverified bool
	deferred   int
}

func (d *deferringOrienter) OrientationDeferred(ctx context.Context, img image.Image) (int, float64, bool, error) {
	d.deferred++
	return d.deg, d.conf, d.unverified, d.err
}

// DeferUpright asks a DeferringOrienter and reports a page it left
// unverified; Turn turns the page without asking anyone.
func TestOrientDeferredAndTurn(t *testing.T) {
	g := textPage(t, 600, 800, 16, 6)
	off := map[string]bool{StepRescale: true, StepBinarize: true}
	for _, c := range []struct {
		name       string
		opt        Options
		o          *deferringOrienter
		rotated    int
		unverified bool
		asked      [2]int // Orientation calls, OrientationDeferred calls
	}{
		{"unsure upright left to the caller", Options{DeferUpright: true}, &deferringOrienter{unverified: true, fakeOrienter: fakeOrienter{conf: 0.3}}, 0, true, [2]int{0, 1}},
		{"a sure turn", Options{DeferUpright: true}, &deferringOrienter{fakeOrienter: fakeOrienter{deg: 90, conf: 0.8}}, 90, false, [2]int{0, 1}},
		{"not deferring", Options{}, &deferringOrienter{unverified: true, fakeOrienter: fakeOrienter{conf: 0.3}}, 0, false, [2]int{1, 0}},
		{"a known turn", Options{DeferUpright: true, Turn: 270}, &deferringOrienter{unverified: true}, 270, false, [2]int{0, 0}},
		{"a failing orienter verifies nothing", Options{DeferUpright: true}, &deferringOrienter{unverified: true, fakeOrienter: fakeOrienter{err: errors.New("osd: too few characters")}}, 0, false, [2]int{0, 1}},
	} {
		t.Run(c.name, func(t *testing.T) {
			opt := c.opt
			opt.Orienter, opt.Disabled = c.o, off
			out, err := Enhance(context.Background(), g, opt)
			if err != nil {
				t.Fatal(err)
			}
			if out.Rotated != c.rotated || out.Unverified != c.unverified || [2]int{c.o.calls, c.o.deferred} != c.asked {
				t.Errorf("rotated %d, unverified %v, asked %d/%d; want %d, %v, %v", out.Rotated, out.Unverified, c.o.calls, c.o.deferred, c.rotated, c.unverified, c.asked)
			}
		})
	}
}
