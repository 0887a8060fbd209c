package corpus

import (
	"fmt"
	"math/rand/v2"

	"github.com/pervichka/pervichka/corpus/sheet"
)

// sfStyle holds what differs between the счёт-фактура and УПД layouts.
type sfStyle struct {
	upd        bool
	families   []sheet.Family
	body       float64 // header text, points
	table      float64 // table text, 7.5–8 points
	labelW     float64 // width of the row labels, mm
	codeRight  bool    // row codes «(2)» at the right edge (1С) instead of after the label
	splitINN   bool    // «ИНН/КПП продавца: 7701…/7701…» on one line, or ИНН and КПП on separate lines
	withCodes  bool    // columns 1а (код вида товара) and 10 (страна, цифровой код)
	underlines bool    // a rule under each header value
	// ed1096 is the form as amended by постановление № 1096 of
	// 16.08.2024, in use since 2025: traceability columns 11–13 and, on a
	// УПД, the full transfer part [8]–[19] with «Документ составлен на N
	// листах».
	ed1096 bool
}

func vatInvoiceClassic(r *rand.Rand, d *docData) sheet.Document {
	return sfLayout(r, d, sfStyle{families: sansFamilies, body: 8.5, table: 8, labelW: 62, codeRight: true, withCodes: true, underlines: true})
}

func vatInvoiceDense(r *rand.Rand, d *docData) sheet.Document {
	return sfLayout(r, d, sfStyle{families: sansFamilies, body: 7.5, table: 7.5, labelW: 52, splitINN: true})
}

func vatInvoiceWide(r *rand.Rand, d *docData) sheet.Document {
	return sfLayout(r, d, sfStyle{families: serifFamilies, body: 9, table: 8, labelW: 70, codeRight: true, withCodes: r.IntN(2) == 0})
}

func updClassic(r *rand.Rand, d *docData) sheet.Document {
	return sfLayout(r, d, sfStyle{upd: true, families: sansFamilies, body: 8, table: 7.5, labelW: 58, codeRight: true, withCodes: true, underlines: true})
}

func updDense(r *rand.Rand, d *docData) sheet.Document {
	return sfLayout(r, d, sfStyle{upd: true, families: sansFamilies, body: 7.5, table: 7.5, labelW: 50, splitINN: true})
}

func updWide(r *rand.Rand, d *docData) sheet.Document {
	return sfLayout(r, d, sfStyle{upd: true, families: serifFamilies, body: 8.5, table: 8, labelW: 66, codeRight: true, withCodes: r.IntN(2) == 0, underlines: true})
}

