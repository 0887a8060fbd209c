// Package mail takes documents from e-mail: a Poller per IMAP mailbox
// fetches new messages, Parse walks their MIME tree (with enmime) for PDFs
// and images — attachments, inline parts, images in the HTML body, and the
// same inside forwarded messages — and each file goes to intake.Receiver,
// which submits it to the pipeline and records the receipt.
//
// A message is flagged (\Seen and the keyword $Pervichka, and optionally
// moved to a folder) only after all its files and its own record are stored,
// so a crash midway leaves it to be fetched again; fetching it again changes
// nothing, because receipts are unique by Message-ID and content and
// documents by content. Mail with no usable file, refused and malformed mail
// is recorded too (db.IntakeMessage), for the admin: nothing is lost and
// nothing is answered.
package mail

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
)

// Mailbox is one IMAP mailbox to poll.
type Mailbox struct {
	// Addr is host:port.
	Addr     string
	User     string
	Password string
	// Folder to read; INBOX by default.
	Folder string
	// Security: "tls" (implicit TLS, imaps://, the default), "starttls"
	// (imap:// upgraded before login) or "plaintext" (imap:// with
	// ?plaintext=allow: only for a server on loopback, as in tests).
	Security string
	// MoveTo, when set, is the folder a processed message is moved to;
	// otherwise it stays, flagged.
	MoveTo string
}

// Name identifies the mailbox in logs and records; it holds no password.
func (m Mailbox) Name() string { return m.User + "@" + m.Addr + "/" + m.Folder }

// ParseMailboxURL reads a mailbox from its URL:
//
//	imaps://user:password@host:993/INBOX            implicit TLS (default port 993)
//	imap://user:password@host:143/INBOX             STARTTLS (default port 143)
//	imap://user:password@127.0.0.1:1143/INBOX?plaintext=allow   no TLS at all
//	…?move_to=Processed                             move processed mail there
//
// User and password are percent-encoded as in any URL ("@" is %40).
func ParseMailboxURL(raw string) (Mailbox, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return Mailbox{}, fmt.Errorf("mailbox URL: cannot parse (is a character of the password not percent-encoded?)")
	}
	var m Mailbox
	port := ""
	switch u.Scheme {
	case "imaps":
		m.Security, port = "tls", "993"
	case "imap":
		m.Security, port = "starttls", "143"
	default:
		return Mailbox{}, fmt.Errorf("mailbox URL %s: scheme %q: want imaps:// or imap://", redact(u), u.Scheme)
	}
	q := u.Query()
	for k := range q {
		if k != "plaintext" && k != "move_to" {
			return Mailbox{}, fmt.Errorf("mailbox URL %s: unknown parameter %q", redact(u), k)
		}
	}
	if v := q.Get("plaintext"); v != "" {
		if v != "allow" || u.Scheme != "imap" {
			return Mailbox{}, fmt.Errorf("mailbox URL %s: plaintext=allow is the only form, and only with imap://", redact(u))
		}
		m.Security = "plaintext"
	}
	m.MoveTo = q.Get("move_to")
	if u.Hostname() == "" {
		return Mailbox{}, fmt.Errorf("mailbox URL %s: no host", redact(u))
	}
	if u.Port() != "" {
		if _, err := strconv.Atoi(u.Port()); err != nil {
			return Mailbox{}, fmt.Errorf("mailbox URL %s: bad port", redact(u))
		}
		port = u.Port()
	}
	m.Addr = u.Hostname() + ":" + port
	if strings.Contains(u.Hostname(), ":") {
		m.Addr = "[" + u.Hostname() + "]:" + port
	}
	if u.User == nil || u.User.Username() == "" {
		return Mailbox{}, fmt.Errorf("mailbox URL %s: no user", redact(u))
	}
	m.User = u.User.Username()
	m.Password, _ = u.User.Password()
	m.Folder = strings.TrimPrefix(u.Path, "/")
	if m.Folder == "" {
		m.Folder = "INBOX"
	}
	return m, nil
}

func redact(u *url.URL) string {
	c := *u
	if c.User != nil {
		c.User = url.User(c.User.Username())
	}
	return c.String()
}

// MailboxesFromEnv reads the mailboxes to poll from the environment:
// PERVICHKA_IMAP_1_URL, PERVICHKA_IMAP_2_URL, … (numbered from 1, without
// gaps), and/or PERVICHKA_IMAP_FILE naming a JSON file
// [{"url": "imaps://…"}, …] for deployments that keep secrets in files.
// No mailbox configured is not an error: e-mail intake is off.
func MailboxesFromEnv(getenv func(string) string) ([]Mailbox, error) {
	var out []Mailbox
	for i := 1; ; i++ {
		name := fmt.Sprintf("PERVICHKA_IMAP_%d_URL", i)
		raw := getenv(name)
		if raw == "" {
			break
		}
		m, err := ParseMailboxURL(raw)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out = append(out, m)
	}
	if path := getenv("PERVICHKA_IMAP_FILE"); path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("PERVICHKA_IMAP_FILE: %w", err)
		}
		var entries []struct {
			URL string `json:"url"`
		}
		if err := json.Unmarshal(b, &entries); err != nil {
			return nil, fmt.Errorf("PERVICHKA_IMAP_FILE %s: want [{\"url\": \"imaps://…\"}, …]: %w", path, err)
		}
		for i, e := range entries {
			m, err := ParseMailboxURL(e.URL)
			if err != nil {
				return nil, fmt.Errorf("PERVICHKA_IMAP_FILE %s, entry %d: %w", path, i+1, err)
			}
			out = append(out, m)
		}
	}
	seen := map[string]bool{}
	for _, m := range out {
		if seen[m.Name()] {
			return nil, errors.New("the same mailbox is configured twice: " + m.Name())
		}
		seen[m.Name()] = true
	}
	return out, nil
}
