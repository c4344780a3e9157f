"""SQLite backend: WAL, numbered migrations, and claims inside BEGIN IMMEDIATE transactions.

This module owns the connection, its lock and the schema; SQLiteStore's verbs come from one mixin per side of
the queue: sqlite_publishing (the runner's), sqlite_operations (a person's), sqlite_reads (reads and health),
all on the row conversions and shared SQL of sqlite_rows. SQLiteReader is the same reads on a read-only open.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from scheduler.errors import StoreError
from scheduler.store.sqlite_operations import OperationsMixin
from scheduler.store.sqlite_publishing import PublishingMixin
from scheduler.store.sqlite_reads import ReadsMixin
from scheduler.store.sqlite_rows import _BLOCKED, db_time

# Tests, benchmarks and faultkit import these from here; db_time and _BLOCKED now live in sqlite_rows.
__all__ = ["SQLiteStore", "SQLiteReader", "migrations", "db_time", "_statements", "_BLOCKED"]

log = logging.getLogger(__name__)


def migrations() -> list[tuple[int, str]]:
    from importlib import resources  # only when a schema is created or upgraded (and by the tests)

    folder = resources.files("scheduler.store") / "migrations"
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            found.append((int(entry.name.split("_", 1)[0]), entry.read_text(encoding="utf-8")))
    return sorted(found)


def latest_migration() -> int:
    """The newest migration's number, from the file names alone: every run opens the store, few migrate."""
    try:
        names = os.listdir(Path(__file__).with_name("migrations"))
    except OSError:  # not a folder on disk (a zipped install): as migrations() finds them
        return migrations()[-1][0]
    return max(int(name.split("_", 1)[0]) for name in names if name.endswith(".sql"))


class SQLiteStore(PublishingMixin, OperationsMixin, ReadsMixin):
    """The Store in one SQLite file: one connection shared by the worker threads, each write one transaction."""

    def __init__(self, path: str) -> None:
        self.path = path
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # One connection, shared by the runner's worker threads: a transaction (and a read) holds this lock.
        self._lock = threading.RLock()
        self._db = self._connect()
        try:
            self._migrate()
        except sqlite3.DatabaseError as error:
            self._db.close()
            raise StoreError(f"cannot read the queue database {path}: {error}") from None

    def _connect(self) -> sqlite3.Connection:
        # Autocommit mode: every transaction below is opened explicitly, so none is left implicit.
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        db.row_factory = sqlite3.Row
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA foreign_keys=ON")
        except sqlite3.DatabaseError as error:
            db.close()
            raise StoreError(f"cannot read the queue database {self.path}: {error}") from None
        return db

    def close(self) -> None:
        self._db.close()

    def detach(self) -> bool:
        """Close the connection before this process forks: an SQLite connection must not cross a fork (the child
        would share its locks and caches). ``reopen`` then opens a connection in each process. False, and nothing
        closed, for an in-memory queue, which no other process can open (it would be lost)."""
        if self.path == ":memory:":
            return False
        with self._lock:
            self._db.close()
        return True

    def reopen(self) -> None:
        """A new connection to the same file, after ``detach`` (in the parent and in the forked child alike)."""
        with self._lock:
            self._db = self._connect()

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
        latest = latest_migration()
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
        with self._lock:
            return self._db.execute("PRAGMA user_version").fetchone()[0]


class SQLiteReader(ReadsMixin):
    """The queue's file opened read-only (``mode=ro``), for `plan`: SQLite refuses any write on this connection, so
    it never creates the file, migrates it or takes the write lock (in WAL a reader waits for no writer). Only a
    database at this code's schema version is read: an older one would need the migration a write command runs, and
    a newer one may mean something else by its columns."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._lock = threading.RLock()  # ReadsMixin holds it around each read
        try:
            self._db = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True, timeout=30,
                                       isolation_level=None, check_same_thread=False)
        except sqlite3.DatabaseError as error:
            raise StoreError(f"cannot read the queue database {path}: {error}") from None
        self._db.row_factory = sqlite3.Row
        try:
            version, expected = self.schema_version(), latest_migration()
        except sqlite3.DatabaseError as error:
            self._db.close()
            raise StoreError(f"cannot read the queue database {path}: {error}") from None
        if version != expected:
            self._db.close()
            raise StoreError(_version_problem(path, version, expected))

    def schema_version(self) -> int:
        with self._lock:
            return self._db.execute("PRAGMA user_version").fetchone()[0]

    def close(self) -> None:
        self._db.close()


def _version_problem(path: str, version: int, expected: int) -> str:
    if version > expected:
        return (f"the queue database {path} has schema version {version}, newer than this hashtag-scheduler's "
                f"{expected} (upgrade hashtag-scheduler)")
    return (f"the queue database {path} has schema version {version}, older than this hashtag-scheduler's {expected} "
            "(the next `queue` upgrades it)")


def _statements(script: str) -> list[str]:
    lines = [line for line in script.splitlines() if not line.strip().startswith("--")]
    return [statement.strip() for statement in "\n".join(lines).split(";") if statement.strip()]