// sfLayout draws a счёт-фактура (Постановление № 1137) or a УПД on a
// landscape page: numbered header rows (1)…(8), the table with numbered
// columns, and the signature block.
func sfLayout(r *rand.Rand, d *docData, st sfStyle) sheet.Document {
	f := pickFonts(r, st.families, st.body, st.table, st.body+3)
	c := newCanvas(true, 10, 10, 8, 8)
	x := c.x0()
	w := c.width()
	if st.upd {
		// The left frame: title, status box and its legend.
		fw := 42.0
		y0 := c.y
		c.para(x+1, fw-2, f.Bold, sheet.Left, "Универсальный передаточный документ")
		c.gap(2)
		c.textBox(x+1, c.y+ascent(f.Body), 14, f.Body, sheet.Left, "Статус:")
		c.rect(x+16, c.y-0.5, 8, 5.5, 0.3)
		c.textBox(x+16, c.y+ascent(f.Bold)+0.4, 8, f.Bold, sheet.Center, itoa(d.UPDStatus))
		c.gap(7)
		c.para(x+1, fw-2, f.Small, sheet.Left, "1 – счет-фактура и передаточный документ (акт)")
		c.para(x+1, fw-2, f.Small, sheet.Left, "2 – передаточный документ (акт)")
		c.vline(x+fw, y0-1, y0+62, 0.4)
		c.y = y0
		x += fw + 3
		w -= fw + 3
	}
	small := f.Small
	note := "Приложение № 1 к постановлению Правительства Российской Федерации от 26 декабря 2011 г. № 1137 (в редакции постановления Правительства Российской Федерации от 16 августа 2024 г. № 1096)"
	for i, ln := range wrap(small, note, 95) {
		c.textBox(c.x1()-95, c.y+ascent(small)+float64(i)*lineHeight(small), 95, small, sheet.Right, ln)
	}
	title := "СЧЕТ-ФАКТУРА"
	if r.IntN(2) == 0 {
		title = "СЧЁТ-ФАКТУРА"
	}
	c.textBox(x, c.y+ascent(f.Title), w-100, f.Title, sheet.Left, fmt.Sprintf("%s № %s от %s", title, d.Number, formatDate(d.Date, dateWords)))
	c.textBox(x+w-100-8, c.y+ascent(f.Body), 8, f.Body, sheet.Right, "(1)")
	c.y += lineHeight(f.Title) + 0.5
	c.textBox(x, c.y+ascent(f.Body), w-100, f.Body, sheet.Left, "ИСПРАВЛЕНИЕ № --- от ---")
	c.textBox(x+w-100-8, c.y+ascent(f.Body), 8, f.Body, sheet.Right, "(1а)")
	c.y += lineHeight(f.Body) + 1.5

	row := func(label, value, code string, bold bool) {
		vf := f.Body
		if bold {
			vf = f.Bold
		}
		lw := st.labelW
		cw := 0.0
		if st.codeRight {
			cw = 9
		} else {
			label += " " + code
		}
		c.kv(x, lw, w-cw, f.Body, vf, label, value)
		if st.codeRight {
			c.textBox(x+w-cw, c.y-lineHeight(f.Body)+ascent(f.Body), cw, f.Body, sheet.Right, code)
		}
		if st.underlines {
			c.hline(x+lw, x+w-cw-1, c.y-0.4, 0.1)
		}
		c.y += 0.4
	}
	s, b := d.Supplier, d.Buyer
	row("Продавец:", d.SupplierName, "(2)", true)
	row("Адрес:", s.Address, "(2а)", false)
	if st.splitINN && !s.IP() {
		row("ИНН продавца:", s.INN, "(2б)", false)
		row("КПП продавца:", s.KPP, "(2б)", false)
	} else {
		row("ИНН/КПП продавца:", innSlashKPP(s), "(2б)", false)
	}
	row("Грузоотправитель и его адрес:", wording(r, "он же", d.SupplierName+", "+s.Address), "(3)", false)
	row("Грузополучатель и его адрес:", d.BuyerName+", "+b.Address, "(4)", false)
	row("К платежно-расчетному документу №", "--- от ---", "(5)", false)
	row("Документ об отгрузке", fmt.Sprintf("№ п/п 1-%d № %s от %s", len(d.Items), d.Number, formatDate(d.Date, dateNumeric)), "(5а)", false)
	row("Покупатель:", d.BuyerName, "(6)", true)
	row("Адрес:", b.Address, "(6а)", false)
	if st.splitINN && !b.IP() {
		row("ИНН покупателя:", b.INN, "(6б)", false)
		row("КПП покупателя:", b.KPP, "(6б)", false)
	} else {
		row("ИНН/КПП покупателя:", innSlashKPP(b), "(6б)", false)
	}
	row("Валюта: наименование, код", "Российский рубль, 643", "(7)", false)
	row("Идентификатор государственного контракта, договора (соглашения) (при наличии):", "", "(8)", false)
	c.gap(2)
	if st.upd {
		x, w = c.x0(), c.width()
	}

	// The table: numbered columns as in the form.
	type colSpec struct {
		col   column
		label string
		cell  func(i int) string
		group string
	}
	cell := func(get func(itemCells) string) func(int) string {
		return func(i int) string { return get(d.cells(i)) }
	}
	rate := d.VAT.label()
	if d.VAT.None {
		rate = "без НДС"
	}
	specs := []colSpec{}
	if st.upd {
		specs = append(specs,
			colSpec{column{"Код товара/ работ, услуг", 14, sheet.Center}, "А", func(int) string { return "" }, ""},
			colSpec{column{"№ п/п", 8, sheet.Center}, "1", cell(func(x itemCells) string { return x.N }), ""})
	}
	nameLabel := "1"
	if st.upd {
		nameLabel = "1а"
	}
	specs = append(specs, colSpec{column{"Наименование товара (описание выполненных работ, оказанных услуг), имущественного права", 58, sheet.Left}, nameLabel, cell(func(x itemCells) string { return x.Name }), ""})
	if st.withCodes {
		specs = append(specs, colSpec{column{"Код вида товара", 12, sheet.Center}, "1б", func(int) string { return "" }, ""})
	}
	specs = append(specs,
		colSpec{column{"код", 11, sheet.Center}, "2", func(i int) string { return d.Items[i].UnitCode }, "Единица измерения"},
		colSpec{column{"условное обозначение (национальное)", 15, sheet.Center}, "2а", cell(func(x itemCells) string { return x.Unit }), "Единица измерения"},
		colSpec{column{"Количество (объем)", 16, sheet.Right}, "3", cell(func(x itemCells) string { return x.Qty }), ""},
		colSpec{column{"Цена (тариф) за единицу измерения", 21, sheet.Right}, "4", cell(func(x itemCells) string { return x.NetPrice }), ""},
		colSpec{column{"Стоимость товаров (работ, услуг), имущественных прав без налога — всего", 24, sheet.Right}, "5", cell(func(x itemCells) string { return x.Net }), ""},
		colSpec{column{"В том числе сумма акциза", 17, sheet.Center}, "6", func(int) string { return "без акциза" }, ""},
		colSpec{column{"Налоговая ставка", 13, sheet.Center}, "7", func(int) string { return rate }, ""},
		colSpec{column{"Сумма налога, предъявляемая покупателю", 21, sheet.Right}, "8", cell(func(x itemCells) string { return x.VAT }), ""},
		colSpec{column{"Стоимость товаров (работ, услуг), имущественных прав с налогом — всего", 24, sheet.Right}, "9", cell(func(x itemCells) string { return x.Amount }), ""},
	)
	if st.withCodes {
		specs = append(specs, colSpec{column{"цифровой код", 12, sheet.Center}, "10", func(int) string { return "" }, "Страна происхождения товара"})
	}
	if st.ed1096 {
		specs = append(specs,
			colSpec{column{"краткое наименование", 16, sheet.Center}, "10а", func(int) string { return "" }, "Страна происхождения товара"},
			colSpec{column{"Регистрационный номер декларации на товары или регистрационный номер партии товара, подлежащего прослеживаемости", 26, sheet.Center}, "11", func(int) string { return "" }, ""},
			colSpec{column{"код", 9, sheet.Center}, "12", func(int) string { return "" }, "Количественная единица измерения товара, используемая в целях осуществления прослеживаемости"},
			colSpec{column{"условное обозначение", 12, sheet.Center}, "12а", func(int) string { return "" }, "Количественная единица измерения товара, используемая в целях осуществления прослеживаемости"},
			colSpec{column{"Количество товара, подлежащего прослеживаемости, в количественной единице измерения", 18, sheet.Center}, "13", func(int) string { return "" }, ""},
		)
	} else {
		specs = append(specs,
			colSpec{column{"краткое наименование", 16, sheet.Center}, "10а", func(int) string { return "" }, "Страна происхождения товара"},
			colSpec{column{"Регистрационный номер декларации на товары или партии товара", 22, sheet.Center}, "11", func(int) string { return "" }, ""},
		)
	}
	headFont := f.Table
	headFont.Size = min(st.table-0.5, 7)
	t := table{X: x, Head: headFont, Body: f.Table, Pad: 0.8, Border: 0.2, Numbers: true}
	cols := make([]column, len(specs))
	for i, sp := range specs {
		cols[i] = sp.col
		t.NumLabels = append(t.NumLabels, sp.label)
		t.Groups = append(t.Groups, sp.group)
	}
	t.Cols = scaleCols(cols, w)
	rows := make([][]string, len(d.Items))
	for i := range d.Items {
		rows[i] = make([]string, len(specs))
		for j, sp := range specs {
			rows[i][j] = sp.cell(i)
		}
	}
	c.drawTable(t, rows)
	// «Всего к оплате (9)»: the label spans the columns up to 4.
	col5 := 0
	for i, sp := range specs {
		if sp.label == "5" {
			col5 = i
		}
	}
	vatTotal := d.money(d.VATSum)
	if d.VAT.None {
		vatTotal = "без НДС"
	}
	spans := []int{col5, 1, 2, 1, 1, len(specs) - col5 - 5}
	cells := []string{"Всего к оплате (9)", d.money(d.Total - d.VATSum), "X", vatTotal, d.money(d.Total), ""}
	c.spanRow(t, f.Head, spans, cells, []sheet.Align{sheet.Left, sheet.Right, sheet.Center, sheet.Right, sheet.Right, sheet.Left})
	c.gap(4)

	switch {
	case st.upd && st.ed1096:
		updFooter1096(r, c, d, f)
	case st.upd:
		updFooter(r, c, d, f)
	default:
		sfSignatures(r, c, d, f)
	}
	return c.doc
}

