// Package review is the web UI where clerks (бухгалтеры) decide what the
// engine was not sure of: a sign-in page, the queue of documents waiting
// for review, and a document page showing the page image with the box of
// each extracted field, an editable form checked live by the engine's own
// validators (extractors/ruvalid), and approve / reject / save / skip.
//
// Everything is server-rendered html/template with a little hand-written
// JavaScript, embedded in the binary: no build step, no CDN. html/template
// escapes every value, so text from OCR (a photographed "<script>") stays
// text; nothing in this package passes OCR text as template.HTML.
//
// Approving is one transaction: lock the document, check the clerk's
// version (optimistic lock: a stale form is refused and handed back with
// the clerk's edits), save the corrected result, move needs_review →
// approved, record each correction in the append-only review_corrections,
// teach the counterparty directory, and hand the document to the Poster
// (the ledger), which posts it in the same transaction.
package review

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/pervichka/pervichka/jsonhttp"
	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/objects"
)

//go:embed ui
var uiFS embed.FS

// Poster posts an approved document to the ledger in the caller's
// transaction and moves it on (to posted), like pipeline.Poster. The
// ledger package implements it.
type Poster interface {
	PostTx(ctx context.Context, tx *db.Tx, q *db.Queue, documentID int64, actor string) error
}

// Retrier sends a failed document through the pipeline again
// (pipeline.(*Pipeline).Retry).
type Retrier interface {
	Retry(ctx context.Context, id int64, actor string) error
}

// Config is what the review UI needs.
type Config struct {
	DB      *db.DB
	Objects objects.Store
	// Poster posts approved documents to the ledger in the approval's
	// transaction. Nil leaves them approved, for the ledger to post later.
	Poster Poster
	// Queue is the pipeline's River client: handed to Poster.PostTx, and
	// used to send merged and split documents back to extraction. Nil
	// turns merging and splitting off.
	Queue   *db.Queue
	Retrier Retrier // nil hides the retry button
	// Exporter makes the files of posted documents (buttons «Скачать XML
	// для 1С», «Платёжка»; the queue's download by period). Nil hides them.
	Exporter Exporter
	// Turner turns a page's picture for «повернуть и распознать заново»
	// (with Queue); nil leaves the turn to the viewer only.
	Turner Turner
	Logger *slog.Logger

	// InsecureCookies drops the Secure attribute, for plain HTTP on
	// loopback (tests, a single-box trial). Behind TLS termination leave
	// it false: browsers then send the cookies only over HTTPS.
	InsecureCookies bool
	// TrustProxy takes the client address for login rate limits from the
	// last X-Forwarded-For entry. Set it only behind a proxy that sets it.
	TrustProxy bool

	SessionTTL time.Duration // default 12 h
	ClaimTTL   time.Duration // default 5 min; the open page renews it every minute
	// LoginFailuresUser failed logins of one name from one address, and
	// LoginFailuresIP from one address for any names, pass without delay;
	// each further one makes that name at that address (or that address)
	// wait, 1 s, 2 s, 4 s… up to LoginMaxDelay. A name alone waits only
	// after 10 × LoginFailuresIP failures from anywhere, and at most
	// 30 s, so that nobody can keep a clerk out (see backoff). Counts are
	// forgotten after LoginWindow without a failure. Defaults: 5, 20,
	// 15 minutes, 15 minutes.
	LoginFailuresUser, LoginFailuresIP int
	LoginWindow, LoginMaxDelay         time.Duration
	Location                           *time.Location // for shown times; default Europe/Moscow
	Now                                func() time.Time
}

// nameMaxDelay caps the delay of a name failing from many addresses: long
// enough to slow a distributed guesser to a couple of tries a minute per
// name (with the per-address delays on top), short enough that the clerk
// whose name it is waits at most this long. A choice, not a measurement.
const nameMaxDelay = 30 * time.Second

// Server serves the review UI.
type Server struct {
	cfg                              Config
	tmpl                             map[string]*template.Template
	pairLimits, ipLimits, userLimits *backoff
	counts                           countCache
	assets                           http.Handler
	directory                        Directory
}

