"""Drafts placed on their channels' slots: the planned post, the free slots it takes, and the slot streams
(a channel's schedule, and its evergreen categories') from the campaign's start on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from typing import Any

from posts.drafts import Draft
from scheduler.cadence import Schedule, Slot, parse_slots, upcoming_slots, zone_info
from scheduler.campaign import Campaign
from scheduler.errors import ConfigError
from scheduler.store import NewPost, Store, iso_utc


@dataclass(frozen=True)
class PlannedPost:
    draft: Draft
    slot: Slot
    cycle: int = 0  # 0: the campaign's own post; n: the n-th evergreen repeat of its item on the channel
    approval: bool = False  # the campaign requires approval: it enters as a draft
    miss_after: int | None = None  # seconds ([cadence] missed_after_minutes)

    def as_new_post(self, campaign: str) -> NewPost:
        post = self.draft.post
        extra: dict[str, Any] = {}
        if self.approval:
            extra = {"status": "draft", "requires_approval": True}
        return NewPost(
            channel=self.draft.channel, platform=self.draft.platform, scheduled_at=self.slot.utc, zone=self.slot.zone,
            text=post.text, payload=post.payload, length=post.length, limit=post.limit,
            idempotency_key=self.draft.idempotency_key, campaign=campaign, kind=self.draft.kind,
            item=self.draft.item, template=self.draft.template, miss_after=self.miss_after, **extra,
        )

    def as_json(self) -> dict[str, Any]:
        post = self.draft.post
        return {
            "channel": self.draft.channel, "platform": self.draft.platform, "status": "planned",
            "scheduled_at": iso_utc(self.slot.utc), "local_time": self.slot.local.isoformat(), "zone": self.slot.zone,
            "text": post.text, "length": post.length, "limit": post.limit, "kind": self.draft.kind,
            "template": self.draft.template, "attempts": 0, "remote_id": None, "remote_url": None,
            "published_at": None, "error": None, "warnings": self.draft.warnings, "cycle": self.cycle,
            "image_url": post.payload.get("image_url"),
        }


def assign_slots(campaign: Campaign, drafts: list[Draft], now: datetime, store: Store | None = None) -> list[PlannedPost]:
    """Give each draft not yet queued the next free slot of its channel's schedule (``[channels.NAME]``
    or ``[cadence]``), moved by its jitter. Reads the store, never writes it."""
    if store is not None:
        present = store.existing_keys([draft.idempotency_key for draft in drafts])
        drafts = [draft for draft in drafts if draft.idempotency_key not in present]
    planned: list[PlannedPost] = []
    for channel in campaign.channels:
        schedule = campaign.schedule_for(channel.name)
        after = slots_after(campaign, schedule, now)
        mine = [draft for draft in drafts if draft.channel == channel.name]
        taken = store.taken_slots(channel.name) if store is not None else set()
        slots = upcoming_slots(schedule.triggers, schedule.zone, after, len(mine), taken, schedule.tolerance)
        planned.extend(planned_post(campaign, draft, schedule.place(slot, draft.idempotency_key))
                       for draft, slot in zip(mine, slots))
    return sorted(planned, key=lambda p: (p.slot.utc, p.draft.channel))


def planned_post(campaign: Campaign, draft: Draft, slot: Slot, cycle: int = 0) -> PlannedPost:
    """``draft`` in ``slot`` as the campaign enters it (approval, missed-after); ``cycle`` n: its n-th repeat."""
    return PlannedPost(draft, slot, cycle, campaign.approval, campaign.miss_after)


def slot_streams(campaign: Campaign, schedule: Schedule) -> dict[str | None, list[Any]]:
    """The channel's slot streams: None -> its schedule; a post kind -> its evergreen category's slots."""
    streams: dict[str | None, list[Any]] = {None: schedule.triggers}
    if campaign.evergreen.enabled:
        for kind, specs in campaign.evergreen.categories.items():
            streams[kind] = parse_slots(specs, schedule.zone, f"{campaign.path}: evergreen.categories")
    return streams


def slots_after(campaign: Campaign, schedule: Schedule, now: datetime) -> datetime:
    """Where a channel's search for slots to place new posts on begins (slots strictly after it): ``now`` plus the
    schedule's jitter, so that a post moved back by its jitter is still after ``now``, and not before the campaign's
    start in the channel's zone."""
    return max(now + schedule.tolerance, campaign_start(campaign, schedule.zone))


def campaign_start(campaign: Campaign, zone: str | None = None) -> datetime:
    """The first instant the campaign posts at in ``zone`` (a channel's; None: the campaign's ``[cadence] zone``):
    ``[cadence] start``'s midnight there, or no limit."""
    if not campaign.start:
        return datetime.min.replace(tzinfo=timezone.utc)
    where = f"{campaign.path}: cadence.start"
    return local_midnight(parse_day(campaign.start, where), zone or campaign.zone, where)


def parse_day(text: str, where: str) -> date:
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise ConfigError(f"invalid date {text!r}: expected YYYY-MM-DD", where) from None


def local_midnight(day: date, zone: str, where: str) -> datetime:
    """``day``'s midnight in ``zone``, in UTC."""
    return datetime.combine(day, time(0), tzinfo=zone_info(zone, where)).astimezone(timezone.utc)
