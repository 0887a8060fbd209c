package fields

import (
	"testing"

	pervichka "github.com/pervichka/pervichka"
)

// A ТОРГ-12 is known by «ТОВАРНАЯ НАКЛАДНАЯ» with no «№» after it (the
// number sits in a box beside it) and made surer by its form code; the
// same words followed by «№» are a reference on another document.
func TestClassifyTORG12(t *testing.T) {
	t.Parallel()
	torg := []string{
		"@60 Унифицированная форма № ТОРГ-12",
		"@60 Утверждена постановлением Госкомстата России от 25.12.98 № 132",
		"@80 Форма по ОКУД 0330212",
		"ООО «Ромашка», ИНН 7701234560, КПП 770101001 @80 по ОКПО",
		"@30 Номер документа @45 Дата составления",
		"ТОВАРНАЯ НАКЛАДНАЯ @30 1542 @45 12.09.2025",
	}
	act := []string{
		"Акт № 12 от 31 мая 2025 г.",
		"Исполнитель: @14 ООО «Ромашка», ИНН 7701234560, КПП 770101001",
		"Основание: @14 Товарная накладная № 15 от 10.05.2025",
	}
	for _, tc := range []struct {
		name    string
		conf    float64
		lines   []string
		want    pervichka.DocType
		minConf float64
	}{
		{"text layer", 1, torg, pervichka.DocTORG12, 0.9},
		{"OCR", 0.9, torg, pervichka.DocTORG12, 0.8},
		{"without the form code", 1, torg[3:], pervichka.DocTORG12, 0.8},
		{"a reference in an act", 1, act, pervichka.DocAct, 0.75},
	} {
		t.Run(tc.name, func(t *testing.T) {
			typ, conf := Classify([]pervichka.Page{pageScaled(1, tc.conf, tc.lines...)})
			if typ != tc.want || conf < tc.minConf {
				t.Errorf("Classify = %s %.2f, want %s ≥ %.2f", typ, conf, tc.want, tc.minConf)
			}
		})
	}
}
