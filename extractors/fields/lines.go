package fields

import (
	"math"
	"slices"
	"sort"
	"strings"

	pervichka "github.com/pervichka/pervichka"
)

// token is one word of a page as the extractor sees it.
type token struct {
	text string // as recognised
	key  string // wordKey(text), for keyword matching
	box  pervichka.Rect
	conf float64
	page int // index into the pages slice given to Extract
	// words are the indices in the page's Words of the words this token
	// was made of: one, or more where the extractor joined words
	// (joinSplitDate); none for a re-read's text (pseudoLine).
	words []int
}

// line is a row of words rebuilt from geometry: words whose vertical
// centres fall inside one band of the page, left to right. Tesseract's own
// block/line numbering is ignored on purpose, since it splits table rows and
// side-by-side columns into separate blocks.
type line struct {
	page int
	toks []token
	box  pervichka.Rect
	unit float64 // median word height of the page: the unit of distance
	idx  int     // position in the document's line list
}

// text joins the tokens with single spaces.
func (l *line) text() string { return joinTokens(l.toks) }

// keys joins the token keys with single spaces.
func (l *line) keys() string {
	parts := make([]string, len(l.toks))
	for i, t := range l.toks {
		parts[i] = t.key
	}
	return strings.Join(parts, " ")
}

func joinTokens(ts []token) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = t.text
	}
	return strings.Join(parts, " ")
}

// minConf is the lowest word confidence among ts (1 for none).
func minConf(ts []token) float64 {
	c := 1.0
	for _, t := range ts {
		c = min(c, t.conf)
	}
	return c
}

func boxOf(ts []token) pervichka.Rect {
	var r pervichka.Rect
	for _, t := range ts {
		r = r.Union(t.box)
	}
	return r
}

// medianHeight is the median height of the words of a page, the unit all
// distances are measured in (images arrive at unknown scales).
func medianHeight(ws []pervichka.Word) float64 {
	hs := make([]int, 0, len(ws))
	for _, w := range ws {
		if h := w.Box.Dy(); h > 0 && len([]rune(strings.TrimSpace(w.Text))) > 1 {
			hs = append(hs, h)
		}
	}
	if len(hs) == 0 {
		for _, w := range ws {
			if h := w.Box.Dy(); h > 0 {
				hs = append(hs, h)
			}
		}
	}
	if len(hs) == 0 {
		return 1
	}
	slices.Sort(hs)
	return float64(hs[len(hs)/2])
}

// buildLines rebuilds the lines of all pages in reading order (page by page,
// top to bottom). A word joins a line when its vertical centre lies within
// the band of the line's words; words are then sorted by x.
func buildLines(pages []pervichka.Page) []line {
	var out []line
	for pi, p := range pages {
		u := medianHeight(p.Words)
		ws := make([]pervichka.Word, 0, len(p.Words))
		at := make([]int, 0, len(p.Words)) // at[k] is ws[k]'s index in p.Words
		for i, w := range p.Words {
			if strings.TrimSpace(w.Text) == "" || w.Box.Dx() < 0 || w.Box.Dy() <= 0 {
				continue
			}
			ws = append(ws, w)
			at = append(at, i)
		}
		slope := pageSlope(ws, u)
		// level is a word's centre height (doubled) with the page's tilt
		// taken out, so that a photographed row stays one line across the
		// width of the page.
		level := func(w pervichka.Word) float64 {
			return float64(w.Box.Y0+w.Box.Y1) - slope*float64(w.Box.X0+w.Box.X1)
		}
		pws := make([]pageWord, len(ws))
		for k, w := range ws {
			pws[k] = pageWord{Word: w, at: at[k : k+1 : k+1], level: level(w)}
		}
		holdTesseractRuns(pws, u)
		sort.SliceStable(pws, func(i, j int) bool {
			ci, cj := pws[i].level, pws[j].level
			if ci != cj {
				return ci < cj
			}
			return pws[i].Box.X0 < pws[j].Box.X0
		})
		var cur []pageWord
		var cy, ch float64 // running centre and height of the current line
		// ocrLine is Tesseract's own line of a word (zero for a PDF's text
		// layer, which has none). A word of a line already in cur may sit
		// further from its centre than the tolerance: a title in a large
		// font shares its row with small print («СЧЁТ-ФАКТУРА № 1 от 17
		// апреля 2024 г. (1) Приложение № 1 к постановлению …»), the
		// running centre and height follow the small print, and a word
		// with a descender («апреля») would otherwise fall out of its
		// line, taking the date's month with it.
		type ocrLine struct{ block, par, line int }
		inCur := map[ocrLine]bool{}
		runInCur := map[int]bool{}
		flush := func() {
			if len(cur) == 0 {
				return
			}
			sort.SliceStable(cur, func(i, j int) bool { return cur[i].Box.X0 < cur[j].Box.X0 })
			l := line{page: pi, unit: u}
			for k, w := range cur {
				if speckInside(w.Word, cur, k) {
					continue
				}
				conf := w.Conf
				if conf < 0 || conf > 1 {
					conf = max(0, min(1, conf))
				}
				l.toks = append(l.toks, token{text: strings.TrimSpace(w.Text), key: wordKey(w.Text), box: w.Box, conf: conf, page: pi, words: w.at})
				l.box = l.box.Union(w.Box)
			}
			out = append(out, l)
			cur = cur[:0]
		}
		for _, w := range pws {
			wc := w.level / 2
			wh := float64(w.Box.Dy())
			key := ocrLine{w.Block, w.Par, w.Line}
			held := w.run != 0 && runInCur[w.run]
			if len(cur) > 0 && !held {
				tol := 0.5 * max(min(ch, wh), 0.5*u)
				if key != (ocrLine{}) && inCur[key] {
					tol = max(tol, 0.75*max(ch, wh))
				}
				if wc-cy > tol {
					flush()
					clear(inCur)
					clear(runInCur)
				}
			}
			inCur[key] = true
			if w.run != 0 {
				runInCur[w.run] = true
			}
			switch {
			case len(cur) == 0:
				cy, ch = wc, wh
			case held:
				// A word held by its run leaves the line's band where
				// the words that chose the line put it.
			default:
				n := float64(len(cur))
				cy = (cy*n + wc) / (n + 1)
				ch = (ch*n + wh) / (n + 1)
			}
			cur = append(cur, w)
		}
		flush()
	}
	for i := range out {
		out[i].idx = i
	}
	return out
}

