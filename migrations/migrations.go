// Package migrations holds Pervichka's own schema as plain SQL, one directory
// per SQL dialect, embedded into the binary so that a deployment needs no
// files beside it.
//
// Each dialect gets its own hand-written files rather than one file run
// through a translator: SQLite and PostgreSQL differ in types (jsonb, date,
// timestamptz, identity columns) and in how append-only tables are enforced
// (triggers), and a reader should see exactly the SQL that runs. The two
// directories must describe the same tables with the same column names;
// storage/db runs one shared test suite against both to hold them to that.
//
// Files are named NNNN_name.up.sql. There are no down migrations: a schema
// change is rolled forward by a new file. River's own tables are not here;
// storage/db migrates them with rivermigrate before these.
package migrations

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
)

//go:embed sqlite/*.sql postgres/*.sql
var files embed.FS

// Dialects a migration set exists for; the names are the directory names.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// Migration is one numbered schema step.
type Migration struct {
	Version int    // from the NNNN prefix; starts at 1, no gaps
	Name    string // the part between the number and ".up.sql"
	SQL     string // may hold several statements
}

var fileName = regexp.MustCompile(`^(\d{4})_([a-z0-9_]+)\.up\.sql$`)

// Load returns the dialect's migrations in version order. It refuses a
// directory whose names do not follow NNNN_name.up.sql, whose versions repeat
// or leave a gap, so that a mistake in a file name fails every test rather
// than silently skipping a step in production.
func Load(dialect string) ([]Migration, error) {
	if dialect != SQLite && dialect != Postgres {
		return nil, fmt.Errorf("load migrations: unknown dialect %q", dialect)
	}
	return load(files, dialect)
}

func load(fsys fs.FS, dir string) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("load migrations %s: %w", dir, err)
	}
	var out []Migration
	for _, e := range entries {
		if e.IsDir() {
			return nil, fmt.Errorf("load migrations %s: unexpected directory %s", dir, e.Name())
		}
		m := fileName.FindStringSubmatch(e.Name())
		if m == nil {
			return nil, fmt.Errorf("load migrations %s: file %s is not named NNNN_name.up.sql", dir, e.Name())
		}
		v, _ := strconv.Atoi(m[1]) // four digits: cannot fail
		body, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("load migrations %s: read %s: %w", dir, e.Name(), err)
		}
		out = append(out, Migration{Version: v, Name: m[2], SQL: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i, m := range out {
		if m.Version != i+1 {
			return nil, fmt.Errorf("load migrations %s: version %04d where %04d was expected (a gap or a repeat)", dir, m.Version, i+1)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("load migrations %s: no migrations", dir)
	}
	return out, nil
}
