package fields

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	pervichka "github.com/pervichka/pervichka"
)

// Reading the rows of a located table: which line starts a row (its
// number, or figures of its own after a complete row), which continues
// one (a wrapped name), where the table ends; each row's words by column.

// isTableEnd reports the line after the last row: totals or the end of the
// table's text.
func isTableEnd(l *line) bool {
	if len(l.toks) == 0 {
		return true
	}
	k := strings.Trim(l.toks[0].key, ":")
	for _, w := range []string{"итого", "всего", "итог"} {
		if matchScore(k, w) > 0 {
			return true
		}
	}
	for _, t := range l.toks {
		if tk := strings.Trim(t.key, ":"); matchScore(tk, "итого") > 0 || tk == "всего" {
			return true
		}
	}
	return false
}

// readRows reads table rows from line start until the totals.
//
// A page's repeated heading maps the columns again for the rows under it:
// a photographed page has its own scale and margins, so the first page's
// x-ranges cut the second page's rows in the wrong places (seed 31's
// scanner-app УПД 005: every row of page 2 lost its figures).
func readRows(lines []line, start int, cols []column, typ pervichka.DocType) ([]itemRow, int) {
	var rows []itemRow
	type cellToks map[colKind][]token
	var cur cellToks
	var curConf, curUnit float64
	flush := func() {
		if cur == nil {
			return
		}
		if r, ok := parseRow(cur, curConf, curUnit); ok {
			rows = append(rows, r)
		}
		cur = nil
	}
	hasNo, hasName := false, false
	for _, c := range cols {
		switch c.kind {
		case colNo:
			hasNo = true
		case colName:
			hasName = true
		}
	}
	end := start
	lastNo := -1
	lastY := 0
	lastPage := -1
	// realigned is the page whose columns were last carried over by its
	// rows; prevEdges the row edges of the page being read.
	realigned := -1
	var prevEdges, curEdges rowEdges
	curEdgesPage := -1
	for i := start; i < len(lines); i++ {
		l := &lines[i]
		if l.page != curEdgesPage {
			prevEdges, curEdges, curEdgesPage = curEdges, rowEdges{}, l.page
		}
		curEdges.add(l)
		if lastPage >= 0 && l.page != lastPage && (len(rows) > 0 || cur != nil) {
			// A long table goes on over the page and prints its
			// heading again (the УПД of the 1096 edition: «… без
			// налога — всего», whose «всего» would end the table).
			if hl, h := repeatedHeader(lines, i); h >= i {
				// The first page's columns, carried over by the marks
				// both headings read alike, are the surest: they read
				// that page's rows. Failing that, the heading's own.
				c := tableColumns(hl, typ)
				if a, ok := alignColumns(cols, c); ok {
					cols = a
				} else if sameTable(c, cols) {
					cols = c
				}
				i = h
				lastY, lastPage = lines[h].box.Y1, lines[h].page
				continue
			}
			if realigned != l.page {
				// No heading: the rows go on where the last page's
				// were, at this photo's own scale and margins.
				realigned = l.page
				if a, b, ok := rowAlignment(lines, i, prevEdges); ok {
					cols = shiftColumns(cols, a, b)
				}
			}
		}
		if isTableEnd(l) || (len(rows) == 0 && cur == nil && i-start > 6) {
			end = i
			break
		}
		if debrisLine(l) || numberRow(l) || (garbledNumberRow(l) && (len(rows) > 0 || cur != nil)) {
			// The background past a photographed sheet's edge read as
			// words: neither a row nor the end of the table, which may
			// go on over the page. Nor is a row of column numbers a
			// row, wherever it is found; one too garbled to map columns
			// by is known among rows already read (a next page's).
			// Before the first row it is left as it was: seed 1's
			// photographed счёт-фактура 005, its heading unreadable,
			// read its first row only as that line's continuation.
			continue
		}
		if hasNo {
			if ts, ok := splitRowNumber(l.toks, max(lastNo, 0)+1); ok {
				lc := *l
				lc.toks = ts
				l = &lc
			}
		}
		if lastPage == l.page && float64(l.box.Y0-lastY) > 4*l.unit && cur != nil {
			// A wide gap: the table ended without a totals line.
			end = i
			break
		}
		lastY, lastPage = l.box.Y1, l.page
		cells := cellToks{}
		// A number OCR split into digit groups («122 165.88») belongs to
		// one column whole: the one its centre falls in.
		groupCol := map[int]int{}
		for _, a := range amounts(l) {
			if a.last == a.first {
				continue
			}
			probe := token{box: boxOf(a.toks)}
			for k := a.first; k <= a.last; k++ {
				groupCol[k] = columnOf(cols, probe)
			}
		}
		for ti, t := range l.toks {
			ci := columnOf(cols, t)
			if g, ok := groupCol[ti]; ok {
				ci = g
			}
			if ci < 0 {
				continue
			}
			kind := cols[ci].kind
			if kind == colOther && ci+1 < len(cols) && cols[ci+1].kind == colName && ci == 0 && !isRowNumber(t.text) && !garbledRowNumber(t.text) {
				// «№» read as «м» or «Ne» names no column: a name that
				// starts under it is still the name.
				kind = colName
			}
			if kind == colNo && hasName && (!(isRowNumber(t.text) || garbledRowNumber(t.text)) || len(cells[colNo]) > 0) {
				// The № column is narrow and its heading centred: a
				// left-aligned name may start inside its range.
				kind = colName
			}
			cells[kind] = append(cells[kind], t)
		}
		starts := false
		if hasNo {
			// Rows are numbered in order: «2025» of a wrapped «за июль
			// 2025 г.» under the № column does not start a row.
			if ns := cells[colNo]; len(ns) > 0 {
				n, err := strconv.Atoi(strings.Trim(ns[0].text, "."))
				if err == nil && (lastNo < 0 || n == lastNo+1 || (n > lastNo+1 && n <= lastNo+3 && rowHasFigures(cells) && curHasAmount(cur))) {
					// A number or two skipped («9» after «7») when OCR
					// lost a row's number: a line with figures of its own
					// after a complete row still starts the next.
					starts = true
					lastNo = n
				} else if garbledRowNumber(ns[0].text) && rowHasFigures(cells) && (cur == nil || len(cur[colAmount]) > 0 || len(cur[colNet]) > 0) {
					// OCR reads a row number as «$», «2?», «S»: a line
					// with figures of its own still starts the next row
					// once the current one has its amount.
					starts = true
					lastNo = max(lastNo+1, 1)
					if len(ns) > 1 {
						cells[colName] = append(ns[1:], cells[colName]...)
					}
					cells[colNo] = ns[:1]
				} else {
					cells[colName] = append(ns, cells[colName]...)
					sort.SliceStable(cells[colName], func(i, j int) bool { return cells[colName][i].box.X0 < cells[colName][j].box.X0 })
					delete(cells, colNo)
				}
			}
			if !starts && lineHasAmount(cells) && len(cells[colName]) > 0 && !fillsGaps(cur, cells) && ((cur != nil && curHasAmount(cur)) || (cur == nil && len(rows) == 0 && lastNo < 0)) ||
				!starts && cur == nil && len(rows) == 0 && lastNo < 0 && lineHasAmount(cells) && (cellHasFigure(colQty, cells[colQty]) || cellHasFigure(colPrice, cells[colPrice])) {
				// No row number read at all, but a name and an amount
				// of its own after a complete row, or as the first line
				// of figures under the heading (a photo's «1» lost in the
				// table's rule): a row. A wrapped name's second line has
				// no amount. So is the first line of figures under the
				// heading whose name OCR lost too (seed 8911's realistic
				// УПД 002: «gm 26 797,00 20722,00», the «gm» under the
				// unit's code): a quantity or price and an amount of its
				// own, or every row after it would move up one.
				starts = true
				lastNo++
				if lastNo == 0 {
					lastNo = 1
				}
			} else if !starts && curHasAmount(cur) && garbledRow(cells) {
				starts = true
				lastNo++
			}
		} else {
			for _, k := range []colKind{colAmount, colPrice, colQty} {
				if len(cells[k]) > 0 {
					if _, _, ok := cleanNumber(cells[k][0].text); ok {
						starts = true
						break
					}
				}
			}
			if !starts && curHasAmount(cur) && garbledRow(cells) {
				starts = true
			}
		}
		if starts {
			flush()
			cur = cells
			curConf = minConf(l.toks)
			curUnit = l.unit
			continue
		}
		if cur == nil {
			continue
		}
		if vatNote(l, cells) {
			// A note under the table, not the last name's second line.
			end = i
			break
		}
		// A continuation line: more of the name (and of a wrapped unit).
		// A row whose name wraps prints its figures centred between the
		// name's lines, and they may come with the second: while the row
		// has none, they are its figures.
		takeFigures := !rowHasFigures(cur) && rowHasFigures(cells)
		gaps := fillsGaps(cur, cells)
		for k, ts := range cells {
			switch {
			case k == colName || k == colUnit || (takeFigures && k != colNo && len(cur[k]) == 0):
				cur[k] = append(cur[k], ts...)
			case gaps && figureKind(k) && !cellHasFigure(k, cur[k]):
				cur[k] = ts
			}
		}
		curConf = min(curConf, minConf(cells[colName]))
		end = i + 1
	}
	flush()
	if end < start {
		end = start
	}
	rows = dropTotalsRow(dropNumbersRow(rows))
	if !hasNo {
		rows = unnumberNames(rows)
	}
	return rows, end
}

