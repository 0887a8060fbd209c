package db

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Contractor is a counterparty who sends documents through an upload link
// or by e-mail. The link's token is never stored, only its hash.
type Contractor struct {
	ID        int64
	Name      string
	Emails    []string // lowercased; mail from these is attributed to the contractor
	CreatedAt time.Time
	RevokedAt time.Time // zero while the link works
}

// Revoked reports whether the contractor's link has been revoked.
func (c Contractor) Revoked() bool { return !c.RevokedAt.IsZero() }

// ContractorTokenPrefix starts every upload-link token, so that one found in
// a log or a chat is recognisable.
const ContractorTokenPrefix = "pvu_"

// contractorTokenLen is the token's length: the prefix and 256 random bits
// in unpadded base64url, which needs no escaping in a URL path.
var contractorTokenLen = len(ContractorTokenPrefix) + base64.RawURLEncoding.EncodedLen(tokenBytes)

type contractorQueries struct {
	insert, insertEmail, byHash, byEmail, byID, list, emails, allEmails, revoke, exists string
}

const contractorCols = `id, name, created_at, revoked_at`

// The statements happen to be the same text on both engines; they are kept
// per dialect like every other statement of the store.
var contractorSQL = map[Dialect]contractorQueries{
	SQLite: {
		insert:      `INSERT INTO contractors (name, token_sha256, created_at) VALUES ($1, $2, $3) RETURNING ` + contractorCols,
		insertEmail: `INSERT INTO contractor_emails (contractor_id, email) VALUES ($1, $2)`,
		byHash:      `SELECT ` + contractorCols + ` FROM contractors WHERE token_sha256 = $1 AND revoked_at IS NULL`,
		byEmail: `SELECT c.id, c.name, c.created_at, c.revoked_at FROM contractors c
			JOIN contractor_emails e ON e.contractor_id = c.id WHERE e.email = $1 AND c.revoked_at IS NULL`,
		byID:      `SELECT ` + contractorCols + ` FROM contractors WHERE id = $1`,
		list:      `SELECT ` + contractorCols + ` FROM contractors ORDER BY name`,
		emails:    `SELECT email FROM contractor_emails WHERE contractor_id = $1 ORDER BY email`,
		allEmails: `SELECT contractor_id, email FROM contractor_emails ORDER BY email`,
		revoke:    `UPDATE contractors SET revoked_at = $1 WHERE name = $2 AND revoked_at IS NULL`,
		exists:    `SELECT count(*) FROM contractors WHERE name = $1`,
	},
	Postgres: {
		insert:      `INSERT INTO contractors (name, token_sha256, created_at) VALUES ($1, $2, $3) RETURNING ` + contractorCols,
		insertEmail: `INSERT INTO contractor_emails (contractor_id, email) VALUES ($1, $2)`,
		byHash:      `SELECT ` + contractorCols + ` FROM contractors WHERE token_sha256 = $1 AND revoked_at IS NULL`,
		byEmail: `SELECT c.id, c.name, c.created_at, c.revoked_at FROM contractors c
			JOIN contractor_emails e ON e.contractor_id = c.id WHERE e.email = $1 AND c.revoked_at IS NULL`,
		byID:      `SELECT ` + contractorCols + ` FROM contractors WHERE id = $1`,
		list:      `SELECT ` + contractorCols + ` FROM contractors ORDER BY name`,
		emails:    `SELECT email FROM contractor_emails WHERE contractor_id = $1 ORDER BY email`,
		allEmails: `SELECT contractor_id, email FROM contractor_emails ORDER BY email`,
		revoke:    `UPDATE contractors SET revoked_at = $1 WHERE name = $2 AND revoked_at IS NULL`,
		exists:    `SELECT count(*) FROM contractors WHERE name = $1`,
	},
}

// NormalizeEmail returns the bare, lowercased address of an e-mail address
// in any form mail headers use ("Иван <Ivan@Example.ru>"), or an error.
// Lowercasing the local part is not strictly right by RFC 5321, but no mail
// provider a contractor uses treats case as significant, and a clerk typing
// the address must not have to match its case.
func NormalizeEmail(s string) (string, error) {
	a, err := mail.ParseAddress(strings.TrimSpace(s))
	if err != nil {
		return "", fmt.Errorf("e-mail address %q: %w", s, err)
	}
	return strings.ToLower(a.Address), nil
}

