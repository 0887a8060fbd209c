package imageprep

import (
	"image"
	"image/color"
	"testing"
)

// Lines OCR left out are found, lines it read and what is not print (a
// rule, a speck) are not.
func TestUncoveredLines(t *testing.T) {
	t.Parallel()
	const w, h, px = 1200, 900, 28.0
	lines := []string{
		"Поставщик: ООО «Ромашка»",
		"ИНН 7701234560 КПП 770101001",
		"Заказчик:",
		"Покупатель: ООО «Лютик», ИНН 5003123458",
		"Счёт на оплату № А-17 от 20 марта 2024 г.",
	}
	g := toGray(renderPage(t, w, h, px, lines, false))
	margin, lh := w/10, px*1.6
	baseline := func(i int) int { return margin + int(lh*float64(i+1)) }
	// A table rule and a speck, in no word's box.
	for x := margin; x < w-margin; x++ {
		g.SetGray(x, baseline(6), color.Gray{Y: 20})
		g.SetGray(x, baseline(6)+1, color.Gray{Y: 20})
	}
	for y := baseline(7); y < baseline(7)+5; y++ {
		for x := 600; x < 605; x++ {
			g.SetGray(x, y, color.Gray{Y: 20})
		}
	}
	// OCR read lines 0, 1 and 4; it dropped 2 and 3.
	var words []image.Rectangle
	for _, i := range []int{0, 1, 4} {
		for x := margin; x < w-margin-200; x += 200 {
			words = append(words, image.Rect(x, baseline(i)-int(px), x+190, baseline(i)+8))
		}
	}
	got := UncoveredLines(g, words, 8)
	if len(got) != 2 {
		t.Fatalf("found %v, want the two dropped lines", got)
	}
	for _, r := range got {
		mid := (r.Min.Y + r.Max.Y) / 2
		if !(mid > baseline(2)-int(px) && mid < baseline(2)) && !(mid > baseline(3)-int(px) && mid < baseline(3)) {
			t.Errorf("box %v is not on line 2 (baseline %d) or 3 (baseline %d)", r, baseline(2), baseline(3))
		}
	}
	// Widest first, and limit holds.
	if one := UncoveredLines(g, words, 1); len(one) != 1 || one[0].Dx() < got[1].Dx() {
		t.Errorf("limit 1: %v, want the widest of %v", one, got)
	}
	if UncoveredLines(g, words[:2], 8) != nil || UncoveredLines(nil, words, 8) != nil {
		t.Error("no text height to go by (or no image): want nothing")
	}
}

func toGray(m image.Image) *image.Gray {
	b := m.Bounds()
	g := image.NewGray(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			g.Set(x, y, m.At(x, y))
		}
	}
	return g
}

// A page of specks (texture, noise) has more uncovered "characters" than
// any page has letters: it is not grouped into lines at all.
func TestUncoveredLinesNoise(t *testing.T) {
	t.Parallel()
	g := image.NewGray(image.Rect(0, 0, 3000, 3000))
	for i := range g.Pix {
		g.Pix[i] = 250
	}
	for y := 10; y+12 < 3000; y += 18 {
		for x := 10; x+12 < 3000; x += 18 {
			for dy := range 12 {
				for dx := range 12 {
					g.Pix[(y+dy)*g.Stride+x+dx] = 20
				}
			}
		}
	}
	words := []image.Rectangle{image.Rect(0, 0, 1, 30), image.Rect(0, 0, 1, 30), image.Rect(0, 0, 1, 30)}
	if got := UncoveredLines(g, words, 8); got != nil {
		t.Errorf("a page of %d specks gave lines %v", (2990/18)*(2990/18), got)
	}
}

// An ink component that starts under a found word and runs past it (the
// word's last letters glued to an underline) is returned only for the
// part past the word: a re-read of the whole box would read the word's
// letters twice («ООО «Квадрат» рат»», seed 9601's scanner-app
// счёт-фактура 008).
func TestUncoveredLinesTrimsFoundWords(t *testing.T) {
	t.Parallel()
	const w, h, u = 1200, 600, 28
	g := image.NewGray(image.Rect(0, 0, w, h))
	for i := range g.Pix {
		g.Pix[i] = 255
	}
	// One blob, 300 × 24 px, from x = 500: its centre (650) lies past
	// the word that covers its first 60 px.
	for y := 300; y < 324; y++ {
		for x := 500; x < 800; x++ {
			if (x/6)%2 == 0 || y > 318 { // letter strokes over a rule
				g.SetGray(x, y, color.Gray{Y: 20})
			}
		}
	}
	word := image.Rect(400, 296, 560, 326)
	words := []image.Rectangle{word, image.Rect(100, 100, 250, 100+u), image.Rect(300, 100, 450, 100+u), image.Rect(100, 450, 250, 450+u)}
	got := UncoveredLines(g, words, 8)
	if len(got) != 1 {
		t.Fatalf("found %v, want the one line past the word", got)
	}
	if got[0].Min.X < word.Max.X || got[0].Max.X < 790 {
		t.Errorf("box %v reaches into the word %v or misses the blob's end (800)", got[0], word)
	}
}
