package corpus

import (
	"fmt"
	"math/rand/v2"

	"github.com/pervichka/pervichka/corpus/sheet"
)

// actSignatures draws the two signing sides of an act next to each other.
func (c *canvas) actSignatures(r *rand.Rand, d *docData, f fonts, left, right string, names bool) {
	c.gap(5)
	c.ensure(38)
	half := c.width()/2 - 4
	y0 := c.y
	side := func(x float64, title, name string, p *party, seed int64) float64 {
		c.y = y0
		c.para(x, half, f.Bold, sheet.Left, title)
		if names {
			c.para(x, half, f.Body, sheet.Left, name)
		}
		c.gap(5)
		mid := c.signLine(x, half, f.Body, headTitle(p), p.Head.Short(), seed, true)
		c.gap(1)
		c.para(x, half, f.Small, sheet.Left, "М.П.")
		if d.Stamps && !(p.IP() && r.IntN(2) == 0) {
			c.stamp(r, p, mid+5+r.Float64()*15, c.y-8+r.Float64()*6)
		}
		return c.y
	}
	ya := side(c.x0(), left, d.SupplierName, d.Supplier, d.Seed)
	yb := side(c.x0()+half+8, right, d.BuyerName, d.Buyer, d.Seed+1)
	c.y = max(ya, yb)
}

// actTotals is «Итого / В том числе НДС» and the count line.
func (c *canvas) actTotals(d *docData, f fonts, vatLabel string) {
	c.invoiceTotals(d, f, c.x1(), [3]string{"Итого:", vatLabel, "Всего:"})
	c.gap(2)
	c.para(c.x0(), c.width(), f.Body, sheet.Left, fmt.Sprintf("Всего оказано услуг %d, на сумму %s руб.", len(d.Items), d.money(d.Total)))
	c.para(c.x0(), c.width(), f.Bold, sheet.Left, amountWords(d.Total))
}

const actClaims = "Вышеперечисленные услуги выполнены полностью и в срок. Заказчик претензий по объему, качеству и срокам оказания услуг не имеет."

// act1C is the 1С «Акт» with parties in one line each.
func act1C(r *rand.Rand, d *docData) sheet.Document {
	f := pickFonts(r, sansFamilies, 8.5+float64(r.IntN(3))*0.5, 8+float64(r.IntN(2))*0.5, 13)
	c := newCanvas(false, 15, 10, 12, 12)
	c.para(c.x0(), c.width(), f.Title, sheet.Left, fmt.Sprintf("Акт № %s от %s", d.Number, d.date()))
	c.gap(1)
	c.hline(c.x0(), c.x1(), c.y, 0.6)
	c.gap(4)
	c.kv(c.x0(), 27, c.width(), f.Body, f.Bold, "Исполнитель:", partyLine(d.SupplierName, d.Supplier, r.IntN(2) == 0))
	c.gap(2)
	c.kv(c.x0(), 27, c.width(), f.Body, f.Bold, "Заказчик:", partyLine(d.BuyerName, d.Buyer, false))
	c.gap(2)
	if d.Contract != nil {
		c.kv(c.x0(), 27, c.width(), f.Body, f.Bold, "Основание:", fmt.Sprintf("Договор № %s от %s", d.Contract.Number, formatDate(d.Contract.Date, dateNumeric)))
		c.gap(2)
	}
	c.gap(2)
	t := table{X: c.x0(), Head: f.Head, Body: f.Table, Pad: 1, Border: 0.25,
		Cols: scaleCols([]column{
			{"№", 8, sheet.Center}, {"Наименование работ, услуг", 92, sheet.Left},
			{"Кол-во", 16, sheet.Right}, {"Ед.", 14, sheet.Left}, {"Цена", 24, sheet.Right}, {"Сумма", 26, sheet.Right},
		}, c.width())}
	rows := make([][]string, len(d.Items))
	for i := range d.Items {
		x := d.cells(i)
		rows[i] = []string{x.N, x.Name, x.Qty, x.Unit, x.Price, x.Amount}
	}
	c.drawTable(t, rows)
	c.actTotals(d, f, "В том числе НДС %s:")
	c.gap(2)
	c.para(c.x0(), c.width(), f.Body, sheet.Left, actClaims)
	c.gap(1)
	c.hline(c.x0(), c.x1(), c.y, 0.6)
	c.actSignatures(r, d, f, "ИСПОЛНИТЕЛЬ", "ЗАКАЗЧИК", true)
	return c.doc
}