// validContractorName accepts what a person would call a company ("ООО
// «Ромашка»", "ИП Петров"): up to 200 characters, printable, not blank.
func validContractorName(name string) error {
	switch {
	case strings.TrimSpace(name) != name || name == "":
		return fmt.Errorf("a name must not be empty nor start or end with a space")
	case utf8.RuneCountInString(name) > 200:
		return fmt.Errorf("a name is at most 200 characters")
	case strings.IndexFunc(name, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0:
		return fmt.Errorf("a name must not hold control characters")
	}
	return nil
}

// CreateContractor stores a contractor with the addresses it writes from and
// returns it with its upload-link token, which is not kept anywhere: the
// caller must hand it over now. Names are unique forever (ErrDuplicate), and
// so are addresses: one address belongs to one contractor.
func (db *DB) CreateContractor(ctx context.Context, name string, emails []string) (Contractor, string, error) {
	op := fmt.Sprintf("create contractor %q", name)
	if err := validContractorName(name); err != nil {
		return Contractor{}, "", fmt.Errorf("%s: %w", op, err)
	}
	norm := make([]string, 0, len(emails))
	for _, e := range emails {
		n, err := NormalizeEmail(e)
		if err != nil {
			return Contractor{}, "", fmt.Errorf("%s: %w", op, err)
		}
		norm = append(norm, n)
	}
	var raw [tokenBytes]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return Contractor{}, "", fmt.Errorf("%s: %w", op, err)
	}
	token := ContractorTokenPrefix + base64.RawURLEncoding.EncodeToString(raw[:])
	q := contractorSQL[db.dialect]
	var c Contractor
	err := db.InTx(ctx, func(tx *Tx) error {
		var err error
		c, err = scanContractor(tx.c.queryRow(ctx, q.insert, name, hashToken(token), db.q.timeArg(now())))
		if err != nil {
			return db.q.translate(op, err)
		}
		for _, e := range norm {
			if _, err := tx.c.exec(ctx, q.insertEmail, c.ID, e); err != nil {
				return db.q.translate(fmt.Sprintf("%s: address %s", op, e), err)
			}
		}
		return nil
	})
	if err != nil {
		return Contractor{}, "", err
	}
	c.Emails = norm
	return c, token, nil
}

// ContractorByToken returns the contractor whose live link holds token. An
// unknown, malformed or revoked token is ErrNotFound, the same for all
// three, so as not to help a guesser.
func (db *DB) ContractorByToken(ctx context.Context, token string) (Contractor, error) {
	const op = "contractor by token"
	if len(token) != contractorTokenLen || !strings.HasPrefix(token, ContractorTokenPrefix) {
		return Contractor{}, fail(op, ErrNotFound, "not a %s token", ContractorTokenPrefix)
	}
	c, err := scanContractor(db.conn().queryRow(ctx, contractorSQL[db.dialect].byHash, hashToken(token)))
	if err != nil {
		return Contractor{}, db.q.translate(op, err)
	}
	return c, nil
}

// ContractorByEmail returns the live contractor who writes from addr (in any
// header form), or ErrNotFound.
func (db *DB) ContractorByEmail(ctx context.Context, addr string) (Contractor, error) {
	op := fmt.Sprintf("contractor by e-mail %q", addr)
	norm, err := NormalizeEmail(addr)
	if err != nil {
		return Contractor{}, fail(op, ErrNotFound, "%v", err)
	}
	c, err := scanContractor(db.conn().queryRow(ctx, contractorSQL[db.dialect].byEmail, norm))
	if err != nil {
		return Contractor{}, db.q.translate(op, err)
	}
	return c, nil
}

// GetContractor returns a contractor by id, revoked or not.
func (db *DB) GetContractor(ctx context.Context, id int64) (Contractor, error) {
	op := fmt.Sprintf("get contractor %d", id)
	c, err := scanContractor(db.conn().queryRow(ctx, contractorSQL[db.dialect].byID, id))
	if err != nil {
		return Contractor{}, db.q.translate(op, err)
	}
	return c, nil
}

// ListContractors returns every contractor, revoked ones too, by name, with
// their addresses.
func (db *DB) ListContractors(ctx context.Context) ([]Contractor, error) {
	const op = "list contractors"
	q := contractorSQL[db.dialect]
	rs, err := db.conn().query(ctx, q.list)
	if err != nil {
		return nil, db.q.translate(op, err)
	}
	var out []Contractor
	for rs.Next() {
		c, err := scanContractor(rs)
		if err != nil {
			rs.Close()
			return nil, db.q.translate(op, err)
		}
		out = append(out, c)
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return nil, db.q.translate(op, err)
	}
	// The addresses in one more query, after the first has released its
	// connection (SQLite has one).
	es, err := db.conn().query(ctx, q.allEmails)
	if err != nil {
		return nil, db.q.translate(op, err)
	}
	defer es.Close()
	byID := map[int64][]string{}
	for es.Next() {
		var id int64
		var e string
		if err := es.Scan(&id, &e); err != nil {
			return nil, db.q.translate(op, err)
		}
		byID[id] = append(byID[id], e)
	}
	for i := range out {
		out[i].Emails = byID[out[i].ID]
	}
	return out, db.q.translate(op, es.Err())
}

// RevokeContractor makes the named contractor's link stop working, from the
// next request on; mail from its addresses is then no longer attributed to
// it. Revoking twice changes nothing; an unknown name is ErrNotFound.
func (db *DB) RevokeContractor(ctx context.Context, name string) error {
	q := contractorSQL[db.dialect]
	return db.revokeByName(ctx, fmt.Sprintf("revoke contractor %q", name), q.revoke, q.exists, name, "no such contractor")
}

func scanContractor(r row) (Contractor, error) {
	var c Contractor
	var revoked scanNullTime
	if err := r.Scan(&c.ID, &c.Name, scanTime{&c.CreatedAt}, &revoked); err != nil {
		return Contractor{}, err
	}
	c.RevokedAt = revoked.t
	return c, nil
}
