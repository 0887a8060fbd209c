package corpus

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/pervichka/pervichka/corpus/sheet"
)

// contractRoles names the sides of each kind of contract: nominative for
// headings, and the title of the contract.
func contractRoles(k contractKind) (sup, buy, title, subject string) {
	switch k {
	case contractSupply:
		return "Поставщик", "Покупатель", "ДОГОВОР ПОСТАВКИ", "передать в собственность Покупателя товар, а Покупатель обязуется принять и оплатить товар"
	case contractWorks:
		return "Подрядчик", "Заказчик", "ДОГОВОР ПОДРЯДА", "выполнить по заданию Заказчика работы, а Заказчик обязуется принять результат работ и оплатить его"
	}
	return "Исполнитель", "Заказчик", "ДОГОВОР ОКАЗАНИЯ УСЛУГ", "оказать Заказчику услуги, а Заказчик обязуется принять и оплатить эти услуги"
}

// roleGen, roleIns and roleDat decline a role name: «Исполнителя»,
// «Исполнителем», «Исполнителю»; «Заказчика», «Заказчиком», «Заказчику».
func roleGen(s string) string { return roleCase(s, "я", "а") }
func roleIns(s string) string { return roleCase(s, "ем", "ом") }
func roleDat(s string) string { return roleCase(s, "ю", "у") }

func roleCase(s, soft, hard string) string {
	if strings.HasSuffix(s, "ь") {
		return strings.TrimSuffix(s, "ь") + soft
	}
	return s + hard
}

func female(p person) bool { return strings.HasSuffix(p.Middle, "на") }

// partyIntro is the parties paragraph's part for one side: «ООО "Ромашка",
// именуемое в дальнейшем «Исполнитель», в лице Генерального директора …,
// действующего на основании Устава».
func partyIntro(name string, p *party, role string) string {
	if p.IP() {
		named, acting := "именуемый", "действующий"
		if female(p.Head) {
			named, acting = "именуемая", "действующая"
		}
		return fmt.Sprintf("Индивидуальный предприниматель %s, %s на основании записи в ЕГРИП (ОГРНИП %s), %s в дальнейшем «%s»",
			p.Head.Full(), acting, p.OGRN, named, role)
	}
	acting := "действующего"
	if female(p.Head) {
		acting = "действующей"
	}
	post := map[string]string{
		"Генеральный директор": "Генерального директора", "Директор": "Директора", "Управляющий": "Управляющего",
	}[p.HeadPost]
	return fmt.Sprintf("%s, именуемое в дальнейшем «%s», в лице %s %s, %s на основании Устава",
		name, role, post, p.Head.FullGen(), acting)
}

// priceClause is «Цена договора составляет … (…), в том числе НДС 22% — …».
func priceClause(d *docData, sup string) string {
	s := fmt.Sprintf("Цена договора составляет %s (%s)", d.money(d.Total), amountWords(d.Total))
	if d.VAT.None {
		return s + fmt.Sprintf(", НДС не облагается в связи с применением %s упрощенной системы налогообложения.", roleIns(sup))
	}
	return s + fmt.Sprintf(", в том числе НДС %s — %s руб.", d.VAT.label(), d.money(d.VATSum))
}

