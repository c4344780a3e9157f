-- Version 4: additive only.
--   miss_after: this post's policy, in seconds late after which it is 'missed' instead of published late
--               (NULL: the SCHEDULER_MISSED_AFTER setting, default two hours).
--   late_from:  when lateness is counted from (NULL: scheduled_at). A person's `retry` or
--               `resolve --not-published` sets it to that moment: "publish it now" is never missed at once.
--   maybe_sent: 1 while an earlier attempt may have landed (timeout or lost connection after sending, a crash
--               mid-request). Such a post is resent only where that is safe, or after the account's recent
--               posts proved it absent; otherwise it waits in 'unconfirmed' for a person.
ALTER TABLE posts ADD COLUMN miss_after INTEGER;
ALTER TABLE posts ADD COLUMN late_from TEXT;
ALTER TABLE posts ADD COLUMN maybe_sent INTEGER NOT NULL DEFAULT 0;
