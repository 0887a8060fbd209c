package recognize

import (
	"context"
	"image"
	"image/draw"
	"slices"
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
	// mergedLineHeight and mergedLineMaxConf mark a word Tesseract made of
	// two lines of print: taller than this many median word heights and
	// read below this confidence. Where a column's lines stand between
	// the lines of the column beside it, its layout analysis may fit one
	// baseline through two of them: 9931's realistic bill 011 gave
	// «bonnet» (0.16, 3.2 word heights) for «ИНН 7734418115 КПП
	// 773401001» over «ООО "Софтлогистик"», and the supplier's ИНН was
	// lost. Height alone does not tell: of 2,752 words read at 0.9 or
	// more on the pages studied, 99 % stood under 1.94 heights but a
	// title's reached 3.1. A stamp or signature read as a tall, unsure
	// word is re-read only where print-sized lines lie under it, and kept
	// when none of them reads.
	mergedLineHeight  = 2.0
	mergedLineMaxConf = 0.5
	// mergedLineMinWidth is the least width, in median word heights, of
	// such a word: two lines of running text («bonnet» was 13.6 wide).
	// The narrow cells of a table's heading merge too (9901's scanner-app
	// УПД 015: «товаров», «wcroneouas», 3 to 9 wide), but their lines read
	// again got boxes shared out by length, and the columns the heading
	// sets moved: figures joined 14 of its item names.
	mergedLineMinWidth = 10.0
)

// recoverLines re-reads, one line at a time, the print-sized ink lines of
// img that none of words covers (imageprep.UncoveredLines) and returns
// words with the words read there added. Each word gets a share of its
// line's box by its length: ReadLine gives text, not boxes, and the
// extractor only needs a word's column and order. Words made of two lines
// (mergedLines) cover nothing: the lines under them are read again, and
// they give way to what was read there.
func (r *Recognizer) recoverLines(ctx context.Context, img image.Image, dpi int, words []pervichka.Word) ([]pervichka.Word, error) {
	g, ok := img.(*image.Gray)
	if !ok {
		g = image.NewGray(img.Bounds())
		draw.Draw(g, g.Rect, img, img.Bounds().Min, draw.Src)
	}
	merged := mergedLines(words)
	boxes := make([]image.Rectangle, 0, len(words))
	block := 0
	for i, w := range words {
		block = max(block, w.Block)
		if merged != nil && merged[i] {
			continue // its lines are to be read again
		}
		boxes = append(boxes, image.Rect(w.Box.X0, w.Box.Y0, w.Box.X1, w.Box.Y1))
	}
	var out []pervichka.Word
	var read []image.Rectangle
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
		read = append(read, b)
	}
	kept := words
	if merged != nil && len(read) > 0 {
		kept = make([]pervichka.Word, 0, len(words))
		for i, w := range words {
			wb := image.Rect(w.Box.X0, w.Box.Y0, w.Box.X1, w.Box.Y1)
			if merged[i] && slices.ContainsFunc(read, func(b image.Rectangle) bool { return mostlyOver(b, wb) }) {
				continue
			}
			kept = append(kept, w)
		}
	}
	return append(kept, out...), nil
}

// mostlyOver reports whether a and b share at least half of the smaller's
// area.
func mostlyOver(a, b image.Rectangle) bool {
	in := a.Intersect(b)
	if in.Empty() {
		return false
	}
	area := func(r image.Rectangle) int { return r.Dx() * r.Dy() }
	return 2*area(in) >= min(area(a), area(b))
}

// mergedLines marks the words of a page that Tesseract made of two lines
// of print (mergedLineHeight), with the other unsure words of their line:
// beside a word that took two lines, the rest of that line is garbled too
// («Ties» for the end of the ИНН line).
func mergedLines(words []pervichka.Word) []bool {
	if len(words) < 3 {
		return nil
	}
	hs := make([]int, 0, len(words))
	for _, w := range words {
		hs = append(hs, w.Box.Y1-w.Box.Y0)
	}
	slices.Sort(hs)
	u := float64(hs[len(hs)/2])
	type lineID struct{ block, par, line int }
	tall := map[lineID]bool{}
	for _, w := range words {
		if float64(w.Box.Y1-w.Box.Y0) > mergedLineHeight*u && float64(w.Box.X1-w.Box.X0) >= mergedLineMinWidth*u && w.Conf < mergedLineMaxConf {
			tall[lineID{w.Block, w.Par, w.Line}] = true
		}
	}
	if len(tall) == 0 {
		return nil
	}
	out := make([]bool, len(words))
	for i, w := range words {
		out[i] = tall[lineID{w.Block, w.Par, w.Line}] && w.Conf < mergedLineMaxConf
	}
	return out
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
