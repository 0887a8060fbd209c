package tesseract

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/image/bmp"

	pervichka "github.com/pervichka/pervichka"
)

// newPool makes a pool for a test and closes it at the end.
func newPool(t testing.TB, opt Options) *Pool {
	t.Helper()
	p, err := NewPool(context.Background(), opt)
	if err != nil {
		t.Fatalf("NewPool: %v", err)
	}
	t.Cleanup(func() { _ = p.Close() })
	return p
}

func wantCode(t *testing.T, err error, code pervichka.ErrorCode) {
	t.Helper()
	var e *pervichka.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T), want *pervichka.Error with code %s", err, err, code)
	}
	if e.Code != code {
		t.Fatalf("error code %s (%v), want %s", e.Code, err, code)
	}
}

// wordsText joins words, a new line for each Tesseract line.
func wordsText(ws []pervichka.Word) string {
	var sb strings.Builder
	prev := [3]int{-1, -1, -1}
	for _, w := range ws {
		k := [3]int{w.Block, w.Par, w.Line}
		switch {
		case sb.Len() == 0:
		case k != prev:
			sb.WriteByte('\n')
		default:
			sb.WriteByte(' ')
		}
		prev = k
		sb.WriteString(w.Text)
	}
	return sb.String()
}

func TestWordsSmallInvoice(t *testing.T) {
	p := newPool(t, Options{Size: 1})
	img := smallInvoice(t)
	// Each text line of smallInvoice has its baseline at y and capitals
	// about 35 px tall (12 pt at 300 dpi).
	lines := []struct {
		baseline int
		text     string
	}{
		{90, "Счёт на оплату № 142 от 20 марта 2024 г."},
		{200, "ИНН 7707083893 КПП 773601001"},
		{310, "Итого: 214 500,00"},
	}
	// Also through a sub-image whose origin is not (0,0): boxes must come
	// back in the image's own coordinates.
	off := image.Pt(30, 20)
	big := image.NewGray(image.Rect(0, 0, img.Rect.Dx()+off.X, img.Rect.Dy()+off.Y))
	for y := 0; y < img.Rect.Dy(); y++ {
		copy(big.Pix[big.PixOffset(off.X, y+off.Y):], img.Pix[img.PixOffset(0, y):img.PixOffset(0, y)+img.Rect.Dx()])
	}
	sub := big.SubImage(image.Rectangle{Min: off, Max: big.Rect.Max})
	for _, tc := range []struct {
		name   string
		img    image.Image
		origin image.Point
	}{
		{"gray", img, image.Point{}},
		{"subimage", sub, off},
		{"rgba", toRGBA(img), image.Point{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ws, err := p.Words(context.Background(), tc.img, 300)
			if err != nil {
				t.Fatal(err)
			}
			got := strings.Split(wordsText(ws), "\n")
			if len(got) != len(lines) {
				t.Fatalf("got %d lines %q, want %d", len(got), got, len(lines))
			}
			i := 0
			for li, l := range lines {
				if got[li] != l.text {
					t.Errorf("line %d = %q, want %q", li, got[li], l.text)
				}
				prevX := -1
				for range strings.Fields(got[li]) {
					w := ws[i]
					i++
					b := w.Box
					y := l.baseline + tc.origin.Y
					// The box spans the baseline region: top above the
					// baseline by at most a line, bottom near it.
					if b.Y0 < y-60 || b.Y0 > y-15 || b.Y1 < y-5 || b.Y1 > y+20 {
						t.Errorf("word %q box %+v does not sit on baseline y=%d", w.Text, b, y)
					}
					if b.X0 < 60+tc.origin.X-10 || b.X0 <= prevX || b.Dx() <= 0 || b.Dx() > 45*len([]rune(w.Text))+10 {
						t.Errorf("word %q box %+v out of place (previous x1 %d)", w.Text, b, prevX)
					}
					prevX = b.X1
					if w.Conf < 0.8 || w.Conf > 1 {
						t.Errorf("word %q conf %.2f, want 0.8..1 on clean text", w.Text, w.Conf)
					}
					if w.Block < 1 || w.Par < 1 || w.Line < 1 {
						t.Errorf("word %q numbering %d/%d/%d, want from 1", w.Text, w.Block, w.Par, w.Line)
					}
				}
			}
		})
	}
}

