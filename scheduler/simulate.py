"""``plan --days``: a simulation of the campaign's coming days, as ``queue`` run once a day would fill them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from scheduler.cadence import zone_info
from scheduler.campaign import Campaign
from scheduler.config import Settings
from scheduler.drafting import prepare
from scheduler.errors import ConfigError
from scheduler.evergreen import Record, refill
from scheduler.placement import PlannedPost, assign_slots


@dataclass
class Simulation:
    posts: list[PlannedPost]
    warnings: list[str]


def simulate(campaign: Campaign, settings: Settings, now: datetime, days: int) -> Simulation:
    """``plan --days N``: the campaign's new posts and, with ``[evergreen]``, the repeats ``queue`` would
    add if it ran once a day, each post published at its slot; writes nothing, opens no database.
    Warns where a channel would post more in 24 hours than its platform's quota."""
    content, drafts = prepare(campaign, settings)
    end = now + timedelta(days=days)
    planned = assign_slots(campaign, drafts, now)
    histories = {channel.name: [Record.planned(p, campaign.name) for p in planned if p.draft.channel == channel.name]
                 for channel in campaign.channels}
    taken = {channel.name: {p.slot.utc for p in planned if p.draft.channel == channel.name} for channel in campaign.channels}
    if campaign.evergreen.enabled:
        for day in range(days):
            moment = now + timedelta(days=day)
            for channel in campaign.channels:
                history = [_settled(r, moment) for r in histories[channel.name]]
                for repeat in refill(campaign, content, channel, history, taken[channel.name], moment):
                    if repeat.slot.utc >= end:
                        continue
                    planned.append(repeat)
                    history.append(Record.planned(repeat, campaign.name))
                    taken[channel.name].add(repeat.slot.utc)
                histories[channel.name] = history
    inside = sorted((p for p in planned if p.slot.utc < end), key=lambda p: (p.slot.utc, p.draft.channel))
    return Simulation(inside, quota_warnings(campaign, inside))


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


def simulation_start(campaign: Campaign, start: str | None, now: datetime) -> datetime:
    """``--start YYYY-MM-DD``: that local midnight in the campaign's zone; otherwise ``now``."""
    if start is None:
        return now
    try:
        day = datetime.strptime(start, "%Y-%m-%d").date()
    except ValueError:
        raise ConfigError(f"invalid date {start!r}: expected YYYY-MM-DD", "--start") from None
    midnight = datetime.combine(day, time(0), tzinfo=zone_info(campaign.zone, "--start"))
    return midnight.astimezone(timezone.utc) - timedelta(microseconds=1)
