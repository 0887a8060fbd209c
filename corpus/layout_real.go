package corpus

import (
	"fmt"
	"math/rand/v2"
	"strings"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/corpus/sheet"
	"github.com/pervichka/pervichka/extractors/ruvalid"
)

// Layouts modelled on real printed forms (LayoutsReal): what 1C and the
// suppliers behind ../shared/real-dev print, in the Arial-like sans faces
// they use, with pen marks over the print.

// arialFamilies: 1C prints in Arial, for which Liberation Sans is the
// metric twin; DejaVu Sans stands for the Tahoma/Verdana of web shops.
var arialFamilies = []sheet.Family{sheet.LiberationSans, sheet.LiberationSans, sheet.DejaVuSans}

// handDate writes a date by hand at (x, y): «15.09.25» or «15.09.2025», in
// blue ink, 3–4.5 mm tall, as a clerk dates a receipt or a signature.
func (c *canvas) handDate(r *rand.Rand, d *docData, x, y float64) {
	s := d.Date.Format("02.01.06")
	if r.IntN(2) == 0 {
		s = d.Date.Format("02.01.2006")
	}
	c.add(sheet.Handwriting{X: x, Y: y, Size: 3 + r.Float64()*1.5, S: s, Seed: r.Int64(), Color: sheet.Blue})
}

// handNote writes «В оплату» (and often a date) by hand over whatever is
// printed near (x, y): accountants mark bills so on paper.
func (c *canvas) handNote(r *rand.Rand, d *docData, x, y float64) {
	note := wording(r, "В оплату", "Оплатить", "Принято", "Согласовано")
	if r.IntN(2) == 0 {
		note += " " + d.Date.AddDate(0, 0, r.IntN(4)).Format("02.01")
	}
	c.add(sheet.Handwriting{X: x, Y: y, Size: 4 + r.Float64()*2, S: note, Seed: r.Int64(), Color: sheet.Blue})
}

// sheetsWord is «1 листе», «2 листах».
func sheetsWord(n int) string {
	if n%10 == 1 && n%100 != 11 {
		return itoa(n) + " листе"
	}
	return itoa(n) + " листах"
}

// bankLine is the 1C way of printing requisites inside a party line:
// «р/с 40702…, в банке ПАО Сбербанк г. Москва, БИК 044525225, к/с 30101…».
func bankLine(p *party) string {
	a := p.Account
	return fmt.Sprintf("р/с %s, в банке %s %s, БИК %s, к/с %s", a.Account, a.Bank.Name, a.Bank.City, a.Bank.BIK, a.Corr)
}

