"""A campaign -> the posts it would queue: article, benefit points, rendered and compiled drafts, slots."""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from posts.article import parse_article
from posts.benefits import Extraction, extract
from posts.claims import ClaimError
from posts.drafts import Channel, ContentItem, Draft, ImageError, build_drafts, content_items, render_draft, templates_for
from posts.platforms import RULES
from posts.errors import ArticleError, ContentError
from posts.render import Renderer
from scheduler.cadence import Schedule, Slot, is_taken, parse_slots, slots_between, upcoming_slots, zone_info
from scheduler.campaign import Campaign
from scheduler.config import Settings
from scheduler.errors import ConfigError
from scheduler.publishers import publisher_class
from scheduler.publishers.base import check_credentials
from scheduler.store import NewPost, Post, Store, iso_utc

COMING_WEEK = timedelta(days=7)  # evergreen: a channel's queue is short when this much ahead has empty slots
# Statuses whose text is (or will be) on the network: what the cooldown compares a repeat against.
_ON_NETWORK = ("draft", "queued", "publishing", "published", "retry", "unconfirmed")
_PENDING = ("draft", "queued", "publishing", "retry", "unconfirmed")  # not settled yet: its item is not recycled
_SLOTTED = ("queued", "draft")  # waiting for its slot: re-planned when the channel's schedule changes


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


@dataclass(frozen=True)
class Content:
    """What every draft of a campaign is rendered from."""

    extraction: Extraction
    renderer: Renderer
    items: list[ContentItem]


@dataclass
class QueueResult:
    """What ``queue`` did: posts added, those already there, posts moved to a changed schedule, repeats added."""

    added: list[Post] = field(default_factory=list)
    existing: list[Post] = field(default_factory=list)
    replanned: list[Any] = field(default_factory=list)  # the store's Change objects (before, after)
    recycled: list[Post] = field(default_factory=list)  # evergreen repeats among ``added``


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


def read_extraction(
    path: str, source_name: str | None = None, session: Any = None, timeout: float | None = None
) -> Extraction:
    """Benefit points of the article at ``path``: a .txt, .md or .html file, or an http(s) URL.

    A URL is fetched with ``session`` (a requests.Session; a fresh one when None) and ``timeout``
    seconds (default: the SCHEDULER_HTTP_TIMEOUT default); errors name the URL.
    """
    from scheduler.fetch import fetch_article, is_url

    if is_url(str(path)):
        import requests

        from scheduler.config import DEFAULT_HTTP_TIMEOUT

        url = str(path).strip()
        timeout = DEFAULT_HTTP_TIMEOUT if timeout is None else timeout
        if session is None:
            with requests.Session() as own:
                text, fmt = fetch_article(url, own, timeout)
        else:
            text, fmt = fetch_article(url, session, timeout)
        return extract(parse_article(text, source_name or url, fmt))
    try:
        text = open(path, encoding="utf-8").read()
    except FileNotFoundError:
        raise ArticleError("article file not found", source_name or path) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ArticleError(f"cannot read the article: {error.__class__.__name__}", source_name or path) from None
    return extract(parse_article(text, source_name or path))


def prepare_drafts(campaign: Campaign, settings: Settings) -> list[Draft]:
    """Every check that needs no database: credentials, article, templates, per-platform fit, images
    (Instagram), and the health-claims guard (``[guard] mode = "block"`` refuses the first flagged post)."""
    return prepare(campaign, settings)[1]


def prepare(campaign: Campaign, settings: Settings) -> tuple[Content, list[Draft]]:
    """``prepare_drafts``, also returning what recycling renders repeats from."""
    for channel in campaign.channels:
        check_credentials(publisher_class(channel.platform), channel.name, settings, f"{campaign.path}: campaign.channels")
    extraction = read_extraction(str(campaign.article_path), _article_label(campaign))
    renderer = Renderer(campaign.template_dirs)
    try:
        drafts = build_drafts(extraction, campaign.spec, campaign.channels, renderer)
    except ImageError as error:
        raise ImageError(error.message, f"{campaign.path}: templates.images ({error.where})") from None
    content = Content(extraction, renderer, content_items(extraction, campaign.spec))
    if campaign.spec.guard.mode == "block":
        for draft in drafts:
            if draft.claims:
                raise ClaimError(f"blocked by [guard] mode = \"block\": {draft.claims[0].describe()}",
                                 f"{campaign.path}: {draft.where}")
    return content, drafts


