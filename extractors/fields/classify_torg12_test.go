package fields

import (
	"context"
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

// A ТОРГ-12 prints its number and date in boxes beside the title, under
// «Номер документа | Дата составления», and names its sides «Поставщик»
// and «Плательщик» under the consignor and consignee lines.
func TestExtractTORG12(t *testing.T) {
	t.Parallel()
	lines := []string{
		"@60 Унифицированная форма № ТОРГ-12",
		"Грузоотправитель @14 ООО «Ромашка», ИНН 7701234560, КПП 770101001, г. Москва @80 Форма по ОКУД @90 0330212",
		"Грузополучатель @14 ООО «Лютик», ИНН 5003123458, КПП 500301001, г. Химки",
		"Поставщик @14 ООО «Ромашка», ИНН 7701234560, КПП 770101001, г. Москва",
		"Плательщик @14 Общество с ограниченной ответственностью «Лютик», ИНН 5003123458, КПП 500301001, г. Химки",
		"Основание @14 Договор № 292-У от 02.09.2023",
		"@30 Номер документа @45 Дата составления",
		"@5 ТОВАРНАЯ НАКЛАДНАЯ @32 1521/24 @47 02.01.2024",
	}
	for _, tc := range []struct {
		name string
		page pervichka.Page
	}{
		{"text layer", pageOf(lines...)},
		{"OCR", pageScaled(1, 0.95, lines...)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := Extract(context.Background(), []pervichka.Page{tc.page}, cfg(), nil)
			if res.DocType != pervichka.DocTORG12 || res.Number != "1521/24" || res.Date != "2024-01-02" {
				t.Errorf("type %q number %q date %q; want torg12 1521/24 2024-01-02", res.DocType, res.Number, res.Date)
			}
			if res.Supplier.INN != "7701234560" || res.Buyer.INN != "5003123458" || res.Buyer.Name != "Общество с ограниченной ответственностью «Лютик»" && res.Buyer.Name != "ООО Лютик" {
				t.Errorf("supplier %+v buyer %+v", res.Supplier, res.Buyer)
			}
		})
	}
	// Figures beside a title with no boxes' headings above are not its
	// number.
	bare := pageOf(append(append([]string{}, lines[:6]...), "@5 ТОВАРНАЯ НАКЛАДНАЯ @32 1521/24 @47 02.01.2024")...)
	if res := Extract(context.Background(), []pervichka.Page{bare}, cfg(), nil); res.Number != "" {
		t.Errorf("number %q read without the boxes' headings", res.Number)
	}
}
