package fields

import (
	"context"
	"slices"
	"strings"
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
		{"no digit in the number", edit(invoice1C, "^А-17 ", "^Р "), "number_charset"},
		{"date before 2000", edit(invoice1C, "^2024", "^1999"), "date_implausible"},
		{"title read as a name", edit(invoice1C, "Поставщик @12 ООО «Ромашка»,", "Поставщик @12 Счет на оплату № 1586,", "ООО «Ромашка»", "Счет на оплату № 1586"), "name_invalid:supplier"},
		{"street read as a name", edit(invoice1C, "Покупатель @12 ООО «Лютик»,", "Покупатель @12 Дубининская,"), "name_invalid:buyer"},
		{"one name for both sides", edit(invoice1C, "ООО «Лютик»", "ООО «Ромашка»"), "name_invalid:buyer"},
		{"two legal forms", edit(invoice1C, "Поставщик @12 ООО «Ромашка»,", "Поставщик @12 Общество с ограниченной ответственностью АО «Ромашка»,"), "name_invalid:supplier"},
		{"date in a name", edit(invoice1C, "Поставщик @12 ООО «Ромашка»,", "Поставщик @12 ООО Ромашка 19.08.2026,"), "name_invalid:supplier"},
		{"invoice with a УПД's form", append(append([]string{}, invoice1C...), "Универсальный передаточный документ", "Статус: 1"), "doc_type_markers"},
		// 10181's realistic счёт-фактура 001 took the currency line for
		// the buyer and showed it at 0.90.
		{"currency read as a name", edit(invoice1C, "Покупатель @12 ООО «Лютик»,", "Покупатель @12 Российский. рубль 643,"), "name_invalid:buyer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := Extract(context.Background(), []pervichka.Page{pageOf(tc.lines...)}, cfg(), nil)
			if !hasReason(res, tc.reason) || !res.NeedsReview {
				t.Errorf("review %v, reasons %v; want %q", res.NeedsReview, res.ReviewReasons, tc.reason)
			}
			// A name that is no name is not shown as sure either.
			if side, ok := strings.CutPrefix(tc.reason, "name_invalid:"); ok {
				if c := res.Confidence[side+".name"]; c > disagreedCap {
					t.Errorf("%s.name %q shown at %.2f", side, map[string]pervichka.Text{"supplier": res.Supplier.Name, "buyer": res.Buyer.Name}[side], c)
				}
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
		"С®-2647": false, "12|4": false, "«17»": false, "©1": false, "№12": false,
		"Р": false, "АБ-В": false} { // no digit (unseen seed 9911's realistic счёт-фактура 001: «Р» at 0.97)
		if numberCharsetOK(s) != ok {
			t.Errorf("%q: %v, want %v", s, !ok, ok)
		}
	}
}

// A number breaking the charset invariant is not shown as sure: «Р» read
// and re-read alike stood at 0.97 (unseen seed 9911's realistic
// счёт-фактура 001).
func TestNumberCharsetNotSure(t *testing.T) {
	t.Parallel()
	res := Extract(context.Background(), []pervichka.Page{pageScaled(1, 0.97, edit(invoice1C, "^А-17 ", "^Р ")...)}, cfg(), nil)
	if res.Number != "Р" || res.Confidence["number"] > disagreedCap {
		t.Errorf("number %q at %.2f, want «Р» at %.2f or less", res.Number, res.Confidence["number"], disagreedCap)
	}
}

// The holes the mutation soak found (docs/benchmarks.md): evidence that
// vouched for a value other than the one delivered.
func TestGateNameHoles(t *testing.T) {
	t.Parallel()
	ocr := func(lines ...string) pervichka.Page { return pageScaled(1, 0.95, lines...) }
	twice := func(p pervichka.Page) Rereader { return pageRereader{pages: []pervichka.Page{p}, conf: 0.95} }

	// Latin look-alikes inside a Cyrillic word: the value is delivered in
	// Cyrillic, so that the repeated printing vouches for what is posted.
	look := ocr(edit(invoice1C, "Поставщик @12 ООО «Ромашка»,", "Поставщик @12 ООО «Poмaшкa»,")...)
	res := Extract(context.Background(), []pervichka.Page{look}, cfg(), twice(look))
	if res.Supplier.Name != "ООО «Ромашка»" {
		t.Errorf("look-alikes: supplier name %q, want ООО «Ромашка»", res.Supplier.Name)
	}

	// An all-Latin word is not a Cyrillic one: «Mapc» is not vouched for
	// by «Марс» printed again.
	latin := ocr(edit(invoice1C, "ООО «Ромашка»", "ООО «Марс»", "Поставщик @12 ООО «Марс»,", "Поставщик @12 ООО «Mapc»,")...)
	res = Extract(context.Background(), []pervichka.Page{latin}, cfg(), nil)
	if slices.Contains(res.Evidence["supplier.name"], "repeated") {
		t.Errorf("all-Latin %q vouched for by the Cyrillic printing: %v", res.Supplier.Name, res.Evidence["supplier.name"])
	}

	// Our own name with every letter of a word read as its Latin twin is
	// delivered as we spell it.
	ownLatin := ocr(edit(invoice1C, "Покупатель @12 ООО «Лютик»,", "Покупатель @12 AO «MK «Лютик»,")...)
	c := cfg()
	c.Own = []pervichka.Party{{Name: "АО «МК «Лютик»", INN: "5003123458", KPP: "500301001"}}
	res = Extract(context.Background(), []pervichka.Page{ownLatin}, c, twice(ownLatin))
	if res.Buyer.Name != "АО «МК «Лютик»" || !slices.Contains(res.Evidence["buyer.name"], "own_company") {
		t.Errorf("own name in look-alikes: %q, evidence %v; want АО «МК «Лютик» by own_company", res.Buyer.Name, res.Evidence["buyer.name"])
	}

	// Our ИНН, vouched for, under a name OCR garbled around one of our
	// name's words: the directory entry names the side. A name that shares
	// no word with ours stays as read.
	for _, tc := range []struct{ printed, want string }{
		{"ae pila Лютик»", "ООО Лютик"},
		{"ООО «Василек»", "ООО «Василек»"},
	} {
		p := ocr(edit(invoice1C, "Покупатель @12 ООО «Лютик»,", "Покупатель @12 "+tc.printed+",")...)
		res := Extract(context.Background(), []pervichka.Page{p}, cfg(), twice(p))
		if res.Buyer.Name != pervichka.Text(tc.want) {
			t.Errorf("our ИНН under %q: name %q, want %q", tc.printed, res.Buyer.Name, tc.want)
		}
	}

	// Our ИНН, vouched for, under our name with a letter misread — the
	// same misreading printed twice vouched for it, a trust soak's silent
	// error (seed 7402, 004-act-hard): our name is delivered. Under a name
	// that is not ours the document goes to a clerk, however often it is
	// printed.
	long := []pervichka.Party{{Name: "ООО «ТеплоАльянс»", INN: "5003123458", KPP: "500301001"}}
	for _, tc := range []struct {
		own                   []pervichka.Party
		printed, want, reason string
	}{
		{long, "ООО «ТеплоАльяис»", "ООО «ТеплоАльянс»", ""},
		{own, "ООО «Василек»", "ООО «Василек»", "own_name_mismatch:buyer"},
		// Five letters two edits apart may be another name: not ours.
		{own, "ООО «Лютнк»", "ООО «Лютнк»", "own_name_mismatch:buyer"},
	} {
		p := ocr(edit(invoice1C, "Покупатель @12 ООО «Лютик»,", "Покупатель @12 "+tc.printed+",", "ООО «Лютик»", tc.printed)...)
		c := cfg()
		c.Own = tc.own
		res := Extract(context.Background(), []pervichka.Page{p}, c, twice(p))
		if res.Buyer.Name != pervichka.Text(tc.want) {
			t.Errorf("our ИНН under %q: name %q, want %q", tc.printed, res.Buyer.Name, tc.want)
		}
		if tc.reason == "" && res.NeedsReview || tc.reason != "" && !slices.Contains(res.ReviewReasons, tc.reason) {
			t.Errorf("our ИНН under %q: reasons %v, want %q", tc.printed, res.ReviewReasons, tc.reason)
		}
		// Under a name not ours the ИНН may be the misread one (unseen
		// seed 9421's photographed счёт-фактура 006): not shown as sure.
		if c := res.Confidence["buyer.inn"]; tc.reason != "" && c >= 0.95 {
			t.Errorf("our ИНН under %q shown at %.2f", tc.printed, c)
		}
	}

	// A full stop after a name is not part of it; initials keep theirs.
	for _, tc := range []struct{ in, want string }{
		{"ИП Павлов Артём Васильевич.", "ИП Павлов Артём Васильевич"},
		{"ИП Павлов А.В.", "ИП Павлов А.В."},
		{"ИП Павлов А. В.", "ИП Павлов А. В."},
		{"ООО «Ромашка»", "ООО «Ромашка»"},
	} {
		if got := trimNameDot(tc.in); got != tc.want {
			t.Errorf("trimNameDot(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}

	// Marks of specks and ink are not posted with a name.
	for in, want := range map[string]string{
		"ООО *“СибЛогистик Плюс”":                         "ООО “СибЛогистик Плюс”",
		"Общество © ограниченной ответственностью «Нива»": "Общество с ограниченной ответственностью «Нива»",
		"Общество ¢ ограниченной ответственностью «Нива»": "Общество с ограниченной ответственностью «Нива»",
		"ООО «Нива» ©":     "ООО «Нива»",
		"© ООО «Нива»":     "ООО «Нива»",
		`АО ) "ИнфоПрофи"`: `АО "ИнфоПрофи"`,
		"Банк ГПБ (АО)":    "Банк ГПБ (АО)",
	} {
		if got := dropNameDebris(in); got != want {
			t.Errorf("dropNameDebris(%q) = %q, want %q", in, got, want)
		}
	}

	// A label glued to the name's words: «НПОГранит» is not «НПО Гранит».
	glued := ocr(edit(invoice1C, "ООО «Ромашка»", "ООО «НПО Гранит»", "Поставщик @12 ООО «НПО Гранит»,", "Поставщик @12 ООО «НПОГранит»,")...)
	res = Extract(context.Background(), []pervichka.Page{glued}, cfg(), nil)
	if res.Supplier.Name != "ООО «НПО Гранит»" && slices.Contains(res.Evidence["supplier.name"], "repeated") {
		t.Errorf("glued %q vouched for by «НПО Гранит»: %v", res.Supplier.Name, res.Evidence["supplier.name"])
	}

	// A number of the next column after the closing quote is not part of
	// the name.
	tail := ocr(edit(invoice1C, "Покупатель @12 ООО «Лютик»,", "Покупатель @12 ООО «Лютик» 00696,")...)
	res = Extract(context.Background(), []pervichka.Page{tail}, cfg(), twice(tail))
	if res.Buyer.Name != "ООО «Лютик»" {
		t.Errorf("tail: buyer name %q, want ООО «Лютик»", res.Buyer.Name)
	}
	// Nor is a lone letter after it (a speck read as one); a letter
	// inside the quotes is the name's.
	for printed, want := range map[string]string{
		"ООО «Ромашка» a,":   "ООО «Ромашка»",
		"ООО «Ромашка» О.,":  "ООО «Ромашка»",
		"ООО «Ромашка А»,":   "ООО «Ромашка А»",
		"ООО «Ромашка» 5 a,": "ООО «Ромашка»",
		`ООО "Ромашка М",`:   `ООО "Ромашка М"`,
		`ООО "Ромашка 5",`:   `ООО "Ромашка 5"`,
	} {
		tail := ocr(edit(invoice1C, "Поставщик @12 ООО «Ромашка»,", "Поставщик @12 "+printed)...)
		res = Extract(context.Background(), []pervichka.Page{tail}, cfg(), twice(tail))
		if res.Supplier.Name != pervichka.Text(want) {
			t.Errorf("%q: supplier name %q, want %q", printed, res.Supplier.Name, want)
		}
	}
}

// «Без налога» somewhere on a page that prints a rate is not a
// document without VAT: the VAT is then unread, not absent.
func TestGateNoVATAgainstRate(t *testing.T) {
	t.Parallel()
	lines := append(edit(invoice1C, "@60 В том числе НДС 20%: @76 2 416,67", "@60 Без налога (НДС)"), "@60 Ставка НДС 20%")
	res := Extract(context.Background(), []pervichka.Page{pageOf(lines...)}, cfg(), nil)
	if slices.Contains(res.Evidence["vat_amount"], "no_vat") {
		t.Errorf("no_vat vouched although a row prints 20%%: %v", res.Evidence["vat_amount"])
	}
	if !res.NeedsReview || res.VATRate == pervichka.VATNone {
		t.Errorf("needs_review %v, rate %q; want review and not «без НДС»", res.NeedsReview, res.VATRate)
	}
}

// A ТОРГ-12 is confirmed by its form code and its parties' boxes.
func TestFormMarkersTORG12(t *testing.T) {
	t.Parallel()
	torg := pageOf(
		"@60 Унифицированная форма № ТОРГ-12",
		"@80 Форма по ОКУД 0330212",
		"Грузоотправитель @14 ООО «Ромашка», ИНН 7701234560",
		"Грузополучатель @14 ООО «Лютик», ИНН 5003123458",
		"Поставщик @14 ООО «Ромашка»",
		"Плательщик @14 ООО «Лютик»",
	)
	agree, against := formMarkers(buildLines([]pervichka.Page{torg}), pervichka.DocTORG12)
	if !agree || against {
		t.Errorf("agree %v, against %v; want true, false", agree, against)
	}
	act := pageOf("Акт № 12 от 31 мая 2025 г.", "Основание: @14 Товарная накладная № 15 от 10.05.2025")
	if agree, _ := formMarkers(buildLines([]pervichka.Page{act}), pervichka.DocTORG12); agree {
		t.Error("an act mentioning a товарная накладная agrees with ТОРГ-12")
	}
}

// A row read without its amount («Картридж … 2 шт 5 000,00» and nothing
// after) takes quantity × price only when that makes the rows add up to
// the printed total; otherwise the row stays unread and the document goes
// to a clerk.
func TestLostRowAmount(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		lines  []string
		amount string // the row's amount delivered, "" for none
		unread bool
	}{
		{"product adds up", edit(invoice1C, "@64 5 000,00 @74 10 000,00", "@64 5 000,00"), "10000.00", false},
		{"product does not add up", edit(invoice1C, "@64 5 000,00 @74 10 000,00", "@64 5 100,00"), "", true},
		{"no price", edit(invoice1C, "@64 5 000,00 @74 10 000,00", ""), "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := Extract(context.Background(), []pervichka.Page{pageOf(tc.lines...)}, cfg(), nil)
			if len(res.Items) != 2 {
				t.Fatalf("items %+v", res.Items)
			}
			if got := string(res.Items[1].Amount); got != tc.amount {
				t.Errorf("row 2 amount %q, want %q", got, tc.amount)
			}
			if got := hasReason(res, "items_unread"); got != tc.unread || (tc.unread && !res.NeedsReview) {
				t.Errorf("needs_review %v, reasons %v; items_unread want %v", res.NeedsReview, res.ReviewReasons, tc.unread)
			}
		})
	}
}

// The first row's number lost in the table's rule (a photo of an act,
// seed 1's 022-act): the first line under the heading with a name and an
// amount of its own is still row 1, and the rows add up.
func TestFirstRowWithoutNumber(t *testing.T) {
	t.Parallel()
	lines := []string{
		"^АКТ ^№ ^17 от 8 февраля 2023 г.",
		"Исполнитель: ООО «Ромашка», ИНН 7701234560, КПП 770101001",
		"Заказчик: ООО «Лютик», ИНН 5003123458, КПП 500301001",
		"№ @4 Наименование @40 Ед. @45 Кол-во @53 Цена, @65 Сумма, @77 Ставка @85 Сумма",
		"@40 изм. @53 руб. @65 руб. @77 НДС @85 НДС, руб.",
		"@6 Аренда нежилого помещения @40 мес. @45 1 @53 3000.00 @65 3000.00 @77 20% @85 500.00",
		"2 @4 Услуги по уборке помещений @40 мес. @45 1 @53 5000.00 @65 5000.00 @77 20% @85 833.33",
		"3 @4 Разработка программ @40 час @45 3 @53 $ 500.00 @65 4500.00 @77 20% @85 750.00",
		"Итого: 12500,00",
		"В том числе НДС (20%): 2083,33",
	}
	res := Extract(t.Context(), []pervichka.Page{pageScaled(1, 0.9, lines...)}, Config{}, nil)
	if len(res.Items) != 3 || res.Items[0].Amount != "3000.00" || res.Items[0].Name != "Аренда нежилого помещения" {
		t.Fatalf("items %+v", res.Items)
	}
	if hasReason(res, "items_sum_mismatch") {
		t.Errorf("reasons %v", res.ReviewReasons)
	}
}

// A name wrapped over two lines is re-read a line at a time, even where
// the word boxes of the two lines touch (seed 1's 021-invoice: the second
// line's quote marks reach two pixels into the first).
func TestSplitByLine(t *testing.T) {
	t.Parallel()
	tok := func(x0, y0, x1, y1 int) token { return token{box: pervichka.Rect{X0: x0, Y0: y0, X1: x1, Y1: y1}} }
	for _, tc := range []struct {
		name string
		toks []token
		want []int // tokens per line
	}{
		{"one line", []token{tok(0, 10, 50, 40), tok(60, 12, 90, 41)}, []int{2}},
		{"two lines touching", []token{tok(185, 296, 321, 342), tok(338, 296, 867, 342), tok(201, 340, 413, 385)}, []int{2, 1}},
		{"a word set lower on its line", []token{tok(0, 10, 50, 40), tok(60, 22, 90, 50)}, []int{2}},
		{"two lines apart", []token{tok(0, 10, 50, 40), tok(0, 60, 50, 90)}, []int{1, 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []int
			for _, l := range splitByLine(tc.toks) {
				got = append(got, len(l))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("lines of %v tokens, want %v", got, tc.want)
			}
		})
	}
}

// A number shaped like money («№ 1.00» for a printed «№ 100», a
// scanner-app photo) goes to a clerk even when a re-read of the line
// agrees: the recogniser adds the separator both times. A text layer's
// «1.00» is exact and stands.
func TestMoneyShapedNumber(t *testing.T) {
	t.Parallel()
	lines := edit(invoice1C, "^А-17 ", "^1.00 ")
	ocr := pageScaled(1, 0.95, lines...)
	res := Extract(context.Background(), []pervichka.Page{ocr}, cfg(), pageRereader{pages: []pervichka.Page{ocr}, conf: 0.95})
	if res.Number != "1.00" || !res.NeedsReview || !hasReason(res, "low_confidence:number") {
		t.Errorf("number %q, review %v, reasons %v", res.Number, res.NeedsReview, res.ReviewReasons)
	}
	res = Extract(context.Background(), []pervichka.Page{pageOf(lines...)}, cfg(), nil)
	if res.Number != "1.00" || hasReason(res, "low_confidence:number") {
		t.Errorf("text layer: number %q, reasons %v", res.Number, res.ReviewReasons)
	}
	// Other numbers with a dot stay as the reading vouches.
	lines = edit(invoice1C, "^А-17 ", "^12.2024/5 ")
	ocr = pageScaled(1, 0.95, lines...)
	res = Extract(context.Background(), []pervichka.Page{ocr}, cfg(), pageRereader{pages: []pervichka.Page{ocr}, conf: 0.95})
	if res.Number != "12.2024/5" || hasReason(res, "low_confidence:number") {
		t.Errorf("number %q, reasons %v", res.Number, res.ReviewReasons)
	}
}

// overPagesHead is the heading of a счёт-фактура's table as the 1096
// edition prints it («… без налога — всего»), with its row of column
// numbers: the tests of tables going on over the page repeat it there.
var overPagesHead = []string{
	"Наименование товара @34 Ед. @40 Кол- @46 Цена @56 Стоимость @68 Нало- @76 Сумма @88 Стоимость",
	"(описание работ, услуг) @34 изм. @40 во @46 за ед. @56 без налога — всего @68 говая @76 налога @88 с налогом — всего",
	"@68 ставка",
	"@12 1 @35 2а @41 3 @49 4 @60 5 @70 7 @80 8 @92 9",
}

// overPagesFirst is the first page of those tests: the form's header,
// the heading and one row.
func overPagesFirst() []string {
	return append(append(append([]string{}, vatInvoice[:13]...), overPagesHead...),
		"Цемент М500 Д0, мешок 50 кг @34 шт @40 40 @46 500,00 @56 20 000,00 @68 20% @76 4 000,00 @88 24 000,00")
}

// overPagesSecond is their second page: the heading again, one row and
// the totals.
func overPagesSecond() []string {
	return append(append([]string{}, overPagesHead...),
		"Смесь штукатурная, 30 кг @34 шт @40 10 @46 500,00 @56 5 000,00 @68 20% @76 1 000,00 @88 6 000,00",
		"Всего к оплате (9) @56 25 000,00 @68 X @76 5 000,00 @88 30 000,00")
}

// A счёт-фактура whose table goes on over the page and repeats its
// heading there, as the УПД of the 1096 edition prints it («Стоимость …
// без налога — всего»): the rows of the second page are read too, and the
// heading's «всего» does not end the table.
func TestTableOverPages(t *testing.T) {
	t.Parallel()
	first := overPagesFirst()
	second := overPagesSecond()
	p1, p2 := pageOf(first...), pageOf(second...)
	p2.Index = 1
	res := Extract(context.Background(), []pervichka.Page{p1, p2}, cfg(), nil)
	if len(res.Items) != 2 || res.Items[1].Amount != "6000.00" {
		t.Fatalf("items %+v", res.Items)
	}
	if res.Total != "30000.00" || hasReason(res, "items_sum_mismatch") {
		t.Errorf("total %q, reasons %v", res.Total, res.ReviewReasons)
	}
}

// A name printed once and read the same way twice is not vouched for: the
// recogniser repeats its misreadings («ГазТехнологии Групи»). The second
// reading is recorded, and the document goes to a clerk.
func TestNameSecondReadingAlone(t *testing.T) {
	t.Parallel()
	// The supplier's name printed once: no bank block's «Получатель».
	lines := edit(invoice1C, "ООО «Ромашка»", "ООО «Ромашка»")
	lines = append(lines[:4:4], lines[6:]...)
	ocr := pageScaled(1, 0.95, lines...)
	res := Extract(context.Background(), []pervichka.Page{ocr}, cfg(), pageRereader{pages: []pervichka.Page{ocr}, conf: 0.95})
	if res.Supplier.Name != "ООО «Ромашка»" {
		t.Fatalf("supplier %+v", res.Supplier)
	}
	if !slices.Contains(res.Evidence["supplier.name"], pervichka.EvidenceSecondReading) || !hasReason(res, "unconfirmed:supplier.name") || !res.NeedsReview {
		t.Errorf("evidence %v, review %v, reasons %v", res.Evidence["supplier.name"], res.NeedsReview, res.ReviewReasons)
	}
}

// Rows that add up to the total vouch for it only when no row contradicts
// its own arithmetic (quantity × price, with the row's VAT or rate on top,
// give or take a rounded price).
func TestRowsAddUp(t *testing.T) {
	t.Parallel()
	row := func(q, p string, amount, vat pervichka.Kopecks, rate int) itemRow {
		return itemRow{item: pervichka.Item{Quantity: pervichka.Text(q), Price: pervichka.Text(p)}, amount: amount, hasAmt: true, vat: vat, hasVAT: vat > 0, rate: rate}
	}
	for _, tc := range []struct {
		name string
		rows []itemRow
		want bool
	}{
		{"quantity × price", []itemRow{row("63", "20.82", 131166, 0, 0)}, true},
		{"a digit misread in the amount (seed 7610)", []itemRow{row("63", "20.82", 151166, 0, 0)}, false},
		{"price rounded to the kopeck", []itemRow{row("3", "33.33", 10000, 0, 0)}, true},
		{"VAT of the row on top", []itemRow{row("40", "500.00", 2400000, 400000, 20)}, true},
		{"the rate on top, VAT not read", []itemRow{row("40", "500.00", 2400000, 0, 20)}, true},
		{"no price: nothing to contradict", []itemRow{row("2", "", 1000, 0, 0)}, true},
		{"one of two rows off", []itemRow{row("1", "100.00", 10000, 0, 0), row("2", "50.00", 10100, 0, 0)}, false},
	} {
		x := &extraction{table: tableResult{rows: tc.rows}}
		if got := x.rowsAddUp(); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// An OCR'd number whose letters are all Latin twins of Cyrillic ones
// («YT-347» for «УТ-347») or that has a lone Latin letter («213-N» for
// «213-П») goes to a clerk; a Latin prefix with letters of no twin
// («INV-12») and a Cyrillic one stand as read.
func TestScriptAmbiguousNumber(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		number string
		doubt  bool
	}{
		{"YT-347", true},
		{"A-195", true},
		{"УТ-347", false},
		{"INV-12", false},
		{"А-17", false},
		// A lone Latin letter: «213-N» for «213-П» (seed 8103).
		{"213-N", true},
		{"17-П", false},
		// A prefix's first letter read as a digit: «5П-921» for «БП-921»
		// (seed 8442's ТОРГ-12 photo, read so twice).
		{"5П-921", true},
		{"0ОО-12", true},
		{"1С-0012", false},
		{"5-П", false},
	} {
		lines := edit(invoice1C, "^А-17 ", "^"+tc.number+" ")
		ocr := pageScaled(1, 0.95, lines...)
		res := Extract(context.Background(), []pervichka.Page{ocr}, cfg(), pageRereader{pages: []pervichka.Page{ocr}, conf: 0.95})
		if string(res.Number) != tc.number || hasReason(res, "low_confidence:number") != tc.doubt {
			t.Errorf("%s: number %q, reasons %v; want doubt %v", tc.number, res.Number, res.ReviewReasons, tc.doubt)
		}
	}
	// The number printed again in Cyrillic says how it is written.
	lines := append(edit(act, "^№ ^12 ", "^№ ^A-17 "), "Документ об отгрузке № А-17 от 31.05.2025")
	res := Extract(context.Background(), []pervichka.Page{pageScaled(1, 0.95, lines...)}, cfg(), nil)
	if res.Number != "А-17" || hasReason(res, "low_confidence:number") {
		t.Errorf("number %q, reasons %v; want the Cyrillic А-17", res.Number, res.ReviewReasons)
	}
}

// A sole trader's name printed once is vouched for by the signature's
// «Фамилия И. О.» when its first name and patronymic are known ones of one
// gender with those initials; a damaged patronymic («Павло|ич» under «И. П.»,
// found by the mutation soak) or other initials are not.
func TestSoleTraderSignature(t *testing.T) {
	t.Parallel()
	soleTrader := func(name, signature string) []string {
		lines := edit(invoice1C,
			"ИНН 7701234560 @25 КПП 770101001 @60", "@60",
			"Поставщик @12 ООО «Ромашка», ИНН 7701234560, КПП 770101001,", "Поставщик @12 "+name+", ИНН 234336690223,")
		// The name printed once: no bank block's «Получатель».
		lines = append(lines[:4:4], lines[6:]...)
		return append(lines, "Предприниматель @30 "+signature)
	}
	for _, tc := range []struct {
		name, signature string
		vouched         bool
	}{
		{"ИП Кудрявцева Юлия Романовна", "Кудрявцева Ю. Р.", true},
		{"ИП Кудрявцева Юлия Романовна", "Ю.Р. Кудрявцева", true},
		{"ИП Кудрявцев Игорь Павлович", "Кудрявцев И.П.", true},
		{"Индивидуальный предприниматель Соловьёв Николай Олегович", "Соловьев Н. О.", true},
		// 1C prints the transcript between slashes: «/Голубев С. А./».
		{"ИП Голубев Сергей Андреевич", "Голубев С. А./", true},
		{"ИП Голубев Сергей Андреевич", "/Голубев С.А./", true},
		{"ИП Голубев Сергей Андреевич", "/ С. А. Голубев /", true},
		{"ИП Кудрявцев Игорь Павло|ич", "Кудрявцев И. П.", false},
		{"ИП Кудрявцев Игорь Павлоич", "Кудрявцев И. П.", false},
		{"ИП Кудрявцева Юлия Романовна", "Кудрявцева Ю. П.", false},
		{"ИП Кудрявцева Юлия Романовна", "Кудрявцев Ю. Р.", false},
		{"ИП Кудрявцева Юлия Романовна", "Кудрявцева", false},
		{"ИП Kудрявцева Юлия Романовна", "Kудрявцева Ю. Р.", false},
	} {
		t.Run(tc.name+"/"+tc.signature, func(t *testing.T) {
			t.Parallel()
			ocr := pageScaled(1, 0.95, soleTrader(tc.name, tc.signature)...)
			res := Extract(context.Background(), []pervichka.Page{ocr}, cfg(), pageRereader{pages: []pervichka.Page{ocr}, conf: 0.95})
			if tc.vouched && string(res.Supplier.Name) != tc.name {
				t.Fatalf("supplier %+v, reasons %v", res.Supplier, res.ReviewReasons)
			}
			got := slices.Contains(res.Evidence["supplier.name"], pervichka.EvidenceSignature)
			if got != tc.vouched || hasReason(res, "unconfirmed:supplier.name") == tc.vouched {
				t.Errorf("signature evidence %v (want %v), evidence %v, reasons %v", got, tc.vouched, res.Evidence["supplier.name"], res.ReviewReasons)
			}
		})
	}
}

// A second printing vouches for a name of five letters («АО «Базис»» in the
// bank block and in «Поставщик»), not for a shorter one, which may meet
// the same word by chance.
func TestShortNameRepeated(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		repeated bool
	}{
		{"АО «Базис»", true},
		{"ООО «Ромашка»", true},
		{"АО «Вега»", false},
	} {
		ocr := pageScaled(1, 0.95, edit(invoice1C, "ООО «Ромашка»", tc.name)...)
		res := Extract(context.Background(), []pervichka.Page{ocr}, cfg(), pageRereader{pages: []pervichka.Page{ocr}, conf: 0.95})
		if string(res.Supplier.Name) != tc.name {
			t.Fatalf("supplier %+v", res.Supplier)
		}
		if got := slices.Contains(res.Evidence["supplier.name"], pervichka.EvidenceRepeated); got != tc.repeated {
			t.Errorf("%s: repeated %v, want %v (evidence %v)", tc.name, got, tc.repeated, res.Evidence["supplier.name"])
		}
	}
}

// Two printings of a name that differ in the mark joining its words
// («Базис-Строй» in the bank block, «Базис.Строй» after «Поставщик»: unseen
// seed 9621's photographed bill 016, approved so) do not vouch for each
// other; printings that agree mark for mark do.
func TestNameRepeatedMarks(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		payee, supplier string
		repeated        bool
	}{
		{"ООО «Базис-Строй»", "ООО «Базис.Строй»", false},
		{"ООО «Базис-Строй»", "ООО «Базис Строй»", false},
		{"ООО «Базис–Строй»", "ООО «Базис-Строй»", true},
		{"ООО «Базис-Строй»", "ООО «Базис-Строй»", true},
		// The bank block's printing read in Latin twins (10131's scanned
		// bill 010: «AO «TexHopecypc»» over «АО «Техноресурс»») agrees
		// letter for letter; one twin off («TexHopecypc» for «Техноресурс»
		// is right, «TexHopecypk» is not) does not, nor does a Latin word
		// with a letter of its own.
		{"AO «TexHopecypc»", "АО «Техноресурс»", true},
		{"AO «TexHopecypk»", "АО «Техноресурс»", false},
		{"AO «TexHopecurs»", "АО «Техноресурс»", false},
	} {
		lines := slices.Clone(invoice1C)
		lines[4] = tc.payee
		lines[7] = strings.Replace(lines[7], "ООО «Ромашка»", tc.supplier, 1)
		ocr := pageScaled(1, 0.95, lines...)
		res := Extract(context.Background(), []pervichka.Page{ocr}, cfg(), pageRereader{pages: []pervichka.Page{ocr}, conf: 0.95})
		if string(res.Supplier.Name) != tc.supplier {
			t.Fatalf("supplier %+v", res.Supplier)
		}
		if got := slices.Contains(res.Evidence["supplier.name"], pervichka.EvidenceRepeated); got != tc.repeated {
			t.Errorf("%s / %s: repeated %v, want %v (evidence %v)", tc.payee, tc.supplier, got, tc.repeated, res.Evidence["supplier.name"])
		}
		if !tc.repeated && !res.NeedsReview {
			t.Errorf("%s / %s: approved", tc.payee, tc.supplier)
		}
	}
}

// Our organisation's name with a mark no name is printed with is
// delivered without it: «= ООО «ТеплоАльянс»» was approved so (seed 8212's
// photo), vouched for by our own name, which is compared without marks.
func TestOwnNameStrayMark(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ printed, want string }{
		{"= ООО «Лютик»", "ООО «Лютик»"},
		{"ООО «Лютик»#", "ООО Лютик"},
		{"ООО «Лютик»", "ООО «Лютик»"},
	} {
		ocr := pageScaled(1, 0.95, edit(invoice1C, "Покупатель @12 ООО «Лютик»,", "Покупатель @12 "+tc.printed+",")...)
		res := Extract(context.Background(), []pervichka.Page{ocr}, cfg(), pageRereader{pages: []pervichka.Page{ocr}, conf: 0.95})
		if string(res.Buyer.Name) != tc.want || !slices.Contains(res.Evidence["buyer.name"], pervichka.EvidenceOwnCompany) {
			t.Errorf("%s: buyer %q, evidence %v; want %q", tc.printed, res.Buyer.Name, res.Evidence["buyer.name"], tc.want)
		}
	}
}

