package fields

import (
	"context"
	"slices"
	"testing"

	pervichka "github.com/pervichka/pervichka"
)

// A role label whose first letters OCR lost at the sheet's left edge
// («упатель» for «Покупатель», seed 8901's scanner-app bill 009) still
// labels its side: the buyer's name is the one printed after it, not the
// label's remains.
func TestTruncatedRoleLabel(t *testing.T) {
	t.Parallel()
	lines := slices.Clone(invoice1C)
	i := slices.Index(lines, "Покупатель @12 ООО «Лютик», ИНН 5003123458, КПП 500301001, г. Химки")
	if i < 0 {
		t.Fatal("invoice1C changed: no buyer line")
	}
	lines[i] = "упатель @12 ООО «Лютик», ИНН 5003123458, КПП 500301001, г. Химки"
	lines = slices.DeleteFunc(lines, func(s string) bool { return s == "(Заказчик):" })
	res := Extract(context.Background(), []pervichka.Page{pageOf(lines...)}, cfg(), nil)
	want := pervichka.Party{Name: "ООО «Лютик»", INN: "5003123458", KPP: "500301001"}
	if res.Buyer != want {
		t.Errorf("buyer %+v, want %+v", res.Buyer, want)
	}
}

func TestTruncatedLabelWord(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		key, want string
	}{
		{"упатель", "покупатель"},
		{"упатель:", "покупатель"},
		{"ставщик", "поставщик"},
		{"лучатель", "получатель"},
		{"полнитель", "исполнитель"},
		{"атель", ""},      // too short: ends several role words
		{"покупатель", ""}, // whole: not truncated (matched as it is)
		{"ель", ""},
		{"оставщик", "поставщик"},
		{"ь", ""},
		{"читатель", ""}, // ends no role word
	} {
		got, ok := truncatedLabel(tc.key)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("truncatedLabel(%q) = %q, %v; want %q", tc.key, got, ok, tc.want)
		}
	}
}
