package corpus

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/ruvalid"
)

// Dates are drawn from this range: the corpus covers both the 20% and the
// 22% VAT eras and the 5%/7% simplified-tax rates of 2025.
var (
	firstDate  = time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	lastDate   = time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	vat22From  = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	usnVATFrom = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
)

func randomDate(r *rand.Rand) time.Time {
	days := int(lastDate.Sub(firstDate).Hours() / 24)
	return firstDate.AddDate(0, 0, r.IntN(days+1))
}

// vatRate is a document's single rate; None is «Без НДС».
type vatRate struct {
	Pct  int
	None bool
}

// truth is "22", "20", …, or "none".
func (v vatRate) truth() pervichka.Text {
	if v.None {
		return pervichka.VATNone
	}
	return pervichka.Text(itoa(v.Pct))
}

// label is «22%» or «Без НДС».
func (v vatRate) label() string {
	if v.None {
		return "Без НДС"
	}
	return itoa(v.Pct) + "%"
}

// legalVAT reports whether the rate existed on the date: 20% until the end
// of 2025, 22% from 2026, 10% always (for listed goods), 5% and 7% from 2025
// (simplified-tax payers), «Без НДС» always.
func legalVAT(v vatRate, d time.Time) bool {
	if v.None {
		return true
	}
	switch v.Pct {
	case 20:
		return d.Before(vat22From)
	case 22:
		return !d.Before(vat22From)
	case 10:
		return true
	case 5, 7:
		return !d.Before(usnVATFrom)
	}
	return false
}

func generalRate(d time.Time) vatRate {
	if d.Before(vat22From) {
		return vatRate{Pct: 20}
	}
	return vatRate{Pct: 22}
}

// item is one line of a document. Prices include VAT, as Russian bills
// usually do; VAT is computed per line from the gross amount.
type item struct {
	Name     string
	Unit     string
	UnitCode string // ОКЕИ code for счёт-фактура and УПД
	Qty      qty
	Price    pervichka.Kopecks // per unit, VAT included
	Amount   pervichka.Kopecks // line total, VAT included
	VAT      pervichka.Kopecks
	NetPrice pervichka.Kopecks // per unit without VAT (column 4 of a счёт-фактура)
	Net      pervichka.Kopecks // Amount − VAT (column 5)
}

// contractRef is a printed «Основание: Договор № … от …».
type contractRef struct {
	Number string
	Date   time.Time
}

// contractKind selects the wording of a contract.
type contractKind int

const (
	contractServices contractKind = iota // договор оказания услуг
	contractSupply                       // договор поставки
	contractWorks                        // договор подряда
)

// docData is everything printed on one document; layouts only arrange it.
type docData struct {
	ID           string
	Type         pervichka.DocType
	Layout       int
	Number       string
	Date         time.Time
	DateStyle    dateStyle
	Supplier     *party
	Buyer        *party
	SupplierName string // as printed in the parties block
	BuyerName    string
	Quote        rune
	Contract     *contractRef // printed only when set
	Kind         contractKind
	VAT          vatRate
	Items        []item
	Total        pervichka.Kopecks
	VATSum       pervichka.Kopecks
	Money        moneyStyle
	FixedQty     bool
	UPDStatus    int
	City         string // where a contract is signed
	PayDays      int
	Stamps       bool
	Seed         int64 // for signatures
	// BankPrinted is set by a layout that prints the supplier's bank
	// details on a type that does not always carry them (a 1C act, a
	// ТОРГ-12), so that the truth holds what the page shows.
	BankPrinted bool
}

func (d *docData) date() string { return formatDate(d.Date, d.DateStyle) }

func (d *docData) money(k pervichka.Kopecks) string { return d.Money.money(k) }

// services reports whether the lines are services rather than goods.
func (d *docData) services() bool {
	return d.Type == pervichka.DocAct || (d.Type == pervichka.DocContract && d.Kind != contractSupply)
}

