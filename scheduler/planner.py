"""A campaign -> the posts it would queue: article, benefit points, rendered and compiled drafts, slots.

The steps live in their own modules (drafting, placement, evergreen, simulate); this one plans and queues a campaign
(re-planning a changed schedule, filling, recycling) and is where callers import the planner's names from.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from posts.drafts import Draft
from scheduler.cadence import Schedule, upcoming_slots
from scheduler.campaign import Campaign
from scheduler.drafting import Content, campaign_extraction, preview_drafts, prepare, prepare_drafts, read_extraction
from scheduler.evergreen import COMING_WEEK, Record, refill
from scheduler.placement import PlannedPost, assign_slots, slot_streams, slots_after
from scheduler.simulate import Simulation, quota_warnings, simulate, simulation_start
from scheduler.store import Post, QueueReader, Store

# The names the CLI, the demo and tests import from here, wherever they now live.
__all__ = [
    "COMING_WEEK", "Content", "Move", "PlannedPost", "QueuePlan", "QueueResult", "Record", "Simulation", "assign_slots",
    "campaign_extraction",
    "plan_queue", "prepare", "prepare_drafts", "preview_drafts", "queue_campaign", "quota_warnings",
    "read_extraction", "refill", "replan", "simulate", "simulation_start",
]

_SLOTTED = ("queued", "draft")  # waiting for its slot: re-planned when the channel's schedule changes


@dataclass
class QueueResult:
    """What ``queue`` did: posts added, those already there, posts moved to a changed schedule, repeats added."""

    added: list[Post] = field(default_factory=list)
    existing: list[Post] = field(default_factory=list)
    replanned: list[Any] = field(default_factory=list)  # the store's Change objects (before, after)
    recycled: list[Post] = field(default_factory=list)  # evergreen repeats among ``added``


# -- queue: re-plan, fill, recycle ------------------------------------------------------------------

@dataclass
class QueuePlan:
    """What ``queue`` would do now, planned from reads of the queue alone: ``queue`` writes it, ``plan`` shows it."""

    planned: list[PlannedPost] = field(default_factory=list)  # the campaign's new posts, in slot order
    repeats: list[PlannedPost] = field(default_factory=list)  # evergreen repeats for the coming week's empty slots
    queued: list[tuple[Draft, Post]] = field(default_factory=list)  # drafts already in the queue under their key
    moves: list[Move] = field(default_factory=list)  # waiting posts of a channel whose schedule changed
    checked: bool = True  # False: the queue could not be read, so whether each post is already queued is unknown
    warning: str | None = None  # why it could not be read

    @property
    def new(self) -> list[PlannedPost]:
        """What ``queue`` would add (its ``queued N post(s)``)."""
        return self.planned + self.repeats

    @property
    def existing(self) -> list[Post]:
        """What ``queue`` would find already queued (its ``N already queued``)."""
        return [post for _, post in self.queued]

    def rows(self) -> list[dict[str, Any]]:
        """``plan --json``: every post in slot order, each with ``new`` (True: ``queue`` would add it; False: already
        queued; None: unknown) and ``queued`` (the queued post's id, status and the new slot's local time if its
        schedule changed; None for a new post)."""
        moves = {move.post.id: move for move in self.moves}
        rows = [(p.slot.utc, p.draft.channel, {**p.as_json(), "new": True if self.checked else None, "queued": None})
                for p in self.new]
        rows += [(post.scheduled_at, post.channel, _queued_row(draft, post, moves.get(post.id)))
                 for draft, post in self.queued]
        return [row for _, _, row in sorted(rows, key=lambda entry: entry[:2])]


def _queued_row(draft: Draft, post: Post, move: Move | None) -> dict[str, Any]:
    """A draft already in the queue, shown as the queue holds it: its slot and text there are what will go out
    (``queue`` leaves it as it is). The row keeps ``plan``'s shape, ``status`` included, for scripts."""
    row = {key: value for key, value in post.as_json().items() if key not in ("id", "campaign", "approved_by", "approved_at")}
    row.update(status="planned", kind=post.kind, template=post.template, warnings=draft.warnings, cycle=0,
               image_url=post.payload.get("image_url"), new=False,
               queued={"id": post.id, "status": post.status, "moves_to": move.local_time if move else None})
    return row


