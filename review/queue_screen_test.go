package review

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/db/dbtest"
)

// TestBrowserQueueRowsPerScreen: on a 1440×900 screen the queue shows at
// least 15 documents without scrolling (issue 17: about 5 did), so that a
// clerk sees the morning's work at a glance.
func TestBrowserQueueRowsPerScreen(t *testing.T) {
	e := newEnv(t, dbtest.SQLiteURL(t))
	e.addUser("ivanova", db.UserClerk)
	for i := range 40 {
		e.seed(1+i, nil)
	}
	ctx := browser(t)
	within(t, ctx, "a 1440×900 screen", chromedp.EmulateViewport(1440, 900))
	browserLogin(t, ctx, e.http.URL, "ivanova")
	rows := eval[int](t, ctx, `[...document.querySelectorAll('#queue tbody tr')].filter(r => { const b = r.getBoundingClientRect(); return b.height > 0 && b.bottom <= window.innerHeight; }).length`)
	total := eval[int](t, ctx, `document.querySelectorAll('#queue tbody tr').length`)
	t.Logf("%d of %d queue rows visible without scrolling at 1440×900", rows, total)
	if rows < 15 {
		t.Errorf("%d queue rows fit on a 1440×900 screen, want at least 15", rows)
	}
}