// newDocData draws one document of type t. own are the back office's
// organisations; in nine documents of ten one of them is a party.
//
// With long (the real-world layout set) one document in five has a long
// table, 18–35 lines, that runs onto a second page; the classic set makes
// no such draw, so its documents stay what they were.
func newDocData(r *rand.Rand, id string, t pervichka.DocType, own []*party, layouts int, long bool) *docData {
	d := &docData{ID: id, Type: t, Layout: r.IntN(layouts), Seed: r.Int64()}
	d.Date = randomDate(r)
	if t == pervichka.DocAct && r.IntN(2) == 0 { // acts are often signed on the last day of the month
		d.Date = time.Date(d.Date.Year(), d.Date.Month()+1, 0, 0, 0, 0, 0, time.UTC)
		if d.Date.After(lastDate) {
			d.Date = lastDate
		}
	}
	d.DateStyle = dateStyle(r.IntN(int(numDateStyles)))
	if t == pervichka.DocContract {
		d.DateStyle = dateQuotedWords
		d.Kind = contractKind(r.IntN(3))
	}
	d.Number = docNumber(r, d.Date)
	d.Quote = pick(r, []rune{'"', '"', '«'})
	d.Money = moneyStyle{Sep: pick(r, []string{" ", " ", ""})}
	d.FixedQty = r.IntN(3) == 0
	d.PayDays = pick(r, []int{3, 5, 5, 10, 10, 15, 30})
	d.Stamps = r.IntN(10) < 8

	// Parties: ours is mostly the buyer; in acts and contracts sometimes the
	// supplier (we sell services too).
	var supplier, buyer *party
	newSupplier := func() *party {
		if r.IntN(10) < 3 {
			return newIP(r)
		}
		return newOrg(r)
	}
	switch n := r.IntN(10); {
	case n == 0:
		supplier = newSupplier()
		buyer = newOrg(r)
		if r.IntN(6) == 0 {
			buyer = newIP(r)
		}
	case (t == pervichka.DocAct || t == pervichka.DocContract) && n <= 3:
		supplier = own[r.IntN(len(own))]
		buyer = newOrg(r)
	default:
		supplier = newSupplier()
		buyer = own[r.IntN(len(own))]
	}
	d.Supplier, d.Buyer = supplier, buyer
	d.SupplierName = printedName(r, supplier, d.Quote)
	d.BuyerName = printedName(r, buyer, d.Quote)
	d.City = supplier.Region.Short
	if r.IntN(2) == 0 {
		d.City = buyer.Region.Short
	}

	// Goods or services, then the rate they may carry.
	var cat *category
	if d.services() {
		cat = &serviceCategories[r.IntN(len(serviceCategories))]
	} else {
		cat = &goodsCategories[r.IntN(len(goodsCategories))]
	}
	d.VAT = pickVAT(r, d.Date, supplier, cat)
	if t == pervichka.DocVATInvoice && d.VAT.None { // no счёт-фактура without VAT
		d.VAT = generalRate(d.Date)
		if cat.Reduced {
			d.VAT = vatRate{Pct: 10}
		}
	}
	d.UPDStatus = 1
	if d.VAT.None {
		d.UPDStatus = 2
	}
	n := 1 + r.IntN(6)
	if r.IntN(4) == 0 {
		n = 1 + r.IntN(15)
	}
	if t == pervichka.DocContract {
		n = 1 + r.IntN(4)
	}
	if long && t != pervichka.DocContract && r.IntN(5) == 0 {
		n = 18 + r.IntN(18)
	}
	d.Items = makeItems(r, cat, n, d.Date, d.VAT, t == pervichka.DocAct)
	for long && len(d.Items) < n { // a long order repeats goods in other grades
		more := makeItems(r, cat, n-len(d.Items), d.Date, d.VAT, t == pervichka.DocAct)
		for k := range more {
			more[k].Name += fmt.Sprintf(", арт. %05d", 1000+r.IntN(90000))
		}
		d.Items = append(d.Items, more...)
	}
	for _, it := range d.Items {
		d.Total += it.Amount
		d.VATSum += it.VAT
	}

	// A contract reference: always on a contract-based act, often on bills.
	refChance := map[pervichka.DocType]int{pervichka.DocInvoice: 4, pervichka.DocAct: 7, pervichka.DocUPD: 5, pervichka.DocTORG12: 5}[t]
	if r.IntN(10) < refChance {
		cd := d.Date.AddDate(0, 0, -r.IntN(400))
		if cd.Before(firstDate) {
			cd = firstDate.AddDate(0, 0, r.IntN(20))
		}
		d.Contract = &contractRef{Number: contractNumber(r, cd), Date: cd}
	}
	if t == pervichka.DocContract {
		d.Number = contractNumber(r, d.Date)
	}
	return d
}

// printedName chooses how a party's name appears on this document.
func printedName(r *rand.Rand, p *party, q rune) string {
	if p.IP() {
		return p.ShortName(q)
	}
	if r.IntN(8) == 0 {
		return p.FullName(q)
	}
	return p.ShortName(q)
}

// pickVAT draws a rate legal at the date for this seller and these goods.
func pickVAT(r *rand.Rand, date time.Time, seller *party, cat *category) vatRate {
	simplified := r.IntN(10) < 2
	if seller.IP() {
		simplified = r.IntN(10) < 8
	}
	if simplified {
		if !date.Before(usnVATFrom) && r.IntN(2) == 0 {
			return vatRate{Pct: pick(r, []int{5, 7})}
		}
		return vatRate{None: true}
	}
	if cat.Reduced {
		return vatRate{Pct: 10}
	}
	return generalRate(date)
}

// docNumber draws numbers like «142», «00045», «А-17», «УТ-342», «15/23».
func docNumber(r *rand.Rand, d time.Time) string {
	n := 1 + r.IntN(2000)
	switch r.IntN(6) {
	case 0:
		return fmt.Sprintf("%05d", n)
	case 1:
		return fmt.Sprintf("%s-%d", pick(r, []string{"А", "УТ", "БП", "СЧ", "ТД", "Р"}), n)
	case 2:
		return fmt.Sprintf("%d/%02d", n, d.Year()%100)
	case 3:
		return fmt.Sprintf("%s-%06d", pick(r, []string{"УТ", "ЦБ", "00"}), n)
	}
	return itoa(n)
}

