package db

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/migrations"
)

// runStoreSuite is the one behaviour test both engines must pass. open returns
// a fresh, empty, unmigrated database that the test owns.
// opener returns a fresh, empty, unmigrated database that the test owns.
type opener func(t *testing.T) *DB

// storeSuite is the one behaviour test both engines must pass, one named
// case a function. Every case opens its own database (a file, or a Postgres
// database of its own), so they run in parallel.
var storeSuite = []struct {
	name string
	run  func(t *testing.T, open opener)
}{
	{"MigrateTwice", suiteMigrateTwice},
	{"MigrateConcurrently", suiteMigrateConcurrently},
	{"CreateAndDuplicate", suiteCreateAndDuplicate},
	{"ConcurrentCreateSameFile", suiteConcurrentCreateSameFile},
	{"NotFound", suiteNotFound},
	{"Transitions", suiteTransitions},
	{"TransitionRollsBackWithTx", suiteTransitionRollsBackWithTx},
	{"EventsAppendOnly", suiteEventsAppendOnly},
	{"ConcurrentTransitions", suiteConcurrentTransitions},
	{"OptimisticLocking", suiteOptimisticLocking},
	{"DuplicatesAndPages", suiteDuplicatesAndPages},
	{"Links", suiteLinks},
	{"ListPaging", suiteListPaging},
	{"RiverJobInSameTx", suiteRiverJobInSameTx},
	{"Stranded", suiteStranded},
}

// runStoreSuite runs every case of storeSuite on the engine open makes.
func runStoreSuite(t *testing.T, open opener) {
	for _, c := range storeSuite {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.run(t, open)
		})
	}
}

// migrated opens a fresh database and brings its schema up to date.
func migrated(t *testing.T, open opener) *DB {
	t.Helper()
	db := open(t)
	if err := db.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	return db
}

func suiteMigrateTwice(t *testing.T, open opener) {
	db := open(t)
	ctx := t.Context()
	for i := range 2 {
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("migrate #%d: %v", i+1, err)
		}
	}
	want, err := migrations.Load(string(db.Dialect()))
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.conn().queryRow(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != len(want) {
		t.Fatalf("schema_migrations has %d rows, want %d", n, len(want))
	}
	// River's tables are there too.
	if err := db.conn().queryRow(ctx, `SELECT count(*) FROM river_migration`).Scan(&n); err != nil || n == 0 {
		t.Fatalf("river_migration: %d rows, %v", n, err)
	}
	if err := db.conn().queryRow(ctx, `SELECT count(*) FROM river_job`).Scan(&n); err != nil {
		t.Fatalf("river_job: %v", err)
	}
}

