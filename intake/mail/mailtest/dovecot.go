// Package mailtest starts a real Dovecot IMAP server for tests: on a free
// loopback port, with a throw-away configuration, runtime folder and
// maildir, plaintext login on loopback; StartTLS adds implicit TLS and
// STARTTLS with a certificate made for the test. Tests deliver mail with
// APPEND, as a mail server's delivery would.
package mailtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/pervichka/pervichka/intake/mail"
	"github.com/pervichka/pervichka/storage/objects/objectstest"
)

const dovecotBin = "/usr/sbin/dovecot"

// Dovecot is a real Dovecot IMAP server on a loopback port, with a
// throw-away configuration, runtime folder and maildir.
type Dovecot struct {
	// Mailbox is the test user's INBOX over plaintext, for a mail.Poller.
	Mailbox mail.Mailbox
	// TLSAddr is the implicit-TLS (imaps) listener and RootCAs the pool
	// that trusts its certificate; both only from StartTLS.
	TLSAddr string
	RootCAs *x509.CertPool
	dir     string
}

// Start starts Dovecot for the test and stops it when the test ends.
// Without Dovecot the test is skipped, but under CI=true it fails: CI must
// not pass by skipping the e-mail channel.
func Start(t testing.TB) *Dovecot {
	t.Helper()
	return start(t, false)
}

// StartTLS is Start with TLS too: an imaps listener at TLSAddr and STARTTLS
// on the plain one, with a self-signed certificate for 127.0.0.1 that only
// RootCAs trusts.
func StartTLS(t testing.TB) *Dovecot {
	t.Helper()
	return start(t, true)
}

