package db

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/pervichka/pervichka/storage/db/dbtest"
)

func TestContractors(t *testing.T) {
	t.Parallel()
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel() // each engine its own database
			db := openTest(t, e.URL(t))
			if err := db.Migrate(t.Context()); err != nil {
				t.Fatal(err)
			}
			testContractors(t, db)
		})
	}
}

func testContractors(t *testing.T, db *DB) {
	ctx := t.Context()
	romashka, token, err := db.CreateContractor(ctx, "ООО «Ромашка»", []string{"Бухгалтерия <Buh@Romashka.RU>", "boss@romashka.ru"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(token, ContractorTokenPrefix) || len(token) != contractorTokenLen {
		t.Fatalf("token %q: want %s and %d characters", token, ContractorTokenPrefix, contractorTokenLen)
	}
	if !slices.Equal(romashka.Emails, []string{"buh@romashka.ru", "boss@romashka.ru"}) {
		t.Fatalf("emails %q: want them bare and lowercased", romashka.Emails)
	}
	_, other, err := db.CreateContractor(ctx, "ИП Петров", nil)
	if err != nil || other == token {
		t.Fatalf("second contractor: %v (token equal: %v)", err, other == token)
	}

	// Only the hash is stored.
	var n int
	if err := db.conn().queryRow(ctx, `SELECT count(*) FROM contractors WHERE token_sha256 = $1 OR name = $1`, token).Scan(&n); err != nil || n != 0 {
		t.Fatalf("plaintext token found in contractors: %d rows, %v", n, err)
	}

	got, err := db.ContractorByToken(ctx, token)
	if err != nil || got.ID != romashka.ID || got.Name != "ООО «Ромашка»" {
		t.Fatalf("by token: %+v, %v", got, err)
	}
	got, err = db.ContractorByEmail(ctx, "BUH@romashka.ru")
	if err != nil || got.ID != romashka.ID {
		t.Fatalf("by e-mail: %+v, %v", got, err)
	}
	for _, bad := range []string{"", token[:len(token)-1], token + "x", "pvk_" + token[4:], token[:len(token)-1] + "A"} {
		if bad == token {
			continue
		}
		if _, err := db.ContractorByToken(ctx, bad); !errors.Is(err, ErrNotFound) {
			t.Errorf("by token %q: %v, want ErrNotFound", bad, err)
		}
	}
	if _, err := db.ContractorByEmail(ctx, "stranger@example.com"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown address: %v, want ErrNotFound", err)
	}

	for _, tc := range []struct {
		name   string
		emails []string
		want   error
	}{
		{"ООО «Ромашка»", nil, ErrDuplicate},
		{"Другой", []string{"boss@romashka.ru"}, ErrDuplicate},
		{"", nil, nil},
		{" с пробелом", nil, nil},
		{"Плохой адрес", []string{"not an address"}, nil},
	} {
		_, _, err := db.CreateContractor(ctx, tc.name, tc.emails)
		if err == nil || (tc.want != nil && !errors.Is(err, tc.want)) {
			t.Errorf("create %q %q: %v, want an error (%v)", tc.name, tc.emails, err, tc.want)
		}
	}
	// A failed creation leaves nothing behind.
	if _, err := db.ContractorByEmail(ctx, "boss@romashka.ru"); err != nil {
		t.Fatal(err)
	}
	list, err := db.ListContractors(ctx)
	if err != nil || len(list) != 2 {
		t.Fatalf("list: %d contractors, %v; want 2", len(list), err)
	}

	if err := db.RevokeContractor(ctx, "ООО «Ромашка»"); err != nil {
		t.Fatal(err)
	}
	if err := db.RevokeContractor(ctx, "ООО «Ромашка»"); err != nil {
		t.Fatalf("revoke twice: %v", err)
	}
	if err := db.RevokeContractor(ctx, "Никто"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("revoke unknown: %v", err)
	}
	if _, err := db.ContractorByToken(ctx, token); !errors.Is(err, ErrNotFound) {
		t.Fatalf("revoked token: %v, want ErrNotFound", err)
	}
	if _, err := db.ContractorByEmail(ctx, "buh@romashka.ru"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("revoked contractor's address: %v, want ErrNotFound", err)
	}
	got, err = db.GetContractor(ctx, romashka.ID)
	if err != nil || !got.Revoked() {
		t.Fatalf("get revoked: %+v, %v", got, err)
	}
	if _, err := db.ContractorByToken(ctx, other); err != nil {
		t.Fatalf("the other contractor's link must still work: %v", err)
	}
}
