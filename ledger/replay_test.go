package ledger_test

import (
	"bytes"
	"net/http"
	"testing"
	"time"

	"github.com/pervichka/pervichka/ledger/webhook"
)

// The reference receiver (a separate process, as an accounting system
// would be) refuses a delivery whose timestamp is older than the tolerance
// — a captured delivery replayed — and one whose body was altered after
// signing; it books a fresh, intact one.
func TestReceiverRefusesReplayAndAlteration(t *testing.T) {
	const secret = "whsec_c2VjcmV0IGtleSBvZiB0aGUgcmVwbGF5IHRlc3Q="
	base := receiver(t, "-secret", secret)
	key, err := webhook.Key(secret)
	if err != nil {
		t.Fatal(err)
	}
	body := []byte(`{"event":"ledger.posting","posting":{"id":41}}`)
	send := func(signedAt time.Time, signed, sent []byte) int {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, base+"/hook", bytes.NewReader(sent))
		webhook.SetHeaders(req.Header, key, "pervichka-posting-41", signedAt, signed)
		req.Header.Set(webhook.IdempotencyHeader, "pervichka-posting-41")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := send(time.Now().Add(-webhook.DefaultTolerance-time.Minute), body, body); code != http.StatusUnauthorized {
		t.Errorf("delivery signed %s ago: %d, want 401", webhook.DefaultTolerance+time.Minute, code)
	}
	if code := send(time.Now(), body, []byte(`{"event":"ledger.posting","posting":{"id":42}}`)); code != http.StatusUnauthorized {
		t.Errorf("altered body: %d, want 401", code)
	}
	if code := send(time.Now(), body, body); code != http.StatusOK {
		t.Errorf("fresh delivery: %d, want 200", code)
	}
	if s := statsOf(t, base); s.BadSignatures != 2 || s.Accepted["pervichka-posting-41"] != 1 {
		t.Errorf("receiver: %d refused, accepted %v; want 2 refused and the fresh one booked", s.BadSignatures, s.Accepted)
	}
}