// unnumberNames takes the rows' numbers out of their names when the table
// was read with no № column (its heading lost) and so the name's column
// took them: «1 Юридические услуги …», «5 |Консультационные услуги …»
// (9901's realistic act 003, all six names so). Only when most rows
// start with their own number in order, so a name that starts with a
// figure («3 м кабеля») in a table whose rows do not is left alone. A
// speck before the number («1 2 Услуги …» on the second row) goes with it.
func unnumberNames(rows []itemRow) []itemRow {
	at := func(i int) int { // how many leading words of row i are its number
		ns := rows[i].nameToks
		want := strconv.Itoa(i + 1)
		switch {
		case len(ns) > 1 && strings.Trim(ns[0].text, ".|[]") == want:
			return 1
		case len(ns) > 2 && len([]rune(ns[0].text)) <= 2 && !strings.ContainsFunc(ns[0].text, unicode.IsLetter) &&
			strings.Trim(ns[1].text, ".|[]") == want:
			return 2
		}
		return 0
	}
	numbered := 0
	for i := range rows {
		if at(i) > 0 {
			numbered++
		}
	}
	if len(rows) < 2 || 2*numbered <= len(rows) {
		return rows
	}
	for i := range rows {
		n := at(i)
		if n == 0 {
			continue
		}
		r := &rows[i]
		ns := slices.Clone(r.nameToks[n:])
		ns[0].text = strings.TrimLeft(ns[0].text, "|[]")
		ns[0].key = wordKey(ns[0].text)
		r.nameToks = ns
		if r.cells != nil {
			r.cells[colName] = ns
		}
		r.item.Name = itemName(ns)
	}
	return rows
}

