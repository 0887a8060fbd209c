package pdf

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pervichka/pervichka"
)

// textPage is one <page> of `pdftotext -bbox-layout`: its size and words in
// points, origin at the top-left of the displayed page.
type textPage struct {
	w, h  float64
	words []ptWord
}

type ptWord struct {
	text             string
	x0, y0, x1, y1   float64
	block, par, line int
}

// parseBBoxLayout reads the XHTML of `pdftotext -bbox-layout`: doc > page >
// flow > block > line > word. A flow is a column-like run of blocks and a
// block a paragraph, so they map to Tesseract's block and paragraph; the
// numbers count from 1 and are unique within a page, as are line numbers.
func parseBBoxLayout(b []byte) ([]textPage, error) {
	d := xml.NewDecoder(bytes.NewReader(sanitizeXML(b)))
	d.Strict = false
	d.Entity = xml.HTMLEntity
	d.AutoClose = xml.HTMLAutoClose
	var (
		pages             []textPage
		cur               *textPage
		flow, block, line int
		inWord            bool
		word              ptWord
		text              strings.Builder
	)
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("parse pdftotext output: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "page":
				pages = append(pages, textPage{w: attrFloat(t, "width"), h: attrFloat(t, "height")})
				cur = &pages[len(pages)-1]
				flow, block, line = 0, 0, 0
			case "flow":
				flow++
			case "block":
				block++
			case "line":
				line++
			case "word":
				if cur == nil {
					continue
				}
				inWord = true
				text.Reset()
				word = ptWord{
					x0: attrFloat(t, "xMin"), y0: attrFloat(t, "yMin"),
					x1: attrFloat(t, "xMax"), y1: attrFloat(t, "yMax"),
					block: max(flow, 1), par: max(block, 1), line: max(line, 1),
				}
			}
		case xml.CharData:
			if inWord {
				text.Write(t)
			}
		case xml.EndElement:
			if t.Name.Local == "word" && inWord {
				inWord = false
				word.text = strings.TrimSpace(text.String())
				if word.text != "" {
					cur.words = append(cur.words, word)
				}
			}
		}
	}
	return pages, nil
}

func attrFloat(e xml.StartElement, name string) float64 {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			v, err := strconv.ParseFloat(a.Value, 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return 0
			}
			return v
		}
	}
	return 0
}

// sanitizeXML replaces what encoding/xml refuses (invalid UTF-8, control
// characters, U+FFFE/U+FFFF) by U+FFFD: a font with a broken encoding must
// cost its own words, not the whole document's text layer.
func sanitizeXML(b []byte) []byte {
	clean := true
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if !xmlChar(r, n) {
			clean = false
			break
		}
		i += n
	}
	if clean {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if xmlChar(r, n) {
			out = append(out, b[i:i+n]...)
		} else {
			out = utf8.AppendRune(out, utf8.RuneError)
		}
		i += n
	}
	return out
}

func xmlChar(r rune, size int) bool {
	if r == utf8.RuneError && size <= 1 {
		return false
	}
	return r == '\t' || r == '\n' || r == '\r' ||
		(r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || r >= 0x10000
}

// Thresholds for a usable text layer. A page needs minTextRunes letters and
// digits; at least minGoodShare of its non-space characters must be letters
// or digits (glyph soup from fonts without a Unicode map is mostly symbols,
// private-use and U+FFFD); and at most maxMojibakeShare of its letters may be
// Latin-1 accented letters, which is how a cp1251 font without a Unicode map
// comes out ("Ñ÷¸ò" for «Счёт») and which a Russian document never needs.
// A page covered by a full-page picture needs scanTextRunes: a scan carrying
// a short stamp («Документ подписан электронной подписью») is a scan.
const (
	minTextRunes     = 20
	scanTextRunes    = 200
	minGoodShare     = 0.5
	maxMojibakeShare = 0.3
)

// textQuality counts the letters and digits of a page and says whether the
// text is not garbage.
func textQuality(words []ptWord) (runes int, clean bool) {
	var good, other, letters, latin1 int
	for _, w := range words {
		for _, r := range w.text {
			switch {
			case unicode.IsLetter(r):
				good++
				letters++
				if r >= 0xC0 && r <= 0xFF {
					latin1++
				}
			case unicode.IsDigit(r):
				good++
			case unicode.IsSpace(r):
			default:
				other++
			}
		}
	}
	if good == 0 {
		return 0, false
	}
	clean = float64(good)/float64(good+other) >= minGoodShare &&
		float64(latin1) <= maxMojibakeShare*float64(letters)
	return good, clean
}

// toPixels converts a text page from points to pixels at dpi, the unit of
// every word box in the pipeline.
func toPixels(tp textPage, index int, dpi float64) *pervichka.Page {
	s := dpi / 72
	p := &pervichka.Page{
		Index:  index,
		Width:  int(math.Round(tp.w * s)),
		Height: int(math.Round(tp.h * s)),
		Source: pervichka.SourcePDFText,
		Words:  make([]pervichka.Word, 0, len(tp.words)),
	}
	for _, w := range tp.words {
		p.Words = append(p.Words, pervichka.Word{
			Text: w.text,
			Box: pervichka.Rect{
				X0: int(math.Floor(w.x0 * s)), Y0: int(math.Floor(w.y0 * s)),
				X1: int(math.Ceil(w.x1 * s)), Y1: int(math.Ceil(w.y1 * s)),
			},
			Conf:  1,
			Block: w.block,
			Par:   w.par,
			Line:  w.line,
		})
	}
	return p
}
