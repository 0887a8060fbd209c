package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/storage/db"
)

// processed uploads a two-page "document" and moves it the way the pipeline
// would: page 0 read from an image, page 1 registered but not yet read,
// then the result saved and the document sent to review. It returns the
// document id, the original bytes and page 0's stored image and words.
func (e *env) processed(name string) (id int64, original, image, words []byte) {
	e.t.Helper()
	ctx := e.t.Context()
	original = fakePNG(2000)
	id = e.uploadOK(file(name, original)).Documents[0].ID
	if err := e.db.Transition(ctx, nil, id, db.StateReceived, db.StateProcessing, "worker", "ingest"); err != nil {
		e.t.Fatal(err)
	}
	if err := e.db.AddPages(ctx, nil, id, []db.Page{{Index: 0}, {Index: 1}}); err != nil {
		e.t.Fatal(err)
	}
	image = fakePNG(500)
	page := pervichka.Page{Index: 0, Width: 100, Height: 50, Source: "ocr", Words: []pervichka.Word{{Text: "Счёт", Box: pervichka.Rect{X0: 1, Y0: 2, X1: 30, Y1: 12}, Conf: 0.9}}}
	words, _ = json.Marshal(page)
	imageKey, wordsKey := fmt.Sprintf("pages/%d/0.png", id), fmt.Sprintf("pages/%d/0.json", id)
	if err := e.store.Put(ctx, imageKey, bytes.NewReader(image), int64(len(image)), "image/png"); err != nil {
		e.t.Fatal(err)
	}
	if err := e.store.Put(ctx, wordsKey, bytes.NewReader(words), int64(len(words)), "application/json"); err != nil {
		e.t.Fatal(err)
	}
	if err := e.db.FinishPage(ctx, nil, id, db.Page{Index: 0, ImageKey: imageKey, WordsKey: wordsKey, DPI: 300}); err != nil {
		e.t.Fatal(err)
	}
	res := pervichka.Result{File: name, Pages: 2, DocType: pervichka.DocInvoice, Number: "17", Total: "1200.00",
		NeedsReview: true, ReviewReasons: []string{"inn_checksum:buyer", "some_future_reason"}}
	resJSON, _ := json.Marshal(res)
	d, err := e.db.GetDocument(ctx, nil, id)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.db.SaveResult(ctx, nil, id, d.Version, resJSON, db.Fields{DocType: pervichka.DocInvoice, Number: "17", SupplierINN: "7707083893"}); err != nil {
		e.t.Fatal(err)
	}
	if err := e.db.Transition(ctx, nil, id, db.StateProcessing, db.StateNeedsReview, "worker", "review needed"); err != nil {
		e.t.Fatal(err)
	}
	return id, original, image, words
}

