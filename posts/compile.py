"""Compile a rendered text into the exact payload a platform receives, and check that it fits."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from posts.errors import PostTooLongError
from posts.hashtags import Span, find_hashtags, find_links
from posts.platforms import graphemes, rules_for

BLUESKY_TAG_MAX_GRAPHEMES = 64


@dataclass(frozen=True)
class CompiledPost:
    platform: str
    text: str
    length: int
    limit: int
    payload: dict[str, Any] = field(default_factory=dict)


def compile_post(platform: str, text: str, where: str, limit: int | None = None) -> CompiledPost:
    """The post as ``platform`` will receive it; PostTooLongError if it does not fit there."""
    rules = rules_for(platform)
    text = text.strip()
    problems = rules.problems(text, limit)
    if problems:
        raise PostTooLongError("; ".join(problems), where)
    payload = _PAYLOADS.get(platform, _plain_payload)(text)
    return CompiledPost(platform, text, rules.count(text), limit or rules.limit, payload)


def _plain_payload(text: str) -> dict[str, Any]:
    return {"text": text}


def _mastodon_payload(text: str) -> dict[str, Any]:
    return {"status": text}


def _bluesky_payload(text: str) -> dict[str, Any]:
    return {"text": text, "facets": bluesky_facets(text)}


def bluesky_facets(text: str) -> list[dict[str, Any]]:
    """app.bsky.richtext.facet entries for tags and links, at UTF-8 byte offsets."""
    facets = []
    for span in find_hashtags(text):
        if graphemes(span.value) <= BLUESKY_TAG_MAX_GRAPHEMES:
            facets.append(_facet(text, span, {"$type": "app.bsky.richtext.facet#tag", "tag": span.value}))
    for span in find_links(text):
        facets.append(_facet(text, span, {"$type": "app.bsky.richtext.facet#link", "uri": span.value}))
    return sorted(facets, key=lambda facet: facet["index"]["byteStart"])


def _facet(text: str, span: Span, feature: dict[str, str]) -> dict[str, Any]:
    start = len(text[: span.start].encode("utf-8"))
    end = start + len(text[span.start:span.end].encode("utf-8"))
    return {"index": {"byteStart": start, "byteEnd": end}, "features": [feature]}


_PAYLOADS = {"mastodon": _mastodon_payload, "bluesky": _bluesky_payload}
