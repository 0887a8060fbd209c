package pipeline_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	pngenc "image/png"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pervichka/pervichka/pipeline"
	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/db/dbtest"
	"github.com/pervichka/pervichka/storage/objects"
	"github.com/pervichka/pervichka/storage/objects/objectstest"
)

// gatedStore holds every Put until the test releases it, counting how
// many are held at once.
type gatedStore struct {
	objects.Store
	entered chan string
	release chan struct{}
	now     atomic.Int32
	most    atomic.Int32
}

func (g *gatedStore) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	n := g.now.Add(1)
	for m := g.most.Load(); n > m && !g.most.CompareAndSwap(m, n); m = g.most.Load() {
	}
	g.entered <- key
	<-g.release
	g.now.Add(-1)
	return g.Store.Put(ctx, key, r, size, contentType)
}

// onePixelPNG is a distinct small PNG per n.
func onePixelPNG(t *testing.T, n int) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 1, 1))
	img.SetGray(0, 0, color.Gray{Y: uint8(n)})
	var b bytes.Buffer
	if err := pngenc.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestSubmitInTurn: with MaxSubmits 2, two Submits store at once and the
// others wait; a waiting one whose ctx ends gives up with the ctx's error
// and leaves nothing behind; the rest go on as turns free up.
func TestSubmitInTurn(t *testing.T) {
	ctx := t.Context()
	log := slog.New(slog.DiscardHandler)
	database, err := db.Open(ctx, dbtest.SQLiteURL(t), log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = database.Close() })
	if err := database.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	local, err := objects.Open(ctx, objectstest.FileURL(t), log)
	if err != nil {
		t.Fatal(err)
	}
	gate := &gatedStore{Store: local, entered: make(chan string, 8), release: make(chan struct{})}
	p, err := pipeline.New(pipeline.Config{DB: database, Objects: gate, Logger: log, MaxSubmits: 2})
	if err != nil {
		t.Fatal(err)
	}

	type outcome struct {
		n   int
		err error
	}
	done := make(chan outcome, 5)
	submit := func(ctx context.Context, n int) {
		_, _, err := p.Submit(ctx, pipeline.Upload{Name: "p.png", Body: onePixelPNG(t, n), Source: db.SourceUpload})
		done <- outcome{n, err}
	}
	var wg sync.WaitGroup
	var releaseOnce sync.Once
	release := func() { releaseOnce.Do(func() { close(gate.release) }) }
	// On a failure too: no Submit stays held, and the test ends.
	defer wg.Wait()
	defer release()
	for n := range 2 {
		wg.Go(func() { submit(ctx, n) })
	}
	waitFor := func(what string, ch <-chan string) {
		t.Helper()
		select {
		case <-ch:
		case <-time.After(10 * time.Second):
			t.Fatalf("no Put began: %s", what)
		}
	}
	waitFor("first", gate.entered)
	waitFor("second", gate.entered)

	gone, cancel := context.WithCancel(ctx)
	wg.Go(func() { submit(gone, 2) })
	for n := 3; n < 5; n++ {
		wg.Go(func() { submit(ctx, n) })
	}
	select {
	case key := <-gate.entered:
		t.Fatalf("a third Put (%s) began while two held their turns", key)
	case <-time.After(200 * time.Millisecond):
	}
	cancel()
	select {
	case o := <-done:
		if o.n != 2 || !errors.Is(o.err, context.Canceled) {
			t.Fatalf("upload %d ended first with %v; want upload 2 with context.Canceled", o.n, o.err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a waiting Submit did not give up when its ctx ended")
	}

	release()
	for range 4 {
		if o := <-done; o.err != nil {
			t.Fatalf("upload %d: %v", o.n, o.err)
		}
	}
	if most := gate.most.Load(); most != 2 {
		t.Errorf("%d Puts at once, want 2", most)
	}
	var stored int
	if err := local.List(ctx, "", func(objects.Info) error { stored++; return nil }); err != nil {
		t.Fatal(err)
	}
	docs, err := database.ListByState(ctx, db.StateReceived, 10, db.Cursor{})
	if err != nil {
		t.Fatal(err)
	}
	if stored != 4 || len(docs) != 4 {
		t.Errorf("%d objects and %d documents, want 4 of each (the cancelled upload leaves none)", stored, len(docs))
	}
}

// TestSubmitLockedDatabase: another process holds SQLite's write lock while
// six uploads arrive. Each Submit waits SubmitDBWait at most — not its
// turn at the one connection behind the others' 5 s busy waits, which made
// the last of a burst wait for the whole lock — fails with an error that
// says "later" (db.ErrTransient: the API answers 503 and Retry-After), and
// loses nothing: once the lock is gone the same bytes make one document.
func TestSubmitLockedDatabase(t *testing.T) {
	ctx := t.Context()
	log := slog.New(slog.DiscardHandler)
	url := dbtest.SQLiteURL(t)
	database, err := db.Open(ctx, url, log)
	if err != nil {
		t.Fatal(err)
	}
	defer database.Close()
	if err := database.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	other, err := db.Open(ctx, url, log)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	store, err := objects.Open(ctx, objectstest.FileURL(t), log)
	if err != nil {
		t.Fatal(err)
	}
	p, err := pipeline.New(pipeline.Config{DB: database, Objects: store, Logger: log, MaxSubmits: 8})
	if err != nil {
		t.Fatal(err)
	}
	lock, err := other.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			_, _, err := p.Submit(ctx, pipeline.Upload{Name: "b.png", Body: onePixelPNG(t, 100+i), Source: "upload"})
			waited := time.Since(start)
			if !db.IsTransient(err) {
				t.Errorf("submit %d while locked: %v, want a transient error", i, err)
			}
			// The lock is held for good here; the wait must end on its own.
			if waited > pipeline.SubmitDBWait+3*time.Second {
				t.Errorf("submit %d waited %s for a locked database, bound %s", i, waited, pipeline.SubmitDBWait)
			}
		}()
	}
	wg.Wait()
	body := onePixelPNG(t, 7)
	if err := lock.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	doc, created, err := p.Submit(ctx, pipeline.Upload{Name: "a.png", Body: body, Source: "upload"})
	if err != nil || !created {
		t.Fatalf("after the lock: %v (created %v)", err, created)
	}
	again, created, err := p.Submit(ctx, pipeline.Upload{Name: "a.png", Body: body, Source: "upload"})
	if err != nil || created || again.ID != doc.ID {
		t.Fatalf("the same bytes again: %d created %v err %v, want document %d", again.ID, created, err, doc.ID)
	}
}
