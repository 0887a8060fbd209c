package webhook_test

import (
	"testing"

	"github.com/pervichka/pervichka/ledger/webhook"
)

// Prepare refuses what cannot be signed or reached and fills the defaults.
func TestEndpointPrepare(t *testing.T) {
	t.Parallel()
	for _, e := range []webhook.Endpoint{
		{URL: "ftp://x", Secret: "s"},
		{URL: "https://x"},
		{URL: "https://x", Secret: "whsec_!!"},
		{URL: "x.example/hook", Secret: "s"},
	} {
		if _, err := e.Prepare(); err == nil {
			t.Errorf("Prepare(%+v) accepted", e)
		}
	}
	off := webhook.Endpoint{}
	if key, err := off.Prepare(); err != nil || key != nil || off.Client != nil {
		t.Errorf("no URL: key %v, err %v, client %v; want the webhook off", key, err, off.Client)
	}
	e := webhook.Endpoint{URL: "https://x.example/hook", Secret: "s", MaxAttempts: 3}
	key, err := e.Prepare()
	if err != nil || string(key) != "s" {
		t.Fatalf("key %q, err %v", key, err)
	}
	if e.MaxAttempts != 3 || e.Backoff != webhook.DefaultBackoff || e.MaxBackoff != webhook.DefaultMaxBackoff ||
		e.Timeout != webhook.DefaultTimeout || e.Client == nil || e.Client.Timeout != webhook.DefaultTimeout {
		t.Errorf("defaults not filled: %+v", e)
	}
}
