package tesseract

import (
	"context"
	"image"
	"math"
	"strconv"
	"strings"

	"github.com/otiai10/gosseract/v2"
	"golang.org/x/image/draw"

	pervichka "github.com/pervichka/pervichka"
)

// Tesseract's limits on the input: its boxes are 16-bit, and outside the
// credible resolution range it ignores the DPI it is given.
const (
	maxSide = 32767
	minDPI  = 70
	maxDPI  = 2400
)

// pagePSM is the page segmentation mode for whole pages: 3, automatic
// layout. PSM 6 (one uniform block) keeps labels and values of a synthetic
// invoice on one line in reading order, but on the corpus it silently drops
// the text of ruled table cells: on enhanced corpus pages the share of the
// born-digital words found was 0.54 (scans) and 0.27 (photos) with PSM 6
// against 0.69 and 0.35 with PSM 3; on one messenger-photo invoice 92 of 279
// words against 243. Reading order does not matter downstream: the field
// extractor rebuilds lines from the word boxes.
const pagePSM = gosseract.PSM_AUTO

// Words recognises a page image whose real resolution is dpi. The image
// should already be enhanced (grayscale or binary); colour is reduced to
// luminance here. Words come in Tesseract's reading order (block, paragraph,
// line, word) with boxes in img's pixel coordinates, confidence 0..1 and
// Tesseract's block, paragraph and line numbers (Line counts within a
// paragraph, Par within a block, as in Tesseract's TSV output). Words that
// are only vertical bars (table rules) are dropped.
//
// Recognition is one cgo call that cannot be interrupted: ctx is checked
// before it, and while waiting for a free client.
func (p *Pool) Words(ctx context.Context, img image.Image, dpi int) ([]pervichka.Word, error) {
	if err := checkInput(img, dpi); err != nil {
		return nil, err
	}
	data := grayBMP(img, dpi)

	s, err := p.acquire(ctx)
	if err != nil {
		return nil, err
	}
	boxes, err := p.recognise(ctx, s, data, pagePSM, "", clampDPI(dpi))
	if err != nil {
		return nil, err
	}
	origin := img.Bounds().Min
	words := make([]pervichka.Word, 0, len(boxes))
	for _, b := range boxes {
		text := strings.TrimSpace(b.Word)
		if text == "" || strings.Trim(text, "|") == "" {
			continue // nothing, or a table rule read as a bar
		}
		r := b.Box.Add(origin)
		words = append(words, pervichka.Word{
			Text:  text,
			Box:   pervichka.Rect{X0: r.Min.X, Y0: r.Min.Y, X1: r.Max.X, Y1: r.Max.Y},
			Conf:  conf01(b.Confidence),
			Block: b.BlockNum,
			Par:   b.ParNum,
			Line:  b.LineNum,
		})
	}
	return words, nil
}

// ReadLine re-reads one box of img as a single text line (PSM 7) using only
// the characters in whitelist (all characters when empty). It is meant for
// short fields whose first reading was uncertain, such as an ИНН or a total,
// so that check digits can choose between readings. The crop is padded with
// white, and small text is upscaled to about 40 px line height, where the
// LSTM model reads best. It returns the words of the line joined by single
// spaces and the lowest word confidence (0..1); an empty box or one with no
// text gives "" and 0.
func (p *Pool) ReadLine(ctx context.Context, img image.Image, box pervichka.Rect, whitelist string, dpi int) (string, float64, error) {
	if err := checkInput(img, dpi); err != nil {
		return "", 0, err
	}
	r := image.Rect(box.X0, box.Y0, box.X1, box.Y1).Intersect(img.Bounds())
	if r.Empty() {
		return "", 0, nil
	}
	gray, w, h, scale := lineImage(img, r)
	data := bmp8(gray, w, h, int(math.Round(float64(dpi)*scale)))

	s, err := p.acquire(ctx)
	if err != nil {
		return "", 0, err
	}
	boxes, err := p.recognise(ctx, s, data, gosseract.PSM_SINGLE_LINE, whitelist, clampDPI(int(math.Round(float64(dpi)*scale))))
	if err != nil {
		return "", 0, err
	}
	var parts []string
	conf := 1.0
	for _, b := range boxes {
		t := strings.TrimSpace(b.Word)
		if t == "" {
			continue
		}
		parts = append(parts, t)
		conf = min(conf, conf01(b.Confidence))
	}
	if len(parts) == 0 {
		return "", 0, nil
	}
	return strings.Join(parts, " "), conf, nil
}

