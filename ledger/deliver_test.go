package ledger_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/pervichka/pervichka/ledger"
	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/db/dbtest"
)

var (
	receiverOnce sync.Once
	receiverBin  string
	receiverErr  error
)

// receiver starts the test receiver as its own process and returns its
// base URL; it is killed when t ends.
func receiver(t testing.TB, args ...string) string {
	t.Helper()
	receiverOnce.Do(func() {
		dir, err := os.MkdirTemp("", "testreceiver")
		if err != nil {
			receiverErr = err
			return
		}
		receiverBin = filepath.Join(dir, "testreceiver")
		out, err := exec.Command("go", "build", "-o", receiverBin, "./internal/testreceiver").CombinedOutput()
		if err != nil {
			receiverErr = fmt.Errorf("build receiver: %v\n%s", err, out)
		}
	})
	if receiverErr != nil {
		t.Fatal(receiverErr)
	}
	cmd := exec.Command(receiverBin, args...)
	cmd.Stderr = os.Stderr
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
		t.Fatalf("receiver did not start: %v", err)
	}
	return strings.TrimSpace(strings.TrimPrefix(line, "listening "))
}

type receiverStats struct {
	Requests      int            `json:"requests"`
	BadSignatures int            `json:"bad_signatures"`
	Mismatches    int            `json:"mismatches"`
	Failed        int            `json:"failed"`
	Accepted      map[string]int `json:"accepted"`
}

func statsOf(t testing.TB, base string) receiverStats {
	t.Helper()
	resp, err := http.Get(base + "/stats")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var s receiverStats
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

// worker starts a River client on d that works only the ledger's deliveries.
func worker(t testing.TB, d *db.DB, l *ledger.Ledger) *db.Queue {
	t.Helper()
	workers := river.NewWorkers()
	l.Register(workers)
	q, err := d.NewQueue(&river.Config{Queues: l.Queues(), Workers: workers, FetchPollInterval: 50 * time.Millisecond,
		FetchCooldown: 20 * time.Millisecond, Logger: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = q.StopAndCancel(ctx)
	})
	return q
}

// waitDeliveries waits until n deliveries are in state.
func waitDeliveries(t testing.TB, d *db.DB, state db.DeliveryState, n int, timeout time.Duration) []db.Delivery {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ds, err := d.Deliveries(context.Background(), state, 0, db.MaxListLimit)
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) >= n {
			return ds
		}
		if time.Now().After(deadline) {
			pending, _ := d.Deliveries(context.Background(), db.DeliveryPending, 0, db.MaxListLimit)
			t.Fatalf("%d deliveries %s after %s, want %d (pending: %+v)", len(ds), state, timeout, n, pending)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestWebhookDelivery: a receiver that fails the first deliveries gets
// every posting (stornos included) exactly once by idempotency key, each
// signed.
func TestWebhookDelivery(t *testing.T) {
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			const secret, failFirst = "webhook-secret", 5
			base := receiver(t, "-secret", secret, "-fail-first", fmt.Sprint(failFirst))
			d := open(t, e.URL(t))
			l := newLedger(t, d, ledger.WebhookConfig{URL: base + "/hook", Secret: secret, MaxAttempts: 10,
				Backoff: 20 * time.Millisecond, MaxBackoff: 200 * time.Millisecond, Timeout: 5 * time.Second})
			q := worker(t, d, l)
			ctx := t.Context()
			var ids []int64
			for i := range 10 {
				id := newDoc(t, d, act(fmt.Sprintf("W-%d", i)), db.StateAutoApproved)
				if err := post(ctx, d, l, q, id, "pipeline:post"); err != nil {
					t.Fatal(err)
				}
				ids = append(ids, id)
			}
			// A correction delivers its storno and its new posting too.
			r := act("W-0")
			r.Total = "24000.00"
			b, _ := json.Marshal(r)
			err := d.InTx(ctx, func(tx *db.Tx) error {
				doc, err := d.LockDocument(ctx, tx, ids[0])
				if err != nil {
					return err
				}
				if _, err := d.SaveResult(ctx, tx, ids[0], doc.Version, b, fieldsOf(r)); err != nil {
					return err
				}
				return l.CorrectTx(ctx, tx, q, ids[0], "clerk")
			})
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]bool{}
			for _, id := range ids {
				ps, _ := d.DocumentPostings(ctx, nil, id)
				for _, p := range ps {
					want[ledger.IdempotencyKey(p.ID)] = true
				}
			}
			if len(want) != 12 {
				t.Fatalf("%d postings, want 12", len(want))
			}
			waitDeliveries(t, d, db.DeliveryDelivered, len(want), 60*time.Second)
			s := statsOf(t, base)
			if s.BadSignatures != 0 || s.Mismatches != 0 {
				t.Errorf("receiver saw %d bad signatures and %d mismatched keys", s.BadSignatures, s.Mismatches)
			}
			if s.Failed != failFirst {
				t.Errorf("receiver failed %d deliveries, want %d", s.Failed, failFirst)
			}
			for key := range want {
				if s.Accepted[key] != 1 {
					t.Errorf("%s accepted %d times, want 1", key, s.Accepted[key])
				}
			}
			if len(s.Accepted) != len(want) {
				t.Errorf("receiver accepted %d keys, want %d", len(s.Accepted), len(want))
			}
		})
	}
}

