package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pervichka/pervichka/pipeline"
	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/db/dbtest"
	"github.com/pervichka/pervichka/storage/objects"
	"github.com/pervichka/pervichka/storage/objects/objectstest"
)

// These tests run `pervichka serve` as real processes, the way an admin
// does, and treat them roughly: SIGKILL in the middle of OCR.

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// binary builds the command once per test run.
func binary(t testing.TB) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "pervichka-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "pervichka")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// worker is a `serve --role worker` process.
type worker struct {
	cmd  *exec.Cmd
	out  *bytes.Buffer
	done chan struct{}
}

func startWorker(t *testing.T, dbURL, storeURL string, extra ...string) *worker {
	t.Helper()
	args := append([]string{"serve", "--role", "worker", "--db", dbURL, "--storage", storeURL,
		"--addr", "127.0.0.1:0", "--log-level", "warn"}, extra...)
	cmd := exec.Command(binary(t), args...)
	cmd.Env = append(os.Environ(), "PERVICHKA_COMPANIES="+filepath.Join("..", "..", "testdata", "corpus", "companies.json"))
	w := &worker{cmd: cmd, out: &bytes.Buffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = w.out, w.out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = cmd.Wait(); close(w.done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-w.done
		if t.Failed() {
			t.Logf("worker %d output:\n%s", cmd.Process.Pid, w.out.String())
		}
	})
	return w
}

func (w *worker) kill(t *testing.T) {
	t.Helper()
	if err := w.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-w.done
}

// variant makes distinct bytes with the same content: a comment after a
// PDF's end, or bytes after a JPEG's end-of-image marker, both of which
// readers ignore. The pipeline sees a new file (a new hash) every time.
func variant(b []byte, n int) []byte {
	out := bytes.Clone(b)
	if bytes.HasPrefix(b, []byte("%PDF")) {
		return append(out, fmt.Sprintf("\n%% variant %d\n", n)...)
	}
	return append(out, fmt.Sprintf("variant %d", n)...)
}

// stream returns n uploads: mostly born-digital PDFs, with a photo every
// photoEvery files so that OCR is always in flight.
func stream(t *testing.T, n, photoEvery int) []pipeline.Upload {
	t.Helper()
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "corpus", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	pdfs := [][]byte{read("001-invoice.pdf"), read("005-upd.pdf"), read("008-act.pdf"), read("004-vat_invoice.pdf")}
	photos := [][]byte{read("008-act-photo.jpg"), read("001-invoice-photo.jpg"), read("005-upd-photo.jpg")}
	var ups []pipeline.Upload
	for i := range n {
		src, ext := pdfs[i%len(pdfs)], ".pdf"
		if i%photoEvery == 0 {
			src, ext = photos[(i/photoEvery)%len(photos)], ".jpg"
		}
		ups = append(ups, pipeline.Upload{Name: fmt.Sprintf("upload-%03d%s", i, ext), Body: variant(src, i),
			Source: db.SourceUpload, Sender: "stream"})
	}
	return ups
}

