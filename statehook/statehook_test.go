package statehook_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/ledger/webhook"
	"github.com/pervichka/pervichka/statehook"
	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/db/dbtest"
)

const secret = "whsec_c3RhdGUgd2ViaG9vayBrZXkgb2YgdGhlIHRlc3Qgc3VpdGU=" // "state webhook key of the test suite"

func quietLog() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
}

// receiver is an accounting system's endpoint: it verifies every delivery
// with the webhook package's own VerifyStandard before reading it, checks
// that the webhook-id names the change in the body, drops repeats by
// webhook-id as the docs ask, and counts a document's change that arrives
// after a later one of the same document as out of order.
type receiver struct {
	*httptest.Server
	mu            sync.Mutex
	key           []byte
	failFirst     int  // answer 503 to this many valid deliveries
	failing       bool // answer 503 to every valid delivery
	requests      int
	badSignatures int
	mismatches    int
	failed        int
	outOfOrder    int
	repeats       int
	accepted      map[string]bool
	byDocument    map[int64][]statehook.Change // first acceptances, in arrival order
}

func newReceiver(t *testing.T) *receiver {
	key, err := webhook.Key(secret)
	if err != nil {
		t.Fatal(err)
	}
	rc := &receiver{key: key, accepted: map[string]bool{}, byDocument: map[int64][]statehook.Change{}}
	rc.Server = httptest.NewServer(http.HandlerFunc(rc.serve))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.requests++
	if err != nil || webhook.VerifyStandard(rc.key, r.Header, body, time.Now(), webhook.DefaultTolerance) != nil {
		rc.badSignatures++
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var m statehook.Message
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	id := r.Header.Get(webhook.IDHeader)
	if dec.Decode(&m) != nil || m.Event != statehook.EventStateChanged || id != statehook.MessageID(m.Change.ID) {
		rc.mismatches++
		http.Error(w, "body and webhook-id disagree", http.StatusBadRequest)
		return
	}
	if rc.failing || rc.failed < rc.failFirst {
		rc.failed++
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
		return
	}
	if rc.accepted[id] {
		rc.repeats++
		return
	}
	seen := rc.byDocument[m.Change.DocumentID]
	if len(seen) > 0 && seen[len(seen)-1].ID >= m.Change.ID {
		rc.outOfOrder++
	}
	rc.accepted[id] = true
	rc.byDocument[m.Change.DocumentID] = append(seen, m.Change)
}

func (rc *receiver) set(fn func(rc *receiver)) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	fn(rc)
}

