package degrade

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"testing"
)

func seeded(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0xc0ffee)) }

// side names where the red marker bar ended up.
type side int

const (
	top side = iota
	right
	bottom
	left
	nowhere
)

func (s side) String() string { return [...]string{"top", "right", "bottom", "left", "nowhere"}[s] }

// markerSide finds the red bar and tells which edge of img it is nearest.
func markerSide(img image.Image) side {
	b := img.Bounds()
	var sx, sy, n float64
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bb, _ := img.At(x, y).RGBA()
			r, g, bb = r>>8, g>>8, bb>>8
			if int(r)-int(g) > 60 && int(r)-int(bb) > 60 {
				sx += float64(x - b.Min.X)
				sy += float64(y - b.Min.Y)
				n++
			}
		}
	}
	if n < 50 {
		return nowhere
	}
	fx, fy := sx/n/float64(b.Dx())-0.5, sy/n/float64(b.Dy())-0.5
	if math.Abs(fy) > math.Abs(fx) {
		if fy < 0 {
			return top
		}
		return bottom
	}
	if fx > 0 {
		return right
	}
	return left
}

// jpegQuality recovers the quality Go's encoder was given from the
// luminance quantisation table, by encoding a tiny image at every quality
// and comparing tables.
func jpegQuality(t *testing.T, b []byte) int {
	t.Helper()
	got := lumaTable(b)
	if got == nil {
		t.Fatal("no DQT segment in JPEG")
	}
	qualityTablesOnce.Do(func() {
		for q := 1; q <= 100; q++ {
			var buf bytes.Buffer
			if err := jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, 8, 8)), &jpeg.Options{Quality: q}); err != nil {
				panic(err)
			}
			qualityTables[q] = string(lumaTable(buf.Bytes()))
		}
	})
	for q := 1; q <= 100; q++ {
		if qualityTables[q] == string(got) {
			return q
		}
	}
	t.Fatalf("quantisation table matches no Go quality")
	return 0
}

var (
	qualityTablesOnce sync.Once
	qualityTables     [101]string
)

func lumaTable(b []byte) []byte {
	for i := 2; i+4 < len(b); {
		if b[i] != 0xff {
			return nil
		}
		marker := b[i+1]
		n := int(b[i+2])<<8 | int(b[i+3])
		if marker == 0xdb && i+4+65 <= len(b) {
			return b[i+5 : i+5+64] // first table: Pq/Tq byte, then 64 values
		}
		if marker == 0xda {
			return nil
		}
		i += 2 + n
	}
	return nil
}

func decode(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	return img
}

func longSide(img image.Image) int { return max(img.Bounds().Dx(), img.Bounds().Dy()) }

func TestPhotoPromises(t *testing.T) {
	_, portrait, landscape := pages()
	for seed := range uint64(4) {
		b, _, err := Photo(seeded(seed), portrait)
		if err != nil {
			t.Fatal(err)
		}
		img := decode(t, b)
		if l := longSide(img); l < 1280 || l > 1600 {
			t.Errorf("seed %d: long side %d outside 1280..1600", seed, l)
		}
		if q := jpegQuality(t, b); q < 65 || q > 80 {
			t.Errorf("seed %d: quality %d outside 65..80", seed, q)
		}
		if !bytes.HasPrefix(b, []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00")) {
			t.Errorf("seed %d: no JFIF header: % x", seed, b[:min(len(b), 12)])
		}
		if img.Bounds().Dx() > img.Bounds().Dy() {
			t.Errorf("seed %d: portrait sheet photographed landscape %v", seed, img.Bounds())
		}
		if s := markerSide(img); s != top {
			t.Errorf("seed %d: top of the sheet is at the %s", seed, s)
		}
	}
	// Landscape sheets: upright in a landscape frame, or turned a quarter
	// in a portrait one; both happen.
	const shots = 6
	turned := 0
	for seed := range uint64(shots) {
		b, _, err := Photo(seeded(seed), landscape)
		if err != nil {
			t.Fatal(err)
		}
		img := decode(t, b)
		if l := longSide(img); l < 1280 || l > 1600 {
			t.Errorf("landscape seed %d: long side %d outside 1280..1600", seed, l)
		}
		switch s := markerSide(img); {
		case s == left || s == right:
			turned++
		case s != top:
			t.Errorf("landscape seed %d: top of the sheet is at the %s", seed, s)
		}
	}
	if turned == 0 || turned == shots {
		t.Errorf("landscape sheets turned in %d of %d photos, want some but not all", turned, shots)
	}
}

