package db

import (
	"context"
	"fmt"
	"time"
)

// LinkKind says how two documents are related.
type LinkKind string

const (
	// LinkSameDocument: files of one upload or message with the same
	// number and supplier — probably pages of one document.
	LinkSameDocument LinkKind = "same_document"
	// LinkContinuation: a file with no number or parties of its own,
	// sent with a document — probably its next page.
	LinkContinuation LinkKind = "continuation"
	// LinkDuplicate: the same supplier ИНН, number and date as another
	// document.
	LinkDuplicate LinkKind = "duplicate"
	// LinkSplitFrom: a document a clerk made of pages split off another
	// (from the new document to the one it came from). A record of what
	// was done, not a proposal.
	LinkSplitFrom LinkKind = "split_from"
	// LinkResent: the same picture as another document's, sent again
	// (re-encoded or rescaled by a messenger); not read again. See
	// extractors/fingerprint.
	LinkResent LinkKind = "resent"
)

// Link is a proposed relation from a document to another, with its reason
// (Russian, for the clerk).
type Link struct {
	DocumentID int64
	LinkedID   int64
	Kind       LinkKind
	Reason     string
	CreatedAt  time.Time
}

// The statements read the same on both engines.
const (
	linkInsert = `INSERT INTO document_links (document_id, linked_id, kind, reason, created_at)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (document_id, linked_id, kind) DO NOTHING`
	linkSelect = `SELECT document_id, linked_id, kind, reason, created_at FROM document_links
		WHERE document_id = $1 OR linked_id = $1 ORDER BY id`
)

// AddLink records a proposed link; the same link again changes nothing.
// tx may be nil.
func (db *DB) AddLink(ctx context.Context, tx *Tx, l Link) error {
	op := fmt.Sprintf("link document %d to %d", l.DocumentID, l.LinkedID)
	_, err := db.c(tx).exec(ctx, linkInsert, l.DocumentID, l.LinkedID, string(l.Kind), l.Reason, db.q.timeArg(now()))
	return db.q.translate(op, err)
}

// Links returns the links from and to a document, oldest first. tx may be nil.
func (db *DB) Links(ctx context.Context, tx *Tx, id int64) ([]Link, error) {
	op := fmt.Sprintf("links of document %d", id)
	rs, err := db.c(tx).query(ctx, linkSelect, id)
	if err != nil {
		return nil, db.q.translate(op, err)
	}
	defer rs.Close()
	var out []Link
	for rs.Next() {
		var l Link
		var kind string
		if err := rs.Scan(&l.DocumentID, &l.LinkedID, &kind, &l.Reason, scanTime{&l.CreatedAt}); err != nil {
			return nil, db.q.translate(op, err)
		}
		l.Kind = LinkKind(kind)
		out = append(out, l)
	}
	return out, db.q.translate(op, rs.Err())
}
