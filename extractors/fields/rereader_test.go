package fields

import (
	"context"
	"slices"
	"strings"

	pervichka "github.com/pervichka/pervichka"
)

// pageRereader is a second reading that reads the words of the pages it
// holds: the words whose centres fall inside the box, in reading order,
// at conf. It stands for an independent second OCR pass that reads right
// (the real one, extractors/tesseract's ReadLine over the page image, is
// tested there); given the unmutated pages of a mutated document, it is
// the re-read that an OCR fault of the first reading did not repeat.
type pageRereader struct {
	pages []pervichka.Page
	conf  float64
}

func (r pageRereader) ReadLine(_ context.Context, page int, box pervichka.Rect, whitelist string) (string, float64, error) {
	if page < 0 || page >= len(r.pages) {
		return "", 0, nil
	}
	var in []pervichka.Word
	for _, w := range r.pages[page].Words {
		cx, cy := (w.Box.X0+w.Box.X1)/2, (w.Box.Y0+w.Box.Y1)/2
		if cx >= box.X0 && cx <= box.X1 && cy >= box.Y0 && cy <= box.Y1 {
			in = append(in, w)
		}
	}
	slices.SortStableFunc(in, func(a, b pervichka.Word) int {
		if d := (a.Box.Y0 + a.Box.Y1) - (b.Box.Y0 + b.Box.Y1); d > a.Box.Dy() || -d > a.Box.Dy() {
			return d
		}
		return a.Box.X0 - b.Box.X0
	})
	parts := make([]string, 0, len(in))
	for _, w := range in {
		t := w.Text
		if whitelist != "" {
			t = strings.Map(func(c rune) rune {
				if strings.ContainsRune(whitelist, c) {
					return c
				}
				return -1
			}, t)
		}
		if t != "" {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, " "), r.conf, nil
}

// tesseractRereader is pageRereader with the confidence Tesseract gives a
// whitelisted reading: 0 when a mark of the box falls outside the
// whitelist (extractors/tesseract's TestReadLineWhitelistPunctuation
// shows the real engine doing so), conf otherwise.
type tesseractRereader struct{ pageRereader }

func (r tesseractRereader) ReadLine(ctx context.Context, page int, box pervichka.Rect, whitelist string) (string, float64, error) {
	all, _, _ := r.pageRereader.ReadLine(ctx, page, box, "")
	text, conf, err := r.pageRereader.ReadLine(ctx, page, box, whitelist)
	if whitelist != "" && strings.ReplaceAll(all, " ", "") != strings.ReplaceAll(text, " ", "") {
		conf = 0
	}
	return text, conf, err
}

// tightBoxRereader reads nothing in a box that is exactly one word's box
// of the first reading (as Tesseract read nothing in the tight box of
// «2326803529,» on 9841's realistic act 005) and reads like pageRereader
// in any other box.
type tightBoxRereader struct{ pageRereader }

func (r tightBoxRereader) ReadLine(ctx context.Context, page int, box pervichka.Rect, whitelist string) (string, float64, error) {
	if page >= 0 && page < len(r.pages) {
		for _, w := range r.pages[page].Words {
			if w.Box == box {
				return "", 0, nil
			}
		}
	}
	return r.pageRereader.ReadLine(ctx, page, box, whitelist)
}

// tightMisreadRereader misreads the tight box of a word holding digits
// (a glyph cut at the box's edge: «77» read «1» on study seed 10241's
// realistic счёт-фактура 011) and reads like pageRereader in any other
// box.
type tightMisreadRereader struct {
	pageRereader
	digits string
}

func (r tightMisreadRereader) ReadLine(ctx context.Context, page int, box pervichka.Rect, whitelist string) (string, float64, error) {
	if page >= 0 && page < len(r.pages) {
		for _, w := range r.pages[page].Words {
			if w.Box == box && strings.Contains(w.Text, r.digits) {
				return r.digits[1:], r.conf, nil
			}
		}
	}
	return r.pageRereader.ReadLine(ctx, page, box, whitelist)
}

// boxRereader answers the re-read of one word's box: tight with tight,
// with any margin around it with padded; other boxes like pageRereader.
type boxRereader struct {
	pageRereader
	word          string
	tight, padded string
}

func (r boxRereader) ReadLine(ctx context.Context, page int, box pervichka.Rect, whitelist string) (string, float64, error) {
	if page >= 0 && page < len(r.pages) {
		for _, w := range r.pages[page].Words {
			if !strings.Contains(w.Text, r.word) {
				continue
			}
			switch {
			case w.Box == box:
				return r.tight, r.conf, nil
			case box.X0 <= w.Box.X0 && box.Y0 <= w.Box.Y0 && box.X1 >= w.Box.X1 && box.Y1 >= w.Box.Y1 && box.Dx() < w.Box.Dx()+w.Box.Dy():
				return r.padded, r.conf, nil
			}
		}
	}
	return r.pageRereader.ReadLine(ctx, page, box, whitelist)
}