func TestHardPhotoPromises(t *testing.T) {
	_, portrait, _ := pages()
	seen := map[side]bool{}
	for seed := range uint64(4) {
		b, _, err := HardPhoto(seeded(seed), portrait)
		if err != nil {
			t.Fatal(err)
		}
		img := decode(t, b)
		if l := longSide(img); l < 1024 || l > 1280 {
			t.Errorf("seed %d: long side %d outside 1024..1280", seed, l)
		}
		if q := jpegQuality(t, b); q < 45 || q > 60 {
			t.Errorf("seed %d: quality %d outside 45..60", seed, q)
		}
		s := markerSide(img)
		if s == top || s == nowhere {
			t.Errorf("seed %d: top of the sheet is at the %s, want it turned", seed, s)
		}
		// A quarter turn makes the frame landscape.
		if w, h := img.Bounds().Dx(), img.Bounds().Dy(); (s == left || s == right) != (w > h) {
			t.Errorf("seed %d: marker at the %s in a %dx%d frame", seed, s, w, h)
		}
		seen[s] = true
	}
	if len(seen) < 2 {
		t.Errorf("only turned one way in 4 photos: %v", seen)
	}
}

func TestDeterministic(t *testing.T) {
	_, portrait, _ := pages()
	for name, f := range map[string]func(*rand.Rand, image.Image) ([]byte, int, error){"Photo": Photo, "HardPhoto": HardPhoto} {
		a, _, err := f(seeded(5), portrait)
		if err != nil {
			t.Fatal(err)
		}
		if b, _, _ := f(seeded(5), portrait); !bytes.Equal(a, b) {
			t.Errorf("%s: same seed, different bytes", name)
		}
		if name == "Photo" {
			if c, _, _ := f(seeded(6), portrait); bytes.Equal(a, c) {
				t.Errorf("%s: different seeds, same bytes", name)
			}
		}
	}
	s1 := Scan(seeded(1), portrait).(*image.Gray)
	s2 := Scan(seeded(1), portrait).(*image.Gray)
	if !bytes.Equal(s1.Pix, s2.Pix) {
		t.Error("Scan: same seed, different pixels")
	}
}

func TestScanLooksScanned(t *testing.T) {
	page, _, _ := pages()
	for seed := range uint64(4) {
		img := Scan(seeded(seed), page)
		g, ok := img.(*image.Gray)
		if !ok {
			t.Fatalf("Scan returned %T, want *image.Gray", img)
		}
		if g.Rect != page.Bounds() {
			t.Fatalf("bounds %v, want %v", g.Rect, page.Bounds())
		}
		// Paper stays light but is no longer pure white, and it is noisy.
		mean, sd := stats(g, image.Rect(1200, 3000, 1400, 3100)) // blank paper
		if mean < 200 || mean > 254 || sd < 1 {
			t.Errorf("seed %d: paper mean %.1f sd %.2f", seed, mean, sd)
		}
		// The marker bar is still there (as mid grey) near the top.
		if bar, _ := stats(g, image.Rect(600, 150, 1800, 220)); bar > 140 {
			t.Errorf("seed %d: bar mean %.1f, want dark", seed, bar)
		}
		// One edge carries the dark scanner strip.
		w, h := g.Rect.Dx(), g.Rect.Dy()
		darkest := 255.0
		for _, r := range []image.Rectangle{image.Rect(0, 0, 4, h), image.Rect(w-4, 0, w, h), image.Rect(0, 0, w, 4), image.Rect(0, h-4, w, h)} {
			m, _ := stats(g, r)
			darkest = math.Min(darkest, m)
		}
		if darkest > 110 {
			t.Errorf("seed %d: no dark edge strip (darkest edge mean %.1f)", seed, darkest)
		}
	}
}

func stats(g *image.Gray, r image.Rectangle) (mean, sd float64) {
	var s, s2, n float64
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			v := float64(g.GrayAt(x, y).Y)
			s += v
			s2 += v * v
			n++
		}
	}
	mean = s / n
	return mean, math.Sqrt(math.Max(s2/n-mean*mean, 0))
}

func TestPhotoRefusesBadPages(t *testing.T) {
	for _, p := range []image.Image{nil, image.NewRGBA(image.Rect(0, 0, 3, 3))} {
		if _, _, err := Photo(seeded(1), p); err == nil {
			t.Errorf("Photo accepted %v", p)
		}
		if _, _, err := HardPhoto(seeded(1), p); err == nil {
			t.Errorf("HardPhoto accepted %v", p)
		}
	}
	// Unusual image types and offsets work.
	g := image.NewGray(image.Rect(10, 10, 310, 410))
	for i := range g.Pix {
		g.Pix[i] = 255
	}
	if _, _, err := Photo(seeded(1), g); err != nil {
		t.Errorf("gray page: %v", err)
	}
	if s := Scan(seeded(1), image.NewRGBA(image.Rect(0, 0, 1, 1))); s.Bounds().Dx() != 1 {
		t.Errorf("1x1 scan bounds %v", s.Bounds())
	}
}

