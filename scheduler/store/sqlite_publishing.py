"""The runner's side of the SQLite queue: enqueue, claims (one post per channel in flight), outcomes recorded
under the claim's token, saved progress, release, channel holds, and the runs it logs."""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, Callable

from scheduler.errors import LeaseLost, NotFoundError
from scheduler.redact import excerpt as redacted_excerpt
from scheduler.store import EnqueueResult, NewPost, Outcome, Post
from scheduler.store.sqlite_rows import _BLOCKED, _post, db_time, insert_new


class PublishingMixin:
    """SQLiteStore's verbs for the runner and the planner's enqueue."""

    # SQLiteStore's: the one shared connection, the lock around it, and a BEGIN IMMEDIATE transaction on it.
    _db: sqlite3.Connection
    _lock: threading.RLock
    _write: Callable[[], AbstractContextManager[sqlite3.Connection]]

    def enqueue(self, posts: list[NewPost], now: datetime) -> EnqueueResult:
        """Add the posts whose idempotency key is new, in one transaction (all or none). ``added`` holds them as
        written (not read back); each becomes a Post only when looked at, so queueing 100,000 posts to count them
        never pays for 100,000 Posts. ``existing``: the posts already queued under a key (or repeated in the batch:
        the one added)."""
        with self._write() as db:
            return insert_new(db, posts, db_time(now))

    def claim_due(self, now: datetime, lease_seconds: float, limit: int = 1) -> list[Post]:
        stamp, lease = db_time(now), db_time(now + timedelta(seconds=lease_seconds))
        params = {"now": stamp, "lease": lease, "limit": limit}
        with self._write() as db:
            # A claim abandoned on a channel that now takes no posts waits as a retry that may have been sent:
            # when the channel is back, the post is reconciled before any resend.
            db.execute(_SWEEP_BLOCKED, params)
            rows = db.execute(
                f"{_CLAIM} WHERE id IN (SELECT id FROM posts WHERE status IN ('queued', 'retry') AND due_at <= :now "
                f"AND NOT {_BLOCKED} ORDER BY due_at, id LIMIT :limit) RETURNING *", params).fetchall()
            claimed = sorted((_post(row) for row in rows), key=lambda post: (post.due_at, post.id))
            if len(claimed) < limit:  # then claims whose lease ran out: taken over, an earlier attempt may have landed
                params["limit"] = limit - len(claimed)
                rows = db.execute(
                    f"{_CLAIM} WHERE id IN (SELECT id FROM posts WHERE status = 'publishing' AND lease_until <= :now "
                    "ORDER BY lease_until LIMIT :limit) RETURNING *", params).fetchall()
                claimed += sorted((replace(_post(row), recovered=True) for row in rows), key=lambda post: post.id)
        return claimed

    def claim_next_for_channel(self, channel: str, now: datetime, lease_seconds: float) -> Post | None:
        """Claim ``channel``'s next post, or None. Never while one of its posts is publishing under a live lease (in
        any process): one post of a channel in flight at a time, in order. A claim of it whose lease ran out comes
        first (taken over: ``recovered``), then its earliest due post; nothing on a channel that takes no posts now
        (paused, needs attention, held), of a paused campaign, or a draft."""
        stamp, lease = db_time(now), db_time(now + timedelta(seconds=lease_seconds))
        params = {"now": stamp, "lease": lease, "channel": channel}
        # "+channel": not the (channel, scheduled_at) index, which walks the channel's whole history; the partial
        # indexes over claims (posts_lease) and waiting posts (posts_due) stay small.
        due = (f"SELECT id FROM posts WHERE +channel = :channel AND status IN ('queued', 'retry') AND due_at <= :now "
               f"AND NOT {_BLOCKED} ORDER BY due_at, id LIMIT 1")
        with self._lock:
            # The usual case in one statement (atomic on its own): no claim of this channel at all, live or dead.
            rows = self._db.execute(
                f"{_CLAIM} WHERE id = ({due}) AND NOT EXISTS (SELECT 1 FROM posts WHERE status = 'publishing' "
                "AND +channel = :channel) RETURNING *", params).fetchall()
            if rows:
                return _post(rows[0])
        with self._write() as db:
            held = db.execute("SELECT lease_until > :now FROM posts WHERE status = 'publishing' AND +channel = :channel",
                              params).fetchall()
            if any(live for live, in held):
                return None
            if held:  # only a dead worker's claim: the sweep runs only when there is one
                db.execute(f"{_SWEEP_BLOCKED} AND +channel = :channel", params)
                rows = db.execute(
                    f"{_CLAIM} WHERE id = (SELECT id FROM posts WHERE status = 'publishing' AND lease_until <= :now "
                    "AND +channel = :channel ORDER BY lease_until, id LIMIT 1) RETURNING *", params).fetchall()
                if rows:
                    return replace(_post(rows[0]), recovered=True)
            rows = db.execute(f"{_CLAIM} WHERE id = ({due}) RETURNING *", params).fetchall()
        return _post(rows[0]) if rows else None

    def due_channels(self, now: datetime) -> list[str]:
        """Channels with a post to publish now (due and claimable, or a claim whose lease ran out), the one with
        the earliest such post first. A channel busy in another worker is listed too: claim_next_for_channel decides."""
        stamp = db_time(now)
        with self._lock:
            rows = self._db.execute(
                "SELECT channel, MIN(t) FROM ("
                f"SELECT channel, due_at AS t FROM posts WHERE status IN ('queued', 'retry') AND due_at <= :now "
                f"AND NOT {_BLOCKED} UNION ALL SELECT channel, lease_until FROM posts WHERE status = 'publishing' "
                "AND lease_until <= :now) GROUP BY channel ORDER BY MIN(t), channel", {"now": stamp}).fetchall()
        return [row[0] for row in rows]

    def channel_holder(self, channel: str, now: datetime) -> int | None:
        """The id of ``channel``'s post that a worker (of any process) is publishing under a live lease, or None."""
        with self._lock:
            row = self._db.execute("SELECT id FROM posts WHERE status = 'publishing' AND +channel = ? AND lease_until > ? "
                                   "LIMIT 1", (channel, db_time(now))).fetchone()
        return row[0] if row else None

    def record_result(self, post_id: int, claim_token: str, outcome: Outcome, now: datetime) -> Post:
        """Apply a worker's outcome and log the attempt, in one transaction; LeaseLost if the claim is no longer
        this worker's (the attempt is still logged, as 'lease-lost', and the post is left to its new holder)."""
        stamp = db_time(now)
        with self._write() as db:
            # One statement: the outcome applies only while this token still holds the claim.
            rows = db.execute(_RECORD, (*_outcome_values(outcome, stamp), post_id, claim_token or "")).fetchall()
            if rows:
                _insert_attempt(db, post_id, outcome, now, lost=False)
                _apply_to_channel(db, rows[0]["channel"], outcome, stamp, rows[0]["channel_hold_until"])
                return _post(rows[0])
            problem = _lease_problem(db, post_id, claim_token) or f"post {post_id}: its lease was lost"
            _insert_attempt(db, post_id, outcome, now, lost=True)
        raise LeaseLost(problem)

    def save_progress(self, post_id: int, claim_token: str, progress: dict[str, Any], now: datetime) -> None:
        """Remember a publisher's step (a created container) before its next request; LeaseLost if not the holder."""
        with self._lock:
            # One statement (atomic on its own): saved only while this token holds the claim; why not, only if not.
            saved = self._db.execute(
                "UPDATE posts SET progress = ?, updated_at = ? WHERE id = ? AND status = 'publishing' AND claim_token = ?",
                (json.dumps(progress, ensure_ascii=False), db_time(now), post_id, claim_token or "")).rowcount
            problem = None if saved else _lease_problem(self._db, post_id, claim_token) or f"post {post_id}: its lease was lost"
        if problem is not None:
            raise LeaseLost(problem)

    def release(self, post_id: int, claim_token: str, now: datetime) -> None:
        """Give a claimed post back untouched (shutdown before it was sent); LeaseLost if the claim is gone."""
        with self._write() as db:
            problem = _lease_problem(db, post_id, claim_token)
            if problem is None:
                db.execute(
                    "UPDATE posts SET status = CASE WHEN attempts > 0 THEN 'retry' ELSE 'queued' END, lease_until = NULL, "
                    "claim_token = NULL, updated_at = ? WHERE id = ?",
                    (db_time(now), post_id),
                )
        if problem is not None:
            raise LeaseLost(problem)

    # -- runs, which `doctor` reports -----------------------------------------------------------

    def start_run(self, kind: str, now: datetime) -> int:
        with self._write() as db:
            return db.execute("INSERT INTO runs (kind, started_at) VALUES (?, ?)", (kind, db_time(now))).lastrowid

    def finish_run(self, run_id: int, outcome: str, now: datetime) -> None:
        with self._write() as db:
            db.execute("UPDATE runs SET finished_at = ?, outcome = ? WHERE id = ?", (db_time(now), outcome, run_id))