// A side's name whose page reading is no name («ae pila Лютик»», as a bold
// name in a photo came out) is read again as one line and taken from
// there when that reading is one; it stays a repair: capped under the
// routing threshold, highlighted, and the document goes to a clerk. A
// second reading that is no name either changes nothing, and a name that
// looks like one is never replaced.
func TestMendName(t *testing.T) {
	t.Parallel()
	noOwn := Config{Now: testNow}
	for _, tc := range []struct {
		name, printed, reread, want string
		mended                      bool
	}{
		{"garbage mended", "ae~0.4 pila~0.4 Лютик»,", "ООО «Лютик»,", "ООО «Лютик»", true},
		{"Latin twins mended", "ae~0.4 pila~0.4 Лютик»,", "OOO «Лютик»,", "ООО «Лютик»", true},
		{"second reading no name either", "ae~0.4 pila~0.4 Лютик»,", "ae «Лютик»,", "ae pila Лютик»", false},
		{"well-formed name kept", "ООО~0.6 «Лютик»,", "ООО «Лотос»,", "ООО «Лютик»", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			printed := edit(invoice1C, "Покупатель @12 ООО «Лютик»,", "Покупатель @12 "+tc.printed)
			reread := edit(invoice1C, "Покупатель @12 ООО «Лютик»,", "Покупатель @12 "+tc.reread)
			ocr := pageScaled(1, 0.95, printed...)
			res := Extract(context.Background(), []pervichka.Page{ocr}, noOwn, pageRereader{pages: []pervichka.Page{pageScaled(1, 0.95, reread...)}, conf: 0.93})
			if string(res.Buyer.Name) != tc.want {
				t.Fatalf("buyer %q, want %q", res.Buyer.Name, tc.want)
			}
			if !res.NeedsReview || !hasReason(res, "unconfirmed:buyer.name") {
				t.Errorf("review %v, reasons %v", res.NeedsReview, res.ReviewReasons)
			}
			if tc.mended && (res.Confidence["buyer.name"] > nameMendedCap || !hasReason(res, "low_confidence:buyer.name") || hasReason(res, "name_invalid:buyer")) {
				t.Errorf("mended: conf %.2f, reasons %v", res.Confidence["buyer.name"], res.ReviewReasons)
			}
			if !tc.mended && tc.want != "ООО «Лютик»" && !hasReason(res, "name_invalid:buyer") {
				t.Errorf("not mended: reasons %v", res.ReviewReasons)
			}
		})
	}
}

