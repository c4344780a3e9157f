"""Reads of the SQLite queue: posts by id, status or channel, what planning asks, and health for `doctor`."""

from __future__ import annotations

import sqlite3
import threading
from datetime import datetime

from scheduler.errors import NotFoundError
from scheduler.store import STATUSES, Attempt, Post, RunInfo, parse_utc
from scheduler.store.sqlite_rows import _BLOCKED, _CAMPAIGN_PAUSED, _attempt, _post, db_time


class ReadsMixin:
    """SQLiteStore's read-only queries (no transaction of their own). Each holds the store's lock: the connection is
    shared by the runner's worker threads, and a read must not run inside another thread's open transaction."""

    _db: sqlite3.Connection  # SQLiteStore's one shared connection
    _lock: threading.RLock  # SQLiteStore's: held by every transaction (``_write``) and every read

    def get(self, post_id: int) -> Post:
        with self._lock:
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
        with self._lock:
            rows = self._db.execute(f"SELECT * FROM posts {where} ORDER BY scheduled_at, id", params).fetchall()
        return [_post(row) for row in rows]

    def existing_keys(self, keys: list[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            marks = ",".join("?" * len(chunk))
            with self._lock:
                rows = self._db.execute(f"SELECT idempotency_key FROM posts WHERE idempotency_key IN ({marks})",
                                        chunk).fetchall()
            found.update(row[0] for row in rows)
        return found

    def posts_by_key(self, keys: list[str]) -> dict[str, Post]:
        """The posts stored under these idempotency keys, by key: what ``queue`` counts as already queued."""
        found: dict[str, Post] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            marks = ",".join("?" * len(chunk))
            with self._lock:
                rows = self._db.execute(f"SELECT * FROM posts WHERE idempotency_key IN ({marks})", chunk).fetchall()
            found.update((row["idempotency_key"], _post(row)) for row in rows)
        return found

    def taken_slots(self, channel: str) -> set[datetime]:
        with self._lock:
            rows = self._db.execute(
                "SELECT scheduled_at FROM posts WHERE channel = ? AND status != 'cancelled'", (channel,)
            ).fetchall()
        return {parse_utc(row[0]) for row in rows}

    def next_due_at(self) -> datetime | None:
        """The next moment a post can be claimed: channels paused or needing attention and paused campaigns never,
        held channels at the hold's end."""
        with self._lock:
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

    # -- health, for `doctor` ------------------------------------------------------------------

    def attempts_of(self, post_id: int) -> list[Attempt]:
        with self._lock:
            rows = self._db.execute("SELECT * FROM attempts WHERE post_id = ? ORDER BY id", (post_id,)).fetchall()
        return [_attempt(row) for row in rows]

    def count_by_status(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        with self._lock:
            rows = self._db.execute("SELECT status, COUNT(*) FROM posts GROUP BY status").fetchall()
        for row in rows:
            counts[row[0]] = row[1]
        return counts

    def overdue(self, before: datetime) -> list[Post]:
        """Waiting posts due before ``before``, and claims whose lease ran out before it (nobody took them over)."""
        stamp = db_time(before)
        # Posts of a channel that is paused, needs attention or is held are not overdue: they wait on purpose
        # (doctor reports the channel instead).
        with self._lock:
            rows = self._db.execute(
                f"SELECT * FROM posts WHERE status IN ('queued', 'retry') AND due_at < :cut AND NOT "
                f"{_BLOCKED.replace(':now', ':cut')} "
                "UNION ALL SELECT * FROM posts WHERE status = 'publishing' AND lease_until < :cut ORDER BY due_at, id",
                {"cut": stamp},
            ).fetchall()
        return [_post(row) for row in rows]

    def last_runs(self) -> list[RunInfo]:
        with self._lock:
            rows = self._db.execute(
                "SELECT kind, started_at, MAX(finished_at) AS finished_at, outcome FROM runs "
                "WHERE finished_at IS NOT NULL GROUP BY kind ORDER BY kind"
            ).fetchall()
        return [RunInfo(row["kind"], parse_utc(row["started_at"]), parse_utc(row["finished_at"]), row["outcome"])
                for row in rows]

    def integrity_problems(self) -> list[str]:
        try:
            with self._lock:
                rows = [row[0] for row in self._db.execute("PRAGMA quick_check").fetchall()]
        except sqlite3.DatabaseError as error:
            return [f"quick_check could not run: {error}"]
        return [] if rows == ["ok"] else rows