// invoice1CStd is 1C:Бухгалтерия 3.0's standard «Счет на оплату» as it is
// printed today: the bank grid on top (Банк получателя | БИК | Сч. № over
// ИНН | КПП | Сч. № and Получатель), the title with the date in words,
// Поставщик (Исполнитель) and Покупатель (Заказчик) lines, «Основание», the
// goods table (continued on a second page without its heads), totals, the
// count line and the sum in words, the payment terms and the signatures.
func invoice1CStd(r *rand.Rand, d *docData) sheet.Document {
	f := pickFonts(r, arialFamilies, 8.5+float64(r.IntN(2))*0.5, 8+float64(r.IntN(2))*0.5, 14)
	c := newCanvas(false, 15, 10, 10, 12)
	if r.IntN(3) == 0 { // the notice box some configurations print first
		y0 := c.y
		c.gap(1)
		c.para(c.x0()+2, c.width()-4, f.Small, sheet.Center, invoiceNotice(d))
		c.gap(1)
		c.rect(c.x0(), y0, c.width(), c.y-y0, 0.25)
		c.gap(4)
	}
	c.bankBlock1C(d, f, true)
	c.para(c.x0(), c.width(), f.Title, sheet.Left, fmt.Sprintf("Счет на оплату № %s от %s", d.Number, formatDate(d.Date, dateWords)))
	c.gap(1)
	c.hline(c.x0(), c.x1(), c.y, 0.7)
	c.gap(4)
	supName := d.SupplierName
	if d.Supplier.IP() && r.IntN(2) == 0 {
		supName = d.Supplier.FullName(d.Quote)
		d.SupplierName = supName
	}
	c.kv(c.x0(), 31, c.width(), f.Body, f.Bold, "Поставщик\n(Исполнитель):", partyLine(supName, d.Supplier, true))
	c.gap(3)
	c.kv(c.x0(), 31, c.width(), f.Body, f.Bold, "Покупатель\n(Заказчик):", partyLine(d.BuyerName, d.Buyer, false))
	c.gap(3)
	basis := "Без договора"
	if d.Contract != nil {
		basis = fmt.Sprintf("Договор № %s от %s", d.Contract.Number, formatDate(d.Contract.Date, dateNumeric))
	}
	c.kv(c.x0(), 31, c.width(), f.Body, f.Bold, "Основание:", basis)
	c.gap(4)
	t := table{X: c.x0(), Head: f.Head, Body: f.Table, Pad: 1, Border: 0.25, Bare: true,
		Cols: scaleCols([]column{
			{"№", 8, sheet.Center}, {"Товары (работы, услуги)", 95, sheet.Left},
			{"Кол-во", 16, sheet.Right}, {"Ед.", 10, sheet.Left}, {"Цена", 25, sheet.Right}, {"Сумма", 27, sheet.Right},
		}, c.width())}
	rows := make([][]string, len(d.Items))
	for i := range d.Items {
		x := d.cells(i)
		rows[i] = []string{x.N, x.Name, x.Qty, x.Unit, x.Price, x.Amount}
	}
	tableTop, tablePage := c.y, c.pages()
	c.drawTable(t, rows)
	c.invoiceTotals(d, f, c.x1(), [3]string{"Итого:", "В том числе НДС (%s):", "Всего к оплате:"})
	c.gap(2)
	c.para(c.x0(), c.width(), f.Body, sheet.Left, fmt.Sprintf("Всего наименований %d, на сумму %s руб.", len(d.Items), d.money(d.Total)))
	c.para(c.x0(), c.width(), f.Bold, sheet.Left, amountWords(d.Total))
	c.gap(2)
	c.para(c.x0(), c.width(), f.Body, sheet.Left, "Оплатить не позднее "+d.Date.AddDate(0, 0, d.PayDays).Format("02.01.2006"))
	c.para(c.x0(), c.width(), f.Small, sheet.Left, "Оплата данного счета означает согласие с условиями поставки товара. Уведомление об оплате обязательно, в противном случае не гарантируется наличие товара на складе. Товар отпускается по факту прихода денег на р/с Поставщика, самовывозом, при наличии доверенности и паспорта.")
	c.gap(2)
	c.hline(c.x0(), c.x1(), c.y, 0.7)
	c.gap(6)
	c.billSignatures(r, d, f, "Руководитель", "Бухгалтер")
	if r.IntN(3) == 0 && tablePage == 1 { // «В оплату» over the table, as on real bills
		c.onPage(1, func() { c.handNote(r, d, c.x0()+40+r.Float64()*60, tableTop+8+r.Float64()*10) })
	}
	return c.doc
}

// onPage runs draw with page n (1-based) as the current page.
func (c *canvas) onPage(n int, draw func()) {
	saved := c.doc.Sheets
	c.doc.Sheets = saved[:n]
	draw()
	c.doc.Sheets = append(c.doc.Sheets, saved[n:]...)
}

