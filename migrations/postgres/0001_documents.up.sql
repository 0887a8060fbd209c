-- Documents, their pages and their state history.
-- Timestamps are written by the application (UTC, microseconds) so that both
-- dialects order rows the same way; the defaults are only for hand-written rows.

CREATE TABLE documents (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sha256          text NOT NULL,
    object_key      text NOT NULL,
    file_name       text NOT NULL,
    content_type    text NOT NULL,
    size_bytes      bigint NOT NULL,
    source          text NOT NULL,
    sender          text NOT NULL,
    state           text NOT NULL,
    failure_code    text,
    failure_reason  text,
    result          jsonb,
    doc_type        text,
    number          text,
    doc_date        date,
    supplier_inn    text,
    buyer_inn       text,
    total_kopecks   bigint,
    version         integer NOT NULL DEFAULT 1,
    group_id        text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT documents_sha256_key UNIQUE (sha256),
    CONSTRAINT documents_sha256_hex CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    CONSTRAINT documents_size_nonnegative CHECK (size_bytes >= 0),
    CONSTRAINT documents_source_known CHECK (source IN ('upload', 'email')),
    CONSTRAINT documents_state_known CHECK (state IN ('received', 'processing', 'needs_review',
        'auto_approved', 'approved', 'posted', 'rejected', 'failed')),
    CONSTRAINT documents_version_positive CHECK (version >= 1)
);

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
    document_id     bigint NOT NULL REFERENCES documents (id),
    page_index      integer NOT NULL,
    raw_key         text,
    source_dpi      double precision NOT NULL DEFAULT 0,
    image_key       text,
    words_key       text,
    dpi             integer NOT NULL DEFAULT 0,
    PRIMARY KEY (document_id, page_index),
    CONSTRAINT document_pages_index_nonnegative CHECK (page_index >= 0),
    CONSTRAINT document_pages_image_read CHECK (image_key IS NULL OR words_key IS NOT NULL)
);

CREATE TABLE document_events (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    document_id     bigint NOT NULL REFERENCES documents (id),
    at              timestamptz NOT NULL DEFAULT now(),
    actor           text NOT NULL,
    from_state      text,
    to_state        text NOT NULL,
    reason          text NOT NULL
);

CREATE INDEX document_events_document_idx ON document_events (document_id, id);

-- The history is evidence of who moved a document and why: refuse edits and
-- deletions at the database, not only in the Go API.
CREATE FUNCTION document_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'document_events is append-only' USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER document_events_no_update BEFORE UPDATE OR DELETE ON document_events
    FOR EACH ROW EXECUTE FUNCTION document_events_append_only();
CREATE TRIGGER document_events_no_truncate BEFORE TRUNCATE ON document_events
    FOR EACH STATEMENT EXECUTE FUNCTION document_events_append_only();
