// Package sheet describes a printed page as a list of drawing operations in
// millimetres, so that one layout can be rendered both as a born-digital PDF
// with a text layer and as a raster image at any resolution (corpus/render),
// and the two agree exactly.
//
// Coordinates: origin at the top-left corner of the page, X to the right, Y
// down, all in millimetres. Text is placed by its baseline.
package sheet

// A4 sizes in millimetres.
const (
	A4Short = 210.0
	A4Long  = 297.0
)

// Family names a font family available on Debian (fonts-liberation,
// fonts-dejavu-core, fonts-paratype).
type Family string

const (
	LiberationSans  Family = "liberation-sans"
	LiberationSerif Family = "liberation-serif"
	DejaVuSans      Family = "dejavu-sans"
	DejaVuSerif     Family = "dejavu-serif"
	PTSans          Family = "pt-sans"
	PTSerif         Family = "pt-serif"
)

// Families lists every family a layout may pick.
var Families = []Family{LiberationSans, LiberationSerif, DejaVuSans, DejaVuSerif, PTSans, PTSerif}

// Font selects a face and a size in points.
type Font struct {
	Family Family
	Bold   bool
	Italic bool
	Size   float64 // points
}

// Align places text relative to X (and W for center/right).
type Align int

const (
	Left Align = iota
	Center
	Right
)

// Color is an RGB colour; the zero value is black.
type Color struct{ R, G, B uint8 }

// Blue is the ink of stamps and signatures.
var Blue = Color{R: 30, G: 60, B: 170}

// Op is one drawing operation: Text, Line, Rect, Stamp, Signature or
// Handwriting.
type Op interface{ isOp() }

// Text draws S with Font. With Left the text starts at X; with Center it is
// centred in [X, X+W]; with Right it ends at X+W. Y is the baseline.
type Text struct {
	X, Y, W float64
	Font    Font
	Align   Align
	S       string
	Color   Color
}

// Line draws a straight line of Width millimetres.
type Line struct {
	X1, Y1, X2, Y2 float64
	Width          float64
	Color          Color
}

// Rect outlines (Width > 0) and/or fills (Fill) a rectangle.
type Rect struct {
	X, Y, W, H float64
	Width      float64
	Fill       *Color
	Color      Color
}

// Stamp is a round seal: two concentric circles with Ring text around the
// edge and Center lines in the middle, in semi-transparent blue ink, rotated
// by Angle degrees. It is drawn over whatever lies beneath.
type Stamp struct {
	CX, CY, R float64
	Angle     float64
	Ring      string
	Center    []string
	Color     Color
}

// Signature is a hand-written scribble inside the box, drawn from Seed so that
// it is the same in every rendering of the sheet.
type Signature struct {
	X, Y, W, H float64
	Seed       int64
	Color      Color
}

// Handwriting is text written in pen over the page (a date beside a
// signature, «В оплату»): ink shapes from a slanted face, every letter
// moved, turned and sized a little differently from Seed. Like a stamp it
// is not in a PDF's text layer, as handwriting on paper is in no file.
type Handwriting struct {
	X, Y  float64 // start of the baseline
	Size  float64 // height of the capitals, mm
	S     string
	Seed  int64
	Color Color
}

func (Text) isOp()        {}
func (Line) isOp()        {}
func (Rect) isOp()        {}
func (Stamp) isOp()       {}
func (Signature) isOp()   {}
func (Handwriting) isOp() {}

// Sheet is one page.
type Sheet struct {
	W, H float64 // millimetres; landscape when W > H
	Ops  []Op
}

// Document is the pages of one document in order.
type Document struct {
	Sheets []Sheet
}
