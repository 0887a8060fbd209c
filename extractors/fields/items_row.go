package fields

import (
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/ruvalid"
)

// One row's words by column made an item: name, unit and its ОКЕИ code,
// quantity, price, amount, rate and VAT; a unit standing in the wrong
// column found; «без НДС» in the row honoured. repairRow (items_repair.go)
// then completes what OCR garbled.

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
	r.nameToks = cells[colName]
	r.cells = cells
	r.item.Name = itemName(r.nameToks)
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
	printed := strings.TrimSpace(joinTokens(cells[colUnit]))
	if ct := cells[colUnitCode]; len(ct) > 0 && !strings.ContainsFunc(code, unicode.IsDigit) && len(cells[colName]) > 0 {
		if u, c, ok := unitWithCode(printed); ok && ct[len(ct)-1].box.X1 <= cells[colUnit][0].box.X0 {
			// «АРС | 796 шт»: the code's cell holds a word and the
			// unit's cell both unit and code, when the form's columns
			// were placed by marks OCR lost (9841's realistic
			// счёт-фактура 015): the word is the name's last.
			r.nameToks = append(slices.Clone(cells[colName]), ct...)
			slices.SortStableFunc(r.nameToks, readingOrder)
			cells[colName], cells[colUnitCode] = r.nameToks, nil
			r.item.Name = itemName(r.nameToks)
			printed, code = u, c
		}
	}
	// One of the two cells holding both, the other empty.
	if both := strings.TrimSpace(printed + " " + code); printed == "" || code == "" {
		if u, c, ok := unitWithCode(both); ok {
			printed, code = u, c
		} else if ws := strings.Fields(both); len(ws) > 2 {
			// «Средство 796 шт»: the name's column was placed too far
			// right and its first word fell in the unit's cell (9841's
			// realistic УПД 011, its column numbers garbled). The
			// unit and its code end the cell.
			if u, c, ok := unitWithCode(strings.Join(ws[len(ws)-2:], " ")); ok {
				printed, code = u, c
			}
		}
	}
	var gluedQty string
	if len(cells[colQty]) == 0 {
		if q, u, ok := quantityGluedToUnit(printed); ok {
			printed, gluedQty = u, q
		}
	}
	if u, ok := unitBesideBadCode(strings.TrimSpace(printed + " " + code)); ok && (printed == "" || code == "") {
		// The code no unit has is a misread one: not delivered.
		printed, code = u, ""
	}
	r.item.Unit = pervichka.Text(itemUnit(printed, code))
	r.item.UnitCode = pervichka.Text(itemUnitCode(code))
	if q, ok := parseQuantity(cells[colQty]); ok {
		r.item.Quantity = pervichka.Text(q)
	} else if gluedQty != "" {
		r.item.Quantity = pervichka.Text(gluedQty)
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
	if !r.hasAmt && r.item.Name == "" {
		return r, false
	}
	r.noVAT, r.noVATConf = rowWithoutVAT(cells)
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
	quantityPriceByProduct(&r, figures)
	repairRow(&r, figures)
	if len(cells[colNet]) == 0 {
		if r.hasAmt {
			inferQuantity(&r, r.amount, true)
		}
		repairConfusedDigits(&r, true)
	} else if n, ok := money(colNet); ok {
		inferQuantity(&r, n, false)
		repairGrossDigit(&r, n)
		repairAgainstNet(&r, n)
	}
	return r, true
}

