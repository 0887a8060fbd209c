package ruvalid

import (
	"strings"
	"testing"
	"unicode"

	pervichka "github.com/pervichka/pervichka"
)

func FuzzParseAmountWords(f *testing.F) {
	for _, s := range []string{
		"Двести четырнадцать тысяч пятьсот рублей 00 копеек",
		"Всего к оплате: Сто двадцать рублей 50 копеек.",
		"Двеститысяч пятсот рублей ОО копеек",
		"Минус сто руб. 5О коп.",
		"тысяча миллион", "сто сто", "ноль", "", "\xff\xfe",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, ok := ParseAmountWords(s)
		if !ok {
			if v != 0 {
				t.Fatalf("refused with value %d", v)
			}
			return
		}
		// Whatever was read must survive its own spelling.
		if got, ok2 := ParseAmountWords(AmountInWords(v)); !ok2 || got != v {
			t.Fatalf("read %d from %q, but its spelling reads %d, %v", v, s, got, ok2)
		}
	})
}

func FuzzFindDates(f *testing.F) {
	for _, s := range []string{
		"80101911/26.06.2025", "Счет № 15 от «20» марта 2024 г.", "20.03.24",
		"10.11.12.13", "2024-03-20", "“01” январь 2025г.", "7.20.03.2024", "29.02.2023",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ms := FindDates(s)
		last := 0
		for _, m := range ms {
			if m.Start < last || m.End <= m.Start || m.End > len(s) {
				t.Fatalf("bad span %d:%d after %d in %q", m.Start, m.End, last, s)
			}
			last = m.End
			if !PlausibleDate(m.Date, m.Date) || m.Date.Year() < 1900 || m.Date.Year() > 2099 {
				t.Fatalf("odd date %v in %q", m.Date, s)
			}
			// The matched text read on its own gives the same date.
			d, ok := ParseDate(s[m.Start:m.End])
			if !ok || !d.Equal(m.Date) {
				t.Fatalf("span %q of %q reads %v, %v; want %v", s[m.Start:m.End], s, d, ok, m.Date)
			}
		}
		if d, ok := ParseDate(s); ok != (len(ms) > 0) || (ok && !d.Equal(ms[0].Date)) {
			t.Fatalf("ParseDate disagrees with FindDates on %q", s)
		}
	})
}

func FuzzRepairDigits(f *testing.F) {
	for _, s := range []string{"7707083893", "77О7083893", "800100732259", "7707083898", "1027700132198", "", "ЗЗЗ"} {
		f.Add(s)
	}
	valids := []func(string) bool{ValidINN, ValidOGRN, func(s string) bool { return ValidAccount(s, "044525225") }}
	f.Fuzz(func(t *testing.T, s string) {
		for _, valid := range valids {
			fixed, repaired, ok := RepairDigits(s, valid)
			if ok && !valid(fixed) {
				t.Fatalf("RepairDigits(%q) = %q ok but invalid", s, fixed)
			}
			if !ok && repaired {
				t.Fatalf("RepairDigits(%q) refused yet repaired", s)
			}
			if strings.IndexFunc(fixed, unicode.IsSpace) >= 0 {
				t.Fatalf("RepairDigits(%q) = %q keeps spaces", s, fixed)
			}
			if ok && !repaired && strings.Map(dropSpaces, s) != fixed {
				t.Fatalf("RepairDigits(%q) = %q changed without saying so", s, fixed)
			}
		}
	})
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{`ООО "Ромашка"`, "№ AB–12", "214 500,00", "1,000", "Ромашка, ООО", "и. и."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// Normalising is idempotent: the scorer may normalise twice.
		if n := NormalizeName(s); NormalizeName(n) != n {
			t.Fatalf("NormalizeName not idempotent on %q: %q → %q", s, n, NormalizeName(n))
		}
		if n := NormalizeNumber(s); NormalizeNumber(n) != n {
			t.Fatalf("NormalizeNumber not idempotent on %q: %q → %q", s, n, NormalizeNumber(n))
		}
		if d, ok := NormalizeDecimal(s); ok {
			if _, err := pervichka.ParseKopecks(d); err != nil {
				t.Fatalf("NormalizeDecimal(%q) = %q unparseable", s, d)
			}
			if d2, ok2 := NormalizeDecimal(d); !ok2 || d2 != d {
				t.Fatalf("NormalizeDecimal not idempotent on %q", s)
			}
		}
		if q, ok := NormalizeQuantity(s); ok {
			if q2, ok2 := NormalizeQuantity(q); !ok2 || q2 != q {
				t.Fatalf("NormalizeQuantity not idempotent on %q: %q → %q", s, q, q2)
			}
		}
	})
}
