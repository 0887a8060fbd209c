package corpus

import (
	"fmt"
	"math/rand/v2"

	"github.com/pervichka/pervichka/corpus/sheet"
)

// invoiceTotals prints «Итого / В том числе НДС / Всего к оплате» right-aligned
// under a table that ends at xr.
func (c *canvas) invoiceTotals(d *docData, f fonts, xr float64, labels [3]string) {
	lw, vw := 70.0, 32.0
	lines := [][2]string{{labels[0], d.money(d.Total)}}
	if d.VAT.None {
		lines = append(lines, [2]string{"Без налога (НДС):", "-"})
	} else {
		lines = append(lines, [2]string{fmt.Sprintf(labels[1], d.VAT.label()), d.money(d.VATSum)})
	}
	lines = append(lines, [2]string{labels[2], d.money(d.Total)})
	c.gap(1)
	for _, l := range lines {
		c.ensure(lineHeight(f.Bold))
		y := c.y + ascent(f.Bold)
		c.textBox(xr-vw-lw, y, lw, f.Bold, sheet.Right, l[0])
		c.textBox(xr-vw, y, vw, f.Bold, sheet.Right, l[1])
		c.y += lineHeight(f.Bold) + 0.6
	}
}

// bankBlock1C draws the requisites grid at the top of a 1С bill:
//
//	| bank name            | БИК   | 044525225            |
//	| Банк получателя      | Сч. № | 30101810400000000225 |
//	| ИНН … | КПП …        | Сч. № | 40702810…            |
//	| recipient            |       |                      |
//	| Получатель           |       |                      |
func (c *canvas) bankBlock1C(d *docData, f fonts, splitINN bool) {
	p := d.Supplier
	x, w := c.x0(), c.width()
	lw := w * 0.56
	mw := 16.0
	rw := w - lw - mw
	y := c.y
	small := f.Small
	bankLines := wrap(f.Body, p.Account.Bank.Name+" "+p.Account.Bank.City, lw-2)
	h1 := max(11.0, 1.5+float64(len(bankLines))*lineHeight(f.Body)+lineHeight(small))
	c.rect(x, y, w, h1, 0.25)
	c.vline(x+lw, y, y+h1, 0.25)
	c.vline(x+lw+mw, y, y+h1, 0.25)
	c.hline(x+lw, x+lw+mw, y+5, 0.25)
	c.hline(x+lw+mw, x+w, y+5, 0.15)
	for i, ln := range bankLines {
		c.textBox(x+1, y+ascent(f.Body)+1+float64(i)*lineHeight(f.Body), lw-2, f.Body, sheet.Left, ln)
	}
	c.textBox(x+1, y+h1-1, lw-2, small, sheet.Left, "Банк получателя")
	c.textBox(x+lw+1, y+4, mw-2, f.Body, sheet.Left, "БИК")
	c.textBox(x+lw+mw+1, y+4, rw-2, f.Body, sheet.Left, p.Account.Bank.BIK)
	c.textBox(x+lw+1, y+9.5, mw-2, f.Body, sheet.Left, "Сч. №")
	c.textBox(x+lw+mw+1, y+9.5, rw-2, f.Body, sheet.Left, p.Account.Corr)
	y += h1
	nameLines := wrap(f.Body, d.SupplierName, lw-2)
	h2 := max(15.0, 6.5+float64(len(nameLines))*lineHeight(f.Body)+lineHeight(small))
	c.rect(x, y, w, h2, 0.25)
	c.vline(x+lw, y, y+h2, 0.25)
	c.vline(x+lw+mw, y, y+h2, 0.25)
	c.hline(x, x+lw, y+5, 0.15)
	if splitINN && !p.IP() {
		c.vline(x+lw/2, y, y+5, 0.15)
		c.textBox(x+1, y+4, lw/2-2, f.Body, sheet.Left, "ИНН "+p.INN)
		c.textBox(x+lw/2+1, y+4, lw/2-2, f.Body, sheet.Left, "КПП "+p.KPP)
	} else {
		c.textBox(x+1, y+4, lw-2, f.Body, sheet.Left, innKPP(p, "   "))
	}
	c.textBox(x+lw+1, y+4, mw-2, f.Body, sheet.Left, "Сч. №")
	c.textBox(x+lw+mw+1, y+4, rw-2, f.Body, sheet.Left, p.Account.Account)
	for i, ln := range nameLines {
		c.textBox(x+1, y+5+ascent(f.Body)+1+float64(i)*lineHeight(f.Body), lw-2, f.Body, sheet.Left, ln)
	}
	c.textBox(x+1, y+h2-1, lw-2, small, sheet.Left, "Получатель")
	c.y = y + h2 + 6
}

