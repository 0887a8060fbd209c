package tesseract

import (
	"context"
	"image"
	"math"
	"slices"
	"strings"
	"unicode"

	"github.com/otiai10/gosseract/v2"
)

// Orientation by reading. OSD classifies single character shapes and fails
// on small, blurred text: on the corpus's hard phone photos (1024-1280 px,
// JPEG q45-60, capitals 5-7 px before imageprep enlarges them) it gave
// mapped confidences of 0.1-0.35 and often a wrong turn. The LSTM
// recogniser reads such text far better than OSD classifies it, and reads
// nothing sensible from text lying on its side or upside down, so reading
// a crop at each turn and counting real words decides where OSD cannot.
//
// The parameters below were chosen by measurement on the 58 corpus photos
// (29 messenger, 29 hard), with the probe imageprep hands over. A crop of
// 0.5 of each side reduced to 1200 px found the turn of 15 hard pages OSD
// had missed; 0.4 and 1000 px cost hardly less CPU and lost four of them.
const (
	// osdTrustFrom is the mapped OSD confidence from which OSD's answer is
	// taken without reading. imageprep acts from 0.5, but on the hard
	// corpus photos OSD was wrong at 0.56 and 0.63 (and right at 0.53-0.60
	// on other pages), so answers up to 0.7 are checked by reading, and a
	// reading with readOverrides or more wins over OSD.
	osdTrustFrom  = 0.7
	readOverrides = 0.5
	// readCrop is the share of each side of the page kept for reading,
	// centred: the middle of a document carries its table and parties,
	// while the margins of a photo show the table it lies on.
	readCrop = 0.5
	// readLongSide bounds the crop's long side in pixels; recognition cost
	// grows with the pixels segmented and the text read.
	readLongSide = 1200
	// readInkLongSide bounds the second probe read when the central one
	// decides nothing (confidence under readOverrides): the box of the
	// page's text (see inkBox). Pages whose centre holds no text or only
	// ruled table cells need it: the second page of a landscape УПД or
	// ТОРГ-12, a table of a few rows or a signature block along one edge.
	// On seed 31's realistic photos five pages scored 0 at every turn in
	// the central crop read as one block; their ink boxes at 1600 px found
	// all five turns (confidence 0.61-0.97, the wrong turns at most 4),
	// where 0.8 of each side, centred, found two. Read as sparse text
	// (readPSM), three of them still need it. Only pages the central crop
	// cannot settle and whose text lies away from the centre
	// (inkBoxMaxArea) pay for it.
	readInkLongSide = 1600
	// inkRunsMin is the number of separate ink runs from which a row or
	// column of the page counts as crossing text (inkBox): a line across
	// the sheet, its edge or a fold makes one run, a line of text many,
	// and text lying across the row a few (one or two per line crossed).
	// At 3 the box of seed 31's five pages held their text; at 6 one box
	// came out empty (two lines of text standing on end).
	inkRunsMin = 3
	// inkBoxMaxArea is the largest share of the page the text box may
	// cover to be read: only text away from the centre is worth a second
	// probe. Where text fills the page and its centre still reads nothing,
	// the text is too poor to read: on seed 1's hard photos 13 of 16 such
	// pages had boxes over half the page, reading them at 1600 px cost 94 s
	// against 74 s for all 37 pages' central crops and found 4 more turns
	// on pages that read too badly to extract anyway (field accuracy 0.25
	// on that variant); on its messenger photos 3 pages (boxes 0.52-0.79)
	// cost 17 s and changed no turn. The three table and signature pages
	// of seed 31 that needed it had boxes of 0.03-0.23 of the page (its two
	// others with nothing read in the centre as one block, 0.85 and 0.95,
	// were an upright page and a table sparse text reads in the centre).
	inkBoxMaxArea = 0.5
	// readPSM reads the crop as sparse text: every piece of text found on
	// its own, in no order. Automatic layout (PSM 3) finds vertical text
	// lines and reads them turned: a hard photo read whole with PSM 3 gave
	// 56 known words on its side and 55 upright. One block of text (PSM 6)
	// does not, but it reads a ruled table as one block and gets noise at
	// every turn: on seed 31's realistic photos (landscape УПД and ТОРГ-12
	// pages photographed whole) three table pages scored 0 at every turn
	// and one 5, where sparse text scored 27-150 at the right turn and at
	// most 3 at the wrong ones. Over all 24 pages sparse text found the
	// right turn at 0.5 or more on 20 (one block: 17), no wrong turn scored
	// over a fifth of the right one, and the four turns of all pages took
	// 36 s against 52 s; on the probes of seed 1's 37 one-page messenger
	// photos 31 s against 38 s, on its УПД pages as enhanced 17 s against
	// 19 s.
	readPSM = gosseract.PSM_SPARSE_TEXT
	// readMinConf is the word confidence (0..1) from which a word counts.
	readMinConf = 0.6
	// readMargin is the score margin (best minus second best) mapped to
	// confidence 0.5 when the second best is 0: two confidently read
	// words, or one document word.
	readMargin = 12.0
	// readEnough is the score after which the remaining turns are not
	// read, and readNoise the share of the best score assumed for them. On
	// the corpus photos the right turn scored 9-620 and a wrong one at most
	// 30, never more than about a tenth of the right one once that was
	// over 50.
	readEnough = 50.0
	readNoise  = 0.15
	// linesSure is the ratio of the row and column profile measures (see
	// lineDirection) beyond which the direction of text lines is taken as
	// known. On the central crops of the corpus photos the ratio was 2-13
	// for horizontal lines and 0.03-0.55 for vertical ones, with
	// table-heavy pages in between (0.8-1.6), read at all four turns. With
	// table rules left out of the profiles, 498 photo pages of seeds 9801,
	// 9841, 9901 and 1 gave 0.68-13.3 upright and 0.08-1.16 on their side;
	// the pages between 0.5 and 2 are still read at all four turns.
	linesSure = 2.0
)

