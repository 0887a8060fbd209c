package render

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pervichka/pervichka/corpus/sheet"
)

const ptPerMM = 72 / 25.4

func needTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Skipf("%s not installed (poppler-utils)", name)
	}
}

func writePDF(t *testing.T, doc sheet.Document) string {
	t.Helper()
	var b bytes.Buffer
	if err := PDF(&b, doc); err != nil {
		t.Fatalf("PDF: %v", err)
	}
	p := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

type bboxWord struct {
	XMin float64 `xml:"xMin,attr"`
	YMin float64 `xml:"yMin,attr"`
	XMax float64 `xml:"xMax,attr"`
	YMax float64 `xml:"yMax,attr"`
	Text string  `xml:",chardata"`
}

type bboxPage struct {
	Width  float64    `xml:"width,attr"`
	Height float64    `xml:"height,attr"`
	Words  []bboxWord `xml:"word"`
}

// bboxWords runs pdftotext -bbox and returns the words of every page.
func bboxWords(t *testing.T, path string) []bboxPage {
	t.Helper()
	out, err := exec.Command("pdftotext", "-bbox", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext -bbox: %v", err)
	}
	var doc struct {
		Pages []bboxPage `xml:"body>doc>page"`
	}
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatalf("parse bbox xhtml: %v", err)
	}
	return doc.Pages
}

// textSheet sets a few lines of Cyrillic text in every style and alignment.
func textSheet(fam sheet.Family) sheet.Sheet {
	return sheet.Sheet{W: sheet.A4Short, H: sheet.A4Long, Ops: []sheet.Op{
		sheet.Text{X: 20, Y: 25, Font: sheet.Font{Family: fam, Size: 10}, S: "Поставщик: ООО «Ромашка», ИНН 7701234567"},
		sheet.Text{X: 20, Y: 40, W: 170, Align: sheet.Center, Font: sheet.Font{Family: fam, Size: 14, Bold: true}, S: "Счёт на оплату № 17"},
		sheet.Text{X: 20, Y: 55, W: 170, Align: sheet.Right, Font: sheet.Font{Family: fam, Size: 9, Italic: true}, S: "Итого: 1 234 567,89 руб."},
		sheet.Text{X: 30, Y: 70, Font: sheet.Font{Family: fam, Size: 8, Bold: true, Italic: true}, S: "Всего наименований 3, на сумму 12 345,67 руб."},
		sheet.Text{X: 120, Y: 280, Font: sheet.Font{Family: fam, Size: 12}, S: "Подпись ёЁ №"},
	}}
}

// expectedWords lists each word of a Text op with its expected left edge
// and width in millimetres, from the same metrics the renderer uses.
func expectedWords(t *testing.T, op sheet.Text) []struct {
	s    string
	x, w float64
} {
	t.Helper()
	fc, err := loadFace(op.Font)
	if err != nil {
		t.Fatal(err)
	}
	x := textStart(op, fc.width(op.S, op.Font.Size))
	var out []struct {
		s    string
		x, w float64
	}
	for _, word := range strings.Split(op.S, " ") {
		w := fc.width(word, op.Font.Size)
		out = append(out, struct {
			s    string
			x, w float64
		}{word, x, w})
		x += w + fc.width(" ", op.Font.Size)
	}
	return out
}