// pageWord is a word of a page with its index in the page's Words, as a
// one-element slice that tokens share (its capacity is one, so a token
// that joins more words copies it).
type pageWord struct {
	pervichka.Word
	at    []int
	level float64 // centre height (doubled) with the page's tilt taken out
	run   int     // the Tesseract run the word belongs to (holdTesseractRuns); 0 if none
}

// holdTesseractRuns gives the words of one run of a Tesseract line one
// level, the run's mean, so that the run cannot be torn apart into two
// lines. A run is a stretch of words of one Tesseract line, left to right,
// each overlapping the next vertically by at least half the smaller height
// and no further than runGapUnits from it: words chained like that are one
// row of print whatever the global tilt says. The case: a curled sheet
// photographed from above, whose title climbs 2.5° while the body below is
// level («Счет-договор на оплату № … от 28 августа 2025» rises by 1.7 line
// heights across its width); the page's one slope cannot level both, and
// the title's words were sorted into two lines, the number and the date
// apart from the title. Runs only hold words together; whether a run joins
// the words of other runs is still decided by buildLines's band.
//
// Each run of two words or more gets its own number (pageWord.run), and
// buildLines keeps a run in the line its first word joined: one level is
// not enough when a run's words differ in height. A title in a large font
// runs on in smaller print beside two lines of small print at the right
// («СЧЁТ-ФАКТУРА № 992 от 18 мая 2025 г.» beside «Приложение № 1 к
// постановлению …», seed 8901's scanner-app photo 015): the tall title
// word joined the small print's line by its height, the «№ 992 …» after
// it fell out by theirs, and the title's «№» became the Приложение's.
// PDF text layers have no Tesseract lines and are left alone.
func holdTesseractRuns(pws []pageWord, u float64) {
	type ocrLine struct{ block, par, line int }
	byLine := map[ocrLine][]int{}
	for i, w := range pws {
		k := ocrLine{w.Block, w.Par, w.Line}
		if k == (ocrLine{}) {
			continue
		}
		byLine[k] = append(byLine[k], i)
	}
	run := 0
	for _, idx := range byLine {
		if len(idx) < 2 {
			continue
		}
		sort.SliceStable(idx, func(a, b int) bool { return pws[idx[a]].Box.X0 < pws[idx[b]].Box.X0 })
		start := 0
		hold := func(end int) {
			if end-start < 2 {
				return
			}
			run++
			for _, i := range idx[start:end] {
				pws[i].run = run
			}
			var sum float64
			for _, i := range idx[start:end] {
				sum += pws[i].level
			}
			mean := sum / float64(end-start)
			for _, i := range idx[start:end] {
				pws[i].level = mean
			}
		}
		for k := 1; k < len(idx); k++ {
			a, b := pws[idx[k-1]].Box, pws[idx[k]].Box
			overlap := min(a.Y1, b.Y1) - max(a.Y0, b.Y0)
			gap := float64(b.X0 - a.X1)
			if float64(overlap) < 0.5*float64(min(a.Dy(), b.Dy())) || gap > runGapUnits*u {
				hold(k)
				start = k
			}
		}
		hold(len(idx))
	}
	joinTouchingRuns(pws, u, run)
}