func start(t testing.TB, withTLS bool) *Dovecot {
	t.Helper()
	if _, err := os.Stat(dovecotBin); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("dovecot is not installed (%v): scripts/setup.sh --deps installs dovecot-imapd", err)
		}
		t.Skipf("dovecot is not installed: %v", err)
	}
	// Not t.TempDir: Dovecot's login processes run as another user and
	// must reach the runtime folder through every parent.
	dir, err := os.MkdirTemp("", "pervichka-dovecot-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// Dovecot refuses to run its login process as root and mail as uid 0:
	// as root, the package's own users serve; otherwise the current user.
	internal, login, mailUser := currentUser(t), currentUser(t), currentUser(t)
	if os.Geteuid() == 0 {
		internal, login, mailUser = lookupUser(t, "dovecot"), lookupUser(t, "dovenull"), lookupUser(t, "dovecot")
	}
	maildir := filepath.Join(dir, "mail")
	for _, d := range []string{filepath.Join(dir, "run"), filepath.Join(dir, "state"), maildir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if os.Geteuid() == 0 {
		if err := os.Chown(maildir, mailUser.uid, mailUser.gid); err != nil {
			t.Fatal(err)
		}
	}
	addr, err := objectstest.FreeLoopbackAddr()
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(addr)
	password := "secret-" + strconv.Itoa(os.Getpid())
	passwd := filepath.Join(dir, "passwd")
	if err := os.WriteFile(passwd, fmt.Appendf(nil, "pervichka:{PLAIN}%s:%d:%d::%s\n", password, mailUser.uid, mailUser.gid, maildir), 0o644); err != nil {
		t.Fatal(err)
	}
	ssl, tlsPort, tlsAddr := "ssl = no", "0", ""
	var roots *x509.CertPool
	if withTLS {
		tlsAddr, err = objectstest.FreeLoopbackAddr()
		if err != nil {
			t.Fatal(err)
		}
		_, tlsPort, _ = net.SplitHostPort(tlsAddr)
		certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
		roots = selfSigned(t, certFile, keyFile)
		ssl = fmt.Sprintf("ssl = yes\nssl_cert = <%s\nssl_key = <%s", certFile, keyFile)
	}
	conf := filepath.Join(dir, "dovecot.conf")
	cfg := fmt.Sprintf(`protocols = imap
listen = 127.0.0.1
base_dir = %[1]s/run
state_dir = %[1]s/state
log_path = %[1]s/dovecot.log
%[7]s
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = %[2]s
default_internal_group = %[3]s
default_login_user = %[4]s
first_valid_uid = 1
mail_location = maildir:~/Maildir
passdb {
  driver = passwd-file
  args = %[5]s
}
userdb {
  driver = passwd-file
  args = %[5]s
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = %[6]s
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = %[8]s
  }
}
service anvil {
  chroot =
}
`, dir, internal.name, internal.group, login.name, passwd, port, ssl, tlsPort)
	if err := os.WriteFile(conf, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(dovecotBin, "-F", "-c", conf)
	out, err := os.Create(filepath.Join(dir, "stdout.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	d := &Dovecot{dir: dir, TLSAddr: tlsAddr, RootCAs: roots, Mailbox: mail.Mailbox{Addr: addr, User: "pervichka", Password: password, Folder: "INBOX", Security: "plaintext"}}
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := d.client()
		if err == nil {
			err = c.Login(d.Mailbox.User, password).Wait()
			_ = c.Close()
			if err == nil {
				return d
			}
		}
		select {
		case <-done:
			t.Fatalf("dovecot exited: %s", d.Logs())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("dovecot did not accept a login: %v\n%s", err, d.Logs())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Logs returns Dovecot's logs, for a failing test.
func (d *Dovecot) Logs() string {
	var b strings.Builder
	for _, f := range []string{"stdout.log", "dovecot.log"} {
		x, _ := os.ReadFile(filepath.Join(d.dir, f))
		b.Write(x)
	}
	return b.String()
}

func (d *Dovecot) client() (*imapclient.Client, error) {
	return imapclient.DialInsecure(d.Mailbox.Addr, nil)
}

// Login returns a logged-in client with the folder selected.
func (d *Dovecot) Login(t testing.TB) *imapclient.Client {
	t.Helper()
	c, err := d.client()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	if err := c.Login(d.Mailbox.User, d.Mailbox.Password).Wait(); err != nil {
		t.Fatal(err)
	}
	return c
}

// Deliver APPENDs a raw message to a folder, as a mail server's delivery would.
func (d *Dovecot) Deliver(t testing.TB, folder string, raw []byte) {
	t.Helper()
	c := d.Login(t)
	cmd := c.Append(folder, int64(len(raw)), nil)
	if _, err := cmd.Write(raw); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := cmd.Wait(); err != nil {
		t.Fatalf("append: %v", err)
	}
	_ = c.Logout().Wait()
}

// Flags returns each message's flags in folder, by Message-ID.
func (d *Dovecot) Flags(t testing.TB, folder string) map[string][]imap.Flag {
	t.Helper()
	c := d.Login(t)
	sel, err := c.Select(folder, nil).Wait()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]imap.Flag{}
	if sel.NumMessages == 0 {
		return out
	}
	msgs, err := c.Fetch(imap.SeqSetNum(seqRange(sel.NumMessages)...), &imap.FetchOptions{Flags: true, Envelope: true}).Collect()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		out[m.Envelope.MessageID] = m.Flags
	}
	return out
}

func seqRange(n uint32) []uint32 {
	out := make([]uint32, n)
	for i := range out {
		out[i] = uint32(i + 1)
	}
	return out
}

type sysUser struct {
	name, group string
	uid, gid    int
}

func lookupUser(t testing.TB, name string) sysUser {
	t.Helper()
	u, err := user.Lookup(name)
	if err != nil {
		t.Fatalf("user %s (created by the dovecot package): %v", name, err)
	}
	return toSysUser(t, u)
}

func currentUser(t testing.TB) sysUser {
	t.Helper()
	u, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	return toSysUser(t, u)
}

func toSysUser(t testing.TB, u *user.User) sysUser {
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	g, err := user.LookupGroupId(u.Gid)
	if err != nil {
		t.Fatal(err)
	}
	return sysUser{name: u.Username, group: g.Name, uid: uid, gid: gid}
}

// selfSigned writes a certificate for 127.0.0.1 and its key, and returns a
// pool trusting it.
func selfSigned(t testing.TB, certFile, keyFile string) *x509.CertPool {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "pervichka test IMAP"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return pool
}