// invoiceOffer is a web shop's «Счет-оферта»: the seller's header, the
// payment requisites in two columns with the sum, the payment purpose, the
// title with its validity, the buyer and the terms, a table with prices
// including VAT, the total in words and «Страница 1 из N».
func invoiceOffer(r *rand.Rand, d *docData) sheet.Document {
	f := pickFonts(r, arialFamilies, 8, 7.5+float64(r.IntN(2))*0.5, 11)
	c := newCanvas(false, 12, 10, 10, 14)
	p := d.Supplier
	if r.IntN(2) == 0 {
		c.para(c.x0(), c.width(), f.Small, sheet.Right, "Конфиденциально. Коммерческая тайна Продавца и Покупателя.")
		c.gap(3)
	}
	c.kv(c.x0(), 20, c.width(), f.Bold, f.Bold, "Продавец:", d.SupplierName)
	c.para(c.x0(), c.width(), f.Body, sheet.Left, p.Address)
	c.para(c.x0(), c.width(), f.Body, sheet.Left, "Тел. "+p.Phone)
	c.gap(2)
	// Requisites: left the payee, right the sum and the accounts.
	y0 := c.y
	half := c.width() / 2
	c.para(c.x0(), half, f.Bold, sheet.Left, "Реквизиты для оплаты:")
	c.para(c.x0(), half, f.Body, sheet.Left, innKPP(p, "    "))
	c.para(c.x0(), half, f.Body, sheet.Left, d.SupplierName)
	c.para(c.x0(), half, f.Body, sheet.Left, p.Account.Bank.Name+" "+p.Account.Bank.City)
	yl := c.y
	c.y = y0
	xr := c.x0() + half
	for _, kv := range [][2]string{{"Сумма:", d.money(d.Total) + " RUB"}, {"Р/с №", p.Account.Account}, {"БИК", p.Account.Bank.BIK}, {"К/с №", p.Account.Corr}} {
		lf := f.Body
		if kv[0] == "Сумма:" {
			lf = f.Bold
		}
		c.kv(xr, 22, half, lf, lf, kv[0], kv[1])
		c.gap(0.8)
	}
	c.y = max(c.y, yl) + 1
	purpose := fmt.Sprintf("Предоплата за товары по счету-оферте %s от %s", d.Number, d.Date.Format("02/01/2006"))
	if d.VAT.None {
		purpose += ", НДС не облагается"
	} else {
		purpose += fmt.Sprintf(", в том числе НДС %s руб.", d.money(d.VATSum))
	}
	c.kv(c.x0(), 36, c.width(), f.Bold, f.Body, "Назначение платежа:", purpose)
	c.para(c.x0(), c.width(), f.Small, sheet.Left, "Оплата принимается только с расчетного счета Покупателя. Не принимается от иных лиц.")
	c.gap(3)
	valid := d.Date.AddDate(0, 0, d.PayDays)
	c.textBox(c.x0(), c.y+ascent(f.Title), c.width()*0.62, f.Title, sheet.Left, fmt.Sprintf("Счет-оферта № %s от %s", d.Number, strings.TrimSuffix(formatDate(d.Date, dateWords), " г.")+" года"))
	c.textBox(c.x0()+c.width()*0.62, c.y+ascent(f.Title), c.width()*0.38, f.Body, sheet.Right, "действителен по: "+strings.TrimSuffix(formatDate(valid, dateWords), " г.")+" года")
	c.y += lineHeight(f.Title) + 1
	c.kv(c.x0(), 24, c.width(), f.Bold, f.Body, "Покупатель:", d.BuyerName+", "+innKPP(d.Buyer, ", "))
	c.kv(c.x0(), 24, c.width(), f.Bold, f.Body, "Грузополучатель:", d.BuyerName)
	basis := "Акцепт счета-оферты"
	if d.Contract != nil {
		basis += fmt.Sprintf(" в рамках Договора поставки № %s от %s", d.Contract.Number, formatDate(d.Contract.Date, dateNumeric))
	}
	c.kv(c.x0(), 30, c.width(), f.Bold, f.Body, "Основание сделки:", basis)
	c.kv(c.x0(), 30, c.width(), f.Bold, f.Body, "Адрес доставки:", d.Buyer.Address)
	c.gap(1)
	c.para(c.x0(), c.width(), f.Small, sheet.Left, "Условия доставки, перехода права собственности и рисков на товар: переход рисков порчи и утраты груза с Продавца на Покупателя - в момент передачи груза Покупателю. Гарантийный срок на товары: 30 календарных дней с отгрузки. Плановый срок отгрузки: "+itoa(5+d.PayDays)+" рабочих дней с даты оплаты счета-оферты.")
	c.gap(2)
	t := table{X: c.x0(), Head: f.Head, Body: f.Table, Pad: 0.8, Border: 0.15, HeadFill: true, Bare: true,
		Cols: scaleCols([]column{
			{"Товары и услуги", 100, sheet.Left}, {"Срок", 12, sheet.Center},
			{"Кол-во", 16, sheet.Right}, {"Ед.", 10, sheet.Left}, {"Цена, руб.", 22, sheet.Right}, {"Сумма, руб.", 25, sheet.Right},
		}, c.width())}
	rows := make([][]string, len(d.Items))
	for i := range d.Items {
		x := d.cells(i)
		rows[i] = []string{x.Name, itoa(1+r.IntN(20)) + " рд", x.Qty, x.Unit, x.Price, x.Amount}
	}
	c.drawTable(t, rows)
	c.gap(1)
	if d.VAT.None {
		c.para(c.x0(), c.width(), f.Body, sheet.Left, "НДС не облагается.")
	} else {
		c.para(c.x0(), c.width(), f.Body, sheet.Left, fmt.Sprintf("Цены и суммы в таблице указаны с учетом НДС (%s).", d.VAT.label()))
	}
	c.para(c.x0(), c.width(), f.Body, sheet.Left, fmt.Sprintf("Всего наименований %d, на общую сумму: %s", len(d.Items), amountWords(d.Total)))
	tail := "."
	if !d.VAT.None {
		tail = fmt.Sprintf(", в том числе НДС %s руб.", d.money(d.VATSum))
	}
	c.para(c.x0(), c.width(), f.Bold, sheet.Left, fmt.Sprintf("Итого подлежит оплате: %s руб.%s", d.money(d.Total), tail))
	c.gap(6)
	c.ensure(14)
	title := "Директор " + d.SupplierName
	if p.IP() {
		title = "Индивидуальный предприниматель"
	}
	mid := c.signLine(c.x0(), c.width(), f.Body, title, "/"+p.Head.Short()+"/", d.Seed, r.IntN(3) != 0)
	if d.Stamps && r.IntN(2) == 0 {
		c.stamp(r, p, mid, c.y-6)
	}
	n := c.pages()
	for k := 1; k <= n; k++ {
		c.onPage(k, func() {
			c.add(sheet.Text{X: c.x0(), Y: c.h - 7, W: c.width(), Font: f.Small, Align: sheet.Center, S: fmt.Sprintf("Страница %d из %d", k, n)})
		})
	}
	return c.doc
}

// vatInvoice1096 is the счёт-фактура of the 1096 edition as 1C prints it.
func vatInvoice1096(r *rand.Rand, d *docData) sheet.Document {
	return sfLayout(r, d, sfStyle{families: arialFamilies, body: 7.5 + float64(r.IntN(2))*0.5, table: 7, labelW: 60, codeRight: true, withCodes: true, underlines: true, ed1096: true})
}

// upd1096 is the УПД of постановление № 1137 in the edition of № 1096
// (16.08.2024): column А «Код товара/ работ, услуг», country columns 10 and
// 10а, traceability 11–13, the full transfer part [8]–[19] and «Документ
// составлен на N листах».
func upd1096(r *rand.Rand, d *docData) sheet.Document {
	return sfLayout(r, d, sfStyle{upd: true, families: arialFamilies, body: 7 + float64(r.IntN(2))*0.5, table: 7, labelW: 56, codeRight: true, withCodes: true, underlines: true, ed1096: true})
}

// updFooter1096 is the foot of a УПД of the 1096 edition: the signatures
// of the head and the accountant with «Документ составлен на N листах» on
// their left, then the transfer part [8]–[19] kept in one piece.
func updFooter1096(r *rand.Rand, c *canvas, d *docData, f fonts) {
	c.ensure(28)
	y0 := c.y
	c.textBox(c.x0(), c.y+ascent(f.Small), 40, f.Small, sheet.Left, "Документ составлен на")
	sheetsAt := len(c.doc.Sheets[len(c.doc.Sheets)-1].Ops)
	c.textBox(c.x0(), c.y+ascent(f.Small)+lineHeight(f.Small), 40, f.Small, sheet.Left, "1 листе")
	page := c.pages()
	c.left += 44
	sfSignatures(r, c, d, f)
	c.left -= 44
	c.y = max(c.y, y0+2*lineHeight(f.Small))
	c.gap(2)
	scratch := &canvas{w: c.w, h: 1e4, left: c.left, right: c.right}
	scratch.newPage()
	updTransfer1096(rand.New(rand.NewPCG(1, 2)), scratch, d, f)
	c.ensure(scratch.y)
	updTransfer1096(r, c, d, f)
	// Now the number of sheets is known.
	op := c.doc.Sheets[page-1].Ops[sheetsAt].(sheet.Text)
	op.S = sheetsWord(c.pages())
	c.doc.Sheets[page-1].Ops[sheetsAt] = op
}

