package fields

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// Locating the items table: which line is its header (the words of column
// headings, wrapped over lines, or the statutory forms' row of column
// numbers), what each column holds and the x-range it owns.

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
	case has("ндс", "налог") && has("сумма") && !has("с налогом", "с ндс", "учетом", "без"):
		// «НДС | сумма, руб.» with its words in another order: the
		// heading's lines set out at their own heights (seed 9701's
		// scanner-app ТОРГ-12 005 read column 14 so).
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

// torg12ColumnNumbers maps the fifteen columns of the ТОРГ-12 (ОКУД
// 0330212), numbered 1 to 15 under its heading, to what they hold: the
// price is column 11, the amount with VAT column 15.
var torg12ColumnNumbers = []colKind{
	colNo, colName, colOther, colUnit, colUnitCode, colOther, colOther, colOther, colOther,
	colQty, colPrice, colNet, colRate, colVAT, colAmount,
}

// torg12Columns maps a ТОРГ-12's columns by its row of column numbers
// when that row has as many marks as the form has columns: the marks are
// 1 to 15 left to right whatever OCR made of them. Its heading's words,
// small print in fifteen narrow cells, garble on photos where its digits
// survive: 9931's realistic ТОРГ-12 015 read «Сумма с учетом НДС» as
// «сумма сучетюм … ой», took the VAT's column for the amount and lost
// every row's amount and VAT, while its marks read «3 2 3 4 5 6 7 в 9 30
// 11 12 13 34 15» — fifteen of them. A row that lost a mark or two maps
// its columns by the numbers read when every mark left reads as a number
// and they rise (torg12ColumnsByNumber). Another row is left to the
// heading's words (nil).
func torg12Columns(l *line) []column {
	toks := slices.DeleteFunc(slices.Clone(l.toks), func(t token) bool {
		return strings.Trim(t.text, speckMarks) == ""
	})
	if len(toks) != len(torg12ColumnNumbers) {
		return torg12ColumnsByNumber(toks)
	}
	// Most marks must read as their own number, so that a lost mark
	// and a stray word making fifteen between them do not shift the
	// columns: 015's row had 11 of 15.
	agree := 0
	for i, t := range toks {
		if n, err := strconv.Atoi(strings.Trim(t.text, markPunct)); err == nil && n == i+1 {
			agree++
		}
	}
	if agree < torg12MarksAgree {
		return nil
	}
	cols := make([]column, len(toks))
	for i, t := range toks {
		cols[i] = column{kind: torg12ColumnNumbers[i], x0: t.box.X0, x1: t.box.X1, text: strconv.Itoa(i + 1), numbered: true}
	}
	setRanges(cols)
	return cols
}

// torg12ColumnsByNumber maps the columns of a row of ТОРГ-12 marks that
// lost some (seed 9931's realistic ТОРГ-12 006 read «1 2 4 5 … 15», its
// «3» gone) or garbled some (seed 10031's realistic ТОРГ-12 010 read «1 2
// 3 4 5 7 8 9 10 uu 12 13 4 15»: «6» lost, «11» and «14» garbled). The
// marks that read as numbers rising from 1 to 15 anchor the row (the
// longest such run); a run of other marks between two anchors takes the
// numbers between them when it has as many marks as they are apart, and
// is left out otherwise. The first mark must be 1 and the last 15, and at
// least torg12MarksKept marks mapped; each column is the one its number
// names, and the lost ones are left out.
func torg12ColumnsByNumber(toks []token) []column {
	if len(toks) < torg12MarksKept || len(toks) > len(torg12ColumnNumbers) {
		return nil
	}
	nums := make([]int, len(toks))
	for i, t := range toks {
		n, err := strconv.Atoi(strings.Trim(t.text, markPunct))
		if err != nil || n < 1 || n > len(torg12ColumnNumbers) {
			n = 0
		}
		nums[i] = n
	}
	if nums[0] != 1 || nums[len(nums)-1] != len(torg12ColumnNumbers) {
		// The row's ends lost: without «1» the row numbers join the
		// names (seed 9981's scanner-app ТОРГ-12 001 read «2 3 … 15»
		// and gave «1 |Монитор …»), and what stands beyond the last
		// mark read is unknown.
		return nil
	}
	// The longest run of marks rising strictly from the first to the
	// last, by position.
	best := make([]int, len(nums))
	prev := make([]int, len(nums))
	for i := range nums {
		best[i], prev[i] = 0, -1
		if nums[i] == 0 {
			continue
		}
		best[i] = 1
		for j := range i {
			if nums[j] != 0 && nums[j] < nums[i] && nums[i]-nums[j] >= i-j && best[j]+1 > best[i] {
				best[i], prev[i] = best[j]+1, j
			}
		}
	}
	var anchors []int
	for i := len(nums) - 1; i >= 0; i = prev[i] {
		anchors = append(anchors, i)
	}
	slices.Reverse(anchors)
	if anchors[0] != 0 {
		return nil
	}
	mapped := make([]int, len(nums))
	for k, i := range anchors {
		mapped[i] = nums[i]
		if k == 0 {
			continue
		}
		j := anchors[k-1]
		if i-j-1 == nums[i]-nums[j]-1 {
			for m := j + 1; m < i; m++ {
				mapped[m] = nums[j] + m - j
			}
		}
	}
	cols := make([]column, 0, len(toks))
	for i, t := range toks {
		if n := mapped[i]; n > 0 {
			cols = append(cols, column{kind: torg12ColumnNumbers[n-1], x0: t.box.X0, x1: t.box.X1, text: strconv.Itoa(n), numbered: true})
		}
	}
	if len(cols) < torg12MarksKept {
		return nil
	}
	setRanges(cols)
	return cols
}

