package review

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/db/dbtest"
)

// nextPayloads are post-login targets, hostile and not, with where a
// login must send the browser: open-redirect payloads of every kind go to
// the queue; a path of this site keeps its path and query.
var nextPayloads = []struct{ next, want string }{
	{"/review/12", "/review/12"},
	{"/review?state=failed&reason=missing", "/review?reason=missing&state=failed"},
	{"/review?supplier=%D0%A0%D0%BE%D0%BC%D0%B0%D1%88%D0%BA%D0%B0", "/review?supplier=%D0%A0%D0%BE%D0%BC%D0%B0%D1%88%D0%BA%D0%B0"},
	{"", afterLogin},
	{"review", afterLogin},
	{"https://evil.example/", afterLogin},
	{"//evil.example", afterLogin},
	{"///evil.example", afterLogin},
	{"/\\evil.example", afterLogin},
	{"\\\\evil.example", afterLogin},
	{"/\t/evil.example", afterLogin},
	{"/%09/evil.example", afterLogin},
	{"/\r/evil.example", afterLogin},
	{"/%0D/evil.example", afterLogin},
	{"/\n/evil.example", afterLogin},
	{"/%0a/evil.example", afterLogin},
	{"/%00/evil.example", afterLogin},
	{"/\x7f/evil.example", afterLogin},
	{"%2F%2Fevil.example", afterLogin},
	{"/%2F%2Fevil.example", afterLogin},
	{"/%2fevil.example", afterLogin},
	{"/%5Cevil.example", afterLogin},
	{"/%5cevil.example", afterLogin},
	{"/review\\..\\..\\evil", afterLogin},
	{"/%C2%85/evil.example", afterLogin},   // NEL, a C1 control
	{"/%E2%80%AE/evil", "/%E2%80%AE/evil"}, // not a control: stays a path here
	{"/%ff", afterLogin},
	{"/review?x=%0D%0ALocation:%20//evil", afterLogin},
	{"/review?x=\\", afterLogin},
	{"/review#//evil.example", "/review"},
	{"/@evil.example", "/@evil.example"},
	{"/review/../../evil.example", "/review/../../evil.example"},
	{"/" + strings.Repeat("a", 3000), afterLogin},
}

func TestSafeNext(t *testing.T) {
	for _, tt := range nextPayloads {
		if got := safeNext(tt.next); got != tt.want {
			t.Errorf("safeNext(%q) = %q, want %q", tt.next, got, tt.want)
		}
		// Whatever it returns is a path of this origin as a browser
		// reads it: no scheme or host after resolving against the site.
		base, _ := url.Parse("https://pervichka.example/login")
		ref, err := url.Parse(safeNext(tt.next))
		if err != nil {
			t.Errorf("safeNext(%q) is no URL: %v", tt.next, err)
			continue
		}
		if u := base.ResolveReference(ref); u.Host != base.Host || u.Scheme != base.Scheme {
			t.Errorf("safeNext(%q) leaves the site: %s", tt.next, u)
		}
	}
}

// TestLoginRedirect: the Location a login answers is the safe target, for
// the payloads posted as the form's next (encoded as a browser would) and
// for the way an anonymous page load hands its address to the login page.
func TestLoginRedirect(t *testing.T) {
	e := newEnv(t, dbtest.SQLiteURL(t))
	e.addUser("ivanova", db.UserClerk)
	for _, tt := range nextPayloads {
		c := e.client()
		_, page, _ := c.get("/login?next=" + url.QueryEscape(tt.next))
		status, _, h := c.post("/login", url.Values{"name": {"ivanova"}, "password": {testPassword},
			"csrf": {csrfFrom(t, page)}, "next": {tt.next}})
		want := tt.want
		if i := strings.Index(want, "/../"); i >= 0 {
			want = "/evil.example" // http.Redirect cleans the path; still this site's
		}
		if status != http.StatusSeeOther || h.Get("Location") != want {
			t.Errorf("login with next %q: %d → %q, want %q", tt.next, status, h.Get("Location"), want)
		}
	}
	// An anonymous load of a filtered queue comes back to it after login.
	c := e.client()
	_, _, h := c.get("/review?state=failed&reason=missing")
	loc, err := url.Parse(h.Get("Location"))
	if err != nil || loc.Path != "/login" {
		t.Fatalf("anonymous queue: %q", h.Get("Location"))
	}
	if got := loc.Query().Get("next"); got != "/review?reason=missing&state=failed" {
		t.Errorf("next handed to the login page: %q", got)
	}
}
