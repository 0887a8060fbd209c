package review

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/pipeline"
	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/db/dbtest"
)

// TestReprocessResent: a document the pipeline linked as a re-sent copy
// shows the clerk one button that reads it as a new document; any other
// document has no such button and the route refuses it.
func TestReprocessResent(t *testing.T) {
	for _, eng := range dbtest.Engines() {
		t.Run(eng.Name, func(t *testing.T) {
			e := newEnv(t, eng.URL(t))
			ctx := t.Context()
			p, err := pipeline.New(pipeline.Config{DB: e.db, Objects: e.store})
			if err != nil {
				t.Fatal(err)
			}
			e.srv.cfg.Retrier = p
			e.addUser("ivanova", db.UserClerk)
			first := e.seed(1, nil)
			resent := e.seed(2, func(r *pervichka.Result) {
				r.ReviewReasons = append([]string{pervichka.ReasonResent + ":" + itoa(first)}, r.ReviewReasons...)
			})
			c := e.client()
			c.login("ivanova", testPassword)

			_, page, _ := c.get("/review/" + itoa(first))
			if strings.Contains(page, "/reprocess") {
				t.Error("an ordinary document offers the reprocess button")
			}
			csrf := csrfFrom(t, page)
			if status, _, _ := c.post("/review/"+itoa(first)+"/reprocess", url.Values{"csrf": {csrf}}); status != http.StatusConflict {
				t.Errorf("reprocess of an ordinary document: %d, want 409", status)
			}

			// Another clerk has the copy open: she keeps it.
			e.addUser("petrova", db.UserClerk)
			other := e.client()
			other.login("petrova", testPassword)
			_, otherPage, _ := other.get("/review/" + itoa(resent))
			_, page, _ = c.get("/review/" + itoa(resent))
			if status, body, _ := c.post("/review/"+itoa(resent)+"/reprocess", url.Values{"csrf": {csrfFrom(t, page)}}); status != http.StatusConflict || !strings.Contains(body, "petrova") {
				t.Errorf("reprocess of a copy another clerk holds: %d, want 409 naming her", status)
			}
			if doc, _ := e.db.GetDocument(ctx, nil, resent); doc.State != db.StateNeedsReview {
				t.Fatalf("refused reprocess moved the copy to %s", doc.State)
			}
			if status, _, _ := other.post("/review/"+itoa(resent)+"/skip", url.Values{"csrf": {csrfFrom(t, otherPage)}}); status != http.StatusSeeOther {
				t.Fatalf("petrova's skip: %d", status)
			}

			_, page, _ = c.get("/review/" + itoa(resent))
			for _, want := range []string{`action="/review/` + itoa(resent) + `/reprocess"`, "Не копия — распознать",
				"Повторно присланное изображение документа №" + itoa(first), `href="/review/` + itoa(first) + `"`} {
				if !strings.Contains(page, want) {
					t.Errorf("copy's page lacks %q", want)
				}
			}
			status, _, h := c.post("/review/"+itoa(resent)+"/reprocess", url.Values{"csrf": {csrfFrom(t, page)}})
			if status != http.StatusSeeOther || h.Get("Location") != "/review?msg=reprocessed" {
				t.Fatalf("reprocess: %d → %s", status, h.Get("Location"))
			}
			doc, err := e.db.GetDocument(ctx, nil, resent)
			if err != nil || doc.State != db.StateProcessing {
				t.Fatalf("copy after reprocess: %s, %v; want processing", doc.State, err)
			}
			if _, err := e.db.ClaimOf(ctx, nil, resent); !errors.Is(err, db.ErrNotFound) {
				t.Errorf("the clerk's claim outlived the reprocess: %v", err)
			}
			events, _ := e.db.Events(ctx, resent)
			if last := events[len(events)-1]; last.Actor != "clerk:ivanova" || !strings.Contains(last.Reason, "не копия документа №"+itoa(first)) {
				t.Errorf("reprocess event %+v", last)
			}
			// Processing now: a second click is refused, not repeated.
			if status, _, _ := c.post("/review/"+itoa(resent)+"/reprocess", url.Values{"csrf": {csrfFrom(t, page)}}); status != http.StatusConflict {
				t.Errorf("second reprocess: %d, want 409", status)
			}
		})
	}
}
