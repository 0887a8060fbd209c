-- API tokens: bearer tokens for the HTTP API, one per integration or person.
-- Only the SHA-256 of a token is kept, so a copy of the database does not
-- hand out working tokens; the plaintext is shown once, at creation. A
-- revoked token keeps its row (and its name) so that events signed
-- "api:<name>" still name something.

CREATE TABLE api_tokens (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name            text NOT NULL,
    role            text NOT NULL,
    token_sha256    text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    revoked_at      timestamptz,
    CONSTRAINT api_tokens_name_key UNIQUE (name),
    -- Authentication looks tokens up by hash through this constraint's index.
    CONSTRAINT api_tokens_sha256_key UNIQUE (token_sha256),
    CONSTRAINT api_tokens_role_known CHECK (role IN ('admin', 'service')),
    CONSTRAINT api_tokens_sha256_hex CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
    CONSTRAINT api_tokens_name_nonempty CHECK (length(name) > 0)
);
