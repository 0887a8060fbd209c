package review

import (
	"strings"
	"time"
	"unicode"

	"github.com/pervichka/pervichka"
)

// fieldBox is where a field's value was found on a page.
type fieldBox struct {
	Key  string         `json:"key"`
	Page int            `json:"page"`
	Box  pervichka.Rect `json:"box"`
}

// maxRun is the most words one value may span.
const maxRun = 12

// locate finds each field's value among the pages' words and returns the
// box of the first run of words that spells it.
//
// Limits: the extractor does not record which words a value came from, so
// this searches for the value itself. Digits-only kinds (ИНН, КПП, БИК,
// accounts, amounts, dates) compare digit strings, so «43 399,59» finds
// "43399.59", «27.05.2026» finds "2026-05-27" (a date printed with the
// month in words is not found) and the ИНН in «2332496033/233201001» is
// boxed by its share of the word; other text compares letters and digits,
// case-folded. A value printed twice (an amount that is both a line's and
// the total) is boxed where it first appears, which may be the wrong
// place; a value OCR misread and the clerk or a checksum repair corrected
// is not found at all. Recording word indexes in the extractor would
// remove all three limits.
func locate(pages []pervichka.Page, r pervichka.Result) []fieldBox {
	type normWords struct{ digits, text []string }
	norm := make([]normWords, len(pages))
	for i, p := range pages {
		for _, w := range p.Words {
			norm[i].digits = append(norm[i].digits, keepDigits(w.Text))
			norm[i].text = append(norm[i].text, keepAlnum(w.Text))
		}
	}
	find := func(key, want string, digits bool) (fieldBox, bool) {
		if want == "" {
			return fieldBox{}, false
		}
		for pi, p := range pages {
			words := norm[pi].text
			if digits {
				words = norm[pi].digits
			}
			for i := range words {
				if words[i] == "" || !strings.HasPrefix(want, words[i]) {
					continue
				}
				acc := ""
				box := pervichka.Rect{}
				for j := i; j < len(words) && j < i+maxRun; j++ {
					acc += words[j]
					box = box.Union(p.Words[j].Box)
					if acc == want {
						return fieldBox{Key: key, Page: pi, Box: box}, true
					}
					if !strings.HasPrefix(want, acc) {
						break
					}
				}
			}
		}
		if digits {
			// One word holding several values, as «ИНН/КПП» prints:
			// «2332496033/233201001». The box is the part's share of the
			// word's width, by characters.
			for pi, p := range pages {
				for _, w := range p.Words {
					if !strings.Contains(keepDigits(w.Text), want) {
						continue
					}
					runes := []rune(w.Text)
					start := 0
					for i := 0; i <= len(runes); i++ {
						if i < len(runes) && runes[i] >= '0' && runes[i] <= '9' {
							continue
						}
						if keepDigits(string(runes[start:i])) == want && i > start {
							b := w.Box
							x0 := b.X0 + b.Dx()*start/len(runes)
							x1 := b.X0 + b.Dx()*i/len(runes)
							return fieldBox{Key: key, Page: pi, Box: pervichka.Rect{X0: x0, Y0: b.Y0, X1: x1, Y1: b.Y1}}, true
						}
						start = i + 1
					}
				}
			}
		}
		return fieldBox{}, false
	}
	var out []fieldBox
	try := func(key string, k kind, v string) {
		switch k {
		case kindDocType:
			return
		case kindDate:
			t, err := time.Parse(time.DateOnly, v)
			if err != nil {
				return
			}
			if b, ok := find(key, t.Format("02012006"), true); ok {
				out = append(out, b)
			} else if b, ok := find(key, t.Format("020106"), true); ok {
				out = append(out, b)
			}
			return
		case kindINN, kindKPP, kindBIK, kindAccount, kindCorrAccount, kindMoney, kindQuantity:
			d := keepDigits(v)
			if k == kindMoney || k == kindQuantity {
				// Amounts print with or without kopecks: "12 000" for 12000.00.
				if b, ok := find(key, d, true); ok {
					out = append(out, b)
					return
				}
				d = strings.TrimSuffix(d, "00")
			}
			if b, ok := find(key, d, true); ok {
				out = append(out, b)
			}
			return
		}
		if b, ok := find(key, keepAlnum(v), false); ok {
			out = append(out, b)
		}
	}
	for _, fl := range fields {
		try(fl.Key, fl.Kind, string(fl.get(&r)))
	}
	for i := range r.Items {
		for _, c := range itemColumns {
			try(itemKey(i, c.Key), c.Kind, string(c.get(&r.Items[i])))
		}
	}
	return out
}

func keepDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

func keepAlnum(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsLetter(r):
			r = unicode.ToLower(r)
			if r == 'ё' {
				r = 'е'
			}
			return r
		case unicode.IsDigit(r):
			return r
		}
		return -1
	}, s)
}
