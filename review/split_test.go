package review

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pervichka/pervichka/extractors/recognize"
	"github.com/pervichka/pervichka/extractors/tesseract"
	"github.com/pervichka/pervichka/pipeline"
	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/db/dbtest"
)

func TestParsePages(t *testing.T) {
	cases := []struct {
		in   string
		want []int
	}{
		{"3", []int{3}},
		{"3-4", []int{3, 4}},
		{" 2, 5 ", []int{2, 5}},
		{"5;2 2", []int{2, 5}},
		{"1, 3–5", []int{1, 3, 4, 5}},
		{"4—4,3", []int{3, 4}},
		{"", nil},
		{"  , ", nil},
		{"0", nil},
		{"-2", nil},
		{"3-", nil},
		{"4-3", nil},
		{"abc", nil},
		{"1-1000000000", nil},
		{"2.5", nil},
	}
	for _, c := range cases {
		got, msg := parsePages(c.in)
		if !slices.Equal(got, c.want) || (c.want == nil) != (msg != "") {
			t.Errorf("parsePages(%q) = %v, %q; want %v", c.in, got, msg, c.want)
		}
	}
	for in, want := range map[string]string{"3": "3", "3,4": "3, 4", "1,3,4,5,7": "1, 3–5, 7"} {
		pages, _ := parsePages(in)
		if got := pageList(pages); got != want {
			t.Errorf("pageList(%v) = %q, want %q", pages, got, want)
		}
	}
}

