-- API tokens: bearer tokens for the HTTP API, one per integration or person.
-- Only the SHA-256 of a token is kept, so a copy of the database does not
-- hand out working tokens; the plaintext is shown once, at creation. A
-- revoked token keeps its row (and its name) so that events signed
-- "api:<name>" still name something.

CREATE TABLE api_tokens (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    name            TEXT NOT NULL,
    role            TEXT NOT NULL,
    token_sha256    TEXT NOT NULL,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f000Z', 'now')),
    revoked_at      TEXT,
    CONSTRAINT api_tokens_name_key UNIQUE (name),
    -- Authentication looks tokens up by hash through this constraint's index.
    CONSTRAINT api_tokens_sha256_key UNIQUE (token_sha256),
    CONSTRAINT api_tokens_role_known CHECK (role IN ('admin', 'service')),
    CONSTRAINT api_tokens_sha256_hex CHECK (length(token_sha256) = 64 AND token_sha256 NOT GLOB '*[^0-9a-f]*'),
    CONSTRAINT api_tokens_name_nonempty CHECK (length(name) > 0)
) STRICT;