func TestPDFTextRoundTrip(t *testing.T) {
	needTool(t, "pdftotext")
	for _, fam := range sheet.Families {
		t.Run(string(fam), func(t *testing.T) {
			s := textSheet(fam)
			path := writePDF(t, sheet.Document{Sheets: []sheet.Sheet{s}})

			layout, err := exec.Command("pdftotext", "-layout", path, "-").Output()
			if err != nil {
				t.Fatalf("pdftotext -layout: %v", err)
			}
			lines := map[string]bool{}
			for _, l := range strings.Split(string(layout), "\n") {
				lines[strings.TrimSpace(l)] = true
			}
			for _, op := range s.Ops {
				if txt := op.(sheet.Text); !lines[txt.S] {
					t.Errorf("pdftotext -layout has no line %q; got:\n%s", txt.S, layout)
				}
			}

			pages := bboxWords(t, path)
			if len(pages) != 1 {
				t.Fatalf("pages = %d, want 1", len(pages))
			}
			words := pages[0].Words
			for _, op := range s.Ops {
				txt := op.(sheet.Text)
				for _, want := range expectedWords(t, txt) {
					var got *bboxWord
					for i := range words {
						if words[i].Text == want.s && math.Abs(words[i].XMin-want.x*ptPerMM) < 3 && words[i].YMax > txt.Y*ptPerMM-5 && words[i].YMin < txt.Y*ptPerMM+5 {
							got = &words[i]
						}
					}
					if got == nil {
						t.Errorf("word %q of %q not found near x=%.1fmm y=%.1fmm", want.s, txt.S, want.x, txt.Y)
						continue
					}
					// Within 0.3 mm horizontally; the baseline inside the box.
					if d := got.XMin/ptPerMM - want.x; math.Abs(d) > 0.3 {
						t.Errorf("%q starts at %.2fmm, want %.2fmm", want.s, got.XMin/ptPerMM, want.x)
					}
					if d := got.XMax/ptPerMM - (want.x + want.w); math.Abs(d) > 0.3 {
						t.Errorf("%q ends at %.2fmm, want %.2fmm", want.s, got.XMax/ptPerMM, want.x+want.w)
					}
					base := txt.Y * ptPerMM
					if !(got.YMin < base && base < got.YMax) || base-got.YMin < txt.Font.Size*0.5 {
						t.Errorf("%q box y %.1f..%.1fpt does not sit on baseline %.1fpt", want.s, got.YMin, got.YMax, base)
					}
				}
			}
		})
	}
}

func TestPDFPagesAndSizes(t *testing.T) {
	needTool(t, "pdfinfo")
	portrait := textSheet(sheet.PTSans)
	landscape := sheet.Sheet{W: sheet.A4Long, H: sheet.A4Short, Ops: []sheet.Op{
		sheet.Text{X: 250, Y: 200, Font: sheet.Font{Family: sheet.DejaVuSerif, Size: 10}, S: "Счёт-фактура № 5"},
	}}
	path := writePDF(t, sheet.Document{Sheets: []sheet.Sheet{portrait, landscape, sampleSheet(sheet.LiberationSerif)}})
	out, err := exec.Command("pdfinfo", "-f", "1", "-l", "3", path).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo: %v\n%s", err, out)
	}
	info := string(out)
	if !regexp.MustCompile(`(?m)^Pages:\s+3$`).MatchString(info) {
		t.Errorf("want 3 pages:\n%s", info)
	}
	sizes := regexp.MustCompile(`Page\s+(\d) size:\s+([\d.]+) x ([\d.]+) pts`).FindAllStringSubmatch(info, -1)
	want := [][2]float64{{595.28, 841.89}, {841.89, 595.28}, {595.28, 841.89}}
	if len(sizes) != 3 {
		t.Fatalf("page sizes not found:\n%s", info)
	}
	for i, m := range sizes {
		w, _ := strconv.ParseFloat(m[2], 64)
		h, _ := strconv.ParseFloat(m[3], 64)
		if math.Abs(w-want[i][0]) > 0.5 || math.Abs(h-want[i][1]) > 0.5 {
			t.Errorf("page %s is %gx%g pt, want %gx%g", m[1], w, h, want[i][0], want[i][1])
		}
	}
	// The landscape page's text lands where it was put.
	pages := bboxWords(t, path)
	if len(pages) != 3 || len(pages[1].Words) == 0 {
		t.Fatalf("no words on the landscape page")
	}
	if w := pages[1].Words[0]; math.Abs(w.XMin/ptPerMM-250) > 0.3 || w.Text != "Счёт-фактура" {
		t.Errorf("landscape word %q at %.2fmm, want Счёт-фактура at 250mm", w.Text, w.XMin/ptPerMM)
	}
}

func TestPDFStampNotInTextLayer(t *testing.T) {
	needTool(t, "pdftotext")
	path := writePDF(t, sheet.Document{Sheets: []sheet.Sheet{sampleSheet(sheet.PTSans)}})
	out, err := exec.Command("pdftotext", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	// The ring text is set in capitals; the document text is not.
	if strings.Contains(string(out), "ОГРАНИЧЕННОЙ") || strings.Contains(string(out), "1027700132195") {
		t.Errorf("stamp lettering leaked into the text layer:\n%s", out)
	}
}

func TestPDFDeterministic(t *testing.T) {
	doc := sheet.Document{Sheets: []sheet.Sheet{sampleSheet(sheet.DejaVuSans)}}
	var a, b bytes.Buffer
	if err := PDF(&a, doc); err != nil {
		t.Fatal(err)
	}
	if err := PDF(&b, doc); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("same document gave different PDF bytes")
	}
}