def preview_drafts(campaign: Campaign, platform: str | None = None) -> list[Draft]:
    """The campaign's posts as ``preview`` shows them: on its channels, or on ``platform`` alone
    (whether or not the campaign uses it). No credentials, no database, nothing refused: a post
    that does not fit carries its ``error`` and the guard's findings are shown, never raised."""
    channels = campaign.channels
    if platform is not None:
        if platform not in RULES:
            raise ConfigError(f"unknown platform {platform!r} (one of {', '.join(sorted(RULES))})", "--platform")
        channels = [channel for channel in campaign.channels if channel.platform == platform] or [Channel(platform, platform)]
    extraction = read_extraction(str(campaign.article_path), _article_label(campaign))
    drafts = build_drafts(extraction, campaign.spec, channels, Renderer(campaign.template_dirs), strict=False)
    order = {channel.name: number for number, channel in enumerate(channels)}
    return sorted(drafts, key=lambda draft: (draft.index, order[draft.channel]))


def assign_slots(campaign: Campaign, drafts: list[Draft], now: datetime, store: Store | None = None) -> list[PlannedPost]:
    """Give each draft not yet queued the next free slot of its channel's schedule (``[channels.NAME]``
    or ``[cadence]``), moved by its jitter. Reads the store, never writes it."""
    if store is not None:
        present = store.existing_keys([draft.idempotency_key for draft in drafts])
        drafts = [draft for draft in drafts if draft.idempotency_key not in present]
    after = max(now, _start(campaign))
    planned: list[PlannedPost] = []
    for channel in campaign.channels:
        schedule = campaign.schedule_for(channel.name)
        mine = [draft for draft in drafts if draft.channel == channel.name]
        taken = store.taken_slots(channel.name) if store is not None else set()
        slots = upcoming_slots(schedule.triggers, schedule.zone, after, len(mine), taken, schedule.tolerance)
        planned.extend(_planned(campaign, draft, schedule.place(slot, draft.idempotency_key))
                       for draft, slot in zip(mine, slots))
    return sorted(planned, key=lambda p: (p.slot.utc, p.draft.channel))


def plan_campaign(campaign: Campaign, settings: Settings, now: datetime, store: Store | None = None) -> list[PlannedPost]:
    """What ``queue`` would add, in slot order."""
    return assign_slots(campaign, prepare_drafts(campaign, settings), now, store)


def _planned(campaign: Campaign, draft: Draft, slot: Slot, cycle: int = 0) -> PlannedPost:
    return PlannedPost(draft, slot, cycle, campaign.approval, campaign.miss_after)


# -- queue: re-plan, fill, recycle ------------------------------------------------------------------

def queue_campaign(campaign: Campaign, content: Content, drafts: list[Draft], store: Store, now: datetime) -> QueueResult:
    """What ``queue`` does once the content checks passed: posts of a channel whose schedule (slots,
    zone or jitter) changed are moved onto the new one, new posts take the next free slots, and, with
    ``[evergreen]``, empty slots of the coming week are refilled with repeats of published posts."""
    result = QueueResult(replanned=replan(campaign, store, now))
    planned = assign_slots(campaign, drafts, now, store)
    repeats: list[PlannedPost] = []
    if campaign.evergreen.enabled:
        for channel in campaign.channels:
            history = [Record.of(post) for post in store.list_posts(channel=channel.name)]
            history += [Record.planned(p, campaign.name) for p in planned if p.draft.channel == channel.name]
            taken = store.taken_slots(channel.name) | {p.slot.utc for p in planned if p.draft.channel == channel.name}
            repeats += refill(campaign, content, channel, history, taken, now)
    enqueued = store.enqueue([p.as_new_post(campaign.name) for p in planned + repeats], now)
    result.added, result.existing = enqueued.added, enqueued.existing
    repeat_keys = {p.draft.idempotency_key for p in repeats}
    result.recycled = [post for post in enqueued.added if post.idempotency_key in repeat_keys]
    return result


