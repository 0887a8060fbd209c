package main

import (
	"bytes"
	"fmt"
	"maps"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/db/dbtest"
	"github.com/pervichka/pervichka/storage/objects/objectstest"
)

// resumeBound is how soon a restarted embedded deployment must take up the
// documents its killed life was ingesting (issue 15 item 5: they used to
// wait for River's rescuer, 5½ minutes with the default --job-timeout).
// It covers the process's start, migrations included, with room for a
// loaded machine; the resume itself is one UPDATE before the first fetch.
const resumeBound = 30 * time.Second

// TestEmbeddedRestartResumes is issue 15 item 5 at the level an admin meets
// it: one `serve` process on SQLite and a local folder, with the default
// --job-timeout and --rescue-after, takes an upload through the HTTP API
// and is killed with SIGKILL while ingest jobs run. Started again, it must
// take the documents out of received within resumeBound, and run again
// only the jobs the dead process was running: each of them once more,
// every other job once, every document's history received → processing →
// verdict exactly once.
func TestEmbeddedRestartResumes(t *testing.T) {
	ctx := t.Context()
	dbURL, storeURL := dbtest.SQLiteURL(t), objectstest.FileURL(t)
	d, _ := openShared(t, dbURL, storeURL)
	out := strings.Split(strings.TrimSpace(runBinary(t, "token", "create", "--name", "restart", "--db", dbURL)), "\n")
	token := out[len(out)-1]
	srv := startServer(t, dbURL, storeURL, "--ocr-workers", "1")

	// Born-digital PDFs of two and three pages keep both ingest workers
	// busy for seconds (a text layer per page, no OCR); two photos put a
	// page job in flight as well.
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "corpus", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	pdfs := [][]byte{read("026-contract.pdf"), read("029-contract.pdf"), read("015-upd.pdf"), read("022-upd.pdf")}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	add := func(name string, b []byte) {
		part, err := mw.CreateFormFile("file", name)
		if err != nil {
			t.Fatal(err)
		}
		part.Write(b)
	}
	add("act-photo.jpg", read("008-act-photo.jpg"))
	add("upd-photo.jpg", read("005-upd-photo.jpg"))
	const files = 42
	for i := range files - 2 {
		add(fmt.Sprintf("doc-%02d.pdf", i), variant(pdfs[i%len(pdfs)], i))
	}
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, srv.url+"/api/v1/documents", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	var up struct {
		Documents []struct {
			ID int64 `json:"id"`
		} `json:"documents"`
	}
	if code := doJSON(t, req, &up); code != http.StatusCreated || len(up.Documents) != files {
		t.Fatalf("upload: %d, %d documents, want %d", code, len(up.Documents), files)
	}
	var ids []int64
	for _, doc := range up.Documents {
		ids = append(ids, doc.ID)
	}

	deadline := time.Now().Add(time.Minute)
	for runningJobs(t, d, "ingest") == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no ingest job started in a minute")
		}
		time.Sleep(5 * time.Millisecond)
	}
	srv.kill(t)
	// What the dead process left running: these, and only these, may run
	// a second time.
	orphans := jobStates(t, d, "state = 'running'")
	received := scalar(t, d, "SELECT count(*) FROM documents WHERE state = 'received'")
	t.Logf("killed serve with %d jobs running (%v), %d documents received", len(orphans), slices.Sorted(maps.Values(orphans)), received)
	if !slices.Contains(slices.Collect(maps.Values(orphans)), "ingest") {
		t.Fatal("no ingest job was running when serve was killed")
	}

	restarted := time.Now()
	startServer(t, dbURL, storeURL, "--ocr-workers", "1")
	for {
		n := scalar(t, d, "SELECT count(*) FROM documents WHERE state = 'received'")
		if n == 0 {
			break
		}
		if time.Since(restarted) > resumeBound {
			t.Fatalf("%d documents still received %s after the restart", n, resumeBound)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("every document left received %s after the restart began", time.Since(restarted).Round(time.Millisecond))

	settle(t, d, ids, 5*time.Minute)
	if n := scalar(t, d, "SELECT count(*) FROM river_job WHERE state <> 'completed'"); n != 0 {
		t.Errorf("%d jobs not completed", n)
	}
	again := jobStates(t, d, "attempt > 1")
	if !maps.Equal(again, orphans) {
		t.Errorf("jobs run more than once: %v; want exactly those the killed process was running: %v", again, orphans)
	}
	if n := scalar(t, d, "SELECT count(*) FROM river_job WHERE attempt > 2"); n != 0 {
		t.Errorf("%d jobs ran three times or more", n)
	}
	for _, id := range ids {
		doc, err := d.GetDocument(ctx, nil, id)
		if err != nil {
			t.Fatal(err)
		}
		want := []db.State{db.StateReceived, db.StateProcessing, doc.State}
		switch doc.State {
		case db.StatePosted:
			want = []db.State{db.StateReceived, db.StateProcessing, db.StateAutoApproved, db.StatePosted}
		case db.StateNeedsReview:
		default:
			t.Errorf("document %d (%s): %s %s", id, doc.FileName, doc.State, doc.FailureReason)
			continue
		}
		events, err := d.Events(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var path []db.State
		for _, e := range events {
			path = append(path, e.To)
		}
		if !slices.Equal(path, want) {
			t.Errorf("document %d: history %v, want %v", id, path, want)
		}
	}
}

// jobStates returns the kind of every River job matching where, by id.
func jobStates(t *testing.T, d *db.DB, where string) map[int64]string {
	t.Helper()
	rows, err := d.SQL().QueryContext(t.Context(), "SELECT id, kind FROM river_job WHERE "+where)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	jobs := map[int64]string{}
	for rows.Next() {
		var id int64
		var kind string
		if err := rows.Scan(&id, &kind); err != nil {
			t.Fatal(err)
		}
		jobs[id] = kind
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return jobs
}
