"""From an extraction and a campaign's content settings to one compiled post per channel and item."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from typing import Any

from posts.benefits import Extraction
from posts.claims import Finding, Guard
from posts.compile import CompiledPost, compile_post
from posts.errors import ContentError, PostTooLongError
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
        return ((self.platforms is None or platform in self.platforms)
                and (self.templates is None or template in self.templates))


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
    images: dict[str, str] = field(default_factory=dict)  # template name or post kind -> image URL (or a local path)

    def image_for(self, template: str, kind: str) -> str | None:
        """The image of a post from ``template``: named by template first, then by post kind."""
        return self.images.get(template) or self.images.get(kind)

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


class ImageError(ContentError):
    """A post needs an image its campaign does not give (Instagram), or a local file where a public URL is needed."""


# Platforms whose payload carries the campaign's image; Instagram cannot post without one.
IMAGE_PLATFORMS = ("instagram", "threads")
IMAGE_REQUIRED = ("instagram",)


@dataclass(frozen=True)
class ContentItem:
    kind: str  # "benefit" or "technique"
    value: str  # the benefit point or the technique's name
    context: dict[str, Any]
    index: int  # its place in the campaign (0-based)
    template: str  # the template it gets first (the rotation)


def build_drafts(extraction: Extraction, spec: ContentSpec, channels: list[Channel], renderer: Renderer,
                 *, strict: bool = True) -> list[Draft]:
    """One draft per content item and channel, items in article order, templates rotating.

    ``strict``: a post that does not fit its platform raises PostTooLongError (a missing Instagram
    image: ImageError); with ``strict=False`` (preview) it becomes a draft whose ``error`` says why.
    The guard never raises here: its findings are on each draft, and the caller decides what
    ``mode = "block"`` does.
    """
    items = content_items(extraction, spec)
    return [render_draft(extraction, spec, channel, renderer, item, item.template, strict=strict)
            for channel in channels for item in items]


def render_draft(extraction: Extraction, spec: ContentSpec, channel: Channel, renderer: Renderer, item: ContentItem,
                 template: str, *, tag_index: int | None = None, cycle: int = 0, strict: bool = True) -> Draft:
    """One item on one channel through ``template``, with hashtag set ``tag_index`` (default: the
    item's own). ``cycle`` > 0 is an evergreen repeat: its idempotency key carries the cycle number."""
    plan = spec.hashtag_plan
    tags = plan.for_post(item.index if tag_index is None else tag_index, channel.platform)
    disclaimer = spec.disclaimer.text if spec.disclaimer and spec.disclaimer.applies(channel.platform, template) else ""
    context = {**_base_context(extraction, spec, channel, template, tags, disclaimer), **item.context}
    text = renderer.render(template, channel.platform, context)
    claims = spec.guard.check(text.replace(disclaimer, " " * len(disclaimer)) if disclaimer else text)
    if disclaimer and disclaimer not in text:
        text = f"{text}\n\n{disclaimer}"
    where = (f"{renderer.template_file(template, channel.platform)} "
             f"({item.kind} {item.index + 1}, channel {channel.name})")
    post, error = _compile(channel.platform, text, where, plan.cap(channel.platform), strict)
    if error is None:
        post, error = _with_image(post, spec, channel.platform, template, item.kind, where, strict)
    parts = [spec.campaign, channel.name, item.kind, item.value, template] + ([f"cycle {cycle}"] if cycle else [])
    return Draft(channel.name, channel.platform, item.kind, item.value, template, post, idempotency_key(*parts),
                 item.index, where, tags, claims, error)


def _with_image(post: CompiledPost, spec: ContentSpec, platform: str, template: str, kind: str, where: str,
                strict: bool) -> tuple[CompiledPost, str | None]:
    if platform not in IMAGE_PLATFORMS:
        return post, None
    image = spec.image_for(template, kind)
    problem = None
    if image is None:
        if platform in IMAGE_REQUIRED:
            problem = (f"{platform} needs an image and template {template!r} has none: add "
                       f"templates.images.{template} (or templates.images.{kind}) with an https URL")
    elif not image.lower().startswith(("https://", "http://")):
        problem = (f"{platform} fetches the image from a public URL and {image!r} (template {template!r}) is a "
                   "local file: give an https URL, or set templates.image_base_url to where the file is served")
    else:
        return replace(post, payload={**post.payload, "image_url": image}), None
    if problem is None:
        return post, None
    if strict:
        raise ImageError(problem, where)
    return post, problem


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


def content_items(extraction: Extraction, spec: ContentSpec) -> list[ContentItem]:
    """The campaign's content items in order: its benefit points, then its techniques
    (when it has templates for them)."""
    items: list[ContentItem] = []
    for number, benefit in enumerate(extraction.benefits):
        context = {"benefit": {"point": benefit.point, "evidence": benefit.evidence}}
        items.append(ContentItem("benefit", benefit.point, context, len(items),
                                 _rotate(spec.benefit_templates, number)))
    for number, technique in enumerate(extraction.types if spec.technique_templates else []):
        items.append(ContentItem("technique", technique, {"technique": technique}, len(items),
                                 _rotate(spec.technique_templates, number)))
    return items


def templates_for(spec: ContentSpec, kind: str) -> list[str]:
    return list(spec.benefit_templates if kind == "benefit" else spec.technique_templates)


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
