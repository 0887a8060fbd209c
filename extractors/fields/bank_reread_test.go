package fields

import (
	"context"
	"slices"
	"sync"
	"testing"

	pervichka "github.com/pervichka/pervichka"
)

// A БИК whose digits the page's reading garbled is read again from its
// cell, and kept only when an account printed beside it passes its key;
// with its label lost too, the word in the accounts' column is read again
// and must pass both keys (seed 9401's scan and realistic photo of
// счёт-оферта 001: «БИК Ор», «pet ее»).
func TestRereadBIK(t *testing.T) {
	t.Parallel()
	page := func(bikRow, corrRow string) pervichka.Page {
		lines := []string{
			"^Счет ^на ^оплату ^№ ^836 от 18 марта 2026 г.",
			"Поставщик: ООО «Ромашка», ИНН 7810109760, КПП 781001001",
			"ПАО СБЕРБАНК г. Москва",
			"Р/с № @12 40702810358253852466",
			bikRow,
			corrRow,
			"Покупатель: АО «Спектр», ИНН 7446628853, КПП 744601001",
			"Итого: 32 704,41",
		}
		return pageScaled(1, 0.95, lines...)
	}
	const corr = "К/с № @12 30101810400000000225"
	for _, tc := range []struct {
		name             string
		bikRow, corrRow  string
		second           string // what the re-read of the БИК's row says
		want             string
		maxConf, minConf float64
	}{
		{"labelled", "БИК @12 Ор~0.0", corr, "БИК @12 044525225", "044525225", 0.9, 0.5},
		{"labelled, key fails", "БИК @12 Ор~0.0", corr, "БИК @12 044525226", "", 0, 0},
		{"label lost", "pet~0.6 @12 ее~0.2", corr, "pet @12 044525225", "044525225", unlabelledBIKFactor, 0.5},
		{"label lost, one key", "pet~0.6 @12 ее~0.2", "Ко~0.3 @12 ри~0.2", "pet @12 044525225", "", 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			second := page(tc.second, tc.corrRow)
			rr := pageRereader{pages: []pervichka.Page{second}, conf: 0.9}
			res := Extract(t.Context(), []pervichka.Page{page(tc.bikRow, tc.corrRow)}, Config{}, rr)
			var got pervichka.Text
			if res.SupplierBank != nil {
				got = res.SupplierBank.BIK
			}
			if string(got) != tc.want {
				t.Fatalf("БИК %q, want %q (bank %+v)", got, tc.want, res.SupplierBank)
			}
			if tc.want == "" {
				return
			}
			if c := res.Confidence["supplier_bank.bik"]; c > tc.maxConf || c < tc.minConf {
				t.Errorf("БИК at %.2f, want %.2f..%.2f", c, tc.minConf, tc.maxConf)
			}
			if res.SupplierBank.BankName != "ПАО СБЕРБАНК" {
				t.Errorf("bank name %q", res.SupplierBank.BankName)
			}
		})
	}
}

// A well-formed БИК with which neither account printed beside it passes
// its key is repaired by the one OCR confusion that makes both pass, for
// a clerk to confirm; with none, it is not shown as sure (unseen seed
// 9421's scanned bill 010: «044525252» for 044525232 at 0.95).
func TestBIKCheckedByBothKeys(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		bik, want string
		repaired  bool
	}{
		{"044525232", "044525232", false},
		{"044525252", "044525232", true},
		{"044525111", "044525111", false}, // no one confusion passes both keys
	} {
		lines := []string{
			"^Счет ^на ^оплату ^№ ^836 от 18 марта 2026 г.",
			"Поставщик: ООО «Ромашка», ИНН 7810109760, КПП 781001001",
			"Р/с № @12 40702810373986784729",
			"БИК @12 " + tc.bik,
			"К/с № @12 30101810600000000232",
			"Покупатель: АО «Спектр», ИНН 7446628853, КПП 744601001",
			"Итого: 32 704,41",
		}
		res := Extract(t.Context(), []pervichka.Page{pageScaled(1, 0.97, lines...)}, Config{}, nil)
		if res.SupplierBank == nil || string(res.SupplierBank.BIK) != tc.want {
			t.Fatalf("БИК %s: bank %+v, want БИК %s", tc.bik, res.SupplierBank, tc.want)
		}
		c := res.Confidence["supplier_bank.bik"]
		switch {
		case tc.bik == tc.want && tc.want == "044525232":
			if c < 0.95 {
				t.Errorf("БИК %s passing both keys at %.2f", tc.bik, c)
			}
		case c >= 0.95:
			t.Errorf("БИК %s (delivered %s) at %.2f", tc.bik, tc.want, c)
		}
		if got := slices.Contains(res.ReviewReasons, pervichka.ReasonRepaired+":supplier_bank.bik"); got != tc.repaired {
			t.Errorf("БИК %s: reasons %v", tc.bik, res.ReviewReasons)
		}
	}
}

