package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pervichka/pervichka/storage/db/dbtest"
	"github.com/pervichka/pervichka/storage/objects/objectstest"
)

// startReceiver runs the ledger's test webhook receiver as a process.
func startReceiver(t *testing.T, args ...string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "testreceiver")
	if out, err := exec.Command("go", "build", "-o", bin, "../../ledger/internal/testreceiver").CombinedOutput(); err != nil {
		t.Fatalf("build receiver: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(strings.TrimPrefix(line, "listening "))
}

func authed(t *testing.T, method, url, token string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return req
}

type ledgerPage struct {
	Postings []struct {
		ID         int64  `json:"id"`
		Position   int64  `json:"position"`
		DocumentID int64  `json:"document_id"`
		Register   string `json:"register"`
		Links      struct {
			Original string `json:"original"`
		} `json:"links"`
	} `json:"postings"`
	NextCursor string `json:"next_cursor"`
	Next       string `json:"next"` // deprecated name, still written
}

// TestServeLedger: a serve process with the ledger wired posts an
// auto-approved upload, delivers it to the webhook, serves it on
// GET /api/v1/ledger to a service token, lists deliveries to an admin, and
// the ledger command exports and lists from the same database. The state
// webhook, set too, delivers every change of both documents, as their
// histories have them.
func TestServeLedger(t *testing.T) {
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			const secret = "serve-secret"
			hook := startReceiver(t, "-secret", secret, "-fail-first", "1")
			dbURL, storeURL := e.URL(t), objectstest.FileURL(t)
			runBinary(t, "migrate", "--db", dbURL)
			tokenOf := func(name, role string) string {
				out := strings.Split(strings.TrimSpace(runBinary(t, "token", "create", "--name", name, "--role", role, "--db", dbURL)), "\n")
				return out[len(out)-1]
			}
			service, admin := tokenOf("erp", "service"), tokenOf("root", "admin")
			t.Setenv("PERVICHKA_WEBHOOK_URL", hook+"/hook")
			t.Setenv("PERVICHKA_WEBHOOK_SECRET", secret)
			t.Setenv("PERVICHKA_WEBHOOK_BACKOFF", "50ms")
			t.Setenv("PERVICHKA_PUBLIC_URL", "https://pervichka.example")
			states := newStateReceiver(t, secret)
			t.Setenv("PERVICHKA_STATE_WEBHOOK_URL", states.URL)
			srv := startServer(t, dbURL, storeURL, "--ocr-workers", "1")

			// 008-act.pdf is auto-approved with companies.json;
			// 001-invoice.pdf names none of our companies and waits.
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			for _, f := range []string{"008-act.pdf", "001-invoice.pdf"} {
				part, _ := mw.CreateFormFile("file", f)
				b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "corpus", f))
				if err != nil {
					t.Fatal(err)
				}
				part.Write(b)
			}
			mw.Close()
			req := authed(t, http.MethodPost, srv.url+"/api/v1/documents", service)
			req.Body = io.NopCloser(&body)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			var up struct {
				Documents []struct {
					ID int64 `json:"id"`
				} `json:"documents"`
			}
			if code := doJSON(t, req, &up); code != http.StatusCreated || len(up.Documents) != 2 {
				t.Fatalf("upload: %d %+v", code, up)
			}
			act := up.Documents[0].ID

			var page ledgerPage
			deadline := time.Now().Add(2 * time.Minute)
			for {
				if code := doJSON(t, authed(t, http.MethodGet, srv.url+"/api/v1/ledger?after=0&limit=10", service), &page); code != http.StatusOK {
					t.Fatalf("GET /api/v1/ledger: %d", code)
				}
				if len(page.Postings) > 0 || time.Now().After(deadline) {
					break
				}
				time.Sleep(200 * time.Millisecond)
			}
			if len(page.Postings) != 1 || page.Postings[0].DocumentID != act || page.Postings[0].Register != "journal" {
				t.Fatalf("ledger page %+v, want the act's posting", page)
			}
			if want := fmt.Sprintf("https://pervichka.example/api/v1/documents/%d/original", act); page.Postings[0].Links.Original != want {
				t.Errorf("original link %q, want %q", page.Postings[0].Links.Original, want)
			}
			if page.NextCursor != fmt.Sprint(page.Postings[0].Position) || page.Next != page.NextCursor {
				t.Errorf("next_cursor %q, next %q after position %d", page.NextCursor, page.Next, page.Postings[0].Position)
			}
			// The one dialect (cursor, next_cursor); after= above is its
			// deprecated name and still pages the same.
			var empty ledgerPage
			if code := doJSON(t, authed(t, http.MethodGet, srv.url+"/api/v1/ledger?cursor="+page.NextCursor, service), &empty); code != http.StatusOK ||
				len(empty.Postings) != 0 || empty.NextCursor != page.NextCursor {
				t.Errorf("page after the last: %d %+v, want empty with the same cursor", code, empty)
			}
			var again ledgerPage
			if code := doJSON(t, authed(t, http.MethodGet, srv.url+"/api/v1/ledger?cursor=0", service), &again); code != http.StatusOK ||
				len(again.Postings) != 1 {
				t.Errorf("cursor=0: %d %+v, want the posting", code, again)
			}
			var bad struct {
				Error struct {
					Code      string `json:"code"`
					RequestID string `json:"request_id"`
				} `json:"error"`
			}
			if code := doJSON(t, authed(t, http.MethodGet, srv.url+"/api/v1/ledger?cursor=abc", service), &bad); code != http.StatusBadRequest ||
				bad.Error.Code != "bad_request" || bad.Error.RequestID == "" {
				t.Errorf("bad cursor: %d %+v, want 400 bad_request in the one error shape", code, bad)
			}
			for _, c := range []struct {
				url, token string
				want       int
			}{
				{"/api/v1/ledger?after=abc", service, http.StatusBadRequest},
				{"/api/v1/ledger?limit=0", service, http.StatusBadRequest},
				{"/api/v1/ledger", "", http.StatusUnauthorized},
				{"/api/v1/ledger/deliveries", service, http.StatusForbidden},
			} {
				var ignored any
				if code := doJSON(t, authed(t, http.MethodGet, srv.url+c.url, c.token), &ignored); code != c.want {
					t.Errorf("GET %s: %d, want %d", c.url, code, c.want)
				}
			}

			// The receiver failed the first attempt; the retry delivers.
			var dels struct {
				Deliveries []struct {
					ID       int64 `json:"id"`
					Attempts int   `json:"attempts"`
				} `json:"deliveries"`
			}
			for {
				doJSON(t, authed(t, http.MethodGet, srv.url+"/api/v1/ledger/deliveries?state=delivered", admin), &dels)
				if len(dels.Deliveries) > 0 || time.Now().After(deadline) {
					break
				}
				time.Sleep(200 * time.Millisecond)
			}
			if len(dels.Deliveries) != 1 || dels.Deliveries[0].Attempts != 2 {
				t.Fatalf("delivered %+v, want one after 2 attempts", dels)
			}
			var ignored any
			url := fmt.Sprintf("%s/api/v1/ledger/deliveries/%d/resend", srv.url, dels.Deliveries[0].ID)
			if code := doJSON(t, authed(t, http.MethodPost, url, admin), &ignored); code != http.StatusConflict {
				t.Errorf("resend of a delivered delivery: %d, want 409", code)
			}

			out := runBinary(t, "ledger", "deliveries", "--state", "delivered", "--db", dbURL)
			if !strings.Contains(out, fmt.Sprintf("%d", dels.Deliveries[0].ID)) || !strings.Contains(out, "delivered") {
				t.Errorf("ledger deliveries:\n%s", out)
			}
			dir := filepath.Join(t.TempDir(), "export")
			out = runBinary(t, "ledger", "export", "--from", "2000-01-01", "--to", "2099-12-31", "--out", dir, "--db", dbURL, "--storage", storeURL)
			if !strings.Contains(out, "exported 1 postings") {
				t.Errorf("ledger export: %s", out)
			}
			csvText, err := os.ReadFile(filepath.Join(dir, "postings-machine.csv"))
			if err != nil || !strings.Contains(string(csvText), ",26,60.01,") || !strings.Contains(string(csvText), ",19,60.01,") {
				t.Errorf("postings-machine.csv lacks the act's Дт 26 and Дт 19 lines (%v):\n%s", err, csvText)
			}
			people, err := os.ReadFile(filepath.Join(dir, "postings.csv"))
			if err != nil || !strings.HasPrefix(string(people), "\ufeffПозиция;") || !strings.Contains(string(people), ";26;60.01;") {
				t.Errorf("postings.csv is not the people's CSV with the act's Дт 26 line (%v):\n%s", err, people)
			}
			if _, err := os.Stat(filepath.Join(dir, "documents", fmt.Sprint(act), "original.pdf")); err != nil {
				t.Errorf("export lacks the original: %v", err)
			}
			// The accountant's formats: the act as ФНС XML by cursor, and
			// the same through the API with a service token.
			xmlDir := filepath.Join(t.TempDir(), "xml")
			out = runBinary(t, "ledger", "export", "--format", "fns-xml", "--after", "0", "--out", xmlDir, "--db", dbURL)
			files, _ := filepath.Glob(filepath.Join(xmlDir, "ON_NSCHFDOPPR_*.xml"))
			if len(files) != 1 || !strings.Contains(out, "exported 1 fns-xml files") || !strings.Contains(out, "next cursor: "+page.Next) {
				t.Fatalf("ledger export --format fns-xml: %v\n%s", files, out)
			}
			xresp, err := http.DefaultClient.Do(authed(t, http.MethodGet, fmt.Sprintf("%s/api/v1/documents/%d/export?format=fns-xml", srv.url, act), service))
			if err != nil {
				t.Fatal(err)
			}
			xbody, _ := io.ReadAll(xresp.Body)
			xresp.Body.Close()
			want, _ := os.ReadFile(files[0])
			if xresp.StatusCode != http.StatusOK || !bytes.Equal(xbody, want) ||
				xresp.Header.Get("Content-Disposition") != "attachment; filename="+filepath.Base(files[0]) {
				t.Errorf("GET export: %d %v, not the CLI's file", xresp.StatusCode, xresp.Header)
			}
			var stats struct {
				Accepted map[string]int `json:"accepted"`
			}
			resp, err := http.Get(hook + "/stats")
			if err != nil {
				t.Fatal(err)
			}
			json.NewDecoder(resp.Body).Decode(&stats)
			resp.Body.Close()
			if key := fmt.Sprintf("pervichka-posting-%d", page.Postings[0].ID); len(stats.Accepted) != 1 || stats.Accepted[key] != 1 {
				t.Errorf("receiver accepted %v, want %s once", stats.Accepted, key)
			}

			// received → processing → auto_approved → posted for the act,
			// received → processing → needs_review for the invoice.
			checkStateChanges(t, states, srv.url, service, act, "posted", deadline)
			checkStateChanges(t, states, srv.url, service, up.Documents[1].ID, "needs_review", deadline)
			states.mu.Lock()
			if states.refused != 0 {
				t.Errorf("the state receiver refused %d deliveries", states.refused)
			}
			states.mu.Unlock()
			var changes struct {
				Changes []struct {
					ID int64 `json:"id"`
				} `json:"changes"`
			}
			if code := doJSON(t, authed(t, http.MethodGet, srv.url+"/api/v1/webhooks/state?state=delivered", admin), &changes); code != http.StatusOK ||
				len(changes.Changes) != len(states.changes(act))+len(states.changes(up.Documents[1].ID)) {
				t.Errorf("GET /api/v1/webhooks/state: %d, %d changes", code, len(changes.Changes))
			}
			if code := doJSON(t, authed(t, http.MethodGet, srv.url+"/api/v1/webhooks/state", service), &ignored); code != http.StatusForbidden {
				t.Errorf("state webhook list with a service token: %d, want 403", code)
			}
		})
	}
}
