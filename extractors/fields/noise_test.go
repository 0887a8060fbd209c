package fields

import (
	"context"
	"testing"

	pervichka "github.com/pervichka/pervichka"
)

// OCR noise: look-alike letters, glued labels, other quote marks, a scale
// of the image nothing like 300 dpi, and low word confidences.
func TestExtractOCRNoise(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		lines []string
		scale float64
		conf  float64
		// reread gives Extract a second reading of the page as given
		// (the gate's evidence for the number and date).
		reread bool
		check  func(t *testing.T, r pervichka.Result)
	}{
		{"latin look-alikes in labels", edit(invoice1C, "Счет", "Cчeт", "Поставщик", "Пocтавщик", "Покупатель", "Пoкупатeль"), 1, 0.95, false,
			func(t *testing.T, r pervichka.Result) {
				if r.DocType != pervichka.DocInvoice || r.Supplier.INN != "7701234560" || r.Buyer.INN != "5003123458" {
					t.Errorf("got %s %+v %+v", r.DocType, r.Supplier, r.Buyer)
				}
			}},
		{"glued ИНН/КПП", edit(vatInvoice, "ИНН/КПП продавца: 7701234560/770101001", "ИНН/КПП продавца:7701234560/770101001"), 1, 0.95, false,
			func(t *testing.T, r pervichka.Result) {
				if r.Supplier.INN != "7701234560" || r.Supplier.KPP != "770101001" {
					t.Errorf("supplier %+v", r.Supplier)
				}
			}},
		{"O for 0 in an ИНН", edit(act, "ИНН 7701234560", "ИНН 77O1234560"), 1, 0.95, false,
			func(t *testing.T, r pervichka.Result) {
				if r.Supplier.INN != "7701234560" {
					t.Errorf("supplier %+v", r.Supplier)
				}
			}},
		{"3 for З in a keyword", edit(act, "Заказчик", "3аказчик"), 1, 0.95, false,
			func(t *testing.T, r pervichka.Result) {
				if r.Buyer.INN != "500100732259" {
					t.Errorf("buyer %+v", r.Buyer)
				}
			}},
		{"kopecks split off and a dot for the comma", edit(invoice1C, "@76 14 500,00", "@76 14 500, 00", "2 416,67", "2 416.67"), 1, 0.95, true,
			func(t *testing.T, r pervichka.Result) {
				if r.Total != "14500.00" || r.VATAmount != "2416.67" || r.NeedsReview {
					t.Errorf("total %s vat %s reasons %v", r.Total, r.VATAmount, r.ReviewReasons)
				}
			}},
		{"title word split by OCR", edit(vatInvoice, "^Счет-фактура", "^СЧ ^ЕТ-ФАКТУРА"), 1, 0.95, false,
			func(t *testing.T, r pervichka.Result) {
				if r.DocType != pervichka.DocVATInvoice || r.Number != "318" {
					t.Errorf("got %s %q", r.DocType, r.Number)
				}
			}},
		// The capital «С» read as small «с» in a split title (seed 31's
		// realistic счёт-фактура photo: «сч ЁТ-ФАКТУРА»).
		{"title's first capital read small", edit(vatInvoice, "^Счет-фактура", "^сч ^ЕТ-ФАКТУРА"), 1, 0.95, false,
			func(t *testing.T, r pervichka.Result) {
				if r.DocType != pervichka.DocVATInvoice || r.Number != "318" {
					t.Errorf("got %s %q", r.DocType, r.Number)
				}
			}},
		// Its second letter small too, and the hyphen read as Latin
		// letters (unseen seed 9421's scanned счёт-фактура 044: «сч ЕТ
		// ia ФАКТУРА»): «ч» is shaped like «Ч».
		{"title's small-cap letters read small", edit(vatInvoice, "^Счет-фактура", "^сч ^ЕТ ^ia ^ФАКТУРА"), 1, 0.95, false,
			func(t *testing.T, r pervichka.Result) {
				if r.DocType != pervichka.DocVATInvoice || r.Number != "318" {
					t.Errorf("got %s %q", r.DocType, r.Number)
				}
			}},
		{"a clause's счёт-фактура is no title", edit(vatInvoice, "^Счет-фактура", "^счет-фактура ^в"), 1, 0.95, false,
			func(t *testing.T, r pervichka.Result) {
				if r.DocType == pervichka.DocVATInvoice {
					t.Errorf("got %s %q", r.DocType, r.Number)
				}
			}},
		{"quotes around the day misread", edit(contract, "«01» февраля", "701” февраля"), 1, 0.95, false,
			func(t *testing.T, r pervichka.Result) {
				if r.Date != "2024-02-01" || !hasReason(r, "low_confidence:date") {
					t.Errorf("date %s reasons %v", r.Date, r.ReviewReasons)
				}
			}},
		{"ИНН split by a space", edit(act, "ИНН 7701234560", "ИНН 77012 34560"), 1, 0.95, false,
			func(t *testing.T, r pervichka.Result) {
				if r.Supplier.INN != "7701234560" {
					t.Errorf("supplier %+v", r.Supplier)
				}
			}},
		{"small image", invoice1C, 0.37, 0.93, false,
			func(t *testing.T, r pervichka.Result) {
				if r.Total != "14500.00" || r.Number != "А-17" || r.Buyer.INN != "5003123458" {
					t.Errorf("got %s %s %+v", r.Total, r.Number, r.Buyer)
				}
			}},
		{"large image", contract, 3.1, 0.93, false,
			func(t *testing.T, r pervichka.Result) {
				if r.Supplier.INN != "7701234560" || r.Buyer.INN != "5003123458" || r.Total != "120000.00" {
					t.Errorf("got %+v %+v %s", r.Supplier, r.Buyer, r.Total)
				}
			}},
		{"low confidence everywhere", invoice1C, 1, 0.5, false,
			func(t *testing.T, r pervichka.Result) {
				if !r.NeedsReview {
					t.Error("half-confident OCR was posted without review")
				}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			page := pageScaled(tc.scale, tc.conf, tc.lines...)
			var rr Rereader
			if tc.reread {
				// A second reading that reads the page as given.
				rr = pageRereader{pages: []pervichka.Page{page}, conf: 0.95}
			}
			res := Extract(context.Background(), []pervichka.Page{page}, cfg(), rr)
			tc.check(t, res)
		})
	}
}

