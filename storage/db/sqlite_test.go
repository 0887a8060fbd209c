package db

import (
	"encoding/json"
	"path/filepath"
	"testing"
)

func TestSQLiteStore(t *testing.T) {
	runStoreSuite(t, openSQLiteTest)
}

// openSQLiteTest opens a new database file in the test's temp dir.
func openSQLiteTest(t *testing.T) *DB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "pervichka.db")
	db, err := Open(t.Context(), "sqlite://"+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Error(err)
		}
	})
	return db
}

func normJSON(t *testing.T, b []byte) []byte {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("result %q: %v", b, err)
	}
	out, _ := json.Marshal(v)
	return out
}