func contractNumber(r *rand.Rand, d time.Time) string {
	n := 1 + r.IntN(300)
	switch r.IntN(5) {
	case 0:
		return fmt.Sprintf("%d/%02d", n, d.Year()%100)
	case 1:
		return fmt.Sprintf("%d-%s", n, pick(r, []string{"У", "П", "ОУ", "ПД"}))
	case 2:
		return fmt.Sprintf("Д-%d/%03d", d.Year(), n)
	case 3:
		return fmt.Sprintf("%02d/%02d-%02d", n%100, int(d.Month()), d.Year()%100)
	}
	return itoa(n)
}

// makeItems draws n lines from the category and computes their money; with
// period, services billed by the month name it («… за март 2024 г.»). Each
// line's VAT comes from its own gross amount (ruvalid.VATFromGross), as
// accounting programs do, so totals agree to the kopeck.
func makeItems(r *rand.Rand, cat *category, n int, date time.Time, v vatRate, period bool) []item {
	out := make([]item, 0, n)
	used := map[int]bool{}
	for len(out) < n && len(used) < len(cat.Items) {
		k := r.IntN(len(cat.Items))
		if used[k] {
			continue
		}
		used[k] = true
		p := cat.Items[k]
		it := item{Name: p.Name, Unit: p.Unit.Name, UnitCode: p.Unit.Code}
		if period && cat.Service && periodic(p.Name) {
			it.Name = serviceName(p.Name, date)
		}
		it.Qty = p.qty(r)
		price := p.MinPrice + pervichka.Kopecks(r.Int64N(int64(p.MaxPrice-p.MinPrice)+1))
		if price >= 100_00 && r.IntN(2) == 0 {
			price = price / 100 * 100 // whole roubles are common
		}
		it.Price = price
		it.Amount = pervichka.Kopecks((int64(it.Qty)*int64(price) + 500) / 1000)
		if !v.None {
			it.VAT = ruvalid.VATFromGross(it.Amount, v.Pct)
		}
		it.Net = it.Amount - it.VAT
		it.NetPrice = pervichka.Kopecks((int64(it.Net)*1000 + int64(it.Qty)/2) / int64(it.Qty))
		out = append(out, it)
	}
	return out
}

// periodic reports whether a service is billed per period (not one-off
// works such as a repair).
func periodic(name string) bool {
	for _, p := range []string{"Монтаж", "Ремонт", "Разработка", "Транспортно"} {
		if strings.HasPrefix(name, p) {
			return false
		}
	}
	return true
}

// serviceName puts the period in a service line: «… за март 2024 г.». An
// act signed in the last week of a month closes that month; one signed
// earlier closes the month before.
func serviceName(name string, date time.Time) string {
	period := date
	if date.Day() < 24 {
		period = time.Date(date.Year(), date.Month(), 0, 0, 0, 0, 0, time.UTC)
	}
	return name + " за " + monthYear(period)
}

// truth is the ground truth of the document.
func (d *docData) truth(pages int) Truth {
	res := pervichka.Result{
		Pages:         pages,
		DocType:       d.Type,
		Number:        pervichka.Text(d.Number),
		Date:          isoDate(d.Date),
		Supplier:      d.Supplier.truth(d.SupplierName),
		Buyer:         d.Buyer.truth(d.BuyerName),
		Currency:      "RUB",
		Total:         d.Total.Text(),
		VATRate:       d.VAT.truth(),
		Items:         make([]pervichka.Item, 0, len(d.Items)),
		ReviewReasons: []string{},
	}
	if !d.VAT.None {
		res.VATAmount = d.VATSum.Text()
	}
	if d.Type == pervichka.DocInvoice || d.Type == pervichka.DocContract || d.BankPrinted {
		res.SupplierBank = d.Supplier.Account.truth()
	}
	if d.Contract != nil {
		res.ContractRef = &pervichka.ContractRef{Number: pervichka.Text(d.Contract.Number), Date: isoDate(d.Contract.Date)}
	}
	for _, it := range d.Items {
		ti := pervichka.Item{
			Name:     pervichka.Text(it.Name),
			Quantity: pervichka.Text(it.Qty.decimal()),
			Unit:     pervichka.Text(it.Unit),
			Price:    it.Price.Text(),
			Amount:   it.Amount.Text(),
		}
		if d.Type == pervichka.DocVATInvoice || d.Type == pervichka.DocUPD || d.Type == pervichka.DocTORG12 {
			ti.Price = it.NetPrice.Text() // column 4 (ТОРГ-12: 11) is the price without tax
		}
		if !d.VAT.None {
			ti.VATAmount = it.VAT.Text()
		}
		res.Items = append(res.Items, ti)
	}
	return Truth{ID: d.ID, Variants: map[string]string{}, Result: res}
}
