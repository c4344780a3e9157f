"""Hashtags: validate the campaign's tags and find the tags and links inside a post's text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from posts.errors import HashtagError

# A tag is letters, marks, digits and underscores after '#'; it ends before punctuation.
_TAG_BODY = r"[^\W_]\w*|_\w*[^\W_]\w*"
# A tag starts the text or follows whitespace, "(" or "[": written '#' first, then the look-behind (the character
# before the '#' is not one of those), so that re jumps from '#' to '#' instead of trying every position.
_TAG_IN_TEXT = re.compile(rf"[#＃](?<![^\s(\[][#＃])(?P<tag>{_TAG_BODY})", re.UNICODE)
_VALID_TAG = re.compile(rf"^#?(?:{_TAG_BODY})$", re.UNICODE)
URL = re.compile(r"https?://[^\s<>\"'“”‘’]+", re.IGNORECASE)
_URL_TRAILING = ".,;:!?)]}'\""


@dataclass(frozen=True)
class Span:
    start: int  # character offsets in the text
    end: int
    value: str  # the tag without '#', or the URL


def normalize_hashtag(tag: str, where: str) -> str:
    """'#Sciatica' or 'sciatica' -> '#Sciatica'; refuses what would not become a real tag."""
    cleaned = tag.strip()
    if not cleaned or not _VALID_TAG.match(cleaned):
        raise HashtagError(f"invalid hashtag {tag!r}: use letters, digits and underscores only, no spaces", where)
    body = cleaned.lstrip("#")
    if body.isdigit():
        raise HashtagError(f"invalid hashtag {tag!r}: a tag cannot be all digits", where)
    return f"#{body}"


def find_hashtags(text: str) -> list[Span]:
    return [Span(start, end, tag) for start, end, tag in hashtag_spans(text)]


def hashtag_spans(text: str) -> list[tuple[int, int, str]]:
    """``find_hashtags`` as plain ``(start, end, tag)`` tuples (a frozen Span costs more to build than to find)."""
    if "#" not in text and "＃" not in text:
        return []
    return [(match.start(), match.end(), match["tag"]) for match in _TAG_IN_TEXT.finditer(text)
            if not match["tag"].isdigit()]


def find_links(text: str) -> list[Span]:
    return [Span(start, end, url) for start, end, url in link_spans(text)]


def link_spans(text: str) -> list[tuple[int, int, str]]:
    """``find_links`` as plain ``(start, end, url)`` tuples."""
    spans: list[tuple[int, int, str]] = []
    for match in _url_matches(text):
        url = match.group(0).rstrip(_URL_TRAILING)
        # Keep a closing parenthesis that belongs to the URL, as in Wikipedia links.
        while match.group(0)[len(url):len(url) + 1] == ")" and url.count("(") > url.count(")"):
            url += ")"
        spans.append((match.start(), match.start() + len(url), url))
    return spans


def _url_matches(text: str) -> Iterator[re.Match[str]]:
    """``URL.finditer(text)``, trying ``URL`` only where a match can start: 4 or 5 characters ("http", "https")
    before a "://". Every match has its "://" there, and the places come in order (two "://" are at least three
    apart), so the first place from the end of the last match where ``URL`` matches is where finditer finds
    the next one."""
    cursor = 0
    at = text.find("://")
    while at >= 0:
        for start in (at - 5, at - 4):
            if start >= cursor:
                match = URL.match(text, start)
                if match:
                    yield match
                    cursor = match.end()
                    break
        at = text.find("://", max(at + 3, cursor - 3))
