// Package api serves Pervichka's JSON HTTP API under /api/v1: uploads of
// contractors' files, a document's state, fields and history, its original
// and page artifacts, a filtered listing, and an admin's retry of a failed
// document. It also serves the liveness and readiness probes (/healthz,
// /readyz) and the OpenAPI description (/api/v1/openapi.json).
//
// The package only translates HTTP to calls on storage/db, storage/objects
// and the pipeline (through the small Pipeline interface): it decides
// nothing about documents itself.
//
// What it assumes of the http.Server it is mounted on (set in cmd, not
// here): ReadHeaderTimeout (slow-loris), a ReadTimeout long enough for
// MaxRequestBytes at the slowest client speed accepted (uploads are read
// whole before anything is stored), a WriteTimeout long enough to send an
// original of Limits.MaxBytes, IdleTimeout, and MaxHeaderBytes. The request
// body is limited here, not there.
package api

import (
	"context"
	_ "embed"
	"io"
	"log/slog"
	"net/http"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/jsonhttp"
	"github.com/pervichka/pervichka/logctx"
	"github.com/pervichka/pervichka/pipeline"
	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/objects"
)

// Pipeline is what the API asks of the document pipeline.
type Pipeline interface {
	// Submit stores an upload and creates its document with the first job;
	// created is false when the same bytes were submitted before (doc is the
	// earlier document). Content errors are *pervichka.Error.
	Submit(ctx context.Context, u pipeline.Upload) (doc db.Document, created bool, err error)
	// Retry sends a failed document, or one linked as a re-sent copy,
	// through the pipeline again.
	Retry(ctx context.Context, id int64, actor string) error
}

// Getter reads stored objects: originals and page artifacts.
type Getter interface {
	Get(ctx context.Context, key string) (io.ReadCloser, objects.Info, error)
}

// Config is what the API needs. DB, Objects and Pipeline are required.
type Config struct {
	DB       *db.DB
	Objects  Getter
	Pipeline Pipeline
	// Limits.MaxBytes bounds each uploaded file; zero fields mean
	// pervichka.DefaultLimits.
	Limits pervichka.Limits
	// MaxRequestBytes bounds a whole upload request, all its files and
	// multipart framing together; every file of a request is held in memory
	// until all have been checked, so this is also the memory one upload may
	// take. Zero means Limits.MaxBytes plus 1 MiB: one file of the largest
	// size, or many smaller ones.
	MaxRequestBytes int64
	// Logger receives request failures; nil discards.
	Logger *slog.Logger
	// Instrument, when set, wraps each route's handler (after its
	// authentication) with its ServeMux pattern, e.g. to count requests
	// per route without unbounded label values.
	Instrument func(pattern string, h http.Handler) http.Handler
	// Draining, when set and true, makes /readyz answer 503 at once: the
	// process got SIGTERM and will close its listener soon.
	Draining func() bool
}

// withDefaults fills in zero values and checks the required fields. A
// missing dependency is a wiring mistake in cmd, found at startup.
func (c Config) withDefaults() Config {
	if c.DB == nil || c.Objects == nil {
		panic("api: Config needs DB and Objects")
	}
	def := pervichka.DefaultLimits()
	if c.Limits.MaxBytes <= 0 {
		c.Limits.MaxBytes = def.MaxBytes
	}
	if c.Limits.MaxPixels <= 0 {
		c.Limits.MaxPixels = def.MaxPixels
	}
	if c.Limits.MaxPages <= 0 {
		c.Limits.MaxPages = def.MaxPages
	}
	if c.MaxRequestBytes <= 0 {
		c.MaxRequestBytes = c.Limits.MaxBytes + 1<<20
	}
	// Lines logged with a request's context name its id (logctx).
	c.Logger = logctx.Logger(c.Logger)
	return c
}

// server holds the configured dependencies for the handlers.
type server struct {
	cfg Config
	log *slog.Logger
	mux *http.ServeMux
}

// route is one endpoint. The table below is the only place routes are
// declared: New registers the mux from it, and a test holds it and
// api/openapi.json to the same set of paths and methods.
type route struct {
	method string
	path   string  // Go ServeMux pattern; identical to the OpenAPI path template
	role   db.Role // "" for no authentication
	handle func(s *server, w http.ResponseWriter, r *http.Request) error
}

