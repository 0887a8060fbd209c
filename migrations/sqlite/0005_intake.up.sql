-- Intake channels: contractors with upload links, and a record of every file
-- and e-mail message that reached Pervichka, so that nothing received is
-- lost and duplicates across channels are visible as links to one document.

-- A contractor uploads through a link holding a long random token; only its
-- SHA-256 is kept (see api_tokens). A revoked contractor keeps its row so
-- that its received files still name it.
CREATE TABLE contractors (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    name            TEXT NOT NULL,
    token_sha256    TEXT NOT NULL,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f000Z', 'now')),
    revoked_at      TEXT,
    CONSTRAINT contractors_name_key UNIQUE (name),
    CONSTRAINT contractors_sha256_key UNIQUE (token_sha256),
    CONSTRAINT contractors_sha256_hex CHECK (length(token_sha256) = 64 AND token_sha256 NOT GLOB '*[^0-9a-f]*'),
    CONSTRAINT contractors_name_nonempty CHECK (length(name) > 0)
) STRICT;

-- The addresses a contractor writes from, lowercased: mail from one of them
-- is attributed to the contractor.
CREATE TABLE contractor_emails (
    contractor_id   INTEGER NOT NULL REFERENCES contractors (id),
    email           TEXT NOT NULL,
    CONSTRAINT contractor_emails_key UNIQUE (email),
    CONSTRAINT contractor_emails_lower CHECK (email = lower(email) AND email LIKE '%_@_%')
) STRICT;

-- One row per e-mail message seen, whatever became of it: the admin's list
-- of mail with no usable attachment, refused or malformed mail reads here.
-- message_key is the Message-ID, or "sha256:<hex>" of the raw message when
-- it has none.
CREATE TABLE intake_messages (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    mailbox         TEXT NOT NULL,
    message_key     TEXT NOT NULL,
    sender          TEXT NOT NULL,
    subject         TEXT NOT NULL,
    contractor_id   INTEGER REFERENCES contractors (id),
    outcome         TEXT NOT NULL,
    detail          TEXT NOT NULL,
    documents       INTEGER NOT NULL DEFAULT 0,
    received_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f000Z', 'now')),
    updated_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f000Z', 'now')),
    CONSTRAINT intake_messages_key UNIQUE (message_key),
    CONSTRAINT intake_messages_outcome_known CHECK (outcome IN ('stored', 'no_documents', 'refused', 'malformed')),
    CONSTRAINT intake_messages_documents_nonnegative CHECK (documents >= 0)
) STRICT;

CREATE INDEX intake_messages_outcome_idx ON intake_messages (outcome, received_at);

-- One row per file received, by either channel: which document it became
-- (the first document with the same bytes, when it was a duplicate) or why
-- it was refused. An e-mail's file is unique by message and content, which
-- makes a message seen twice change nothing.
CREATE TABLE intake_files (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    channel         TEXT NOT NULL,
    contractor_id   INTEGER REFERENCES contractors (id),
    sender          TEXT NOT NULL,
    message_key     TEXT,
    file_name       TEXT NOT NULL,
    sha256          TEXT NOT NULL,
    size_bytes      INTEGER NOT NULL,
    document_id     INTEGER REFERENCES documents (id),
    created_document INTEGER NOT NULL DEFAULT 0,
    refusal_code    TEXT,
    refusal_reason  TEXT,
    group_id        TEXT,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f000Z', 'now')),
    CONSTRAINT intake_files_message_sha_key UNIQUE (message_key, sha256),
    CONSTRAINT intake_files_channel_known CHECK (channel IN ('upload', 'email')),
    CONSTRAINT intake_files_sha256_hex CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
    CONSTRAINT intake_files_size_nonnegative CHECK (size_bytes >= 0),
    CONSTRAINT intake_files_created_bool CHECK (created_document IN (0, 1)),
    -- Either a document or a refusal, never both, never neither.
    CONSTRAINT intake_files_outcome CHECK ((document_id IS NULL) <> (refusal_code IS NULL))
) STRICT;

CREATE INDEX intake_files_contractor_idx ON intake_files (contractor_id, created_at, id);
CREATE INDEX intake_files_document_idx ON intake_files (document_id);
