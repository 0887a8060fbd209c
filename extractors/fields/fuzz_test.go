package fields

import (
	"context"
	"strings"
	"testing"

	pervichka "github.com/pervichka/pervichka"
)

// FuzzExtract feeds random words with random boxes (and real document lines
// as seeds), and random text as every second reading of a box (OCR's
// answer to a re-read is as untrusted as its first): extraction must not
// panic, a result with any key field empty must go to review, and every
// location must name the pages' words.
//
// Run it through scripts/fuzz.sh (-fuzzminimizetime 50x). Under a plain
// `go test -fuzz FuzzExtract` the fuzzer spends up to 60 s minimizing
// every input that finds new coverage — nearly every early input here, a
// whole document at ~20–40 ms a run — and its status line counts none of
// those runs: it showed 122 execs and then 0/s for the rest of a 25 s run
// (December 5), against 6,071 execs in 45 s with the script's setting.
func FuzzExtract(f *testing.F) {
	for _, doc := range [][]string{invoice1C, vatInvoice, upd, act, contract} {
		f.Add(strings.Join(doc, "\n"), uint8(0), "")
	}
	f.Add("Счет № 1 от 01.01.2024\nИНН 7701234560 КПП\nИтого: 1,00", uint8(3), "№ 1 от 01.01.2024")
	f.Add(strings.Join(act, "\n"), uint8(0), "Акт № 12 от “31” мая 202 5 г.")
	f.Add("", uint8(1), "714” фепраля")
	// This session's readings: a lost ИНН read from its label's cell, a
	// day glued to the month, a quantity glued to its unit, a VAT note
	// under the table, a row that does not add up.
	f.Add("Счет-фактура № 15 от 1м ая 2025 г. (1)\nИНН/КПП продавца: вто (2б)\nТовары @40 Кол-во @48 Ед. @56 Цена @64 Сумма\nБумага @48 2|шт @56 10,00 @64 200,00\nНДС не облагается.\nИтого: 200,00", uint8(2), "5216899238/521601001")
	f.Add("Назначение @20 Предоплата за товары @60 НДС не облагается\nТовары и услуги @40 Срок @48 Кол-во @56 Ед. @62 Цена @72 Сумма\nСаморез @40 2 рд @48 9,5 @56 kr @62 413,47 @72 3927,97\nИтого: 3927,97", uint8(0), "")
	// The fourteenth session's readings: a title split by a mark, a form's
	// number line without its title, an ИНН before «КПП» without its
	// label and a pair garbled into Latin, a currency beside a money
	// heading, a price or quantity the row's arithmetic puts back, a VAT
	// proposed from its rate, a name taken from its other printing.
	f.Add("СЧЕТ > ФА КТУР А № 754 oT 13 июля 2023 г. (1)\nми. 3606802745 КПП 360601001\nAHHIKTIN nponmaya: 7822140300/782201001 (26)\n№ 786 от 29 апреля 2023 г. (1)\nТовары @40 Кол-во @48 Ед. @56 Цена, @63 руб. @72 Сумма, @80 руб.\nМука @48 15 @56 З|шт @60 340,67 @76 511,01\nВ том числе НДС (22%): ре\nИтого подлежит оплате: 511,01 руб., в Tom's ле НДС 92,15 руб.", uint8(1), "№ lo 1752")
	f.Add("Грузоотправитель ООО \"ЭкоМонтаж Юг\", ИНН 1612961468\nПоставщик ООО \"ЭкоМонтаж tOr\", ИНН 1612961468\nр/с 40702810000490398970, в банке Банх ГПБ (АО) 1. Москва, БИК 044525823\nОснования Договор № 113124 от 14.01.2023", uint8(0), "")
	// A БИК garbled in its cell and in the accounts' column (read again),
	// rows saying «без НДС» under a garbled totals line.
	f.Add("Поставщик: ООО «Ромашка», ИНН 7810109760\nР/с № @12 40702810358253852466\nБИК @12 Ор\npet @12 ее\nК/с № @12 30101810400000000225\n№ @4 Товары @30 Кол-во @38 Ед. @44 Цена @54 НДС @62 Сумма\n1 @4 Соль @30 20 @38 кг @44 225,02 @54 без НДС @62 4 510,40\n@40 ТОГО 6e3 HOC\nИтого: 4 510,40", uint8(2), "044525225")
	f.Fuzz(func(t *testing.T, text string, jitter uint8, reread string) {
		page := pageOf(strings.Split(text, "\n")...)
		// Disturb the boxes deterministically: overlapping, inverted and
		// zero-sized words must be survived.
		for i := range page.Words {
			j := int(jitter) * (i%7 - 3)
			page.Words[i].Box.Y0 += j
			page.Words[i].Box.X1 -= j * 2
			page.Words[i].Conf = float64((i*int(jitter))%11) / 10
		}
		var rr Rereader
		if reread != "" {
			rr = &fakeRereader{text: reread, conf: float64(jitter%10) / 10}
		}
		x := newExtraction(context.Background(), []pervichka.Page{page, page}, Config{Own: own, Now: testNow, MinConfidence: 0.8}, rr)
		x.run() // no recover here: a panic fails the fuzz run
		res := x.result()
		for _, k := range pervichka.KeyFields {
			if keyEmpty(&res, k) && !res.NeedsReview {
				t.Fatalf("key field %s empty but needs_review=false: %+v", k, res)
			}
		}
		if blocking(res.ReviewReasons) && !res.NeedsReview {
			t.Fatalf("reasons %v without review", res.ReviewReasons)
		}
		// Every location names words of the pages and boxes within them
		// (a re-read's crop has no words of its own).
		for key, ls := range res.Locations {
			for _, l := range ls {
				if l.Page < 0 || l.Page > 1 || l.Box.Dx() <= 0 || l.Box.Dy() <= 0 {
					t.Fatalf("%s at %+v", key, l)
				}
				var union pervichka.Rect
				for _, w := range l.Words {
					if w < 0 || w >= len(page.Words) {
						t.Fatalf("%s names word %d of %d", key, w, len(page.Words))
					}
					union = union.Union(page.Words[w].Box)
				}
				if len(l.Words) > 0 && l.Box.Union(union) != union {
					t.Fatalf("%s boxed at %v, its words at %v", key, l.Box, union)
				}
			}
		}
	})
}
