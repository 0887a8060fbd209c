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
	"net"
	"net/http"
	"net/url"
	"slices"
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

// limiter counts failed logins per key in a sliding window.
//
// Limits: it lives in the process's memory, so each serve process counts
// on its own (N API processes allow N times the attempts) and a restart
// forgets the counts. That still turns an online guessing attack from
// thousands of tries a second into a handful a minute.
type limiter struct {
	mu     sync.Mutex
	window time.Duration
	max    int
	fails  map[string][]time.Time
	now    func() time.Time
}

func newLimiter(max int, window time.Duration, now func() time.Time) *limiter {
	return &limiter{window: window, max: max, fails: map[string][]time.Time{}, now: now}
}

// blocked reports whether key has used up its failures, and until when.
func (l *limiter) blocked(key string) (bool, time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.prune(key)
	f := l.fails[key]
	if len(f) >= l.max {
		return true, f[0].Add(l.window)
	}
	return false, time.Time{}
}

func (l *limiter) fail(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.prune(key)
	l.fails[key] = append(l.fails[key], l.now())
	// Keep the map bounded under a spray of random names.
	if len(l.fails) > 100_000 {
		for k := range l.fails {
			l.prune(k)
		}
	}
}

func (l *limiter) reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.fails, key)
}

func (l *limiter) prune(key string) {
	cut := l.now().Add(-l.window)
	f := l.fails[key]
	i := 0
	for i < len(f) && !f[i].After(cut) {
		i++
	}
	if i == len(f) {
		delete(l.fails, key)
		return
	}
	l.fails[key] = f[i:]
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
	for _, l := range []struct {
		lim *limiter
		key string
	}{{s.userLimits, userKey}, {s.ipLimits, ip}} {
		if blocked, until := l.lim.blocked(l.key); blocked {
			w.Header().Set("Retry-After", fmt.Sprint(int(time.Until(until).Seconds())+1))
			s.renderLogin(w, r, http.StatusTooManyRequests, name,
				fmt.Sprintf("Слишком много неудачных попыток входа. Повторите после %s", until.In(s.cfg.Location).Format("15:04")))
			return
		}
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
		s.userLimits.fail(userKey)
		s.ipLimits.fail(ip)
		s.cfg.Logger.Info("review login refused", "user", name, "ip", ip)
		s.renderLogin(w, r, http.StatusUnauthorized, name, "Неверное имя пользователя или пароль")
		return
	}
	s.userLimits.reset(userKey)
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
