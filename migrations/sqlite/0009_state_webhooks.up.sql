-- The outbox of the documents' state-change webhook (package statehook):
-- one row per state change, written in the transaction that makes the
-- change, so a change is delivered exactly when it commits. The row holds
-- what is sent (the change as the document's history has it) and where its
-- delivery stands; a document's rows are delivered in id order, one at a
-- time, and a dead row holds back the later rows of its document until it
-- is resent.

CREATE TABLE state_webhooks (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id     INTEGER NOT NULL REFERENCES documents (id),
    from_state      TEXT,
    to_state        TEXT NOT NULL,
    at              TEXT NOT NULL,
    actor           TEXT NOT NULL,
    reason          TEXT NOT NULL,
    failure_code    TEXT,
    state           TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    delivered_at    TEXT,
    CONSTRAINT state_webhooks_state_known CHECK (state IN ('pending', 'delivered', 'dead')),
    CONSTRAINT state_webhooks_attempts_nonnegative CHECK (attempts >= 0)
) STRICT;

CREATE INDEX state_webhooks_document_idx ON state_webhooks (document_id, id);
CREATE INDEX state_webhooks_state_idx ON state_webhooks (state, id);
