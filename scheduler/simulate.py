"""``plan --days``: a simulation of the campaign's coming days, as ``queue`` run once a day would fill them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from posts.drafts import Draft
from scheduler.cadence import zone_info
from scheduler.campaign import Campaign
from scheduler.config import Settings
from scheduler.drafting import Content, prepare
from scheduler.evergreen import Record, refill
from scheduler.placement import PlannedPost, assign_slots, local_midnight, parse_day


@dataclass
class Simulation:
    posts: list[PlannedPost]
    warnings: list[str]


def simulate(campaign: Campaign, settings: Settings, now: datetime, days: int, start: str | None = None) -> Simulation:
    """``plan --days N``: the campaign's new posts and, with ``[evergreen]``, the repeats ``queue`` would
    add if it ran once a day, each post published at its slot; writes nothing, opens no database.
    ``start`` (``--start YYYY-MM-DD``): each channel's days run from that day's midnight in the channel's own
    zone (see ``simulation_start``); otherwise from ``now``.
    Warns where a channel would post more in 24 hours than its platform's quota."""
    simulation_start(campaign, start, now)  # a bad --start is refused before any work
    content, drafts = prepare(campaign, settings)
    planned: list[PlannedPost] = []
    for channel in campaign.channels:
        begin = simulation_start(campaign, start, now, channel.name)
        planned += _simulate_channel(replace(campaign, channels=[channel]), content, drafts, begin, days)
    inside = sorted(planned, key=lambda p: (p.slot.utc, p.draft.channel))
    return Simulation(inside, quota_warnings(campaign, inside))


def _simulate_channel(campaign: Campaign, content: Content, drafts: list[Draft], now: datetime, days: int) -> list[PlannedPost]:
    """The simulation of ``campaign``'s one channel, from ``now`` for ``days``."""
    (channel,) = campaign.channels
    end = now + timedelta(days=days)
    planned = assign_slots(campaign, drafts, now)
    history = [Record.planned(p, campaign.name) for p in planned]
    taken = {p.slot.utc for p in planned}
    if campaign.evergreen.enabled:
        for day in range(days):
            moment = now + timedelta(days=day)
            history = [_settled(r, moment) for r in history]
            for repeat in refill(campaign, content, channel, history, taken, moment):
                if repeat.slot.utc >= end:
                    continue
                planned.append(repeat)
                history.append(Record.planned(repeat, campaign.name))
                taken.add(repeat.slot.utc)
    return [p for p in planned if p.slot.utc < end]


def _settled(record: Record, moment: datetime) -> Record:
    """The simulation publishes each post at its slot."""
    if record.status == "queued" and record.scheduled_at <= moment:
        return Record(record.campaign, record.kind, record.item, record.template, record.text, "published",
                      record.scheduled_at, record.scheduled_at)
    return record


def quota_warnings(campaign: Campaign, planned: list[PlannedPost]) -> list[str]:
    """One line per channel and local day where a moving 24 hours holds more posts than the platform's quota."""
    warnings = []
    for channel in campaign.channels:
        quota = campaign.quota(channel.platform)
        if quota is None:
            continue
        times = sorted(p.slot.utc for p in planned if p.draft.channel == channel.name)
        zone = campaign.schedule_for(channel.name).zone
        reported: set[date] = set()
        first = 0
        for last, moment in enumerate(times):
            while moment - times[first] >= timedelta(hours=24):
                first += 1
            count = last - first + 1
            day = times[first].astimezone(zone_info(zone, "")).date()
            if count > quota and day not in reported:
                reported.add(day)
                warnings.append(f"channel {channel.name} would publish {count} posts in the 24 hours from "
                                f"{times[first].astimezone(zone_info(zone, '')).isoformat()} ({zone}); {channel.platform} "
                                f"allows about {quota} a day (set [quotas] {channel.platform} in {campaign.path})")
    return warnings


def simulation_start(campaign: Campaign, start: str | None, now: datetime, channel: str | None = None) -> datetime:
    """``--start YYYY-MM-DD``: that local midnight (less a microsecond, so a midnight slot counts) in the zone of
    ``channel``'s schedule (None: the campaign's ``[cadence] zone``); otherwise ``now``."""
    if start is None:
        return now
    zone = campaign.schedule_for(channel).zone if channel is not None else campaign.zone
    return local_midnight(parse_day(start, "--start"), zone, "--start") - timedelta(microseconds=1)
