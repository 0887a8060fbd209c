package review

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/db/dbtest"
)

// keystrokes counts what a clerk does beyond typing text: each key press
// or click is one.
type keystrokes struct {
	t   *testing.T
	ctx context.Context
	n   int
}

func (k *keystrokes) key(what, key string, opts ...chromedp.KeyOption) {
	k.t.Helper()
	within(k.t, k.ctx, what, chromedp.KeyEvent(key, opts...))
	k.n++
}

func (k *keystrokes) click(what, sel string) {
	k.t.Helper()
	within(k.t, k.ctx, what, chromedp.Click(chromedp.CSS(sel)))
	k.n++
}

// typeText types text; it is not counted (the issue counts "+ the typed
// text").
func (k *keystrokes) typeText(text string) {
	k.t.Helper()
	within(k.t, k.ctx, "type "+text, chromedp.KeyEvent(text))
}

// TestBrowserKeystrokes measures the keystrokes of the four common
// decisions (issue 17: each at most 3 + the typed text) and checks that
// each did what it should.
func TestBrowserKeystrokes(t *testing.T) {
	e := newEnv(t, dbtest.SQLiteURL(t))
	e.addUser("ivanova", db.UserClerk)
	flagged := e.seed(1, nil) // the supplier's ИНН is wrong and highlighted
	plain := e.seed(2, func(r *pervichka.Result) {
		r.Supplier.INN, r.Number = goodSupplierINN, "00876"
		r.ReviewReasons, r.Confidence = []string{pervichka.ReasonNameChanged + ":supplier"}, nil
	})
	rejected := e.seed(3, func(r *pervichka.Result) { r.Number = "00877" })
	skipped := e.seed(4, func(r *pervichka.Result) { r.Number = "00878" })
	last := e.seed(5, func(r *pervichka.Result) { r.Number = "00879" })
	ctx := browser(t)
	browserLogin(t, ctx, e.http.URL, "ivanova")
	open := func(id int64) *keystrokes {
		within(t, ctx, "open", chromedp.Navigate(e.http.URL+"/review/"+itoa(id)), chromedp.WaitVisible(chromedp.CSS("#docform")))
		poll(t, ctx, "the page's script", `document.activeElement && document.activeElement.id === "stage"`)
		return &keystrokes{t: t, ctx: ctx}
	}
	state := func(id int64) db.Document {
		d, err := e.db.GetDocument(context.Background(), nil, id)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	counts := map[string]int{}

	// One highlighted field: Tab enters it with its value selected, the
	// right value replaces it, Ctrl+Enter approves.
	k := open(flagged)
	k.key("Tab", "\t")
	k.typeText(goodSupplierINN)
	within(t, ctx, "mark", markPage())
	k.key("Ctrl+Enter", "\r", chromedp.KeyModifiers(chromedp.ModifierCtrl))
	poll(t, ctx, "the next document", `!window.pvkOld && document.readyState === "complete"`)
	counts["one highlighted field"] = k.n
	if d := state(flagged); d.State != db.StatePosted || d.Fields.SupplierINN != goodSupplierINN {
		t.Errorf("highlighted field: %s, ИНН %s", d.State, d.Fields.SupplierINN)
	}

	// One field that is not highlighted: a click selects its value.
	k = open(plain)
	k.click("click the number", `[name="f.number"]`)
	k.typeText("00876-1")
	within(t, ctx, "mark", markPage())
	k.key("Ctrl+Enter", "\r", chromedp.KeyModifiers(chromedp.ModifierCtrl))
	poll(t, ctx, "the next document", `!window.pvkOld && document.readyState === "complete"`)
	counts["one field not highlighted"] = k.n
	if d := state(plain); d.State != db.StatePosted || d.Fields.Number != "00876-1" {
		t.Errorf("field not highlighted: %s, number %q", d.State, d.Fields.Number)
	}

	// Reject with a reason: X opens the reason box, Enter sends it.
	k = open(rejected)
	k.key("X", "x")
	k.typeText("Нечитаемая копия")
	within(t, ctx, "mark", markPage())
	k.key("Enter", "\r")
	poll(t, ctx, "the next document", `!window.pvkOld && document.readyState === "complete"`)
	counts["reject with a reason"] = k.n
	if d := state(rejected); d.State != db.StateRejected {
		t.Errorf("reject: %s", d.State)
	}

	// Skip: S.
	k = open(skipped)
	within(t, ctx, "mark", markPage())
	k.key("S", "s")
	poll(t, ctx, "the next document", `!window.pvkOld && document.readyState === "complete"`)
	counts["skip"] = k.n
	if loc := eval[string](t, ctx, `location.pathname`); loc != "/review/"+itoa(last) {
		t.Errorf("after skip at %s, want the next document %d", loc, last)
	}
	if _, err := e.db.ClaimOf(context.Background(), nil, skipped); err == nil {
		t.Error("the skipped document is still claimed")
	}

	for what, n := range counts {
		t.Logf("%s: %d keystrokes + the typed text", what, n)
		if n > 3 {
			t.Errorf("%s takes %d keystrokes, want at most 3", what, n)
		}
	}
	if len(counts) != 4 {
		t.Fatalf("measured %d of 4", len(counts))
	}
}

// TestBrowserKeysOutsideFields: Esc leaves a field, J asks before dropping
// edits, and «?» lists every key the page handles.
func TestBrowserKeysOutsideFields(t *testing.T) {
	e := newEnv(t, dbtest.SQLiteURL(t))
	e.addUser("ivanova", db.UserClerk)
	first := e.seed(1, nil)
	e.seed(2, func(r *pervichka.Result) { r.Number = "00875" })
	ctx := browser(t)
	browserLogin(t, ctx, e.http.URL, "ivanova")
	within(t, ctx, "open", chromedp.Navigate(e.http.URL+"/review/"+itoa(first)), chromedp.WaitVisible(chromedp.CSS("#docform")))
	poll(t, ctx, "focus on the page", `document.activeElement.id === "stage"`)
	within(t, ctx, "edit the number, then Esc",
		chromedp.Click(chromedp.CSS(`[name="f.number"]`)),
		chromedp.KeyEvent("Z"),
		chromedp.KeyEvent("\x1b"),
	)
	if id := eval[string](t, ctx, `document.activeElement.id`); id != "stage" {
		t.Errorf("Esc left focus on %q", id)
	}
	// J with an unsaved edit asks; declining stays on the page.
	eval[bool](t, ctx, `window.pvkAsked = 0; window.confirm = () => { window.pvkAsked++; return false }; true`)
	within(t, ctx, "J", chromedp.KeyEvent("j"))
	if asked := eval[int](t, ctx, `window.pvkAsked`); asked != 1 {
		t.Errorf("J with an edit asked %d times", asked)
	}
	if loc := eval[string](t, ctx, `location.pathname`); loc != "/review/"+itoa(first) {
		t.Errorf("J dropped the edit and went to %s", loc)
	}
	// Zoom and the help list.
	within(t, ctx, "zoom in", chromedp.KeyEvent("+"))
	if z := eval[string](t, ctx, `document.getElementById('zoom-level').textContent`); z != "125 %" {
		t.Errorf("+ zoomed to %q", z)
	}
	within(t, ctx, "?", chromedp.KeyEvent("?"))
	help := eval[string](t, ctx, `document.getElementById('help').hidden ? "" : document.getElementById('help').textContent`)
	for _, key := range []string{"Esc", "Ctrl+Enter", "Ctrl+S", "X", "S", "J", "K", "N", "R", "PgDn", "+"} {
		if !containsKbd(help, key) {
			t.Errorf("help does not list %s: %q", key, help)
		}
	}
}

func containsKbd(help, key string) bool { return strings.Contains(help, key) }
