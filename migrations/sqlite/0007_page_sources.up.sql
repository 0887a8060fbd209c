-- Where a page's picture comes from, once it is not simply "the document's
-- own original at page_index". Merging moves pages into another document
-- and splitting moves them into a new one; both renumber pages. A page read
-- from its file (raw_key NULL) must keep pointing at the file and page it
-- was taken from, or re-reading it would decode another picture.
--
-- source_key/source_index: the object and the 0-based page in it; both
-- NULL for a page still at its own document's original and index.
ALTER TABLE document_pages ADD COLUMN source_key TEXT;
ALTER TABLE document_pages ADD COLUMN source_index INTEGER
    CONSTRAINT document_pages_source_index_nonnegative CHECK (source_index IS NULL OR source_index >= 0);

-- A document split off another links to it ('split_from', from the new
-- document to the one it came from). SQLite cannot change a CHECK
-- constraint in place: the table is rebuilt with the same rows and ids
-- (no other table refers to it).
CREATE TABLE document_links_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id     INTEGER NOT NULL REFERENCES documents (id),
    linked_id       INTEGER NOT NULL REFERENCES documents (id),
    kind            TEXT NOT NULL,
    reason          TEXT NOT NULL,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f000Z', 'now')),
    CONSTRAINT document_links_pair_key UNIQUE (document_id, linked_id, kind),
    CONSTRAINT document_links_kind_known CHECK (kind IN ('same_document', 'continuation', 'duplicate', 'split_from')),
    CONSTRAINT document_links_not_self CHECK (document_id <> linked_id)
) STRICT;

INSERT INTO document_links_new (id, document_id, linked_id, kind, reason, created_at)
    SELECT id, document_id, linked_id, kind, reason, created_at FROM document_links;
DROP TABLE document_links;
ALTER TABLE document_links_new RENAME TO document_links;
CREATE INDEX document_links_linked_idx ON document_links (linked_id);
