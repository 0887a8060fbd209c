-- Documents, their pages and their state history.
-- SQLite has no timestamp type: times are TEXT in one fixed-width UTC form,
-- 'YYYY-MM-DDTHH:MM:SS.ffffffZ', written by the application, so that text
-- order is time order. Dates are TEXT 'YYYY-MM-DD'; JSON is TEXT checked by
-- json_valid. STRICT tables refuse values of the wrong type.

CREATE TABLE documents (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    sha256          TEXT NOT NULL,
    object_key      TEXT NOT NULL,
    file_name       TEXT NOT NULL,
    content_type    TEXT NOT NULL,
    size_bytes      INTEGER NOT NULL,
    source          TEXT NOT NULL,
    sender          TEXT NOT NULL,
    state           TEXT NOT NULL,
    failure_code    TEXT,
    failure_reason  TEXT,
    result          TEXT,
    doc_type        TEXT,
    number          TEXT,
    doc_date        TEXT,
    supplier_inn    TEXT,
    buyer_inn       TEXT,
    total_kopecks   INTEGER,
    version         INTEGER NOT NULL DEFAULT 1,
    group_id        TEXT,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f000Z', 'now')),
    updated_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f000Z', 'now')),
    CONSTRAINT documents_sha256_key UNIQUE (sha256),
    CONSTRAINT documents_sha256_hex CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
    CONSTRAINT documents_size_nonnegative CHECK (size_bytes >= 0),
    CONSTRAINT documents_source_known CHECK (source IN ('upload', 'email')),
    CONSTRAINT documents_state_known CHECK (state IN ('received', 'processing', 'needs_review',
        'auto_approved', 'approved', 'posted', 'rejected', 'failed')),
    CONSTRAINT documents_result_json CHECK (result IS NULL OR json_valid(result)),
    CONSTRAINT documents_date_iso CHECK (doc_date IS NULL OR doc_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    CONSTRAINT documents_version_positive CHECK (version >= 1)
) STRICT;

-- The review queue: documents in one state, oldest first, paged by (created_at, id).
CREATE INDEX documents_state_created_idx ON documents (state, created_at, id);
-- Duplicate lookup: the same supplier's document with the same number and date.
CREATE INDEX documents_duplicate_idx ON documents (supplier_inn, number, doc_date);
-- Files that together form one document.
CREATE INDEX documents_group_idx ON documents (group_id) WHERE group_id IS NOT NULL;

-- A document's pages as the pipeline reads them. Ingest adds a row per page:
-- a PDF text layer is read at once (words_key set); an image page waits for
-- its page job, which reads the image from raw_key (a PDF page's picture,
-- stored losslessly) or, when raw_key is NULL, from the original file itself.
CREATE TABLE document_pages (
    document_id     INTEGER NOT NULL REFERENCES documents (id),
    page_index      INTEGER NOT NULL,
    raw_key         TEXT,
    source_dpi      REAL NOT NULL DEFAULT 0,
    image_key       TEXT,
    words_key       TEXT,
    dpi             INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (document_id, page_index),
    CONSTRAINT document_pages_index_nonnegative CHECK (page_index >= 0),
    CONSTRAINT document_pages_image_read CHECK (image_key IS NULL OR words_key IS NOT NULL)
) STRICT;

CREATE TABLE document_events (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id     INTEGER NOT NULL REFERENCES documents (id),
    at              TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f000Z', 'now')),
    actor           TEXT NOT NULL,
    from_state      TEXT,
    to_state        TEXT NOT NULL,
    reason          TEXT NOT NULL
) STRICT;

CREATE INDEX document_events_document_idx ON document_events (document_id, id);

-- The history is evidence of who moved a document and why: refuse edits and
-- deletions at the database, not only in the Go API.
CREATE TRIGGER document_events_no_update BEFORE UPDATE ON document_events
BEGIN
    SELECT RAISE(ABORT, 'document_events is append-only');
END;

CREATE TRIGGER document_events_no_delete BEFORE DELETE ON document_events
BEGIN
    SELECT RAISE(ABORT, 'document_events is append-only');
END;