// torg12MarksKept is the least number of marks torg12ColumnsByNumber
// maps the columns by: at most two of the fifteen lost.
const torg12MarksKept = 13

// torg12MarksAgree is the least number of a ТОРГ-12's fifteen column
// marks that must read as their position's number for torg12Columns to
// map the columns by position: two in three.
const torg12MarksAgree = 10

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
// one short unreadable mark in six is tolerated. A scan's row of the 1096
// edition's nineteen marks came out with five garbled («А т la 16 2 2a 3 4
// 5 6 Я 8 9 10 10а о 12 12а Ls», seed 31's 015-upd): up to one in three is
// tolerated when the numbers read rise in order, as the columns' numbers
// do, over at least numberRowRising of them.
func numberRow(l *line) bool {
	if len(l.toks) < 6 {
		return false
	}
	bad, nums, ok := columnMarks(l.toks)
	if !ok {
		return false
	}
	if bad*6 <= len(l.toks) {
		return true
	}
	return bad*3 <= len(l.toks) && risingRun(nums) >= max(numberRowRising, len(l.toks)/2)
}

// maxColumnMark is the highest column number the forms read here print:
// the УПД of the 1096 edition numbers up to 19 (ТОРГ-12, to 15).
const maxColumnMark = 19

// markPunct is what OCR adds around a column mark from the cell's rules
// and specks: «rT)» for «1а» on 9841's realistic счёт-фактура 015, whose
// row of marks was then refused for a three-character word.
const markPunct = ".,:;()[]|"

// columnMarks reads a line as a row of column marks: the numbers it
// holds («2а» as 2), and how many of its words are garbled marks (one or
// two characters, neither a number nor a lettered mark, or three with no
// Cyrillic letter: «ath» for «11» on unseen seed 10081's scanned УПД 001,
// whose rows were all lost for it). ok is false when a word of four
// characters or more, or of three with a Cyrillic letter, is no number:
// no mark is that long, and such a word is a word (a unit, «шт.»).
func columnMarks(toks []token) (bad int, nums []int, ok bool) {
	for _, t := range toks {
		k := strings.Trim(strings.ToLower(t.text), markPunct)
		n, err := strconv.Atoi(strings.TrimRight(k, "абвab"))
		switch {
		case err == nil:
			nums = append(nums, n)
		case len([]rune(k)) > 3 || (len([]rune(k)) == 3 && strings.IndexFunc(k, func(r rune) bool { return unicode.Is(unicode.Cyrillic, r) }) >= 0):
			return 0, nil, false
		case k != "а" && k != "б" && k != "a" && k != "b":
			bad++
		}
	}
	return bad, nums, true
}

// garbledNumberRow reports a row of column numbers too garbled for
// numberRow, which maps the columns by its marks, yet no row of goods: a
// line of nothing but short marks (no word of three letters, no money)
// with at least numberRowRisingGarbled numbers rising in order, more than
// its garbled marks and at least half the numbers it has. Specks read as
// commas and quotes are not counted. Among the rows it is skipped: 9801's
// realistic счёт-фактура 014 read the row on its page 2 as «1 16 г 2 3 4 5
// ‘ 7 ‘ , ю 12а и 3 in u», and it was taken for a row of goods that moved
// every row under it by one. Its marks are not trusted to map columns:
// seed 1's photographed счёт-фактура 005, whose row read «: 16 2 2a 3 4 5
// ‘ ? 6 ry 10 10a u», lost its rows when they were.
func garbledNumberRow(l *line) bool {
	toks := slices.DeleteFunc(slices.Clone(l.toks), func(t token) bool {
		return strings.Trim(t.text, speckMarks) == ""
	})
	bad, nums, ok := columnMarks(toks)
	if !ok {
		return false
	}
	r := risingRun(nums)
	return r >= numberRowRisingGarbled && r > bad && 2*r >= len(nums)
}