// clauses returns the numbered sections of the contract body.
func contractClauses(d *docData, sup, buy string) [][2]string {
	end := time.Date(d.Date.Year(), 12, 31, 0, 0, 0, 0, time.UTC)
	subj := "услуги"
	if d.Kind == contractSupply {
		subj = "товар"
	} else if d.Kind == contractWorks {
		subj = "работы"
	}
	return [][2]string{
		{"ЦЕНА ДОГОВОРА И ПОРЯДОК РАСЧЕТОВ", strings.Join([]string{
			"2.1. " + priceClause(d, sup),
			fmt.Sprintf("2.2. %s производит оплату в течение %d (%s) банковских дней с даты получения счета от %s путем перечисления денежных средств на расчетный счет %s.", buy, d.PayDays, smallNumberWords(d.PayDays), roleGen(sup), roleGen(sup)),
			"2.3. Датой оплаты считается дата списания денежных средств с корреспондентского счета банка " + roleGen(buy) + ".",
			"2.4. Цена договора является твердой и не подлежит изменению в течение срока его действия, если иное не согласовано Сторонами в дополнительном соглашении.",
		}, "\n")},
		{"ПРАВА И ОБЯЗАННОСТИ СТОРОН", strings.Join([]string{
			fmt.Sprintf("3.1. %s обязуется передать (выполнить, оказать) %s надлежащего качества в сроки, предусмотренные настоящим Договором.", sup, subj),
			fmt.Sprintf("3.2. %s обязуется своевременно принять и оплатить %s в порядке и на условиях настоящего Договора.", buy, subj),
			fmt.Sprintf("3.3. %s вправе привлекать третьих лиц для исполнения настоящего Договора, оставаясь ответственным перед %s за их действия.", sup, roleIns(buy)),
			fmt.Sprintf("3.4. %s вправе в любое время проверять ход и качество исполнения Договора, не вмешиваясь в оперативно-хозяйственную деятельность %s.", buy, roleGen(sup)),
		}, "\n")},
		{"ПОРЯДОК СДАЧИ-ПРИЕМКИ", strings.Join([]string{
			fmt.Sprintf("4.1. По факту исполнения %s передает %s универсальный передаточный документ либо акт, подписанный со своей стороны, и счет-фактуру (при наличии).", sup, roleDat(buy)),
			fmt.Sprintf("4.2. %s в течение 5 (пяти) рабочих дней подписывает полученные документы или направляет мотивированный отказ от приемки.", buy),
			"4.3. Документы могут быть подписаны усиленной квалифицированной электронной подписью и переданы через оператора электронного документооборота.",
		}, "\n")},
		{"ОТВЕТСТВЕННОСТЬ СТОРОН", strings.Join([]string{
			"5.1. За неисполнение или ненадлежащее исполнение обязательств по настоящему Договору Стороны несут ответственность в соответствии с законодательством Российской Федерации.",
			fmt.Sprintf("5.2. За просрочку оплаты %s вправе потребовать уплаты неустойки в размере 0,1%% от неоплаченной суммы за каждый день просрочки, но не более 10%% от цены Договора.", sup),
			"5.3. Стороны освобождаются от ответственности за частичное или полное неисполнение обязательств, если оно явилось следствием обстоятельств непреодолимой силы.",
		}, "\n")},
		{"ПОРЯДОК РАЗРЕШЕНИЯ СПОРОВ", strings.Join([]string{
			"6.1. Споры и разногласия Стороны разрешают путем переговоров. Претензионный порядок обязателен, срок ответа на претензию — 10 (десять) календарных дней.",
			"6.2. При недостижении согласия спор передается на рассмотрение в Арбитражный суд по месту нахождения истца.",
		}, "\n")},
		{"СРОК ДЕЙСТВИЯ ДОГОВОРА", strings.Join([]string{
			fmt.Sprintf("7.1. Договор вступает в силу с момента его подписания и действует до %s, а в части расчетов — до полного исполнения Сторонами своих обязательств.", formatDate(end, dateWords)),
			"7.2. Если ни одна из Сторон за 30 (тридцать) дней до окончания срока действия Договора не заявит о его прекращении, Договор считается продленным на каждый следующий календарный год.",
		}, "\n")},
		{"ЗАКЛЮЧИТЕЛЬНЫЕ ПОЛОЖЕНИЯ", strings.Join([]string{
			"8.1. Все изменения и дополнения к настоящему Договору действительны, если они совершены в письменной форме и подписаны уполномоченными представителями Сторон.",
			"8.2. Настоящий Договор составлен в двух экземплярах, имеющих одинаковую юридическую силу, по одному для каждой из Сторон.",
			"8.3. Во всем остальном, что не предусмотрено настоящим Договором, Стороны руководствуются законодательством Российской Федерации.",
		}, "\n")},
	}
}

func smallNumberWords(n int) string {
	w := map[int]string{3: "трех", 5: "пяти", 10: "десяти", 15: "пятнадцати", 30: "тридцати"}[n]
	if w == "" {
		return itoa(n)
	}
	return w
}

// contractStyle holds what differs between the contract layouts.
type contractStyle struct {
	families     []sheet.Family
	body         float64
	upperHeads   bool // «1. ПРЕДМЕТ ДОГОВОРА» or «1. Предмет договора»
	centerHeads  bool
	specAppendix bool // items in «Приложение № 1» on its own page instead of section 1
	boxedReqs    bool // requisites in a bordered two-column table
	margins      [4]float64
}

func contractClassic(r *rand.Rand, d *docData) sheet.Document {
	return contractLayout(r, d, contractStyle{families: serifFamilies, body: 10 + float64(r.IntN(3))*0.5, upperHeads: true, centerHeads: true, margins: [4]float64{25, 12, 18, 18}})
}

func contractModern(r *rand.Rand, d *docData) sheet.Document {
	return contractLayout(r, d, contractStyle{families: sansFamilies, body: 9.5 + float64(r.IntN(2))*0.5, specAppendix: true, boxedReqs: true, margins: [4]float64{20, 15, 15, 15}})
}

