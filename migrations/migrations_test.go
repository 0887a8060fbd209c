package migrations

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoadBothDialects(t *testing.T) {
	sq, err := Load(SQLite)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := Load(Postgres)
	if err != nil {
		t.Fatal(err)
	}
	if len(sq) != len(pg) {
		t.Fatalf("sqlite has %d migrations, postgres %d: the dialects must move in step", len(sq), len(pg))
	}
	for i := range sq {
		if sq[i].Version != pg[i].Version || sq[i].Name != pg[i].Name {
			t.Errorf("migration %d: sqlite %04d_%s, postgres %04d_%s", i, sq[i].Version, sq[i].Name, pg[i].Version, pg[i].Name)
		}
	}
}

// Both dialects must create the same tables with the same columns, since one
// Go store reads them. A crude parse of CREATE TABLE bodies is enough here;
// storage/db's shared suite checks behaviour.
func TestDialectsDeclareSameColumns(t *testing.T) {
	sq, _ := Load(SQLite)
	pg, _ := Load(Postgres)
	a, b := columns(t, sq), columns(t, pg)
	if len(a) == 0 {
		t.Fatal("no tables parsed")
	}
	for table, cols := range a {
		if got := b[table]; strings.Join(got, ",") != strings.Join(cols, ",") {
			t.Errorf("table %s: sqlite columns %v, postgres %v", table, cols, got)
		}
	}
	for table := range b {
		if _, ok := a[table]; !ok {
			t.Errorf("table %s only in postgres", table)
		}
	}
}

var (
	createTable = regexp.MustCompile(`(?s)CREATE TABLE (\w+) \((.*?)\n\)[^;]*;`)
	renameTable = regexp.MustCompile(`ALTER TABLE (\w+) RENAME TO (\w+);`)
)

func columns(t *testing.T, ms []Migration) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, m := range ms {
		for _, c := range createTable.FindAllStringSubmatch(m.SQL, -1) {
			var cols []string
			for _, line := range strings.Split(c[2], "\n") {
				f := strings.Fields(strings.TrimSpace(line))
				if len(f) < 2 || f[0] == "--" || f[0] == "PRIMARY" || f[0] == "UNIQUE" || f[0] == "CHECK" || f[0] == "FOREIGN" || f[0] == "CONSTRAINT" {
					continue
				}
				cols = append(cols, f[0])
			}
			out[c[1]] = cols
		}
		// A table rebuilt under a new name (SQLite's way to change a
		// constraint) takes the old name's place.
		for _, r := range renameTable.FindAllStringSubmatch(m.SQL, -1) {
			out[r[2]] = out[r[1]]
			delete(out, r[1])
		}
	}
	return out
}

func TestLoadRefusesBadSets(t *testing.T) {
	ok := &fstest.MapFile{Data: []byte("SELECT 1;")}
	cases := []struct {
		name  string
		files fstest.MapFS
	}{
		{"empty", fstest.MapFS{"d": &fstest.MapFile{Mode: fs.ModeDir}}},
		{"gap", fstest.MapFS{"d/0001_a.up.sql": ok, "d/0003_c.up.sql": ok}},
		{"repeat", fstest.MapFS{"d/0001_a.up.sql": ok, "d/0001_b.up.sql": ok}},
		{"starts at 2", fstest.MapFS{"d/0002_a.up.sql": ok}},
		{"bad name", fstest.MapFS{"d/1_a.sql": ok}},
		{"down file", fstest.MapFS{"d/0001_a.up.sql": ok, "d/0001_a.down.sql": ok}},
		{"subdirectory", fstest.MapFS{"d/0001_a.up.sql": ok, "d/x/0002_b.up.sql": ok}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := load(c.files, "d"); err == nil {
				t.Fatal("want an error")
			}
		})
	}
	got, err := load(fstest.MapFS{"d/0002_b.up.sql": ok, "d/0001_a.up.sql": ok}, "d")
	if err != nil || len(got) != 2 || got[0].Name != "a" || got[1].Version != 2 {
		t.Fatalf("load = %+v, %v", got, err)
	}
	if _, err := Load("mysql"); err == nil {
		t.Fatal("unknown dialect accepted")
	}
}
