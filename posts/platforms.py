"""Each network's text rules: how it counts a post and how long a post may be."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import regex  # UAX #29 extended grapheme clusters (\X); the stdlib has no segmenter

from posts.hashtags import find_links

URL_WEIGHT = 23  # Mastodon (and X) count every link as 23 characters, whatever its length
_GRAPHEME = regex.compile(r"\X")


def graphemes(text: str) -> int:
    return len(_GRAPHEME.findall(text))


def utf8_bytes(text: str) -> int:
    return len(text.encode("utf-8"))


def graphemes_with_short_links(text: str) -> int:
    """Mastodon's rule: user-perceived characters, each http(s) link counting 23."""
    total, cursor = 0, 0
    for link in find_links(text):
        total += graphemes(text[cursor:link.start]) + URL_WEIGHT
        cursor = link.end
    return total + graphemes(text[cursor:])


@dataclass(frozen=True)
class PlatformRules:
    name: str
    limit: int
    count: Callable[[str], int]
    byte_limit: int | None = None
    unit: str = "characters"

    def problems(self, text: str, limit: int | None = None) -> list[str]:
        """Why ``text`` cannot be posted here; empty when it fits."""
        limit = limit or self.limit
        found = []
        if not text.strip():
            found.append("the post is empty")
        length = self.count(text)
        if length > limit:
            found.append(f"{length} {self.unit} is over {self.name}'s limit of {limit}")
        if self.byte_limit is not None and utf8_bytes(text) > self.byte_limit:
            found.append(f"{utf8_bytes(text)} bytes is over {self.name}'s limit of {self.byte_limit} bytes")
        return found


RULES: dict[str, PlatformRules] = {
    "outbox": PlatformRules("outbox", 5000, graphemes),
    "mastodon": PlatformRules("mastodon", 500, graphemes_with_short_links),
    "bluesky": PlatformRules("bluesky", 300, graphemes, byte_limit=3000, unit="graphemes"),
}


def rules_for(platform: str) -> PlatformRules:
    try:
        return RULES[platform]
    except KeyError:
        raise KeyError(f"no text rules for platform {platform!r}") from None
