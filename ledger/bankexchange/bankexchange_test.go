package bankexchange_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pervichka/pervichka/ledger/bankexchange"
)

func sample() bankexchange.File {
	day := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	payer := bankexchange.Side{Name: `АО "Спектр"`, INN: "7446628853", KPP: "744601001", Account: "40702810900000000001",
		BankName: `ПАО "Сбербанк"`, BIK: "044525225", CorrAccount: "30101810400000000225"}
	return bankexchange.File{
		Sender: "Pervichka", Created: time.Date(2026, 11, 27, 9, 10, 0, 0, time.UTC),
		From: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC),
		Accounts: []string{payer.Account},
		Orders: []bankexchange.Order{
			{Number: "1", Date: day, Amount: 742087, Payer: payer, Kind: "01", Priority: "5",
				Payee: bankexchange.Side{Name: "ООО «ХимЛогистик М»", INN: "7732612886", KPP: "773201001", Account: "40702810054932066312",
					BankName: `ПАО "МТС-Банк"`, BIK: "044525232", CorrAccount: "30101810600000000232"},
				Purpose: "Оплата по счёту № 1434/26 от 20.06.2026 за Тетрадь общая А5 и др., в т.ч. НДС 22 % – 1338.19 руб."},
			{Number: "2", Date: day, Amount: 10000, Payer: payer, Kind: "01", Priority: "5",
				Payee:   bankexchange.Side{Name: "ИП Сидоров Пётр Ильич", INN: "500100732259", Account: "40802810000000000002", BIK: "044525225", CorrAccount: "30101810400000000225"},
				Purpose: "Оплата по счёту № 7 от 01.10.2026 за услуги, НДС не облагается"},
		},
	}
}

// TestRoundTrip: the file reads back field by field, every line ends in
// CRLF, and the bytes are windows-1251 (no UTF-8 sequences).
func TestRoundTrip(t *testing.T) {
	f := sample()
	b, err := f.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("1CClientBankExchange\r\n")) {
		t.Errorf("starts %q", b[:40])
	}
	// «КонецФайла» in windows-1251, then CRLF.
	if !bytes.HasSuffix(b, []byte("\xCA\xEE\xED\xE5\xF6\xD4\xE0\xE9\xEB\xE0\r\n")) {
		t.Errorf("ends %q", b[len(b)-20:])
	}
	if bytes.Count(b, []byte("\n")) != bytes.Count(b, []byte("\r\n")) || bytes.Count(b, []byte("\r")) != bytes.Count(b, []byte("\r\n")) {
		t.Error("a line not ended by CRLF")
	}
	// «СекцияДокумент» in windows-1251: С=0xD1 е=0xE5 к=0xEA.
	if !bytes.Contains(b, []byte{0xD1, 0xE5, 0xEA, 0xF6, 0xE8, 0xFF}) || bytes.Contains(b, []byte{0xD0, 0xA1}) {
		t.Error("not windows-1251")
	}
	got, err := bankexchange.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, f) {
		t.Errorf("read back:\n%+v\nwant\n%+v", got, f)
	}
}

func TestEncodeRefuses(t *testing.T) {
	for name, edit := range map[string]func(*bankexchange.File){
		"line break": func(f *bankexchange.File) { f.Orders[0].Payee.Name = "ООО\r\nРога" },
		"not 1251":   func(f *bankexchange.File) { f.Orders[0].Purpose = "Оплата 😀" },
		"long":       func(f *bankexchange.File) { f.Orders[0].Purpose = strings.Repeat("я", 211) },
	} {
		f := sample()
		edit(&f)
		if _, err := f.Encode(); err == nil {
			t.Errorf("%s: encoded", name)
		}
	}
}

func TestParseErrors(t *testing.T) {
	good, err := sample().Encode()
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{
		"empty":      nil,
		"header":     []byte("Hello\r\n"),
		"cut short":  good[:len(good)/2],
		"no end":     bytes.TrimSuffix(good, []byte("\xCA\xEE\xED\xE5\xF6\xD4\xE0\xE9\xEB\xE0\r\n")),
		"bad amount": bytes.Replace(good, []byte("=7420.87"), []byte("=74x0.87"), 1),
		"bad date":   bytes.Replace(good, []byte("=27.11.2026"), []byte("=32.11.2026"), 1),
	} {
		if _, err := bankexchange.Parse(b); err == nil {
			t.Errorf("%s: parsed", name)
		}
	}
}

func FuzzParse(f *testing.F) {
	good, err := sample().Encode()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte("1CClientBankExchange\r\nКонецФайла\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := bankexchange.Parse(b)
		if err != nil {
			return
		}
		again, err := got.Encode()
		if err != nil {
			return // a value the writer refuses (line breaks cannot occur; long purposes can)
		}
		back, err := bankexchange.Parse(again)
		if err != nil {
			t.Fatalf("re-encoded file does not parse: %v", err)
		}
		if len(back.Orders) != len(got.Orders) {
			t.Fatalf("%d orders, then %d", len(got.Orders), len(back.Orders))
		}
	})
}
