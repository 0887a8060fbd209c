package admin_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/pervichka/pervichka/admin"
	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/db/dbtest"
)

type ingestArgs struct {
	DocumentID int64 `json:"document_id"`
}

func (ingestArgs) Kind() string { return "ingest" }

func get(t *testing.T, url, accept string) (int, string, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(body)
}

var scriptSrc = regexp.MustCompile(`<script type="module" src="([^"]+)"`)

// The UI is served on both engines: its index page, the script that page
// loads, and its JSON API over the jobs we inserted.
func TestRiverUI(t *testing.T) {
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := t.Context()
			d, err := db.Open(ctx, e.URL(t), nil)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = d.Close() })
			if err := d.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			q, err := d.NewQueue(&river.Config{TestOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			res, err := q.Insert(ctx, ingestArgs{DocumentID: 42}, &river.InsertOpts{Queue: "intake"})
			if err != nil {
				t.Fatal(err)
			}

			h, err := admin.RiverUI(ctx, q, "/riverui", nil)
			if err != nil {
				t.Fatal(err)
			}
			mux := http.NewServeMux()
			mux.Handle("/riverui/", h)
			srv := httptest.NewServer(mux)
			defer srv.Close()

			code, ct, body := get(t, srv.URL+"/riverui/", "text/html")
			if code != http.StatusOK || !strings.HasPrefix(ct, "text/html") {
				t.Fatalf("index: %d %q\n%.500s", code, ct, body)
			}
			if !strings.Contains(body, "<title>River</title>") || !strings.Contains(body, `"/riverui/api"`) {
				t.Fatalf("index is not River's UI under /riverui:\n%.2000s", body)
			}
			m := scriptSrc.FindStringSubmatch(body)
			if m == nil || !strings.HasPrefix(m[1], "/riverui/") {
				t.Fatalf("index loads no script under /riverui/:\n%.2000s", body)
			}
			if code, _, js := get(t, srv.URL+m[1], ""); code != http.StatusOK || len(js) < 1000 {
				t.Fatalf("script %s: %d, %d bytes", m[1], code, len(js))
			}
			// A page of the single-page app reloaded in the browser gets the index too.
			if code, _, body := get(t, srv.URL+"/riverui/jobs", "text/html"); code != http.StatusOK || !strings.Contains(body, "<title>River</title>") {
				t.Fatalf("deep link: %d\n%.300s", code, body)
			}

			code, ct, body = get(t, srv.URL+"/riverui/api/jobs?state=available", "application/json")
			if code != http.StatusOK || !strings.HasPrefix(ct, "application/json") {
				t.Fatalf("job list: %d %q\n%s", code, ct, body)
			}
			var list struct {
				Data []struct {
					ID    int64  `json:"id"`
					Kind  string `json:"kind"`
					Queue string `json:"queue"`
					State string `json:"state"`
				} `json:"data"`
			}
			if err := json.Unmarshal([]byte(body), &list); err != nil {
				t.Fatalf("job list: %v\n%s", err, body)
			}
			if len(list.Data) != 1 || list.Data[0].ID != res.Job.ID || list.Data[0].Kind != "ingest" ||
				list.Data[0].Queue != "intake" || list.Data[0].State != "available" {
				t.Fatalf("job list = %+v, want job %d (ingest, intake, available)", list.Data, res.Job.ID)
			}

			// The job's own page shows its arguments.
			code, _, body = get(t, srv.URL+"/riverui/api/jobs/"+strconv.FormatInt(res.Job.ID, 10), "application/json")
			if code != http.StatusOK || !strings.Contains(body, `document_id`) || !strings.Contains(body, "42") {
				t.Fatalf("job %d: %d\n%s", res.Job.ID, code, body)
			}

			// The sidebar's counts by state (each engine has its own UI driver).
			code, _, body = get(t, srv.URL+"/riverui/api/states", "application/json")
			var states map[string]struct {
				Count int64 `json:"count"`
			}
			if err := json.Unmarshal([]byte(body), &states); code != http.StatusOK || err != nil {
				t.Fatalf("states: %d, %v\n%s", code, err, body)
			}
			if states["available"].Count != 1 || states["running"].Count != 0 {
				t.Fatalf("states = %s, want 1 available and none running", body)
			}

			// Cancelling through the UI's API changes the real job row.
			resp, err := http.Post(srv.URL+"/riverui/api/jobs/cancel", "application/json",
				strings.NewReader(`{"ids":["`+strconv.FormatInt(res.Job.ID, 10)+`"]}`))
			if err != nil {
				t.Fatal(err)
			}
			cancelBody, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("cancel: %s\n%s", resp.Status, cancelBody)
			}
			depth, err := d.QueueDepth(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(depth) != 1 || depth[0].State != "cancelled" || depth[0].Count != 1 {
				t.Fatalf("after cancel: %+v, want the one job cancelled", depth)
			}
		})
	}
}

func TestRiverUIRefusesNilQueue(t *testing.T) {
	if _, err := admin.RiverUI(t.Context(), nil, "/riverui", nil); err == nil {
		t.Fatal("nil queue accepted")
	}
}

type noopArgs struct{}

func (noopArgs) Kind() string { return "noop" }

type noopWorker struct {
	river.WorkerDefaults[noopArgs]
}

func (noopWorker) Work(context.Context, *river.Job[noopArgs]) error { return nil }

// On SQLite the UI shares the database's one connection with the workers:
// browsing while jobs run must slow neither side to a halt.
func TestRiverUIWhileWorkingOnSQLite(t *testing.T) {
	ctx := t.Context()
	d, err := db.Open(ctx, dbtest.SQLiteURL(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	if err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, noopWorker{})
	q, err := d.NewQueue(&river.Config{
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 2}},
		Workers:           workers,
		FetchCooldown:     10 * time.Millisecond,
		FetchPollInterval: 20 * time.Millisecond,
		TestOnly:          true,
	})
	if err != nil {
		t.Fatal(err)
	}
	h, err := admin.RiverUI(ctx, q, "/riverui", nil)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/riverui/", h)
	srv := httptest.NewServer(mux)
	defer srv.Close()

	const jobs = 30
	completed, cancel := q.Subscribe(river.EventKindJobCompleted)
	defer cancel()
	for range jobs {
		if _, err := q.Insert(ctx, noopArgs{}, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := q.Stop(stopCtx); err != nil {
			t.Error(err)
		}
	}()

	// Browse (bounded: at most 200 requests) until every job is done.
	deadline := time.After(20 * time.Second)
	done, requests := 0, 0
	for done < jobs {
		select {
		case <-completed:
			done++
			continue
		case <-deadline:
			t.Fatalf("%d of %d jobs completed in 20 s while browsing (%d UI requests)", done, jobs, requests)
		default:
		}
		if requests < 200 {
			for _, path := range []string{"/riverui/api/jobs?state=available", "/riverui/api/states"} {
				if code, _, body := get(t, srv.URL+path, "application/json"); code != http.StatusOK {
					t.Fatalf("%s while working: %d\n%s", path, code, body)
				}
				requests++
			}
		} else {
			time.Sleep(10 * time.Millisecond)
		}
	}
	t.Logf("%d jobs completed during %d UI requests", jobs, requests)
}
