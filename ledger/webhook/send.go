package webhook

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"time"
)

// The retry policy both of Pervichka's webhooks (the ledger's postings and
// the documents' state changes) start from when a setting is left at zero.
const (
	// DefaultMaxAttempts before a delivery is a dead letter: with the
	// default backoff about 11 hours of trying, a night's outage of the
	// receiver.
	DefaultMaxAttempts = 12
	// DefaultBackoff is the wait after the first failure; it doubles after
	// each next one up to DefaultMaxBackoff.
	DefaultBackoff    = 10 * time.Second
	DefaultMaxBackoff = time.Hour
	// DefaultTimeout bounds one attempt: a receiver that has not answered
	// in 30 s is counted as failed and asked again later.
	DefaultTimeout = 30 * time.Second
)

// Backoff is the wait before attempt+1 after attempt failed (attempt is
// 1-based): base doubled after each failure up to limit, with ±10 % jitter
// so that deliveries failed together by one receiver outage do not all
// come back at the same instant.
func Backoff(base, limit time.Duration, attempt int) time.Duration {
	d := base
	for i := 1; i < attempt && d < limit; i++ {
		d *= 2
	}
	d = min(d, limit)
	return d + time.Duration((rand.Float64()*0.2-0.1)*float64(d))
}

// Send POSTs one delivery: body as JSON to url, signed at the moment of
// sending with the Standard Webhooks headers for message id (the same id on
// every attempt, so the receiver dedupes by it), plus the extra headers
// (which may replace the User-Agent).
// Any answer but 2xx, or none before ctx ends, is an error to retry; the
// error quotes the start of the receiver's answer for the dead letter.
func Send(ctx context.Context, client *http.Client, url string, key []byte, id string, body []byte, extra http.Header) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("webhook request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "pervichka")
	for k, vs := range extra {
		req.Header[k] = vs
	}
	SetHeaders(req.Header, key, id, time.Now(), body)
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("webhook: %w", err)
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("webhook answered %s: %q", resp.Status, snippet)
	}
	return nil
}
