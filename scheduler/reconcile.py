"""Before a post whose earlier attempt may have landed is sent again: is it already on the account?

Three answers, by what the platform allows:

- ``Found``: the account shows it (Bluesky's fixed record key with getRecord; X, Facebook and LinkedIn by
  reading the account's recent posts and matching the text): the post is published, nothing is sent.
- ``Absent``: the check proved it is not there: sending it again cannot duplicate it.
- ``SafeResend``: no check, but the platform itself deduplicates a resend (Mastodon's Idempotency-Key,
  a stored Instagram or Threads container).
- ``Unverifiable``: neither (Telegram bots and Discord webhooks cannot read history): a person decides.

An adapter takes part by offering ``find_existing(post, now) -> Published | None`` (None: proven absent); it
raises a PublishError when the check itself failed (the post stays in doubt, and the runner retries the check).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Union

from scheduler.publishers import Published, Publisher
from scheduler.store import Post


@dataclass(frozen=True)
class Found:
    published: Published


@dataclass(frozen=True)
class Absent:
    pass


@dataclass(frozen=True)
class SafeResend:
    pass


@dataclass(frozen=True)
class Unverifiable:
    reason: str


Verdict = Union[Found, Absent, SafeResend, Unverifiable]


def can_check(publisher: Publisher) -> bool:
    return callable(getattr(publisher, "find_existing", None))


def settle(publisher: Publisher, post: Post, now: datetime) -> Verdict:
    """What to do with ``post``, whose earlier attempt may have created it. PublishError if the check failed."""
    if can_check(publisher):
        found = publisher.find_existing(post, now)  # type: ignore[attr-defined]
        return Found(found) if found is not None else Absent()
    if publisher.resend_is_safe:
        return SafeResend()
    return Unverifiable(f"{post.platform} cannot be checked for a post already sent (no way to read the account's "
                        "posts): check the account, then `resolve ID --published URL` or `--not-published`")


def same_text(ours: str, theirs: str | None) -> bool:
    """Does a post read back from the account carry our text? Whitespace and link shortening aside:
    networks rewrite links (t.co, lnkd.in), so the text without links is compared, after whitespace folding."""
    if theirs is None:
        return False
    return _normal(ours) == _normal(theirs)


def _normal(text: str) -> str:
    import html
    import re
    import unicodedata

    text = unicodedata.normalize("NFC", html.unescape(text))
    text = re.sub(r"https?://\S+", "", text)
    return " ".join(text.split()).casefold()
