"""X (Twitter): the twitter-text v3 weighted length, and hashtags as X extracts them.

Counting uses the ``twitter-text-parser`` package (``import twitter_text``), a port of Twitter's
twitter-text that passes its conformance suite: NFC normalisation, every URL (with or without a
protocol, validated against the TLD lists) weighs 23, code points in 0-4351, 8192-8205,
8208-8223 and 8242-8247 weigh 1 and all others 2, and with the v3 configuration every emoji
sequence (ZWJ families, skin tones, flags, keycaps) weighs 2. The URL grammar is the hard part
and the reason to take a library rather than re-derive it here.

That package has no hashtag extractor, so ``extract_hashtags_with_indices`` implements
twitter-text's own rule (validHashtag, endHashtagMatch, URL overlap removal) with ``regex``.

The package is imported lazily (it compiles a large emoji pattern, about half a second), so that
importing ``posts`` stays cheap for callers that never compile an X post.
"""

from __future__ import annotations

import sys
import types
from functools import lru_cache
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
def _config(version: int, emoji: bool = True) -> dict[str, Any]:
    config = dict(_twitter_text().config.config[f"version{version}"])
    config.setdefault("emoji_parsing_enabled", False)  # v1 and v2 predate emoji discounting
    if not emoji:
        config["emoji_parsing_enabled"] = False
    return config


# Every emoji sequence twitter-text discounts holds one of these (a pictograph, a regional indicator, a keycap).
# Without one, its emoji scan (a ~2,560-branch alternation, ~1 ms a post) finds nothing: it is skipped.
_EMOJI_CAPABLE = regex.compile(r"[\p{Extended_Pictographic}\p{Regional_Indicator}\u20E3]")


def parse_tweet(text: str, version: int = 3) -> dict[str, Any]:
    """twitter-text's parseTweet: weightedLength, valid, permillage and the display/valid ranges.

    ``version`` picks the twitter-text configuration (1: 140 plain; 2: 280 weighted; 3: 280
    weighted with emoji sequences discounted, which is what X uses today).
    """
    emoji = version >= 3 and _EMOJI_CAPABLE.search(text) is not None
    return _twitter_text().parse_tweet(text, _config(version, emoji)).asdict()


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