// A run's box to read again spans the line's own height, not the height
// of a misread word's box that took in ink of the line below.
func TestReadBand(t *testing.T) {
	t.Parallel()
	x := &extraction{lines: []line{{page: 0, unit: 30}}}
	tok := func(x0, y0, x1, y1 int) token {
		return token{box: pervichka.Rect{X0: x0, Y0: y0, X1: x1, Y1: y1}}
	}
	for _, tc := range []struct {
		name string
		toks []token
		want pervichka.Rect
	}{
		{"tall misreads", []token{tok(514, 686, 567, 747), tok(574, 683, 653, 752), tok(666, 688, 813, 719)}, pervichka.Rect{X0: 514, Y0: 688, X1: 813, Y1: 719}},
		{"all of line height", []token{tok(0, 10, 50, 40), tok(60, 12, 90, 44)}, pervichka.Rect{X0: 0, Y0: 10, X1: 90, Y1: 44}},
		{"all tall", []token{tok(0, 10, 50, 80), tok(60, 12, 90, 84)}, pervichka.Rect{X0: 0, Y0: 10, X1: 90, Y1: 84}},
	} {
		if got := x.readBand(tc.toks); got != tc.want {
			t.Errorf("%s: band %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

// The same table photographed page by page: the second photo has its own
// scale, so its rows are cut by its own repeated heading, not by the first
// page's x-ranges (seed 31's scanner-app УПД lost every figure of page 2).
func TestTableOverPhotographedPages(t *testing.T) {
	t.Parallel()
	first := overPagesFirst()
	second := overPagesSecond()
	p1, p2 := pageScaled(1, 0.93, first...), pageScaled(1.35, 0.93, second...)
	p2.Index = 1
	res := Extract(context.Background(), []pervichka.Page{p1, p2}, cfg(), nil)
	if len(res.Items) != 2 {
		t.Fatalf("items %+v", res.Items)
	}
	if it := res.Items[1]; it.Quantity != "10" || it.Price != "500.00" || it.Amount != "6000.00" || it.VATAmount != "1000.00" {
		t.Errorf("second page's row %+v", it)
	}
}

// A second page whose heading is under debris (the wood past the sheet's
// top edge), whose heading a photo's edge stretched over 20 lines with
// marks down its side, or that prints only the row of column numbers: the
// heading is found, and the numbers are no row.
func TestTableOverPagesHeadingUnderDebris(t *testing.T) {
	t.Parallel()
	head := overPagesHead
	row2 := "Смесь штукатурная, 30 кг @34 шт @40 10 @46 500,00 @56 5 000,00 @68 20% @76 1 000,00 @88 6 000,00"
	total := "Всего к оплате (9) @56 25 000,00 @68 X @76 5 000,00 @88 30 000,00"
	debris := []string{"``:~0.3 о:~0.2 Sree~0.3 See~0.4 shy~0.3 +8~0.2", "`.~0.2 <.~0.3 >~0.3 Sir~0.4 Poe~0.3", "eet~0.1 sei~0.2 >~0.2 ERS~0.3"}
	first := overPagesFirst()
	// A photo's left edge read as marks down the side of the heading.
	var edge []string
	for range 16 {
		edge = append(edge, "@1 3~0.8")
	}
	for name, second := range map[string][]string{
		"under debris": append(append(append([]string{}, debris...), head...), row2, total),
		"long heading": append(append(append(append(append([]string{}, debris...), debris[0]), head[:3]...), edge...), head[3], row2, total),
		"numbers only": {head[3], row2, total},
	} {
		p1, p2 := pageScaled(1, 0.93, first...), pageScaled(1, 0.93, second...)
		p2.Index = 1
		res := Extract(context.Background(), []pervichka.Page{p1, p2}, cfg(), nil)
		if len(res.Items) != 2 || res.Items[1].Amount != "6000.00" || res.Items[1].Name != "Смесь штукатурная, 30 кг" ||
			res.Items[0].Name != "Цемент М500 Д0, мешок 50 кг" || res.Items[0].Unit != "шт" {
			t.Errorf("%s: items %+v", name, res.Items)
		}
	}
}

// The background past a photo's bottom edge read as words after the last
// row of a page neither ends the table nor joins a row: the rows of the
// next page are read on.
func TestTableOverPagesPastDebris(t *testing.T) {
	t.Parallel()
	first := append(overPagesFirst(),
		"", "", "", "", "", "",
		"@70 ана~0.2 if~0.25 ite~0.2 Do,~0.3")
	second := overPagesSecond()
	p1, p2 := pageScaled(1, 0.93, first...), pageScaled(1, 0.93, second...)
	p2.Index = 1
	res := Extract(context.Background(), []pervichka.Page{p1, p2}, cfg(), nil)
	if len(res.Items) != 2 || res.Items[1].Amount != "6000.00" || res.Items[0].Name != "Цемент М500 Д0, мешок 50 кг" {
		t.Fatalf("items %+v", res.Items)
	}
}

// «от» read with a Latin «f» for its «т» still ends the number (seed
// 8801's photographed bill 005 read «31 of 21»).
func TestNumberBeforeMisreadOt(t *testing.T) {
	t.Parallel()
	i := slices.IndexFunc(invoice1C, func(l string) bool { return strings.Contains(l, "^А-17 ") })
	lines := slices.Clone(invoice1C)
	lines[i] = strings.Replace(strings.Replace(lines[i], "^А-17 ", "^31 ", 1), "^от ", "^of ", 1)
	if !strings.Contains(lines[i], "^31 ^of ") {
		t.Fatalf("the test's title line did not change: %q", lines[i])
	}
	res := Extract(context.Background(), []pervichka.Page{pageScaled(1, 0.95, lines...)}, cfg(), nil)
	if res.Number != "31" {
		t.Errorf("number %q from %q, want 31", res.Number, lines[i])
	}
}

// A table's heading with no row read under it holds the document: the
// rows were printed and lost (unseen seed 8812's bill 007 was approved
// with neither of its two rows).
func TestHeadingWithoutRows(t *testing.T) {
	t.Parallel()
	var lines []string
	for _, l := range invoice1C {
		if strings.HasPrefix(l, "1 @4") || strings.HasPrefix(l, "2 @4") || l == "@4 500 л." {
			continue
		}
		lines = append(lines, l)
	}
	if len(lines) != len(invoice1C)-3 {
		t.Fatalf("the test removed %d lines, want the 3 of the rows", len(invoice1C)-len(lines))
	}
	res := Extract(context.Background(), []pervichka.Page{pageScaled(1, 0.95, lines...)}, cfg(), nil)
	if len(res.Items) != 0 || !res.NeedsReview || !hasReason(res, "items_unread") {
		t.Errorf("items %d, review %v, reasons %v; want none read, held for items_unread", len(res.Items), res.NeedsReview, res.ReviewReasons)
	}
}

// A VAT figure no legal rate explains is not shown as sure, wherever the
// mismatch is found (seed 8801's bill 022 showed 261,54 for 27 043,59 at
// 0.95, the review UI's sure threshold, with vat_mismatch among its reasons).
func TestVATNoRateNotSure(t *testing.T) {
	t.Parallel()
	lines := edit(invoice1C, "НДС 20%:", "НДС:", "2 416,67", "2 500,00")
	res := Extract(context.Background(), []pervichka.Page{pageScaled(1, 0.97, lines...)}, cfg(), nil)
	if !hasReason(res, "vat_mismatch") || res.VATAmount != "2500.00" {
		t.Fatalf("VAT %q, reasons %v; want 2500.00 held for vat_mismatch", res.VATAmount, res.ReviewReasons)
	}
	if c := res.Confidence["vat_amount"]; c >= 0.95 {
		t.Errorf("vat_amount at %.2f, want under the sure threshold 0.95", c)
	}
}

// A key field the gate found no evidence for is not shown as sure, however
// confident its reading: the supplier's name printed once on a
// photographed bill (the bank grid's payee line left out) stays under the
// review UI's sure threshold.
func TestUnconfirmedNotShownSure(t *testing.T) {
	t.Parallel()
	lines := slices.DeleteFunc(slices.Clone(invoice1C), func(s string) bool { return s == "ООО «Ромашка»" })
	res := Extract(context.Background(), []pervichka.Page{pageScaled(1, 0.99, lines...)}, cfg(), nil)
	if !hasReason(res, "unconfirmed:supplier.name") {
		t.Fatalf("supplier name confirmed (%v): the test needs an unconfirmed field", res.Evidence["supplier.name"])
	}
	if c := res.Confidence["supplier.name"]; c >= 0.95 {
		t.Errorf("unconfirmed supplier name shown at %.2f", c)
	}
	for _, f := range pervichka.KeyFields {
		if c, ok := res.Confidence[f]; ok && c >= 0.95 && hasReason(res, "unconfirmed:"+f) {
			t.Errorf("%s unconfirmed but shown at %.2f", f, c)
		}
	}
}

// An act whose table goes on over the page without its heading, the
// second page photographed at 0.7 of the first page's scale and with a
// wider margin (seed 9801's realistic act 007: the sheet of page 1 ran off
// the frame, that of page 2 was cut out of it). The table by its headings
// cuts the rows of page 2 at the first page's columns carried over by the
// rows themselves (their numbers and their sums), not at the first page's
// x; the reading by row arithmetic, which a table this small falls back
// on, is not needed.
func TestTableOverPagesWithoutHeading(t *testing.T) {
	t.Parallel()
	first := append(append([]string{}, act[:5]...),
		"1 @4 Услуги по уборке офисных помещений за май 2025 г. @62 1 @68 мес. @74 30 000,00 @84 30 000,00",
		"2 @4 Аренда нежилого помещения за май 2025 г. @62 1 @68 мес. @74 50 000,00 @84 50 000,00",
		"3 @4 Услуги охраны объекта за май 2025 г. @62 2 @68 мес. @74 5 000,00 @84 10 000,00")
	// Page 2: everything 12 characters further right, at 0.7 the scale.
	second := []string{
		"@14 4 @16 Вывоз твердых коммунальных отходов за май 2025 г. @74 3 @80 усл. @86 1 000,00 @96 3 000,00",
		"@14 5 @16 Возмещение коммунальных расходов за май 2025 г. @74 1 @80 усл. @86 7 000,00 @96 7 000,00",
		"@78 Итого: @88 100 000,00",
		"@78 Без налога (НДС) @88 -",
		"Всего оказано услуг 5, на сумму 100 000,00 руб.",
	}
	p1, p2 := pageScaled(1, 0.93, first...), pageScaled(0.7, 0.93, second...)
	p2.Index = 1
	want := []pervichka.Item{
		{Name: "Услуги по уборке офисных помещений за май 2025 г.", Quantity: "1", Unit: "мес.", Price: "30000.00", Amount: "30000.00"},
		{Name: "Аренда нежилого помещения за май 2025 г.", Quantity: "1", Unit: "мес.", Price: "50000.00", Amount: "50000.00"},
		{Name: "Услуги охраны объекта за май 2025 г.", Quantity: "2", Unit: "мес.", Price: "5000.00", Amount: "10000.00"},
		{Name: "Вывоз твердых коммунальных отходов за май 2025 г.", Quantity: "3", Unit: "усл.", Price: "1000.00", Amount: "3000.00"},
		{Name: "Возмещение коммунальных расходов за май 2025 г.", Quantity: "1", Unit: "усл.", Price: "7000.00", Amount: "7000.00"},
	}
	table := findTable(buildLines([]pervichka.Page{p1, p2}), pervichka.DocAct)
	var items []pervichka.Item
	for _, r := range table.rows {
		items = append(items, r.item)
	}
	checkItems(t, "table by headings", items, want)
	res := Extract(context.Background(), []pervichka.Page{p1, p2}, cfg(), nil)
	checkItems(t, "extracted", res.Items, want)
	if res.Total != "100000.00" || hasReason(res, "items_sum_mismatch") {
		t.Errorf("total %q, reasons %v", res.Total, res.ReviewReasons)
	}
}

// «Без налога (НДС)» read where no total was read at all (no totals line,
// no amount in words: the table's foot unread) is not sure: a VAT figure
// printed there was not looked at (9811's realistic УПД 012 showed «без
// НДС» at 0.96 for a 10 % VAT). With a total read, it stays as sure as
// its reading.
func TestNoVATUnsureWithoutTotal(t *testing.T) {
	t.Parallel()
	lines := edit(invoice1C, "@60 В том числе НДС 20%: @76 2 416,67", "@60 Без налога (НДС)")
	res := Extract(context.Background(), []pervichka.Page{pageScaled(1, 0.97, lines...)}, cfg(), nil)
	if res.VATRate != pervichka.VATNone || res.Confidence["vat_amount"] < 0.95 {
		t.Fatalf("with the totals: rate %q, vat_amount at %.2f; want «без НДС», sure", res.VATRate, res.Confidence["vat_amount"])
	}
	var cut []string
	for _, l := range lines {
		if !strings.Contains(l, "Итого") && !strings.Contains(l, "Всего") && !strings.Contains(l, "копеек") && !strings.Contains(l, "рублей") {
			cut = append(cut, l)
		}
	}
	res = Extract(context.Background(), []pervichka.Page{pageScaled(1, 0.97, cut...)}, cfg(), nil)
	if res.VATRate == pervichka.VATNone && (res.Confidence["vat_amount"] >= 0.95 || res.Confidence["vat_rate"] >= 0.95) {
		t.Errorf("no total read: «без НДС» at %.2f (rate %.2f), want under 0.95", res.Confidence["vat_amount"], res.Confidence["vat_rate"])
	}
}

// Our name read in Latin with letters that have no Cyrillic twin («ООО
// “TennoAnpanc”» for «ТеплоАльянс», 9901's realistic счёт-фактура 006),
// under our ИНН, is ours when its words read again give our name letter
// for letter; a second reading that gives another name, or none, leaves it
// a name that is not ours, for a clerk.
func TestOwnNameReadAgain(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, reread string
		ours         bool
	}{
		{"read again as ours", "ООО «Лютик»,", true},
		{"read again as another", "ООО «Лотос»,", false},
		{"read again the same", "OOO «Jlrotnk»,", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			printed := edit(invoice1C, "Покупатель @12 ООО «Лютик»,", "Покупатель @12 ООО~0.6 «Jlrotnk»~0.4,")
			reread := edit(invoice1C, "Покупатель @12 ООО «Лютик»,", "Покупатель @12 "+tc.reread)
			ocr := pageScaled(1, 0.95, printed...)
			res := Extract(context.Background(), []pervichka.Page{ocr}, cfg(), pageRereader{pages: []pervichka.Page{pageScaled(1, 0.95, reread...)}, conf: 0.93})
			ours := slices.Contains(res.Evidence["buyer.name"], pervichka.EvidenceOwnCompany)
			if ours != tc.ours || (nameForm(string(res.Buyer.Name)) == "ооо лютик") != tc.ours {
				t.Errorf("buyer %q, evidence %v; want ours %v", res.Buyer.Name, res.Evidence["buyer.name"], tc.ours)
			}
			if hasReason(res, "own_name_mismatch:buyer") == tc.ours {
				t.Errorf("reasons %v", res.ReviewReasons)
			}
		})
	}
}

// A name with a word read as Latin twins («ООО «NK Ромашка»» for «ПК»,
// 9901's realistic счёт-фактура 006; here «NO» for «ПО», which
// orgAbbrevs does not spell) is taken from its second reading when
// that reads the word in Cyrillic and agrees on the rest; then its other
// printing vouches for it. A second reading in Latin again, or of other
// words, leaves it as read.
func TestNameLatinTwinsReadAgain(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, payee, reread, want string
		repeated                  bool
	}{
		{"read in Cyrillic", "ООО «ПО Ромашка»", "ООО «ПО Ромашка»,", "ООО «ПО Ромашка»", true},
		{"read in Cyrillic, the other printing in Latin", "ООО «NO Ромашка»", "ООО «ПО Ромашка»,", "ООО «ПО Ромашка»", false},
		{"read in Latin again", "ООО «ПО Ромашка»", "ООО «NO Ромашка»,", "ООО «NO Ромашка»", false},
		{"another word", "ООО «ПО Ромашка»", "ООО «ПО Ромашкин»,", "ООО «NO Ромашка»", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lines := edit(invoice1C, "Поставщик @12 ООО «Ромашка»,", "Поставщик @12 ООО «NO Ромашка»,")
			lines[4] = tc.payee
			reread := edit(lines, "Поставщик @12 ООО «NO Ромашка»,", "Поставщик @12 "+tc.reread)
			ocr := pageScaled(1, 0.95, lines...)
			res := Extract(context.Background(), []pervichka.Page{ocr}, cfg(), pageRereader{pages: []pervichka.Page{pageScaled(1, 0.95, reread...)}, conf: 0.93})
			if string(res.Supplier.Name) != tc.want {
				t.Fatalf("supplier %q, want %q (reasons %v)", res.Supplier.Name, tc.want, res.ReviewReasons)
			}
			if got := slices.Contains(res.Evidence["supplier.name"], pervichka.EvidenceRepeated); got != tc.repeated {
				t.Errorf("repeated %v, want %v (evidence %v)", got, tc.repeated, res.Evidence["supplier.name"])
			}
			// A name taken from its second reading is not vouched for
			// by that reading.
			if tc.want != "ООО «NO Ромашка»" && slices.Contains(res.Evidence["supplier.name"], pervichka.EvidenceSecondReading) {
				t.Errorf("evidence %v names the reading the value came from", res.Evidence["supplier.name"])
			}
		})
	}
}

