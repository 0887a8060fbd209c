package ledger

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/ruvalid"
	"github.com/pervichka/pervichka/ledger/bankexchange"
	"github.com/pervichka/pervichka/ledger/fnsxml"
	"github.com/pervichka/pervichka/storage/db"
)

// Export formats: files an accountant's tools load as they are.
const (
	FormatFNSXML = "fns-xml" // ФНС УПД 5.03 XML per document, for 1С (ledger/fnsxml)
	FormatBank   = "bank"    // payment orders for invoices, 1CClientBankExchange (ledger/bankexchange)
	FormatCSV    = "csv"     // the journal as a CSV that Russian Excel opens (people.go)
)

// Formats lists the export formats.
var Formats = []string{FormatFNSXML, FormatBank, FormatCSV}

// BankFileName is the name bank clients look for when importing payment
// orders from 1С.
const BankFileName = "1c_to_kl.txt"

// ExportFile is one exported file.
type ExportFile struct {
	Name        string
	ContentType string
	Data        []byte
}

// RefusedError: a document cannot be exported in a format, for a reason
// the accountant reads (Russian).
type RefusedError struct{ Reason string }

func (e *RefusedError) Error() string { return e.Reason }

// Refusal is a document a batch left out, and why.
type Refusal struct {
	DocumentID int64
	DocType    string
	Number     string
	Date       string
	Reason     string
}

// Selection picks postings for a batch: documents dated From..To
// (inclusive, YYYY-MM-DD), or else the postings after the ledger cursor
// After, at most Limit of them (default DefaultPageLimit; below zero, all).
type Selection struct {
	From, To string
	After    int64
	Limit    int
}

// Batch is what a batch export made.
type Batch struct {
	Files    []ExportFile
	Refused  []Refusal
	Postings int   // postings looked at
	Next     int64 // with a cursor selection: the cursor after the last posting looked at
}

var errNotPosted = &RefusedError{Reason: "Документ не проведён в учёте: выгружаются только проведённые документы."}

// ExportDocument exports one posted document: its ФНС XML, the payment
// order for an invoice, or its journal rows as CSV. A document that is not
// posted, or that the format cannot express, is a *RefusedError.
func (l *Ledger) ExportDocument(ctx context.Context, documentID int64, format string) (ExportFile, error) {
	p, err := l.db.ActivePosting(ctx, nil, documentID)
	if errors.Is(err, db.ErrNotFound) {
		if _, gerr := l.db.GetDocument(ctx, nil, documentID); gerr != nil {
			return ExportFile{}, fmt.Errorf("export document %d: %w", documentID, gerr)
		}
		return ExportFile{}, errNotPosted
	}
	if err != nil {
		return ExportFile{}, fmt.Errorf("export document %d: %w", documentID, err)
	}
	switch format {
	case FormatFNSXML:
		return l.fnsFile(p)
	case FormatBank:
		if p.DocType != string(pervichka.DocInvoice) {
			return ExportFile{}, &RefusedError{Reason: "Платёжное поручение составляется только по счёту на оплату."}
		}
		f, refused, err := l.payments(ctx, []db.Posting{p}, dayOf(p.Date), dayOf(p.Date))
		if err != nil {
			return ExportFile{}, fmt.Errorf("export document %d: %w", documentID, err)
		}
		if len(refused) > 0 || len(f) == 0 {
			return ExportFile{}, &RefusedError{Reason: "Платёжное поручение не составлено: " + strings.Join(reasons(refused), "; ")}
		}
		return f[0], nil
	case FormatCSV:
		ps, err := l.db.DocumentPostings(ctx, nil, documentID)
		if err != nil {
			return ExportFile{}, fmt.Errorf("export document %d: %w", documentID, err)
		}
		data, err := PeopleCSV(ps)
		if err != nil {
			return ExportFile{}, fmt.Errorf("export document %d: %w", documentID, err)
		}
		return ExportFile{Name: fmt.Sprintf("document-%d.csv", documentID), ContentType: csvType, Data: data}, nil
	}
	return ExportFile{}, fmt.Errorf("export: unknown format %q (want fns-xml, bank or csv)", format)
}