// docStems are beginnings of words that nearly every Russian primary
// document carries; a word starting with one counts extra. They are
// lower case with е for ё.
var docStems = []string{
	"инн", "кпп", "счет", "итог", "сумм", "договор", "акт", "ндс", "руб",
	"наименован", "покупател", "продав", "поставщик", "исполнител",
	"заказчик", "банк", "всего", "количеств", "цена", "товар", "оплат",
	"услуг", "адрес", "единиц", "стоимост",
}

// readOrientation recognises a central crop of g at the quarter turns
// that leave its text lines horizontal, hint first (OSD's weak answer), and
// returns the turn whose reading scores best (see wordScore) with a
// confidence from the margin over the second best. calls counts the
// recognitions made on the slot's probe client (probeReady).
//
// When the central crop decides nothing (confidence under readOverrides),
// the box of the page's text (inkProbe) is read too, and when that does
// not decide either, the whole page (pageProbe); the most confident answer
// is returned.
func (p *Pool) readOrientation(ctx context.Context, s *slot, pr readProbe, hint int, calls *int) (degrees int, conf float64, err error) {
	scores, err := p.readScores(ctx, s, pr, hint, calls)
	if err != nil {
		return 0, 0, err
	}
	degrees, conf = readDecision(scores)
	if pr.page == nil {
		return degrees, conf, nil
	}
	for _, more := range []struct {
		name  string
		probe func(g *image.Gray, crop readProbe) (readProbe, bool)
	}{{"ink box", inkProbe}, {"whole page", pageProbe}} {
		if conf >= readOverrides {
			break
		}
		next, ok := more.probe(pr.page, pr)
		if !ok {
			continue
		}
		if scores, err = p.readScores(ctx, s, next, hint, calls); err != nil {
			return 0, 0, err
		}
		ndeg, nconf := readDecision(scores)
		p.log.Debug("orientation by reading, "+more.name, "degrees", degrees, "conf", conf, "probe_degrees", ndeg, "probe_conf", nconf)
		if nconf > conf {
			degrees, conf = ndeg, nconf
		}
	}
	return degrees, conf, nil
}

