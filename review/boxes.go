package review

import (
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/pervichka/pervichka"
)

// fieldBox is where a field's value was found on a page. A row box
// (Row set, Key "row:N") is the whole line of item N on the page.
type fieldBox struct {
	Key  string         `json:"key"`
	Page int            `json:"page"`
	Box  pervichka.Rect `json:"box"`
	Row  bool           `json:"row,omitempty"`
}

// maxRun is the most words one value may span.
const maxRun = 12

// monthsGenitive are the month names as a date in words prints them.
var monthsGenitive = []string{"января", "февраля", "марта", "апреля", "мая", "июня",
	"июля", "августа", "сентября", "октября", "ноября", "декабря"}

// locate finds each field's value among the pages' words and returns the
// box of the first run of words that spells it, and a box per item row.
//
// Item rows first: a row is found by its name, and its band (the name's
// lines, across the page) holds its cells, so a row's quantity «1» is
// boxed in the row, not in «корп. 1» of an address. Fields outside the
// table are searched outside the rows' bands, so «Ставка НДС 20» is not
// boxed on a row's «20%».
//
// Limits: the extractor does not record which words a value came from, so
// this searches for the value itself. Digits-only kinds (ИНН, КПП, БИК,
// accounts, amounts, dates) compare digit strings, so «43 399,59» finds
// "43399.59", «27.05.2026» finds "2026-05-27", and a date printed with
// the month in words («8 февраля 2023 г.») is found as day, month and
// year; the ИНН in «2332496033/233201001» is boxed by its share of the
// word; other text compares letters and digits, case-folded. A value
// printed twice outside the table is boxed where it first appears; a
// value OCR misread and the clerk or a checksum repair corrected is not
// found at all. Recording word indexes in the extractor would remove
// these limits.
func locate(pages []pervichka.Page, r pervichka.Result) []fieldBox {
	type normWords struct{ digits, text []string }
	norm := make([]normWords, len(pages))
	for i, p := range pages {
		for _, w := range p.Words {
			norm[i].digits = append(norm[i].digits, keepDigits(w.Text))
			norm[i].text = append(norm[i].text, keepAlnum(w.Text))
		}
	}
	// allow says which words a search may use: page, word index.
	type allowFunc func(pi, wi int) bool
	find := func(key, want string, digits bool, allow allowFunc) (fieldBox, bool) {
		if want == "" {
			return fieldBox{}, false
		}
		for pi, p := range pages {
			words := norm[pi].text
			if digits {
				words = norm[pi].digits
			}
			for i := range words {
				if words[i] == "" || !allow(pi, i) || !strings.HasPrefix(want, words[i]) {
					continue
				}
				acc := ""
				box := pervichka.Rect{}
				for j := i; j < len(words) && j < i+maxRun && allow(pi, j); j++ {
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
				for wi, w := range p.Words {
					if !allow(pi, wi) || !strings.Contains(norm[pi].digits[wi], want) {
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
	// findWordsDate finds «8 февраля 2023 г.»: a day, the month's name and
	// the year in consecutive words (quotes around the day allowed).
	findWordsDate := func(key string, t time.Time, allow allowFunc) (fieldBox, bool) {
		month := monthsGenitive[t.Month()-1]
		day, year := t.Day(), t.Year()
		for pi, p := range pages {
			n := norm[pi]
			for i := 0; i+2 < len(p.Words); i++ {
				if !allow(pi, i) || !allow(pi, i+2) {
					continue
				}
				d, err := atoiDigits(n.digits[i])
				if err != nil || d != day || n.text[i+1] != month || !strings.HasPrefix(n.digits[i+2], itoaInt(year)) {
					continue
				}
				return fieldBox{Key: key, Page: pi, Box: p.Words[i].Box.Union(p.Words[i+1].Box).Union(p.Words[i+2].Box)}, true
			}
		}
		return fieldBox{}, false
	}
	var out []fieldBox
	try := func(key string, k kind, v string, allow allowFunc) {
		switch k {
		case kindDocType:
			return
		case kindDate:
			t, err := time.Parse(time.DateOnly, v)
			if err != nil {
				return
			}
			if b, ok := find(key, t.Format("02012006"), true, allow); ok {
				out = append(out, b)
			} else if b, ok := find(key, t.Format("020106"), true, allow); ok {
				out = append(out, b)
			} else if b, ok := findWordsDate(key, t, allow); ok {
				out = append(out, b)
			}
			return
		case kindINN, kindKPP, kindBIK, kindAccount, kindCorrAccount, kindMoney, kindQuantity:
			d := keepDigits(v)
			if k == kindMoney || k == kindQuantity {
				// Amounts print with or without kopecks: "12 000" for 12000.00.
				if b, ok := find(key, d, true, allow); ok {
					out = append(out, b)
					return
				}
				d = strings.TrimSuffix(d, "00")
			}
			if b, ok := find(key, d, true, allow); ok {
				out = append(out, b)
			}
			return
		}
		if b, ok := find(key, keepAlnum(v), false, allow); ok {
			out = append(out, b)
		}
	}
	// Item rows: each row's name gives its band; the band's words are
	// its line on the page.
	type band struct {
		page   int
		y0, y1 int
	}
	var rows []band
	inRow := make([][]bool, len(pages))
	for i := range pages {
		inRow[i] = make([]bool, len(pages[i].Words))
	}
	anywhere := func(int, int) bool { return true }
	for i := range r.Items {
		nb, ok := find(itemKey(i, "name"), keepAlnum(string(r.Items[i].Name)), false, func(pi, wi int) bool { return !inRow[pi][wi] })
		if !ok {
			continue
		}
		b := band{page: nb.Page, y0: nb.Box.Y0, y1: nb.Box.Y1}
		row := pervichka.Rect{}
		for wi, w := range pages[b.page].Words {
			if c := (w.Box.Y0 + w.Box.Y1) / 2; c >= b.y0 && c <= b.y1 {
				inRow[b.page][wi] = true
				row = row.Union(w.Box)
			}
		}
		rows = append(rows, b)
		out = append(out, nb, fieldBox{Key: "row:" + itoaInt(i), Page: b.page, Box: row, Row: true})
		inBand := func(pi, wi int) bool {
			if pi != b.page {
				return false
			}
			c := (pages[pi].Words[wi].Box.Y0 + pages[pi].Words[wi].Box.Y1) / 2
			return c >= b.y0 && c <= b.y1
		}
		for _, c := range itemColumns[1:] {
			try(itemKey(i, c.Key), c.Kind, string(c.get(&r.Items[i])), inBand)
		}
	}
	outside := func(pi, wi int) bool { return !inRow[pi][wi] }
	if len(rows) == 0 {
		outside = anywhere
	}
	for _, fl := range fields {
		try(fl.Key, fl.Kind, string(fl.get(&r)), outside)
	}
	return out
}

func atoiDigits(s string) (int, error) { return strconv.Atoi(s) }

func itoaInt(i int) string { return strconv.Itoa(i) }

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
