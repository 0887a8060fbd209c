package degrade

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// pdfDate is fixed so the same pages always give the same bytes.
var pdfDate = time.Date(2026, 1, 12, 9, 30, 0, 0, time.UTC)

// ImagesPDF writes a PDF of image-only pages, as a scanner or a "scan to
// PDF" phone app makes: each page is encoded as a JPEG at quality and placed
// full-page at pixels/dpi inches. There is no text layer.
func ImagesPDF(w io.Writer, pages []image.Image, dpi float64, quality int) error {
	if quality < 1 || quality > 100 {
		return fmt.Errorf("images pdf: jpeg quality %d outside 1..100", quality)
	}
	jpegs := make([][]byte, len(pages))
	for i, p := range pages {
		if p == nil {
			return fmt.Errorf("images pdf: page %d is nil", i+1)
		}
		var b bytes.Buffer
		if err := jpeg.Encode(&b, p, &jpeg.Options{Quality: quality}); err != nil {
			return fmt.Errorf("images pdf: encode page %d: %w", i+1, err)
		}
		jpegs[i] = b.Bytes()
	}
	return JPEGsPDF(w, jpegs, dpi)
}

// JPEGsPDF writes a PDF whose pages are the given JPEG files embedded as
// they are (DCTDecode, no re-encoding), each page sized pixels/dpi inches.
// It is how "photos saved into a PDF" of a multi-page contract arrive.
func JPEGsPDF(w io.Writer, jpegs [][]byte, dpi float64) error {
	if len(jpegs) == 0 {
		return fmt.Errorf("jpegs pdf: no pages")
	}
	if !(dpi >= 10 && dpi <= 2400) {
		return fmt.Errorf("jpegs pdf: dpi %g outside 10..2400", dpi)
	}
	p := fpdf.NewCustom(&fpdf.InitType{UnitStr: "mm", Size: fpdf.SizeType{Wd: 210, Ht: 297}})
	p.SetCreationDate(pdfDate)
	p.SetModificationDate(pdfDate)
	p.SetCatalogSort(true)
	p.SetProducer("pervichka corpus", false)
	p.SetAutoPageBreak(false, 0)
	p.SetMargins(0, 0, 0)
	for i, j := range jpegs {
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(j))
		if err != nil {
			return fmt.Errorf("jpegs pdf: page %d: %w", i+1, err)
		}
		wmm := float64(cfg.Width) / dpi * 25.4
		hmm := float64(cfg.Height) / dpi * 25.4
		orient, size := "P", fpdf.SizeType{Wd: wmm, Ht: hmm}
		if wmm > hmm {
			orient, size = "L", fpdf.SizeType{Wd: hmm, Ht: wmm}
		}
		p.AddPageFormat(orient, size)
		name := fmt.Sprintf("page%d", i+1)
		opt := fpdf.ImageOptions{ImageType: "JPG"}
		p.RegisterImageOptionsReader(name, opt, bytes.NewReader(j))
		p.ImageOptions(name, 0, 0, wmm, hmm, false, opt, 0, "")
		if err := p.Error(); err != nil {
			return fmt.Errorf("jpegs pdf: page %d: %w", i+1, err)
		}
	}
	if err := p.Output(w); err != nil {
		return fmt.Errorf("jpegs pdf: write: %w", err)
	}
	return nil
}
