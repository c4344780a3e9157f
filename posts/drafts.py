"""From an extraction and a campaign's content settings to one compiled post per channel and item."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from posts.benefits import Extraction
from posts.claims import Finding, Guard
from posts.compile import CompiledPost, compile_post
from posts.errors import PostTooLongError
from posts.hashtag_sets import HashtagPlan
from posts.platforms import rules_for
from posts.render import Renderer
from posts.utm import with_utm


@dataclass(frozen=True)
class Disclaimer:
    """A line added to the posts the campaign names (``platforms``/``templates``; None = all).

    A template that places ``{{ disclaimer }}`` itself gets it there; any other post gets it
    appended as a last paragraph. Either way it is part of the compiled post and its count."""

    text: str
    platforms: list[str] | None = None
    templates: list[str] | None = None

    def applies(self, platform: str, template: str) -> bool:
        return (self.platforms is None or platform in self.platforms) and (self.templates is None or template in self.templates)


@dataclass(frozen=True)
class ContentSpec:
    """What the campaign says about its content (already validated by the caller)."""

    campaign: str
    topic: str
    condition: str
    hashtags: list[str]  # the campaign's own tags, on every post; the first is the campaign tag
    benefit_templates: list[str]
    technique_templates: list[str] = field(default_factory=list)
    article_url: str | None = None
    clinic: dict[str, Any] = field(default_factory=dict)
    hashtag_sets: list[list[str]] = field(default_factory=list)
    hashtag_caps: dict[str, int] = field(default_factory=dict)
    utm: bool = True
    guard: Guard = field(default_factory=Guard)
    disclaimer: Disclaimer | None = None

    @property
    def hashtag_plan(self) -> HashtagPlan:
        return HashtagPlan(list(self.hashtags), [list(s) for s in self.hashtag_sets], dict(self.hashtag_caps))


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
    index: int = 0  # the content item's place in the campaign (0-based), the same on every channel
    where: str = ""  # the template file, item and channel, for messages
    hashtags: list[str] = field(default_factory=list)  # what the template received as ``hashtags``
    claims: list[Finding] = field(default_factory=list)  # the guard's findings (empty when mode = "off")
    error: str | None = None  # why the post does not fit its platform (only with strict=False)

    @property
    def warnings(self) -> list[str]:
        """The guard's findings, then what the compiler noticed."""
        return [finding.describe() for finding in self.claims] + list(self.post.warnings)


@dataclass(frozen=True)
class _Item:
    kind: str
    value: str
    context: dict[str, Any]


def build_drafts(extraction: Extraction, spec: ContentSpec, channels: list[Channel], renderer: Renderer,
                 *, strict: bool = True) -> list[Draft]:
    """One draft per content item and channel, items in article order, templates rotating.

    ``strict``: a post that does not fit its platform raises PostTooLongError; with
    ``strict=False`` (preview) it becomes a draft whose ``error`` says why. The guard never raises
    here: its findings are on each draft, and the caller decides what ``mode = "block"`` does.
    """
    items = _items(extraction, spec)
    plan = spec.hashtag_plan
    drafts = []
    for channel in channels:
        for index, (item, template) in enumerate(items):
            tags = plan.for_post(index, channel.platform)
            disclaimer = spec.disclaimer.text if spec.disclaimer and spec.disclaimer.applies(channel.platform, template) else ""
            context = {**_base_context(extraction, spec, channel, template, tags, disclaimer), **item.context}
            text = renderer.render(template, channel.platform, context)
            claims = spec.guard.check(text.replace(disclaimer, " " * len(disclaimer)) if disclaimer else text)
            if disclaimer and disclaimer not in text:
                text = f"{text}\n\n{disclaimer}"
            where = f"{renderer.template_file(template, channel.platform)} ({item.kind} {index + 1}, channel {channel.name})"
            post, error = _compile(channel.platform, text, where, plan.cap(channel.platform), strict)
            key = idempotency_key(spec.campaign, channel.name, item.kind, item.value, template)
            drafts.append(Draft(channel.name, channel.platform, item.kind, item.value, template, post, key,
                                index, where, tags, claims, error))
    return drafts


def _compile(platform: str, text: str, where: str, cap: int | None, strict: bool) -> tuple[CompiledPost, str | None]:
    try:
        return compile_post(platform, text, where, max_hashtags=cap), None
    except PostTooLongError as error:
        if strict:
            raise
        rules = rules_for(platform)
        return CompiledPost(platform, text.strip(), rules.length(text.strip()), rules.limit), error.message


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


def _base_context(extraction: Extraction, spec: ContentSpec, channel: Channel, template: str,
                  tags: list[str], disclaimer: str) -> dict[str, Any]:
    def link(url: Any) -> Any:
        if not spec.utm or not isinstance(url, str):
            return url
        return with_utm(url, source=channel.platform, campaign=spec.campaign, content=template)

    return {
        "topic": spec.topic,
        "condition": spec.condition,
        "hashtags": list(tags),
        "campaign_tag": spec.hashtags[0] if spec.hashtags else "",
        "article": {"title": extraction.title, "url": link(spec.article_url) if spec.article_url else spec.article_url},
        "clinic": {key: link(value) if key.endswith("_url") else value for key, value in spec.clinic.items()},
        "platform": channel.platform,
        "channel": channel.name,
        "variation": template,
        "disclaimer": disclaimer,
    }
