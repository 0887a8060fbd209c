// Package fnsxml writes an approved document as the ФНС exchange file of the
// universal transfer document, format 5.03 (КНД 1115131, ON_NSCHFDOPPR,
// приказ ФНС ЕД-7-26/970@): the XML that 1С:Бухгалтерия loads as a receipt
// («Загрузить из файла» of the ЭДО formats; docs/ledger.md).
//
// The function of the file follows the document type: a УПД is СЧФДОП (ДОП
// when it is without VAT — a seller without VAT issues УПД status 2), a
// счёт-фактура СЧФ, an act and a ТОРГ-12 ДОП. A contract and an invoice for
// payment are not shipments and are refused with a RefusedError.
//
// Limits, because the source is a paper (or PDF) original read by
// Pervichka and not the seller's electronic file:
//   - addresses are not read, yet the format requires one for СЧФ and
//     СЧФДОП: the address names only the region, from the КПП (the ИНН for
//     an ИП); 1С takes the counterparty's real address from its directory;
//   - the signer's name is not read: Подписант says so («Не указано»), with
//     СпосПодтПолном 6 («иное»: the paper original's signature);
//   - the date of shipment (ДатаПер) is the document's date, and for a
//     счёт-фактура the shipping document (строка 5а) is «№ п/п 1–N» with the
//     invoice's own number and date, as 1С prints it;
//   - the participants' ЭДО ids are unknown; the file name carries the
//     parties' ИНН+КПП (ИНН of an ИП) in their place.
//
// Every file Build makes passes the official XSD (the tests run xmllint on
// the whole corpus) and Check, which runs in code the schematron rules
// xmllint skips: ИдФайл equals the file name, and the totals are the sums
// of the lines.
package fnsxml

import (
	"bytes"
	"crypto/sha1"
	"encoding/xml"
	"fmt"
	"math/big"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/ruvalid"
)

// DocTORG12 is the ТОРГ-12 товарная накладная (the domain's type).
const DocTORG12 = pervichka.DocTORG12

// Functions of the file (Функция).
const (
	FuncInvoice         = "СЧФ"    // счёт-фактура only
	FuncInvoiceTransfer = "СЧФДОП" // счёт-фактура and transfer document (УПД status 1)
	FuncTransfer        = "ДОП"    // transfer document only (УПД status 2, act, ТОРГ-12)
)

// Program is ВерсПрог: the program that made the file.
const Program = "Pervichka 1.0"

// Document is what Build needs: the approved result and facts about it
// that the result does not hold.
type Document struct {
	Result pervichka.Result
	// Services: every line is a service or work (the ledger's mapping
	// decides); it words the operation («Услуги оказаны» or «Товары
	// переданы»).
	Services bool
	// Created is when the approved result was posted: the file's date and
	// time (ДатаИнфПр, ВремИнфПр and the date in its name), taken in
	// Moscow time. A file made again from the same posting is the same.
	Created time.Time
	// Seed identifies the approved version (e.g. "document 12 version 4
	// <result hash>"); the file's GUID is derived from it, so the same
	// version always has the same name and a new version another.
	Seed string
}

// File is one exchange file.
type File struct {
	Name     string // ИдФайл + ".xml"
	Function string
	Data     []byte // windows-1251 XML
}

// RefusedError says, in Russian for the accountant, why a document cannot
// be written in the format.
type RefusedError struct{ Reason string }

func (e *RefusedError) Error() string { return e.Reason }

func refuse(format string, args ...any) error {
	return &RefusedError{Reason: fmt.Sprintf(format, args...)}
}

// moscow is the time zone of ДатаИнфПр/ВремИнфПр.
var moscow = func() *time.Location {
	if loc, err := time.LoadLocation("Europe/Moscow"); err == nil {
		return loc
	}
	return time.FixedZone("MSK", 3*3600)
}()

// Function returns the file's function for a document, or a RefusedError.
func Function(r pervichka.Result) (string, error) {
	switch r.DocType {
	case pervichka.DocUPD:
		if string(r.VATRate) == pervichka.VATNone {
			return FuncTransfer, nil
		}
		return FuncInvoiceTransfer, nil
	case pervichka.DocVATInvoice:
		return FuncInvoice, nil
	case pervichka.DocAct, DocTORG12:
		return FuncTransfer, nil
	case pervichka.DocInvoice:
		return "", refuse("Счёт на оплату не передаётся в 1С как УПД: это не документ об отгрузке. Для оплаты выгрузите платёжное поручение (формат bank).")
	case pervichka.DocContract:
		return "", refuse("Договор не выражается в формате УПД ФНС: это не документ об отгрузке.")
	}
	return "", refuse("Тип документа %q не выражается в формате УПД ФНС.", r.DocType)
}

