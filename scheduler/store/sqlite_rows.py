"""Rows of the SQLite queue and the Posts they hold: time text, the SQL the verbs share, conversions both ways."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo

from scheduler.errors import NotFoundError
from scheduler.store import Attempt, ChannelState, NewPost, Post, parse_utc

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
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


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


def _channel(row: sqlite3.Row) -> ChannelState:
    return ChannelState(name=row["name"], state=row["state"],
                        hold_until=parse_utc(row["hold_until"]) if row["hold_until"] else None,
                        reason=row["reason"], updated_at=parse_utc(row["updated_at"]), waiting=row["waiting"])


def _attempt(row: sqlite3.Row) -> Attempt:
    return Attempt(post_id=row["post_id"], started_at=parse_utc(row["started_at"]), finished_at=parse_utc(row["finished_at"]),
                   outcome=row["outcome"], http_status=row["http_status"], excerpt=row["excerpt"])
