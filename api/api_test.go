package api

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"syscall"
	"testing"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/jsonhttp"
	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/db/dbtest"
	"github.com/pervichka/pervichka/storage/objects"
)

// concretePath fills a route's path parameters with the given document id
// and page 0.
func concretePath(path string, id int64) string {
	path = strings.ReplaceAll(path, "{id}", fmt.Sprint(id))
	return strings.ReplaceAll(path, "{n}", "0")
}

// Every authenticated route refuses a request without a token, with an
// unknown, malformed or revoked one (401 with a challenge), and admin
// routes refuse a service token (403); routes without a role answer
// anonymous requests.
func TestAuth(t *testing.T) {
	forEngines(t, func(t *testing.T, dbURL string) {
		e := newEnv(t, dbURL, nil)
		id, _, _, _ := e.processed("a.png")
		revoked, err := e.db.CreateToken(t.Context(), "old", db.RoleAdmin)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.db.RevokeToken(t.Context(), "old"); err != nil {
			t.Fatal(err)
		}
		forged := "pvk_" + strings.Repeat("A", len(revoked)-4)
		before := e.documentCount()
		for _, rt := range routes {
			path := concretePath(rt.path, id)
			name := rt.method + " " + rt.path
			if rt.role == "" {
				if r := e.do(rt.method, path, "", "", nil); r.status != http.StatusOK {
					t.Errorf("%s anonymous: %d %s", name, r.status, r.body)
				}
				continue
			}
			for _, tc := range []struct{ what, header string }{
				{"no header", ""},
				{"forged token", "Bearer " + forged},
				{"revoked token", "Bearer " + revoked},
				{"token as a Basic user name", "Basic " + base64.StdEncoding.EncodeToString([]byte(e.admin+":"))},
				{"Basic with a wrong password", "Basic " + base64.StdEncoding.EncodeToString([]byte("ops:"+forged))},
				{"unknown scheme", "Token " + e.admin},
				{"bare token", e.admin},
				{"empty bearer", "Bearer "},
			} {
				req, _ := http.NewRequestWithContext(t.Context(), rt.method, e.srv.URL+path, nil)
				if tc.header != "" {
					req.Header.Set("Authorization", tc.header)
				}
				resp, err := e.srv.Client().Do(req)
				if err != nil {
					t.Fatal(err)
				}
				r := reply{status: resp.StatusCode, header: resp.Header}
				r.body, _ = readAll(resp)
				code, _ := r.errorCode(t)
				challenges := r.header.Values("WWW-Authenticate")
				if r.status != http.StatusUnauthorized || code != "unauthorized" || len(challenges) != 2 ||
					!strings.HasPrefix(challenges[0], "Bearer") || !strings.HasPrefix(challenges[1], "Basic") {
					t.Errorf("%s with %s: %d %s, WWW-Authenticate %q", name, tc.what, r.status, code, r.header.Get("WWW-Authenticate"))
				}
			}
			if rt.role == db.RoleAdmin {
				r := e.do(rt.method, path, e.service, "", nil)
				if code, _ := r.errorCode(t); r.status != http.StatusForbidden || code != "forbidden" {
					t.Errorf("%s with a service token: %d %s", name, r.status, code)
				}
			}
		}
		// The scheme name is case-insensitive; a browser's Basic credentials
		// carry the token as the password.
		for _, header := range []string{
			"bearer " + e.service,
			"Basic " + base64.StdEncoding.EncodeToString([]byte("anyone:"+e.service)),
		} {
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, e.srv.URL+pathOf(id, ""), nil)
			req.Header.Set("Authorization", header)
			resp, err := e.srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("Authorization %q: %s", header, resp.Status)
			}
		}
		if n := e.documentCount(); n != before {
			t.Errorf("refused requests changed the documents: %d → %d", before, n)
		}
	})
}

