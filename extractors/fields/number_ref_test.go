package fields

import (
	"strings"
	"testing"

	pervichka "github.com/pervichka/pervichka"
)

// A contract reference is read from «Основание: Договор № … от …»; a form's
// blank «№___________» is no number (real-dev's bill 171672 gave the
// underscores as the contract's number, sure).
func TestContractRefBlank(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		line, number, date string
	}{
		{"Основание: Договор № 12/3 от 01.02.2025", "12/3", "2025-02-01"},
		{"Договор №___________ от ___________", "", ""},
		{"Договор № --- от ---", "", ""},
		// The label garbled (seed 9301's scanner-app ТОРГ-12 004); a word
		// that is no «Основание» before «Договор» is no label.
		{"Поставщик @20 Основамие Договор № 47/01-23 от 14.01.2023", "47/01-23", "2023-01-14"},
		{"Поставщик @20 Расторгнутый Договор № 47/01-23 от 14.01.2023", "", ""},
		// The date wrapped by running text (unseen seed 9421's acts 011
		// and 018); a date wholly on the next line is not the reference's.
		{"Заказчик принял следующие услуги по договору № 129/26 от 9 января\n2026 г.:", "129/26", "2026-01-09"},
		{"Заказчик принял следующие услуги по договору № 129/26\n9 января 2026 г.:", "129/26", ""},
	} {
		lines := append([]string{
			"^Счет ^на ^оплату ^№ ^315 от 15 сентября 2025 г.",
			"Поставщик: ООО «Ромашка», ИНН 7810109760, КПП 781001001",
		}, strings.Split(tc.line, "\n")...)
		res := Extract(t.Context(), []pervichka.Page{pageScaled(1, 1, lines...)}, Config{}, nil)
		var num, date pervichka.Text
		if res.ContractRef != nil {
			num, date = res.ContractRef.Number, res.ContractRef.Date
		}
		if string(num) != tc.number || string(date) != tc.date {
			t.Errorf("%q: contract %q of %q, want %q of %q", tc.line, num, date, tc.number, tc.date)
		}
	}
}

// «от» with the day glued on ends the number before it, as «от» does (seed
// 9201's scanner-app УПД 010: «№ 1838 от27 января 2025 г.» gave the number
// «1838 от27 января»).
func TestNumberBeforeGluedOt(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ line, want string }{
		{"^Счет ^на ^оплату ^№ ^1838 от27 января 2025 г.", "1838"},
		{"^Счет ^на ^оплату ^№ ^1838 oт5 января 2025 г.", "1838"},
		{"^Счет ^на ^оплату ^№ ^УТ-15 от 27 января 2025 г.", "УТ-15"},
		// The sign's circle read apart as Latin letters (seed 9301's
		// realistic УПД 009: «№ lo 1752»).
		{"^Счет ^на ^оплату ^№ lo ^1752 от 30 июня 2026 г.", "1752"},
		{"^Счет ^на ^оплату ^№ о ^1752 от 30 июня 2026 г.", "1752"},
		{"^Счет ^на ^оплату ^№ AB ^1752 от 30 июня 2026 г.", "AB 1752"},
	} {
		lines := buildLines([]pervichka.Page{pageScaled(1, 0.95, tc.line)})
		typ, _, ti := classify(lines)
		if typ != pervichka.DocInvoice || ti == nil {
			t.Fatalf("%q: classified %s, title %v", tc.line, typ, ti)
		}
		if n := titleNumber(ti); n.text != tc.want {
			t.Errorf("%q: number %q, want %q", tc.line, n.text, tc.want)
		}
	}
}

// An OCR'd contract number printed once is not shown as sure: the slash
// of «113/24» read as a 1 (unseen seed 9311) looks like any number. A
// second printing that reads alike, or a text layer, lets it stand.
func TestContractRefReadOnceNotSure(t *testing.T) {
	t.Parallel()
	head := []string{
		"^Счет ^на ^оплату ^№ ^315 от 15 сентября 2025 г.",
		"Поставщик: ООО «Ромашка», ИНН 7810109760, КПП 781001001",
		"Основание: Договор № 113124 от 01.02.2025",
	}
	for _, tc := range []struct {
		name  string
		conf  float64
		lines []string
		sure  bool
	}{
		{"OCR, once", 0.97, head, false},
		{"OCR, printed twice", 0.97, append(append([]string{}, head...), "Оплата по договору № 113124 от 01.02.2025"), true},
		{"text layer", 1, head, true},
	} {
		res := Extract(t.Context(), []pervichka.Page{pageScaled(1, tc.conf, tc.lines...)}, Config{}, nil)
		if res.ContractRef == nil || res.ContractRef.Number != "113124" {
			t.Fatalf("%s: contract %+v", tc.name, res.ContractRef)
		}
		if got := res.Confidence["contract_ref.number"] >= 0.95; got != tc.sure {
			t.Errorf("%s: confidence %.2f, sure %v, want %v", tc.name, res.Confidence["contract_ref.number"], got, tc.sure)
		}
	}
}

// A Cyrillic «Л» read as the Latin «JI» among Latin twins of Cyrillic
// letters is mended, and the run turned Cyrillic; a Latin word with a
// letter of its own is left.
func TestLatinEl(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"MJIP00077331", "МЛР00077331", true}, // real-dev's bill 18-13-02
		{"JIT-15", "ЛТ-15", true},
		{"МJIР-7", "МЛР-7", true},
		{"JIRA-12", "JIRA-12", false},
		{"MP-12", "MP-12", false},
		{"12/JI", "12/Л", true},
	} {
		got, ok := latinEl(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("latinEl(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
	res := Extract(t.Context(), []pervichka.Page{pageScaled(1, 0.95,
		"Счет на оплату № MJIP00077331 от 14 ноября 2025 г.",
		"Поставщик: ООО «Ромашка», ИНН 7701234560, КПП 770101001",
		"Покупатель: ООО «ТеплоАльянс», ИНН 7749149970, КПП 774901001",
	)}, Config{}, nil)
	if res.Number != "МЛР00077331" || res.Confidence["number"] > disagreedCap {
		t.Errorf("number %q at %.2f, want МЛР00077331 at ≤ %.2f", res.Number, res.Confidence["number"], disagreedCap)
	}
}
