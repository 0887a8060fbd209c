package db

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Split is a clerk's request to make a new document of some pages of
// another.
type Split struct {
	From   int64 // the document the pages leave; locked by the caller
	Pages  []int // 0-based indexes of From's pages; any order, no repeats
	Actor  string
	Reason string // Russian, for people: the new document's first event and the link
}

// SplitPages makes a new document of the pages s.Pages of document s.From
// and returns it, in StateReceived with its first event; the caller moves
// both documents on (back to extraction) and enqueues their jobs. In tx:
//
//   - the new document's row copies the parent's file name, type, size,
//     source, sender and group, and its object_key is the parent's
//     original: originals are immutable and keyed by content, so «исходный
//     файл» still downloads the file the pages came from;
//   - the pages move with their stored files, in the order they had, and
//     are numbered from 0; the parent's remaining pages close up. Every
//     page whose place changes keeps reading its picture from where it was
//     (Page.Source);
//   - a split_from link goes from the new document to the parent.
//
// The new document's sha256 is derived, not a file's digest: the column is
// the files' deduplication key (UNIQUE, 64 hex digits) and a part of a file
// has no file of its own. It is the SHA-256 of "split:<parent sha256>:
// <parent version>:<pages>", deterministic so it can be recomputed and
// explained, and unique because splitting is followed by the parent's
// transition, which bumps the version a second split would name. A real
// file collides with it only if its bytes are that very text. Derived files
// of the new document (pages re-read later) sit under this hash, apart
// from the parent's.
//
// At least one page must stay with the parent; a page index it does not
// have is refused. Both are ErrIllegalTransition: the caller should have
// checked against the page count it showed.
func (db *DB) SplitPages(ctx context.Context, tx *Tx, s Split) (Document, error) {
	op := fmt.Sprintf("split pages %v off document %d", s.Pages, s.From)
	if tx == nil {
		return Document{}, fail(op, ErrIllegalTransition, "needs a transaction")
	}
	if s.Actor == "" || s.Reason == "" {
		return Document{}, fmt.Errorf("%s: empty actor or reason", op)
	}
	parent, err := db.GetDocument(ctx, tx, s.From)
	if err != nil {
		return Document{}, fmt.Errorf("%s: %w", op, err)
	}
	pages, err := db.Pages(ctx, tx, s.From)
	if err != nil {
		return Document{}, fmt.Errorf("%s: %w", op, err)
	}
	moving := slices.Clone(s.Pages)
	slices.Sort(moving)
	has := map[int]bool{}
	for _, p := range pages {
		has[p.Index] = true
	}
	switch {
	case len(moving) == 0:
		return Document{}, fail(op, ErrIllegalTransition, "no pages named")
	case len(moving) >= len(pages):
		return Document{}, fail(op, ErrIllegalTransition, "no page would stay: the document has %d", len(pages))
	}
	for i, idx := range moving {
		if !has[idx] {
			return Document{}, fail(op, ErrIllegalTransition, "no page %d", idx)
		}
		if i > 0 && moving[i-1] == idx {
			return Document{}, fail(op, ErrIllegalTransition, "page %d named twice", idx)
		}
	}

	n := NewDocument{SHA256: splitSHA256(parent.SHA256, parent.Version, moving), ObjectKey: parent.ObjectKey,
		FileName: parent.FileName, ContentType: parent.ContentType, Size: parent.Size, Source: parent.Source,
		Sender: parent.Sender, GroupID: parent.GroupID}
	at := now()
	child, err := scanDocument(tx.c.queryRow(ctx, db.q.insertDocument,
		n.SHA256, n.ObjectKey, n.FileName, n.ContentType, n.Size, string(n.Source), n.Sender,
		nullString(n.GroupID), db.q.timeArg(at)))
	if err := db.q.translate(op, err); errors.Is(err, ErrNotFound) {
		// ON CONFLICT DO NOTHING returned no row: the derived hash is taken.
		return Document{}, fail(op, ErrDuplicate, "the split document %s exists", n.SHA256)
	} else if err != nil {
		return Document{}, err
	}
	if _, err := tx.c.exec(ctx, db.q.insertEvent, child.ID, db.q.timeArg(at), s.Actor, nil, string(StateReceived), s.Reason); err != nil {
		return Document{}, db.q.translate(op+": event", err)
	}
	if err := db.stateChanged(ctx, tx, StateChange{DocumentID: child.ID, To: StateReceived, At: at, Actor: s.Actor, Reason: s.Reason}); err != nil {
		return Document{}, err
	}

	// The moved pages first, then the parent's close up, lowest first:
	// each page's new index is free by the time it is taken, so the
	// primary key (document_id, page_index) holds after every row.
	move := reviewSQL[db.dialect].movePage
	for k, idx := range moving {
		if _, err := tx.c.exec(ctx, move, child.ID, k, parent.ObjectKey, s.From, idx); err != nil {
			return Document{}, db.q.translate(fmt.Sprintf("%s: page %d", op, idx), err)
		}
	}
	j := 0
	for _, p := range pages {
		if _, ok := slices.BinarySearch(moving, p.Index); ok {
			continue
		}
		if p.Index != j {
			if _, err := tx.c.exec(ctx, move, s.From, j, parent.ObjectKey, s.From, p.Index); err != nil {
				return Document{}, db.q.translate(fmt.Sprintf("%s: renumber page %d", op, p.Index), err)
			}
		}
		j++
	}
	if err := db.AddLink(ctx, tx, Link{DocumentID: child.ID, LinkedID: s.From, Kind: LinkSplitFrom, Reason: s.Reason}); err != nil {
		return Document{}, err
	}
	return child, nil
}

// splitSHA256 is the derived key of a document split off another; see
// SplitPages.
func splitSHA256(parentSHA string, parentVersion int, pages []int) string {
	list := make([]string, len(pages))
	for i, p := range pages {
		list[i] = strconv.Itoa(p)
	}
	sum := sha256.Sum256(fmt.Appendf(nil, "split:%s:%d:%s", parentSHA, parentVersion, strings.Join(list, ",")))
	return hex.EncodeToString(sum[:])
}
