package fields

import (
	"math"
	"slices"
	"strings"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/ruvalid"
)

// rereadBIK reads the cell after a «БИК» label again with a digit
// whitelist when the page's reading gave no valid БИК there but an
// account was read. Tesseract reads a grid's row as one line with the
// cell beside it, and when the two stand half a line apart it may read
// the digits as noise: seed 9401's 300-dpi scan of a счёт-оферта read
// «БИК 044525225» as «БИК Ор» (confidence 0), which lost the БИК and the
// bank's name with it. The re-read stands only when an account read on
// the page passes its key with it (a settlement account's key or the
// correspondent account's), a check a misread БИК passes about one time
// in ten; then the bank block is read again with the re-read in place,
// so the name is found by the БИК's line as on a page read whole.
func (x *extraction) rereadBIK() {
	b := x.bank
	if x.rr == nil || b.bikValid || len(b.accs) == 0 {
		return
	}
	tries := 0
	for li := range x.lines {
		l := &x.lines[li]
		for i, t := range l.toks {
			if !isBIKLabel(t.key) || x.onTextLayer(l.toks[i:i+1]) {
				continue
			}
			box, end := bikCell(l, i)
			if box.Dx() < 4*int(l.unit) {
				continue
			}
			if tries++; tries > maxBIKRereads {
				return
			}
			text, c, err := x.rr.ReadLine(x.ctx, t.page, box, "0123456789")
			if err != nil {
				return
			}
			d := onlyDigits(text)
			if settle, corr := keysPassed(b.accs, d); !ruvalid.ValidBIK(d) || !settle && !corr {
				continue
			}
			lines := slices.Clone(x.lines)
			patched := &lines[li]
			patched.toks = slices.Concat(l.toks[:i+1],
				[]token{{text: d, key: d, box: box, conf: c * bikRereadFactor, page: t.page}},
				l.toks[end:])
			x.takeBIK(lines, d)
			return
		}
	}
	x.rereadBIKInColumn()
}

// rereadBIKInColumn reads again, as digits, a garbled word in the
// accounts' value column around them when no «БИК» label was read at all:
// banks' requisites print labels in one column and values in the next
// («Р/с № | БИК | К/с №», and 1C's grid with the БИК's value over the
// correspondent account's), so the БИК's value lines up with theirs.
// The realistic photo of seed 9401's счёт-оферта 001 read the row as
// «pet ее». With the label lost, the re-read must pass both keys: the
// settlement account's and the correspondent account's.
func (x *extraction) rereadBIKInColumn() {
	var acc, corr *accHit
	for i := range x.bank.accs {
		h := &x.bank.accs[i]
		switch {
		case len(h.v.toks) == 0 || h.keyed:
		case h.kind == 2 && corr == nil:
			corr = h
		case h.kind != 2 && acc == nil && ruvalid.PlausibleSettlement(h.v.text):
			acc = h
		}
	}
	if acc == nil || corr == nil || acc.v.toks[0].page != corr.v.toks[0].page {
		return
	}
	a, k := boxOf(acc.v.toks), boxOf(corr.v.toks)
	for li := range x.lines {
		l := &x.lines[li]
		u := l.unit
		if l.page != acc.v.toks[0].page || float64(l.box.Y1) < float64(min(a.Y0, k.Y0))-bikColumnReach*u || float64(l.box.Y0) > float64(max(a.Y1, k.Y1))+bikColumnReach*u {
			continue
		}
		for i, t := range l.toks {
			if math.Abs(float64(t.box.X0-a.X0)) > bikColumnSlack*u || countDigits(t.text) >= 9 || x.onTextLayer(l.toks[i:i+1]) {
				continue
			}
			pad := int(0.3 * u)
			box := pervichka.Rect{X0: a.X0 - pad, Y0: t.box.Y0 - pad, X1: max(t.box.X1, a.X0+int(bikDigitsWidth*u)) + pad, Y1: t.box.Y1 + pad}
			text, _, err := x.rr.ReadLine(x.ctx, t.page, box, "0123456789")
			if err != nil {
				return
			}
			d := onlyDigits(text)
			if !ruvalid.ValidBIK(d) || !ruvalid.ValidAccount(acc.v.text, d) || !ruvalid.ValidCorrAccount(corr.v.text, d) {
				// One word a line: the column's. The lines looked at
				// are the few within bikColumnReach of the accounts.
				break
			}
			lines := slices.Clone(x.lines)
			lines[li].toks = slices.Concat(l.toks[:i], []token{
				{text: "БИК", key: "бик", box: pervichka.Rect{X0: t.box.X0 - 1, Y0: t.box.Y0, X1: t.box.X0 - 1, Y1: t.box.Y1}, conf: 0, page: t.page},
				{text: d, key: d, box: box, conf: unlabelledBIKFactor, page: t.page},
			}, l.toks[i+1:])
			x.takeBIK(lines, d)
			return
		}
	}
}