func toRGBA(g *image.Gray) *image.RGBA {
	m := image.NewRGBA(g.Rect)
	for i, v := range g.Pix {
		m.Pix[4*i], m.Pix[4*i+1], m.Pix[4*i+2], m.Pix[4*i+3] = v, v, v, 255
	}
	return m
}

func TestWordsInput(t *testing.T) {
	p := newPool(t, Options{Size: 1})
	ctx := context.Background()
	tests := []struct {
		name string
		img  image.Image
		dpi  int
		code pervichka.ErrorCode // "" for success
	}{
		{"nil", nil, 300, pervichka.CodeInternal},
		{"empty", image.NewGray(image.Rect(0, 0, 0, 10)), 300, pervichka.CodeEmpty},
		{"zero dpi", image.NewGray(image.Rect(0, 0, 10, 10)), 0, pervichka.CodeInternal},
		{"too wide", image.NewGray(image.Rect(0, 0, 40000, 1)), 300, pervichka.CodeTooManyPixels},
		{"1x1 black", image.NewGray(image.Rect(0, 0, 1, 1)), 300, ""},
		{"thin column", image.NewGray(image.Rect(0, 0, 1, 3000)), 300, ""},
		{"thin row", image.NewGray(image.Rect(0, 0, 3000, 2)), 300, ""},
		{"blank page", whiteGray(600, 800), 300, ""},
		{"absurd dpi is clamped", whiteGray(60, 60), 100000, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ws, err := p.Words(ctx, tc.img, tc.dpi)
			if tc.code != "" {
				wantCode(t, err, tc.code)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(ws) != 0 {
				t.Errorf("got words %q from an image without text", wordsText(ws))
			}
		})
	}
}

func whiteGray(w, h int) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	for i := range g.Pix {
		g.Pix[i] = 255
	}
	return g
}

// FuzzWords feeds arbitrary pixels to Tesseract: whatever the image, Words
// must return (words or a typed error), never crash the process.
func FuzzWords(f *testing.F) {
	f.Add(uint8(1), uint8(1), []byte{0})
	f.Add(uint8(40), uint8(3), []byte{0, 255, 0, 255, 7})
	f.Add(uint8(200), uint8(100), []byte("Счёт 142"))
	p := newPool(f, Options{Size: 1})
	f.Fuzz(func(t *testing.T, w, h uint8, seed []byte) {
		g := image.NewGray(image.Rect(0, 0, int(w), int(h)))
		for i := range g.Pix {
			if len(seed) > 0 {
				g.Pix[i] = seed[i%len(seed)]
			}
		}
		ws, err := p.Words(context.Background(), g, 300)
		if err != nil {
			var e *pervichka.Error
			if !errors.As(err, &e) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		for _, wd := range ws {
			if wd.Box.X0 < 0 || wd.Box.Y0 < 0 || wd.Box.X1 > int(w) || wd.Box.Y1 > int(h) {
				t.Fatalf("word %q box %+v outside %dx%d", wd.Text, wd.Box, w, h)
			}
		}
	})
}

func TestToGray(t *testing.T) {
	r := image.Rect(3, 5, 11, 9)
	var want []byte
	colours := func(x, y int) color.NRGBA {
		return color.NRGBA{uint8(x * 20), uint8(y * 30), uint8(x * y), uint8(255 - (x+y)%3*100)}
	}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			want = append(want, color.GrayModel.Convert(overWhite(colours(x, y))).(color.Gray).Y)
		}
	}
	nrgba := image.NewNRGBA(r)
	rgba := image.NewRGBA(r)
	gray := image.NewGray(r)
	pal := image.NewPaletted(r, nil)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c := colours(x, y)
			nrgba.SetNRGBA(x, y, c)
			rgba.Set(x, y, overWhite(c))
			gray.Set(x, y, color.GrayModel.Convert(overWhite(c)))
			pal.Palette = append(pal.Palette, c)
			pal.SetColorIndex(x, y, uint8(len(pal.Palette)-1))
		}
	}
	for _, tc := range []struct {
		name string
		img  image.Image
		tol  int
	}{
		{"gray", gray, 0},
		{"rgba", rgba, 1},   // 16-bit colour rounded to 8 bits first
		{"nrgba", nrgba, 1}, // integer compositing rounds differently
		{"paletted", pal, 0},
		{"generic", image.NewUniform(color.White), -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.tol < 0 {
				return
			}
			got, w, h := toGray(tc.img)
			if w != r.Dx() || h != r.Dy() || len(got) != len(want) {
				t.Fatalf("got %dx%d (%d bytes), want %dx%d", w, h, len(got), r.Dx(), r.Dy())
			}
			for i := range got {
				if d := int(got[i]) - int(want[i]); d > tc.tol || d < -tc.tol {
					t.Fatalf("pixel %d = %d, want %d", i, got[i], want[i])
				}
			}
		})
	}
}

