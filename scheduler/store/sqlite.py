"""SQLite backend: WAL, numbered migrations, and claims inside BEGIN IMMEDIATE transactions."""

from __future__ import annotations

import json
import logging
import random
import secrets
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from importlib import resources
from pathlib import Path
from typing import Any, Iterator
from zoneinfo import ZoneInfo

from scheduler.errors import InvalidState, LeaseLost, NotFoundError, StoreError
from scheduler.redact import excerpt as redacted_excerpt
from scheduler.store import (STATUSES, Attempt, Change, ChannelState, EnqueueResult, NewPost, Outcome, Post, RunInfo,
                             parse_utc)

log = logging.getLogger(__name__)

# What a person may do to a post in each state (publishing belongs to its worker; published is final).
CANCELLABLE = ("draft", "queued", "retry", "failed", "unconfirmed", "missed", "cancelled")  # cancelling twice changes nothing
RETRYABLE = ("failed", "unconfirmed", "missed", "cancelled")

# The queue operations (each one transaction). A post's slot is moved only while it waits for its slot:
# queued or draft (retry posts keep their backoff; `reschedule` may still set one's time).
SLOTTED = ("queued", "draft")
RESCHEDULABLE = ("draft", "queued", "retry", "missed", "cancelled")  # missed and cancelled ones wait again
EDITABLE = ("draft", "queued", "retry", "failed", "missed", "cancelled")  # never one that may be on the network

# A post of a channel in this condition is not claimed: paused by a person, needing attention (bad credentials),
# or held by a rate limit until hold_until; nor a post of a campaign a person paused. ``c`` is the channels row,
# ``:now`` the claim's time. Both are correlated lookups by primary key: the due query stays on posts_due.
_CAMPAIGN_PAUSED = "EXISTS (SELECT 1 FROM paused_campaigns pc WHERE pc.name = posts.campaign)"
_BLOCKED = ("(EXISTS (SELECT 1 FROM channels c WHERE c.name = posts.channel AND "
            "(c.state != 'active' OR (c.hold_until IS NOT NULL AND c.hold_until > :now))) "
            f"OR {_CAMPAIGN_PAUSED})")
RESOLVABLE = ("unconfirmed",)


def db_time(moment: datetime) -> str:
    """Fixed-width UTC text, so that string order is time order."""
    if moment.tzinfo is None:
        raise ValueError("times stored in the queue must be aware")
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def migrations() -> list[tuple[int, str]]:
    folder = resources.files("scheduler.store") / "migrations"
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            found.append((int(entry.name.split("_", 1)[0]), entry.read_text(encoding="utf-8")))
    return sorted(found)


