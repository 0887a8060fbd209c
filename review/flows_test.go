package review

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/pipeline"
	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/db/dbtest"
)

// A photographed "<script>" stays text on every page that shows it.
func TestOCRTextEscaped(t *testing.T) {
	e := newEnv(t, dbtest.SQLiteURL(t))
	e.addUser("ivanova", db.UserClerk)
	const evil = `<script>alert("x")</script>`
	id := e.seed(1, func(r *pervichka.Result) {
		r.Supplier.Name = pervichka.Text(evil)
		r.Items[0].Name = `<img src=x onerror=alert(1)>`
	})
	// A recognised word that closes the script element holding the words.
	_, words := goldenInvoice(t)
	words.Words = append(words.Words, pervichka.Word{Text: `</script><script>alert("w")</script>`, Box: pervichka.Rect{X0: 1, Y0: 1, X1: 50, Y1: 20}})
	wb, _ := json.Marshal(words)
	if err := e.store.Put(context.Background(), fmt.Sprintf("pages/%d/0.json", id), bytes.NewReader(wb), int64(len(wb)), "application/json"); err != nil {
		t.Fatal(err)
	}
	c := e.client()
	c.login("ivanova", testPassword)
	if _, page, _ := c.get("/review/" + itoa(id)); strings.Contains(page, `<script>alert("w")`) || !strings.Contains(page, `\u003c/script\u003e\u003cscript\u003ealert`) {
		t.Error("a recognised word broke out of the page's JSON")
	}
	for _, path := range []string{"/review", "/review/" + itoa(id)} {
		_, page, h := c.get(path)
		if strings.Contains(page, "<script>alert") || strings.Contains(page, "<img src=x") {
			t.Errorf("%s: OCR text rendered as markup", path)
		}
		if !strings.Contains(page, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") {
			t.Errorf("%s: the escaped text is not shown", path)
		}
		if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
	}
}

// Approving a second copy of a posted document: the ledger refuses to post
// it twice and the clerk is told, on the document, why it is back.
func TestApproveDuplicate(t *testing.T) {
	e := newEnv(t, dbtest.SQLiteURL(t))
	e.addUser("ivanova", db.UserClerk)
	first, second := e.seed(1, nil), e.seed(2, nil)
	c := e.client()
	c.login("ivanova", testPassword)
	approve := func(id int64) (int, http.Header) {
		_, page, _ := c.get("/review/" + itoa(id))
		f := docForm(t, page)
		f.Set("f.supplier.inn", goodSupplierINN)
		status, _, h := c.post("/review/"+itoa(id)+"/approve", f)
		return status, h
	}
	if status, h := approve(first); status != http.StatusSeeOther || h.Get("Location") != "/review/"+itoa(second)+"?msg=approved" {
		t.Fatalf("first: %d → %s", status, h.Get("Location"))
	}
	status, h := approve(second)
	if status != http.StatusSeeOther || h.Get("Location") != "/review/"+itoa(second)+"?msg=duplicate" {
		t.Fatalf("second: %d → %s", status, h.Get("Location"))
	}
	doc, _ := e.db.GetDocument(context.Background(), nil, second)
	res, _ := decodeResult(doc)
	if doc.State != db.StateNeedsReview || !slices.Contains(res.ReviewReasons, "duplicate:"+itoa(first)) {
		t.Fatalf("second after approval: %s %v", doc.State, res.ReviewReasons)
	}
	_, page, _ := c.get("/review/" + itoa(second) + "?msg=duplicate")
	if !strings.Contains(page, "такой же документ (ИНН поставщика, номер, дата) уже есть в учёте") {
		t.Error("the duplicate message is not shown")
	}
}

