package fields

import (
	"context"
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
