package fields

import (
	"context"
	"slices"
	"strings"
	"testing"

	pervichka "github.com/pervichka/pervichka"
)

// An amount in words that disagrees with rows adding up to the total only
// as OCR misreads the line — a kopeck digit read as its OCR twin, or a
// numeral word lost so that the rouble word no longer goes with the
// numeral — is no reading of the total: it neither vouches nor holds the
// document (10231's realistic bill 002 and ТОРГ-12 008). Words that say
// another amount still hold it.
func TestMisreadAmountWords(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		words    string
		mismatch bool
	}{
		{"Четырнадцать тысяч пятьсот рублей 00 копеек", false},
		{"Четырнадцать тысяч пятьсот рублей 08 копеек", false},
		{"Четырнадцать тысяч рубль 00 копеек", false},
		{"Четырнадцать тысяч пятьсот рублей 02 копейки", true},
		{"Тринадцать тысяч пятьсот рублей 00 копеек", true},
		{"Четырнадцать тысяч рублей 00 копеек", true},
	} {
		lines := edit(invoice1C, "Четырнадцать тысяч пятьсот рублей 00 копеек", tc.words)
		ocr := pageScaled(1, 0.95, lines...)
		res := Extract(context.Background(), []pervichka.Page{ocr}, cfg(), pageRereader{pages: []pervichka.Page{ocr}, conf: 0.95})
		if res.Total != "14500.00" {
			t.Fatalf("%s: total %q", tc.words, res.Total)
		}
		if got := hasReason(res, pervichka.ReasonAmountWords); got != tc.mismatch {
			t.Errorf("%s: amount_words_mismatch %v, want %v (%v)", tc.words, got, tc.mismatch, res.ReviewReasons)
		}
		if !tc.mismatch && res.NeedsReview {
			t.Errorf("%s: held: %v", tc.words, res.ReviewReasons)
		}
	}
}

// A total read from the amount in words alone, no figure and no rows
// read, is one reading: the words do not vouch for it, and it is not shown
// as sure (study seed 10251's realistic bill 013 showed 45,39 at 0.9, the
// tail of «Пятьдесят одна тысяча девятьсот сорок пять рублей 39 копеек»).
func TestTotalFromWordsAlone(t *testing.T) {
	t.Parallel()
	var lines []string
	for _, l := range invoice1C {
		if strings.Contains(l, "@74") || strings.Contains(l, "@76") || strings.HasPrefix(l, "@4") || strings.HasPrefix(l, "Всего наименований") {
			continue // the table and every figure of the totals
		}
		lines = append(lines, l)
	}
	ocr := pageScaled(1, 0.95, lines...)
	res := Extract(context.Background(), []pervichka.Page{ocr}, cfg(), pageRereader{pages: []pervichka.Page{ocr}, conf: 0.95})
	if res.Total != "14500.00" || len(res.Items) != 0 {
		t.Fatalf("total %q, %d items", res.Total, len(res.Items))
	}
	if c := res.Confidence["total"]; c >= DefaultMinConfidence {
		t.Errorf("total shown at %.2f", c)
	}
	if slices.Contains(res.Evidence["total"], pervichka.EvidenceAmountWords) {
		t.Errorf("the words vouch for themselves: %v", res.Evidence["total"])
	}
	if !res.NeedsReview || !slices.Contains(res.ReviewReasons, pervichka.ReasonUnconfirmed+":total") {
		t.Errorf("not held for the total: %v", res.ReviewReasons)
	}
}