// pageProbe is the probe of the whole page g reduced to readInkLongSide,
// the last one read when neither the central crop nor the ink box settled
// the turn. The pages that need it carry their text in blocks along the
// edges with ruled cells, a fold or a stamp in the middle: the second
// pages of landscape УПД (signature blocks, lines [8]–[19]) photographed
// whole. On seed 8801's realistic and scanner-app photos five such pages
// were read at 0° with their lines on end: their central crops scored 0
// at every turn (one saw its lines lying flat for the fold and the
// stamp across it) and their ink boxes covered 0.92–1.00 of the page or
// were read at a margin under readOverrides, while the whole page at
// 1600 px scored 42–444 at the right turn and at most 16 at a wrong one.
//
// It is not read when the lines of the whole page and of its centre both
// lie flat and text fills the centre (cropTextShare): the crop has read
// the two turns that leave the lines so, and found nothing, because the
// text is too poor to read (the hard photos, most of them upright); a
// second, larger reading there costs much and finds nothing new.
func pageProbe(g *image.Gray, crop readProbe) (readProbe, bool) {
	page, dir := crop.small, crop.pageDir
	if page == nil {
		page = shrink(g, readInkLongSide)
		dir = lineDirection(page)
	}
	if dir == linesHorizontal && crop.dir == linesHorizontal {
		r, c := inkBox(crop.crop), crop.crop.Rect
		if float64(r.Dx()*r.Dy()) >= cropTextShare*float64(c.Dx()*c.Dy()) {
			return readProbe{}, false
		}
	}
	return readProbe{crop: page, dir: dir, frac: 1}, true
}

// cropTextShare is the share of the central crop that the box of its
// text (inkBox) must cover for the crop's failure to read to say the text
// is too poor rather than elsewhere. A centre holding one fold, a stamp
// or a few words of a block along the edge has a box of a few percent;
// a page of text read from the middle, most of it.
const cropTextShare = 0.25

// readDecision picks the best of the scores of the four turns and maps
// its margin m over the second best s2 to a confidence m/(m+readMargin+s2):
// the wrong turns of a page read a little noise, more the more text there
// is, so the same margin counts for less over a noisy second. A score of
// notRead marks a turn the text lines ruled out, unread one the reading
// stopped before; unread turns are taken to score readNoise of the best.
func readDecision(scores [4]float64) (degrees int, conf float64) {
	best, stopped := -1, false
	for i, sc := range scores {
		stopped = stopped || sc == unread
		if sc >= 0 && (best < 0 || sc > scores[best]) {
			best = i
		}
	}
	if best < 0 {
		return 0, 0
	}
	second := 0.0
	for i, sc := range scores {
		if i != best && sc > second {
			second = sc
		}
	}
	if stopped {
		second = max(second, scores[best]*readNoise)
	}
	m := scores[best] - second
	if m <= 0 {
		return 0, 0
	}
	return 90 * best, m / (m + readMargin + second)
}

// Scores of turns not read.
const (
	notRead = -1 // the text lines would be vertical
	unread  = -2 // reading stopped on a clear winner
)

// readProbe is what orientation by reading reads: the central crop of a
// page, reduced, and the direction of its text lines. It is made once per
// page (newReadProbe): OrientationDeferred looks at the direction before
// deciding to read at all.
type readProbe struct {
	crop *image.Gray
	dir  int
	// frac is the share of the page's long side the crop spans, for the
	// resolution Tesseract is told; page is the whole page, kept for the
	// ink box (nil in the ink box's own probe), small the same reduced to
	// readInkLongSide (pageProbe's) and pageDir the direction of its lines.
	frac    float64
	page    *image.Gray
	small   *image.Gray
	pageDir int
}

