"""A campaign -> the posts it would queue: article, benefit points, rendered and compiled drafts, slots."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timezone
from typing import Any

from posts.article import parse_article
from posts.benefits import Extraction, extract
from posts.claims import ClaimError
from posts.drafts import Channel, Draft, build_drafts
from posts.platforms import RULES
from posts.errors import ArticleError
from posts.render import Renderer
from scheduler.cadence import Slot, upcoming_slots, zone_info
from scheduler.campaign import Campaign
from scheduler.config import Settings
from scheduler.errors import ConfigError
from scheduler.publishers import publisher_class
from scheduler.publishers.base import check_credentials
from scheduler.store import NewPost, Store, iso_utc


@dataclass(frozen=True)
class PlannedPost:
    draft: Draft
    slot: Slot

    def as_new_post(self, campaign: str) -> NewPost:
        post = self.draft.post
        return NewPost(
            channel=self.draft.channel, platform=self.draft.platform, scheduled_at=self.slot.utc, zone=self.slot.zone,
            text=post.text, payload=post.payload, length=post.length, limit=post.limit,
            idempotency_key=self.draft.idempotency_key, campaign=campaign, kind=self.draft.kind,
            item=self.draft.item, template=self.draft.template,
        )

    def as_json(self) -> dict[str, Any]:
        post = self.draft.post
        return {
            "channel": self.draft.channel, "platform": self.draft.platform, "status": "planned",
            "scheduled_at": iso_utc(self.slot.utc), "local_time": self.slot.local.isoformat(), "zone": self.slot.zone,
            "text": post.text, "length": post.length, "limit": post.limit, "kind": self.draft.kind,
            "template": self.draft.template, "attempts": 0, "remote_id": None, "remote_url": None,
            "published_at": None, "error": None, "warnings": self.draft.warnings,
        }


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
    """Every check that needs no database: credentials, article, templates, per-platform fit, and
    the health-claims guard (``[guard] mode = "block"`` refuses the first flagged post)."""
    for channel in campaign.channels:
        check_credentials(publisher_class(channel.platform), channel.name, settings, f"{campaign.path}: campaign.channels")
    extraction = read_extraction(str(campaign.article_path), _article_label(campaign))
    drafts = build_drafts(extraction, campaign.spec, campaign.channels, Renderer(campaign.template_dirs))
    if campaign.spec.guard.mode == "block":
        for draft in drafts:
            if draft.claims:
                raise ClaimError(f"blocked by [guard] mode = \"block\": {draft.claims[0].describe()}",
                                 f"{campaign.path}: {draft.where}")
    return drafts


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
    """Give each draft not yet queued the next free slot of its channel. Reads the store, never writes it."""
    if store is not None:
        present = store.existing_keys([draft.idempotency_key for draft in drafts])
        drafts = [draft for draft in drafts if draft.idempotency_key not in present]
    after = max(now, _start(campaign))
    planned: list[PlannedPost] = []
    for channel in campaign.channels:
        mine = [draft for draft in drafts if draft.channel == channel.name]
        taken = store.taken_slots(channel.name) if store is not None else set()
        slots = upcoming_slots(campaign.triggers, campaign.zone, after, len(mine), taken)
        planned.extend(PlannedPost(draft, slot) for draft, slot in zip(mine, slots))
    return sorted(planned, key=lambda p: (p.slot.utc, p.draft.channel))


def plan_campaign(campaign: Campaign, settings: Settings, now: datetime, store: Store | None = None) -> list[PlannedPost]:
    """What ``queue`` would add, in slot order."""
    return assign_slots(campaign, prepare_drafts(campaign, settings), now, store)


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
