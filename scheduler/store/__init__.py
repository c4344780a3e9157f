"""The post queue behind a few verbs: enqueue, claim due, record result, the operator's cancel, retry
and resolve (one post each), a person's queue operations (pause/resume, shuffle, move, reschedule, edit,
approve: each one transaction returning what changed), `queue`'s re-plan and enqueue as one transaction
(requeue), `import`'s enqueue with approvals, read-only listings for `list` and `doctor`, and a read-only
open for `plan` (``open_reader``).

Backends are chosen by ``SCHEDULER_DATABASE_URL``; every backend passes tests/test_store_contract.py.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator, Protocol

from scheduler.errors import ConfigError

ENTRY_STATUSES = ("queued", "draft")  # what a new post may enter as: draft waits for `approve`
STATUSES = ("draft", "queued", "publishing", "published", "retry", "unconfirmed", "failed", "missed", "cancelled")


@dataclass(frozen=True)
class NewPost:
    channel: str
    platform: str
    scheduled_at: datetime  # aware UTC
    zone: str
    text: str
    payload: dict[str, Any]
    length: int
    limit: int
    idempotency_key: str
    campaign: str | None = None
    kind: str = "manual"
    item: str | None = None
    template: str | None = None
    miss_after: int | None = None  # seconds late after which it is missed (None: SCHEDULER_MISSED_AFTER)
    status: str = "queued"  # or "draft": never claimed until a person approves it
    requires_approval: bool = False  # its campaign requires approval: an edit after approval returns it to draft

    def __post_init__(self) -> None:
        if self.status not in ENTRY_STATUSES:
            raise ValueError(f"a new post is {' or '.join(ENTRY_STATUSES)}, not {self.status!r}")


@dataclass(frozen=True)
class Post:
    id: int
    channel: str
    platform: str
    status: str
    scheduled_at: datetime
    local_time: str
    zone: str
    text: str
    payload: dict[str, Any]
    length: int
    limit: int
    idempotency_key: str
    attempts: int
    due_at: datetime
    campaign: str | None = None
    kind: str = "manual"
    item: str | None = None
    template: str | None = None
    remote_id: str | None = None
    remote_url: str | None = None
    published_at: datetime | None = None
    error: str | None = None
    recovered: bool = False  # claimed by taking over an expired lease: an earlier attempt may have landed
    claim_token: str | None = field(default=None, repr=False)  # the lease holder's proof; set only while publishing
    progress: dict[str, Any] = field(default_factory=dict)  # a publisher's saved step (e.g. a created container id)
    miss_after: int | None = None  # this post's lateness policy in seconds (None: the setting's default)
    late_from: datetime | None = None  # lateness counts from here (None: scheduled_at; set by a person's retry)
    maybe_sent: bool = False  # an earlier attempt may have landed: reconcile before any resend
    requires_approval: bool = False  # its campaign requires approval (see NewPost)
    approved_by: str | None = None  # who approved it (draft -> queued), while that approval stands
    approved_at: datetime | None = None

    @property
    def uncertain(self) -> bool:
        """An earlier attempt may have created this post on the network."""
        return self.recovered or self.maybe_sent

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "campaign": self.campaign,
            "channel": self.channel,
            "platform": self.platform,
            "status": self.status,
            "scheduled_at": iso_utc(self.scheduled_at),
            "local_time": self.local_time,
            "zone": self.zone,
            "text": self.text,
            "length": self.length,
            "limit": self.limit,
            "attempts": self.attempts,
            "remote_id": self.remote_id,
            "remote_url": self.remote_url,
            "published_at": iso_utc(self.published_at) if self.published_at else None,
            "error": self.error,
            "approved_by": self.approved_by,
            "approved_at": iso_utc(self.approved_at) if self.approved_at else None,
        }


@dataclass(frozen=True)
class Change:
    """One post before and after a person's operation (both read inside the operation's transaction)."""

    before: Post
    after: Post

    def fields(self) -> dict[str, tuple[Any, Any]]:
        """What a person sees change: {field: (before, after)} over the post's JSON form."""
        old, new = self.before.as_json(), self.after.as_json()
        return {key: (old[key], new[key]) for key in new if old.get(key) != new[key]}

    def as_json(self) -> dict[str, Any]:
        """The post as it is now, with ``changed``: {field: [before, after]}."""
        return {**self.after.as_json(), "changed": {key: list(pair) for key, pair in self.fields().items()}}


