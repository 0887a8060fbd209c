package db

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

func TestSQLitePath(t *testing.T) {
	cases := []struct {
		url, path string // path "" means refused
	}{
		{"sqlite:///var/lib/pervichka/p.db", "/var/lib/pervichka/p.db"},
		{"sqlite:p.db", "p.db"},
		{"sqlite:data/p.db", "data/p.db"},
		{"sqlite:/abs/p.db", "/abs/p.db"},
		{"sqlite://host/p.db", ""},
		{"sqlite:", ""},
		{"sqlite:///", ""},
		{"sqlite:dir/", ""},
		{"sqlite:p.db?_pragma=foreign_keys(0)", ""},
		{"sqlite::memory:", ""},
		{"sqlite:file:p.db", ""},
	}
	for _, c := range cases {
		got, err := sqlitePath(c.url)
		if c.path == "" {
			if err == nil {
				t.Errorf("%s: accepted as %q", c.url, got)
			}
			continue
		}
		if err != nil || got != c.path {
			t.Errorf("%s: %q, %v; want %q", c.url, got, err, c.path)
		}
	}
}

func TestOpenRelativeSQLiteAndRefusals(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	db, err := Open(t.Context(), "sqlite:rel.db", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	if db.Dialect() != SQLite || db.SQL() == nil || db.Pgx() != nil {
		t.Fatalf("dialect %s, pools %v %v", db.Dialect(), db.SQL(), db.Pgx())
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat("rel.db"); err != nil {
		t.Fatal(err)
	}

	for _, u := range []string{"mysql://x/y", "", "file:x.db", "sqlite:/nonexistent-dir/x/y.db"} {
		if db, err := Open(t.Context(), u, nil); err == nil {
			_ = db.Close()
			t.Errorf("Open(%q) accepted", u)
		}
	}
	// A password never reaches an error message.
	_, err = Open(t.Context(), "postgres://u:sekret@127.0.0.1:1/db?connect_timeout=1", nil)
	if err == nil || strings.Contains(err.Error(), "sekret") {
		t.Fatalf("error %v", err)
	}
}

func TestTranslatePostgres(t *testing.T) {
	cases := []struct {
		err  error
		kind error // nil: no sentinel
	}{
		{&pgconn.PgError{Code: "23505", Message: "duplicate key"}, ErrDuplicate},
		{&pgconn.PgError{Code: "40001"}, ErrTransient},
		{&pgconn.PgError{Code: "40P01"}, ErrTransient},
		{&pgconn.PgError{Code: "55P03"}, ErrTransient},
		{&pgconn.PgError{Code: "23503"}, nil}, // foreign key: a bug, not a retry
		{pgx.ErrNoRows, ErrNotFound},
		{fmt.Errorf("scan: %w", pgx.ErrNoRows), ErrNotFound},
		{context.Canceled, nil},
		{errors.New("other"), nil},
	}
	for _, c := range cases {
		got := translatePostgres("op", c.err)
		if !errors.Is(got, c.err) || !strings.HasPrefix(got.Error(), "op: ") {
			t.Errorf("%v: %v loses the cause or the operation", c.err, got)
		}
		for _, k := range []error{ErrDuplicate, ErrTransient, ErrNotFound} {
			if errors.Is(got, k) != (k == c.kind) {
				t.Errorf("%v: errors.Is(%v) = %v", c.err, k, !(k == c.kind))
			}
		}
	}
	if translatePostgres("op", nil) != nil || translateSQLite("op", nil) != nil {
		t.Fatal("nil translated to an error")
	}
}

func TestStateMachine(t *testing.T) {
	if len(transitions) != len(States) {
		t.Fatalf("%d states in the machine, %d listed", len(transitions), len(States))
	}
	reachable := map[State]bool{StateReceived: true}
	for _, from := range States {
		for _, to := range transitions[from] {
			if !to.Valid() || to == from {
				t.Errorf("%s → %s", from, to)
			}
			reachable[to] = true
		}
	}
	for _, s := range States {
		if !reachable[s] {
			t.Errorf("%s unreachable", s)
		}
	}
	for _, s := range []State{StatePosted, StateRejected} {
		if !s.Final() {
			t.Errorf("%s not final", s)
		}
	}
	if State("bogus").Valid() || State("bogus").Final() {
		t.Error("unknown state valid")
	}
	// Every non-final state can still end: no document is stuck forever.
	for _, s := range States {
		if !endsFrom(s, map[State]bool{}) {
			t.Errorf("no path from %s to a final state", s)
		}
	}
}

func endsFrom(s State, seen map[State]bool) bool {
	if s.Final() {
		return true
	}
	if seen[s] {
		return false
	}
	seen[s] = true
	for _, to := range transitions[s] {
		if endsFrom(to, seen) {
			return true
		}
	}
	return false
}
