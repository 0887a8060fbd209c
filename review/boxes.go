package review

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/pervichka/pervichka"
)

// fieldBox is where a field's value is on a page. A row box (Row set,
// Key "row:N") is the whole of item N on the page; "total_words" is the
// total printed in words, lit with the total.
type fieldBox struct {
	Key  string         `json:"key"`
	Page int            `json:"page"`
	Box  pervichka.Rect `json:"box"`
	Row  bool           `json:"row,omitempty"`
}

// fieldBoxes are the boxes the document page draws for r, the result as
// shown. Where r has the extractor's locations (Result.Locations) those
// are drawn: the words each value was read from — where it was read when
// it is printed twice, on the misread word when OCR misread it and a
// checksum repair or the clerk put it right, a date or a total in words on
// its words, one box per line of a value (a wrapped name), one per page of
// an item row. A value with no location is not boxed — one the extractor
// computed rather than read (a total summed from the rows, a VAT from the
// rate, the VAT rate itself) — unless corrected names it: a value a clerk
// typed was read nowhere, and form.apply drops the location of every value
// the form changes, so for those, and for every field of a result stored
// before extraction recorded locations, the page falls back to finding the
// value among the words (locate, and its limits).
//
// Locations name pages by their place among the document's pages and
// words by their place in the page's words: one naming a page or a word
// the document no longer has (a page turned and not yet read again) is
// skipped.
func fieldBoxes(pages []pervichka.Page, r pervichka.Result, corrected map[string]bool) []fieldBox {
	if r.Locations == nil {
		return locate(pages, r)
	}
	onPage := func(l pervichka.Location) bool {
		if l.Page < 0 || l.Page >= len(pages) {
			return false
		}
		for _, w := range l.Words {
			if w < 0 || w >= len(pages[l.Page].Words) {
				return false
			}
		}
		return true
	}
	var out []fieldBox
	rows := map[int]bool{} // item rows with a location of their own
	for _, key := range slices.Sorted(maps.Keys(r.Locations)) {
		n, isRow := rowIndex(key)
		if isRow {
			rows[n] = true
			byPage := map[int]pervichka.Rect{}
			for _, l := range r.Locations[key] {
				if onPage(l) {
					byPage[l.Page] = byPage[l.Page].Union(l.Box)
				}
			}
			for _, pg := range slices.Sorted(maps.Keys(byPage)) {
				out = append(out, fieldBox{Key: "row:" + itoaInt(n), Page: pg, Box: byPage[pg], Row: true})
			}
			continue
		}
		for _, l := range r.Locations[key] {
			if onPage(l) {
				out = append(out, fieldBox{Key: key, Page: l.Page, Box: l.Box})
			}
		}
	}
	want := map[string]bool{}
	for key := range corrected {
		if _, located := r.Locations[key]; located {
			continue
		}
		want[key] = true
		if n, ok := itemOf(key); ok && !rows[n] {
			want["row:"+itoaInt(n)] = true // the row the clerk changed
		}
	}
	if len(want) > 0 {
		for _, b := range locate(pages, r) {
			if want[b.Key] {
				out = append(out, b)
			}
		}
	}
	return out
}

// rowIndex reads a whole row's path, "items[N]".
func rowIndex(key string) (int, bool) {
	n, col, ok := itemPath(key)
	return n, ok && col == ""
}

// itemOf reads the row of an item cell's path, "items[N].quantity".
func itemOf(key string) (int, bool) {
	n, col, ok := itemPath(key)
	return n, ok && col != ""
}

func itemPath(key string) (n int, col string, ok bool) {
	rest, ok := strings.CutPrefix(key, "items[")
	if !ok {
		return 0, "", false
	}
	num, col, ok := strings.Cut(rest, "]")
	if !ok {
		return 0, "", false
	}
	n, err := strconv.Atoi(num)
	if err != nil || n < 0 {
		return 0, "", false
	}
	if col != "" {
		col, ok = strings.CutPrefix(col, ".")
		if !ok || col == "" {
			return 0, "", false
		}
	}
	return n, col, true
}

// keptLocations are stored's locations of the values r (stored with a
// form applied) still holds. A value the form changed was not read where
// the extractor read the one before it, and an item row any of whose
// cells changed is no longer the row the extractor read (rows deleted
// above it move it up). The total in words stays where it is printed.
func keptLocations(stored, r pervichka.Result) map[string][]pervichka.Location {
	if stored.Locations == nil {
		return nil
	}
	before, after := values(stored), values(r)
	same := func(key string) bool { return before[key] == after[key] }
	out := make(map[string][]pervichka.Location, len(stored.Locations))
	for key, l := range stored.Locations {
		if n, ok := rowIndex(key); ok {
			if n >= len(r.Items) {
				continue
			}
			kept := true
			for _, c := range itemColumns {
				kept = kept && same(itemKey(n, c.Key))
			}
			if !kept {
				continue
			}
		} else if !same(key) {
			continue
		}
		out[key] = l
	}
	return out
}

// maxRun is the most words one value may span.
const maxRun = 12

// monthsGenitive are the month names as a date in words prints them.
var monthsGenitive = []string{"января", "февраля", "марта", "апреля", "мая", "июня",
	"июля", "августа", "сентября", "октября", "ноября", "декабря"}

// locate finds each field's value among the pages' words and returns the
// box of the first run of words that spells it, and a box per item row. It
// is the fallback of fieldBoxes: for results stored before extraction
// recorded where it read each value, and for values a clerk typed.
//
// Item rows first: a row is found by its name, and its band (the name's
// lines, across the page) holds its cells, so a row's quantity «1» is
// boxed in the row, not in «корп. 1» of an address. Fields outside the
// table are searched outside the rows' bands, so «Ставка НДС 20» is not
// boxed on a row's «20%».
//
// Limits: this searches for the value itself. Digits-only kinds (ИНН, КПП, БИК,
// accounts, amounts, dates) compare digit strings, so «43 399,59» finds
// "43399.59", «27.05.2026» finds "2026-05-27", and a date printed with
// the month in words («8 февраля 2023 г.») is found as day, month and
// year; the ИНН in «2332496033/233201001» is boxed by its share of the
// word; other text compares letters and digits, case-folded. A value
// printed twice outside the table is boxed where it first appears; a
// value OCR misread and the clerk or a checksum repair corrected is not
// found at all; an amount in words is never searched for. The extractor's
// locations have none of these limits.
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