const (
	csvType  = "text/csv; charset=utf-8"
	xmlType  = "application/xml; charset=windows-1251"
	bankType = "text/plain; charset=windows-1251"
	zipType  = "application/zip"
)

// ExportBatch exports the selected postings in one format: a ФНС XML file
// per document the format expresses (invoices and contracts are skipped,
// not refused), one payment file for the invoices, or one CSV of the
// journal rows (postings and stornos). A document the format should cover
// but cannot is in Refused with the reason.
func (l *Ledger) ExportBatch(ctx context.Context, sel Selection, format string) (Batch, error) {
	if format != FormatFNSXML && format != FormatBank && format != FormatCSV {
		return Batch{}, fmt.Errorf("export: unknown format %q (want fns-xml, bank or csv)", format)
	}
	var ps []db.Posting
	var err error
	b := Batch{Next: sel.After}
	from, to := dayOf(sel.From), dayOf(sel.To)
	if sel.From != "" || sel.To != "" {
		ps, err = l.db.PostingsBetween(ctx, sel.From, sel.To)
	} else if sel.Limit < 0 {
		ps, err = l.allAfter(ctx, sel.After)
	} else {
		limit := sel.Limit
		if limit == 0 {
			limit = DefaultPageLimit
		}
		ps, err = l.db.PostingsAfter(ctx, sel.After, limit)
	}
	if err != nil {
		return b, fmt.Errorf("export: %w", err)
	}
	b.Postings = len(ps)
	for _, p := range ps {
		b.Next = max(b.Next, p.Position)
	}
	if format == FormatCSV {
		if len(ps) == 0 {
			return b, nil
		}
		data, err := PeopleCSV(ps)
		if err != nil {
			return b, fmt.Errorf("export: %w", err)
		}
		b.Files = []ExportFile{{Name: PeopleCSVName, ContentType: csvType, Data: data}}
		return b, nil
	}
	active, err := l.activeOnly(ctx, ps)
	if err != nil {
		return b, err
	}
	if from.IsZero() && len(active) > 0 {
		from, to = dayOf(active[0].Date), dayOf(active[0].Date)
		for _, p := range active {
			if d := dayOf(p.Date); d.Before(from) {
				from = d
			} else if d.After(to) {
				to = d
			}
		}
	}
	switch format {
	case FormatFNSXML:
		for _, p := range active {
			if _, err := fnsxml.Function(pervichka.Result{DocType: pervichka.DocType(p.DocType)}); err != nil {
				continue // invoices, contracts: not shipments
			}
			f, err := l.fnsFile(p)
			var re *RefusedError
			if errors.As(err, &re) {
				b.Refused = append(b.Refused, refusal(p, re.Reason))
				continue
			}
			if err != nil {
				return b, err
			}
			b.Files = append(b.Files, f)
		}
	case FormatBank:
		files, refused, err := l.payments(ctx, active, from, to)
		if err != nil {
			return b, err
		}
		b.Files, b.Refused = files, refused
	}
	return b, nil
}

// allAfter reads every posting after the cursor, page by page.
func (l *Ledger) allAfter(ctx context.Context, after int64) ([]db.Posting, error) {
	var out []db.Posting
	for {
		ps, err := l.db.PostingsAfter(ctx, after, db.MaxListLimit)
		if err != nil {
			return nil, err
		}
		out = append(out, ps...)
		if len(ps) < db.MaxListLimit {
			return out, nil
		}
		after = ps[len(ps)-1].Position
	}
}