func readAll(resp *http.Response) ([]byte, error) {
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

// RequireRole alone, as cmd uses it for pages outside the API: the wrapped
// handler sees the token; a database that cannot answer is a 503.
func TestRequireRole(t *testing.T) {
	e := newEnv(t, dbtest.SQLiteURL(t), nil)
	var seen db.Token
	h := RequireRole(e.db, db.RoleAdmin, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen, _ = TokenFrom(r.Context())
		w.WriteHeader(http.StatusNoContent)
	}), nil)
	srv := httptest.NewServer(h)
	defer srv.Close()
	call := func(token string) int {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+"/riverui/", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if s := call(e.admin); s != http.StatusNoContent || seen.Name != "ops" {
		t.Errorf("admin: %d, token %+v", s, seen)
	}
	if s := call(e.service); s != http.StatusForbidden {
		t.Errorf("service: %d", s)
	}
	down := RequireRole(transientTokens{}, db.RoleAdmin, h, nil)
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+e.admin)
	down.ServeHTTP(rec, req)
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
		t.Errorf("database down: %d %v", rec.Code, rec.Header())
	}
}

// transientTokens is a token store that is down: the real one cannot be
// made to fail transiently on demand.
type transientTokens struct{}

func (transientTokens) Authenticate(context.Context, string) (db.Token, error) {
	return db.Token{}, fmt.Errorf("authenticate: %w", db.ErrTransient)
}

// The route table that registers the mux and api/openapi.json describe the
// same paths and methods, and the document's security matches each route's.
func TestOpenAPICoversRoutes(t *testing.T) {
	var doc struct {
		OpenAPI  string                                `json:"openapi"`
		Security []map[string][]string                 `json:"security"`
		Paths    map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1") || len(doc.Security) != 2 {
		t.Fatalf("openapi %q, security %v", doc.OpenAPI, doc.Security)
	}
	var documented, served []string
	for path, ops := range doc.Paths {
		for method, raw := range ops {
			var op struct {
				Security *[]map[string][]string `json:"security"`
				// Operations another package serves beside the API (the
				// ledger's) carry its name; that package's tests check them.
				ServedBy string `json:"x-served-by"`
			}
			if err := json.Unmarshal(raw, &op); err != nil {
				t.Fatal(err)
			}
			if op.ServedBy != "" {
				continue
			}
			documented = append(documented, strings.ToUpper(method)+" "+path)
			open := op.Security != nil && len(*op.Security) == 0
			for _, rt := range routes {
				if rt.method == strings.ToUpper(method) && rt.path == path && open != (rt.role == "") {
					t.Errorf("%s %s: documented as open=%v, route role %q", method, path, open, rt.role)
				}
			}
		}
	}
	for _, rt := range routes {
		served = append(served, rt.method+" "+rt.path)
	}
	sort.Strings(documented)
	sort.Strings(served)
	for _, s := range served {
		if !slices.Contains(documented, s) {
			t.Errorf("route %s is missing from api/openapi.json", s)
		}
	}
	for _, d := range documented {
		if !slices.Contains(served, d) {
			t.Errorf("api/openapi.json documents %s, which no route serves", d)
		}
	}

	// And the mux built from the table routes each documented operation to
	// its own pattern.
	e := newEnv(t, dbtest.SQLiteURL(t), nil)
	s := newServer(Config{DB: e.db, Objects: e.store, Pipeline: e.pipe}.withDefaults(), routes)
	for _, d := range documented {
		method, path, _ := strings.Cut(d, " ")
		req := httptest.NewRequest(method, concretePath(path, 1), nil)
		if _, pattern := s.mux.Handler(req); pattern != d {
			t.Errorf("%s is routed to %q", d, pattern)
		}
	}
}

// Every $ref in the document resolves.
func TestOpenAPIRefsResolve(t *testing.T) {
	var doc any
	if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
		t.Fatal(err)
	}
	var walk func(v any)
	refs := 0
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if ref, ok := x["$ref"].(string); ok {
				refs++
				var at any = doc
				for _, seg := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
					m, _ := at.(map[string]any)
					at = m[seg]
				}
				if at == nil {
					t.Errorf("$ref %s does not resolve", ref)
				}
			}
			for _, c := range x {
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(doc)
	if refs == 0 {
		t.Fatal("no $ref found: the walk is broken")
	}
}