// dropNumbersRow removes a first row that is the form's row of column
// numbers («1 2 3 … 15» under a ТОРГ-12's or УПД's heading) garbled past
// knowing: a «name» with no letter, no price, and a whole number where the
// amount stands. Seed 9501's realistic ТОРГ-12 010 read «$ ? 3 * $ * ? . з
// 0 u 2 5) и 15» as an item of 15,00, and its rows no longer added up to
// the total they printed. An item always names its goods in a word: a
// lone letter is a garbled mark (study seed 10261's realistic ТОРГ-12 010
// read «i 2 4 5 7 а 9 10 и wu u м 5» as an item «i 2» of 5,00, which moved
// its 28 rows down by one).
func dropNumbersRow(rows []itemRow) []itemRow {
	if len(rows) < 2 {
		return rows
	}
	r := rows[0]
	if r.wholeMoney && r.item.Price == "" && !namesInWord(string(r.item.Name)) {
		return rows[1:]
	}
	return rows
}

// namesInWord reports whether s holds a word of two letters or more.
func namesInWord(s string) bool {
	for _, w := range strings.Fields(s) {
		n := 0
		for _, c := range w {
			if unicode.IsLetter(c) {
				n++
			}
		}
		if n >= 2 {
			return true
		}
	}
	return false
}