func open(t *testing.T, url string) *db.DB {
	t.Helper()
	d, err := db.Open(t.Context(), url, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	if err := d.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	return d
}

func newHooks(t *testing.T, d *db.DB, url string, maxAttempts int) *statehook.Hooks {
	t.Helper()
	h, err := statehook.New(statehook.Config{DB: d, Endpoint: webhook.Endpoint{URL: url, Secret: secret, MaxAttempts: maxAttempts,
		Backoff: 20 * time.Millisecond, MaxBackoff: 200 * time.Millisecond, Timeout: 5 * time.Second},
		BaseURL: "https://pervichka.example", Logger: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// worker starts a River client on d that works only the state webhook;
// stop ends it as a process's shutdown would.
func worker(t *testing.T, d *db.DB, h *statehook.Hooks) (stop func()) {
	t.Helper()
	workers := river.NewWorkers()
	h.Register(workers)
	q, err := d.NewQueue(&river.Config{Queues: h.Queues(), Workers: workers, FetchPollInterval: 50 * time.Millisecond,
		FetchCooldown: 20 * time.Millisecond, Logger: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	stop = func() {
		once.Do(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = q.StopAndCancel(ctx)
		})
	}
	t.Cleanup(stop)
	return stop
}

// rows lists the outbox in a state.
func rows(t *testing.T, d *db.DB, state db.DeliveryState) []db.StateWebhook {
	t.Helper()
	ws, err := d.StateWebhooks(context.Background(), state, 0, db.MaxListLimit)
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

// waitFor polls cond until it holds or timeout passes.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not after %s", what, timeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

var docSeq struct {
	sync.Mutex
	n int
}

// lifecycle takes a new document through the states a pipeline and a
// clerk would: received → processing → needs_review → approved → posted,
// or, when fails is set, received → processing → failed; pause (if any)
// waits between the changes.
func lifecycle(t *testing.T, d *db.DB, fails bool, pause ...func()) int64 {
	t.Helper()
	ctx := context.Background()
	docSeq.Lock()
	docSeq.n++
	content := fmt.Sprintf("%064x", docSeq.n)
	docSeq.Unlock()
	doc, _, err := d.CreateDocument(ctx, nil, db.NewDocument{SHA256: content, ObjectKey: "originals/" + content, Size: 1,
		Source: db.SourceUpload, Actor: "api:1c"})
	if err != nil {
		t.Error(err)
		return 0
	}
	steps := [][2]db.State{{db.StateReceived, db.StateProcessing}, {db.StateProcessing, db.StateNeedsReview},
		{db.StateNeedsReview, db.StateApproved}, {db.StateApproved, db.StatePosted}}
	if fails {
		steps = steps[:1]
	}
	for _, s := range steps {
		for _, p := range pause {
			p()
		}
		if err := d.Transition(ctx, nil, doc.ID, s[0], s[1], "test", fmt.Sprintf("%s → %s", s[0], s[1])); err != nil {
			t.Error(err)
			return doc.ID
		}
	}
	if fails {
		if err := d.Fail(ctx, nil, doc.ID, db.StateProcessing, "pipeline:page", pervichka.CodeCorrupt, "файл повреждён"); err != nil {
			t.Error(err)
		}
	}
	return doc.ID
}

// checkDelivered: every change of the documents reached the receiver once,
// in the order of the document's history, with nothing refused or out of
// order on the way.
func checkDelivered(t *testing.T, d *db.DB, rc *receiver, docs []int64) {
	t.Helper()
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.badSignatures != 0 || rc.mismatches != 0 || rc.outOfOrder != 0 {
		t.Errorf("receiver: %d bad signatures, %d mismatches, %d out of order", rc.badSignatures, rc.mismatches, rc.outOfOrder)
	}
	for _, id := range docs {
		events, err := d.Events(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		got := rc.byDocument[id]
		if len(got) != len(events) {
			t.Errorf("document %d: %d changes received, its history has %d", id, len(got), len(events))
			continue
		}
		for i, e := range events {
			c := got[i]
			from := db.State("")
			if c.From != nil {
				from = *c.From
			}
			if from != e.From || c.To != e.To || c.Actor != e.Actor || c.Reason != e.Reason || !c.At.Equal(e.At) {
				t.Errorf("document %d change %d: %+v, history has %+v", id, i, c, e)
			}
			if (c.To == db.StateFailed) != (c.Failure != nil) || c.Failure != nil && c.Failure.Code != pervichka.CodeCorrupt {
				t.Errorf("document %d change %d to %s: failure %+v", id, i, c.To, c.Failure)
			}
			if c.Links.Document != fmt.Sprintf("https://pervichka.example/api/v1/documents/%d", id) {
				t.Errorf("document link %q", c.Links.Document)
			}
		}
	}
}

// TestDeliveredInOrderSignedOnce: documents moving through their states
// at once, to a receiver that refuses the first deliveries; every change
// arrives signed, once by webhook-id, each document's in its history's
// order.
func TestDeliveredInOrderSignedOnce(t *testing.T) {
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			rc := newReceiver(t)
			rc.failFirst = 7
			d := open(t, e.URL(t))
			h := newHooks(t, d, rc.URL, 10)
			worker(t, d, h)
			// Half the documents change at once; the other half with pauses
			// of up to 40 ms between changes, so that their jobs often run
			// dry and complete just as the next change commits (the race
			// finish closes).
			const n = 8
			docs := make([]int64, n)
			var wg sync.WaitGroup
			for i := range n {
				pause := func() {}
				if i%2 == 1 {
					pause = func() { time.Sleep(time.Duration(rand.IntN(40)) * time.Millisecond) }
				}
				wg.Go(func() { docs[i] = lifecycle(t, d, i%4 == 3, pause) })
			}
			wg.Wait()
			waitFor(t, time.Minute, "all changes delivered", func() bool {
				return len(rows(t, d, db.DeliveryPending)) == 0
			})
			if dead := rows(t, d, db.DeliveryDead); len(dead) != 0 {
				t.Fatalf("dead: %+v", dead)
			}
			checkDelivered(t, d, rc, docs)
			if got := len(rows(t, d, db.DeliveryDelivered)); got != 6*5+2*3 {
				t.Errorf("%d changes delivered, want 36", got)
			}
			rc.mu.Lock()
			defer rc.mu.Unlock()
			if rc.failed != 7 {
				t.Errorf("receiver failed %d deliveries, want 7", rc.failed)
			}
		})
	}
}

// TestDeadLetterHoldsBackItsDocument: a change that exhausts its attempts
// is dead and the document's later changes wait behind it (none is sent
// out of order), while another document's changes go on; the admin route
// lists it, and its resend delivers it and then the rest, in order.
func TestDeadLetterHoldsBackItsDocument(t *testing.T) {
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			rc := newReceiver(t)
			rc.failing = true
			d := open(t, e.URL(t))
			h := newHooks(t, d, rc.URL, 2)
			worker(t, d, h)
			stuck := lifecycle(t, d, false)
			waitFor(t, time.Minute, "the first change dead", func() bool { return len(rows(t, d, db.DeliveryDead)) == 1 })
			rc.set(func(rc *receiver) { rc.failing = false })
			other := lifecycle(t, d, true)
			waitFor(t, time.Minute, "the other document's changes delivered", func() bool {
				return len(rows(t, d, db.DeliveryDelivered)) == 3
			})
			time.Sleep(300 * time.Millisecond) // more than the longest backoff: nothing else may move
			dead, pending := rows(t, d, db.DeliveryDead), rows(t, d, db.DeliveryPending)
			if len(dead) != 1 || dead[0].DocumentID != stuck || dead[0].To != db.StateReceived || dead[0].Attempts != 2 ||
				!strings.Contains(dead[0].LastError, "503") {
				t.Fatalf("dead letters: %+v", dead)
			}
			if len(pending) != 4 {
				t.Fatalf("%d changes wait behind the dead one, want 4", len(pending))
			}
			for _, p := range pending {
				if p.DocumentID != stuck || p.Attempts != 0 {
					t.Errorf("a change behind the dead one was tried: %+v", p)
				}
			}

			admin := http.NewServeMux()
			admin.Handle("GET /state", h.ListHandler())
			admin.Handle("POST /state/{id}/resend", h.ResendHandler(func(*http.Request) string { return "admin:test" }))
			srv := httptest.NewServer(admin)
			defer srv.Close()
			var list struct {
				Changes []struct {
					ID    int64            `json:"id"`
					State db.DeliveryState `json:"state"`
				} `json:"changes"`
				NextCursor *string `json:"next_cursor"`
			}
			if code := getJSON(t, "GET", srv.URL+"/state?state=dead", &list); code != 200 || len(list.Changes) != 1 ||
				list.Changes[0].ID != dead[0].ID || list.NextCursor != nil {
				t.Fatalf("dead list: %d %+v", code, list)
			}
			if code := getJSON(t, "POST", fmt.Sprintf("%s/state/%d/resend", srv.URL, pending[0].ID), nil); code != http.StatusConflict {
				t.Errorf("resend of a pending change: %d, want 409", code)
			}
			if code := getJSON(t, "POST", fmt.Sprintf("%s/state/%d/resend", srv.URL, dead[0].ID), nil); code != http.StatusAccepted {
				t.Fatalf("resend: %d", code)
			}
			waitFor(t, time.Minute, "the stuck document's changes delivered", func() bool {
				return len(rows(t, d, db.DeliveryPending)) == 0 && len(rows(t, d, db.DeliveryDead)) == 0
			})
			checkDelivered(t, d, rc, []int64{stuck, other})
		})
	}
}

func getJSON(t *testing.T, method, url string, into any) int {
	t.Helper()
	req, _ := http.NewRequest(method, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if into != nil {
		if err := json.NewDecoder(resp.Body).Decode(into); err != nil {
			t.Fatal(err)
		}
	}
	return resp.StatusCode
}

// TestSurvivesRestart: changes recorded while the receiver is down and
// the worker is stopped midway — and changes made while no worker runs at
// all — are delivered, once and in order, by a new process on the same
// database; a change whose job was lost is found again by Resume.
func TestSurvivesRestart(t *testing.T) {
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			rc := newReceiver(t)
			rc.failing = true
			url := e.URL(t)
			first := open(t, url)
			h := newHooks(t, first, rc.URL, 1000)
			stop := worker(t, first, h)
			var docs []int64
			for range 3 {
				docs = append(docs, lifecycle(t, first, false))
			}
			waitFor(t, time.Minute, "attempts against the refusing receiver", func() bool {
				rc.mu.Lock()
				defer rc.mu.Unlock()
				return rc.failed >= 6
			})
			stop() // the process goes down mid-retry
			docs = append(docs, lifecycle(t, first, true))
			// A change recorded with its row but no job (as if the job had
			// been lost): only Resume finds it.
			lost, _, err := first.CreateDocument(context.Background(), nil, db.NewDocument{SHA256: strings.Repeat("f", 64),
				ObjectKey: "o", Size: 1, Source: db.SourceEmail})
			if err != nil {
				t.Fatal(err)
			}
			first.OnStateChange(nil)
			if err := first.Transition(context.Background(), nil, lost.ID, db.StateReceived, db.StateRejected, "admin:x", "не документ"); err != nil {
				t.Fatal(err)
			}
			if _, err := first.InsertStateWebhook(context.Background(), nil, db.StateChange{DocumentID: lost.ID, From: db.StateReceived,
				To: db.StateRejected, At: mustEvents(t, first, lost.ID)[1].At, Actor: "admin:x", Reason: "не документ"}); err != nil {
				t.Fatal(err)
			}
			docs = append(docs, lost.ID)
			if got := len(rows(t, first, db.DeliveryDelivered)); got != 0 {
				t.Fatalf("%d delivered to a refusing receiver", got)
			}
			rc.set(func(rc *receiver) { rc.failing = false })

			// The next life: its own pool, hooks and worker.
			second := open(t, url)
			h2 := newHooks(t, second, rc.URL, 1000)
			if n, err := h2.Resume(context.Background()); err != nil || n != len(docs) {
				t.Fatalf("resume: %d documents, %v; want %d", n, err, len(docs))
			}
			worker(t, second, h2)
			waitFor(t, time.Minute, "all changes delivered after the restart", func() bool {
				return len(rows(t, second, db.DeliveryPending)) == 0
			})
			checkDelivered(t, second, rc, docs)
		})
	}
}