var routes = []route{
	{http.MethodPost, "/api/v1/documents", db.RoleService, (*server).upload},
	{http.MethodGet, "/api/v1/documents", db.RoleService, (*server).list},
	{http.MethodGet, "/api/v1/documents/{id}", db.RoleService, (*server).document},
	{http.MethodGet, "/api/v1/documents/{id}/original", db.RoleService, (*server).original},
	{http.MethodGet, "/api/v1/documents/{id}/pages/{n}/image", db.RoleService, (*server).pageImage},
	{http.MethodGet, "/api/v1/documents/{id}/pages/{n}/words", db.RoleService, (*server).pageWords},
	{http.MethodPost, "/api/v1/documents/{id}/retry", db.RoleAdmin, (*server).retry},
	{http.MethodGet, "/api/v1/openapi.json", "", (*server).openAPI},
	{http.MethodGet, "/healthz", "", (*server).healthz},
	{http.MethodGet, "/readyz", "", (*server).readyz},
}

// New returns the handler for /api/v1/, /healthz and /readyz; mount it at
// the root of the server's mux (other paths get a JSON 404). It panics when
// cfg lacks DB, Objects or Pipeline.
func New(cfg Config) http.Handler {
	if cfg.Pipeline == nil {
		panic("api: Config needs Pipeline")
	}
	return newServer(cfg.withDefaults(), routes).root()
}

// Health returns a handler for /healthz and /readyz alone, for a process
// that serves no API (serve --role worker) but must still answer its
// orchestrator's probes. It needs only cfg.DB, cfg.Objects and cfg.Logger.
func Health(cfg Config) http.Handler {
	var probes []route
	for _, rt := range routes {
		if rt.path == "/healthz" || rt.path == "/readyz" {
			probes = append(probes, rt)
		}
	}
	return newServer(cfg.withDefaults(), probes).root()
}

func newServer(cfg Config, table []route) *server {
	s := &server{cfg: cfg, log: cfg.Logger, mux: http.NewServeMux()}
	for _, rt := range table {
		var h http.Handler = s.handler(rt.handle)
		if rt.role != "" {
			h = RequireRole(cfg.DB, rt.role, h, cfg.Logger)
		}
		pattern := rt.method + " " + rt.path
		if cfg.Instrument != nil {
			h = cfg.Instrument(pattern, h)
		}
		s.mux.Handle(pattern, h)
	}
	return s
}

// root is the server's handler: a request id (kept when the serve
// process's outer handler gave one), panics recovered, then routing.
func (s *server) root() http.Handler {
	return jsonhttp.RequestID(recoverPanics(s.log, http.HandlerFunc(s.serveHTTP)))
}

// serveHTTP routes the request, answering the mux's own "no such path" and
// "wrong method" in the API's JSON error shape rather than as plain text.
func (s *server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if h, pattern := s.mux.Handler(r); pattern == "" {
		rec := &statusOnly{header: http.Header{}}
		h.ServeHTTP(rec, r)
		if allow := rec.header.Get("Allow"); allow != "" {
			w.Header().Set("Allow", allow)
		}
		if rec.status == http.StatusMethodNotAllowed {
			s.writeError(w, r, errMethodNotAllowed)
		} else {
			s.writeError(w, r, errNoRoute)
		}
		return
	}
	s.mux.ServeHTTP(w, r)
}

// statusOnly records the status and headers of the mux's built-in 404 and
// 405 handlers and drops their plain-text body.
type statusOnly struct {
	header http.Header
	status int
}

func (s *statusOnly) Header() http.Header         { return s.header }
func (s *statusOnly) Write(b []byte) (int, error) { return len(b), nil }
func (s *statusOnly) WriteHeader(code int)        { s.status = code }

// handler adapts a handler that returns an error: the error is answered in
// the one JSON error shape, by errorResponse.
func (s *server) handler(h func(s *server, w http.ResponseWriter, r *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(s, w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}

//go:embed openapi.json
var openAPIDoc []byte

func (s *server) openAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(openAPIDoc) // a client gone mid-answer needs nothing more
	return nil
}