// A correspondent account one digit off under its label («50101810…»,
// unseen seed 9441's scanned bills 007 and 022) is put back by the one
// repair that starts it 30101 and passes its key with the БИК; it stays
// under the sure threshold. Two digits off, it stays unread.
func TestCorrAccountRepaired(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ read, want string }{
		{"50101810600000000232", "30101810600000000232"},
		{"50101810600000000332", ""},
	} {
		lines := []string{
			"^Счет ^на ^оплату ^№ ^836 от 18 марта 2026 г.",
			"Поставщик: ООО «Ромашка», ИНН 7810109760, КПП 781001001",
			"Р/с № @12 40702810373986784729",
			"БИК @12 044525232",
			"Корр. счёт @12 " + tc.read,
			"Покупатель: АО «Спектр», ИНН 7446628853, КПП 744601001",
			"Итого: 32 704,41",
		}
		res := Extract(t.Context(), []pervichka.Page{pageScaled(1, 0.97, lines...)}, Config{}, nil)
		if res.SupplierBank == nil || string(res.SupplierBank.CorrAccount) != tc.want && !(tc.want == "" && res.SupplierBank.CorrAccount == pervichka.Text(tc.read)) {
			t.Fatalf("read %s: bank %+v, want corr %q", tc.read, res.SupplierBank, tc.want)
		}
		if c := res.Confidence["supplier_bank.corr_account"]; c >= 0.95 {
			t.Errorf("read %s: corr account at %.2f", tc.read, c)
		}
	}
}

// The settlement account's key reads only the БИК's last three digits: a
// БИК misread in its fifth or sixth digit passes it, and only the
// correspondent account's key, failing, tells (unseen seed 9461's
// photographed contract 009: «048075601» for 048073601 at 0.95).
func TestBIKCheckedByCorrAccount(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		bik  string
		sure bool
	}{{"048073601", true}, {"048075601", false}} {
		lines := []string{
			"^Счет ^на ^оплату ^№ ^836 от 18 марта 2026 г.",
			"Поставщик: ИП Фёдоров Андрей Ильич, ИНН 773609563425",
			"Р/с № @12 40802810884028354462",
			"БИК @12 " + tc.bik,
			"К/с № @12 30101810300000000601",
			"Покупатель: АО «Спектр», ИНН 7446628853, КПП 744601001",
			"Итого: 32 704,41",
		}
		res := Extract(t.Context(), []pervichka.Page{pageScaled(1, 0.97, lines...)}, Config{}, nil)
		if res.SupplierBank == nil {
			t.Fatalf("БИК %s: no bank", tc.bik)
		}
		c := res.Confidence["supplier_bank.bik"]
		if (c >= 0.95) != tc.sure || !tc.sure && res.SupplierBank.BIK != "048073601" && c > 0.5 {
			t.Errorf("БИК %s: delivered %s at %.2f", tc.bik, res.SupplierBank.BIK, c)
		}
	}
}

// A page of many garbled «БИК» cells costs at most maxBIKRereads re-reads.
func TestBIKRereadsBounded(t *testing.T) {
	t.Parallel()
	lines := []string{
		"Поставщик: ООО «Ромашка», ИНН 7810109760, КПП 781001001",
		"Р/с № @12 40702810358253852466",
	}
	for range 50 {
		lines = append(lines, "БИК @12 Ор~0.0")
	}
	rr := &countingRereader{}
	Extract(t.Context(), []pervichka.Page{pageScaled(1, 0.95, lines...)}, Config{}, rr)
	if n := rr.bikReads(); n > maxBIKRereads {
		t.Errorf("%d digit re-reads of БИК cells, want at most %d", n, maxBIKRereads)
	}
}

// countingRereader reads nothing and counts the digit-only re-reads asked
// for with the БИК's whitelist.
type countingRereader struct {
	mu sync.Mutex
	n  int
}

func (r *countingRereader) ReadLine(_ context.Context, _ int, _ pervichka.Rect, whitelist string) (string, float64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if whitelist == "0123456789" {
		r.n++
	}
	return "", 0, nil
}

func (r *countingRereader) bikReads() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.n
}