// newReadProbe makes the probe of page g: its central crop, and the
// direction of text lines that the crop and the whole page agree on
// (pageAndCrop).
func newReadProbe(g *image.Gray) readProbe {
	crop := shrink(centralCrop(g, readCrop), readLongSide)
	small := shrink(g, readInkLongSide)
	pageDir := lineDirection(small)
	return readProbe{crop: crop, dir: pageAndCrop(pageDir, lineDirection(crop)), frac: readCrop, page: g, small: small, pageDir: pageDir}
}

// pageAndCrop is the direction of a page's text lines from that of the
// whole page (reduced to readInkLongSide) and that of its central crop.
// The crop was asked alone before; on the 312 probes of realistic,
// scanner-app, messenger and hard photos of seeds 1, 9801, 9841, 9901,
// 10021 and 10031 it gave no direction on 32 pages and the wrong one on 2
// (a fold across an empty centre, read as lines lying flat), while the
// whole page gave one on 302 and never the wrong one, 24 of them where
// the crop gave none and both where it was wrong. Where they disagree the
// page is read at all four turns, as a page without a direction was: a
// wrong direction lying flat costs a whole page's recognition before the
// page is read at its turns anyway.
//
// The page alone settles lines standing on end, not lines lying flat:
// those leave the page upright and unverified, and on seed 1's hard
// photos two pages upside down whose centre gave no direction, taken as
// lying flat from the page, were recognised upright, read too badly for
// either turn to win, and kept upside down; asked OSD and read at the
// four turns as before, they were turned.
func pageAndCrop(page, crop int) int {
	switch {
	case page == linesUnknown || page == crop:
		return crop
	case crop == linesUnknown && page == linesVertical:
		return page
	}
	return linesUnknown
}

// inkProbe is the probe of g's text box (inkBox), reduced to
// readInkLongSide; false when g shows no text or its text box covers more
// than inkBoxMaxArea of it.
func inkProbe(g *image.Gray, _ readProbe) (readProbe, bool) {
	r := inkBox(g)
	if r.Dx() < 16 || r.Dy() < 16 || float64(r.Dx()*r.Dy()) > inkBoxMaxArea*float64(g.Rect.Dx()*g.Rect.Dy()) {
		return readProbe{}, false
	}
	box := image.NewGray(image.Rect(0, 0, r.Dx(), r.Dy()))
	for y := range r.Dy() {
		copy(box.Pix[y*r.Dx():(y+1)*r.Dx()], g.Pix[g.PixOffset(r.Min.X, r.Min.Y+y):])
	}
	crop := shrink(box, readInkLongSide)
	frac := float64(max(r.Dx(), r.Dy())) / float64(max(g.Rect.Dx(), g.Rect.Dy()))
	return readProbe{crop: crop, dir: lineDirection(crop), frac: frac}, true
}

// inkBox returns the box of g's rows and columns that cross at least
// inkRunsMin separate runs of ink (darker than g's Otsu level): where the
// page's text is, whichever way it runs, without the margins, the sheet's
// edge or a line drawn across it. Empty when no row or no column does.
func inkBox(g *image.Gray) image.Rectangle {
	th := otsu(g)
	w, h := g.Rect.Dx(), g.Rect.Dy()
	rows, cols := make([]int, h), make([]int, w)
	above := make([]bool, w)
	for y := range h {
		left := false
		for x, v := range g.Pix[g.PixOffset(g.Rect.Min.X, g.Rect.Min.Y+y):][:w] {
			ink := v < th
			if ink && !left {
				rows[y]++
			}
			if ink && !above[x] {
				cols[x]++
			}
			left, above[x] = ink, ink
		}
	}
	x0, x1 := runSpan(cols)
	y0, y1 := runSpan(rows)
	if x0 < 0 || y0 < 0 {
		return image.Rectangle{}
	}
	return image.Rect(x0, y0, x1+1, y1+1).Add(g.Rect.Min)
}

