package pervichka

// Rect is an axis-aligned box in page pixels (OCR) or PDF points scaled to
// pixels; X0,Y0 is the top-left corner, X1,Y1 the bottom-right (exclusive).
type Rect struct {
	X0, Y0, X1, Y1 int
}

// Dx is the width of the box.
func (r Rect) Dx() int { return r.X1 - r.X0 }

// Dy is the height of the box.
func (r Rect) Dy() int { return r.Y1 - r.Y0 }

// Union is the smallest box holding both.
func (r Rect) Union(o Rect) Rect {
	if r.Dx() <= 0 || r.Dy() <= 0 {
		return o
	}
	if o.Dx() <= 0 || o.Dy() <= 0 {
		return r
	}
	return Rect{min(r.X0, o.X0), min(r.Y0, o.Y0), max(r.X1, o.X1), max(r.Y1, o.Y1)}
}

// Location is where on the pages a value was read: the words of one line
// of it. Page indexes the document's pages in order (the pages given to
// extraction, one entry per page of the file); Box is in the units of that
// page's word boxes. Words are the indices in Page.Words of the words the
// value was read from. Box is their union, or the share of one word that
// holds the value by its characters (the ИНН of «2332496033/233201001»). A
// value the engine read again from a crop of the page, with no word of
// the page's own reading in it, has the crop as its box and no words.
type Location struct {
	Page  int   `json:"page"`
	Box   Rect  `json:"box"`
	Words []int `json:"words,omitempty"`
}

// Word is one recognised word with its position and confidence (0..1; 1 for
// text taken from a PDF text layer). Block, Par and Line number the layout
// units Tesseract (or the PDF text extractor) put the word in, per page.
type Word struct {
	Text  string  `json:"text"`
	Box   Rect    `json:"box"`
	Conf  float64 `json:"conf"`
	Block int     `json:"block"`
	Par   int     `json:"par"`
	Line  int     `json:"line"`
}

// Page is the text of one page: its words in reading order, the page size in
// the same units as the word boxes, and where the words came from.
//
// Turned is how far clockwise (0, 90, 180 or 270 degrees) the engine turned
// the page's picture before reading it: the boxes, Width and Height are
// those of the turned picture. It travels with the words, so that the
// pipeline, which stores a page's words between its stages, reports the
// turn in Result.PageTurns without a column of its own; words stored
// before it was recorded read as 0.
type Page struct {
	Index  int        `json:"index"`
	Width  int        `json:"width"`
	Height int        `json:"height"`
	Turned int        `json:"turned,omitempty"`
	Source TextSource `json:"source"`
	Words  []Word     `json:"words"`
}
