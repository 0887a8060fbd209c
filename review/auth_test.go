package review

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pervichka/pervichka/jsonhttp"
	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/db/dbtest"
)

// concrete fills a route pattern with a real document and page.
func concrete(path string, id int64) string {
	return strings.NewReplacer("{id}", itoa(id), "{n}", "0").Replace(path)
}

func TestAuthorization(t *testing.T) {
	e := newEnv(t, dbtest.SQLiteURL(t))
	e.addUser("clerk1", db.UserClerk)
	e.addUser("admin1", db.UserAdmin)
	id := e.seed(1, nil)

	t.Run("anonymous", func(t *testing.T) {
		c := e.client()
		for _, r := range Routes {
			path := concrete(r.Path, id)
			var status int
			var h http.Header
			if r.Method == "GET" {
				status, _, h = c.get(path)
				if status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/login") {
					t.Errorf("GET %s anonymous: %d → %q, want 303 to /login", path, status, h.Get("Location"))
				}
				continue
			}
			status, _, _ = c.post(path, url.Values{"csrf": {"x"}})
			if status != http.StatusUnauthorized {
				t.Errorf("POST %s anonymous: %d, want 401", path, status)
			}
		}
		// / sends the anonymous to /login.
		if status, _, h := c.get("/"); status != http.StatusSeeOther || h.Get("Location") != "/login" {
			t.Errorf("GET / anonymous: %d → %q", status, h.Get("Location"))
		}
	})

	t.Run("wrong role", func(t *testing.T) {
		c := e.client()
		_, csrf := c.login("clerk1", testPassword)
		for _, r := range Routes {
			if r.Role != db.UserAdmin {
				continue
			}
			status, _, _ := c.post(concrete(r.Path, id), url.Values{"csrf": {csrf}})
			if status != http.StatusForbidden {
				t.Errorf("%s %s as clerk: %d, want 403", r.Method, r.Path, status)
			}
		}
		// The admin-only retry button is not shown to a clerk.
		if _, page, _ := c.get("/review?tab=failed"); strings.Contains(page, "Повторить") {
			t.Error("a clerk sees the retry button")
		}
		// An API token is no session: bearer auth does not open the UI.
		token, err := e.db.CreateToken(context.Background(), "svc", db.RoleAdmin)
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest("GET", e.http.URL+"/review", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Accept", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var answer jsonhttp.ErrorBody
		err = json.NewDecoder(resp.Body).Decode(&answer)
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized || err != nil || answer.Error.Code != "unauthorized" || answer.Error.Message == "" {
			t.Errorf("GET /review with an API token: %d %+v (%v), want 401 in the one error shape", resp.StatusCode, answer, err)
		}
	})

	t.Run("no csrf", func(t *testing.T) {
		c := e.client()
		_, csrf := c.login("admin1", testPassword)
		for _, r := range Routes {
			if r.Method != "POST" {
				continue
			}
			path := concrete(r.Path, id)
			for name, form := range map[string]url.Values{"missing": {}, "wrong": {"csrf": {csrf + "x"}}} {
				status, _, _ := c.post(path, form)
				if status != http.StatusForbidden {
					t.Errorf("POST %s with %s csrf: %d, want 403", path, name, status)
				}
			}
		}
		// A header token works for the JSON endpoint; its absence does not.
		status, _, _ := c.post("/review/validate", url.Values{"version": {"1"}, "items": {"0"}}, csrfHeader, csrf, "Accept", "application/json")
		if status != http.StatusOK {
			t.Errorf("validate with the header token: %d", status)
		}
		doc, _ := e.db.GetDocument(context.Background(), nil, id)
		if doc.State != db.StateNeedsReview {
			t.Errorf("a refused post changed the document: %s", doc.State)
		}
		// Login itself refuses a post without its form token.
		c2 := e.client()
		status, _, _ = c2.post("/login", url.Values{"name": {"admin1"}, "password": {testPassword}})
		if status != http.StatusForbidden {
			t.Errorf("login without csrf: %d, want 403", status)
		}
	})

	t.Run("cookies and logout", func(t *testing.T) {
		c := e.client()
		_, page, _ := c.get("/login")
		_, _, h := c.post("/login", url.Values{"name": {"admin1"}, "password": {testPassword}, "csrf": {csrfFrom(t, page)}})
		var cookie *http.Cookie
		for _, ck := range (&http.Response{Header: h}).Cookies() {
			if ck.Name == sessionCookie && ck.Value != "" {
				cookie = ck
			}
		}
		if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteStrictMode {
			t.Fatalf("session cookie: %+v", cookie)
		}
		_, q, _ := c.get("/review")
		if status, _, _ := c.post("/logout", url.Values{"csrf": {csrfFrom(t, q)}}); status != http.StatusSeeOther {
			t.Fatalf("logout: %d", status)
		}
		// The old cookie no longer works, even replayed.
		c2 := e.client()
		u, _ := url.Parse(e.http.URL)
		c2.c.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: cookie.Value}})
		if status, _, _ := c2.get("/review"); status != http.StatusSeeOther {
			t.Errorf("replayed cookie after logout: %d", status)
		}
	})
}