// runSpan returns the first and last index of p at inkRunsMin or more,
// -1 when none is.
func runSpan(p []int) (first, last int) {
	first, last = -1, -1
	for i, n := range p {
		if n >= inkRunsMin {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	return first, last
}

// readScores returns the reading score of g's central crop turned
// clockwise by 0, 90, 180 and 270 degrees. Turns that would leave the text
// lines vertical (see lineDirection) are not read (notRead). The others
// are read in the order hint, 0, 180, 90, 270, and reading stops once a
// turn scores readEnough and the upright turn has been read: the common
// case, an upright photo whose OSD was unsure, then costs one recognition,
// and a turn OSD suggested costs two. ctx is checked before each one.
func (p *Pool) readScores(ctx context.Context, s *slot, pr readProbe, hint int, calls *int) (scores [4]float64, err error) {
	scores = [4]float64{unread, unread, unread, unread}
	crop, dir := pr.crop, pr.dir
	// The crop spans frac of the page; tell Tesseract the resolution the
	// page would have as A4, like OSD.
	dpi := clampDPI(int(math.Round(float64(max(crop.Rect.Dx(), crop.Rect.Dy())) / (pr.frac * a4LongInch))))
	for i := range scores {
		if (dir == linesHorizontal && i%2 == 1) || (dir == linesVertical && i%2 == 0) {
			scores[i] = notRead
		}
	}
	order := []int{(hint/90%4 + 4) % 4, 0, 2, 1, 3}
	for k, i := range order {
		if slices.Contains(order[:k], i) || scores[i] == notRead {
			continue
		}
		if err := ctx.Err(); err != nil {
			return scores, canceled(err, "orientation by reading")
		}
		t := turn(crop, 90*i)
		if err := p.probeReady(ctx, s); err != nil {
			return scores, err
		}
		boxes, err := p.recogniseOn(ctx, s.probe, bmp8(t.Pix, t.Rect.Dx(), t.Rect.Dy(), dpi), readPSM, "", dpi, calls)
		if err != nil {
			return scores, err
		}
		scores[i] = 0
		for _, b := range boxes {
			scores[i] += wordScore(b.Word, conf01(b.Confidence))
		}
		if scores[i] >= readEnough && scores[0] != unread {
			// Not before the upright turn was read too: text upside
			// down reads as Cyrillic-looking words of its own («эинэниоицриэан»),
			// and a contract photo upright in its frame scored over
			// readEnough at OSD's hint of 180° and was turned over
			// (seed 1, 035-contract, page 1).
			break
		}
	}
	return scores, nil
}

// probeReady makes sure the slot has the client orientation by reading
// recognises its probes with: the pool's first language alone (probeLangs).
// A reading scores Cyrillic words only (wordScore), so the second language
// of the default rus+eng adds nothing to it, while Tesseract tries it on
// every word the first one reads poorly — and a probe at a wrong turn reads
// nothing but such words.
func (p *Pool) probeReady(ctx context.Context, s *slot) error {
	if s.probe != nil {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return canceled(err, "create tesseract probe client")
	}
	c, err := p.newClientFor(p.probeLangs)
	if err != nil {
		return err
	}
	s.probe = c
	return nil
}

// wordScore is what one recognised word says for a turn: its Cyrillic
// letters when it is read confidently and has at least three of them, plus
// a bonus for a document word. Digits and Latin letters count nothing:
// upside-down digits read as digits (6/9, 0, 8).
func wordScore(word string, conf float64) float64 {
	if conf < readMinConf {
		return 0
	}
	cyr, other := 0, 0
	for _, r := range word {
		switch {
		case unicode.Is(unicode.Cyrillic, r) && unicode.IsLetter(r):
			cyr++
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			other++
		}
	}
	if cyr < 3 || other > 0 {
		return 0
	}
	score := float64(cyr)
	w := strings.ReplaceAll(strings.ToLower(strings.TrimFunc(word, func(r rune) bool { return !unicode.IsLetter(r) })), "ё", "е")
	for _, st := range docStems {
		if strings.HasPrefix(w, st) {
			score += 4
			break
		}
	}
	return score
}

// centralCrop returns the centre of g, frac of each side.
func centralCrop(g *image.Gray, frac float64) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	cw, ch := max(1, int(math.Round(float64(w)*frac))), max(1, int(math.Round(float64(h)*frac)))
	x0, y0 := (w-cw)/2, (h-ch)/2
	out := image.NewGray(image.Rect(0, 0, cw, ch))
	for y := range ch {
		copy(out.Pix[y*cw:(y+1)*cw], g.Pix[g.PixOffset(g.Rect.Min.X+x0, g.Rect.Min.Y+y0+y):])
	}
	return out
}

// turn returns g turned clockwise by 0, 90, 180 or 270 degrees.
func turn(g *image.Gray, deg int) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	if deg == 0 {
		return g
	}
	var out *image.Gray
	if deg == 180 {
		out = image.NewGray(image.Rect(0, 0, w, h))
	} else {
		out = image.NewGray(image.Rect(0, 0, h, w))
	}
	for y := range h {
		row := g.Pix[y*g.Stride : y*g.Stride+w]
		for x, v := range row {
			switch deg {
			case 90: // (x, y) goes to (h-1-y, x)
				out.Pix[x*h+(h-1-y)] = v
			case 180:
				out.Pix[(h-1-y)*w+(w-1-x)] = v
			case 270: // (x, y) goes to (y, w-1-x)
				out.Pix[(w-1-x)*h+y] = v
			}
		}
	}
	return out
}