// Build writes the document's exchange file, or says why it cannot.
func Build(d Document) (File, error) {
	r := d.Result
	fn, err := Function(r)
	if err != nil {
		return File{}, err
	}
	if cur := strings.ToUpper(strings.TrimSpace(string(r.Currency))); cur != "" && cur != "RUB" && cur != "RUR" && cur != "РУБ" {
		return File{}, refuse("Валюта документа %s: выгрузка в формате ФНС поддерживает только рубли.", cur)
	}
	if r.Number == "" {
		return File{}, refuse("В документе нет номера: без него файл ФНС не составить.")
	}
	date, err := fnsDate(string(r.Date))
	if err != nil {
		return File{}, refuse("Дата документа %q не распознана: без неё файл ФНС не составить.", r.Date)
	}
	seller, sellerID, err := party(r.Supplier, "продавца")
	if err != nil {
		return File{}, err
	}
	buyer, buyerID, err := party(r.Buyer, "покупателя")
	if err != nil {
		return File{}, err
	}
	table, err := buildTable(r, fn)
	if err != nil {
		return File{}, err
	}
	if b := r.SupplierBank; b != nil && b.Account != "" && ruvalid.ValidAccount(string(b.Account), string(b.BIK)) {
		seller.Bank = &xBank{Account: string(b.Account), Bank: &xBankInfo{
			Name: clip(string(b.BankName), 1000), BIK: string(b.BIK)}}
		if ruvalid.ValidCorrAccount(string(b.CorrAccount), string(b.BIK)) {
			seller.Bank.Bank.Corr = string(b.CorrAccount)
		}
	}

	created := d.Created.In(moscow)
	id := fmt.Sprintf("ON_NSCHFDOPPR_%s_%s_%s_%s_0_0_0_0_0_00", buyerID, sellerID, created.Format("20060102"), guid(d.Seed))
	doc := xDoc{
		KND: "1115131", Function: fn,
		Date: created.Format("02.01.2006"), Time: created.Format("15.04.05"),
		Composer: clip(string(r.Buyer.Name)+", по бумажному документу продавца", 1000),
		Invoice: xInvoice{
			Number: clip(string(r.Number), 1000), Date: date,
			Seller: seller, Buyer: buyer,
			Currency: xCurrency{Code: "643", Name: "Российский рубль"},
		},
		Table: table,
	}
	switch fn {
	case FuncInvoice:
		// Строка 5а: the shipping document; see the package comment.
		doc.Invoice.Shipment = []xDocRef{{Name: fmt.Sprintf("№ п/п 1-%d", len(table.Lines)),
			Number: clip(string(r.Number), 255), Date: date}}
		doc.Composer = ""
	case FuncInvoiceTransfer:
		doc.FactName = "Документ об отгрузке товаров (выполнении работ), передаче имущественных прав (документ об оказании услуг)"
		doc.DocName = "Счет-фактура и документ об отгрузке товаров (выполнении работ), передаче имущественных прав (документ об оказании услуг)"
	case FuncTransfer:
		doc.FactName = "Документ об отгрузке товаров (выполнении работ), передаче имущественных прав (документ об оказании услуг)"
		switch r.DocType {
		case pervichka.DocAct:
			doc.DocName = "Акт об оказании услуг (выполнении работ)"
		case DocTORG12:
			doc.DocName = "Товарная накладная"
		default:
			doc.DocName = "Документ об отгрузке товаров (выполнении работ), передаче имущественных прав (документ об оказании услуг)"
		}
	}
	if fn != FuncInvoice {
		content := "Товары переданы"
		if d.Services {
			content = "Работы выполнены, услуги оказаны"
		}
		info := xTransferInfo{Content: content, Date: date, NoBasis: "1"}
		if c := r.ContractRef; c != nil && c.Number != "" {
			if cd, err := fnsDate(string(c.Date)); err == nil {
				info.Basis, info.NoBasis = []xDocRef{{Name: "Договор", Number: clip(string(c.Number), 255), Date: cd}}, ""
			}
		}
		doc.Transfer = &xTransfer{Info: info}
	}
	doc.Signer = []xSigner{signer(r.Supplier)}

	f := xFile{ID: id, Version: "5.03", Program: Program, Doc: doc}
	body, err := xml.MarshalIndent(f, "", " ")
	if err != nil {
		return File{}, fmt.Errorf("fns xml: encode: %w", err)
	}
	data := append([]byte(`<?xml version="1.0" encoding="windows-1251"?>`+"\r\n"), toCP1251(body)...)
	out := File{Name: id + ".xml", Function: fn, Data: append(data, '\r', '\n')}
	if err := Check(out.Name, out.Data); err != nil {
		return File{}, fmt.Errorf("fns xml: made a file that fails its own check: %w", err)
	}
	return out, nil
}