// joinTouchingRuns makes one run of two runs (or lone words) of different
// Tesseract lines where the last word of one touches the first of the
// other: no further apart than touchGapUnits, overlapping vertically by
// half the smaller height. Tesseract's page layout splits a climbing title
// into blocks in the middle of a word: on 10131's realistic счёт-фактура
// 002 «СЧЕТ-ФАКТУРА № 17» and «18 от 20 мая 2023 г.» were two blocks 4 px
// (a tenth of a word height) apart, the two runs' levels put them in two
// lines, and the number was read «17» for «1718», confirmed by a second
// reading of the same line. runs is the number of runs holdTesseractRuns
// made.
func joinTouchingRuns(pws []pageWord, u float64, runs int) {
	type ocrLine struct{ block, par, line int }
	// group: a run, or a lone word of a Tesseract line as a run of its own.
	group := make([]int, len(pws))
	next := runs
	for i, w := range pws {
		if w.run != 0 {
			group[i] = w.run
			continue
		}
		if (ocrLine{w.Block, w.Par, w.Line}) == (ocrLine{}) {
			group[i] = -1
			continue
		}
		next++
		group[i] = next
	}
	first := map[int]int{} // group → its leftmost word
	last := map[int]int{}  // group → its rightmost word
	for i, g := range group {
		if g < 0 {
			continue
		}
		if f, ok := first[g]; !ok || pws[i].Box.X0 < pws[f].Box.X0 {
			first[g] = i
		}
		if l, ok := last[g]; !ok || pws[i].Box.X1 > pws[l].Box.X1 {
			last[g] = i
		}
	}
	parent := make([]int, next+1)
	for i := range parent {
		parent[i] = i
	}
	find := func(g int) int {
		for parent[g] != g {
			parent[g] = parent[parent[g]]
			g = parent[g]
		}
		return g
	}
	joined := false
	for ga, li := range last {
		a := pws[li]
		for gb, fi := range first {
			if ga == gb {
				continue
			}
			b := pws[fi]
			if (ocrLine{a.Block, a.Par, a.Line}) == (ocrLine{b.Block, b.Par, b.Line}) {
				continue
			}
			gap := float64(b.Box.X0 - a.Box.X1)
			overlap := min(a.Box.Y1, b.Box.Y1) - max(a.Box.Y0, b.Box.Y0)
			if gap < -0.1*u || gap > touchGapUnits*u || float64(overlap) < 0.5*float64(min(a.Box.Dy(), b.Box.Dy())) {
				continue
			}
			if ra, rb := find(ga), find(gb); ra != rb {
				parent[rb] = ra
				joined = true
			}
		}
	}
	if !joined {
		return
	}
	members := map[int][]int{}
	for i, g := range group {
		if g > 0 {
			r := find(g)
			members[r] = append(members[r], i)
		}
	}
	for r, idx := range members {
		gs := map[int]bool{}
		for _, i := range idx {
			gs[group[i]] = true
		}
		if len(gs) < 2 {
			continue
		}
		var sum float64
		for _, i := range idx {
			sum += pws[i].level
		}
		mean := sum / float64(len(idx))
		for _, i := range idx {
			pws[i].level = mean
			pws[i].run = r
		}
	}
}

// touchGapUnits is the widest gap (in median word heights) at which two
// words of different Tesseract lines still touch (joinTouchingRuns): under
// the narrowest word space of 1C's fonts (0.3 of a word height, see
// runGapUnits), so that only a word Tesseract's layout cut in two is
// joined, never two words a space apart.
const touchGapUnits = 0.2

// runGapUnits is the widest gap (in median word heights) between two words
// of one run of a Tesseract line (holdTesseractRuns): a word space is
// 0.3–0.6 of a word height in the fonts of 1C's forms; 1.5 keeps a run
// inside one table cell or one column of a two-column block. Chosen by
// hand, not measured.
const runGapUnits = 1.5

