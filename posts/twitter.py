"""X (Twitter): the twitter-text v3 weighted length, and hashtags as X extracts them.

Counting uses the ``twitter-text-parser`` package (``import twitter_text``), a port of Twitter's
twitter-text that passes its conformance suite: NFC normalisation, every URL (with or without a
protocol, validated against the TLD lists) weighs 23, code points in 0-4351, 8192-8205,
8208-8223 and 8242-8247 weigh 1 and all others 2, and with the v3 configuration every emoji
sequence (ZWJ families, skin tones, flags, keycaps) weighs 2. The URL grammar is the hard part
and the reason to take a library rather than re-derive it here. ``parse_tweet`` below runs the
package's loop itself, finding emoji sequences as grapheme clusters (see there), not with the
package's emoji alternation (~1.3 ms a post).

That package has no hashtag extractor, so ``extract_hashtags_with_indices`` implements
twitter-text's own rule (validHashtag, endHashtagMatch, URL overlap removal) with ``regex``.

The package is imported lazily (it compiles a large emoji pattern, about half a second), so that
importing ``posts`` stays cheap for callers that never compile an X post.
"""

from __future__ import annotations

import sys
import types
import unicodedata
from functools import lru_cache
from math import floor
from pathlib import Path
from typing import Any

import regex

from posts.hashtags import Span

MAX_WEIGHTED_LENGTH = 280


@lru_cache(maxsize=None)
def _twitter_text() -> types.ModuleType:
    """Import ``twitter_text``; it reads its emoji list with ``pkg_resources.resource_string``.

    ``pkg_resources`` is deprecated and missing from fresh venvs of newer setuptools/Pythons,
    so when it is not already loaded a minimal stand-in that reads the file next to the module
    is lent for the import and withdrawn afterwards (nothing else ever sees it).
    """
    lent = None
    if "pkg_resources" not in sys.modules:
        lent = types.ModuleType("pkg_resources")
        lent.resource_string = lambda module, name: Path(sys.modules[module].__file__).with_name(name).read_bytes()
        sys.modules["pkg_resources"] = lent
    try:
        import twitter_text
        import twitter_text.config  # noqa: F401  (the v1/v2/v3 configurations)
    finally:
        if lent is not None and sys.modules.get("pkg_resources") is lent:
            del sys.modules["pkg_resources"]
    return twitter_text


@lru_cache(maxsize=None)
def _config(version: int) -> dict[str, Any]:
    config = dict(_twitter_text().config.config[f"version{version}"])
    config.setdefault("emoji_parsing_enabled", False)  # v1 and v2 predate emoji discounting
    return config


# An emoji sequence as twitter-text v3 discounts it (one grapheme cluster: a pictograph with its
# modifiers, variation selectors, ZWJ partners or tag sequence; a regional-indicator pair; a keycap):
# it weighs ``default_weight`` whatever its code points.
_EMOJI_START = regex.compile(r"\p{Extended_Pictographic}|\p{Regional_Indicator}{2}|[#*0-9]\uFE0F?\u20E3")
_GRAPHEME = regex.compile(r"\X")
_LINE_ENDING = regex.compile(r"\r\n|\r")
_INVALID = regex.compile(r"[\uFFFE\uFEFF\uFFFF]")  # twitter-text's invalid_chars_group


@lru_cache(maxsize=None)
def _weighing(version: int) -> tuple[dict[str, Any], int, int, regex.Pattern[str] | None]:
    """The configuration, the light (in-range) and default weights, and a pattern for default-weight characters."""
    config = _config(version)
    weights = {r["weight"] for r in config["ranges"]}
    if len(weights) > 1:  # not so in any twitter-text configuration: refuse rather than weigh wrongly
        raise NotImplementedError("twitter-text ranges of different weights")
    light = weights.pop() if weights else config["default_weight"]
    ranges = "".join(f"\\U{r['start']:08X}-\\U{r['end']:08X}" for r in config["ranges"])
    heavy = regex.compile(f"[^{ranges}]") if ranges else None
    return config, light, config["default_weight"], heavy


def _emoji_entities(text: str) -> dict[int, int]:
    """start -> end of each emoji sequence (the grapheme cluster an emoji starts) in ``text``."""
    found: dict[int, int] = {}
    cursor = 0
    for emoji in _EMOJI_START.finditer(text):
        if emoji.start() >= cursor:  # not a ZWJ partner inside the previous sequence
            cursor = found[emoji.start()] = _GRAPHEME.match(text, emoji.start()).end()
    return found


