-- The review UI: people who sign in (clerks and admins), their sessions,
-- claims on documents being reviewed, the append-only log of every field a
-- clerk corrected, and the counterparty directory learnt from approved
-- documents.

-- Passwords are kept only as bcrypt hashes (the review package hashes them).
-- A disabled user keeps the row so that "clerk:<name>" in events still names
-- one person.
CREATE TABLE users (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name            text NOT NULL,
    role            text NOT NULL,
    password_hash   text NOT NULL,
    created_at      timestamptz NOT NULL,
    disabled_at     timestamptz,
    CONSTRAINT users_name_key UNIQUE (name),
    CONSTRAINT users_role_known CHECK (role IN ('admin', 'clerk')),
    CONSTRAINT users_name_nonempty CHECK (length(name) > 0)
);

-- A session is found by the SHA-256 of its cookie's random id: a copy of the
-- database does not sign anyone in. csrf_token is sent in every form.
CREATE TABLE user_sessions (
    id_sha256       text PRIMARY KEY,
    user_id         bigint NOT NULL REFERENCES users (id),
    csrf_token      text NOT NULL,
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    CONSTRAINT user_sessions_sha256_hex CHECK (id_sha256 ~ '^[0-9a-f]{64}$')
);

CREATE INDEX user_sessions_expires_idx ON user_sessions (expires_at);

-- Who has a document open. A claim lapses at expires_at unless the page
-- renews it; an expired row is taken over by the next clerk.
CREATE TABLE review_claims (
    document_id     bigint PRIMARY KEY REFERENCES documents (id),
    user_name       text NOT NULL,
    expires_at      timestamptz NOT NULL
);

-- Every value a clerk changed: evidence of who decided what, so append-only
-- like document_events. before/after are '' for "not found"/"cleared".
CREATE TABLE review_corrections (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    document_id     bigint NOT NULL REFERENCES documents (id),
    at              timestamptz NOT NULL,
    actor           text NOT NULL,
    field           text NOT NULL,
    before          text NOT NULL,
    after           text NOT NULL
);

CREATE INDEX review_corrections_document_idx ON review_corrections (document_id, id);

CREATE FUNCTION review_corrections_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'review_corrections is append-only' USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER review_corrections_no_update BEFORE UPDATE OR DELETE ON review_corrections
    FOR EACH ROW EXECUTE FUNCTION review_corrections_append_only();
CREATE TRIGGER review_corrections_no_truncate BEFORE TRUNCATE ON review_corrections
    FOR EACH STATEMENT EXECUTE FUNCTION review_corrections_append_only();

-- The counterparty directory: what approved documents said about each ИНН.
-- The latest approved document wins; document_id names it.
CREATE TABLE counterparties (
    inn             text PRIMARY KEY,
    name            text NOT NULL,
    kpp             text NOT NULL,
    bank_name       text NOT NULL,
    bik             text NOT NULL,
    account         text NOT NULL,
    corr_account    text NOT NULL,
    document_id     bigint NOT NULL REFERENCES documents (id),
    updated_at      timestamptz NOT NULL
);

-- Queue counts by type inside one state.
CREATE INDEX documents_state_type_idx ON documents (state, doc_type);
