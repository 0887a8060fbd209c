package db

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/pervichka/pervichka/migrations"
)

// Role is what an API token may do.
type Role string

const (
	// RoleService may upload and read documents: an integration's token.
	RoleService Role = "service"
	// RoleAdmin may also do what changes a document's course (retry a failed
	// one) and reach the operators' pages (River UI, metrics).
	RoleAdmin Role = "admin"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == RoleService || r == RoleAdmin }

// Allows reports whether a token of role r may do what needs role need. An
// admin may do everything a service token may.
func (r Role) Allows(need Role) bool {
	switch r {
	case RoleAdmin:
		return need == RoleAdmin || need == RoleService
	case RoleService:
		return need == RoleService
	}
	return false
}

// Token is a stored API token; the plaintext is never stored.
type Token struct {
	ID        int64
	Name      string
	Role      Role
	CreatedAt time.Time
	RevokedAt time.Time // zero while the token is live
}

// Revoked reports whether the token has been revoked.
func (t Token) Revoked() bool { return !t.RevokedAt.IsZero() }

// TokenPrefix starts every token, so that a leaked one is recognisable by
// secret scanners and by a person reading a log.
const TokenPrefix = "pvk_"

// tokenBytes of randomness: 256 bits, beyond guessing.
const tokenBytes = 32

// tokenLen is the length of a token's text: the prefix and unpadded base64url.
var tokenLen = len(TokenPrefix) + base64.RawURLEncoding.EncodedLen(tokenBytes)

