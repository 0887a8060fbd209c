// Package dbtest gives tests of any package throw-away databases on both
// engines, as URLs for db.Open. It does not import storage/db, so that
// package's own tests can use it too.
//
// Postgres: one database per test binary run (pervichka_test_<random>,
// dropped WITH (FORCE) when the last test using it ends) and a fresh schema
// per call, selected by search_path in the URL, so River's tables and ours
// land there. A schema costs milliseconds where a database costs a second.
// PERVICHKA_TEST_POSTGRES names an admin URL; by default the local server's
// trust-auth users are tried in turn. Without a server the tests skip, except
// under CI (CI=true), where a missing server fails them: CI must never pass
// by skipping the Postgres half.
package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Engine names a database engine a suite runs against.
type Engine struct {
	Name string
	// URL returns a new, empty database's URL for db.Open, removed when t ends.
	URL func(t testing.TB) string
}

// Engines lists both engines, SQLite first, for a shared suite:
//
//	for _, e := range dbtest.Engines() {
//		t.Run(e.Name, func(t *testing.T) { suite(t, e.URL(t)) })
//	}
func Engines() []Engine {
	return []Engine{{Name: "sqlite", URL: SQLiteURL}, {Name: "postgres", URL: PostgresURL}}
}

// SQLiteURL returns the URL of a new database file in the test's temp dir.
func SQLiteURL(t testing.TB) string {
	t.Helper()
	return "sqlite://" + filepath.Join(t.TempDir(), "pervichka.db")
}

var (
	adminOnce sync.Once
	adminURL  string
	adminErr  error

	runMu    sync.Mutex
	runURL   string // the run's database
	runUsers int    // tests holding it
)

// AdminURL returns a URL of the local Postgres server's admin database, or
// skips the test (fails it under CI=true) when there is none.
func AdminURL(t testing.TB) string {
	t.Helper()
	adminOnce.Do(func() {
		candidates := []string{
			"postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable",
			"postgres://root@127.0.0.1:5432/postgres?sslmode=disable",
		}
		if u := os.Getenv("PERVICHKA_TEST_POSTGRES"); u != "" {
			candidates = []string{u}
		}
		for _, u := range candidates {
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			c, err := pgx.Connect(ctx, u)
			if err == nil {
				_ = c.Close(ctx)
				cancel()
				adminURL, adminErr = u, nil
				return
			}
			cancel()
			adminErr = fmt.Errorf("%s: %w", redact(u), err)
		}
	})
	if adminErr != nil {
		msg := fmt.Sprintf("no PostgreSQL to test against (set PERVICHKA_TEST_POSTGRES to an admin URL): %v", adminErr)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return adminURL
}

// PostgresURL returns the URL of a new, empty schema in the run's database.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := runDatabase(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	schema := "t_" + randomHex()
	c, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// runDatabase creates the run's database on first use and drops it when the
// last test holding it ends.
func runDatabase(t testing.TB) string {
	t.Helper()
	admin := AdminURL(t)
	runMu.Lock()
	defer runMu.Unlock()
	if runURL == "" {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		name := "pervichka_test_" + randomHex()
		c, err := pgx.Connect(ctx, admin)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "CREATE DATABASE "+name); err != nil {
			t.Fatal(err)
		}
		u, err := url.Parse(admin)
		if err != nil {
			t.Fatal(err)
		}
		u.Path = "/" + name
		runURL = u.String()
	}
	runUsers++
	t.Cleanup(func() {
		runMu.Lock()
		defer runMu.Unlock()
		runUsers--
		if runUsers > 0 {
			return
		}
		u, _ := url.Parse(runURL)
		name := u.Path[1:]
		runURL = ""
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, admin)
		if err != nil {
			t.Errorf("drop %s: %v", name, err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop %s: %v", name, err)
		}
	})
	return runURL
}

func randomHex() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// redact hides a password in a URL for messages.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable URL)"
	}
	return u.Redacted()
}
