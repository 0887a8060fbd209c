package fields

import (
	"testing"

	pervichka "github.com/pervichka/pervichka"
)

// The totals line read as one more row is dropped: nameless on one sum
// (seed 8801), named by its garbled label and the signature line under it
// on one sum (seed 9501's realistic счёт-фактура 009: «; = onnare (9)
// Руководитель организации …» doubled the total), or named anything when
// both its amount and VAT are the sums of two or more rows. A real row
// stays, including a second row equal to the first.
func TestDropTotalsRow(t *testing.T) {
	t.Parallel()
	row := func(name string, amt, vat pervichka.Kopecks) itemRow {
		return itemRow{item: pervichka.Item{Name: pervichka.Text(name)}, amount: amt, vat: vat, hasAmt: true, hasVAT: true}
	}
	three := []itemRow{row("Степлер", 469399, 78233), row("Папка", 169664, 28277), row("Файл", 635280, 105880)}
	for _, tc := range []struct {
		name string
		rows []itemRow
		want int
	}{
		{"nameless sum", append(three[:3:3], row("", 1274343, 0)), 3},
		{"garbled label", append(three[:3:3], row("; = onnare (9) Руководитель организации или иное уполномоченное", 1274343, 999)), 3},
		{"both sums", append(three[:3:3], row("лицо", 1274343, 212390)), 3},
		{"named, one sum", append(three[:3:3], row("Бумага офисная", 1274343, 1000)), 4},
		{"two equal rows", []itemRow{row("Услуги за март", 100000, 16667), row("Услуги за апрель", 100000, 16667)}, 2},
		{"a real last row", append(three[:3:3], row("Скрепки", 5000, 833)), 4},
	} {
		if got := len(dropTotalsRow(tc.rows)); got != tc.want {
			t.Errorf("%s: %d rows kept, want %d", tc.name, got, tc.want)
		}
	}
}

// The form's row of column numbers garbled past knowing is no item (seed
// 9501's realistic ТОРГ-12 010: «$ ? 3 * $ * ? . з 0 u 2 5) и 15» read as
// an item of 15,00); a first row that names goods, or has a price or
// kopecks, stays.
func TestDropNumbersRow(t *testing.T) {
	t.Parallel()
	item := itemRow{item: pervichka.Item{Name: "Бумага для заметок", Price: "135.67"}, amount: 122103, hasAmt: true}
	for _, tc := range []struct {
		name  string
		first itemRow
		want  int
	}{
		{"garbled numbers", itemRow{item: pervichka.Item{Name: "? 3"}, amount: 1500, hasAmt: true, wholeMoney: true}, 2},
		{"a lone letter and a mark", itemRow{item: pervichka.Item{Name: "i 2"}, amount: 500, hasAmt: true, wholeMoney: true}, 2},
		{"a word of two letters", itemRow{item: pervichka.Item{Name: "Чай 2"}, amount: 500, hasAmt: true, wholeMoney: true}, 3},
		{"nameless with a price", itemRow{item: pervichka.Item{Name: "? 3", Price: "7.50"}, amount: 1500, hasAmt: true, wholeMoney: true}, 3},
		{"named, whole roubles", itemRow{item: pervichka.Item{Name: "Доставка"}, amount: 1500, hasAmt: true, wholeMoney: true}, 3},
		{"nameless with kopecks", itemRow{item: pervichka.Item{Name: "3"}, amount: 1550, hasAmt: true}, 3},
	} {
		if got := len(dropNumbersRow([]itemRow{tc.first, item, item})); got != tc.want {
			t.Errorf("%s: %d rows kept, want %d", tc.name, got, tc.want)
		}
	}
}
