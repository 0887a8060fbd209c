package review

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/db/dbtest"
)

func TestApproveFlow(t *testing.T) {
	for _, eng := range dbtest.Engines() {
		t.Run(eng.Name, func(t *testing.T) {
			e := newEnv(t, eng.URL(t))
			e.addUser("ivanova", db.UserClerk)
			id := e.seed(1, nil)
			c := e.client()
			if status, _ := c.login("ivanova", testPassword); status != http.StatusSeeOther {
				t.Fatalf("login: %d", status)
			}
			status, q, _ := c.get("/review")
			if status != 200 || !strings.Contains(q, "Неверная контрольная сумма ИНН") || !strings.Contains(q, `href="/review/`) {
				t.Fatalf("queue %d:\n%s", status, q)
			}
			status, page, _ := c.get("/review/" + itoa(id))
			if status != 200 || !strings.Contains(page, "Неверная контрольная сумма ИНН") {
				t.Fatalf("document page %d:\n%.2000s", status, page)
			}
			// What corroborated the engine's values (issue 13): the total
			// of 007-upd by the rows' sum.
			if !strings.Contains(page, "подтверждено: сумма строк, текстовый слой PDF") {
				t.Errorf("document page shows no evidence of the total:\n%.3000s", page)
			}
			form := docForm(t, page)
			// Approving with the wrong ИНН is refused and the form comes back.
			form.Set("f.number", "00874-А")
			status, back, _ := c.post("/review/"+itoa(id)+"/approve", form)
			if status != http.StatusUnprocessableEntity || !strings.Contains(back, "00874-А") {
				t.Fatalf("approve with a wrong ИНН: %d\n%.1500s", status, back)
			}
			form.Set("f.supplier.inn", goodSupplierINN)
			status, _, h := c.post("/review/"+itoa(id)+"/approve", form)
			if status != http.StatusSeeOther {
				t.Fatalf("approve: %d", status)
			}
			if loc := h.Get("Location"); loc != "/review?msg=approved" {
				t.Errorf("after the last document: redirect to %q", loc)
			}
			doc, err := e.db.GetDocument(context.Background(), nil, id)
			if err != nil {
				t.Fatal(err)
			}
			if doc.State != db.StatePosted || doc.Fields.SupplierINN != goodSupplierINN || doc.Fields.Number != "00874-А" {
				t.Fatalf("after approve: state %s, fields %+v", doc.State, doc.Fields)
			}
			cs, err := e.db.Corrections(context.Background(), nil, id)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string][2]string{}
			for _, c := range cs {
				if c.Actor != "clerk:ivanova" {
					t.Errorf("correction by %q", c.Actor)
				}
				got[c.Field] = [2]string{c.Before, c.After}
			}
			if len(cs) != 2 || got["supplier.inn"] != [2]string{badSupplierINN, goodSupplierINN} || got["number"] != [2]string{"00874", "00874-А"} {
				t.Fatalf("corrections: %+v", cs)
			}
			events, _ := e.db.Events(context.Background(), id)
			last := events[len(events)-2]
			if last.To != db.StateApproved || last.Actor != "clerk:ivanova" {
				t.Errorf("approval event: %+v", last)
			}
			// The page now shows the history and the ledger link.
			_, page, _ = c.get("/review/" + itoa(id))
			for _, want := range []string{"Проведён в учёте", "Исправлено поле «Поставщик: ИНН»", badSupplierINN, `id="ledger-table"`, "43\u00a0399,59"} {
				if !strings.Contains(page, want) {
					t.Errorf("document page lacks %q", want)
				}
			}
			// The real ledger posted it in the approval's transaction.
			ps, err := e.db.DocumentPostings(context.Background(), nil, id)
			if err != nil || len(ps) != 1 || ps[0].TotalKopecks != 4339959 || ps[0].Actor != "clerk:ivanova" || ps[0].SupplierINN != goodSupplierINN {
				t.Fatalf("postings: %+v, %v", ps, err)
			}
			// The directory learnt the supplier.
			cp, err := e.db.CounterpartyByINN(context.Background(), nil, goodSupplierINN)
			if err != nil || cp.Name != `ООО "Агромонтаж"` || cp.KPP != "233201001" || cp.DocumentID != id {
				t.Fatalf("directory: %+v, %v", cp, err)
			}
		})
	}
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

var _ = url.Values{}
