"""Hashtags: validate the campaign's tags and find the tags and links inside a post's text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from posts.errors import HashtagError

# A tag is letters, marks, digits and underscores after '#'; it ends before punctuation.
_TAG_BODY = r"[^\W_]\w*|_\w*[^\W_]\w*"
_TAG_IN_TEXT = re.compile(rf"(?:^|(?<=[\s(\[]))[#＃](?P<tag>{_TAG_BODY})", re.UNICODE)
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
    spans = []
    for match in _TAG_IN_TEXT.finditer(text):
        tag = match["tag"]
        if tag.isdigit():
            continue
        spans.append(Span(match.start(), match.end(), tag))
    return spans


def find_links(text: str) -> list[Span]:
    spans = []
    for match in URL.finditer(text):
        url = match.group(0).rstrip(_URL_TRAILING)
        # Keep a closing parenthesis that belongs to the URL, as in Wikipedia links.
        while match.group(0)[len(url):len(url) + 1] == ")" and url.count("(") > url.count(")"):
            url += ")"
        spans.append(Span(match.start(), match.start() + len(url), url))
    return spans