// updTransfer1096 draws [8]–[19] from the cursor down.
func updTransfer1096(r *rand.Rand, c *canvas, d *docData, f fonts) {
	x, w := c.x0(), c.width()
	basis := "Договор поставки"
	if d.Contract != nil {
		basis = fmt.Sprintf("Договор № %s от %s", d.Contract.Number, formatDate(d.Contract.Date, dateNumeric))
	}
	line := func(label, value, code string) {
		c.kv(x, 80, w-8, f.Small, f.Body, label, value)
		c.textBox(x+w-8, c.y-1, 8, f.Small, sheet.Right, code)
		c.hline(x+80, x+w-9, c.y-0.3, 0.1)
		c.gap(0.8)
	}
	line("Основание передачи (сдачи) / получения (приемки)", basis, "[8]")
	line("Данные о транспортировке и грузе", "", "[9]")
	c.gap(2)
	half := w/2 - 3
	y0 := c.y
	side := func(xx float64, who *party, name string, codes [5]string, handed bool, seed int64) float64 {
		c.y = y0
		lab := "Товар (груз) получил / услуги, результаты работ, права принял"
		if handed {
			lab = "Товар (груз) передал / услуги, результаты работ, права сдал"
		}
		c.para(xx, half-8, f.Small, sheet.Left, lab)
		c.textBox(xx+half-8, c.y-1, 8, f.Small, sheet.Right, codes[0])
		c.gap(1)
		mid := c.signLine(xx, half, f.Small, headTitle(who), who.Head.Short(), seed, true)
		date := "Дата получения (приемки)"
		if handed {
			date = "Дата отгрузки, передачи (сдачи)"
		}
		dateY := c.y
		c.para(xx, half-8, f.Small, sheet.Left, date+" "+formatDate(d.Date, dateQuotedWords))
		c.textBox(xx+half-8, c.y-1, 8, f.Small, sheet.Right, codes[1])
		if !handed && r.IntN(2) == 0 {
			c.handDate(r, d, xx+half*0.55, dateY+3)
		}
		other := "Иные сведения о получении, приемке"
		if handed {
			other = "Иные сведения об отгрузке, передаче"
		}
		c.para(xx, half-8, f.Small, sheet.Left, other)
		c.textBox(xx+half-8, c.y-1, 8, f.Small, sheet.Right, codes[2])
		c.gap(1)
		c.para(xx, half-8, f.Small, sheet.Left, "Ответственный за правильность оформления факта хозяйственной жизни")
		c.textBox(xx+half-8, c.y-1, 8, f.Small, sheet.Right, codes[3])
		c.signLine(xx, half, f.Small, headTitle(who), who.Head.Short(), seed+7, false)
		c.para(xx, half-8, f.Small, sheet.Left, "Наименование экономического субъекта – составителя документа (в т.ч. комиссионера / агента)")
		c.textBox(xx+half-8, c.y-1, 8, f.Small, sheet.Right, codes[4])
		c.para(xx, half, f.Body, sheet.Left, name+", ИНН/КПП "+innSlashKPP(who))
		c.para(xx, half, f.Small, sheet.Left, "М.П.")
		if d.Stamps && !(who.IP() && r.IntN(2) == 0) {
			c.stamp(r, who, mid+10+r.Float64()*15, c.y-12)
		}
		return c.y
	}
	ya := side(x, d.Supplier, d.SupplierName, [5]string{"[10]", "[11]", "[12]", "[13]", "[14]"}, true, d.Seed+2)
	yb := side(x+half+6, d.Buyer, d.BuyerName, [5]string{"[15]", "[16]", "[17]", "[18]", "[19]"}, false, d.Seed+3)
	c.vline(x+half+3, y0, max(ya, yb), 0.3)
	c.y = max(ya, yb)
}