@dataclass(frozen=True)
class Outcome:
    """What happened to one claimed post, as the runner decided it."""

    status: str  # published, retry, unconfirmed, failed
    remote_id: str | None = None
    remote_url: str | None = None
    error: str | None = None
    retry_at: datetime | None = None
    count_attempt: bool = True  # a rate limit does not use up the post's retries
    http_status: int | None = None  # the network's answer, when there was one
    excerpt: str | None = None  # short and redacted: what the attempts table keeps of the error
    started_at: datetime | None = None  # when the attempt began (default: when it is recorded)
    maybe_sent: bool | None = None  # True: the request may have landed; False: proven not; None: unchanged
    hold_channel_until: datetime | None = None  # a rate limit or pacing: the channel takes no post before then
    hold_reason: str | None = None  # the channel's reason for that hold (default: ``error``)
    channel_attention: str | None = None  # bad credentials: the channel waits for a person, with this reason


@dataclass(frozen=True)
class ChannelState:
    """A channel with a state of its own (a channel without a row is active)."""

    name: str
    state: str  # active, paused, needs_attention
    hold_until: datetime | None
    reason: str | None
    updated_at: datetime
    waiting: int = 0  # its posts queued or in retry

    def as_json(self) -> dict[str, Any]:
        return {"channel": self.name, "state": self.state,
                "hold_until": iso_utc(self.hold_until) if self.hold_until else None,
                "reason": self.reason, "updated_at": iso_utc(self.updated_at), "waiting": self.waiting}


@dataclass(frozen=True)
class CampaignPause:
    """A campaign a person paused: since when, and its posts waiting (queued or retry)."""

    name: str
    paused_at: datetime
    waiting: int = 0

    def as_json(self) -> dict[str, Any]:
        return {"campaign": self.name, "paused_at": iso_utc(self.paused_at), "waiting": self.waiting}


@dataclass(frozen=True)
class Approval:
    """Who approved a post (draft -> queued) and when: what `import` carries over from an exported queue."""

    by: str
    at: datetime


@dataclass(frozen=True)
class Attempt:
    """One publish attempt as the attempts table keeps it."""

    post_id: int
    started_at: datetime
    finished_at: datetime
    outcome: str  # published, retry, unconfirmed, failed; 'lease-lost' when a late worker's result was refused
    http_status: int | None = None
    excerpt: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"post_id": self.post_id, "started_at": iso_utc(self.started_at), "finished_at": iso_utc(self.finished_at),
                "outcome": self.outcome, "http_status": self.http_status, "excerpt": self.excerpt}


@dataclass(frozen=True)
class RunInfo:
    """The latest finished run of one kind (publish, daemon)."""

    kind: str
    started_at: datetime
    finished_at: datetime
    outcome: str | None

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "started_at": iso_utc(self.started_at), "finished_at": iso_utc(self.finished_at),
                "outcome": self.outcome}


@dataclass
class EnqueueResult:
    added: list[Post] = field(default_factory=list)
    existing: list[Post] = field(default_factory=list)