// actModern opens with a centred title and the parties in a sentence, and
// has VAT columns in its table.
func actModern(r *rand.Rand, d *docData) sheet.Document {
	f := pickFonts(r, sheet.Families, 9+float64(r.IntN(3))*0.5, 8+float64(r.IntN(2))*0.5, 12)
	c := newCanvas(false, 20, 12, 15, 14)
	c.para(c.x0(), c.width(), f.Title, sheet.Center, "АКТ № "+d.Number)
	c.para(c.x0(), c.width(), f.Bold, sheet.Center, wording(r, "выполненных работ (оказанных услуг)", "об оказании услуг", "сдачи-приемки оказанных услуг"))
	c.gap(3)
	y := c.y + ascent(f.Body)
	c.textBox(c.x0(), y, 60, f.Body, sheet.Left, d.City)
	c.textBox(c.x1()-70, y, 70, f.Body, sheet.Right, d.date())
	c.y += lineHeight(f.Body) + 4
	basis := ""
	if d.Contract != nil {
		basis = fmt.Sprintf(" по договору № %s от %s", d.Contract.Number, formatDate(d.Contract.Date, dateWords))
	}
	c.kv(c.x0(), 32, c.width(), f.Bold, f.Body, "Исполнитель:", d.SupplierName+", "+innKPP(d.Supplier, ", ")+", адрес: "+d.Supplier.Address)
	c.gap(1.5)
	c.kv(c.x0(), 32, c.width(), f.Bold, f.Body, "Заказчик:", d.BuyerName+", "+innKPP(d.Buyer, ", ")+", адрес: "+d.Buyer.Address)
	c.gap(3)
	c.para(c.x0(), c.width(), f.Body, sheet.Left, "Исполнитель оказал, а Заказчик принял следующие услуги"+basis+":")
	c.gap(2)
	t := table{X: c.x0(), Head: f.Head, Body: f.Table, Pad: 1.2, Border: 0.2, HeadFill: true,
		Cols: scaleCols([]column{
			{"№", 7, sheet.Center}, {"Наименование", 66, sheet.Left}, {"Ед. изм.", 13, sheet.Center}, {"Кол-во", 13, sheet.Right},
			{"Цена, руб.", 21, sheet.Right}, {"Сумма, руб.", 23, sheet.Right}, {"Ставка НДС", 13, sheet.Center}, {"Сумма НДС, руб.", 20, sheet.Right},
		}, c.width())}
	rows := make([][]string, len(d.Items))
	for i := range d.Items {
		x := d.cells(i)
		rows[i] = []string{x.N, x.Name, x.Unit, x.Qty, x.Price, x.Amount, x.Rate, x.VAT}
	}
	c.drawTable(t, rows)
	c.actTotals(d, f, "в т.ч. НДС (%s):")
	c.gap(2)
	c.para(c.x0(), c.width(), f.Body, sheet.Left, "Услуги оказаны в полном объеме, в установленные сроки и с надлежащим качеством. Стороны претензий друг к другу не имеют.")
	c.actSignatures(r, d, f, "Исполнитель", "Заказчик", r.IntN(2) == 0)
	return c.doc
}

// actFormal is a serif act with requisites on separate lines and a
// signature table «Услуги сдал / Услуги принял».
func actFormal(r *rand.Rand, d *docData) sheet.Document {
	f := pickFonts(r, serifFamilies, 9.5+float64(r.IntN(4))*0.5, 8.5+float64(r.IntN(2))*0.5, 12)
	c := newCanvas(false, 25, 12, 15, 15)
	c.para(c.x0(), c.width(), f.Title, sheet.Center, fmt.Sprintf("Акт сдачи-приемки оказанных услуг № %s", d.Number))
	c.para(c.x0(), c.width(), f.Body, sheet.Center, "от "+d.date())
	c.gap(5)
	block := func(title, name string, p *party) {
		c.kv(c.x0(), 30, c.width(), f.Bold, f.Bold, title, name)
		if p.IP() {
			c.kv(c.x0(), 30, c.width(), f.Body, f.Body, "", "ИНН: "+p.INN+", ОГРНИП: "+p.OGRN)
		} else {
			c.kv(c.x0(), 30, c.width(), f.Body, f.Body, "", "ИНН: "+p.INN)
			c.kv(c.x0(), 30, c.width(), f.Body, f.Body, "", "КПП: "+p.KPP)
		}
		c.kv(c.x0(), 30, c.width(), f.Body, f.Body, "", "Адрес: "+p.Address)
		c.gap(2)
	}
	block("Исполнитель:", d.SupplierName, d.Supplier)
	block("Заказчик:", d.BuyerName, d.Buyer)
	if d.Contract != nil {
		c.para(c.x0(), c.width(), f.Body, sheet.Left, fmt.Sprintf("Основание: Договор № %s от %s", d.Contract.Number, formatDate(d.Contract.Date, d.DateStyle)))
		c.gap(2)
	}
	t := table{X: c.x0(), Head: f.Head, Body: f.Table, Pad: 1, Border: 0.2,
		Cols: scaleCols([]column{
			{"№ п/п", 10, sheet.Center}, {"Наименование услуги", 80, sheet.Left}, {"Количество", 18, sheet.Right},
			{"Ед. изм.", 14, sheet.Center}, {"Цена с НДС, руб.", 22, sheet.Right}, {"Стоимость с НДС, руб.", 24, sheet.Right},
		}, c.width())}
	rows := make([][]string, len(d.Items))
	for i := range d.Items {
		x := d.cells(i)
		rows[i] = []string{x.N, x.Name, x.Qty, x.Unit, x.Price, x.Amount}
	}
	c.drawTable(t, rows)
	c.actTotals(d, f, "В том числе НДС %s:")
	c.gap(2)
	c.para(c.x0(), c.width(), f.Body, sheet.Left, actClaims)
	c.gap(1)
	c.para(c.x0(), c.width(), f.Body, sheet.Left, "Настоящий акт составлен в двух экземплярах, имеющих одинаковую юридическую силу, по одному для каждой из сторон.")
	c.actSignatures(r, d, f, "Услуги сдал (Исполнитель):", "Услуги принял (Заказчик):", true)
	return c.doc
}
