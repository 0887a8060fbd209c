package webhook

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Endpoint says where and how one of Pervichka's webhooks delivers: the
// ledger's postings and the documents' state changes take the same
// settings and check them the same way (Prepare).
type Endpoint struct {
	// URL receives the deliveries; "" turns the webhook off.
	URL string
	// Secret is the HMAC-SHA256 key, required with URL: "whsec_<base64>"
	// as Standard Webhooks libraries take it, or any other string as its
	// own bytes (Key).
	Secret string
	// MaxAttempts before a delivery is dead (default DefaultMaxAttempts).
	MaxAttempts int
	// Backoff is the wait after the first failure, doubled after each
	// next one up to MaxBackoff (defaults DefaultBackoff and
	// DefaultMaxBackoff).
	Backoff    time.Duration
	MaxBackoff time.Duration
	// Timeout of one attempt (default DefaultTimeout).
	Timeout time.Duration
	Client  *http.Client // default: one with Timeout
}

// Prepare checks an endpoint with a URL and fills its zero settings with
// the defaults; it returns the signing key. An endpoint without a URL is
// left as it is (nil key): the webhook is off.
func (e *Endpoint) Prepare() ([]byte, error) {
	if e.URL == "" {
		return nil, nil
	}
	if !strings.HasPrefix(e.URL, "http://") && !strings.HasPrefix(e.URL, "https://") {
		return nil, fmt.Errorf("webhook URL %q is not http(s)", e.URL)
	}
	if e.Secret == "" {
		return nil, errors.New("a webhook URL needs a secret to sign with")
	}
	key, err := Key(e.Secret)
	if err != nil {
		return nil, err
	}
	if e.MaxAttempts <= 0 {
		e.MaxAttempts = DefaultMaxAttempts
	}
	if e.Backoff <= 0 {
		e.Backoff = DefaultBackoff
	}
	if e.MaxBackoff <= 0 {
		e.MaxBackoff = DefaultMaxBackoff
	}
	if e.Timeout <= 0 {
		e.Timeout = DefaultTimeout
	}
	if e.Client == nil {
		e.Client = &http.Client{Timeout: e.Timeout}
	}
	return key, nil
}