// TestDeadLetters: when the receiver never recovers, every delivery ends
// dead after its last attempt, visible to an admin; a resend after the
// receiver recovers delivers it once. A wrong secret is refused by the
// receiver and dies the same way.
func TestDeadLetters(t *testing.T) {
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			const secret, attempts = "webhook-secret", 3
			base := receiver(t, "-secret", secret, "-always-fail")
			d := open(t, e.URL(t))
			wh := ledger.WebhookConfig{URL: base + "/hook", Secret: secret, MaxAttempts: attempts,
				Backoff: 10 * time.Millisecond, MaxBackoff: 50 * time.Millisecond, Timeout: 5 * time.Second}
			l := newLedger(t, d, wh)
			q := worker(t, d, l)
			ctx := t.Context()
			for i := range 2 {
				id := newDoc(t, d, act(fmt.Sprintf("X-%d", i)), db.StateAutoApproved)
				if err := post(ctx, d, l, q, id, "pipeline:post"); err != nil {
					t.Fatal(err)
				}
			}
			dead := waitDeliveries(t, d, db.DeliveryDead, 2, 60*time.Second)
			for _, dl := range dead {
				if dl.Attempts != attempts || !strings.Contains(dl.LastError, "503") {
					t.Errorf("dead delivery %+v: want %d attempts ending in 503", dl, attempts)
				}
			}
			if s := statsOf(t, base); s.Failed != 2*attempts || len(s.Accepted) != 0 {
				t.Errorf("receiver failed %d and accepted %d, want %d and 0", s.Failed, len(s.Accepted), 2*attempts)
			}
			// A delivered or pending delivery cannot be resent.
			if _, err := l.Resend(ctx, q, dead[0].ID+1000, "admin"); err == nil {
				t.Error("resent a missing delivery")
			}

			if _, err := http.Post(base+"/recover", "", nil); err != nil {
				t.Fatal(err)
			}
			for _, dl := range dead {
				if _, err := l.Resend(ctx, q, dl.ID, "admin"); err != nil {
					t.Fatal(err)
				}
			}
			waitDeliveries(t, d, db.DeliveryDelivered, 2, 60*time.Second)
			s := statsOf(t, base)
			for _, dl := range dead {
				if key := ledger.IdempotencyKey(dl.PostingID); s.Accepted[key] != 1 {
					t.Errorf("%s accepted %d times after resend, want 1", key, s.Accepted[key])
				}
			}
			if _, err := l.Resend(ctx, q, dead[0].ID, "admin"); err == nil {
				t.Error("resent a delivered delivery")
			}

			// The receiver refuses a delivery signed with another secret.
			// (Stop the right secret's worker, lest it take the job.)
			stop, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			if err := q.Stop(stop); err != nil {
				t.Fatal(err)
			}
			wrong := wh
			wrong.Secret = "not-the-secret"
			lw := newLedger(t, d, wrong)
			qw := worker(t, d, lw)
			id := newDoc(t, d, act("X-wrong"), db.StateAutoApproved)
			if err := post(ctx, d, lw, qw, id, "pipeline:post"); err != nil {
				t.Fatal(err)
			}
			dead = waitDeliveries(t, d, db.DeliveryDead, 1, 60*time.Second)
			if !strings.Contains(dead[0].LastError, "401") {
				t.Errorf("wrongly signed delivery died of %q, want 401", dead[0].LastError)
			}
			if s := statsOf(t, base); s.BadSignatures != attempts {
				t.Errorf("receiver saw %d bad signatures, want %d", s.BadSignatures, attempts)
			}
		})
	}
}
