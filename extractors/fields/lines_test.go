package fields

import (
	"context"
	"slices"
	"strings"
	"testing"

	pervichka "github.com/pervichka/pervichka"
)

// TestTiltedTitleStaysOneLine: on a curled sheet the title climbs while the
// body below is level (real-dev photo 18-13-02: «Счет-договор на оплату №
// МЛР00077331 от 28 августа 2025» rising by 1.7 line heights). Tesseract
// read the title as one line; its words must stay one line of ours, in
// order, so that the number and the date are found in it.
func TestTiltedTitleStaysOneLine(t *testing.T) {
	const h = 36
	page := pervichka.Page{Width: 2600, Height: 3400, Source: pervichka.SourceOCR}
	add := func(text string, x, y, blk, ln int) {
		w := 24 * len([]rune(text))
		page.Words = append(page.Words, pervichka.Word{Text: text, Box: pervichka.Rect{X0: x, Y0: y, X1: x + w, Y1: y + h}, Conf: 0.95, Block: blk, Par: 1, Line: ln})
	}
	// The title: each word 8 px higher than the one before it, 60 px
	// in all over its width.
	x, y := 240, 560
	for _, w := range strings.Fields("Счет-договор на оплату № МЛР00077331 от 28 августа 2025") {
		add(w, x, y, 1, 1)
		x += 24*len([]rune(w)) + 16
		y -= 8
	}
	// A level body of two columns below it, enough rows to measure the
	// page's (zero) tilt.
	for r := 0; r < 30; r++ {
		by := 700 + r*60
		add("Поставщик:", 240, by, 2+r, 1)
		add("Общество", 700, by, 2+r, 1)
		add("с", 920, by, 2+r, 1)
		add("ограниченной", 960, by, 2+r, 1)
		add("ответственностью", 1300, by, 2+r, 1)
	}
	// A stray word of another block level with the title's first word
	// may still share its line; what matters is that the title is not
	// split.
	lines := buildLines([]pervichka.Page{page})
	var found bool
	for _, l := range lines {
		if strings.Contains(l.text(), "Счет-договор") {
			found = true
			if want := "Счет-договор на оплату № МЛР00077331 от 28 августа 2025"; l.text() != want {
				t.Errorf("title line %q, want %q", l.text(), want)
			}
		}
	}
	if !found {
		t.Fatal("no title line")
	}
	x2 := newExtraction(context.Background(), []pervichka.Page{page}, Config{Now: testNow}, nil)
	x2.run()
	if r := x2.result(); r.Number != "МЛР00077331" || r.Date != "2025-08-28" {
		t.Errorf("number %q date %q", r.Number, r.Date)
	}
}

// TestWordCutBetweenBlocks: Tesseract's layout put a climbing title into
// two blocks in the middle of its number (10131's realistic счёт-фактура
// 002: «СЧЕТ-ФАКТУРА № 17» and «18 от 20 мая 2023 г.», 4 px apart). The
// two halves touch, so they are one line and the number is «1718»; words
// of other blocks a word space apart stay where their levels put them.
func TestWordCutBetweenBlocks(t *testing.T) {
	page := pervichka.Page{Width: 3445, Height: 2603, Source: pervichka.SourceOCR}
	add := func(text string, x0, y0, x1, y1, blk int) {
		page.Words = append(page.Words, pervichka.Word{Text: text, Box: pervichka.Rect{X0: x0, Y0: y0, X1: x1, Y1: y1}, Conf: 0.95, Block: blk, Par: 1, Line: 1})
	}
	// The boxes as read off the photo.
	add("СЧЕТ-ФАКТУРА", 203, 97, 570, 151, 2)
	add("№", 584, 117, 634, 154, 2)
	add("17", 652, 121, 706, 157, 2)
	add("18", 710, 123, 764, 161, 4)
	add("от", 780, 134, 834, 163, 4)
	add("20", 848, 130, 900, 166, 4)
	add("мая", 921, 140, 1000, 172, 4)
	add("2023", 1025, 136, 1140, 174, 4)
	add("г.", 1156, 149, 1190, 181, 4)
	for r := 0; r < 30; r++ {
		by := 300 + r*60
		add("Продавец:", 194, by, 400, by+36, 10+r)
		add("Общество", 700, by, 900, by+36, 10+r)
		add("ответственностью", 960, by, 1300, by+36, 10+r)
	}
	x := newExtraction(context.Background(), []pervichka.Page{page}, Config{Now: testNow}, nil)
	x.run()
	if r := x.result(); r.Number != "1718" || r.Date != "2023-05-20" {
		t.Errorf("number %q date %q, want 1718 of 2023-05-20", r.Number, r.Date)
	}
	// The same page with the halves a word space apart (0.4 of a word
	// height): two words of two blocks, not one cut in two.
	for i := range page.Words {
		if page.Words[i].Block == 4 {
			page.Words[i].Box.X0 += 12
			page.Words[i].Box.X1 += 12
		}
	}
	lines := buildLines([]pervichka.Page{page})
	for _, l := range lines {
		if strings.Contains(l.text(), "СЧЕТ-ФАКТУРА") && strings.Contains(l.text(), "18") {
			t.Errorf("halves a word space apart joined: %q", l.text())
		}
	}
}