// New checks cfg, fills in defaults and parses the templates.
func New(cfg Config) (*Server, error) {
	if cfg.DB == nil || cfg.Objects == nil {
		return nil, errors.New("review: DB and Objects are required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	if cfg.ClaimTTL <= 0 {
		cfg.ClaimTTL = 5 * time.Minute
	}
	if cfg.LoginFailuresUser <= 0 {
		cfg.LoginFailuresUser = 5
	}
	if cfg.LoginFailuresIP <= 0 {
		cfg.LoginFailuresIP = 20
	}
	if cfg.LoginWindow <= 0 {
		cfg.LoginWindow = 15 * time.Minute
	}
	if cfg.LoginMaxDelay <= 0 {
		cfg.LoginMaxDelay = 15 * time.Minute
	}
	if cfg.Location == nil {
		loc, err := time.LoadLocation("Europe/Moscow")
		if err != nil {
			loc = time.FixedZone("MSK", 3*3600)
		}
		cfg.Location = loc
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{cfg: cfg, tmpl: map[string]*template.Template{}, directory: Directory{DB: cfg.DB}}
	s.counts.log = cfg.Logger
	s.pairLimits = newBackoff(cfg.LoginFailuresUser, time.Second, cfg.LoginMaxDelay, cfg.LoginWindow, cfg.Now)
	s.ipLimits = newBackoff(cfg.LoginFailuresIP, time.Second, cfg.LoginMaxDelay, cfg.LoginWindow, cfg.Now)
	s.userLimits = newBackoff(10*cfg.LoginFailuresIP, time.Second, nameMaxDelay, cfg.LoginWindow, cfg.Now)
	for _, page := range []string{"login.html", "queue.html", "document.html", "error.html", "directory.html"} {
		t, err := template.New(page).Funcs(funcs(cfg.Location)).ParseFS(uiFS, "ui/layout.html", "ui/"+page)
		if err != nil {
			return nil, fmt.Errorf("review: parse %s: %w", page, err)
		}
		s.tmpl[page] = t
	}
	static, err := fs.Sub(uiFS, "ui/static")
	if err != nil {
		return nil, fmt.Errorf("review: %w", err)
	}
	s.assets = http.StripPrefix("/review-assets/", http.FileServerFS(static))
	// Outside /review/: any /review/assets/... pattern would overlap the
	// /review/{id}/... routes and the mux refuses such a pair.
	return s, nil
}

// WarmCounts counts the queue's tabs in the background, so that the first
// clerk after a start does not wait for the count (about 100 ms for 10,000
// waiting documents on SQLite); ctx bounds it.
func (s *Server) WarmCounts(ctx context.Context) {
	for _, state := range []db.State{db.StateNeedsReview, db.StateFailed} {
		s.counts.mu.Lock()
		if s.counts.refreshing == nil {
			s.counts.refreshing = map[db.State]bool{}
		}
		busy := s.counts.refreshing[state]
		s.counts.refreshing[state] = true
		s.counts.mu.Unlock()
		if !busy {
			go s.counts.refresh(ctx, s.cfg.DB, state)
		}
	}
}

// Mount adds the review routes to mux: /login, /logout, /review..., and
// GET / exactly (every other path stays with whoever holds "/").
func (s *Server) Mount(mux *http.ServeMux) {
	clerk := func(h http.HandlerFunc) http.Handler { return s.requireUser(db.UserClerk, h) }
	admin := func(h http.HandlerFunc) http.Handler { return s.requireUser(db.UserAdmin, h) }
	mux.HandleFunc("GET /{$}", s.root)
	mux.HandleFunc("GET /login", s.loginForm)
	mux.HandleFunc("POST /login", s.login)
	mux.Handle("POST /logout", clerk(s.logout))
	// Stylesheet and script only: nothing secret, and the login page needs them.
	mux.Handle("GET /review-assets/{file}", s.assets)
	mux.HandleFunc("GET /favicon.ico", s.favicon)
	mux.Handle("GET /review", clerk(s.queue))
	mux.Handle("GET /review/directory", clerk(s.directoryPage))
	mux.Handle("GET /review/{id}", clerk(s.document))
	mux.Handle("GET /review/{id}/pages/{n}/image", clerk(s.pageImage))
	mux.Handle("GET /review/{id}/original", clerk(s.original))
	mux.Handle("GET /review/{id}/export", clerk(s.export))
	mux.Handle("GET /review/export", clerk(s.exportBatch))
	mux.Handle("POST /review/{id}/save", clerk(s.save))
	mux.Handle("POST /review/{id}/approve", clerk(s.approve))
	mux.Handle("POST /review/{id}/reject", clerk(s.reject))
	mux.Handle("POST /review/{id}/skip", clerk(s.skip))
	mux.Handle("POST /review/{id}/merge", clerk(s.merge))
	mux.Handle("POST /review/{id}/split", clerk(s.split))
	mux.Handle("POST /review/{id}/rotate", clerk(s.rotate))
	mux.Handle("POST /review/{id}/claim", clerk(s.claim))
	mux.Handle("POST /review/{id}/retry", admin(s.retry))
	mux.Handle("POST /review/{id}/reprocess", clerk(s.reprocess))
	mux.Handle("POST /review/validate", clerk(s.validateJSON))
}

// Routes lists the routes Mount adds that need a signed-in user, with the
// role each needs, for the authorization tests and the docs.
var Routes = []struct {
	Method, Path string
	Role         db.UserRole
}{
	{"POST", "/logout", db.UserClerk},
	{"GET", "/review", db.UserClerk},
	{"GET", "/review/directory", db.UserClerk},
	{"GET", "/review/{id}", db.UserClerk},
	{"GET", "/review/{id}/pages/{n}/image", db.UserClerk},
	{"GET", "/review/{id}/original", db.UserClerk},
	{"GET", "/review/{id}/export", db.UserClerk},
	{"GET", "/review/export", db.UserClerk},
	{"POST", "/review/{id}/save", db.UserClerk},
	{"POST", "/review/{id}/approve", db.UserClerk},
	{"POST", "/review/{id}/reject", db.UserClerk},
	{"POST", "/review/{id}/skip", db.UserClerk},
	{"POST", "/review/{id}/merge", db.UserClerk},
	{"POST", "/review/{id}/split", db.UserClerk},
	{"POST", "/review/{id}/rotate", db.UserClerk},
	{"POST", "/review/{id}/claim", db.UserClerk},
	{"POST", "/review/{id}/retry", db.UserAdmin},
	{"POST", "/review/{id}/reprocess", db.UserClerk},
	{"POST", "/review/validate", db.UserClerk},
}

// CleanSessions deletes expired sessions every interval until ctx ends.
// Expired sessions are refused anyway; this only keeps the table small.
func (s *Server) CleanSessions(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := s.cfg.DB.DeleteExpiredSessions(ctx); err != nil {
				s.cfg.Logger.Warn("review: clean sessions", "err", err)
			} else if n > 0 {
				s.cfg.Logger.Debug("review: expired sessions deleted", "n", n)
			}
		}
	}
}