func invoiceNotice(d *docData) string {
	return fmt.Sprintf("Внимание! Оплата данного счета означает согласие с условиями поставки товара. "+
		"Счет действителен к оплате в течение %d банковских дней. Товар отпускается по факту прихода денег "+
		"на р/с Поставщика, самовывозом, при наличии доверенности и паспорта.", d.PayDays)
}

// signatures for bills: «Руководитель … Бухгалтер …» or the entrepreneur.
func (c *canvas) billSignatures(r *rand.Rand, d *docData, f fonts, headLabel, bookLabel string) {
	c.gap(4)
	c.ensure(30)
	y0 := c.y
	p := d.Supplier
	half := c.width() / 2
	if p.IP() {
		mid := c.signLine(c.x0(), half+20, f.Body, "Предприниматель", p.Head.Short(), d.Seed, true)
		if d.Stamps && r.IntN(2) == 0 {
			c.stamp(r, p, mid+15, y0+2)
		}
		return
	}
	mid := c.signLine(c.x0(), half-2, f.Body, headLabel, p.Head.Short(), d.Seed, true)
	c.y = y0
	c.signLine(c.x0()+half+2, half-2, f.Body, bookLabel, p.Booker.Short(), d.Seed+1, r.IntN(4) != 0)
	if d.Stamps {
		c.stamp(r, p, mid+8+r.Float64()*20, y0+6+r.Float64()*6)
	}
}

// invoice1C is the classic 1С:Бухгалтерия «Счет на оплату».
func invoice1C(r *rand.Rand, d *docData) sheet.Document {
	f := pickFonts(r, sansFamilies, 8.5+float64(r.IntN(3))*0.5, 8+float64(r.IntN(2))*0.5, 13)
	c := newCanvas(false, 15, 10, 10, 12)
	if r.IntN(2) == 0 {
		c.para(c.x0(), c.width(), f.Small, sheet.Center, invoiceNotice(d))
		c.gap(3)
	}
	c.bankBlock1C(d, f, r.IntN(2) == 0)
	c.para(c.x0(), c.width(), f.Title, sheet.Left, fmt.Sprintf("Счет на оплату № %s от %s", d.Number, d.date()))
	c.gap(1)
	c.hline(c.x0(), c.x1(), c.y, 0.6)
	c.gap(3)
	supLabel, buyLabel := "Поставщик\n(Исполнитель):", "Покупатель\n(Заказчик):"
	if r.IntN(2) == 0 {
		supLabel, buyLabel = "Поставщик:", "Покупатель:"
	}
	c.kv(c.x0(), 28, c.width(), f.Body, f.Bold, supLabel, partyLine(d.SupplierName, d.Supplier, r.IntN(2) == 0))
	c.gap(2)
	c.kv(c.x0(), 28, c.width(), f.Body, f.Bold, buyLabel, partyLine(d.BuyerName, d.Buyer, false))
	c.gap(2)
	if d.Contract != nil {
		c.kv(c.x0(), 28, c.width(), f.Body, f.Bold, "Основание:", fmt.Sprintf("Договор № %s от %s", d.Contract.Number, formatDate(d.Contract.Date, dateNumeric)))
		c.gap(2)
	}
	c.gap(1)
	t := table{X: c.x0(), Head: f.Head, Body: f.Table, Pad: 1, Border: 0.25,
		Cols: scaleCols([]column{
			{"№", 8, sheet.Center}, {wording(r, "Товары (работы, услуги)", "Товары", "Наименование товара"), 90, sheet.Left},
			{"Кол-во", 18, sheet.Right}, {"Ед.", 12, sheet.Left}, {"Цена", 25, sheet.Right}, {"Сумма", 27, sheet.Right},
		}, c.width())}
	rows := make([][]string, len(d.Items))
	for i := range d.Items {
		x := d.cells(i)
		rows[i] = []string{x.N, x.Name, x.Qty, x.Unit, x.Price, x.Amount}
	}
	c.drawTable(t, rows)
	c.invoiceTotals(d, f, c.x1(), [3]string{"Итого:", "В том числе НДС %s:", "Всего к оплате:"})
	c.gap(2)
	c.para(c.x0(), c.width(), f.Body, sheet.Left, fmt.Sprintf("Всего наименований %d, на сумму %s руб.", len(d.Items), d.money(d.Total)))
	c.para(c.x0(), c.width(), f.Bold, sheet.Left, amountWords(d.Total))
	c.gap(2)
	c.hline(c.x0(), c.x1(), c.y, 0.6)
	c.gap(6)
	c.billSignatures(r, d, f, "Руководитель", "Бухгалтер")
	return c.doc
}