// act1CStd is 1C's «Акт об оказании услуг»: the title with the date in
// words, Исполнитель with the bank requisites in its line as 1C prints
// them, Заказчик, Основание, the table (continued on a second page without
// heads), totals and the sum in words, the no-claims clause and the two
// signing sides, with a handwritten date by the customer's signature.
func act1CStd(r *rand.Rand, d *docData) sheet.Document {
	f := pickFonts(r, arialFamilies, 8.5+float64(r.IntN(2))*0.5, 8, 13)
	c := newCanvas(false, 15, 10, 12, 12)
	c.para(c.x0(), c.width(), f.Title, sheet.Left, fmt.Sprintf("Акт об оказании услуг № %s от %s", d.Number, formatDate(d.Date, dateWords)))
	c.gap(1)
	c.hline(c.x0(), c.x1(), c.y, 0.7)
	c.gap(4)
	sup := partyLine(d.SupplierName, d.Supplier, false)
	if r.IntN(2) == 0 {
		sup += ", " + bankLine(d.Supplier)
		d.BankPrinted = true
	}
	c.kv(c.x0(), 27, c.width(), f.Body, f.Bold, "Исполнитель:", sup)
	c.gap(3)
	c.kv(c.x0(), 27, c.width(), f.Body, f.Bold, "Заказчик:", partyLine(d.BuyerName, d.Buyer, false))
	c.gap(3)
	if d.Contract != nil {
		c.kv(c.x0(), 27, c.width(), f.Body, f.Bold, "Основание:", fmt.Sprintf("Договор № %s от %s", d.Contract.Number, formatDate(d.Contract.Date, dateNumeric)))
		c.gap(3)
	}
	t := table{X: c.x0(), Head: f.Head, Body: f.Table, Pad: 1, Border: 0.25, Bare: true,
		Cols: scaleCols([]column{
			{"№", 8, sheet.Center}, {"Наименование работ, услуг", 95, sheet.Left},
			{"Кол-во", 15, sheet.Right}, {"Ед.", 12, sheet.Left}, {"Цена", 24, sheet.Right}, {"Сумма", 26, sheet.Right},
		}, c.width())}
	rows := make([][]string, len(d.Items))
	for i := range d.Items {
		x := d.cells(i)
		rows[i] = []string{x.N, x.Name, x.Qty, x.Unit, x.Price, x.Amount}
	}
	c.drawTable(t, rows)
	c.actTotals(d, f, "В том числе НДС (%s):")
	c.gap(2)
	c.para(c.x0(), c.width(), f.Body, sheet.Left, actClaims)
	c.gap(1)
	c.hline(c.x0(), c.x1(), c.y, 0.7)
	c.actSignatures(r, d, f, "ИСПОЛНИТЕЛЬ:", "ЗАКАЗЧИК:", true)
	if r.IntN(2) == 0 {
		c.handDate(r, d, c.x0()+c.width()/2+10+r.Float64()*30, c.y-14)
	}
	return c.doc
}