// favicon answers the browser's own /favicon.ico request (pages name the
// SVG icon, but a browser asks here first for other paths, and a 404 in
// every log is noise).
func (s *Server) favicon(w http.ResponseWriter, r *http.Request) {
	b, err := uiFS.ReadFile("ui/static/favicon.svg")
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	_, _ = w.Write(b)
}

func (s *Server) root(w http.ResponseWriter, r *http.Request) {
	if _, ok, _ := s.currentSession(r); ok {
		http.Redirect(w, r, "/review", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// pageBase is what every page's layout needs.
type pageBase struct {
	Refresh int // seconds after which the page reloads itself; 0 never
	Title   string
	User    *db.User
	CSRF    string
}

func base(r *http.Request, title string) pageBase {
	sess := sessionOf(r)
	return pageBase{Title: title, User: &sess.User, CSRF: sess.CSRFToken}
}

// render writes a page. Pages are rendered to memory first so that a
// template error becomes a clean 500 rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page string, data any) {
	var buf bytes.Buffer
	if err := s.tmpl[page].ExecuteTemplate(&buf, "layout", data); err != nil {
		s.cfg.Logger.Error("review: render", "page", page, "err", err)
		http.Error(w, "Внутренняя ошибка", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	// Scripts and styles only from this origin: an injected <script>
	// would not run even if escaping failed somewhere.
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// refuse answers a request the user may not make, as JSON for scripts (the
// service's one error shape, package jsonhttp) and as a page for browsers.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, status int, msg string) {
	if wantsJSON(r) {
		jsonhttp.Error(w, r, status, jsonhttp.CodeFor(status), msg)
		return
	}
	s.render(w, r, status, "error.html", struct {
		pageBase
		Message string
	}{base(r, "Ошибка"), msg})
}

// fail logs an internal error and answers with msg.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, status int, msg string, err error) {
	s.cfg.Logger.Error("review", "method", r.Method, "path", r.URL.Path, "err", err)
	s.refuse(w, r, status, msg)
}