// party is a seller or buyer: an organisation (ИНН of 10 digits) with its
// КПП and name, or an ИП (ИНН of 12 digits) with the ФИО from the name. The
// second value is the party's id in the file name.
func party(p pervichka.Party, role string) (xParty, string, error) {
	inn, kpp := string(p.INN), string(p.KPP)
	if !ruvalid.ValidINN(inn) {
		return xParty{}, "", refuse("ИНН %s %q не проходит проверку: исправьте его в проверке документа.", role, inn)
	}
	code, name, ok := region(inn, kpp)
	if !ok {
		return xParty{}, "", refuse("По ИНН %s %s не определить регион для адреса.", role, inn)
	}
	out := xParty{Address: &xAddress{RF: xAddrRF{Region: code, RegionName: name}}}
	switch len(inn) {
	case 10:
		if p.Name == "" {
			return xParty{}, "", refuse("Нет наименования %s.", role)
		}
		if kpp != "" && !ruvalid.ValidKPP(kpp) {
			return xParty{}, "", refuse("КПП %s %q неверного формата.", role, kpp)
		}
		out.ID.Org = &xOrg{Name: clip(string(p.Name), 1000), INN: inn, KPP: kpp}
		return out, inn + kpp, nil
	default:
		fio, ok := personName(string(p.Name))
		if !ok {
			return xParty{}, "", refuse("Для ИП %s (ИНН %s) не найдены фамилия и имя в наименовании %q.", role, inn, p.Name)
		}
		out.ID.IP = &xIP{INN: inn, FIO: fio}
		return out, inn, nil
	}
}

// ipPrefixes are how an ИП's name starts on documents.
var ipPrefixes = []string{"индивидуальный предприниматель", "ип"}

// personName splits «ИП Иванов Иван Иванович» (or «… Иванов И. И.») into
// the ФИО; false when fewer than two name words remain.
func personName(s string) (xFIO, bool) {
	s = strings.TrimSpace(s)
	low := strings.ToLower(s)
	for _, p := range ipPrefixes {
		if strings.HasPrefix(low, p+" ") {
			s = strings.TrimSpace(s[len(p):])
			break
		}
	}
	// «И.И.» glued: split the initials apart.
	s = strings.ReplaceAll(s, ".", ". ")
	words := strings.Fields(s)
	if len(words) < 2 {
		return xFIO{}, false
	}
	f := xFIO{Last: clip(words[0], 60), First: clip(words[1], 60)}
	if len(words) > 2 {
		f.Middle = clip(strings.Join(words[2:], " "), 60)
	}
	return f, true
}

// signer is the seller's signer. An ИП signs his own documents; an
// organisation's signer is not read from the paper, and the file says so
// instead of guessing.
func signer(p pervichka.Party) xSigner {
	const paper = "Подписан на бумажном оригинале; файл составлен покупателем по этому оригиналу"
	if len(p.INN) == 12 {
		if fio, ok := personName(string(p.Name)); ok {
			return xSigner{Position: "Индивидуальный предприниматель", Method: "6", Extra: paper, FIO: fio}
		}
	}
	return xSigner{Method: "6", Extra: paper + "; ФИО подписанта не распознаётся",
		FIO: xFIO{Last: "Не указано", First: "Не указано"}}
}

// line is one row in kopecks and thousandths.
type line struct {
	name, unit, okei string
	qty              *big.Rat // nil when not printed
	price            pervichka.Kopecks
	hasPrice         bool
	net, vat, gross  pervichka.Kopecks
	rate             string // "22%", …, "без НДС"
}

// vatRates are the rates the format spells, in the order a line's rate is
// inferred from its amounts when the document mixes rates.
var vatRates = []int{22, 20, 10, 7, 5, 0}

