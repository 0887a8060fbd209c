-- The outbox of the documents' state-change webhook (package statehook):
-- one row per state change, written in the transaction that makes the
-- change, so a change is delivered exactly when it commits. The row holds
-- what is sent (the change as the document's history has it) and where its
-- delivery stands; a document's rows are delivered in id order, one at a
-- time, and a dead row holds back the later rows of its document until it
-- is resent.

CREATE TABLE state_webhooks (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    document_id     bigint NOT NULL REFERENCES documents (id),
    from_state      text,
    to_state        text NOT NULL,
    at              timestamptz NOT NULL,
    actor           text NOT NULL,
    reason          text NOT NULL,
    failure_code    text,
    state           text NOT NULL,
    attempts        integer NOT NULL DEFAULT 0,
    last_error      text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    delivered_at    timestamptz,
    CONSTRAINT state_webhooks_state_known CHECK (state IN ('pending', 'delivered', 'dead')),
    CONSTRAINT state_webhooks_attempts_nonnegative CHECK (attempts >= 0)
);

CREATE INDEX state_webhooks_document_idx ON state_webhooks (document_id, id);
CREATE INDEX state_webhooks_state_idx ON state_webhooks (state, id);
