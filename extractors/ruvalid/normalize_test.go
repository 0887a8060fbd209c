package ruvalid

import "testing"

func TestNormalizeName(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ a, b string }{
		{`ООО "Ромашка"`, "Общество с ограниченной ответственностью «Ромашка»"},
		{`ООО «Ромашка»`, "ооо ромашка"},
		{`ПАО "Сбербанк России"`, "Публичное акционерное общество «Сбербанк России»"},
		{`АО "Тандер"`, "Акционерное общество „Тандер“"},
		{`ЗАО «Звезда»`, "Закрытое  акционерное\nобщество «Звезда»"},
		{`НАО "Север"`, "Непубличное акционерное общество «Север»"},
		{"ИП Иванов Иван Иванович", "Индивидуальный предприниматель Иванов Иван Иванович"},
		{"ИП Иванов И. И.", "ип иванов и.и."},
		{`ООО "Ёлка"`, `ООО "Елка"`},
		{`Ромашка, ООО`, `ООО «Ромашка»`},
		{`OOO "Ромашка"`, `ООО "Ромашка"`}, // Latin O's
		{`ООО "Pомашка"`, `ООО "Ромашка"`}, // Latin P inside a Cyrillic word
		{`ООО 'Siemens'`, `ооо siemens`},   // an all-Latin name stays Latin
	} {
		if na, nb := NormalizeName(tc.a), NormalizeName(tc.b); na != nb {
			t.Errorf("NormalizeName(%q) = %q, NormalizeName(%q) = %q; want equal", tc.a, na, tc.b, nb)
		}
	}
	for _, tc := range []struct{ a, b string }{
		{`ООО "Ромашка"`, `АО "Ромашка"`},
		{`ООО "Ромашка"`, `ООО "Ромашка-2"`},
		{`ПАО "Сбербанк"`, `АО "Сбербанк"`},
	} {
		if na, nb := NormalizeName(tc.a), NormalizeName(tc.b); na == nb {
			t.Errorf("NormalizeName(%q) == NormalizeName(%q) == %q; want different", tc.a, tc.b, na)
		}
	}
	if got := NormalizeName(`  Общество с ограниченной ответственностью  "Ромашка" `); got != "ооо ромашка" {
		t.Errorf("NormalizeName = %q", got)
	}
}

func TestNormalizeNumber(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"№ 123", "123"},
		{"№123-А", "123-А"},
		{"AB–12/3", "АВ-12/3"}, // Latin letters, en dash
		{"ав‑12/3", "АВ-12/3"}, // Cyrillic lower case, non-breaking hyphen
		{"77 07 083893", "7707083893"},
		{"УТ-000123.", "УТ-000123"},
		{"ТK—5", "ТК-5"},
		{"INV-7", "INV-7"}, // letters without look-alikes stay
	} {
		if got := NormalizeNumber(tc.in); got != tc.want {
			t.Errorf("NormalizeNumber(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestFoldLookalikes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ a, b string }{
		{"Картридж HP 85A", "картридж НР 85А"},
		{"ИБП APC Back-UPS", "ИБП АРС Back-UPS"},
		{"ГКЛ 50x40", "ГКЛ 50х40"},
	} {
		if FoldLookalikes(tc.a) != FoldLookalikes(tc.b) {
			t.Errorf("%q and %q fold to %q and %q", tc.a, tc.b, FoldLookalikes(tc.a), FoldLookalikes(tc.b))
		}
	}
	for _, tc := range []struct{ a, b string }{
		{"Цемент Д0", "Цемент ДО"}, // a zero is not an О
		{"Lenovo", "Леново"},
	} {
		if FoldLookalikes(tc.a) == FoldLookalikes(tc.b) {
			t.Errorf("%q and %q fold alike", tc.a, tc.b)
		}
	}
}

func TestNormalizeDecimal(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"214 500,00", "214500.00", true},
		{"214500", "214500.00", true},
		{"214500.0", "214500.00", true},
		{"214\u00a0500,5", "214500.50", true},
		{"1.234.567,89", "1234567.89", true},
		{"1,234,567.89", "1234567.89", true},
		{"1'234.50", "1234.50", true},
		{"12.500", "12.50", true},
		{"-15,00", "-15.00", true},
		{"12.345", "", false},
		{"12,3,4", "", false},
		{"abc", "", false},
		{"", "", false},
	} {
		got, ok := NormalizeDecimal(tc.in)
		if ok != tc.ok || got != tc.want {
			t.Errorf("NormalizeDecimal(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestNormalizeQuantity(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"1", "1", true},
		{"1,000", "1", true},
		{"1.00", "1", true},
		{"2.50", "2.5", true},
		{"1 234,125", "1234.125", true},
		{"0,5", "0.5", true},
		{"007", "7", true},
		{"0.000", "0", true},
		{"1.2345", "", false},
		{"1.23450", "", false},
		{"шт", "", false},
		{"", "", false},
		{".5", "", false},
	} {
		got, ok := NormalizeQuantity(tc.in)
		if ok != tc.ok || got != tc.want {
			t.Errorf("NormalizeQuantity(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestLegalFormLookalike(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"000", "ООО", true}, {"OOO", "ООО", true}, {"0О0", "ООО", true}, {"3AO", "ЗАО", true},
		{"A0", "АО", true}, {"ПAO", "ПАО", true}, {"ООО", "ООО", true}, {"000,", "ООО", true},
		{"100", "", false}, {"00", "", false}, {"ООО1", "", false}, {"", "", false}, {"MK", "", false},
		{"999", "ООО", true}, {"0900", "ООО", true}, {"9AO", "ОАО", true}, {"90", "", false}, {"00000", "", false},
	} {
		got, ok := LegalFormLookalike(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("LegalFormLookalike(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestFixMixedScript(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"ИП Mакaровa", "ИП Макарова"},               // mixed words
		{"OOO «Ромашка»", "ООО «Ромашка»"},           // a legal form in Latin
		{"ООО «Lenovo»", "ООО «Lenovo»"},             // a Latin brand stays
		{"ООО “TK Ориентир\"", "ООО “ТК Ориентир\""}, // an abbreviation beside a Russian word
		{"AO\"MK \"ВЫСОТА\"", "АО\"МК \"ВЫСОТА\""},
		{"ООО \"IT Решения\"", "ООО \"IT Решения\""},     // I has no Cyrillic twin
		{"АО \"KPMG\"", "АО \"KPMG\""},                   // no Russian word of its own
		{"ООО \"TK\"", "ООО \"TK\""},                     // only a legal form beside it
		{"ООО \"Mapc Групп\"", "ООО \"Mapc Групп\""},     // lower case: a word, not an abbreviation
		{"ООО \"MOTEK Сервис\"", "ООО \"MOTEK Сервис\""}, // longer than an abbreviation
	} {
		if got := FixMixedScript(c.in); got != c.want {
			t.Errorf("FixMixedScript(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestFixShortI(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"УРАЛЬСКИИ БАНК ПАО СБЕРБАНК", "УРАЛЬСКИЙ БАНК ПАО СБЕРБАНК"},
		{"Филиал Центральныи", "Филиал Центральный"},
		{"ГУ Банка России", "ГУ Банка России"},
		{"ПАО КОМПАНИИ", "ПАО КОМПАНИИ"},
		{"Уральский банк", "Уральский банк"},
		{"ИИ", "ИИ"},
	} {
		if got := FixShortI(tc.in); got != tc.want {
			t.Errorf("FixShortI(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
