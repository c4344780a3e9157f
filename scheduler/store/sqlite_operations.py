"""A person's side of the SQLite queue: cancel, retry and resolve one post; channel and campaign pauses; the
queue operations (shuffle, move, reschedule, edit, approve), each one transaction returning what changed; and the
writes of `queue` (re-plan and enqueue) and `import` (enqueue with approvals), each one transaction too."""

from __future__ import annotations

import json
import random
import sqlite3
import threading
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import datetime
from typing import Any, Callable
from zoneinfo import ZoneInfo

from scheduler.errors import InvalidState, NotFoundError
from scheduler.store import Approval, CampaignPause, Change, ChannelState, EnqueueResult, NewPost, Post, parse_utc
from scheduler.store.sqlite_rows import _channel, _post, _read, db_time, insert_new

# What a person may do to a post in each state (publishing belongs to its worker; published is final).
CANCELLABLE = ("draft", "queued", "retry", "failed", "unconfirmed", "missed", "cancelled")  # cancelling twice changes nothing
RETRYABLE = ("failed", "unconfirmed", "missed", "cancelled")
RESOLVABLE = ("unconfirmed",)

# The queue operations (each one transaction). A post's slot is moved only while it waits for its slot:
# queued or draft (retry posts keep their backoff; `reschedule` may still set one's time).
SLOTTED = ("queued", "draft")
RESCHEDULABLE = ("draft", "queued", "retry", "missed", "cancelled")  # missed and cancelled ones wait again
EDITABLE = ("draft", "queued", "retry", "failed", "missed", "cancelled")  # never one that may be on the network


class OperationsMixin:
    """SQLiteStore's verbs for a person (the CLI's operations and queue commands)."""

    # SQLiteStore's: the one shared connection and a BEGIN IMMEDIATE transaction on it; ``get`` is ReadsMixin's.
    _db: sqlite3.Connection
    _lock: threading.RLock  # held by every transaction and every read (the runner's threads share the connection)
    _write: Callable[[], AbstractContextManager[sqlite3.Connection]]
    get: Callable[[int], Post]

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
            _make_due(db, post_id, now, checked_absent=False)
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
                _make_due(db, post_id, now, checked_absent=True)
            else:
                db.execute("UPDATE posts SET status = 'published', remote_url = ?, published_at = ?, error = NULL, "
                           "lease_until = NULL, claim_token = NULL, maybe_sent = 0, updated_at = ? WHERE id = ?",
                           (published_url, stamp, stamp, post_id))
        return self.get(post_id)

    # -- channels ------------------------------------------------------------------------------

    def channel_states(self) -> list[ChannelState]:
        """Every channel with a state of its own, with the number of its posts waiting (queued or retry)."""
        with self._lock:
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
        with self._lock:
            return [row[0] for row in self._db.execute("SELECT name FROM paused_campaigns ORDER BY name").fetchall()]

    def campaign_pauses(self) -> list[CampaignPause]:
        """Every paused campaign, by name, with when it was paused and its posts waiting (queued or retry)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT pc.name, pc.paused_at, (SELECT COUNT(*) FROM posts p WHERE p.campaign = pc.name "
                "AND p.status IN ('queued', 'retry')) AS waiting FROM paused_campaigns pc ORDER BY pc.name").fetchall()
        return [CampaignPause(row["name"], parse_utc(row["paused_at"]), row["waiting"]) for row in rows]

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
            _set_slot_in_zone(db, post, at, zone, db_time(now))
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

    # -- what `queue` and `import` write: each one transaction ------------------------------------

    def requeue(self, moves: list[tuple[int, datetime, str]], posts: list[NewPost],
                now: datetime) -> tuple[list[Change], EnqueueResult]:
        """`queue` in one transaction: each move (post id, its new slot, its channel's zone) of a post waiting for its
        slot (queued or draft, slot after ``now``), then the new posts as ``enqueue`` adds them. Any error (a post
        that stopped waiting meanwhile, a slot not ahead, a failed write) leaves the queue as it was."""
        stamp = db_time(now)
        with self._write() as db:
            changes = [_replan_one(db, post_id, at, zone, now) for post_id, at, zone in moves]
            return changes, insert_new(db, posts, stamp)

    def enqueue_approved(self, posts: list[NewPost], approvals: dict[str, Approval], now: datetime) -> EnqueueResult:
        """``enqueue`` that also records approvals given before (an exported queue read back): ``approvals`` maps an
        idempotency key to who approved it and when. Only posts this call adds get one; one transaction."""
        with self._write() as db:
            result = insert_new(db, posts, db_time(now))
            added = {post.idempotency_key: post.id for post in result.added}
            for key, approval in approvals.items():
                if key in added:
                    db.execute("UPDATE posts SET approved_by = ?, approved_at = ? WHERE id = ?",
                               (approval.by, db_time(approval.at), added[key]))
            if approvals and added:
                # ``added`` holds the rows as inserted: read the approved ones back inside this transaction.
                result.added = [_read(db, post.id) if post.idempotency_key in approvals else post
                                for post in result.added]
        return result


def _replan_one(db: sqlite3.Connection, post_id: int, at: datetime, zone: str, now: datetime) -> Change:
    """One post of a re-planned channel onto its new slot and zone; refused unless it still waits for its slot."""
    _require_status(db, post_id, SLOTTED, "re-plan")
    post = _read(db, post_id)
    if post.scheduled_at <= now:
        raise InvalidState(f"cannot re-plan post {post_id}: its slot has passed; run `queue` again")
    if at <= now:
        raise InvalidState(f"cannot re-plan post {post_id} to {at.isoformat()}: that is not in the future")
    _set_slot_in_zone(db, post, at, zone, db_time(now))
    return Change(post, _read(db, post_id))


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


def _set_slot_in_zone(db: sqlite3.Connection, post: Post, slot: datetime, zone: str | None, stamp: str) -> None:
    """``_set_slot``, the post's zone first becoming ``zone`` (None: its own); an unknown zone writes nothing."""
    if zone is not None and zone != post.zone:
        ZoneInfo(zone)  # an unknown zone fails here, before anything is written
        db.execute("UPDATE posts SET zone = ? WHERE id = ?", (zone, post.id))
        post = replace(post, zone=zone)
    _set_slot(db, post, slot, stamp)


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


def _make_due(db: sqlite3.Connection, post_id: int, now: datetime, checked_absent: bool) -> None:
    # A person made it due now: lateness counts from now. Only `resolve --not-published` (they checked the account)
    # settles an earlier doubt; a plain `retry` keeps it, so the runner still checks before any resend.
    db.execute("UPDATE posts SET status = 'retry', due_at = ?, attempts = 0, lease_until = NULL, claim_token = NULL, "
               "late_from = ?, maybe_sent = CASE WHEN ? THEN 0 ELSE maybe_sent END, updated_at = ? WHERE id = ?",
               (db_time(now), db_time(now), int(checked_absent), db_time(now), post_id))
