package fields

import pervichka "github.com/pervichka/pervichka"

// The items table, by stage:
//
//	this file          what a table holds (columns, rows) and findTable, which runs the rest
//	items_columns.go   locating the table: the header, the columns and their ranges
//	items_read.go      reading rows: which line starts, continues or ends one
//	items_row.go       one row's words by column made an item
//	items_repair.go    a row completed by its own arithmetic
//	confusion.go       a row's confusable digit changed back, quantity inferred
//	rows.go            rows read by arithmetic alone, when the table by headings
//	                   is empty or does not add up (checkTableByArithmetic)
//	totals_pick.go     the rows summed against the printed total

type colKind int

const (
	colOther colKind = iota
	colNo
	colName
	colQty
	colUnit
	colUnitCode
	colPrice
	colAmount
	colNet
	colVAT
	colRate
)

// column is one column of the items table with its x-range on the page.
type column struct {
	kind   colKind
	x0, x1 int // header cell extent
	lo, hi int // assignment range: halfway to the neighbours
	text   string
	// numbered columns come from the row of column numbers, small marks
	// centred over their columns: midpoints split them, also for names.
	numbered bool
}

// itemRow is one parsed row with the confidence of its words.
type itemRow struct {
	item     pervichka.Item
	amount   pervichka.Kopecks
	vat      pervichka.Kopecks
	hasVAT   bool
	hasAmt   bool
	rate     int
	conf     float64
	nameToks []token
	// cells are the row's words by column, as the row was read: where
	// each figure came from (Result.Locations); all of them make the row.
	cells map[colKind][]token
	// repaired: a figure was taken from the row's arithmetic over a
	// garbled reading (repairRow); the document goes to a clerk.
	repaired bool
	// confused: a figure was changed by one confusable digit
	// (repairConfusedDigits). The same print that made OCR confuse it may
	// have changed an unchecked digit elsewhere (a date's year), so the
	// document goes to a clerk even when the rows add up.
	confused bool
	// wholeMoney: the price or amount was read with no decimal
	// separator, as whole roubles; it may be kopecks run together
	// («10337235» for 103372,35), which the printed total decides.
	wholeMoney bool
	// noVAT: the row's figures say «без НДС» (its rate or tax cell), and
	// noVATConf is how sure OCR is of those words.
	noVAT     bool
	noVATConf float64
}

// tableResult is what the items table holds.
type tableResult struct {
	rows   []itemRow
	header int // line index of the header; -1 if none
	end    int // line index after the last row
	conf   float64
	rates  map[int]bool
}

// findTable locates the items table, maps its columns and reads its rows.
//
// The first line that looks like a heading is not always one: a bill's
// «Назначение платежа: Предоплата за товары …, НДС не облагается» names
// goods and VAT in cells set apart by the label's gap (seed 9201's
// счёт-оферта 015 read its rows only by arithmetic so, with the column
// «Срок» run into every name). A heading under which no row is read gives
// way to the next that names more kinds of column, up to maxHeadingTries
// of them; when none reads a row, the first stands, as before.
func findTable(lines []line, typ pervichka.DocType) tableResult {
	first := tableResult{header: -1, end: -1}
	tries, failed := 0, 0
	for i := range lines {
		// A header names at least two kinds of column in at least three
		// separate cells; a clause «Наименование, количество и стоимость
		// указаны в Спецификации» names them in running text.
		score := headerScore(&lines[i])
		if score < 2 || len(lines[i].cells(0.6)) < 3 || hasMoney(&lines[i]) {
			continue
		}
		if tries > 0 && score <= failed {
			// Only a heading that names more columns than those that
			// failed: the garbled lines of a photo's real heading,
			// wrapped under it, name fewer, and read as a table of
			// debris (seed 1's photo of счёт-фактура 008 lost its rows
			// to one, which the arithmetic reader had read).
			continue
		}
		res := tableAt(lines, i, typ)
		if len(res.rows) > 0 {
			return res
		}
		if tries == 0 {
			first = res
		}
		failed = max(failed, score)
		if tries++; tries == maxHeadingTries {
			break
		}
	}
	return first
}

// maxHeadingTries bounds the lines findTable tries as a table's heading:
// a page has one table, and a line or two of running text before it may
// look like a heading; the bound keeps a page of such lines from costing
// a table reading each.
const maxHeadingTries = 4

