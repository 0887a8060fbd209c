package db

import (
	"context"
	"fmt"
)

// lastBankSQL finds the supplier's latest approved document that prints
// bank details; per dialect because it reads them out of the result JSON.
// Approved, auto-approved and posted documents count alike: how a
// document was approved must not decide whether its bank details are the
// ones later documents are compared with. The latest is the one changed
// last (updated_at: its approval or posting), not the one received last,
// so that a change a clerk confirmed today outranks an old invoice
// approved automatically yesterday.
var lastBankSQL = map[Dialect]string{
	SQLite: `SELECT ` + sqliteDocColumns + ` FROM documents
		WHERE supplier_inn = $1 AND id <> $2 AND state IN ('approved', 'auto_approved', 'posted')
		  AND (coalesce(json_extract(result, '$.supplier_bank.account'), '') <> ''
		    OR coalesce(json_extract(result, '$.supplier_bank.bik'), '') <> '')
		ORDER BY updated_at DESC, id DESC LIMIT 1`,
	Postgres: `SELECT ` + postgresDocColumns + ` FROM documents
		WHERE supplier_inn = $1 AND id <> $2 AND state IN ('approved', 'auto_approved', 'posted')
		  AND (coalesce(result->'supplier_bank'->>'account', '') <> ''
		    OR coalesce(result->'supplier_bank'->>'bik', '') <> '')
		ORDER BY updated_at DESC, id DESC LIMIT 1`,
}

// LastApprovedWithBank returns the latest approved, auto-approved or
// posted document of the supplier with this ИНН, other than except, whose
// result prints the supplier's bank details (a settlement account or a
// БИК): what a new document's bank details are compared with. ErrNotFound
// when there is none. To see a document another transaction is about to
// approve, hold LockKey on the supplier first. tx may be nil.
//
// Limits: the supplier is matched by the ИНН printed (supplier_inn), so a
// document whose ИНН was misread is compared with nothing; such a
// document fails its checksum and goes to review anyway.
func (db *DB) LastApprovedWithBank(ctx context.Context, tx *Tx, supplierINN string, except int64) (Document, error) {
	op := fmt.Sprintf("last approved bank details of %s", supplierINN)
	d, err := scanDocument(db.c(tx).queryRow(ctx, lastBankSQL[db.dialect], supplierINN, except))
	if err != nil {
		return Document{}, db.q.translate(op, err)
	}
	return d, nil
}
