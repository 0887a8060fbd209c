package fields

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/ruvalid"
)

// Where each value was read (pervichka.Result.Locations). The extractor
// knows the words behind every value it read, so the review UI can box the
// print a value came from instead of searching the page for its text — a
// search that finds a value printed twice where it first appears, and does
// not find one OCR misread and a checksum repaired.

// itemCellKinds names the columns of an item's cells as the result's
// paths do (items[N].quantity), in the order of pervichka.Item.
var itemCellKinds = []struct {
	key  string
	kind colKind
}{
	{"name", colName}, {"quantity", colQty}, {"unit", colUnit},
	{"price", colPrice}, {"amount", colAmount}, {"vat_amount", colVAT},
}

// locations lists where each value of res (the result x assembled) was
// read. A field gets a location only when res holds a value for it and the
// value came from words: a total summed from the rows (unless its words
// confirm it), a VAT computed from the rate or the rows' VAT has none. A
// unit named by its ОКЕИ code alone is located on the code.
func (x *extraction) locations(res *pervichka.Result) map[string][]pervichka.Location {
	out := map[string][]pervichka.Location{}
	// place records the words ts under key; text, when known, is the
	// value as read, to box its share of a word (locationsOf).
	place := func(key, text string, ts []token) {
		if ls := locationsOf(ts, text); len(ls) > 0 {
			out[key] = ls
		}
	}
	put := func(key string, text pervichka.Text, ts []token) {
		if text != "" {
			place(key, string(text), ts)
		}
	}
	put("number", res.Number, x.number.toks)
	put("date", res.Date, x.date.toks)
	for i, p := range []pervichka.Party{res.Supplier, res.Buyer} {
		n, pr := role(i).String(), x.parties[i]
		put(n+".name", p.Name, pr.name.toks)
		put(n+".inn", p.INN, pr.inn.toks)
		put(n+".kpp", p.KPP, pr.kpp.toks)
	}
	if b := res.SupplierBank; b != nil {
		put("supplier_bank.bank_name", b.BankName, x.bank.name.toks)
		put("supplier_bank.bik", b.BIK, x.bank.bik.toks)
		put("supplier_bank.account", b.Account, x.bank.account.toks)
		put("supplier_bank.corr_account", b.CorrAccount, x.bank.corr.toks)
	}
	if r := res.ContractRef; r != nil {
		put("contract_ref.number", r.Number, x.refToks[0])
		put("contract_ref.date", r.Date, x.refToks[1])
	}
	var words []token
	if w := x.totals.words; w != nil {
		words = w.toks
		place("total_words", "", words)
	}
	totalToks := x.total.toks
	if len(totalToks) == 0 && x.totals.words != nil && x.totals.words.k == x.totalK {
		// No total printed in figures: the total came from its words,
		// or from the rows with its words confirming it, and the words
		// are where it is printed.
		totalToks = words
	}
	put("total", res.Total, totalToks)
	put("vat_amount", res.VATAmount, x.vat.toks)
	for i, r := range x.table.rows {
		if i >= len(res.Items) {
			break
		}
		it := res.Items[i]
		var all []token
		for _, ts := range r.cells {
			all = append(all, ts...)
		}
		place(fmt.Sprintf("items[%d]", i), "", all)
		got := map[string]pervichka.Text{"name": it.Name, "quantity": it.Quantity, "unit": it.Unit,
			"price": it.Price, "amount": it.Amount, "vat_amount": it.VATAmount}
		for _, c := range itemCellKinds {
			ts := r.cells[c.kind]
			switch {
			case c.kind == colUnit && len(ts) == 0:
				ts = r.cells[colUnitCode] // the unit named by its code
			case c.kind == colVAT && !r.hasVAT:
				ts = nil // the VAT was computed from the rate, or not read
			}
			put(fmt.Sprintf("items[%d].%s", i, c.key), got[c.key], ts)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// locationsOf groups the words of a value by line, one Location each, top
// to bottom: tokens of one page whose boxes overlap vertically by half the
// lower one's height are one line. Tokens are taken left to right and each
// joins the line of the last token it overlaps, so a line tilted by a
// photo stays one line. A value of a single word that holds more than the
// value («2332496033/233201001» for the ИНН) is boxed by the value's share
// of the word's characters (text is the value; "" for none).
//
// A token of no words (a re-read crop) is boxed only when the value has
// no read words at all: beside read words its crop would box more than
// the words the Location names (FuzzExtract found an account whose span
// ran into a БИК re-read on its line).
func locationsOf(ts []token, text string) []pervichka.Location {
	if slices.ContainsFunc(ts, func(t token) bool { return len(t.words) > 0 }) {
		ts = slices.DeleteFunc(slices.Clone(ts), func(t token) bool { return len(t.words) == 0 })
	} else {
		ts = slices.Clone(ts)
	}
	slices.SortStableFunc(ts, func(a, b token) int {
		return cmp.Or(cmp.Compare(a.page, b.page), cmp.Compare(a.box.X0, b.box.X0), cmp.Compare(a.box.Y0, b.box.Y0))
	})
	type group struct {
		loc  pervichka.Location
		last pervichka.Rect
	}
	var gs []group
	for _, t := range ts {
		if t.box.Dx() <= 0 || t.box.Dy() <= 0 {
			continue
		}
		at := -1
		for i := range gs {
			if gs[i].loc.Page == t.page && sameLine(gs[i].last, t.box) {
				at = i
			}
		}
		if at < 0 {
			gs = append(gs, group{loc: pervichka.Location{Page: t.page}})
			at = len(gs) - 1
		}
		g := &gs[at]
		g.loc.Box = g.loc.Box.Union(t.box)
		g.loc.Words = append(g.loc.Words, t.words...)
		g.last = t.box
	}
	out := make([]pervichka.Location, 0, len(gs))
	for _, g := range gs {
		slices.Sort(g.loc.Words)
		g.loc.Words = slices.Compact(g.loc.Words)
		if len(g.loc.Words) == 0 {
			g.loc.Words = nil
		}
		out = append(out, g.loc)
	}
	slices.SortStableFunc(out, func(a, b pervichka.Location) int {
		return cmp.Or(cmp.Compare(a.Page, b.Page), cmp.Compare(a.Box.Y0, b.Box.Y0))
	})
	if text != "" && len(ts) == 1 && len(out) == 1 && len(ts[0].words) <= 1 {
		out[0].Box = share(ts[0], text)
	}
	return out
}

// sameLine reports whether two boxes overlap vertically by at least half
// the height of the lower one.
func sameLine(a, b pervichka.Rect) bool {
	overlap := min(a.Y1, b.Y1) - max(a.Y0, b.Y0)
	return overlap > 0 && 2*overlap >= min(a.Dy(), b.Dy())
}

// share is the part of a word's box that holds text, by its characters'
// share of the word's (boxes hold no positions of characters: a
// proportional estimate, exact for a monospaced print). The whole box when
// text is the whole word, is not in it (a repaired or normalised value),
// or is in it twice.
func share(t token, text string) pervichka.Rect {
	i := strings.Index(t.text, text)
	if i < 0 || len(text) == len(t.text) || strings.Contains(t.text[i+len(text):], text) {
		return t.box
	}
	n := utf8.RuneCountInString(t.text)
	from := utf8.RuneCountInString(t.text[:i])
	to := from + utf8.RuneCountInString(text)
	b := t.box
	return pervichka.Rect{X0: b.X0 + b.Dx()*from/n, Y0: b.Y0, X1: b.X0 + b.Dx()*to/n, Y1: b.Y1}
}

// wordsSpan narrows the words an amount in words was read from (its line
// and the lines around it, as findWordsAmount reads them) to the words of
// the amount: words are dropped from the left, then from the right, while
// what remains still reads as v; the rouble and kopeck words and a kopeck
// figure right after are then taken back (with 00 kopecks the numeral
// alone reads as v, and the box would stop short of «рублей 00 копеек»).
func wordsSpan(ts []token, v pervichka.Kopecks) []token {
	reads := func(a, b int) bool {
		k, ok := ruvalid.ParseAmountWords(joinTokens(ts[a:b]))
		return ok && k == v
	}
	a, b := 0, len(ts)
	for a+1 < b && reads(a+1, b) {
		a++
	}
	for b-1 > a && reads(a, b-1) {
		b--
	}
	for b < len(ts) {
		k := strings.Trim(ts[b].key, ".,;:()")
		figure := len(k) <= 2 && onlyDigits(k) == k && k != "" && strings.HasPrefix(ts[b-1].key, "руб")
		if !strings.HasPrefix(k, "руб") && !strings.HasPrefix(k, "коп") && !figure {
			break
		}
		b++
	}
	return ts[a:b:b]
}
