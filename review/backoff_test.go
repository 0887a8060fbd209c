package review

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pervichka/pervichka/storage/db"
	"github.com/pervichka/pervichka/storage/db/dbtest"
	"github.com/pervichka/pervichka/storage/objects"
)

// TestLoginBackoff: wrong passwords for a clerk's name from one address
// slow down that address with growing delays (1 s, 2 s, 4 s …) and never
// keep the clerk, signing in from elsewhere, out; an address spraying
// names waits too; the waits are forgotten after a quiet window.
func TestLoginBackoff(t *testing.T) {
	var mu sync.Mutex
	clock := time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	advance := func(d time.Duration) { mu.Lock(); clock = clock.Add(d); mu.Unlock() }

	d, err := db.Open(t.Context(), dbtest.SQLiteURL(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if err := d.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	store, err := objects.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{DB: d, Objects: store, InsecureCookies: true, TrustProxy: true, Now: now,
		LoginFailuresIP: 8}) // fewer bcrypt rounds than the default 20
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	srv.Mount(mux)
	hs := httptest.NewServer(mux)
	t.Cleanup(hs.Close)
	e := &env{t: t, db: d, srv: srv, http: hs}
	e.addUser("clerk1", db.UserClerk)

	// login posts name and password from the address; it returns the
	// status and Retry-After.
	login := func(from, name, password string) (int, string) {
		t.Helper()
		c := e.client()
		_, page, _ := c.get("/login")
		status, _, h := c.post("/login", url.Values{"name": {name}, "password": {password}, "csrf": {csrfFrom(t, page)}},
			"X-Forwarded-For", from)
		return status, h.Get("Retry-After")
	}
	const attacker, office = "203.0.113.7", "198.51.100.20"
	for i := range 5 {
		if status, _ := login(attacker, "clerk1", "guess"); status != http.StatusUnauthorized {
			t.Fatalf("guess %d: %d, want 401", i+1, status)
		}
	}
	// The attacker now waits, and each failure doubles the wait.
	for _, wait := range []int{1, 2, 4, 8} {
		status, retry := login(attacker, "clerk1", testPassword)
		if status != http.StatusTooManyRequests || retry != itoa(int64(wait)) {
			t.Fatalf("during a %d s wait: %d, Retry-After %q", wait, status, retry)
		}
		advance(time.Duration(wait) * time.Second)
		if status, _ := login(attacker, "clerk1", "guess"); status != http.StatusUnauthorized {
			t.Fatalf("after the %d s wait: %d, want 401", wait, status)
		}
	}
	// The clerk from the office is not kept out.
	if status, _ := login(office, "clerk1", testPassword); status != http.StatusSeeOther {
		t.Fatalf("the clerk from another address: %d, want 303", status)
	}
	// An address spraying names waits once it passes its own budget.
	for i := range 8 {
		if status, _ := login("192.0.2.1", "user"+itoa(int64(i)), "guess"); status != http.StatusUnauthorized {
			t.Fatalf("spray %d: %d", i+1, status)
		}
	}
	if status, retry := login("192.0.2.1", "clerk1", testPassword); status != http.StatusTooManyRequests || retry != "1" {
		t.Fatalf("spraying address: %d, Retry-After %q", status, retry)
	}
	// After a quiet window the attacker's address starts afresh.
	advance(16 * time.Minute)
	if status, _ := login(attacker, "clerk1", testPassword); status != http.StatusSeeOther {
		t.Fatalf("after a quiet window: %d, want 303", status)
	}
	if got := waitText(90); !strings.Contains(got, "2 мин") {
		t.Errorf("waitText(90) = %q", got)
	}
}
