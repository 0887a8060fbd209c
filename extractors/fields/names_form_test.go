package fields

import (
	"context"
	"testing"

	pervichka "github.com/pervichka/pervichka"
)

// TestLegalFormInLookalikes: «ООО» read as «000» (or in Latin) before a
// quoted name is the legal form, not a number that refuses the name.
func TestLegalFormInLookalikes(t *testing.T) {
	for _, c := range []struct{ printed, want string }{
		{`000 "Стройпроект"`, `ООО "Стройпроект"`},
		{`OOO «Ромашка»`, `ООО «Ромашка»`},
		{`3AO "Вектор"`, `ЗАО "Вектор"`},
		{`ООО "Ромашка"`, `ООО "Ромашка"`},
	} {
		page := pageOf(
			"Счет на оплату № 15 от 12 марта 2025 г.",
			"Поставщик: "+c.printed+", ИНН 7707083893, КПП 773601001",
			"Покупатель: ИП Петров Иван Сергеевич, ИНН 500100732259",
		)
		x := newExtraction(context.Background(), []pervichka.Page{page}, Config{Now: testNow}, nil)
		x.run()
		if r := x.result(); string(r.Supplier.Name) != c.want {
			t.Errorf("%s: supplier name %q, want %q", c.printed, r.Supplier.Name, c.want)
		}
	}
}
