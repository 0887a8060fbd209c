package db

import (
	"errors"
	"fmt"
	"testing"

	"github.com/pervichka/pervichka/storage/db/dbtest"
)

// TestSplitAndMovePages: pages merged into a document and then split off
// it keep reading their pictures from the file and page they came from;
// the new document, its event and link are written; the refusals hold.
func TestSplitAndMovePages(t *testing.T) {
	t.Parallel()
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel() // each engine its own database
			db := openTest(t, e.URL(t))
			ctx := t.Context()
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			parent, other := create(t, db, "split-parent"), create(t, db, "split-other")
			// The parent: a PDF picture stored losslessly (page 0), then
			// three pages read from the original itself; the other: one
			// photo page.
			pages := []Page{{Index: 0, RawKey: "raw/p0.png", WordsKey: "w/p0"}}
			for i := 1; i < 4; i++ {
				pages = append(pages, Page{Index: i, WordsKey: fmt.Sprintf("w/p%d", i)})
			}
			if err := db.AddPages(ctx, nil, parent.ID, pages); err != nil {
				t.Fatal(err)
			}
			if err := db.AddPages(ctx, nil, other.ID, []Page{{Index: 0, WordsKey: "w/o0"}}); err != nil {
				t.Fatal(err)
			}
			if err := db.InTx(ctx, func(tx *Tx) error { _, err := db.MovePages(ctx, tx, other.ID, parent.ID); return err }); err != nil {
				t.Fatal(err)
			}
			got, _ := db.Pages(ctx, nil, parent.ID)
			if k, i := got[4].Source(parent.ObjectKey); len(got) != 5 || k != other.ObjectKey || i != 0 || got[4].WordsKey != "w/o0" {
				t.Fatalf("the merged page reads from %s page %d: %+v", k, i, got)
			}
			if k, i := got[3].Source(parent.ObjectKey); k != parent.ObjectKey || i != 3 || got[3].SourceKey != "" {
				t.Fatalf("a page that did not move: %s %d %+v", k, i, got[3])
			}

			// Split «3, 5» (0-based 4 and 2, in any order) off the parent.
			reason := "отделены страницы 3, 5 документа"
			var child Document
			err := db.InTx(ctx, func(tx *Tx) error {
				var err error
				child, err = db.SplitPages(ctx, tx, Split{From: parent.ID, Pages: []int{4, 2}, Actor: "clerk:ivanova", Reason: reason})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if child.ID == parent.ID || child.State != StateReceived || child.SHA256 == parent.SHA256 ||
				child.SHA256 != splitSHA256(parent.SHA256, parent.Version, []int{2, 4}) ||
				child.ObjectKey != parent.ObjectKey || child.FileName != parent.FileName || child.ContentType != parent.ContentType ||
				child.Source != parent.Source || child.Sender != parent.Sender || child.Size != parent.Size {
				t.Fatalf("the new document: %+v\nparent: %+v", child, parent)
			}
			type src struct {
				words, key string
				index      int
			}
			check := func(id int64, want []src) {
				t.Helper()
				doc, _ := db.GetDocument(ctx, nil, id)
				got, err := db.Pages(ctx, nil, id)
				if err != nil || len(got) != len(want) {
					t.Fatalf("pages of %d: %+v, %v; want %d", id, got, err, len(want))
				}
				for i, p := range got {
					k, idx := p.Source(doc.ObjectKey)
					if p.Index != i || p.WordsKey != want[i].words || k != want[i].key || idx != want[i].index {
						t.Errorf("document %d page %d: %+v reads %s page %d; want %+v", id, i, p, k, idx, want[i])
					}
				}
			}
			check(child.ID, []src{{"w/p2", parent.ObjectKey, 2}, {"w/o0", other.ObjectKey, 0}})
			check(parent.ID, []src{{"w/p0", parent.ObjectKey, 0}, {"w/p1", parent.ObjectKey, 1}, {"w/p3", parent.ObjectKey, 3}})
			if got, _ := db.Pages(ctx, nil, parent.ID); got[0].RawKey != "raw/p0.png" {
				t.Errorf("the stored picture's key changed: %+v", got[0])
			}
			ev, err := db.Events(ctx, child.ID)
			if err != nil || len(ev) != 1 || ev[0].Actor != "clerk:ivanova" || ev[0].Reason != reason || ev[0].To != StateReceived {
				t.Fatalf("events of the new document: %+v, %v", ev, err)
			}
			links, err := db.Links(ctx, nil, parent.ID)
			if err != nil || len(links) != 1 || links[0].DocumentID != child.ID || links[0].LinkedID != parent.ID ||
				links[0].Kind != LinkSplitFrom || links[0].Reason != reason {
				t.Fatalf("links: %+v, %v", links, err)
			}
			// A re-run ingest (an admin's retry) does not give either
			// document its file's pages back.
			for _, id := range []int64{child.ID, parent.ID} {
				if err := db.AddPages(ctx, nil, id, []Page{{Index: 0}, {Index: 1}, {Index: 2}, {Index: 3}, {Index: 4}}); err != nil {
					t.Fatal(err)
				}
			}
			check(child.ID, []src{{"w/p2", parent.ObjectKey, 2}, {"w/o0", other.ObjectKey, 0}})

			// Refusals change nothing.
			for name, pages := range map[string][]int{"none": nil, "all": {0, 1, 2}, "missing": {7}, "repeated": {1, 1}, "negative": {-1}} {
				err := db.InTx(ctx, func(tx *Tx) error {
					_, err := db.SplitPages(ctx, tx, Split{From: parent.ID, Pages: pages, Actor: "a", Reason: "r"})
					return err
				})
				if !errors.Is(err, ErrIllegalTransition) {
					t.Errorf("split %s: %v, want ErrIllegalTransition", name, err)
				}
			}
			if _, err := db.SplitPages(ctx, nil, Split{From: parent.ID, Pages: []int{0}, Actor: "a", Reason: "r"}); err == nil {
				t.Error("a split outside a transaction accepted")
			}
			err = db.InTx(ctx, func(tx *Tx) error {
				_, err := db.SplitPages(ctx, tx, Split{From: 999, Pages: []int{0}, Actor: "a", Reason: "r"})
				return err
			})
			if !errors.Is(err, ErrNotFound) {
				t.Errorf("split of a missing document: %v", err)
			}
			check(parent.ID, []src{{"w/p0", parent.ObjectKey, 0}, {"w/p1", parent.ObjectKey, 1}, {"w/p3", parent.ObjectKey, 3}})

			// The same split at the same version names the same derived
			// hash and is refused; the transition that follows a real split
			// bumps the version, so the next split gets a new one.
			split := func() (Document, error) {
				var d Document
				err := db.InTx(ctx, func(tx *Tx) error {
					var err error
					d, err = db.SplitPages(ctx, tx, Split{From: parent.ID, Pages: []int{0}, Actor: "a", Reason: "r"})
					return err
				})
				return d, err
			}
			first, err := split()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := split(); !errors.Is(err, ErrDuplicate) {
				t.Fatalf("the same split at the same version: %v, want ErrDuplicate", err)
			}
			if err := db.Transition(ctx, nil, parent.ID, StateReceived, StateProcessing, "a", "r"); err != nil {
				t.Fatal(err)
			}
			if second, err := split(); err != nil || second.SHA256 == first.SHA256 {
				t.Fatalf("a split after the version moved: %+v, %v", second, err)
			}
			check(parent.ID, []src{{"w/p3", parent.ObjectKey, 3}})
		})
	}
}
