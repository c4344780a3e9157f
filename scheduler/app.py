"""Library functions behind the CLI commands: each takes settings, a clock value and arguments,
and returns data; the CLI only parses, calls one of these and prints."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import TYPE_CHECKING, Callable

from scheduler.config import Settings
from scheduler.errors import ConfigError, StoreError
from scheduler.store import STATUSES, EnqueueResult, NewPost, Post, Store, open_reader, opened_store

if TYPE_CHECKING:
    from scheduler.planner import QueuePlan
    from scheduler.runner import Runner, RunReport

# The content side (Jinja2, APScheduler, regex) and the HTTP side (requests) are imported inside
# the functions that need them: `publish` with nothing due must start as fast as Python can.


def plan(settings: Settings, campaign_path: str, now: datetime) -> QueuePlan:
    """Dry run of ``queue``: the same planning, on reads of the queue opened read-only and only when its database
    exists (never created, migrated or write-locked). A queue that cannot be read (another schema version, not a
    database) leaves each post's queue state unknown, with the reason in ``warning``: the plan itself still shows."""
    from scheduler.campaign import load_campaign
    from scheduler.planner import plan_queue, prepare

    campaign = load_campaign(campaign_path)
    content, drafts = prepare(campaign, settings)  # content errors first, as `queue` reports them
    try:
        reader = open_reader(settings.database_url)
    except StoreError as error:
        unchecked = plan_queue(campaign, content, drafts, None, now)
        unchecked.checked, unchecked.warning = False, f"{error}; posts not checked against the queue"
        return unchecked
    if reader is None:  # no database yet: every post is new
        return plan_queue(campaign, content, drafts, None, now)
    try:
        return plan_queue(campaign, content, drafts, reader, now)
    finally:
        reader.close()


def queue(settings: Settings, campaign_path: str, now: datetime) -> EnqueueResult:
    """Re-plan posts of a channel whose schedule changed, queue new posts, refill with evergreen repeats, all
    written in one transaction (see scheduler.planner.queue_campaign); the result also has ``replanned`` and
    ``recycled``."""
    from scheduler.campaign import load_campaign
    from scheduler.planner import prepare, queue_campaign

    campaign = load_campaign(campaign_path)
    content, drafts = prepare(campaign, settings)  # every content error surfaces before the database opens
    with opened_store(settings.database_url) as store:
        return queue_campaign(campaign, content, drafts, store, now)


def add(settings: Settings, channel: str, text: str, at: str, zone: str, now: datetime) -> EnqueueResult:
    post = manual_post(settings, channel, text, parse_when(at, zone, now), zone)
    with opened_store(settings.database_url) as store:
        return store.enqueue([post], now)


def manual_post(settings: Settings, channel: str, text: str, when: datetime, zone: str, where: str = "",
                key: str | None = None) -> NewPost:
    """A post written by a person (``add``, ``import``), checked like a campaign's: channel, credentials, fit.
    ``where`` prefixes the option names in errors (an import names the file and line instead)."""
    from posts.compile import compile_post
    from scheduler.localtime import zone_info
    from scheduler.publishers import platform_of, publisher_class
    from scheduler.publishers.base import check_credentials

    platform = platform_of(channel, where or "--channel")
    check_credentials(publisher_class(platform), channel, settings, where or None)
    zone_info(zone, where or "--zone")
    compiled = compile_post(platform, text, where or "--text")
    key = key or hashlib.sha256(f"{channel}\x1f{compiled.text}\x1f{when.isoformat()}".encode()).hexdigest()[:32]
    return NewPost(channel=channel, platform=platform, scheduled_at=when, zone=zone, text=compiled.text,
                   payload=compiled.payload, length=compiled.length, limit=compiled.limit, idempotency_key=key)


def list_posts(settings: Settings, status: str | None = None) -> list[Post]:
    if status and status not in STATUSES:
        raise ConfigError(f"unknown status {status!r} (one of {', '.join(STATUSES)})", "--status")
    with opened_store(settings.database_url) as store:
        return store.list_posts(status)


def publish(settings: Settings, clock: Callable[[], datetime], runner_hook: Callable[[Runner], None] | None = None) -> RunReport:
    """Publish everything due now, then return. ``runner_hook`` lets the CLI wire signals to the runner."""
    from scheduler.runner import Runner

    with opened_store(settings.database_url) as store:
        runner = Runner(store, settings, clock)
        if runner_hook:
            runner_hook(runner)
        return recorded_run(store, "publish", runner, clock)


def recorded_run(store: Store, kind: str, runner: Runner, clock: Callable[[], datetime]) -> RunReport:
    """One publishing run, logged in the runs table (for `doctor`) whether it ends well or not."""
    run_id = store.start_run(kind, clock())
    outcome = "crashed"
    try:
        report = runner.run_due()
        outcome = "failed" if report.failed else "ok"
        return report
    finally:
        store.finish_run(run_id, outcome, clock())


def parse_when(at: str, zone: str, now: datetime) -> datetime:
    """``add --at``: 'now', or an ISO time; without an offset a wall time in ``zone``, under the cadence's DST rules."""
    from scheduler.localtime import as_utc, zone_info

    if at == "now":
        return now
    try:
        moment = datetime.fromisoformat(at.replace("Z", "+00:00"))
    except ValueError:
        raise ConfigError(f"invalid time {at!r}: use ISO-8601 such as 2026-12-01T09:30 or 'now'", "--at") from None
    return as_utc(moment, zone_info(zone, "--zone"))


