package review

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/db/dbtest"
)

// TestDirectoryPage: after an approval the directory finds the supplier by
// name and by ИНН, and its card shows the trusted bank details with who
// confirmed them and when, and its documents.
func TestDirectoryPage(t *testing.T) {
	e := newEnv(t, dbtest.SQLiteURL(t))
	e.addUser("ivanova", db.UserClerk)
	c := e.client()
	c.login("ivanova", testPassword)
	const account = "40702810054932066312"
	id := e.seed(1, func(r *pervichka.Result) {
		r.Supplier.INN = goodSupplierINN
		r.SupplierBank = &pervichka.Bank{BankName: `ПАО "МТС-Банк"`, BIK: "044525232", Account: account, CorrAccount: "30101810600000000232"}
	})
	waiting := e.seed(2, func(r *pervichka.Result) { r.Supplier.INN, r.Number = goodSupplierINN, "00999" })
	_, page, _ := c.get("/review/" + itoa(id))
	if status, body, _ := c.post("/review/"+itoa(id)+"/approve", docForm(t, page)); status != http.StatusSeeOther {
		t.Fatalf("approve: %d %.2000s", status, body)
	}
	link := `href="/review/directory?inn=` + goodSupplierINN + `"`
	for _, q := range []string{"", "агромонтаж", "2332", goodSupplierINN} {
		_, list, _ := c.get("/review/directory?q=" + urlQuery(q))
		if !strings.Contains(list, link) {
			t.Errorf("search %q does not find the supplier", q)
		}
	}
	if _, list, _ := c.get("/review/directory?q=" + urlQuery("ромашка")); strings.Contains(list, link) {
		t.Error("search «ромашка» finds Агромонтаж")
	}
	status, card, _ := c.get("/review/directory?inn=" + goodSupplierINN)
	if status != 200 {
		t.Fatalf("card: %d", status)
	}
	for _, want := range []string{account, "044525232", `документ <a href="/review/` + itoa(id) + `">№` + itoa(id) + `</a>: clerk:ivanova, `,
		`<a href="/review/` + itoa(waiting) + `">`, "Проведён в учёте", "Требует проверки"} {
		if !strings.Contains(card, want) {
			t.Errorf("card lacks %q", want)
		}
	}
	if status, _, _ := c.get("/review/directory?inn=7700000000"); status != http.StatusNotFound {
		t.Errorf("unknown ИНН: %d", status)
	}
}

func urlQuery(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }
