"""Telegram: the Bot API's sendMessage to a channel or group, as plain text.

POST {TELEGRAM_API_BASE_URL}/bot<token>/sendMessage with {"chat_id", "text"} and no parse_mode, so
nothing in the text is read as markup; link previews are left at Telegram's default.

The bot token is part of the URL. Every error leaves here with the token masked and without the
requests exception behind it, and urllib3's request log lines are masked too (see http.hide_in_logs).
Telegram has no idempotency key: a resend after an unknown outcome may post twice.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import requests

from scheduler.errors import NeedsAttention, PublishError, Rejected, RetryAt, UnknownOutcome
from scheduler.publishers.base import Published, Publisher
from scheduler.publishers.http import (check_base_url, excerpt, hide_in_logs, json_body, reset_at, retry_after, send,
                                       without_secrets)
from scheduler.store import Post

DEFAULT_API_BASE_URL = "https://api.telegram.org"
RATE_LIMIT_FALLBACK = timedelta(minutes=1)
_INTEGER = re.compile(r"^-?\d+$")
# 400 answers that mean the channel's settings or the bot's rights are wrong, not the post.
_SETUP_PROBLEMS = ("chat not found", "not enough rights", "need administrator rights", "have no rights",
                   "bot is not a member", "chat_write_forbidden", "group chat was upgraded", "bot was kicked",
                   "bot was blocked")


class TelegramPublisher(Publisher):
    platform = "telegram"
    required = ("BOT_TOKEN", "CHAT_ID")
    resend_is_safe = False  # sendMessage has no idempotency key

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.base_url = check_base_url(self.setting("API_BASE_URL") or DEFAULT_API_BASE_URL,
                                       self.settings.channel_variable(self.channel, "API_BASE_URL"))
        self._token = self.setting("BOT_TOKEN")
        hide_in_logs(self._token)

    def publish(self, post: Post, now: datetime) -> Published:
        try:
            return self._send(post, now)
        except PublishError as error:
            failure = without_secrets(error, [self._token])
        raise failure  # outside the except block: no chained exception quoting the URL

    def verify(self, now: datetime) -> str:
        """getMe (the token is in the URL, as the Bot API requires; masked in every error): the bot's @username."""
        try:
            response = send(self.session, "GET", f"{self.base_url}/bot{self._token}/getMe", self.timeout)
            answer = json_body(response)
            if response.status_code != 200 or answer.get("ok") is not True:
                raise classify(response, now)
        except PublishError as error:
            failure = without_secrets(error, [self._token])
        else:
            bot = answer.get("result") if isinstance(answer.get("result"), dict) else {}
            return f"bot @{bot.get('username') or '?'}, posting to {self.setting('CHAT_ID')}"
        raise failure  # outside the except block: no chained exception quoting the URL

    def _send(self, post: Post, now: datetime) -> Published:
        body = {"chat_id": chat_id(self.setting("CHAT_ID")), "text": post.payload.get("text", post.text)}
        response = send(self.session, "POST", f"{self.base_url}/bot{self._token}/sendMessage", self.timeout, json=body)
        if 200 <= response.status_code < 300:
            answer = json_body(response)
            return published(answer.get("result") if answer.get("ok") is True else None, response)
        raise classify(response, now)


def chat_id(value: str) -> int | str:
    """A numeric id (-100… for channels) as the integer the API documents; '@channelusername' as is."""
    return int(value) if _INTEGER.match(value) else value


def published(message: Any, response: requests.Response) -> Published:
    message_id = message.get("message_id") if isinstance(message, dict) else None
    if not isinstance(message_id, int):
        # Sent, and answered "ok" without a message: it may have been posted.
        raise UnknownOutcome(f"Telegram answered {response.status_code} without a message id: {excerpt(response)}",
                             response.status_code)
    chat = message.get("chat") if isinstance(message.get("chat"), dict) else {}
    username = chat.get("username")
    url = f"https://t.me/{username}/{message_id}" if isinstance(username, str) and username else None
    return Published(remote_id=str(message_id), remote_url=url)


def classify(response: requests.Response, now: datetime) -> PublishError:
    """Bot API errors are {"ok": false, "error_code": N, "description": "...", "parameters": {...}}."""
    status = response.status_code
    body = json_body(response)
    code = body.get("error_code") if isinstance(body.get("error_code"), int) else status
    description = body.get("description") if isinstance(body.get("description"), str) else excerpt(response)
    parameters = body.get("parameters") if isinstance(body.get("parameters"), dict) else {}
    wait = parameters.get("retry_after")
    if code == 429 or isinstance(wait, (int, float)):
        at = now + timedelta(seconds=wait) if isinstance(wait, (int, float)) else retry_after(response, now)
        at = reset_at(at, now, RATE_LIMIT_FALLBACK)
        return RetryAt(f"flood control: Telegram asked to wait until {at:%Y-%m-%dT%H:%M:%SZ} ({description})", at, status)
    if "migrate_to_chat_id" in parameters:
        return NeedsAttention(f"the group is now a supergroup: set the channel's CHAT_ID to {parameters['migrate_to_chat_id']}"
                              f" ({code}: {description})", status)
    if code == 401:
        return NeedsAttention(f"Telegram refused the bot token (401): {description}", status)
    if code == 404:
        return NeedsAttention(f"no Telegram Bot API method at this URL (404): is the bot token or API base URL wrong? {description}",
                              status)
    if code == 403 or code == 400 and any(problem in description.lower() for problem in _SETUP_PROBLEMS):
        return NeedsAttention(f"the bot cannot post to this chat ({code}): {description}", status)
    if status >= 500:
        # The Bot API does not say a 5xx means the message was not sent, and a resend cannot be recognised.
        return UnknownOutcome(f"Telegram server error ({status}); the message may have been sent: {description}", status)
    return Rejected(f"Telegram rejected the message ({code}): {description}", status)
