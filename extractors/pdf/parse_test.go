package pdf

import (
	"image"
	"strings"
	"testing"

	"github.com/pervichka/pervichka"
)

func TestParseInfo(t *testing.T) {
	out := "Title:           x\nPages:           999\nPage    1 size:  1 x 1 pts\n" + // forged in the title
		"Producer:        FPDF 1.7\nPages:           2\nEncrypted:       yes (print:no copy:no)\n" +
		"Page    1 size:  595.28 x 841.89 pts (A4)\nPage    1 rot:   0\n" +
		"Page    2 size:  841.89 x 595.28 pts (A4)\nPage    2 rot:   -90\n" +
		"Page    x size:  1 x 1 pts\nPage    3 size:  garbage\n"
	info := parseInfo([]byte(out))
	if info.pages != 2 || !info.encrypted {
		t.Fatalf("pages %d encrypted %v", info.pages, info.encrypted)
	}
	if s := info.sizes[1]; s.w != 595.28 || s.h != 841.89 || s.rot != 0 {
		t.Errorf("page 1 %+v", s)
	}
	if s := info.sizes[2]; s.rot != 270 {
		t.Errorf("page 2 %+v", s)
	} else if w, h := s.shown(); w != 595.28 || h != 841.89 {
		t.Errorf("page 2 shown %v×%v", w, h)
	}
	if _, ok := info.sizes[3]; ok && info.sizes[3].w != 0 {
		t.Errorf("garbage size parsed: %+v", info.sizes[3])
	}
	if got := parseInfo([]byte("nothing useful")); got.pages != -1 {
		t.Errorf("pages %d from garbage", got.pages)
	}
}

