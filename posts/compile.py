"""Compile a rendered text into the exact payload a platform receives, and check that it fits."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from posts.errors import PostTooLongError
from posts.hashtags import hashtag_spans, link_spans
from posts.platforms import graphemes, rules_for

BLUESKY_TAG_MAX_GRAPHEMES = 64
_LINKEDIN_MENTION = re.compile(r"(?<![\w@])@\w+")


@dataclass(frozen=True)
class CompiledPost:
    """``text`` is the post as written; ``payload`` is exactly what the network receives, and
    ``length`` is counted on it by the network's rule (LinkedIn: on the escaped commentary).
    ``warnings`` name what is sent but will not behave as the text suggests (no refusal)."""

    platform: str
    text: str
    length: int
    limit: int
    payload: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def compile_post(
    platform: str, text: str, where: str, limit: int | None = None, *, max_hashtags: int | None = None
) -> CompiledPost:
    """The post as ``platform`` will receive it; PostTooLongError if it does not fit there.

    ``limit`` overrides the network's length limit (a Mastodon instance's own ``max_characters``,
    an X account allowed long posts); ``max_hashtags`` overrides its hashtag cap (Instagram 30).

    Threads: a post with more than one ``#tag`` is refused, not trimmed. Threads makes one topic
    tag per post, and quietly demoting the others to plain words would publish something other
    than what was previewed; the campaign's Threads hashtag cap (or a Threads template) should
    leave one tag.
    """
    rules = rules_for(platform)
    text = text.strip()
    # counted once: the X count is the costly one
    sent, length, problems = rules.measure_sent(text, limit, max_hashtags)
    if problems:
        raise PostTooLongError("; ".join(problems), where)
    if platform in _PAYLOADS_AND_WARNINGS:  # built together with what measuring already found
        payload, warnings = _PAYLOADS_AND_WARNINGS[platform](text, sent)
    else:
        payload, warnings = _PAYLOADS.get(platform, _plain_payload)(text), []
    return CompiledPost(platform, text, length, rules.limit if limit is None else limit, payload, warnings)


def _plain_payload(text: str) -> dict[str, Any]:
    return {"text": text}


def _mastodon_payload(text: str) -> dict[str, Any]:
    return {"status": text}


def bluesky_facets(text: str) -> list[dict[str, Any]]:
    """app.bsky.richtext.facet entries for tags and links, at UTF-8 byte offsets."""
    return _bluesky_payload_and_warnings(text)[0]["facets"]


def _bluesky_payload_and_warnings(text: str) -> tuple[dict[str, Any], list[str]]:
    """The payload and the warnings from one pass over the tags (each counted in graphemes once)."""
    facets, warnings = [], []
    ascii_text = text.isascii()
    for start, end, tag in hashtag_spans(text):
        if graphemes(tag) <= BLUESKY_TAG_MAX_GRAPHEMES:
            facets.append(_facet(text, start, end, {"$type": "app.bsky.richtext.facet#tag", "tag": tag}, ascii_text))
        else:
            warnings.append(f"#{tag[:20]}… is longer than {BLUESKY_TAG_MAX_GRAPHEMES} graphemes: "
                            "Bluesky will not make it a tag")
    for start, end, url in link_spans(text):
        facets.append(_facet(text, start, end, {"$type": "app.bsky.richtext.facet#link", "uri": url}, ascii_text))
    facets.sort(key=lambda facet: facet["index"]["byteStart"])
    return {"text": text, "facets": facets}, warnings


def _facet(text: str, start: int, end: int, feature: dict[str, str], ascii_text: bool) -> dict[str, Any]:
    """The facet for ``text[start:end]`` at UTF-8 byte offsets (in an ASCII text, the character offsets)."""
    if not ascii_text:
        start, end = len(text[:start].encode("utf-8")), len(text[:end].encode("utf-8"))
    return {"index": {"byteStart": start, "byteEnd": end}, "features": [feature]}


def _linkedin_payload_and_warnings(text: str, sent: str) -> tuple[dict[str, Any], list[str]]:
    """The Posts API ``commentary`` in little text (reserved characters escaped, tags templated): ``sent``,
    which is ``linkedin_commentary(text)``, LinkedIn's ``wire``, already built to count it."""
    return {"commentary": sent}, _linkedin_warnings(text)


def _telegram_payload(text: str) -> dict[str, Any]:
    """sendMessage as plain text: no ``parse_mode``, so nothing in the text is read as markup."""
    return {"text": text}


def _discord_payload(text: str) -> dict[str, Any]:
    """A webhook/channel message that can ping no one, whatever the text says (@everyone, <@id>)."""
    return {"content": text, "allowed_mentions": {"parse": []}}


def _facebook_payload(text: str) -> dict[str, Any]:
    return {"message": text}


def _instagram_payload(text: str) -> dict[str, Any]:
    return {"caption": text}


def _linkedin_warnings(text: str) -> list[str]:
    if "@" not in text:  # every mention holds it
        return []
    return [f"{mention} is sent as plain text: a LinkedIn mention needs the member's or page's URN"
            for mention in dict.fromkeys(_LINKEDIN_MENTION.findall(text))]


_PAYLOADS = {
    "mastodon": _mastodon_payload,
    "x": _plain_payload,
    "threads": _plain_payload,
    "telegram": _telegram_payload,
    "discord": _discord_payload,
    "facebook": _facebook_payload,
    "instagram": _instagram_payload,
}
_PAYLOADS_AND_WARNINGS = {
    "bluesky": lambda text, sent: _bluesky_payload_and_warnings(text),
    "linkedin": _linkedin_payload_and_warnings,
}