func buildTable(r pervichka.Result, fn string) (*xTable, error) {
	if len(r.Items) == 0 {
		return nil, refuse("В документе не распознаны строки товаров (работ, услуг): файл ФНС без них не составить.")
	}
	docRate := string(r.VATRate)
	var lines []line
	var sumNet, sumVAT, sumGross pervichka.Kopecks
	allNone := true
	for i, it := range r.Items {
		l, err := buildLine(i+1, it, docRate)
		if err != nil {
			return nil, err
		}
		if l.rate != "без НДС" {
			allNone = false
		}
		sumNet += l.net
		sumVAT += l.vat
		sumGross += l.gross
		lines = append(lines, l)
	}
	if total, err := pervichka.ParseKopecks(string(r.Total)); err == nil && total != sumGross {
		return nil, refuse("Сумма строк с НДС %s не равна итогу документа %s: исправьте строки в проверке документа.", sumGross, total)
	}
	if r.VATAmount != "" {
		if v, err := pervichka.ParseKopecks(string(r.VATAmount)); err == nil && v != sumVAT {
			return nil, refuse("Сумма НДС по строкам %s не равна НДС документа %s: исправьте строки в проверке документа.", sumVAT, v)
		}
	}
	t := &xTable{}
	for i, l := range lines {
		x := xLine{N: i + 1, Name: clip(l.name, 2000), Rate: l.rate,
			Net: l.net.String(), Gross: l.gross.String(), VAT: vatOf(l)}
		if l.unit != "" {
			x.Unit = clip(l.unit, 255)
			x.OKEI = l.okei
		}
		if l.qty != nil {
			x.Qty = decimal(l.qty)
			if l.hasPrice {
				x.Price = l.price.String()
			}
		}
		if x.OKEI != "" && x.Qty == "" && fn != FuncTransfer {
			x.OKEI = "" // the format wants a quantity with a coded unit
		}
		if fn != FuncTransfer {
			x.Excise = &xExcise{None: "без акциза"}
		}
		t.Lines = append(t.Lines, x)
	}
	t.Total = xTotal{Net: sumNet.String(), Gross: sumGross.String(), VAT: xVAT{Sum: sumVAT.String()}}
	if allNone {
		t.Total.VAT = xVAT{None: "без НДС"}
	}
	return t, nil
}

func vatOf(l line) xVAT {
	if l.rate == "без НДС" {
		return xVAT{None: "без НДС"}
	}
	return xVAT{Sum: l.vat.String()}
}

// buildLine reads one row. The amount is with VAT (column 9 of a УПД, the
// sum of an act's row); the VAT is the row's, or computed from the
// document's single rate; the price without VAT is the printed price when
// price × quantity is the amount without VAT, else the amount without VAT
// over the quantity (acts print prices with VAT).
func buildLine(n int, it pervichka.Item, docRate string) (line, error) {
	l := line{name: strings.TrimSpace(string(it.Name)), unit: strings.TrimSpace(string(it.Unit))}
	if l.name == "" {
		return l, refuse("Строка %d без наименования.", n)
	}
	gross, err := pervichka.ParseKopecks(string(it.Amount))
	if err != nil || gross < 0 {
		return l, refuse("Строка %d («%s»): сумма %q не распознана.", n, l.name, it.Amount)
	}
	l.gross = gross
	hasVAT := it.VATAmount != ""
	if hasVAT {
		if l.vat, err = pervichka.ParseKopecks(string(it.VATAmount)); err != nil || l.vat < 0 {
			return l, refuse("Строка %d («%s»): НДС %q не распознан.", n, l.name, it.VATAmount)
		}
	}
	switch {
	case docRate == pervichka.VATNone:
		if l.vat != 0 {
			return l, refuse("Документ без НДС, но в строке %d указан НДС %s.", n, l.vat)
		}
		l.rate = "без НДС"
	case docRate != "" && docRate != pervichka.VATMixed:
		r, ok := rateOf(docRate)
		if !ok {
			return l, refuse("Ставка НДС %q не предусмотрена форматом ФНС.", docRate)
		}
		if !hasVAT {
			l.vat = vatIncluded(gross, r)
		}
		l.rate = fmt.Sprintf("%d%%", r)
	default:
		if !hasVAT {
			return l, refuse("Строка %d («%s»): ставки НДС в документе разные, а НДС строки не указан.", n, l.name)
		}
		r, ok := inferRate(gross, l.vat)
		if !ok {
			return l, refuse("Строка %d («%s»): НДС %s не соответствует ни одной ставке для суммы %s.", n, l.name, l.vat, gross)
		}
		l.rate = fmt.Sprintf("%d%%", r)
	}
	l.net = gross - l.vat
	if u, ok := unitOf(it); ok {
		l.okei = u.Code
		if l.unit == "" {
			l.unit = u.Symbol
		}
	}
	if q, ok := new(big.Rat).SetString(strings.TrimSpace(string(it.Quantity))); ok && q.Sign() > 0 {
		l.qty = q
		if p, err := pervichka.ParseKopecks(string(it.Price)); err == nil && p >= 0 && sameAmount(mulQty(p, q), l.net) {
			l.price, l.hasPrice = p, true
		} else {
			// net / qty, to the kopeck
			v := new(big.Rat).Quo(new(big.Rat).SetInt64(int64(l.net)), q)
			l.price, l.hasPrice = pervichka.Kopecks(roundRat(v)), true
		}
	}
	return l, nil
}