func TestPDFRefusesBadInput(t *testing.T) {
	for name, doc := range map[string]sheet.Document{
		"no sheets":  {},
		"zero size":  {Sheets: []sheet.Sheet{{W: 0, H: 297}}},
		"NaN size":   {Sheets: []sheet.Sheet{{W: math.NaN(), H: 297}}},
		"NaN line":   {Sheets: []sheet.Sheet{{W: 210, H: 297, Ops: []sheet.Op{sheet.Line{X1: math.NaN()}}}}},
		"huge font":  {Sheets: []sheet.Sheet{{W: 210, H: 297, Ops: []sheet.Op{sheet.Text{X: 1, Y: 1, Font: sheet.Font{Family: sheet.PTSans, Size: 1e6}, S: "х"}}}}},
		"bad family": {Sheets: []sheet.Sheet{{W: 210, H: 297, Ops: []sheet.Op{sheet.Text{X: 1, Y: 1, Font: sheet.Font{Family: "comic-sans", Size: 9}, S: "х"}}}}},
	} {
		if err := PDF(&bytes.Buffer{}, doc); err == nil {
			t.Errorf("%s: PDF accepted it", name)
		}
	}
}

// inkBox returns the bounding box of pixels darker than 200 in r.
func inkBox(img *image.RGBA, r image.Rectangle) image.Rectangle {
	var box image.Rectangle
	first := true
	r = r.Intersect(img.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			p := img.Pix[y*img.Stride+4*x:]
			if int(p[0])+int(p[1])+int(p[2]) < 600 {
				if first {
					box, first = image.Rect(x, y, x+1, y+1), false
				} else {
					box = box.Union(image.Rect(x, y, x+1, y+1))
				}
			}
		}
	}
	return box
}

func TestImageTextInsideItsBox(t *testing.T) {
	const dpi = 300
	k := dpi / 25.4
	for _, fam := range sheet.Families {
		for _, op := range textSheet(fam).Ops {
			txt := op.(sheet.Text)
			s := sheet.Sheet{W: sheet.A4Short, H: sheet.A4Long, Ops: []sheet.Op{txt}}
			img := Image(s, dpi)
			if got, want := img.Rect.Size(), image.Pt(2480, 3508); got != want {
				t.Fatalf("image size %v, want %v", got, want)
			}
			fc, _ := loadFace(txt.Font)
			w := fc.width(txt.S, txt.Font.Size)
			x0 := textStart(txt, w)
			em := txt.Font.Size * mmPerPt
			// Expected box: advance width, from ascender to descender.
			want := image.Rect(int((x0-0.3)*k), int((txt.Y-em)*k), int((x0+w+0.3)*k)+1, int((txt.Y+em*0.3)*k)+1)
			ink := inkBox(img, img.Rect)
			if ink.Empty() {
				t.Errorf("%s %q: no ink", fam, txt.S)
				continue
			}
			if !ink.In(want) {
				t.Errorf("%s %q: ink %v outside expected box %v", fam, txt.S, ink, want)
			}
			// The text fills its box: it starts and ends near the advance
			// edges and reaches the baseline.
			if math.Abs(float64(ink.Min.X)/k-x0) > 0.6 || math.Abs(float64(ink.Max.X)/k-(x0+w)) > 0.8 {
				t.Errorf("%s %q: ink x %.2f..%.2fmm, text x %.2f..%.2fmm", fam, txt.S, float64(ink.Min.X)/k, float64(ink.Max.X)/k, x0, x0+w)
			}
			if b := float64(ink.Max.Y) / k; b < txt.Y-0.1 {
				t.Errorf("%s %q: ink ends at %.2fmm above the baseline %.2fmm", fam, txt.S, b, txt.Y)
			}
		}
	}
}