// recognise runs one recognition on the slot's client and releases the
// slot. Every setting a call depends on (segmentation mode, whitelist, DPI)
// is set on every call, so nothing leaks from a ReadLine into the next Words.
func (p *Pool) recognise(ctx context.Context, s *slot, data []byte, psm gosseract.PageSegMode, whitelist string, dpi int) (boxes []gosseract.BoundingBox, err error) {
	calls := 0
	defer func() { p.release(s, calls) }()
	return p.recogniseHeld(ctx, s, data, psm, whitelist, dpi, &calls)
}

// recogniseHeld is recognise on a slot the caller holds and releases. It
// adds one to *calls once the client has been given an image, i.e. once the
// call counts towards recycling; the caller passes the count to release.
func (p *Pool) recogniseHeld(ctx context.Context, s *slot, data []byte, psm gosseract.PageSegMode, whitelist string, dpi int, calls *int) (boxes []gosseract.BoundingBox, err error) {
	if err := p.ready(ctx, s); err != nil {
		return nil, err
	}
	return p.recogniseOn(ctx, s.ocr, data, psm, whitelist, dpi, calls)
}

// recogniseOn runs one recognition on client c (a slot's, held by the
// caller), counting it in *calls once c has been given the image.
func (p *Pool) recogniseOn(ctx context.Context, c *gosseract.Client, data []byte, psm gosseract.PageSegMode, whitelist string, dpi int, calls *int) (boxes []gosseract.BoundingBox, err error) {
	if err := ctx.Err(); err != nil {
		return nil, canceled(err, "before tesseract recognition")
	}
	unlock := singleThreadOpenMP()
	defer unlock()
	if err := c.SetPageSegMode(psm); err != nil {
		return nil, ocrFailed(err, "set page segmentation mode %d", psm)
	}
	if err := c.SetWhitelist(whitelist); err != nil {
		return nil, ocrFailed(err, "set whitelist %q", whitelist)
	}
	if err := c.SetVariable("user_defined_dpi", strconv.Itoa(dpi)); err != nil {
		return nil, ocrFailed(err, "set dpi %d", dpi)
	}
	if err := c.SetImageFromBytes(data); err != nil {
		return nil, ocrFailed(err, "pass image to tesseract")
	}
	*calls++
	// One output call per image: each of gosseract's output functions runs
	// recognition again.
	boxes, err = c.GetBoundingBoxesVerbose()
	if err != nil {
		return nil, ocrFailed(err, "tesseract recognition (psm %d, dpi %d)", psm, dpi)
	}
	return boxes, nil
}

// checkInput refuses what Tesseract cannot take, and a missing resolution.
func checkInput(img image.Image, dpi int) error {
	if err := checkImage(img); err != nil {
		return err
	}
	if dpi <= 0 {
		return pervichka.Errorf(pervichka.CodeInternal, "tesseract: dpi %d, want the page's real resolution", dpi)
	}
	return nil
}

// checkImage refuses what Tesseract cannot take. Boxes are 16-bit inside
// Tesseract, so a side over 32767 px is refused rather than passed on.
func checkImage(img image.Image) error {
	if img == nil {
		return pervichka.Errorf(pervichka.CodeInternal, "tesseract: nil image")
	}
	b := img.Bounds()
	if b.Empty() {
		return pervichka.Errorf(pervichka.CodeEmpty, "tesseract: empty image %v", b)
	}
	if b.Dx() > maxSide || b.Dy() > maxSide {
		return pervichka.Errorf(pervichka.CodeTooManyPixels, "tesseract: image %dx%d has a side over %d px", b.Dx(), b.Dy(), maxSide)
	}
	return nil
}

// clampDPI keeps dpi inside the range Tesseract believes; outside it
// Tesseract would ignore user_defined_dpi and guess.
func clampDPI(dpi int) int { return min(max(dpi, minDPI), maxDPI) }

// conf01 turns Tesseract's 0..100 word confidence into 0..1.
func conf01(c float64) float64 { return min(max(c/100, 0), 1) }

// Line crops are padded and upscaled so that the line is about lineTarget
// px high: the LSTM models read best at 20-40 px capitals and poorly below
// 10 px.
const (
	lineTarget   = 40
	lineMaxScale = 4
)

