package db

import (
	"testing"

	"github.com/pervichka/pervichka/storage/db/dbtest"
)

// TestUpgradeKeepsRows: a database at schema 6 (before page sources,
// fingerprints and the split_from/resent link kinds) with documents, pages
// and links in it is brought up to date by Migrate, as `serve` does at
// start on an admin's existing data: SQLite rebuilds document_links to
// change its CHECK constraint, and every row, id and page must survive it.
func TestUpgradeKeepsRows(t *testing.T) {
	t.Parallel()
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel() // each engine its own database
			db := openTest(t, e.URL(t))
			ctx := t.Context()
			if err := db.migrate(ctx, 6); err != nil {
				t.Fatal(err)
			}
			a, b, c := create(t, db, "upgrade-a"), create(t, db, "upgrade-b"), create(t, db, "upgrade-c")
			if err := db.AddPages(ctx, nil, a.ID, []Page{{Index: 0, RawKey: "raw/a0.png", WordsKey: "w/a0"}, {Index: 1, WordsKey: "w/a1"}}); err != nil {
				t.Fatal(err)
			}
			old := []Link{
				{DocumentID: b.ID, LinkedID: a.ID, Kind: LinkDuplicate, Reason: "тот же номер"},
				{DocumentID: c.ID, LinkedID: a.ID, Kind: LinkContinuation, Reason: "продолжение"},
			}
			for _, l := range old {
				if err := db.AddLink(ctx, nil, l); err != nil {
					t.Fatal(err)
				}
			}
			if err := db.AddLink(ctx, nil, Link{DocumentID: c.ID, LinkedID: b.ID, Kind: LinkResent, Reason: "x"}); err == nil {
				t.Fatal("schema 6 took a resent link: the test does not start from the old schema")
			}

			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			got, err := db.Links(ctx, nil, a.ID)
			if err != nil || len(got) != 2 {
				t.Fatalf("links of a after the upgrade: %+v, %v", got, err)
			}
			for i, l := range got {
				if l.DocumentID != old[i].DocumentID || l.LinkedID != old[i].LinkedID || l.Kind != old[i].Kind || l.Reason != old[i].Reason {
					t.Errorf("link %d after the upgrade: %+v, want %+v", i, l, old[i])
				}
			}
			for _, kind := range []LinkKind{LinkSplitFrom, LinkResent} {
				if err := db.AddLink(ctx, nil, Link{DocumentID: c.ID, LinkedID: b.ID, Kind: kind, Reason: "после обновления"}); err != nil {
					t.Errorf("new link kind %s after the upgrade: %v", kind, err)
				}
			}
			if got, _ := db.Links(ctx, nil, b.ID); len(got) != 3 {
				t.Errorf("links of b after adding two: %d, want 3", len(got))
			}
			pages, err := db.Pages(ctx, nil, a.ID)
			if err != nil || len(pages) != 2 {
				t.Fatalf("pages after the upgrade: %+v, %v", pages, err)
			}
			for i, pg := range pages {
				if k, idx := pg.Source(a.ObjectKey); k != a.ObjectKey || idx != i {
					t.Errorf("page %d reads from %s #%d after the upgrade, want its own original", i, k, idx)
				}
			}
			if err := db.Migrate(ctx); err != nil {
				t.Fatalf("migrate again: %v", err)
			}
		})
	}
}
