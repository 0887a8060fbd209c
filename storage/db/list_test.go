package db

import (
	"slices"
	"testing"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/storage/db/dbtest"
)

func TestListDocuments(t *testing.T) {
	t.Parallel()
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel() // each engine its own database
			db := openTest(t, e.URL(t))
			if err := db.Migrate(t.Context()); err != nil {
				t.Fatal(err)
			}
			testListDocuments(t, db)
		})
	}
}

func testListDocuments(t *testing.T, db *DB) {
	ctx := t.Context()
	type spec struct {
		state    State
		docType  pervichka.DocType
		supplier string
		source   Source
	}
	specs := []spec{
		{StateReceived, "", "", SourceUpload},
		{StateNeedsReview, pervichka.DocInvoice, "7707083893", SourceUpload},
		{StateNeedsReview, pervichka.DocAct, "7707083893", SourceEmail},
		{StateAutoApproved, pervichka.DocInvoice, "5408131553", SourceEmail},
		{StateNeedsReview, pervichka.DocInvoice, "5408131553", SourceUpload},
		{StateFailed, "", "", SourceUpload},
		{StateNeedsReview, pervichka.DocInvoice, "7707083893", SourceEmail},
	}
	ids := make([]int64, len(specs))
	for i, s := range specs {
		n := newDoc(string(rune('a' + i)))
		n.Source = s.source
		d, _, err := db.CreateDocument(ctx, nil, n)
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = d.ID
		if s.docType != "" {
			if _, err := db.SaveResult(ctx, nil, d.ID, d.Version, []byte(`{}`), Fields{DocType: s.docType, SupplierINN: s.supplier}); err != nil {
				t.Fatal(err)
			}
		}
		path := map[State][]State{
			StateReceived:     nil,
			StateNeedsReview:  {StateProcessing, StateNeedsReview},
			StateAutoApproved: {StateProcessing, StateAutoApproved},
			StateFailed:       {StateProcessing, StateFailed},
		}[s.state]
		from := StateReceived
		for _, to := range path {
			if err := db.Transition(ctx, nil, d.ID, from, to, "test", "list fixture"); err != nil {
				t.Fatal(err)
			}
			from = to
		}
	}
	// Documents 2..4 share one created_at, as documents of one busy moment
	// may: the cursor must still visit each once, by id.
	if _, err := db.conn().exec(ctx, `UPDATE documents SET created_at = (SELECT created_at FROM documents WHERE id = $1) WHERE id IN ($2, $3)`,
		ids[2], ids[3], ids[4]); err != nil {
		t.Fatal(err)
	}

	pick := func(idx ...int) []int64 {
		out := []int64{}
		for _, i := range idx {
			out = append(out, ids[i])
		}
		return out
	}
	for _, tc := range []struct {
		name string
		f    ListFilter
		want []int64
	}{
		{"all", ListFilter{}, pick(0, 1, 2, 3, 4, 5, 6)},
		{"state", ListFilter{State: StateNeedsReview}, pick(1, 2, 4, 6)},
		{"doc type", ListFilter{DocType: pervichka.DocInvoice}, pick(1, 3, 4, 6)},
		{"supplier", ListFilter{SupplierINN: "5408131553"}, pick(3, 4)},
		{"source", ListFilter{Source: SourceEmail}, pick(2, 3, 6)},
		{"all four", ListFilter{State: StateNeedsReview, DocType: pervichka.DocInvoice, SupplierINN: "7707083893", Source: SourceEmail}, pick(6)},
		{"none match", ListFilter{State: StatePosted}, []int64{}},
	} {
		for _, limit := range []int{1, 2, 3, 1000} {
			f := tc.f
			f.Limit = limit
			got := []int64{}
			var after Cursor
			for pages := 0; ; pages++ {
				if pages > len(specs)+1 {
					t.Fatalf("%s limit %d: paging does not end", tc.name, limit)
				}
				page, err := db.ListDocuments(ctx, f, after)
				if err != nil {
					t.Fatalf("%s: %v", tc.name, err)
				}
				if len(page) > limit {
					t.Fatalf("%s: %d documents on a page of %d", tc.name, len(page), limit)
				}
				for _, d := range page {
					got = append(got, d.ID)
				}
				if len(page) < limit {
					break
				}
				after = page[len(page)-1].Cursor()
			}
			// Oldest first: ids were created in time order, and the tie is broken by id.
			if !slices.Equal(got, tc.want) {
				t.Errorf("%s limit %d: %v, want %v", tc.name, limit, got, tc.want)
			}
		}
	}

	for _, f := range []ListFilter{
		{Limit: 0},
		{Limit: MaxListLimit + 1},
		{State: "lost", Limit: 10},
		{DocType: "receipt", Limit: 10},
		{Source: "fax", Limit: 10},
	} {
		if _, err := db.ListDocuments(ctx, f, Cursor{}); err == nil {
			t.Errorf("ListDocuments(%+v) accepted a bad filter", f)
		}
	}
}