func contractDense(r *rand.Rand, d *docData) sheet.Document {
	return contractLayout(r, d, contractStyle{families: sheet.Families, body: 8.5 + float64(r.IntN(2))*0.5, upperHeads: true, boxedReqs: r.IntN(2) == 0, margins: [4]float64{15, 10, 12, 12}})
}

func contractLayout(r *rand.Rand, d *docData, st contractStyle) sheet.Document {
	f := pickFonts(r, st.families, st.body, st.body-1, st.body+3)
	c := newCanvas(false, st.margins[0], st.margins[1], st.margins[2], st.margins[3])
	sup, buy, title, subject := contractRoles(d.Kind)
	c.para(c.x0(), c.width(), f.Title, sheet.Center, fmt.Sprintf("%s № %s", title, d.Number))
	c.gap(3)
	y := c.y + ascent(f.Body)
	c.textBox(c.x0(), y, 70, f.Body, sheet.Left, d.City)
	c.textBox(c.x1()-70, y, 70, f.Body, sheet.Right, d.date())
	c.y += lineHeight(f.Body) + 4
	c.para(c.x0(), c.width(), f.Body, sheet.Left, partyIntro(d.SupplierName, d.Supplier, sup)+", с одной стороны, и "+
		partyIntro(d.BuyerName, d.Buyer, buy)+", с другой стороны, совместно именуемые «Стороны», заключили настоящий Договор о нижеследующем:")
	head := func(n int, s string) {
		c.gap(3)
		if !st.upperHeads {
			s = string([]rune(s)[:1]) + strings.ToLower(string([]rune(s)[1:]))
		}
		a := sheet.Left
		if st.centerHeads {
			a = sheet.Center
		}
		c.ensure(lineHeight(f.Bold) * 3)
		c.para(c.x0(), c.width(), f.Bold, a, fmt.Sprintf("%d. %s", n, s))
		c.gap(1)
	}
	itemsTable := func() {
		t := table{X: c.x0(), Head: f.Head, Body: f.Table, Pad: 1, Border: 0.2,
			Cols: scaleCols([]column{
				{"№", 8, sheet.Center}, {"Наименование", 80, sheet.Left}, {"Ед. изм.", 14, sheet.Center},
				{"Кол-во", 15, sheet.Right}, {"Цена, руб.", 23, sheet.Right}, {"Сумма, руб.", 25, sheet.Right},
			}, c.width())}
		rows := make([][]string, len(d.Items))
		for i := range d.Items {
			x := d.cells(i)
			rows[i] = []string{x.N, x.Name, x.Unit, x.Qty, x.Price, x.Amount}
		}
		c.drawTable(t, rows)
		c.invoiceTotals(d, f, c.x1(), [3]string{"Итого:", "В том числе НДС %s:", "Всего:"})
	}
	head(1, "ПРЕДМЕТ ДОГОВОРА")
	c.para(c.x0(), c.width(), f.Body, sheet.Left, fmt.Sprintf("1.1. %s обязуется %s на условиях настоящего Договора.", sup, subject))
	if st.specAppendix {
		c.para(c.x0(), c.width(), f.Body, sheet.Left, "1.2. Наименование, количество и стоимость указаны в Спецификации (Приложение № 1), являющейся неотъемлемой частью настоящего Договора.")
	} else {
		c.para(c.x0(), c.width(), f.Body, sheet.Left, "1.2. Наименование, количество и стоимость согласованы Сторонами в следующей таблице:")
		c.gap(1)
		itemsTable()
	}
	for i, cl := range contractClauses(d, sup, buy) {
		head(i+2, cl[0])
		for _, p := range strings.Split(cl[1], "\n") {
			c.para(c.x0(), c.width(), f.Body, sheet.Left, p)
		}
	}
	n := len(contractClauses(d, sup, buy)) + 2
	head(n, "РЕКВИЗИТЫ И ПОДПИСИ СТОРОН")
	c.requisites(r, d, f, sup, buy, st.boxedReqs)
	if st.specAppendix {
		c.newPage()
		c.para(c.x0(), c.width(), f.Body, sheet.Right, fmt.Sprintf("Приложение № 1\nк Договору № %s от %s", d.Number, d.date()))
		c.gap(4)
		c.para(c.x0(), c.width(), f.Title, sheet.Center, "СПЕЦИФИКАЦИЯ")
		c.gap(3)
		itemsTable()
		c.gap(8)
		c.ensure(25)
		half := c.width()/2 - 4
		y0 := c.y
		c.para(c.x0(), half, f.Bold, sheet.Left, sup+":")
		c.gap(4)
		c.signLine(c.x0(), half, f.Body, "", d.Supplier.Head.Short(), d.Seed+5, true)
		c.y = y0
		c.para(c.x0()+half+8, half, f.Bold, sheet.Left, buy+":")
		c.gap(4)
		c.signLine(c.x0()+half+8, half, f.Body, "", d.Buyer.Head.Short(), d.Seed+6, true)
	}
	c.pageFooters(r, d, f, sup, buy)
	return c.doc
}