// activeOnly keeps the postings that no storno has cancelled (by now).
func (l *Ledger) activeOnly(ctx context.Context, ps []db.Posting) ([]db.Posting, error) {
	var out []db.Posting
	for _, p := range ps {
		if p.Kind != db.KindPosting {
			continue
		}
		a, err := l.db.ActivePosting(ctx, nil, p.DocumentID)
		if errors.Is(err, db.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("export: %w", err)
		}
		if a.ID == p.ID {
			out = append(out, p)
		}
	}
	return out, nil
}

func reasons(rs []Refusal) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Reason
	}
	return out
}

func refusal(p db.Posting, reason string) Refusal {
	return Refusal{DocumentID: p.DocumentID, DocType: p.DocType, Number: p.Number, Date: p.Date, Reason: reason}
}

// fnsFile is the ФНС XML of a posting's approved result.
func (l *Ledger) fnsFile(p db.Posting) (ExportFile, error) {
	var res pervichka.Result
	if err := json.Unmarshal(p.Result, &res); err != nil {
		return ExportFile{}, fmt.Errorf("result of posting %d: %w", p.ID, err)
	}
	class, _ := l.mapping.Classify(res)
	f, err := fnsxml.Build(fnsxml.Document{Result: res, Services: class == ClassServices, Created: p.CreatedAt,
		Seed: fmt.Sprintf("document %d version %d %s", p.DocumentID, p.DocumentVersion, p.ResultSHA256)})
	var re *fnsxml.RefusedError
	if errors.As(err, &re) {
		return ExportFile{}, &RefusedError{Reason: re.Reason}
	}
	if err != nil {
		return ExportFile{}, err
	}
	return ExportFile{Name: f.Name, ContentType: xmlType, Data: f.Data}, nil
}

// payments makes one payment file for the invoices among ps (other types
// are skipped), refusing an invoice whose payee or bank details fail a
// check key, whose bank details changed since the supplier's previous
// approved invoice (or that a clerk approved with the bank-change
// warning), or that none of our companies with a settlement account pays.
func (l *Ledger) payments(ctx context.Context, ps []db.Posting, from, to time.Time) ([]ExportFile, []Refusal, error) {
	now := l.now().In(moscow)
	file := bankexchange.File{Sender: fnsxml.Program, Created: now, From: from, To: to}
	var refused []Refusal
	accounts := map[string]bool{}
	for _, p := range ps {
		if p.DocType != string(pervichka.DocInvoice) {
			continue
		}
		var res pervichka.Result
		if err := json.Unmarshal(p.Result, &res); err != nil {
			return nil, nil, fmt.Errorf("result of posting %d: %w", p.ID, err)
		}
		o, why, err := l.paymentOrder(ctx, p, res)
		if err != nil {
			return nil, nil, err
		}
		if why != "" {
			refused = append(refused, refusal(p, why))
			continue
		}
		o.Number = fmt.Sprint(len(file.Orders) + 1)
		o.Date = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
		if !accounts[o.Payer.Account] {
			accounts[o.Payer.Account] = true
			file.Accounts = append(file.Accounts, o.Payer.Account)
		}
		file.Orders = append(file.Orders, o)
	}
	if len(file.Orders) == 0 {
		return nil, refused, nil
	}
	data, err := file.Encode()
	if err != nil {
		return nil, nil, fmt.Errorf("payment file: %w", err)
	}
	return []ExportFile{{Name: BankFileName, ContentType: bankType, Data: data}}, refused, nil
}

