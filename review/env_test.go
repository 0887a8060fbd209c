package review

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pervichka/pervichka"
	extract "github.com/pervichka/pervichka/extractors/fields"
	"github.com/pervichka/pervichka/extractors/pdf"
	"github.com/pervichka/pervichka/ledger"
	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/objects"
)

// testPassword is every test user's password.
const testPassword = "correct horse battery"

// env is a review server on a fresh database and object store.
type env struct {
	t      testing.TB
	db     *db.DB
	store  objects.Store
	srv    *Server
	http   *httptest.Server
	ledger *ledger.Ledger
}

func newEnv(t testing.TB, dbURL string) *env {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, dbURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	store, err := objects.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	// The real ledger, without a webhook: postings are written in the
	// approval's transaction and no delivery jobs are made, so no queue.
	l, err := ledger.New(ledger.Config{DB: d})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, db: d, store: store, ledger: l}
	e.srv, err = New(Config{DB: d, Objects: store, Poster: l, InsecureCookies: true})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	e.srv.Mount(mux)
	e.http = httptest.NewServer(mux)
	t.Cleanup(e.http.Close)
	return e
}

func (e *env) addUser(name string, role db.UserRole) {
	e.t.Helper()
	if err := AddUser(context.Background(), e.db, name, role, testPassword); err != nil {
		e.t.Fatal(err)
	}
}

var (
	pageOnce sync.Once
	pagePNG  []byte
	pageErr  error
)

// invoicePage renders testdata/corpus/007-upd.pdf at 300 dpi, the
// resolution of its text layer's word boxes (extractors/pdf.TextDPI).
func invoicePage(t testing.TB) []byte {
	t.Helper()
	pageOnce.Do(func() {
		dir, err := os.MkdirTemp("", "review-page")
		if err != nil {
			pageErr = err
			return
		}
		defer os.RemoveAll(dir)
		out := filepath.Join(dir, "page")
		cmd := exec.Command("pdftoppm", "-gray", "-r", "300", "-png", "-singlefile", "../testdata/corpus/007-upd.pdf", out)
		if b, err := cmd.CombinedOutput(); err != nil {
			pageErr = fmt.Errorf("pdftoppm: %v: %s", err, b)
			return
		}
		pagePNG, pageErr = os.ReadFile(out + ".png")
	})
	if pageErr != nil {
		t.Fatal(pageErr)
	}
	return pagePNG
}

// goldenInvoice is the real extract output for testdata/corpus/007-upd.pdf
// (extractors/recognize/testdata/golden) and the words of its text layer,
// with the locations extraction records (the golden file leaves them out):
// the words read again with the golden run's settings, which must give the
// golden file's values.
func goldenInvoice(t testing.TB) (pervichka.Result, pervichka.Page) {
	t.Helper()
	var res pervichka.Result
	b, err := os.ReadFile("../extractors/recognize/testdata/golden/007-upd.pdf.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatal(err)
	}
	pdfBytes, err := os.ReadFile("../testdata/corpus/007-upd.pdf")
	if err != nil {
		t.Fatal(err)
	}
	pages, err := pdf.Pages(context.Background(), pdfBytes, pervichka.DefaultLimits())
	if err != nil || len(pages) == 0 || pages[0].Text == nil {
		t.Fatalf("read 007-upd.pdf: %v", err)
	}
	page := *pages[0].Text
	f, err := os.Open("../testdata/corpus/companies.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	own, err := pervichka.ReadCompanies(f)
	if err != nil {
		t.Fatal(err)
	}
	read := extract.Extract(context.Background(), []pervichka.Page{page}, extract.Config{Own: own, Now: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)}, nil)
	if got, want := values(read), values(res); !maps.Equal(got, want) {
		t.Fatalf("007-upd's words read as %v, the golden result says %v", got, want)
	}
	if len(read.Locations) == 0 {
		t.Fatal("007-upd read without locations")
	}
	res.Locations = read.Locations
	return res, page
}

// goodSupplierINN is 007-upd's real supplier ИНН; badSupplierINN has its
// last digit misread, failing the checksum, the way OCR misreads one.
const (
	goodSupplierINN = "2332496033"
	badSupplierINN  = "2332496034"
)

// seed stores a document waiting for review: the original PDF, the page
// image and words, and the result with a wrong supplier ИНН. mutate, when
// set, changes the result first. It returns the document id.
func (e *env) seed(n int, mutate func(*pervichka.Result)) int64 {
	e.t.Helper()
	return e.seedPages(n, 1, mutate)
}

