package db

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/pervichka/pervichka"
)

// ListFilter narrows ListDocuments. Zero fields do not filter.
type ListFilter struct {
	State       State
	DocType     pervichka.DocType
	SupplierINN string
	Source      Source
	Limit       int // 1..1000
}

// MaxListLimit is the largest page ListDocuments returns.
const MaxListLimit = 1000

func (f ListFilter) validate() error {
	switch {
	case f.State != "" && !f.State.Valid():
		return fmt.Errorf("unknown state %q", f.State)
	case f.DocType != "" && f.DocType != pervichka.DocUnknown && !slices.Contains(pervichka.DocTypes, f.DocType):
		return fmt.Errorf("unknown doc type %q", f.DocType)
	case f.Source != "" && f.Source != SourceUpload && f.Source != SourceEmail:
		return fmt.Errorf("unknown source %q", f.Source)
	case f.Limit <= 0 || f.Limit > MaxListLimit:
		return fmt.Errorf("limit %d outside 1..%d", f.Limit, MaxListLimit)
	}
	return nil
}

// ListDocuments returns up to f.Limit documents matching f, oldest first by
// (created_at, id), after the cursor (the zero Cursor starts at the
// beginning); pass the last document's Cursor() for the next page. Like
// ListByState it pages by key, so a page does not shift while documents
// arrive or change state.
//
// Indexes: a State filter runs on documents_state_created_idx in order; a
// SupplierINN filter alone narrows by documents_duplicate_idx and sorts the
// supplier's documents. Without either the engine scans documents and keeps
// the first Limit by (created_at, id): fine for thousands of rows; an index
// on (created_at, id) would be the fix for millions.
func (db *DB) ListDocuments(ctx context.Context, f ListFilter, after Cursor) ([]Document, error) {
	const op = "list documents"
	if err := f.validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	cols := sqliteDocColumns
	if db.dialect == Postgres {
		cols = postgresDocColumns
	}
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if f.State != "" {
		where = append(where, "state = "+arg(string(f.State)))
	}
	if f.DocType != "" {
		where = append(where, "doc_type = "+arg(string(f.DocType)))
	}
	if f.SupplierINN != "" {
		where = append(where, "supplier_inn = "+arg(f.SupplierINN))
	}
	if f.Source != "" {
		where = append(where, "source = "+arg(string(f.Source)))
	}
	where = append(where, fmt.Sprintf("(created_at, id) > (%s, %s)", arg(db.q.timeArg(after.CreatedAt)), arg(after.ID)))
	query := `SELECT ` + cols + ` FROM documents WHERE ` + strings.Join(where, " AND ") +
		` ORDER BY created_at, id LIMIT ` + arg(f.Limit)
	return db.documents(ctx, nil, op, query, args...)
}
