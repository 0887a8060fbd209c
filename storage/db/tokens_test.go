package db

import (
	"errors"
	"strings"
	"testing"

	"github.com/pervichka/pervichka/storage/db/dbtest"
)

func TestTokens(t *testing.T) {
	t.Parallel()
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel() // each engine its own database
			db := openTest(t, e.URL(t))
			if err := db.Migrate(t.Context()); err != nil {
				t.Fatal(err)
			}
			testTokens(t, db)
		})
	}
}

func testTokens(t *testing.T, db *DB) {
	ctx := t.Context()
	admin, err := db.CreateToken(ctx, "ops", RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := db.CreateToken(ctx, "1c-integration", RoleService)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(admin, "pvk_") || len(admin) != tokenLen || admin == svc {
		t.Fatalf("tokens %q, %q: want distinct pvk_ tokens of %d characters", admin, svc, tokenLen)
	}

	// Only the hash is stored: the plaintext appears in no column.
	var n int
	if err := db.conn().queryRow(ctx, `SELECT count(*) FROM api_tokens WHERE token_sha256 = $1 OR name = $1`, admin).Scan(&n); err != nil || n != 0 {
		t.Fatalf("plaintext found in api_tokens: %d rows, %v", n, err)
	}

	got, err := db.Authenticate(ctx, admin)
	if err != nil || got.Name != "ops" || got.Role != RoleAdmin || got.Revoked() || got.CreatedAt.IsZero() {
		t.Fatalf("authenticate admin: %+v, %v", got, err)
	}
	got, err = db.Authenticate(ctx, svc)
	if err != nil || got.Name != "1c-integration" || got.Role != RoleService {
		t.Fatalf("authenticate service: %+v, %v", got, err)
	}

	for _, tc := range []struct{ name, token string }{
		{"empty", ""},
		{"no prefix", strings.TrimPrefix(admin, "pvk_")},
		{"one character changed", admin[:len(admin)-1] + flip(admin[len(admin)-1])},
		{"too long", admin + "A"},
		{"other prefix", "ghp_" + admin[4:]},
	} {
		if _, err := db.Authenticate(ctx, tc.token); !errors.Is(err, ErrNotFound) {
			t.Errorf("authenticate %s: %v, want ErrNotFound", tc.name, err)
		}
	}

	for _, tc := range []struct {
		name string
		role Role
		want error // nil: any error
	}{
		{"ops", RoleService, ErrDuplicate},
		{"", RoleAdmin, nil},
		{"has space", RoleAdmin, nil},
		{"-leading-dash", RoleAdmin, nil},
		{strings.Repeat("a", 65), RoleAdmin, nil},
		{"bob", Role("root"), nil},
	} {
		_, err := db.CreateToken(ctx, tc.name, tc.role)
		if err == nil || tc.want != nil && !errors.Is(err, tc.want) {
			t.Errorf("create token %q %q: %v, want an error (%v)", tc.name, tc.role, err, tc.want)
		}
	}

	if err := db.RevokeToken(ctx, "ops"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Authenticate(ctx, admin); !errors.Is(err, ErrNotFound) {
		t.Fatalf("revoked token authenticated: %v", err)
	}
	if _, err := db.Authenticate(ctx, svc); err != nil {
		t.Fatalf("revoking ops broke the other token: %v", err)
	}
	list, err := db.ListTokens(ctx)
	if err != nil || len(list) != 2 {
		t.Fatalf("list: %+v, %v", list, err)
	}
	if list[0].Name != "1c-integration" || list[0].Revoked() || list[1].Name != "ops" || !list[1].Revoked() {
		t.Fatalf("list by name with revocation: %+v", list)
	}
	first := list[1].RevokedAt
	if err := db.RevokeToken(ctx, "ops"); err != nil {
		t.Fatalf("revoke twice: %v", err)
	}
	list, _ = db.ListTokens(ctx)
	if !list[1].RevokedAt.Equal(first) {
		t.Errorf("second revoke moved revoked_at from %v to %v", first, list[1].RevokedAt)
	}
	if err := db.RevokeToken(ctx, "nobody"); !errors.Is(err, ErrNotFound) {
		t.Errorf("revoke unknown: %v, want ErrNotFound", err)
	}
	// A revoked name stays taken, so old events keep naming one token.
	if _, err := db.CreateToken(ctx, "ops", RoleAdmin); !errors.Is(err, ErrDuplicate) {
		t.Errorf("re-create revoked name: %v, want ErrDuplicate", err)
	}
}

func flip(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}

func TestRoleAllows(t *testing.T) {
	for _, tc := range []struct {
		have, need Role
		want       bool
	}{
		{RoleAdmin, RoleAdmin, true},
		{RoleAdmin, RoleService, true},
		{RoleService, RoleService, true},
		{RoleService, RoleAdmin, false},
		{Role(""), RoleService, false},
		{Role("root"), RoleAdmin, false},
		{RoleAdmin, Role("root"), false},
	} {
		if got := tc.have.Allows(tc.need); got != tc.want {
			t.Errorf("%q.Allows(%q) = %v, want %v", tc.have, tc.need, got, tc.want)
		}
	}
}

func TestCheckSchema(t *testing.T) {
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel() // each engine its own database
			db := openTest(t, e.URL(t))
			ctx := t.Context()
			err := db.CheckSchema(ctx)
			if !errors.Is(err, ErrSchemaOutdated) || !strings.Contains(err.Error(), "0001_documents") {
				t.Fatalf("empty database: %v, want ErrSchemaOutdated naming 0001", err)
			}
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if err := db.CheckSchema(ctx); err != nil {
				t.Fatalf("migrated database: %v", err)
			}
			// A database migrated by an older binary lacks the newest step.
			if _, err := db.conn().exec(ctx, `DELETE FROM schema_migrations WHERE version = 2`); err != nil {
				t.Fatal(err)
			}
			err = db.CheckSchema(ctx)
			if !errors.Is(err, ErrSchemaOutdated) || !strings.Contains(err.Error(), "0002_api_tokens") || strings.Contains(err.Error(), "0001") {
				t.Fatalf("database without 0002: %v", err)
			}
		})
	}
}