// Our name read with the mark between its words misread («ООО «Лютик.
// Цвет»» for «Лютик-Цвет»: unseen seed 9971's act 014 showed «Магистраль.
// Центр» as sure at 0.97) matches our directory's name, which compares
// letters only, and is delivered as we spell it.
func TestOwnNameMarksMisread(t *testing.T) {
	t.Parallel()
	ours := Config{Own: []pervichka.Party{{Name: "ООО «Лютик-Цвет»", INN: "5003123458", KPP: "500301001"}}, Now: testNow}
	for _, tc := range []struct{ printed, want string }{
		{"ООО «Лютик. Цвет»", "ООО «Лютик-Цвет»"},
		{"ООО «Лютик-Цвет»", "ООО «Лютик-Цвет»"},
		{"ООО \"Лютик-Цвет\"", "ООО \"Лютик-Цвет\""},
	} {
		ocr := pageScaled(1, 0.95, edit(invoice1C, "Покупатель @12 ООО «Лютик»,", "Покупатель @12 "+tc.printed+",")...)
		res := Extract(context.Background(), []pervichka.Page{ocr}, ours, pageRereader{pages: []pervichka.Page{ocr}, conf: 0.95})
		if string(res.Buyer.Name) != tc.want || !slices.Contains(res.Evidence["buyer.name"], pervichka.EvidenceOwnCompany) {
			t.Errorf("%s: buyer %q, evidence %v; want %q", tc.printed, res.Buyer.Name, res.Evidence["buyer.name"], tc.want)
		}
	}
}