// quantityPriceByProduct fills the quantity and price of a row that has an
// amount and neither of them, from two of its figures, a quantity and then
// a price with kopecks, whose product is the amount to the kopeck — the
// only such pair. The lower rows of a tilted photo drift out of the
// heading's columns: study seed 10241's realistic bill 010 read «28.000 шт
// 146,89 4 112,92» for its last seven rows and kept only the amounts. The
// figures are as read; only their columns were lost.
func quantityPriceByProduct(r *itemRow, figures []token) {
	if !r.hasAmt || r.amount <= 0 || r.item.Quantity != "" || r.item.Price != "" {
		return
	}
	type pick struct {
		qm    int64
		q     string
		price amount
	}
	var found []pick
	for i, qt := range figures {
		q, ok := parseQuantity([]token{qt})
		if !ok {
			continue
		}
		qm, ok := quantityMilli(q)
		if !ok || qm <= 0 {
			continue
		}
		rest := line{toks: figures[i+1:], unit: float64(max(1, qt.box.Dy()))}
		for _, p := range amounts(&rest) {
			if p.frac && p.fracLen == 2 && p.k > 0 && p.k != r.amount && product(qm, p.k) == r.amount {
				found = append(found, pick{qm, q, p})
			}
		}
	}
	if len(found) != 1 {
		return
	}
	f := found[0]
	r.item.Quantity = pervichka.Text(formatMilli(f.qm))
	r.item.Price = f.price.k.Text()
	r.conf = min(r.conf, f.price.conf())
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
	// ТОРГ-12 prints the unit's name, then its ОКЕИ code: «… 6 плит упак
	// 778», both joined to the name when the columns were not found
	// (seed 8921's scan of a ТОРГ-12 read every row's unit so). Only a
	// code that is the unit's own, set apart from the name by a gap.
	if n >= 3 {
		if uc, ok := ruvalid.UnitByCode(strings.Trim(ns[n-1].text, "|[]")); ok && float64(ns[n-2].box.X0-ns[n-3].box.X1) > 1.2*unit {
			word := strings.Trim(ns[n-2].text, "|[]")
			un, near := ruvalid.SnapUnit(word)
			if near && un.Code == uc.Code {
				return append(append([]token{}, ns[:n-2]...), ns[n:]...), []token{ns[n-2]}
			}
			if near && len([]rune(word)) <= 2 || !near && garbledUnitWord(word) || unitDebris(word) {
				// «… 10 л ил 796»: the unit garbled past knowing
				// (9901's realistic ТОРГ-12 009, where another row
				// read «wt», one letter from «шт»), its code names
				// it (unitWithCode, itemUnit). So it does when OCR
				// made another short unit of it («ч», the hour, beside
				// «006», the metre) or a mark («= 166»): seed 9991's
				// realistic ТОРГ-12 004 lost three rows' units so. A
				// whole unit word the code does not name («упак 796»)
				// stays with the name.
				return append(append([]token{}, ns[:n-2]...), ns[n:]...), []token{ns[n-2], ns[n-1]}
			}
		}
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

// rowWithoutVAT reports «без НДС» among a row's words outside its name
// (a service «монтаж (без НДС)» says nothing of the tax), with the
// confidence of the two words.
// The two words may fall into two columns' cells, so the row's words are
// taken in reading order.
func rowWithoutVAT(cells map[colKind][]token) (bool, float64) {
	var ts []token
	for k, c := range cells {
		if k != colName {
			ts = append(ts, c...)
		}
	}
	slices.SortFunc(ts, func(a, b token) int { return a.box.X0 - b.box.X0 })
	for i := 0; i+1 < len(ts); i++ {
		if withoutVAT([]string{ts[i].key, ts[i+1].key}) {
			return true, min(ts[i].conf, ts[i+1].conf)
		}
	}
	return false, 0
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

// itemName is the name a row's name words print, its «г.» after a year
// put back in printed form (yearSuffix).
func itemName(ts []token) pervichka.Text {
	return pervichka.Text(yearSuffix.ReplaceAllString(strings.TrimSpace(joinTokens(ts)), "$1 г.$2"))
}

// yearSuffix is a year with the abbreviation of «год» after it, as service
// names print it («за август 2026 г.»); OCR often loses the space or the
// dot, and the name is put back in its printed form.
var yearSuffix = regexp.MustCompile(`\b((?:19|20)\d\d) ?г\.?(\s|$|[,;)])`)

// mendNameWords puts back two words Tesseract's rus+eng reads in Latin in
// an OCR'd item name: «по» as «no» between Russian words, and the «г.»
// after a year as «r.» («за март 2025 r.», «Услуги no хранению»; seed
// 9201's scans and scanner-app photos of acts read every row so). Only
// these two: a Latin word beside Russian ones may be a brand, and these
// two are no English a name would print there.
func mendNameWords(name string) string {
	ws := strings.Split(name, " ")
	cyr := func(w string) bool {
		return strings.ContainsFunc(w, func(r rune) bool { return unicode.Is(unicode.Cyrillic, r) })
	}
	changed := false
	for i, w := range ws {
		if w == "no" && i > 0 && i+1 < len(ws) && cyr(ws[i-1]) && cyr(ws[i+1]) {
			ws[i], changed = "по", true
		}
	}
	if changed {
		name = strings.Join(ws, " ")
	}
	name = latinYearSuffix.ReplaceAllString(name, "$1 г.$2")
	name = periodForComma.ReplaceAllString(name, "$1, $2")
	return monthYearMark.ReplaceAllString(name, "$1 г.")
}

// periodForComma is a full stop after a whole word of five small letters
// or more, with the name going on in small letters or figures: what OCR
// makes of a photographed comma («Мыло жидкое. 5 л», «Ветошь обтирочная.
// арт. 90909»; study seeds 10241–10261's realistic photos read a dozen
// names so). Names abbreviate with a stop only short words («шт.», «арт.»,
// «кат.», «упак.»), and a long word ends no sentence inside a name.
var periodForComma = regexp.MustCompile(`(\p{Ll}{5,})\. (\p{Ll}|\d)`)

// latinYearSuffix is a year with «г.» read as a Latin «r.» after it.
var latinYearSuffix = regexp.MustCompile(`\b((?:19|20)\d\d) ?r\.(\s|$|[,;)])`)

// monthYearMark is a service period ending a name, «за март 2024 г.», whose
// «г.» OCR read as one other mark: «т», «‹», «<», «r» (9841's realistic act
// 005: three of its five rows), «1» (seed 10031's realistic acts). Only
// after a month's name, where nothing but «г.» is printed, and only at
// the end.
var monthYearMark = regexp.MustCompile(`(?i)((?:январ|феврал|март|апрел|ма[йя]|июн|июл|август|сентябр|октябр|ноябр|декабр)\S* (?:19|20)\d\d) ?[т‹<r1]\.?$`)

// itemUnit reads a row's unit of measure from its unit cell and its ОКЕИ code
// cell (УПД and счёт-фактура print both). A unit with a known spelling is
// kept as printed, unless OCR read it in Latin look-alikes or a known ОКЕИ
// code beside it names another unit; an OCR'd one a
// letter away from exactly one known unit is snapped to it unless a known
// ОКЕИ code names another; failing both, a known ОКЕИ code gives the unit.
// A code cell holding letters is a unit printed in the code's column.
func itemUnit(printed, code string) string {
	if printed == "" && code != "" && !startsWithDigit(code) {
		printed, code = code, ""
	}
	if code == "" && len(printed) == 3 && onlyDigits(printed) == printed {
		// The code alone in the unit's column («166» for «кг»: the
		// heading's cells mapped one column off on 9981's realistic
		// ТОРГ-12s): a known code names its unit.
		if u, ok := ruvalid.UnitByCode(printed); ok {
			return u.Symbol
		}
	}
	byCode, coded := ruvalid.UnitByCode(ruvalid.NormalizeNumber(code))
	if printed != "" {
		if u, ok := ruvalid.LookupUnit(printed); ok {
			if coded && u.Code != byCode.Code {
				// A unit the code beside it does not name: OCR made
				// another unit of a short one («м» of «кг» beside «166»
				// on 9801's realistic счёт-фактура 014 and 9931's
				// ТОРГ-12 015), where the code's three digits read
				// right. The code names what was printed.
				return byCode.Symbol
			}
			if strings.ContainsFunc(printed, func(r rune) bool { return unicode.In(r, unicode.Latin) }) {
				// Units are printed in Cyrillic: Latin letters are
				// OCR's look-alikes («kr» for «кг»), not the print.
				return u.Symbol
			}
			return printed
		}
	}
	if printed != "" {
		// A guess at a garbled unit gives way to a readable code
		// that names another («ar» beside «796» is «шт», not «кг»).
		if u, ok := ruvalid.SnapUnit(printed); ok && (!coded || u.Code == byCode.Code) {
			return u.Symbol
		}
	}
	if coded {
		return byCode.Symbol
	}
	return printed
}

// unitWithCode splits a unit cell that holds the unit and its ОКЕИ code
// («упак 778», «796 шт»): ТОРГ-12 heads both with one «Единица измерения»
// over «наименование | код по ОКЕИ», so one column (the code's) takes
// both, and every row of seed 31's born-digital ТОРГ-12 read its unit so. The code must be
// a known one and the other word a unit, or a short word the code then
// names; otherwise the cell stays as printed.
func unitWithCode(s string) (unit, code string, ok bool) {
	ws := strings.Fields(s)
	if len(ws) != 2 {
		return "", "", false
	}
	for i, c := range ws {
		c = strings.Trim(c, "|[]")
		u := ws[1-i]
		if len(c) != 3 || !startsWithDigit(c) {
			continue
		}
		if _, known := ruvalid.UnitByCode(c); !known {
			continue
		}
		if _, word := ruvalid.LookupUnit(u); word {
			return u, c, true
		}
		if _, near := ruvalid.SnapUnit(u); near {
			return u, c, true
		}
		if n := len([]rune(u)); n <= maxUnitWord && strings.ContainsFunc(u, unicode.IsLetter) || unitDebris(u) {
			// A unit OCR garbled («Kr» for «кг», «=» for a short
			// one): the code names it (itemUnit).
			return u, c, true
		}
	}
	return "", "", false
}

// quantityGluedToUnit splits a unit cell that took the quantity beside it,
// the cell's border read as «|» between them («2|шт», seed 9201's
// realistic bill 005): the quantity's column was empty, the unit a known
// one.
func quantityGluedToUnit(s string) (qty, unit string, ok bool) {
	ws := strings.Fields(s)
	if len(ws) == 0 {
		return "", "", false
	}
	left, right, found := strings.Cut(ws[len(ws)-1], "|")
	if !found || left == "" || right == "" {
		return "", "", false
	}
	if _, known := ruvalid.LookupUnit(right); !known {
		return "", "", false
	}
	if r := []rune(left); len(r) == 1 {
		// «З|шт»: one digit read as its look-alike letter (seed 9301's
		// scanned счёт-оферта 014), which parseQuantity refuses alone.
		if d, look := digitLookalikes[r[0]]; look && r[0] != '|' {
			left = string(d)
		}
	}
	q, ok := parseQuantity([]token{{text: left}})
	if !ok {
		return "", "", false
	}
	return q, right, true
}

// unitBesideBadCode splits «шт 795»: a known unit and, beside it, three
// digits that are no ОКЕИ code (a misread one; seed 9201's realistic
// ТОРГ-12 003 read «796» so). The code may come first, as the
// счёт-фактура prints it, when one column took both (seed 10021's
// realistic счёт-фактура 007 read «795 шт»). unitWithCode takes the pair
// when the code is known. The unit may be misread too, a letter off a
// known one or with a speck before it («‘упая 718» for «упак 778», «wt
// 795» for «шт 796», study seed 10241's realistic ТОРГ-12 015): the unit
// it snaps to is returned.
func unitBesideBadCode(s string) (string, bool) {
	ws := strings.Fields(s)
	if len(ws) != 2 {
		return "", false
	}
	for i, c := range ws {
		if len(c) != 3 || onlyDigits(c) != c {
			continue
		}
		if _, known := ruvalid.UnitByCode(c); known {
			return "", false
		}
		w := ws[1-i]
		if _, known := ruvalid.LookupUnit(w); known {
			return w, true
		}
		if u, near := ruvalid.SnapUnit(strings.Trim(w, speckMarks+":;()[]|")); near {
			return u.Symbol, true
		}
	}
	return "", false
}

// readingOrder orders two words of a cell as they are read: by line (the
// centres less than half a word's height apart share one), then left to
// right.
func readingOrder(a, b token) int {
	ca, cb := a.box.Y0+a.box.Y1, b.box.Y0+b.box.Y1 // twice the centres
	if d := ca - cb; d > a.box.Dy() || -d > a.box.Dy() {
		return d
	}
	return a.box.X0 - b.box.X0
}

// garbledUnitWord reports a word that may be a unit OCR garbled past
// knowing (the caller checks it is no known unit, nor one letter from
// one): letters only, at most maxUnitWord of them, none a capital after
// the first (a name's abbreviation, «ПНД», is not a unit).
func garbledUnitWord(w string) bool {
	r := []rune(w)
	if len(r) == 0 || len(r) > maxUnitWord {
		return false
	}
	for i, c := range r {
		if !unicode.IsLetter(c) || i > 0 && unicode.IsUpper(c) {
			return false
		}
	}
	return true
}

// unitDebris reports a word of one or two marks and no letter or digit:
// what OCR makes of a short unit on a photo («=» for «кг»). Set apart by a
// column gap before a known ОКЕИ code, it is that code's unit.
func unitDebris(w string) bool {
	r := []rune(w)
	if len(r) == 0 || len(r) > 2 {
		return false
	}
	for _, c := range r {
		if unicode.IsLetter(c) || unicode.IsDigit(c) {
			return false
		}
	}
	return true
}

// maxUnitWord is the longest word taken for a garbled unit beside a known
// ОКЕИ code (unitWithCode): the units printed in that column are
// abbreviations («шт», «упак», «компл»); a longer word is something else.
const maxUnitWord = 6

// itemUnitCode is a row's printed ОКЕИ code (column 2 of a счёт-фактура or
// УПД) when it is a known one; "" otherwise — consumers that need a code
// look the unit up.
func itemUnitCode(code string) string {
	if u, ok := ruvalid.UnitByCode(ruvalid.NormalizeNumber(code)); ok {
		return u.Code
	}
	return ""
}