// pageSlope is the tilt of the text lines of a page (dy/dx) that the image
// enhancement left: the median slope between the centres of pairs of words
// of one line (overlapping by half their height, of like height) three to
// fifteen word heights apart. Pairs that near each other would measure the
// shapes of the words (a capital, a descender) more than the tilt. A photo
// skewed by a degree moves a row by a line's height across an A4 table,
// enough to shuffle the words of two rows; a tilt under half a line across
// the text is taken as none.
//
// Cost: only words that overlap vertically are paired (sorted by their
// tops, a word meets the ones starting above its bottom), and a page of more
// than maxSlopeWords words (only a hostile text layer has them: an OCR'd
// A4 page has under 2,000) is measured on that many, evenly spaced. Pairing
// every word with every other took 2.5 s on 16,000 words and grows with
// the square.
func pageSlope(ws []pervichka.Word, u float64) float64 {
	sample := ws
	if len(ws) > maxSlopeWords {
		sample = make([]pervichka.Word, 0, maxSlopeWords)
		for i := range maxSlopeWords {
			sample = append(sample, ws[i*len(ws)/maxSlopeWords])
		}
	}
	byTop := slices.Clone(sample)
	slices.SortFunc(byTop, func(a, b pervichka.Word) int { return a.Box.Y0 - b.Box.Y0 })
	var slopes []float64
	for i, a := range byTop {
		for _, b := range byTop[i+1:] {
			if b.Box.Y0 >= a.Box.Y1 {
				break // this and every later word starts below a
			}
			l, r := a, b // l left of r
			dx := float64(r.Box.X0+r.Box.X1-l.Box.X0-l.Box.X1) / 2
			if dx < 0 {
				l, r, dx = b, a, -dx
			}
			if dx < 3*u || dx > 15*u || math.Abs(float64(r.Box.Dy()-l.Box.Dy())) >= 0.3*u {
				continue
			}
			overlap := min(l.Box.Y1, r.Box.Y1) - max(l.Box.Y0, r.Box.Y0)
			if float64(overlap) < 0.5*float64(min(l.Box.Dy(), r.Box.Dy())) {
				continue
			}
			slopes = append(slopes, float64(r.Box.Y0+r.Box.Y1-l.Box.Y0-l.Box.Y1)/2/dx)
		}
	}
	if len(slopes) < 20 {
		return 0
	}
	slices.Sort(slopes)
	s := slopes[len(slopes)/2]
	// A tilt that moves a word by less than half a line across the text's
	// width is noise of the estimate or of the print, and levelling by it
	// would only shuffle the figures of a row printed between the two
	// lines of its wrapped name.
	x0, x1 := ws[0].Box.X0, ws[0].Box.X1
	for _, w := range ws {
		x0, x1 = min(x0, w.Box.X0), max(x1, w.Box.X1)
	}
	if math.Abs(s)*float64(x1-x0) < 0.5*u {
		return 0
	}
	return s
}

// maxSlopeWords bounds the words pageSlope pairs (see there).
const maxSlopeWords = 4000

// cells splits a line into runs of words separated by gaps wider than
// gapUnits × the page unit: the cells of a table row or the columns of a
// two-column block.
func (l *line) cells(gapUnits float64) [][]token {
	var out [][]token
	var cur []token
	for i, t := range l.toks {
		if i > 0 && float64(t.box.X0-l.toks[i-1].box.X1) > gapUnits*l.unit {
			out = append(out, cur)
			cur = nil
		}
		cur = append(cur, t)
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// speckInside reports a word of one or two characters that lies inside
// the box of another word of its line (cur[k] is w), less than half as
// wide and as tall and read less surely: a speck Tesseract read within a
// word it also read whole. 9801's realistic УПД 003 read «№ УТ-144 a от 8
// мая 2024 г.» with a 14×9 px «a» inside the 149×31 px number's box; the
// number took it, and as the «a» ended far left of «от», the title's cell
// ended there and the date was lost. Tesseract's boxes are not always
// tight: seed 1's photographed bill 021 boxed «СЧЁТ» over the whole
// title, «№ 75/23» inside it, so a word of full height is never a speck.
func speckInside(w pervichka.Word, cur []pageWord, k int) bool {
	if len([]rune(strings.TrimSpace(w.Text))) > 2 {
		return false
	}
	for j, o := range cur {
		if j == k || o.Conf <= w.Conf {
			continue
		}
		b := o.Box
		if w.Box.X0 >= b.X0 && w.Box.X1 <= b.X1 && w.Box.Y0 >= b.Y0 && w.Box.Y1 <= b.Y1 && 2*w.Box.Dx() < b.Dx() && 2*w.Box.Dy() < b.Dy() {
			return true
		}
	}
	return false
}
