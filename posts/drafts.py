"""From an extraction and a campaign's content settings to one compiled post per channel and item."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from posts.benefits import Extraction
from posts.compile import CompiledPost, compile_post
from posts.render import Renderer


@dataclass(frozen=True)
class ContentSpec:
    """What the campaign says about its content (already validated by the caller)."""

    campaign: str
    topic: str
    condition: str
    hashtags: list[str]
    benefit_templates: list[str]
    technique_templates: list[str] = field(default_factory=list)
    article_url: str | None = None
    clinic: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Channel:
    name: str  # "mastodon" or "mastodon:clinic2"
    platform: str


@dataclass(frozen=True)
class Draft:
    channel: str
    platform: str
    kind: str  # "benefit" or "technique"
    item: str  # the benefit point or technique name
    template: str
    post: CompiledPost
    idempotency_key: str


@dataclass(frozen=True)
class _Item:
    kind: str
    value: str
    context: dict[str, Any]


def build_drafts(extraction: Extraction, spec: ContentSpec, channels: list[Channel], renderer: Renderer) -> list[Draft]:
    """One draft per content item and channel, items in article order, templates rotating."""
    items = _items(extraction, spec)
    drafts = []
    for channel in channels:
        for index, (item, template) in enumerate(items):
            text = renderer.render(template, channel.platform, {**_base_context(extraction, spec, channel), **item.context})
            where = f"{renderer.template_file(template, channel.platform)} ({item.kind} {index + 1}, channel {channel.name})"
            post = compile_post(channel.platform, text, where)
            key = idempotency_key(spec.campaign, channel.name, item.kind, item.value, template)
            drafts.append(Draft(channel.name, channel.platform, item.kind, item.value, template, post, key))
    return drafts


def idempotency_key(*parts: str) -> str:
    """Stable across runs and machines, so queueing twice finds the post already there."""
    digest = hashlib.sha256("\x1f".join(part.strip().lower() for part in parts).encode("utf-8"))
    return digest.hexdigest()[:32]


def _items(extraction: Extraction, spec: ContentSpec) -> list[tuple[_Item, str]]:
    pairs: list[tuple[_Item, str]] = []
    for index, benefit in enumerate(extraction.benefits):
        context = {"benefit": {"point": benefit.point, "evidence": benefit.evidence}}
        pairs.append((_Item("benefit", benefit.point, context), _rotate(spec.benefit_templates, index)))
    for index, technique in enumerate(extraction.types if spec.technique_templates else []):
        pairs.append((_Item("technique", technique, {"technique": technique}), _rotate(spec.technique_templates, index)))
    return pairs


def _rotate(templates: list[str], index: int) -> str:
    return templates[index % len(templates)]


def _base_context(extraction: Extraction, spec: ContentSpec, channel: Channel) -> dict[str, Any]:
    return {
        "topic": spec.topic,
        "condition": spec.condition,
        "hashtags": list(spec.hashtags),
        "article": {"title": extraction.title, "url": spec.article_url},
        "clinic": dict(spec.clinic),
        "platform": channel.platform,
        "channel": channel.name,
    }