func pdfinfo(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdfinfo"); err != nil {
		t.Skip("pdfinfo not installed (poppler-utils)")
	}
	p := filepath.Join(t.TempDir(), "x.pdf")
	if err := os.WriteFile(p, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdfinfo", "-f", "1", "-l", "99", p).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo: %v\n%s", err, out)
	}
	if txt, err := exec.Command("pdftotext", p, "-").Output(); err == nil && len(bytes.TrimSpace(txt)) > 0 {
		t.Errorf("image PDF has a text layer: %q", txt)
	}
	return string(out)
}

func pageSizes(info string) [][2]float64 {
	var out [][2]float64
	for _, m := range regexp.MustCompile(`Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts`).FindAllStringSubmatch(info, -1) {
		w, _ := strconv.ParseFloat(m[1], 64)
		h, _ := strconv.ParseFloat(m[2], 64)
		out = append(out, [2]float64{w, h})
	}
	return out
}

func TestImagesPDF(t *testing.T) {
	page, _, land := pages()
	scan := Scan(seeded(3), page)
	var b bytes.Buffer
	if err := ImagesPDF(&b, []image.Image{scan, land}, 300, 75); err != nil {
		t.Fatal(err)
	}
	sizes := pageSizes(pdfinfo(t, b.Bytes()))
	want := [][2]float64{{2480.0 / 300 * 72, 3508.0 / 300 * 72}, {float64(land.Bounds().Dx()) / 300 * 72, float64(land.Bounds().Dy()) / 300 * 72}}
	if len(sizes) != 2 {
		t.Fatalf("pages %v, want 2", sizes)
	}
	for i := range want {
		if math.Abs(sizes[i][0]-want[i][0]) > 0.5 || math.Abs(sizes[i][1]-want[i][1]) > 0.5 {
			t.Errorf("page %d is %v pt, want %v", i+1, sizes[i], want[i])
		}
	}
	if err := ImagesPDF(&b, []image.Image{scan}, 300, 0); err == nil {
		t.Error("quality 0 accepted")
	}
}

func TestJPEGsPDFEmbedsAsIs(t *testing.T) {
	_, portrait, _ := pages()
	var jpegs [][]byte
	for seed := range uint64(2) {
		j, _, err := Photo(seeded(seed), portrait)
		if err != nil {
			t.Fatal(err)
		}
		jpegs = append(jpegs, j)
	}
	var b bytes.Buffer
	if err := JPEGsPDF(&b, jpegs, 150); err != nil {
		t.Fatal(err)
	}
	for i, j := range jpegs {
		if !bytes.Contains(b.Bytes(), j) {
			t.Errorf("page %d: JPEG bytes were re-encoded", i+1)
		}
	}
	sizes := pageSizes(pdfinfo(t, b.Bytes()))
	for i, j := range jpegs {
		cfg, _ := jpeg.DecodeConfig(bytes.NewReader(j))
		w, h := float64(cfg.Width)/150*72, float64(cfg.Height)/150*72
		if i >= len(sizes) || math.Abs(sizes[i][0]-w) > 0.5 || math.Abs(sizes[i][1]-h) > 0.5 {
			t.Errorf("page %d: sizes %v, want %.1fx%.1f", i+1, sizes, w, h)
		}
	}
	for name, bad := range map[string][][]byte{"none": nil, "garbage": {[]byte("not a jpeg")}} {
		if err := JPEGsPDF(&b, bad, 150); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if err := JPEGsPDF(&b, jpegs, 0); err == nil {
		t.Error("dpi 0 accepted")
	}
}

func FuzzJPEGsPDF(f *testing.F) {
	var small bytes.Buffer
	_ = jpeg.Encode(&small, image.NewUniform(color.Gray{200}), nil)
	img := image.NewGray(image.Rect(0, 0, 16, 8))
	small.Reset()
	_ = jpeg.Encode(&small, img, nil)
	f.Add(small.Bytes())
	f.Add([]byte{0xff, 0xd8, 0xff, 0xdb})
	f.Fuzz(func(t *testing.T, b []byte) {
		var out bytes.Buffer
		_ = JPEGsPDF(&out, [][]byte{b}, 300) // must not panic
	})
}
