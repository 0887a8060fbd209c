package corpus

import (
	"strconv"
	"strings"

	"github.com/pervichka/pervichka/corpus/sheet"
)

// ptMM is one typographic point in millimetres.
const ptMM = 25.4 / 72

//go:generate go run gen_advances.go

// advanceIndex maps a rune to its place in advanceTable.
var advanceIndex = func() map[rune]int {
	m := make(map[rune]int, len(advanceRunes))
	i := 0
	for _, r := range advanceRunes {
		m[r] = i
		i++
	}
	return m
}()

// textWidth measures s in millimetres with the advance widths of the real
// fonts (advances.go, generated from the Debian files the renderer uses),
// plus 2% for safety. A character outside the table counts as one em.
func textWidth(f sheet.Font, s string) float64 {
	faces, ok := advanceTable[f.Family]
	if !ok {
		faces = advanceTable[sheet.DejaVuSans] // the widest family
	}
	adv := faces[0]
	if f.Bold {
		adv = faces[1]
	}
	milli := 0
	for _, r := range s {
		if i, ok := advanceIndex[r]; ok {
			milli += int(adv[i])
		} else {
			milli += 1000
		}
	}
	return float64(milli) / 1000 * f.Size * ptMM * 1.02
}

// lineHeight is the distance between baselines of wrapped lines.
func lineHeight(f sheet.Font) float64 { return f.Size * ptMM * 1.22 }

// ascent is how far capitals rise above the baseline, roughly.
func ascent(f sheet.Font) float64 { return f.Size * ptMM * 0.78 }

// wrap breaks s into lines no wider than w, at spaces where possible and
// inside long words otherwise. Explicit newlines are kept.
func wrap(f sheet.Font, s string, w float64) []string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		words := strings.Fields(para)
		if len(words) == 0 {
			out = append(out, "")
			continue
		}
		line := ""
		for _, word := range words {
			cand := word
			if line != "" {
				cand = line + " " + word
			}
			if textWidth(f, cand) <= w {
				line = cand
				continue
			}
			if line != "" {
				out = append(out, line)
				line = ""
			}
			for textWidth(f, word) > w {
				rs := []rune(word)
				n := len(rs) - 1
				for n > 1 && textWidth(f, string(rs[:n])) > w {
					n--
				}
				out = append(out, string(rs[:n]))
				word = string(rs[n:])
			}
			line = word
		}
		out = append(out, line)
	}
	return out
}

// shrink returns f made small enough for s to fit in w, but no smaller than
// min points; the caller wraps if it still does not fit.
func shrink(f sheet.Font, s string, w, min float64) sheet.Font {
	for f.Size > min && textWidth(f, s) > w {
		f.Size -= 0.25
	}
	return f
}

// canvas lays out a document top to bottom, starting new pages as the
// content flows over the bottom margin.
type canvas struct {
	doc                      sheet.Document
	w, h                     float64
	left, right, top, bottom float64 // margins in mm
	y                        float64 // the next free line, from the top
}

func newCanvas(landscape bool, left, right, top, bottom float64) *canvas {
	c := &canvas{w: sheet.A4Short, h: sheet.A4Long, left: left, right: right, top: top, bottom: bottom}
	if landscape {
		c.w, c.h = c.h, c.w
	}
	c.newPage()
	return c
}

// x0, x1 and width describe the printable band.
func (c *canvas) x0() float64    { return c.left }
func (c *canvas) x1() float64    { return c.w - c.right }
func (c *canvas) width() float64 { return c.w - c.left - c.right }

func (c *canvas) newPage() {
	c.doc.Sheets = append(c.doc.Sheets, sheet.Sheet{W: c.w, H: c.h})
	c.y = c.top
}

// pages is the number of pages so far.
func (c *canvas) pages() int { return len(c.doc.Sheets) }

func (c *canvas) add(op sheet.Op) {
	s := &c.doc.Sheets[len(c.doc.Sheets)-1]
	s.Ops = append(s.Ops, op)
}

// ensure starts a new page unless h millimetres still fit on this one; it
// reports whether it did.
func (c *canvas) ensure(h float64) bool {
	if c.y+h <= c.h-c.bottom || c.y <= c.top {
		return false
	}
	c.newPage()
	return true
}

// textBox draws s in [x, x+w] with the alignment, shrinking the font (to
// 5.5 pt at most) if it would not fit.
func (c *canvas) textBox(x, y, w float64, f sheet.Font, a sheet.Align, s string) {
	if s == "" {
		return
	}
	f = shrink(f, s, w, 5.5)
	c.add(sheet.Text{X: x, Y: y, W: w, Font: f, Align: a, S: s})
}

// para writes wrapped text in [x, x+w] from the cursor down, breaking pages
// between lines, and leaves the cursor under it.
func (c *canvas) para(x, w float64, f sheet.Font, a sheet.Align, s string) {
	lh := lineHeight(f)
	for _, ln := range wrap(f, s, w) {
		c.ensure(lh)
		c.textBox(x, c.y+ascent(f), w, f, a, ln)
		c.y += lh
	}
}

// gap moves the cursor down.
func (c *canvas) gap(mm float64) { c.y += mm }

func (c *canvas) hline(x1, x2, y, width float64) {
	c.add(sheet.Line{X1: x1, Y1: y, X2: x2, Y2: y, Width: width})
}

func (c *canvas) vline(x, y1, y2, width float64) {
	c.add(sheet.Line{X1: x, Y1: y1, X2: x, Y2: y2, Width: width})
}

func (c *canvas) rect(x, y, w, h, width float64) {
	c.add(sheet.Rect{X: x, Y: y, W: w, H: h, Width: width})
}

// column is one column of a table.
type column struct {
	Head  string
	W     float64 // millimetres
	Align sheet.Align
}

// table describes how a table is drawn.
type table struct {
	X          float64
	Cols       []column
	Head, Body sheet.Font
	Pad        float64  // inner padding, mm
	Numbers    bool     // a row of column numbers under the heads (счёт-фактура)
	NumLabels  []string // the numbers' labels when they are not 1, 2, 3 …
	// Groups, parallel to Cols, are heads shared by neighbouring columns of
	// the same group, drawn as one cell above their own heads («Единица
	// измерения» over «код» and «условное обозначение»).
	Groups   []string
	Border   float64 // line width
	HeadFill bool
	// Bare: rows that run onto a new page continue without the heads, as
	// 1C prints its bills and acts.
	Bare bool
}

// drawTable draws the heads and rows from the cursor down; a row that does
// not fit starts a new page and repeats the heads.
func (c *canvas) drawTable(t table, rows [][]string) {
	if t.Border == 0 {
		t.Border = 0.2
	}
	heads := make([]string, len(t.Cols))
	for i, col := range t.Cols {
		heads[i] = col.Head
	}
	drawHeads := func() {
		c.y += c.heads(t, heads)
		if t.Numbers {
			nums := make([]string, len(t.Cols))
			for i := range nums {
				nums[i] = numberLabel(i)
				if i < len(t.NumLabels) {
					nums[i] = t.NumLabels[i]
				}
			}
			nf := t.Body
			nf.Size = max(nf.Size-1, 5.5)
			c.y += c.row(t, nf, nums, true, false, sheet.Center)
		}
	}
	c.ensure(30)
	drawHeads()
	for _, r := range rows {
		h := c.rowHeight(t, t.Body, r, false)
		if c.ensure(h) && !t.Bare {
			drawHeads()
		}
		c.y += c.row(t, t.Body, r, false, false, -1)
	}
}

// heads draws the head row of t, with group heads above their columns when
// any column has a Group, and returns its height.
func (c *canvas) heads(t table, heads []string) float64 {
	group := func(i int) string {
		if i < len(t.Groups) {
			return t.Groups[i]
		}
		return ""
	}
	grouped := false
	for i := range t.Cols {
		grouped = grouped || group(i) != ""
	}
	if !grouped {
		return c.row(t, t.Head, heads, true, t.HeadFill, sheet.Center)
	}
	// Heights: the group labels, the heads under them, and the full heads
	// of ungrouped columns that span both.
	var gh, sub, full float64
	for i, col := range t.Cols {
		one := table{Cols: []column{col}, Pad: t.Pad}
		h := c.rowHeight(one, t.Head, []string{heads[i]}, true)
		if group(i) == "" {
			full = max(full, h)
			continue
		}
		sub = max(sub, h)
		gh = max(gh, c.rowHeight(table{Cols: []column{{W: groupWidth(t, i)}}, Pad: t.Pad}, t.Head, []string{group(i)}, true))
	}
	full = max(full, gh+sub)
	c.ensure(full)
	y0 := c.y
	x := t.X
	for i := 0; i < len(t.Cols); i++ {
		col := t.Cols[i]
		g := group(i)
		if g == "" {
			c.y = y0
			c.row(table{X: x, Cols: []column{col}, Pad: t.Pad, Border: t.Border}, t.Head, []string{heads[i]}, true, t.HeadFill, sheet.Center)
			c.rect(x, y0, col.W, full, t.Border)
			x += col.W
			continue
		}
		gw := groupWidth(t, i)
		c.y = y0
		c.row(table{X: x, Cols: []column{{W: gw}}, Pad: t.Pad, Border: t.Border}, t.Head, []string{g}, true, t.HeadFill, sheet.Center)
		c.rect(x, y0, gw, gh, t.Border)
		for ; i < len(t.Cols) && group(i) == g; i++ {
			c.y = y0 + gh
			sc := t.Cols[i]
			c.row(table{X: x, Cols: []column{sc}, Pad: t.Pad, Border: t.Border}, t.Head, []string{heads[i]}, true, t.HeadFill, sheet.Center)
			c.rect(x, y0+gh, sc.W, full-gh, t.Border)
			x += sc.W
		}
		i--
	}
	c.y = y0
	return full
}

