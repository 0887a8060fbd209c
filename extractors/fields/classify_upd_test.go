package fields

import (
	"slices"
	"strings"
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

// A УПД whose title words OCR lost entirely (seed 9301's scan 013: the
// scanner's dark top edge over «СЧЁТ-ФАКТУРА» and «Универсальный») is
// still known by its number line's mark «(1)», the marks of its other
// lines (as OCR read them: «(26)», «(66)») and its status box, with the number and date of that line. The
// same line without the form's other marks is no title.
func TestClassifyFormNumberLineWithoutTitle(t *testing.T) {
	t.Parallel()
	lines := []string{
		"@30 № 786 от 29 апреля 2023 г. @80 (1) @90 Приложение № 1 к постановлению",
		"передаточный документ",
		"Статус: 1 @30 Продавец: ООО «Магистраль-Сервис» @80 (2)",
		"1 - счет-фактура и передаточный документ (акт) @30 ИНН/КПП продавца: 7822140300/782201001 @80 (26)",
		"2 - передаточный документ (акт)",
		"@30 Покупатель: ООО «Спектр» @80 (6)",
		"@30 ИНН/КПП покупателя: 7446628853/744601001 @80 (66)",
		"Основание передачи (сдачи) / получения (приемки) Договор № 82/01-26",
		"Руководитель организации Смирнов В. Е. Главный бухгалтер Михайлова А. О.",
	}
	res := Extract(t.Context(), []pervichka.Page{pageScaled(1, 0.95, lines...)}, Config{}, nil)
	if res.DocType != pervichka.DocUPD || res.Number != "786" || res.Date != "2023-04-29" {
		t.Errorf("type %s number %q date %q, want upd 786 2023-04-29", res.DocType, res.Number, res.Date)
	}
	var bare []string
	for _, l := range lines {
		bare = append(bare, strings.NewReplacer("(26)", "", "(66)", "").Replace(l))
	}
	if typ, _ := Classify([]pervichka.Page{pageScaled(1, 0.95, bare...)}); typ != pervichka.DocUnknown {
		t.Errorf("without the form's line marks: %s, want unknown", typ)
	}
}

// A title OCR broke with a mark between its pieces («СЧЕТ > ФА КТУР А»,
// seed 9301's scanner-app счёт-фактура 005) or with a ghost word read over
// its letters («СЧЕТ +2 ФАК ТУ РА», 9801's scanner-app счёт-фактура 014)
// is still the title, with its number; a fourth word between its last
// piece and the sign is too far.
func TestTitleSplitByMark(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		line   string
		typ    pervichka.DocType
		number pervichka.Text
	}{
		{"^СЧЕТ ^> ^ФА ^КТУР ^А ^№ ^754 oT 13 июля 2023 г. (1)", pervichka.DocVATInvoice, "754"},
		{"^СЧЕТ-ФАКТУРА ^№ ^754 от 13 июля 2023 г. (1)", pervichka.DocVATInvoice, "754"},
		{"^СЧЕТ ^+2 ^ФАК ^ТУ ^РА ^№ ^00940 от 1 августа 2026 г. (1)", pervichka.DocVATInvoice, "00940"},
		{"^СЧЕТ ^> ^ФА ^КТУР ^А ^то ^№ ^754 oT 13 июля 2023 г. (1)", pervichka.DocVATInvoice, "754"},
		{"^СЧЕТ ^> ^ФА ^КТУР ^А ^на ^то ^из ^за ^№ ^754 oT 13 июля 2023 г. (1)", pervichka.DocUnknown, ""},
	} {
		lines := []string{tc.line, "Продавец: ИП Киселёва Анна Михайловна (2)", "ИНН/КПП продавца: 233352420494 (2б)"}
		res := Extract(t.Context(), []pervichka.Page{pageScaled(1, 0.95, lines...)}, Config{}, nil)
		if res.DocType != tc.typ || res.Number != tc.number {
			t.Errorf("%q: %s %q, want %s %q", tc.line, res.DocType, res.Number, tc.typ, tc.number)
		}
	}
}