func TestImageMatchesPDFRaster(t *testing.T) {
	needTool(t, "pdftoppm")
	const dpi = 150
	k := dpi / 25.4
	for _, fam := range sheet.Families {
		s := textSheet(fam)
		path := writePDF(t, sheet.Document{Sheets: []sheet.Sheet{s}})
		out := filepath.Join(t.TempDir(), "p")
		if b, err := exec.Command("pdftoppm", "-r", strconv.Itoa(dpi), "-png", "-singlefile", path, out).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v\n%s", err, b)
		}
		poppler := readPNG(t, out+".png")
		ours := Image(s, dpi)
		// Poppler rounds the page up to whole pixels, we round to nearest.
		if d := ours.Rect.Size().Sub(poppler.Rect.Size()); d.X < -1 || d.X > 1 || d.Y < -1 || d.Y > 1 {
			t.Fatalf("%s: sizes differ: ours %v, poppler %v", fam, ours.Rect.Size(), poppler.Rect.Size())
		}
		for _, op := range s.Ops {
			txt := op.(sheet.Text)
			band := image.Rect(0, int((txt.Y-8)*k), ours.Rect.Dx(), int((txt.Y+3)*k))
			a, b := inkBox(ours, band), inkBox(poppler, band)
			d := func(p, q int) int { return max(p-q, q-p) }
			if d(a.Min.X, b.Min.X) > 2 || d(a.Max.X, b.Max.X) > 2 || d(a.Min.Y, b.Min.Y) > 2 || d(a.Max.Y, b.Max.Y) > 2 {
				t.Errorf("%s %q: our ink %v, poppler's %v (150 dpi)", fam, txt.S, a, b)
			}
		}
	}
}

func readPNG(t *testing.T, path string) *image.RGBA {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pm, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	m := image.NewRGBA(image.Rect(0, 0, pm.Bounds().Dx(), pm.Bounds().Dy()))
	draw.Draw(m, m.Rect, pm, pm.Bounds().Min, draw.Src)
	return m
}

func TestImageStampInkOverText(t *testing.T) {
	s := sampleSheet(sheet.PTSans)
	img := Image(s, 300)
	k := 300 / 25.4
	var st sheet.Stamp
	for _, op := range s.Ops {
		if o, ok := op.(sheet.Stamp); ok {
			st = o
		}
	}
	// The outer rim is blue: sample around the circle just inside R.
	blue := 0
	for a := 0.0; a < 360; a += 5 {
		sn, cs := math.Sincos(a * math.Pi / 180)
		x, y := int((st.CX+(st.R-0.3)*cs)*k), int((st.CY+(st.R-0.3)*sn)*k)
		p := img.Pix[y*img.Stride+4*x:]
		if int(p[2]) > int(p[0])+40 && p[0] < 200 {
			blue++
		}
	}
	if blue < 55 {
		t.Errorf("only %d of 72 rim samples are blue ink", blue)
	}
	// Printed text under the seal stays dark: ink multiplies, never covers.
	rule := image.Rect(int(52*k), int(130.95*k), int(88*k), int(131.05*k)+1)
	dark := 0
	for x := rule.Min.X; x < rule.Max.X; x++ {
		p := img.Pix[rule.Min.Y*img.Stride+4*x:]
		if int(p[0])+int(p[1])+int(p[2]) < 3*90 {
			dark++
		}
	}
	if dark < rule.Dx()*9/10 {
		t.Errorf("the signature rule under the stamp is dark in %d of %d pixels", dark, rule.Dx())
	}
}

func TestImageClipsToPage(t *testing.T) {
	s := sheet.Sheet{W: 100, H: 50, Ops: []sheet.Op{
		sheet.Text{X: -20, Y: 10, Font: sheet.Font{Family: sheet.PTSerif, Size: 40}, S: "Выход за край"},
		sheet.Text{X: 80, Y: 60, Font: sheet.Font{Family: sheet.PTSerif, Size: 40}, S: "Ниже листа"},
		sheet.Line{X1: -10, Y1: -10, X2: 200, Y2: 120, Width: 1},
		sheet.Rect{X: 90, Y: 40, W: 50, H: 50, Width: 2, Fill: &sheet.Color{R: 200}},
		sheet.Stamp{CX: 0, CY: 0, R: 20, Ring: "край", Center: []string{"ИНН"}},
		sheet.Signature{X: 95, Y: 45, W: 30, H: 10, Seed: 3},
		sheet.Text{X: 10, Y: 10, Font: sheet.Font{Family: "no-such", Size: 10}, S: "пропуск"},
		sheet.Text{X: 10, Y: 10, Font: sheet.Font{Family: sheet.PTSans, Size: 1e6}, S: "ы"},
	}}
	img := Image(s, 200)
	if got, want := img.Rect, image.Rect(0, 0, 787, 394); got != want {
		t.Fatalf("bounds %v, want %v", got, want)
	}
	if img := Image(sheet.Sheet{W: math.NaN(), H: -1}, math.Inf(1)); img.Rect.Dx() < 1 {
		t.Errorf("degenerate sheet gave %v", img.Rect)
	}
}

