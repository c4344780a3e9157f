"""SQLite backend: WAL, numbered migrations, and claims inside BEGIN IMMEDIATE transactions."""

from __future__ import annotations

import json
import logging
import secrets
import sqlite3
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from importlib import resources
from pathlib import Path
from typing import Any, Iterator
from zoneinfo import ZoneInfo

from scheduler.errors import InvalidState, LeaseLost, NotFoundError, StoreError
from scheduler.redact import excerpt as redacted_excerpt
from scheduler.store import STATUSES, Attempt, ChannelState, EnqueueResult, NewPost, Outcome, Post, RunInfo, parse_utc

log = logging.getLogger(__name__)

# What a person may do to a post in each state (publishing belongs to its worker; published is final).
CANCELLABLE = ("queued", "retry", "failed", "unconfirmed", "missed", "cancelled")  # cancelling twice changes nothing
RETRYABLE = ("failed", "unconfirmed", "missed", "cancelled")

# A post of a channel in this condition is not claimed: paused by a person, needing attention (bad credentials),
# or held by a rate limit until hold_until. ``c`` is the channels row, ``:now`` the claim's time.
_BLOCKED = ("EXISTS (SELECT 1 FROM channels c WHERE c.name = posts.channel AND "
            "(c.state != 'active' OR (c.hold_until IS NOT NULL AND c.hold_until > :now)))")
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
        # IMMEDIATE takes the write lock up front: two claimers cannot both read the same due row.
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
        result = EnqueueResult()
        stamp = db_time(now)
        with self._write() as db:
            for post in posts:
                row = db.execute("SELECT * FROM posts WHERE idempotency_key = ?", (post.idempotency_key,)).fetchone()
                if row is not None:
                    result.existing.append(_post(row))
                    continue
                cursor = db.execute(_INSERT, _insert_values(post, stamp))
                result.added.append(_post(db.execute("SELECT * FROM posts WHERE id = ?", (cursor.lastrowid,)).fetchone()))
        return result

    def claim_due(self, now: datetime, lease_seconds: float, limit: int = 1) -> list[Post]:
        stamp, lease = db_time(now), db_time(now + timedelta(seconds=lease_seconds))
        with self._write() as db:
            # A claim abandoned on a channel that now takes no posts waits as a retry that may have been sent:
            # when the channel is back, the post is reconciled before any resend.
            db.execute(f"UPDATE posts SET status = 'retry', maybe_sent = 1, lease_until = NULL, claim_token = NULL, "
                       f"updated_at = :now WHERE status = 'publishing' AND lease_until <= :now AND {_BLOCKED}", {"now": stamp})
            rows = db.execute(
                f"SELECT id, status FROM posts WHERE status IN ('queued', 'retry') AND due_at <= :now AND NOT {_BLOCKED} "
                "ORDER BY due_at, id LIMIT :limit",
                {"now": stamp, "limit": limit},
            ).fetchall()
            expired = db.execute(
                "SELECT id, status FROM posts WHERE status = 'publishing' AND lease_until <= ? ORDER BY lease_until LIMIT ?",
                (stamp, max(0, limit - len(rows))),
            ).fetchall()
            claimed = []
            for row in [*rows, *expired]:
                db.execute(
                    "UPDATE posts SET status = 'publishing', lease_until = ?, claim_token = ?, updated_at = ? WHERE id = ?",
                    (lease, secrets.token_hex(16), stamp, row["id"]),
                )
                post = _post(db.execute("SELECT * FROM posts WHERE id = ?", (row["id"],)).fetchone())
                claimed.append(_with_recovered(post, row["status"] == "publishing"))
        return claimed

    def record_result(self, post_id: int, claim_token: str, outcome: Outcome, now: datetime) -> Post:
        """Apply a worker's outcome and log the attempt, in one transaction; LeaseLost if the claim is no longer
        this worker's (the attempt is still logged, as 'lease-lost', and the post is left to its new holder)."""
        stamp = db_time(now)
        with self._write() as db:
            problem = _lease_problem(db, post_id, claim_token)
            _insert_attempt(db, post_id, outcome, now, lost=problem is not None)
            if problem is None:
                _apply_outcome(db, post_id, outcome, stamp)
                return _post(db.execute("SELECT * FROM posts WHERE id = ?", (post_id,)).fetchone())
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
        """The next moment a post can be claimed: channels paused or needing attention never, held ones at the hold's end."""
        row = self._db.execute(
            "SELECT MIN(t) FROM ("
            "SELECT MIN(due_at) AS t FROM posts WHERE status IN ('queued', 'retry') AND NOT EXISTS "
            "(SELECT 1 FROM channels c WHERE c.name = posts.channel AND (c.state != 'active' OR c.hold_until IS NOT NULL)) "
            "UNION ALL SELECT MIN(MAX(c.hold_until, (SELECT MIN(p.due_at) FROM posts p WHERE p.channel = c.name "
            "AND p.status IN ('queued', 'retry')))) FROM channels c WHERE c.state = 'active' AND c.hold_until IS NOT NULL "
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
    "payload, length, length_limit, idempotency_key, status, due_at, created_at, updated_at, miss_after) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?)"
)


def _insert_values(post: NewPost, stamp: str) -> tuple[Any, ...]:
    scheduled = db_time(post.scheduled_at)
    local = post.scheduled_at.astimezone(ZoneInfo(post.zone)).isoformat()
    return (
        post.campaign, post.channel, post.platform, post.kind, post.item, post.template, scheduled, local,
        post.zone, post.text, json.dumps(post.payload, ensure_ascii=False), post.length, post.limit,
        post.idempotency_key, scheduled, stamp, stamp, post.miss_after,
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
    )


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


def _apply_outcome(db: sqlite3.Connection, post_id: int, outcome: Outcome, stamp: str) -> None:
    maybe_sent = None if outcome.maybe_sent is None else int(outcome.maybe_sent)
    if outcome.status == "published":
        maybe_sent = 0
    db.execute(
        "UPDATE posts SET status = ?, lease_until = NULL, claim_token = NULL, attempts = attempts + ?, remote_id = ?, "
        "remote_url = ?, error = ?, due_at = COALESCE(?, due_at), published_at = ?, maybe_sent = COALESCE(?, maybe_sent), "
        "updated_at = ? WHERE id = ?",
        (
            outcome.status,
            1 if outcome.count_attempt else 0,
            outcome.remote_id,
            outcome.remote_url,
            outcome.error,
            db_time(outcome.retry_at) if outcome.retry_at else None,
            stamp if outcome.status == "published" else None,
            maybe_sent,
            stamp,
            post_id,
        ),
    )
    channel = db.execute("SELECT channel FROM posts WHERE id = ?", (post_id,)).fetchone()["channel"]
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


def _with_recovered(post: Post, recovered: bool) -> Post:
    return replace(post, recovered=True) if recovered else post


def _statements(script: str) -> list[str]:
    lines = [line for line in script.splitlines() if not line.strip().startswith("--")]
    return [statement.strip() for statement in "\n".join(lines).split(";") if statement.strip()]
