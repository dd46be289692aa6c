-- Admin API tokens, stored as SHA-256 hashes: a leaked database does not leak usable tokens.
CREATE TABLE admin_tokens (
    id         BIGSERIAL PRIMARY KEY,
    name       TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    -- The one site the token may touch; NULL for every site (and creating sites).
    site       TEXT REFERENCES sites(key),
    created_at BIGINT NOT NULL
);
