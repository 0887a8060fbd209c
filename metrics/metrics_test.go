package metrics_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/riverqueue/river"

	"github.com/pervichka/pervichka/metrics"
	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/db/dbtest"
)

// scrape fetches h's exposition the way Prometheus does and parses it. It
// fails the test unless the answer is a 200 in the text format.
func scrape(t *testing.T, h http.Handler) map[string]*dto.MetricFamily {
	t.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("scrape: %s\n%s", resp.Status, body)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Fatalf("scrape: Content-Type %q, want text/plain", ct)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	families, err := p.TextToMetricFamilies(strings.NewReader(string(body)))
	if err != nil {
		t.Fatalf("parse exposition: %v\n%s", err, body)
	}
	return families
}

// sample returns the metric of family name whose labels are exactly labels.
func sample(t *testing.T, families map[string]*dto.MetricFamily, name string, labels map[string]string) *dto.Metric {
	t.Helper()
	f, ok := families[name]
	if !ok {
		t.Fatalf("no %s in the exposition", name)
	}
	for _, m := range f.GetMetric() {
		if len(m.GetLabel()) != len(labels) {
			continue
		}
		match := true
		for _, l := range m.GetLabel() {
			if v, ok := labels[l.GetName()]; !ok || v != l.GetValue() {
				match = false
				break
			}
		}
		if match {
			return m
		}
	}
	t.Fatalf("no %s%v in the exposition; have %v", name, labels, f.GetMetric())
	return nil
}

func gauge(t *testing.T, families map[string]*dto.MetricFamily, name string, labels map[string]string) float64 {
	t.Helper()
	return sample(t, families, name, labels).GetGauge().GetValue()
}