// vatNote reports a line under a table that is a note on its VAT, not more
// of the last row's name: «НДС не облагается.», «Цены и суммы в таблице
// указаны с учетом НДС (20%).», «Без налога (НДС)». 1C prints such notes
// flush with the table's left edge, a few pixels left of the names and at
// a row's pitch, so geometry does not tell them from a wrapped name (seed
// 8961's born-digital bills and 9201's счёт-оферта 015 read them into the
// last name); what does is a sentence that starts in the name's column
// with a capital, names the tax and carries no figures of a row. A name
// that wraps goes on in lower case or with its own words («за март
// 2025 г.»), and a VAT remark inside a name («(без НДС)») rides on its
// first line.
func vatNote(l *line, cells map[colKind][]token) bool {
	ns := cells[colName]
	if len(ns) == 0 || len(l.toks) == 0 || ns[0].box != l.toks[0].box || rowHasFigures(cells) {
		return false
	}
	first := []rune(strings.TrimLeft(ns[0].text, "«\"(-—"))
	if len(first) < 2 || !unicode.IsUpper(first[0]) || !unicode.IsLetter(first[1]) {
		return false
	}
	for _, t := range l.toks {
		k := strings.Trim(t.key, "().,:;")
		if k == "ндс" || strings.HasPrefix(k, "налог") || strings.HasPrefix(k, "указан") {
			// «указаны» is the note's own verb («Цены и суммы в таблице
			// указаны с учетом НДС»), there when OCR garbles the tax
			// (seed 9301's scan 014: «с учетом-НАС-(2»).
			return true
		}
		for _, part := range strings.FieldsFunc(k, func(r rune) bool { return r == '-' || r == '—' || r == '–' }) {
			if part == "ндс" {
				return true
			}
		}
	}
	return false
}

// dropTotalsRow removes a last row that is the table's grand total read
// as a row: no name of its own, and its amount or its VAT equal to the
// sum of the rows above it. The totals line prints its figures in the
// rows' columns, and when its label sits a line below them («Всего к
// оплате» under «26 077,99 | x | 5 737,17 | 31 815,16», a photo's slant)
// or is lost, the figures read as one more row: seed 8801's scanner-app
// счёт-фактура 013 and realistic photo 019 doubled their totals so
// (Σ rows taken as the total). A real row without a name is left alone:
// it is not the sum of the others.
//
// The label garbled and the signature line under it read into the
// «name» («; = onnare (9) Руководитель организации или иное
// уполномоченное», seed 9501's realistic счёт-фактура 009) does not make
// the row an item: a row named so is dropped on the same sums, and any
// row whose amount and VAT both equal the sums of two or more rows above
// it (a real item does not, to the kopeck, in two columns).
func dropTotalsRow(rows []itemRow) []itemRow {
	if len(rows) < 2 {
		return rows
	}
	last := rows[len(rows)-1]
	name := strings.TrimSpace(string(last.item.Name))
	labelled := totalsRowName(name)
	var amt, vat pervichka.Kopecks
	amts, vats := true, true
	for _, r := range rows[:len(rows)-1] {
		amt += r.amount
		vat += r.vat
		amts = amts && r.hasAmt
		vats = vats && r.hasVAT
	}
	amtSum := amts && last.hasAmt && last.amount == amt
	vatSum := vats && last.hasVAT && vat > 0 && last.vat == vat
	switch {
	case (name == "" || labelled) && (amtSum || vatSum),
		len(rows) >= 3 && amtSum && vatSum:
		return rows[:len(rows)-1]
	}
	return rows
}