def plan_queue(campaign: Campaign, content: Content, drafts: list[Draft], store: QueueReader | None,
               now: datetime) -> QueuePlan:
    """What ``queue`` would do once the content checks passed: posts of a channel whose schedule (slots,
    zone or jitter) changed move onto the new one, new posts take the next free slots, and, with
    ``[evergreen]``, empty slots of the coming week are refilled with repeats of published posts.
    Reads the queue, never writes it; ``store`` None: no queue yet (nothing to move, skip or recycle)."""
    if store is None:
        return QueuePlan(planned=assign_slots(campaign, drafts, now))
    known = store.posts_by_key(list(dict.fromkeys(draft.idempotency_key for draft in drafts)))
    queued = [(draft, known[draft.idempotency_key]) for draft in drafts if draft.idempotency_key in known]
    moves = replan(campaign, store, now)
    after = _AfterMoves(store, moves) if moves else store  # what planning reads: the queue once the moves are made
    planned = assign_slots(campaign, [draft for draft in drafts if draft.idempotency_key not in known], now, after)
    repeats: list[PlannedPost] = []
    if campaign.evergreen.enabled:
        for channel in campaign.channels:
            history = [Record.of(post) for post in after.list_posts(channel=channel.name)]
            history += [Record.planned(p, campaign.name) for p in planned if p.draft.channel == channel.name]
            taken = after.taken_slots(channel.name) | {p.slot.utc for p in planned if p.draft.channel == channel.name}
            repeats += refill(campaign, content, channel, history, taken, now)
    return QueuePlan(planned, repeats, queued, moves)


def queue_campaign(campaign: Campaign, content: Content, drafts: list[Draft], store: Store, now: datetime) -> QueueResult:
    """``queue``: ``plan_queue``'s moves and new posts, written in one transaction (``store.requeue``): all of it
    or nothing."""
    plan = plan_queue(campaign, content, drafts, store, now)
    new_posts = [p.as_new_post(campaign.name) for p in plan.new]
    changes, enqueued = store.requeue([(m.post.id, m.at, m.zone) for m in plan.moves], new_posts, now)
    # Already queued: the drafts found under their keys, and any another `queue` added since they were read.
    result = QueueResult(added=enqueued.added, existing=plan.existing + enqueued.existing, replanned=changes)
    repeat_keys = {p.draft.idempotency_key for p in plan.repeats}
    result.recycled = [post for post in enqueued.added if post.idempotency_key in repeat_keys]
    return result


@dataclass(frozen=True)
class Move:
    """A waiting post of a re-planned channel and the slot (and zone) it takes on the new schedule."""

    post: Post
    at: datetime  # the new slot, jitter applied, UTC
    zone: str  # the channel's schedule's zone: a zone change keeps the wall-clock intent

    @property
    def local_time(self) -> str:
        return self.at.astimezone(ZoneInfo(self.zone)).isoformat()


def replan(campaign: Campaign, store: Store, now: datetime) -> list[Move]:
    """Where the campaign's waiting posts (queued or draft, slot still ahead) that no longer sit on their
    channel's schedule go: its next free slots, in their order; posts still on it keep their slot.
    A post is on the schedule when its slot, less its jitter, is one of the schedule's instants (or of
    its evergreen category's) and its zone is the schedule's. Reads the store, never writes it."""
    moves: list[Move] = []
    for channel in campaign.channels:
        schedule = campaign.schedule_for(channel.name)
        after = slots_after(campaign, schedule, now)  # a jittered slot is still after now
        waiting = [post for post in store.list_posts(channel=channel.name)
                   if post.campaign == campaign.name and post.status in _SLOTTED and post.scheduled_at > now]
        if not waiting:
            continue
        streams = slot_streams(campaign, schedule)
        off = [post for post in waiting if not _on_schedule(post, schedule, streams)]
        if not off:
            continue
        taken = store.taken_slots(channel.name) - {post.scheduled_at for post in off}
        for post in sorted(off, key=lambda p: (p.scheduled_at, p.id)):
            triggers = streams.get(post.kind, streams[None]) if _is_repeat(campaign, post) else streams[None]
            slot = upcoming_slots(triggers, schedule.zone, after, 1, taken, schedule.tolerance)[0]
            placed = schedule.place(slot, post.idempotency_key)
            taken.add(placed.utc)
            moves.append(Move(post, placed.utc, schedule.zone))
    return moves


class _AfterMoves:
    """The reads planning makes (existing keys, a channel's posts and taken slots), answered as if ``moves``
    were already written: new posts and repeats are planned around the moved posts, and all of it is then
    written in one transaction."""

    def __init__(self, store: Store, moves: list[Move]) -> None:
        self._store = store
        self._moves = {move.post.id: move for move in moves}

    def existing_keys(self, keys: list[str]) -> set[str]:
        return self._store.existing_keys(keys)

    def list_posts(self, status: str | None = None, channel: str | None = None) -> list[Post]:
        posts = [self._moved(post) for post in self._store.list_posts(status, channel)]
        return sorted(posts, key=lambda post: (post.scheduled_at, post.id))

    def taken_slots(self, channel: str) -> set[datetime]:
        if not any(move.post.channel == channel for move in self._moves.values()):
            return self._store.taken_slots(channel)
        # As the store counts them (every post but a cancelled one), the moved posts at their new slots.
        return {post.scheduled_at for post in self.list_posts(channel=channel) if post.status != "cancelled"}

    def _moved(self, post: Post) -> Post:
        move = self._moves.get(post.id)
        return post if move is None else replace(post, scheduled_at=move.at, due_at=move.at, zone=move.zone)


def _on_schedule(post: Post, schedule: Schedule, streams: dict[str | None, list[Any]]) -> bool:
    if post.zone != schedule.zone:
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
