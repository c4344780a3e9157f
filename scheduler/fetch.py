"""Fetch an article from an http(s) URL (the I/O half of `extract URL`; parsing stays in posts/)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import requests

from posts.article import detect_format
from posts.errors import ArticleError

_MAX_BYTES = 5_000_000  # a clinic's blog post, not a download
_USER_AGENT = "hashtag-scheduler (article fetch)"


def is_url(text: str) -> bool:
    return bool(re.match(r"^https?://", text.strip(), re.IGNORECASE))


def fetch_article(url: str, session: requests.Session, timeout: float) -> tuple[str, str]:
    """The article's text and its format ("html", "md" or "txt").

    Every failure is an ArticleError whose one line names the URL: a network error, a timeout,
    an HTTP error status, an oversized or non-text response.
    """
    if not urlsplit(url).netloc:
        raise ArticleError("not a valid http(s) URL", url)
    try:
        response = session.get(url, timeout=timeout, headers={"User-Agent": _USER_AGENT}, stream=True)
    except requests.Timeout:
        raise ArticleError(f"cannot fetch the article: no answer within {timeout:g} s", url) from None
    except requests.RequestException as error:
        raise ArticleError(f"cannot fetch the article: {error.__class__.__name__}", url) from None
    with response:
        if response.status_code >= 400:
            reason = f" {response.reason}" if response.reason else ""
            raise ArticleError(f"cannot fetch the article: HTTP {response.status_code}{reason}", url)
        content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type and not (content_type.startswith("text/") or content_type in {"application/xhtml+xml", "application/xml"}):
            raise ArticleError(f"cannot use the article: the server sent {content_type}, not text or HTML", url)
        try:
            raw = b""
            for chunk in response.iter_content(65536):
                raw += chunk
                if len(raw) > _MAX_BYTES:
                    raise ArticleError(f"cannot use the article: more than {_MAX_BYTES // 1_000_000} MB", url)
        except requests.RequestException as error:
            raise ArticleError(f"cannot fetch the article: {error.__class__.__name__}", url) from None
        encoding = response.encoding if "charset" in response.headers.get("Content-Type", "").lower() else None
        text = raw.decode(encoding or _sniff_encoding(raw), errors="replace")
    return text, _format_for(content_type, urlsplit(url).path)


def _format_for(content_type: str, path: str) -> str:
    if content_type in {"text/markdown", "text/x-markdown"}:
        return "md"
    if content_type == "text/plain":
        return detect_format(path) if detect_format(path) == "md" else "txt"
    return "html"


def _sniff_encoding(raw: bytes) -> str:
    declared = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", raw[:4096], re.IGNORECASE)
    if declared:
        name = declared.group(1).decode("ascii", "replace")
        try:
            "".encode(name)
            return name
        except LookupError:
            pass
    return "utf-8"
