package webhook

import "testing"

func TestSignVerify(t *testing.T) {
	secret, body := []byte("s3cret"), []byte(`{"posting":{"id":1}}`)
	sig := Sign(secret, body)
	// HMAC-SHA256("s3cret", body), computed independently with
	// `printf '%s' BODY | openssl dgst -sha256 -hmac s3cret`.
	const want = "sha256=16a0ccf4ea9adcf3fbe1cf7bf69a226408ded755d8b5e5c87fa0d3f7ab174b3b"
	if sig != want {
		t.Fatalf("Sign = %s, want %s", sig, want)
	}
	tests := []struct {
		name   string
		secret []byte
		body   []byte
		header string
		ok     bool
	}{
		{"signed", secret, body, sig, true},
		{"other body", secret, []byte(`{"posting":{"id":2}}`), sig, false},
		{"other secret", []byte("other"), body, sig, false},
		{"no prefix", secret, body, sig[len("sha256="):], false},
		{"not hex", secret, body, "sha256=zz", false},
		{"empty", secret, body, "", false},
	}
	for _, tt := range tests {
		if got := Verify(tt.secret, tt.body, tt.header); got != tt.ok {
			t.Errorf("%s: Verify = %v, want %v", tt.name, got, tt.ok)
		}
	}
}
