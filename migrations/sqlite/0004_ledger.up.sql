-- The ledger: an append-only journal of postings, the counter that gives
-- each posting its place in commit order, and the webhook deliveries.
--
-- A posting is one approved document version turned into proposed
-- double-entry lines (or, for registers without entries, a register row). A
-- correction never edits a posting: it appends a storno (kind 'storno',
-- reverses_id naming the posting it cancels, amounts negated) and a new
-- posting. Both tables of the journal refuse UPDATE and DELETE.

-- One row. The posting transaction increments it and keeps its row lock
-- until commit, so positions are handed out in commit order: a poller
-- reading "position > cursor" never misses a posting that commits later
-- with a smaller position (see docs/ledger.md).
CREATE TABLE ledger_counter (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    position        INTEGER NOT NULL
) STRICT;
INSERT INTO ledger_counter (id, position) VALUES (1, 0);

CREATE TABLE ledger_postings (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    position         INTEGER NOT NULL,
    document_id      INTEGER NOT NULL REFERENCES documents (id),
    document_version INTEGER NOT NULL,
    kind             TEXT NOT NULL,
    reverses_id      INTEGER REFERENCES ledger_postings (id),
    register         TEXT NOT NULL,
    doc_type         TEXT NOT NULL,
    number           TEXT NOT NULL,
    doc_date         TEXT NOT NULL,
    supplier_inn     TEXT NOT NULL,
    buyer_inn        TEXT NOT NULL,
    total_kopecks    INTEGER NOT NULL,
    vat_kopecks      INTEGER NOT NULL,
    result_sha256    TEXT NOT NULL,
    result           TEXT NOT NULL,
    lines            TEXT NOT NULL,
    actor            TEXT NOT NULL,
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f000Z', 'now')),
    CONSTRAINT ledger_postings_position_key UNIQUE (position),
    -- Exactly once: one posting and at most one storno per document version.
    CONSTRAINT ledger_postings_version_key UNIQUE (document_id, document_version, kind),
    -- A posting is reversed at most once.
    CONSTRAINT ledger_postings_reverses_key UNIQUE (reverses_id),
    CONSTRAINT ledger_postings_kind_known CHECK (kind IN ('posting', 'storno')),
    CONSTRAINT ledger_postings_storno_reverses CHECK ((kind = 'storno') = (reverses_id IS NOT NULL)),
    CONSTRAINT ledger_postings_register_known CHECK (register IN ('journal', 'payables', 'contracts')),
    CONSTRAINT ledger_postings_date_iso CHECK (doc_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    CONSTRAINT ledger_postings_result_json CHECK (json_valid(result)),
    CONSTRAINT ledger_postings_lines_json CHECK (json_valid(lines))
) STRICT;

CREATE INDEX ledger_postings_document_idx ON ledger_postings (document_id, id);
CREATE INDEX ledger_postings_duplicate_idx ON ledger_postings (supplier_inn, number, doc_date);
CREATE INDEX ledger_postings_date_idx ON ledger_postings (doc_date, position);

CREATE TRIGGER ledger_postings_no_update BEFORE UPDATE ON ledger_postings
BEGIN
    SELECT RAISE(ABORT, 'ledger_postings is append-only');
END;

CREATE TRIGGER ledger_postings_no_delete BEFORE DELETE ON ledger_postings
BEGIN
    SELECT RAISE(ABORT, 'ledger_postings is append-only');
END;

-- A webhook delivery of one posting. Unlike the journal it changes:
-- pending → delivered, or pending → dead after the last attempt, and dead →
-- pending when an admin resends it.
CREATE TABLE ledger_deliveries (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    posting_id      INTEGER NOT NULL REFERENCES ledger_postings (id),
    state           TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f000Z', 'now')),
    updated_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f000Z', 'now')),
    delivered_at    TEXT,
    CONSTRAINT ledger_deliveries_posting_key UNIQUE (posting_id),
    CONSTRAINT ledger_deliveries_state_known CHECK (state IN ('pending', 'delivered', 'dead')),
    CONSTRAINT ledger_deliveries_attempts_nonnegative CHECK (attempts >= 0)
) STRICT;

CREATE INDEX ledger_deliveries_state_idx ON ledger_deliveries (state, id);
