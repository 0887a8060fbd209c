package fields

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/ruvalid"
)

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
}

// tableResult is what the items table holds.
type tableResult struct {
	rows   []itemRow
	header int // line index of the header; -1 if none
	end    int // line index after the last row
	conf   float64
	rates  map[int]bool
}

// classifyHeaderCell names the column a header cell heads. The order of the
// tests matters: «Стоимость товаров (работ, услуг) без налога» is an amount,
// not a name; «Цена с НДС» is a price, not VAT.
func classifyHeaderCell(k string) colKind {
	k = fixHeadingWords(k)
	has := func(s ...string) bool {
		for _, x := range s {
			if strings.Contains(k, x) {
				return true
			}
		}
		return false
	}
	switch {
	case has("ставка"):
		return colRate
	case has("цена"):
		return colPrice
	case has("акциз") && !has("стоимость"):
		return colOther
	case has("стоимость", "сумма", "всего") && has("без налога", "без ндс"):
		return colNet
	case has("ндс", "налог") && has("сумма налога", "сумма ндс", "в т.ч", "в том числе", "вт.ч") && !has("с налогом", "с ндс"):
		return colVAT
	case has("стоимость", "сумма", "всего"):
		return colAmount
	case has("ндс", "налог"):
		return colVAT
	case has("кол-во", "количество", "кол.", "кол ", "объем") || k == "кол" || strings.HasPrefix(k, "кол-"):
		return colQty
	case has("код") && has("единиц", "ед.", "изм"):
		return colUnitCode
	case has("ед.", "ед ", "изм", "единиц") || k == "ед":
		return colUnit
	case has("наимен", "товар", "работ", "услуг", "описание", "предмет"):
		return colName
	case has("№", "п/п") || k == "n" || k == "#":
		return colNo
	case has("страна", "регистрац", "декларац", "код"):
		return colOther
	}
	return colOther
}

// headerScore counts the distinct column kinds a line names.
func headerScore(l *line) int {
	seen := map[colKind]bool{}
	for _, t := range l.toks {
		k := classifyHeaderCell(strings.Trim(t.key, ",.:"))
		if k == colOther || k == colNo {
			continue
		}
		seen[k] = true
	}
	return len(seen)
}

// formColumnNumbers maps the column numbers printed under the header of the
// statutory счёт-фактура/УПД forms to what the columns hold.
var formColumnNumbers = map[string]colKind{
	"1": colName, "2": colUnitCode, "2а": colUnit, "3": colQty, "4": colPrice,
	"5": colNet, "7": colRate, "8": colVAT, "9": colAmount,
}

// updColumnNumbers is the numbering of the УПД, which starts with «А»
// (product code) and «Б»/«1» (row number) and moves the name to «1а».
var updColumnNumbers = map[string]colKind{
	"1": colNo, "1а": colName, "2": colUnitCode, "2а": colUnit, "3": colQty, "4": colPrice,
	"5": colNet, "7": colRate, "8": colVAT, "9": colAmount,
}

// numberRow reports whether a line is the row of column numbers
// («1 1а 1б 2 2а 3 4 5 …»).
//
// OCR garbles a mark or two of the row («1 16 2 2a 3 4 5 6 ? 8 9 10 10а и»):
// one short unreadable mark in six is tolerated.
func numberRow(l *line) bool {
	if len(l.toks) < 6 {
		return false
	}
	bad := 0
	for _, t := range l.toks {
		k := strings.Trim(strings.ToLower(t.text), ".")
		if _, err := strconv.Atoi(strings.TrimRight(k, "абвab")); err != nil && k != "а" && k != "б" && k != "a" && k != "b" {
			if len([]rune(k)) > 2 {
				return false
			}
			bad++
		}
	}
	return bad*6 <= len(l.toks)
}

