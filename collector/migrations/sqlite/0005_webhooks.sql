-- Webhooks: where to tell about responses (every one, or low scores only).
CREATE TABLE webhooks (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    site       TEXT NOT NULL REFERENCES sites(key) ON DELETE CASCADE,
    url        TEXT NOT NULL,
    event      TEXT NOT NULL CHECK (event IN ('response', 'low_score')),
    format     TEXT NOT NULL CHECK (format IN ('json', 'slack')),
    -- Kept in clear: the collector signs with it, so it cannot be a one-way hash.
    secret     TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

-- One delivery per webhook and response, however many sends the response took.
CREATE TABLE webhook_deliveries (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    webhook_id      INTEGER NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    response_id     TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_status     INTEGER,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    delivered_at    INTEGER,
    UNIQUE (webhook_id, response_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