class SQLiteStore:
    def __init__(self, path: str) -> None:
        self.path = path
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # One connection, shared by the runner's worker threads: a transaction (and a read) holds this lock.
        self._lock = threading.RLock()
        # Autocommit mode: every transaction below is opened explicitly, so none is left implicit.
        self._db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as error:
            self._db.close()
            raise StoreError(f"cannot read the queue database {path}: {error}") from None

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        # IMMEDIATE takes the write lock up front: two claimers cannot both read the same due row. The thread lock
        # keeps another thread's statements out of this transaction.
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _migrate(self) -> None:
        latest = migrations()[-1][0]
        if self.schema_version() >= latest:
            return  # the usual case: no write lock taken just to look
        # A migration may rebuild a table (SQLite's way to change a CHECK): foreign keys must be off
        # for that, and the pragma only takes effect outside a transaction.
        self._db.execute("PRAGMA foreign_keys=OFF")
        try:
            with self._write() as db:
                current = db.execute("PRAGMA user_version").fetchone()[0]
                for version, script in migrations():
                    if version > current:
                        log.info("applying schema migration %s to %s", version, self.path)
                        for statement in _statements(script):
                            db.execute(statement)
                        db.execute(f"PRAGMA user_version = {version:d}")
                broken = db.execute("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise StoreError(f"the migrated database has {len(broken)} broken references; nothing was changed")
        finally:
            self._db.execute("PRAGMA foreign_keys=ON")

    def schema_version(self) -> int:
        return self._db.execute("PRAGMA user_version").fetchone()[0]

    # -- the verbs -----------------------------------------------------------------------------

    def enqueue(self, posts: list[NewPost], now: datetime) -> EnqueueResult:
        """Add the posts whose idempotency key is new, in one transaction (all or none). ``added`` holds them as
        written (not read back); each becomes a Post only when looked at, so queueing 100,000 posts to count them
        never pays for 100,000 Posts. ``existing``: the posts already queued under a key (or repeated in the batch:
        the one added)."""
        stamp = db_time(now)
        values = _InsertValues(stamp)
        result = EnqueueResult()
        with self._write() as db:
            known: dict[str, sqlite3.Row] = {}
            keys = list(dict.fromkeys(post.idempotency_key for post in posts))
            for start in range(0, len(keys), 500):
                chunk = keys[start:start + 500]
                marks = ",".join("?" * len(chunk))
                for row in db.execute(f"SELECT * FROM posts WHERE idempotency_key IN ({marks})", chunk):
                    known[row["idempotency_key"]] = row
            base = db.execute("SELECT COALESCE(MAX(id), 0) FROM posts").fetchone()[0]
            rows, repeated, added = [], [], {}
            for post in posts:
                key = post.idempotency_key
                if key in known:
                    result.existing.append(_post(known[key]))
                elif key in added:
                    repeated.append(key)
                else:
                    added[key] = base + len(rows) + 1  # explicit ids: consecutive, so read back as one range
                    rows.append(values(added[key], post))
            if rows:
                db.executemany(_INSERT_WITH_ID, rows)
                result.added = _StoredPosts(rows)
                for key in repeated:
                    result.existing.append(_written_post(rows[added[key] - base - 1]))
        return result

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
                _apply_to_channel(db, rows[0]["channel"], outcome, stamp)
                return _post(rows[0])
            problem = _lease_problem(db, post_id, claim_token) or f"post {post_id}: its lease was lost"
            _insert_attempt(db, post_id, outcome, now, lost=True)
        raise LeaseLost(problem)

    def save_progress(self, post_id: int, claim_token: str, progress: dict[str, Any], now: datetime) -> None:
        """Remember a publisher's step (a created container) before its next request; LeaseLost if not the holder."""
        with self._write() as db:
            problem = _lease_problem(db, post_id, claim_token)
            if problem is None:
                db.execute("UPDATE posts SET progress = ?, updated_at = ? WHERE id = ?",
                           (json.dumps(progress, ensure_ascii=False), db_time(now), post_id))
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

    # -- a person's operations on one post -----------------------------------------------------

    def cancel(self, post_id: int, now: datetime) -> Post:
        with self._write() as db:
            _require_status(db, post_id, CANCELLABLE, "cancel")
            db.execute("UPDATE posts SET status = 'cancelled', lease_until = NULL, claim_token = NULL, updated_at = ? "
                       "WHERE id = ?", (db_time(now), post_id))
        return self.get(post_id)

    def retry(self, post_id: int, now: datetime) -> Post:
        """Due now with a fresh retry budget; the earlier errors stay in the attempts table (the last one on the post)."""
        with self._write() as db:
            _require_status(db, post_id, RETRYABLE, "retry")
            _make_due(db, post_id, now)
            # A post whose campaign requires approval and that has none standing (a cancelled draft, an edited
            # post) is due now only once approved: it waits as a draft.
            db.execute("UPDATE posts SET status = 'draft' WHERE id = ? AND requires_approval = 1 AND approved_by IS NULL",
                       (post_id,))
        return self.get(post_id)

    def resolve(self, post_id: int, published_url: str | None, now: datetime) -> Post:
        """A person checked the account: the post is there (at ``published_url``) or it is not (None: due now)."""
        stamp = db_time(now)
        with self._write() as db:
            _require_status(db, post_id, RESOLVABLE, "resolve")
            if published_url is None:
                _make_due(db, post_id, now)
            else:
                db.execute("UPDATE posts SET status = 'published', remote_url = ?, published_at = ?, error = NULL, "
                           "lease_until = NULL, claim_token = NULL, maybe_sent = 0, updated_at = ? WHERE id = ?",
                           (published_url, stamp, stamp, post_id))
        return self.get(post_id)

    # -- channels ------------------------------------------------------------------------------

    def channel_states(self) -> list[ChannelState]:
        """Every channel with a state of its own, with the number of its posts waiting (queued or retry)."""
        rows = self._db.execute(
            "SELECT c.*, (SELECT COUNT(*) FROM posts p WHERE p.channel = c.name AND p.status IN ('queued', 'retry')) "
            "AS waiting FROM channels c ORDER BY c.name").fetchall()
        return [_channel(row) for row in rows]

    def clear_channel(self, channel: str, now: datetime) -> ChannelState:
        """A person fixed the channel's credentials: it is active again, any hold lifted; its waiting posts go out
        as they fall due. Refused for a channel that is paused (a person's pause is lifted by whoever set it)."""
        with self._write() as db:
            row = db.execute("SELECT state FROM channels WHERE name = ?", (channel,)).fetchone()
            if row is None:
                raise InvalidState(f"channel {channel!r} does not need attention: it is active")
            if row["state"] == "paused":
                raise InvalidState(f"channel {channel!r} is paused by a person, not waiting for attention")
            db.execute("UPDATE channels SET state = 'active', hold_until = NULL, reason = NULL, updated_at = ? "
                       "WHERE name = ?", (db_time(now), channel))
        return next(state for state in self.channel_states() if state.name == channel)

    # -- a person's queue operations: each is one transaction and returns what changed -----------

    def pause_channel(self, channel: str, now: datetime) -> tuple[ChannelState | None, ChannelState]:
        """Its posts wait (none is claimed) until `resume`. Pausing twice changes nothing. A channel needing
        attention keeps its reason; resuming it makes it active (a bad credential then shows again)."""
        with self._write() as db:
            before = _channel_state(db, channel)
            if before is None or before.state != "paused":
                db.execute("INSERT INTO channels (name, state, reason, updated_at) VALUES (?, 'paused', 'paused by a person', ?) "
                           "ON CONFLICT (name) DO UPDATE SET state = 'paused', updated_at = excluded.updated_at",
                           (channel, db_time(now)))
            after = _channel_state(db, channel)
        return before, after

    def resume_channel(self, channel: str, now: datetime) -> tuple[ChannelState | None, ChannelState | None]:
        """A paused channel is active again; its waiting posts go out as they fall due (a rate-limit hold stays).
        Resuming a channel that is not paused changes nothing; one that needs attention is refused."""
        with self._write() as db:
            before = _channel_state(db, channel)
            if before is not None and before.state == "needs_attention":
                raise InvalidState(f"channel {channel!r} is not paused: it needs attention ({before.reason}); "
                                   f"fix it, then `retry --channel {channel}`")
            if before is not None and before.state == "paused":
                db.execute("UPDATE channels SET state = 'active', reason = NULL, updated_at = ? WHERE name = ?",
                           (db_time(now), channel))
            after = _channel_state(db, channel)
        return before, after

    def pause_campaign(self, campaign: str, now: datetime) -> tuple[bool, int]:
        """(whether this paused it, its posts now waiting). NotFoundError for a campaign with no posts."""
        with self._write() as db:
            waiting = _campaign_waiting(db, campaign)
            cursor = db.execute("INSERT OR IGNORE INTO paused_campaigns (name, paused_at) VALUES (?, ?)",
                                (campaign, db_time(now)))
        return cursor.rowcount > 0, waiting

    def resume_campaign(self, campaign: str, now: datetime) -> tuple[bool, int]:
        """(whether this resumed it, its posts waiting, which now go out as they fall due)."""
        with self._write() as db:
            cursor = db.execute("DELETE FROM paused_campaigns WHERE name = ?", (campaign,))
            if cursor.rowcount == 0:
                _campaign_waiting(db, campaign)  # an unknown campaign is an error, a running one a no-op
            waiting = db.execute("SELECT COUNT(*) FROM posts WHERE campaign = ? AND status IN ('queued', 'retry')",
                                 (campaign,)).fetchone()[0]
        return cursor.rowcount > 0, waiting

    def paused_campaigns(self) -> list[str]:
        return [row[0] for row in self._db.execute("SELECT name FROM paused_campaigns ORDER BY name")]

    def shuffle(self, channel: str | None, now: datetime, rng: random.Random) -> list[Change]:
        """Randomly permute each channel's waiting posts (queued or draft, slot after ``now``) over the slots they
        occupy: the slots stay, the posts trade places. ``channel`` None: every channel, each within itself."""
        stamp = db_time(now)
        changes: list[Change] = []
        with self._write() as db:
            if channel is None:
                names = [row[0] for row in db.execute(
                    f"SELECT DISTINCT channel FROM posts WHERE status IN {SLOTTED} AND scheduled_at > ? ORDER BY channel",
                    (stamp,))]
            else:
                names = [channel]
            for name in names:
                pool = _pool(db, name, stamp)
                slots = [post.scheduled_at for post in pool]
                order = list(pool)
                rng.shuffle(order)
                moved = [(post, slot) for post, slot in zip(order, slots) if post.scheduled_at != slot]
                for post, slot in moved:
                    _set_slot(db, post, slot, stamp)
                changes.extend(Change(post, _read(db, post.id)) for post, _ in sorted(moved, key=lambda m: m[1]))
        return changes

    def move(self, post_id: int, to: str | datetime, now: datetime) -> list[Change]:
        """``to`` 'top' or 'bottom': swap slots with the channel's earliest (latest) waiting post, nothing else moves.
        ``to`` a time: the post takes that slot, which must be after ``now`` and free on its channel."""
        stamp = db_time(now)
        with self._write() as db:
            _require_status(db, post_id, SLOTTED, "move")
            post = _read(db, post_id)
            if isinstance(to, datetime):
                _require_free(db, post, to, now)
                _set_slot(db, post, to, stamp)
                return [Change(post, _read(db, post_id))]
            if to not in ("top", "bottom"):
                raise ValueError(f"move to 'top', 'bottom' or a time, not {to!r}")
            pool = _pool(db, post.channel, stamp)
            if post.id not in {other.id for other in pool}:
                raise InvalidState(f"cannot move post {post_id} to the {to}: its slot has passed; give it a time with --to")
            other = pool[0] if to == "top" else pool[-1]
            if other.id == post.id or other.scheduled_at == post.scheduled_at:
                return []
            _set_slot(db, post, other.scheduled_at, stamp)
            _set_slot(db, other, post.scheduled_at, stamp)
            return [Change(post, _read(db, post.id)), Change(other, _read(db, other.id))]

    def reschedule(self, post_id: int, at: datetime, now: datetime, zone: str | None = None) -> Change:
        """The post's time becomes ``at`` (after ``now``; other posts at that time are not moved), its local intent
        in ``zone`` (a re-planned channel's new zone; None: the post's own). A missed or cancelled post waits
        again: queued, or draft when its campaign requires approval and it has none."""
        with self._write() as db:
            status = _require_status(db, post_id, RESCHEDULABLE, "reschedule")
            if at <= now:
                raise InvalidState(f"cannot reschedule post {post_id} to {at.isoformat()}: that is not in the future")
            post = _read(db, post_id)
            if zone is not None and zone != post.zone:
                ZoneInfo(zone)  # an unknown zone fails here, before anything is written
                db.execute("UPDATE posts SET zone = ? WHERE id = ?", (zone, post_id))
                post_in_zone = replace(post, zone=zone)
            else:
                post_in_zone = post
            _set_slot(db, post_in_zone, at, db_time(now))
            if status in ("missed", "cancelled"):
                db.execute("UPDATE posts SET status = CASE WHEN requires_approval = 1 AND approved_by IS NULL "
                           "THEN 'draft' ELSE 'queued' END, attempts = 0 WHERE id = ?", (post_id,))
            return Change(post, _read(db, post_id))

    def edit(self, post_id: int, text: str, payload: dict[str, Any], length: int, limit: int, now: datetime) -> Change:
        """Replace the text with one the caller compiled (``payload``, ``length``, ``limit``) for the post's platform.
        Refused for a post that is, or may be, on the network. A publisher's saved progress is dropped (it was
        for the old text). When the post's campaign requires approval, any approval is withdrawn and a waiting
        or stopped post returns to draft (a cancelled one stays cancelled)."""
        with self._write() as db:
            _require_status(db, post_id, EDITABLE, "edit")
            post = _read(db, post_id)
            if post.maybe_sent:
                raise InvalidState(f"cannot edit post {post_id}: an earlier attempt may have landed with the old text; "
                                   "check the account and `resolve` it first")
            if text == post.text:
                return Change(post, post)
            db.execute("UPDATE posts SET text = ?, payload = ?, length = ?, length_limit = ?, progress = NULL, "
                       "updated_at = ? WHERE id = ?",
                       (text, json.dumps(payload, ensure_ascii=False), length, limit, db_time(now), post_id))
            if post.requires_approval:
                db.execute("UPDATE posts SET approved_by = NULL, approved_at = NULL, "
                           "status = CASE WHEN status = 'cancelled' THEN status ELSE 'draft' END WHERE id = ?", (post_id,))
            return Change(post, _read(db, post_id))

    def approve(self, post_ids: list[int] | None, campaign: str | None, by: str, now: datetime) -> list[Change]:
        """draft -> queued, recording who and when. ``post_ids`` None: every draft (of ``campaign``, if given);
        otherwise each must be a draft (of ``campaign``, if given), or nothing is approved."""
        stamp = db_time(now)
        with self._write() as db:
            if post_ids is None:
                where, params = "status = 'draft'", []
                if campaign is not None:
                    where, params = where + " AND campaign = ?", [campaign]
                post_ids = [row[0] for row in db.execute(f"SELECT id FROM posts WHERE {where} ORDER BY scheduled_at, id",
                                                         params)]
            changes = []
            for post_id in dict.fromkeys(post_ids):
                _require_status(db, post_id, ("draft",), "approve")
                post = _read(db, post_id)
                if campaign is not None and post.campaign != campaign:
                    raise InvalidState(f"cannot approve post {post_id}: it is of campaign {post.campaign!r}, "
                                       f"not {campaign!r}")
                db.execute("UPDATE posts SET status = 'queued', approved_by = ?, approved_at = ?, updated_at = ? "
                           "WHERE id = ?", (by, stamp, stamp, post_id))
                changes.append(Change(post, _read(db, post_id)))
        return changes

    # -- reads ---------------------------------------------------------------------------------

    def get(self, post_id: int) -> Post:
        row = self._db.execute("SELECT * FROM posts WHERE id = ?", (post_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no post with id {post_id}")
        return _post(row)

    def list_posts(self, status: str | None = None, channel: str | None = None) -> list[Post]:
        clauses, params = [], []
        if status:
            clauses.append("status = ?")
            params.append(status)
        if channel:
            clauses.append("channel = ?")
            params.append(channel)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self._db.execute(f"SELECT * FROM posts {where} ORDER BY scheduled_at, id", params).fetchall()
        return [_post(row) for row in rows]

    def existing_keys(self, keys: list[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(f"SELECT idempotency_key FROM posts WHERE idempotency_key IN ({marks})", chunk)
            found.update(row[0] for row in rows)
        return found

    def taken_slots(self, channel: str) -> set[datetime]:
        rows = self._db.execute(
            "SELECT scheduled_at FROM posts WHERE channel = ? AND status != 'cancelled'", (channel,)
        ).fetchall()
        return {parse_utc(row[0]) for row in rows}

    def next_due_at(self) -> datetime | None:
        """The next moment a post can be claimed: channels paused or needing attention and paused campaigns never,
        held channels at the hold's end."""
        row = self._db.execute(
            "SELECT MIN(t) FROM ("
            "SELECT MIN(due_at) AS t FROM posts WHERE status IN ('queued', 'retry') AND NOT EXISTS "
            "(SELECT 1 FROM channels c WHERE c.name = posts.channel AND (c.state != 'active' OR c.hold_until IS NOT NULL)) "
            f"AND NOT {_CAMPAIGN_PAUSED} "
            "UNION ALL SELECT MIN(MAX(c.hold_until, (SELECT MIN(p.due_at) FROM posts p WHERE p.channel = c.name "
            "AND p.status IN ('queued', 'retry') AND NOT EXISTS (SELECT 1 FROM paused_campaigns pc "
            "WHERE pc.name = p.campaign)))) FROM channels c WHERE c.state = 'active' AND c.hold_until IS NOT NULL "
            "UNION ALL SELECT MIN(lease_until) FROM posts WHERE status = 'publishing')"
        ).fetchone()
        return parse_utc(row[0]) if row and row[0] else None

    def start_run(self, kind: str, now: datetime) -> int:
        with self._write() as db:
            return db.execute("INSERT INTO runs (kind, started_at) VALUES (?, ?)", (kind, db_time(now))).lastrowid

    def finish_run(self, run_id: int, outcome: str, now: datetime) -> None:
        with self._write() as db:
            db.execute("UPDATE runs SET finished_at = ?, outcome = ? WHERE id = ?", (db_time(now), outcome, run_id))

    # -- health, for `doctor` ------------------------------------------------------------------

    def attempts_of(self, post_id: int) -> list[Attempt]:
        rows = self._db.execute("SELECT * FROM attempts WHERE post_id = ? ORDER BY id", (post_id,)).fetchall()
        return [_attempt(row) for row in rows]

    def count_by_status(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        for row in self._db.execute("SELECT status, COUNT(*) FROM posts GROUP BY status"):
            counts[row[0]] = row[1]
        return counts

    def overdue(self, before: datetime) -> list[Post]:
        """Waiting posts due before ``before``, and claims whose lease ran out before it (nobody took them over)."""
        stamp = db_time(before)
        # Posts of a channel that is paused, needs attention or is held are not overdue: they wait on purpose
        # (doctor reports the channel instead).
        rows = self._db.execute(
            f"SELECT * FROM posts WHERE status IN ('queued', 'retry') AND due_at < :cut AND NOT "
            f"{_BLOCKED.replace(':now', ':cut')} "
            "UNION ALL SELECT * FROM posts WHERE status = 'publishing' AND lease_until < :cut ORDER BY due_at, id",
            {"cut": stamp},
        ).fetchall()
        return [_post(row) for row in rows]

    def last_runs(self) -> list[RunInfo]:
        rows = self._db.execute(
            "SELECT kind, started_at, MAX(finished_at) AS finished_at, outcome FROM runs "
            "WHERE finished_at IS NOT NULL GROUP BY kind ORDER BY kind"
        ).fetchall()
        return [RunInfo(row["kind"], parse_utc(row["started_at"]), parse_utc(row["finished_at"]), row["outcome"])
                for row in rows]

    def integrity_problems(self) -> list[str]:
        try:
            rows = [row[0] for row in self._db.execute("PRAGMA quick_check").fetchall()]
        except sqlite3.DatabaseError as error:
            return [f"quick_check could not run: {error}"]
        return [] if rows == ["ok"] else rows


_INSERT = (
    "INSERT INTO posts (campaign, channel, platform, kind, item, template, scheduled_at, local_time, zone, text, "
    "payload, length, length_limit, idempotency_key, status, due_at, created_at, updated_at, miss_after, requires_approval) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


_INSERT_WITH_ID = _INSERT.replace("INSERT INTO posts (", "INSERT INTO posts (id, ").replace("VALUES (", "VALUES (?, ")


class _InsertValues:
    """``_insert_values`` with an id, for many posts: zones and the JSON encoder looked up once."""

    def __init__(self, stamp: str) -> None:
        self.stamp = stamp
        self.zones: dict[str, ZoneInfo] = {}
        self.dumps = json.JSONEncoder(ensure_ascii=False).encode  # what json.dumps(..., ensure_ascii=False) does

    def __call__(self, post_id: int, post: NewPost) -> tuple[Any, ...]:
        zone = self.zones.get(post.zone)
        if zone is None:
            zone = self.zones[post.zone] = ZoneInfo(post.zone)
        if post.scheduled_at.tzinfo is None:
            raise ValueError("times stored in the queue must be aware")
        # db_time's text, through isoformat (strftime is three times slower)
        scheduled = post.scheduled_at.astimezone(timezone.utc).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"
        stamp = self.stamp
        return (
            post_id, post.campaign, post.channel, post.platform, post.kind, post.item, post.template, scheduled,
            post.scheduled_at.astimezone(zone).isoformat(), post.zone, post.text, self.dumps(post.payload), post.length,
            post.limit, post.idempotency_key, post.status, scheduled, stamp, stamp, post.miss_after,
            int(post.requires_approval),
        )


_INSERT_COLUMNS = [name.strip() for name in _INSERT_WITH_ID.split("(", 1)[1].split(")", 1)[0].split(",")]
# What a new row holds in the columns the INSERT leaves to the schema's defaults.
_NEW_ROW = {"attempts": 0, "remote_id": None, "remote_url": None, "published_at": None, "error": None,
            "lease_until": None, "claim_token": None, "progress": None, "late_from": None, "maybe_sent": 0,
            "approved_by": None, "approved_at": None}


def _written_post(values: tuple[Any, ...]) -> Post:
    """The Post of a row as enqueue wrote it (``_InsertValues``), without reading it back."""
    return _post({**_NEW_ROW, **dict(zip(_INSERT_COLUMNS, values))})  # type: ignore[arg-type]


class _StoredPosts(list):
    """A list of the Posts of the rows enqueue wrote, each converted on first use of the list (len() does not)."""

    __slots__ = ("_rows",)

    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        super().__init__()
        self._rows: list[tuple[Any, ...]] | None = rows

    def _ready(self) -> list[Post]:
        if self._rows is not None:
            rows, self._rows = self._rows, None
            list.extend(self, map(_written_post, rows))
        return self

    def __len__(self) -> int:
        return len(self._rows) if self._rows is not None else list.__len__(self)

    def __bool__(self) -> bool:
        return len(self) > 0

    def __iter__(self):
        return list.__iter__(self._ready())

    def __reversed__(self):
        return list.__reversed__(self._ready())

    def __getitem__(self, index):
        return list.__getitem__(self._ready(), index)

    def __contains__(self, item) -> bool:
        return list.__contains__(self._ready(), item)

    def __eq__(self, other) -> bool:
        return list.__eq__(self._ready(), list(other) if isinstance(other, _StoredPosts) else other)

    def __ne__(self, other) -> bool:
        return not self == other

    def __add__(self, other) -> list[Post]:
        return list(self._ready()) + list(other)

    def __radd__(self, other) -> list[Post]:
        return list(other) + list(self._ready())

    def __repr__(self) -> str:
        return list.__repr__(self._ready())

    def copy(self) -> list[Post]:
        return list(self._ready())

    def index(self, *args):
        return list.index(self._ready(), *args)

    def count(self, item) -> int:
        return list.count(self._ready(), item)

    def __reduce__(self):
        return (list, (list(self._ready()),))


def _insert_values(post: NewPost, stamp: str) -> tuple[Any, ...]:
    scheduled = db_time(post.scheduled_at)
    local = post.scheduled_at.astimezone(ZoneInfo(post.zone)).isoformat()
    return (
        post.campaign, post.channel, post.platform, post.kind, post.item, post.template, scheduled, local,
        post.zone, post.text, json.dumps(post.payload, ensure_ascii=False), post.length, post.limit,
        post.idempotency_key, post.status, scheduled, stamp, stamp, post.miss_after, int(post.requires_approval),
    )


def _post(row: sqlite3.Row) -> Post:
    return Post(
        id=row["id"],
        campaign=row["campaign"],
        channel=row["channel"],
        platform=row["platform"],
        kind=row["kind"],
        item=row["item"],
        template=row["template"],
        status=row["status"],
        scheduled_at=parse_utc(row["scheduled_at"]),
        local_time=row["local_time"],
        zone=row["zone"],
        text=row["text"],
        payload=json.loads(row["payload"]),
        length=row["length"],
        limit=row["length_limit"],
        idempotency_key=row["idempotency_key"],
        attempts=row["attempts"],
        due_at=parse_utc(row["due_at"]),
        remote_id=row["remote_id"],
        remote_url=row["remote_url"],
        published_at=parse_utc(row["published_at"]) if row["published_at"] else None,
        error=row["error"],
        claim_token=row["claim_token"],
        progress=json.loads(row["progress"]) if row["progress"] else {},
        miss_after=row["miss_after"],
        late_from=parse_utc(row["late_from"]) if row["late_from"] else None,
        maybe_sent=bool(row["maybe_sent"]),
        requires_approval=bool(row["requires_approval"]),
        approved_by=row["approved_by"],
        approved_at=parse_utc(row["approved_at"]) if row["approved_at"] else None,
    )


def _read(db: sqlite3.Connection, post_id: int) -> Post:
    """A post read inside the caller's transaction (never through self.get: no second connection or lock)."""
    row = db.execute("SELECT * FROM posts WHERE id = ?", (post_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"no post with id {post_id}")
    return _post(row)


def _pool(db: sqlite3.Connection, channel: str, stamp: str) -> list[Post]:
    """The channel's posts waiting for a slot after ``stamp``, in slot order: what shuffle and move --top/--bottom use."""
    rows = db.execute(f"SELECT * FROM posts WHERE channel = ? AND status IN {SLOTTED} AND scheduled_at > ? "
                      "ORDER BY scheduled_at, id", (channel, stamp)).fetchall()
    return [_post(row) for row in rows]


def _set_slot(db: sqlite3.Connection, post: Post, slot: datetime, stamp: str) -> None:
    """The post's slot (and due time) becomes ``slot``; its local intent follows, in the post's own zone."""
    local = slot.astimezone(ZoneInfo(post.zone)).isoformat()
    db.execute("UPDATE posts SET scheduled_at = ?, due_at = ?, local_time = ?, late_from = NULL, updated_at = ? "
               "WHERE id = ?", (db_time(slot), db_time(slot), local, stamp, post.id))


def _require_free(db: sqlite3.Connection, post: Post, slot: datetime, now: datetime) -> None:
    if slot <= now:
        raise InvalidState(f"cannot move post {post.id} to {slot.isoformat()}: that is not in the future")
    row = db.execute("SELECT id FROM posts WHERE channel = ? AND scheduled_at = ? AND status != 'cancelled' AND id != ?",
                     (post.channel, db_time(slot), post.id)).fetchone()
    if row is not None:
        raise InvalidState(f"cannot move post {post.id} to {slot.isoformat()}: post {row[0]} has that slot on "
                           f"{post.channel} (use --top, --bottom or a free time)")


def _channel_state(db: sqlite3.Connection, channel: str) -> ChannelState | None:
    row = db.execute(
        "SELECT c.*, (SELECT COUNT(*) FROM posts p WHERE p.channel = c.name AND p.status IN ('queued', 'retry')) "
        "AS waiting FROM channels c WHERE c.name = ?", (channel,)).fetchone()
    return _channel(row) if row is not None else None


def _campaign_waiting(db: sqlite3.Connection, campaign: str) -> int:
    """Its posts queued or in retry; NotFoundError when no post at all is of this campaign."""
    row = db.execute("SELECT COUNT(*), SUM(status IN ('queued', 'retry')) FROM posts WHERE campaign = ?",
                     (campaign,)).fetchone()
    if not row[0]:
        raise NotFoundError(f"no posts of campaign {campaign!r}")
    return row[1] or 0


def _channel(row: sqlite3.Row) -> ChannelState:
    return ChannelState(name=row["name"], state=row["state"],
                        hold_until=parse_utc(row["hold_until"]) if row["hold_until"] else None,
                        reason=row["reason"], updated_at=parse_utc(row["updated_at"]), waiting=row["waiting"])


def _attempt(row: sqlite3.Row) -> Attempt:
    return Attempt(post_id=row["post_id"], started_at=parse_utc(row["started_at"]), finished_at=parse_utc(row["finished_at"]),
                   outcome=row["outcome"], http_status=row["http_status"], excerpt=row["excerpt"])


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
    "updated_at = ? WHERE id = ? AND status = 'publishing' AND claim_token = ? RETURNING *"
)


def _outcome_values(outcome: Outcome, stamp: str) -> tuple[Any, ...]:
    maybe_sent = None if outcome.maybe_sent is None else int(outcome.maybe_sent)
    if outcome.status == "published":
        maybe_sent = 0
    return (outcome.status, 1 if outcome.count_attempt else 0, outcome.remote_id, outcome.remote_url, outcome.error,
            db_time(outcome.retry_at) if outcome.retry_at else None, stamp if outcome.status == "published" else None,
            maybe_sent, stamp)


def _apply_to_channel(db: sqlite3.Connection, channel: str, outcome: Outcome, stamp: str) -> None:
    """What an outcome does to its channel: bad credentials, a rate-limit hold, or a run-out hold forgotten."""
    if outcome.channel_attention is not None:
        db.execute("INSERT INTO channels (name, state, reason, updated_at) VALUES (?, 'needs_attention', ?, ?) "
                   "ON CONFLICT (name) DO UPDATE SET state = CASE WHEN state = 'paused' THEN state ELSE 'needs_attention' END, "
                   "reason = excluded.reason, updated_at = excluded.updated_at",
                   (channel, redacted_excerpt(outcome.channel_attention), stamp))
    elif outcome.hold_channel_until is not None:
        hold = db_time(outcome.hold_channel_until)
        db.execute("INSERT INTO channels (name, state, hold_until, reason, updated_at) VALUES (?, 'active', ?, ?, ?) "
                   "ON CONFLICT (name) DO UPDATE SET hold_until = MAX(COALESCE(hold_until, ''), excluded.hold_until), "
                   "reason = excluded.reason, updated_at = excluded.updated_at",
                   (channel, hold, redacted_excerpt(outcome.error), stamp))
    elif outcome.status == "published":  # a hold that has run out is forgotten once the channel publishes again
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


def _require_status(db: sqlite3.Connection, post_id: int, allowed: tuple[str, ...], verb: str) -> str:
    row = db.execute("SELECT status FROM posts WHERE id = ?", (post_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"no post with id {post_id}")
    if row["status"] not in allowed:
        why = _WHY_NOT.get(row["status"], f"{verb} applies to posts that are {', '.join(allowed)}")
        raise InvalidState(f"cannot {verb} post {post_id}: it is {row['status']}; {why}")
    return row["status"]


_WHY_NOT = {
    "published": "it is already on the network",
    "publishing": "a worker is sending it now: try again when it has finished",
}


def _make_due(db: sqlite3.Connection, post_id: int, now: datetime) -> None:
    # A person made it due now: lateness counts from now, and an earlier doubt is settled (they checked the account).
    db.execute("UPDATE posts SET status = 'retry', due_at = ?, attempts = 0, lease_until = NULL, claim_token = NULL, "
               "late_from = ?, maybe_sent = 0, updated_at = ? WHERE id = ?", (db_time(now), db_time(now), db_time(now), post_id))


def _statements(script: str) -> list[str]:
    lines = [line for line in script.splitlines() if not line.strip().startswith("--")]
    return [statement.strip() for statement in "\n".join(lines).split(";") if statement.strip()]