func openDB(t *testing.T, url string) *db.DB {
	t.Helper()
	d, err := db.Open(t.Context(), url, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	if err := d.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	return d
}

// createIn stores a new document and walks it along path (starting at
// received) with real transitions.
func createIn(t *testing.T, d *db.DB, name string, path ...db.State) {
	t.Helper()
	ctx := t.Context()
	sum := sha256.Sum256([]byte(name))
	hexSum := hex.EncodeToString(sum[:])
	doc, created, err := d.CreateDocument(ctx, nil, db.NewDocument{SHA256: hexSum, ObjectKey: "originals/" + hexSum,
		FileName: name + ".pdf", ContentType: "application/pdf", Size: 10, Source: db.SourceUpload})
	if err != nil || !created {
		t.Fatalf("create %s: %v, created=%v", name, err, created)
	}
	from := db.StateReceived
	for _, to := range path {
		if err := d.Transition(ctx, nil, doc.ID, from, to, "test", "metrics"); err != nil {
			t.Fatal(err)
		}
		from = to
	}
}

type ingestArgs struct{}

func (ingestArgs) Kind() string { return "ingest" }

type pageArgs struct{}

func (pageArgs) Kind() string { return "page" }

func TestScrapeCountsFromDatabase(t *testing.T) {
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			d := openDB(t, e.URL(t))
			ctx := t.Context()
			createIn(t, d, "a")
			createIn(t, d, "b")
			createIn(t, d, "c", db.StateProcessing)
			createIn(t, d, "d", db.StateProcessing, db.StateNeedsReview)
			createIn(t, d, "e", db.StateProcessing, db.StateNeedsReview)
			createIn(t, d, "f", db.StateProcessing, db.StateNeedsReview)
			createIn(t, d, "g", db.StateFailed)

			q, err := d.NewQueue(&river.Config{TestOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			for range 2 {
				if _, err := q.Insert(ctx, ingestArgs{}, nil); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := q.Insert(ctx, pageArgs{}, &river.InsertOpts{Queue: "ocr", ScheduledAt: time.Now().Add(time.Hour)}); err != nil {
				t.Fatal(err)
			}

			m := metrics.New(d, nil)
			fams := scrape(t, m.Handler())

			want := map[db.State]float64{
				db.StateReceived: 2, db.StateProcessing: 1, db.StateNeedsReview: 3, db.StateFailed: 1,
			}
			for _, s := range db.States {
				if got := gauge(t, fams, "pervichka_documents", map[string]string{"state": string(s)}); got != want[s] {
					t.Errorf("pervichka_documents{state=%q} = %v, want %v", s, got, want[s])
				}
			}
			if n := len(fams["pervichka_documents"].GetMetric()); n != len(db.States) {
				t.Errorf("pervichka_documents has %d series, want %d", n, len(db.States))
			}
			jobs := []struct {
				queue, kind, state string
				n                  float64
			}{
				{"default", "ingest", "available", 2},
				{"ocr", "page", "scheduled", 1},
			}
			for _, j := range jobs {
				got := gauge(t, fams, "pervichka_queue_jobs", map[string]string{"queue": j.queue, "kind": j.kind, "state": j.state})
				if got != j.n {
					t.Errorf("pervichka_queue_jobs{%s,%s,%s} = %v, want %v", j.queue, j.kind, j.state, got, j.n)
				}
			}
			if n := len(fams["pervichka_queue_jobs"].GetMetric()); n != len(jobs) {
				t.Errorf("pervichka_queue_jobs has %d series, want %d", n, len(jobs))
			}
			if got := gauge(t, fams, "pervichka_scrape_error", nil); got != 0 {
				t.Errorf("pervichka_scrape_error = %v on a healthy database", got)
			}
			for _, name := range []string{"go_goroutines", "process_cpu_seconds_total"} {
				if _, ok := fams[name]; !ok {
					t.Errorf("no %s: Go and process collectors missing", name)
				}
			}

			// The counts are read at scrape time: a move shows on the next scrape.
			createIn(t, d, "h", db.StateRejected)
			fams = scrape(t, m.Handler())
			if got := gauge(t, fams, "pervichka_documents", map[string]string{"state": "rejected"}); got != 1 {
				t.Errorf("after a rejection: pervichka_documents{state=rejected} = %v, want 1", got)
			}
		})
	}
}

// A database that cannot answer must not turn the scrape into a 500: the
// process's own metrics still matter most when the database is down.
func TestScrapeWithClosedDatabase(t *testing.T) {
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			d := openDB(t, e.URL(t))
			createIn(t, d, "a")
			m := metrics.New(d, nil)
			m.ObserveStage("ingest", "ok", 40*time.Millisecond)
			if err := d.Close(); err != nil {
				t.Fatal(err)
			}
			fams := scrape(t, m.Handler()) // fails the test on a non-200
			if got := gauge(t, fams, "pervichka_scrape_error", nil); got != 1 {
				t.Errorf("pervichka_scrape_error = %v with a closed database, want 1", got)
			}
			for _, name := range []string{"pervichka_documents", "pervichka_queue_jobs"} {
				if _, ok := fams[name]; ok {
					t.Errorf("%s reported although the database could not be read", name)
				}
			}
			for _, name := range []string{"go_goroutines", "pervichka_stage_duration_seconds"} {
				if _, ok := fams[name]; !ok {
					t.Errorf("%s missing from a scrape with the database down", name)
				}
			}
		})
	}
}

