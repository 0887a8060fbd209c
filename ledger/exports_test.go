package ledger_test

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/ruvalid"
	"github.com/pervichka/pervichka/ledger"
	"github.com/pervichka/pervichka/ledger/bankexchange"
	"github.com/pervichka/pervichka/ledger/fnsxml/fnsxmltest"
	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/db/dbtest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// exportNow is the fixed "now" of the exports: the payment orders' date.
var exportNow = time.Date(2026, 11, 27, 6, 10, 0, 0, time.UTC)

// account makes a settlement account that passes the key with bik.
func account(t testing.TB, body, bik string) pervichka.Text {
	t.Helper()
	k, ok := ruvalid.AccountKeyDigit(bik[6:], body)
	if !ok {
		t.Fatalf("no key for %s", body)
	}
	a := body[:8] + k + body[9:]
	if !ruvalid.ValidAccount(a, bik) {
		t.Fatalf("%s does not pass", a)
	}
	return pervichka.Text(a)
}

// ourCompanies are the corpus's companies, each with a settlement account
// in Сбербанк.
func ourCompanies(t testing.TB) []pervichka.Company {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "testdata", "corpus", "companies.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cs, err := pervichka.ReadCompanyList(f)
	if err != nil {
		t.Fatal(err)
	}
	const bik, corr = "044525225", "30101810400000000225"
	if !ruvalid.ValidCorrAccount(corr, bik) {
		t.Fatal("bad correspondent account")
	}
	for i := range cs {
		cs[i].Bank = &pervichka.Bank{BankName: `ПАО "Сбербанк"`, BIK: bik, CorrAccount: corr,
			Account: account(t, "40702810"+"0"+strconv.Itoa(38000000000+i), bik)}
	}
	return cs
}

func exportLedger(t testing.TB, d *db.DB) *ledger.Ledger {
	t.Helper()
	l, err := ledger.New(ledger.Config{DB: d, BaseURL: "https://pervichka.example", Logger: quietLog(),
		Companies: ourCompanies(t), Now: func() time.Time { return exportNow }})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

type truthLine struct {
	ID string `json:"id"`
	pervichka.Result
}

func corpusTruth(t testing.TB) []truthLine {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "testdata", "corpus", "truth.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []truthLine
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var tl truthLine
		if err := json.Unmarshal(sc.Bytes(), &tl); err != nil {
			t.Fatal(err)
		}
		out = append(out, tl)
	}
	return out
}

// postCorpus posts every document of the committed corpus (its truth, as a
// clerk would approve it) and returns the ids by corpus id.
func postCorpus(t *testing.T, d *db.DB, l *ledger.Ledger) (map[string]int64, []truthLine) {
	t.Helper()
	truth := corpusTruth(t)
	ids := map[string]int64{}
	for _, tl := range truth {
		id := newDoc(t, d, tl.Result, db.StateAutoApproved)
		if err := post(t.Context(), d, l, nil, id, "test"); err != nil {
			t.Fatalf("%s: %v", tl.ID, err)
		}
		ids[tl.ID] = id
	}
	return ids, truth
}

