package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/pervichka/pervichka/jsonhttp"
	"github.com/pervichka/pervichka/storage/db/dbtest"
	"github.com/pervichka/pervichka/storage/objects/objectstest"
)

// TestOneErrorShape: an integrator parses errors once. One error of each
// JSON surface a serve process mounts — the API, the ledger's routes, the
// intake admin's, a contractor's upload link and the review UI's JSON
// endpoints — decodes into jsonhttp.ErrorBody with nothing left over, with
// a code, a Russian message and the request id the answer's header names.
func TestOneErrorShape(t *testing.T) {
	dbURL, storeURL := dbtest.SQLiteURL(t), objectstest.FileURL(t)
	runBinary(t, "migrate", "--db", dbURL)
	lastLine := func(s string) string { l := strings.Split(strings.TrimSpace(s), "\n"); return l[len(l)-1] }
	admin := lastLine(runBinary(t, "token", "create", "--name", "admin", "--role", "admin", "--db", dbURL))
	service := lastLine(runBinary(t, "token", "create", "--name", "svc", "--db", dbURL))
	srv := startServer(t, dbURL, storeURL, "--ocr-workers", "1")

	for _, tc := range []struct {
		surface, method, path, token, accept string
		status                               int
		code                                 string
	}{
		{"api", "GET", "/api/v1/documents/999", service, "", http.StatusNotFound, "not_found"},
		{"ledger", "GET", "/api/v1/ledger?limit=0", service, "", http.StatusBadRequest, "bad_request"},
		{"intake", "GET", "/intake/messages?outcome=lost", admin, "", http.StatusBadRequest, "bad_request"},
		{"upload link", "POST", "/u/no-such-link/files", "", "application/json", http.StatusNotFound, "not_found"},
		{"review", "POST", "/review/validate", "", "application/json", http.StatusUnauthorized, "unauthorized"},
	} {
		t.Run(tc.surface, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, srv.url+tc.path, nil)
			if tc.token != "" {
				req.Header.Set("Authorization", "Bearer "+tc.token)
			}
			if tc.accept != "" {
				req.Header.Set("Accept", tc.accept)
			}
			id := "shape-" + strings.ReplaceAll(tc.surface, " ", "-")
			req.Header.Set("X-Request-Id", id)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var buf bytes.Buffer
			_, _ = buf.ReadFrom(resp.Body)
			dec := json.NewDecoder(bytes.NewReader(buf.Bytes()))
			dec.DisallowUnknownFields()
			var body jsonhttp.ErrorBody
			if err := dec.Decode(&body); err != nil {
				t.Fatalf("%s %s: %d %s: not the one error shape: %v", tc.method, tc.path, resp.StatusCode, buf.String(), err)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q", ct)
			}
			e := body.Error
			if resp.StatusCode != tc.status || e.Code != tc.code || e.Message == "" || e.RequestID != id || resp.Header.Get("X-Request-Id") != id {
				t.Errorf("%s %s: %d %+v, header id %q; want %d %s with request id %q",
					tc.method, tc.path, resp.StatusCode, e, resp.Header.Get("X-Request-Id"), tc.status, tc.code, id)
			}
		})
	}
}