// torg12Form is the unified form ТОРГ-12 (ОКУД 0330212) on a landscape
// page: the form's code block, Грузоотправитель / Грузополучатель /
// Поставщик / Плательщик / Основание with full requisites, «ТОВАРНАЯ
// НАКЛАДНАЯ» beside the number and date boxes, the 15-column table with
// «Итого» and «Всего по накладной», the sums in words and the release and
// receipt signatures.
func torg12Form(r *rand.Rand, d *docData) sheet.Document {
	f := pickFonts(r, arialFamilies, 7+float64(r.IntN(2))*0.5, 6.5+float64(r.IntN(2))*0.5, 10)
	c := newCanvas(true, 10, 10, 8, 8)
	x, w := c.x0(), c.width()
	small := f.Small
	for _, ln := range []string{"Унифицированная форма № ТОРГ-12", "Утверждена постановлением Госкомстата России от 25.12.98 № 132"} {
		c.textBox(x+w-110, c.y+ascent(small), 110, small, sheet.Right, ln)
		c.y += lineHeight(small)
	}
	c.gap(1)
	// The code column on the right: Коды / ОКУД / ОКПО …
	codeX, codeW := x+w-28, 28.0
	labW := 48.0
	y0 := c.y
	codes := [][2]string{{"", "Коды"}, {"Форма по ОКУД", "0330212"}, {"по ОКПО", itoa(10000000 + r.IntN(89999999))}, {"", ""}, {"по ОКПО", ""}, {"по ОКПО", ""}, {"по ОКПО", ""}}
	for i, cd := range codes {
		yy := y0 + float64(i)*5.2
		c.rect(codeX, yy, codeW, 5.2, 0.25)
		c.textBox(codeX+1, yy+3.8, codeW-2, f.Body, sheet.Center, cd[1])
		c.textBox(codeX-labW-1, yy+3.8, labW, small, sheet.Right, cd[0])
	}
	lw := 30.0
	vw := w - codeW - labW - lw - 4
	party := func(label string, p *party, name string, bank bool) {
		v := partyLine(name, p, false)
		if bank {
			v += ", " + bankLine(p)
		}
		c.kv(x, lw, lw+vw, small, f.Body, label, v)
		c.hline(x+lw, x+lw+vw, c.y-0.2, 0.15)
		c.gap(1.2)
	}
	bank := r.IntN(3) > 0
	d.BankPrinted = bank
	party("Грузоотправитель", d.Supplier, d.SupplierName, bank)
	c.kv(x, lw, lw+vw, small, small, "", "структурное подразделение")
	party("Грузополучатель", d.Buyer, d.BuyerName, false)
	party("Поставщик", d.Supplier, d.SupplierName, bank)
	party("Плательщик", d.Buyer, d.BuyerName, false)
	basis := "Основной договор"
	if d.Contract != nil {
		basis = fmt.Sprintf("Договор № %s от %s", d.Contract.Number, formatDate(d.Contract.Date, dateNumeric))
	}
	c.kv(x, lw, lw+vw, small, f.Body, "Основание", basis)
	c.hline(x+lw, x+lw+vw, c.y-0.2, 0.15)
	c.y = max(c.y, y0+float64(len(codes))*5.2) + 3

	// Title and the number/date boxes.
	tx := x + 60
	c.textBox(tx, c.y+3.5, 36, small, sheet.Center, "Номер документа")
	c.textBox(tx+36, c.y+3.5, 36, small, sheet.Center, "Дата составления")
	c.rect(tx, c.y, 36, 5, 0.25)
	c.rect(tx+36, c.y, 36, 5, 0.25)
	c.rect(tx, c.y+5, 36, 6, 0.4)
	c.rect(tx+36, c.y+5, 36, 6, 0.4)
	c.textBox(x, c.y+5+ascent(f.Title)+0.8, 58, f.Title, sheet.Right, "ТОВАРНАЯ НАКЛАДНАЯ")
	c.textBox(tx, c.y+5+ascent(f.Bold)+1.2, 36, f.Bold, sheet.Center, d.Number)
	c.textBox(tx+36, c.y+5+ascent(f.Bold)+1.2, 36, f.Bold, sheet.Center, d.Date.Format("02.01.2006"))
	c.y += 14

	rate := d.VAT.label()
	if d.VAT.None {
		rate = "без НДС"
	}
	t := table{X: x, Head: sheet.Font{Family: f.Family, Size: 6}, Body: f.Table, Pad: 0.6, Border: 0.2, Numbers: true,
		Groups: []string{"", "Товар", "Товар", "Единица измерения", "Единица измерения", "", "Количество", "Количество", "", "", "", "", "НДС", "НДС", ""},
		Cols: scaleCols([]column{
			{"Но- мер по по- рядку", 8, sheet.Center}, {"наименование, характеристика, сорт, артикул товара", 70, sheet.Left}, {"код", 12, sheet.Center},
			{"наиме- нование", 11, sheet.Center}, {"код по ОКЕИ", 10, sheet.Center}, {"Вид упаковки", 12, sheet.Center},
			{"в одном месте", 11, sheet.Center}, {"мест, штук", 11, sheet.Center}, {"Масса брутто", 13, sheet.Center},
			{"Количество (масса нетто)", 15, sheet.Right}, {"Цена, руб. коп.", 18, sheet.Right}, {"Сумма без учета НДС, руб. коп.", 21, sheet.Right},
			{"ставка, %", 11, sheet.Center}, {"сумма, руб. коп.", 18, sheet.Right}, {"Сумма с учетом НДС, руб. коп.", 21, sheet.Right},
		}, w)}
	rows := make([][]string, len(d.Items))
	var sumQty qty
	for i := range d.Items {
		x := d.cells(i)
		it := d.Items[i]
		sumQty += it.Qty
		rows[i] = []string{x.N, x.Name, "", x.Unit, it.UnitCode, "", "", "", "", x.Qty, x.NetPrice, x.Net, rate, x.VAT, x.Amount}
	}
	c.drawTable(t, rows)
	vatTotal := d.money(d.VATSum)
	if d.VAT.None {
		vatTotal = "без НДС"
	}
	sums := []string{"", "", "", sumQty.printed(d.FixedQty), "X", d.money(d.Total - d.VATSum), "X", vatTotal, d.money(d.Total)}
	spans := []int{6, 1, 1, 1, 1, 1, 1, 1, 1, 1}
	aligns := []sheet.Align{sheet.Right, sheet.Center, sheet.Center, sheet.Center, sheet.Right, sheet.Center, sheet.Right, sheet.Center, sheet.Right, sheet.Right}
	c.spanRow(t, f.Head, spans, append([]string{"Итого"}, sums...), aligns)
	c.spanRow(t, f.Head, spans, append([]string{"Всего по накладной"}, sums...), aligns)
	c.gap(3)

	// The foot is kept in one piece.
	foot := func(c *canvas, r *rand.Rand) {
		n := len(d.Items)
		c.para(x, w, small, sheet.Left, fmt.Sprintf("Товарная накладная имеет приложение на ____ листах и содержит %s порядковых номеров записей", countWords(n)))
		c.para(x, w, small, sheet.Left, "Всего отпущено на сумму "+amountWords(d.Total))
		c.gap(2)
		half := w/2 - 4
		yf := c.y
		c.signLine(x, half, small, "Отпуск груза разрешил: "+headTitle(d.Supplier), d.Supplier.Head.Short(), d.Seed, true)
		c.signLine(x, half, small, "Главный (старший) бухгалтер", d.Supplier.Booker.Short(), d.Seed+1, r.IntN(2) == 0)
		mid := c.signLine(x, half, small, "Отпуск груза произвел", d.Supplier.Head.Short(), d.Seed+2, true)
		c.para(x, half, small, sheet.Left, "М.П.        "+formatDate(d.Date, dateQuotedWords))
		if d.Stamps {
			c.stamp(r, d.Supplier, mid, c.y-8)
		}
		ya := c.y
		c.y = yf
		xr := x + half + 8
		c.para(xr, half, small, sheet.Left, "По доверенности № ______ от ______")
		c.gap(2)
		c.signLine(xr, half, small, "Груз принял", "", d.Seed+3, true)
		mid = c.signLine(xr, half, small, "Груз получил грузополучатель", d.Buyer.Head.Short(), d.Seed+4, true)
		dy := c.y
		c.para(xr, half, small, sheet.Left, "М.П.        \"___\" ____________ 20__ года")
		if r.IntN(3) > 0 {
			c.handDate(r, d, xr+22, dy+3.2)
		}
		if d.Stamps && r.IntN(2) == 0 {
			c.stamp(r, d.Buyer, mid, c.y-8)
		}
		c.vline(x+half+4, yf, max(ya, c.y), 0.3)
		c.y = max(ya, c.y)
	}
	scratch := &canvas{w: c.w, h: 1e4, left: c.left, right: c.right}
	scratch.newPage()
	foot(scratch, rand.New(rand.NewPCG(1, 2)))
	c.ensure(scratch.y)
	foot(c, r)
	return c.doc
}

// countWords is a small count in words, as ТОРГ-12 prints the number of
// its lines («Три»).
func countWords(n int) string {
	s := ruvalid.AmountInWords(pervichka.Kopecks(n * 100))
	if i := strings.Index(s, " рубл"); i > 0 {
		s = s[:i]
	}
	return strings.ToLower(s)
}