def _lease_problem(db: sqlite3.Connection, post_id: int, claim_token: str) -> str | None:
    """Why this token no longer holds the post's claim, or None when it does."""
    row = db.execute("SELECT status, claim_token FROM posts WHERE id = ?", (post_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"no post with id {post_id}")
    if row["status"] != "publishing":
        return f"post {post_id} is {row['status']}, not publishing: its lease was lost"
    if not claim_token or not secrets.compare_digest(row["claim_token"] or "", claim_token):
        return f"post {post_id} was taken over by another worker after its lease expired: this result is not recorded"
    return None


_CLAIM = ("UPDATE posts SET status = 'publishing', lease_until = :lease, claim_token = lower(hex(randomblob(16))), "
          "updated_at = :now")
_SWEEP_BLOCKED = ("UPDATE posts SET status = 'retry', maybe_sent = 1, lease_until = NULL, claim_token = NULL, updated_at = :now "
                  f"WHERE status = 'publishing' AND lease_until <= :now AND {_BLOCKED}")
_RECORD = (
    "UPDATE posts SET status = ?, lease_until = NULL, claim_token = NULL, attempts = attempts + ?, remote_id = ?, "
    "remote_url = ?, error = ?, due_at = COALESCE(?, due_at), published_at = ?, maybe_sent = COALESCE(?, maybe_sent), "
    "updated_at = ? WHERE id = ? AND status = 'publishing' AND claim_token = ? "
    # and the channel's hold, read in the same statement: a published post clears a hold only when there is one
    "RETURNING *, (SELECT hold_until FROM channels c WHERE c.name = posts.channel) AS channel_hold_until"
)


def _outcome_values(outcome: Outcome, stamp: str) -> tuple[Any, ...]:
    maybe_sent = None if outcome.maybe_sent is None else int(outcome.maybe_sent)
    if outcome.status == "published":
        maybe_sent = 0
    return (outcome.status, 1 if outcome.count_attempt else 0, outcome.remote_id, outcome.remote_url, outcome.error,
            db_time(outcome.retry_at) if outcome.retry_at else None, stamp if outcome.status == "published" else None,
            maybe_sent, stamp)


def _apply_to_channel(db: sqlite3.Connection, channel: str, outcome: Outcome, stamp: str, hold: str | None) -> None:
    """What an outcome does to its channel: bad credentials, a hold (a rate limit's, or a published post's pacing
    hint), or a run-out hold forgotten.
    ``hold``: the channel's hold_until as read in this transaction (None: no hold, the usual case)."""
    if outcome.channel_attention is not None:
        db.execute("INSERT INTO channels (name, state, reason, updated_at) VALUES (?, 'needs_attention', ?, ?) "
                   "ON CONFLICT (name) DO UPDATE SET state = CASE WHEN state = 'paused' THEN state ELSE 'needs_attention' END, "
                   "reason = excluded.reason, updated_at = excluded.updated_at",
                   (channel, redacted_excerpt(outcome.channel_attention), stamp))
    elif outcome.hold_channel_until is not None:
        until = db_time(outcome.hold_channel_until)
        db.execute("INSERT INTO channels (name, state, hold_until, reason, updated_at) VALUES (?, 'active', ?, ?, ?) "
                   "ON CONFLICT (name) DO UPDATE SET hold_until = MAX(COALESCE(hold_until, ''), excluded.hold_until), "
                   "reason = excluded.reason, updated_at = excluded.updated_at",
                   (channel, until, redacted_excerpt(outcome.hold_reason or outcome.error), stamp))
    elif outcome.status == "published" and hold is not None and hold <= stamp:
        # a hold that has run out is forgotten once the channel publishes again
        db.execute("UPDATE channels SET hold_until = NULL, reason = CASE WHEN state = 'active' THEN NULL ELSE reason END, "
                   "updated_at = ? WHERE name = ? AND hold_until IS NOT NULL AND hold_until <= ?", (stamp, channel, stamp))


def _insert_attempt(db: sqlite3.Connection, post_id: int, outcome: Outcome, now: datetime, lost: bool) -> None:
    text = outcome.excerpt if outcome.excerpt is not None else outcome.error
    if lost:  # keep what the late worker saw: it may have published, which a person may need to know
        seen = f"{outcome.status}" + (f" as {outcome.remote_id}" if outcome.remote_id else "")
        text = f"result not recorded (would have been {seen})" + (f": {text}" if text else "")
    db.execute(
        "INSERT INTO attempts (post_id, started_at, finished_at, outcome, http_status, excerpt) VALUES (?, ?, ?, ?, ?, ?)",
        (post_id, db_time(outcome.started_at or now), db_time(now), "lease-lost" if lost else outcome.status,
         outcome.http_status, redacted_excerpt(text)),
    )