// totalsRowName reports a row «name» that holds the totals line's label:
// «Всего к оплате (9)» of the счёт-фактура and УПД as OCR left it (the
// form marker «(9)», «оплате», «всего», «итого»).
func totalsRowName(name string) bool {
	k := strings.ToLower(name)
	return strings.Contains(k, "(9)") || strings.Contains(k, "оплате") ||
		strings.HasPrefix(k, "всего") || strings.HasPrefix(k, "итого")
}

// repeatedHeader reports a table's heading printed again at the top of a
// page: its lines (from the first naming two columns on, and the row of
// column numbers under it when printed) and the index of its last line.
// end is -1 when the lines from i on (the first of a page) do not start
// with a heading.
func repeatedHeader(lines []line, i int) (heading []line, end int) {
	end = -1
	debris := 0
	for j := i; j < len(lines) && j < i+repeatedHeaderLines+debris && lines[j].page == lines[i].page; j++ {
		l := &lines[j]
		if hasMoney(l) {
			break
		}
		if heading == nil && debrisLine(l) {
			// The table or the wood above the sheet's top edge read as
			// words (seed 31's scanner-app УПД 015, page 2: three such
			// lines over the heading).
			debris++
			continue
		}
		if numberRow(l) {
			if heading != nil {
				return append(heading, *l), j
			}
			break
		}
		switch {
		case headerScore(l) >= 2 && len(l.cells(0.6)) >= 3:
			heading, end = append(heading, *l), j
		case heading != nil && headerContinuation(l):
			heading, end = append(heading, *l), j
		case heading == nil && j-i-debris >= 3:
			// Three lines of something else first: not a heading at
			// the top of the page.
			return nil, -1
		}
	}
	return heading, end
}

// repeatedHeaderLines bounds the lines a repeated heading is looked for
// in: the УПД's heading of the 1096 edition wraps over 14 lines, and a
// photo adds debris at the page's edge between them (seed 31's scanner-app
// УПД 015, page 2: 26 lines from the top to the row of column numbers).
const repeatedHeaderLines = 32

// alignColumns carries the columns of the page before over to a page
// whose repeated heading OCR garbled too much to map them («^ 1 le 6 2 2 3
// 4 5 6 7 8 % 10 103 п 12 Wa» under seed 31's realistic УПД 015, page 2,
// where page 1 read «1 la 16 2 2a 3 4 5 …»): the marks read the same on
// both («1», «3», «4», «5», «10», «12») tie the two pages' x by a scale
// and a shift, fitted by least squares. It needs alignMinMarks marks read
// alike, each unique on its page, a scale a photo can give and every mark
// within alignMaxResidual of the fit; otherwise ok is false.
func alignColumns(prev, cur []column) ([]column, bool) {
	unique := func(cs []column) map[string]int {
		seen := map[string]int{}
		for i, c := range cs {
			if c.text == "" {
				continue
			}
			if _, dup := seen[c.text]; dup {
				seen[c.text] = -1
				continue
			}
			seen[c.text] = i
		}
		return seen
	}
	pu, cu := unique(prev), unique(cur)
	var xs, ys, ws []float64
	for t, i := range pu {
		j, ok := cu[t]
		if i < 0 || !ok || j < 0 {
			continue
		}
		xs = append(xs, float64(prev[i].x0+prev[i].x1)/2)
		ys = append(ys, float64(cur[j].x0+cur[j].x1)/2)
		ws = append(ws, float64(prev[i].x1-prev[i].x0))
	}
	if len(xs) < alignMinMarks {
		return nil, false
	}
	var mx, my float64
	for i := range xs {
		mx += xs[i]
		my += ys[i]
	}
	mx /= float64(len(xs))
	my /= float64(len(xs))
	var sxy, sxx float64
	for i := range xs {
		sxy += (xs[i] - mx) * (ys[i] - my)
		sxx += (xs[i] - mx) * (xs[i] - mx)
	}
	if sxx == 0 {
		return nil, false
	}
	a := sxy / sxx
	b := my - a*mx
	if a < 0.5 || a > 2 {
		return nil, false
	}
	slices.Sort(ws)
	tol := alignMaxResidual * max(ws[len(ws)/2], 1) * a
	for i := range xs {
		if r := ys[i] - (a*xs[i] + b); r > tol || r < -tol {
			return nil, false
		}
	}
	return shiftColumns(prev, a, b), true
}