// keysPassed reports whether a settlement account and a correspondent
// account among accs pass their keys with the БИК d.
func keysPassed(accs []accHit, d string) (settle, corr bool) {
	for _, a := range accs {
		if a.kind == 2 {
			corr = corr || ruvalid.ValidCorrAccount(a.v.text, d)
		} else {
			settle = settle || ruvalid.ValidAccount(a.v.text, d)
		}
	}
	return settle, corr
}

// takeBIK reads the bank block again from lines, where a re-read put the
// БИК d, and keeps it when d is the БИК it settles on.
func (x *extraction) takeBIK(lines []line, d string) {
	nb := findBank(lines, x.parties[0].column)
	if nb.bikValid && nb.bik.text == d {
		x.bank = nb
	}
}

func countDigits(s string) int {
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n++
		}
	}
	return n
}

// isBIKLabel matches «БИК» as OCR reads it: with a colon, or its Б read
// as 6 or in Latin.
func isBIKLabel(key string) bool {
	switch strings.TrimRight(key, ":.") {
	case "бик", "6ик", "bik", "бuk", "бик№":
		return true
	}
	return false
}

// bikCell is the box the БИК of the label at l.toks[i] is printed in:
// level with the label, over the words after it up to a gap of more than
// bikCellGap capital heights or another account's label — or, when no
// word follows, bikCellWidth from the label's end. end is the index of the
// first token after the cell.
func bikCell(l *line, i int) (box pervichka.Rect, end int) {
	lab := l.toks[i].box
	u := l.unit
	pad := int(0.3 * u)
	end = i + 1
	from, to := lab.X1+int(0.3*u), lab.X1+int(bikCellWidth*u)
	if i+1 < len(l.toks) && float64(l.toks[i+1].box.X0-lab.X1) < bikCellWidth*u {
		first := l.toks[i+1].box
		from, to = first.X0-pad, first.X1+pad
		end = i + 2
		for end < len(l.toks) {
			nx := l.toks[end]
			if float64(nx.box.X0-to) > bikCellGap*u || strings.ContainsAny(nx.key, "/№") {
				break
			}
			to = nx.box.X1 + pad
			end++
		}
		// A word shorter than nine digits: the cell is as wide as they are.
		to = max(to, from+int(bikDigitsWidth*u))
	}
	return pervichka.Rect{X0: from, Y0: lab.Y0 - pad, X1: to, Y1: lab.Y1 + pad}, end
}

const (
	// maxBIKRereads bounds the re-reads of «БИК» cells per document: a
	// page has one БИК label or two (a payer's too), and every re-read is
	// a recognition; a crafted page of many «БИК» words must not cost one
	// each.
	maxBIKRereads = 3
	// bikRereadFactor multiplies the confidence of a БИК taken from a
	// re-read of its cell: one reading, tied by an account key. Chosen
	// like bareBIKFactor, by hand; not varied.
	bikRereadFactor = 0.9
	// bikCellWidth: nine digits take about seven capital heights in the
	// fonts of the corpus and of real-dev (the scan's «044525225», 186 px
	// at a capital height of 26); a value further from its label than
	// this is another cell's. bikDigitsWidth is the width read at least.
	bikCellWidth   = 12
	bikDigitsWidth = 7
	// bikCellGap ends the cell at a gap wider than a space between words.
	bikCellGap = 1.5
	// bikColumnReach is how far above and below the accounts, in capital
	// heights, a БИК with its label lost is looked for: two rows of a
	// grid (a row is about 1.5-2 capital heights).
	bikColumnReach = 4
	// bikColumnSlack is how far the word's start may stand from the
	// account's, in capital heights: a photo's page is not quite square.
	bikColumnSlack = 1.5
	// unlabelledBIKFactor is the confidence of a БИК re-read in the
	// accounts' column without its label: tied by two keys, but where the
	// page's reading found nothing, so never sure alone.
	unlabelledBIKFactor = 0.8
)
