package review

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/recognize"
	"github.com/pervichka/pervichka/extractors/tesseract"
	"github.com/pervichka/pervichka/pipeline"
	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/db/dbtest"
)

// sideways turns a picture a quarter counter-clockwise: a phone held the
// wrong way.
func sideways(img image.Image) image.Image {
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dy(), b.Dx()))
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			out.Set(y, b.Dx()-1-x, img.At(b.Min.X+x, b.Min.Y+y))
		}
	}
	return out
}

// TestBrowserTurnAndRead: a sideways photo read without turning gives no
// supplier; the clerk presses R, the page is turned, read again and
// extracted, and the document comes back with the fields of the page.
func TestBrowserTurnAndRead(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the pipeline's OCR with Tesseract")
	}
	e := newEnv(t, dbtest.SQLiteURL(t))
	ctx := context.Background()
	pool, err := tesseract.NewPool(ctx, tesseract.Options{Size: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pool.Close() })
	// The automatic orientation is off, as if it had guessed wrong: the
	// first reading is of the page on its side.
	rec := recognize.New(pool, recognize.Options{Disabled: map[string]bool{"orient": true}})
	p, err := pipeline.New(pipeline.Config{DB: e.db, Objects: e.store, Work: true, OCRWorkers: 1,
		Recognizer: rec, PollInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	e.srv.cfg.Queue, e.srv.cfg.Turner = p.Queue(), p
	life, stop := context.WithCancel(ctx)
	if err := p.Start(life); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stop()
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = p.Stop(sctx, time.Second)
	})
	e.addUser("ivanova", db.UserClerk)
	f, err := os.Open("../testdata/corpus/007-upd-photo.jpg")
	if err != nil {
		t.Fatal(err)
	}
	img, err := jpeg.Decode(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, sideways(img), &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	doc, _, err := p.Submit(ctx, pipeline.Upload{Name: "sideways.jpg", Body: buf.Bytes(), Source: db.SourceUpload})
	if err != nil {
		t.Fatal(err)
	}
	wait := func(what string) pervichka.Result {
		deadline := time.Now().Add(4 * time.Minute)
		for {
			d, _ := e.db.GetDocument(ctx, nil, doc.ID)
			if d.State == db.StateNeedsReview || d.State == db.StateAutoApproved || d.State == db.StatePosted {
				res, _ := decodeResult(d)
				return res
			}
			if d.State == db.StateFailed {
				t.Fatalf("%s: failed: %s", what, d.FailureReason)
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: still %s after 4 minutes", what, d.State)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	before := wait("the sideways reading")
	if before.Supplier.INN == goodSupplierINN {
		t.Fatalf("the sideways page was read right without turning: the test shows nothing")
	}
	bctx := browser(t)
	browserLogin(t, bctx, e.http.URL, "ivanova")
	within(t, bctx, "open and press R",
		chromedp.Navigate(e.http.URL+"/review/"+itoa(doc.ID)),
		chromedp.WaitVisible(chromedp.CSS("#docform")),
		markPage(),
		chromedp.KeyEvent("r"),
	)
	poll(t, bctx, "the turned page being read", `!window.pvkOld && document.readyState === "complete" && location.search === "?msg=rotated"`)
	after := wait("the turned reading")
	t.Logf("supplier ИНН before %q, after %q; number before %q, after %q", before.Supplier.INN, after.Supplier.INN, before.Number, after.Number)
	if after.Supplier.INN != goodSupplierINN {
		t.Errorf("after turning, supplier ИНН %q, want %s", after.Supplier.INN, goodSupplierINN)
	}
	// The page reloads itself and shows the new fields.
	poll(t, bctx, "the page with the new reading", `(i => i && i.value === "`+goodSupplierINN+`")(document.querySelector('[name="f.supplier.inn"]'))`)
	pages, _ := e.db.Pages(ctx, nil, doc.ID)
	if len(pages) != 1 || !pipeline.Upright(pages[0]) {
		t.Errorf("page after the turn: %+v", pages)
	}
}