// errorResponse maps each kind of error to its status and code, and never
// shows an unexpected error's text.
func TestErrorResponse(t *testing.T) {
	for _, tc := range []struct {
		name   string
		err    error
		status int
		code   string
	}{
		{"db not found", fmt.Errorf("get: %w", db.ErrNotFound), 404, "not_found"},
		{"illegal transition", fmt.Errorf("x: %w", db.ErrIllegalTransition), 409, "conflict"},
		{"conflict", fmt.Errorf("x: %w", db.ErrConflict), 409, "conflict"},
		{"db transient", fmt.Errorf("x: %w", db.ErrTransient), 503, "unavailable"},
		{"objects transient", &objects.OpError{Op: "get", Key: "k", Err: fmt.Errorf("dial: %w", syscall.ECONNREFUSED)}, 503, "unavailable"},
		{"deadline", context.DeadlineExceeded, 503, "unavailable"},
		{"too large", pervichka.Errorf(pervichka.CodeTooLarge, "x"), 413, "too_large"},
		{"unsupported", fmt.Errorf("upload: %w", pervichka.Errorf(pervichka.CodeUnsupported, "x")), 415, "unsupported_type"},
		{"empty", pervichka.Errorf(pervichka.CodeEmpty, "x"), 422, "empty"},
		{"encrypted", pervichka.Errorf(pervichka.CodeEncrypted, "x"), 422, "encrypted"},
		{"pervichka internal", pervichka.Errorf(pervichka.CodeInternal, "x"), 500, "internal"},
		{"max bytes", &http.MaxBytesError{Limit: 10}, 413, "request_too_large"},
		{"objects not found", &objects.OpError{Op: "get", Key: "k", Err: objects.ErrNotFound}, 500, "internal"},
		{"anything else", errors.New("pq: password for 10.0.0.7"), 500, "internal"},
		{"file content", &fileError{name: "a.txt", err: pervichka.Errorf(pervichka.CodeUnsupported, "x")}, 415, "unsupported_type"},
		{"file outage", &fileError{name: "a.png", err: fmt.Errorf("x: %w", db.ErrTransient)}, 503, "unavailable"},
	} {
		status, info := errorResponse(tc.err)
		if status != tc.status || info.Code != tc.code || !hasCyrillic(info.Message) {
			t.Errorf("%s: %d %+v, want %d %s", tc.name, status, info, tc.status, tc.code)
		}
		if strings.Contains(info.Message, "10.0.0.7") {
			t.Errorf("%s: message leaks the error: %q", tc.name, info.Message)
		}
	}
}

// Through HTTP: a pipeline outage is 503 with Retry-After, an unexpected
// error is 500 with an id that is also in the log (with the error, which
// the client does not see), and a panic is the same 500 with the server
// still serving.
func TestErrorsOverHTTP(t *testing.T) {
	e := newEnv(t, dbtest.SQLiteURL(t), nil)

	e.pipe.fail(fmt.Errorf("submit: %w", db.ErrTransient))
	r := e.upload(e.service, file("a.png", fakePNG(100)))
	if code, _ := r.errorCode(t); r.status != http.StatusServiceUnavailable || code != "unavailable" || r.header.Get("Retry-After") == "" {
		t.Errorf("transient: %d %s %v", r.status, code, r.header)
	}

	e.pipe.fail(errInjected)
	r = e.upload(e.service, file("a.png", fakePNG(100)))
	var b jsonhttp.ErrorBody
	r.json(t, &b)
	if r.status != http.StatusInternalServerError || b.Error.Code != "internal" || b.Error.ID == "" ||
		strings.Contains(string(r.body), "10.0.0.7") || !strings.Contains(b.Error.Message, b.Error.ID) {
		t.Errorf("internal: %d %s", r.status, r.body)
	}
	if logs := e.logs.String(); !strings.Contains(logs, "request_id="+b.Error.ID) || !strings.Contains(logs, "10.0.0.7") {
		t.Errorf("the log lacks the request id %s or the error:\n%s", b.Error.ID, logs)
	}
	if b.Error.RequestID != b.Error.ID || r.header.Get("X-Request-Id") != b.Error.ID {
		t.Errorf("500: request_id %q, id %q, header %q: want one id", b.Error.RequestID, b.Error.ID, r.header.Get("X-Request-Id"))
	}

	e.pipe.mu.Lock()
	e.pipe.panics = true
	e.pipe.mu.Unlock()
	r = e.upload(e.service, file("a.png", fakePNG(100)))
	r.json(t, &b)
	if r.status != http.StatusInternalServerError || b.Error.Code != "internal" || b.Error.ID == "" {
		t.Errorf("panic: %d %s", r.status, r.body)
	}
	if logs := e.logs.String(); !strings.Contains(logs, "injected panic") || !strings.Contains(logs, b.Error.ID) {
		t.Errorf("the log lacks the panic:\n%s", logs)
	}
	if r := e.upload(e.service, file("a.png", fakePNG(100))); r.status != http.StatusCreated {
		t.Errorf("after a panic: %d %s", r.status, r.body)
	}

	// The mux's own 404 and 405 come in the same shape.
	r = e.get("/api/v1/nothing", e.service)
	if code, _ := r.errorCode(t); r.status != http.StatusNotFound || code != "not_found" {
		t.Errorf("unknown path: %d %s", r.status, code)
	}
	r = e.do(http.MethodDelete, "/api/v1/documents", e.admin, "", nil)
	if code, _ := r.errorCode(t); r.status != http.StatusMethodNotAllowed || code != "method_not_allowed" || !strings.Contains(r.header.Get("Allow"), "POST") {
		t.Errorf("wrong method: %d %s %v", r.status, code, r.header)
	}
}