// numberRowRisingGarbled is garbledNumberRow's least count of numbers
// rising in order; 9801's счёт-фактура 014 read 7 among 5 garbled marks.
// A row of figures does not rise so (TestNumberRowTolerance).
const numberRowRisingGarbled = 6

// speckMarks are what OCR makes of a speck of dirt or toner: low marks
// with no shape of a letter.
const speckMarks = "‘’‚'`,.\"“”„"

// numberRowRising is the least count of column numbers read in rising
// order that lets a row with many garbled marks count as the row of column
// numbers: the счёт-фактура prints 11 or more, the УПД 13 to 19.
const numberRowRising = 8

// risingRun is the length of the longest non-decreasing subsequence of ns
// («1 16 2 2 3» gives 4: a «1б» read as «16» is left out).
func risingRun(ns []int) int {
	best := make([]int, len(ns))
	longest := 0
	for i := range ns {
		best[i] = 1
		for j := range i {
			if ns[j] <= ns[i] && best[j]+1 > best[i] {
				best[i] = best[j] + 1
			}
		}
		longest = max(longest, best[i])
	}
	return longest
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
	// «Цена, руб.» set a little wider apart than a word gap is one
	// heading: a currency alone heads no column, and as a column of its
	// own it took the money printed under its heading's right half (seed
	// 9301's scanned счёт-оферта 014: every price and amount centred
	// under «руб.», rows run together, 26 read as 18).
	for i := 1; i < len(cells); i++ {
		if !currencyHeading(cells[i].toks) || cells[i].x0-cells[i-1].x1 > int(maxCurrencyGapUnits*hl[0].unit) {
			continue
		}
		keys := make([]string, len(cells[i-1].toks))
		for j, t := range cells[i-1].toks {
			keys[j] = t.key
		}
		switch classifyHeaderCell(strings.Join(keys, " ") + " ") {
		case colPrice, colAmount, colNet, colVAT:
			cells[i-1].x1 = max(cells[i-1].x1, cells[i].x1)
			cells[i-1].toks = append(cells[i-1].toks, cells[i].toks...)
			cells = slices.Delete(cells, i, i+1)
			i--
		}
	}
	var cols []column
	for _, c := range cells {
		keys := make([]string, len(c.toks))
		for i, t := range c.toks {
			keys[i] = t.key
		}
		k := strings.Join(keys, " ")
		if !strings.ContainsAny(k, "№#") && !strings.ContainsFunc(k, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
			// A speck or a rule read as a heading cell («~» right of
			// «Сумма» on seed 10031's realistic act 003) heads no
			// column: as one, it took the amounts printed under its
			// neighbour's right half, and two rows with them.
			continue
		}
		cols = append(cols, column{kind: classifyHeaderCell(k + " "), x0: c.x0, x1: c.x1, text: k})
	}
	setRanges(cols)
	return cols
}

// maxCurrencyGapUnits is the widest gap, in capital heights, between a
// money heading and a currency word that goes with it («Цена,   руб.»):
// the scan of seed 9301's 014 printed it at 0.6 units, over the cell
// split; the next heading is several units away.
const maxCurrencyGapUnits = 1.5

// currencyHeading reports a heading cell that is only a currency:
// «руб.», «(руб.)», «₽», «RUB», «руб. коп.».
//
// «коп.» too, the second half of ТОРГ-12's «руб. коп.», and «кол.» as OCR
// misreads it: on its own it heads the quantity, but set this close to a
// money heading it is that heading's kopecks (seed 9701's scanner-app
// ТОРГ-12 005 mapped a «кол» cell over the VAT and read every row's VAT
// as more of its quantity).
func currencyHeading(ts []token) bool {
	if len(ts) == 0 || len(ts) > 2 {
		return false
	}
	for _, t := range ts {
		switch strings.Trim(strings.ToLower(t.text), ".,:;()[]«» ") {
		case "руб", "₽", "rub", "рублей", "рубли", "коп", "кол", "кoп":
		default:
			return false
		}
	}
	return true
}

