-- Version 3: room for the states later features need, per-post publisher progress, and channels.
-- SQLite cannot alter a CHECK constraint, so posts is rebuilt (the store turns foreign keys off
-- around migrations and checks them afterwards).
--   missed:  too late to publish under the campaign's policy
--   draft:   waiting for approval before it may be published
--   progress: what a publisher must remember between attempts (JSON; e.g. a created media container),
--             so an interrupted publish is completed rather than repeated. Never a credential.
CREATE TABLE posts_v3 (
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
                    CHECK (status IN ('draft', 'queued', 'publishing', 'published', 'retry', 'unconfirmed',
                                      'failed', 'missed', 'cancelled')),
    due_at          TEXT NOT NULL,
    lease_until     TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    remote_id       TEXT,
    remote_url      TEXT,
    published_at    TEXT,
    error           TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    claim_token     TEXT,
    progress        TEXT,
    approved_by     TEXT,
    approved_at     TEXT
);

INSERT INTO posts_v3 (id, campaign, channel, platform, kind, item, template, scheduled_at, local_time, zone, text,
                      payload, length, length_limit, idempotency_key, status, due_at, lease_until, attempts,
                      remote_id, remote_url, published_at, error, created_at, updated_at, claim_token)
SELECT id, campaign, channel, platform, kind, item, template, scheduled_at, local_time, zone, text,
       payload, length, length_limit, idempotency_key, status, due_at, lease_until, attempts,
       remote_id, remote_url, published_at, error, created_at, updated_at, claim_token
FROM posts;

DROP TABLE posts;
ALTER TABLE posts_v3 RENAME TO posts;

CREATE INDEX posts_due ON posts (due_at) WHERE status IN ('queued', 'retry');
CREATE INDEX posts_lease ON posts (lease_until) WHERE status = 'publishing';
CREATE INDEX posts_channel_slot ON posts (channel, scheduled_at);

-- One row per channel that has a state of its own: paused by a person, held by a rate limit
-- until hold_until, or needing attention (bad credentials). A channel without a row is active.
CREATE TABLE channels (
    name        TEXT PRIMARY KEY,
    state       TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'paused', 'needs_attention')),
    hold_until  TEXT,
    reason      TEXT,
    updated_at  TEXT NOT NULL
);