// sfSignatures is the foot of a счёт-фактура: head and chief accountant, or
// the entrepreneur with his registration.
func sfSignatures(r *rand.Rand, c *canvas, d *docData, f fonts) {
	c.ensure(28)
	s := d.Supplier
	half := c.width() / 2
	y0 := c.y
	if s.IP() {
		mid := c.signLine(c.x0(), half, f.Small, "Индивидуальный предприниматель или иное уполномоченное лицо", s.Head.Short(), d.Seed, true)
		ya := c.y
		c.y = y0
		c.para(c.x0()+half+4, half-4, f.Small, sheet.Left, "Реквизиты свидетельства о государственной регистрации индивидуального предпринимателя: ОГРНИП "+s.OGRN)
		c.y = max(c.y, ya)
		if d.Stamps && r.IntN(2) == 0 {
			c.stamp(r, s, mid+25, y0+6)
		}
		return
	}
	mid := c.signLine(c.x0(), half-2, f.Small, "Руководитель организации или иное уполномоченное лицо", s.Head.Short(), d.Seed, true)
	c.y = y0
	c.signLine(c.x0()+half+2, half-2, f.Small, "Главный бухгалтер или иное уполномоченное лицо", s.Booker.Short(), d.Seed+1, true)
	if d.Stamps && r.IntN(3) == 0 {
		c.stamp(r, s, mid+30, y0+8)
	}
}

