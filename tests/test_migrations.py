"""Upgrading a database in place keeps its posts and their attempt history."""

from __future__ import annotations

import sqlite3

from scheduler.store import STATUSES
from scheduler.store.sqlite import SQLiteStore, _statements, migrations


def _database_at_version(path, version: int) -> None:
    with sqlite3.connect(path) as conn:
        for number, script in migrations():
            if number <= version:
                for statement in _statements(script):
                    conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {version}")


def test_version_2_database_upgrades_with_posts_and_attempts_kept(tmp_path):
    path = tmp_path / "v2.db"
    _database_at_version(path, 2)
    stamp = "2026-11-23T09:30:00.000000Z"
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO posts (id, channel, platform, scheduled_at, local_time, zone, text, payload, length, length_limit,"
            " idempotency_key, status, due_at, created_at, updated_at, remote_id) VALUES"
            " (7, 'outbox', 'outbox', ?, '2026-11-23T04:30:00-05:00', 'America/New_York', 'kept', '{}', 4, 5000,"
            " 'k7', 'published', ?, ?, ?, 'r7')", (stamp, stamp, stamp, stamp))
        conn.execute("INSERT INTO attempts (post_id, started_at, finished_at, outcome, http_status) VALUES (7, ?, ?, 'published', 200)",
                     (stamp, stamp))

    store = SQLiteStore(str(path))
    try:
        assert store.schema_version() == migrations()[-1][0] >= 3
        post = store.get(7)
        assert (post.text, post.status, post.remote_id) == ("kept", "published", "r7")
    finally:
        store.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT post_id, outcome, http_status FROM attempts").fetchall() == [(7, "published", 200)]
        assert conn.execute("PRAGMA foreign_keys").fetchone() == (0,)  # a fresh connection; the store turned them back on for itself
        check = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'posts'").fetchone()[0]
        for status in STATUSES:
            assert f"'{status}'" in check  # every state the code knows is allowed by the schema
        indexes = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'posts'")}
        assert {"posts_due", "posts_lease", "posts_channel_slot"} <= indexes