func formColumns(l *line) []column {
	var cols []column
	marks := make([]string, len(l.toks))
	for i, t := range l.toks {
		k := strings.ReplaceAll(strings.Trim(strings.ToLower(t.text), markPunct), "a", "а")
		// «la» is «1а» with the 1 read as a letter.
		if r := []rune(k); len(r) == 2 && (r[0] == 'l' || r[0] == 'i' || r[0] == '|') {
			k = "1" + string(r[1])
		}
		marks[i] = k
	}
	// The row's first mark before the name's code mark is «1», whatever
	// digit OCR made of it: «4 16 2 2a …» (9901's scanned счёт-фактура
	// 008 read «1» as «4», mapped the names to the price's column and
	// lost them all).
	if len(marks) > 1 && (marks[1] == "16" || marks[1] == "1б" || marks[1] == "1а") && marks[0] != "1" && len(marks[0]) == 1 && startsWithDigit(marks[0]) {
		marks[0] = "1"
	}
	numbering := formColumnNumbers
	if marks[0] == "а" || updNumbering(marks) {
		numbering = updColumnNumbers
	}
	// A mark OCR garbled between two it did not, the one before it and
	// the one after: «3 а 5» is «3 4 5» (seed 31's scanner-app УПД 015
	// lost its price column so).
	// So is a digit out of its order: «8 3 10» is «8 9 10» (seed 9701's
	// scanner-app УПД 011 read its amount's «9» as «3», and every row's
	// amount went to the quantity's column). Between «n» and «n+1», an
	// unknown mark is «nа» where the form has one: «2 20 3» is «2 2а 3».
	// The mark before may be a lettered one: «2а В 4» is «2а 3 4» (seed
	// 1's scanned счёт-фактура 019 lost its quantities so).
	for i := 1; i+1 < len(marks); i++ {
		a, errA := strconv.Atoi(strings.TrimRight(marks[i-1], "аб"))
		b, errB := strconv.Atoi(marks[i+1])
		if errA != nil || errB != nil {
			continue
		}
		_, known := numbering[marks[i]]
		n, errN := strconv.Atoi(marks[i])
		_, plain := strconv.Atoi(marks[i-1])
		switch {
		case marks[i] == "16" || marks[i] == "1б":
			// «1 16 3» is «1 1б (2 2а) 3», the «1б» read as a number
			// and two marks lost (9841's realistic счёт-фактура 015),
			// not «1 2 3»: no form has a column 16, and the lost marks
			// are put back below.
		case b == a+2 && (!known || errN == nil && n != a+1):
			marks[i] = strconv.Itoa(a + 1)
		case b == a+1 && !known && plain == nil:
			if _, ok := numbering[strconv.Itoa(a)+"а"]; ok {
				marks[i] = strconv.Itoa(a) + "а"
			}
		}
	}
	// Two garbled in a row: «7 з ° 10» is «7 8 9 10» (9841's realistic
	// счёт-фактура 010 lost its VAT's and amount's columns so). Before a
	// lettered mark the second is the plain one it follows: «8 ° 20 10а»
	// is «8 9 10 10а», a number out of the order counting as garbled
	// (study seed 10261's realistic УПД 004 lost its amounts so).
	for i := 1; i+2 < len(marks); i++ {
		a, errA := strconv.Atoi(marks[i-1])
		next := strings.TrimRight(marks[i+2], "аб")
		b, errB := strconv.Atoi(next)
		garbled := func(m string) bool {
			n, err := strconv.Atoi(strings.TrimRight(m, "аб"))
			return err != nil || errB == nil && next != marks[i+2] && (n <= a || n >= b)
		}
		span := 3
		if next != marks[i+2] {
			span = 2 // «10а» follows «10»
		}
		if errA == nil && errB == nil && b == a+span && garbled(marks[i]) && garbled(marks[i+1]) {
			marks[i], marks[i+1] = strconv.Itoa(a+1), strconv.Itoa(a+2)
		}
	}
	// The row's last mark below the one before it is a misread one:
	// «12а 3» at the row's end is «13», not a second quantity's column
	// (the same счёт-фактура's last row read every row's country code as
	// a quantity). Only the last: inside the row a mark out of order may
	// be the misread one or its neighbour (9841's realistic УПД 011 read
	// «А 2 12 16 2 2а 3 …»). «16» counts as the «1б» it stands for, and
	// numbers over maxColumnMark («108» for «10а») say nothing.
	if n := len(marks); n >= 2 {
		last, errL := strconv.Atoi(strings.TrimRight(marks[n-1], "аб"))
		prev, errP := strconv.Atoi(strings.TrimRight(marks[n-2], "аб"))
		if errL == nil && errP == nil && prev <= maxColumnMark && marks[n-2] != "16" && last < prev {
			marks[n-1] = "?" + marks[n-1]
		}
	}
	hasName := false
	gap := medianMarkGap(l.toks)
	for i, t := range l.toks {
		k := marks[i]
		kind, ok := numbering[k]
		if !ok {
			kind = colOther
		}
		hasName = hasName || kind == colName
		cols = append(cols, column{kind: kind, x0: t.box.X0, x1: t.box.X1, text: k, numbered: true})
		if i+1 < len(marks) {
			// Marks OCR lost outright between two it read: «2а 4» with
			// twice the usual distance between them is «2а 3 4» (9901's
			// scanner-app УПД 011 lost its «3», and every row its
			// quantity); «1б 3» is «1б 2 2а 3» (9841's realistic
			// счёт-фактура 015, whose names lost their last words to the
			// unit's columns). Their columns share the gap evenly.
			next := l.toks[i+1]
			if ms := skippedMarks(k, marks[i+1]); len(ms) > 0 && float64(next.box.X0-t.box.X1) >= missingMarkGap*gap {
				for j, m := range ms {
					at := t.box.X1 + (next.box.X0-t.box.X1)*(j+1)/(len(ms)+1)
					cols = append(cols, column{kind: numbering[m], x0: at, x1: at, text: m, numbered: true})
				}
			}
		}
	}
	if len(cols) > 2 && cols[1].kind == colOther && cols[2].kind == colName && numbering["1"] == colNo {
		// The УПД's row number's mark «1» unreadable («т» on seed 31's
		// 015-upd scan) between «А» and the name's «1а»: without it the
		// name's first word, left of the name's centred mark, went to
		// no column.
		cols[1].kind = colNo
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

// markOrder is the order of the statutory forms' column marks from the
// name's last code column to the amount, the same in the счёт-фактура and
// the УПД. «1б» stands for whichever of «1а» or «1б» ends the name's
// columns in the form's edition, and for «16», as OCR reads «1б».
var markOrder = []string{"1б", "2", "2а", "3", "4", "5", "6", "7", "8", "9"}

// skippedMarks returns the marks of markOrder between a and b when b
// comes two or three places after a: one or two marks lost, none when a
// and b are neighbours or out of order. Every form prints all of them.
func skippedMarks(a, b string) []string {
	if a == "1а" || a == "16" {
		a = "1б"
	}
	i, j := slices.Index(markOrder, a), slices.Index(markOrder, b)
	if i < 0 || j < i+2 || j > i+3 {
		return nil
	}
	return markOrder[i+1 : j]
}

// missingMarkGap is how many times the row's median distance between
// neighbouring marks two marks must stand apart for one between them to
// count as lost rather than never printed. On 9901's scanner-app УПД 011
// «2а» and «4» stood 330 px apart against a median of 162; the widest
// neighbours it read between «2» and «9» («4» and «5») stood 1.4 medians
// apart. Chosen between the two on that one row.
const missingMarkGap = 1.8

// medianMarkGap is the median distance between neighbouring words of a
// row of column marks.
func medianMarkGap(ts []token) float64 {
	var gaps []float64
	for i := 1; i < len(ts); i++ {
		if d := ts[i].box.X0 - ts[i-1].box.X1; d > 0 {
			gaps = append(gaps, float64(d))
		}
	}
	if len(gaps) == 0 {
		return 1 << 30
	}
	return median(gaps)
}

// updNumbering reports the numbering «1 1а 1б 2 …» of the 2021 and later
// editions of the счёт-фактура and of every УПД: «1» is the row number,
// «1а» the name and «1б» the product-type code. The УПД's leading «А»
// tells it too, but a photo's edge or a fold loses it (seed 31's
// realistic УПД 015, straightened). The older счёт-фактура numbers the
// name «1» and its code «1а», with no «1б»: the three marks in a row are
// what sets the new numbering apart. «16» after «1а» is a «1б» read as a
// digit: no form has a column 16.
func updNumbering(marks []string) bool {
	for i := 0; i+2 < len(marks); i++ {
		if marks[i] == "1" && marks[i+1] == "1а" && (marks[i+2] == "1б" || marks[i+2] == "16") {
			return true
		}
	}
	return false
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