func TestParseBBoxLayout(t *testing.T) {
	in := `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "x"><html xmlns="http://www.w3.org/1999/xhtml">
<head><title>a &amp; b</title><meta name="Producer" content="x"/></head><body><doc>
<page width="595.28" height="841.89"><flow><block xMin="1" yMin="2" xMax="3" yMax="4">
<line xMin="1" yMin="2" xMax="3" yMax="4"><word xMin="72" yMin="72" xMax="144" yMax="84">ООО</word><word xMin="150" yMin="72" xMax="200" yMax="84">A&amp;B` + "\x01\xff" + `</word></line>
<line><word xMin="72" yMin="90" xMax="100" yMax="100">  </word><word xMin="72" yMin="90" xMax="NaN" yMax="100">x</word></line></block>
<block><line><word xMin="1" yMin="1" xMax="2" yMax="2">b2</word></line></block></flow>
<flow><block><line><word xMin="1" yMin="1" xMax="2" yMax="2">f2</word></line></block></flow></page>
<page width="612" height="792"></page></doc></body></html>`
	pages, err := parseBBoxLayout([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 2 || pages[1].w != 612 || len(pages[1].words) != 0 {
		t.Fatalf("pages %+v", pages)
	}
	w := pages[0].words
	want := []struct {
		text             string
		block, par, line int
	}{{"ООО", 1, 1, 1}, {"A&B\ufffd\ufffd", 1, 1, 1}, {"x", 1, 1, 2}, {"b2", 1, 2, 3}, {"f2", 2, 3, 4}}
	if len(w) != len(want) {
		t.Fatalf("words %+v", w)
	}
	for i, ww := range want {
		if w[i].text != ww.text || w[i].block != ww.block || w[i].par != ww.par || w[i].line != ww.line {
			t.Errorf("word %d = %+v, want %+v", i, w[i], ww)
		}
	}
	p := toPixels(pages[0], 0, TextDPI)
	if p.Width != 2480 || p.Height != 3508 {
		t.Errorf("page %d×%d", p.Width, p.Height)
	}
	if b := p.Words[0].Box; b != (pervichka.Rect{X0: 300, Y0: 300, X1: 600, Y1: 350}) {
		t.Errorf("box %+v: 72 pt must be 300 px", b)
	}
	if _, err := parseBBoxLayout([]byte("<doc><page><word>unclosed")); err == nil {
		// Truncated output is an error or yields what was complete; either way no panic.
		t.Log("truncated output parsed without error")
	}
}

func TestTextQuality(t *testing.T) {
	words := func(s string) []ptWord {
		var w []ptWord
		for _, f := range strings.Fields(s) {
			w = append(w, ptWord{text: f})
		}
		return w
	}
	tests := []struct {
		name  string
		text  string
		runes int
		clean bool
	}{
		{"russian", "Счёт на оплату № 1234", 16, true},
		{"cp1251 mojibake", "Ñ÷¸ò íà îïëàòó ¹ 1234", 14, false},
		{"glyph soup", "\ue001\ue002\ue003 \ufffd\ufffd a1", 2, false},
		{"digits and dots", "12.10.2026 7707083893", 18, true},
		{"nothing", "", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runes, clean := textQuality(words(tt.text))
			if runes != tt.runes || clean != tt.clean {
				t.Errorf("got %d %v, want %d %v", runes, clean, tt.runes, tt.clean)
			}
		})
	}
}

func TestFullPageImages(t *testing.T) {
	a4 := map[int]pageSize{1: {w: 595.28, h: 841.89}, 2: {w: 595.28, h: 841.89}, 3: {w: 595.28, h: 841.89, rot: 90},
		4: {w: 595.28, h: 841.89}, 5: {w: 595.28, h: 841.89}, 6: {w: 595.28, h: 841.89}, 7: {w: 595.28, h: 841.89}}
	list := parseImageList([]byte(`page   num  type   width height color comp bpc  enc interp  object ID x-ppi y-ppi size ratio
--------------------------------------------------------------------------------------------
   1     0 image    2480  3508  gray    1   1  jbig2  no        14  0   300   300 48.7K 2.3%
   2     1 image    1240  1754  gray    1   8  jpeg   no        15  0   150   150 48.7K 2.3%
   2     2 image     100   100  gray    1   8  jpeg   no        16  0   300   300 48.7K 2.3%
   3     3 image    2480  3508  gray    1   1  ccitt  no        17  0   300   300 48.7K 2.3%
   4     4 stencil  2480  3508  -       1   1  jbig2  no        18  0   300   300 48.7K 2.3%
   5     5 image    1728  1143  gray    1   1  ccitt  no        19  0   204    98 48.7K 2.3%
   6     6 image     620   877  gray    1   8  jpeg   no        20  0   150   150 48.7K 2.3%
   7     7 image    2480  3508  rgb     3   8  jpeg   no        21  0   300   300 48.7K 2.3%
   7     8 smask    2480  3508  gray    1   8  image  no        22  0   300   300 48.7K 2.3%
`))
	got := fullPageImages(list, a4, pervichka.Limits{MaxPixels: 60_000_000})
	if len(got) != 1 || got[1].w != 2480 {
		t.Errorf("full-page pictures %+v, want page 1 only", got)
	}
	if got := fullPageImages(list, a4, pervichka.Limits{MaxPixels: 1_000_000}); len(got) != 0 {
		t.Errorf("over the pixel limit still native: %+v", got)
	}
}

func TestRuns(t *testing.T) {
	key := func(p int) float64 {
		if p == 5 {
			return 100
		}
		return 300
	}
	got := runs([]int{1, 2, 3, 5, 6, 8}, key)
	want := [][]int{{1, 2, 3}, {5}, {6}, {8}}
	if len(got) != len(want) {
		t.Fatalf("runs %v, want %v", got, want)
	}
	for i := range want {
		if len(got[i]) != len(want[i]) || got[i][0] != want[i][0] {
			t.Errorf("runs %v, want %v", got, want)
		}
	}
}

func TestDecodePGM(t *testing.T) {
	tests := []struct {
		name string
		in   string
		max  int64
		code pervichka.ErrorCode
		size image.Point
	}{
		{"ok", "P5\n3 2\n255\n\x00\x01\x02\x03\x04\x05", 100, "", image.Point{3, 2}},
		{"comment", "P5\n# pdftoppm\n3 2 255\n\x00\x01\x02\x03\x04\x05", 100, "", image.Point{3, 2}},
		{"short raster", "P5\n3 2\n255\n\x00\x01", 100, pervichka.CodeCorrupt, image.Point{}},
		{"ppm", "P6\n1 1\n255\n\x00\x00\x00", 100, pervichka.CodeCorrupt, image.Point{}},
		{"16-bit", "P5\n1 1\n65535\n\x00\x00", 100, pervichka.CodeCorrupt, image.Point{}},
		{"over the pixel limit", "P5\n100000 100000\n255\n", 100, pervichka.CodeTooManyPixels, image.Point{}},
		{"negative", "P5\n-3 2\n255\n", 100, pervichka.CodeCorrupt, image.Point{}},
		{"empty", "", 100, pervichka.CodeCorrupt, image.Point{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img, err := decodePGM([]byte(tt.in), tt.max)
			if codeOf(err) != tt.code {
				t.Fatalf("err = %v, want %q", err, tt.code)
			}
			if err == nil && img.Bounds().Size() != tt.size {
				t.Errorf("size %v", img.Bounds().Size())
			}
			if tt.name == "ok" && img.GrayAt(2, 1).Y != 5 {
				t.Errorf("pixel (2,1) = %d", img.GrayAt(2, 1).Y)
			}
		})
	}
}

func FuzzParseBBoxLayout(f *testing.F) {
	f.Add([]byte(`<doc><page width="1" height="2"><flow><block><line><word xMin="1" yMin="1" xMax="2" yMax="2">a</word></line></block></flow></page></doc>`))
	f.Add([]byte("<word>\x00</word><page><word xMin=\"1e400\">x</word>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		pages, err := parseBBoxLayout(b)
		if err != nil {
			return
		}
		for i, p := range pages {
			_ = toPixels(p, i, TextDPI)
			_, _ = textQuality(p.words)
		}
	})
}
