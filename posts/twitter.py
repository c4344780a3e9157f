"""X (Twitter): the twitter-text v3 weighted length, and hashtags as X extracts them.

Counting uses the ``twitter-text-parser`` package (``import twitter_text``), a port of Twitter's
twitter-text that passes its conformance suite: NFC normalisation, every URL (with or without a
protocol, validated against the TLD lists) weighs 23, code points in 0-4351, 8192-8205,
8208-8223 and 8242-8247 weigh 1 and all others 2, and with the v3 configuration every emoji
sequence (ZWJ families, skin tones, flags, keycaps) weighs 2. The URL grammar is the hard part
and the reason to take a library rather than re-derive it here; its regex runs only on the words
that can hold a URL (``_extract_urls``: the same list, ~1 µs instead of ~50-90 µs a post without
one). ``parse_tweet`` below runs the package's loop itself, finding emoji sequences as grapheme
clusters (see there), not with the package's emoji alternation (~1.3 ms a post).

That package has no hashtag extractor, so ``extract_hashtags_with_indices`` implements
twitter-text's own rule (validHashtag, endHashtagMatch, URL overlap removal) with ``regex``.

The package is imported lazily (it compiles a large emoji pattern, about half a second), so that
importing ``posts`` stays cheap for callers that never compile an X post.
"""

from __future__ import annotations

import hashlib
import re
import sys
import types
import unicodedata
from bisect import bisect_right
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
_EMOJI_CHARACTER = regex.compile(r"[\p{Extended_Pictographic}\p{Regional_Indicator}\u20E3]")  # one in every match
_GRAPHEME = regex.compile(r"\X")
_LINE_ENDING = regex.compile(r"\r\n|\r")
_INVALID = regex.compile(r"[\uFFFE\uFEFF\uFFFF]")  # twitter-text's invalid_chars_group


@lru_cache(maxsize=None)
def _weighing(version: int) -> tuple[dict[str, Any], int, int, re.Pattern[str] | None, bool]:
    """The configuration, the light (in-range) and default weights, a pattern for default-weight characters,
    and whether every ASCII character is light."""
    config = _config(version)
    weights = {r["weight"] for r in config["ranges"]}
    if len(weights) > 1:  # not so in any twitter-text configuration: refuse rather than weigh wrongly
        raise NotImplementedError("twitter-text ranges of different weights")
    light = weights.pop() if weights else config["default_weight"]
    ranges = "".join(f"\\U{r['start']:08X}-\\U{r['end']:08X}" for r in config["ranges"])
    heavy = re.compile(f"[^{ranges}]") if ranges else None  # code point ranges only: stdlib re is exact, and faster
    ascii_light = heavy is None or heavy.search("".join(map(chr, range(128)))) is None
    return config, light, config["default_weight"], heavy, ascii_light


# Blocks most posts are written in (Latin, Greek, Cyrillic, punctuation, symbols, arrows, CJK punctuation,
# full-width forms, emoji), whose characters ``screen_for`` sorts once.
COMMON_BLOCKS = [(0x0000, 0x052F), (0x1E00, 0x1EFF), (0x2000, 0x2BFF), (0x3000, 0x303F), (0xFF00, 0xFFEF),
                 (0x1F000, 0x1FAFF)]


@lru_cache(maxsize=None)
def screen_for(character: regex.Pattern[str]) -> re.Pattern[str]:
    """A stdlib ``re`` class matching every character that ``character`` (a one-character ``regex`` pattern,
    Unicode properties and all) may match: every character but those of ``COMMON_BLOCKS`` that ``character``
    does not match. No match of the screen, no match of ``character``; and the screen is searched several
    times faster than Unicode properties. Built once per pattern (~4 ms)."""
    probe = "".join(chr(code) for low, high in COMMON_BLOCKS for code in range(low, high + 1))
    matched = set(character.findall(probe))
    plain = [ord(char) for char in probe if char not in matched]
    ranges, start = [], plain[0]
    for previous, code in zip(plain, plain[1:] + [-1]):
        if code != previous + 1:
            ranges.append(f"\\U{start:08X}-\\U{previous:08X}")
            start = code
    return re.compile(f"[^{''.join(ranges)}]")