// A second printing OCR read a letter or two off the name (the bank
// block's «Получатель» of 10221's realistic bill 015: «АО "Водмаржет”»
// under «АО "Водмаркет"») vouches for the name when it reads as the name
// on a second reading; one that reads the same wrong way again, that
// reads as a longer quoted name, that has its marks otherwise, or that
// vouches for another reading than the name's does not.
func TestNameRepeatedOnReread(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name                    string
		supplier, payee, reread string
		want                    string
		repeated                bool
	}{
		{"misread printing reads right again", "ООО «Ромашка»", "ООО «Ромажка»", "ООО «Ромашка»", "ООО «Ромашка»", true},
		{"misread again", "ООО «Ромашка»", "ООО «Ромажка»", "ООО «Ромажка»", "ООО «Ромашка»", false},
		{"Latin twins with N read again", "ООО «ПК Ромашка»", "ООО «NK Ромашка»", "ООО «ПК Ромашка»", "ООО «ПК Ромашка»", true},
		{"the name misread, the other printing right", "ООО «Ромажка»", "ООО «Ромашка»", "ООО «Ромашка»", "ООО «Ромажка»", false},
		{"longer quoted name", "ООО «Ромашка»", "ООО «Ромажка Плюс»", "ООО «Ромашка Плюс»", "ООО «Ромашка»", false},
		{"marks differ", "ООО «Базис-Строй»", "ООО «Базис-Строи»", "ООО «Базис Строй»", "ООО «Базис-Строй»", false},
		{"marks agree", "ООО «Базис-Строй»", "ООО «Базис-Строи»", "ООО «Базис-Строй»", "ООО «Базис-Строй»", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lines := slices.Clone(invoice1C)
			lines[4] = tc.payee
			lines[7] = strings.Replace(lines[7], "ООО «Ромашка»", tc.supplier, 1)
			reread := slices.Clone(lines)
			reread[4] = tc.reread
			ocr := pageScaled(1, 0.95, lines...)
			res := Extract(context.Background(), []pervichka.Page{ocr}, cfg(), pageRereader{pages: []pervichka.Page{pageScaled(1, 0.95, reread...)}, conf: 0.95})
			if string(res.Supplier.Name) != tc.want {
				t.Fatalf("supplier %+v, want %q", res.Supplier, tc.want)
			}
			if got := slices.Contains(res.Evidence["supplier.name"], pervichka.EvidenceRepeated); got != tc.repeated {
				t.Errorf("repeated %v, want %v (evidence %v)", got, tc.repeated, res.Evidence["supplier.name"])
			}
			if tc.repeated == res.NeedsReview {
				t.Errorf("needs review %v (%v)", res.NeedsReview, res.ReviewReasons)
			}
		})
	}
}

