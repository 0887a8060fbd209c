package ruvalid

import (
	"math"
	"slices"
	"testing"
	"time"

	pervichka "github.com/pervichka/pervichka"
)

func TestVATFromGross(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		gross pervichka.Kopecks
		rate  int
		want  pervichka.Kopecks
	}{
		{12000, 20, 2000},       // 120.00 incl. 20% → 20.00
		{21450000, 20, 3575000}, // 214 500.00 → 35 750.00
		{12200, 22, 2200},
		{11000, 10, 1000},
		{10000, 20, 1667}, // 16.666… → 16.67
		{10000, 22, 1803}, // 18.032… → 18.03
		{10000, 10, 909},  // 9.0909… → 9.09
		{10000, 5, 476},   // 4.7619… → 4.76
		{10000, 7, 654},   // 6.5420… → 6.54
		{3, 20, 1},        // 0.5 kopeck rounds up
		{1, 20, 0},        // 0.1666 rounds down
		{9, 20, 2},        // 1.5 rounds up
		{-9, 20, -2},      // half away from zero for refunds
		{10000, 0, 0},
		{10000, -5, 0},
		{math.MaxInt64, 20, 1537228672809129301}, // no overflow
	} {
		if got := VATFromGross(tc.gross, tc.rate); got != tc.want {
			t.Errorf("VATFromGross(%d, %d) = %d, want %d", tc.gross, tc.rate, got, tc.want)
		}
	}
}

func TestVATFromNet(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		net  pervichka.Kopecks
		rate int
		want pervichka.Kopecks
	}{
		{10000, 20, 2000},
		{10000, 22, 2200},
		{12345, 20, 2469}, // 24.69
		{12345, 22, 2716}, // 27.159 → 27.16
		{5, 10, 1},        // 0.5 → 1
		{4, 10, 0},        // 0.4 → 0
		{-5, 10, -1},
		{10000, 0, 0},
	} {
		if got := VATFromNet(tc.net, tc.rate); got != tc.want {
			t.Errorf("VATFromNet(%d, %d) = %d, want %d", tc.net, tc.rate, got, tc.want)
		}
	}
}

// TestVATGrossNetAgree: VAT taken from a gross amount equals VAT charged on
// the net amount it leaves, within a kopeck.
func TestVATGrossNetAgree(t *testing.T) {
	t.Parallel()
	for _, r := range []int{5, 7, 10, 20, 22} {
		for g := pervichka.Kopecks(0); g < 200000; g += 37 {
			v := VATFromGross(g, r)
			if d := VATFromNet(g-v, r) - v; d < -1 || d > 1 {
				t.Fatalf("rate %d gross %d: VAT %d, from net %d", r, g, v, VATFromNet(g-v, r))
			}
		}
	}
}

func TestLegalVATRates(t *testing.T) {
	t.Parallel()
	msk := time.FixedZone("MSK", 3*3600)
	for _, tc := range []struct {
		date time.Time
		want []string
	}{
		{day(2018, 12, 31), []string{"18", "10", "0", "none"}},
		{day(2019, 1, 1), []string{"20", "10", "0", "none"}},
		{day(2024, 12, 31), []string{"20", "10", "0", "none"}},
		{day(2025, 1, 1), []string{"20", "10", "7", "5", "0", "none"}},
		{day(2025, 12, 31), []string{"20", "10", "7", "5", "0", "none"}},
		{day(2026, 1, 1), []string{"22", "10", "7", "5", "0", "none"}},
		// The calendar day counts, not the instant: 1 Jan 00:30 in Moscow is
		// still 2025 in UTC.
		{time.Date(2026, 1, 1, 0, 30, 0, 0, msk), []string{"22", "10", "7", "5", "0", "none"}},
		{time.Date(2025, 12, 31, 23, 30, 0, 0, msk), []string{"20", "10", "7", "5", "0", "none"}},
	} {
		if got := LegalVATRates(tc.date); !slices.Equal(got, tc.want) {
			t.Errorf("LegalVATRates(%v) = %v, want %v", tc.date, got, tc.want)
		}
	}
}

func TestVATRateLegal(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		rate string
		date time.Time
		want bool
	}{
		{"20", day(2025, 12, 31), true},
		{"20", day(2026, 1, 1), false},
		{"22", day(2025, 12, 31), false},
		{"22", day(2026, 1, 1), true},
		{"22%", day(2026, 1, 1), true},
		{"5", day(2024, 12, 31), false},
		{"5", day(2025, 1, 1), true},
		{"7", day(2025, 6, 1), true},
		{"10", day(2020, 1, 1), true},
		{"0", day(2020, 1, 1), true},
		{"none", day(2020, 1, 1), true},
		{"Без НДС", day(2026, 2, 1), true},
		{"18", day(2025, 1, 1), false},
		{"12", day(2025, 1, 1), false},
		{"mixed", day(2025, 1, 1), false},
		{"", day(2025, 1, 1), false},
	} {
		if got := VATRateLegal(tc.rate, tc.date); got != tc.want {
			t.Errorf("VATRateLegal(%q, %v) = %v, want %v", tc.rate, tc.date.Format(time.DateOnly), got, tc.want)
		}
	}
}