// runningJobs counts jobs of kind in River's running state.
func runningJobs(t *testing.T, d *db.DB, kind string) int64 {
	t.Helper()
	counts, err := d.QueueDepth(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	for _, c := range counts {
		if c.Kind == kind && c.State == "running" {
			n += c.Count
		}
	}
	return n
}

// scalar runs a query returning one integer on either engine.
func scalar(t *testing.T, d *db.DB, query string) int64 {
	t.Helper()
	var n int64
	var err error
	if d.Dialect() == db.SQLite {
		err = d.SQL().QueryRowContext(t.Context(), query).Scan(&n)
	} else {
		err = d.Pgx().QueryRow(t.Context(), query).Scan(&n)
	}
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// TestCrashSafety kills a worker with SIGKILL while it OCRs a page, in the
// middle of a stream of 100 uploads, and checks afterwards that every
// document reached a verdict exactly once, with nothing lost or doubled:
// on the embedded deployment (one process killed and restarted) and on the
// shared one (two workers, one killed; the survivor and a replacement go on).
func TestCrashSafety(t *testing.T) {
	cases := []struct {
		name    string
		db      func(testing.TB) string
		store   func(testing.TB) string
		workers int
	}{
		{"sqlite+folder", dbtest.SQLiteURL, objectstest.FileURL, 1},
		{"postgres+s3", dbtest.PostgresURL, func(t testing.TB) string { return objectstest.S3URL(objectstest.StartS3(t)) }, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := t.Context()
			dbURL, storeURL := c.db(t), c.store(t)
			d, err := db.Open(ctx, dbURL, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			if err := d.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			store, err := objects.Open(ctx, storeURL, nil)
			if err != nil {
				t.Fatal(err)
			}
			submitter, err := pipeline.New(pipeline.Config{DB: d, Objects: store})
			if err != nil {
				t.Fatal(err)
			}
			// A short job timeout so that the killed worker's job is
			// rescued in seconds, not minutes.
			flags := []string{"--ocr-workers", "1", "--job-timeout", "20s", "--rescue-after", "25s"}
			var workers []*worker
			for range c.workers {
				workers = append(workers, startWorker(t, dbURL, storeURL, flags...))
			}

			ups := stream(t, 100, 8)
			ids := make(chan int64, len(ups))
			submitted := make(chan error, 1)
			go func() {
				defer close(ids)
				for _, u := range ups {
					doc, created, err := submitter.Submit(context.Background(), u)
					if err != nil || !created {
						submitted <- fmt.Errorf("submit %s: created=%v %v", u.Name, created, err)
						return
					}
					ids <- doc.ID
					time.Sleep(20 * time.Millisecond)
				}
				submitted <- nil
			}()

			// Kill the first worker while it is inside a page job.
			deadline := time.Now().Add(2 * time.Minute)
			for runningJobs(t, d, "page") == 0 {
				if time.Now().After(deadline) {
					t.Fatal("no page job started in 2 minutes")
				}
				time.Sleep(20 * time.Millisecond)
			}
			time.Sleep(300 * time.Millisecond) // well into enhancement/OCR
			workers[0].kill(t)
			t.Logf("killed worker %d with a page job running", workers[0].cmd.Process.Pid)
			time.Sleep(time.Second)
			startWorker(t, dbURL, storeURL, flags...)

			if err := <-submitted; err != nil {
				t.Fatal(err)
			}
			var all []int64
			for id := range ids {
				all = append(all, id)
			}
			if len(all) != len(ups) {
				t.Fatalf("%d documents submitted, want %d", len(all), len(ups))
			}
			settle(t, d, all, 6*time.Minute)

			// Exactly once: every document went received → processing →
			// verdict, one event each, and nothing is doubled anywhere.
			for _, id := range all {
				doc, err := d.GetDocument(ctx, nil, id)
				if err != nil {
					t.Fatal(err)
				}
				if doc.State != db.StateNeedsReview && doc.State != db.StateAutoApproved {
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
				if want := []db.State{db.StateReceived, db.StateProcessing, doc.State}; !slices.Equal(path, want) {
					t.Errorf("document %d: history %v, want %v", id, path, want)
				}
			}
			checks := []struct {
				what  string
				query string
				want  int64
			}{
				{"documents", "SELECT count(*) FROM documents", int64(len(ups))},
				{"distinct hashes", "SELECT count(DISTINCT sha256) FROM documents", int64(len(ups))},
				{"pages", "SELECT count(*) FROM document_pages", int64(len(ups))}, // every test file has one page
				{"unread pages", "SELECT count(*) FROM document_pages WHERE words_key IS NULL", 0},
				{"ingest jobs", "SELECT count(*) FROM river_job WHERE kind = 'ingest'", int64(len(ups))},
				{"extract jobs", "SELECT count(*) FROM river_job WHERE kind = 'extract'", int64(len(ups))},
				{"unfinished jobs", "SELECT count(*) FROM river_job WHERE state <> 'completed'", 0},
			}
			for _, c := range checks {
				if got := scalar(t, d, c.query); got != c.want {
					t.Errorf("%s: %d, want %d", c.what, got, c.want)
				}
			}
			photos := int64(0)
			for _, u := range ups {
				if strings.HasSuffix(u.Name, ".jpg") {
					photos++
				}
			}
			if got := scalar(t, d, "SELECT count(*) FROM river_job WHERE kind = 'page'"); got != photos {
				t.Errorf("page jobs: %d, want one per photo (%d)", got, photos)
			}
			// The killed worker's job was run again to completion.
			if got := scalar(t, d, "SELECT count(*) FROM river_job WHERE attempt > 1"); got < 1 {
				t.Errorf("no job was run a second time: was the worker killed mid-job?")
			}
			if t.Failed() {
				for _, w := range workers[1:] {
					t.Logf("worker output:\n%s", w.out.String())
				}
			}
		})
	}
}

// settle waits until no document is received or processing.
func settle(t *testing.T, d *db.DB, ids []int64, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		open := scalar(t, d, "SELECT count(*) FROM documents WHERE state IN ('received', 'processing')")
		if open == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d documents still open after %s", open, len(ids), timeout)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