// invoiceModern is the kind of bill online accounting services print: the
// supplier's letterhead, a vertical table of payment requisites, and a VAT
// column in the items table.
func invoiceModern(r *rand.Rand, d *docData) sheet.Document {
	f := pickFonts(r, sheet.Families, 9+float64(r.IntN(3))*0.5, 8.5, 14)
	c := newCanvas(false, 18, 12, 14, 14)
	p := d.Supplier
	c.para(c.x0(), c.width(), sheet.Font{Family: f.Family, Size: 12, Bold: true}, sheet.Left, d.SupplierName)
	c.para(c.x0(), c.width(), f.Small, sheet.Left, p.Address)
	c.para(c.x0(), c.width(), f.Small, sheet.Left, "Тел.: "+p.Phone)
	c.gap(2)
	c.hline(c.x0(), c.x1(), c.y, 0.3)
	c.gap(6)
	c.para(c.x0(), c.width(), f.Title, sheet.Center, fmt.Sprintf("Счёт № %s от %s", d.Number, d.date()))
	c.gap(4)
	c.para(c.x0(), c.width(), f.Bold, sheet.Left, "Получатель платежа")
	c.gap(1)
	kt := table{X: c.x0(), Head: f.Body, Body: f.Body, Pad: 1, Border: 0.2,
		Cols: []column{{"", 45, sheet.Left}, {"", c.width() - 45, sheet.Left}}}
	req := [][]string{
		{"Получатель", d.SupplierName},
		{"ИНН / КПП", innSlashKPP(p)},
		{"Расчётный счёт", p.Account.Account},
		{"Банк", p.Account.Bank.Name},
		{"БИК", p.Account.Bank.BIK},
		{"Корр. счёт", p.Account.Corr},
	}
	if p.IP() {
		req[1] = []string{"ИНН", p.INN}
	}
	for _, row := range req {
		c.y += c.row(kt, f.Body, row, false, false, -1)
	}
	c.gap(5)
	c.kv(c.x0(), 30, c.width(), f.Bold, f.Body, "Плательщик:", d.BuyerName+", "+innKPP(d.Buyer, ", ")+", "+d.Buyer.Address)
	c.gap(1)
	if d.Contract != nil {
		c.kv(c.x0(), 30, c.width(), f.Bold, f.Body, "Основание:", fmt.Sprintf("Договор № %s от %s", d.Contract.Number, formatDate(d.Contract.Date, dateWords)))
	}
	c.gap(4)
	t := table{X: c.x0(), Head: f.Head, Body: f.Table, Pad: 1.2, Border: 0.2, HeadFill: true,
		Cols: scaleCols([]column{
			{"№", 7, sheet.Center}, {"Наименование", 78, sheet.Left}, {"Ед. изм.", 13, sheet.Center},
			{"Кол-во", 15, sheet.Right}, {"Цена, руб.", 22, sheet.Right}, {"НДС", 14, sheet.Center}, {"Сумма, руб.", 25, sheet.Right},
		}, c.width())}
	rows := make([][]string, len(d.Items))
	for i := range d.Items {
		x := d.cells(i)
		rows[i] = []string{x.N, x.Name, x.Unit, x.Qty, x.Price, x.Rate, x.Amount}
	}
	c.drawTable(t, rows)
	c.invoiceTotals(d, f, c.x1(), [3]string{"Итого:", "в т.ч. НДС (%s):", "Итого к оплате:"})
	c.gap(3)
	c.para(c.x0(), c.width(), f.Body, sheet.Left, fmt.Sprintf("Всего наименований %d, на сумму %s руб.", len(d.Items), d.money(d.Total)))
	c.kv(c.x0(), 35, c.width(), f.Body, f.Bold, "Сумма прописью:", amountWords(d.Total))
	c.gap(2)
	c.para(c.x0(), c.width(), f.Small, sheet.Left, fmt.Sprintf("Оплатить не позднее %s. В назначении платежа укажите номер счёта.", formatDate(d.Date.AddDate(0, 0, d.PayDays), dateNumeric)))
	c.gap(8)
	c.billSignatures(r, d, f, headTitle(p), "Главный бухгалтер")
	return c.doc
}

