package ruvalid

import (
	"testing"
	"time"
)

func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

func TestParseDate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"20 марта 2024 г.", day(2024, 3, 20), true},
		{`"20" марта 2024 г.`, day(2024, 3, 20), true},
		{"« 20 » марта 2024", day(2024, 3, 20), true},
		{"«\u00a020\u00a0»\u00a0марта\u00a02024", day(2024, 3, 20), true},
		{"«20» марта 2024 года", day(2024, 3, 20), true},
		{"“01” января 2025г.", day(2025, 1, 1), true},
		{"20.03.2024", day(2024, 3, 20), true},
		{"20.03.24", day(2024, 3, 20), true},
		{"5.3.2024", day(2024, 3, 5), true},
		{"20/03/2024", day(2024, 3, 20), true},
		{"20-03-2024", day(2024, 3, 20), true},
		{"20. 03. 2024", day(2024, 3, 20), true},
		{"2024-03-20", day(2024, 3, 20), true},
		{"20 март 2024", day(2024, 3, 20), true},   // nominative
		{"20 мапта 2024", day(2024, 3, 20), true},  // one OCR error
		{"20 МАРТА 2024", day(2024, 3, 20), true},  // capitals
		{"20 мaртa 2024", day(2024, 3, 20), true},  // Latin a
		{"1 сентяьря 2025", day(2025, 9, 1), true}, // б read as ь
		{"31 мая 2025", day(2025, 5, 31), true},
		{"от 26.06.2025 г.", day(2025, 6, 26), true},
		{"29.02.2024", day(2024, 2, 29), true},
		{"29.02.2023", time.Time{}, false}, // no such day
		{"32.01.2024", time.Time{}, false},
		{"20.13.2024", time.Time{}, false},
		{"20 июпя 2024", time.Time{}, false}, // июня or июля
		{"20 марта", time.Time{}, false},     // no year
		{"марта 2024", time.Time{}, false},
		{"", time.Time{}, false},
	} {
		got, ok := ParseDate(tc.in)
		if ok != tc.ok || !got.Equal(tc.want) {
			t.Errorf("ParseDate(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestFindDates(t *testing.T) {
	t.Parallel()
	type m = DateMatch
	for _, tc := range []struct {
		in   string
		want []DateMatch
	}{
		// The glued trap: the invoice number must not lend digits to the day.
		{"80101911/26.06.2025", []m{{9, 19, day(2025, 6, 26)}}},
		{"Счет на оплату № 15 от 20 марта 2024 г.", []m{{len("Счет на оплату № 15 от "), len("Счет на оплату № 15 от 20 марта 2024 г."), day(2024, 3, 20)}}},
		{`Договор № 7 от "01" февраля 2023 г., доп. соглашение от 15.02.23`,
			[]m{{len("Договор № 7 от "), len(`Договор № 7 от "01" февраля 2023 г.`), day(2023, 2, 1)},
				{len(`Договор № 7 от "01" февраля 2023 г., доп. соглашение от `), len(`Договор № 7 от "01" февраля 2023 г., доп. соглашение от 15.02.23`), day(2023, 2, 15)}}},
		// Digit groups longer than a date's fields give nothing.
		{"123.03.2024", nil},
		{"20.03.20245", nil},
		{"20.003.2024", nil},
		{"20032024", nil},
		{"1234567890", nil},
		{"10.11.12.13", nil}, // dotted numbering, not a date
		{"7.20.03.2024", nil},
		{"сумма 1 234,56.", nil},
		{"Договор № 15/03-2024", nil}, // mixed separators
		{"20 гарантия 2024", nil},
		{"2024 года", nil},
		{"от «\u00a05» мая 2025 г.", []m{{len("от "), len("от «\u00a05» мая 2025 г."), day(2025, 5, 5)}}},
		{"тел. +7 (495) 12-03-24", nil}, // a phone number, not 12.03.2024
		// A closing quote of a name before an unquoted day is not the date's.
		{`ООО "Ромашка" 20 марта 2024`, []m{{len(`ООО "Ромашка" `), len(`ООО "Ромашка" 20 марта 2024`), day(2024, 3, 20)}}},
		{"12,03,24", []m{{0, 8, day(2024, 3, 12)}}},
	} {
		got := FindDates(tc.in)
		if len(got) != len(tc.want) {
			t.Errorf("FindDates(%q) = %v, want %v", tc.in, got, tc.want)
			continue
		}
		for i := range got {
			if got[i].Start != tc.want[i].Start || got[i].End != tc.want[i].End || !got[i].Date.Equal(tc.want[i].Date) {
				t.Errorf("FindDates(%q)[%d] = %+v (%q), want %+v", tc.in, i, got[i], tc.in[got[i].Start:got[i].End], tc.want[i])
			}
		}
	}
}

func TestPlausibleDate(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		d    time.Time
		want bool
	}{
		{day(2026, 11, 27), true},
		{day(2026, 11, 28), true}, // tomorrow: one day of slack
		{day(2026, 11, 29), false},
		{day(2024, 3, 20), true},
		{day(2016, 11, 28), true},
		{day(2016, 11, 26), false},
		{day(1996, 3, 20), false},
	} {
		if got := PlausibleDate(tc.d, now); got != tc.want {
			t.Errorf("PlausibleDate(%v) = %v, want %v", tc.d, got, tc.want)
		}
	}
}
