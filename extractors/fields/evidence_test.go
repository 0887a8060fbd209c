package fields

import (
	"context"
	"slices"
	"testing"

	pervichka "github.com/pervichka/pervichka"
)

// Each invariant of the gate fires on a document that breaks it (the clean
// invoice1C breaks none: TestExtractInvoice1C).
func TestGateInvariants(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		lines  []string
		reason string
	}{
		{"VAT over the total", edit(invoice1C, "2 416,67", "16 416,67"), "vat_over_total"},
		{"VAT no rate explains", edit(invoice1C, "НДС 20%:", "НДС:", "2 416,67", "2 500,00"), "vat_mismatch"},
		{"row without its amount", edit(invoice1C, "@52 2 @58 шт @64 5 000,00 @74 10 000,00", "@52 2 @58 шт"), "items_unread"},
		{"debris in the number", edit(invoice1C, "^А-17 ", "^С®-17 "), "number_charset"},
		{"date before 2000", edit(invoice1C, "^2024", "^1999"), "date_implausible"},
		{"title read as a name", edit(invoice1C, "Поставщик @12 ООО «Ромашка»,", "Поставщик @12 Счет на оплату № 1586,", "ООО «Ромашка»", "Счет на оплату № 1586"), "name_invalid:supplier"},
		{"street read as a name", edit(invoice1C, "Покупатель @12 ООО «Лютик»,", "Покупатель @12 Дубининская,"), "name_invalid:buyer"},
		{"one name for both sides", edit(invoice1C, "ООО «Лютик»", "ООО «Ромашка»"), "name_invalid:buyer"},
		{"invoice with a УПД's form", append(append([]string{}, invoice1C...), "Универсальный передаточный документ", "Статус: 1"), "doc_type_markers"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := Extract(context.Background(), []pervichka.Page{pageOf(tc.lines...)}, cfg(), nil)
			if !hasReason(res, tc.reason) || !res.NeedsReview {
				t.Errorf("review %v, reasons %v; want %q", res.NeedsReview, res.ReviewReasons, tc.reason)
			}
		})
	}
}

// A key field is approved only on evidence: on an OCR'd page the number
// and date need a second reading that agrees, an ИНН more than its check
// digit, and what vouched is recorded.
func TestGateEvidence(t *testing.T) {
	t.Parallel()
	ocr := pageScaled(1, 0.95, invoice1C...)
	// The supplier's ИНН printed once: only the Поставщик row.
	once := pageScaled(1, 0.95, edit(invoice1C, "ИНН 7701234560 @25 КПП 770101001 @60", "@60")...)
	noVAT := edit(invoice1C, "@60 В том числе НДС 20%: @76 2 416,67", "@60 Без налога (НДС)")
	for _, tc := range []struct {
		name        string
		page        pervichka.Page
		rr          Rereader
		review      bool
		unconfirmed []string
		evidence    map[string][]string // each must be among the field's evidence
	}{
		{"text layer", pageOf(invoice1C...), nil, false, nil, map[string][]string{
			"number": {"pdf_text"}, "date": {"pdf_text"}, "supplier.inn": {"check_digit", "pdf_text", "repeated"},
			"buyer.inn": {"check_digit", "own_company"}, "total": {"items_sum", "amount_words", "repeated"},
			"vat_amount": {"vat_rate"}, "doc_type": {"form_markers"}, "buyer.name": {"own_company"}, "supplier.name": {"repeated"}}},
		{"OCR without a second reading", ocr, nil, true, []string{"number", "date"}, map[string][]string{
			"supplier.inn": {"check_digit", "repeated"}, "total": {"items_sum", "amount_words"}}},
		{"OCR read twice", ocr, pageRereader{pages: []pervichka.Page{ocr}, conf: 0.95}, false, nil, map[string][]string{
			"number": {"second_reading"}, "date": {"second_reading"}, "supplier.inn": {"second_reading"}}},
		{"ИНН printed once, second reading illegible", once, &fakeRereader{text: "", conf: 0.3}, true, []string{"number", "date", "supplier.inn"}, map[string][]string{
			"supplier.inn": {"check_digit"}}},
		{"без НДС", pageOf(noVAT...), nil, false, nil, map[string][]string{"vat_amount": {"no_vat"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := Extract(context.Background(), []pervichka.Page{tc.page}, cfg(), tc.rr)
			if res.NeedsReview != tc.review {
				t.Errorf("needs_review %v, reasons %v", res.NeedsReview, res.ReviewReasons)
			}
			for _, f := range pervichka.KeyFields {
				if got, want := hasReason(res, "unconfirmed:"+f), slices.Contains(tc.unconfirmed, f); got != want {
					t.Errorf("unconfirmed:%s %v, want %v (evidence %v)", f, got, want, res.Evidence[f])
				}
			}
			for f, kinds := range tc.evidence {
				for _, k := range kinds {
					if !slices.Contains(res.Evidence[f], k) {
						t.Errorf("%s evidence %v lacks %s", f, res.Evidence[f], k)
					}
				}
			}
		})
	}
}

// A total of zero is not read from figures (they skip 0,00), but a total
// may come from a second reading or the amount in words: the invariant
// holds whatever the source, with the VAT larger than it (the УПД that was
// approved with total 0.00 and VAT 129454.55).
func TestGateZeroTotal(t *testing.T) {
	t.Parallel()
	x := newExtraction(context.Background(), nil, cfg(), nil)
	x.total, x.totalK = value{text: "0.00", conf: 0.95}, 0
	x.vat, x.vatK = value{text: "129454.55", conf: 0.95}, 12945455
	x.invariants()
	for _, r := range []string{"total_not_positive", "vat_over_total", "vat_mismatch"} {
		if !slices.Contains(x.reasons, r) {
			t.Errorf("reasons %v lack %s", x.reasons, r)
		}
	}
}

func TestNumberCharset(t *testing.T) {
	t.Parallel()
	for s, ok := range map[string]bool{"А-17": true, "772/26": true, "УТ-001288": true, "15.24_3 b": true,
		"С®-2647": false, "12|4": false, "«17»": false, "©1": false, "№12": false} {
		if numberCharsetOK(s) != ok {
			t.Errorf("%q: %v, want %v", s, !ok, ok)
		}
	}
}