func TestHealth(t *testing.T) {
	forEngines(t, func(t *testing.T, dbURL string) {
		e := newEnv(t, dbURL, nil)
		for _, p := range []string{"/healthz", "/readyz"} {
			if r := e.get(p, ""); r.status != http.StatusOK {
				t.Errorf("%s: %d %s", p, r.status, r.body)
			}
		}
		if r := e.get("/api/v1/openapi.json", ""); r.status != http.StatusOK || !json.Valid(r.body) {
			t.Errorf("openapi.json: %d", r.status)
		}

		// Health alone serves the probes and nothing else.
		probes := httptest.NewServer(Health(Config{DB: e.db, Objects: e.store}))
		defer probes.Close()
		for path, want := range map[string]int{"/healthz": 200, "/readyz": 200, "/api/v1/documents": 404} {
			resp, err := probes.Client().Get(probes.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != want {
				t.Errorf("Health %s: %d, want %d", path, resp.StatusCode, want)
			}
		}

		// The object store stops taking writes, then goes away, then the
		// database: /readyz names each, /healthz does not care.
		if unwritable(t, e.store) {
			var rr readyReply
			r := e.get("/readyz", "")
			r.json(t, &rr)
			if r.status != http.StatusServiceUnavailable || rr.Checks["objects"] != "failed" || r.header.Get("Retry-After") == "" {
				t.Errorf("objects unwritable: %d %s", r.status, r.body)
			}
			up := e.upload(e.service, file("a.png", fakePNG(100)))
			if code, _ := up.errorCode(t); up.status != http.StatusServiceUnavailable || code != "unavailable" || up.header.Get("Retry-After") == "" {
				t.Errorf("upload to unwritable objects: %d %s", up.status, up.body)
			}
			writable(t, e.store)
			if r := e.get("/readyz", ""); r.status != http.StatusOK {
				t.Errorf("objects writable again: %d %s", r.status, r.body)
			}
		}
		e.store.Close()
		var rr readyReply
		r := e.get("/readyz", "")
		r.json(t, &rr)
		if r.status != http.StatusServiceUnavailable || rr.Checks["objects"] != "failed" || rr.Checks["database"] != "ok" {
			t.Errorf("objects down: %d %s", r.status, r.body)
		}
		e.db.Close()
		r = e.get("/readyz", "")
		r.json(t, &rr)
		if r.status != http.StatusServiceUnavailable || rr.Checks["database"] != "failed" || r.header.Get("Retry-After") == "" {
			t.Errorf("database down: %d %s", r.status, r.body)
		}
		if r := e.get("/healthz", ""); r.status != http.StatusOK {
			t.Errorf("healthz with dependencies down: %d", r.status)
		}
	})
}
