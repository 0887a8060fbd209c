package ledger

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/storage/db"
)

// PeopleCSVName is the journal as people open it; the machine CSV
// (CSVHeader, commas, decimal points, no BOM) is MachineCSVName.
const (
	PeopleCSVName  = "postings.csv"
	MachineCSVName = "postings-machine.csv"
)

// PeopleHeader is the first row of the people's CSV.
var PeopleHeader = []string{"Позиция", "Запись", "Вид", "Сторнирует запись", "Документ", "Тип документа", "Номер",
	"Дата документа", "Поставщик", "ИНН поставщика", "Покупатель", "ИНН покупателя", "Строка", "Дебет", "Кредит",
	"Сумма", "Содержание", "Сумма документа", "НДС документа", "Провёл", "Проведено"}

var docTypeNames = map[string]string{
	string(pervichka.DocInvoice): "Счёт на оплату", string(pervichka.DocVATInvoice): "Счёт-фактура",
	string(pervichka.DocUPD): "УПД", string(pervichka.DocAct): "Акт", string(pervichka.DocContract): "Договор",
	"torg12": "ТОРГ-12",
}

func docTypeRu(t string) string {
	if n, ok := docTypeNames[t]; ok {
		return n
	}
	return t
}

// PeopleCSV writes journal rows the way Russian-locale Excel opens them
// with a double click: UTF-8 with a BOM (else Excel reads windows-1251),
// ';' between fields (the list separator where the decimal separator is a
// comma), decimal commas, dates ДД.ММ.ГГГГ, Russian column titles, CRLF.
// One row per entry line; a register posting without lines is one row
// with its total.
func PeopleCSV(ps []db.Posting) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	w.Comma, w.UseCRLF = ';', true
	if err := w.Write(PeopleHeader); err != nil {
		return nil, err
	}
	for _, p := range ps {
		var lines []Line
		if err := json.Unmarshal(p.Lines, &lines); err != nil {
			return nil, fmt.Errorf("lines of posting %d: %w", p.ID, err)
		}
		var res pervichka.Result
		_ = json.Unmarshal(p.Result, &res) // names only; a snapshot without them leaves them blank
		kind, reverses := "Проводка", ""
		if p.Kind == db.KindStorno {
			kind, reverses = "Сторно", strconv.FormatInt(p.ReversesID, 10)
		}
		row := func(n int, l Line) []string {
			line := ""
			if n > 0 {
				line = strconv.Itoa(n)
			}
			return []string{strconv.FormatInt(p.Position, 10), strconv.FormatInt(p.ID, 10), kind, reverses,
				strconv.FormatInt(p.DocumentID, 10), docTypeRu(p.DocType), p.Number, ruDate(p.Date),
				oneLine(string(res.Supplier.Name)), p.SupplierINN, oneLine(string(res.Buyer.Name)), p.BuyerINN, line,
				l.Debit, l.Credit, rub(l.AmountKopecks), l.Memo, rub(p.TotalKopecks), rub(p.VATKopecks), p.Actor,
				p.CreatedAt.In(moscow).Format("02.01.2006 15:04")}
		}
		if len(lines) == 0 {
			if err := w.Write(row(0, Line{AmountKopecks: p.TotalKopecks})); err != nil {
				return nil, err
			}
			continue
		}
		for i, l := range lines {
			if err := w.Write(row(i+1, l)); err != nil {
				return nil, err
			}
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// rub is an amount with a decimal comma: "-1234,50".
func rub(k int64) string { return strings.Replace(pervichka.Kopecks(k).String(), ".", ",", 1) }
