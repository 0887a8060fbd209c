package upload_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/fields"
	"github.com/pervichka/pervichka/extractors/recognize"
	"github.com/pervichka/pervichka/extractors/tesseract"
	"github.com/pervichka/pervichka/intake"
	"github.com/pervichka/pervichka/intake/upload"
	"github.com/pervichka/pervichka/pipeline"
	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/db/dbtest"
	"github.com/pervichka/pervichka/storage/objects"
	"github.com/pervichka/pervichka/storage/objects/objectstest"
)

func corpusPath(name string) string {
	p, _ := filepath.Abs(filepath.Join("..", "..", "testdata", "corpus", name))
	return p
}

func corpus(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(corpusPath(name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type env struct {
	db  *db.DB
	p   *pipeline.Pipeline
	srv *httptest.Server
}

// start runs the upload handler on a real pipeline; work makes the
// pipeline's workers read the documents (Tesseract), as in production.
func start(t *testing.T, dbURL string, work bool, lim pervichka.Limits, opts ...func(*upload.Config)) *env {
	t.Helper()
	ctx := t.Context()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	d, err := db.Open(ctx, dbURL, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	if err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	store, err := objects.Open(ctx, objectstest.FileURL(t), log)
	if err != nil {
		t.Fatal(err)
	}
	cfg := pipeline.Config{DB: d, Objects: store, Limits: lim, Logger: log, Work: work, OCRWorkers: 2}
	if work {
		pool, err := tesseract.NewPool(ctx, tesseract.Options{Size: 2})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = pool.Close() })
		cfg.Recognizer = recognize.New(pool, recognize.Options{Fields: fields.Config{}})
	}
	p, err := pipeline.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = p.Stop(sctx, 10*time.Second)
	})
	hcfg := upload.Config{Receiver: intake.NewReceiver(d, p, log), Limits: lim, Logger: log}
	for _, o := range opts {
		o(&hcfg)
	}
	h := upload.New("/u/", hcfg)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &env{db: d, p: p, srv: srv}
}

type answer struct {
	Error string              `json:"error"`
	Files []upload.FileStatus `json:"files"`
}

func (e *env) post(t *testing.T, token string, files map[string][]byte, order ...string) (int, answer) {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for _, name := range order {
		fw, err := w.CreateFormFile("file", name)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write(files[name])
	}
	_ = w.Close()
	resp, err := http.Post(e.srv.URL+"/u/"+token+"/files", w.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var a answer
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		t.Fatalf("status %d: %v", resp.StatusCode, err)
	}
	return resp.StatusCode, a
}

func get(t *testing.T, url string) (int, string, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
}

// TestUploadLinks: the link works for its contractor, stores what is sent,
// refuses what cannot be a document with a Russian reason, and a revoked or
// unknown link is a Russian 404.
func TestUploadLinks(t *testing.T) {
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			lim := pervichka.DefaultLimits()
			lim.MaxBytes = 512 << 10
			env := start(t, e.URL(t), false, lim)
			ctx := t.Context()
			c, token, err := env.db.CreateContractor(ctx, "ИП Петров", nil)
			if err != nil {
				t.Fatal(err)
			}
			_, otherToken, err := env.db.CreateContractor(ctx, "ООО «Ромашка»", nil)
			if err != nil {
				t.Fatal(err)
			}

			code, ctype, page := get(t, env.srv.URL+"/u/"+token)
			if code != 200 || !strings.HasPrefix(ctype, "text/html") || !strings.Contains(page, "ИП Петров") ||
				!strings.Contains(page, `accept="image/*,application/pdf"`) || !strings.Contains(page, `capture=`) {
				t.Fatalf("page: %d %s\n%.300s", code, ctype, page)
			}

			photo, pdf := corpus(t, "002-invoice-photo.jpg"), corpus(t, "001-invoice.pdf")
			big := append([]byte("%PDF-1.4\n"), make([]byte, lim.MaxBytes)...)
			status, a := env.post(t, token, map[string][]byte{"фото.jpg": photo, "счёт.pdf": pdf, "скан.pdf": big, "заметка.txt": []byte("просто текст")},
				"фото.jpg", "счёт.pdf", "скан.pdf", "заметка.txt")
			if status != 200 || len(a.Files) != 4 {
				t.Fatalf("upload: %d %+v", status, a)
			}
			wantStatus := []intake.Status{intake.StatusReceived, intake.StatusReceived, intake.StatusRefused, intake.StatusRefused}
			for i, f := range a.Files {
				if f.Status != string(wantStatus[i]) || f.Label == "" {
					t.Errorf("file %s: %s (%s), want %s", f.FileName, f.Status, f.Label, wantStatus[i])
				}
				if f.Status == string(intake.StatusRefused) && !strings.Contains(f.Note, f.FileName) {
					t.Errorf("refused %s: note %q must say which file and why", f.FileName, f.Note)
				}
			}
			doc, err := env.db.GetDocument(ctx, nil, a.Files[0].DocumentID)
			if err != nil || doc.Source != db.SourceUpload || doc.Sender != "ИП Петров" || doc.GroupID == "" {
				t.Fatalf("document: %+v, %v", doc, err)
			}
			if d2, _ := env.db.GetDocument(ctx, nil, a.Files[1].DocumentID); d2.GroupID != doc.GroupID {
				t.Errorf("files of one upload must share a group: %q, %q", doc.GroupID, d2.GroupID)
			}

			// The list is the contractor's own, newest first.
			code, _, body := get(t, env.srv.URL+"/u/"+token+"/files")
			var list answer
			if err := json.Unmarshal([]byte(body), &list); err != nil || code != 200 || len(list.Files) != 4 {
				t.Fatalf("list: %d %s", code, body)
			}
			code, _, body = get(t, env.srv.URL+"/u/"+otherToken+"/files")
			if err := json.Unmarshal([]byte(body), &list); err != nil || code != 200 || len(list.Files) != 0 {
				t.Fatalf("another contractor sees %s", body)
			}

			// The same photo again: linked to the first document, not a new one.
			_, again := env.post(t, token, map[string][]byte{"снова.jpg": photo}, "снова.jpg")
			if len(again.Files) != 1 || again.Files[0].DocumentID != doc.ID || !again.Files[0].Duplicate || again.Files[0].Note == "" {
				t.Fatalf("the same photo again: %+v", again)
			}

			// Revoked and unknown links: a Russian 404, the same for both.
			if err := env.db.RevokeContractor(ctx, c.Name); err != nil {
				t.Fatal(err)
			}
			for _, bad := range []string{token, otherToken[:len(otherToken)-2] + "xx", "nothing", ""} {
				code, ctype, page := get(t, env.srv.URL+"/u/"+bad)
				if code != 404 || !strings.HasPrefix(ctype, "text/html") || !strings.Contains(page, "Ссылка не найдена") {
					t.Errorf("link %q: %d %s %.200s", bad, code, ctype, page)
				}
				if bad == "" {
					continue
				}
				status, a := env.post(t, bad, map[string][]byte{"x.jpg": photo}, "x.jpg")
				if status != 404 || !strings.Contains(a.Error, "Ссылка не найдена") {
					t.Errorf("upload to %q: %d %+v", bad, status, a)
				}
			}
		})
	}
}

func decodeJSON(resp *http.Response, v any) error { return json.NewDecoder(resp.Body).Decode(v) }

func decodeJSONString(s string, v any) error { return json.Unmarshal([]byte(s), v) }