def _emoji_entities(text: str) -> dict[int, int]:
    """start -> end of each emoji sequence (the grapheme cluster an emoji starts) in ``text``."""
    found: dict[int, int] = {}
    if screen_for(_EMOJI_CHARACTER).search(text) is None:
        return found  # no emoji character, so no sequence
    cursor = 0
    for emoji in _EMOJI_START.finditer(text):
        if emoji.start() >= cursor:  # not a ZWJ partner inside the previous sequence
            cursor = found[emoji.start()] = _GRAPHEME.match(text, emoji.start()).end()
    return found


# twitter-text-parser 3.0.0's URL grammar (``extract_url``: sha256 of "<flags>:<pattern>"), the one the windowed
# search below was proven equal for; any other grammar is searched with the package's own function, whole.
_URL_GRAMMAR = "72aeaa9bb4be6b6f0086788997492f86d882b07b2ac33555a963c1ae8623de60"


def _alternation(words: list[str]) -> str:
    """A regular expression matching exactly the strings in ``words``, as a trie (a flat ~1,600-branch
    alternation is tried branch by branch: ~10 µs at each place, against well under 1 µs)."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        branches = [char + emit(child) for char, child in node.items() if char] + ([""] if "" in node else [])
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return emit(trie)


@lru_cache(maxsize=None)
def _url_search() -> tuple[re.Pattern[str], re.Pattern[str]] | None:
    """``(candidates, separators)`` for ``_extract_urls``, or None when the package's URL grammar is not the one
    the windowed search was proven for (then URLs are searched with the package's function over the whole text).

    ``candidates`` finds each '.' that the grammar's top-level-domain group (gTLD | ccTLD | punycode, with
    the gTLD/ccTLD look-ahead) matches right after: the same literals and look-ahead, same flags, written as a
    trie. ``separators`` is twitter-text's ``spaces_group``.
    """
    _twitter_text()
    from twitter_text.regexp.extract_url import extract_url
    from twitter_text.regexp.spaces_group import spaces_group
    from twitter_text.regexp.valid_cctld import valid_cctld
    from twitter_text.regexp.valid_gtld import valid_gtld
    from twitter_text.regexp.valid_punycode import valid_punycode

    grammar = hashlib.sha256(f"{extract_url.flags}:{extract_url.pattern}".encode()).hexdigest()
    tld_group = f"\\.)(?:{valid_gtld.pattern}|{valid_cctld.pattern}|{valid_punycode.pattern}))"
    if grammar != _URL_GRAMMAR or extract_url.pattern.count(tld_group) != 1:
        return None
    head, look_ahead = "(?:(?:", ")(?=[^0-9a-zA-Z@+-]|$))"
    words: list[str] = []
    for tlds in (valid_gtld, valid_cctld):
        if not (tlds.pattern.startswith(head) and tlds.pattern.endswith(look_ahead)):
            return None
        words += tlds.pattern[len(head):-len(look_ahead)].split("|")
    if any(not word or re.escape(word) != word or "." in word for word in words):
        return None  # plain literals without a dot, as the proof in _extract_urls needs
    candidates = re.compile(f"\\.(?:(?:{_alternation(words)})(?=[^0-9a-zA-Z@+-]|$)|{valid_punycode.pattern})",
                            extract_url.flags)
    return candidates, re.compile(f"[{spaces_group}]")


def _extract_urls(text: str) -> list[dict[str, Any]]:
    """``twitter_text.extract_urls_with_indices(text)``, the same list, running its URL regex only where a URL can be.

    Why this is the same (for the grammar ``_URL_GRAMMAR`` names; ``tests/test_fast_counts.py`` checks it too):

    1. Every match of twitter-text's ``extract_url`` holds a '.' that its TLD group matches right after (the
       domain is ``subdomain* domain_name TLD`` and ``domain_name`` ends with ``\\.``). ``candidates`` finds exactly
       those dots (no TLD holds a '.', so no two overlap). No candidate: no match, and the package returns [].
    2. A match is one preceding character (or none, at the start of the text) and the URL, and no part of the URL
       (protocol, domain characters, TLD, port, path, query) matches a ``spaces_group`` character. So each match
       lies inside one window: a separator (or the start of the text) and the run of non-separators after it.
    3. Run on such a window alone, the regex takes the same paths at every position of it: what it reads past the
       window's end is a separator, which only the TLD look-ahead ``(?=[^0-9a-zA-Z@+-]|$)`` accepts, as ``$``
       accepts the window's end (and the window never ends with a newline); ``^`` also matching at the window's
       first character, a separator, leads nowhere, since no URL starts with a separator. The package's
       checks after the regex (IDNA, protocol-less ASCII domains, t.co) read only the match.
    So the package's function over each window holding a candidate, indices shifted, gives the whole-text list.
    """
    search = _url_search()
    if search is None:
        return _twitter_text().extract_urls_with_indices(text)
    candidates, separators = search
    dots = [match.start() for match in candidates.finditer(text)]
    if not dots:
        return []
    extract = _twitter_text().extract_urls_with_indices
    breaks = [match.start() for match in separators.finditer(text)]
    urls: list[dict[str, Any]] = []
    searched = -1
    for dot in dots:
        at = bisect_right(breaks, dot)
        start = breaks[at - 1] if at else 0
        if start == searched:
            continue  # another candidate of the window just searched
        searched = start
        end = breaks[at] if at < len(breaks) else len(text)
        for url in extract(text[start:end]):
            url["indices"] = [url["indices"][0] + start, url["indices"][1] + start]
            urls.append(url)
    return urls


def _utf16(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-16-le")) // 2


def _weigh(text: str, version: int) -> tuple[str, dict[int, tuple[int, int]], int]:
    """The NFC text with CR LF/CR as LF (what twitter-text counts), its entities (start -> (end, weight): URLs,
    emoji sequences) and its scaled total weight."""
    config, light, heavy_weight, heavy, ascii_light = _weighing(version)
    normalized = unicodedata.normalize("NFC", text)
    if "\r" in normalized:
        normalized = _LINE_ENDING.sub("\n", normalized)
    url_weight = config["transformed_url_length"] * config["scale"]
    entities = {u["indices"][0]: (u["indices"][1], url_weight) for u in _extract_urls(normalized)}
    is_ascii = normalized.isascii()
    if config["emoji_parsing_enabled"] and not is_ascii:  # no ASCII character starts an emoji sequence
        for start, end in _emoji_entities(normalized).items():
            entities.setdefault(start, (end, heavy_weight))  # a URL starting at the same place wins, as in the loop
    if is_ascii and ascii_light:
        heavy = None  # every character weighs ``light``

    def plain(start: int, end: int) -> int:
        weight = light * (end - start)
        if heavy is not None:
            weight += (heavy_weight - light) * len(heavy.findall(normalized, start, end))
        return weight

    if not entities:
        return normalized, entities, plain(0, len(normalized))
    total, cursor = 0, 0
    for start in sorted(entities):
        if start < cursor:
            continue  # starts inside the previous entity: the loop has already stepped over it
        end, weight = entities[start]
        total += plain(cursor, start) + weight
        cursor = end
    return normalized, entities, total + plain(cursor, len(normalized))


def parse_tweet(text: str, version: int = 3) -> dict[str, Any]:
    """twitter-text's parseTweet: weightedLength, valid, permillage and the display/valid ranges.

    ``version`` picks the twitter-text configuration (1: 140 plain; 2: 280 weighted; 3: 280
    weighted with emoji sequences discounted, which is what X uses today).

    This is the package's ``parse_tweet`` loop with changes that keep its results (checked
    against twitter-text's conformance suite, and against the package in tests/test_fast_counts.py):
    emoji sequences are found as grapheme clusters (``regex`` ``\\X``) that start with an emoji, rather
    than with the package's ~2,560-branch alternation (about 1.3 ms a post), which it runs even with
    emoji parsing off; URLs are searched only in the words that can hold one (``_extract_urls``); and
    a text that fits and holds no invalid character is weighed by spans, not character by
    character (the exact loop runs only to find where an over-long or invalid text stops being valid).
    """
    config, light, heavy_weight, heavy, _ = _weighing(version)
    scale = config["scale"]
    limit = config["max_weighted_tweet_length"]
    normalized, entities, total = _weigh(text, version)

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


def weighted_length(text: str, version: int = 3) -> int:
    """The v3 weighted length X compares against 280 (``parse_tweet(text)["weightedLength"]``, without the ranges)."""
    return int(_weigh(text, version)[2] / _weighing(version)[0]["scale"])


def problems(text: str) -> list[str]:
    """X-only refusals besides length: characters twitter-text marks invalid (its ``invalid_chars``: U+FFFE,
    U+FEFF, U+FFFF)."""
    if "\uFFFE" in text or "\uFEFF" in text or "\uFFFF" in text:
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
    return [Span(u["indices"][0], u["indices"][1], u["url"]) for u in _extract_urls(text)]


def extract_hashtags(text: str) -> list[str]:
    return [span.value for span in extract_hashtags_with_indices(text)]
