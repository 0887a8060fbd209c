-- The review UI: people who sign in (clerks and admins), their sessions,
-- claims on documents being reviewed, the append-only log of every field a
-- clerk corrected, and the counterparty directory learnt from approved
-- documents. Times are TEXT 'YYYY-MM-DDTHH:MM:SS.ffffffZ' as in 0001.

-- Passwords are kept only as bcrypt hashes (the review package hashes them).
-- A disabled user keeps the row so that "clerk:<name>" in events still names
-- one person.
CREATE TABLE users (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    name            TEXT NOT NULL,
    role            TEXT NOT NULL,
    password_hash   TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    disabled_at     TEXT,
    CONSTRAINT users_name_key UNIQUE (name),
    CONSTRAINT users_role_known CHECK (role IN ('admin', 'clerk')),
    CONSTRAINT users_name_nonempty CHECK (length(name) > 0)
) STRICT;

-- A session is found by the SHA-256 of its cookie's random id: a copy of the
-- database does not sign anyone in. csrf_token is sent in every form.
CREATE TABLE user_sessions (
    id_sha256       TEXT PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users (id),
    csrf_token      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    CONSTRAINT user_sessions_sha256_hex CHECK (length(id_sha256) = 64 AND id_sha256 NOT GLOB '*[^0-9a-f]*')
) STRICT;

CREATE INDEX user_sessions_expires_idx ON user_sessions (expires_at);

-- Who has a document open. A claim lapses at expires_at unless the page
-- renews it; an expired row is taken over by the next clerk.
CREATE TABLE review_claims (
    document_id     INTEGER PRIMARY KEY REFERENCES documents (id),
    user_name       TEXT NOT NULL,
    expires_at      TEXT NOT NULL
) STRICT;

-- Every value a clerk changed: evidence of who decided what, so append-only
-- like document_events. before/after are '' for "not found"/"cleared".
CREATE TABLE review_corrections (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id     INTEGER NOT NULL REFERENCES documents (id),
    at              TEXT NOT NULL,
    actor           TEXT NOT NULL,
    field           TEXT NOT NULL,
    before          TEXT NOT NULL,
    after           TEXT NOT NULL
) STRICT;

CREATE INDEX review_corrections_document_idx ON review_corrections (document_id, id);

CREATE TRIGGER review_corrections_no_update BEFORE UPDATE ON review_corrections
BEGIN
    SELECT RAISE(ABORT, 'review_corrections is append-only');
END;

CREATE TRIGGER review_corrections_no_delete BEFORE DELETE ON review_corrections
BEGIN
    SELECT RAISE(ABORT, 'review_corrections is append-only');
END;

-- The counterparty directory: what approved documents said about each ИНН.
-- The latest approved document wins; document_id names it.
CREATE TABLE counterparties (
    inn             TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    kpp             TEXT NOT NULL,
    bank_name       TEXT NOT NULL,
    bik             TEXT NOT NULL,
    account         TEXT NOT NULL,
    corr_account    TEXT NOT NULL,
    document_id     INTEGER NOT NULL REFERENCES documents (id),
    updated_at      TEXT NOT NULL
) STRICT;

-- Queue counts by type inside one state.
CREATE INDEX documents_state_type_idx ON documents (state, doc_type);
