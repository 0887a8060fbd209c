package fields

import (
	"testing"

	pervichka "github.com/pervichka/pervichka"
)

// A УПД whose title block lost «Универсальный передаточный документ» and
// «Статус» to OCR is still told from a счёт-фактура by its transfer
// section; an OCR'd счёт-фактура whose foot was not read at all cannot be
// told from a УПД and must not be confident.
func TestClassifyVATInvoiceOrUPD(t *testing.T) {
	t.Parallel()
	head := []string{
		"СЧЕТ-ФАКТУРА № 00874 от 27 мая 2026 г. (1)",
		"Продавец ООО «Агромонтаж» (2)",
		"ИНН/КПП продавца 2332496033/233201001 (2б)",
		"Покупатель АО «Спектр» (6)",
		"ИНН/КПП покупателя 7446628853/744601001 (6б)",
	}
	foot := "Руководитель организации Смирнов В. Е. Главный бухгалтер Михайлова А. О."
	transfer := "Основание передачи (сдачи) / получения (приемки) Договор № 82/01-26"
	for _, tc := range []struct {
		name    string
		conf    float64
		lines   []string
		want    pervichka.DocType
		minConf float64
		maxConf float64
	}{
		{"text layer, no foot: certain", 1, head, pervichka.DocVATInvoice, 0.8, 1},
		{"OCR with the foot read", 0.95, append(append([]string{}, head...), foot), pervichka.DocVATInvoice, 0.71, 1},
		{"OCR without the foot", 0.95, head, pervichka.DocVATInvoice, 0, 0.7},
		{"OCR'd УПД known by its transfer section", 0.95, append(append([]string{}, head...), foot, transfer), pervichka.DocUPD, 0.71, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			typ, conf := Classify([]pervichka.Page{pageScaled(1, tc.conf, tc.lines...)})
			if typ != tc.want || conf < tc.minConf || conf > tc.maxConf {
				t.Errorf("Classify = %s %.2f, want %s in [%.2f, %.2f]", typ, conf, tc.want, tc.minConf, tc.maxConf)
			}
		})
	}
}
