"""A person's queue operations: pause/resume (a channel or a campaign), shuffle, move, reschedule, edit, approve.

Each function validates its input, opens the store and makes ONE store call (one transaction), and returns
what changed (``Change``: the post before and after, both read inside that transaction); the CLI prints it.
A failure anywhere inside the call leaves the queue as it was.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from scheduler.config import Settings
from scheduler.errors import ConfigError
from scheduler.store import Change, ChannelState, opened_store

log = logging.getLogger(__name__)


# -- pause and resume ----------------------------------------------------------------------------

@dataclass(frozen=True)
class PauseChange:
    """A channel's or a campaign's state before and after ``pause``/``resume``, with its posts waiting."""

    kind: str  # channel or campaign
    name: str
    before: str  # active, paused, needs_attention
    after: str
    waiting: int  # its posts queued or in retry

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def as_json(self) -> dict[str, Any]:
        return {self.kind: self.name, "before": self.before, "after": self.after, "changed": self.changed,
                "waiting": self.waiting}


def pause(settings: Settings, now: datetime, channel: str | None = None, campaign: str | None = None) -> PauseChange:
    """A paused channel's or campaign's posts are not claimed (publish and the daemon skip them) until `resume`."""
    kind, name = _target(channel, campaign)
    with opened_store(settings.database_url) as store:
        if kind == "channel":
            before, after = store.pause_channel(name, now)
            change = PauseChange(kind, name, _state(before), _state(after), after.waiting)
        else:
            done, waiting = store.pause_campaign(name, now)
            change = PauseChange(kind, name, "active" if done else "paused", "paused", waiting)
    log.info("%s %s paused (%s post(s) waiting)", kind, name, change.waiting)
    return change


def resume(settings: Settings, now: datetime, channel: str | None = None, campaign: str | None = None) -> PauseChange:
    kind, name = _target(channel, campaign)
    with opened_store(settings.database_url) as store:
        if kind == "channel":
            before, after = store.resume_channel(name, now)
            change = PauseChange(kind, name, _state(before), _state(after), after.waiting if after else 0)
        else:
            done, waiting = store.resume_campaign(name, now)
            change = PauseChange(kind, name, "paused" if done else "active", "active", waiting)
    log.info("%s %s resumed (%s post(s) waiting)", kind, name, change.waiting)
    return change


def _target(channel: str | None, campaign: str | None) -> tuple[str, str]:
    if (channel is None) == (campaign is None):
        raise ConfigError("give --channel CHANNEL or --campaign NAME (one of them)", "--channel")
    if channel is not None:
        _check_channel(channel)
        return "channel", channel
    if not campaign.strip():
        raise ConfigError("the campaign name is empty", "--campaign")
    return "campaign", campaign


def _state(state: ChannelState | None) -> str:
    return state.state if state is not None else "active"


def _check_channel(channel: str) -> None:
    from scheduler.publishers import platform_of

    platform_of(channel, "--channel")


# -- slots ---------------------------------------------------------------------------------------

def shuffle(settings: Settings, now: datetime, channel: str | None = None, seed: int | None = None) -> list[Change]:
    """Permute each channel's waiting future posts (queued or draft) over the slots they hold; ``seed`` repeats it."""
    if channel is not None:
        _check_channel(channel)
    with opened_store(settings.database_url) as store:
        changes = store.shuffle(channel, now, random.Random(seed))
    log.info("shuffled: %s post(s) changed slot", len(changes))
    return changes


def move(settings: Settings, post_id: int, now: datetime, to: str | None = None, top: bool = False,
         bottom: bool = False) -> list[Change]:
    """``top``/``bottom``: swap slots with the channel's earliest/latest waiting post (nothing else moves);
    ``to``: an ISO time (in the post's zone when it has no offset) that must be free on the post's channel."""
    if sum((to is not None, top, bottom)) != 1:
        raise ConfigError("give one of --to TIME, --top or --bottom", "--to")
    with opened_store(settings.database_url) as store:
        target: str | datetime = "top" if top else "bottom"
        if to is not None:
            target = parse_time(to, store.get(post_id).zone, "--to")
        return store.move(post_id, target, now)


def reschedule(settings: Settings, post_id: int, at: str, now: datetime) -> Change:
    """The post goes out at ``at`` (an ISO time; the post's own zone when it has no offset)."""
    with opened_store(settings.database_url) as store:
        return store.reschedule(post_id, parse_time(at, store.get(post_id).zone, "--at"), now)


def parse_time(text: str, zone: str, option: str) -> datetime:
    """An ISO-8601 time; without an offset it is a wall time in ``zone`` (the post's local intent), under the
    cadence's DST rules (scheduler.localtime)."""
    from scheduler.localtime import as_utc, zone_info

    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ConfigError(f"invalid time {text!r}: use ISO-8601 such as 2026-12-01T09:30", option) from None
    return as_utc(moment, zone_info(zone, option))


# -- edit ----------------------------------------------------------------------------------------

@dataclass
class Edited:
    change: Change
    findings: list[Any] = field(default_factory=list)  # posts.claims.Finding: the guard's, in warn mode
    warnings: list[str] = field(default_factory=list)  # the compiler's

    def as_json(self) -> dict[str, Any]:
        return {**self.change.as_json(), "claims": [finding.as_json() for finding in self.findings],
                "warnings": [finding.describe() for finding in self.findings] + self.warnings}


def edit(settings: Settings, post_id: int, text: str, now: datetime) -> Edited:
    """New text for a post, compiled for its platform (refused when it does not fit) and checked by the
    health-claims guard's built-in rules in warn mode (findings are returned, never refused: the post does
    not know its campaign's guard settings) before it is saved."""
    from posts.claims import check_text
    from posts.compile import compile_post

    with opened_store(settings.database_url) as store:
        post = store.get(post_id)
        compiled = compile_post(post.platform, text, "--text", limit=post.limit)
        findings = check_text(compiled.text)
        change = store.edit(post_id, compiled.text, compiled.payload, compiled.length, compiled.limit, now)
    log.info("post %s edited (%s claim finding(s))", post_id, len(findings))
    return Edited(change, findings, list(compiled.warnings))


# -- approval ------------------------------------------------------------------------------------

def approve(settings: Settings, now: datetime, by: str, post_ids: list[int] | None = None,
            campaign: str | None = None) -> list[Change]:
    """draft -> queued, recording ``by`` and ``now``. ``post_ids`` None: every draft (of ``campaign``)."""
    if not by or not by.strip():
        raise ConfigError("name the reviewer", "--by")
    with opened_store(settings.database_url) as store:
        changes = store.approve(post_ids, campaign, by.strip(), now)
    log.info("%s post(s) approved by %s", len(changes), by)
    return changes
