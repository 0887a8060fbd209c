package recognize

import (
	"context"
	"image"
	"image/draw"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/imageprep"
)

// StepRecover names the re-reading of text the page OCR left out, for
// Options.Disabled and `pervichka eval --ablate recover`.
const StepRecover = "recover"

// Steps lists what `--ablate` may turn off: the enhancement steps and the
// recovery of dropped lines.
var Steps = append(append([]string{}, imageprep.Steps...), StepRecover)

const (
	// maxRecoveredLines bounds the single-line re-reads of one page: each
	// costs a Tesseract call (~30–80 ms on a 2-core machine), and a page
	// whose layout lost more than this is beyond saving line by line.
	maxRecoveredLines = 8
	// minRecoveredConf is the least word confidence a re-read line needs
	// to join the page: below it the ink was a stamp, a signature or
	// texture, and its letters would only be noise to the extractor.
	minRecoveredConf = 0.6
)

// recoverLines re-reads, one line at a time, the print-sized ink lines of
// img that none of words covers (imageprep.UncoveredLines) and returns the
// words read there. Each word gets a share of its line's box by its length:
// ReadLine gives text, not boxes, and the extractor only needs a word's
// column and order.
func (r *Recognizer) recoverLines(ctx context.Context, img image.Image, dpi int, words []pervichka.Word) ([]pervichka.Word, error) {
	g, ok := img.(*image.Gray)
	if !ok {
		g = image.NewGray(img.Bounds())
		draw.Draw(g, g.Rect, img, img.Bounds().Min, draw.Src)
	}
	boxes := make([]image.Rectangle, 0, len(words))
	block := 0
	for _, w := range words {
		boxes = append(boxes, image.Rect(w.Box.X0, w.Box.Y0, w.Box.X1, w.Box.Y1))
		block = max(block, w.Block)
	}
	var out []pervichka.Word
	for _, b := range imageprep.UncoveredLines(g, boxes, maxRecoveredLines) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		text, conf, err := r.ocr.ReadLine(ctx, img, pervichka.Rect{X0: b.Min.X, Y0: b.Min.Y, X1: b.Max.X, Y1: b.Max.Y}, "", dpi)
		if err != nil {
			return nil, err
		}
		if conf < minRecoveredConf || letters(text) < 2 {
			continue
		}
		block++
		out = append(out, splitLine(text, b, conf, block)...)
	}
	return out, nil
}

// splitLine cuts a re-read line into words with boxes shared out by length.
func splitLine(text string, b image.Rectangle, conf float64, block int) []pervichka.Word {
	fields := strings.Fields(text)
	total := 0
	for _, f := range fields {
		total += utf8.RuneCountInString(f) + 1
	}
	total--
	if total <= 0 {
		return nil
	}
	var out []pervichka.Word
	x, pos := b.Min.X, 0
	for _, f := range fields {
		n := utf8.RuneCountInString(f)
		x0 := b.Min.X + b.Dx()*pos/total
		x1 := b.Min.X + b.Dx()*(pos+n)/total
		x = max(x, x0)
		out = append(out, pervichka.Word{Text: f, Box: pervichka.Rect{X0: x, Y0: b.Min.Y, X1: max(x1, x+1), Y1: b.Max.Y},
			Conf: conf, Block: block, Par: 1, Line: 1})
		pos += n + 1
	}
	return out
}

func letters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}