// Directions of text lines in an image.
const (
	linesUnknown = iota
	linesHorizontal
	linesVertical
)

// lineDirection tells whether the text lines of g run horizontally or
// vertically, so that only the two turns that make them horizontal need
// reading; that halves the cost of reading, and a page whose lines lie
// flat is not read at all before its recognition (OrientationDeferred).
// Text lines make the ink profile across them (row sums for horizontal
// lines) swing between full lines and empty gaps, while the profile along
// them averages many glyphs and stays smooth. The measure is the high-pass
// variation of each profile relative to its mean.
//
// Table rules are left out of both profiles (ruleRunMin): a ruled form
// adds spikes to both, and before they were left out 62 of the 172 pages
// of the realistic, scanner-app and messenger photos of seeds 9801, 9841,
// 9901 and 1 had no direction; each cost two or three readings of the
// central crop, and some the whole page's. Without the rules 20 had none,
// and on those photos and the old photo and hard photo variants of the
// same seeds (498 pages) no page got the wrong direction (one did with
// the rules). Upright pages' ratio of row to column measure was 0.68 or
// more, pages on their side' 1.16 or less, against linesSure of 2.
//
// Where the profiles do not tell (a table whose cells stack short lines,
// so that both profiles swing), the glyphs' nearest neighbours are asked
// (neighbourDirection).
func lineDirection(g *image.Gray) int {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	if w < 16 || h < 16 {
		return linesUnknown
	}
	th := otsu(g)
	ink := make([]bool, w*h)
	for y := range h {
		row := g.Pix[g.PixOffset(g.Rect.Min.X, g.Rect.Min.Y+y):][:w]
		for x, v := range row {
			ink[y*w+x] = v < th
		}
	}
	// A pixel in a run of ink ruleRunMin long across or down is a rule.
	rule := make([]bool, w*h)
	markRuns(ink, rule, w, h, 1, w)
	markRuns(ink, rule, h, w, w, 1)
	rows, cols := make([]float64, h), make([]float64, w)
	for y := range h {
		for x := range w {
			if i := y*w + x; ink[i] && !rule[i] {
				rows[y]++
				cols[x]++
			}
		}
	}
	r, c := profileSwing(rows), profileSwing(cols)
	switch {
	case r > 0 && r >= linesSure*c:
		return linesHorizontal
	case c > 0 && c >= linesSure*r:
		return linesVertical
	}
	// ink is not needed any more: neighbourDirection marks the pixels it
	// has visited in it.
	return neighbourDirection(ink, rule, w, h)
}