func TestQueueFiltersRejectSkipRetry(t *testing.T) {
	for _, eng := range dbtest.Engines() {
		t.Run(eng.Name, func(t *testing.T) {
			e := newEnv(t, eng.URL(t))
			ctx := context.Background()
			p, err := pipeline.New(pipeline.Config{DB: e.db, Objects: e.store})
			if err != nil {
				t.Fatal(err)
			}
			e.srv.cfg.Retrier = p
			e.addUser("ivanova", db.UserClerk)
			e.addUser("boss", db.UserAdmin)
			a := e.seed(1, nil)
			b := e.seed(2, func(r *pervichka.Result) {
				r.Number, r.Supplier.Name, r.Supplier.INN = "77", "ИП Сидоров", "500100732259"
				r.ReviewReasons = []string{"bank_changed:supplier", "low_confidence:total"}
			})
			cdoc := e.seed(3, func(r *pervichka.Result) { r.Number = "78"; r.DocType = pervichka.DocAct })
			c := e.client()
			c.login("ivanova", testPassword)
			rows := func(query string) []string {
				t.Helper()
				status, page, _ := c.get("/review" + query)
				if status != http.StatusOK {
					t.Fatalf("queue %s: %d", query, status)
				}
				var ids []string
				for _, part := range strings.Split(page, `<td><a href="/review/`)[1:] {
					ids = append(ids, part[:strings.Index(part, `"`)])
				}
				return ids
			}
			for _, tt := range []struct {
				query string
				want  []int64
			}{
				{"", []int64{a, b, cdoc}},
				{"?reason=bank_changed", []int64{b}},
				{"?reason=inn_checksum", []int64{a, cdoc}},
				{"?supplier=500100732259", []int64{b}},
				{"?supplier=" + url.QueryEscape("сидоров"), []int64{b}},
				{"?type=act", []int64{cdoc}},
				{"?source=upload", nil},
				{"?tab=failed", nil},
			} {
				var want []string
				for _, id := range tt.want {
					want = append(want, itoa(id))
				}
				if got := rows(tt.query); !slices.Equal(got, want) {
					t.Errorf("queue%s: %v, want %v", tt.query, got, want)
				}
			}
			_, page, _ := c.get("/review")
			if !strings.Contains(page, "Банковские реквизиты отличаются от прежних документов этого контрагента (1)") {
				t.Error("reason counts missing")
			}
			// Reject needs a reason, then takes the document out of the queue.
			_, dp, _ := c.get("/review/" + itoa(a))
			csrf := csrfFrom(t, dp)
			if status, _, _ := c.post("/review/"+itoa(a)+"/reject", url.Values{"csrf": {csrf}}); status != http.StatusUnprocessableEntity {
				t.Errorf("reject without a reason: %d", status)
			}
			status, _, h := c.post("/review/"+itoa(a)+"/reject", url.Values{"csrf": {csrf}, "reject_reason": {"не наш документ"}})
			if status != http.StatusSeeOther || h.Get("Location") != "/review/"+itoa(b)+"?msg=rejected" {
				t.Fatalf("reject: %d → %s", status, h.Get("Location"))
			}
			events, _ := e.db.Events(ctx, a)
			if last := events[len(events)-1]; last.To != db.StateRejected || last.Reason != "отклонён: не наш документ" || last.Actor != "clerk:ivanova" {
				t.Errorf("reject event %+v", last)
			}
			// Skip releases the claim and moves on.
			c.get("/review/" + itoa(b))
			if status, _, h := c.post("/review/"+itoa(b)+"/skip", url.Values{"csrf": {csrf}}); status != http.StatusSeeOther || h.Get("Location") != "/review/"+itoa(cdoc)+"?msg=" {
				t.Errorf("skip: %d → %s", status, h.Get("Location"))
			}
			if _, err := e.db.ClaimOf(ctx, nil, b); err == nil {
				t.Error("the claim survived skip")
			}
			// A failed document: listed with its reason; the admin retries.
			if err := e.db.Fail(ctx, nil, cdoc, db.StateNeedsReview, "test", pervichka.CodeCorrupt, "файл повреждён"); err == nil {
				t.Fatal("needs_review → failed is not an edge: the test must fail a processing document")
			}
			if err := e.db.InTx(ctx, func(tx *db.Tx) error {
				if err := e.db.Transition(ctx, tx, cdoc, db.StateNeedsReview, db.StateProcessing, "test", "rerun"); err != nil {
					return err
				}
				return e.db.Fail(ctx, tx, cdoc, db.StateProcessing, "test", pervichka.CodeCorrupt, "файл повреждён")
			}); err != nil {
				t.Fatal(err)
			}
			if got := rows("?tab=failed"); !slices.Equal(got, []string{itoa(cdoc)}) {
				t.Fatalf("failed tab: %v", got)
			}
			admin := e.client()
			_, acsrf := admin.login("boss", testPassword)
			_, fp, _ := admin.get("/review?tab=failed")
			if !strings.Contains(fp, "файл повреждён") || !strings.Contains(fp, "Повторить") {
				t.Error("failed tab lacks the reason or the retry button")
			}
			if status, _, _ := admin.post("/review/"+itoa(cdoc)+"/retry", url.Values{"csrf": {acsrf}}); status != http.StatusSeeOther {
				t.Fatalf("retry: %d", status)
			}
			doc, _ := e.db.GetDocument(ctx, nil, cdoc)
			if doc.State != db.StateProcessing {
				t.Errorf("after retry: %s", doc.State)
			}
		})
	}
}

// The queue's counts are cached and recounted in the background once
// stale, serving the old counts meanwhile.
func TestQueueCountsRefresh(t *testing.T) {
	e := newEnv(t, dbtest.SQLiteURL(t))
	ctx := context.Background()
	e.seed(1, nil)
	var cc countCache
	c, err := cc.get(ctx, e.db, db.StateNeedsReview)
	if err != nil || c.Total != 1 {
		t.Fatalf("first count: %+v %v", c, err)
	}
	e.seed(2, func(r *pervichka.Result) { r.Number = "2" })
	if c, _ := cc.get(ctx, e.db, db.StateNeedsReview); c.Total != 1 {
		t.Fatalf("a fresh cache recounted: %d", c.Total)
	}
	cc.mu.Lock()
	entry := cc.m[db.StateNeedsReview]
	entry.at = entry.at.Add(-countsTTL)
	cc.m[db.StateNeedsReview] = entry
	cc.mu.Unlock()
	if c, _ := cc.get(ctx, e.db, db.StateNeedsReview); c.Total != 1 {
		t.Fatalf("a stale cache did not answer at once with the old counts: %d", c.Total)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if c, _ := cc.get(ctx, e.db, db.StateNeedsReview); c.Total == 2 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the background recount never landed")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