// TestSplitPages: a clerk splits two of a document's three pages off into
// a new document; both go back to extraction (and, without -short, the
// real pipeline extracts them again with their own pages).
func TestSplitPages(t *testing.T) {
	for _, eng := range dbtest.Engines() {
		t.Run(eng.Name, func(t *testing.T) {
			e := newEnv(t, eng.URL(t))
			ctx := context.Background()
			cfg := pipeline.Config{DB: e.db, Objects: e.store, PollInterval: 50 * time.Millisecond}
			if !testing.Short() {
				pool, err := tesseract.NewPool(ctx, tesseract.Options{Size: 1})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { pool.Close() })
				cfg.Work, cfg.OCRWorkers, cfg.Recognizer = true, 1, recognize.New(pool, recognize.Options{})
			}
			p, err := pipeline.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			e.srv.cfg.Queue = p.Queue()
			life, stop := context.WithCancel(ctx)
			if err := p.Start(life); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				stop()
				sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				_ = p.Stop(sctx, time.Second)
			})
			e.addUser("ivanova", db.UserClerk)
			e.addUser("petrov", db.UserClerk)
			parent := e.seedPages(1, 3, nil)
			single := e.seed(2, nil)
			before, _ := e.db.Pages(ctx, nil, parent)

			c := e.client()
			c.login("ivanova", testPassword)
			_, page, _ := c.get("/review/" + itoa(parent))
			csrf := csrfFrom(t, page)
			if !strings.Contains(page, `id="split"`) {
				t.Error("no split button on a three-page document")
			}
			if _, page, _ := c.get("/review/" + itoa(single)); strings.Contains(page, `id="split"`) {
				t.Error("a split button on a one-page document")
			}
			split := func(c *client, csrf string, id int64, pages string) (int, string, http.Header) {
				t.Helper()
				return c.post("/review/"+itoa(id)+"/split", url.Values{"csrf": {csrf}, "split_pages": {pages}}, "Accept", "application/json")
			}
			unchanged := func(id int64, n int) {
				t.Helper()
				doc, _ := e.db.GetDocument(ctx, nil, id)
				pages, _ := e.db.Pages(ctx, nil, id)
				links, _ := e.db.Links(ctx, nil, id)
				if doc.State != db.StateNeedsReview || len(pages) != n || len(links) != 0 {
					t.Fatalf("document %d after a refused split: %s, %d pages, links %+v", id, doc.State, len(pages), links)
				}
			}
			for _, bad := range []struct {
				pages  string
				status int
				says   string
			}{
				{"", http.StatusUnprocessableEntity, "Укажите номера страниц"},
				{"abc", http.StatusUnprocessableEntity, "Не понял «abc»"},
				{"0", http.StatusUnprocessableEntity, "Не понял"},
				{"4", http.StatusUnprocessableEntity, "Страницы 4 нет: в документе страниц 3"},
				{"1-3", http.StatusUnprocessableEntity, "Хотя бы одна страница должна остаться"},
			} {
				status, body, _ := split(c, csrf, parent, bad.pages)
				if status != bad.status || !strings.Contains(body, bad.says) {
					t.Errorf("split_pages %q: %d %s; want %d saying %q", bad.pages, status, body, bad.status, bad.says)
				}
			}
			if status, body, _ := split(c, csrf, single, "1"); status != http.StatusUnprocessableEntity || !strings.Contains(body, "Хотя бы одна") {
				t.Errorf("splitting a one-page document: %d %s", status, body)
			}
			// ivanova holds the claim: petrov may not split.
			other := e.client()
			_, otherCSRF := other.login("petrov", testPassword)
			if status, body, _ := split(other, otherCSRF, parent, "2"); status != http.StatusConflict || !strings.Contains(body, "ivanova") {
				t.Errorf("split under another clerk's claim: %d %s", status, body)
			}
			unchanged(parent, 3)
			unchanged(single, 1)

			// A browser's form post: «2-3» (the second and third pages).
			status, _, h := c.post("/review/"+itoa(parent)+"/split", url.Values{"csrf": {csrf}, "split_pages": {"3, 2"}})
			if status != http.StatusSeeOther {
				t.Fatalf("split: %d → %s", status, h.Get("Location"))
			}
			links, err := e.db.Links(ctx, nil, parent)
			if err != nil || len(links) != 1 || links[0].Kind != db.LinkSplitFrom || links[0].LinkedID != parent {
				t.Fatalf("links after the split: %+v, %v", links, err)
			}
			child := links[0].DocumentID
			// The clerk lands on the document the split made, not the queue.
			if loc := h.Get("Location"); loc != "/review/"+itoa(child)+"?msg=split" {
				t.Errorf("after the split the clerk goes to %s, want the new document %d", loc, child)
			}
			pd, _ := e.db.GetDocument(ctx, nil, parent)
			cd, _ := e.db.GetDocument(ctx, nil, child)
			if cd.ObjectKey != pd.ObjectKey || cd.FileName != pd.FileName || cd.Sender != pd.Sender {
				t.Errorf("the new document: %+v", cd)
			}
			pp, _ := e.db.Pages(ctx, nil, parent)
			cp, _ := e.db.Pages(ctx, nil, child)
			if len(pp) != 1 || pp[0].WordsKey != before[0].WordsKey {
				t.Errorf("the parent's pages: %+v", pp)
			}
			if len(cp) != 2 || cp[0].WordsKey != before[1].WordsKey || cp[1].WordsKey != before[2].WordsKey || cp[1].Index != 1 {
				t.Errorf("the new document's pages: %+v", cp)
			}
			pe, _ := e.db.Events(ctx, parent)
			ce, _ := e.db.Events(ctx, child)
			last := pe[len(pe)-1]
			if last.To != db.StateProcessing || last.Actor != "clerk:ivanova" || !strings.Contains(last.Reason, "страницы 2, 3 отделены в документ "+itoa(child)) {
				t.Errorf("the parent's last event: %+v", last)
			}
			if len(ce) != 2 || ce[0].To != db.StateReceived || !strings.Contains(ce[0].Reason, "отделён от документа "+itoa(parent)) ||
				ce[1].To != db.StateProcessing || ce[1].Actor != "clerk:ivanova" {
				t.Errorf("the new document's events: %+v", ce)
			}
			if _, err := e.db.ClaimOf(ctx, nil, parent); err == nil {
				t.Error("the parent's claim was kept")
			}
			// The parent is no longer waiting: a second split is refused.
			if status, _, _ := split(c, csrf, parent, "1"); status != http.StatusConflict {
				t.Errorf("a split of a processing document: %d", status)
			}
			if testing.Short() {
				return
			}
			deadline := time.Now().Add(2 * time.Minute)
			for _, want := range []struct {
				id    int64
				pages int
			}{{parent, 1}, {child, 2}} {
				for {
					doc, _ := e.db.GetDocument(ctx, nil, want.id)
					if doc.State != db.StateProcessing {
						res, _ := decodeResult(doc)
						// The seeded pages are a clean invoice: the parent may
						// well pass every check on its own.
						if (doc.State != db.StateNeedsReview && doc.State != db.StateAutoApproved) || res.Pages != want.pages {
							t.Errorf("document %d after extraction: %s (%s), pages %d; want a verdict on %d pages",
								want.id, doc.State, doc.FailureReason, res.Pages, want.pages)
						}
						break
					}
					if time.Now().After(deadline) {
						t.Fatalf("document %d still processing after 2 minutes", want.id)
					}
					time.Sleep(100 * time.Millisecond)
				}
			}
		})
	}
}