// shiftColumns maps the columns' x by x → a·x + b.
func shiftColumns(cols []column, a, b float64) []column {
	at := func(x int) int {
		if x <= -1<<30 || x >= 1<<30 {
			return x // the open ends of the first and last columns
		}
		return int(a*float64(x) + b)
	}
	out := make([]column, len(cols))
	for i, c := range cols {
		c.x0, c.x1, c.lo, c.hi = at(c.x0), at(c.x1), at(c.lo), at(c.hi)
		out[i] = c
	}
	return out
}

// rowEdges gathers, over one page's table lines, where rows begin and
// end: the centres of leading row numbers and the right edges of the last
// sum of money on lines that carry one.
type rowEdges struct {
	left, right []float64
}

func (e *rowEdges) add(l *line) {
	m, ok := lastMoney(amounts(l))
	if !ok {
		return
	}
	e.right = append(e.right, float64(m.toks[len(m.toks)-1].box.X1))
	if t := l.toks[0]; isRowNumber(t.text) && m.first > 0 {
		e.left = append(e.left, float64(t.box.X0+t.box.X1)/2)
	}
}

// rowAlignment ties the x of a page whose table goes on without a
// heading to the x of the page before (prev, that page's row edges): the
// rows on both stand in the same columns, so their numbers and their
// right-hand sums mark the same two places. A photographed page has its
// own margins (the sheet cut out of one frame, not of the other; seed
// 9801's realistic act 007, whose page 2 then read its figures into the
// names). Up to rowAlignLines lines are looked at; with both marks on
// both pages the map is a scale and a shift, with the right edges alone a
// shift. ok is false when neither mark is seen on both pages or the
// scale is not one a photo gives.
func rowAlignment(lines []line, i int, prev rowEdges) (a, b float64, ok bool) {
	var cur rowEdges
	for j := i; j < len(lines) && j < i+rowAlignLines && lines[j].page == lines[i].page; j++ {
		if isTableEnd(&lines[j]) {
			break
		}
		cur.add(&lines[j])
	}
	if len(prev.right) < 2 || len(cur.right) == 0 {
		return 0, 0, false
	}
	r1, r2 := median(prev.right), median(cur.right)
	if len(prev.left) >= 2 && len(cur.left) >= 1 {
		l1, l2 := median(prev.left), median(cur.left)
		if r1-l1 > 0 {
			a = (r2 - l2) / (r1 - l1)
			if a >= 1/rowAlignMaxScale && a <= rowAlignMaxScale {
				return a, l2 - a*l1, true
			}
		}
	}
	return 1, r2 - r1, true
}

// rowAlignLines: the lines of a new page the rows' edges are taken from,
// a few rows of a wrapped name each.
const rowAlignLines = 12

// rowAlignMaxScale bounds the scale between two pages' rows, as
// alignColumns bounds it between two headings. The pages are rescaled to
// one capital height before reading, but that height is measured on each
// page's own print: 9801's realistic act 007 read its page 2 at 0.70 of
// page 1's scale. A scale beyond this is a mark taken from the wrong
// place, and the shift alone is used.
const rowAlignMaxScale = 2.0

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