func TestObserveStage(t *testing.T) {
	m := metrics.New(openDB(t, dbtest.SQLiteURL(t)), nil)
	for _, d := range []time.Duration{30 * time.Millisecond, 3 * time.Second, 3 * time.Second, 90 * time.Second} {
		m.ObserveStage("page", "ok", d)
	}
	m.ObserveStage("page", "failed", 200*time.Second) // beyond the last bucket
	fams := scrape(t, m.Handler())

	h := sample(t, fams, "pervichka_stage_duration_seconds", map[string]string{"stage": "page", "outcome": "ok"}).GetHistogram()
	if h.GetSampleCount() != 4 {
		t.Errorf("page/ok count = %d, want 4", h.GetSampleCount())
	}
	if got, want := h.GetSampleSum(), 96.03; got < want-1e-9 || got > want+1e-9 {
		t.Errorf("page/ok sum = %v, want %v", got, want)
	}
	cumulative := map[float64]uint64{0.01: 0, 0.05: 1, 2.5: 1, 5: 3, 60: 3, 120: 4}
	seen := map[float64]bool{}
	for _, b := range h.GetBucket() {
		if want, ok := cumulative[b.GetUpperBound()]; ok {
			seen[b.GetUpperBound()] = true
			if b.GetCumulativeCount() != want {
				t.Errorf("page/ok bucket le=%v = %d, want %d", b.GetUpperBound(), b.GetCumulativeCount(), want)
			}
		}
	}
	if len(seen) != len(cumulative) {
		t.Errorf("buckets %v missing some of %v", h.GetBucket(), cumulative)
	}
	// 200 s lies past the last finite bucket: only the count (+Inf) has it.
	f := sample(t, fams, "pervichka_stage_duration_seconds", map[string]string{"stage": "page", "outcome": "failed"}).GetHistogram()
	if f.GetSampleCount() != 1 {
		t.Errorf("page/failed count = %d, want 1", f.GetSampleCount())
	}
	for _, b := range f.GetBucket() {
		if b.GetUpperBound() == 120 && b.GetCumulativeCount() != 0 {
			t.Errorf("page/failed: 200 s counted in le=120")
		}
	}
}

func TestMiddlewareLabelsByRoute(t *testing.T) {
	m := metrics.New(openDB(t, dbtest.SQLiteURL(t)), nil)
	const route = "GET /api/v1/documents/{id}"
	mux := http.NewServeMux()
	mux.Handle(route, m.Middleware(route, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("id") == "404" {
			http.Error(w, "нет такого документа", http.StatusNotFound)
			return
		}
		fmt.Fprintln(w, `{"id":`+r.PathValue("id")+`}`)
	})))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	for _, id := range []string{"1", "2", "3", "404"} {
		resp, err := http.Get(srv.URL + "/api/v1/documents/" + id)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}

	fams := scrape(t, m.Handler())
	counts := map[string]float64{"200": 3, "404": 1}
	for code, want := range counts {
		got := sample(t, fams, "pervichka_http_requests_total", map[string]string{"route": route, "code": code}).GetCounter().GetValue()
		if got != want {
			t.Errorf("requests{code=%s} = %v, want %v", code, got, want)
		}
	}
	if n := len(fams["pervichka_http_requests_total"].GetMetric()); n != len(counts) {
		t.Errorf("pervichka_http_requests_total has %d series, want %d (one per route and code, never per path)", n, len(counts))
	}
	d := sample(t, fams, "pervichka_http_request_duration_seconds", map[string]string{"route": route}).GetHistogram()
	if d.GetSampleCount() != 4 {
		t.Errorf("duration count = %d, want 4", d.GetSampleCount())
	}
}

// The build a process runs and the faults it caught are scraped with the rest.
func TestBuildInfoAndFaults(t *testing.T) {
	m := metrics.New(openDB(t, dbtest.SQLiteURL(t)), nil)
	m.SetBuildInfo(metrics.BuildInfo{Version: "v1.2.3", Revision: "abc123", GoVersion: "go1.26", Modified: true})
	m.ObserveFault("extract")
	m.ObserveFault("extract")
	fams := scrape(t, m.Handler())
	if got := gauge(t, fams, "pervichka_build_info", map[string]string{"version": "v1.2.3", "revision": "abc123", "goversion": "go1.26", "modified": "true"}); got != 1 {
		t.Errorf("pervichka_build_info = %v, want 1", got)
	}
	if got := sample(t, fams, "pervichka_faults_total", map[string]string{"stage": "extract"}).GetCounter().GetValue(); got != 2 {
		t.Errorf("pervichka_faults_total{stage=extract} = %v, want 2", got)
	}
}
