"""Tell a person when a post needs them: failed, unconfirmed or missed posts, and channels that need attention.

Always written to the log (WARNING); also POSTed as JSON to ``NOTIFY_WEBHOOK_URL`` when it is set. The request
has a short timeout and a webhook that fails is not called again for ``BROKEN_PAUSE`` (the rest of a cron run;
in a long-running daemon, a quarter of an hour, so that one outage does not silence it for good): a dead or
stalled webhook costs publishing at most one timeout per pause. Nothing sent or logged carries a credential: reasons are redacted
with every secret setting's value, and the webhook URL itself (which carries its token) is never logged.
"""

from __future__ import annotations

import json
import logging
import time
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
BROKEN_PAUSE = 900.0  # seconds a failed webhook is left alone (what is not sent is still logged)


class Notifier:
    def __init__(self, settings: Settings, session: Callable[[], requests.Session],
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.url = settings.notify_webhook_url
        self.timeout = min(NOTIFY_TIMEOUT, settings.http_timeout)
        self._session = session
        self._secrets = secret_values(settings.values)
        self._monotonic = monotonic
        self._broken_until: float | None = None
        self.sent = 0

    @property
    def _broken(self) -> bool:
        if self._broken_until is not None and self._monotonic() >= self._broken_until:
            self._broken_until = None
        return self._broken_until is not None

    def _break(self) -> None:
        self._broken_until = self._monotonic() + BROKEN_PAUSE

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
        parts = urlsplit(self.url)
        host = parts.hostname or "the webhook"
        from scheduler.publishers.http import hide_in_logs  # imports requests: only once there is something to send

        # urllib3 logs each request line at DEBUG (-vv): the path and query are where a webhook keeps its token.
        pieces = (self.url, parts.path, parts.query, parts.path.rstrip("/").rsplit("/", 1)[-1])
        hide_in_logs(*(piece for piece in pieces if len(piece) >= 6))  # not "/" or a short word
        try:
            response = self._session().post(self.url, data=json.dumps(body), timeout=self.timeout,
                                            headers={"Content-Type": "application/json"})
        except Exception as error:  # noqa: BLE001 - a notification never stops publishing
            self._break()
            log.warning("notification webhook at %s failed (%s): not called again for %d minutes",
                        host, type(error).__name__, BROKEN_PAUSE // 60)
            return
        if response.status_code >= 300:
            self._break()
            log.warning("notification webhook at %s answered %s: not called again for %d minutes",
                        host, response.status_code, BROKEN_PAUSE // 60)
            return
        self.sent += 1
