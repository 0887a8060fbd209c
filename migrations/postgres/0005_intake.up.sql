-- Intake channels: contractors with upload links, and a record of every file
-- and e-mail message that reached Pervichka, so that nothing received is
-- lost and duplicates across channels are visible as links to one document.

-- A contractor uploads through a link holding a long random token; only its
-- SHA-256 is kept (see api_tokens). A revoked contractor keeps its row so
-- that its received files still name it.
CREATE TABLE contractors (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name            text NOT NULL,
    token_sha256    text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    revoked_at      timestamptz,
    CONSTRAINT contractors_name_key UNIQUE (name),
    CONSTRAINT contractors_sha256_key UNIQUE (token_sha256),
    CONSTRAINT contractors_sha256_hex CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
    CONSTRAINT contractors_name_nonempty CHECK (length(name) > 0)
);

-- The addresses a contractor writes from, lowercased: mail from one of them
-- is attributed to the contractor.
CREATE TABLE contractor_emails (
    contractor_id   bigint NOT NULL REFERENCES contractors (id),
    email           text NOT NULL,
    CONSTRAINT contractor_emails_key UNIQUE (email),
    CONSTRAINT contractor_emails_lower CHECK (email = lower(email) AND email LIKE '%_@_%')
);

-- One row per e-mail message seen, whatever became of it: the admin's list
-- of mail with no usable attachment, refused or malformed mail reads here.
-- message_key is the Message-ID, or "sha256:<hex>" of the raw message when
-- it has none.
CREATE TABLE intake_messages (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    mailbox         text NOT NULL,
    message_key     text NOT NULL,
    sender          text NOT NULL,
    subject         text NOT NULL,
    contractor_id   bigint REFERENCES contractors (id),
    outcome         text NOT NULL,
    detail          text NOT NULL,
    documents       integer NOT NULL DEFAULT 0,
    received_at     timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT intake_messages_key UNIQUE (message_key),
    CONSTRAINT intake_messages_outcome_known CHECK (outcome IN ('stored', 'no_documents', 'refused', 'malformed')),
    CONSTRAINT intake_messages_documents_nonnegative CHECK (documents >= 0)
);

CREATE INDEX intake_messages_outcome_idx ON intake_messages (outcome, received_at);

-- One row per file received, by either channel: which document it became
-- (the first document with the same bytes, when it was a duplicate) or why
-- it was refused. An e-mail's file is unique by message and content, which
-- makes a message seen twice change nothing.
CREATE TABLE intake_files (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel         text NOT NULL,
    contractor_id   bigint REFERENCES contractors (id),
    sender          text NOT NULL,
    message_key     text,
    file_name       text NOT NULL,
    sha256          text NOT NULL,
    size_bytes      bigint NOT NULL,
    document_id     bigint REFERENCES documents (id),
    created_document boolean NOT NULL DEFAULT false,
    refusal_code    text,
    refusal_reason  text,
    group_id        text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT intake_files_message_sha_key UNIQUE (message_key, sha256),
    CONSTRAINT intake_files_channel_known CHECK (channel IN ('upload', 'email')),
    CONSTRAINT intake_files_sha256_hex CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    CONSTRAINT intake_files_size_nonnegative CHECK (size_bytes >= 0),
    -- Either a document or a refusal, never both, never neither.
    CONSTRAINT intake_files_outcome CHECK ((document_id IS NULL) <> (refusal_code IS NULL))
);

CREATE INDEX intake_files_contractor_idx ON intake_files (contractor_id, created_at, id);
CREATE INDEX intake_files_document_idx ON intake_files (document_id);