// paymentOrder builds the order for one invoice, or says why not.
func (l *Ledger) paymentOrder(ctx context.Context, p db.Posting, res pervichka.Result) (bankexchange.Order, string, error) {
	var o bankexchange.Order
	sup, bank := res.Supplier, res.SupplierBank
	switch {
	case !ruvalid.ValidINN(string(sup.INN)):
		return o, fmt.Sprintf("ИНН поставщика %q не проходит проверку контрольной суммы", sup.INN), nil
	case sup.KPP != "" && !ruvalid.ValidKPP(string(sup.KPP)):
		return o, fmt.Sprintf("КПП поставщика %q неверного формата", sup.KPP), nil
	case sup.Name == "":
		return o, "нет наименования поставщика", nil
	case bank == nil || bank.Account == "" || bank.BIK == "":
		return o, "в счёте нет расчётного счёта и БИК поставщика", nil
	case !ruvalid.ValidBIK(string(bank.BIK)):
		return o, fmt.Sprintf("БИК %q неверен", bank.BIK), nil
	case !ruvalid.ValidAccount(string(bank.Account), string(bank.BIK)):
		return o, fmt.Sprintf("расчётный счёт %s не проходит контроль ключа с БИК %s", bank.Account, bank.BIK), nil
	case bank.CorrAccount != "" && !ruvalid.ValidCorrAccount(string(bank.CorrAccount), string(bank.BIK)):
		return o, fmt.Sprintf("корреспондентский счёт %s не проходит контроль ключа с БИК %s", bank.CorrAccount, bank.BIK), nil
	}
	for _, r := range res.ReviewReasons {
		code, _, _ := strings.Cut(r, ":")
		if code == pervichka.ReasonBankChanged || code == pervichka.ReasonAccountKey || code == pervichka.ReasonCorrAccountKey || code == pervichka.ReasonBIK {
			return o, "при проверке отмечено: " + strings.ToLower(pervichka.ReasonText[code][:1]) + pervichka.ReasonText[code][1:] +
				"; сверьте реквизиты с поставщиком и оплатите вручную", nil
		}
	}
	prev, err := l.db.PreviousSupplierPosting(ctx, string(sup.INN), string(pervichka.DocInvoice), p.Position, p.DocumentID)
	switch {
	case errors.Is(err, db.ErrNotFound):
	case err != nil:
		return o, "", fmt.Errorf("payment of document %d: %w", p.DocumentID, err)
	default:
		var pr pervichka.Result
		if err := json.Unmarshal(prev.Result, &pr); err == nil && pr.SupplierBank != nil && pr.SupplierBank.Account != "" &&
			(pr.SupplierBank.Account != bank.Account || pr.SupplierBank.BIK != bank.BIK) {
			return o, fmt.Sprintf("реквизиты поставщика изменились с прошлого счёта № %s от %s (документ %d): был р/с %s, БИК %s, стал р/с %s, БИК %s; сверьте с поставщиком по телефону и оплатите вручную",
				prev.Number, ruDate(prev.Date), prev.DocumentID, pr.SupplierBank.Account, pr.SupplierBank.BIK, bank.Account, bank.BIK), nil
		}
	}
	total, err := pervichka.ParseKopecks(string(res.Total))
	if err != nil || total <= 0 {
		return o, fmt.Sprintf("сумма счёта %q не распознана", res.Total), nil
	}
	var payer *pervichka.Company
	for i := range l.companies {
		if c := &l.companies[i]; c.INN == res.Buyer.INN {
			payer = c
			break
		}
	}
	switch {
	case len(l.companies) == 0:
		return o, "не задан файл наших организаций с расчётными счетами (--companies, PERVICHKA_COMPANIES)", nil
	case payer == nil:
		return o, fmt.Sprintf("покупатель (ИНН %s) не из наших организаций (companies.json)", res.Buyer.INN), nil
	case payer.Bank == nil:
		return o, fmt.Sprintf("для нашей организации %s не указан расчётный счёт (bank в companies.json)", payer.Name), nil
	case !ruvalid.ValidAccount(string(payer.Bank.Account), string(payer.Bank.BIK)):
		return o, fmt.Sprintf("наш расчётный счёт %s не проходит контроль ключа с БИК %s (companies.json)", payer.Bank.Account, payer.Bank.BIK), nil
	}
	o = bankexchange.Order{
		Amount: total, Kind: "01", Priority: "5",
		Payer: bankexchange.Side{Name: string(payer.Name), INN: string(payer.INN), KPP: string(payer.KPP),
			Account: string(payer.Bank.Account), BankName: string(payer.Bank.BankName), BIK: string(payer.Bank.BIK),
			CorrAccount: string(payer.Bank.CorrAccount)},
		Payee: bankexchange.Side{Name: oneLine(string(sup.Name)), INN: string(sup.INN), KPP: string(sup.KPP),
			Account: string(bank.Account), BankName: oneLine(string(bank.BankName)), BIK: string(bank.BIK),
			CorrAccount: string(bank.CorrAccount)},
		Purpose: Purpose(res),
	}
	return o, "", nil
}