// invoiceCompact puts the two parties side by side with their requisites on
// separate lines, in a serif face, and shows VAT per line.
func invoiceCompact(r *rand.Rand, d *docData) sheet.Document {
	f := pickFonts(r, serifFamilies, 9+float64(r.IntN(4))*0.5, 8+float64(r.IntN(2))*0.5, 13)
	c := newCanvas(false, 20, 10, 12, 12)
	c.para(c.x0(), c.width(), f.Title, sheet.Center, "СЧЁТ № "+d.Number)
	c.para(c.x0(), c.width(), f.Body, sheet.Center, "от "+d.date())
	c.gap(5)
	colW := c.width()/2 - 3
	y0 := c.y
	sideBlock := func(x float64, title, name string, p *party, bank bool) float64 {
		c.y = y0
		c.para(x, colW, f.Bold, sheet.Left, title)
		c.para(x, colW, f.Body, sheet.Left, name)
		if p.IP() {
			c.para(x, colW, f.Body, sheet.Left, "ИНН: "+p.INN)
		} else {
			c.para(x, colW, f.Body, sheet.Left, "ИНН: "+p.INN)
			c.para(x, colW, f.Body, sheet.Left, "КПП: "+p.KPP)
		}
		c.para(x, colW, f.Body, sheet.Left, "Адрес: "+p.Address)
		if bank {
			c.para(x, colW, f.Body, sheet.Left, "Р/с: "+p.Account.Account)
			c.para(x, colW, f.Body, sheet.Left, "Банк: "+p.Account.Bank.Name)
			c.para(x, colW, f.Body, sheet.Left, "БИК: "+p.Account.Bank.BIK)
			c.para(x, colW, f.Body, sheet.Left, "К/с: "+p.Account.Corr)
		}
		return c.y
	}
	supTitle := wording(r, "Поставщик:", "Продавец:", "Исполнитель:")
	ya := sideBlock(c.x0(), supTitle, d.SupplierName, d.Supplier, true)
	yb := sideBlock(c.x0()+colW+6, wording(r, "Покупатель:", "Плательщик:", "Заказчик:"), d.BuyerName, d.Buyer, false)
	c.y = max(ya, yb) + 3
	if d.Contract != nil {
		c.para(c.x0(), c.width(), f.Body, sheet.Left, fmt.Sprintf("Основание: Договор № %s от %s", d.Contract.Number, formatDate(d.Contract.Date, d.DateStyle)))
		c.gap(2)
	}
	t := table{X: c.x0(), Head: f.Head, Body: f.Table, Pad: 1, Border: 0.2,
		Cols: scaleCols([]column{
			{"№ п/п", 9, sheet.Center}, {"Наименование товара, работы, услуги", 70, sheet.Left}, {"Кол.", 14, sheet.Right},
			{"Ед.", 11, sheet.Center}, {"Цена с НДС", 22, sheet.Right}, {"Сумма с НДС", 24, sheet.Right}, {"В т.ч. НДС", 20, sheet.Right},
		}, c.width())}
	rows := make([][]string, len(d.Items))
	for i := range d.Items {
		x := d.cells(i)
		rows[i] = []string{x.N, x.Name, x.Qty, x.Unit, x.Price, x.Amount, x.VAT}
	}
	c.drawTable(t, rows)
	c.invoiceTotals(d, f, c.x1(), [3]string{"Итого:", "В том числе НДС (%s):", "Всего к оплате:"})
	c.gap(3)
	c.para(c.x0(), c.width(), f.Body, sheet.Left, fmt.Sprintf("Всего наименований %d, на сумму %s руб.", len(d.Items), d.money(d.Total)))
	c.para(c.x0(), c.width(), f.Bold, sheet.Left, amountWords(d.Total))
	c.gap(10)
	c.billSignatures(r, d, f, "Руководитель организации", "Главный бухгалтер")
	return c.doc
}
