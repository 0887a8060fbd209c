package api

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/pipeline"
	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/db/dbtest"
	"github.com/pervichka/pervichka/storage/objects"
)

// faultyPipeline is the real pipeline (submitting only: no workers, so
// documents stay where the test puts them) with a switch to make the next
// call fail or panic, for the error paths a healthy pipeline never takes.
type faultyPipeline struct {
	real *pipeline.Pipeline

	mu     sync.Mutex
	inject error // returned by the next Submit or Retry instead of working
	panics bool  // the next Submit panics
}

func (p *faultyPipeline) takeFault() (error, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	err, panics := p.inject, p.panics
	p.inject, p.panics = nil, false
	return err, panics
}

func (p *faultyPipeline) Submit(ctx context.Context, u pipeline.Upload) (db.Document, bool, error) {
	if err, panics := p.takeFault(); panics {
		panic("injected panic")
	} else if err != nil {
		return db.Document{}, false, err
	}
	return p.real.Submit(ctx, u)
}

func (p *faultyPipeline) Retry(ctx context.Context, id int64, actor string) error {
	if err, _ := p.takeFault(); err != nil {
		return err
	}
	return p.real.Retry(ctx, id, actor)
}

func (p *faultyPipeline) fail(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.inject = err
}

// env is one API server over real HTTP, on a fresh database of one engine
// and a fresh local object folder, with an admin and a service token.
type env struct {
	t       testing.TB
	db      *db.DB
	store   *objects.Local
	pipe    *faultyPipeline
	srv     *httptest.Server
	admin   string
	service string
	logs    *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// forEngines runs fn on SQLite and on Postgres.
func forEngines(t *testing.T, fn func(t *testing.T, url string)) {
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) { fn(t, e.URL(t)) })
	}
}

func newEnv(t testing.TB, dbURL string, edit func(*Config)) *env {
	t.Helper()
	ctx := t.Context()
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
	t.Cleanup(func() { store.Close() })
	e := &env{t: t, db: d, store: store, logs: &syncBuffer{}}
	if e.admin, err = d.CreateToken(ctx, "ops", db.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	if e.service, err = d.CreateToken(ctx, "1c", db.RoleService); err != nil {
		t.Fatal(err)
	}
	cfg := Config{DB: d, Objects: store,
		Limits: pervichka.Limits{MaxBytes: 64 << 10}, MaxRequestBytes: 256 << 10,
		Logger: slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	if edit != nil {
		edit(&cfg)
	}
	real, err := pipeline.New(pipeline.Config{DB: d, Objects: store, Limits: cfg.Limits, Logger: cfg.Logger})
	if err != nil {
		t.Fatal(err)
	}
	e.pipe = &faultyPipeline{real: real}
	cfg.Pipeline = e.pipe
	e.srv = httptest.NewServer(New(cfg))
	t.Cleanup(e.srv.Close)
	return e
}

// reply is an answer read whole.
type reply struct {
	status int
	header http.Header
	body   []byte
}

func (r reply) json(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("answer %d is not JSON: %v\n%s", r.status, err, r.body)
	}
}

// errorCode checks the one error shape and returns its code and message.
func (r reply) errorCode(t testing.TB) (code, message string) {
	t.Helper()
	var b struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	r.json(t, &b)
	if b.Error.Code == "" || b.Error.Message == "" {
		t.Fatalf("answer %d lacks error.code or error.message: %s", r.status, r.body)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("error answered as %q", ct)
	}
	return b.Error.Code, b.Error.Message
}

func (e *env) do(method, path, token, contentType string, body io.Reader) reply {
	e.t.Helper()
	req, err := http.NewRequestWithContext(e.t.Context(), method, e.srv.URL+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatalf("%s %s: read answer: %v", method, path, err)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: b}
}

func (e *env) get(path, token string) reply { return e.do(http.MethodGet, path, token, "", nil) }

// part is one multipart field.
type part struct {
	field, name string
	body        []byte
}

func multipartBody(t testing.TB, parts ...part) (contentType string, body []byte) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, p := range parts {
		var fw io.Writer
		var err error
		if p.name != "" {
			fw, err = w.CreateFormFile(p.field, p.name)
		} else {
			fw, err = w.CreateFormField(p.field)
		}
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(p.body)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return w.FormDataContentType(), buf.Bytes()
}

func (e *env) upload(token string, parts ...part) reply {
	e.t.Helper()
	ct, body := multipartBody(e.t, parts...)
	return e.do(http.MethodPost, "/api/v1/documents", token, ct, bytes.NewReader(body))
}

// uploadReply is the decoded 201 answer.
func (e *env) uploadOK(parts ...part) uploadReply {
	e.t.Helper()
	r := e.upload(e.service, parts...)
	if r.status != http.StatusCreated {
		e.t.Fatalf("upload: %d %s", r.status, r.body)
	}
	var u uploadReply
	r.json(e.t, &u)
	return u
}

// fakePNG is n bytes that sniff as PNG, different on every call.
func fakePNG(n int) []byte {
	b := make([]byte, n)
	copy(b, "\x89PNG\r\n\x1a\n")
	rand.Read(b[8:])
	return b
}

func file(name string, body []byte) part { return part{field: "file", name: name, body: body} }

// storedObjects counts the object folder's objects.
func (e *env) storedObjects() int {
	e.t.Helper()
	n := 0
	if err := e.store.List(e.t.Context(), "", func(objects.Info) error { n++; return nil }); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// documentCount counts stored documents.
func (e *env) documentCount() int {
	e.t.Helper()
	docs, err := e.db.ListDocuments(e.t.Context(), db.ListFilter{Limit: db.MaxListLimit}, db.Cursor{})
	if err != nil {
		e.t.Fatal(err)
	}
	return len(docs)
}

var errInjected = errors.New("injected: disk on fire at 10.0.0.7")

func pathOf(id int64, rest string) string { return fmt.Sprintf("/api/v1/documents/%d%s", id, rest) }

// unwritable makes the local store's folder refuse writes (its temp folder,
// where every Put starts): by permissions, or as root, who ignores them,
// with chattr +i. It reports false when neither works here.
func unwritable(t *testing.T, l *objects.Local) bool {
	t.Helper()
	tmp := filepath.Join(l.Dir(), ".tmp")
	if os.Geteuid() == 0 {
		if out, err := exec.Command("chattr", "+i", tmp).CombinedOutput(); err != nil {
			t.Logf("cannot make the store unwritable as root: %v %s", err, out)
			return false
		}
		t.Cleanup(func() { exec.Command("chattr", "-i", tmp).Run() })
		return true
	}
	if err := os.Chmod(tmp, 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(tmp, 0o750) })
	return true
}

// writable undoes unwritable.
func writable(t *testing.T, l *objects.Local) {
	t.Helper()
	tmp := filepath.Join(l.Dir(), ".tmp")
	if os.Geteuid() == 0 {
		if out, err := exec.Command("chattr", "-i", tmp).CombinedOutput(); err != nil {
			t.Fatalf("chattr -i: %v %s", err, out)
		}
		return
	}
	if err := os.Chmod(tmp, 0o750); err != nil {
		t.Fatal(err)
	}
}