// maxHeadingLines is how far below the line that names the columns the
// row of column numbers is looked for. A УПД's heading is a dozen cells
// of up to eight lines each, and OCR may set every cell's lines at their
// own heights: seed 9701's scanner-app УПД 011 read it as 17 lines, the
// number row among them 17 below, and with it past the old bound of 16
// the table's heading ended at its «— всего» and the rows of its second
// page were lost. The search stops at the first line with money.
const maxHeadingLines = 24

// tableAt reads the table whose heading is (or includes) line hi.
func tableAt(lines []line, hi int, typ pervichka.DocType) tableResult {
	res := tableResult{header: hi, end: -1}
	u := lines[hi].unit
	// Header lines: the found line and the neighbours that continue it
	// (no numbers of money, close below).
	first, last := hi, hi
	for j := hi - 1; j >= 0 && j >= hi-3; j-- {
		if lines[j].page != lines[hi].page || float64(lines[first].box.Y0-lines[j].box.Y1) > 1.2*u || !headerContinuation(&lines[j]) || !alignedWith(&lines[j], &lines[hi]) {
			break
		}
		first = j
	}
	// The statutory forms print a row of column numbers under the
	// heading: when it is there, everything above it is heading.
	for j := hi + 1; j < len(lines) && j <= hi+maxHeadingLines && lines[j].page == lines[hi].page; j++ {
		if hasMoney(&lines[j]) {
			break
		}
		if numberRow(&lines[j]) {
			last = j
			break
		}
	}
	for j := hi + 1; last == hi && j < len(lines) && j <= hi+8; j++ {
		gap := float64(lines[j].box.Y0-lines[last].box.Y1) / u
		if lines[j].page != lines[hi].page || gap > 3 {
			break
		}
		if numberRow(&lines[j]) {
			last = j
			break
		}
		if gap > 1.2 {
			break
		}
		if hasMoney(&lines[j]) || !headerContinuation(&lines[j]) || !alignedWith(&lines[j], &lines[hi]) {
			break
		}
		last = j
	}
	cols := tableColumns(lines[first:last+1], typ)
	if len(cols) < 2 {
		return res
	}
	res.rows, res.end = readRows(lines, last+1, cols, typ)
	if cols[0].numbered && last > first {
		// Columns mapped by the row of column marks, which OCR can garble
		// into other marks that still rise («3 10 2 24 5) 4 5 6 ? e D) 10
		// 208 13 12 12а 13» under seed 10021's realistic счёт-фактура 007:
		// the «3» of the quantity's column over the names, every row of
		// that page lost). The heading's words map them too; the mapping
		// under which more rows' quantity × price gives their amount is
		// the one that cut the rows where the print does, if at least
		// half its rows do: headings' words over a slanted photo's rows
		// cut them in two as well (seed 10031's realistic счёт-фактура
		// 006: 5 of 16 rows added up, against 1 of 12 by its marks, most
		// of either without an amount). A tie keeps the marks.
		if alt := headerColumns(lines[first:last]); len(alt) >= 2 {
			rows, end := readRows(lines, last+1, alt, typ)
			if n := rowsAddingUp(rows); n > rowsAddingUp(res.rows) && 2*n >= len(rows) {
				res.rows, res.end = rows, end
			}
		}
	}
	if len(res.rows) == 0 {
		// Not a table after all: do not let it bound the totals.
		res.end = -1
	}
	res.rates = map[int]bool{}
	res.conf = 1
	for _, r := range res.rows {
		res.conf = min(res.conf, r.conf)
		if r.rate > 0 {
			res.rates[r.rate] = true
		}
	}
	return res
}

// tableColumns maps the columns of a table from its heading lines, the
// last of which may be the statutory forms' row of column numbers: that
// row is the forms' own, and maps the columns also when the title was
// unreadable and the type unknown.
func tableColumns(hl []line, typ pervichka.DocType) []column {
	last := &hl[len(hl)-1]
	if numberRow(last) && (typ == pervichka.DocVATInvoice || typ == pervichka.DocUPD || typ == pervichka.DocUnknown) {
		return formColumns(last)
	}
	if typ == pervichka.DocTORG12 && numberRow(last) {
		if cols := torg12Columns(last); cols != nil {
			return cols
		}
	}
	return headerColumns(hl)
}
