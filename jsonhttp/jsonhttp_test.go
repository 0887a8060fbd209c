package jsonhttp_test

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pervichka/pervichka/jsonhttp"
	"github.com/pervichka/pervichka/logctx"
)

// Every answer carries a request id — the caller's when it is plausible —
// and an error answer names it in the one shape.
func TestRequestIDAndErrorShape(t *testing.T) {
	var seen string
	h := jsonhttp.RequestID(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = logctx.RequestID(r.Context())
		jsonhttp.Error(w, r, http.StatusInternalServerError, "internal", "Внутренняя ошибка сервера")
	}))
	for _, tc := range []struct{ given, want string }{
		{"", ""},
		{"proxy-id.123", "proxy-id.123"},
		{"bad id\nforged=1", ""},
		{strings.Repeat("a", 65), ""},
	} {
		req := httptest.NewRequest("GET", "/x", nil)
		if tc.given != "" {
			req.Header.Set("X-Request-Id", tc.given)
		}
		rr := httptest.NewRecorder()
		h.ServeHTTP(rr, req)
		got := rr.Header().Get("X-Request-Id")
		if tc.want != "" && got != tc.want || tc.want == "" && (len(got) != 12 || got == tc.given) {
			t.Errorf("given %q: id %q", tc.given, got)
		}
		var body jsonhttp.ErrorBody
		if err := json.Unmarshal(rr.Body.Bytes(), &body); err != nil {
			t.Fatal(err)
		}
		if body.Error.Code != "internal" || body.Error.RequestID != got || body.Error.ID != got || seen != got {
			t.Errorf("given %q: body %+v, context id %q, header %q", tc.given, body, seen, got)
		}
	}
}

func TestIDPageParams(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		query     string
		after     int64
		limit     int
		wantError bool
	}{
		{query: "", after: 0, limit: 50},
		{query: "cursor=17&limit=3", after: 17, limit: 3},
		{query: "after=9", after: 9, limit: 50}, // the deprecated name
		{query: "cursor=0", after: 0, limit: 50},
		{query: "cursor=-1", wantError: true},
		{query: "cursor=abc", wantError: true},
		{query: "cursor=99999999999999999999", wantError: true},
		{query: "limit=0", wantError: true},
		{query: "limit=1001", wantError: true},
		{query: "limit=x", wantError: true},
	} {
		r := httptest.NewRequest(http.MethodGet, "/list?"+tc.query, nil)
		after, limit, err := jsonhttp.IDPageParams(r, 50, 1000)
		if tc.wantError {
			if err == nil {
				t.Errorf("%q: no error (after %d, limit %d)", tc.query, after, limit)
			}
			continue
		}
		if err != nil || after != tc.after || limit != tc.limit {
			t.Errorf("%q: got %d, %d, %v; want %d, %d", tc.query, after, limit, err, tc.after, tc.limit)
		}
	}
}

func TestNextIDCursor(t *testing.T) {
	t.Parallel()
	if c := jsonhttp.NextIDCursor(3, 3, 42); c == nil || *c != "42" {
		t.Errorf("full page: %v, want 42", c)
	}
	if c := jsonhttp.NextIDCursor(2, 3, 42); c != nil {
		t.Errorf("short page: %q, want nil", *c)
	}
	if c := jsonhttp.NextIDCursor(0, 0, 0); c != nil {
		t.Errorf("empty page: %q, want nil", *c)
	}
}

// ServerError: a passing fault is 503 with Retry-After and not logged as a
// failure; any other is 500, logged with the error.
func TestServerError(t *testing.T) {
	t.Parallel()
	var logged strings.Builder
	log := slog.New(slog.NewTextHandler(&logged, nil))
	for _, tc := range []struct {
		transient  bool
		status     int
		retryAfter string
		logs       bool
	}{
		{transient: true, status: http.StatusServiceUnavailable, retryAfter: "5"},
		{transient: false, status: http.StatusInternalServerError, logs: true},
	} {
		logged.Reset()
		w := httptest.NewRecorder()
		r := httptest.NewRequest(http.MethodGet, "/x", nil)
		jsonhttp.ServerError(w, r, log, "x failed", errors.New("disk on fire"), tc.transient)
		if w.Code != tc.status || w.Header().Get("Retry-After") != tc.retryAfter {
			t.Errorf("transient %v: %d, Retry-After %q", tc.transient, w.Code, w.Header().Get("Retry-After"))
		}
		var body jsonhttp.ErrorBody
		if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || body.Error.Message == "" || strings.Contains(w.Body.String(), "disk on fire") {
			t.Errorf("transient %v: body %s (%v): want the one shape, no internals", tc.transient, w.Body, err)
		}
		if got := strings.Contains(logged.String(), "disk on fire"); got != tc.logs {
			t.Errorf("transient %v: logged %v: %s", tc.transient, got, logged.String())
		}
	}
}
