"""Discord: execute a channel's incoming webhook.

POST {DISCORD_WEBHOOK_URL}?wait=true with {"content", "allowed_mentions": {"parse": []}}: with wait
Discord answers with the created message (so its id comes back), and the empty parse list means a
post can never ping @everyone, @here, a role or a user, whatever its text says.

The webhook URL carries the webhook's token: errors leave here with it masked and without the
requests exception behind them, and urllib3's request log lines are masked too. A webhook that
answers 404 (Unknown Webhook) was deleted: it needs a person, never another try. There is no
idempotency key: a resend after an unknown outcome may post twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import requests

from scheduler.errors import NeedsAttention, PublishError, Rejected, RetryAt, UnknownOutcome
from scheduler.publishers.base import Published, Publisher
from scheduler.publishers.http import (check_base_url, excerpt, hide_in_logs, json_body, reset_at, retry_after, send,
                                       without_secrets)
from scheduler.store import Post

RATE_LIMIT_FALLBACK = timedelta(minutes=1)
UNKNOWN_WEBHOOK = 10015
NO_MENTIONS = {"parse": []}


class DiscordPublisher(Publisher):
    platform = "discord"
    required = ("WEBHOOK_URL",)
    resend_is_safe = False  # executing a webhook has no idempotency key

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.webhook_url = check_base_url(self.setting("WEBHOOK_URL"), self.settings.channel_variable(self.channel, "WEBHOOK_URL"))
        path = urlsplit(self.webhook_url).path.rstrip("/")
        # The whole URL and its last segment (the token), whichever a message might quote.
        self._secrets = [self.webhook_url, path, path.rsplit("/", 1)[-1]]
        hide_in_logs(*self._secrets)

    def publish(self, post: Post, now: datetime) -> Published:
        try:
            return self._send(post, now)
        except PublishError as error:
            failure = without_secrets(error, self._secrets)
        raise failure  # outside the except block: no chained exception quoting the URL

    def verify(self, now: datetime) -> str:
        """GET the webhook URL (the token is part of it; masked in every error): the webhook's name and channel."""
        try:
            response = send(self.session, "GET", self.webhook_url, self.timeout)
            if response.status_code != 200:
                raise classify(response, now)
        except PublishError as error:
            failure = without_secrets(error, self._secrets)
        else:
            hook = json_body(response)
            return f"webhook {hook.get('name') or hook.get('id') or '?'} (channel {hook.get('channel_id') or '?'})"
        raise failure  # outside the except block: no chained exception quoting the URL

    def _send(self, post: Post, now: datetime) -> Published:
        body = {"content": post.payload.get("content", post.text), "allowed_mentions": NO_MENTIONS}
        response = send(self.session, "POST", self.webhook_url, self.timeout, params={"wait": "true"}, json=body)
        if 200 <= response.status_code < 300:
            return published(json_body(response), response, self.setting("GUILD_ID"))
        raise classify(response, now)


def published(message: dict[str, Any], response: requests.Response, guild_id: str | None = None) -> Published:
    message_id, channel_id = message.get("id"), message.get("channel_id")
    if not message_id:
        # 204 (wait was ignored) or a 200 that is not a message: it may have been posted.
        raise UnknownOutcome(f"Discord answered {response.status_code} without a message id: {excerpt(response)}",
                             response.status_code)
    guild = message.get("guild_id") or guild_id  # a webhook's message usually does not name its server
    url = f"https://discord.com/channels/{guild}/{channel_id}/{message_id}" if guild and channel_id else None
    return Published(remote_id=str(message_id), remote_url=url)


def classify(response: requests.Response, now: datetime) -> PublishError:
    """Discord errors are {"code": N, "message": "...", "errors": {...}}; rate limits are
    {"message", "retry_after": seconds, "global": bool} with a Retry-After header."""
    status = response.status_code
    body = json_body(response)
    code = body.get("code")
    message = body.get("message") if isinstance(body.get("message"), str) else excerpt(response)
    if status == 429:
        wait = body.get("retry_after")
        at = now + timedelta(seconds=wait) if isinstance(wait, (int, float)) else retry_after(response, now)
        at = reset_at(at, now, RATE_LIMIT_FALLBACK)
        scope = "globally " if body.get("global") is True else ""
        return RetryAt(f"rate limited {scope}by Discord until {at:%Y-%m-%dT%H:%M:%SZ}", at, status)
    if status == 404 or code == UNKNOWN_WEBHOOK:
        return NeedsAttention(f"the Discord webhook is gone (404 {code or ''} {message}): it was deleted; stop using it,"
                              " create a new one and set the channel's WEBHOOK_URL", status)
    if status in (401, 403):
        return NeedsAttention(f"Discord refused the webhook ({status} {code or ''}): {message}", status)
    if status >= 500:
        return UnknownOutcome(f"Discord server error ({status}); the message may have been posted: {message}", status)
    details = excerpt(response) if body.get("errors") else message
    return Rejected(f"Discord rejected the message ({status} {code or ''}): {details}", status)
