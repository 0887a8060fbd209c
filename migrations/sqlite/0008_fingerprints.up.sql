-- Perceptual fingerprints of image documents' first pages, so that a photo
-- sent again (re-encoded by a messenger, rescaled) is linked to the first
-- document instead of being read again. The fingerprint's 64-bit hash is
-- split into six bands of 10–11 bits, each indexed: two hashes within
-- Hamming distance 5 share a band, so candidates are found by equality on
-- indexed columns, never by a scan. The encoded fingerprint (hash and a
-- 64×64 thumbnail, see extractors/fingerprint) verifies each candidate.

CREATE TABLE document_fingerprints (
    document_id     INTEGER PRIMARY KEY REFERENCES documents (id),
    band0           INTEGER NOT NULL,
    band1           INTEGER NOT NULL,
    band2           INTEGER NOT NULL,
    band3           INTEGER NOT NULL,
    band4           INTEGER NOT NULL,
    band5           INTEGER NOT NULL,
    fingerprint     BLOB NOT NULL,
    created_at      TEXT NOT NULL
) STRICT;

CREATE INDEX document_fingerprints_band0_idx ON document_fingerprints (band0);
CREATE INDEX document_fingerprints_band1_idx ON document_fingerprints (band1);
CREATE INDEX document_fingerprints_band2_idx ON document_fingerprints (band2);
CREATE INDEX document_fingerprints_band3_idx ON document_fingerprints (band3);
CREATE INDEX document_fingerprints_band4_idx ON document_fingerprints (band4);
CREATE INDEX document_fingerprints_band5_idx ON document_fingerprints (band5);

-- A new link kind, 'resent': the same picture sent again. SQLite cannot
-- alter a CHECK constraint, so the table is rebuilt with its rows; nothing
-- references it.
CREATE TABLE document_links_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id     INTEGER NOT NULL REFERENCES documents (id),
    linked_id       INTEGER NOT NULL REFERENCES documents (id),
    kind            TEXT NOT NULL,
    reason          TEXT NOT NULL,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f000Z', 'now')),
    CONSTRAINT document_links_pair_key UNIQUE (document_id, linked_id, kind),
    CONSTRAINT document_links_kind_known CHECK (kind IN ('same_document', 'continuation', 'duplicate', 'split_from', 'resent')),
    CONSTRAINT document_links_not_self CHECK (document_id <> linked_id)
) STRICT;

INSERT INTO document_links_new (id, document_id, linked_id, kind, reason, created_at)
    SELECT id, document_id, linked_id, kind, reason, created_at FROM document_links;
DROP TABLE document_links;
ALTER TABLE document_links_new RENAME TO document_links;
CREATE INDEX document_links_linked_idx ON document_links (linked_id);
