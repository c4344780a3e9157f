"""Before a post whose earlier attempt may have landed is sent again: is it already on the account?

Three answers, by what the platform allows:

- ``Found``: the account shows it (Bluesky's fixed record key with getRecord; X, Facebook and LinkedIn by
  reading the account's recent posts and matching the text): the post is published, nothing is sent.
- ``Absent``: the check proved it is not there: sending it again cannot duplicate it.
- ``SafeResend``: no check, but the platform itself deduplicates a resend (Mastodon's Idempotency-Key,
  a stored Instagram or Threads container).

A platform whose deduplication lapses (Mastodon keeps an Idempotency-Key for one hour) says so with
``dedup_window``: within it (counted from the first request that carried the key, which the adapter saves on
the post's progress as ``first_sent_at``) a resend is safe as is; past it the account is read first, as for X.
- ``Unverifiable``: neither (Telegram bots and Discord webhooks cannot read history): a person decides.

An adapter takes part by offering ``find_existing(post, now) -> Published | None`` (None: proven absent); it
raises a PublishError when the check itself failed (the post stays in doubt, and the runner retries the check).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
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


FIRST_SENT = "first_sent_at"  # on a post's progress: when a request first carried its idempotency key


def settle(publisher: Publisher, post: Post, now: datetime) -> Verdict:
    """What to do with ``post``, whose earlier attempt may have created it. PublishError if the check failed."""
    window: timedelta | None = getattr(publisher, "dedup_window", None)
    if publisher.resend_is_safe and window is not None and now - first_sent(post) <= window:
        return SafeResend()  # the platform still remembers the key: a resend returns the post already made
    if can_check(publisher):
        found = publisher.find_existing(post, now)  # type: ignore[attr-defined]
        return Found(found) if found is not None else Absent()
    if publisher.resend_is_safe:
        return SafeResend()
    return Unverifiable(f"{post.platform} cannot be checked for a post already sent (no way to read the account's "
                        "posts): check the account, then `resolve ID --published URL` or `--not-published`")


def first_sent(post: Post) -> datetime:
    """When a request first carried this post's idempotency key: saved on its progress, else (a post sent before
    that was saved) its slot, the earliest it could have been sent, so a lapsed key is never assumed alive."""
    raw = post.progress.get(FIRST_SENT) if isinstance(post.progress, dict) else None
    if isinstance(raw, str):
        try:
            moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            moment = None
        if moment is not None and moment.tzinfo is not None:
            return moment
    return min(post.scheduled_at, post.late_from) if post.late_from else post.scheduled_at


def plain_text(html_text: str) -> str:
    """The text of an HTML post body (Mastodon's ``content``): paragraphs and line breaks as whitespace."""
    import html
    import re

    text = re.sub(r"(?i)<br\s*/?>|</p\s*>", "\n", html_text)
    return html.unescape(re.sub(r"<[^>]*>", "", text))


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
