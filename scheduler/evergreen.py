"""Evergreen recycling: a channel's empty slots of the coming week refilled with repeats of its published
posts, each through another template and hashtag set, never like a post on the channel within the cooldown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from posts.drafts import Channel, ContentItem, Draft, render_draft, templates_for
from posts.errors import ContentError
from scheduler.cadence import Slot, is_taken, slots_between
from scheduler.campaign import Campaign
from scheduler.drafting import Content
from scheduler.placement import PlannedPost, planned_post, slot_streams, slots_after
from scheduler.store import Post

COMING_WEEK = timedelta(days=7)  # evergreen: a channel's queue is short when this much ahead has empty slots
# Statuses whose text is (or will be) on the network: what the cooldown compares a repeat against.
_ON_NETWORK = ("draft", "queued", "publishing", "published", "retry", "unconfirmed")
_PENDING = ("draft", "queued", "publishing", "retry", "unconfirmed")  # not settled yet: its item is not recycled


@dataclass(frozen=True)
class Record:
    """A post on a channel as recycling sees it: a stored post, or one the simulation assumes."""

    campaign: str | None
    kind: str
    item: str | None
    template: str | None
    text: str
    status: str
    scheduled_at: datetime
    published_at: datetime | None = None

    @property
    def moment(self) -> datetime:
        return self.published_at or self.scheduled_at

    @classmethod
    def of(cls, post: Post) -> "Record":
        return cls(post.campaign, post.kind, post.item, post.template, post.text, post.status, post.scheduled_at,
                   post.published_at)

    @classmethod
    def planned(cls, planned: PlannedPost, campaign: str) -> "Record":
        draft = planned.draft
        return cls(campaign, draft.kind, draft.item, draft.template, draft.post.text, "queued", planned.slot.utc)


def refill(campaign: Campaign, content: Content, channel: Channel, history: list[Record], taken: set[datetime],
           now: datetime) -> list[PlannedPost]:
    """Evergreen: the channel's empty slots in the coming week (its schedule's, or with categories each
    category's own), each filled with a repeat of a published post of the campaign: the item rested
    longest, through another template and hashtag set, its text unlike every post on the channel within
    the cooldown. ``history`` is every post on the channel; ``taken`` every instant it has a post at.
    Pure: reads nothing, writes nothing."""
    evergreen = campaign.evergreen
    if not evergreen.enabled:
        return []
    schedule = campaign.schedule_for(channel.name)
    after = slots_after(campaign, schedule, now)  # a repeat moved back by its jitter is still after now
    empty: list[tuple[Slot, str | None]] = []
    streams = slot_streams(campaign, schedule)
    kinds_streams = [(kind, triggers) for kind, triggers in streams.items() if kind is not None] or [(None, streams[None])]
    marks = sorted(moment.astimezone(timezone.utc) for moment in taken)
    for kind, triggers in kinds_streams:
        for slot in slots_between(triggers, schedule.zone, after, now + COMING_WEEK):
            if evergreen.end is not None and slot.local.date() >= evergreen.end:
                continue
            if _taken(slot.utc, marks, schedule.tolerance):
                continue
            empty.append((slot, kind))
    empty.sort(key=lambda pair: pair[0].utc)
    history = list(history)
    repeats: list[PlannedPost] = []
    by_item = {(item.kind, item.value): item for item in content.items}
    for slot, kind in empty:
        chosen = _choose_repeat(campaign, content, channel, history, by_item, slot, kind)
        if chosen is None:
            continue
        draft, cycle = chosen
        placed = schedule.place(slot, draft.idempotency_key)
        planned = planned_post(campaign, draft, placed, cycle)
        repeats.append(planned)
        history.append(Record.planned(planned, campaign.name))
    return repeats


def _taken(instant: datetime, marks: list[datetime], tolerance: timedelta) -> bool:
    return is_taken(instant, marks, tolerance)


def _choose_repeat(campaign: Campaign, content: Content, channel: Channel, history: list[Record],
                   by_item: dict[tuple[str, str], ContentItem], slot: Slot, kind: str | None) -> tuple[Draft, int] | None:
    evergreen = campaign.evergreen
    groups: dict[tuple[str, str], list[Record]] = {}
    for record in history:
        if record.campaign == campaign.name and record.item is not None and (record.kind, record.item) in by_item:
            groups.setdefault((record.kind, record.item), []).append(record)
    candidates = []
    for key, records in groups.items():
        if kind is not None and key[0] != kind:
            continue
        live = [r for r in records if r.status != "cancelled"]
        if not any(r.status == "published" for r in live) or any(r.status in _PENDING for r in live):
            continue
        if evergreen.max_cycles is not None and len(live) - 1 >= evergreen.max_cycles:
            continue
        rested_since = max(r.moment for r in live)
        candidates.append((rested_since, by_item[key].index, key, records))
    cooldown = evergreen.cooldown(channel.platform)
    recent = {_normal(r.text) for r in history
              if r.status in _ON_NETWORK and abs(r.moment - slot.utc) < cooldown}
    for _, _, key, records in sorted(candidates, key=lambda c: (c[0], c[1])):
        item = by_item[key]
        cycle = len(records)  # every post of the item on the channel, cancelled ones too: a fresh key
        last = max(records, key=lambda r: r.moment)
        for template, tag_index in _variations(campaign, item, cycle, last.template):
            try:
                draft = render_draft(content.extraction, campaign.spec, channel, content.renderer, item, template,
                                     tag_index=tag_index, cycle=cycle)
            except ContentError:
                continue  # this variation does not fit the platform (or has no image): try the next
            if campaign.spec.guard.mode == "block" and draft.claims:
                continue
            if _normal(draft.post.text) not in recent:
                return draft, cycle
    return None


def _variations(campaign: Campaign, item: ContentItem, cycle: int, last_template: str | None):
    """(template, hashtag set index) pairs to try for repeat ``cycle`` of ``item``: templates other than
    the one it last went out with first, each rotated on by the cycle; hashtag sets rotated likewise."""
    templates = templates_for(campaign.spec, item.kind) or [item.template]
    start = templates.index(item.template) if item.template in templates else 0
    rotated = [templates[(start + cycle + n) % len(templates)] for n in range(len(templates))]
    ordered = [t for t in dict.fromkeys(rotated) if t != last_template] + ([last_template] if last_template in rotated else [])
    sets = max(1, len(campaign.spec.hashtag_sets))
    for template in ordered:
        for n in range(sets):
            yield template, item.index + cycle + n


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()
