-- Perceptual fingerprints of image documents' first pages, so that a photo
-- sent again (re-encoded by a messenger, rescaled) is linked to the first
-- document instead of being read again. The fingerprint's 64-bit hash is
-- split into six bands of 10–11 bits, each indexed: two hashes within
-- Hamming distance 5 share a band, so candidates are found by equality on
-- indexed columns (a BitmapOr), never by a scan. The encoded fingerprint
-- (hash and a 64×64 thumbnail, see extractors/fingerprint) verifies each
-- candidate.

CREATE TABLE document_fingerprints (
    document_id     bigint PRIMARY KEY REFERENCES documents (id),
    band0           integer NOT NULL,
    band1           integer NOT NULL,
    band2           integer NOT NULL,
    band3           integer NOT NULL,
    band4           integer NOT NULL,
    band5           integer NOT NULL,
    fingerprint     bytea NOT NULL,
    created_at      timestamptz NOT NULL
);

CREATE INDEX document_fingerprints_band0_idx ON document_fingerprints (band0);
CREATE INDEX document_fingerprints_band1_idx ON document_fingerprints (band1);
CREATE INDEX document_fingerprints_band2_idx ON document_fingerprints (band2);
CREATE INDEX document_fingerprints_band3_idx ON document_fingerprints (band3);
CREATE INDEX document_fingerprints_band4_idx ON document_fingerprints (band4);
CREATE INDEX document_fingerprints_band5_idx ON document_fingerprints (band5);

-- A new link kind, 'resent': the same picture sent again.
ALTER TABLE document_links DROP CONSTRAINT document_links_kind_known,
    ADD CONSTRAINT document_links_kind_known CHECK (kind IN ('same_document', 'continuation', 'duplicate', 'split_from', 'resent'));