// A second reading of the name's own words that another printing vouches
// for replaces a page reading no printing vouched for (unseen seed
// 10211's realistic УПД 015: «ИП Сожолова Ксения Миоревна» read again
// «ИП Соколова Ксения Игоревна», as its signature line prints it). A
// second reading nothing vouches for, or one that changes the words, is
// not taken.
func TestNameByConsensus(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name                    string
		supplier, reread, payee string
		want                    string
		vouched                 bool
	}{
		{"second reading vouched for by the payee", "ООО «Ромажка»", "ООО «Ромашка»", "ООО «Ромашка»", "ООО «Ромашка»", true},
		{"second reading alike", "ООО «Ромажка»", "ООО «Ромажка»", "ООО «Ромашка»", "ООО «Ромажка»", false},
		{"nothing vouches", "ООО «Ромажка»", "ООО «Ромашка»", "ООО «Лютики»", "ООО «Ромажка»", false},
		{"words changed", "ООО «Ромажка»", "ООО «Ромаш ка»", "ООО «Ромаш ка»", "ООО «Ромажка»", false},
		{"too many letters", "ООО «Рожажжа»", "ООО «Ромашка»", "ООО «Ромашка»", "ООО «Рожажжа»", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lines := slices.Clone(invoice1C)
			lines[4] = tc.payee
			lines[7] = strings.Replace(lines[7], "ООО «Ромашка»", tc.supplier, 1)
			reread := slices.Clone(lines)
			reread[7] = strings.Replace(invoice1C[7], "ООО «Ромашка»", tc.reread, 1)
			res := Extract(context.Background(), []pervichka.Page{pageScaled(1, 0.95, lines...)}, cfg(), pageRereader{pages: []pervichka.Page{pageScaled(1, 0.95, reread...)}, conf: 0.95})
			if string(res.Supplier.Name) != tc.want {
				t.Fatalf("supplier %+v, want %q", res.Supplier, tc.want)
			}
			if got := slices.Contains(res.Evidence["supplier.name"], pervichka.EvidenceRepeated); got != tc.vouched {
				t.Errorf("repeated %v, want %v (evidence %v)", got, tc.vouched, res.Evidence["supplier.name"])
			}
			if tc.vouched == res.NeedsReview {
				t.Errorf("needs review %v (%v)", res.NeedsReview, res.ReviewReasons)
			}
		})
	}
}

