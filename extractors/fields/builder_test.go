package fields

import (
	"regexp"
	"strconv"
	"strings"

	pervichka "github.com/pervichka/pervichka"
)

// Synthetic pages: every character is charW wide, words are charH tall, a
// line takes lineH. «@N» inside a line moves the pen to column N (in
// characters), so two-column blocks and table cells can be laid out; «^» as
// a word's prefix makes it a title word (1.5× taller); «~0.4» as a suffix
// gives a word that OCR confidence.
const (
	charW = 20
	charH = 40
	lineH = 60
)

func pageOf(lines ...string) pervichka.Page { return pageScaled(1, 1, lines...) }

// pageScaled builds a page at a scale (to check that distances are
// relative) with a default confidence for every word.
func pageScaled(scale float64, conf float64, lines ...string) pervichka.Page {
	p := pervichka.Page{Width: int(2000 * scale), Height: int(float64(lineH*(len(lines)+2)) * scale), Source: pervichka.SourceOCR}
	if conf == 1 {
		p.Source = pervichka.SourcePDFText
	}
	sc := func(v int) int { return int(float64(v) * scale) }
	for li, l := range lines {
		col := 2
		y := lineH * (li + 1)
		for _, w := range strings.Fields(l) {
			if strings.HasPrefix(w, "@") {
				if n, err := strconv.Atoi(w[1:]); err == nil {
					col = n
					continue
				}
			}
			c := conf
			if m := confMark.FindStringSubmatchIndex(w); m != nil {
				if v, err := strconv.ParseFloat(w[m[2]:m[3]], 64); err == nil {
					c, w = v, w[:m[0]]+w[m[1]:]
				}
			}
			h := charH
			if strings.HasPrefix(w, "^") {
				w = w[1:]
				h = charH * 3 / 2
			}
			n := len([]rune(w))
			box := pervichka.Rect{X0: sc(col * charW), Y0: sc(y + charH - h), X1: sc((col + n) * charW), Y1: sc(y + charH)}
			p.Words = append(p.Words, pervichka.Word{Text: w, Box: box, Conf: c, Block: 1, Par: 1, Line: li + 1})
			col += n + 1
		}
	}
	return p
}

var confMark = regexp.MustCompile(`~([01]\.[0-9]+)`)