// unitOf is a row's ОКЕИ unit: its code if extraction kept one, else the
// code of the printed unit.
func unitOf(it pervichka.Item) (ruvalid.Unit, bool) {
	if it.UnitCode != "" {
		if u, ok := ruvalid.UnitByCode(string(it.UnitCode)); ok {
			return u, true
		}
	}
	return ruvalid.LookupUnit(string(it.Unit))
}

func rateOf(s string) (int, bool) {
	for _, r := range vatRates {
		if s == fmt.Sprint(r) {
			return r, true
		}
	}
	return 0, false
}

// vatIncluded is the VAT in an amount with VAT at rate r, to the kopeck.
func vatIncluded(gross pervichka.Kopecks, r int) pervichka.Kopecks {
	return pervichka.Kopecks(roundRat(big.NewRat(int64(gross)*int64(r), int64(100+r))))
}

// inferRate finds the rate whose VAT of the amount is the row's VAT within
// a kopeck (rows are rounded to the kopeck each).
func inferRate(gross, vat pervichka.Kopecks) (int, bool) {
	for _, r := range vatRates {
		if d := vatIncluded(gross, r) - vat; d >= -1 && d <= 1 {
			return r, true
		}
	}
	return 0, false
}

// sameAmount: price × quantity is the amount within a kopeck.
func sameAmount(a, b pervichka.Kopecks) bool { return a-b >= -1 && a-b <= 1 }

func mulQty(p pervichka.Kopecks, q *big.Rat) pervichka.Kopecks {
	return pervichka.Kopecks(roundRat(new(big.Rat).Mul(new(big.Rat).SetInt64(int64(p)), q)))
}

// roundRat rounds half away from zero.
func roundRat(v *big.Rat) int64 {
	num, den := new(big.Int).Set(v.Num()), v.Denom()
	neg := num.Sign() < 0
	num.Abs(num)
	q, m := new(big.Int).QuoRem(num, den, new(big.Int))
	if m.Mul(m, big.NewInt(2)).Cmp(den) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if neg {
		q.Neg(q)
	}
	return q.Int64()
}

// decimal writes a quantity without trailing zeros: "9", "1.5", "0.125".
func decimal(q *big.Rat) string {
	s := q.FloatString(11)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// fnsDate turns YYYY-MM-DD into the format's ДД.ММ.ГГГГ.
func fnsDate(s string) (string, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return "", err
	}
	return t.Format("02.01.2006"), nil
}

// guid is a name-based UUID (version 5 layout, SHA-1) of the seed.
func guid(seed string) string {
	h := sha1.Sum([]byte("pervichka fns-xml\x00" + seed))
	h[6] = h[6]&0x0f | 0x50
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// clip cuts s to at most n characters (the schema's maxLength counts
// characters).
func clip(s string, n int) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return strings.TrimSpace(string([]rune(s)[:n]))
}

// toCP1251 encodes UTF-8 XML text as windows-1251; a character the code
// page lacks (м², ₽, emoji) becomes a numeric character reference, which
// XML allows in any encoding, so nothing is lost or replaced by '?'.
func toCP1251(b []byte) []byte {
	var out bytes.Buffer
	out.Grow(len(b))
	for _, r := range string(b) {
		if r < 0x80 {
			out.WriteByte(byte(r))
			continue
		}
		if c, ok := cp1251Byte(r); ok {
			out.WriteByte(c)
			continue
		}
		fmt.Fprintf(&out, "&#%d;", r)
	}
	return out.Bytes()
}
