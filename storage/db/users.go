package db

import (
	"context"
	"fmt"
	"regexp"
	"time"
)

// UserRole is what a person signed in to the review UI may do.
type UserRole string

const (
	// UserClerk reviews, corrects, approves and rejects documents.
	UserClerk UserRole = "clerk"
	// UserAdmin may do what a clerk does and also retry failed documents.
	UserAdmin UserRole = "admin"
)

// Valid reports whether r is a known role.
func (r UserRole) Valid() bool { return r == UserClerk || r == UserAdmin }

// Allows reports whether a user of role r may do what needs role need: an
// admin may do everything a clerk may.
func (r UserRole) Allows(need UserRole) bool {
	switch r {
	case UserAdmin:
		return need == UserAdmin || need == UserClerk
	case UserClerk:
		return need == UserClerk
	}
	return false
}

// User is a person who signs in to the review UI. PasswordHash is a bcrypt
// hash; the store never sees the password.
type User struct {
	ID           int64
	Name         string
	Role         UserRole
	PasswordHash string
	CreatedAt    time.Time
	DisabledAt   time.Time // zero while the user may sign in
}

// Session is a signed-in browser: the user and the session's CSRF token.
type Session struct {
	User      User
	CSRFToken string
	ExpiresAt time.Time
}

// userName limits names to what reads well as an actor ("clerk:<name>").
var userName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$`)

// ValidUserName reports whether name may name a user.
func ValidUserName(name string) bool { return userName.MatchString(name) }

type userQueries struct {
	insert, byName                 string
	insertSession, sessionByHash   string
	deleteSession, expiredSessions string
}

const userColumns = `u.id, u.name, u.role, u.password_hash, u.created_at, u.disabled_at`

// The statements read the same on both engines; they are spelled out per
// dialect, as in queries.go, so that each reads as the SQL that runs.
var userSQL = map[Dialect]userQueries{
	SQLite: {
		insert: `INSERT INTO users (name, role, password_hash, created_at) VALUES ($1, $2, $3, $4)`,
		byName: `SELECT ` + userColumns + ` FROM users u WHERE u.name = $1`,
		insertSession: `INSERT INTO user_sessions (id_sha256, user_id, csrf_token, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5)`,
		sessionByHash: `SELECT ` + userColumns + `, s.csrf_token, s.expires_at
			FROM user_sessions s JOIN users u ON u.id = s.user_id
			WHERE s.id_sha256 = $1 AND s.expires_at > $2 AND u.disabled_at IS NULL`,
		deleteSession:   `DELETE FROM user_sessions WHERE id_sha256 = $1`,
		expiredSessions: `DELETE FROM user_sessions WHERE expires_at <= $1`,
	},
	Postgres: {
		insert: `INSERT INTO users (name, role, password_hash, created_at) VALUES ($1, $2, $3, $4)`,
		byName: `SELECT ` + userColumns + ` FROM users u WHERE u.name = $1`,
		insertSession: `INSERT INTO user_sessions (id_sha256, user_id, csrf_token, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5)`,
		sessionByHash: `SELECT ` + userColumns + `, s.csrf_token, s.expires_at
			FROM user_sessions s JOIN users u ON u.id = s.user_id
			WHERE s.id_sha256 = $1 AND s.expires_at > $2 AND u.disabled_at IS NULL`,
		deleteSession:   `DELETE FROM user_sessions WHERE id_sha256 = $1`,
		expiredSessions: `DELETE FROM user_sessions WHERE expires_at <= $1`,
	},
}

// CreateUser stores a user. Names are unique forever (ErrDuplicate).
func (db *DB) CreateUser(ctx context.Context, name string, role UserRole, passwordHash string) error {
	op := fmt.Sprintf("create user %q", name)
	switch {
	case !ValidUserName(name):
		return fmt.Errorf("%s: a name is 1 to 64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit", op)
	case !role.Valid():
		return fmt.Errorf("%s: role %q is neither %s nor %s", op, role, UserAdmin, UserClerk)
	case passwordHash == "":
		return fmt.Errorf("%s: empty password hash", op)
	}
	_, err := db.conn().exec(ctx, userSQL[db.dialect].insert, name, string(role), passwordHash, db.q.timeArg(now()))
	return db.q.translate(op, err)
}

// UserByName reads a user, disabled or not; ErrNotFound when there is none.
func (db *DB) UserByName(ctx context.Context, name string) (User, error) {
	u, err := scanUser(db.conn().queryRow(ctx, userSQL[db.dialect].byName, name))
	if err != nil {
		return User{}, db.q.translate(fmt.Sprintf("user %q", name), err)
	}
	return u, nil
}

// CreateSession stores a session under the SHA-256 (hex) of its id.
func (db *DB) CreateSession(ctx context.Context, idSHA256 string, userID int64, csrfToken string, expires time.Time) error {
	at := now()
	_, err := db.conn().exec(ctx, userSQL[db.dialect].insertSession, idSHA256, userID, csrfToken,
		db.q.timeArg(at), db.q.timeArg(expires))
	return db.q.translate("create session", err)
}

// SessionByHash returns the live session stored under idSHA256 with its
// user. An unknown or expired session, or one of a disabled user, is
// ErrNotFound.
func (db *DB) SessionByHash(ctx context.Context, idSHA256 string) (Session, error) {
	var s Session
	var role string
	var disabled scanNullTime
	err := db.conn().queryRow(ctx, userSQL[db.dialect].sessionByHash, idSHA256, db.q.timeArg(now())).Scan(
		&s.User.ID, &s.User.Name, &role, &s.User.PasswordHash, scanTime{&s.User.CreatedAt}, &disabled,
		&s.CSRFToken, scanTime{&s.ExpiresAt})
	if err != nil {
		return Session{}, db.q.translate("read session", err)
	}
	s.User.Role, s.User.DisabledAt = UserRole(role), disabled.t
	return s, nil
}

// DeleteSession ends a session (logout). Deleting an unknown one is not an
// error.
func (db *DB) DeleteSession(ctx context.Context, idSHA256 string) error {
	_, err := db.conn().exec(ctx, userSQL[db.dialect].deleteSession, idSHA256)
	return db.q.translate("delete session", err)
}

// DeleteExpiredSessions removes sessions past their expiry and returns how
// many; expired ones are already refused, this only keeps the table small.
func (db *DB) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	n, err := db.conn().exec(ctx, userSQL[db.dialect].expiredSessions, db.q.timeArg(now()))
	return n, db.q.translate("delete expired sessions", err)
}

func scanUser(r row) (User, error) {
	var u User
	var role string
	var disabled scanNullTime
	if err := r.Scan(&u.ID, &u.Name, &role, &u.PasswordHash, scanTime{&u.CreatedAt}, &disabled); err != nil {
		return User{}, err
	}
	u.Role, u.DisabledAt = UserRole(role), disabled.t
	return u, nil
}