func TestSecureCookieByDefault(t *testing.T) {
	e := newEnv(t, dbtest.SQLiteURL(t))
	e.srv.cfg.InsecureCookies = false
	c := e.client()
	_, _, h := c.get("/login")
	for _, ck := range (&http.Response{Header: h}).Cookies() {
		if !ck.Secure {
			t.Errorf("cookie %s without Secure", ck.Name)
		}
	}
}

func TestStaleSaveRefused(t *testing.T) {
	for _, eng := range dbtest.Engines() {
		t.Run(eng.Name, func(t *testing.T) {
			e := newEnv(t, eng.URL(t))
			e.addUser("ivanova", db.UserClerk)
			e.addUser("petrov", db.UserClerk)
			id := e.seed(1, nil)
			a, b := e.client(), e.client()
			a.login("ivanova", testPassword)
			b.login("ivanova", testPassword)
			_, pa, _ := a.get("/review/" + itoa(id))
			_, pb, _ := b.get("/review/" + itoa(id))
			fa, fb := docForm(t, pa), docForm(t, pb)
			fa.Set("f.number", "A-1")
			fb.Set("f.number", "B-2")
			if status, _, _ := a.post("/review/"+itoa(id)+"/save", fa); status != http.StatusSeeOther {
				t.Fatalf("first save: %d", status)
			}
			status, page, _ := b.post("/review/"+itoa(id)+"/save", fb)
			if status != http.StatusConflict || !strings.Contains(page, "Документ уже изменён другим сохранением") ||
				!strings.Contains(page, `value="B-2"`) || !strings.Contains(page, "Сохранено сейчас: A-1") {
				t.Fatalf("second save: %d\n%.3000s", status, page)
			}
			doc, _ := e.db.GetDocument(context.Background(), nil, id)
			if doc.Fields.Number != "A-1" {
				t.Fatalf("number %q after the refused save", doc.Fields.Number)
			}
			// Another clerk cannot save while the claim is live.
			c := e.client()
			c.login("petrov", testPassword)
			status, page, _ = c.get("/review/" + itoa(id))
			if status != 200 || !strings.Contains(page, "открыт у пользователя ivanova") {
				t.Fatalf("petrov opens: %d", status)
			}
			f := docForm(t, page)
			f.Set("f.number", "P-3")
			status, _, _ = c.post("/review/"+itoa(id)+"/save", f)
			if status != http.StatusConflict {
				t.Fatalf("petrov saves a claimed document: %d", status)
			}
		})
	}
}

func TestCorrectionsAppendOnly(t *testing.T) {
	for _, eng := range dbtest.Engines() {
		t.Run(eng.Name, func(t *testing.T) {
			e := newEnv(t, eng.URL(t))
			id := e.seed(1, nil)
			ctx := context.Background()
			if err := e.db.AddCorrections(ctx, nil, []db.Correction{{DocumentID: id, Actor: "clerk:x", Field: "number", Before: "1", After: "2"}}); err != nil {
				t.Fatal(err)
			}
			for _, q := range []string{"UPDATE review_corrections SET after = 'x'", "DELETE FROM review_corrections"} {
				var err error
				if e.db.SQL() != nil {
					_, err = e.db.SQL().ExecContext(ctx, q)
				} else {
					_, err = e.db.Pgx().Exec(ctx, q)
				}
				if err == nil || !strings.Contains(err.Error(), "append-only") {
					t.Errorf("%s: %v", q, err)
				}
			}
		})
	}
}