func TestImageConcurrentSame(t *testing.T) {
	s := sampleSheet(sheet.DejaVuSerif)
	want := Image(s, 120)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if got := Image(s, 120); !bytes.Equal(got.Pix, want.Pix) {
				errs <- fmt.Errorf("goroutine %d rendered different pixels", i)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestSignatureInsideBoxAndSeeded(t *testing.T) {
	box := sheet.Signature{X: 50, Y: 100, W: 40, H: 14}
	for seed := int64(0); seed < 50; seed++ {
		box.Seed = seed
		strokes := signatureStrokes(box)
		if len(strokes) < 2 {
			t.Fatalf("seed %d: %d strokes", seed, len(strokes))
		}
		var all []contour
		for _, s := range strokes {
			all = append(all, contour(s))
		}
		minX, minY, maxX, maxY := bounds(all)
		slack := 0.25 * box.H
		if minX < box.X-slack || maxX > box.X+box.W+slack || minY < box.Y-slack || maxY > box.Y+box.H+slack {
			t.Errorf("seed %d: scribble %.1f,%.1f..%.1f,%.1f leaves the box", seed, minX, minY, maxX, maxY)
		}
	}
	a, b := signatureStrokes(sheet.Signature{W: 30, H: 10, Seed: 7}), signatureStrokes(sheet.Signature{W: 30, H: 10, Seed: 7})
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Error("same seed drew different signatures")
	}
	if c := signatureStrokes(sheet.Signature{W: 30, H: 10, Seed: 8}); fmt.Sprint(a) == fmt.Sprint(c) {
		t.Error("different seeds drew the same signature")
	}
}

func FuzzImageText(f *testing.F) {
	f.Add("Счёт № 1", 10.0, 5.0, 10.0, 0)
	f.Add("\x00\xff日本", 0.5, -3.0, 500.0, 2)
	f.Fuzz(func(t *testing.T, s string, size, x, y float64, align int) {
		sh := sheet.Sheet{W: 60, H: 40, Ops: []sheet.Op{
			sheet.Text{X: x, Y: y, W: 30, Align: sheet.Align(align), Font: sheet.Font{Family: sheet.PTSans, Size: math.Mod(size, 200)}, S: s},
			sheet.Stamp{CX: x, CY: y, R: math.Mod(size, 50), Ring: s, Center: []string{s}},
		}}
		img := Image(sh, 72)
		if img.Rect.Dx() != 170 || img.Rect.Dy() != 113 {
			t.Fatalf("bounds %v", img.Rect)
		}
	})
}

func BenchmarkImage300(b *testing.B) {
	s := denseSheet()
	start := cpuTime()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		Image(s, 300)
		n++
	}
	b.ReportMetric(float64((cpuTime()-start).Microseconds())/1000/float64(n), "cpu-ms/op")
}

// cpuTime is the process's user+system CPU time: on a shared machine it
// says more about cost than wall time does.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkImage300Parallel renders on every core at once, as the corpus
// generator may: the glyph cache is shared under a mutex.
func BenchmarkImage300Parallel(b *testing.B) {
	s := denseSheet()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			Image(s, 300)
		}
	})
}

// denseSheet is a full invoice-like page: a 40-row table of text and rules
// plus a stamp and a signature, the heaviest page the corpus draws.
func denseSheet() sheet.Sheet {
	s := sampleSheet(sheet.LiberationSans)
	f := sheet.Font{Family: sheet.LiberationSans, Size: 8}
	for i := range 40 {
		y := 140 + float64(i)*3.6
		s.Ops = append(s.Ops,
			sheet.Line{X1: 15, Y1: y, X2: 195, Y2: y, Width: 0.15},
			sheet.Text{X: 16, Y: y + 2.8, Font: f, S: strconv.Itoa(i + 1)},
			sheet.Text{X: 24, Y: y + 2.8, Font: f, S: "Услуги по договору поставки товара, партия"},
			sheet.Text{X: 120, Y: y + 2.8, W: 20, Align: sheet.Right, Font: f, S: "1 000,00"},
			sheet.Text{X: 150, Y: y + 2.8, W: 20, Align: sheet.Right, Font: f, S: "20%"},
			sheet.Text{X: 172, Y: y + 2.8, W: 22, Align: sheet.Right, Font: f, S: "12 345,67"},
		)
	}
	return s
}