def replan(campaign: Campaign, store: Store, now: datetime) -> list[Any]:
    """Move the campaign's waiting posts (queued or draft, slot still ahead) that no longer sit on their
    channel's schedule onto its next free slots, in their order; posts still on it keep their slot.
    A post is on the schedule when its slot, less its jitter, is one of the schedule's instants (or of
    its evergreen category's) and its zone is the schedule's. Returns the store's changes."""
    changes = []
    zone_aware = "zone" in inspect.signature(store.reschedule).parameters
    after = max(now, _start(campaign))
    for channel in campaign.channels:
        schedule = campaign.schedule_for(channel.name)
        waiting = [post for post in store.list_posts(channel=channel.name)
                   if post.campaign == campaign.name and post.status in _SLOTTED and post.scheduled_at > now]
        if not waiting:
            continue
        streams = _streams(campaign, schedule)
        off = [post for post in waiting if not _on_schedule(post, schedule, streams, zone_aware)]
        if not off:
            continue
        taken = store.taken_slots(channel.name) - {post.scheduled_at for post in off}
        for post in sorted(off, key=lambda p: (p.scheduled_at, p.id)):
            triggers = streams.get(post.kind, streams[None]) if _is_repeat(campaign, post) else streams[None]
            slot = upcoming_slots(triggers, schedule.zone, after, 1, taken, schedule.tolerance)[0]
            placed = schedule.place(slot, post.idempotency_key)
            taken.add(placed.utc)
            if zone_aware:
                changes.append(store.reschedule(post.id, placed.utc, now, zone=schedule.zone))
            else:  # the store keeps the post's zone; only its instant moves
                changes.append(store.reschedule(post.id, placed.utc, now))
    return changes


def _streams(campaign: Campaign, schedule: Schedule) -> dict[str | None, list[Any]]:
    """The channel's slot streams: None -> its schedule; a post kind -> its evergreen category's slots."""
    streams: dict[str | None, list[Any]] = {None: schedule.triggers}
    if campaign.evergreen.enabled:
        for kind, specs in campaign.evergreen.categories.items():
            streams[kind] = parse_slots(specs, schedule.zone, f"{campaign.path}: evergreen.categories")
    return streams


def _on_schedule(post: Post, schedule: Schedule, streams: dict[str | None, list[Any]], zone_aware: bool) -> bool:
    if zone_aware and post.zone != schedule.zone:
        return False
    base = schedule.base_of(post.scheduled_at, post.idempotency_key)
    if base.second or base.microsecond:
        return False
    before = base - timedelta(seconds=1)
    for triggers in streams.values():
        found = upcoming_slots(triggers, schedule.zone, before, 1)
        if found and found[0].utc == base:
            return True
    return False


def _is_repeat(campaign: Campaign, post: Post) -> bool:
    """An evergreen repeat's key carries its cycle, so it differs from the key of the item's first post."""
    from posts.drafts import idempotency_key

    if post.kind not in ("benefit", "technique") or post.item is None or post.template is None:
        return False
    return post.idempotency_key != idempotency_key(campaign.name, post.channel, post.kind, post.item, post.template)


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
    after = max(now, _start(campaign))
    empty: list[tuple[Slot, str | None]] = []
    streams = _streams(campaign, schedule)
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
        planned = _planned(campaign, draft, placed, cycle)
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


# -- plan --days: a simulation -----------------------------------------------------------------------

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


def _article_label(campaign: Campaign) -> str:
    return f"{campaign.path}: campaign.article ({campaign.article_path})"


def _start(campaign: Campaign) -> datetime:
    if not campaign.start:
        return datetime.min.replace(tzinfo=timezone.utc)
    where = f"{campaign.path}: cadence.start"
    try:
        day = datetime.strptime(campaign.start, "%Y-%m-%d").date()
    except ValueError:
        raise ConfigError(f"invalid date {campaign.start!r}: expected YYYY-MM-DD", where) from None
    return datetime.combine(day, time(0), tzinfo=zone_info(campaign.zone, where)).astimezone(timezone.utc)
