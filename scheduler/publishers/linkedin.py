"""LinkedIn: POST /rest/posts (the Posts API) with a member's or organization's access token.

Every call carries ``LinkedIn-Version: YYYYMM`` and ``X-Restli-Protocol-Version: 2.0.0``. The post's
commentary is in LinkedIn's "little" text format, where ``\\ | { } @ [ ] ( ) < > # * _ ~`` are reserved:
unescaped, LinkedIn cuts the post at the first one without an error, so every one is escaped, and each
#tag becomes the HashtagTemplate ``{hashtag|\\#|tag}`` so that it still links. A created post comes back
as an empty 201 whose ``x-restli-id`` header holds its URN.

Access tokens last 60 days and cannot be refreshed without the member: LINKEDIN_TOKEN_EXPIRES_AT (an ISO
date) makes the publisher warn a week ahead and stop, without sending, once it has passed.
LinkedIn has no idempotency key: a resend after an unknown outcome can post twice.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, time, timedelta, timezone
from typing import Any

import requests

from posts.platforms import linkedin_commentary
from scheduler.errors import ConfigError, NeedsAttention, PublishError, Rejected, RetryAt, UnknownOutcome
from scheduler.publishers.base import Published, Publisher
from scheduler.publishers.http import check_base_url, excerpt, json_body, reset_at, retry_after, send
from scheduler.store import Post

log = logging.getLogger(__name__)

DEFAULT_API_BASE_URL = "https://api.linkedin.com"
# The Marketing API's monthly version (learn.microsoft.com/linkedin/marketing/versioning; the Posts API page
# is published for li-lms-2026-05). Versions are supported for at least a year: override with LINKEDIN_VERSION.
DEFAULT_VERSION = "202605"
EXPIRY_WARNING = timedelta(days=7)
RECONCILE_PAGE = 50  # posts per page of GET /rest/posts?q=author
RECONCILE_PAGES = 4  # with the post itself, within the six requests the runner's lease covers


# The content core already writes LinkedIn's little text; the adapter uses that one definition.
little_text = linkedin_commentary


class LinkedInPublisher(Publisher):
    platform = "linkedin"
    required = ("ACCESS_TOKEN", "AUTHOR_URN")
    resend_is_safe = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        variable = self.settings.channel_variable(self.channel, "API_BASE_URL")
        self.base_url = check_base_url(self.setting("API_BASE_URL") or DEFAULT_API_BASE_URL, variable)
        self.version = self.setting("VERSION") or DEFAULT_VERSION
        if not re.fullmatch(r"\d{6}(\.\d{2})?", self.version):
            raise ConfigError(f"must be a LinkedIn API version in YYYYMM form, such as {DEFAULT_VERSION}",
                              self.settings.channel_variable(self.channel, "VERSION"))
        self.expires_at = _expiry(self.setting("TOKEN_EXPIRES_AT"), self.settings.channel_variable(self.channel, "TOKEN_EXPIRES_AT"))
        self._warned = False

    def publish(self, post: Post, now: datetime) -> Published:
        self._check_expiry(now)
        commentary = post.payload.get("commentary")
        if not isinstance(commentary, str):
            commentary = little_text(post.text)
        body = {
            "author": self.setting("AUTHOR_URN"),
            "commentary": commentary,
            "visibility": "PUBLIC",
            "distribution": {"feedDistribution": "MAIN_FEED", "targetEntities": [], "thirdPartyDistributionChannels": []},
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }
        response = send(
            self.session, "POST", f"{self.base_url}/rest/posts", self.timeout, json=body,
            headers={
                "Authorization": f"Bearer {self.setting('ACCESS_TOKEN')}",
                "LinkedIn-Version": self.version,
                "X-Restli-Protocol-Version": "2.0.0",
                "Content-Type": "application/json",
            },
        )
        if 200 <= response.status_code < 300:
            urn = response.headers.get("x-restli-id", "").strip()
            if not urn.startswith("urn:li:"):
                # Sent and answered "ok" without the post's URN (a proxy?): the post may exist.
                raise UnknownOutcome(f"LinkedIn answered {response.status_code} without an x-restli-id header", response.status_code)
            return Published(remote_id=urn, remote_url=f"https://www.linkedin.com/feed/update/{urn}/")
        raise classify(response, now)

    def verify(self, now: datetime) -> str:
        """GET /v2/userinfo (OpenID Connect; needs the openid and profile scopes), after the configured expiry. A 403
        means LinkedIn accepted the token but it lacks those scopes: valid, whose it is is not shown."""
        self._check_expiry(now)
        response = send(self.session, "GET", f"{self.base_url}/v2/userinfo", self.timeout,
                        headers={"Authorization": f"Bearer {self.setting('ACCESS_TOKEN')}"})
        author = self.setting("AUTHOR_URN")
        if response.status_code == 200:
            info = json_body(response)
            return f"{info.get('name') or info.get('sub') or 'member'}; posts as {author}"
        if response.status_code == 403:
            return f"token accepted (no openid/profile scope to show whose); posts as {author}"
        raise classify(response, now)

    def find_existing(self, post: Post, now: datetime) -> Published | None:
        """Reconciliation: the author's latest posts (GET /rest/posts?author=URN&q=author&sortBy=CREATED, newest first,
        paged with start and count), matched by commentary; None only when every post since the slot was read and it is
        not there; RetryNow when that cannot be told."""
        from urllib.parse import quote as quote_url

        from scheduler.errors import RetryNow, UnknownOutcome
        from scheduler.reconcile import same_text

        self._check_expiry(now)
        author = quote_url(self.setting("AUTHOR_URN") or "", safe="")
        commentary = post.payload.get("commentary")
        commentary = commentary if isinstance(commentary, str) else little_text(post.text)
        since_ms = (post.scheduled_at.timestamp() - 600) * 1000
        for page in range(RECONCILE_PAGES):
            response = send(self.session, "GET", f"{self.base_url}/rest/posts?author={author}&q=author"
                            f"&count={RECONCILE_PAGE}&start={page * RECONCILE_PAGE}&sortBy=CREATED",
                            self.timeout, headers={"Authorization": f"Bearer {self.setting('ACCESS_TOKEN')}",
                                                   "LinkedIn-Version": self.version, "X-Restli-Protocol-Version": "2.0.0",
                                                   "X-RestLi-Method": "FINDER"})
            if response.status_code != 200:
                error = classify(response, now)
                raise RetryNow(error.reason, error.status) if isinstance(error, UnknownOutcome) else error
            elements = [item for item in json_body(response).get("elements") or [] if isinstance(item, dict)]
            for item in elements:
                if not item.get("id") or (item.get("createdAt") or since_ms) < since_ms:
                    continue
                if same_text(commentary, item.get("commentary")) or same_text(post.text, item.get("commentary")):
                    urn = str(item["id"])
                    return Published(remote_id=urn, remote_url=f"https://www.linkedin.com/feed/update/{urn}/")
            created = [item["createdAt"] for item in elements if isinstance(item.get("createdAt"), (int, float))]
            if len(elements) < RECONCILE_PAGE or (created and min(created) < since_ms):
                return None  # read back past the slot (newest first): it is not there
        raise RetryNow(f"more than {RECONCILE_PAGES * RECONCILE_PAGE} LinkedIn posts by the author since the slot: "
                       "cannot tell whether the post exists")

    def _check_expiry(self, now: datetime) -> None:
        if self.expires_at is None:
            return
        variable = self.settings.channel_variable(self.channel, "TOKEN_EXPIRES_AT")
        if now >= self.expires_at:
            raise NeedsAttention(f"the LinkedIn access token of channel {self.channel!r} expired on "
                                 f"{self.expires_at:%Y-%m-%d %H:%M} UTC ({variable}): create a new one and update "
                                 f"{self.settings.channel_variable(self.channel, 'ACCESS_TOKEN')} and {variable}")
        if self.expires_at - now <= EXPIRY_WARNING and not self._warned:
            self._warned = True
            log.warning("the LinkedIn access token of channel %s expires on %s UTC (%s): renew it before then",
                        self.channel, f"{self.expires_at:%Y-%m-%d %H:%M}", variable)


def _expiry(raw: str | None, variable: str) -> datetime | None:
    """An ISO date or datetime, as aware UTC. A date alone means the start of that day (UTC): never late."""
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise ConfigError(f"must be an ISO date such as 2027-01-20, got {raw!r}", variable) from None
    if len(raw) == 10:  # a date: 2027-01-20
        moment = datetime.combine(moment.date(), time(), tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc) if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _next_midnight_utc(now: datetime) -> datetime:
    return datetime.combine(now.astimezone(timezone.utc).date() + timedelta(days=1), time(), tzinfo=timezone.utc)


def classify(response: requests.Response, now: datetime) -> PublishError:
    """LinkedIn's errors are {"status", "serviceErrorCode", "code", "message"}."""
    code = response.status_code
    body = json_body(response)
    name = str(body.get("code") or "")
    message = str(body.get("message") or "") or excerpt(response)
    label = f"{code} {name}".strip()
    if code == 429:
        # learn.microsoft.com/linkedin/shared/api-guide/concepts/rate-limits: limits are per day and "reset at
        # midnight UTC"; no reset header is documented. Retry-After wins where one is sent.
        at = reset_at(retry_after(response, now), now, _next_midnight_utc(now) - now)
        return RetryAt(f"rate limited by LinkedIn until {at:%Y-%m-%dT%H:%M:%SZ}: {message}", at, code)
    if code == 422 and ("DUPLICATE_POST" in name or "DUPLICATE_POST" in message):
        return Rejected(f"LinkedIn refused a duplicate post ({label}): {message}", code)
    if code == 401:
        return NeedsAttention(f"LinkedIn refused the access token ({label}): {message}; "
                              "tokens last 60 days, create a new one", code)
    if code == 403:
        return NeedsAttention(f"LinkedIn forbids this ({label}): {message}; the token needs w_member_social "
                              "(or w_organization_social for a page) and the author URN must be its member or page", code)
    if code == 426:
        return NeedsAttention(f"LinkedIn no longer serves the configured API version ({label}): {message}; "
                              "set the channel's LINKEDIN_VERSION (LINKEDIN_<NAME>_VERSION for a named channel) to a current YYYYMM version", code)
    if code == 404:
        return NeedsAttention(f"no LinkedIn Posts API at the configured base URL ({label}): {message}", code)
    if code >= 500:
        return UnknownOutcome(f"LinkedIn server error ({label}), the post may exist: {message}", code)
    return Rejected(f"LinkedIn rejected the post ({label}): {message}", code)
