package jsonhttp_test

import (
	"encoding/json"
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