// pageFooters numbers the pages of a contract and, as parties often do,
// leaves room at the foot of each page for both sides to initial it.
func (c *canvas) pageFooters(r *rand.Rand, d *docData, f fonts, sup, buy string) {
	style := r.IntN(3)
	initials := r.IntN(2) == 0
	n := len(c.doc.Sheets)
	for i := range c.doc.Sheets {
		s := &c.doc.Sheets[i]
		y := s.H - c.bottom/2
		var label string
		switch style {
		case 0:
			label = fmt.Sprintf("Страница %d из %d", i+1, n)
		case 1:
			label = fmt.Sprintf("- %d -", i+1)
		default:
			label = itoa(i + 1)
		}
		s.Ops = append(s.Ops, sheet.Text{X: c.left, Y: y, W: c.w - c.left - c.right, Font: f.Small, Align: sheet.Center, S: label})
		if initials && i < n-1 {
			lw := 22.0
			s.Ops = append(s.Ops,
				sheet.Text{X: c.left, Y: y, W: textWidth(f.Small, sup+":"), Font: f.Small, S: sup + ":"},
				sheet.Line{X1: c.left + textWidth(f.Small, sup+":") + 1, Y1: y + 0.5, X2: c.left + textWidth(f.Small, sup+":") + 1 + lw, Y2: y + 0.5, Width: 0.15},
				sheet.Text{X: c.w - c.right - lw - 1 - textWidth(f.Small, buy+":"), Y: y, W: textWidth(f.Small, buy+":"), Font: f.Small, S: buy + ":"},
				sheet.Line{X1: c.w - c.right - lw, Y1: y + 0.5, X2: c.w - c.right, Y2: y + 0.5, Width: 0.15},
			)
		}
	}
}

// requisites is the side-by-side block «Реквизиты и подписи сторон».
func (c *canvas) requisites(r *rand.Rand, d *docData, f fonts, sup, buy string, boxed bool) {
	half := c.width()/2 - 3
	lines := func(name string, p *party) []string {
		out := []string{name}
		if p.IP() {
			out = append(out, "ИНН "+p.INN, "ОГРНИП "+p.OGRN)
		} else {
			out = append(out, "ИНН "+p.INN, "КПП "+p.KPP, "ОГРН "+p.OGRN)
		}
		out = append(out, "Адрес: "+p.Address,
			"Р/с "+p.Account.Account, "в "+p.Account.Bank.Name, "БИК "+p.Account.Bank.BIK, "К/с "+p.Account.Corr)
		if r.IntN(2) == 0 {
			out = append(out, "Тел.: "+p.Phone)
		}
		return out
	}
	left, right := lines(d.SupplierName, d.Supplier), lines(d.BuyerName, d.Buyer)
	c.ensure(70)
	if boxed {
		t := table{X: c.x0(), Head: f.Bold, Body: f.Body, Pad: 1.2, Border: 0.2,
			Cols: []column{{sup, c.width() / 2, sheet.Left}, {buy, c.width() / 2, sheet.Left}}}
		c.y += c.row(t, f.Bold, []string{sup, buy}, false, false, -1)
		c.y += c.row(t, f.Body, []string{strings.Join(left, "\n"), strings.Join(right, "\n")}, false, false, -1)
	} else {
		y0 := c.y
		c.para(c.x0(), half, f.Bold, sheet.Left, sup+":")
		for _, l := range left {
			c.para(c.x0(), half, f.Body, sheet.Left, l)
		}
		ya := c.y
		c.y = y0
		c.para(c.x0()+half+6, half, f.Bold, sheet.Left, buy+":")
		for _, l := range right {
			c.para(c.x0()+half+6, half, f.Body, sheet.Left, l)
		}
		c.y = max(ya, c.y)
	}
	c.gap(6)
	c.ensure(30)
	y0 := c.y
	sign := func(x float64, p *party, seed int64) {
		c.y = y0
		c.para(x, half, f.Body, sheet.Left, headTitle(p))
		c.gap(5)
		mid := c.signLine(x, half, f.Body, "", "/ "+p.Head.Short()+" /", seed, true)
		c.para(x, half, f.Small, sheet.Left, "М.П.")
		if d.Stamps && !(p.IP() && r.IntN(2) == 0) {
			c.stamp(r, p, mid+r.Float64()*10, c.y-10)
		}
	}
	sign(c.x0(), d.Supplier, d.Seed)
	sign(c.x0()+half+6, d.Buyer, d.Seed+1)
}
