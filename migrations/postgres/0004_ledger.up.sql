-- The ledger: an append-only journal of postings, the counter that gives
-- each posting its place in commit order, and the webhook deliveries.
--
-- A posting is one approved document version turned into proposed
-- double-entry lines (or, for registers without entries, a register row). A
-- correction never edits a posting: it appends a storno (kind 'storno',
-- reverses_id naming the posting it cancels, amounts negated) and a new
-- posting. The journal refuses UPDATE, DELETE and TRUNCATE.

-- One row. The posting transaction increments it and keeps its row lock
-- until commit, so positions are handed out in commit order: a poller
-- reading "position > cursor" never misses a posting that commits later
-- with a smaller position, which an identity column would allow under
-- concurrency (see docs/ledger.md).
CREATE TABLE ledger_counter (
    id              integer PRIMARY KEY CHECK (id = 1),
    position        bigint NOT NULL
);
INSERT INTO ledger_counter (id, position) VALUES (1, 0);

CREATE TABLE ledger_postings (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    position         bigint NOT NULL,
    document_id      bigint NOT NULL REFERENCES documents (id),
    document_version integer NOT NULL,
    kind             text NOT NULL,
    reverses_id      bigint REFERENCES ledger_postings (id),
    register         text NOT NULL,
    doc_type         text NOT NULL,
    number           text NOT NULL,
    doc_date         date NOT NULL,
    supplier_inn     text NOT NULL,
    buyer_inn        text NOT NULL,
    total_kopecks    bigint NOT NULL,
    vat_kopecks      bigint NOT NULL,
    result_sha256    text NOT NULL,
    result           jsonb NOT NULL,
    lines            jsonb NOT NULL,
    actor            text NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ledger_postings_position_key UNIQUE (position),
    -- Exactly once: one posting and at most one storno per document version.
    CONSTRAINT ledger_postings_version_key UNIQUE (document_id, document_version, kind),
    -- A posting is reversed at most once.
    CONSTRAINT ledger_postings_reverses_key UNIQUE (reverses_id),
    CONSTRAINT ledger_postings_kind_known CHECK (kind IN ('posting', 'storno')),
    CONSTRAINT ledger_postings_storno_reverses CHECK ((kind = 'storno') = (reverses_id IS NOT NULL)),
    CONSTRAINT ledger_postings_register_known CHECK (register IN ('journal', 'payables', 'contracts'))
);

CREATE INDEX ledger_postings_document_idx ON ledger_postings (document_id, id);
CREATE INDEX ledger_postings_duplicate_idx ON ledger_postings (supplier_inn, number, doc_date);
CREATE INDEX ledger_postings_date_idx ON ledger_postings (doc_date, position);

CREATE FUNCTION ledger_postings_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger_postings is append-only' USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER ledger_postings_no_update BEFORE UPDATE OR DELETE ON ledger_postings
    FOR EACH ROW EXECUTE FUNCTION ledger_postings_append_only();
CREATE TRIGGER ledger_postings_no_truncate BEFORE TRUNCATE ON ledger_postings
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_postings_append_only();

-- A webhook delivery of one posting. Unlike the journal it changes:
-- pending → delivered, or pending → dead after the last attempt, and dead →
-- pending when an admin resends it.
CREATE TABLE ledger_deliveries (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    posting_id      bigint NOT NULL REFERENCES ledger_postings (id),
    state           text NOT NULL,
    attempts        integer NOT NULL DEFAULT 0,
    last_error      text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    delivered_at    timestamptz,
    CONSTRAINT ledger_deliveries_posting_key UNIQUE (posting_id),
    CONSTRAINT ledger_deliveries_state_known CHECK (state IN ('pending', 'delivered', 'dead')),
    CONSTRAINT ledger_deliveries_attempts_nonnegative CHECK (attempts >= 0)
);

CREATE INDEX ledger_deliveries_state_idx ON ledger_deliveries (state, id);