// Purpose is НазначениеПлатежа of an invoice's payment: «Оплата по счёту
// № N от ДД.ММ.ГГГГ за …, в т.ч. НДС 22 % – X руб.» or «…, НДС не
// облагается». «за …» names the first line (and «и др.» when there are
// more), shortened so the whole fits the 210 characters of the field.
func Purpose(r pervichka.Result) string {
	head := fmt.Sprintf("Оплата по счёту № %s от %s", oneLine(string(r.Number)), ruDate(string(r.Date)))
	var vat string
	switch rate := string(r.VATRate); {
	case rate == pervichka.VATNone:
		vat = "НДС не облагается"
	case r.VATAmount == "":
		vat = "НДС не указан"
	case rate == pervichka.VATMixed || rate == "":
		vat = fmt.Sprintf("в т.ч. НДС – %s руб.", r.VATAmount)
	default:
		vat = fmt.Sprintf("в т.ч. НДС %s %% – %s руб.", rate, r.VATAmount)
	}
	what := ""
	if len(r.Items) > 0 {
		what = oneLine(string(r.Items[0].Name))
		if len(r.Items) > 1 {
			what += " и др."
		}
	}
	if what == "" {
		return head + ", " + vat
	}
	room := bankexchange.MaxPurpose - len([]rune(head+" за , "+vat))
	if w := []rune(what); len(w) > room {
		what = strings.TrimSpace(string(w[:max(room-1, 0)])) + "…"
	}
	return head + " за " + what + ", " + vat
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// ruDate turns YYYY-MM-DD into ДД.ММ.ГГГГ (as is when it is not a date).
func ruDate(s string) string {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return t.Format("02.01.2006")
}

func dayOf(s string) time.Time {
	t, _ := time.Parse(time.DateOnly, s)
	return t
}

var moscow = func() *time.Location {
	if loc, err := time.LoadLocation("Europe/Moscow"); err == nil {
		return loc
	}
	return time.FixedZone("MSK", 3*3600)
}()

// Zip packs a batch for a download: its files and, when any document was
// left out, refused.txt saying which and why.
func (b Batch) Zip() ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name string, data []byte) error {
		w, err := zw.Create(name)
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	}
	for _, f := range b.Files {
		if err := add(f.Name, f.Data); err != nil {
			return nil, fmt.Errorf("zip: %w", err)
		}
	}
	if len(b.Refused) > 0 {
		if err := add(RefusedFileName, RefusedText(b.Refused)); err != nil {
			return nil, fmt.Errorf("zip: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("zip: %w", err)
	}
	return buf.Bytes(), nil
}

// RefusedFileName lists what a batch left out.
const RefusedFileName = "refused.txt"

// RefusedText is the list of refusals, one a line, UTF-8 with a BOM and
// CRLF so that Notepad shows it.
func RefusedText(rs []Refusal) []byte {
	var b strings.Builder
	b.WriteString("\ufeff")
	for _, r := range rs {
		fmt.Fprintf(&b, "Документ %d (%s № %s от %s): %s\r\n", r.DocumentID, docTypeRu(r.DocType), r.Number, ruDate(r.Date), r.Reason)
	}
	return []byte(b.String())
}