// findTable locates the items table, maps its columns and reads its rows.
func findTable(lines []line, typ pervichka.DocType) tableResult {
	res := tableResult{header: -1, end: -1}
	hi := -1
	for i := range lines {
		// A header names at least two kinds of column in at least three
		// separate cells; a clause «Наименование, количество и стоимость
		// указаны в Спецификации» names them in running text.
		if headerScore(&lines[i]) >= 2 && len(lines[i].cells(0.6)) >= 3 && !hasMoney(&lines[i]) {
			// A header may wrap over several lines: take the best of a
			// small window so a two-line header is not cut in half.
			hi = i
			break
		}
	}
	if hi < 0 {
		return res
	}
	res.header = hi
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
	for j := hi + 1; j < len(lines) && j <= hi+16 && lines[j].page == lines[hi].page; j++ {
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
	cols := headerColumns(lines[first : last+1])
	// The row of column numbers is the statutory forms' own: it maps the
	// columns also when the title was unreadable and the type unknown.
	if numberRow(&lines[last]) && (typ == pervichka.DocVATInvoice || typ == pervichka.DocUPD || typ == pervichka.DocUnknown) {
		cols = formColumns(&lines[last])
	}
	if len(cols) < 2 {
		return res
	}
	res.rows, res.end = readRows(lines, last+1, cols)
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

// headerContinuation reports whether a line next to the header line is
// more of a wrapped header: it names a column and holds no figures.
func headerContinuation(l *line) bool {
	if headerScore(l) == 0 {
		hasWord := false
		for _, t := range l.toks {
			k := strings.Trim(t.key, ",.:()")
			if classifyHeaderCell(k+" ") != colOther || k == "с" || k == "без" {
				hasWord = true
			}
		}
		// Or the tail of a hyphenated heading: «ное)», «ия —».
		if !hasWord && !(len(l.toks) <= 4 && shortWords(l.toks, 6)) {
			return false
		}
	}
	for _, t := range l.toks {
		if strings.ContainsAny(t.text, "0123456789") && !isFormMarker(t.text) {
			return false
		}
	}
	return true
}

func hasMoney(l *line) bool {
	_, ok := lastMoney(amounts(l))
	return ok
}

// headerColumns merges the header words of several lines into cells by
// horizontal overlap and names each cell.
func headerColumns(hl []line) []column {
	type cell struct {
		x0, x1 int
		toks   []token
	}
	var cells []cell
	for i := range hl {
		for _, c := range splitHeadings(splitNumberSign(hl[i].cells(0.6))) {
			b := boxOf(c)
			merged := false
			for j := range cells {
				if b.X0 < cells[j].x1 && b.X1 > cells[j].x0 {
					cells[j].x0, cells[j].x1 = min(cells[j].x0, b.X0), max(cells[j].x1, b.X1)
					cells[j].toks = append(cells[j].toks, c...)
					merged = true
					break
				}
			}
			if !merged {
				cells = append(cells, cell{x0: b.X0, x1: b.X1, toks: append([]token{}, c...)})
			}
		}
	}
	sort.Slice(cells, func(i, j int) bool { return cells[i].x0 < cells[j].x0 })
	var cols []column
	for _, c := range cells {
		keys := make([]string, len(c.toks))
		for i, t := range c.toks {
			keys[i] = t.key
		}
		k := strings.Join(keys, " ")
		cols = append(cols, column{kind: classifyHeaderCell(k + " "), x0: c.x0, x1: c.x1, text: k})
	}
	setRanges(cols)
	return cols
}

func formColumns(l *line) []column {
	var cols []column
	numbering := formColumnNumbers
	if first := strings.ToLower(l.toks[0].text); first == "а" || first == "a" {
		numbering = updColumnNumbers
	}
	hasName := false
	for _, t := range l.toks {
		k := strings.ReplaceAll(strings.Trim(strings.ToLower(t.text), "."), "a", "а")
		// «la» is «1а» with the 1 read as a letter.
		if r := []rune(k); len(r) == 2 && (r[0] == 'l' || r[0] == 'i' || r[0] == '|') {
			k = "1" + string(r[1])
		}
		kind, ok := numbering[k]
		if !ok {
			kind = colOther
		}
		hasName = hasName || kind == colName
		cols = append(cols, column{kind: kind, x0: t.box.X0, x1: t.box.X1, text: k, numbered: true})
	}
	if !hasName {
		// The name's mark unreadable («le», «?»): the name is the
		// unnamed column right after the row number's, or else the one
		// just before the unit's code («2»).
		named := false
		for i := 1; i < len(cols); i++ {
			if cols[i-1].kind == colNo && cols[i].kind == colOther {
				cols[i].kind, named = colName, true
				break
			}
		}
		for i := 1; !named && i < len(cols); i++ {
			if cols[i].kind == colUnitCode && cols[i-1].kind == colOther {
				cols[i-1].kind = colName
				break
			}
		}
	}
	setRanges(cols)
	return cols
}

func setRanges(cols []column) {
	for i := range cols {
		if i == 0 {
			cols[i].lo = -1 << 30
		} else {
			cols[i].lo = (cols[i-1].x1 + cols[i].x0) / 2
		}
		switch {
		case i == len(cols)-1:
			cols[i].hi = 1 << 30
		case cols[i].kind == colName && cols[i].numbered && i+2 < len(cols):
			// Numbers are centred over their columns: the column after
			// the (wide) name is as wide as the distance to the one after
			// it, centred on its number.
			c1 := (cols[i+1].x0 + cols[i+1].x1) / 2
			c2 := (cols[i+2].x0 + cols[i+2].x1) / 2
			cols[i].hi = max((cols[i].x1+cols[i+1].x0)/2, c1-(c2-c1)/2)
		case cols[i].kind == colName && !cols[i].numbered:
			// Names are left-aligned and run the width of their column:
			// the column ends where the next heading starts.
			cols[i].hi = cols[i+1].x0
		default:
			cols[i].hi = (cols[i].x1 + cols[i+1].x0) / 2
		}
		if i > 0 && cols[i-1].kind == colName {
			cols[i].lo = cols[i-1].hi
		}
	}
}

func columnOf(cols []column, t token) int {
	c := (t.box.X0 + t.box.X1) / 2
	for i, col := range cols {
		if c >= col.lo && c < col.hi {
			return i
		}
	}
	return -1
}

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
func readRows(lines []line, start int, cols []column) ([]itemRow, int) {
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
	for i := start; i < len(lines); i++ {
		l := &lines[i]
		if isTableEnd(l) || (len(rows) == 0 && cur == nil && i-start > 6) {
			end = i
			break
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
			if !starts && cur != nil && curHasAmount(cur) && lineHasAmount(cells) && len(cells[colName]) > 0 {
				// No row number read at all, but a name and an amount
				// of its own after a complete row: the next row. A wrapped
				// name's second line has no amount.
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
		// A continuation line: more of the name (and of a wrapped unit).
		// A row whose name wraps prints its figures centred between the
		// name's lines, and they may come with the second: while the row
		// has none, they are its figures.
		takeFigures := !rowHasFigures(cur) && rowHasFigures(cells)
		for k, ts := range cells {
			if k == colName || k == colUnit || (takeFigures && k != colNo && len(cur[k]) == 0) {
				cur[k] = append(cur[k], ts...)
			}
		}
		curConf = min(curConf, minConf(cells[colName]))
		end = i + 1
	}
	flush()
	if end < start {
		end = start
	}
	return rows, end
}

// parseRow turns the words of one row's cells into an item.
//
// unit is the line's word height: digit groups of one number are joined
// by gaps measured in it, as on the whole line.
func parseRow(cells map[colKind][]token, conf float64, unit float64) (itemRow, bool) {
	var r itemRow
	r.conf = conf
	if len(cells[colUnit]) == 0 && len(cells[colUnitCode]) == 0 {
		strayUnit(cells, unit)
	}
	name := strings.TrimSpace(joinTokens(cells[colName]))
	r.nameToks = cells[colName]
	r.cells = cells
	r.item.Name = pervichka.Text(yearSuffix.ReplaceAllString(name, "$1 г.$2"))
	code := strings.TrimSpace(joinTokens(cells[colUnitCode]))
	if code == "" {
		// The code's column mark unreadable: a known ОКЕИ code in an
		// unnamed column still names an unreadable unit.
		for _, t := range cells[colOther] {
			if c := strings.Trim(t.text, "|[]"); len(c) == 3 {
				if _, ok := ruvalid.UnitByCode(c); ok {
					code = c
					break
				}
			}
		}
	}
	r.item.Unit = pervichka.Text(itemUnit(strings.TrimSpace(joinTokens(cells[colUnit])), code))
	r.item.UnitCode = pervichka.Text(itemUnitCode(code))
	if q, ok := parseQuantity(cells[colQty]); ok {
		r.item.Quantity = pervichka.Text(q)
	}
	money := func(k colKind) (pervichka.Kopecks, bool) {
		ts := cells[k]
		if len(ts) == 0 {
			return 0, false
		}
		l := line{toks: ts, unit: max(unit, float64(ts[0].box.Dy()))}
		as := amounts(&l)
		if len(as) == 0 {
			return 0, false
		}
		a := as[len(as)-1]
		if a.fracLen == 3 {
			return 0, false
		}
		if !a.frac && (k == colPrice || k == colAmount) {
			r.wholeMoney = true
		}
		r.conf = min(r.conf, a.conf())
		return a.k, true
	}
	if p, ok := money(colPrice); ok {
		r.item.Price = p.Text()
	}
	if a, ok := money(colAmount); ok {
		r.amount, r.hasAmt = a, true
		r.item.Amount = a.Text()
	}
	vatToks := cells[colVAT]
	for _, t := range append(append([]token{}, vatToks...), cells[colRate]...) {
		if m := rateRe.FindStringSubmatch(t.text); m != nil {
			r.rate, _ = strconv.Atoi(m[1])
		}
	}
	if !strings.Contains(strings.ToLower(joinTokens(vatToks)), "%") || len(vatToks) > 1 {
		if v, ok := money(colVAT); ok {
			r.vat, r.hasVAT = v, true
			r.item.VATAmount = v.Text()
		}
	}
	if !r.hasAmt && name == "" {
		return r, false
	}
	// «без НДС» in the row, or a VAT not below the amount (a split amount
	// spilling into the VAT column): the row has no VAT figure.
	if r.hasVAT {
		var keys []string
		for _, ts := range cells {
			for _, t := range ts {
				keys = append(keys, t.key)
			}
		}
		if withoutVAT(keys) || (r.hasAmt && r.vat >= r.amount) {
			r.vat, r.hasVAT = 0, false
			r.item.VATAmount = ""
		}
	}
	var figures []token
	for k, ts := range cells {
		if k != colName && k != colUnit && k != colNo {
			figures = append(figures, ts...)
		}
	}
	sort.Slice(figures, func(i, j int) bool { return figures[i].box.X0 < figures[j].box.X0 })
	repairRow(&r, figures)
	if len(cells[colNet]) == 0 {
		if r.hasAmt {
			inferQuantity(&r, r.amount, true)
		}
		repairConfusedDigits(&r, true)
	} else if n, ok := money(colNet); ok {
		inferQuantity(&r, n, false)
	}
	return r, true
}

// strayUnit finds the unit of a row whose unit column holds nothing: OCR
// garbled its heading («Ea.»), so the unit stands in an unnamed column, or
// the name's column reached over it (headings are centred, units
// left-aligned under them). A unit word in an unnamed column is taken; so is
// the last cell of the name's first line when a column gap (over 1.2 word
// heights) sets it apart and it is a known unit, with the ОКЕИ code of that
// unit before it. A unit at the end of a name with no gap («100 шт») stays
// part of the name.
func strayUnit(cells map[colKind][]token, unit float64) {
	for _, t := range cells[colOther] {
		if unitWord(t.text) {
			cells[colUnit] = []token{t}
			return
		}
	}
	if name, u := trailingUnit(cells[colName], unit); len(u) > 0 {
		cells[colName], cells[colUnit] = name, u
	}
}

// trailingUnit splits off the last cell of a name's first line when a
// column gap (over 1.2 word heights) sets it apart and it is a known unit,
// with the ОКЕИ code of that unit before it («778 упак»).
func trailingUnit(ns []token, unit float64) (name, u []token) {
	if len(ns) < 2 {
		return ns, nil
	}
	// The first line of the name: words level with its first word.
	cy := (ns[0].box.Y0 + ns[0].box.Y1) / 2
	n := 0
	for n < len(ns) && ns[n].box.Y0 <= cy && ns[n].box.Y1 >= cy {
		n++
	}
	cut := -1
	for i := n - 1; i > 0; i-- {
		if float64(ns[i].box.X0-ns[i-1].box.X1) > 1.2*unit {
			cut = i
			break
		}
	}
	if cut < 0 || n-cut > 2 || !hasLetter(joinTokens(ns[cut:n])) {
		return ns, nil
	}
	un, ok := ruvalid.LookupUnit(joinTokens(ns[cut:n]))
	if !ok {
		return ns, nil
	}
	from := cut
	if from > 1 && strings.Trim(ns[from-1].text, "|") == un.Code && float64(ns[from-1].box.X0-ns[from-2].box.X1) > 1.2*unit {
		from-- // the ОКЕИ code column went with it
	}
	return append(append([]token{}, ns[:from]...), ns[n:]...), append([]token{}, ns[cut:n]...)
}

// unitWord reports a word that is a known unit of measure as printed.
func unitWord(s string) bool {
	s = strings.Trim(s, "|[]")
	if !hasLetter(s) {
		return false
	}
	_, ok := ruvalid.LookupUnit(s)
	return ok
}

// repairRow completes a row by its arithmetic where OCR garbled a figure:
// amount = quantity × price and VAT = amount × r/(100+r) give the expected
// value, which is taken only when a word of the row reads as it with the
// unreadable characters («$71507.50», «2440723», «97647» with a lost
// separator) in place. A figure that was read and does not fit stays: the
// sum and VAT checks downstream then send the document to review.
func repairRow(r *itemRow, figures []token) {
	qm, hasQty := quantityMilli(string(r.item.Quantity))
	var price pervichka.Kopecks
	hasPrice := false
	if r.item.Price != "" {
		if p, err := pervichka.ParseKopecks(string(r.item.Price)); err == nil {
			price, hasPrice = p, true
		}
	}
	fill := func(want pervichka.Kopecks) bool { return readsAs(figures, want) }
	if hasQty && hasPrice && !r.hasAmt {
		if a := product(qm, price); fill(a) {
			r.amount, r.hasAmt = a, true
			r.item.Amount = a.Text()
			r.conf = min(r.conf, repairedRowCap)
			r.repaired = true
		}
	}
	if hasQty && !hasPrice && qm > 0 {
		// The price's heading was unreadable, so its figure sits in an
		// unnamed column: a money figure of the row that times the
		// quantity gives the amount (read, or readable as it) is the price.
		l := line{toks: figures}
		if len(figures) > 0 {
			l.unit = float64(figures[0].box.Dy())
		}
		for _, a := range amounts(&l) {
			if !a.frac || a.fracLen != 2 || a.k <= 0 {
				continue
			}
			prod := product(qm, a.k)
			if (r.hasAmt && prod == r.amount && prod != a.k) || (!r.hasAmt && fill(prod)) {
				hasPrice = true
				r.item.Price = a.k.Text()
				if !r.hasAmt {
					r.amount, r.hasAmt = prod, true
					r.item.Amount = prod.Text()
					r.conf = min(r.conf, repairedRowCap)
					r.repaired = true
				}
				break
			}
		}
	}
	if hasQty && !hasPrice && r.hasAmt && qm > 0 {
		p := pervichka.Kopecks((int64(r.amount)*1000 + qm/2) / qm)
		if product(qm, p) == r.amount && fill(p) {
			r.item.Price = p.Text()
			r.conf = min(r.conf, repairedRowCap)
			r.repaired = true
		}
	}
	if r.rate > 0 && r.hasAmt {
		v := ruvalid.VATFromGross(r.amount, r.rate)
		if (!r.hasVAT || r.vat != v) && fill(v) {
			r.vat, r.hasVAT = v, true
			r.item.VATAmount = v.Text()
			r.conf = min(r.conf, repairedRowCap)
			r.repaired = true
		}
	}
}

// quantityMilli reads a quantity as printed by parseQuantity in thousandths.
func quantityMilli(q string) (int64, bool) {
	if q == "" {
		return 0, false
	}
	whole, frac, _ := strings.Cut(q, ".")
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || len(frac) > 3 || w > 1e9 {
		return 0, false
	}
	f := int64(0)
	if frac != "" {
		f, err = strconv.ParseInt((frac + "00")[:3], 10, 64)
		if err != nil {
			return 0, false
		}
	}
	return w*1000 + f, true
}

// readsAs reports whether one word of the row, or up to three adjacent
// words (digit groups), reads as want with the separators lost or moved and
// at most two unreadable characters in place of digits.
func readsAs(ts []token, want pervichka.Kopecks) bool {
	if want <= 0 {
		return false
	}
	digits := strconv.FormatInt(int64(want), 10)
	if len(digits) < 3 {
		digits = strings.Repeat("0", 3-len(digits)) + digits
	}
	for i := range ts {
		var pat []rune
		for j := i; j < len(ts) && j < i+3; j++ {
			for _, c := range strings.Trim(ts[j].text, "|[]();:") {
				switch {
				case c >= '0' && c <= '9':
					pat = append(pat, c)
				case c == ',' || c == '.' || c == ' ':
				default:
					pat = append(pat, '?')
				}
			}
			if digitsMatch(pat, digits) {
				return true
			}
		}
	}
	return false
}

func digitsMatch(pat []rune, digits string) bool {
	if len(pat) != len(digits) || len(pat) < 3 {
		return false
	}
	wild := 0
	for i, c := range digits {
		switch pat[i] {
		case c:
		case '?':
			wild++
		default:
			return false
		}
	}
	return wild <= 2 && wild*3 < len(pat)
}

// parseQuantity reads «2», «2,5», «12,345», «1 000».
func parseQuantity(ts []token) (string, bool) {
	if len(ts) == 0 {
		return "", false
	}
	var b strings.Builder
	for _, t := range ts {
		// A table rule read as «|» beside a quantity: «3|», «|12».
		c, _, ok := cleanNumber(strings.Trim(t.text, "|"))
		if !ok {
			break
		}
		b.WriteString(c)
	}
	s := b.String()
	if s == "" {
		return "", false
	}
	whole, frac, _ := strings.Cut(s, ",")
	if whole == "" || len(frac) > 3 {
		return "", false
	}
	frac = strings.TrimRight(frac, "0")
	if _, err := strconv.ParseInt(whole, 10, 64); err != nil {
		return "", false
	}
	if frac == "" {
		return strings.TrimLeft(whole, "0") + map[bool]string{true: "0", false: ""}[strings.TrimLeft(whole, "0") == ""], true
	}
	w := strings.TrimLeft(whole, "0")
	if w == "" {
		w = "0"
	}
	return w + "." + frac, true
}

// splitNumberSign makes a «№»/«№ п/п» heading its own cell even when it is
// printed close to the next heading.
func splitNumberSign(cells [][]token) [][]token {
	var out [][]token
	for _, c := range cells {
		if len(c) > 1 {
			if ok, rest := numberSign(c[0]); ok && rest == "" {
				n := 1
				if len(c) > 2 && c[1].key == "п/п" {
					n = 2
				}
				out = append(out, c[:n], c[n:])
				continue
			}
		}
		out = append(out, c)
	}
	return out
}

// isRowNumber reports «1», «12.», the number of a table row.
func isRowNumber(s string) bool {
	s = strings.TrimRight(s, ".")
	if s == "" || len(s) > 4 {
		return false
	}
	_, err := strconv.Atoi(s)
	return err == nil
}

func shortWords(ts []token, n int) bool {
	for _, t := range ts {
		if len([]rune(t.text)) > n {
			return false
		}
	}
	return true
}

// alignedWith reports whether every cell of l lies under at most two cells
// of the header line h: the wrapped part of a heading does, a sentence
// running across the table does not.
func alignedWith(l, h *line) bool {
	hc := h.cells(0.6)
	for _, c := range l.cells(0.6) {
		b := boxOf(c)
		n := 0
		for _, x := range hc {
			xb := boxOf(x)
			if b.X0 < xb.X1 && b.X1 > xb.X0 {
				n++
			}
		}
		if n > 2 {
			return false
		}
	}
	return true
}

// headingStarts are words that begin a column heading; two headings
// printed a space apart («Количество Ед. изм.») are split at them.
var headingStarts = map[string]bool{"ед": true, "ед.": true, "кол-во": true, "количество": true, "цена": true, "сумма": true, "стоимость": true}

func splitHeadings(cells [][]token) [][]token {
	var out [][]token
	for _, c := range cells {
		start := 0
		for i := 1; i < len(c); i++ {
			k := strings.Trim(c[i].key, ",:")
			if !headingStarts[k] {
				continue
			}
			prev := c[start:i]
			keys := make([]string, len(prev))
			for j, t := range prev {
				keys[j] = t.key
			}
			if classifyHeaderCell(strings.Join(keys, " ")+" ") == colOther {
				continue // «В том числе сумма акциза»: one heading
			}
			out = append(out, prev)
			start = i
		}
		out = append(out, c[start:])
	}
	return out
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

// curHasAmount reports whether a row's cells hold its amount (with or
// without tax).
func curHasAmount(cells map[colKind][]token) bool {
	return cells != nil && (len(cells[colAmount]) > 0 || len(cells[colNet]) > 0)
}

// lineHasAmount reports a money figure in the amount column (or the
// amount-without-tax column) of a line.
func lineHasAmount(cells map[colKind][]token) bool {
	for _, k := range []colKind{colAmount, colNet} {
		if ts := cells[k]; len(ts) > 0 {
			l := line{toks: ts, unit: float64(ts[0].box.Dy())}
			if _, ok := lastMoney(amounts(&l)); ok {
				return true
			}
		}
	}
	return false
}

// rowHasFigures reports whether the cells of a line hold a money amount
// in a price or amount column or a number in the quantity column.
func rowHasFigures(cells map[colKind][]token) bool {
	for _, k := range []colKind{colAmount, colNet, colPrice} {
		ts := cells[k]
		if len(ts) == 0 {
			continue
		}
		l := line{toks: ts, unit: float64(ts[0].box.Dy())}
		if _, ok := lastMoney(amounts(&l)); ok {
			return true
		}
	}
	if ts := cells[colQty]; len(ts) > 0 {
		if _, _, ok := cleanNumber(ts[0].text); ok {
			return true
		}
	}
	return false
}

// headingWords are the words column headings are made of; OCR garbles them
// by a letter («Цема», «Lena», «Сума»).
var headingWords = []string{"цена", "сумма", "количество", "наименование", "стоимость", "ставка"}

// fixHeadingWords replaces each word of a heading key that is one edit
// (two for long words) from a heading word by that word. Words shorter than
// four runes are left alone: one edit makes another word of them.
func fixHeadingWords(k string) string {
	words := strings.Split(k, " ")
	changed := false
	for i, w := range words {
		core := strings.Trim(w, ",.:;")
		n := len([]rune(core))
		if n < 4 {
			continue
		}
		for _, hw := range headingWords {
			if core == hw {
				break
			}
			lim := 1
			if len([]rune(hw)) >= 10 {
				lim = 2
			}
			if levenshtein(core, hw, lim) <= lim {
				words[i] = strings.Replace(w, core, hw, 1)
				changed = true
				break
			}
		}
	}
	if !changed {
		return k
	}
	return strings.Join(words, " ")
}

// withoutVAT reports «без НДС» among word keys, also as OCR reads it
// («без HAC», «без НДС.»): «без» and a three-letter word starting «н», or
// «без налога».
func withoutVAT(keys []string) bool {
	for i := 0; i+1 < len(keys); i++ {
		if keys[i] != "без" {
			continue
		}
		n := []rune(strings.Trim(keys[i+1], ".,:;()"))
		if (len(n) == 3 && n[0] == 'н') || strings.HasPrefix(string(n), "налог") {
			return true
		}
	}
	return false
}

// yearSuffix is a year with the abbreviation of «год» after it, as service
// names print it («за август 2026 г.»); OCR often loses the space or the
// dot, and the name is put back in its printed form.
var yearSuffix = regexp.MustCompile(`\b((?:19|20)\d\d) ?г\.?(\s|$|[,;)])`)

// itemUnit reads a row's unit of measure from its unit cell and its ОКЕИ code
// cell (УПД and счёт-фактура print both). A unit with a known spelling is
// kept as printed; an OCR'd one a letter away from exactly one known unit is
// snapped to it; failing both, a known ОКЕИ code gives the unit. A code
// cell holding letters is a unit printed in the code's column.
func itemUnit(printed, code string) string {
	if printed == "" && code != "" && !startsWithDigit(code) {
		printed, code = code, ""
	}
	if printed != "" {
		if _, ok := ruvalid.LookupUnit(printed); ok {
			return printed
		}
		if u, ok := ruvalid.SnapUnit(printed); ok {
			return u.Symbol
		}
	}
	if u, ok := ruvalid.UnitByCode(ruvalid.NormalizeNumber(code)); ok {
		return u.Symbol
	}
	return printed
}

// itemUnitCode is a row's printed ОКЕИ code (column 2 of a счёт-фактура or
// УПД) when it is a known one; "" otherwise — consumers that need a code
// look the unit up.
func itemUnitCode(code string) string {
	if u, ok := ruvalid.UnitByCode(ruvalid.NormalizeNumber(code)); ok {
		return u.Code
	}
	return ""
}
