"""UTM parameters on the links a post carries, so the clinic can see which post brought a visit."""

from __future__ import annotations

from urllib.parse import quote, unquote_plus, urlsplit, urlunsplit

UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign", "utm_content")
MEDIUM = "social"


def with_utm(url: str, *, source: str, campaign: str, content: str, medium: str = MEDIUM) -> str:
    """``url`` with this post's UTM parameters; anything else in its query and its fragment kept.

    A ``utm_*`` parameter already in ``url`` is replaced (the per-post value is the point); every
    other parameter is kept byte for byte, in its place. A value that is not an http(s) URL is
    returned as is.
    """
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return url
    values = {"utm_source": source, "utm_medium": medium, "utm_campaign": campaign, "utm_content": content}
    kept = [pair for pair in parts.query.split("&") if pair and unquote_plus(pair.split("=", 1)[0]) not in values]
    added = [f"{key}={quote(values[key], safe='')}" for key in UTM_KEYS]
    query = "&".join(kept + added)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", query, parts.fragment))