// The glyph measure (neighbourDirection). Letters of a word stand closer
// to each other than lines of text do, so a glyph's nearest neighbour
// lies along its line. On the 236 orientation probes of the realistic and
// scanner-app photos of seeds 9801, 10021 and 10031 and the messenger and
// hard photos of seed 1, the profiles gave no direction on 43 pages; with
// the thresholds below the neighbours gave it on 16 of them and never the
// wrong one (on any of the 236 pages, those the profiles settled
// included); on the held-out probes of seeds 9841 and 9901 (76 pages) on
// 4 of 9, again never wrongly. Without the distance limit (neighbourNear)
// the two classes overlapped more (upright pages' votes down to 2.3 to 1
// for the line direction, pages on their side 1 to 2.2).
const (
	// glyphMaxSide bounds a glyph's box in probe pixels: probe capitals
	// are 11–24 px (see ruleRunMin); larger blobs are words run together
	// by blur, stamps and signatures, whose neighbours say nothing.
	glyphMaxSide = 40
	// glyphMinPixels leaves out specks of JPEG noise and dust.
	glyphMinPixels = 6
	// neighbourNear is the farthest a neighbour counts, in glyph sides
	// (the larger box side of the two): the next letter of a word is
	// about one side away, the line above or below 1.5–2. A glyph alone in
	// a cell whose nearest neighbour is across the cell's rule votes
	// for nothing.
	neighbourNear = 1.6
	// neighbourVotesMin is the number of votes under which the glyphs
	// decide nothing: a central crop holding a fold, an edge of a stamp
	// or a few words gave 18–35 votes, up to 18 to 0 the wrong way (a
	// dashed fold across the second page of a УПД on its side).
	neighbourVotesMin = 100
	// neighbourSure is the ratio of votes one direction must have over the
	// other. Upright pages with 100 votes or more had at most 1.5 vertical
	// votes to one horizontal (blurred text whose table cells stack short
	// lines), pages on their side at most 1.3 the other way; the pages the
	// profiles left undecided that it settles had 2.8 or more.
	neighbourSure = 2.0
)

// neighbourDirection returns the direction of text lines that the glyphs
// of an ink mask say: each glyph (a connected run of ink off the rules, of
// glyph size) votes for the direction of its nearest neighbour when that
// lies mostly across (|dx| > 2|dy|) or mostly down. It clears ink as it
// goes.
func neighbourDirection(ink, rule []bool, w, h int) int {
	type glyph struct{ x, y, side float64 }
	var glyphs []glyph
	var stack []int
	for i := range ink {
		if !ink[i] || rule[i] {
			continue
		}
		x0, y0, x1, y1, n := w, h, -1, -1, 0
		var sx, sy int
		ink[i] = false
		stack = append(stack[:0], i)
		for len(stack) > 0 {
			p := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x, y := p%w, p/w
			n, sx, sy = n+1, sx+x, sy+y
			x0, x1, y0, y1 = min(x0, x), max(x1, x), min(y0, y), max(y1, y)
			for _, q := range [4]int{p - 1, p + 1, p - w, p + w} {
				if q < 0 || q >= len(ink) || (q == p-1 && x == 0) || (q == p+1 && x == w-1) {
					continue
				}
				if ink[q] && !rule[q] {
					ink[q] = false
					stack = append(stack, q)
				}
			}
		}
		gw, gh := x1-x0+1, y1-y0+1
		if n < glyphMinPixels || gw < 2 || gh < 2 || gw > glyphMaxSide || gh > glyphMaxSide {
			continue
		}
		glyphs = append(glyphs, glyph{float64(sx) / float64(n), float64(sy) / float64(n), float64(max(gw, gh))})
	}
	// A grid of cells as wide as the farthest neighbour that counts: the
	// nearest one that counts is in the glyph's cell or next to it.
	const cell = int(neighbourNear*glyphMaxSide) + 1
	cw, ch := w/cell+1, h/cell+1
	grid := make([][]int32, cw*ch)
	for i, g := range glyphs {
		k := int(g.y)/cell*cw + int(g.x)/cell
		grid[k] = append(grid[k], int32(i))
	}
	across, down := 0, 0
	for i, g := range glyphs {
		gx, gy := int(g.x)/cell, int(g.y)/cell
		best, bestD := -1, math.MaxFloat64
		for yy := max(0, gy-1); yy <= min(ch-1, gy+1); yy++ {
			for xx := max(0, gx-1); xx <= min(cw-1, gx+1); xx++ {
				for _, j := range grid[yy*cw+xx] {
					if int(j) == i {
						continue
					}
					dx, dy := glyphs[j].x-g.x, glyphs[j].y-g.y
					if d := dx*dx + dy*dy; d < bestD {
						best, bestD = int(j), d
					}
				}
			}
		}
		if best < 0 || math.Sqrt(bestD) > neighbourNear*max(g.side, glyphs[best].side) {
			continue
		}
		dx, dy := math.Abs(glyphs[best].x-g.x), math.Abs(glyphs[best].y-g.y)
		switch {
		case dx > 2*dy:
			across++
		case dy > 2*dx:
			down++
		}
	}
	switch {
	case across+down < neighbourVotesMin:
		return linesUnknown
	case float64(across) >= neighbourSure*float64(down) && across > down:
		return linesHorizontal
	case float64(down) >= neighbourSure*float64(across) && down > across:
		return linesVertical
	}
	return linesUnknown
}

