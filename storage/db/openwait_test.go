package db

import (
	"context"
	"io"
	"net"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/pervichka/pervichka/storage/db/dbtest"
)

// TestOpenWaitForPostgres starts opening a database whose port has no
// server yet, then puts Postgres behind that port (a TCP relay to the real
// server): OpenWait must connect. With nothing ever listening it gives up
// with the dial error; a bad password or database fails at once.
func TestOpenWaitForPostgres(t *testing.T) {
	t.Parallel()
	base := dbtest.PostgresURL(t) // skips (fails under CI) when no server
	bu, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	target := bu.Host
	withHost := func(host string) string { u := *bu; u.Host = host; return u.String() }
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close() // nothing listens now
	waitURL := withHost(ln.Addr().String())

	var relay net.Listener
	var wg sync.WaitGroup
	go func() {
		time.Sleep(700 * time.Millisecond)
		l, err := net.Listen("tcp", ln.Addr().String())
		if err != nil {
			t.Errorf("relay on port %d: %v", port, err)
			return
		}
		relay = l
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				s, err := net.Dial("tcp", target)
				if err != nil {
					return
				}
				defer s.Close()
				go io.Copy(s, c)
				io.Copy(c, s)
			}()
		}
	}()
	ctx := context.Background()
	d, err := OpenWait(ctx, waitURL, 30*time.Second, nil)
	if err != nil {
		t.Fatalf("OpenWait: %v", err)
	}
	if _, err := d.pgPool.Exec(ctx, "SELECT 1"); err != nil {
		t.Errorf("query through the relay: %v", err)
	}
	d.Close()
	if relay != nil {
		relay.Close()
	}

	// Nothing ever listens: the dial error after the wait.
	l2, _ := net.Listen("tcp", "127.0.0.1:0")
	dead := withHost(l2.Addr().String())
	l2.Close()
	start := time.Now()
	if _, err := OpenWait(ctx, dead, 600*time.Millisecond, nil); err == nil || !unreachable(err) {
		t.Errorf("no server: err = %v", err)
	}
	if time.Since(start) < 500*time.Millisecond {
		t.Errorf("gave up after %v, before the wait", time.Since(start))
	}

	// A database that does not exist is not worth waiting for.
	mu := *bu
	mu.Path = "/pervichka_no_such_db"
	missing := mu.String()
	start = time.Now()
	_, err = OpenWait(ctx, missing, 30*time.Second, nil)
	if err == nil || unreachable(err) {
		t.Errorf("missing database: err = %v", err)
	}
	if time.Since(start) > 10*time.Second {
		t.Errorf("waited %v on a missing database", time.Since(start))
	}

	// A cancelled context ends the wait.
	cctx, cancel := context.WithCancel(ctx)
	time.AfterFunc(200*time.Millisecond, cancel)
	start = time.Now()
	if _, err := OpenWait(cctx, dead, 30*time.Second, nil); err == nil {
		t.Error("cancelled: no error")
	}
	if time.Since(start) > 10*time.Second {
		t.Errorf("cancelled wait took %v", time.Since(start))
	}
	wg.Wait()
}
