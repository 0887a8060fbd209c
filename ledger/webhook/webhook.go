// Package webhook holds the wire contract of Pervichka's webhooks to an
// accounting system — the ledger's postings and the documents' state
// changes (package statehook): the headers, the HMAC-SHA256 signature over
// id, time and body that lets the receiver check a delivery came from us,
// was not altered and is not a replay, and the one sender and retry policy
// both use. It is its own package so that a receiver (ours in tests, or an
// integrator's Go code) can verify without importing the ledger.
package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

const (
	// SignatureHeader carries "sha256=<hex HMAC-SHA256 of the body>".
	SignatureHeader = "X-Pervichka-Signature"
	// IdempotencyHeader carries a key that is the same on every attempt and
	// every resend of one posting: a receiver that has seen it must answer
	// 2xx and not book the posting again.
	IdempotencyHeader = "Idempotency-Key"
	// DeliveryHeader is the delivery's id, AttemptHeader its attempt number
	// (1-based), for the receiver's logs.
	DeliveryHeader = "X-Pervichka-Delivery"
	AttemptHeader  = "X-Pervichka-Attempt"

	prefix = "sha256="
)

// Sign returns the SignatureHeader value for body under secret.
func Sign(secret, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return prefix + hex.EncodeToString(m.Sum(nil))
}

// Verify reports whether header is body's signature under secret. The
// comparison takes the same time wherever the first differing byte is.
func Verify(secret, body []byte, header string) bool {
	got, ok := strings.CutPrefix(header, prefix)
	if !ok {
		return false
	}
	sum, err := hex.DecodeString(got)
	if err != nil {
		return false
	}
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return hmac.Equal(sum, m.Sum(nil))
}
