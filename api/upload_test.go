package api

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/db/dbtest"
)

func TestUpload(t *testing.T) {
	pdf, err := os.ReadFile(filepath.Join("..", "testdata", "corpus", "001-invoice.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	forEngines(t, func(t *testing.T, dbURL string) {
		// Real files are bigger than the test's 64 KiB limit; this env allows them.
		e := newEnv(t, dbURL, func(c *Config) { c.Limits.MaxBytes = 4 << 20; c.MaxRequestBytes = 8 << 20 })
		ctx := t.Context()

		u := e.uploadOK(file("Счёт №17 от поставщика.pdf", pdf))
		if len(u.Documents) != 1 || u.Documents[0].ID <= 0 || u.Documents[0].State != db.StateReceived || u.Documents[0].Duplicate {
			t.Fatalf("one file: %+v", u)
		}
		d, err := e.db.GetDocument(ctx, nil, u.Documents[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.FileName != "Счёт №17 от поставщика.pdf" || d.ContentType != "application/pdf" || d.Source != db.SourceUpload ||
			d.Sender != "1c" || d.GroupID != "" || d.Size != int64(len(pdf)) {
			t.Errorf("stored document: %+v", d)
		}
		events, err := e.db.Events(ctx, d.ID)
		if err != nil || len(events) != 1 || events[0].Actor != "api:1c" {
			t.Errorf("creation event: %+v, %v", events, err)
		}

		// The same bytes again: the earlier document, flagged.
		again := e.uploadOK(file("другое имя.pdf", pdf))
		if again.Documents[0].ID != d.ID || !again.Documents[0].Duplicate {
			t.Errorf("re-upload: %+v, want duplicate of %d", again, d.ID)
		}

		// Several files: one group; other fields are ignored.
		many := e.uploadOK(file("стр1.png", fakePNG(1000)), part{field: "comment", body: []byte("акт в двух фото")}, file("стр2.png", fakePNG(1000)))
		if len(many.Documents) != 2 {
			t.Fatalf("two files: %+v", many)
		}
		d1, _ := e.db.GetDocument(ctx, nil, many.Documents[0].ID)
		d2, _ := e.db.GetDocument(ctx, nil, many.Documents[1].ID)
		if d1.GroupID == "" || d1.GroupID != d2.GroupID || d1.ContentType != "image/png" || many.Documents[1].FileName != "стр2.png" {
			t.Errorf("group: %+v / %+v", d1, d2)
		}
	})
}

// Every refused upload answers its code in the one error shape and stores
// nothing: no document and no object, even when only one file of several
// is bad.
func TestUploadRefusals(t *testing.T) {
	forEngines(t, func(t *testing.T, dbURL string) {
		e := newEnv(t, dbURL, nil) // 64 KiB per file, 256 KiB per request
		ct, twoBig := multipartBody(t, file("a.png", fakePNG(60<<10)), file("b.png", fakePNG(60<<10)),
			file("c.png", fakePNG(60<<10)), file("d.png", fakePNG(60<<10)), file("e.png", fakePNG(60<<10)))
		for _, tc := range []struct {
			name        string
			contentType string
			body        []byte
			status      int
			code        string
		}{
			{"too large", "", bodyOf(t, file("big.png", fakePNG(64<<10+1))), http.StatusRequestEntityTooLarge, "too_large"},
			{"too large second", "", bodyOf(t, file("ok.png", fakePNG(100)), file("big.png", fakePNG(200<<10))), http.StatusRequestEntityTooLarge, "too_large"},
			{"request too large", ct, twoBig, http.StatusRequestEntityTooLarge, "request_too_large"},
			{"unsupported", "", bodyOf(t, file("note.txt", []byte("это не документ"))), http.StatusUnsupportedMediaType, "unsupported_type"},
			{"one unsupported of two", "", bodyOf(t, file("ok.png", fakePNG(100)), file("x.docx", []byte("PK\x03\x04word"))), http.StatusUnsupportedMediaType, "unsupported_type"},
			{"empty file", "", bodyOf(t, file("empty.pdf", nil)), http.StatusUnprocessableEntity, "empty"},
			{"no file field", "", bodyOf(t, part{field: "document", name: "a.png", body: fakePNG(100)}), http.StatusBadRequest, "no_file"},
			{"no parts", "", bodyOf(t), http.StatusBadRequest, "no_file"},
			{"not multipart", "application/json", []byte(`{"file":"x"}`), http.StatusBadRequest, "bad_request"},
			{"no boundary", "multipart/form-data", []byte("--x\r\n"), http.StatusBadRequest, "bad_request"},
			{"malformed multipart", "multipart/form-data; boundary=zzz", []byte("--zzz\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc"), http.StatusBadRequest, "bad_request"},
			// mime/multipart reads a body without any boundary line as no parts.
			{"garbage", "multipart/form-data; boundary=zzz", []byte("not multipart at all"), http.StatusBadRequest, "no_file"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				contentType := tc.contentType
				if contentType == "" {
					contentType = testContentType
				}
				r := e.do(http.MethodPost, "/api/v1/documents", e.service, contentType, bytes.NewReader(tc.body))
				code, msg := r.errorCode(t)
				if r.status != tc.status || code != tc.code {
					t.Errorf("%d %s (%s), want %d %s", r.status, code, msg, tc.status, tc.code)
				}
				if !hasCyrillic(msg) {
					t.Errorf("message %q is not for a Russian reader", msg)
				}
				if code == "too_large" && !strings.Contains(msg, "64 КБ") {
					t.Errorf("message %q does not say the limit", msg)
				}
				if tc.name == "one unsupported of two" && !strings.Contains(msg, "«x.docx»") {
					t.Errorf("message %q does not name the bad file", msg)
				}
				if n := e.documentCount(); n != 0 {
					t.Errorf("%d documents stored", n)
				}
				if n := e.storedObjects(); n != 0 {
					t.Errorf("%d objects stored", n)
				}
			})
		}
	})
}

// testContentType is the boundary bodyOf uses.
const testContentType = "multipart/form-data; boundary=test-boundary-1"

func bodyOf(t *testing.T, parts ...part) []byte {
	t.Helper()
	ct, body := multipartBody(t, parts...)
	// Re-frame with a fixed boundary so that table rows can share a content type.
	old := strings.TrimPrefix(ct, "multipart/form-data; boundary=")
	return bytes.ReplaceAll(body, []byte(old), []byte("test-boundary-1"))
}

func hasCyrillic(s string) bool {
	for _, r := range s {
		if r >= 'А' && r <= 'я' || r == 'ё' || r == 'Ё' {
			return true
		}
	}
	return false
}

func TestSizeText(t *testing.T) {
	for n, want := range map[int64]string{50 << 20: "50 МБ", 64 << 10: "64 КБ", 900: "900 байт", 3<<20 + 1<<19: "3.5 МБ"} {
		if got := sizeText(n); got != want {
			t.Errorf("sizeText(%d) = %q, want %q", n, got, want)
		}
	}
}

// A file name is a label from the sender: control characters and invalid
// UTF-8 cannot reach the database or a Content-Disposition header.
func TestCleanFileName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Акт №5.pdf", "Акт №5.pdf"},
		{"a\nb\r\x00c.pdf", "a_b__c.pdf"},
		{"bad\xffutf8.png", "bad\uFFFDutf8.png"},
		{"  spaced.pdf  ", "spaced.pdf"},
		{strings.Repeat("я", 300), strings.Repeat("я", 255)},
		{"", ""},
	} {
		if got := cleanFileName(tc.in); got != tc.want {
			t.Errorf("cleanFileName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// A streamed request body larger than the whole-request limit is cut off
// while reading, not after buffering it.
func TestUploadStopsReadingOverLimit(t *testing.T) {
	e := newEnv(t, dbtest.SQLiteURL(t), nil)
	var sent int64
	body := io.MultiReader(strings.NewReader("--test-boundary-1\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\n"),
		countingReader{r: zeroes{}, n: &sent, limit: 64 << 20})
	r := e.do(http.MethodPost, "/api/v1/documents", e.service, testContentType, body)
	if code, _ := r.errorCode(t); r.status != http.StatusRequestEntityTooLarge || code != "request_too_large" {
		t.Fatalf("%d %s", r.status, code)
	}
	if sent >= 64<<20 {
		t.Errorf("the server read all %d bytes of an endless body", sent)
	}
}

type zeroes struct{}

func (zeroes) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

type countingReader struct {
	r     io.Reader
	n     *int64
	limit int64
}

func (c countingReader) Read(p []byte) (int, error) {
	if *c.n >= c.limit {
		return 0, io.EOF
	}
	n, err := c.r.Read(p[:min(int64(len(p)), c.limit-*c.n)])
	*c.n += int64(n)
	return n, err
}

// A client that stalls mid-upload past the server's ReadTimeout gets a 408
// in the error shape, and nothing is stored.
func TestUploadReadTimeout(t *testing.T) {
	e := newEnv(t, dbtest.SQLiteURL(t), nil)
	slow := httptest.NewUnstartedServer(e.srv.Config.Handler)
	slow.Config.ReadTimeout = 300 * time.Millisecond
	slow.Start()
	defer slow.Close()
	pr, pw := io.Pipe()
	stall := make(chan struct{})
	defer close(stall)
	go func() {
		pw.Write([]byte("--test-boundary-1\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\r\n\x89PNG\r\n\x1a\n"))
		select { // stall until the test is over, or long past the timeout
		case <-stall:
		case <-time.After(10 * time.Second):
		}
		pw.Close()
	}()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, slow.URL+"/api/v1/documents", pr)
	req.Header.Set("Authorization", "Bearer "+e.service)
	req.Header.Set("Content-Type", testContentType)
	resp, err := slow.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	r := reply{status: resp.StatusCode, header: resp.Header, body: body}
	if code, _ := r.errorCode(t); r.status != http.StatusRequestTimeout || code != "request_timeout" {
		t.Errorf("%d %s", r.status, code)
	}
	if n := e.documentCount(); n != 0 {
		t.Errorf("%d documents stored", n)
	}
}

// A request whose declared length is over the limit is refused before its
// body is read: a client that asks "Expect: 100-continue" sends nothing.
func TestUploadRefusedBeforeBody(t *testing.T) {
	e := newEnv(t, dbtest.SQLiteURL(t), nil)
	var sent int64
	const size = 10 << 20
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, e.srv.URL+"/api/v1/documents",
		countingReader{r: zeroes{}, n: &sent, limit: size})
	req.ContentLength = size
	req.Header.Set("Expect", "100-continue")
	req.Header.Set("Authorization", "Bearer "+e.service)
	req.Header.Set("Content-Type", testContentType)
	client := &http.Client{Transport: &http.Transport{ExpectContinueTimeout: 5 * time.Second}}
	defer client.CloseIdleConnections()
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	r := reply{status: resp.StatusCode, header: resp.Header, body: body}
	if code, msg := r.errorCode(t); r.status != http.StatusRequestEntityTooLarge || code != "request_too_large" || !strings.Contains(msg, "256 КБ") {
		t.Errorf("%d %s %s", r.status, code, msg)
	}
	if sent != 0 {
		t.Errorf("the client sent %d bytes of a refused body", sent)
	}
}

// Uploads arriving at once, some of them refused, each store exactly their
// own bytes: the buffers requests are read into go to later requests only
// once their files are stored (or refused).
func TestUploadsKeepTheirBytes(t *testing.T) {
	forEngines(t, func(t *testing.T, dbURL string) {
		e := newEnv(t, dbURL, func(c *Config) { c.Limits.MaxBytes = 4 << 20; c.MaxRequestBytes = 9 << 20 })
		type request struct {
			contentType string
			body        []byte
			files       [][]byte // nil for a request that must be refused
		}
		var clients [6][]request
		for c := range clients {
			for i := range 4 {
				a, b := fakePNG(200<<10+c*1000+i), fakePNG(1<<20+i)
				if i == 2 { // refused whole: its second file is not an image
					ct, body := multipartBody(t, file("a.png", a), file("b.txt", []byte("not an image")))
					clients[c] = append(clients[c], request{ct, body, nil})
					continue
				}
				ct, body := multipartBody(t, file("a.png", a), file("b.png", b))
				clients[c] = append(clients[c], request{ct, body, [][]byte{a, b}})
			}
		}
		type stored struct {
			id   int64
			body []byte
		}
		var (
			mu   sync.Mutex
			docs []stored
			wg   sync.WaitGroup
		)
		for _, reqs := range clients {
			wg.Go(func() {
				for _, r := range reqs {
					req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, e.srv.URL+"/api/v1/documents", bytes.NewReader(r.body))
					req.Header.Set("Authorization", "Bearer "+e.service)
					req.Header.Set("Content-Type", r.contentType)
					resp, err := e.srv.Client().Do(req)
					if err != nil {
						t.Error(err)
						return
					}
					var u uploadReply
					err = json.NewDecoder(resp.Body).Decode(&u)
					resp.Body.Close()
					switch {
					case r.files == nil && resp.StatusCode == http.StatusCreated:
						t.Errorf("a request with a text file was stored: %+v", u)
					case r.files == nil:
					case resp.StatusCode != http.StatusCreated || err != nil || len(u.Documents) != len(r.files):
						t.Errorf("upload: %s %+v %v", resp.Status, u, err)
					default:
						mu.Lock()
						for i, d := range u.Documents {
							docs = append(docs, stored{d.ID, r.files[i]})
						}
						mu.Unlock()
					}
				}
			})
		}
		wg.Wait()
		if want := len(clients) * 3 * 2; len(docs) != want || e.documentCount() != want {
			t.Fatalf("%d documents answered, %d stored, want %d", len(docs), e.documentCount(), want)
		}
		for _, d := range docs {
			if r := e.get(pathOf(d.id, "/original"), e.service); r.status != http.StatusOK || !bytes.Equal(r.body, d.body) {
				t.Errorf("document %d: original %d, %d bytes, not the %d sent", d.id, r.status, len(r.body), len(d.body))
			}
		}
	})
}
