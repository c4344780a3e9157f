-- Version 1: the post queue and a log of publishing runs.
-- Times are UTC text 'YYYY-MM-DDTHH:MM:SS.ffffffZ' so they sort and compare as strings.
CREATE TABLE posts (
    id              INTEGER PRIMARY KEY,
    campaign        TEXT,
    channel         TEXT NOT NULL,
    platform        TEXT NOT NULL,
    kind            TEXT NOT NULL DEFAULT 'manual',
    item            TEXT,
    template        TEXT,
    scheduled_at    TEXT NOT NULL,
    local_time      TEXT NOT NULL,
    zone            TEXT NOT NULL,
    text            TEXT NOT NULL,
    payload         TEXT NOT NULL,
    length          INTEGER NOT NULL,
    length_limit    INTEGER NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    status          TEXT NOT NULL DEFAULT 'queued'
                    CHECK (status IN ('queued', 'publishing', 'published', 'retry', 'unconfirmed', 'failed', 'cancelled')),
    due_at          TEXT NOT NULL,
    lease_until     TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    remote_id       TEXT,
    remote_url      TEXT,
    published_at    TEXT,
    error           TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

-- The due query of every cron run: only waiting posts are indexed, so a million future posts cost one seek.
-- (No index on status alone: without statistics SQLite would prefer it and sort every waiting post.)
CREATE INDEX posts_due ON posts (due_at) WHERE status IN ('queued', 'retry');
CREATE INDEX posts_lease ON posts (lease_until) WHERE status = 'publishing';
CREATE INDEX posts_channel_slot ON posts (channel, scheduled_at);

CREATE TABLE runs (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    outcome     TEXT
);
