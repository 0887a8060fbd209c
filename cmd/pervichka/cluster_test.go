package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	pervichka "github.com/pervichka/pervichka"
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

// binary builds the command once per test run; PERVICHKA_TEST_BINARY names
// one built already (another commit's, for a before-and-after measurement).
func binary(t testing.TB) string {
	t.Helper()
	binOnce.Do(func() {
		if p := os.Getenv("PERVICHKA_TEST_BINARY"); p != "" {
			binPath = p
			return
		}
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

func startWorker(t testing.TB, dbURL, storeURL string, extra ...string) *worker {
	t.Helper()
	args := append([]string{"serve", "--role", "worker", "--db", dbURL, "--storage", storeURL,
		"--addr", "127.0.0.1:0", "--log-level", "warn",
		// The stream sends variants of a few photos: each must be read.
		"--resent-check=false"}, extra...)
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
func scalar(t *testing.T, d *db.DB, query string) int64 { return scalarTB(t, d, query) }

// scalarTB is scalar for benchmarks too.
func scalarTB(t testing.TB, d *db.DB, query string) int64 {
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
			d, submitter := openShared(t, dbURL, storeURL)
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

			// Kill the first worker while it is inside a page job: each
			// worker reads one page at a time, so once as many page jobs run
			// as there are workers, the first one holds one.
			deadline := time.Now().Add(2 * time.Minute)
			for runningJobs(t, d, "page") < int64(c.workers) {
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
				// The ledger posts what extraction auto-approves.
				if doc.State != db.StateNeedsReview && doc.State != db.StatePosted {
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
				want := []db.State{db.StateReceived, db.StateProcessing, doc.State}
				if doc.State == db.StatePosted {
					want = []db.State{db.StateReceived, db.StateProcessing, db.StateAutoApproved, db.StatePosted}
				}
				if !slices.Equal(path, want) {
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

// openShared opens a deployment the way a second process would, migrated,
// with a pipeline that only submits (the workers are other processes).
func openShared(t testing.TB, dbURL, storeURL string) (*db.DB, *pipeline.Pipeline) {
	t.Helper()
	ctx := t.Context()
	d, err := db.Open(ctx, dbURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
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
	return d, submitter
}

// settle waits until no document is received, processing or auto-approved
// (on its way to posted).
func settle(t *testing.T, d *db.DB, ids []int64, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		// auto_approved is on its way to posted: the ledger's post job.
		open := scalar(t, d, "SELECT count(*) FROM documents WHERE state IN ('received', 'processing', 'auto_approved')")
		if open == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d documents still open after %s", open, len(ids), timeout)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// server is a `serve --role all` process on a free port.
type server struct {
	*worker
	url string
}

func startServer(t *testing.T, dbURL, storeURL string, extra ...string) *server {
	return startServerTB(t, dbURL, storeURL, extra...)
}

// startServerTB is startServer for benchmarks too.
func startServerTB(t testing.TB, dbURL, storeURL string, extra ...string) *server {
	t.Helper()
	addr, err := objectstest.FreeLoopbackAddr()
	if err != nil {
		t.Fatal(err)
	}
	args := append([]string{"--addr", addr, "--role", "all"}, extra...)
	w := startWorker(t, dbURL, storeURL, args...)
	base := "http://" + addr
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return &server{worker: w, url: base}
			}
		}
		select {
		case <-w.done:
			t.Fatalf("serve exited:\n%s", w.out.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve not ready in 30s: %v\n%s", err, w.out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// runBinary runs the command and returns its stdout.
func runBinary(t *testing.T, args ...string) string { return runBinaryTB(t, args...) }

// runBinaryTB is runBinary for benchmarks too.
func runBinaryTB(t testing.TB, args ...string) string {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Env = append(os.Environ(), "PERVICHKA_COMPANIES="+filepath.Join("..", "..", "testdata", "corpus", "companies.json"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pervichka %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}

// TestServeEndToEnd is the service as a user meets it, on both deployments:
// a token made with `pervichka token create`, the committed test files
// uploaded in one request through the HTTP API, and the fields read back
// once the workers are done — equal to what `pervichka extract` says about
// the same files.
func TestServeEndToEnd(t *testing.T) {
	files := []string{"001-invoice.pdf", "007-upd-scan.pdf", "008-act-photo.jpg", "003-contract-photo.pdf"}
	dir := filepath.Join("..", "..", "testdata", "corpus")
	var paths []string
	for _, f := range files {
		paths = append(paths, filepath.Join(dir, f))
	}
	want := map[string]pervichka.Result{}
	for _, line := range strings.Split(strings.TrimSpace(runBinary(t, append([]string{"extract", "--jobs", "2"}, paths...)...)), "\n") {
		var r pervichka.Result
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatal(err)
		}
		want[filepath.Base(r.File)] = r
	}
	cases := []struct {
		name  string
		db    func(testing.TB) string
		store func(testing.TB) string
	}{
		{"sqlite+folder", dbtest.SQLiteURL, objectstest.FileURL},
		{"postgres+s3", dbtest.PostgresURL, func(t testing.TB) string { return objectstest.S3URL(objectstest.StartS3(t)) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dbURL, storeURL := c.db(t), c.store(t)
			runBinary(t, "migrate", "--db", dbURL)
			out := strings.Split(strings.TrimSpace(runBinary(t, "token", "create", "--name", "e2e", "--db", dbURL)), "\n")
			token := out[len(out)-1]
			srv := startServer(t, dbURL, storeURL, "--ocr-workers", "2")

			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			for i, f := range files {
				part, err := mw.CreateFormFile("file", f)
				if err != nil {
					t.Fatal(err)
				}
				b, err := os.ReadFile(paths[i])
				if err != nil {
					t.Fatal(err)
				}
				part.Write(b)
			}
			mw.Close()
			req, _ := http.NewRequest(http.MethodPost, srv.url+"/api/v1/documents", &body)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			req.Header.Set("Authorization", "Bearer "+token)
			var up struct {
				Documents []struct {
					ID    int64  `json:"id"`
					State string `json:"state"`
				} `json:"documents"`
			}
			if code := doJSON(t, req, &up); code != http.StatusCreated || len(up.Documents) != len(files) {
				t.Fatalf("upload: %d, %+v", code, up)
			}
			deadline := time.Now().Add(5 * time.Minute)
			for i, d := range up.Documents {
				var doc struct {
					State  string          `json:"state"`
					Fields json.RawMessage `json:"fields"`
				}
				for {
					req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/api/v1/documents/%d", srv.url, d.ID), nil)
					req.Header.Set("Authorization", "Bearer "+token)
					if code := doJSON(t, req, &doc); code != http.StatusOK {
						t.Fatalf("get %d: %d", d.ID, code)
					}
					if doc.State != "received" && doc.State != "processing" && doc.State != "auto_approved" {
						break // auto_approved is on its way to posted
					}
					if time.Now().After(deadline) {
						t.Fatalf("%s still %s after 5 minutes", files[i], doc.State)
					}
					time.Sleep(200 * time.Millisecond)
				}
				if doc.State != "needs_review" && doc.State != "posted" {
					t.Errorf("%s: state %s", files[i], doc.State)
					continue
				}
				var got pervichka.Result
				if err := json.Unmarshal(doc.Fields, &got); err != nil {
					t.Fatal(err)
				}
				w := want[files[i]]
				got.File, got.TimingsMS, w.File, w.TimingsMS = "", nil, "", nil
				if !reflect.DeepEqual(got, w) {
					gj, _ := json.Marshal(got)
					wj, _ := json.Marshal(w)
					t.Errorf("%s: API fields differ from extract:\napi:     %s\nextract: %s", files[i], gj, wj)
				}
				if (doc.State == "needs_review") != w.NeedsReview {
					t.Errorf("%s: state %s, extract says needs_review=%v", files[i], doc.State, w.NeedsReview)
				}
			}
			// SIGTERM: the server stops cleanly within its shutdown timeout.
			if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			select {
			case <-srv.done:
				if code := srv.cmd.ProcessState.ExitCode(); code != 0 {
					t.Errorf("serve exited %d after SIGTERM:\n%s", code, srv.out.String())
				}
			case <-time.After(45 * time.Second):
				t.Errorf("serve still running 45s after SIGTERM")
			}
		})
	}
}

func doJSON(t testing.TB, req *http.Request, into any) int {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode < 300 {
		if err := json.Unmarshal(b, into); err != nil {
			t.Fatalf("%s %s: %v: %s", req.Method, req.URL, err, b)
		}
	} else {
		// An error answer is decoded too, for tests of its shape; a body
		// that is not JSON leaves into as it was.
		_ = json.Unmarshal(b, into)
		t.Logf("%s %s: %d %s", req.Method, req.URL, resp.StatusCode, b)
	}
	return resp.StatusCode
}

// BenchmarkScale runs 1, 2 and 3 worker processes (one OCR worker each)
// against one Postgres and one versitygw bucket and reports documents per
// minute for a batch of phone photos, checking that each document is
// processed exactly once. On a 2-core machine the third worker has no core
// of its own: throughput should rise from one to two and then stay.
func BenchmarkScale(b *testing.B) {
	const docs = 12
	for _, workers := range []int{1, 2, 3} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			var rate float64
			for i := 0; i < b.N; i++ {
				rate = scaleRun(b, workers, docs)
			}
			b.ReportMetric(rate, "docs/min")
		})
	}
}

func scaleRun(b *testing.B, workers, n int) float64 {
	b.StopTimer()
	ctx := b.Context()
	dbURL := dbtest.PostgresURL(b)
	storeURL := objectstest.S3URL(objectstest.StartS3(b))
	d, submitter := openShared(b, dbURL, storeURL)
	var procs []*exec.Cmd
	for range workers {
		cmd := exec.Command(binary(b), "serve", "--role", "worker", "--db", dbURL, "--storage", storeURL,
			"--addr", "127.0.0.1:0", "--log-level", "error", "--ocr-workers", "1", "--resent-check=false")
		cmd.Env = append(os.Environ(), "PERVICHKA_COMPANIES="+filepath.Join("..", "..", "testdata", "corpus", "companies.json"))
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		procs = append(procs, cmd)
	}
	defer func() {
		for _, p := range procs {
			_ = p.Process.Kill()
			_ = p.Wait()
		}
	}()
	time.Sleep(2 * time.Second) // let every worker start its River client
	photos := []string{"008-act-photo.jpg", "001-invoice-photo.jpg", "005-upd-photo.jpg"}
	var bodies [][]byte
	for i := range n {
		raw, err := os.ReadFile(filepath.Join("..", "..", "testdata", "corpus", photos[i%len(photos)]))
		if err != nil {
			b.Fatal(err)
		}
		bodies = append(bodies, variant(raw, i))
	}
	b.StartTimer()
	start := time.Now()
	for i, body := range bodies {
		if _, _, err := submitter.Submit(ctx, pipeline.Upload{Name: fmt.Sprintf("p%d.jpg", i), Body: body, Source: db.SourceUpload}); err != nil {
			b.Fatal(err)
		}
	}
	for {
		open := scalarTB(b, d, "SELECT count(*) FROM documents WHERE state IN ('received', 'processing', 'auto_approved')")
		if open == 0 {
			break
		}
		if time.Since(start) > 10*time.Minute {
			b.Fatalf("%d documents still open after 10 minutes", open)
		}
		time.Sleep(100 * time.Millisecond)
	}
	elapsed := time.Since(start)
	b.StopTimer()
	if got := scalarTB(b, d, "SELECT count(*) FROM river_job WHERE kind = 'page' AND attempt = 1 AND state = 'completed'"); got != int64(n) {
		b.Errorf("%d page jobs completed on their first attempt, want %d (each document once)", got, n)
	}
	if got := scalarTB(b, d, "SELECT count(*) FROM documents WHERE state IN ('needs_review', 'auto_approved', 'posted')"); got != int64(n) {
		b.Errorf("%d documents with a verdict, want %d", got, n)
	}
	rate := float64(n) / elapsed.Minutes()
	b.Logf("%d workers: %d documents in %s = %.1f documents/min", workers, n, elapsed.Round(time.Millisecond), rate)
	return rate
}

// BenchmarkUploadLoad measures upload latency as a contractor's phone sees
// it: a `serve --role api` process, and a load generator in a process of its
// own (this test binary run again as TestUploadLoadGenerator, so that its
// garbage collector and scheduler are not the server's) with 20 concurrent
// uploaders sending distinct 2 MB photos over loopback (400 uploads,
// bounded at 2 minutes). It reports p50, p99 and uploads per second; the
// target is p99 ≤ 200 ms. Two loads: "flat-out", each uploader sending its
// next photo as soon as the last is answered (the server's saturation,
// where latency is concurrency ÷ throughput), and "paced", each uploader
// pausing a second between photos as a person with a phone would (20
// uploads/s offered).
func BenchmarkUploadLoad(b *testing.B) {
	cases := []struct {
		name  string
		db    func(testing.TB) string
		store func(testing.TB) string
	}{
		{"sqlite+folder", dbtest.SQLiteURL, objectstest.FileURL},
		{"postgres+s3", dbtest.PostgresURL, func(t testing.TB) string { return objectstest.S3URL(objectstest.StartS3(t)) }},
	}
	photo, err := filepath.Abs(filepath.Join("..", "..", "testdata", "corpus", "008-act-photo.jpg"))
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range cases {
		for _, pause := range []time.Duration{0, time.Second} {
			load := "flat-out"
			if pause > 0 {
				load = "paced"
			}
			b.Run(c.name+"/"+load, func(b *testing.B) {
				dbURL, storeURL := c.db(b), c.store(b)
				runBinaryTB(b, "migrate", "--db", dbURL)
				out := strings.Split(strings.TrimSpace(runBinaryTB(b, "token", "create", "--name", "load", "--db", dbURL)), "\n")
				srv := startServerTB(b, dbURL, storeURL, "--role", "api")
				spec := loadSpec{
					URL: srv.url + "/api/v1/documents", Token: out[len(out)-1], Photo: photo, Size: 2 << 20,
					Uploaders: 20, Total: 400, Pause: pause, Timeout: 2 * time.Minute,
				}
				var res loadResult
				var genCPU time.Duration
				cpu0, cpuOK := readCPUSplit(srv.cmd.Process.Pid)
				for i := 0; i < b.N; i++ {
					spec.Run = i
					res = generateLoad(b, spec)
					genCPU += res.CPU
					for _, e := range res.Errors {
						b.Error(e)
					}
				}
				cpu1, _ := readCPUSplit(srv.cmd.Process.Pid)
				lat := res.Latencies
				if len(lat) == 0 {
					b.Fatal("no upload succeeded")
				}
				slices.Sort(lat)
				q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
				b.ReportMetric(q(0.50), "p50-ms")
				b.ReportMetric(q(0.99), "p99-ms")
				b.ReportMetric(float64(len(lat))/res.Elapsed.Seconds(), "uploads/s")
				if cpuOK {
					// Where the CPU went, whoever else shares the cores:
					// steadier than latency on a busy machine, and flat-out
					// the sum bounds the throughput two cores can give.
					d := cpu1.sub(cpu0)
					per := func(t time.Duration) float64 { return float64(t.Microseconds()) / 1000 / float64(b.N*spec.Total) }
					b.ReportMetric(per(d.serve), "server-cpu-ms/upload")
					b.ReportMetric(per(genCPU), "gen-cpu-ms/upload")
					if c.name == "postgres+s3" {
						b.ReportMetric(per(d.s3), "s3-cpu-ms/upload")
						b.ReportMetric(per(d.postgres), "pg-cpu-ms/upload")
					}
					b.ReportMetric(per(d.busy), "machine-cpu-ms/upload")
					if all := d.busy + d.idle; all > 0 {
						b.ReportMetric(100*float64(d.idle)/float64(all), "machine-idle-%")
					}
				}
			})
		}
	}
}

// loadGenEnv carries a loadSpec (JSON) to the generator process.
const loadGenEnv = "PERVICHKA_TEST_LOADGEN"

// loadSpec is one run of the load generator.
type loadSpec struct {
	URL, Token string
	Photo      string // a JPEG, padded to Size after its end-of-image marker
	Size       int
	Uploaders  int
	Total      int           // uploads in all
	Pause      time.Duration // each uploader's pause between its uploads
	Timeout    time.Duration // the run stops sending after this
	Run        int           // makes the photos of each run distinct
	Out        string        // file the loadResult is written to (JSON)
}

// loadResult is what the generator measured: one latency per upload
// answered 201, the wall time of the run, and what went wrong otherwise;
// and the generator process's own CPU time (user + system, start-up and
// body building included), filled in by generateLoad from its exit status.
type loadResult struct {
	Latencies []time.Duration
	Elapsed   time.Duration
	Errors    []string
	CPU       time.Duration `json:"-"`
}

// generateLoad runs the generator process and returns what it measured. The
// process is killed if it outlives the run's timeout by half a minute.
func generateLoad(b *testing.B, spec loadSpec) loadResult {
	b.Helper()
	spec.Out = filepath.Join(b.TempDir(), "load.json")
	js, err := json.Marshal(spec)
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(b.Context(), spec.Timeout+30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestUploadLoadGenerator$", "-test.count=1")
	cmd.Env = append(os.Environ(), loadGenEnv+"="+string(js))
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("load generator: %v\n%s", err, out)
	}
	raw, err := os.ReadFile(spec.Out)
	if err != nil {
		b.Fatal(err)
	}
	var res loadResult
	if err := json.Unmarshal(raw, &res); err != nil {
		b.Fatal(err)
	}
	res.CPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	return res
}

// TestUploadLoadGenerator is BenchmarkUploadLoad's load generator, run by
// it as a child process with a loadSpec in PERVICHKA_TEST_LOADGEN; in an
// ordinary test run it skips. Every uploader builds its whole request body
// before the clock starts and only rewrites the photo's last 32 bytes (its
// distinct part) between uploads, so the generator spends next to no CPU
// per upload.
func TestUploadLoadGenerator(t *testing.T) {
	raw := os.Getenv(loadGenEnv)
	if raw == "" {
		t.Skip("BenchmarkUploadLoad's load generator: runs only as its child process")
	}
	var spec loadSpec
	if err := json.Unmarshal([]byte(raw), &spec); err != nil {
		t.Fatal(err)
	}
	photo, err := os.ReadFile(spec.Photo)
	if err != nil {
		t.Fatal(err)
	}
	if len(photo) > spec.Size-32 {
		t.Fatalf("%s is %d bytes, more than the %d to send", spec.Photo, len(photo), spec.Size)
	}
	const boundary = "pervichka-load-boundary"
	head := fmt.Sprintf("--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"photo.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n", boundary)
	tail := "\r\n--" + boundary + "--\r\n"
	padded := make([]byte, spec.Size)
	copy(padded, photo)
	for i := len(photo); i < len(padded); i++ {
		padded[i] = byte(i * 7)
	}
	bodies := make([][]byte, spec.Uploaders)
	for u := range bodies {
		bodies[u] = slices.Concat([]byte(head), padded, []byte(tail))
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: spec.Uploaders}}
	ctx, cancel := context.WithTimeout(t.Context(), spec.Timeout)
	defer cancel()

	var (
		mu  sync.Mutex
		res loadResult
	)
	fail := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		if len(res.Errors) < 20 {
			res.Errors = append(res.Errors, fmt.Sprintf(format, args...))
		}
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for u := range spec.Uploaders {
		body := bodies[u]
		slot := body[len(head)+spec.Size-32 : len(head)+spec.Size]
		wg.Go(func() {
			for n := range next {
				copy(slot, fmt.Sprintf("%-32s", fmt.Sprintf("run %d upload %d", spec.Run, n)))
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, spec.URL, bytes.NewReader(body))
				req.Header.Set("Content-Type", "multipart/form-data; boundary="+boundary)
				req.Header.Set("Authorization", "Bearer "+spec.Token)
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					fail("upload %d: %v", n, err)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				d := time.Since(t0)
				if resp.StatusCode != http.StatusCreated {
					fail("upload %d: %s", n, resp.Status)
					continue
				}
				mu.Lock()
				res.Latencies = append(res.Latencies, d)
				mu.Unlock()
				select {
				case <-time.After(spec.Pause):
				case <-ctx.Done():
				}
			}
		})
	}
	start := time.Now()
feed:
	for n := range spec.Total {
		select {
		case next <- n:
		case <-ctx.Done():
			fail("stopped after %s with %d of %d uploads sent", spec.Timeout, n, spec.Total)
			break feed
		}
	}
	close(next)
	wg.Wait()
	res.Elapsed = time.Since(start)
	js, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(spec.Out, js, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestGracefulShutdown: SIGTERM while a page is being read. The worker
// waits --shutdown-timeout for the job, then cancels it and exits 0; the
// job, having committed nothing, is handed back and another worker finishes
// the document.
func TestGracefulShutdown(t *testing.T) {
	ctx := t.Context()
	dbURL, storeURL := dbtest.SQLiteURL(t), objectstest.FileURL(t)
	d, submitter := openShared(t, dbURL, storeURL)
	w := startWorker(t, dbURL, storeURL, "--ocr-workers", "1", "--shutdown-timeout", "500ms")
	photo, err := os.ReadFile(filepath.Join("..", "..", "testdata", "corpus", "005-upd-photo.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	doc, _, err := submitter.Submit(ctx, pipeline.Upload{Name: "upd.jpg", Body: photo, Source: db.SourceUpload})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for runningJobs(t, d, "page") == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the page job did not start")
		}
		time.Sleep(20 * time.Millisecond)
	}
	sent := time.Now()
	if err := w.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-w.done:
	case <-time.After(40 * time.Second):
		t.Fatal("worker still running 40s after SIGTERM")
	}
	took := time.Since(sent)
	if code := w.cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("exit %d after SIGTERM:\n%s", code, w.out.String())
	}
	t.Logf("worker exited %s after SIGTERM (shutdown timeout 500ms, plus the OCR call in progress)", took.Round(time.Millisecond))
	if got := scalar(t, d, "SELECT count(*) FROM river_job WHERE kind = 'page' AND state = 'running'"); got != 0 {
		t.Fatalf("%d page jobs left running: not handed back", got)
	}
	got, err := d.GetDocument(ctx, nil, doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != db.StateProcessing {
		t.Fatalf("document %s after the shutdown, want still processing", got.State)
	}
	startWorker(t, dbURL, storeURL, "--ocr-workers", "1")
	settle(t, d, []int64{doc.ID}, 2*time.Minute)
	got, _ = d.GetDocument(ctx, nil, doc.ID)
	if got.State != db.StateNeedsReview && got.State != db.StatePosted {
		t.Fatalf("document %s (%s) after another worker took it over", got.State, got.FailureReason)
	}
	if n := scalar(t, d, "SELECT count(*) FROM river_job WHERE kind = 'page' AND state = 'completed'"); n != 1 {
		t.Errorf("%d completed page jobs, want the one handed back and finished", n)
	}
}

// TestDocumentedRoutesOfOtherParts: the API's OpenAPI document also lists
// routes that other parts mount beside the API (marked x-served-by); a
// running server must route each of them (the API's own test covers the
// rest). A route that is missing answers 404 with the API's "no such path".
func TestDocumentedRoutesOfOtherParts(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "api", "openapi.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			ServedBy string `json:"x-served-by"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	dbURL, storeURL := dbtest.SQLiteURL(t), objectstest.FileURL(t)
	runBinary(t, "migrate", "--db", dbURL)
	out := strings.Split(strings.TrimSpace(runBinary(t, "token", "create", "--name", "admin", "--role", "admin", "--db", dbURL)), "\n")
	token := out[len(out)-1]
	srv := startServer(t, dbURL, storeURL, "--ocr-workers", "1")
	checked := 0
	for path, ops := range doc.Paths {
		for method, op := range ops {
			if op.ServedBy == "" {
				continue
			}
			req, _ := http.NewRequest(strings.ToUpper(method), srv.url+strings.ReplaceAll(path, "{id}", "1"), nil)
			req.Header.Set("Authorization", "Bearer "+token)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusMethodNotAllowed || (resp.StatusCode == http.StatusNotFound && strings.Contains(string(body), "Такого адреса в API нет")) {
				t.Errorf("%s %s (served by %s): %d %s", method, path, op.ServedBy, resp.StatusCode, body)
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("no x-served-by operations in api/openapi.json")
	}
}