// A speck read as a word inside another word's box (9801's realistic УПД
// 003: «№ УТ-144 a от 8 мая 2024 г.», the «a» inside the number's box) is
// no word of the line: the number is read without it, and the title's cell
// goes on to its date.
func TestSpeckInsideWord(t *testing.T) {
	t.Parallel()
	lines := slices.Clone(act)
	lines[0] = "^Акт ^№ ^УТ-144 ^от ^31 ^мая ^2025 ^г."
	p := pageScaled(1, 0.93, lines...)
	var num pervichka.Rect
	for _, w := range p.Words {
		if w.Text == "УТ-144" {
			num = w.Box
		}
	}
	speck := pervichka.Rect{X0: num.X0 + 8, Y0: num.Y0 + num.Dy()/3, X1: num.X0 + 20, Y1: num.Y0 + num.Dy()*2/3}
	p.Words = append(p.Words, pervichka.Word{Text: "a", Box: speck, Conf: 0.54, Block: 1, Par: 1, Line: 1})
	ls := buildLines([]pervichka.Page{p})
	if got := ls[0].text(); got != "Акт № УТ-144 от 31 мая 2025 г." {
		t.Errorf("title line %q", got)
	}
	res := Extract(context.Background(), []pervichka.Page{p}, cfg(), nil)
	if res.Number != "УТ-144" || res.Date != "2025-05-31" {
		t.Errorf("number %q, date %q", res.Number, res.Date)
	}
	// A word beside another, not inside it, stays.
	p.Words[len(p.Words)-1].Box = pervichka.Rect{X0: num.X1 + 4, Y0: speck.Y0, X1: num.X1 + 16, Y1: speck.Y1}
	if got := buildLines([]pervichka.Page{p})[0].text(); got != "Акт № УТ-144 a от 31 мая 2025 г." {
		t.Errorf("title line with a word beside the number %q", got)
	}
	// A word of full height inside a box Tesseract drew too wide (seed
	// 1's photographed bill 021 boxed «СЧЁТ» over «№ 75/23») stays.
	p = pageScaled(1, 0.93, lines...)
	for i, w := range p.Words {
		if w.Text == "Акт" {
			p.Words[i].Box.X1 = num.X1
		}
	}
	p.Words = append(p.Words, pervichka.Word{Text: "7", Box: pervichka.Rect{X0: num.X0 + 8, Y0: num.Y0, X1: num.X0 + 20, Y1: num.Y1}, Conf: 0.5, Block: 1, Par: 1, Line: 1})
	if got := buildLines([]pervichka.Page{p})[0].text(); !strings.Contains(got, " 7 ") {
		t.Errorf("title line with a full-height word inside a wide box %q", got)
	}
}