// An abbreviation of a kind of organisation read in Latin twins is spelled
// in Cyrillic (10231's realistic ТОРГ-12 008: «ПАО “HNO Квадрат”» at both
// printings); a Latin word the list does not hold, or in small letters,
// stays, and the name with it is not vouched for by a printing read alike.
func TestFoldOrgAbbrevs(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"ПАО “HNO Квадрат”", "ПАО “НПО Квадрат”"},
		{"ООО \"NK Арсенал\"", "ООО \"ПК Арсенал\""},
		{"ООО «CMY-5»", "ООО «СМУ-5»"},
		{"ООО «CMY 5»", "ООО «СМУ 5»"},
		{"ООО «HNOX»", "ООО «HNOX»"},
		{"ООО «nk Арсенал»", "ООО «nk Арсенал»"},
		{"ООО «Smart»", "ООО «Smart»"},
		{"ООО «НПО Квадрат»", "ООО «НПО Квадрат»"},
	} {
		if got := foldOrgAbbrevs(tc.in); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct {
		printed, want string
		repeated      bool
	}{
		{"ООО «HNO Ромашка»", "ООО «НПО Ромашка»", true},
		{"ООО «HNOX Ромашка»", "ООО «HNOX Ромашка»", false},
	} {
		lines := slices.Clone(invoice1C)
		lines[4] = tc.printed
		lines[7] = strings.Replace(lines[7], "ООО «Ромашка»", tc.printed, 1)
		ocr := pageScaled(1, 0.95, lines...)
		res := Extract(context.Background(), []pervichka.Page{ocr}, cfg(), pageRereader{pages: []pervichka.Page{ocr}, conf: 0.95})
		if string(res.Supplier.Name) != tc.want {
			t.Errorf("%s: supplier %q, want %q", tc.printed, res.Supplier.Name, tc.want)
		}
		if got := slices.Contains(res.Evidence["supplier.name"], pervichka.EvidenceRepeated); got != tc.repeated || got == res.NeedsReview {
			t.Errorf("%s: repeated %v, want %v; review %v %v", tc.printed, got, tc.repeated, res.NeedsReview, res.ReviewReasons)
		}
	}
}