func mustEvents(t *testing.T, d *db.DB, id int64) []db.Event {
	t.Helper()
	es, err := d.Events(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// TestConfig: New refuses what it cannot sign or reach; without a URL it
// records nothing and a resend says the webhook is off.
func TestConfig(t *testing.T) {
	d := open(t, dbtest.SQLiteURL(t))
	for _, cfg := range []statehook.Config{
		{DB: d, Endpoint: webhook.Endpoint{URL: "ftp://x", Secret: secret}},
		{DB: d, Endpoint: webhook.Endpoint{URL: "https://x"}},
		{DB: d, Endpoint: webhook.Endpoint{URL: "https://x", Secret: "whsec_!!"}},
		{Endpoint: webhook.Endpoint{URL: "https://x", Secret: secret}},
	} {
		if _, err := statehook.New(cfg); err == nil {
			t.Errorf("New(%+v) accepted", cfg)
		}
	}
	h, err := statehook.New(statehook.Config{DB: d})
	if err != nil || h.Enabled() {
		t.Fatalf("without a URL: %v, enabled %v", err, h.Enabled())
	}
	lifecycle(t, d, true)
	if got := len(rows(t, d, db.DeliveryPending)); got != 0 {
		t.Errorf("%d changes recorded without a URL", got)
	}
	if _, err := h.Resend(context.Background(), 1, "admin:x"); err == nil || errors.Is(err, db.ErrNotFound) {
		t.Errorf("resend without a URL: %v", err)
	}
}

// TestChangeAtFinishIsNotLost: a change that commits just as its
// document's job has found nothing more to send (the job still running,
// so the change's own job insert is dropped as a duplicate) is delivered
// by that job rather than left without one.
func TestChangeAtFinishIsNotLost(t *testing.T) {
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			rc := newReceiver(t)
			d := open(t, e.URL(t))
			h := newHooks(t, d, rc.URL, 10)
			var doc db.Document
			fired := 0
			statehook.SetBeforeFinish(func(id int64) {
				if id != doc.ID || fired > 0 {
					return
				}
				fired++
				if err := d.Transition(context.Background(), nil, doc.ID, db.StateReceived, db.StateProcessing, "pipeline:ingest", "в работе"); err != nil {
					t.Error(err)
				}
			})
			t.Cleanup(func() { statehook.SetBeforeFinish(nil) }) // after the worker has stopped
			var err error
			doc, _, err = d.CreateDocument(context.Background(), nil, db.NewDocument{SHA256: strings.Repeat("e", 64), ObjectKey: "o", Size: 1, Source: db.SourceUpload})
			if err != nil {
				t.Fatal(err)
			}
			worker(t, d, h)
			waitFor(t, 30*time.Second, "both changes delivered", func() bool {
				return len(rows(t, d, db.DeliveryDelivered)) == 2
			})
			if fired != 1 {
				t.Fatalf("the change at finish was made %d times", fired)
			}
			checkDelivered(t, d, rc, []int64{doc.ID})
		})
	}
}

