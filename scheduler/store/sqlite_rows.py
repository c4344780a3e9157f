"""Rows of the SQLite queue and the Posts they hold: time text, the SQL the verbs share, conversions both ways."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo

from scheduler.errors import NotFoundError
from scheduler.store import Attempt, ChannelState, EnqueueResult, NewPost, Post, parse_utc

# A post of a channel in this condition is not claimed: paused by a person, needing attention (bad credentials),
# or held by a rate limit until hold_until; nor a post of a campaign a person paused. ``c`` is the channels row,
# ``:now`` the claim's time. Both are correlated lookups by primary key: the due query stays on posts_due.
_CAMPAIGN_PAUSED = "EXISTS (SELECT 1 FROM paused_campaigns pc WHERE pc.name = posts.campaign)"
_BLOCKED = ("(EXISTS (SELECT 1 FROM channels c WHERE c.name = posts.channel AND "
            "(c.state != 'active' OR (c.hold_until IS NOT NULL AND c.hold_until > :now))) "
            f"OR {_CAMPAIGN_PAUSED})")


def db_time(moment: datetime) -> str:
    """Fixed-width UTC text, so that string order is time order."""
    if moment.tzinfo is None:
        raise ValueError("times stored in the queue must be aware")
    # isoformat, not strftime("%Y-%m-%dT%H:%M:%S.%fZ"): the same text (years 1000-9999; before, isoformat keeps the
    # four digits strftime drops), in 60 % of the time, for a few calls a post
    return moment.astimezone(timezone.utc).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


_INSERT = (
    "INSERT INTO posts (campaign, channel, platform, kind, item, template, scheduled_at, local_time, zone, text, "
    "payload, length, length_limit, idempotency_key, status, due_at, created_at, updated_at, miss_after, requires_approval) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


_INSERT_WITH_ID = _INSERT.replace("INSERT INTO posts (", "INSERT INTO posts (id, ").replace("VALUES (", "VALUES (?, ")


class _InsertValues:
    """The INSERT values of many new posts, ids included: zones and the JSON encoder looked up once."""

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


def _post(row: sqlite3.Row | dict[str, Any]) -> Post:
    # One dict of the row rather than ~30 look-ups by name (each scans the columns): the runner converts two rows
    # a post (the claim's and the record's).
    r = row if isinstance(row, dict) else dict(zip(row.keys(), row))
    published_at, late_from, approved_at, progress = r["published_at"], r["late_from"], r["approved_at"], r["progress"]
    return Post(
        id=r["id"],
        campaign=r["campaign"],
        channel=r["channel"],
        platform=r["platform"],
        kind=r["kind"],
        item=r["item"],
        template=r["template"],
        status=r["status"],
        scheduled_at=_utc(r["scheduled_at"]),
        local_time=r["local_time"],
        zone=r["zone"],
        text=r["text"],
        payload=json.loads(r["payload"]),
        length=r["length"],
        limit=r["length_limit"],
        idempotency_key=r["idempotency_key"],
        attempts=r["attempts"],
        due_at=_utc(r["due_at"]),
        remote_id=r["remote_id"],
        remote_url=r["remote_url"],
        published_at=_utc(published_at) if published_at else None,
        error=r["error"],
        claim_token=r["claim_token"],
        progress=json.loads(progress) if progress else {},
        miss_after=r["miss_after"],
        late_from=_utc(late_from) if late_from else None,
        maybe_sent=bool(r["maybe_sent"]),
        requires_approval=bool(r["requires_approval"]),
        approved_by=r["approved_by"],
        approved_at=_utc(approved_at) if approved_at else None,
    )


def _utc(text: str) -> datetime:
    """parse_utc for db_time's text: Python 3.11's fromisoformat reads its "Z" as UTC itself (a third of the cost)."""
    moment = datetime.fromisoformat(text) if text.endswith("Z") else None
    return moment if moment is not None and moment.tzinfo is timezone.utc else parse_utc(text)


def _read(db: sqlite3.Connection, post_id: int) -> Post:
    """A post read inside the caller's transaction (never through self.get: no second connection or lock)."""
    row = db.execute("SELECT * FROM posts WHERE id = ?", (post_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"no post with id {post_id}")
    return _post(row)


def _channel(row: sqlite3.Row) -> ChannelState:
    return ChannelState(name=row["name"], state=row["state"],
                        hold_until=parse_utc(row["hold_until"]) if row["hold_until"] else None,
                        reason=row["reason"], updated_at=parse_utc(row["updated_at"]), waiting=row["waiting"])


def _attempt(row: sqlite3.Row) -> Attempt:
    return Attempt(post_id=row["post_id"], started_at=parse_utc(row["started_at"]), finished_at=parse_utc(row["finished_at"]),
                   outcome=row["outcome"], http_status=row["http_status"], excerpt=row["excerpt"])


def insert_new(db: sqlite3.Connection, posts: list[NewPost], stamp: str) -> EnqueueResult:
    """``enqueue``'s writes inside the caller's transaction: the posts whose idempotency key is new, with explicit
    consecutive ids (so they read back as one range); ``existing``: the posts already there under a key (or repeated
    in the batch: the one added). Shared by ``enqueue``, ``requeue`` and ``enqueue_approved``."""
    values = _InsertValues(stamp)
    result = EnqueueResult()
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
            added[key] = base + len(rows) + 1
            rows.append(values(added[key], post))
    if rows:
        db.executemany(_INSERT_WITH_ID, rows)
        result.added = _StoredPosts(rows)
        for key in repeated:
            result.existing.append(_written_post(rows[added[key] - base - 1]))
    return result
