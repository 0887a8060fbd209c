package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The Standard Webhooks headers (standardwebhooks.com): the signature covers
// the message id and the send time with the body, so that a captured
// delivery cannot be replayed later (its timestamp is old) nor altered (the
// HMAC breaks), and a receiver dedupes by the id.
const (
	// IDHeader is the message id: the same on every attempt and resend of
	// one message (for a posting, its idempotency key).
	IDHeader = "webhook-id"
	// TimestampHeader is the send time of this attempt, Unix seconds.
	TimestampHeader = "webhook-timestamp"
	// StandardSignatureHeader is "v1,<base64 HMAC-SHA256(key, id.timestamp.body)>";
	// several, space-separated, while a key is rotated.
	StandardSignatureHeader = "webhook-signature"
)

// DefaultTolerance is how far a delivery's timestamp may be from the
// receiver's clock, either way: the Standard Webhooks libraries' default.
// A replay later than that is refused; clocks must agree within it (NTP
// keeps them within a second).
const DefaultTolerance = 5 * time.Minute

// secretPrefix marks a key written as Standard Webhooks secrets are:
// "whsec_" and the key's bytes in base64.
const secretPrefix = "whsec_"

// Key returns the HMAC key of a configured secret: the decoded bytes of a
// "whsec_<base64>" secret, or the string's own bytes otherwise.
func Key(secret string) ([]byte, error) {
	b64, ok := strings.CutPrefix(secret, secretPrefix)
	if !ok {
		return []byte(secret), nil
	}
	key, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(key) == 0 {
		return nil, errors.New("webhook secret: whsec_ must be followed by the key in base64")
	}
	return key, nil
}

// SignStandard returns the webhook-signature value for a message.
func SignStandard(key []byte, id string, ts time.Time, body []byte) string {
	return "v1," + base64.StdEncoding.EncodeToString(mac(key, id, ts.Unix(), body))
}

func mac(key []byte, id string, unix int64, body []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(id + "." + strconv.FormatInt(unix, 10) + "."))
	m.Write(body)
	return m.Sum(nil)
}

// SetHeaders sets the three Standard Webhooks headers on h.
func SetHeaders(h http.Header, key []byte, id string, ts time.Time, body []byte) {
	h.Set(IDHeader, id)
	h.Set(TimestampHeader, strconv.FormatInt(ts.Unix(), 10))
	h.Set(StandardSignatureHeader, SignStandard(key, id, ts, body))
}

// Errors of VerifyStandard.
var (
	ErrMissingHeaders = errors.New("webhook: webhook-id, webhook-timestamp or webhook-signature missing")
	ErrTimestamp      = errors.New("webhook: timestamp outside the tolerance (an old or replayed delivery, or clocks apart)")
	ErrSignature      = errors.New("webhook: no signature matches (altered, or signed with another key)")
)

// VerifyStandard checks a received delivery: the headers present, the
// timestamp within tolerance of now, and one of the v1 signatures equal to
// the HMAC of id, timestamp and the raw body. Check before parsing the body,
// and dedupe by the id.
func VerifyStandard(key []byte, h http.Header, body []byte, now time.Time, tolerance time.Duration) error {
	id, tsText, sigs := h.Get(IDHeader), h.Get(TimestampHeader), h.Get(StandardSignatureHeader)
	if id == "" || tsText == "" || sigs == "" {
		return ErrMissingHeaders
	}
	unix, err := strconv.ParseInt(tsText, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: %q", ErrTimestamp, tsText)
	}
	if d := now.Sub(time.Unix(unix, 0)); d > tolerance || d < -tolerance {
		return ErrTimestamp
	}
	want := mac(key, id, unix, body)
	for _, s := range strings.Fields(sigs) {
		v, b64, ok := strings.Cut(s, ",")
		if !ok || v != "v1" {
			continue
		}
		if got, err := base64.StdEncoding.DecodeString(b64); err == nil && hmac.Equal(got, want) {
			return nil
		}
	}
	return ErrSignature
}