func suiteMigrateConcurrently(t *testing.T, open opener) {
	db := open(t)
	errs := make(chan error, 3)
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() { errs <- db.Migrate(t.Context()) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	create(t, db, "after concurrent migrate")
}

func suiteCreateAndDuplicate(t *testing.T, open opener) {
	db := migrated(t, open)
	ctx := t.Context()
	n := newDoc("a")
	n.GroupID = "mail-1"
	n.SHA256 = upper(n.SHA256) // normalised to lower case
	d, created, err := db.CreateDocument(ctx, nil, n)
	if err != nil || !created {
		t.Fatalf("create: %v, created=%v", err, created)
	}
	if d.ID == 0 || d.State != StateReceived || d.Version != 1 || d.SHA256 != sha("a") ||
		d.GroupID != "mail-1" || d.Source != SourceEmail || d.Size != 1234 || d.Result != nil {
		t.Fatalf("created document = %+v", d)
	}
	if d.CreatedAt.IsZero() || !d.CreatedAt.Equal(d.UpdatedAt) || time.Since(d.CreatedAt) > time.Minute {
		t.Fatalf("times: created %v updated %v", d.CreatedAt, d.UpdatedAt)
	}
	got, err := db.GetDocument(ctx, nil, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(d) {
		t.Fatalf("read back\n%+v\nwant\n%+v", got, d)
	}

	again := newDoc("a")
	again.FileName = "other.pdf"
	dup, created, err := db.CreateDocument(ctx, nil, again)
	if err != nil || created {
		t.Fatalf("duplicate: %v, created=%v", err, created)
	}
	if dup.ID != d.ID || dup.FileName != d.FileName {
		t.Fatalf("duplicate returned %+v, want the first document", dup)
	}
	evs, err := db.Events(ctx, d.ID)
	if err != nil || len(evs) != 1 || evs[0].From != "" || evs[0].To != StateReceived || evs[0].Actor != "intake" {
		t.Fatalf("events after create = %+v, %v", evs, err)
	}

	// A duplicate inside a caller's transaction must leave it usable (on
	// Postgres a failed statement would abort it).
	err = db.InTx(ctx, func(tx *Tx) error {
		if _, created, err := db.CreateDocument(ctx, tx, newDoc("a")); err != nil || created {
			return fmt.Errorf("dup in tx: %v created=%v", err, created)
		}
		_, created, err := db.CreateDocument(ctx, tx, newDoc("b"))
		if err != nil || !created {
			return fmt.Errorf("second in tx: %v created=%v", err, created)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	g2 := newDoc("a, page 2")
	g2.GroupID = "mail-1"
	second, _, err := db.CreateDocument(ctx, nil, g2)
	if err != nil {
		t.Fatal(err)
	}
	group, err := db.GroupDocuments(ctx, nil, "mail-1")
	if err != nil || len(group) != 2 || group[0].ID != d.ID || group[1].ID != second.ID {
		t.Fatalf("group = %v, %v", group, err)
	}
	if group, err := db.GroupDocuments(ctx, nil, "mail-2"); err != nil || len(group) != 0 {
		t.Fatalf("other group = %v, %v", group, err)
	}

	bad := []NewDocument{
		{SHA256: "xyz", ObjectKey: "k", Source: SourceUpload},
		{SHA256: sha("c"), ObjectKey: "", Source: SourceUpload},
		{SHA256: sha("c"), ObjectKey: "k", Source: "fax"},
		{SHA256: sha("c"), ObjectKey: "k", Source: SourceUpload, Size: -1},
	}
	for _, b := range bad {
		if _, _, err := db.CreateDocument(ctx, nil, b); err == nil {
			t.Errorf("CreateDocument(%+v) accepted", b)
		}
	}
}

func suiteConcurrentCreateSameFile(t *testing.T, open opener) {
	db := migrated(t, open)
	var created atomic.Int32
	ids := make(chan int64, 6)
	var wg sync.WaitGroup
	for range 6 {
		wg.Go(func() {
			d, c, err := db.CreateDocument(t.Context(), nil, newDoc("same bytes"))
			if err != nil {
				t.Error(err)
				return
			}
			if c {
				created.Add(1)
			}
			ids <- d.ID
		})
	}
	wg.Wait()
	close(ids)
	first := <-ids
	for id := range ids {
		if id != first {
			t.Errorf("ids %d and %d for one file", first, id)
		}
	}
	if created.Load() != 1 {
		t.Fatalf("%d creations, want 1", created.Load())
	}
}

func suiteNotFound(t *testing.T, open opener) {
	db := migrated(t, open)
	ctx := t.Context()
	if _, err := db.GetDocument(ctx, nil, 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("GetDocument: %v", err)
	}
	if err := db.Transition(ctx, nil, 999, StateReceived, StateProcessing, "t", ""); !errors.Is(err, ErrNotFound) {
		t.Errorf("Transition: %v", err)
	}
	if _, err := db.SaveResult(ctx, nil, 999, 1, []byte(`{}`), Fields{}); !errors.Is(err, ErrNotFound) {
		t.Errorf("SaveResult: %v", err)
	}
	if _, err := db.Events(ctx, 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("Events: %v", err)
	}
}

func suiteTransitions(t *testing.T, open opener) {
	db := migrated(t, open)
	ctx := t.Context()
	d := create(t, db, "t")
	path := []State{StateProcessing, StateNeedsReview, StateApproved, StatePosted}
	from := StateReceived
	for i, to := range path {
		if err := db.Transition(ctx, nil, d.ID, from, to, "actor"+fmt.Sprint(i), "step "+fmt.Sprint(i)); err != nil {
			t.Fatalf("%s → %s: %v", from, to, err)
		}
		from = to
	}
	got, err := db.GetDocument(ctx, nil, d.ID)
	if err != nil || got.State != StatePosted || got.Version != 1+len(path) {
		t.Fatalf("after path: state %s version %d, %v", got.State, got.Version, err)
	}
	if !got.UpdatedAt.After(got.CreatedAt) && !got.UpdatedAt.Equal(got.CreatedAt) {
		t.Fatalf("updated_at %v before created_at %v", got.UpdatedAt, got.CreatedAt)
	}
	evs, err := db.Events(ctx, d.ID)
	if err != nil || len(evs) != 1+len(path) {
		t.Fatalf("events = %+v, %v", evs, err)
	}
	prev := StateReceived
	for i, e := range evs[1:] {
		if e.From != prev || e.To != path[i] || e.Actor != "actor"+fmt.Sprint(i) || e.Reason != "step "+fmt.Sprint(i) || e.DocumentID != d.ID {
			t.Errorf("event %d = %+v", i+1, e)
		}
		if e.ID <= evs[i].ID || e.At.Before(evs[i].At) {
			t.Errorf("event %d out of order: %+v after %+v", i+1, e, evs[i])
		}
		prev = e.To
	}

	illegal := []struct{ from, to State }{
		{StatePosted, StateProcessing},   // final
		{StatePosted, StateRejected},     // final
		{StateReceived, StatePosted},     // skips review
		{StateReceived, StateApproved},   // nobody looked
		{StateProcessing, StateReceived}, // no way back to the inbox
		{StateReceived, StateReceived},   // no self loop
		{"bogus", StateProcessing},
		{StateReceived, "bogus"},
	}
	d2 := create(t, db, "t2")
	for _, c := range illegal {
		err := db.Transition(ctx, nil, d2.ID, c.from, c.to, "t", "")
		if !errors.Is(err, ErrIllegalTransition) {
			t.Errorf("%s → %s: %v, want ErrIllegalTransition", c.from, c.to, err)
		}
	}
	// Legal edge, wrong current state: the document is received, not failed.
	if err := db.Transition(ctx, nil, d2.ID, StateFailed, StateProcessing, "t", ""); !errors.Is(err, ErrConflict) {
		t.Errorf("stale from-state: %v, want ErrConflict", err)
	}
	if err := db.Transition(ctx, nil, d2.ID, StateReceived, StateProcessing, "", ""); err == nil {
		t.Error("empty actor accepted")
	}
	if evs, _ := db.Events(ctx, d2.ID); len(evs) != 1 {
		t.Errorf("refused transitions wrote events: %+v", evs)
	}

	// Fail records the code; retrying clears it.
	if err := db.Transition(ctx, nil, d2.ID, StateReceived, StateProcessing, "worker", ""); err != nil {
		t.Fatal(err)
	}
	if err := db.Fail(ctx, nil, d2.ID, StateProcessing, "worker", pervichka.CodeCorrupt, "truncated PDF"); err != nil {
		t.Fatal(err)
	}
	got, _ = db.GetDocument(ctx, nil, d2.ID)
	if got.State != StateFailed || got.FailureCode != pervichka.CodeCorrupt || got.FailureReason != "truncated PDF" {
		t.Fatalf("after Fail: %+v", got)
	}
	if err := db.Transition(ctx, nil, d2.ID, StateFailed, StateProcessing, "clerk", "retry"); err != nil {
		t.Fatal(err)
	}
	got, _ = db.GetDocument(ctx, nil, d2.ID)
	if got.FailureCode != "" || got.FailureReason != "" {
		t.Fatalf("failure kept after retry: %+v", got)
	}
}

func suiteTransitionRollsBackWithTx(t *testing.T, open opener) {
	db := migrated(t, open)
	ctx := t.Context()
	d := create(t, db, "r")
	boom := errors.New("boom")
	err := db.InTx(ctx, func(tx *Tx) error {
		if err := db.Transition(ctx, tx, d.ID, StateReceived, StateProcessing, "w", ""); err != nil {
			return err
		}
		if got, err := db.GetDocument(ctx, tx, d.ID); err != nil || got.State != StateProcessing {
			return fmt.Errorf("inside tx: %s %v", got.State, err)
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	got, _ := db.GetDocument(ctx, nil, d.ID)
	evs, _ := db.Events(ctx, d.ID)
	if got.State != StateReceived || got.Version != 1 || len(evs) != 1 {
		t.Fatalf("rollback kept changes: %s v%d, %d events", got.State, got.Version, len(evs))
	}
}

func suiteEventsAppendOnly(t *testing.T, open opener) {
	db := migrated(t, open)
	ctx := t.Context()
	d := create(t, db, "e")
	for _, q := range []string{
		`UPDATE document_events SET reason = 'edited'`,
		`DELETE FROM document_events`,
	} {
		if _, err := db.conn().exec(ctx, q); err == nil {
			t.Errorf("%s: accepted", q)
		}
	}
	evs, err := db.Events(ctx, d.ID)
	if err != nil || len(evs) != 1 || evs[0].Reason != "получен по электронной почте" {
		t.Fatalf("events = %+v, %v", evs, err)
	}
}

func suiteConcurrentTransitions(t *testing.T, open opener) {
	db := migrated(t, open)
	ctx := t.Context()
	d := create(t, db, "c")
	const n = 8
	var wins, conflicts atomic.Int32
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			err := db.InTx(ctx, func(tx *Tx) error {
				return db.Transition(ctx, tx, d.ID, StateReceived, StateProcessing, fmt.Sprintf("worker%d", i), "")
			})
			switch {
			case err == nil:
				wins.Add(1)
			case errors.Is(err, ErrConflict):
				conflicts.Add(1)
			default:
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if wins.Load() != 1 || conflicts.Load() != n-1 {
		t.Fatalf("wins %d, conflicts %d; want 1 and %d", wins.Load(), conflicts.Load(), n-1)
	}
	evs, _ := db.Events(ctx, d.ID)
	got, _ := db.GetDocument(ctx, nil, d.ID)
	if len(evs) != 2 || got.Version != 2 {
		t.Fatalf("%d events, version %d; want 2 and 2", len(evs), got.Version)
	}
}

func suiteOptimisticLocking(t *testing.T, open opener) {
	db := migrated(t, open)
	ctx := t.Context()
	d := create(t, db, "o")
	total := pervichka.Kopecks(1234500)
	f := Fields{DocType: pervichka.DocInvoice, Number: "А-17", Date: "2025-03-14",
		SupplierINN: "7707083893", BuyerINN: "500100732259", Total: &total}
	result := []byte(`{"doc_type":"invoice","number":"А-17"}`)

	// Two writers read version 1; the first wins, the second is stale.
	v, err := db.SaveResult(ctx, nil, d.ID, d.Version, result, f)
	if err != nil || v != d.Version+1 {
		t.Fatalf("first writer: v%d, %v", v, err)
	}
	if _, err := db.SaveResult(ctx, nil, d.ID, d.Version, []byte(`{}`), Fields{}); !errors.Is(err, ErrStale) {
		t.Fatalf("second writer: %v, want ErrStale", err)
	}
	got, _ := db.GetDocument(ctx, nil, d.ID)
	if string(normJSON(t, got.Result)) != string(normJSON(t, result)) || got.Fields.Number != "А-17" ||
		got.Fields.Date != "2025-03-14" || got.Fields.Total == nil || *got.Fields.Total != total ||
		got.Fields.DocType != pervichka.DocInvoice || got.Fields.SupplierINN != f.SupplierINN ||
		got.Fields.BuyerINN != f.BuyerINN || got.Version != v {
		t.Fatalf("after save: %+v (result %s)", got, got.Result)
	}
	// A transition also bumps the version, so a result computed before it is stale.
	if err := db.Transition(ctx, nil, d.ID, StateReceived, StateProcessing, "w", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveResult(ctx, nil, d.ID, v, result, f); !errors.Is(err, ErrStale) {
		t.Fatalf("after transition: %v, want ErrStale", err)
	}

	// Concurrent writers at the same version: exactly one wins.
	got, _ = db.GetDocument(ctx, nil, d.ID)
	var wins, stale atomic.Int32
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Go(func() {
			_, err := db.SaveResult(ctx, nil, d.ID, got.Version, []byte(fmt.Sprintf(`{"writer":%d}`, i)), f)
			switch {
			case err == nil:
				wins.Add(1)
			case errors.Is(err, ErrStale):
				stale.Add(1)
			default:
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if wins.Load() != 1 || stale.Load() != 5 {
		t.Fatalf("wins %d, stale %d", wins.Load(), stale.Load())
	}

	// Clearing fields stores NULLs; bad input is refused before the database.
	if v, err = db.SaveResult(ctx, nil, d.ID, got.Version+1, nil, Fields{}); err != nil {
		t.Fatal(err)
	}
	got, _ = db.GetDocument(ctx, nil, d.ID)
	if got.Result != nil || got.Fields != (Fields{}) {
		t.Fatalf("cleared: %+v", got)
	}
	if _, err := db.SaveResult(ctx, nil, d.ID, v, []byte(`{"broken`), Fields{}); err == nil {
		t.Error("invalid JSON accepted")
	}
	if _, err := db.SaveResult(ctx, nil, d.ID, v, nil, Fields{Date: "14.03.2025"}); err == nil {
		t.Error("non-ISO date accepted")
	}
}

func suiteDuplicatesAndPages(t *testing.T, open opener) {
	db := migrated(t, open)
	ctx := t.Context()
	f := Fields{Number: "17", Date: "2025-03-14", SupplierINN: "7707083893"}
	var ids []int64
	for _, s := range []string{"d1", "d2"} {
		d := create(t, db, s)
		if _, err := db.SaveResult(ctx, nil, d.ID, d.Version, []byte(`{}`), f); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, d.ID)
	}
	other := create(t, db, "d3")
	g := f
	g.Date = "2025-03-15"
	if _, err := db.SaveResult(ctx, nil, other.ID, other.Version, []byte(`{}`), g); err != nil {
		t.Fatal(err)
	}
	dups, err := db.FindDuplicates(ctx, f.SupplierINN, f.Number, f.Date)
	if err != nil || len(dups) != 2 || dups[0].ID != ids[0] || dups[1].ID != ids[1] {
		t.Fatalf("duplicates = %v, %v", dups, err)
	}

	// Ingest records pages: a text layer already read, an image page
	// waiting for its job. Adding them again keeps what was read.
	pages := []Page{
		{Index: 1, RawKey: "raw/1.png", SourceDPI: 300},
		{Index: 0, WordsKey: "p/0.json", DecodeMS: 5},
	}
	if err := db.AddPages(ctx, nil, ids[0], pages); err != nil {
		t.Fatal(err)
	}
	if n, err := db.PendingPages(ctx, nil, ids[0]); err != nil || n != 1 {
		t.Fatalf("pending = %d, %v; want 1", n, err)
	}
	if err := db.FinishPage(ctx, nil, ids[0], Page{Index: 1, ImageKey: "p/1.png", WordsKey: "p/1.json", DPI: 412, DecodeMS: 3, EnhanceMS: 40, OCRMS: 900}); err != nil {
		t.Fatal(err)
	}
	if err := db.AddPages(ctx, nil, ids[0], []Page{{Index: 1, RawKey: "raw/other.png"}}); err != nil {
		t.Fatal(err)
	}
	got, err := db.Pages(ctx, nil, ids[0])
	want := []Page{
		{Index: 0, WordsKey: "p/0.json", DecodeMS: 5},
		{Index: 1, RawKey: "raw/1.png", SourceDPI: 300, ImageKey: "p/1.png", WordsKey: "p/1.json", DPI: 412, DecodeMS: 3, EnhanceMS: 40, OCRMS: 900},
	}
	if err != nil || len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("pages = %+v, %v; want %+v", got, err, want)
	}
	if n, err := db.PendingPages(ctx, nil, ids[0]); err != nil || n != 0 {
		t.Fatalf("pending after finish = %d, %v; want 0", n, err)
	}
	if err := db.FinishPage(ctx, nil, ids[0], Page{Index: 7, ImageKey: "x", WordsKey: "y"}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("finish of a missing page: %v, want ErrNotFound", err)
	}
	if err := db.FinishPage(ctx, nil, ids[0], Page{Index: 1, ImageKey: "x"}); err == nil {
		t.Fatal("finish without words accepted")
	}
	if err := db.AddPages(ctx, nil, 999, pages); err == nil {
		t.Fatal("pages of a missing document accepted (foreign key)")
	}
	if _, err := db.LockDocument(ctx, nil, ids[0]); err == nil {
		t.Fatal("lock outside a transaction accepted")
	}
	err = db.InTx(ctx, func(tx *Tx) error {
		d, err := db.LockDocument(ctx, tx, ids[0])
		if err == nil && d.ID != ids[0] {
			t.Errorf("locked %d, want %d", d.ID, ids[0])
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.InTx(ctx, func(tx *Tx) error { _, err := db.LockDocument(ctx, tx, 999); return err })
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("lock of a missing document: %v, want ErrNotFound", err)
	}
}

func suiteLinks(t *testing.T, open opener) {
	db := migrated(t, open)
	ctx := t.Context()
	a, b := create(t, db, "link-a"), create(t, db, "link-b")
	l := Link{DocumentID: b.ID, LinkedID: a.ID, Kind: LinkContinuation, Reason: "продолжение"}
	for range 2 { // the same proposal twice is one link
		if err := db.AddLink(ctx, nil, l); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.AddLink(ctx, nil, Link{DocumentID: a.ID, LinkedID: b.ID, Kind: LinkDuplicate, Reason: "дубликат"}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{a.ID, b.ID} {
		got, err := db.Links(ctx, nil, id)
		if err != nil || len(got) != 2 || got[0].Kind != LinkContinuation || got[1].Kind != LinkDuplicate || got[0].Reason != "продолжение" {
			t.Fatalf("links of %d = %+v, %v", id, got, err)
		}
	}
	if err := db.AddLink(ctx, nil, Link{DocumentID: a.ID, LinkedID: a.ID, Kind: LinkDuplicate, Reason: "x"}); err == nil {
		t.Error("a link to itself accepted")
	}
	if err := db.AddLink(ctx, nil, Link{DocumentID: a.ID, LinkedID: b.ID, Kind: "friend", Reason: "x"}); err == nil {
		t.Error("an unknown link kind accepted")
	}
	if err := db.AddLink(ctx, nil, Link{DocumentID: a.ID, LinkedID: 999, Kind: LinkDuplicate, Reason: "x"}); err == nil {
		t.Error("a link to a missing document accepted")
	}
	if err := db.LockKey(ctx, nil, "k"); err == nil {
		t.Error("LockKey outside a transaction accepted")
	}
	if err := db.InTx(ctx, func(tx *Tx) error { return db.LockKey(ctx, tx, "duplicate:k") }); err != nil {
		t.Fatal(err)
	}
}

func suiteListPaging(t *testing.T, open opener) {
	db := migrated(t, open)
	ctx := t.Context()
	var want []int64
	for i := range 7 {
		d := create(t, db, fmt.Sprint("l", i))
		if i%3 == 2 { // every third moves on and must not be listed
			if err := db.Transition(ctx, nil, d.ID, StateReceived, StateProcessing, "w", ""); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want = append(want, d.ID)
	}
	var got []int64
	var after Cursor
	pages := 0
	for {
		page, err := db.ListByState(ctx, StateReceived, 2, after)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, d := range page {
			if d.State != StateReceived {
				t.Fatalf("listed %s", d.State)
			}
			got = append(got, d.ID)
		}
		if len(page) < 2 {
			break
		}
		after = page[len(page)-1].Cursor()
	}
	if fmt.Sprint(got) != fmt.Sprint(want) || pages != 3 {
		t.Fatalf("listed %v in %d pages, want %v in 3", got, pages, want)
	}
	if _, err := db.ListByState(ctx, StateReceived, 0, Cursor{}); err == nil {
		t.Error("limit 0 accepted")
	}
	if _, err := db.ListByState(ctx, "bogus", 10, Cursor{}); err == nil {
		t.Error("unknown state accepted")
	}
}

func suiteRiverJobInSameTx(t *testing.T, open opener) {
	db := migrated(t, open)
	ctx := t.Context()
	workers := river.NewWorkers()
	river.AddWorker(workers, &startWorker{db: db})
	q, err := db.NewQueue(&river.Config{
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 1}},
		Workers:           workers,
		FetchCooldown:     20 * time.Millisecond,
		FetchPollInterval: 50 * time.Millisecond,
		TestOnly:          true,
	})
	if err != nil {
		t.Fatal(err)
	}
	var doc Document
	err = db.InTx(ctx, func(tx *Tx) error {
		d, _, err := db.CreateDocument(ctx, tx, newDoc("river"))
		if err != nil {
			return err
		}
		doc = d
		_, err = q.InsertTx(ctx, tx, startArgs{DocumentID: d.ID}, nil)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// A rolled-back transaction leaves neither the document nor its job.
	boom := errors.New("boom")
	err = db.InTx(ctx, func(tx *Tx) error {
		d, _, err := db.CreateDocument(ctx, tx, newDoc("river-rolled-back"))
		if err != nil {
			return err
		}
		if _, err := q.InsertTx(ctx, tx, startArgs{DocumentID: d.ID}, nil); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	var jobs int
	if err := db.conn().queryRow(ctx, `SELECT count(*) FROM river_job`).Scan(&jobs); err != nil || jobs != 1 {
		t.Fatalf("river_job rows: %d, %v; want 1", jobs, err)
	}

	events, cancel := q.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
	defer cancel()
	start := time.Now()
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := q.Stop(stopCtx); err != nil {
			t.Error(err)
		}
	}()
	select {
	case ev := <-events:
		if ev.Kind != river.EventKindJobCompleted {
			t.Fatalf("job ended %s: %+v", ev.Kind, ev.Job.Errors)
		}
		t.Logf("job worked %v after start", time.Since(start).Round(time.Millisecond))
	case <-time.After(15 * time.Second):
		t.Fatal("job not worked within 15 s")
	}
	got, err := db.GetDocument(ctx, nil, doc.ID)
	if err != nil || got.State != StateProcessing {
		t.Fatalf("after job: %s, %v", got.State, err)
	}
	evs, _ := db.Events(ctx, doc.ID)
	if len(evs) != 2 || evs[1].Actor != "river:test_start" {
		t.Fatalf("events = %+v", evs)
	}
	var state string
	if err := db.conn().queryRow(ctx, `SELECT state FROM river_job`).Scan(&state); err != nil || state != "completed" {
		t.Fatalf("job state %q, %v", state, err)
	}
}

// startArgs / startWorker: a trivial pipeline stage that moves a document to
// processing and completes its job in the same transaction.
type startArgs struct {
	DocumentID int64 `json:"document_id"`
}

func (startArgs) Kind() string { return "test_start" }

type startWorker struct {
	river.WorkerDefaults[startArgs]
	db *DB
}

func (w *startWorker) Work(ctx context.Context, job *river.Job[startArgs]) error {
	return w.db.InTx(ctx, func(tx *Tx) error {
		if err := w.db.Transition(ctx, tx, job.Args.DocumentID, StateReceived, StateProcessing, "river:"+job.Kind, "picked up"); err != nil {
			return err
		}
		return CompleteJobTx(ctx, tx, job)
	})
}

func sha(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'f' {
			b[i] = c - 32
		}
	}
	return string(b)
}

func newDoc(content string) NewDocument {
	return NewDocument{SHA256: sha(content), ObjectKey: "originals/" + sha(content), FileName: "счёт " + content + ".pdf",
		ContentType: "application/pdf", Size: 1234, Source: SourceEmail, Sender: "buh@example.ru"}
}

func create(t *testing.T, db *DB, content string) Document {
	t.Helper()
	d, created, err := db.CreateDocument(t.Context(), nil, newDoc(content))
	if err != nil || !created {
		t.Fatalf("create %s: %v, created=%v", content, err, created)
	}
	return d
}

// suiteStranded: a document in received or processing is stranded exactly
// when no River job still to run names it — not while its job waits,
// retries or runs, and no matter what jobs of other documents do.
func suiteStranded(t *testing.T, open opener) {
	db := migrated(t, open)
	ctx := t.Context()
	q, err := db.NewQueue(&river.Config{})
	if err != nil {
		t.Fatal(err)
	}
	waiting, moving, dropped, done := create(t, db, "waiting"), create(t, db, "moving"), create(t, db, "dropped"), create(t, db, "done")
	jobs := map[int64]int64{}
	for _, d := range []Document{waiting, moving, dropped, done} {
		res, err := q.Insert(ctx, startArgs{DocumentID: d.ID}, nil)
		if err != nil {
			t.Fatal(err)
		}
		jobs[d.ID] = res.Job.ID
	}
	setJob := func(doc Document, state string) {
		t.Helper()
		var finalized any // River's check: set exactly in the final states
		if state == "discarded" || state == "completed" {
			finalized = db.q.timeArg(time.Now())
		}
		if _, err := db.conn().exec(ctx, `UPDATE river_job SET state = $1, finalized_at = $2 WHERE id = $3`, state, finalized, jobs[doc.ID]); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []Document{moving, dropped, done} {
		if err := db.Transition(ctx, nil, d.ID, StateReceived, StateProcessing, "test", "picked up"); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Transition(ctx, nil, done.ID, StateProcessing, StateNeedsReview, "test", "read"); err != nil {
		t.Fatal(err)
	}
	setJob(moving, "retryable")
	setJob(dropped, "discarded") // what River's rescuer does after the last attempt
	setJob(done, "completed")
	// A job of a document nobody waits for: it must not save "dropped".
	if _, err := q.Insert(ctx, startArgs{DocumentID: 999999}, nil); err != nil {
		t.Fatal(err)
	}
	got, err := db.Stranded(ctx, nil, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != dropped.ID {
		t.Fatalf("stranded %v, want only %d (its job discarded)", got, dropped.ID)
	}
	for _, d := range []Document{waiting, moving, dropped} {
		one, err := db.Stranded(ctx, nil, d.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		if want := d.ID == dropped.ID; (len(one) == 1) != want {
			t.Errorf("document %d alone: stranded %v, want %v", d.ID, one, want)
		}
	}
	// The job of a document in received is gone (deleted in River's UI).
	if _, err := db.conn().exec(ctx, `DELETE FROM river_job WHERE id = $1`, jobs[waiting.ID]); err != nil {
		t.Fatal(err)
	}
	got, err = db.Stranded(ctx, nil, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int64{waiting.ID, dropped.ID}; len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("stranded %v, want %v", got, want)
	}
}
