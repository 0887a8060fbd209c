package review

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/pipeline"

	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/db/dbtest"
)

const chromiumPath = "/usr/bin/chromium"

// browser starts a headless Debian Chromium with a fresh profile and
// returns a context for its first tab. Each call is a separate browser:
// separate cookies, so separate sessions.
func browser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s missing: run scripts/setup.sh --deps", chromiumPath)
		}
		t.Skipf("%s missing", chromiumPath)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1600, 1000),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// within runs steps with a deadline, so a missing element fails the test
// instead of hanging it.
func within(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(c, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(c, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// poll waits until the expression is truthy, across a navigation: a
// page that is replaced while polling is polled again on the new one.
func poll(t *testing.T, ctx context.Context, what, js string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, cancel := context.WithDeadline(ctx, deadline)
		_, err := chromedp.Run(c, chromedp.Poll[bool](js))
		cancel()
		if err == nil {
			return
		}
		if time.Now().After(deadline) || !strings.Contains(err.Error(), "navigated or closed") && !strings.Contains(err.Error(), "context") {
			t.Fatalf("waiting for %s (%s): %v", what, js, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func browserLogin(t *testing.T, ctx context.Context, base, name string) {
	t.Helper()
	within(t, ctx, "log in",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS("#name")),
		chromedp.SendKeys(chromedp.CSS("#name"), name),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
		chromedp.Click(chromedp.CSS("#login")),
		chromedp.WaitVisible(chromedp.CSS("#queue")),
	)
}

const innInput = `[name="f.supplier.inn"]`

func innCheck(ctx context.Context, t *testing.T) string {
	return eval[string](t, ctx, `document.querySelector('small.check[data-for="supplier.inn"]').textContent`)
}

// TestBrowserReview: a clerk logs in, opens the queue, sees the live
// validator reject the supplier's ИНН, fixes it, approves with Ctrl+Enter,
// and finds the document posted.
func TestBrowserReview(t *testing.T) {
	e := newEnv(t, dbtest.SQLiteURL(t))
	e.addUser("ivanova", db.UserClerk)
	id := e.seed(1, nil)
	next := e.seed(2, func(r *pervichka.Result) { r.Number = "00764" })
	ctx := browser(t)
	base := e.http.URL

	browserLogin(t, ctx, base, "ivanova")
	if n := eval[int](t, ctx, `document.querySelectorAll('#queue tbody tr a').length`); n != 2 {
		t.Fatalf("queue shows %d documents, want 2", n)
	}
	within(t, ctx, "open the first document",
		chromedp.Click(chromedp.CSS(`#queue a[href="/review/`+itoa(id)+`"]`)),
		chromedp.WaitVisible(chromedp.CSS("#docform")),
	)
	// The flagged field has focus first and its box is drawn on the image.
	poll(t, ctx, "the page image", `document.querySelector('.pageimg') && document.querySelector('.pageimg').complete && document.querySelector('.pageimg').naturalWidth > 0`)
	if got := innCheck(ctx, t); got != "Неверная контрольная сумма ИНН" {
		t.Fatalf("ИНН check on load: %q", got)
	}
	// The page opens with focus on the picture, not in a field; the first
	// Tab enters the field needing attention.
	if id := eval[string](t, ctx, `document.activeElement.id`); id != "stage" {
		t.Errorf("focus on load: %q, want the page (stage)", id)
	}
	within(t, ctx, "Tab", chromedp.KeyEvent("\t"))
	if key := eval[string](t, ctx, `document.activeElement.dataset.key || ""`); key != "supplier.inn" {
		t.Errorf("first Tab enters %q, want supplier.inn (the one needing attention)", key)
	}
	// Typing: a different wrong ИНН stays red, the right one clears it live.
	within(t, ctx, "type a wrong ИНН",
		clearField(innInput),
		chromedp.SendKeys(chromedp.CSS(innInput), "2332496030"),
	)
	poll(t, ctx, "live validator: wrong", `document.querySelector('small.check[data-for="supplier.inn"]').textContent === "Неверная контрольная сумма ИНН"`)
	within(t, ctx, "type the right ИНН",
		clearField(innInput),
		chromedp.SendKeys(chromedp.CSS(innInput), goodSupplierINN),
	)
	poll(t, ctx, "live validator: right", `document.querySelector('small.check[data-for="supplier.inn"]').textContent === ""`)
	// Focusing a field highlights its box on the image, and only its.
	within(t, ctx, "focus the total", chromedp.Focus(chromedp.CSS(`[name="f.total"]`)))
	if keys := eval[string](t, ctx, `[...document.querySelectorAll('.fbox.active')].map(b => b.dataset.key).join()`); keys != "total" {
		t.Errorf("highlighted boxes with the total focused: %q", keys)
	}
	shot := screenshot(t, ctx)
	t.Logf("document page screenshot: %s", shot)

	// Ctrl+Enter approves; the next document opens.
	within(t, ctx, "approve with Ctrl+Enter",
		chromedp.Focus(chromedp.CSS(innInput)),
		chromedp.KeyEvent("\r", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
		chromedp.WaitVisible(chromedp.CSS("#message")),
	)
	if loc := eval[string](t, ctx, `location.pathname`); loc != "/review/"+itoa(next) {
		t.Errorf("after approval the browser is at %s, want the next document", loc)
	}
	doc, err := e.db.GetDocument(context.Background(), nil, id)
	if err != nil {
		t.Fatal(err)
	}
	if doc.State != db.StatePosted || doc.Fields.SupplierINN != goodSupplierINN {
		t.Fatalf("after approval: %s, ИНН %s", doc.State, doc.Fields.SupplierINN)
	}
	// The approved document shows as posted, with its ledger record.
	within(t, ctx, "open the approved document and its ledger record",
		chromedp.Navigate(base+"/review/"+itoa(id)),
		chromedp.Click(chromedp.CSS("#ledger-link")),
		chromedp.WaitVisible(chromedp.CSS("#ledger-table")),
	)
	ledgerText := eval[string](t, ctx, `document.querySelector('#ledger-table').textContent`)
	for _, want := range []string{"43\u00a0399,59", "41.01", "60.01", "19", "7\u00a0826,16", "clerk:ivanova"} {
		if !strings.Contains(ledgerText, want) {
			t.Errorf("ledger record lacks %q: %s", want, ledgerText)
		}
	}
	if s := eval[string](t, ctx, `document.querySelector('.state').textContent`); s != "Проведён в учёте" {
		t.Errorf("state shown: %q", s)
	}
	if h := eval[string](t, ctx, `document.querySelector('#history').textContent`); !strings.Contains(h, badSupplierINN) || !strings.Contains(h, "ivanova") {
		t.Errorf("history lacks the correction: %s", h)
	}
}

// TestBrowserTwoSessions: the same document open in two browsers; the
// first save wins, the second is refused with the clerk's edit kept.
func TestBrowserTwoSessions(t *testing.T) {
	e := newEnv(t, dbtest.SQLiteURL(t))
	e.addUser("ivanova", db.UserClerk)
	id := e.seed(1, nil)
	a, b := browser(t), browser(t)
	for _, ctx := range []context.Context{a, b} {
		browserLogin(t, ctx, e.http.URL, "ivanova")
		within(t, ctx, "open the document",
			chromedp.Navigate(e.http.URL+"/review/"+itoa(id)),
			chromedp.WaitVisible(chromedp.CSS("#docform")),
		)
	}
	edit := func(ctx context.Context, number string) {
		within(t, ctx, "edit and save",
			clearField(`[name="f.number"]`),
			chromedp.SendKeys(chromedp.CSS(`[name="f.number"]`), number),
			markPage(),
			chromedp.Click(chromedp.CSS("#save")),
		)
		poll(t, ctx, "the page after saving", `!window.pvkOld && document.readyState === "complete" && document.querySelector("#docform") !== null`)
	}
	edit(a, "A-1")
	poll(t, a, "first save accepted", `document.querySelector('#message') !== null`)
	edit(b, "B-2")
	poll(t, b, "second save refused", `document.querySelector('#error') !== null`)
	if msg := eval[string](t, b, `document.querySelector('#error').textContent`); !strings.Contains(msg, "Документ уже изменён другим сохранением") {
		t.Fatalf("second session sees %q", msg)
	}
	if v := eval[string](t, b, `document.querySelector('[name="f.number"]').value`); v != "B-2" {
		t.Errorf("the refused edit is gone from the form: %q", v)
	}
	if v := eval[string](t, b, `document.querySelector('[data-key="number"] .conflict').textContent`); !strings.Contains(v, "A-1") {
		t.Errorf("the stored value is not shown beside the refused edit: %q", v)
	}
	doc, _ := e.db.GetDocument(context.Background(), nil, id)
	if doc.Fields.Number != "A-1" {
		t.Fatalf("stored number %q", doc.Fields.Number)
	}
}

// screenshot saves the page as PNG in the test's artifact directory
// (kept with go test -artifacts) and returns its path. Quality 100 makes
// Chromium write PNG; below that it writes JPEG.
func screenshot(t *testing.T, ctx context.Context) string {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(c, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	path := filepath.Join(t.ArtifactDir(), "review-document.png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	if dst := os.Getenv("REVIEW_SCREENSHOT"); dst != "" {
		_ = os.WriteFile(dst, png, 0o644)
	}
	return path
}

// clearField empties an input the way select-all and delete would.
func clearField(sel string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Evaluate[bool](`(e => { e.value = ""; return true })(document.querySelector(`+"`"+sel+"`"+`))`)(ctx, t)
		return chromedp.Void{}, err
	}
}

// markPage tags the current page, so that a poll can tell the next one.
func markPage() chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Evaluate[bool](`window.pvkOld = true`)(ctx, t)
		return chromedp.Void{}, err
	}
}

// TestBrowserKeyboard: the shortcuts and filling a field from the image.
func TestBrowserKeyboard(t *testing.T) {
	e := newEnv(t, dbtest.SQLiteURL(t))
	e.addUser("ivanova", db.UserClerk)
	first := e.seed(1, nil)
	second := e.seed(2, func(r *pervichka.Result) { r.Number = "00875" })
	_, page := goldenInvoice(t)
	ctx := browser(t)
	browserLogin(t, ctx, e.http.URL, "ivanova")
	within(t, ctx, "open the first document",
		chromedp.Navigate(e.http.URL+"/review/"+itoa(first)),
		chromedp.WaitVisible(chromedp.CSS("#docform")),
	)
	// Tab order: the flagged ИНН first (focused on load), then the rest
	// from the top; Enter moves on like Tab without submitting.
	within(t, ctx, "Tab", chromedp.KeyEvent("\t"))
	if key := eval[string](t, ctx, `document.activeElement.dataset.key || ""`); key != "supplier.inn" {
		t.Fatalf("first Tab: %q", key)
	}
	within(t, ctx, "Enter on the ИНН", chromedp.KeyEvent("\r"))
	if key := eval[string](t, ctx, `document.activeElement.dataset.key || ""`); key != "doc_type" {
		t.Errorf("after Enter focus is on %q, want doc_type (the first of the rest)", key)
	}
	// Clicking a word on the image fills the focused field.
	idx := -1
	for i, w := range page.Words {
		if w.Text == "00874" {
			idx = i
			break
		}
	}
	if idx < 0 {
		t.Fatalf("no word 00874 on the page")
	}
	within(t, ctx, "fill the number from the image",
		chromedp.Focus(chromedp.CSS(`[name="f.number"]`)),
		clearField(`[name="f.number"]`),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`.word[data-i="%d"]`, idx))),
	)
	if v := eval[string](t, ctx, `document.querySelector('[name="f.number"]').value`); v != "00874" {
		t.Errorf("number after clicking the word: %q", v)
	}
	// ? shows the shortcuts (outside a field), Esc hides them.
	within(t, ctx, "?", chromedp.Click(chromedp.CSS("h1")), chromedp.KeyEvent("?"))
	if hidden := eval[bool](t, ctx, `document.getElementById('help').hidden`); hidden {
		t.Error("? did not show the shortcuts")
	}
	within(t, ctx, "Esc", chromedp.KeyEvent("\x1b"))
	if hidden := eval[bool](t, ctx, `document.getElementById('help').hidden`); !hidden {
		t.Error("Esc did not hide the shortcuts")
	}
	// J and K walk the queue.
	within(t, ctx, "j", markPage(), chromedp.KeyEvent("j"))
	poll(t, ctx, "the next document", `!window.pvkOld && location.pathname === "/review/`+itoa(second)+`" && document.readyState === "complete"`)
	within(t, ctx, "k", chromedp.Click(chromedp.CSS("h1")), markPage(), chromedp.KeyEvent("k"))
	poll(t, ctx, "the previous document", `!window.pvkOld && location.pathname === "/review/`+itoa(first)+`" && document.readyState === "complete"`)
}

// TestBrowserSplit: a clerk types a page number and presses Enter, which
// splits (not approves, the form's default button); the queue says so.
func TestBrowserSplit(t *testing.T) {
	e := newEnv(t, dbtest.SQLiteURL(t))
	p, err := pipeline.New(pipeline.Config{DB: e.db, Objects: e.store})
	if err != nil {
		t.Fatal(err)
	}
	e.srv.cfg.Queue = p.Queue()
	e.addUser("ivanova", db.UserClerk)
	id := e.seedPages(1, 2, nil)
	ctx := browser(t)
	browserLogin(t, ctx, e.http.URL, "ivanova")
	within(t, ctx, "split off page 2",
		chromedp.Navigate(e.http.URL+"/review/"+itoa(id)),
		chromedp.WaitVisible(chromedp.CSS("#split-pages")),
		markPage(),
		chromedp.SendKeys(chromedp.CSS("#split-pages"), "2\r"),
	)
	poll(t, ctx, "the queue after the split", `!window.pvkOld && location.search === "?msg=split" && document.readyState === "complete"`)
	if msg := eval[string](t, ctx, `(document.querySelector(".message") || {}).textContent || ""`); !strings.Contains(msg, "Страницы отделены") {
		t.Errorf("message after the split: %q", msg)
	}
	doc, _ := e.db.GetDocument(context.Background(), nil, id)
	pages, _ := e.db.Pages(context.Background(), nil, id)
	if doc.State != db.StateProcessing || len(pages) != 1 {
		t.Errorf("after the split: %s with %d pages", doc.State, len(pages))
	}
}

// TestBrowserEnterInSideBoxes: Enter in the reject reason or the merge box
// submits that box — before they had forms of their own, Enter there
// submitted the document form's default button and approved the document.
func TestBrowserEnterInSideBoxes(t *testing.T) {
	e := newEnv(t, dbtest.SQLiteURL(t))
	p, err := pipeline.New(pipeline.Config{DB: e.db, Objects: e.store})
	if err != nil {
		t.Fatal(err)
	}
	e.srv.cfg.Queue = p.Queue()
	e.addUser("ivanova", db.UserClerk)
	ctx := browser(t)
	browserLogin(t, ctx, e.http.URL, "ivanova")
	bg := context.Background()

	rejected := e.seedPages(1, 2, nil)
	within(t, ctx, "reject with Enter",
		chromedp.Navigate(e.http.URL+"/review/"+itoa(rejected)),
		chromedp.WaitVisible(chromedp.CSS("#reject-reason")),
		markPage(),
		chromedp.SendKeys(chromedp.CSS("#reject-reason"), "не наш документ\r"),
	)
	poll(t, ctx, "the page after the reject", `!window.pvkOld && document.readyState === "complete"`)
	if doc, _ := e.db.GetDocument(bg, nil, rejected); doc.State != db.StateRejected {
		t.Errorf("after Enter in the reject reason: %s, want rejected", doc.State)
	}

	into, from := e.seedPages(2, 1, nil), e.seedPages(3, 1, nil)
	within(t, ctx, "merge with Enter",
		chromedp.Navigate(e.http.URL+"/review/"+itoa(into)),
		chromedp.WaitVisible(chromedp.CSS("#merge-from")),
		markPage(),
		chromedp.SendKeys(chromedp.CSS("#merge-from"), itoa(from)+"\r"),
	)
	poll(t, ctx, "the queue after the merge", `!window.pvkOld && location.search === "?msg=merged" && document.readyState === "complete"`)
	if doc, _ := e.db.GetDocument(bg, nil, into); doc.State != db.StateProcessing {
		t.Errorf("after Enter in the merge box: %s, want processing", doc.State)
	}
	if pages, _ := e.db.Pages(bg, nil, into); len(pages) != 2 {
		t.Errorf("after the merge: %d pages, want 2", len(pages))
	}
}
