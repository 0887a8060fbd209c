package db

import (
	"context"
	"fmt"
)

// MaxCounterparties bounds one Counterparties listing.
const MaxCounterparties = 10_000

// Counterparties lists the directory, by name then ИНН, at most limit
// entries (1..MaxCounterparties). The review UI's directory page filters
// them by name and ИНН in Go: SQLite's lower() folds only ASCII, and a
// small business's directory is hundreds of entries, not millions.
func (db *DB) Counterparties(ctx context.Context, limit int) ([]Counterparty, error) {
	const op = "list counterparties"
	if limit <= 0 || limit > MaxCounterparties {
		return nil, fmt.Errorf("%s: limit %d outside 1..%d", op, limit, MaxCounterparties)
	}
	rs, err := db.conn().query(ctx, `SELECT inn, name, kpp, bank_name, bik, account, corr_account, document_id, updated_at
		FROM counterparties ORDER BY name, inn LIMIT $1`, limit)
	if err != nil {
		return nil, db.q.translate(op, err)
	}
	defer rs.Close()
	var out []Counterparty
	for rs.Next() {
		var c Counterparty
		if err := rs.Scan(&c.INN, &c.Name, &c.KPP, &c.BankName, &c.BIK, &c.Account, &c.CorrAccount, &c.DocumentID, scanTime{&c.UpdatedAt}); err != nil {
			return nil, db.q.translate(op, err)
		}
		out = append(out, c)
	}
	return out, db.q.translate(op, rs.Err())
}