class Store(Protocol):
    def enqueue(self, posts: list[NewPost], now: datetime) -> EnqueueResult: ...
    def claim_due(self, now: datetime, lease_seconds: float, limit: int = 1) -> list[Post]: ...
    def claim_next_for_channel(self, channel: str, now: datetime, lease_seconds: float) -> Post | None: ...
    def due_channels(self, now: datetime) -> list[str]: ...
    def channel_holder(self, channel: str, now: datetime) -> int | None: ...
    def record_result(self, post_id: int, claim_token: str, outcome: Outcome, now: datetime) -> Post: ...
    def save_progress(self, post_id: int, claim_token: str, progress: dict[str, Any], now: datetime) -> None: ...
    def release(self, post_id: int, claim_token: str, now: datetime) -> None: ...
    def cancel(self, post_id: int, now: datetime) -> Post: ...
    def retry(self, post_id: int, now: datetime) -> Post: ...
    def resolve(self, post_id: int, published_url: str | None, now: datetime) -> Post: ...
    def channel_states(self) -> list[ChannelState]: ...
    def clear_channel(self, channel: str, now: datetime) -> ChannelState: ...
    def pause_channel(self, channel: str, now: datetime) -> tuple[ChannelState | None, ChannelState]: ...
    def resume_channel(self, channel: str, now: datetime) -> tuple[ChannelState | None, ChannelState | None]: ...
    def pause_campaign(self, campaign: str, now: datetime) -> tuple[bool, int]: ...
    def resume_campaign(self, campaign: str, now: datetime) -> tuple[bool, int]: ...
    def paused_campaigns(self) -> list[str]: ...
    def campaign_pauses(self) -> list[CampaignPause]: ...
    def shuffle(self, channel: str | None, now: datetime, rng: Any) -> list[Change]: ...
    def move(self, post_id: int, to: str | datetime, now: datetime) -> list[Change]: ...
    def reschedule(self, post_id: int, at: datetime, now: datetime, zone: str | None = None) -> Change: ...
    def edit(self, post_id: int, text: str, payload: dict[str, Any], length: int, limit: int, now: datetime) -> Change: ...
    def approve(self, post_ids: list[int] | None, campaign: str | None, by: str, now: datetime) -> list[Change]: ...
    def requeue(self, moves: list[tuple[int, datetime, str]], posts: list[NewPost],
                now: datetime) -> tuple[list[Change], EnqueueResult]: ...
    def enqueue_approved(self, posts: list[NewPost], approvals: dict[str, Approval], now: datetime) -> EnqueueResult: ...
    def get(self, post_id: int) -> Post: ...
    def list_posts(self, status: str | None = None, channel: str | None = None) -> list[Post]: ...
    def existing_keys(self, keys: list[str]) -> set[str]: ...
    def posts_by_key(self, keys: list[str]) -> dict[str, Post]: ...
    def taken_slots(self, channel: str) -> set[datetime]: ...
    def next_due_at(self) -> datetime | None: ...
    def start_run(self, kind: str, now: datetime) -> int: ...
    def finish_run(self, run_id: int, outcome: str, now: datetime) -> None: ...
    def attempts_of(self, post_id: int) -> list[Attempt]: ...
    def count_by_status(self) -> dict[str, int]: ...
    def overdue(self, before: datetime) -> list[Post]: ...
    def last_runs(self) -> list[RunInfo]: ...
    def integrity_problems(self) -> list[str]: ...
    def schema_version(self) -> int: ...
    def close(self) -> None: ...
    def detach(self) -> bool: ...  # before a fork: close; False when no other process could open it
    def reopen(self) -> None: ...  # after a fork, in each process: a connection of its own


class QueueReader(Protocol):
    """The queue opened read-only (``open_reader``): the reads planning makes, and nothing that writes."""

    def get(self, post_id: int) -> Post: ...
    def list_posts(self, status: str | None = None, channel: str | None = None) -> list[Post]: ...
    def existing_keys(self, keys: list[str]) -> set[str]: ...
    def posts_by_key(self, keys: list[str]) -> dict[str, Post]: ...
    def taken_slots(self, channel: str) -> set[datetime]: ...
    def schema_version(self) -> int: ...
    def close(self) -> None: ...


@contextmanager
def opened_store(database_url: str) -> Iterator[Store]:
    """``with opened_store(url) as store:`` — the store, closed however the block ends."""
    store = open_store(database_url)
    try:
        yield store
    finally:
        store.close()


def open_store(database_url: str) -> Store:
    from scheduler.store.sqlite import SQLiteStore

    return SQLiteStore(_sqlite_path(database_url))


def open_reader(database_url: str) -> QueueReader | None:
    """The queue, read-only, for a dry run: None when its database does not exist (nothing is queued yet). Never
    creates, migrates or write-locks it; StoreError when it cannot be read or its schema is not this code's."""
    path = _sqlite_path(database_url)
    if path == ":memory:" or not Path(path).is_file():
        return None
    from scheduler.store.sqlite import SQLiteReader

    return SQLiteReader(path)


def _sqlite_path(database_url: str) -> str:
    if database_url.startswith("sqlite:///"):
        return database_url[len("sqlite:///"):]
    raise ConfigError(f"unsupported database URL {database_url.split(':', 1)[0]!r}: use sqlite:///PATH", "SCHEDULER_DATABASE_URL")


def iso_utc(moment: datetime) -> str:
    """'2026-11-23T09:30:00Z' (microseconds only when present)."""
    utc = moment.astimezone(timezone.utc)
    text = utc.strftime("%Y-%m-%dT%H:%M:%S")
    return text + (f".{utc.microsecond:06d}Z" if utc.microsecond else "Z")


def parse_utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)
