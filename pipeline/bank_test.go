package pipeline_test

import (
	"bytes"
	"compress/zlib"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/ruvalid"
	"github.com/pervichka/pervichka/pipeline"
	"github.com/pervichka/pervichka/storage/db"
)

// TestBankChanged: an invoice whose supplier's settlement account differs
// from the supplier's last approved invoice goes to review, naming that
// invoice, whether the earlier one was approved automatically or by a
// clerk; an invoice with the same account as the last approved one is
// approved automatically. On both deployments, through the whole pipeline.
//
// The invoices are 001-invoice.pdf reprinted with another number (so they
// are not duplicates) and, for some, another account of the same bank
// that passes the control key: what a fraudster sends.
func TestBankChanged(t *testing.T) {
	orig := readFile(t, "001-invoice.pdf")
	const bik, account, number = "044525232", "40702810054932066312", "1434/26"
	// Swapping two digits three places apart keeps the control key (the
	// weights 7, 1, 3 repeat every three digits).
	b := []byte(account)
	b[10], b[13] = b[13], b[10]
	fraud := string(b)
	if fraud == account || !ruvalid.ValidAccount(fraud, bik) {
		t.Fatalf("test account %s is not another valid account", fraud)
	}
	for _, d := range deployments() {
		t.Run(d.name, func(t *testing.T) {
			e := start(t, d, pipeline.Config{Work: true})
			submit := func(name string, body []byte) (db.Document, pervichka.Result) {
				t.Helper()
				doc, _, err := e.p.Submit(t.Context(), pipeline.Upload{Name: name, Body: body, Source: db.SourceUpload})
				if err != nil {
					t.Fatal(err)
				}
				got := waitSettled(t, e.db, []int64{doc.ID}, time.Minute)[0]
				var res pervichka.Result
				if err := json.Unmarshal(got.Result, &res); err != nil {
					t.Fatal(err)
				}
				return got, res
			}
			bankReasons := func(res pervichka.Result) []string {
				var out []string
				for _, r := range res.ReviewReasons {
					if strings.HasPrefix(r, pervichka.ReasonBankChanged) {
						out = append(out, r)
					}
				}
				return out
			}

			first, res := submit("first.pdf", orig)
			if first.State != db.StateAutoApproved || res.SupplierBank == nil || string(res.SupplierBank.Account) != account {
				t.Fatalf("the first invoice: %s, reasons %v, bank %+v; want auto-approved with account %s",
					first.State, res.ReviewReasons, res.SupplierBank, account)
			}
			// The commonest fraud: the next invoice of a supplier whose
			// last one was approved automatically, with another account.
			second, res := submit("second.pdf", reprint(t, orig, map[string]string{number: "1435/26", account: fraud}))
			if want := []string{fmt.Sprintf("bank_changed:%d", first.ID)}; second.State != db.StateNeedsReview || !slices.Equal(bankReasons(res), want) {
				t.Fatalf("another account after an auto-approved invoice: %s, reasons %v; want needs_review with %v",
					second.State, res.ReviewReasons, want)
			}
			// A clerk confirms the new account: from now on the old one
			// is the change.
			if err := e.db.Transition(t.Context(), nil, second.ID, db.StateNeedsReview, db.StateApproved, "clerk:ivanova", "test"); err != nil {
				t.Fatal(err)
			}
			third, res := submit("third.pdf", reprint(t, orig, map[string]string{number: "1436/26"}))
			if want := []string{fmt.Sprintf("bank_changed:%d", second.ID)}; third.State != db.StateNeedsReview || !slices.Equal(bankReasons(res), want) {
				t.Fatalf("the old account after a clerk approved the new: %s, reasons %v; want needs_review with %v",
					third.State, res.ReviewReasons, want)
			}
			fourth, res := submit("fourth.pdf", reprint(t, orig, map[string]string{number: "1437/26", account: fraud}))
			if fourth.State != db.StateAutoApproved {
				t.Fatalf("the account a clerk approved: %s, reasons %v; want auto-approved", fourth.State, res.ReviewReasons)
			}
		})
	}
}

// flateStream is a compressed stream as our corpus PDFs (fpdf) write them.
var flateStream = regexp.MustCompile(`<</Filter /FlateDecode /Length (\d+)>>\nstream\n`)

// reprint returns a copy of a born-digital corpus PDF with text replaced
// in its page content streams: fpdf writes text as UTF-16BE literal
// strings, so a replacement of the same length keeps every word where it
// was. The file keeps its size (a shorter compressed stream is padded with
// spaces inside its dictionary), so the cross-reference table stays right.
func reprint(t testing.TB, pdf []byte, repl map[string]string) []byte {
	t.Helper()
	utf16be := func(s string) []byte {
		var b []byte
		for _, u := range utf16.Encode([]rune(s)) {
			b = append(b, byte(u>>8), byte(u))
		}
		return b
	}
	out := slices.Clone(pdf)
	found := map[string]bool{}
	for _, m := range flateStream.FindAllSubmatchIndex(pdf, -1) {
		n, _ := strconv.Atoi(string(pdf[m[2]:m[3]]))
		data := pdf[m[1] : m[1]+n]
		zr, err := zlib.NewReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		plain, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		changed := plain
		for from, to := range repl {
			if len([]rune(from)) != len([]rune(to)) {
				t.Fatalf("reprint: %q and %q differ in length", from, to)
			}
			if bytes.Contains(changed, utf16be(from)) {
				found[from] = true
				changed = bytes.ReplaceAll(changed, utf16be(from), utf16be(to))
			}
		}
		if bytes.Equal(changed, plain) {
			continue
		}
		var z bytes.Buffer
		zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
		zw.Write(changed)
		zw.Close()
		head := fmt.Sprintf("<</Filter /FlateDecode /Length %d", z.Len())
		pad := (m[1] - m[0]) + n - len(head) - len(">>\nstream\n") - z.Len()
		if pad < 0 {
			t.Fatalf("reprint: the changed stream is %d bytes longer", -pad)
		}
		var b bytes.Buffer
		b.WriteString(head + strings.Repeat(" ", pad) + ">>\nstream\n")
		b.Write(z.Bytes())
		copy(out[m[0]:m[1]+n], b.Bytes())
	}
	for from := range repl {
		if !found[from] {
			t.Fatalf("reprint: %q is not in the PDF's text", from)
		}
	}
	return out
}
