-- Version 2: a lease token on each claim, and a record of every publish attempt.
-- claim_token is set by claim_due and cleared when the post leaves 'publishing'; a worker must show it
-- to record a result, so one whose lease was taken over cannot overwrite the newer worker's result.
ALTER TABLE posts ADD COLUMN claim_token TEXT;

-- One row per attempt, written in the same transaction as the post's new state. excerpt is a short
-- redacted excerpt of the error (at most 200 characters), never a request or a credential.
CREATE TABLE attempts (
    id          INTEGER PRIMARY KEY,
    post_id     INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    started_at  TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    http_status INTEGER,
    excerpt     TEXT
);

CREATE INDEX attempts_post ON attempts (post_id, id);
CREATE INDEX runs_kind_finished ON runs (kind, finished_at);
