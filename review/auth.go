package review

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"github.com/pervichka/pervichka/storage/db"
)

const (
	sessionCookie = "pvk_session"
	// loginCSRFCookie carries the login form's token before there is a
	// session (double-submit: the form's field must equal the cookie).
	loginCSRFCookie = "pvk_login_csrf"
	csrfField       = "csrf"
	csrfHeader      = "X-CSRF-Token"
	bcryptCost      = 12
	// minPassword is the shortest password AddUser accepts.
	minPassword = 10
)

// AddUser creates a user with a bcrypt hash of password. Used by
// `pervichka user add`.
func AddUser(ctx context.Context, database *db.DB, name string, role db.UserRole, password string) error {
	if len([]rune(password)) < minPassword {
		return fmt.Errorf("add user %q: the password must be at least %d characters", name, minPassword)
	}
	if len(password) > 72 {
		// bcrypt reads 72 bytes; a longer password would be silently cut.
		return fmt.Errorf("add user %q: the password must be at most 72 bytes", name)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcryptCost)
	if err != nil {
		return fmt.Errorf("add user %q: %w", name, err)
	}
	return database.CreateUser(ctx, name, role, string(hash))
}

// dummyHash is compared against when the user does not exist, so that a
// login for an unknown name takes as long as one with a wrong password.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("pervichka-no-such-user"), bcryptCost)

func randomToken() string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on Linux; see its docs
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func hashSessionID(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:])
}

// backoff slows down password guessing by growing delays instead of a
// lock: a key (a name at an address, an address, a name) may try free
// times in a row without waiting; from the free-th failure on, each
// failure makes the key wait before its next attempt, twice as long as
// the last time, from base up to max. A key
// quiet for window is forgotten.
//
// Why delays and not a lock: a lock per name lets anyone who types five
// wrong passwords for a clerk's name lock the clerk out. Keyed by name and
// address, the guesser's delays are his own; the per-address key stops one
// address spraying names, and the per-name key (many free failures, a short
// cap) slows guessing one name from many addresses without ever keeping
// its owner out for long.
//
// Limits: it lives in the process's memory, so each serve process counts
// on its own (N API processes allow N times the attempts) and a restart
// forgets the counts.
type backoff struct {
	mu        sync.Mutex
	free      int
	base, max time.Duration
	window    time.Duration
	keys      map[string]*failures
	now       func() time.Time
}

type failures struct {
	n           int
	last, until time.Time
}

func newBackoff(free int, base, max, window time.Duration, now func() time.Time) *backoff {
	return &backoff{free: free, base: base, max: max, window: window, keys: map[string]*failures{}, now: now}
}

// blocked reports whether key must still wait, and until when.
func (b *backoff) blocked(key string) (bool, time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	f := b.get(key)
	if f == nil || !b.now().Before(f.until) {
		return false, time.Time{}
	}
	return true, f.until
}

// fail counts a failure of key and sets its next delay.
func (b *backoff) fail(key string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	f := b.get(key)
	if f == nil {
		// Keep the map bounded under a spray of random names.
		if len(b.keys) >= 100_000 {
			for k := range b.keys {
				b.get(k)
			}
		}
		f = &failures{}
		b.keys[key] = f
	}
	now := b.now()
	f.n++
	f.last = now
	if over := f.n - b.free + 1; over > 0 { // the free-th failure already delays the next try
		d := b.max
		if over <= 30 {
			d = min(b.base<<(over-1), b.max)
		}
		f.until = now.Add(d)
	}
}

func (b *backoff) reset(key string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.keys, key)
}

// get returns key's failures, forgetting them when they are stale.
func (b *backoff) get(key string) *failures {
	f := b.keys[key]
	if f != nil && b.now().Sub(f.last) > b.window && !b.now().Before(f.until) {
		delete(b.keys, key)
		return nil
	}
	return f
}

