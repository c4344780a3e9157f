"""`hashtag-scheduler demo`: the sample campaign planned, queued and published, in a folder of its own.

The outbox always takes part. A real network takes part when its credentials are configured
(.env or the environment), and then receives only the campaign's first post, not a burst.
To show a whole campaign going out now, the demo moves its own clock to each post's slot in
turn and publishes it there, so the demo's queue records publication times on that moved clock.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path

from posts.drafts import Channel, Draft
from scheduler.campaign import Campaign, load_campaign
from scheduler.config import Settings
from scheduler.planner import PlannedPost, assign_slots, prepare_drafts
from scheduler.publishers import publisher_class
from scheduler.publishers.base import check_credentials
from scheduler.errors import ConfigError
from scheduler.runner import Runner, RunReport
from scheduler.store import EnqueueResult, Post, Store, opened_store

REAL_NETWORKS = ("mastodon", "bluesky")


@dataclass(frozen=True)
class DemoResult:
    workdir: Path
    channels: list[str]
    planned: list[PlannedPost]
    queued: EnqueueResult
    report: RunReport
    published: list[Post]


def sample_campaign_path() -> Path:
    return Path(str(resources.files("scheduler.sample") / "campaign.toml"))


def run_demo(settings: Settings, workdir: Path, now: datetime) -> DemoResult:
    workdir.mkdir(parents=True, exist_ok=True)
    settings = dataclasses.replace(
        settings, database_url=f"sqlite:///{workdir / 'scheduler.db'}", outbox_path=workdir / "outbox.jsonl"
    )
    campaign = _with_configured_networks(load_campaign(sample_campaign_path()), settings)
    drafts = _first_post_only_on_real_networks(prepare_drafts(campaign, settings))
    with opened_store(settings.database_url) as store:
        planned = assign_slots(campaign, drafts, now, store)
        queued = store.enqueue([p.as_new_post(campaign.name) for p in planned], now)
        report = _publish_slot_by_slot(store, settings, now)
        return DemoResult(workdir, [c.name for c in campaign.channels], planned, queued, report, store.list_posts("published"))


def _publish_slot_by_slot(store: Store, settings: Settings, now: datetime) -> RunReport:
    """Move the demo's clock to each queued post's slot in turn and publish what is due then,
    so every post goes out on its own slot (none is late, so none is missed)."""
    last_due = max((p.due_at for p in store.list_posts("queued")), default=now)
    moment = [now]
    runner = Runner(store, settings, lambda: moment[0])
    report = RunReport()
    for _ in range(10 * len(store.list_posts()) + 1):  # bounded: a held channel must not spin the demo
        due = store.next_due_at()
        if due is None or due > last_due:
            break
        moment[0] = max(moment[0], due) + timedelta(seconds=1)
        report.touched.extend(runner.run_due().touched)
    return report


def _with_configured_networks(campaign: Campaign, settings: Settings) -> Campaign:
    channels = list(campaign.channels)
    for platform in REAL_NETWORKS:
        try:
            check_credentials(publisher_class(platform), platform, settings)
        except ConfigError:
            continue  # not configured: the demo stays on the outbox for this network
        channels.append(Channel(platform, platform))
    return dataclasses.replace(campaign, channels=channels)


def _first_post_only_on_real_networks(drafts: list[Draft]) -> list[Draft]:
    seen: set[str] = set()
    kept = []
    for draft in drafts:
        if draft.platform in REAL_NETWORKS:
            if draft.channel in seen:
                continue
            seen.add(draft.channel)
        kept.append(draft)
    return kept
