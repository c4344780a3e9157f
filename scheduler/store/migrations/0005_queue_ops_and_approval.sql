-- Version 5: additive only. A person's queue operations and approval.
--   requires_approval: 1 when the post's campaign requires approval (`approval = true`): the post enters as
--                      'draft', and an edit of an approved post returns it to 'draft' (approved_by/approved_at,
--                      added in version 3, are then cleared: the approval was for the old text).
--   paused_campaigns:  one row per campaign a person paused; its posts are not claimed until `resume --campaign`.
--                      (A channel's pause is the channels row's state 'paused', from version 3.)
ALTER TABLE posts ADD COLUMN requires_approval INTEGER NOT NULL DEFAULT 0;

CREATE TABLE paused_campaigns (
    name       TEXT PRIMARY KEY,
    paused_at  TEXT NOT NULL
);