// Our ИНН read unsurely twice (a photo's 0.5 each), its check digits
// right, under our name, is not held for its confidence alone (unseen
// seed 10231's realistic УПД 005); without the agreeing second reading,
// or under a name that is not ours, it is.
func TestOwnINNReadUnsurely(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, buyer string
		rr          bool
		lifted      bool
	}{
		{"ours, read twice", "ООО «Лютик»", true, true},
		{"ours, read once", "ООО «Лютик»", false, false},
		{"our ИНН under another name", "ООО «Лотос»", true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lines := edit(invoice1C, "Покупатель @12 ООО «Лютик», ИНН 5003123458,", "Покупатель @12 "+tc.buyer+", ИНН 5003123458,~0.5")
			ocr := pageScaled(1, 0.95, lines...)
			var rr Rereader
			if tc.rr {
				rr = pageRereader{pages: []pervichka.Page{ocr}, conf: 0.5}
			}
			res := Extract(context.Background(), []pervichka.Page{ocr}, cfg(), rr)
			if res.Buyer.INN != "5003123458" {
				t.Fatalf("buyer %+v", res.Buyer)
			}
			c := res.Confidence["buyer.inn"]
			if lifted := c >= DefaultMinConfidence; lifted != tc.lifted {
				t.Errorf("buyer.inn at %.2f (%v), lifted %v, want %v", c, res.ReviewReasons, lifted, tc.lifted)
			}
		})
	}
}

// A sole trader's surname read in Latin letters («ИП besos Константин
// Романович», study seed 10271's photographed bill 019) is read again on
// its own; a reading in Cyrillic replaces it, and the signature then
// vouches for the name. A reading in Latin again, or of another length,
// leaves it.
func TestSoleTraderLatinWordReread(t *testing.T) {
	t.Parallel()
	lines := edit(invoice1C,
		"ИНН 7701234560 @25 КПП 770101001 @60", "@60",
		"Поставщик @12 ООО «Ромашка», ИНН 7701234560, КПП 770101001,", "Поставщик @12 ИП besos Константин Романович, ИНН 234336690223,")
	lines = append(lines[:4:4], lines[6:]...)
	lines = append(lines, "Предприниматель @30 Белов К. Р.")
	for _, tc := range []struct {
		reread, want string
	}{
		{"Белов", "ИП Белов Константин Романович"},
		{"besos", "ИП besos Константин Романович"},
		{"Белововов", "ИП besos Константин Романович"},
	} {
		ocr := pageScaled(1, 0.95, lines...)
		rr := boxRereader{pageRereader{pages: []pervichka.Page{ocr}, conf: 0.9}, "besos", tc.reread, tc.reread}
		res := Extract(context.Background(), []pervichka.Page{ocr}, cfg(), rr)
		if string(res.Supplier.Name) != tc.want {
			t.Errorf("re-read %q: supplier %q, want %q", tc.reread, res.Supplier.Name, tc.want)
			continue
		}
		vouched := slices.Contains(res.Evidence["supplier.name"], pervichka.EvidenceSignature)
		if vouched != (tc.reread == "Белов") {
			t.Errorf("re-read %q: evidence %v", tc.reread, res.Evidence["supplier.name"])
		}
	}
}

// A role label misread by a letter or two at the start of its line still
// marks the form (study seed 10271's photographed bill 025: «Плателыцик:»
// for «Плательщик:»); a word further off, or one in the line's middle,
// does not.
func TestLabelNear(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		line string
		want bool
	}{
		{"Плателыцик: АО «Спектр», ИНН 7446628853", true},
		{"Плательщик: АО «Спектр»", true},
		{"Плаыыыцик: АО «Спектр»", false},
		{"Основание: плателыцик АО «Спектр»", false},
		{"Покупатель: АО «Спектр»", false},
	} {
		ls := buildLines([]pervichka.Page{pageOf(tc.line)})
		if got := labelNear(ls, "плательщик", "заказчик"); got != tc.want {
			t.Errorf("%q: %v, want %v", tc.line, got, tc.want)
		}
	}
}