// alignMinMarks is the least count of heading marks read alike on two
// pages that ties their x (alignColumns): three fix a scale and a shift
// with one to spare against a mark read at the wrong place.
const alignMinMarks = 3

// alignMaxResidual bounds how far, in the median width of a mark, any
// matched mark may sit from the fitted line: a mark matched by text to
// the wrong column (an «8» read where a «3» is) lands a column away.
const alignMaxResidual = 1.5

// sameTable reports whether columns mapped from a repeated heading are
// those of the table being read: a name and an amount among them, as the
// first page's have. A heading OCR garbled maps fewer, and the first
// page's columns are kept.
func sameTable(cols, first []column) bool {
	has := func(cs []column, kinds ...colKind) bool {
		return slices.ContainsFunc(cs, func(c column) bool { return slices.Contains(kinds, c.kind) })
	}
	for _, k := range [][]colKind{{colName}, {colAmount, colNet}, {colQty}, {colPrice}} {
		if has(first, k...) && !has(cols, k...) {
			return false
		}
	}
	return true
}

// debrisLine reports a line OCR made of no print: no money among its
// words, and the mean confidence of those with a letter or a digit under
// debrisConf. Words of marks alone («—», «_») do not count, and a line of
// nothing else is debris too: a scanner app's dark border read as
// «—ы—ы—ыЫыы—ж—ж…» (0.00) beside a «—» (0.76) ended seed 9601's УПД 003
// after its first page, which lost 14 of its 33 rows.
func debrisLine(l *line) bool {
	if len(l.toks) == 0 || hasMoney(l) {
		return false
	}
	sum, n := 0.0, 0
	for _, t := range l.toks {
		if strings.IndexFunc(t.text, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) < 0 {
			continue
		}
		sum += t.conf
		n++
	}
	return n == 0 || sum/float64(n) < debrisConf
}

// debrisConf is the mean word confidence under which a line in a table is
// taken for debris: the wood past the bottom edge of seed 31's realistic
// УПД 015 read as «ана if ite Do,» (0.23) and «NN OR Eee» (0.17), and
// ended the table before its second page; the worst row of print on that
// seed's realistic photos averaged 0.43.
const debrisConf = 0.3

// isRowNumber reports «1», «12.», the number of a table row.
func isRowNumber(s string) bool {
	s = strings.TrimRight(s, ".")
	if s == "" || len(s) > 4 {
		return false
	}
	_, err := strconv.Atoi(s)
	return err == nil
}

// garbledRowNumber reports a short word in the № column that OCR may have
// made of a row number: «$», «2?», «S», «З.».
func garbledRowNumber(s string) bool {
	s = strings.Trim(s, ".,:;|[]()")
	r := []rune(s)
	if len(r) == 0 || len(r) > 2 {
		return false
	}
	for _, c := range r {
		if unicode.IsLetter(c) && !unicode.IsUpper(c) && c != 'б' && c != 'з' && c != 'о' && c != 'o' {
			return false // a lower-case word such as «за», «в»
		}
	}
	return true
}

// garbledRow reports a line that is a row of its own whose figures OCR
// garbled or lost, not the next line of the row above: a name starting
// with a capital, a unit word in the unit column and something in a
// column of figures, or something in two of them. A wrapped name's next
// line has words under the name, and at most a wrapped unit. Seed 9701's
// scanner-app bill 004 had a fold across its second row («Хлеб пшеничный
// формовой, 500 г op 34,uuu шт ем = ru»): joined to the first row as its
// name's second line, it shifted every row after it. Only after a row
// with its amount: a row whose figures come with its name's second line
// takes them (readRows).
func garbledRow(cells map[colKind][]token) bool {
	ns := cells[colName]
	if len(ns) == 0 {
		return false
	}
	if r, _ := utf8.DecodeRuneInString(ns[0].text); !unicode.IsUpper(r) {
		return false
	}
	filled := 0
	for k, ts := range cells {
		if figureKind(k) && len(ts) > 0 {
			filled++
		}
	}
	unit := false
	for _, t := range cells[colUnit] {
		unit = unit || unitWord(t.text)
	}
	return filled >= 2 || (unit && filled >= 1)
}

