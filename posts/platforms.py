"""Each network's text rules: how it counts a post, how long a post may be, and what else it refuses.

Every count is taken on the text as the network receives it (``PlatformRules.wire``): for most
networks that is the compiled text itself; for LinkedIn it is the escaped ``commentary``.
Where a network says "characters" without saying more, a character is a Unicode code point.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import regex  # UAX #29 extended grapheme clusters (\X); the stdlib has no segmenter

from posts import twitter
from posts.hashtags import hashtag_spans, link_spans

URL_WEIGHT = 23  # Mastodon (and X) count every link as 23 characters, whatever its length
_GRAPHEME = regex.compile(r"\X")
# A grapheme that is (or carries) an emoji: pictographs, flags (regional indicators), keycaps.
_EMOJI = regex.compile(r"[\p{Extended_Pictographic}\p{Regional_Indicator}\u20E3]")
LINKEDIN_RESERVED = "\\|{}@[]()<>#*_~"  # little text's reserved characters (backslash first), each escaped with one


# Code points that can join a grapheme cluster with a neighbour (UAX #29: Extend, ZWJ, SpacingMark, Prepend,
# regional indicators, Hangul jamo and syllables). A text without any is one grapheme per code point, but CR LF.
_JOINING = regex.compile(r"[\p{GCB=Extend}\p{GCB=ZWJ}\p{GCB=SpacingMark}\p{GCB=Prepend}\p{GCB=Regional_Indicator}"
                         r"\p{GCB=L}\p{GCB=V}\p{GCB=T}\p{GCB=LV}\p{GCB=LVT}]")


def graphemes(text: str) -> int:
    if text.isascii() or twitter.screen_for(_JOINING).search(text) is None or _JOINING.search(text) is None:
        return len(text) - text.count("\r\n")
    return len(_GRAPHEME.findall(text))


def utf8_bytes(text: str) -> int:
    return len(text.encode("utf-8"))


def utf16_units(text: str) -> int:
    """UTF-16 code units: what Telegram (and JavaScript's ``length``) counts; astral characters count 2."""
    return len(text.encode("utf-16-le")) // 2


def code_points(text: str) -> int:
    return len(text)


def graphemes_with_short_links(text: str) -> int:
    """Mastodon's rule: user-perceived characters, each http(s) link counting 23."""
    total, cursor = 0, 0
    for start, end, _ in link_spans(text):
        total += graphemes(text[cursor:start]) + URL_WEIGHT
        cursor = end
    return total + graphemes(text[cursor:])


def threads_length(text: str) -> int:
    """Threads' rule: 500 characters, and "emojis count toward the limit by their UTF-8 byte length".

    A grapheme holding an emoji (a pictograph, a flag, a keycap; with its modifiers, ZWJ partners
    and variation selectors) counts its whole UTF-8 length: 🚀 is 4, 👩‍⚕️ is 13, 🇫🇷 is 8, © is 2.
    Any other text counts one per code point, so a decomposed accent (e + U+0301) counts 2: never
    fewer than Threads itself counts.
    """
    total = 0
    for cluster in _GRAPHEME.findall(text):
        total += utf8_bytes(cluster) if _EMOJI.search(cluster) else len(cluster)
    return total


def linkedin_commentary(text: str) -> str:
    """``text`` in LinkedIn's "little text" format, as the Posts API ``commentary`` expects it.

    Every reserved character (``\\ | { } @ [ ] ( ) < > # * _ ~``) is backslash-escaped: an
    unescaped one starts markup, and LinkedIn silently cuts the post there (a "(" is enough).
    Each hashtag becomes LinkedIn's hashtag template, ``#backPain`` -> ``{hashtag|\\#|backPain}``
    (its name escaped too, so ``#back_pain`` -> ``{hashtag|\\#|back\\_pain}``), so tags still work.
    """
    parts, cursor = [], 0
    for start, end, tag in hashtag_spans(text):
        parts.append(_escape_little_text(text[cursor:start]))
        parts.append("{hashtag|\\#|" + _escape_little_text(tag) + "}")
        cursor = end
    parts.append(_escape_little_text(text[cursor:]))
    return "".join(parts)


def _escape_little_text(text: str) -> str:
    """Each of ``LINKEDIN_RESERVED`` preceded by a backslash (the backslashes first, so that none added is doubled)."""
    text = text.replace("\\", "\\\\")
    for char in LINKEDIN_RESERVED[1:]:
        if char in text:
            text = text.replace(char, "\\" + char)
    return text


def _same(text: str) -> str:
    return text


@dataclass(frozen=True)
class PlatformRules:
    name: str
    limit: int
    count: Callable[[str], int]
    byte_limit: int | None = None
    unit: str = "characters"
    wire: Callable[[str], str] = _same  # the text as sent; counted instead of the compiled text
    max_hashtags: int | None = None  # counted on the compiled text (find_hashtags)
    hashtag_hint: str = ""
    check: Callable[[str], list[str]] | None = None  # further refusals of the network's own

    def problems(self, text: str, limit: int | None = None, max_hashtags: int | None = None) -> list[str]:
        """Why ``text`` cannot be posted here; empty when it fits.

        ``limit`` replaces the network's default length limit (a Mastodon instance's own limit,
        an X account with long posts); ``max_hashtags`` replaces its hashtag cap (Instagram's 30).
        """
        return self.measure(text, limit, max_hashtags)[1]

    def measure(self, text: str, limit: int | None = None, max_hashtags: int | None = None) -> tuple[int, list[str]]:
        """``(length(text), problems(text, ...))``, counting the text once."""
        return self.measure_sent(text, limit, max_hashtags)[1:]

    def measure_sent(self, text: str, limit: int | None = None,
                     max_hashtags: int | None = None) -> tuple[str, int, list[str]]:
        """``(wire(text), length(text), problems(text, ...))``: what ``measure`` gives, and the text as sent."""
        if limit is not None and limit < 1:
            raise ValueError(f"a length limit must be at least 1, not {limit}")
        if max_hashtags is not None and max_hashtags < 0:
            raise ValueError(f"a hashtag cap cannot be negative, not {max_hashtags}")
        limit = self.limit if limit is None else limit
        cap = self.max_hashtags if max_hashtags is None else max_hashtags
        found = []
        if not text.strip():
            found.append("the post is empty")
        sent = self.wire(text)
        length = self.count(sent)
        if length > limit:
            found.append(f"{length} {self.unit} is over {self.name}'s limit of {limit}")
        if self.byte_limit is not None and (size := utf8_bytes(sent)) > self.byte_limit:
            found.append(f"{size} bytes is over {self.name}'s limit of {self.byte_limit} bytes")
        if cap is not None:
            tags = hashtag_spans(text)
            if len(tags) > cap:
                listed = ", ".join(f"#{tag}" for _, _, tag in tags)
                found.append(f"{len(tags)} hashtags ({listed}) is over {self.name}'s limit of {cap}{self.hashtag_hint}")
        if self.check is not None:
            found.extend(self.check(sent))
        return sent, length, found

    def length(self, text: str) -> int:
        """The count this network compares with its limit, taken on the text as sent."""
        return self.count(self.wire(text))


RULES: dict[str, PlatformRules] = {
    "outbox": PlatformRules("outbox", 5000, graphemes),
    "mastodon": PlatformRules("mastodon", 500, graphemes_with_short_links),
    "bluesky": PlatformRules("bluesky", 300, graphemes, byte_limit=3000, unit="graphemes"),
    "x": PlatformRules("x", twitter.MAX_WEIGHTED_LENGTH, twitter.weighted_length, unit="weighted characters",
                       check=twitter.problems),
    "threads": PlatformRules("threads", 500, threads_length, unit="characters (emoji by UTF-8 bytes)",
                             max_hashtags=1, hashtag_hint=" topic tag: keep one #tag in a Threads post"),
    "linkedin": PlatformRules("linkedin", 3000, utf16_units, unit="characters of escaped commentary",
                              wire=linkedin_commentary),
    "telegram": PlatformRules("telegram", 4096, utf16_units, unit="UTF-16 code units"),
    "discord": PlatformRules("discord", 2000, code_points),
    "facebook": PlatformRules("facebook", 63206, code_points),
    "instagram": PlatformRules("instagram", 2200, code_points, max_hashtags=30),
}


def rules_for(platform: str) -> PlatformRules:
    try:
        return RULES[platform]
    except KeyError:
        raise KeyError(f"no text rules for platform {platform!r}") from None