// ruleRunMin is the length in probe pixels from which a run of ink along a
// row or a column is a rule (a table's line, an underline, the sheet's
// edge) rather than a glyph's stroke: probe text has capitals of about
// 11–24 px, and strokes are no longer than a capital is high.
const ruleRunMin = 40

// markRuns marks in rule every pixel of ink in a run at least ruleRunMin
// long along lines of n pixels: line k starts at k*lineStep, and pixel j
// of a line is at +j*step (rows: step 1, lineStep w; columns: step w,
// lineStep 1).
func markRuns(ink, rule []bool, n, lines, step, lineStep int) {
	for k := range lines {
		base := k * lineStep
		for j := 0; j < n; {
			if !ink[base+j*step] {
				j++
				continue
			}
			e := j
			for e < n && ink[base+e*step] {
				e++
			}
			if e-j >= ruleRunMin {
				for q := j; q < e; q++ {
					rule[base+q*step] = true
				}
			}
			j = e
		}
	}
}

// profileWindow is the half-width of the moving average subtracted from a
// profile: wider than a line pitch at the sizes the probe has (15-60 px).
const profileWindow = 20

// profileSwing is the root mean square of p minus its moving average,
// divided by p's mean; 0 for an empty profile.
func profileSwing(p []float64) float64 {
	n := len(p)
	pre := make([]float64, n+1)
	for i, v := range p {
		pre[i+1] = pre[i] + v
	}
	if pre[n] == 0 {
		return 0
	}
	var ss float64
	for i := range n {
		a, b := max(0, i-profileWindow), min(n, i+profileWindow+1)
		d := p[i] - (pre[b]-pre[a])/float64(b-a)
		ss += d * d
	}
	return math.Sqrt(ss/float64(n)) / (pre[n] / float64(n))
}

// otsu returns the gray level separating ink from paper in g by Otsu's
// method: pixels below it are ink.
func otsu(g *image.Gray) uint8 {
	var hist [256]float64
	w, h := g.Rect.Dx(), g.Rect.Dy()
	for y := range h {
		for _, v := range g.Pix[g.PixOffset(g.Rect.Min.X, g.Rect.Min.Y+y):][:w] {
			hist[v]++
		}
	}
	total := float64(w * h)
	var sum float64
	for i, n := range hist {
		sum += float64(i) * n
	}
	var wb, sb, best float64
	th := 128
	for t := range 256 {
		wb += hist[t]
		if wb == 0 {
			continue
		}
		wf := total - wb
		if wf == 0 {
			break
		}
		sb += float64(t) * hist[t]
		mb, mf := sb/wb, (sum-sb)/wf
		if v := wb * wf * (mb - mf) * (mb - mf); v > best {
			best, th = v, t+1
		}
	}
	return uint8(min(th, 255))
}
