package mail

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseMailboxURL(t *testing.T) {
	for _, tc := range []struct {
		url  string
		want Mailbox
		err  string
	}{
		{url: "imaps://docs%40romashka.ru:p%40ss@imap.yandex.ru/INBOX",
			want: Mailbox{Addr: "imap.yandex.ru:993", User: "docs@romashka.ru", Password: "p@ss", Folder: "INBOX", Security: "tls"}},
		{url: "imap://u:p@mail.local?move_to=Processed",
			want: Mailbox{Addr: "mail.local:143", User: "u", Password: "p", Folder: "INBOX", Security: "starttls", MoveTo: "Processed"}},
		{url: "imap://u:p@127.0.0.1:1143/Docs?plaintext=allow",
			want: Mailbox{Addr: "127.0.0.1:1143", User: "u", Password: "p", Folder: "Docs", Security: "plaintext"}},
		{url: "imaps://u:p@host/INBOX?plaintext=allow", err: "only with imap://"},
		{url: "pop3://u:p@host", err: "scheme"},
		{url: "imaps://host/INBOX", err: "no user"},
		{url: "imaps://u:p@host/INBOX?tls=off", err: "unknown parameter"},
		{url: "imaps://u:secret@host:x/", err: "cannot parse"},
	} {
		got, err := ParseMailboxURL(tc.url)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: %v, want an error with %q", tc.url, err, tc.err)
			}
			if err != nil && strings.Contains(err.Error(), "secret") {
				t.Errorf("%s: the error shows the password: %v", tc.url, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%s: %+v, %v; want %+v", tc.url, got, err, tc.want)
		}
	}
}

func TestMailboxesFromEnv(t *testing.T) {
	file := filepath.Join(t.TempDir(), "imap.json")
	if err := os.WriteFile(file, []byte(`[{"url": "imaps://b:p@mail.example/INBOX"}]`), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"PERVICHKA_IMAP_1_URL": "imaps://a:p@mail.example/INBOX",
		"PERVICHKA_IMAP_3_URL": "imaps://skipped:p@mail.example/INBOX", // after a gap: not read
		"PERVICHKA_IMAP_FILE":  file,
	}
	got, err := MailboxesFromEnv(func(k string) string { return env[k] })
	if err != nil || len(got) != 2 || got[0].User != "a" || got[1].User != "b" {
		t.Fatalf("%+v, %v", got, err)
	}
	env["PERVICHKA_IMAP_2_URL"] = "imaps://b:p@mail.example/INBOX"
	if _, err := MailboxesFromEnv(func(k string) string { return env[k] }); err == nil {
		t.Fatal("the same mailbox twice was accepted")
	}
	if got, err := MailboxesFromEnv(func(string) string { return "" }); err != nil || len(got) != 0 {
		t.Fatalf("no configuration: %+v, %v", got, err)
	}
}

func TestForwardDepthIsBounded(t *testing.T) {
	inner := []byte("From: a@b.ru\r\nSubject: x\r\nContent-Type: multipart/mixed; boundary=\"z\"\r\n\r\n--z\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"a.pdf\"\r\n\r\n%PDF-1.4 x\r\n--z--\r\n")
	msg := inner
	for i := 0; i <= MaxDepth+1; i++ {
		b := "l" + strings.Repeat("x", i)
		msg = []byte("From: a@b.ru\r\nSubject: fwd\r\nContent-Type: multipart/mixed; boundary=\"" + b + "\"\r\n\r\n--" + b +
			"\r\nContent-Type: message/rfc822\r\n\r\n" + string(msg) + "\r\n--" + b + "--\r\n")
	}
	m := Parse(msg)
	if len(m.Parts) != 0 || len(m.Problems) == 0 || !strings.Contains(strings.Join(m.Problems, ";"), "deeper") {
		t.Fatalf("parts %d, problems %q: a nesting deeper than %d must not be opened, and say so", len(m.Parts), m.Problems, MaxDepth)
	}
	shallow := []byte("From: a@b.ru\r\nSubject: fwd\r\nContent-Type: multipart/mixed; boundary=\"q\"\r\n\r\n--q\r\nContent-Type: message/rfc822\r\n\r\n" + string(inner) + "\r\n--q--\r\n")
	m = Parse(shallow)
	if len(m.Parts) != 1 || m.Parts[0].Name != "a.pdf" || m.Parts[0].Where != "forwarded/attachment" || !m.Parts[0].Document {
		t.Fatalf("forwarded once: %+v", m.Parts)
	}
}
