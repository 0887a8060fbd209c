package main

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pervichka/pervichka/storage/db/dbtest"
	"github.com/pervichka/pervichka/storage/objects/objectstest"
)

// userAdd runs `pervichka user add` with the password on stdin.
func userAdd(t *testing.T, dbURL, name, role, password string) (string, error) {
	t.Helper()
	cmd := exec.Command(binary(t), "user", "add", "--name", name, "--role", role, "--db", dbURL)
	cmd.Stdin = strings.NewReader(password + "\n")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func TestUserAddCommand(t *testing.T) {
	dbURL := dbtest.SQLiteURL(t)
	runBinary(t, "migrate", "--db", dbURL)
	if out, err := userAdd(t, dbURL, "ivanova", "clerk", "correct horse battery"); err != nil || !strings.Contains(out, "user ivanova (clerk) added") {
		t.Fatalf("user add: %v\n%s", err, out)
	}
	for _, c := range []struct{ name, role, password, want string }{
		{"ivanova", "clerk", "another long password", "already exists"},
		{"petrov", "clerk", "short", "at least 10 characters"},
		{"petrov", "boss", "correct horse battery", "want clerk or admin"},
		{"", "clerk", "correct horse battery", "--name is required"},
	} {
		out, err := userAdd(t, dbURL, c.name, c.role, c.password)
		if err == nil || !strings.Contains(out, c.want) {
			t.Errorf("user add %q %q: %v, output %q; want %q", c.name, c.role, err, out, c.want)
		}
	}
	// A password as an argument is refused, not taken.
	cmd := exec.Command(binary(t), "user", "add", "--name", "sidorov", "--db", dbURL, "correct horse battery")
	cmd.Stdin = strings.NewReader("")
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "read from stdin") {
		t.Errorf("password as an argument: %v %s", err, out)
	}
}

// TestServeReview runs `pervichka serve` with the review UI: a document
// goes through the real pipeline, a clerk created by `user add` signs in,
// sees the queue and opens the document.
func TestServeReview(t *testing.T) {
	dbURL, storeURL := dbtest.SQLiteURL(t), objectstest.FileURL(t)
	runBinary(t, "migrate", "--db", dbURL)
	if out, err := userAdd(t, dbURL, "ivanova", "clerk", "correct horse battery"); err != nil {
		t.Fatalf("user add: %v\n%s", err, out)
	}
	out := strings.Split(strings.TrimSpace(runBinary(t, "token", "create", "--name", "e2e", "--db", dbURL)), "\n")
	token := out[len(out)-1]
	t.Setenv("PERVICHKA_REVIEW_INSECURE_COOKIES", "true")
	srv := startServer(t, dbURL, storeURL, "--ocr-workers", "1")

	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "corpus", "007-upd.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	part, _ := mw.CreateFormFile("file", "007-upd.pdf")
	part.Write(b)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, srv.url+"/api/v1/documents", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	var up struct {
		Documents []struct {
			ID int64 `json:"id"`
		} `json:"documents"`
	}
	if code := doJSON(t, req, &up); code != http.StatusCreated || len(up.Documents) != 1 {
		t.Fatalf("upload: %d", code)
	}
	id := up.Documents[0].ID
	deadline := time.Now().Add(2 * time.Minute)
	for {
		var doc struct {
			State string `json:"state"`
		}
		req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/api/v1/documents/%d", srv.url, id), nil)
		req.Header.Set("Authorization", "Bearer "+token)
		doJSON(t, req, &doc)
		if doc.State != "received" && doc.State != "processing" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("document still %s", doc.State)
		}
		time.Sleep(100 * time.Millisecond)
	}

	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	get := func(path string) (int, string) {
		resp, err := c.Get(srv.url + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	// / leads the anonymous to the login form; the API keeps its paths.
	status, page := get("/")
	if status != http.StatusOK || !strings.Contains(page, `action="/login"`) {
		t.Fatalf("GET /: %d", status)
	}
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)[1]
	resp, err := c.PostForm(srv.url+"/login", url.Values{"name": {"ivanova"}, "password": {"correct horse battery"}, "csrf": {csrf}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/review" {
		t.Fatalf("login: %d at %s", resp.StatusCode, resp.Request.URL)
	}
	if status, page = get(fmt.Sprintf("/review/%d", id)); status != http.StatusOK || !strings.Contains(page, "007-upd.pdf") || !strings.Contains(page, "Агромонтаж") {
		t.Fatalf("document page: %d\n%.1000s", status, page)
	}
	if status, _ := get("/api/v1/documents"); status != http.StatusUnauthorized {
		t.Errorf("a review session opened the API: %d", status)
	}
}