// fakeRereader answers re-reads from a table of boxes' texts.
type fakeRereader struct {
	text  string
	conf  float64
	calls int
}

func (f *fakeRereader) ReadLine(_ context.Context, _ int, _ pervichka.Rect, _ string) (string, float64, error) {
	f.calls++
	return f.text, f.conf, nil
}

// A low-confidence ИНН is read again; a reading that passes the check
// digits replaces a misread one.
func TestRereadINN(t *testing.T) {
	t.Parallel()
	lines := edit(act, "ИНН 7701234560", "ИНН 7701234566~0.5")
	rr := &fakeRereader{text: "7701234560", conf: 0.96}
	res := Extract(context.Background(), []pervichka.Page{pageOf(lines...)}, cfg(), rr)
	if rr.calls == 0 {
		t.Fatal("no re-read of a low-confidence ИНН")
	}
	if res.Supplier.INN != "7701234560" || hasReason(res, "inn_checksum:supplier") {
		t.Errorf("supplier %+v, reasons %v", res.Supplier, res.ReviewReasons)
	}
}

// A number OCR read with a confusable separator is re-read; a different
// second reading sends the document to review instead of posting a guess.
func TestRereadNumber(t *testing.T) {
	t.Parallel()
	lines := edit(act, "^№ ^12 ", "^№ ^772126~0.89 ")
	rr := &fakeRereader{text: "772/26", conf: 0.9}
	res := Extract(context.Background(), []pervichka.Page{pageOf(lines...)}, cfg(), rr)
	if !hasReason(res, "low_confidence:number") {
		t.Errorf("number %q conf %v, reasons %v", res.Number, res.Confidence["number"], res.ReviewReasons)
	}
	rr = &fakeRereader{text: "772126", conf: 0.9}
	res = Extract(context.Background(), []pervichka.Page{pageOf(lines...)}, cfg(), rr)
	if hasReason(res, "low_confidence:number") || res.Confidence["number"] < 0.89 {
		t.Errorf("agreeing re-read: conf %v, reasons %v", res.Confidence["number"], res.ReviewReasons)
	}
}

// «772/26» read as «772126» on a document of 2026 cannot be told from a
// real number by OCR alone: it goes to review.
func TestSlashReadAsOne(t *testing.T) {
	t.Parallel()
	lines := edit(act, "^№ ^12 ^от ^31 ^мая ^2025", "^№ ^772125~0.95 ^от ^31 ^мая ^2025")
	res := Extract(context.Background(), []pervichka.Page{pageOf(lines...)}, cfg(), nil)
	if !hasReason(res, "low_confidence:number") {
		t.Errorf("number %q conf %v reasons %v", res.Number, res.Confidence["number"], res.ReviewReasons)
	}
	lines = edit(act, "^№ ^12 ^от ^31 ^мая ^2025", "^№ ^772125 ^от ^31 ^мая ^2025")
	if res := Extract(context.Background(), []pervichka.Page{pageOf(lines...)}, cfg(), nil); hasReason(res, "low_confidence:number") {
		t.Errorf("a text-layer number was doubted: %v", res.ReviewReasons)
	}
}

// The number is checked against other printings of the same document
// (same date), not against a contract's number.
func TestConfirmNumber(t *testing.T) {
	t.Parallel()
	base := edit(act, "^№ ^12 ", "^№ ^770/23 ", "Договор № Д-5 от 10.01.2025", "Договор № 160/23 от 10.01.2025")
	res := Extract(context.Background(), []pervichka.Page{pageOf(base...)}, cfg(), nil)
	if hasReason(res, "low_confidence:number") {
		t.Errorf("a contract's number made the act's doubtful: %v", res.ReviewReasons)
	}
	conflict := append(base[:len(base):len(base)], "Документ об отгрузке № 778/23 от 31.05.2025")
	res = Extract(context.Background(), []pervichka.Page{pageOf(conflict...)}, cfg(), nil)
	if !hasReason(res, "low_confidence:number") {
		t.Errorf("two readings of the number disagree, yet: %v", res.ReviewReasons)
	}
}
