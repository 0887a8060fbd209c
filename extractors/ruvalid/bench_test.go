package ruvalid

import (
	"strings"
	"testing"
)

// pageText is a page-sized text of the kind the extractor hands over when it
// cannot isolate the «прописью» line.
var pageText = strings.Repeat("Поставщик: ООО «Ромашка», ИНН 7707083893, КПП 773601001, р/с 40702810938000000001 "+
	"Товар Количество Цена Сумма Всего наименований 3, на сумму 214 500,00 руб. ", 40) +
	"Всего к оплате: Двести четырнадцать тысяч пятьсот рублей 00 копеек"

func BenchmarkParseAmountWordsPage(b *testing.B) {
	b.SetBytes(int64(len(pageText)))
	for b.Loop() {
		if _, ok := ParseAmountWords(pageText); !ok {
			b.Fatal("not read")
		}
	}
}

func BenchmarkFindDatesPage(b *testing.B) {
	b.SetBytes(int64(len(pageText)))
	for b.Loop() {
		FindDates(pageText)
	}
}

// lineText is one line with no repetition for the memo to exploit.
const lineText = "Поставщик: ООО «Ромашка», ИНН 7707083893, КПП 773601001, р/с 40702810938000000001 " +
	"Товар Количество Цена Сумма Всего наименований 3, на сумму 214 500,00 руб. " +
	"Всего к оплате: Двести четырнадцать тысяч пятьсот рублей 00 копеек"

func BenchmarkParseAmountWordsLine(b *testing.B) {
	b.SetBytes(int64(len(lineText)))
	for b.Loop() {
		if _, ok := ParseAmountWords(lineText); !ok {
			b.Fatal("not read")
		}
	}
}