// seedPages is seed with pages copies of the page, each stored under keys
// of its own.
func (e *env) seedPages(n, pages int, mutate func(*pervichka.Result)) int64 {
	e.t.Helper()
	ctx := context.Background()
	res, page := goldenInvoice(e.t)
	res.Supplier.INN = badSupplierINN
	res.NeedsReview = true
	res.ReviewReasons = []string{pervichka.ReasonINNChecksum + ":supplier"}
	res.Confidence = map[string]float64{"supplier.inn": 0.62, "total": 0.97, "number": 1}
	res.Pages, res.File = pages, "007-upd.pdf"
	if mutate != nil {
		mutate(&res)
	}
	body, _ := json.Marshal(res)
	sum := sha256.Sum256(fmt.Appendf(nil, "doc %d %s", n, body))
	sha := hex.EncodeToString(sum[:])
	key := objects.HashKey("originals", sha)
	if err := e.store.Put(ctx, key, strings.NewReader("pdf"), 3, "application/pdf"); err != nil {
		e.t.Fatal(err)
	}
	doc, _, err := e.db.CreateDocument(ctx, nil, db.NewDocument{SHA256: sha, ObjectKey: key, FileName: "007-upd.pdf",
		ContentType: "application/pdf", Size: 3, Source: db.SourceEmail, Sender: "buh@example.ru"})
	if err != nil {
		e.t.Fatal(err)
	}
	img := invoicePage(e.t)
	wb, _ := json.Marshal(page)
	var stored []db.Page
	for i := range pages {
		imgKey, wordsKey := fmt.Sprintf("pages/%d/%d.png", doc.ID, i), fmt.Sprintf("pages/%d/%d.json", doc.ID, i)
		if err := e.store.Put(ctx, imgKey, bytes.NewReader(img), int64(len(img)), "image/png"); err != nil {
			e.t.Fatal(err)
		}
		if err := e.store.Put(ctx, wordsKey, bytes.NewReader(wb), int64(len(wb)), "application/json"); err != nil {
			e.t.Fatal(err)
		}
		stored = append(stored, db.Page{Index: i, ImageKey: imgKey, WordsKey: wordsKey, DPI: 300})
	}
	err = e.db.InTx(ctx, func(tx *db.Tx) error {
		if err := e.db.AddPages(ctx, tx, doc.ID, stored); err != nil {
			return err
		}
		if err := e.db.Transition(ctx, tx, doc.ID, db.StateReceived, db.StateProcessing, "pipeline:ingest", "test"); err != nil {
			return err
		}
		if _, err := e.db.SaveResult(ctx, tx, doc.ID, doc.Version+1, body, indexed(res)); err != nil {
			return err
		}
		return e.db.Transition(ctx, tx, doc.ID, db.StateProcessing, db.StateNeedsReview, "pipeline:extract", "needs review")
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return doc.ID
}

// client is a browser-like HTTP client with its own cookie jar.
type client struct {
	t    testing.TB
	base string
	c    *http.Client
}

func (e *env) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: e.t, base: e.http.URL, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (c *client) get(path string) (int, string, http.Header) {
	c.t.Helper()
	resp, err := c.c.Get(c.base + path)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func (c *client) post(path string, form url.Values, header ...string) (int, string, http.Header) {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.c.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// csrfFrom returns the CSRF token of the first form on a page.
func csrfFrom(t testing.TB, page string) string {
	t.Helper()
	m := csrfInput.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no csrf field on the page:\n%.500s", page)
	}
	return m[1]
}

// login signs the client in and returns the session's CSRF token.
func (c *client) login(name, password string) (int, string) {
	c.t.Helper()
	_, page, _ := c.get("/login")
	status, body, _ := c.post("/login", url.Values{"name": {name}, "password": {password}, "csrf": {csrfFrom(c.t, page)}})
	if status != http.StatusSeeOther {
		return status, body
	}
	_, q, _ := c.get("/review")
	return status, csrfFrom(c.t, q)
}

// docForm reads the document page's form values, as a browser would post
// them.
var inputRe = regexp.MustCompile(`<input[^>]*? name="(f\.[^"]+|version|items|csrf)"[^>]*? value="([^"]*)"`)
var textareaRe = regexp.MustCompile(`<textarea name="(f\.[^"]+)"[^>]*>([^<]*)</textarea>`)
var selectRe = regexp.MustCompile(`(?s)<select name="(f\.[^"]+)".*?<option value="([^"]*)" selected>`)

func docForm(t testing.TB, page string) url.Values {
	t.Helper()
	v := url.Values{}
	for _, m := range inputRe.FindAllStringSubmatch(page, -1) {
		v.Set(m[1], htmlUnescape(m[2]))
	}
	for _, m := range textareaRe.FindAllStringSubmatch(page, -1) {
		v.Set(m[1], htmlUnescape(m[2]))
	}
	for _, m := range selectRe.FindAllStringSubmatch(page, -1) {
		v.Set(m[1], htmlUnescape(m[2]))
	}
	if v.Get("version") == "" {
		t.Fatalf("no document form on the page:\n%.1000s", page)
	}
	return v
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&#34;", `"`, "&quot;", `"`, "&amp;", "&", "&lt;", "<", "&gt;", ">", "&#39;", "'").Replace(s)
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}
