package corpus

import (
	"os"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"github.com/pervichka/pervichka/corpus/sheet"
)

// fontFiles are the Debian files of the faces the renderer uses.
var fontFiles = map[sheet.Family][2]string{
	sheet.LiberationSans:  {"/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf", "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"},
	sheet.LiberationSerif: {"/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf", "/usr/share/fonts/truetype/liberation/LiberationSerif-Bold.ttf"},
	sheet.DejaVuSans:      {"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"},
	sheet.DejaVuSerif:     {"/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"},
	sheet.PTSans:          {"/usr/share/fonts/truetype/paratype/PTS55F.ttf", "/usr/share/fonts/truetype/paratype/PTS75F.ttf"},
	sheet.PTSerif:         {"/usr/share/fonts/truetype/paratype/PTF55F.ttf", "/usr/share/fonts/truetype/paratype/PTF75F.ttf"},
}

// realWidth measures s in millimetres with the real font's advances.
func realWidth(t *testing.T, path string, size float64, s string) (float64, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	f, err := sfnt.Parse(b)
	if err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	var buf sfnt.Buffer
	upem := f.UnitsPerEm()
	em := 0.0
	for _, r := range s {
		gi, err := f.GlyphIndex(&buf, r)
		if err != nil {
			t.Fatal(err)
		}
		adv, err := f.GlyphAdvance(&buf, gi, fixed.Int26_6(upem), font.HintingNone)
		if err != nil {
			t.Fatal(err)
		}
		em += float64(adv) / float64(upem)
	}
	return em * size * ptMM, true
}

// TestTextWidthConservative checks the width estimate the layouts fit text
// with against the real fonts: never narrower (text would overflow its cell)
// and no more than the safety margin wider.
func TestTextWidthConservative(t *testing.T) {
	t.Parallel()
	samples := []string{
		"без акциза", "Общество с ограниченной ответственностью «Ромашка»", "ИНН 7701234567 КПП 770101001",
		"СЧЁТ-ФАКТУРА № УТ-001288 от 20 марта 2024 г.", "Шщжюмфы ШЩЖЮМФЫ", "40702810884257896686", "Итого к оплате: 1 234 567,89",
		"Бумага офисная SvetoCopy A4, 80 г/м2, 500 л.", "Двести четырнадцать тысяч пятьсот рублей 00 копеек",
		"Услуги по техническому обслуживанию инженерных систем за март 2024 г.", "«20» марта 2024 г.", "ИП Соловьёв Николай Олегович",
	}
	measured := 0
	for fam, files := range fontFiles {
		for bi, path := range files {
			f := sheet.Font{Family: fam, Size: 10, Bold: bi == 1}
			for _, s := range samples {
				real, ok := realWidth(t, path, f.Size, s)
				if !ok {
					continue
				}
				measured++
				est := textWidth(f, s)
				if est < real {
					t.Errorf("%s bold=%v: %q estimated %.1f mm, real %.1f mm", fam, f.Bold, s, est, real)
				}
				if est > real*1.03 {
					t.Errorf("%s bold=%v: %q estimated %.1f mm, real only %.1f mm", fam, f.Bold, s, est, real)
				}
			}
		}
	}
	if measured == 0 {
		t.Skip("fonts not installed")
	}
}
