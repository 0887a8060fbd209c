package mail_test

import (
	"crypto/tls"
	"strings"
	"testing"

	"github.com/pervichka/pervichka/intake/mail"
	"github.com/pervichka/pervichka/intake/mail/mailtest"
	"github.com/pervichka/pervichka/storage/db/dbtest"
)

// TestTLS: imaps:// and STARTTLS both work against Dovecot with a
// certificate the poller is told to trust, and refuse the same server when
// it is not trusted: TLS is verified, not merely switched on.
func TestTLS(t *testing.T) {
	dc := mailtest.StartTLS(t)
	env := newMailEnv(t, dbtest.SQLiteURL(t))
	plain := dc.Mailbox
	dc.Deliver(t, "INBOX", message("<tls@petrov.ru>", "petrov@petrov.ru", "Счёт", "multipart/mixed",
		text("Счёт"), attachment("application/pdf", "s.pdf", corpus(t, "001-invoice.pdf"))))

	implicit := plain
	implicit.Addr, implicit.Security = dc.TLSAddr, "tls"
	starttls := plain
	starttls.Security = "starttls"
	for _, tc := range []struct {
		name string
		mb   mail.Mailbox
	}{{"imaps", implicit}, {"starttls", starttls}} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := mail.NewPoller(tc.mb, env.recv, mail.Options{}).Poll(t.Context())
			if err == nil || !strings.Contains(err.Error(), "certificate") {
				t.Fatalf("an untrusted certificate: %v; want a certificate error", err)
			}
			st, err := mail.NewPoller(tc.mb, env.recv, mail.Options{TLSConfig: &tls.Config{RootCAs: dc.RootCAs}}).Poll(t.Context())
			if err != nil {
				t.Fatalf("trusted: %v\n%s", err, dc.Logs())
			}
			if tc.name == "imaps" && st.Messages != 1 {
				t.Fatalf("imaps took %d messages, want 1", st.Messages)
			}
		})
	}
	if files, err := env.db.MessageFiles(t.Context(), "<tls@petrov.ru>"); err != nil || len(files) != 1 {
		t.Fatalf("receipts %+v, %v", files, err)
	}
}
