"""Mastodon: POST /api/v1/statuses with a bearer token and the post's Idempotency-Key.

Mastodon keeps an Idempotency-Key for an hour, so resending the same post within that hour
returns the status already created instead of a second one.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import requests

from scheduler.errors import NeedsAttention, PublishError, Rejected, RetryAt, RetryNow, UnknownOutcome
from scheduler.publishers.base import Published, Publisher
from scheduler.publishers.http import check_base_url, excerpt, iso_header, json_body, reset_at, send
from scheduler.store import Post

RATE_LIMIT_FALLBACK = timedelta(minutes=5)


class MastodonPublisher(Publisher):
    platform = "mastodon"
    required = ("BASE_URL", "ACCESS_TOKEN")
    resend_is_safe = True

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.base_url = check_base_url(self.setting("BASE_URL"), self.settings.channel_variable(self.channel, "BASE_URL"))

    def publish(self, post: Post, now: datetime) -> Published:
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
            data=data,
            headers={
                "Authorization": f"Bearer {self.setting('ACCESS_TOKEN')}",
                "Idempotency-Key": post.idempotency_key,
            },
        )
        if 200 <= response.status_code < 300:
            status = json_body(response)
            if not status.get("id"):
                # Sent, and answered "ok" by something that is not Mastodon's API (a proxy or login page?):
                # the status may exist. Resending is safe: the Idempotency-Key returns it if it does.
                raise UnknownOutcome(f"Mastodon answered {response.status_code} without a status id: {excerpt(response)}",
                                     response.status_code)
            return Published(remote_id=str(status["id"]), remote_url=status.get("url") or status.get("uri"))
        raise classify(response, now)


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
        return RetryNow(f"Mastodon server error ({code}): {message}", code)
    return Rejected(f"unexpected answer from Mastodon ({code}): {message}", code)
