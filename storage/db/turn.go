package db

import (
	"context"
	"fmt"
)

// turnPageSQL points a page at a new picture and forgets its reading, so
// that a page job reads it again (PendingPages counts it). The new picture
// is the page's own from now on: it is no longer read from a file.
const turnPageSQL = `UPDATE document_pages SET raw_key = $1, image_key = NULL, words_key = NULL,
	source_key = NULL, source_index = NULL WHERE document_id = $2 AND page_index = $3`

// TurnPage records that page index of document id is now the picture at
// rawKey (a clerk turned it) and is to be read again. tx may be nil; the
// caller moves the document to processing and enqueues the page job in
// the same transaction.
func (db *DB) TurnPage(ctx context.Context, tx *Tx, id int64, index int, rawKey string) error {
	op := fmt.Sprintf("turn page %d of document %d", index, id)
	if rawKey == "" {
		return fail(op, ErrIllegalTransition, "no picture")
	}
	n, err := db.c(tx).exec(ctx, turnPageSQL, rawKey, id, index)
	if err != nil {
		return db.q.translate(op, err)
	}
	if n == 0 {
		return fail(op, ErrNotFound, "no such page")
	}
	return nil
}