func TestDocument(t *testing.T) {
	forEngines(t, func(t *testing.T, dbURL string) {
		e := newEnv(t, dbURL, nil)
		id, original, image, words := e.processed("Счёт \"17\"; поставщик.png")

		r := e.get(pathOf(id, ""), e.service)
		if r.status != http.StatusOK {
			t.Fatalf("%d %s", r.status, r.body)
		}
		var got struct {
			ID            int64            `json:"id"`
			State         string           `json:"state"`
			DocType       *string          `json:"doc_type"`
			FileName      string           `json:"file_name"`
			CreatedAt     string           `json:"created_at"`
			Fields        pervichka.Result `json:"fields"`
			ReviewReasons []reviewReason   `json:"review_reasons"`
			Failure       *failureInfo     `json:"failure"`
			Events        []struct {
				Actor string  `json:"actor"`
				From  *string `json:"from"`
				To    string  `json:"to"`
			} `json:"events"`
			Pages []struct {
				Index    int     `json:"index"`
				ImageURL *string `json:"image_url"`
				WordsURL *string `json:"words_url"`
			} `json:"pages"`
		}
		r.json(t, &got)
		if got.ID != id || got.State != "needs_review" || got.DocType == nil || *got.DocType != "invoice" ||
			got.FileName != "Счёт \"17\"; поставщик.png" || got.CreatedAt == "" || got.Failure != nil {
			t.Errorf("document: %+v", got)
		}
		if got.Fields.Number != "17" || got.Fields.Total != "1200.00" || got.Fields.DocType != pervichka.DocInvoice {
			t.Errorf("fields: %+v", got.Fields)
		}
		wantReasons := []reviewReason{{"inn_checksum:buyer", pervichka.ReasonText["inn_checksum"]}, {"some_future_reason", "some_future_reason"}}
		if !slices.Equal(got.ReviewReasons, wantReasons) {
			t.Errorf("review reasons %+v, want %+v", got.ReviewReasons, wantReasons)
		}
		if len(got.Events) != 3 || got.Events[0].From != nil || got.Events[0].Actor != "api:1c" ||
			*got.Events[2].From != "processing" || got.Events[2].To != "needs_review" {
			t.Errorf("events: %+v", got.Events)
		}
		if len(got.Pages) != 2 || got.Pages[0].ImageURL == nil || got.Pages[0].WordsURL == nil ||
			got.Pages[1].ImageURL != nil || got.Pages[1].WordsURL != nil {
			t.Fatalf("pages: %+v", got.Pages)
		}

		// The page URLs the document gives serve the stored bytes.
		r = e.get(*got.Pages[0].ImageURL, e.service)
		if r.status != http.StatusOK || !bytes.Equal(r.body, image) || r.header.Get("Content-Type") != "image/png" {
			t.Errorf("page image: %d %q, %d bytes", r.status, r.header.Get("Content-Type"), len(r.body))
		}
		r = e.get(*got.Pages[0].WordsURL, e.service)
		if r.status != http.StatusOK || !bytes.Equal(r.body, words) || r.header.Get("Content-Type") != "application/json" {
			t.Errorf("page words: %d %q %s", r.status, r.header.Get("Content-Type"), r.body)
		}

		// The original comes back byte for byte, as an attachment whose
		// name survives quotes, a semicolon and Cyrillic.
		r = e.get(pathOf(id, "/original"), e.service)
		if r.status != http.StatusOK || !bytes.Equal(r.body, original) || r.header.Get("Content-Type") != "image/png" ||
			r.header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("original: %d %v, %d bytes", r.status, r.header, len(r.body))
		}
		disp, params, err := mime.ParseMediaType(r.header.Get("Content-Disposition"))
		if err != nil || disp != "attachment" || params["filename"] != "Счёт \"17\"; поставщик.png" {
			t.Errorf("Content-Disposition %q: %s %v %v", r.header.Get("Content-Disposition"), disp, params, err)
		}
		// A name that lies about the type, or hides its ending behind a
		// right-to-left override, downloads under the sniffed type's.
		liar := e.uploadOK(file("счёт\u202Egnp.html", fakePNG(2100))).Documents[0].ID
		r = e.get(pathOf(liar, "/original"), e.service)
		if _, params, err := mime.ParseMediaType(r.header.Get("Content-Disposition")); err != nil || params["filename"] != "счётgnp.png" {
			t.Errorf("original sent as an .html with U+202E: Content-Disposition %q", r.header.Get("Content-Disposition"))
		}

		for _, tc := range []struct {
			path   string
			status int
		}{
			{pathOf(id+1000, ""), http.StatusNotFound},
			{"/api/v1/documents/abc", http.StatusNotFound},
			{"/api/v1/documents/-1", http.StatusNotFound},
			{pathOf(id+1000, "/original"), http.StatusNotFound},
			{pathOf(id+1000, "/pages/0/image"), http.StatusNotFound},
			{pathOf(id, "/pages/1/image"), http.StatusNotFound}, // not read yet
			{pathOf(id, "/pages/1/words"), http.StatusNotFound},
			{pathOf(id, "/pages/7/image"), http.StatusNotFound},
			{pathOf(id, "/pages/x/image"), http.StatusBadRequest},
			{pathOf(id, "/pages/-1/words"), http.StatusBadRequest},
		} {
			r := e.get(tc.path, e.service)
			if code, _ := r.errorCode(t); r.status != tc.status {
				t.Errorf("GET %s: %d %s, want %d", tc.path, r.status, code, tc.status)
			}
		}
	})
}