func TestReadLine(t *testing.T) {
	p := newPool(t, Options{Size: 1})
	ctx := context.Background()
	img := smallInvoice(t)
	ws, err := p.Words(ctx, img, 300)
	if err != nil {
		t.Fatal(err)
	}
	boxOf := func(text string) pervichka.Rect {
		for _, w := range ws {
			if w.Text == text {
				return w.Box
			}
		}
		t.Fatalf("word %q not read in %q", text, wordsText(ws))
		return pervichka.Rect{}
	}
	inn, kpp := boxOf("7707083893"), boxOf("КПП")
	// Scaled down to photo size: the crop is upscaled for reading.
	small, smallDPI := scaleGray(img, 0.4), 120
	scaled := func(r pervichka.Rect) pervichka.Rect {
		return pervichka.Rect{X0: r.X0 * 4 / 10, Y0: r.Y0 * 4 / 10, X1: (r.X1*4 + 9) / 10, Y1: (r.Y1*4 + 9) / 10}
	}
	tests := []struct {
		name      string
		img       image.Image
		box       pervichka.Rect
		whitelist string
		dpi       int
		want      string
	}{
		{"digits", img, inn, "0123456789", 300, "7707083893"},
		{"label and number with digit whitelist", img, inn.Union(kpp), "0123456789", 300, "7707083893"},
		{"no whitelist", img, inn.Union(kpp), "", 300, "7707083893 КПП"},
		{"small text upscaled", small, scaled(inn), "0123456789", smallDPI, "7707083893"},
		{"box outside image", img, pervichka.Rect{X0: 5000, Y0: 5000, X1: 5100, Y1: 5100}, "", 300, ""},
		{"blank box", img, pervichka.Rect{X0: 1300, Y0: 0, X1: 1400, Y1: 40}, "0123456789", 300, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, conf, err := p.ReadLine(ctx, tc.img, tc.box, tc.whitelist, tc.dpi)
			if err != nil {
				t.Fatal(err)
			}
			if tc.whitelist == "0123456789" && strings.Trim(got, "0123456789 ") != "" {
				t.Errorf("ReadLine = %q has characters outside the whitelist", got)
			}
			if tc.want == "7707083893 КПП" { // the KPP label may be cut by the box edge
				if !strings.HasPrefix(got, "7707083893 К") {
					t.Errorf("ReadLine = %q, want %q", got, tc.want)
				}
			} else if got != tc.want {
				t.Errorf("ReadLine = %q (conf %.2f), want %q", got, conf, tc.want)
			}
			// Confidence may be low where the whitelist forced letters
			// out (Tesseract gave 0 for the label case), but never
			// positive for nothing.
			if (got == "" && conf != 0) || conf < 0 || conf > 1 {
				t.Errorf("conf %.2f for %q", conf, got)
			}
			if tc.name == "digits" && conf < 0.8 {
				t.Errorf("conf %.2f for clean digits %q", conf, got)
			}
		})
	}
	// The whitelist and single-line mode must not stay on the client.
	ws2, err := p.Words(ctx, img, 300)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := wordsText(ws), wordsText(ws2); a != b {
		t.Errorf("Words after ReadLine = %q, before %q", b, a)
	}
}

func scaleGray(src *image.Gray, k float64) *image.Gray {
	dst := image.NewGray(image.Rect(0, 0, int(float64(src.Rect.Dx())*k), int(float64(src.Rect.Dy())*k)))
	scaleInto(dst, src)
	return dst
}

