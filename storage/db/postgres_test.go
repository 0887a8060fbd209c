package db

import (
	"testing"

	"github.com/pervichka/pervichka/storage/db/dbtest"
)

// TestPostgresStore runs the shared suite on the local Postgres server; see
// dbtest for how databases are made and when the test skips.
func TestPostgresStore(t *testing.T) {
	t.Parallel()
	runStoreSuite(t, func(t *testing.T) *DB { return openTest(t, dbtest.PostgresURL(t)) })
}

// openTest opens url and closes it when t ends.
func openTest(t *testing.T, url string) *DB {
	t.Helper()
	db, err := Open(t.Context(), url, nil)
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