// tokenName limits names to what reads well in an event's actor
// ("api:<name>") and in a shell: no spaces, no quotes.
var tokenName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$`)

// tokenQueries are the token statements of one dialect. They live here, not
// in queries.go, so that the tokens feature is one file; only the time
// column's form differs between the engines.
type tokenQueries struct {
	insert       string
	byHash       string
	list         string
	revoke       string
	exists       string
	tablePresent string // whether schema_migrations exists, per search_path
}

var tokenSQL = map[Dialect]tokenQueries{
	SQLite: {
		insert: `INSERT INTO api_tokens (name, role, token_sha256, created_at) VALUES ($1, $2, $3, $4)`,
		byHash: `SELECT id, name, role, created_at, revoked_at FROM api_tokens
			WHERE token_sha256 = $1 AND revoked_at IS NULL`,
		list:         `SELECT id, name, role, created_at, revoked_at FROM api_tokens ORDER BY name`,
		revoke:       `UPDATE api_tokens SET revoked_at = $1 WHERE name = $2 AND revoked_at IS NULL`,
		exists:       `SELECT count(*) FROM api_tokens WHERE name = $1`,
		tablePresent: `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`,
	},
	Postgres: {
		insert: `INSERT INTO api_tokens (name, role, token_sha256, created_at) VALUES ($1, $2, $3, $4)`,
		byHash: `SELECT id, name, role, created_at, revoked_at FROM api_tokens
			WHERE token_sha256 = $1 AND revoked_at IS NULL`,
		list:         `SELECT id, name, role, created_at, revoked_at FROM api_tokens ORDER BY name`,
		revoke:       `UPDATE api_tokens SET revoked_at = $1 WHERE name = $2 AND revoked_at IS NULL`,
		exists:       `SELECT count(*) FROM api_tokens WHERE name = $1`,
		tablePresent: `SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = 'schema_migrations'`,
	},
}

// hashToken is the stored form of a token: its SHA-256 in lowercase hex. A
// plain hash (no salt, no KDF) is enough because the token is 256 random
// bits, not a password a person chose; and it lets Authenticate find the row
// by an index lookup instead of comparing against every row.
func hashToken(plaintext string) string {
	sum := sha256.Sum256([]byte(plaintext))
	return hex.EncodeToString(sum[:])
}

// CreateToken stores a new token with the given name and role and returns
// its plaintext, which is not kept anywhere: the caller must hand it over
// now. Names are unique forever, revoked tokens included (ErrDuplicate), so
// that "api:<name>" in old events names one token.
func (db *DB) CreateToken(ctx context.Context, name string, role Role) (string, error) {
	op := fmt.Sprintf("create token %q", name)
	if !tokenName.MatchString(name) {
		return "", fmt.Errorf("%s: a name is 1 to 64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit", op)
	}
	if !role.Valid() {
		return "", fmt.Errorf("%s: role %q is neither %s nor %s", op, role, RoleAdmin, RoleService)
	}
	var raw [tokenBytes]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", fmt.Errorf("%s: %w", op, err)
	}
	plaintext := TokenPrefix + base64.RawURLEncoding.EncodeToString(raw[:])
	_, err := db.conn().exec(ctx, tokenSQL[db.dialect].insert, name, string(role), hashToken(plaintext), db.q.timeArg(now()))
	if err != nil {
		return "", db.q.translate(op, err)
	}
	return plaintext, nil
}

// Authenticate returns the live token whose plaintext this is. An unknown,
// malformed or revoked token is ErrNotFound; the caller must not say which,
// so as not to help a guesser.
func (db *DB) Authenticate(ctx context.Context, plaintext string) (Token, error) {
	const op = "authenticate token"
	if len(plaintext) != tokenLen || !strings.HasPrefix(plaintext, TokenPrefix) {
		return Token{}, fail(op, ErrNotFound, "not a %s token", TokenPrefix)
	}
	t, err := scanToken(db.conn().queryRow(ctx, tokenSQL[db.dialect].byHash, hashToken(plaintext)))
	if err != nil {
		return Token{}, db.q.translate(op, err)
	}
	return t, nil
}

// ListTokens returns every token, revoked ones too, by name.
func (db *DB) ListTokens(ctx context.Context) ([]Token, error) {
	const op = "list tokens"
	return queryAll(ctx, db, db.conn(), op, scanToken, tokenSQL[db.dialect].list)
}

// RevokeToken stops the named token from authenticating, from the next
// request on. Revoking a revoked token succeeds and changes nothing (its
// revocation time stays the first one); an unknown name is ErrNotFound.
func (db *DB) RevokeToken(ctx context.Context, name string) error {
	q := tokenSQL[db.dialect]
	return db.revokeByName(ctx, fmt.Sprintf("revoke token %q", name), q.revoke, q.exists, name, "no such token")
}

// revokeByName runs a revocation statement (time, name) and tells "already
// revoked" (no row changed, the name exists: success) from "no such name"
// (ErrNotFound, with notFound as the detail). Tokens and contractors' links
// are revoked alike.
func (db *DB) revokeByName(ctx context.Context, op, revoke, exists, name, notFound string) error {
	n, err := db.conn().exec(ctx, revoke, db.q.timeArg(now()), name)
	if err != nil {
		return db.q.translate(op, err)
	}
	if n > 0 {
		return nil
	}
	var count int
	if err := db.conn().queryRow(ctx, exists, name).Scan(&count); err != nil {
		return db.q.translate(op, err)
	}
	if count == 0 {
		return fail(op, ErrNotFound, "%s", notFound)
	}
	return nil
}

func scanToken(r row) (Token, error) {
	var t Token
	var role string
	var revoked scanNullTime
	if err := r.Scan(&t.ID, &t.Name, &role, scanTime{&t.CreatedAt}, &revoked); err != nil {
		return Token{}, err
	}
	t.Role, t.RevokedAt = Role(role), revoked.t
	return t, nil
}

// scanNullTime reads a nullable time column; NULL leaves the zero time.
type scanNullTime struct{ t time.Time }

func (s *scanNullTime) Scan(v any) error {
	if v == nil {
		s.t = time.Time{}
		return nil
	}
	return scanTime{&s.t}.Scan(v)
}

// ErrSchemaOutdated: the database lacks migrations this binary has. Commands
// other than migrate refuse to run on such a database rather than fail
// halfway on a missing table.
var ErrSchemaOutdated = errors.New("database schema is not up to date: run pervichka migrate")

// CheckSchema returns ErrSchemaOutdated (wrapped, naming the missing
// versions) unless every one of Pervichka's migrations has been applied. It
// only reads, so a command can call it without taking the migration lock.
//
// It lives beside the tokens because the token command is its first user;
// it belongs with Migrate and should move to migrate.go.
func (db *DB) CheckSchema(ctx context.Context) error {
	const op = "check schema"
	ours, err := migrations.Load(string(db.dialect))
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	var present int
	if err := db.conn().queryRow(ctx, tokenSQL[db.dialect].tablePresent).Scan(&present); err != nil {
		return db.q.translate(op, err)
	}
	done := map[int]bool{}
	if present > 0 {
		rs, err := db.conn().query(ctx, db.q.migrationsList)
		if err != nil {
			return db.q.translate(op, err)
		}
		defer rs.Close()
		for rs.Next() {
			var v int
			if err := rs.Scan(&v); err != nil {
				return db.q.translate(op, err)
			}
			done[v] = true
		}
		if err := rs.Err(); err != nil {
			return db.q.translate(op, err)
		}
	}
	var missing []string
	for _, m := range ours {
		if !done[m.Version] {
			missing = append(missing, fmt.Sprintf("%04d_%s", m.Version, m.Name))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%s: %w (missing %s)", op, ErrSchemaOutdated, strings.Join(missing, ", "))
	}
	return nil
}

// Both drivers hand a NULL to a sql.Scanner as nil.
var _ sql.Scanner = (*scanNullTime)(nil)