// schemaKeys reads a schema of the served OpenAPI document (api/openapi.json):
// its property names (through allOf) and its required ones.
func schemaKeys(t *testing.T, name string) (props, required map[string]bool) {
	t.Helper()
	raw, err := os.ReadFile("../api/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	type schema struct {
		Ref        string                     `json:"$ref"`
		Required   []string                   `json:"required"`
		Properties map[string]json.RawMessage `json:"properties"`
		AllOf      []schema                   `json:"allOf"`
	}
	var doc struct {
		Components struct {
			Schemas map[string]schema `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	props, required = map[string]bool{}, map[string]bool{}
	var walk func(s schema)
	walk = func(s schema) {
		if s.Ref != "" {
			s = doc.Components.Schemas[strings.TrimPrefix(s.Ref, "#/components/schemas/")]
		}
		for k := range s.Properties {
			props[k] = true
		}
		for _, k := range s.Required {
			required[k] = true
		}
		for _, a := range s.AllOf {
			walk(a)
		}
	}
	s, ok := doc.Components.Schemas[name]
	if !ok {
		t.Fatalf("api/openapi.json has no schema %s", name)
	}
	walk(s)
	return props, required
}

// keysOf is the set of an encoded object's keys.
func keysOf(t *testing.T, v any) map[string]bool {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for k := range m {
		out[k] = true
	}
	return out
}

func sameKeys(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

// TestMessageAsDocumented: the body a receiver gets has exactly the fields
// the OpenAPI document's StateChangeMessage and StateChange name, all of
// them always present (from and failure as null), and the admin list's
// items those of StateChangeDelivery.
func TestMessageAsDocumented(t *testing.T) {
	from := db.StateProcessing
	m := statehook.Message{Event: statehook.EventStateChanged, Change: statehook.Change{From: &from, To: db.StateFailed,
		Failure: &statehook.Failure{Code: pervichka.CodeCorrupt}}}
	if props, required := schemaKeys(t, "StateChangeMessage"); !sameKeys(keysOf(t, m), props) || !sameKeys(props, required) {
		t.Errorf("message keys %v, documented %v (required %v)", keysOf(t, m), props, required)
	}
	bare := statehook.Change{To: db.StateReceived}
	if props, required := schemaKeys(t, "StateChange"); !sameKeys(keysOf(t, bare), props) || !sameKeys(props, required) {
		t.Errorf("change keys %v, documented %v (required %v)", keysOf(t, bare), props, required)
	}

	rc := newReceiver(t)
	rc.failing = true
	d := open(t, dbtest.SQLiteURL(t))
	h := newHooks(t, d, rc.URL, 1)
	worker(t, d, h)
	lifecycle(t, d, true)
	waitFor(t, 30*time.Second, "a dead letter", func() bool { return len(rows(t, d, db.DeliveryDead)) == 1 })
	srv := httptest.NewServer(h.ListHandler())
	defer srv.Close()
	var list struct {
		Changes []map[string]json.RawMessage `json:"changes"`
	}
	if code := getJSON(t, "GET", srv.URL, &list); code != 200 || len(list.Changes) != 1 {
		t.Fatalf("list: %d %d changes", code, len(list.Changes))
	}
	props, required := schemaKeys(t, "StateChangeDelivery")
	got := map[string]bool{}
	for k := range list.Changes[0] {
		got[k] = true
		if !props[k] {
			t.Errorf("list item has %s, not documented", k)
		}
	}
	for k := range required {
		if !got[k] {
			t.Errorf("list item lacks required %s", k)
		}
	}
}
