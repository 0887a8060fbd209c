package pdf

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"testing"

	"codeberg.org/go-pdf/fpdf"
)

const dejaVu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

// requisites is the text of the born-digital test page: lines at known
// positions (millimetres from the top-left of an A4 page, baseline y).
var requisites = []struct {
	x, y float64
	text string
}{
	{20, 30, "Счёт на оплату № 1234 от 15 октября 2026 г."},
	{20, 45, "Поставщик: ООО «Ромашка», ИНН 7707083893, КПП 773601001"},
	{20, 55, "Покупатель: АО «Василёк», ИНН 5408131553, КПП 540801001"},
	{20, 65, "Р/с 40702810900000000001 в ПАО Сбербанк, БИК 044525225"},
	{20, 80, "Итого к оплате: 214 500,00 руб., в т.ч. НДС 20% 35 750,00"},
}

// pageSpec describes one page of a generated PDF: text lines, a picture
// placed over the whole page, or both.
type pageSpec struct {
	text  bool        // the requisites lines
	scan  image.Image // a JPEG placed full-page
	extra string      // one more short line
	box   bool        // a filled black rectangle at 50,100 mm, 100×50 mm
	turn  float64     // degrees the scan is turned by its placement matrix
}

func newDoc(t testing.TB) *fpdf.Fpdf {
	t.Helper()
	d := fpdf.New("P", "mm", "A4", "")
	d.SetCompression(true)
	font, err := os.ReadFile(dejaVu)
	if err != nil {
		t.Skipf("font for test PDFs: %v", err)
	}
	d.AddUTF8FontFromBytes("DejaVu", "", font)
	d.SetFont("DejaVu", "", 11)
	return d
}

func addPages(t testing.TB, d *fpdf.Fpdf, pages []pageSpec) {
	t.Helper()
	for i, p := range pages {
		d.AddPage()
		if p.scan != nil {
			var buf bytes.Buffer
			if err := jpeg.Encode(&buf, p.scan, &jpeg.Options{Quality: 85}); err != nil {
				t.Fatal(err)
			}
			name := "scan" + string(rune('a'+i))
			opt := fpdf.ImageOptions{ImageType: "JPG"}
			d.RegisterImageOptionsReader(name, opt, &buf)
			if p.turn != 0 {
				d.TransformBegin()
				d.TransformRotate(p.turn, 105, 148.5)
			}
			d.ImageOptions(name, 0, 0, 210, 297, false, opt, 0, "")
			if p.turn != 0 {
				d.TransformEnd()
			}
		}
		if p.text {
			for _, l := range requisites {
				d.Text(l.x, l.y, l.text)
			}
		}
		if p.box {
			d.SetFillColor(0, 0, 0)
			d.Rect(50, 100, 100, 50, "F")
		}
		if p.extra != "" {
			d.Text(20, 280, p.extra)
		}
	}
}

func output(t testing.TB, d *fpdf.Fpdf) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := d.Output(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func buildPDF(t testing.TB, pages ...pageSpec) []byte {
	t.Helper()
	d := newDoc(t)
	addPages(t, d, pages)
	return output(t, d)
}

// scanImage is a grey "scan" of w×h pixels: white with dark bars, so that it
// compresses well and has something to see.
func scanImage(w, h int) image.Image {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := uint8(250)
			if (y/40)%3 == 0 && x > w/10 && x < w*9/10 && (x/12)%5 != 0 {
				v = 30
			}
			if x > w/20 && x < w/3 && y > h/30 && y < h/8 { // a logo block, top left
				v = 60
			}
			img.SetGray(x, y, color.Gray{Y: v})
		}
	}
	return img
}