// A failed document shows its failure in Russian, and an admin may retry it.
func TestFailedAndRetry(t *testing.T) {
	forEngines(t, func(t *testing.T, dbURL string) {
		e := newEnv(t, dbURL, nil)
		ctx := t.Context()
		id := e.uploadOK(file("scan.png", fakePNG(300))).Documents[0].ID
		if err := e.db.Transition(ctx, nil, id, db.StateReceived, db.StateProcessing, "worker", "ingest"); err != nil {
			t.Fatal(err)
		}
		if err := e.db.Fail(ctx, nil, id, db.StateProcessing, "worker", pervichka.CodeCorrupt, "png: invalid format: chunk CRC"); err != nil {
			t.Fatal(err)
		}
		var doc documentReply
		e.get(pathOf(id, ""), e.service).json(t, &doc)
		if doc.State != db.StateFailed || doc.Failure == nil || doc.Failure.Code != pervichka.CodeCorrupt ||
			doc.Failure.Message != pervichka.CodeCorrupt.Message() || string(doc.Fields) != "null" {
			t.Fatalf("failed document: %+v", doc)
		}

		r := e.do(http.MethodPost, pathOf(id, "/retry"), e.service, "", nil)
		if code, _ := r.errorCode(t); r.status != http.StatusForbidden || code != "forbidden" {
			t.Errorf("service retry: %d %s", r.status, code)
		}
		r = e.do(http.MethodPost, pathOf(id, "/retry"), e.admin, "", nil)
		var rr retryReply
		r.json(t, &rr)
		if r.status != http.StatusAccepted || rr.ID != id || rr.State != db.StateProcessing {
			t.Fatalf("admin retry: %d %s", r.status, r.body)
		}
		events, _ := e.db.Events(ctx, id)
		if last := events[len(events)-1]; last.Actor != "api:ops" || last.To != db.StateProcessing {
			t.Errorf("retry event: %+v", last)
		}
		// Not failed any more: a second retry conflicts.
		r = e.do(http.MethodPost, pathOf(id, "/retry"), e.admin, "", nil)
		if code, _ := r.errorCode(t); r.status != http.StatusConflict || code != "conflict" {
			t.Errorf("retry of a processing document: %d %s", r.status, code)
		}
		r = e.do(http.MethodPost, pathOf(id+1000, "/retry"), e.admin, "", nil)
		if code, _ := r.errorCode(t); r.status != http.StatusNotFound || code != "not_found" {
			t.Errorf("retry of no document: %d %s", r.status, code)
		}
	})
}

func TestList(t *testing.T) {
	forEngines(t, func(t *testing.T, dbURL string) {
		e := newEnv(t, dbURL, nil)
		var ids []int64
		for i := range 7 {
			ids = append(ids, e.uploadOK(file(fmt.Sprintf("%d.png", i), fakePNG(200))).Documents[0].ID)
		}
		reviewed, _, _, _ := e.processed("review.png")
		ids = append(ids, reviewed)

		// Walk every page of 3 by next_cursor.
		var seen []int64
		path := "/api/v1/documents?limit=3"
		for pages := 0; ; pages++ {
			if pages > 5 {
				t.Fatal("paging does not end")
			}
			var l listReply
			r := e.get(path, e.service)
			if r.status != http.StatusOK {
				t.Fatalf("%s: %d %s", path, r.status, r.body)
			}
			r.json(t, &l)
			for _, d := range l.Documents {
				seen = append(seen, d.ID)
			}
			if l.NextCursor == nil {
				if len(l.Documents) != 2 {
					t.Errorf("last page has %d documents, want 2", len(l.Documents))
				}
				break
			}
			path = "/api/v1/documents?limit=3&cursor=" + url.QueryEscape(*l.NextCursor)
		}
		if !slices.Equal(seen, ids) {
			t.Errorf("paged ids %v, want %v", seen, ids)
		}

		var l listReply
		e.get("/api/v1/documents?state=needs_review&doc_type=invoice&supplier_inn=7707083893&source=upload", e.service).json(t, &l)
		if len(l.Documents) != 1 || l.Documents[0].ID != reviewed || l.NextCursor != nil ||
			*l.Documents[0].Number != "17" || *l.Documents[0].SupplierINN != "7707083893" {
			t.Errorf("filtered: %+v", l)
		}
		e.get("/api/v1/documents?source=email", e.service).json(t, &l)
		if len(l.Documents) != 0 || l.NextCursor != nil {
			t.Errorf("no email documents expected: %+v", l)
		}

		for _, q := range []string{"state=lost", "doc_type=receipt", "supplier_inn=123", "source=fax",
			"limit=0", "limit=201", "limit=x", "cursor=%%%", "cursor=" + url.QueryEscape("bm90IGEgY3Vyc29y"), "stat=failed",
			"state=failed&state=needs_review", "source=upload&source=upload", "limit=3&limit=5"} {
			r := e.get("/api/v1/documents?"+q, e.service)
			if code, msg := r.errorCode(t); r.status != http.StatusBadRequest || code != "bad_request" || !hasCyrillic(msg) {
				t.Errorf("?%s: %d %s %s", q, r.status, code, msg)
			}
		}
	})
}

func TestCursorRoundTrip(t *testing.T) {
	for _, id := range []int64{1, 42, 1 << 40} {
		d := db.Document{ID: id}
		d.CreatedAt = d.CreatedAt.AddDate(2026, 10, 26).Add(123456 * 1000)
		c, err := decodeCursor(encodeCursor(d.Cursor()))
		if err != nil || c.ID != id || !c.CreatedAt.Equal(d.CreatedAt) {
			t.Errorf("cursor of %d at %v: %+v, %v", id, d.CreatedAt, c, err)
		}
	}
	for _, bad := range []string{"", "@@", "MTIz", strings.Repeat("A", 10)} {
		if _, err := decodeCursor(bad); err == nil {
			t.Errorf("decodeCursor(%q) accepted", bad)
		}
	}
}
