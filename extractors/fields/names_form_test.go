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
		if got := supplierNameOf(c.printed); got != c.want {
			t.Errorf("%s: supplier name %q, want %q", c.printed, got, c.want)
		}
	}
}

// TestWrappedRoleLabel: a label column too narrow for «Исполнитель:» wraps
// it as «Исполнител» / «ь:»; the truncated word still labels the party.
func TestWrappedRoleLabel(t *testing.T) {
	page := pageOf(
		"Акт сдачи-приемки оказанных услуг № 1211 от 31.12.2024",
		`Исполнител ООО "Зенит-Юг"`,
		"ь: @12 ИНН: 7707083893",
		"@12 КПП: 773601001",
		`Заказчик: @12 АО "Спектр"`,
		"@12 ИНН: 7446628853",
		"@12 КПП: 744601001",
	)
	x := newExtraction(context.Background(), []pervichka.Page{page}, Config{Now: testNow}, nil)
	x.run()
	r := x.result()
	if r.Supplier.Name != `ООО "Зенит-Юг"` || r.Buyer.Name != `АО "Спектр"` {
		t.Errorf("supplier %q buyer %q", r.Supplier.Name, r.Buyer.Name)
	}
}

// TestRowLabelNotInName: on ТОРГ-12 the supplier's ИНН also stands on the
// consignor's row; a name taken from that row starts after its label
// (seed 31, 013-torg12: «Грузоотправитель» was posted for review as the
// supplier's name, the «Поставщик» label itself misread).
func TestRowLabelNotInName(t *testing.T) {
	page := pageOf(
		"Унифицированная форма № ТОРГ-12",
		`Грузоотправитель @14 АО "Профхолдинг”, ИНН 7439891853, КПП 544901001, 454203, г. Челябинск, пер. Строителей, д. 88`,
		`@14 40702810242101235117, в банке АО "Райффайзенбанк" г. Москва. БИК 044525700, к/с 30101810200000000700`,
		`Грузополучатель @14 ООО "Магистраль-Центр”. ИНН 5001343031, КПП 500101001, 141423, Московская обл.`,
		`Постазцих @14 АО "Профхолдинг”, ИНН 7439891853, КПП 544901001, 454203, г. Челябинск. пер. Строителей`,
		`@14 40702810242101235117, в банке АО "Райффайзенбанк" г. Москва. БИК 044525700, к/с 30101810200000000700`,
		`Плательщих @14 ООО "Магистраль-Центр", ИНН 5001343031, КЛП 500101001, 141423, Московская обл.`,
	)
	x := newExtraction(context.Background(), []pervichka.Page{page}, Config{Now: testNow}, nil)
	x.run()
	if r := x.result(); r.Supplier.Name != `АО "Профхолдинг”` {
		t.Errorf("supplier name %q inn %q buyer %q %q reasons %v", r.Supplier.Name, r.Supplier.INN, r.Buyer.Name, r.Buyer.INN, r.ReviewReasons)
	}
}

// TestDashForOpeningQuote: OCR reads a name's opening quote as a dash
// («ООО -Магистраль-Центр"»); a real-layout soak posted it so, the gate
// comparing letters only.
func TestDashForOpeningQuote(t *testing.T) {
	for _, c := range []struct{ printed, want string }{
		{`ООО -Магистраль-Центр"`, `ООО "Магистраль-Центр"`},
		{`ООО -Ромашка`, `ООО Ромашка`},
		{`ООО "Магистраль-Центр"`, `ООО "Магистраль-Центр"`},
	} {
		if got := supplierNameOf(c.printed); got != c.want {
			t.Errorf("%s: supplier name %q, want %q", c.printed, got, c.want)
		}
	}
}

// supplierNameOf extracts a bill whose supplier's name is printed as
// printed and returns the supplier's name as read.
func supplierNameOf(printed string) string {
	page := pageOf(
		"Счет на оплату № 15 от 12 марта 2025 г.",
		"Поставщик: "+printed+", ИНН 7707083893, КПП 773601001",
		"Покупатель: ИП Петров Иван Сергеевич, ИНН 500100732259",
	)
	x := newExtraction(context.Background(), []pervichka.Page{page}, Config{Now: testNow}, nil)
	x.run()
	return string(x.result().Supplier.Name)
}
