package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/pervichka/pervichka/ledger/webhook"
	"github.com/pervichka/pervichka/statehook"
)

// stateReceiver is an accounting system's state webhook endpoint: it
// checks each delivery with webhook.VerifyStandard and keeps the changes
// in arrival order, dropping repeats by webhook-id.
type stateReceiver struct {
	*httptest.Server
	mu         sync.Mutex
	refused    int
	seen       map[string]bool
	byDocument map[int64][]statehook.Change
}

func newStateReceiver(t *testing.T, secret string) *stateReceiver {
	t.Helper()
	key, err := webhook.Key(secret)
	if err != nil {
		t.Fatal(err)
	}
	rc := &stateReceiver{seen: map[string]bool{}, byDocument: map[int64][]statehook.Change{}}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		rc.mu.Lock()
		defer rc.mu.Unlock()
		var m statehook.Message
		if err != nil || webhook.VerifyStandard(key, r.Header, body, time.Now(), webhook.DefaultTolerance) != nil ||
			json.Unmarshal(body, &m) != nil || r.Header.Get(webhook.IDHeader) != statehook.MessageID(m.Change.ID) {
			rc.refused++
			http.Error(w, "refused", http.StatusBadRequest)
			return
		}
		if id := r.Header.Get(webhook.IDHeader); !rc.seen[id] {
			rc.seen[id] = true
			rc.byDocument[m.Change.DocumentID] = append(rc.byDocument[m.Change.DocumentID], m.Change)
		}
	}))
	t.Cleanup(rc.Close)
	return rc
}

// changes returns a copy of what arrived for a document.
func (rc *stateReceiver) changes(id int64) []statehook.Change {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]statehook.Change(nil), rc.byDocument[id]...)
}

// checkStateChanges waits until the document's changes up to last have
// arrived, then compares them with the document's history in the API.
func checkStateChanges(t *testing.T, rc *stateReceiver, base, token string, id int64, last string, deadline time.Time) {
	t.Helper()
	for {
		got := rc.changes(id)
		if len(got) > 0 && string(got[len(got)-1].To) == last {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("document %d: changes %+v, want up to %s", id, got, last)
		}
		time.Sleep(100 * time.Millisecond)
	}
	var doc struct {
		Events []struct {
			At     time.Time `json:"at"`
			Actor  string    `json:"actor"`
			From   *string   `json:"from"`
			To     string    `json:"to"`
			Reason string    `json:"reason"`
		} `json:"events"`
	}
	if code := doJSON(t, authed(t, http.MethodGet, fmt.Sprintf("%s/api/v1/documents/%d", base, id), token), &doc); code != http.StatusOK {
		t.Fatalf("GET document %d: %d", id, code)
	}
	got := rc.changes(id)
	if len(got) != len(doc.Events) {
		t.Fatalf("document %d: %d changes delivered, its history has %d: %+v", id, len(got), len(doc.Events), got)
	}
	for i, e := range doc.Events {
		c := got[i]
		from := ""
		if c.From != nil {
			from = string(*c.From)
		}
		efrom := ""
		if e.From != nil {
			efrom = *e.From
		}
		if from != efrom || string(c.To) != e.To || c.Actor != e.Actor || c.Reason != e.Reason || !c.At.Equal(e.At) ||
			c.Links.Document != fmt.Sprintf("https://pervichka.example/api/v1/documents/%d", id) {
			t.Errorf("document %d change %d: %+v, history %+v", id, i, c, e)
		}
	}
}