// TestExportCorpus: the whole committed corpus posted, then exported in
// each format. ФНС XML: a file per УПД, счёт-фактура and act (21), each
// passing the official XSD. Bank: a payment order per invoice our
// companies pay, read back field by field against the truth and
// re-encoded byte for byte (windows-1251, CRLF), equal to its golden
// file; the two invoices addressed to other buyers are refused with the
// reason. CSV: read back the way Russian Excel reads it.
func TestExportCorpus(t *testing.T) {
	d := open(t, dbtest.SQLiteURL(t))
	l := exportLedger(t, d)
	ids, truth := postCorpus(t, d, l)
	ctx := t.Context()
	all := ledger.Selection{Limit: -1}

	t.Run("fns-xml", func(t *testing.T) {
		xsd := fnsxmltest.Schema(t)
		b, err := l.ExportBatch(ctx, all, ledger.FormatFNSXML)
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Files) != 21 || len(b.Refused) != 0 || b.Postings != 36 {
			t.Fatalf("%d files, refused %v, %d postings; want 21 files of 36 postings", len(b.Files), b.Refused, b.Postings)
		}
		dir := t.TempDir()
		var paths []string
		for _, f := range b.Files {
			if f.ContentType != "application/xml; charset=windows-1251" || !strings.HasPrefix(f.Name, "ON_NSCHFDOPPR_") {
				t.Errorf("%s: %s", f.Name, f.ContentType)
			}
			p := filepath.Join(dir, f.Name)
			if err := os.WriteFile(p, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
			paths = append(paths, p)
		}
		if out, err := fnsxmltest.Validate(xsd, paths...); err != nil {
			t.Fatalf("xmllint: %v\n%s", err, out)
		}
		// One document alone is the same file as in the batch.
		one, err := l.ExportDocument(ctx, ids["005-upd"], ledger.FormatFNSXML)
		if err != nil || !slices.ContainsFunc(b.Files, func(f ledger.ExportFile) bool { return f.Name == one.Name && bytes.Equal(f.Data, one.Data) }) {
			t.Errorf("005-upd alone: %v, %s", err, one.Name)
		}
		_, err = l.ExportDocument(ctx, ids["003-contract"], ledger.FormatFNSXML)
		var re *ledger.RefusedError
		if !errors.As(err, &re) || !strings.Contains(re.Reason, "Договор") {
			t.Errorf("contract: %v", err)
		}
	})

	t.Run("bank", func(t *testing.T) {
		b, err := l.ExportBatch(ctx, all, ledger.FormatBank)
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Files) != 1 || b.Files[0].Name != "1c_to_kl.txt" {
			t.Fatalf("files %v", b.Files)
		}
		data := b.Files[0].Data
		refused := map[int64]string{}
		for _, r := range b.Refused {
			refused[r.DocumentID] = r.Reason
		}
		file, err := bankexchange.Parse(data)
		if err != nil {
			t.Fatal(err)
		}
		// Byte-exact: CRLF lines only, windows-1251, and writing what was
		// read gives the same bytes.
		if bytes.Count(data, []byte("\n")) != bytes.Count(data, []byte("\r\n")) || bytes.Count(data, []byte("\r")) != bytes.Count(data, []byte("\r\n")) {
			t.Error("a line not ended by CRLF")
		}
		if again, err := file.Encode(); err != nil || !bytes.Equal(again, data) {
			t.Errorf("re-encoded differs (%v)", err)
		}
		text, _ := charmap.Windows1251.NewDecoder().Bytes(data)
		for _, want := range []string{"1CClientBankExchange\r\nВерсияФормата=1.03\r\nКодировка=Windows\r\n", "СекцияДокумент=Платежное поручение\r\n", "ВидОплаты=01\r\n", "Очередность=5\r\n", "КонецФайла\r\n"} {
			if !strings.Contains(string(text), want) {
				t.Errorf("no %q", want)
			}
		}
		companies := ourCompanies(t)
		orders := map[string]bankexchange.Order{}
		for _, o := range file.Orders {
			orders[o.Payee.INN+"/"+o.Purpose] = o
		}
		paid := 0
		for _, tl := range truth {
			if tl.DocType != pervichka.DocInvoice {
				continue
			}
			ci := slices.IndexFunc(companies, func(c pervichka.Company) bool { return c.INN == tl.Buyer.INN })
			if ci < 0 {
				if !strings.Contains(refused[ids[tl.ID]], "не из наших организаций") {
					t.Errorf("%s (buyer %s): refusal %q", tl.ID, tl.Buyer.INN, refused[ids[tl.ID]])
				}
				continue
			}
			paid++
			o, ok := orders[string(tl.Supplier.INN)+"/"+ledger.Purpose(tl.Result)]
			if !ok {
				t.Errorf("%s: no order (refused: %q)", tl.ID, refused[ids[tl.ID]])
				continue
			}
			total, _ := pervichka.ParseKopecks(string(tl.Total))
			c, bk := companies[ci], tl.SupplierBank
			for field, got := range map[string][2]string{
				"Сумма":                 {o.Amount.String(), total.String()},
				"Дата":                  {o.Date.Format("02.01.2006"), "27.11.2026"},
				"Получатель":            {o.Payee.Name, string(tl.Supplier.Name)},
				"ПолучательКПП":         {o.Payee.KPP, string(tl.Supplier.KPP)},
				"ПолучательРасчСчет":    {o.Payee.Account, string(bk.Account)},
				"ПолучательБИК":         {o.Payee.BIK, string(bk.BIK)},
				"ПолучательКорсчет":     {o.Payee.CorrAccount, string(bk.CorrAccount)},
				"ПолучательБанк1":       {o.Payee.BankName, string(bk.BankName)},
				"Плательщик":            {o.Payer.Name, string(c.Name)},
				"ПлательщикИНН":         {o.Payer.INN, string(c.INN)},
				"ПлательщикКПП":         {o.Payer.KPP, string(c.KPP)},
				"ПлательщикРасчСчет":    {o.Payer.Account, string(c.Bank.Account)},
				"ПлательщикБИК":         {o.Payer.BIK, string(c.Bank.BIK)},
				"ВидОплаты/Очередность": {o.Kind + "/" + o.Priority, "01/5"},
			} {
				if got[0] != got[1] {
					t.Errorf("%s %s = %q, want %q", tl.ID, field, got[0], got[1])
				}
			}
			wantVAT := "в т.ч. НДС " + string(tl.VATRate) + " % – " + string(tl.VATAmount) + " руб."
			if tl.VATRate == pervichka.VATNone {
				wantVAT = "НДС не облагается"
			}
			if !strings.HasPrefix(o.Purpose, "Оплата по счёту № "+string(tl.Number)+" от ") || !strings.HasSuffix(o.Purpose, wantVAT) {
				t.Errorf("%s purpose %q", tl.ID, o.Purpose)
			}
		}
		if paid != 8 || len(file.Orders) != paid || len(b.Refused) != 2 {
			t.Errorf("%d orders, %d refused; want 8 and 2", len(file.Orders), len(b.Refused))
		}
		golden := filepath.Join("testdata", "golden", "1c_to_kl.txt")
		if *update {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, data, 0o644); err != nil {
				t.Fatal(err)
			}
		} else if want, err := os.ReadFile(golden); err != nil || !bytes.Equal(want, data) {
			t.Errorf("payment file differs from %s (%v; run with -update after checking)", golden, err)
		}
	})

	t.Run("csv", func(t *testing.T) {
		b, err := l.ExportBatch(ctx, all, ledger.FormatCSV)
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Files) != 1 || b.Files[0].Name != "postings.csv" {
			t.Fatalf("files %v", b.Files)
		}
		rows := readLikeExcel(t, b.Files[0].Data)
		if !slices.Equal(rows[0], ledger.PeopleHeader) {
			t.Fatalf("header %q", rows[0])
		}
		col := func(name string) int { return slices.Index(ledger.PeopleHeader, name) }
		var sum int64
		docs := map[string]bool{}
		for _, r := range rows[1:] {
			if len(r) != len(ledger.PeopleHeader) {
				t.Fatalf("row of %d fields: %q", len(r), r)
			}
			sum += excelKopecks(t, r[col("Сумма")])
			if _, err := time.Parse("02.01.2006", r[col("Дата документа")]); err != nil {
				t.Errorf("date %q: %v", r[col("Дата документа")], err)
			}
			docs[r[col("Документ")]] = true
		}
		var want int64
		for _, tl := range truth {
			k, _ := pervichka.ParseKopecks(string(tl.Total))
			want += int64(k)
		}
		if sum != want || len(docs) != 36 {
			t.Errorf("CSV sums to %d kopecks over %d documents; the corpus totals %d over 36", sum, len(docs), want)
		}
	})
}