def _utf16(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-16-le")) // 2


def parse_tweet(text: str, version: int = 3) -> dict[str, Any]:
    """twitter-text's parseTweet: weightedLength, valid, permillage and the display/valid ranges.

    ``version`` picks the twitter-text configuration (1: 140 plain; 2: 280 weighted; 3: 280
    weighted with emoji sequences discounted, which is what X uses today).

    This is the package's ``parse_tweet`` loop with two changes that keep its results (checked
    against twitter-text's conformance suite): emoji sequences are found as grapheme clusters
    (``regex`` ``\\X``) that start with an emoji, rather than with the package's ~2,560-branch
    alternation (about 1.3 ms a post), which it runs even with emoji parsing off; and
    a text that fits and holds no invalid character is weighed by spans, not character by
    character (the exact loop runs only to find where an over-long or invalid text stops being valid).
    """
    config, light, heavy_weight, heavy = _weighing(version)
    scale = config["scale"]
    limit = config["max_weighted_tweet_length"]
    url_weight = config["transformed_url_length"] * scale
    normalized = unicodedata.normalize("NFC", text)
    if "\r" in normalized:
        normalized = _LINE_ENDING.sub("\n", normalized)
    tt = _twitter_text()
    entities = {u["indices"][0]: (u["indices"][1], url_weight) for u in tt.extract_urls_with_indices(normalized)}
    if config["emoji_parsing_enabled"]:
        for start, end in _emoji_entities(normalized).items():
            entities.setdefault(start, (end, heavy_weight))  # a URL starting at the same place wins, as in the loop

    def plain(start: int, end: int) -> int:
        weight = light * (end - start)
        if heavy is not None:
            weight += (heavy_weight - light) * len(heavy.findall(normalized, start, end))
        return weight

    total, cursor = 0, 0
    for start in sorted(entities):
        if start < cursor:
            continue  # starts inside the previous entity: the loop has already stepped over it
        end, weight = entities[start]
        total += plain(cursor, start) + weight
        cursor = end
    total += plain(cursor, len(normalized))

    if total <= limit * scale and _INVALID.search(normalized) is None:
        valid, last_valid = True, max(len(normalized) - 1, 0)
    else:  # where the valid part ends: twitter-text's own loop
        valid, last_valid, running, index = True, 0, 0, 0
        while index < len(normalized):
            if index in entities:
                end, weight = entities[index]
                running += weight
                index = end - 1
            else:
                running += heavy_weight if heavy is not None and heavy.match(normalized, index) else light
            if valid:
                valid = normalized[index] not in "\uFFFE\uFEFF\uFFFF"
            if valid and running <= limit * scale:
                last_valid = index
            index += 1
    weighted = int(total / scale)
    display_end = _utf16(text) - 1
    return {
        "valid": valid and 0 < weighted <= limit,
        "weightedLength": weighted,
        "permillage": floor((weighted / limit) * 1000),
        "validRangeStart": 0,
        "validRangeEnd": _utf16(normalized[:last_valid + 1]) - 1 + (_utf16(text) - _utf16(normalized)),
        "displayRangeStart": 0,
        "displayRangeEnd": max(display_end, 0),
    }


def weighted_length(text: str) -> int:
    """The v3 weighted length X compares against 280."""
    return parse_tweet(text)["weightedLength"]


def problems(text: str) -> list[str]:
    """X-only refusals besides length: characters twitter-text marks invalid (U+FFFE, U+FEFF, U+FFFF, ...)."""
    _twitter_text()
    from twitter_text.has_invalid_characters import has_invalid_characters

    if has_invalid_characters(text):
        return ["the post contains characters X refuses (U+FFFE, U+FEFF or U+FFFF)"]
    return []


# twitter-text's hashtag grammar (twitter-text/js/src/regexp: hashtagAlpha, hashtagAlphaNumeric,
# hashtagBoundary, validHashtag, endHashtagMatch).
_HASHTAG_SPECIAL = "_\u200c\u200d\ua67e\u05be\u05f3\u05f4\uff5e\u301c\u309b\u309c\u30a0\u30fb\u3003\u0f0b\u0f0c\u00b7"
_ALPHA = r"[\p{L}\p{M}]"
_ALNUM = rf"[\p{{L}}\p{{M}}\p{{Nd}}{_HASHTAG_SPECIAL}]"
_VALID_HASHTAG = regex.compile(
    # hashtagBoundary: start of text, a variation selector (itself a mark, hence spelled out), or
    # any character that is neither hashtag-alphanumeric nor '&'.
    rf"(?:(?<=[\uFE0E\uFE0F])|(?<![\p{{L}}\p{{M}}\p{{Nd}}{_HASHTAG_SPECIAL}&]))"
    rf"[#＃](?![\uFE0F\u20E3])(?P<tag>{_ALNUM}*{_ALPHA}{_ALNUM}*)",
    regex.IGNORECASE,
)
_END_HASHTAG = regex.compile(r"[#＃]|://")


def extract_hashtags_with_indices(text: str) -> list[Span]:
    """Hashtags as X links them: spans cover '#tag' in code-point offsets, ``value`` is the tag.

    A hashtag needs a letter or mark, does not follow a letter, digit or '&', is not followed by
    another '#' or '://', and is dropped where it lies inside a URL (``example.com/#frag``).
    """
    tags = []
    for match in _VALID_HASHTAG.finditer(text):
        if _END_HASHTAG.match(text, match.end()):
            continue
        tags.append(Span(match.start(), match.end(), match["tag"]))
    if not tags:
        return tags
    urls = extract_urls_with_indices(text)
    # removeOverlappingEntities: in start order, an entity starting inside the previous one is dropped.
    kept: list[tuple[Span, bool]] = []
    for span, is_tag in sorted([(t, True) for t in tags] + [(u, False) for u in urls], key=lambda e: e[0].start):
        if kept and span.start < kept[-1][0].end:
            continue
        kept.append((span, is_tag))
    return [span for span, is_tag in kept if is_tag]


def extract_urls_with_indices(text: str) -> list[Span]:
    """URLs as X finds (and weighs 23) them, with or without a protocol, in code-point offsets."""
    return [Span(u["indices"][0], u["indices"][1], u["url"]) for u in _twitter_text().extract_urls_with_indices(text)]


def extract_hashtags(text: str) -> list[str]:
    return [span.value for span in extract_hashtags_with_indices(text)]