// updFooter is the transfer part of a УПД: basis, who handed over and who
// received, dates, and the economic subjects with their stamps.
func updFooter(r *rand.Rand, c *canvas, d *docData, f fonts) {
	sfSignatures(r, c, d, f)
	c.gap(2)
	// The transfer part is kept in one piece: measure it on a scratch
	// canvas (its own random draws only move stamps, not text).
	scratch := &canvas{w: c.w, h: 1e4, left: c.left, right: c.right}
	scratch.newPage()
	updTransfer(rand.New(rand.NewPCG(1, 2)), scratch, d, f)
	c.ensure(scratch.y)
	updTransfer(r, c, d, f)
}

// updTransfer draws the transfer part of a УПД from the cursor down.
func updTransfer(r *rand.Rand, c *canvas, d *docData, f fonts) {
	x, w := c.x0(), c.width()
	basis := "Договор поставки"
	if d.Contract != nil {
		basis = fmt.Sprintf("Договор № %s от %s", d.Contract.Number, formatDate(d.Contract.Date, dateNumeric))
	}
	c.kv(x, 85, w-8, f.Small, f.Body, "Основание передачи (сдачи) / получения (приемки)", basis)
	c.textBox(x+w-8, c.y-1, 8, f.Small, sheet.Right, "[8]")
	c.gap(1)
	c.kv(x, 85, w-8, f.Small, f.Body, "Данные о транспортировке и грузе", "")
	c.gap(3)
	half := w/2 - 3
	y0 := c.y
	side := func(xx float64, who *party, name string, codes [4]string, handed bool, seed int64) float64 {
		c.y = y0
		lab := "Товар (груз) получил / услуги, результаты работ, права принял"
		if handed {
			lab = "Товар (груз) передал / услуги, результаты работ, права сдал"
		}
		c.para(xx, half, f.Small, sheet.Left, lab+" "+codes[0])
		c.gap(1)
		mid := c.signLine(xx, half, f.Small, headTitle(who), who.Head.Short(), seed, true)
		date := "Дата получения (приемки)"
		if handed {
			date = "Дата отгрузки, передачи (сдачи)"
		}
		c.para(xx, half, f.Small, sheet.Left, date+" "+formatDate(d.Date, dateQuotedWords)+" "+codes[1])
		c.gap(1)
		c.para(xx, half, f.Small, sheet.Left, "Ответственный за правильность оформления факта хозяйственной жизни "+codes[2])
		c.signLine(xx, half, f.Small, headTitle(who), who.Head.Short(), seed+7, false)
		c.para(xx, half, f.Small, sheet.Left, "Наименование экономического субъекта – составителя документа "+codes[3])
		c.para(xx, half, f.Body, sheet.Left, name+", ИНН/КПП "+innSlashKPP(who))
		c.para(xx, half, f.Small, sheet.Left, "М.П.")
		if d.Stamps && !(who.IP() && r.IntN(2) == 0) {
			c.stamp(r, who, mid+10+r.Float64()*15, c.y-12)
		}
		return c.y
	}
	ya := side(x, d.Supplier, d.SupplierName, [4]string{"[10]", "[11]", "[13]", "[14]"}, true, d.Seed+2)
	yb := side(x+half+6, d.Buyer, d.BuyerName, [4]string{"[15]", "[16]", "[18]", "[19]"}, false, d.Seed+3)
	c.vline(x+half+3, y0, max(ya, yb), 0.3)
	c.y = max(ya, yb)
}
