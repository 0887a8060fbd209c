// Package objectstest starts a real S3 server for tests of any package:
// versitygw (Apache-2.0) with its posix backend, on a free loopback port in a
// temporary folder, killed when the test that started it ends.
// scripts/versitygw.sh installs it. Without the binary the test skips, except
// under CI (CI=true), where it fails so that S3 never goes untested silently.
//
// It returns addresses and URLs rather than stores, so that package objects'
// own tests can use it without an import cycle.
package objectstest

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The server's root credentials. The secret has URL-special characters on
// purpose: URLs must escape them.
const (
	AccessKey = "pervichka-test"
	SecretKey = "pervichka-test-secret/+="
)

// StartS3 starts a versitygw for t and returns its host:port.
func StartS3(t testing.TB) string {
	t.Helper()
	return StartS3Server(t).Addr
}

// S3Server is a running versitygw that a test may restart, as an operator
// restarts a real one: the same address, the same folder, so the objects
// stored before are there after.
type S3Server struct {
	Addr string
	bin  string
	dir  string
	stop func() // kills the current process and waits for it
}

// StartS3Server starts a versitygw for t; it is killed when t ends.
func StartS3Server(t testing.TB) *S3Server {
	t.Helper()
	return startVersityGW(t)
}

// Restart kills the server (SIGKILL: no goodbye to its clients) and starts
// it again on the same address and folder, returning once it answers.
func (s *S3Server) Restart(t testing.TB) {
	t.Helper()
	s.stop()
	// The port was ours a moment ago; another process could take it in
	// between, which fails the start rather than moving the server.
	var err error
	for range 3 {
		if err = s.start(); err == nil {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("versitygw did not start again on %s: %v", s.Addr, err)
}

var buckets atomic.Int64

// S3URL returns an s3:// URL (for objects.Open) of a new bucket on addr.
func S3URL(addr string) string {
	u := url.URL{Scheme: "s3", User: url.UserPassword(AccessKey, SecretKey), Host: addr,
		Path: fmt.Sprintf("/bucket-%d", buckets.Add(1)), RawQuery: "secure=false"}
	return u.String()
}

// FileURL returns a file: URL of a new folder in t's temp dir.
func FileURL(t testing.TB) string {
	return "file:" + filepath.Join(t.TempDir(), "objects")
}

func findVersityGW() string {
	if p, err := exec.LookPath("versitygw"); err == nil {
		return p
	}
	// Where scripts/versitygw.sh puts it: GOBIN, else GOPATH/bin.
	var dirs []string
	if out, err := exec.Command("go", "env", "GOBIN", "GOPATH").Output(); err == nil {
		lines := strings.Split(string(out), "\n")
		if len(lines) >= 2 {
			if gobin := strings.TrimSpace(lines[0]); gobin != "" {
				dirs = append(dirs, gobin)
			}
			for _, gp := range filepath.SplitList(strings.TrimSpace(lines[1])) {
				dirs = append(dirs, filepath.Join(gp, "bin"))
			}
		}
	}
	for _, dir := range dirs {
		p := filepath.Join(dir, "versitygw")
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p
		}
	}
	return ""
}

// startVersityGW runs versitygw for the test.
func startVersityGW(t testing.TB) *S3Server {
	t.Helper()
	bin := findVersityGW()
	if bin == "" {
		msg := "versitygw not found on PATH or in $(go env GOPATH)/bin; run scripts/versitygw.sh to test the S3 backend"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	s := &S3Server{bin: bin, dir: t.TempDir(), stop: func() {}}
	t.Cleanup(func() { s.stop() })
	// The port is picked by listening on :0 and closing; another process
	// could take it before versitygw does, so a start that fails is retried.
	var lastErr error
	for range 3 {
		addr, err := FreeLoopbackAddr()
		if err != nil {
			t.Fatal(err)
		}
		s.Addr = addr
		if lastErr = s.start(); lastErr == nil {
			return s
		}
	}
	t.Fatalf("versitygw did not start: %v", lastErr)
	return nil
}

// FreeLoopbackAddr returns a loopback host:port nothing listens on (at the
// moment of asking).
func FreeLoopbackAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// start runs versitygw on s.Addr over s.dir and waits until it answers.
func (s *S3Server) start() error {
	var out bytes.Buffer
	cmd := exec.Command(s.bin, "--port", s.Addr, "--quiet", "posix", s.dir)
	cmd.Env = append(os.Environ(), "ROOT_ACCESS_KEY="+AccessKey, "ROOT_SECRET_KEY="+SecretKey)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop := func() {
		cmd.Process.Kill()
		<-exited
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case err := <-exited:
			exited <- err
			return fmt.Errorf("versitygw exited (%v): %s", err, out.String())
		default:
		}
		// Any HTTP answer (403 for an unsigned request) means it serves.
		resp, err := http.Get("http://" + s.Addr + "/")
		if err == nil {
			resp.Body.Close()
			s.stop = sync.OnceFunc(stop)
			return nil
		}
		if time.Now().After(deadline) {
			stop()
			return fmt.Errorf("versitygw on %s did not answer in 30s: %v; output: %s", s.Addr, err, out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}
