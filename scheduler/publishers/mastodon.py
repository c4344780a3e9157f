"""Mastodon: POST /api/v1/statuses with a bearer token and the post's Idempotency-Key.

Mastodon keeps an Idempotency-Key for an hour, so resending the same post within that hour
returns the status already created instead of a second one. The time of the first request that carried
the key is saved on the post (``first_sent_at``) before it is sent; a post in doubt for longer than
``dedup_window`` is reconciled instead (scheduler/reconcile.py): ``find_existing`` reads the account's
statuses since then (GET /api/v1/accounts/verify_credentials for its id, then
GET /api/v1/accounts/:id/statuses, newest first, paged with max_id) and matches the text.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from urllib.parse import urlencode

import requests

from scheduler.errors import NeedsAttention, PublishError, Rejected, RetryAt, RetryNow, UnknownOutcome
from scheduler.publishers.base import Published, Publisher
from scheduler.publishers.http import check_base_url, excerpt, hold_if_exhausted, iso_header, json_body, reset_at, send
from scheduler.store import Post

RATE_LIMIT_FALLBACK = timedelta(minutes=5)
FORM = "application/x-www-form-urlencoded"
# Mastodon keeps a key for 3600 s from the status's creation; 50 minutes leaves room for clocks and a slow request.
IDEMPOTENCY_WINDOW = timedelta(minutes=50)
RECONCILE_SLACK = timedelta(minutes=10)  # clocks differ: read from a little before the first request
RECONCILE_PAGE = 40  # the most a page may hold
RECONCILE_PAGES = 4  # with verify_credentials and the post: the six requests the runner's lease covers


class MastodonPublisher(Publisher):
    platform = "mastodon"
    required = ("BASE_URL", "ACCESS_TOKEN")
    resend_is_safe = True
    dedup_window = IDEMPOTENCY_WINDOW  # after that, a post in doubt is looked for before it is resent

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.base_url = check_base_url(self.setting("BASE_URL"), self.settings.channel_variable(self.channel, "BASE_URL"))

    def publish(self, post: Post, now: datetime) -> Published:
        from scheduler.reconcile import FIRST_SENT

        if not post.progress.get(FIRST_SENT):  # the key's hour starts with its first request
            self.checkpoint({**post.progress, FIRST_SENT: now.astimezone(timezone.utc).isoformat()})
        base = self.base_url
        data = {"status": post.payload.get("status", post.text)}
        visibility = self.setting("VISIBILITY")
        if visibility:
            data["visibility"] = visibility
        response = send(
            self.session,
            "POST",
            f"{base}/api/v1/statuses",
            self.timeout,
            # The form encoded here, as requests would encode the dict (same bytes): given a dict, requests runs
            # ~0.1 ms of generic checks on it per post.
            data=urlencode(data),
            headers={
                "Authorization": f"Bearer {self.setting('ACCESS_TOKEN')}",
                "Idempotency-Key": post.idempotency_key,
                "Content-Type": FORM,
            },
        )
        if 200 <= response.status_code < 300:
            status = json_body(response)
            if not status.get("id"):
                # Sent, and answered "ok" by something that is not Mastodon's API (a proxy or login page?):
                # the status may exist. Resending is safe: the Idempotency-Key returns it if it does.
                raise UnknownOutcome(f"Mastodon answered {response.status_code} without a status id: {excerpt(response)}",
                                     response.status_code)
            published = Published(remote_id=str(status["id"]), remote_url=status.get("url") or status.get("uri"))
            # The window's last request spent: hold the channel until it resets rather than earn a 429 next time.
            return hold_if_exhausted(published, response, now, channel=self.channel, network="Mastodon",
                                     remaining="X-RateLimit-Remaining", reset=iso_header(response, "X-RateLimit-Reset"))
        raise classify(response, now)

    def verify(self, now: datetime) -> str:
        """GET /api/v1/accounts/verify_credentials with the bearer token: the account's @acct."""
        account = self._read(f"{self.base_url}/api/v1/accounts/verify_credentials", {}, now)
        account = account if isinstance(account, dict) else {}
        return f"@{account.get('acct') or account.get('username') or '?'}"

    def find_existing(self, post: Post, now: datetime) -> Published | None:
        """The status on the account since the key was first sent, matched by text; None only when every status
        since then was read and it is not there. RetryNow when that cannot be told."""
        from scheduler.reconcile import first_sent, plain_text, same_text

        me = self._read(f"{self.base_url}/api/v1/accounts/verify_credentials", {}, now)
        account = me.get("id") if isinstance(me, dict) else None
        if not account:
            raise RetryNow("Mastodon answered verify_credentials without an account id: cannot check for the post")
        since = first_sent(post) - RECONCILE_SLACK
        params = {"limit": str(RECONCILE_PAGE), "exclude_reblogs": "true"}
        text = post.payload.get("status", post.text)
        for _ in range(RECONCILE_PAGES):
            statuses = self._read(f"{self.base_url}/api/v1/accounts/{account}/statuses", params, now)
            statuses = [s for s in statuses if isinstance(s, dict) and s.get("id")] if isinstance(statuses, list) else []
            for status in statuses:
                if same_text(text, plain_text(str(status.get("content") or ""))):
                    return Published(remote_id=str(status["id"]), remote_url=status.get("url") or status.get("uri"))
            oldest = _created(statuses[-1]) if statuses else None
            if len(statuses) < RECONCILE_PAGE or (oldest is not None and oldest < since):
                return None  # read back past the first request: it is not there
            params = {**params, "max_id": str(statuses[-1]["id"])}
        raise RetryNow(f"more than {RECONCILE_PAGES * RECONCILE_PAGE} statuses on the Mastodon account since the post "
                       "was first sent: cannot tell whether it exists")

    def _read(self, url: str, params: dict[str, str], now: datetime) -> object:
        response = send(self.session, "GET", url, self.timeout, params=params,
                        headers={"Authorization": f"Bearer {self.setting('ACCESS_TOKEN')}"})
        if response.status_code == 200:
            try:
                return response.json()
            except ValueError:
                raise RetryNow(f"Mastodon answered {response.status_code} with no JSON: {excerpt(response)}") from None
        raise classify(response, now)  # a read creates nothing; Mastodon's 5xx are RetryNow already


def _created(status: dict) -> datetime | None:
    raw = status.get("created_at")
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00")) if isinstance(raw, str) else None
    except ValueError:
        return None
    return moment if moment is not None and moment.tzinfo is not None else None


def classify(response: requests.Response, now: datetime) -> PublishError:
    """Mastodon's answer -> what the runner must do. Its errors are {"error": "..."}."""
    code = response.status_code
    message = json_body(response).get("error") or excerpt(response)
    if code == 429:
        at = reset_at(iso_header(response, "X-RateLimit-Reset"), now, RATE_LIMIT_FALLBACK)
        return RetryAt(f"rate limited by Mastodon until {at:%Y-%m-%dT%H:%M:%SZ}", at, code)
    if code in (401, 403):
        return NeedsAttention(f"Mastodon refused the access token ({code}): {message}", code)
    if code == 404:
        return NeedsAttention(f"no Mastodon API at the configured base URL (404): {message}", code)
    if code == 422:
        return Rejected(f"Mastodon rejected the post (422): {message}", code)
    if code >= 500:
        # A proxy's 502 can hide a status that was created: the post stays in doubt (the Idempotency-Key, or a
        # read of the account after the key's hour, settles it before any resend).
        return UnknownOutcome(f"Mastodon server error ({code}): {message}", code)
    return Rejected(f"unexpected answer from Mastodon ({code}): {message}", code)