// readLikeExcel reads a CSV the way Russian-locale Excel opens it by a
// double click: a UTF-8 BOM (else it reads windows-1251), then ';' as the
// list separator.
func readLikeExcel(t *testing.T, b []byte) [][]string {
	t.Helper()
	body, ok := bytes.CutPrefix(b, []byte{0xEF, 0xBB, 0xBF})
	if !ok {
		t.Fatal("no UTF-8 BOM: Excel would read it as windows-1251")
	}
	r := csv.NewReader(bytes.NewReader(body))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(body, []byte("\r\n")) {
		t.Error("lines not CRLF")
	}
	return rows
}

// excelKopecks parses a number as Russian Excel does: a decimal comma, an
// optional minus, no point.
func excelKopecks(t *testing.T, s string) int64 {
	t.Helper()
	if strings.Contains(s, ".") {
		t.Fatalf("%q has a decimal point: Russian Excel reads it as text or a date", s)
	}
	whole, frac, _ := strings.Cut(s, ",")
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || len(frac) != 2 {
		t.Fatalf("%q is not a number with a decimal comma", s)
	}
	f, _ := strconv.ParseInt(frac, 10, 64)
	if strings.HasPrefix(whole, "-") {
		return w*100 - f
	}
	return w*100 + f
}

// invoiceFrom is an invoice of supplier ООО «Ромашка» to our АО «Спектр».
func invoiceFrom(t testing.TB, number, accountBody string) pervichka.Result {
	const bik = "044525225"
	return pervichka.Result{
		DocType: pervichka.DocInvoice, Number: pervichka.Text(number), Date: "2026-10-01", Currency: "RUB",
		Supplier:     pervichka.Party{Name: "ООО «Ромашка»", INN: "7707083893", KPP: "770701001"},
		Buyer:        pervichka.Party{Name: `АО "Спектр"`, INN: "7446628853", KPP: "744601001"},
		SupplierBank: &pervichka.Bank{BankName: `ПАО "Сбербанк"`, BIK: bik, Account: account(t, accountBody, bik), CorrAccount: "30101810400000000225"},
		Total:        "1220.00", VATRate: "22", VATAmount: "220.00",
		Items: []pervichka.Item{{Name: "Бумага А4", Quantity: "2", Unit: "упак", Price: "610.00", Amount: "1220.00"}},
	}
}

