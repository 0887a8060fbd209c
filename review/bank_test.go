package review

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/db/dbtest"
)

// TestBankChangeWarning: a document the pipeline flagged for changed bank
// details shows the earlier document's details beside its own, the rows
// that differ marked, and a link to the earlier document.
func TestBankChangeWarning(t *testing.T) {
	for _, eng := range dbtest.Engines() {
		t.Run(eng.Name, func(t *testing.T) {
			e := newEnv(t, eng.URL(t))
			ctx := context.Background()
			e.addUser("ivanova", db.UserClerk)
			earlier := e.seed(1, func(r *pervichka.Result) {
				r.Supplier.INN = goodSupplierINN
				r.Number, r.Date = "1434/26", "2026-11-20"
				r.SupplierBank = &pervichka.Bank{BankName: "ПАО Сбербанк", BIK: "044525225",
					Account: "40702810638000000001", CorrAccount: "30101810400000000225"}
			})
			if err := e.db.Transition(ctx, nil, earlier, db.StateNeedsReview, db.StateApproved, "clerk:petrova", "test"); err != nil {
				t.Fatal(err)
			}
			id := e.seed(2, func(r *pervichka.Result) {
				r.Supplier.INN = goodSupplierINN
				r.SupplierBank = &pervichka.Bank{BankName: "ПАО Сбербанк", BIK: "044525225",
					Account: "40702810938000000002", CorrAccount: "30101810400000000225"}
				r.ReviewReasons = []string{fmt.Sprintf("bank_changed:%d", earlier)}
			})
			c := e.client()
			if status, _ := c.login("ivanova", testPassword); status != http.StatusSeeOther {
				t.Fatalf("login: %d", status)
			}
			status, page, _ := c.get("/review/" + itoa(id))
			if status != http.StatusOK {
				t.Fatalf("document page: %d", status)
			}
			box := regexp.MustCompile(`(?s)<div class="bank-change".*?</div>`).FindString(page)
			if box == "" {
				t.Fatalf("no bank-change warning:\n%.3000s", page)
			}
			for _, want := range []string{
				fmt.Sprintf(`<a href="/review/%d">документ №%d</a>`, earlier, earlier),
				"УПД № 1434/26 от 20.11.2026",
				`<tr class="differs"><th>Расчётный счёт</th><td>40702810638000000001</td><td>40702810938000000002</td></tr>`,
				`<tr><th>БИК</th><td>044525225</td><td>044525225</td></tr>`,
				`<tr><th>Банк</th><td>ПАО Сбербанк</td><td>ПАО Сбербанк</td></tr>`,
			} {
				if !strings.Contains(box, want) {
					t.Errorf("the warning lacks %q:\n%s", want, box)
				}
			}
			if want := fmt.Sprintf("(прежние — в документе №%d)", earlier); !strings.Contains(page, want) {
				t.Errorf("the reason does not name the earlier document %q", want)
			}
			// The earlier document's page opens (the link leads somewhere).
			if status, _, _ := c.get(fmt.Sprintf("/review/%d", earlier)); status != http.StatusOK {
				t.Errorf("earlier document page: %d", status)
			}
			// A reason from before the change names no document: no box,
			// and the page still opens.
			old := e.seed(3, func(r *pervichka.Result) { r.ReviewReasons = []string{"bank_changed:supplier"} })
			if status, page, _ := c.get("/review/" + itoa(old)); status != http.StatusOK || strings.Contains(page, `class="bank-change"`) {
				t.Errorf("an old reason: %d, box shown %v", status, strings.Contains(page, `class="bank-change"`))
			}
		})
	}
}