// groupWidth is the width of the run of columns sharing column i's group,
// starting at i.
func groupWidth(t table, i int) float64 {
	w := 0.0
	for j := i; j < len(t.Cols) && j < len(t.Groups) && t.Groups[j] == t.Groups[i]; j++ {
		w += t.Cols[j].W
	}
	return w
}

// numberLabel names table columns 1, 1а, 1б, 2, 2а, 3 … as the forms do;
// plain numbers are enough for the generator.
func numberLabel(i int) string { return itoa(i + 1) }

func itoa(i int) string { return strconv.Itoa(i) }

func (c *canvas) rowHeight(t table, f sheet.Font, cells []string, head bool) float64 {
	lines := 1
	for i, s := range cells {
		if i >= len(t.Cols) {
			break
		}
		lines = max(lines, len(cellLines(t.Cols[i], f, s, t.Pad, head)))
	}
	return float64(lines)*lineHeight(f) + 2*t.Pad
}

// cellLines splits a cell's text into lines: names (left-aligned columns)
// and heads wrap, numbers stay on one line and shrink instead.
func cellLines(col column, f sheet.Font, s string, pad float64, head bool) []string {
	if !head && col.Align != sheet.Left {
		return []string{s}
	}
	return wrap(cellFont(col, f, s, pad, head), s, col.W-2*pad)
}

// cellFont shrinks a head's font until its longest word fits the column, so
// that narrow columns of a счёт-фактура are not cut inside words.
func cellFont(col column, f sheet.Font, s string, pad float64, head bool) sheet.Font {
	if !head {
		return f
	}
	for _, w := range strings.Fields(s) {
		f = shrink(f, w, col.W-2*pad, 5.5)
	}
	return f
}

// row draws one row of cells at the cursor and returns its height. align < 0
// takes each column's own alignment.
//
// head marks a row of column heads: every cell wraps, centred.
func (c *canvas) row(t table, f sheet.Font, cells []string, head, fill bool, align sheet.Align) float64 {
	h := c.rowHeight(t, f, cells, head)
	x := t.X
	for i, col := range t.Cols {
		if fill {
			c.add(sheet.Rect{X: x, Y: c.y, W: col.W, H: h, Fill: &sheet.Color{R: 235, G: 235, B: 235}})
		}
		c.rect(x, c.y, col.W, h, t.Border)
		a := col.Align
		if align >= 0 {
			a = align
		}
		if i < len(cells) {
			cf := cellFont(col, f, cells[i], t.Pad, head)
			for j, ln := range cellLines(col, f, cells[i], t.Pad, head) {
				c.textBox(x+t.Pad, c.y+t.Pad+ascent(f)+float64(j)*lineHeight(f), col.W-2*t.Pad, cf, a, ln)
			}
		}
		x += col.W
	}
	return h
}

// scaleCols stretches column widths proportionally to fill w.
func scaleCols(cols []column, w float64) []column {
	sum := 0.0
	for _, c := range cols {
		sum += c.W
	}
	out := make([]column, len(cols))
	for i, c := range cols {
		c.W = c.W * w / sum
		out[i] = c
	}
	return out
}

// spanRow draws one row in which consecutive columns are merged: spans[i]
// columns carry cells[i]. It returns the row's height.
func (c *canvas) spanRow(t table, f sheet.Font, spans []int, cells []string, aligns []sheet.Align) float64 {
	merged := table{X: t.X, Pad: t.Pad, Border: t.Border}
	k := 0
	for i, n := range spans {
		w := 0.0
		for j := 0; j < n && k < len(t.Cols); j++ {
			w += t.Cols[k].W
			k++
		}
		a := sheet.Right
		if i < len(aligns) {
			a = aligns[i]
		}
		merged.Cols = append(merged.Cols, column{W: w, Align: a})
	}
	if merged.Border == 0 {
		merged.Border = 0.2
	}
	h := c.rowHeight(merged, f, cells, false)
	c.ensure(h)
	c.y += c.row(merged, f, cells, false, false, -1)
	return h
}
