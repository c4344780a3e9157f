"""SQLite backend: WAL, numbered migrations, and claims inside BEGIN IMMEDIATE transactions."""

from __future__ import annotations

import json
import logging
import sqlite3
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from importlib import resources
from pathlib import Path
from typing import Any, Iterator
from zoneinfo import ZoneInfo

from scheduler.errors import NotFoundError, SchedulerError
from scheduler.store import EnqueueResult, NewPost, Outcome, Post, parse_utc

log = logging.getLogger(__name__)

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
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._migrate()

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
        with self._write() as db:
            current = db.execute("PRAGMA user_version").fetchone()[0]
            for version, script in migrations():
                if version > current:
                    log.info("applying schema migration %s to %s", version, self.path)
                    for statement in _statements(script):
                        db.execute(statement)
                    db.execute(f"PRAGMA user_version = {version:d}")

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
            rows = db.execute(
                "SELECT id, status FROM posts WHERE status IN ('queued', 'retry') AND due_at <= ? "
                "ORDER BY due_at, id LIMIT ?",
                (stamp, limit),
            ).fetchall()
            expired = db.execute(
                "SELECT id, status FROM posts WHERE status = 'publishing' AND lease_until <= ? ORDER BY lease_until LIMIT ?",
                (stamp, max(0, limit - len(rows))),
            ).fetchall()
            claimed = []
            for row in [*rows, *expired]:
                db.execute(
                    "UPDATE posts SET status = 'publishing', lease_until = ?, updated_at = ? WHERE id = ?",
                    (lease, stamp, row["id"]),
                )
                post = _post(db.execute("SELECT * FROM posts WHERE id = ?", (row["id"],)).fetchone())
                claimed.append(_with_recovered(post, row["status"] == "publishing"))
        return claimed

    def record_result(self, post_id: int, outcome: Outcome, now: datetime) -> Post:
        stamp = db_time(now)
        with self._write() as db:
            current = db.execute("SELECT status FROM posts WHERE id = ?", (post_id,)).fetchone()
            if current is None:
                raise NotFoundError(f"no post with id {post_id}")
            if current["status"] != "publishing":
                raise SchedulerError(f"post {post_id} is {current['status']}, not publishing: its lease was lost")
            db.execute(
                "UPDATE posts SET status = ?, lease_until = NULL, attempts = attempts + ?, remote_id = ?, "
                "remote_url = ?, error = ?, due_at = COALESCE(?, due_at), published_at = ?, updated_at = ? WHERE id = ?",
                (
                    outcome.status,
                    1 if outcome.count_attempt else 0,
                    outcome.remote_id,
                    outcome.remote_url,
                    outcome.error,
                    db_time(outcome.retry_at) if outcome.retry_at else None,
                    stamp if outcome.status == "published" else None,
                    stamp,
                    post_id,
                ),
            )
            return _post(db.execute("SELECT * FROM posts WHERE id = ?", (post_id,)).fetchone())

    def release(self, post_id: int, now: datetime) -> None:
        """Give a claimed post back untouched (shutdown before it was sent)."""
        with self._write() as db:
            db.execute(
                "UPDATE posts SET status = CASE WHEN attempts > 0 THEN 'retry' ELSE 'queued' END, lease_until = NULL, "
                "updated_at = ? WHERE id = ? AND status = 'publishing'",
                (db_time(now), post_id),
            )

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
        row = self._db.execute(
            "SELECT MIN(t) FROM (SELECT MIN(due_at) AS t FROM posts WHERE status IN ('queued', 'retry') "
            "UNION ALL SELECT MIN(lease_until) FROM posts WHERE status = 'publishing')"
        ).fetchone()
        return parse_utc(row[0]) if row and row[0] else None

    def start_run(self, kind: str, now: datetime) -> int:
        with self._write() as db:
            return db.execute("INSERT INTO runs (kind, started_at) VALUES (?, ?)", (kind, db_time(now))).lastrowid

    def finish_run(self, run_id: int, outcome: str, now: datetime) -> None:
        with self._write() as db:
            db.execute("UPDATE runs SET finished_at = ?, outcome = ? WHERE id = ?", (db_time(now), outcome, run_id))


_INSERT = (
    "INSERT INTO posts (campaign, channel, platform, kind, item, template, scheduled_at, local_time, zone, text, "
    "payload, length, length_limit, idempotency_key, status, due_at, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)"
)


def _insert_values(post: NewPost, stamp: str) -> tuple[Any, ...]:
    scheduled = db_time(post.scheduled_at)
    local = post.scheduled_at.astimezone(ZoneInfo(post.zone)).isoformat()
    return (
        post.campaign, post.channel, post.platform, post.kind, post.item, post.template, scheduled, local,
        post.zone, post.text, json.dumps(post.payload, ensure_ascii=False), post.length, post.limit,
        post.idempotency_key, scheduled, stamp, stamp,
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
    )


def _with_recovered(post: Post, recovered: bool) -> Post:
    return replace(post, recovered=True) if recovered else post


def _statements(script: str) -> list[str]:
    lines = [line for line in script.splitlines() if not line.strip().startswith("--")]
    return [statement.strip() for statement in "\n".join(lines).split(";") if statement.strip()]
