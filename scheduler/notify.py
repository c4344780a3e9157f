"""Tell a person when a post needs them: failed, unconfirmed or missed posts, and channels that need attention.

Always written to the log (WARNING); also POSTed as JSON to ``NOTIFY_WEBHOOK_URL`` when it is set. The request
has a short timeout and a webhook that fails once is not called again in the same run, so a dead webhook
never holds up publishing for long. Nothing sent or logged carries a credential: reasons are redacted
with every secret setting's value, and the webhook URL itself (which carries its token) is never logged.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any, Callable
from urllib.parse import urlsplit

from scheduler.config import Settings
from scheduler.redact import redact, secret_values
from scheduler.store import Post, iso_utc

if TYPE_CHECKING:
    import requests

log = logging.getLogger(__name__)

NOTIFY_TIMEOUT = 5.0  # seconds at most, whatever SCHEDULER_HTTP_TIMEOUT says
NOTIFY_STATUSES = ("failed", "unconfirmed", "missed")


class Notifier:
    def __init__(self, settings: Settings, session: Callable[[], requests.Session]) -> None:
        self.url = settings.notify_webhook_url
        self.timeout = min(NOTIFY_TIMEOUT, settings.http_timeout)
        self._session = session
        self._secrets = secret_values(settings.values)
        self._broken = False
        self.sent = 0

    def post(self, post: Post) -> None:
        """``post`` just reached a state that needs a person (no-op for other states)."""
        if post.status not in NOTIFY_STATUSES:
            return
        reason = self._clean(post.error)
        summary = f"post {post.id} on {post.channel} is {post.status}" + (f": {reason}" if reason else "")
        self._emit({"event": f"post.{post.status}", "post": {
            "id": post.id, "campaign": post.campaign, "channel": post.channel, "status": post.status,
            "scheduled_at": iso_utc(post.scheduled_at), "attempts": post.attempts, "error": reason,
            "remote_url": post.remote_url}}, summary)

    def channel(self, channel: str, reason: str) -> None:
        """``channel`` was put in needs_attention: its posts wait until a person clears it."""
        reason = self._clean(reason) or ""
        summary = (f"channel {channel} needs attention: {reason}; its posts wait. "
                   f"Fix it, then `hashtag-scheduler retry --channel {channel}`")
        self._emit({"event": "channel.needs_attention", "channel": channel, "reason": reason}, summary)

    def _clean(self, text: str | None) -> str | None:
        return redact(text, self._secrets) if text else text

    def _emit(self, body: dict[str, Any], summary: str) -> None:
        log.warning("needs a person: %s", summary)
        if not self.url or self._broken:
            return
        body = {**body, "text": summary, "content": summary[:1900]}  # Slack reads "text", Discord "content"
        host = urlsplit(self.url).hostname or "the webhook"
        try:
            response = self._session().post(self.url, data=json.dumps(body), timeout=self.timeout,
                                            headers={"Content-Type": "application/json"})
        except Exception as error:  # noqa: BLE001 - a notification never stops publishing
            self._broken = True
            log.warning("notification webhook at %s failed (%s): not called again this run", host, type(error).__name__)
            return
        if response.status_code >= 300:
            self._broken = True
            log.warning("notification webhook at %s answered %s: not called again this run", host, response.status_code)
            return
        self.sent += 1