// clientIP is the address the request came from. Behind a TLS-terminating
// proxy that is the proxy's: X-Forwarded-For is honoured only when
// Config.TrustProxy says the proxy sets it.
func (s *Server) clientIP(r *http.Request) string {
	if s.cfg.TrustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			parts := strings.Split(xff, ",")
			return strings.TrimSpace(parts[len(parts)-1])
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

type ctxKey struct{}

// sessionOf is the signed-in session of a request that passed requireUser.
func sessionOf(r *http.Request) db.Session {
	s, _ := r.Context().Value(ctxKey{}).(db.Session)
	return s
}

// actor names a user in events and corrections.
func actor(s db.Session) string { return "clerk:" + s.User.Name }

// currentSession reads the session cookie; ok is false when there is no
// live session.
func (s *Server) currentSession(r *http.Request) (db.Session, bool, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" || len(c.Value) > 100 {
		return db.Session{}, false, nil
	}
	sess, err := s.cfg.DB.SessionByHash(r.Context(), hashSessionID(c.Value))
	if errors.Is(err, db.ErrNotFound) {
		return db.Session{}, false, nil
	}
	if err != nil {
		return db.Session{}, false, err
	}
	return sess, true, nil
}

// requireUser lets through only a signed-in user whose role allows need,
// and for anything but GET and HEAD only with the session's CSRF token (in
// the form's csrf field or the X-CSRF-Token header). Anonymous page loads
// are sent to /login; anonymous JSON and POST requests get 401.
func (s *Server) requireUser(need db.UserRole, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sess, ok, err := s.currentSession(r)
		if err != nil {
			s.fail(w, r, http.StatusServiceUnavailable, "Сервис временно недоступен, повторите через минуту", err)
			return
		}
		if !ok {
			if r.Method == http.MethodGet && !wantsJSON(r) {
				http.Redirect(w, r, "/login?next="+url.QueryEscape(safeNext(r.URL.RequestURI())), http.StatusSeeOther)
				return
			}
			s.refuse(w, r, http.StatusUnauthorized, "Войдите в систему")
			return
		}
		if !sess.User.Role.Allows(need) {
			s.refuse(w, r, http.StatusForbidden, "Недостаточно прав для этого действия")
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			token := r.Header.Get(csrfHeader)
			if token == "" {
				token = r.PostFormValue(csrfField)
			}
			if subtle.ConstantTimeCompare([]byte(token), []byte(sess.CSRFToken)) != 1 {
				s.refuse(w, r, http.StatusForbidden, "Форма устарела: обновите страницу и повторите")
				return
			}
		}
		h(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, sess)))
	})
}

func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json") || strings.HasPrefix(r.Header.Get("Content-Type"), "application/json")
}

// afterLogin is where a login without a (usable) next goes.
const afterLogin = "/review"

// safeNext keeps a post-login redirect inside this site. It parses next
// and rebuilds it from its path and query alone, accepting only a path
// rooted at this origin: nothing with a scheme, a host or user info, no
// control character or backslash anywhere (browsers drop a TAB or a
// newline from a Location and read "\" as "/", which turns "/\t/host"
// or "/\\host" into "//host", another origin), and neither raw nor
// percent-encoded ("/%2F", "/%5C", "/%09/host"). Anything else goes to
// afterLogin.
func safeNext(next string) string {
	if next == "" || len(next) > 2048 || !strings.HasPrefix(next, "/") || hasUnsafe(next) {
		return afterLogin
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return afterLogin
	}
	if !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") || hasUnsafe(u.Path) {
		return afterLogin
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return afterLogin
	}
	for k, vs := range q {
		if hasUnsafe(k) || slices.ContainsFunc(vs, hasUnsafe) {
			return afterLogin
		}
	}
	out := (&url.URL{Path: u.Path}).EscapedPath()
	if !strings.HasPrefix(out, "/") || strings.HasPrefix(out, "//") {
		return afterLogin
	}
	if len(q) > 0 {
		out += "?" + q.Encode()
	}
	return out
}

// hasUnsafe reports a control character (C0, DEL, C1), a backslash, or a
// character that is not valid UTF-8 in s.
func hasUnsafe(s string) bool {
	for _, r := range s {
		if r < 0x20 || (r >= 0x7f && r <= 0x9f) || r == '\\' || r == utf8.RuneError {
			return true
		}
	}
	return false
}

