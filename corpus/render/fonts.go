package render

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"github.com/pervichka/pervichka/corpus/sheet"
)

// fontDir is where Debian's fonts-liberation, fonts-dejavu-core and
// fonts-paratype packages install their TrueType files.
const fontDir = "/usr/share/fonts/truetype"

// fontFiles maps a family to its regular, bold, italic and bold-italic files.
var fontFiles = map[sheet.Family][4]string{
	sheet.LiberationSans:  {"liberation/LiberationSans-Regular.ttf", "liberation/LiberationSans-Bold.ttf", "liberation/LiberationSans-Italic.ttf", "liberation/LiberationSans-BoldItalic.ttf"},
	sheet.LiberationSerif: {"liberation/LiberationSerif-Regular.ttf", "liberation/LiberationSerif-Bold.ttf", "liberation/LiberationSerif-Italic.ttf", "liberation/LiberationSerif-BoldItalic.ttf"},
	sheet.DejaVuSans:      {"dejavu/DejaVuSans.ttf", "dejavu/DejaVuSans-Bold.ttf", "dejavu/DejaVuSans-Oblique.ttf", "dejavu/DejaVuSans-BoldOblique.ttf"},
	sheet.DejaVuSerif:     {"dejavu/DejaVuSerif.ttf", "dejavu/DejaVuSerif-Bold.ttf", "dejavu/DejaVuSerif-Italic.ttf", "dejavu/DejaVuSerif-BoldItalic.ttf"},
	sheet.PTSans:          {"paratype/PTS55F.ttf", "paratype/PTS75F.ttf", "paratype/PTS56F.ttf", "paratype/PTS76F.ttf"},
	sheet.PTSerif:         {"paratype/PTF55F.ttf", "paratype/PTF75F.ttf", "paratype/PTF56F.ttf", "paratype/PTF76F.ttf"},
}

// styleIndex is the position of a style in fontFiles and the fpdf style name.
func styleIndex(f sheet.Font) (int, string) {
	switch {
	case f.Bold && f.Italic:
		return 3, "BI"
	case f.Bold:
		return 1, "B"
	case f.Italic:
		return 2, "I"
	}
	return 0, ""
}

// face is one parsed TrueType file. sfnt.Font is safe for concurrent use as
// long as every goroutine brings its own sfnt.Buffer (see bufPool).
type face struct {
	id   int // small number used in glyph cache keys
	path string
	data []byte
	sf   *sfnt.Font
	upem float64

	mu  sync.Mutex
	adv map[rune]advGlyph // advance in font units, per rune
}

type advGlyph struct {
	idx sfnt.GlyphIndex
	adv float64 // font units
}

var (
	facesMu sync.Mutex
	faces   = map[string]*face{}
	bufPool = sync.Pool{New: func() any { return new(sfnt.Buffer) }}
)

// fontPath returns the TrueType file for a font, or an error for a family
// the sheet package does not know.
func fontPath(f sheet.Font) (string, error) {
	files, ok := fontFiles[f.Family]
	if !ok {
		return "", fmt.Errorf("unknown font family %q", f.Family)
	}
	i, _ := styleIndex(f)
	return filepath.Join(fontDir, files[i]), nil
}

// loadFace reads and parses the file for f once per process.
func loadFace(f sheet.Font) (*face, error) {
	p, err := fontPath(f)
	if err != nil {
		return nil, err
	}
	facesMu.Lock()
	defer facesMu.Unlock()
	if fc, ok := faces[p]; ok {
		return fc, nil
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("read font %s: %w", p, err)
	}
	sf, err := sfnt.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("parse font %s: %w", p, err)
	}
	fc := &face{id: len(faces) + 1, path: p, data: data, sf: sf, upem: float64(sf.UnitsPerEm()), adv: map[rune]advGlyph{}}
	faces[p] = fc
	return fc, nil
}

// glyph returns the glyph index and unhinted advance (font units) of r.
// Kerning is deliberately not applied: fpdf does not kern either, so the PDF
// and the raster place every glyph at the same x.
func (fc *face) glyph(r rune) advGlyph {
	fc.mu.Lock()
	g, ok := fc.adv[r]
	fc.mu.Unlock()
	if ok {
		return g
	}
	b := bufPool.Get().(*sfnt.Buffer)
	defer bufPool.Put(b)
	idx, err := fc.sf.GlyphIndex(b, r)
	if err != nil {
		idx = 0
	}
	a, err := fc.sf.GlyphAdvance(b, idx, fixed.Int26_6(fc.sf.UnitsPerEm())<<6, font.HintingNone)
	if err != nil {
		a = 0
	}
	g = advGlyph{idx: idx, adv: float64(a) / 64}
	fc.mu.Lock()
	fc.adv[r] = g
	fc.mu.Unlock()
	return g
}

// width returns the advance width of s in millimetres at size points.
func (fc *face) width(s string, sizePt float64) float64 {
	var u float64
	for _, r := range s {
		u += fc.glyph(r).adv
	}
	return u / fc.upem * sizePt * mmPerPt
}

// outline returns the contours of glyph idx in font units, Y down, origin on
// the baseline, flattened to polygons.
func (fc *face) outline(idx sfnt.GlyphIndex) []contour {
	b := bufPool.Get().(*sfnt.Buffer)
	defer bufPool.Put(b)
	segs, err := fc.sf.LoadGlyph(b, idx, fixed.Int26_6(fc.sf.UnitsPerEm())<<6, nil)
	if err != nil {
		return nil
	}
	return flatten(segs, fc.upem/50) // 1/50 em: invisible chords even on a 6 mm seal letter
}

const (
	mmPerPt   = 25.4 / 72
	mmPerInch = 25.4
)

// textStart returns the x where a Text op's first glyph starts.
func textStart(t sheet.Text, w float64) float64 {
	switch t.Align {
	case sheet.Center:
		return t.X + (t.W-w)/2
	case sheet.Right:
		return t.X + t.W - w
	}
	return t.X
}