func TestCancel(t *testing.T) {
	p := newPool(t, Options{Size: 1})
	img := smallInvoice(t)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := p.Words(ctx, img, 300)
	wantCode(t, err, pervichka.CodeCanceled)
	_, _, err = p.ReadLine(ctx, img, pervichka.Rect{X1: 100, Y1: 100}, "", 300)
	wantCode(t, err, pervichka.CodeCanceled)
	_, _, err = p.Orientation(ctx, img)
	wantCode(t, err, pervichka.CodeCanceled)

	// With the only client busy, a waiting call returns when its context
	// ends, not when the client is free.
	page := invoicePage(t, 150)
	busy := make(chan error, 1)
	go func() {
		_, err := p.Words(context.Background(), page, 150)
		busy <- err
	}()
	for len(p.slots) != 0 { // wait until the goroutine holds the client
		time.Sleep(time.Millisecond)
	}
	ctx, cancel = context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = p.Words(ctx, img, 300)
	wantCode(t, err, pervichka.CodeCanceled)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %v does not wrap the context's error", err)
	}
	if d := time.Since(start); d > 200*time.Millisecond {
		t.Errorf("cancelled wait took %v", d)
	}
	if err := <-busy; err != nil {
		t.Fatal(err)
	}
}

func TestConcurrent(t *testing.T) {
	p := newPool(t, Options{Size: 2, RecycleAfter: 3})
	img := smallInvoice(t)
	want := "Счёт на оплату № 142 от 20 марта 2024 г.\nИНН 7707083893 КПП 773601001\nИтого: 214 500,00"
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 4 {
		wg.Go(func() {
			for range 2 {
				if g%2 == 0 {
					ws, err := p.Words(context.Background(), img, 300)
					if err != nil {
						errs <- err
						return
					}
					if got := wordsText(ws); got != want {
						t.Errorf("goroutine %d read %q", g, got)
					}
				} else {
					got, _, err := p.ReadLine(context.Background(), img, pervichka.Rect{X0: 180, Y0: 150, X1: 520, Y1: 215}, "0123456789", 300)
					if err != nil {
						errs <- err
						return
					}
					if got != "7707083893" {
						t.Errorf("goroutine %d ReadLine %q", g, got)
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestRecycle(t *testing.T) {
	var log logCounter
	p := newPool(t, Options{Size: 1, RecycleAfter: 2, Logger: log.logger()})
	img := smallInvoice(t)
	var first string
	for i := range 4 {
		ws, err := p.Words(context.Background(), img, 300)
		if err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
		if i == 0 {
			first = wordsText(ws)
		} else if got := wordsText(ws); got != first {
			t.Errorf("call %d read %q, first %q", i, got, first)
		}
	}
	if n := log.count("tesseract client recycled"); n != 2 {
		t.Errorf("recycled %d times in 4 calls with RecycleAfter 2, want 2", n)
	}
}

func TestNewPoolErrors(t *testing.T) {
	_, err := NewPool(context.Background(), Options{Size: 1, Languages: "rus+xyz"})
	wantCode(t, err, pervichka.CodeOCR)
	if !strings.Contains(err.Error(), `"xyz"`) {
		t.Errorf("error %q does not name the missing language", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = NewPool(ctx, Options{Size: 1})
	wantCode(t, err, pervichka.CodeCanceled)
}

func TestClose(t *testing.T) {
	p, err := NewPool(context.Background(), Options{Size: 2})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	_, err = p.Words(context.Background(), whiteGray(10, 10), 300)
	wantCode(t, err, pervichka.CodeCanceled)
}

func TestOrientation(t *testing.T) {
	p := newPool(t, Options{Size: 1})
	ctx := context.Background()
	upright := invoicePage(t, 130)
	for _, rot := range []int{0, 90, 180, 270} {
		t.Run(strconv.Itoa(rot), func(t *testing.T) {
			img := rotateCW(upright, rot)
			start := time.Now()
			deg, conf, err := p.Orientation(ctx, img)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("page turned %d° clockwise: undo %d°, conf %.2f, %v", rot, deg, conf, time.Since(start))
			if want := (360 - rot) % 360; deg != want {
				t.Errorf("Orientation = %d, want %d (the page was turned %d° clockwise)", deg, want, rot)
			}
			if conf < 0.5 || conf > 1 {
				t.Errorf("conf %.2f on a clean page", conf)
			}
			if fixed := rotateCW(img, deg); !fixed.Rect.Eq(upright.Rect) {
				t.Errorf("turning by %d gives %v, upright is %v", deg, fixed.Rect, upright.Rect)
			}
		})
	}
	t.Run("blank", func(t *testing.T) {
		deg, conf, err := p.Orientation(ctx, whiteGray(800, 1100))
		if err != nil || deg != 0 || conf != 0 {
			t.Errorf("blank page: %d, %.2f, %v; want 0, 0, nil", deg, conf, err)
		}
	})
}

// TestGrayBMP decodes the BMP handed to Leptonica with an independent
// decoder: odd widths (row padding), bottom-up rows and sub-image origins.
func TestGrayBMP(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 13, 7))
	for i := range src.Pix {
		src.Pix[i] = byte(i * 7)
	}
	for _, img := range []image.Image{src, src.SubImage(image.Rect(2, 1, 11, 6)), image.NewGray(image.Rect(0, 0, 1, 1))} {
		data := grayBMP(img, 300)
		got, err := bmp.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("decode %v: %v", img.Bounds(), err)
		}
		want, w, h := toGray(img)
		if got.Bounds() != image.Rect(0, 0, w, h) {
			t.Fatalf("bounds %v, want %dx%d", got.Bounds(), w, h)
		}
		for y := range h {
			for x := range w {
				if g := color.GrayModel.Convert(got.At(x, y)).(color.Gray).Y; g != want[y*w+x] {
					t.Fatalf("%v: pixel (%d,%d) = %d, want %d", img.Bounds(), x, y, g, want[y*w+x])
				}
			}
		}
	}
}

// A whitelisted reading of a word whose box takes in a mark outside the
// whitelist («7707083893,» in running text) returns the allowed digits
// with a confidence of 0 (tesseract-ocr/tesseract#3856): callers that
// compare confidences let the punctuation through and compare digits
// only (fields' idRereadWhitelist). If this starts failing on the digits-
// only case, Tesseract has changed and the workaround can go.
func TestReadLineWhitelistPunctuation(t *testing.T) {
	p := newPool(t, Options{Size: 1})
	ctx := context.Background()
	img := renderPage(t, 1400, 200, 300, []textLine{{60, 110, 12, "Исполнитель: ИНН 7707083893, КПП 773601001"}}, nil)
	ws, err := p.Words(ctx, img, 300)
	if err != nil {
		t.Fatal(err)
	}
	var box pervichka.Rect
	for _, w := range ws {
		if strings.HasPrefix(w.Text, "7707083893") {
			box = w.Box
		}
	}
	if box.Dx() == 0 {
		t.Fatalf("ИНН not read: %q", wordsText(ws))
	}
	digits, dc, err := p.ReadLine(ctx, img, box, "0123456789", 300)
	if err != nil {
		t.Fatal(err)
	}
	punct, pc, err := p.ReadLine(ctx, img, box, "0123456789/,.", 300)
	if err != nil {
		t.Fatal(err)
	}
	if digits != "7707083893" || dc >= 0.5 {
		t.Errorf("digits only: %q at %.2f, want the digits at under 0.5", digits, dc)
	}
	if punct != "7707083893," || pc < 0.8 {
		t.Errorf("with punctuation: %q at %.2f, want «7707083893,» at 0.8 or more", punct, pc)
	}
}

// A whitelist of Cyrillic letters reaches the engine as UTF-8 and holds:
// a prefix printed in Latin capitals with Cyrillic twins («CX-1519») is
// read in Cyrillic when Latin letters are not on offer, and as printed
// when they are (extractors/fields reads a number's prefix so).
func TestReadLineCyrillicWhitelist(t *testing.T) {
	p := newPool(t, Options{Size: 1})
	ctx := context.Background()
	img := renderPage(t, 900, 200, 300, []textLine{{60, 110, 14, "CX-1519"}}, nil)
	box := pervichka.Rect{X0: 20, Y0: 40, X1: 880, Y1: 160}
	plain, _, err := p.ReadLine(ctx, img, box, "", 300)
	if err != nil {
		t.Fatal(err)
	}
	cyr, _, err := p.ReadLine(ctx, img, box, "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ0123456789-/._№", 300)
	if err != nil {
		t.Fatal(err)
	}
	if plain != "CX-1519" {
		t.Errorf("unlimited: %q, want the Latin «CX-1519»", plain)
	}
	if cyr != "СХ-1519" {
		t.Errorf("Cyrillic only: %q, want the Cyrillic «СХ-1519»", cyr)
	}
}

// A crop of a table cell that takes the cell's borders along reads its
// value: the borders are whitened before the reading (eraseRules).
// testdata/date_box_borders.png is such a crop from seed 9981's realistic
// ТОРГ-12 photo 006 after enhancement: «20.04.2025» between the borders of
// its box, which Tesseract read as nothing with the borders in.
func TestReadLineCellBorders(t *testing.T) {
	p := newPool(t, Options{Size: 1})
	f, err := os.Open(filepath.Join("testdata", "date_box_borders.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	got, _, err := p.ReadLine(context.Background(), img, pervichka.Rect{X0: b.Min.X, Y0: b.Min.Y, X1: b.Max.X, Y1: b.Max.Y}, "0123456789.", 224)
	if err != nil {
		t.Fatal(err)
	}
	if got != "20.04.2025" {
		t.Errorf("date between its box's borders: %q, want 20.04.2025", got)
	}
}

// eraseRules whitens a rule's rows and its faint fringe, and leaves rows
// of print, however dark, and rows beside print alone.
func TestEraseRules(t *testing.T) {
	const w, h = 100, 12
	pix := make([]byte, w*h)
	for i := range pix {
		pix[i] = 255
	}
	row := func(y int, v byte, from, to int) {
		for x := from; x < to; x++ {
			pix[y*w+x] = v
		}
	}
	row(1, 170, 0, w)         // fringe
	row(2, 20, 0, w)          // rule
	row(3, 170, 0, w)         // fringe
	for y := 6; y <= 9; y++ { // print: glyph-wide dark runs
		for x := 10; x < 90; x += 10 {
			row(y, 10, x, x+4)
		}
	}
	row(10, 200, 0, w) // a grey row below print, no rule near it
	eraseRules(pix, w, h)
	for y := range h {
		white := true
		for _, v := range pix[y*w : (y+1)*w] {
			white = white && v == 255
		}
		wantWhite := y <= 5 || y == 11
		if white != wantWhite {
			t.Errorf("row %d: white %v, want %v", y, white, wantWhite)
		}
	}
}

// Tesseract's OpenMP regions run through this package's interposer
// (capi.go), on the calling thread, and read what libgomp's own threads
// read: the same words, boxes and confidences, region for region.
func TestOpenMPInterposer(t *testing.T) {
	p := newPool(t, Options{Size: 1})
	img := smallInvoice(t)
	ctx := context.Background()
	before := ompRegions()
	ours, err := p.Words(ctx, img, 300)
	if err != nil {
		t.Fatal(err)
	}
	if ompRegions() == before {
		t.Fatal("Tesseract's parallel regions did not reach the interposer: libgomp runs them, with a futex wake each")
	}
	setOMPUnlimited(true)
	defer setOMPUnlimited(false)
	before = ompRegions()
	theirs, err := p.Words(ctx, img, 300)
	if err != nil {
		t.Fatal(err)
	}
	if ompRegions() != before {
		t.Error("unlimited: regions still run by the interposer")
	}
	if !reflect.DeepEqual(ours, theirs) {
		t.Errorf("words differ:\ninterposed %v\nlibgomp    %v", ours, theirs)
	}
}

// eraseRules takes any crop: every row it touches becomes white, every
// other row stays as it was.
func FuzzEraseRules(f *testing.F) {
	f.Add([]byte{255, 255, 0, 0, 0, 0, 255, 255, 10, 200, 10, 200}, uint8(4))
	f.Fuzz(func(t *testing.T, pix []byte, width uint8) {
		w := max(1, int(width))
		h := len(pix) / w
		pix = pix[:w*h]
		before := slices.Clone(pix)
		eraseRules(pix, w, h)
		for y := range h {
			row, was := pix[y*w:(y+1)*w], before[y*w:(y+1)*w]
			if !slices.Equal(row, was) && slices.ContainsFunc(row, func(v byte) bool { return v != 255 }) {
				t.Fatalf("row %d changed but not whitened: %v → %v", y, was, row)
			}
		}
	})
}