// TestBankRefusals: an invoice whose bank details changed since the
// supplier's previous approved invoice, one a clerk approved despite the
// bank-change warning, and one whose account fails its key are not paid;
// each says why. Unchanged details are paid.
func TestBankRefusals(t *testing.T) {
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) { testBankRefusals(t, open(t, e.URL(t))) })
	}
}

func testBankRefusals(t *testing.T, d *db.DB) {
	l := exportLedger(t, d)
	ctx := t.Context()
	postOne := func(r pervichka.Result) int64 {
		id := newDoc(t, d, r, db.StateAutoApproved)
		if err := post(ctx, d, l, nil, id, "test"); err != nil {
			t.Fatal(err)
		}
		return id
	}
	first := postOne(invoiceFrom(t, "1", "40702810000000000001"))
	same := postOne(invoiceFrom(t, "2", "40702810000000000001"))
	changed := postOne(invoiceFrom(t, "3", "40702810000000000999"))
	warned := invoiceFrom(t, "4", "40702810000000000001")
	warned.ReviewReasons = []string{pervichka.ReasonBankChanged + ":supplier"}
	warnedID := postOne(warned)
	badKey := invoiceFrom(t, "5", "40702810000000000001")
	badKey.SupplierBank.Account = "40702810000000000002"
	badKeyID := postOne(badKey)

	b, err := l.ExportBatch(ctx, ledger.Selection{Limit: -1}, ledger.FormatBank)
	if err != nil {
		t.Fatal(err)
	}
	why := map[int64]string{}
	for _, r := range b.Refused {
		why[r.DocumentID] = r.Reason
	}
	for id, want := range map[int64]string{changed: "изменились с прошлого счёта № 2", warnedID: "отличаются от прежних", badKeyID: "контроль ключа"} {
		if !strings.Contains(why[id], want) {
			t.Errorf("document %d: refusal %q, want %q", id, why[id], want)
		}
	}
	f, err := bankexchange.Parse(b.Files[0].Data)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Orders) != 2 || why[first] != "" || why[same] != "" {
		t.Errorf("%d orders, refusals %v; want the first two invoices paid", len(f.Orders), why)
	}
	// One document alone gives the same answer.
	_, err = l.ExportDocument(ctx, changed, ledger.FormatBank)
	var re *ledger.RefusedError
	if !errors.As(err, &re) || !strings.Contains(re.Reason, "изменились") {
		t.Errorf("alone: %v", err)
	}
	if !strings.Contains(string(ledger.RefusedText(b.Refused)), "Счёт на оплату № 3 от 01.10.2026") {
		t.Errorf("refused.txt:\n%s", ledger.RefusedText(b.Refused))
	}
	// Without our companies' accounts nothing is paid, and the reason says
	// where they go.
	bare := newLedger(t, d, ledger.WebhookConfig{})
	_, err = bare.ExportDocument(ctx, first, ledger.FormatBank)
	if !errors.As(err, &re) || !strings.Contains(re.Reason, "--companies") {
		t.Errorf("without companies: %v", err)
	}
}

