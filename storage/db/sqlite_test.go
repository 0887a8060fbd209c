package db

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"

	"github.com/riverqueue/river"

	"github.com/pervichka/pervichka/storage/db/dbtest"
)

func TestSQLiteStore(t *testing.T) {
	t.Parallel()
	runStoreSuite(t, openSQLiteTest)
}

// openSQLiteTest opens a new database file in the test's temp dir.
func openSQLiteTest(t *testing.T) *DB { return openTest(t, dbtest.SQLiteURL(t)) }

func normJSON(t *testing.T, b []byte) []byte {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("result %q: %v", b, err)
	}
	out, _ := json.Marshal(v)
	return out
}

// Another process holding the write lock is the one SQLite error worth a
// retry: it must come back as ErrTransient.
func TestSQLiteBusyIsTransient(t *testing.T) {
	path := filepath.Join(t.TempDir(), "busy.db")
	ctx := t.Context()
	a, err := Open(ctx, "sqlite://"+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if err := a.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	b, err := Open(ctx, "sqlite://"+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	// The single connection keeps this setting; no 5 s wait in a test.
	if _, err := b.SQL().ExecContext(ctx, "PRAGMA busy_timeout = 0"); err != nil {
		t.Fatal(err)
	}
	tx, err := a.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	_, _, err = b.CreateDocument(ctx, nil, newDoc("busy"))
	if !IsTransient(err) {
		t.Fatalf("write while locked: %v, want ErrTransient", err)
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.CreateDocument(ctx, nil, newDoc("busy")); err != nil {
		t.Fatalf("after the lock is gone: %v", err)
	}
}

func TestRefusesForeignAndNilTx(t *testing.T) {
	db := openSQLiteTest(t)
	ctx := t.Context()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	foreign := &Tx{dialect: Postgres}
	if _, _, err := db.CreateDocument(ctx, foreign, newDoc("f")); !errors.Is(err, errForeignTx) {
		t.Errorf("CreateDocument: %v", err)
	}
	if _, err := db.GetDocument(ctx, foreign, 1); !errors.Is(err, errForeignTx) {
		t.Errorf("GetDocument: %v", err)
	}
	if _, err := db.SaveResult(ctx, foreign, 1, 1, nil, Fields{}); !errors.Is(err, errForeignTx) {
		t.Errorf("SaveResult: %v", err)
	}
	q, err := db.NewQueue(&river.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := q.InsertTx(ctx, nil, startArgs{}, nil); err == nil {
		t.Error("InsertTx(nil) accepted")
	}
	if _, err := q.InsertTx(ctx, foreign, startArgs{}, nil); err == nil {
		t.Error("InsertTx(foreign) accepted")
	}
}