// ruleRunShare is the least share of a crop's width one dark run must
// take for its row to count as a rule: a cell's border caught in the crop
// of its value. A row through print has dark runs a glyph wide.
const ruleRunShare = 0.6

// eraseRules whitens the rows of a crop (w×h gray, row-major) that a
// horizontal rule crosses. A single-line reading of a table cell takes the
// cell's borders along when the crop is a little generous, and Tesseract
// then reads nothing: seed 9981's realistic ТОРГ-12 006 read its date box
// «20.04.2025» as nothing with the box's bottom border in the crop. Dark
// is under the midpoint of the crop's 5th and 95th percentiles, so a grey
// rule on a photo counts.
func eraseRules(pix []byte, w, h int) {
	if w < 8 || h < 3 {
		return
	}
	var hist [256]int
	for _, v := range pix[:w*h] {
		hist[v]++
	}
	pct := func(p float64) int {
		n, want := 0, int(p*float64(w*h))
		for v, c := range hist {
			if n += c; n > want {
				return v
			}
		}
		return 255
	}
	lo, hi := pct(0.05), pct(0.95)
	if hi-lo < 40 {
		return // no contrast: nothing printed to tell from paper
	}
	thr := byte((lo + hi) / 2)
	// A rule's blurred fringe (a photo's rule is 3 to 6 px of grey) is
	// as much in the way as its core: up to ruleFringe rows beside it
	// that hold nothing as dark as print go with it.
	faint := byte(lo + (hi-lo)*2/5)
	minRun := int(ruleRunShare * float64(w))
	rule := make([]bool, h)
	for y := 0; y < h; y++ {
		run, best := 0, 0
		for _, v := range pix[y*w : (y+1)*w] {
			if v < thr {
				run++
				best = max(best, run)
			} else {
				run = 0
			}
		}
		rule[y] = best >= minRun
	}
	noPrint := func(y int) bool {
		for _, v := range pix[y*w : (y+1)*w] {
			if v < faint {
				return false
			}
		}
		return true
	}
	erase := make([]bool, h)
	for y := range h {
		if !rule[y] {
			continue
		}
		erase[y] = true
		for _, dir := range []int{-1, 1} {
			for k, yy := 1, y+dir; k <= ruleFringe && yy >= 0 && yy < h && !rule[yy] && noPrint(yy); k, yy = k+1, yy+dir {
				erase[yy] = true
			}
		}
	}
	for y, e := range erase {
		if e {
			row := pix[y*w : (y+1)*w]
			for x := range row {
				row[x] = 255
			}
		}
	}
}

// ruleFringe is how many rows beside a rule its fringe may take.
const ruleFringe = 3

// lineImage crops r from img as gray, upscales small text and pads it with
// white on all sides (Tesseract needs a margin to find a line).
func lineImage(img image.Image, r image.Rectangle) (gray []byte, w, h int, scale float64) {
	var crop image.Image
	if si, ok := img.(interface {
		SubImage(image.Rectangle) image.Image
	}); ok {
		crop = si.SubImage(r)
	} else {
		dst := image.NewGray(r)
		draw.Draw(dst, r, img, r.Min, draw.Src)
		crop = dst
	}
	cg, cw, ch := toGray(crop)
	eraseRules(cg, cw, ch)
	src := &image.Gray{Pix: cg, Stride: cw, Rect: image.Rect(0, 0, cw, ch)}
	scale = 1
	if ch < lineTarget {
		scale = min(float64(lineTarget)/float64(ch), lineMaxScale)
	}
	sw, sh := int(math.Round(float64(cw)*scale)), int(math.Round(float64(ch)*scale))
	sw, sh = max(sw, 1), max(sh, 1)
	pad := max(10, sh/2)
	if sw+2*pad > maxSide { // squeeze a page-wide box rather than overflow
		sw = maxSide - 2*pad
	}
	w, h = sw+2*pad, sh+2*pad
	dst := image.NewGray(image.Rect(0, 0, w, h))
	for i := range dst.Pix {
		dst.Pix[i] = 255
	}
	inner := image.Rect(pad, pad, pad+sw, pad+sh)
	if scale == 1 {
		draw.Draw(dst, inner, src, image.Point{}, draw.Src)
	} else {
		draw.CatmullRom.Scale(dst, inner, src, src.Rect, draw.Src, nil)
	}
	return dst.Pix, w, h, scale
}