// TestExportHTTP: the document's file with its type and name; a refusal is
// 422 with the reason; the batch is a ZIP with the next cursor, then 204
// with the same cursor when nothing is new; the pull API links the exports.
func TestExportHTTP(t *testing.T) {
	d := open(t, dbtest.SQLiteURL(t))
	l := exportLedger(t, d)
	ctx := t.Context()
	a := newDoc(t, d, act("H-1"), db.StateAutoApproved)
	if err := post(ctx, d, l, nil, a, "test"); err != nil {
		t.Fatal(err)
	}
	inv := newDoc(t, d, invoiceFrom(t, "H-2", "40702810000000000001"), db.StateAutoApproved)
	if err := post(ctx, d, l, nil, inv, "test"); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /api/v1/documents/{id}/export", l.ExportHandler())
	mux.Handle("GET /api/v1/ledger/export", l.BatchExportHandler())
	mux.Handle("GET /api/v1/ledger", l.PullHandler())
	srv := httptest.NewServer(mux)
	defer srv.Close()
	get := func(path string) (*http.Response, []byte) {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var buf bytes.Buffer
		_, _ = buf.ReadFrom(resp.Body)
		return resp, buf.Bytes()
	}
	id := strconv.FormatInt(a, 10)
	resp, body := get("/api/v1/documents/" + id + "/export?format=fns-xml")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/xml; charset=windows-1251" ||
		!strings.HasPrefix(resp.Header.Get("Content-Disposition"), `attachment; filename=ON_NSCHFDOPPR_`) || !bytes.HasPrefix(body, []byte("<?xml")) {
		t.Errorf("fns-xml: %d %v", resp.StatusCode, resp.Header)
	}
	for path, want := range map[string]int{
		"/api/v1/documents/" + id + "/export?format=bank":   http.StatusUnprocessableEntity, // an act has no payment
		"/api/v1/documents/" + id + "/export?format=pdf":    http.StatusBadRequest,
		"/api/v1/documents/999/export?format=csv":           http.StatusNotFound,
		"/api/v1/ledger/export?format=bank&from=2026-10-02": http.StatusBadRequest,
	} {
		if resp, body := get(path); resp.StatusCode != want {
			t.Errorf("%s: %d %s, want %d", path, resp.StatusCode, body, want)
		}
	}
	resp, body = get("/api/v1/documents/" + strconv.FormatInt(inv, 10) + "/export?format=bank")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Disposition") != "attachment; filename=1c_to_kl.txt" {
		t.Errorf("bank: %d %v %s", resp.StatusCode, resp.Header, body)
	}
	resp, body = get("/api/v1/ledger/export?format=csv&after=0")
	next := resp.Header.Get("X-Pervichka-Next")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/zip" || next != "2" {
		t.Fatalf("batch: %d %v", resp.StatusCode, resp.Header)
	}
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil || len(zr.File) != 1 || zr.File[0].Name != "postings.csv" {
		t.Fatalf("zip: %v %v", err, zr)
	}
	if resp, _ := get("/api/v1/ledger/export?format=csv&after=" + next); resp.StatusCode != http.StatusNoContent || resp.Header.Get("X-Pervichka-Next") != next {
		t.Errorf("nothing new: %d, next %q", resp.StatusCode, resp.Header.Get("X-Pervichka-Next"))
	}
	_, body = get("/api/v1/ledger")
	var page ledger.Page
	if err := json.Unmarshal(body, &page); err != nil || len(page.Postings) != 2 {
		t.Fatalf("pull: %v %s", err, body)
	}
	wantLinks := map[int64][]string{a: {"fns-xml", "csv"}, inv: {"bank", "csv"}}
	for _, p := range page.Postings {
		for _, f := range wantLinks[p.DocumentID] {
			if got := p.Links.Exports[f]; got != "https://pervichka.example/api/v1/documents/"+strconv.FormatInt(p.DocumentID, 10)+"/export?format="+f {
				t.Errorf("document %d: link %s = %q", p.DocumentID, f, got)
			}
		}
		if len(p.Links.Exports) != 2 {
			t.Errorf("document %d links %v", p.DocumentID, p.Links.Exports)
		}
	}
}
