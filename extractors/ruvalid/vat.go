package ruvalid

import (
	"strings"
	"time"

	pervichka "github.com/pervichka/pervichka"
)

// roundDiv divides n by a positive d rounding half away from zero, the way
// accountants round to the kopeck.
func roundDiv(n, d int64) int64 {
	if n < 0 {
		return -((-n + d/2) / d)
	}
	return (n + d/2) / d
}

// VATFromGross is the VAT contained in an amount that includes it:
// gross × r/(100+r), rounded half-up to the kopeck. The amount is split
// before multiplying so that no Kopecks value overflows. A rate ≤ 0 gives 0.
func VATFromGross(gross pervichka.Kopecks, ratePct int) pervichka.Kopecks {
	if ratePct <= 0 {
		return 0
	}
	g, r := int64(gross), int64(ratePct)
	d := 100 + r
	q, rem := g/d, g%d
	return pervichka.Kopecks(q*r + roundDiv(rem*r, d))
}

// VATFromNet is the VAT charged on an amount without it: net × r/100,
// rounded half-up to the kopeck. A rate ≤ 0 gives 0.
func VATFromNet(net pervichka.Kopecks, ratePct int) pervichka.Kopecks {
	if ratePct <= 0 {
		return 0
	}
	n, r := int64(net), int64(ratePct)
	q, rem := n/100, n%100
	return pervichka.Kopecks(q*r + roundDiv(rem*r, 100))
}

// Dates when VAT rates changed (Tax Code art. 164 as amended).
var (
	vat20From     = time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC) // 18% → 20%
	vat22From     = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) // 20% → 22%
	vatUSNRatesOn = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC) // 5% and 7% for УСН payers
)

// calendarDay is the date's own year, month and day as a UTC midnight, so
// that a document date carried in any location compares by its calendar day.
func calendarDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// LegalVATRates lists the VAT rates a document dated date may carry, in the
// output form of Result.VATRate: the general rate ("18" before 2019, "20"
// from 2019 to 2025, "22" from 2026), the reduced "10", the УСН rates "7"
// and "5" from 2025, export "0", and pervichka.VATNone («Без НДС»).
func LegalVATRates(date time.Time) []string {
	d := calendarDay(date)
	general := "20"
	switch {
	case d.Before(vat20From):
		general = "18"
	case !d.Before(vat22From):
		general = "22"
	}
	rates := []string{general, "10"}
	if !d.Before(vatUSNRatesOn) {
		rates = append(rates, "7", "5")
	}
	return append(rates, "0", pervichka.VATNone)
}

// VATRateLegal reports whether rate (as in Result.VATRate; "20%" and
// «Без НДС» are accepted too) was a legal VAT rate on date.
func VATRateLegal(rate string, date time.Time) bool {
	r := strings.ToLower(strings.TrimSpace(rate))
	r = strings.TrimSpace(strings.TrimSuffix(r, "%"))
	switch r {
	case "без ндс", "ндс не облагается", "не облагается":
		r = pervichka.VATNone
	}
	for _, l := range LegalVATRates(date) {
		if r == l {
			return true
		}
	}
	return false
}

// RowAddsUp reports whether a table row's amount is its quantity ×
// price, with the row's VAT on top (or below: some forms print the amount
// without it) when hasVAT, or its rate on top when ratePct > 0, give or
// take a price printed rounded to the kopeck: half a kopeck per unit, and
// one more (doubled with the rate on top). qtyMilli is the quantity in
// thousandths; the product is rounded half up. The engine's gate and the
// clerk's live check use the same rule, so that a row the engine doubts
// is the row the clerk sees warned.
func RowAddsUp(qtyMilli int64, price, amount, vat pervichka.Kopecks, hasVAT bool, ratePct int) bool {
	prod := pervichka.Kopecks((int64(price)*qtyMilli + 500) / 1000)
	tol := pervichka.Kopecks(qtyMilli/2000 + 1)
	near := func(a, b pervichka.Kopecks) bool { d := a - b; return d <= tol && d >= -tol }
	switch {
	case near(prod, amount):
		return true
	case hasVAT && (near(prod+vat, amount) || near(prod, amount+vat)):
		return true
	case ratePct > 0 && near((prod+VATFromNet(prod, ratePct)-amount)/2, 0):
		return true
	}
	return false
}