// A УПД whose title date OCR garbled after a glued «от7» is not dated by
// the form's decree note on the lines under it («… Федерации от 16
// августа 2024 г. № 1096)»): unseen seed 9351's scanner-app УПД 014 was
// approved so. Its line (5а) gives the date instead.
func TestUPDDateNotFromDecreeNote(t *testing.T) {
	t.Parallel()
	lines := []string{
		"передаточный @20 ^СЧЕТ-ФАКТУРА ^№1 ^464 от7 AH варя 2025 г. @80 (1) @90 Приложение № 1 к постановлению Правительства",
		"@90 декабря 2011 г. № 1137 (в редакции постановления Правительства Российской",
		"@20 ИСПРАВЛЕНИЕ № --- от --- @80 (1а) @90 Федерации от 16 августа 2024 г. № 1096)",
		"Статус: 1 @20 Продавец: ООО «МеталлКонтакт Групп» @80 (2)",
		"@20 ИНН/КПП продавца: 7747527866/774701001 @80 (2б)",
		"2 - передаточный документ (акт)",
		"@20 Документ об отгрузке № п/п 1-1 № 1464 от 07.01.2025 @80 (5а)",
		"@20 Покупатель: ООО «ТеплоАльянс» @80 (6)",
		"@20 ИНН/КПП покупателя: 7749149970/774901001 @80 (6б)",
		"Основание передачи (сдачи) / получения (приемки) Договор № 82/01-26",
	}
	res := Extract(t.Context(), []pervichka.Page{pageScaled(1, 0.95, lines...)}, Config{}, nil)
	if res.Date == "2024-08-16" || res.Date == "2011-12-26" {
		t.Fatalf("dated by the decree note: %s", res.Date)
	}
	if res.Date != "2025-01-07" {
		t.Errorf("date %q, want 2025-01-07 from line (5а)", res.Date)
	}
}

// A УПД title whose «№» OCR lost («СЧЕТ-ФАКТУР “4-203 от 10 марта …») is
// not numbered from the form's decree note further along its line: seed
// 9501's realistic УПД 005 was numbered «1 к постановлению» from
// «(1) Приложение № 1 к постановлению». The number is missing instead.
func TestTitleNumberNotFromDecreeNote(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		title  string
		number pervichka.Text
	}{
		{"Универсальный передаточный @20 ^СЧЕТ-ФАКТУР ^“4-203 от 10 марта 2025 г. @80 (1) @90 Приложение № 1 к постановлению", ""},
		{"Универсальный передаточный @20 ^СЧЕТ-ФАКТУР ^“4-203 от 10 марта 2025 г. @90 Приложение № 1 к постановлению", ""},
		{"Универсальный передаточный @20 ^СЧЕТ-ФАКТУРА ^№ ^СЧ-203 от 10 марта 2025 г. @80 (1) @90 Приложение № 1 к постановлению", "СЧ-203"},
	} {
		lines := []string{
			tc.title,
			"документ @20 ИСПРАВЛЕНИЕ № --- от --- @80 (1а)",
			"Статус: 1 @20 Продавец: ООО «МеталлКонтакт Групп» @80 (2)",
			"@20 ИНН/КПП продавца: 7747527866/774701001 @80 (2б)",
			"@20 Покупатель: ООО «ТеплоАльянс» @80 (6)",
			"@20 ИНН/КПП покупателя: 7749149970/774901001 @80 (6б)",
		}
		res := Extract(t.Context(), []pervichka.Page{pageScaled(1, 0.95, lines...)}, Config{}, nil)
		if res.DocType != pervichka.DocUPD || res.Number != tc.number {
			t.Errorf("%q: %s number %q, want upd %q", tc.title, res.DocType, res.Number, tc.number)
		}
	}
}

