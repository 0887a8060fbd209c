package db

import (
	"context"
	"fmt"
)

// FingerprintBands is how many indexed bands a fingerprint's hash is split
// into (extractors/fingerprint.NumBands; the migration has a column each).
const FingerprintBands = 6

// Fingerprint is a document's stored perceptual fingerprint: the bands of
// its hash, for the look-up (together they are the whole hash), and its
// encoding, for the caller to verify.
type Fingerprint struct {
	DocumentID int64
	Bands      [FingerprintBands]int64
	Data       []byte // extractors/fingerprint's MarshalBinary; nil from FingerprintCandidates
}

// The statements read the same on both engines.
const (
	fingerprintUpsert = `INSERT INTO document_fingerprints
		(document_id, band0, band1, band2, band3, band4, band5, fingerprint, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (document_id) DO UPDATE SET band0 = excluded.band0, band1 = excluded.band1,
			band2 = excluded.band2, band3 = excluded.band3, band4 = excluded.band4,
			band5 = excluded.band5, fingerprint = excluded.fingerprint`
	// Each OR arm is an equality on an indexed column: SQLite's OR
	// optimisation and Postgres's BitmapOr both answer it from the indexes.
	fingerprintCandidates = `SELECT document_id, band0, band1, band2, band3, band4, band5
		FROM document_fingerprints
		WHERE (band0 = $1 OR band1 = $2 OR band2 = $3 OR band3 = $4 OR band4 = $5 OR band5 = $6)
			AND document_id <> $7
		ORDER BY document_id LIMIT $8`
	fingerprintData = `SELECT fingerprint FROM document_fingerprints WHERE document_id = $1`
)

// SaveFingerprint stores a document's fingerprint, replacing an earlier
// one (a re-run ingest computes the same). tx may be nil.
func (db *DB) SaveFingerprint(ctx context.Context, tx *Tx, f Fingerprint) error {
	b := f.Bands
	_, err := db.c(tx).exec(ctx, fingerprintUpsert, f.DocumentID, b[0], b[1], b[2], b[3], b[4], b[5], f.Data, db.q.timeArg(now()))
	return db.q.translate(fmt.Sprintf("save fingerprint of document %d", f.DocumentID), err)
}

// FingerprintCandidates returns up to limit stored fingerprints, other than
// exclude's, that share at least one band with bands, oldest document
// first, without their Data: the caller compares the hashes (the bands)
// first and reads the few close ones with FingerprintData. tx may be nil.
func (db *DB) FingerprintCandidates(ctx context.Context, tx *Tx, bands [FingerprintBands]int64, exclude int64, limit int) ([]Fingerprint, error) {
	op := fmt.Sprintf("fingerprint candidates for document %d", exclude)
	b := bands
	rs, err := db.c(tx).query(ctx, fingerprintCandidates, b[0], b[1], b[2], b[3], b[4], b[5], exclude, limit)
	if err != nil {
		return nil, db.q.translate(op, err)
	}
	defer rs.Close()
	var out []Fingerprint
	for rs.Next() {
		var f Fingerprint
		if err := rs.Scan(&f.DocumentID, &f.Bands[0], &f.Bands[1], &f.Bands[2], &f.Bands[3], &f.Bands[4], &f.Bands[5]); err != nil {
			return nil, db.q.translate(op, err)
		}
		out = append(out, f)
	}
	return out, db.q.translate(op, rs.Err())
}

// FingerprintData returns a document's encoded fingerprint; ErrNotFound
// when it has none. tx may be nil.
func (db *DB) FingerprintData(ctx context.Context, tx *Tx, id int64) ([]byte, error) {
	var b []byte
	err := db.c(tx).queryRow(ctx, fingerprintData, id).Scan(&b)
	return b, db.q.translate(fmt.Sprintf("fingerprint of document %d", id), err)
}
