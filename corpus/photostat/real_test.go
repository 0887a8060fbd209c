package photostat

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/pervichka/pervichka/corpus/degrade"
	"github.com/pervichka/pervichka/corpus/render"
	"github.com/pervichka/pervichka/corpus/sheet"
)

// realDev is where the project keeps real documents it may measure on but
// never commit.
const realDev = "../../../shared/real-dev/files"

// window is a range a measure must fall in.
type window struct{ lo, hi float64 }

func (w window) has(v float64) bool { return v >= w.lo && v <= w.hi }

// phoneWindows hold both the six real phone photos of ../shared/real-dev
// (measured December 2026: text 8–10 px, sharpness 0.45–0.58, noise
// 0.6–1.2, paper 180–217, ink 5–37, background 0–0.15) and what
// degrade.RealPhoto makes; background reaches 0.45 because the issue's
// Telegram УПД photos show a quarter of the frame as table, more than
// real-dev's bills do. A change to the generator that leaves these
// windows means it no longer looks like the world.
var phoneWindows = map[string]window{
	"text px":    {6, 20},
	"sharpness":  {0.3, 0.9},
	"noise":      {0.3, 1.6},
	"paper":      {170, 230},
	"ink":        {0, 60},
	"background": {0, 0.45},
}

func measures(s Stats) map[string]float64 {
	return map[string]float64{"text px": s.TextPx, "sharpness": s.Sharpness, "noise": s.Noise,
		"paper": s.Paper, "ink": s.Ink, "background": s.Background}
}

func row(name string, s Stats) string {
	return fmt.Sprintf("%-34s %4d×%-4d q%-3d bg %.2f text %4.1f px sharp %.2f noise %.1f paper %3.0f ink %3.0f",
		name, s.W, s.H, s.Quality, s.Background, s.TextPx, s.Sharpness, s.Noise, s.Paper, s.Ink)
}

func checkWindows(t *testing.T, name string, s Stats) {
	t.Helper()
	t.Log(row(name, s))
	for k, v := range measures(s) {
		if w := phoneWindows[k]; !w.has(v) {
			t.Errorf("%s: %s %.2f outside %.2f..%.2f", name, k, v, w.lo, w.hi)
		}
	}
}

// TestRealPhotosInWindows: the windows are true of the real photos.
func TestRealPhotosInWindows(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(realDev, "*.jpg"))
	if len(files) == 0 {
		t.Skipf("no real photos in %s: the windows are not checked against real photos here", realDev)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s, err := Measure(b)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		checkWindows(t, filepath.Base(f), s)
	}
}

// billPage is a 300-dpi page with a bill's density of 9-pt text.
func billPage() image.Image {
	f := sheet.Font{Family: sheet.LiberationSans, Size: 9}
	var ops []sheet.Op
	for i := range 40 {
		ops = append(ops, sheet.Text{X: 15, Y: 20 + float64(i)*6, Font: f,
			S: fmt.Sprintf("%d. Счет на оплату № %d от 15 сентября 2025 г. ИНН 6659197470 КПП 667801001", i+1, 300+i)})
	}
	ops = append(ops, sheet.Stamp{CX: 60, CY: 270, R: 19, Ring: "ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ", Center: []string{"ОГРН 1027700132195"}})
	return render.Image(sheet.Sheet{W: sheet.A4Short, H: sheet.A4Long, Ops: ops}, 300)
}

// TestRealPhotoCalibrated: degrade.RealPhoto's photos fall in the windows
// of real ones, at the promised sizes and qualities; ScanApp's are
// whitened, hard and over-sharpened.
func TestRealPhotoCalibrated(t *testing.T) {
	page := billPage()
	for seed := range uint64(2) {
		b, _, err := degrade.RealPhoto(rand.New(rand.NewPCG(seed, 9)), page)
		if err != nil {
			t.Fatal(err)
		}
		s, err := Measure(b)
		if err != nil {
			t.Fatal(err)
		}
		checkWindows(t, fmt.Sprintf("photo_real seed %d", seed), s)
		if l := max(s.W, s.H); l != 1280 && l != 1600 {
			t.Errorf("photo_real seed %d: long side %d, want Telegram 1280 or WhatsApp 1600", seed, l)
		}
		if s.Quality < 70 || s.Quality > 87 {
			t.Errorf("photo_real seed %d: quality %d outside 70..87", seed, s.Quality)
		}
		b, _, err = degrade.ScanApp(rand.New(rand.NewPCG(seed, 9)), page)
		if err != nil {
			t.Fatal(err)
		}
		s, err = Measure(b)
		if err != nil {
			t.Fatal(err)
		}
		t.Log(row(fmt.Sprintf("scanapp seed %d", seed), s))
		if s.Paper < 245 || s.Ink > 20 || s.Sharpness < 0.7 || s.Background > 0.1 {
			t.Errorf("scanapp seed %d: paper %.0f ink %.0f sharpness %.2f background %.2f: want white, black, over-sharpened, filling the frame",
				seed, s.Paper, s.Ink, s.Sharpness, s.Background)
		}
	}
}

func TestQuality(t *testing.T) {
	t.Parallel()
	img := image.NewGray(image.Rect(0, 0, 64, 64))
	for _, q := range []int{30, 55, 73, 87, 95} {
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: q}); err != nil {
			t.Fatal(err)
		}
		if got := Quality(buf.Bytes()); got != q {
			t.Errorf("Quality of a q%d file = %d", q, got)
		}
	}
	if got := Quality([]byte("\xff\xd8\xff\xdb\x00")); got != 0 {
		t.Errorf("truncated file: %d, want 0", got)
	}
}

// A white sheet over half of a brown frame is half background; text on
// it is as tall as drawn.
func TestMeasureSynthetic(t *testing.T) {
	t.Parallel()
	img := image.NewRGBA(image.Rect(0, 0, 400, 400))
	for y := range 400 {
		for x := range 400 {
			c := color.RGBA{140, 95, 60, 255}
			if x >= 100 && x < 300 && y < 400 {
				c = color.RGBA{235, 235, 230, 255}
				if y%30 >= 10 && y%30 < 22 && x%12 < 7 && x > 110 && x < 290 {
					c = color.RGBA{20, 20, 20, 255}
				}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	s, err := Measure(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if s.Background < 0.45 || s.Background > 0.55 || s.TextPx < 11 || s.TextPx > 14 || s.Quality != 90 {
		t.Errorf("%s: want background 0.5, text 12 px, quality 90", row("synthetic", s))
	}
	if _, err := Measure([]byte("not a jpeg")); err == nil {
		t.Error("garbage measured")
	}
}
