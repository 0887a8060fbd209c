package db

import (
	"context"
	"fmt"
	"time"
)

// uploadUsageSQL counts a contractor's upload-link receipts since $2 and
// sums their bytes since $3 (the same in both dialects; the times are
// bound in each one's form). It reads the intake_files_contractor_idx
// range of the last day.
const uploadUsageSQL = `SELECT coalesce(sum(CASE WHEN created_at >= $2 THEN 1 ELSE 0 END), 0),
	    coalesce(sum(size_bytes), 0)
	FROM intake_files
	WHERE contractor_id = $1 AND channel = 'upload' AND created_at >= $3`

// UploadUsage returns how many files the contractor sent through its link
// since filesSince and how many bytes since bytesSince (bytesSince must
// not be later than filesSince): what a link's quota is checked against.
// Every receipt counts, refused or not, a duplicate or not: each cost a
// read and a row.
func (db *DB) UploadUsage(ctx context.Context, contractorID int64, filesSince, bytesSince time.Time) (files int, bytes int64, err error) {
	if bytesSince.After(filesSince) {
		return 0, 0, fmt.Errorf("upload usage: bytes counted from %s, after files from %s", bytesSince, filesSince)
	}
	err = db.conn().queryRow(ctx, uploadUsageSQL, contractorID, db.q.timeArg(filesSince), db.q.timeArg(bytesSince)).Scan(&files, &bytes)
	return files, bytes, db.q.translate(fmt.Sprintf("upload usage of contractor %d", contractorID), err)
}
