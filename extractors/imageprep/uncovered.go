package imageprep

import (
	"image"
	"math"
	"slices"
)

// Text that OCR's page layout dropped.
//
// Tesseract's automatic layout (PSM 3) now and then leaves out text it
// does read in isolation: a bold role label alone in its column
// («Заказчик:» left of the party's name), or a whole column of a
// two-column requisites block. On the seed-1 messenger photos one role
// label in five was missing (labels.py in docs/benchmarks.md), and a side
// without its label takes the wrong name or none. UncoveredLines finds
// such ink so that the caller can read it line by line.
const (
	// A text component is uncoveredMinHeight..uncoveredMaxHeight word
	// heights tall and at most uncoveredMaxWidth wide: a letter, or a
	// whole word whose letters blur into one on a messenger photo (a
	// seed-1 photo's «Поставщик:» was one component 4 heights wide), not a
	// rule, a stamp or a signature's loops.
	uncoveredMinHeight = 0.35
	uncoveredMaxHeight = 1.3
	uncoveredMaxWidth  = 12
	// Characters join a line when their gap is under uncoveredGap word
	// heights (punctuation is too small to count, so «»,» leave a gap) and
	// their vertical middles are within uncoveredMidShift.
	uncoveredGap      = 1.5
	uncoveredMidShift = 0.4
	// A line is at least uncoveredMinWidth word heights wide and holds
	// uncoveredMinParts components or more — or one blurred word at least
	// uncoveredOneWord wide («Заказчик:», its colon too small to count).
	uncoveredMinParts = 2
	uncoveredMinWidth = 2.5
	uncoveredOneWord  = 4
	// uncoveredMaxParts bounds the characters looked at: a page with more
	// uncovered ones than a dense A4 page has letters (~6,000) is noise or
	// texture, and grouping it would only cost time.
	uncoveredMaxParts = 20000
	// uncoveredMargin widens a found word's box (in word heights) before
	// ink under it counts as covered: accents, commas and quotes beside a
	// word are its own.
	uncoveredMargin = 0.3
)

// UncoveredLines returns boxes of lines of characters in g that none of the
// words' boxes covers, widest first, at most limit of them. Each box is one
// line, padded by a fraction of the text height, for a single-line re-read.
// With fewer than three words there is no text height to go by, and nothing
// is returned.
//
// Limits: it looks for print-sized characters only, so a handwritten date
// or a stamp's ring is not returned; a line that touches a found word
// (a label glued to its value) is not returned either.
func UncoveredLines(g *image.Gray, words []image.Rectangle, limit int) []image.Rectangle {
	if g == nil || len(words) < 3 || limit <= 0 {
		return nil
	}
	hs := make([]int, 0, len(words))
	for _, w := range words {
		hs = append(hs, w.Dy())
	}
	slices.Sort(hs)
	u := float64(hs[len(hs)/2])
	if u < 4 {
		return nil
	}
	margin := int(uncoveredMargin * u)
	covered := make([]image.Rectangle, 0, len(words))
	for _, w := range words {
		covered = append(covered, w.Inset(-margin))
	}
	isCovered := func(r image.Rectangle) bool {
		c := image.Pt((r.Min.X+r.Max.X)/2, (r.Min.Y+r.Max.Y)/2)
		for _, w := range covered {
			if c.In(w) {
				return true
			}
		}
		return false
	}
	var chars []image.Rectangle
	for _, b := range inkComponents(g) {
		r := image.Rect(b.x0, b.y0, b.x1, b.y1).Add(g.Rect.Min)
		h, w := float64(r.Dy()), float64(r.Dx())
		if b.touchesEdge || h < uncoveredMinHeight*u || h > uncoveredMaxHeight*u || w > uncoveredMaxWidth*u {
			continue
		}
		if !isCovered(r) {
			chars = append(chars, r)
		}
	}
	slices.SortFunc(chars, func(a, b image.Rectangle) int { return a.Min.X - b.Min.X })
	type line struct {
		box image.Rectangle
		n   int
	}
	if len(chars) > uncoveredMaxParts {
		return nil // specks or texture, not lines a layout dropped
	}
	var lines []line
	var open []int // lines a character further right may still join
	gap, shift := int(uncoveredGap*u), uncoveredMidShift*u
	for _, c := range chars {
		// Characters come left to right: a line ending more than a gap
		// left of this one is closed for good.
		open = slices.DeleteFunc(open, func(i int) bool { return c.Min.X-lines[i].box.Max.X > gap })
		mid := float64(c.Min.Y+c.Max.Y) / 2
		joined := false
		for _, i := range slices.Backward(open) {
			l := &lines[i]
			lm := float64(l.box.Min.Y+l.box.Max.Y) / 2
			if math.Abs(mid-lm) <= shift {
				l.box, l.n = l.box.Union(c), l.n+1
				joined = true
				break
			}
		}
		if !joined {
			lines = append(lines, line{box: c, n: 1})
			open = append(open, len(lines)-1)
		}
	}
	var out []image.Rectangle
	for _, l := range lines {
		if w := float64(l.box.Dx()); w >= uncoveredMinWidth*u && (l.n >= uncoveredMinParts || w >= uncoveredOneWord*u) {
			b := l.box.Inset(-int(0.25 * u)).Intersect(g.Rect)
			if b = trimWords(b, words); float64(b.Dx()) >= uncoveredMinWidth*u {
				out = append(out, b)
			}
		}
	}
	slices.SortFunc(out, func(a, b image.Rectangle) int { return b.Dx() - a.Dx() })
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

// trimWords narrows a line's box so that it reaches into no word found on
// the same line: one ink component may start under a word and run past it
// (a word's last letters glued to the underline of its value), and a
// re-read of the box would read that word's letters a second time. Seed
// 9601's scanner-app счёт-фактура 008 got the name «ООО «Квадрат» рат»»
// so. A word lying wholly inside the box is left to the re-read.
func trimWords(b image.Rectangle, words []image.Rectangle) image.Rectangle {
	for changed := true; changed && !b.Empty(); {
		changed = false
		for _, w := range words {
			ov := min(b.Max.Y, w.Max.Y) - max(b.Min.Y, w.Min.Y)
			if 2*ov < min(b.Dy(), w.Dy()) {
				continue // another line
			}
			switch {
			case w.Min.X <= b.Min.X && w.Max.X > b.Min.X:
				b.Min.X, changed = w.Max.X, true
			case w.Max.X >= b.Max.X && w.Min.X < b.Max.X:
				b.Max.X, changed = w.Min.X, true
			}
		}
	}
	if b.Dx() <= 0 {
		return image.Rectangle{}
	}
	return b
}
