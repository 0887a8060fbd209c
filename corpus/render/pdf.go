// Package render turns a sheet.Document into test files that look like the
// real thing: a born-digital PDF with a text layer (PDF) and a raster page
// (Image) for the scanner and camera degradations in corpus/degrade. Both
// read the same TrueType files and place glyphs with the same advances, so
// a word's box in the PDF and its ink in the image agree.
package render

import (
	"fmt"
	"io"
	"math"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/pervichka/pervichka/corpus/sheet"
)

// pdfDate is fixed so the same document always gives the same bytes.
var pdfDate = time.Date(2026, 1, 12, 9, 30, 0, 0, time.UTC)

// PDF writes doc as a born-digital PDF: one page per sheet at the sheet's
// size (landscape when W > H), text as real UTF-8 text with embedded subset
// fonts placed by baseline, rules as vector lines, and stamps and signatures
// as vector paths in blue ink (the stamp multiplied semi-transparently over
// the page). Stamp lettering is drawn as outlines, not text, as a seal
// pasted into a document is: it must not leak into the text layer.
func PDF(w io.Writer, doc sheet.Document) error {
	if len(doc.Sheets) == 0 {
		return fmt.Errorf("render pdf: document has no sheets")
	}
	p := fpdf.NewCustom(&fpdf.InitType{UnitStr: "mm", Size: fpdf.SizeType{Wd: sheet.A4Short, Ht: sheet.A4Long}})
	p.SetCreationDate(pdfDate)
	p.SetModificationDate(pdfDate)
	p.SetCatalogSort(true)
	p.SetCompression(true)
	p.SetProducer("pervichka corpus", false)
	p.SetAutoPageBreak(false, 0)
	p.SetMargins(0, 0, 0)
	p.SetLineCapStyle("square")
	p.SetLineJoinStyle("miter")
	fonts := map[string]bool{}

	for i, s := range doc.Sheets {
		if !(s.W > 0 && s.H > 0) || math.IsInf(s.W, 0) || math.IsInf(s.H, 0) {
			return fmt.Errorf("render pdf: sheet %d has size %g×%g mm", i+1, s.W, s.H)
		}
		orient := "P"
		size := fpdf.SizeType{Wd: s.W, Ht: s.H}
		if s.W > s.H {
			orient = "L"
			size = fpdf.SizeType{Wd: s.H, Ht: s.W}
		}
		p.AddPageFormat(orient, size)
		for j, op := range s.Ops {
			var err error
			switch o := op.(type) {
			case sheet.Text:
				err = pdfText(p, fonts, o)
			case sheet.Line:
				err = pdfLine(p, o)
			case sheet.Rect:
				err = pdfRect(p, o)
			case sheet.Stamp:
				pdfStamp(p, o)
			case sheet.Signature:
				pdfSignature(p, o)
			case sheet.Handwriting:
				pdfHandwriting(p, o)
			}
			if err != nil {
				return fmt.Errorf("render pdf: sheet %d op %d: %w", i+1, j, err)
			}
		}
		if err := p.Error(); err != nil {
			return fmt.Errorf("render pdf: sheet %d: %w", i+1, err)
		}
	}
	if err := p.Output(w); err != nil {
		return fmt.Errorf("render pdf: write: %w", err)
	}
	return nil
}

func pdfText(p *fpdf.Fpdf, fonts map[string]bool, t sheet.Text) error {
	if t.S == "" {
		return nil
	}
	if !validSize(t.Font.Size) {
		return fmt.Errorf("font size %g pt outside (0, %d]", t.Font.Size, maxFontSize)
	}
	if !finite(t.X, t.Y, t.W) {
		return fmt.Errorf("text %q has a non-finite position", t.S)
	}
	fc, err := loadFace(t.Font)
	if err != nil {
		return err
	}
	_, style := styleIndex(t.Font)
	key := string(t.Font.Family) + "/" + style
	if !fonts[key] {
		p.AddUTF8FontFromBytes(string(t.Font.Family), style, fc.data)
		fonts[key] = true
	}
	p.SetFont(string(t.Font.Family), style, t.Font.Size)
	p.SetTextColor(int(t.Color.R), int(t.Color.G), int(t.Color.B))
	p.Text(textStart(t, fc.width(t.S, t.Font.Size)), t.Y, t.S)
	return p.Error()
}

func pdfLine(p *fpdf.Fpdf, l sheet.Line) error {
	if !finite(l.X1, l.Y1, l.X2, l.Y2, l.Width) {
		return fmt.Errorf("line has a non-finite coordinate")
	}
	p.SetDrawColor(int(l.Color.R), int(l.Color.G), int(l.Color.B))
	p.SetLineWidth(math.Max(l.Width, 0.05))
	p.Line(l.X1, l.Y1, l.X2, l.Y2)
	return nil
}

func pdfRect(p *fpdf.Fpdf, r sheet.Rect) error {
	if !finite(r.X, r.Y, r.W, r.H, r.Width) {
		return fmt.Errorf("rect has a non-finite coordinate")
	}
	if r.Fill != nil {
		p.SetFillColor(int(r.Fill.R), int(r.Fill.G), int(r.Fill.B))
		p.Rect(r.X, r.Y, r.W, r.H, "F")
	}
	if r.Width > 0 {
		p.SetDrawColor(int(r.Color.R), int(r.Color.G), int(r.Color.B))
		p.SetLineWidth(r.Width)
		p.Rect(r.X, r.Y, r.W, r.H, "D")
	}
	return nil
}

// pdfFill fills contours (millimetres) with the nonzero rule.
func pdfFill(p *fpdf.Fpdf, cs []contour) {
	n := 0
	for _, c := range cs {
		if len(c) < 3 {
			continue
		}
		p.MoveTo(c[0].X, c[0].Y)
		for _, q := range c[1:] {
			p.LineTo(q.X, q.Y)
		}
		p.ClosePath()
		n++
	}
	if n > 0 {
		p.DrawPath("f")
	}
}

func pdfStamp(p *fpdf.Fpdf, st sheet.Stamp) {
	c := inkColor(st.Color)
	p.SetAlpha(0.85, "Multiply")
	p.SetFillColor(int(c.R), int(c.G), int(c.B))
	for _, l := range stampLayers(st) {
		pdfFill(p, l)
	}
	p.SetAlpha(1, "Normal")
}

// pdfSignature fills the same pressure-shaped outline the raster draws.
func pdfSignature(p *fpdf.Fpdf, sg sheet.Signature) {
	c := inkColor(sg.Color)
	p.SetAlpha(0.9, "Multiply")
	p.SetFillColor(int(c.R), int(c.G), int(c.B))
	pdfFill(p, signatureLayer(sg))
	p.SetAlpha(1, "Normal")
}

// pdfHandwriting fills the same letter shapes the raster draws, as ink.
func pdfHandwriting(p *fpdf.Fpdf, hw sheet.Handwriting) {
	c := inkColor(hw.Color)
	p.SetAlpha(0.9, "Multiply")
	p.SetFillColor(int(c.R), int(c.G), int(c.B))
	pdfFill(p, handLayer(hw))
	p.SetAlpha(1, "Normal")
}