// fillsGaps reports a line that is the second line of the row above,
// not a row whose number OCR lost: its name goes on in small letters or
// digits («76х76 мм, арт. 52171»), and its figures stand only in columns
// where the row has none. A bent sheet (or a cell centred on a wrapped
// name) drops the right end of a row onto its name's second line: seed
// 9701's realistic УПД 011 read two rows as four, the quantity and net
// amount on one and the VAT and amount on the next.
func fillsGaps(cur, cells map[colKind][]token) bool {
	if cur == nil {
		return false
	}
	ns := cells[colName]
	if len(ns) == 0 {
		return false
	}
	if r, _ := utf8.DecodeRuneInString(ns[0].text); unicode.IsUpper(r) {
		return false
	}
	any := false
	for k, ts := range cells {
		if !figureKind(k) || !cellHasFigure(k, ts) {
			continue
		}
		if cellHasFigure(k, cur[k]) {
			return false
		}
		any = true
	}
	return any
}

// figureKind reports the columns of a row's figures.
func figureKind(k colKind) bool {
	switch k {
	case colQty, colPrice, colAmount, colNet, colVAT:
		return true
	}
	return false
}

// cellHasFigure reports a number in a quantity cell or money in another
// figure cell.
func cellHasFigure(k colKind, ts []token) bool {
	if len(ts) == 0 {
		return false
	}
	if k == colQty {
		_, _, ok := cleanNumber(ts[0].text)
		return ok
	}
	l := line{toks: ts, unit: float64(ts[0].box.Dy())}
	_, ok := lastMoney(amounts(&l))
	return ok
}

// curHasAmount reports whether a row's cells hold its amount (with or
// without tax).
func curHasAmount(cells map[colKind][]token) bool {
	return cells != nil && (len(cells[colAmount]) > 0 || len(cells[colNet]) > 0)
}

// lineHasAmount reports a money figure in the amount column (or the
// amount-without-tax column) of a line.
func lineHasAmount(cells map[colKind][]token) bool {
	return cellHasFigure(colAmount, cells[colAmount]) || cellHasFigure(colNet, cells[colNet])
}

// rowHasFigures reports whether the cells of a line hold a money amount
// in a price or amount column or a number in the quantity column.
func rowHasFigures(cells map[colKind][]token) bool {
	for _, k := range []colKind{colAmount, colNet, colPrice, colQty} {
		if cellHasFigure(k, cells[k]) {
			return true
		}
	}
	return false
}

// splitRowNumber splits the row number want off the line's first word
// when the rule between the № column and the next was read as «]» or «|»
// between them: «1]28-0120-2», «2|28-0020-2» (real-dev's photo 18-12-16,
// whose first row, its number joined to its article, was lost). The box
// is shared out by the characters' count.
func splitRowNumber(ts []token, want int) ([]token, bool) {
	if len(ts) == 0 {
		return nil, false
	}
	t := ts[0]
	i := strings.IndexAny(t.text, "]|[")
	if i <= 0 || i == len(t.text)-1 || t.text[:i] != strconv.Itoa(want) {
		return nil, false
	}
	num, rest := t.text[:i], t.text[i+1:]
	n := utf8.RuneCountInString(t.text)
	cut := t.box.X0 + t.box.Dx()*utf8.RuneCountInString(num)/n
	a, b := t, t
	a.text, a.key = num, wordKey(num)
	a.box.X1 = cut
	b.text, b.key = rest, wordKey(rest)
	b.box.X0 = t.box.X0 + t.box.Dx()*(utf8.RuneCountInString(num)+1)/n
	out := make([]token, 0, len(ts)+1)
	out = append(out, a, b)
	return append(out, ts[1:]...), true
}
