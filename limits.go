package pervichka

// Limits bound what one input file may cost. They are checked before any
// decoding (from headers and page counts) so that a hostile or huge file is
// refused cheaply with a typed Error instead of exhausting memory.
type Limits struct {
	MaxBytes  int64 // size of the file
	MaxPixels int64 // width × height of any one page image
	MaxPages  int   // pages (PDF) or frames (TIFF)
}

// MaxFilesPerRequest bounds the files of one upload request, by the API or
// a contractor's link alike: each file becomes a document and a row, so a
// request of thousands of tiny parts must not make thousands. A hundred is
// more than any one batch of primary documents a person sends at once.
const MaxFilesPerRequest = 100

// DefaultLimits are generous for primary documents: a 200-page contract or a
// 60-megapixel phone photo passes, a decompression bomb does not.
func DefaultLimits() Limits {
	return Limits{MaxBytes: 50 << 20, MaxPixels: 60_000_000, MaxPages: 200}
}
