package intake

import (
	"testing"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/storage/db"
)

func TestStatusOf(t *testing.T) {
	result := func(reasons string) []byte {
		return []byte(`{"needs_review": true, "review_reasons": [` + reasons + `]}`)
	}
	for _, tc := range []struct {
		name string
		f    db.IntakeFile
		doc  db.Document
		want Status
	}{
		{"refused", db.IntakeFile{RefusalCode: "too_large"}, db.Document{}, StatusRefused},
		{"received", db.IntakeFile{DocumentID: 1}, db.Document{State: db.StateReceived}, StatusReceived},
		{"processing", db.IntakeFile{DocumentID: 1}, db.Document{State: db.StateProcessing}, StatusProcessing},
		{"auto approved", db.IntakeFile{DocumentID: 1}, db.Document{State: db.StateAutoApproved}, StatusAccepted},
		{"posted", db.IntakeFile{DocumentID: 1}, db.Document{State: db.StatePosted}, StatusAccepted},
		{"rejected", db.IntakeFile{DocumentID: 1}, db.Document{State: db.StateRejected}, StatusRejected},
		{"failed corrupt", db.IntakeFile{DocumentID: 1}, db.Document{State: db.StateFailed, FailureCode: pervichka.CodeCorrupt}, StatusBetterPhoto},
		{"failed ocr", db.IntakeFile{DocumentID: 1}, db.Document{State: db.StateFailed, FailureCode: pervichka.CodeOCR}, StatusBetterPhoto},
		{"failed internal", db.IntakeFile{DocumentID: 1}, db.Document{State: db.StateFailed, FailureCode: pervichka.CodeInternal}, StatusFailed},
		{"failed encrypted", db.IntakeFile{DocumentID: 1}, db.Document{State: db.StateFailed, FailureCode: pervichka.CodeEncrypted}, StatusRefused},
		{"failed too many pages", db.IntakeFile{DocumentID: 1}, db.Document{State: db.StateFailed, FailureCode: pervichka.CodeTooManyPages}, StatusRefused},
		{"review: type unknown", db.IntakeFile{DocumentID: 1},
			db.Document{State: db.StateNeedsReview, Result: result(`"doc_type_unknown", "missing:number"`)}, StatusBetterPhoto},
		{"review: four key fields unreadable", db.IntakeFile{DocumentID: 1},
			db.Document{State: db.StateNeedsReview, Result: result(`"missing:number", "missing:date", "low_confidence:total", "low_confidence:supplier.inn"`)}, StatusBetterPhoto},
		{"review: the same field twice counts once", db.IntakeFile{DocumentID: 1},
			db.Document{State: db.StateNeedsReview, Result: result(`"missing:number", "low_confidence:number", "missing:date", "missing:total"`)}, StatusAccepted},
		{"review: non-key fields do not count", db.IntakeFile{DocumentID: 1},
			db.Document{State: db.StateNeedsReview, Result: result(`"missing:a", "missing:b", "missing:c", "missing:d", "missing:total"`)}, StatusAccepted},
		{"review: a checksum is the accountant's", db.IntakeFile{DocumentID: 1},
			db.Document{State: db.StateNeedsReview, Result: result(`"inn_checksum:buyer", "items_sum_mismatch"`)}, StatusAccepted},
	} {
		if got := StatusOf(tc.f, tc.doc); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
		if tc.want.Label() == string(tc.want) {
			t.Errorf("%s: no Russian label", tc.want)
		}
	}
}
