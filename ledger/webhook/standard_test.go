package webhook

import (
	"encoding/base64"
	"errors"
	"net/http"
	"testing"
	"time"
)

// The Standard Webhooks test vector: its secret, id, timestamp and payload
// give its signature, so any Standard Webhooks library verifies ours.
func TestStandardVector(t *testing.T) {
	key, err := Key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	if err != nil {
		t.Fatal(err)
	}
	ts := time.Unix(1614265330, 0)
	body := []byte(`{"test": 2432232314}`)
	const want = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
	if got := SignStandard(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", ts, body); got != want {
		t.Fatalf("SignStandard = %s, want %s", got, want)
	}
}

// The reference receiver's check refuses an old (replayed) delivery, one
// from too far ahead, an altered body or id, another key, and missing
// headers; it accepts a fresh one, also among rotated signatures.
func TestVerifyStandard(t *testing.T) {
	key, _ := Key("whsec_" + base64.StdEncoding.EncodeToString([]byte("a 32-byte key for the test suite")))
	other := []byte("another key")
	body := []byte(`{"event":"ledger.posting","posting":{"id":7}}`)
	now := time.Unix(1_800_000_000, 0)
	signed := func(k []byte, id string, ts time.Time, b []byte) http.Header {
		h := http.Header{}
		SetHeaders(h, k, id, ts, b)
		return h
	}
	rotated := signed(key, "pervichka-posting-7", now, body)
	rotated.Set(StandardSignatureHeader, SignStandard(other, "pervichka-posting-7", now, body)+" "+rotated.Get(StandardSignatureHeader))
	altered := signed(key, "pervichka-posting-7", now, body)
	altered.Set(IDHeader, "pervichka-posting-8")
	for _, tc := range []struct {
		name string
		h    http.Header
		body []byte
		want error
	}{
		{"fresh", signed(key, "pervichka-posting-7", now.Add(-30*time.Second), body), body, nil},
		{"rotated keys", rotated, body, nil},
		{"replayed 6 minutes later", signed(key, "pervichka-posting-7", now.Add(-6*time.Minute), body), body, ErrTimestamp},
		{"from the future", signed(key, "pervichka-posting-7", now.Add(6*time.Minute), body), body, ErrTimestamp},
		{"altered body", signed(key, "pervichka-posting-7", now, body), []byte(`{"event":"ledger.posting","posting":{"id":8}}`), ErrSignature},
		{"altered id", altered, body, ErrSignature},
		{"other key", signed(other, "pervichka-posting-7", now, body), body, ErrSignature},
		{"no headers", http.Header{}, body, ErrMissingHeaders},
	} {
		if err := VerifyStandard(key, tc.h, tc.body, now, DefaultTolerance); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	if _, err := Key("whsec_not base64!"); err == nil {
		t.Error("a whsec_ secret that is not base64 was taken")
	}
}