func (s *Server) setCookie(w http.ResponseWriter, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: !s.cfg.InsecureCookies, SameSite: http.SameSiteStrictMode,
	})
}

type loginPage struct {
	pageBase
	Name, Next, Error string
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	if _, ok, _ := s.currentSession(r); ok {
		http.Redirect(w, r, "/review", http.StatusSeeOther)
		return
	}
	s.renderLogin(w, r, http.StatusOK, "", "")
}

func (s *Server) renderLogin(w http.ResponseWriter, r *http.Request, status int, name, msg string) {
	token := randomToken()
	s.setCookie(w, loginCSRFCookie, token, 3600)
	s.render(w, r, status, "login.html", loginPage{
		pageBase: pageBase{Title: "Вход", CSRF: token},
		Name:     name, Next: safeNext(r.FormValue("next")), Error: msg,
	})
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	name := strings.TrimSpace(r.PostFormValue("name"))
	password := r.PostFormValue("password")
	c, err := r.Cookie(loginCSRFCookie)
	if err != nil || c.Value == "" || subtle.ConstantTimeCompare([]byte(c.Value), []byte(r.PostFormValue(csrfField))) != 1 {
		s.renderLogin(w, r, http.StatusForbidden, name, "Форма входа устарела: повторите вход")
		return
	}
	ip := s.clientIP(r)
	userKey := strings.ToLower(name)
	keys := []struct {
		b   *backoff
		key string
	}{{s.pairLimits, userKey + "\x00" + ip}, {s.ipLimits, ip}, {s.userLimits, userKey}}
	var wait time.Time
	for _, k := range keys {
		if blocked, until := k.b.blocked(k.key); blocked && until.After(wait) {
			wait = until
		}
	}
	if !wait.IsZero() {
		secs := int(math.Ceil(wait.Sub(s.cfg.Now()).Seconds()))
		w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
		s.renderLogin(w, r, http.StatusTooManyRequests, name,
			fmt.Sprintf("Слишком много неудачных попыток входа. Повторите через %s", waitText(secs)))
		return
	}
	u, err := s.cfg.DB.UserByName(r.Context(), name)
	if err != nil && !errors.Is(err, db.ErrNotFound) {
		s.fail(w, r, http.StatusServiceUnavailable, "Сервис временно недоступен, повторите через минуту", err)
		return
	}
	hash := dummyHash
	if err == nil {
		hash = []byte(u.PasswordHash)
	}
	if bcrypt.CompareHashAndPassword(hash, []byte(password)) != nil || err != nil || !u.DisabledAt.IsZero() {
		for _, k := range keys {
			k.b.fail(k.key)
		}
		s.cfg.Logger.Info("review login refused", "user", name, "ip", ip)
		s.renderLogin(w, r, http.StatusUnauthorized, name, "Неверное имя пользователя или пароль")
		return
	}
	s.pairLimits.reset(keys[0].key)
	id := randomToken()
	if err := s.cfg.DB.CreateSession(r.Context(), hashSessionID(id), u.ID, randomToken(), s.cfg.Now().Add(s.cfg.SessionTTL)); err != nil {
		s.fail(w, r, http.StatusServiceUnavailable, "Сервис временно недоступен, повторите через минуту", err)
		return
	}
	s.setCookie(w, sessionCookie, id, int(s.cfg.SessionTTL.Seconds()))
	s.setCookie(w, loginCSRFCookie, "", -1)
	s.cfg.Logger.Info("review login", "user", u.Name, "role", u.Role, "ip", ip)
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.cfg.DB.DeleteSession(r.Context(), hashSessionID(c.Value)); err != nil {
			s.fail(w, r, http.StatusServiceUnavailable, "Не удалось выйти, повторите", err)
			return
		}
	}
	s.setCookie(w, sessionCookie, "", -1)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// waitText says a wait the way a clerk reads it: «5 с», «2 мин».
func waitText(secs int) string {
	if secs < 60 {
		return fmt.Sprintf("%d с", max(secs, 1))
	}
	return fmt.Sprintf("%d мин", (secs+59)/60)
}