// A УПД title whose «от 1 февраля» OCR garbled into small-letter words
// («№ 307 ord фев pan я 2023 г.», seed 9601's realistic УПД 003) is
// numbered with the digits only, and dated from line (5а), which prints
// the same number with its date.
func TestTitleNumberEndsAtGarbledOt(t *testing.T) {
	t.Parallel()
	lines := []string{
		"Универсальный передаточный @20 СЧЕТ-ФАКТУРА № 307 ord фев pan я 2023 г. @80 (1) @90 Приложение № 1 к постановлению",
		"документ @20 ИСПРАВЛЕНИЕ № --- от --- @80 (1а)",
		"Статус: 1 @20 Продавец: ООО «МеталлКонтакт Групп» @80 (2)",
		"@20 ИНН/КПП продавца: 7747527866/774701001 @80 (2б)",
		"@20 Документ об отгрузке № п/п 1-33 № 307 от 01.02.2023 @80 (5а)",
		"@20 Покупатель: ООО «ТеплоАльянс» @80 (6)",
		"@20 ИНН/КПП покупателя: 7749149970/774901001 @80 (6б)",
	}
	res := Extract(t.Context(), []pervichka.Page{pageScaled(1, 0.95, lines...)}, Config{}, nil)
	if res.Number != "307" || res.Date != "2023-02-01" {
		t.Errorf("number %q date %q, want 307 of 2023-02-01", res.Number, res.Date)
	}
}

// A speck read as a word inside the number's own box («А-1761 Pt», 9901's
// realistic счёт-фактура 006) is no part of the number, and the gap after
// it, measured from the speck's end, does not cut the date off the title.
func TestTitleSpeckInsideNumber(t *testing.T) {
	t.Parallel()
	lines := []string{
		"СЧЕТ-ФАКТУРА № А-1761 @18 Pt~0.3 @27 от 9 февраля 2025 г. @60 (1)",
		"Продавец: ООО «Ромашка» @60 (2)",
		"ИНН/КПП продавца: 7701234560/770101001 @60 (2б)",
	}
	res := Extract(t.Context(), []pervichka.Page{pageScaled(1, 0.95, lines...)}, Config{}, nil)
	if res.Number != "А-1761" || res.Date != "2025-02-09" {
		t.Errorf("number %q date %q, want А-1761 of 2025-02-09", res.Number, res.Date)
	}
}

// The hyphen of a prefixed number read as another mark («ЦБ = 001578»,
// study seed 10241's realistic УПД 001) joins the prefix and the digits;
// line (5а) printing the same number vouches for it. A mark after digits
// still ends the number, as does «от» read «or» with the day glued on.
func TestTitleNumberHyphenMisread(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ title, want string }{
		{"Универсальный передаточный @20 СЧЕТ-ФАКТУРА № ЦБ = 001578 от 20 июля 2026 г. @80 (1)", "ЦБ-001578"},
		{"Универсальный передаточный @20 СЧЕТ-ФАКТУРА № ЦБ ° 001578 от 20 июля 2026 г. @80 (1)", "ЦБ-001578"},
		{"Универсальный передаточный @20 СЧЕТ-ФАКТУРА № 1578 = 22 от 20 июля 2026 г. @80 (1)", "1578"},
		// «от» read «or» with the day glued on (study seed 10271's
		// photographed УПД 040).
		{"Универсальный передаточный @20 СЧЕТ-ФАКТУРА № ЦБ-001578 or20 июля 2026 г. @80 (1)", "ЦБ-001578"},
	} {
		lines := []string{
			tc.title,
			"Статус: 1 @20 Продавец: ООО «МеталлКонтакт Групп» @80 (2)",
			"@20 ИНН/КПП продавца: 7747527866/774701001 @80 (2б)",
			"@20 Документ об отгрузке № п/п 1-3 № ЦБ-001578 от 20.07.2026 @80 (5а)",
			"@20 Покупатель: ООО «ТеплоАльянс» @80 (6)",
			"@20 ИНН/КПП покупателя: 7749149970/774901001 @80 (6б)",
		}
		res := Extract(t.Context(), []pervichka.Page{pageScaled(1, 0.95, lines...)}, Config{}, nil)
		if string(res.Number) != tc.want {
			t.Errorf("%s: number %q, want %q", tc.title, res.Number, tc.want)
		}
		if tc.want == "ЦБ-001578" && !slices.Contains(res.Evidence["number"], pervichka.EvidenceRepeated) {
			t.Errorf("%s: number not vouched by line (5а): %v", tc.title, res.Evidence["number"])
		}
	}
}
