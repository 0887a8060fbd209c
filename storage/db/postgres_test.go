package db

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Postgres tests connect to an admin database and create a throw-away
// database for the run (pervichka_test_<random>, dropped with FORCE at
// cleanup); each DB the suite opens gets a fresh schema in it, selected by
// search_path in the URL, so River's tables and ours land there too. A schema
// costs milliseconds where a database costs a second.
// PERVICHKA_TEST_POSTGRES names the admin URL; by default the local server's
// trust-auth users are tried in turn. Without a server the tests skip, except
// under CI (CI=true), where a missing server fails them: CI must never pass
// by skipping the Postgres half.
func TestPostgresStore(t *testing.T) {
	dbURL := createTestDatabase(t, postgresAdminURL(t))
	runStoreSuite(t, func(t *testing.T) *DB { return openPostgresTest(t, dbURL) })
}

var (
	adminOnce sync.Once
	adminURL  string
	adminErr  error
)

func postgresAdminURL(t *testing.T) string {
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

// createTestDatabase creates the run's database and returns its URL.
func createTestDatabase(t *testing.T, admin string) string {
	t.Helper()
	ctx := t.Context()
	name := "pervichka_test_" + randomHex()
	c, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
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
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// openPostgresTest opens the run's database on a new, empty schema.
func openPostgresTest(t *testing.T, dbURL string) *DB {
	t.Helper()
	ctx := t.Context()
	schema := "t_" + randomHex()
	c, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	db, err := Open(ctx, u.String(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func randomHex() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
