package review

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/extractors/pdf"
	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/db/dbtest"
	"github.com/pervichka/pervichka/storage/objects"
)

// seedPDF stores a born-digital PDF as the pipeline's ingest does: the
// original, and per page the text layer's words with no picture. The
// result is res. It returns the document id and the words per page.
func (e *env) seedPDF(file string, res pervichka.Result) (int64, []pervichka.Page) {
	e.t.Helper()
	ctx := context.Background()
	b, err := os.ReadFile(file)
	if err != nil {
		e.t.Fatal(err)
	}
	pages, err := pdf.Pages(ctx, b, pervichka.DefaultLimits())
	if err != nil {
		e.t.Fatalf("%s: %v", file, err)
	}
	sum := sha256.Sum256(b)
	sha := hex.EncodeToString(sum[:])
	key := objects.HashKey("originals", sha)
	if err := e.store.Put(ctx, key, bytes.NewReader(b), int64(len(b)), "application/pdf"); err != nil {
		e.t.Fatal(err)
	}
	doc, _, err := e.db.CreateDocument(ctx, nil, db.NewDocument{SHA256: sha, ObjectKey: key, FileName: filepath.Base(file),
		ContentType: "application/pdf", Size: int64(len(b)), Source: db.SourceUpload})
	if err != nil {
		e.t.Fatal(err)
	}
	var stored []db.Page
	var words []pervichka.Page
	for i, p := range pages {
		if p.Text == nil {
			e.t.Fatalf("%s page %d has no text layer", file, i+1)
		}
		wb, _ := json.Marshal(p.Text)
		wk := fmt.Sprintf("pages/%d/%d.json", doc.ID, i)
		if err := e.store.Put(ctx, wk, bytes.NewReader(wb), int64(len(wb)), "application/json"); err != nil {
			e.t.Fatal(err)
		}
		stored = append(stored, db.Page{Index: i, WordsKey: wk})
		words = append(words, *p.Text)
	}
	res.Pages, res.File, res.NeedsReview = len(pages), filepath.Base(file), true
	body, _ := json.Marshal(res)
	err = e.db.InTx(ctx, func(tx *db.Tx) error {
		if err := e.db.AddPages(ctx, tx, doc.ID, stored); err != nil {
			return err
		}
		if err := e.db.Transition(ctx, tx, doc.ID, db.StateReceived, db.StateProcessing, "pipeline:ingest", "test"); err != nil {
			return err
		}
		if _, err := e.db.SaveResult(ctx, tx, doc.ID, doc.Version+1, body, indexed(res)); err != nil {
			return err
		}
		return e.db.Transition(ctx, tx, doc.ID, db.StateProcessing, db.StateNeedsReview, "pipeline:extract", "test")
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return doc.ID, words
}

// wordsCheckJS checks every word of the page on screen: the picture is
// loaded, there is ink in the picture under the word's box (the page
// shows it), and the word's own element is what a click at its middle
// hits once it is scrolled into view. It answers the words failing each.
const wordsCheckJS = `(() => {
  const img = document.querySelector('.pageimg');
  if (!img || !img.complete || !img.naturalWidth) return {loaded: false};
  const c = document.createElement('canvas');
  c.width = img.naturalWidth; c.height = img.naturalHeight;
  const g = c.getContext('2d', {willReadFrequently: true});
  g.drawImage(img, 0, 0);
  const all = g.getImageData(0, 0, c.width, c.height).data;
  const stageEl = document.getElementById('stage');
  let stage = stageEl.getBoundingClientRect();
  const words = [...document.querySelectorAll('#sheet .word')];
  const k = img.naturalWidth / img.width;
  const out = {loaded: true, words: words.length, noInk: [], notHit: []};
  for (const w of words) {
    const x0 = Math.floor(parseFloat(w.style.left) * k), y0 = Math.floor(parseFloat(w.style.top) * k);
    const x1 = Math.min(c.width, Math.ceil(x0 + parseFloat(w.style.width) * k)), y1 = Math.min(c.height, Math.ceil(y0 + parseFloat(w.style.height) * k));
    let dark = 0;
    for (let y = y0; y < y1 && !dark; y++) for (let x = x0; x < x1; x++) {
      const i = (y * c.width + x) * 4;
      if (all[i] + all[i+1] + all[i+2] < 3 * 140) { dark++; break; }
    }
    if (dark === 0) out.noInk.push(w.textContent);
    let r = w.getBoundingClientRect();
    let cx = r.left + r.width / 2, cy = r.top + r.height / 2;
    if (!(cx > stage.left + 2 && cx < stage.right - 2 && cy > stage.top + 2 && cy < stage.bottom - 2)) {
      w.scrollIntoView({block: 'center', inline: 'center'});
      stage = stageEl.getBoundingClientRect();
      r = w.getBoundingClientRect();
      cx = r.left + r.width / 2; cy = r.top + r.height / 2;
    }
    const inside = cx > stage.left && cx < stage.right && cy > stage.top && cy < stage.bottom;
    if (!inside || document.elementFromPoint(cx, cy) !== w) out.notHit.push(w.textContent);
  }
  return out;
})()`

type wordsCheck struct {
	Loaded bool     `json:"loaded"`
	Words  int      `json:"words"`
	NoInk  []string `json:"noInk"`
	NotHit []string `json:"notHit"`
}

// longPDF are the committed PDFs of three pages.
var longPDF = map[string]bool{"026-contract.pdf": true, "029-contract.pdf": true}

var bornDigital = regexp.MustCompile(`^[0-9]{3}-[a-z_]+\.pdf$`)

// TestBrowserBornDigital: every page of every committed born-digital PDF
// is shown as a picture rendered from the file, and every word of its text
// layer is printed in that picture and clickable, at fit and at 200 %.
// Before, the viewer laid the words out as text in a browser font clipped
// to their boxes: on one invoice 101 of 179 words were cut.
func TestBrowserBornDigital(t *testing.T) {
	e := newEnv(t, dbtest.SQLiteURL(t))
	e.addUser("ivanova", db.UserClerk)
	entries, err := os.ReadDir("../testdata/corpus")
	if err != nil {
		t.Fatal(err)
	}
	type seeded struct {
		name  string
		id    int64
		pages []pervichka.Page
	}
	var docs []seeded
	seenType := map[string]bool{}
	for _, en := range entries {
		if bornDigital.MatchString(en.Name()) {
			// Under -short: the first PDF of each type and every one of
			// more than two pages; all 36 otherwise (about 6 s each on
			// a loaded 2-core machine).
			typ := en.Name()[4 : len(en.Name())-4]
			if testing.Short() && seenType[typ] && !longPDF[en.Name()] {
				continue
			}
			seenType[typ] = true
			id, pages := e.seedPDF(filepath.Join("../testdata/corpus", en.Name()), pervichka.Result{DocType: pervichka.DocInvoice})
			docs = append(docs, seeded{en.Name(), id, pages})
		}
	}
	if len(docs) < 5 || !testing.Short() && len(docs) < 30 {
		t.Fatalf("only %d born-digital PDFs in testdata/corpus", len(docs))
	}
	ctx := browser(t)
	browserLogin(t, ctx, e.http.URL, "ivanova")
	total := 0
	for _, d := range docs {
		start := time.Now()
		within(t, ctx, "open "+d.name,
			chromedp.Navigate(e.http.URL+"/review/"+itoa(d.id)),
			chromedp.WaitVisible(chromedp.CSS("#sheet")),
		)
		for pi, page := range d.pages {
			for _, zoom := range []struct {
				name string
				keys string
			}{{"fit", "0"}, {"200 %", "0+++"}} {
				within(t, ctx, "page and zoom",
					chromedp.Click(chromedp.CSS(fmt.Sprintf(`.pagebtn[data-page="%d"]`, pi))),
					chromedp.Focus(chromedp.CSS("#stage")),
					chromedp.KeyEvent(zoom.keys),
				)
				if z := eval[string](t, ctx, `document.getElementById('zoom-level').textContent`); zoom.name == "200 %" && z != "200 %" {
					t.Fatalf("zoom shows %q after %q", z, zoom.keys)
				}
				t0 := time.Now()
				poll(t, ctx, "the page picture", `(i => i && i.complete && i.naturalWidth > 0)(document.querySelector('.pageimg'))`)
				t1 := time.Now()
				got := eval[wordsCheck](t, ctx, wordsCheckJS)
				if testing.Verbose() {
					t.Logf("picture %s, check %s", t1.Sub(t0), time.Since(t1))
				}
				if !got.Loaded || got.Words != len(page.Words) {
					t.Fatalf("%s page %d at %s: picture loaded %v, %d words shown of %d", d.name, pi+1, zoom.name, got.Loaded, got.Words, len(page.Words))
				}
				if len(got.NoInk) > 0 || len(got.NotHit) > 0 {
					t.Errorf("%s page %d at %s: %d words not printed in the picture %q, %d not clickable %q",
						d.name, pi+1, zoom.name, len(got.NoInk), first(got.NoInk), len(got.NotHit), first(got.NotHit))
				}
				total += got.Words
			}
		}
		t.Logf("%s: %d pages, %s", d.name, len(d.pages), time.Since(start).Round(time.Millisecond))
	}
	t.Logf("%d PDFs, %d word checks (fit and 200 %%)", len(docs), total)
}

func first(s []string) []string { return s[:min(len(s), 5)] }
