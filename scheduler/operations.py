"""A person's tools: act on one post (cancel, retry, resolve) and check the queue's health (doctor).

Each function opens the store, makes one call (one transaction) and returns data; the CLI prints it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from scheduler.config import Settings
from scheduler.errors import ConfigError, StoreError
from scheduler.store import CampaignPause, ChannelState, Post, RunInfo, Store, iso_utc, open_store, opened_store

log = logging.getLogger(__name__)

OVERDUE_AFTER = timedelta(minutes=5)
NEEDS_A_PERSON = ("failed", "unconfirmed", "missed")


# -- one post ------------------------------------------------------------------------------------

def cancel(settings: Settings, post_id: int, now: datetime) -> Post:
    with opened_store(settings.database_url) as store:
        post = store.cancel(post_id, now)
    log.info("post %s cancelled", post_id)
    return post


def retry(settings: Settings, post_id: int, now: datetime) -> Post:
    with opened_store(settings.database_url) as store:
        post = store.retry(post_id, now)
    log.info("post %s is due again now", post_id)
    return post


def resolve(settings: Settings, post_id: int, published_url: str | None, now: datetime) -> Post:
    """``published_url``: where a person found the post; None when they found it was not published."""
    if published_url is not None:
        _check_url(published_url)
    with opened_store(settings.database_url) as store:
        post = store.resolve(post_id, published_url, now)
    log.info("post %s resolved as %s", post_id, post.status)
    return post


def clear_channel(settings: Settings, channel: str, now: datetime) -> ChannelState:
    """A person fixed the channel (new credentials, say): active again, its waiting posts go out as they fall due."""
    with opened_store(settings.database_url) as store:
        state = store.clear_channel(channel, now)
    log.info("channel %s cleared: %s post(s) waiting", channel, state.waiting)
    return state


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"invalid URL {url!r}: give the post's http(s) address", "--published")


# -- doctor --------------------------------------------------------------------------------------

@dataclass
class Health:
    database: str
    problems: list[str] = field(default_factory=list)  # each one needs a person
    integrity: list[str] = field(default_factory=list)  # PRAGMA quick_check's complaints; empty when "ok"
    schema_version: int | None = None
    counts: dict[str, int] = field(default_factory=dict)
    overdue: list[Post] = field(default_factory=list)
    attention: list[Post] = field(default_factory=list)  # failed, unconfirmed and missed
    channels: list[ChannelState] = field(default_factory=list)  # channels with a state of their own
    paused_campaigns: list[CampaignPause] = field(default_factory=list)
    last_runs: list[RunInfo] = field(default_factory=list)
    checked_at: datetime | None = None

    @property
    def needs_a_person(self) -> bool:
        return bool(self.problems)

    @property
    def paused_channels(self) -> list[ChannelState]:
        return [state for state in self.channels if state.state == "paused"]

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": not self.needs_a_person,
            "problems": self.problems,
            "database": {"url": self.database, "quick_check": self.integrity or ["ok"], "schema_version": self.schema_version},
            "counts": self.counts,
            "overdue": [_brief(post, self.checked_at) for post in self.overdue],
            "needs_attention": [_brief(post, self.checked_at) for post in self.attention],
            "channels": [state.as_json() for state in self.channels],
            # Paused on purpose, so not a problem; listed because a forgotten pause silently stops posting.
            "paused": {"channels": [{"channel": state.name, "paused_at": iso_utc(state.updated_at),
                                     "waiting": state.waiting} for state in self.paused_channels],
                       "campaigns": [pause.as_json() for pause in self.paused_campaigns]},
            "last_runs": {run.kind: run.as_json() for run in self.last_runs},
            "checked_at": iso_utc(self.checked_at) if self.checked_at else None,
        }


def doctor(settings: Settings, now: datetime) -> Health:
    health = Health(database=_without_password(settings.database_url), checked_at=now)
    try:
        store = open_store(settings.database_url)
    except StoreError as error:
        health.integrity = [str(error)]
        health.problems.append(f"the database cannot be read: {error}")
        return health
    try:
        _examine(store, health, now)
    finally:
        store.close()
    return health


def _examine(store: Store, health: Health, now: datetime) -> None:
    health.integrity = store.integrity_problems()
    health.schema_version = store.schema_version()
    health.counts = store.count_by_status()
    health.overdue = store.overdue(now - OVERDUE_AFTER)
    health.attention = [post for status in NEEDS_A_PERSON for post in store.list_posts(status=status)]
    health.last_runs = store.last_runs()
    health.channels = store.channel_states()
    health.paused_campaigns = store.campaign_pauses()
    if health.integrity:
        health.problems.append(f"PRAGMA quick_check failed: {'; '.join(health.integrity[:3])}")
    if health.overdue:
        health.problems.append(f"{len(health.overdue)} post(s) overdue by more than {_minutes(OVERDUE_AFTER)}: "
                               "is cron or the daemon running?")
    for status in NEEDS_A_PERSON:
        if health.counts.get(status):
            health.problems.append(f"{health.counts[status]} post(s) {status}")
    for state in health.channels:
        if state.state == "needs_attention":
            health.problems.append(f"channel {state.name} needs attention ({state.waiting} post(s) waiting): "
                                   f"{state.reason}; fix it, then `retry --channel {state.name}`")


def _brief(post: Post, now: datetime | None) -> dict[str, Any]:
    late = int((now - post.due_at).total_seconds()) if now else None
    return {"id": post.id, "channel": post.channel, "status": post.status, "due_at": iso_utc(post.due_at),
            "late_seconds": late, "attempts": post.attempts, "error": post.error}


def _minutes(delta: timedelta) -> str:
    return f"{int(delta.total_seconds() // 60)} minutes"


def _without_password(url: str) -> str:
    """The database URL as safe to print: any user:password@ part dropped."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))
