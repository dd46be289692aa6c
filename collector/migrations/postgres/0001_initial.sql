-- The same schema as migrations/sqlite/0001_initial.sql, in PostgreSQL's types. Integers are BIGINT
-- throughout so both engines decode to the same Rust types.

-- Sites: each store that embeds the widget, under its public key.
CREATE TABLE sites (
    key             TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    -- JSON array of origins allowed to post answers; "http://localhost:*" allows any port.
    allowed_origins TEXT NOT NULL DEFAULT '[]',
    created_at      BIGINT NOT NULL
);

-- Question sets, one immutable row per version: answers point at the exact version they answered.
CREATE TABLE question_sets (
    id          BIGSERIAL PRIMARY KEY,
    site        TEXT NOT NULL REFERENCES sites(key),
    stage       TEXT NOT NULL,
    version     BIGINT NOT NULL,
    -- The survey::QuestionSet as JSON.
    definition  TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('draft', 'published', 'archived')),
    created_at  BIGINT NOT NULL,
    UNIQUE (site, stage, version)
);

-- One row per shopper response, keyed by the client-made id (the idempotency key).
CREATE TABLE responses (
    id                   TEXT PRIMARY KEY,
    site                 TEXT NOT NULL REFERENCES sites(key),
    stage                TEXT NOT NULL,
    question_set_id      BIGINT NOT NULL REFERENCES question_sets(id),
    question_set_version BIGINT NOT NULL,
    locale               TEXT,
    order_ref            TEXT,
    -- Everything the store passed with the stage, as a JSON object.
    context              TEXT NOT NULL DEFAULT '{}',
    completed            BOOLEAN NOT NULL DEFAULT FALSE,
    -- Unix time in milliseconds, UTC.
    received_at          BIGINT NOT NULL,
    updated_at           BIGINT NOT NULL
);
CREATE INDEX responses_by_site_stage_time ON responses (site, stage, received_at);
CREATE INDEX responses_by_order ON responses (site, order_ref) WHERE order_ref IS NOT NULL;

-- One row per answered question; scores and texts have columns of their own for reports.
CREATE TABLE answers (
    response_id TEXT NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
    question    TEXT NOT NULL,
    kind        TEXT NOT NULL,
    score       BIGINT,
    text        TEXT,
    -- The answer exactly as sent (a JSON value).
    value       TEXT NOT NULL,
    PRIMARY KEY (response_id, question)
);
