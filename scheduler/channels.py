"""The channels configured in the environment (and .env), and a check of each one's credentials that
posts nothing. Only variable NAMES ever leave here, never values.

A channel is configured when one of its platform's credential variables is set: ``MASTODON_ACCESS_TOKEN``
is channel ``mastodon``, ``MASTODON_CLINIC2_ACCESS_TOKEN`` is channel ``mastodon:clinic2``. Settings that
have defaults (base URLs, versions) alone do not make a channel, so a copied .env.example lists nothing.

Checks call each adapter's public ``verify(now)``: one read-only request with the adapter's own settings and
error classification (Mastodon GET /api/v1/accounts/verify_credentials, Bluesky createSession, X GET /2/users/me,
LinkedIn GET /v2/userinfo, Facebook GET /{page-id}?fields=name, Instagram and Threads GET /{user-id}?fields=username,
Telegram getMe, Discord GET {webhook URL}).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from scheduler.config import Settings
from scheduler.errors import ConfigError, PublishError
from scheduler.redact import redact, secret_values

if TYPE_CHECKING:
    import requests

# Per platform: the variables (suffixes) that identify a channel, then the other settings it reads.
CREDENTIALS: dict[str, tuple[str, ...]] = {
    "mastodon": ("ACCESS_TOKEN",),
    "bluesky": ("HANDLE", "APP_PASSWORD"),
    "x": ("API_KEY", "API_SECRET", "ACCESS_TOKEN", "ACCESS_TOKEN_SECRET", "OAUTH2_ACCESS_TOKEN", "OAUTH2_REFRESH_TOKEN",
          "CLIENT_ID"),
    "linkedin": ("ACCESS_TOKEN", "AUTHOR_URN"),
    "facebook": ("PAGE_ID", "PAGE_ACCESS_TOKEN"),
    "instagram": ("USER_ID", "ACCESS_TOKEN"),
    "threads": ("USER_ID", "ACCESS_TOKEN"),
    "telegram": ("BOT_TOKEN", "CHAT_ID"),
    "discord": ("WEBHOOK_URL",),
}
SETTINGS: dict[str, tuple[str, ...]] = {
    "mastodon": ("BASE_URL", "VISIBILITY"),
    "bluesky": ("PDS_URL",),
    "x": ("API_BASE_URL",),
    "linkedin": ("API_BASE_URL", "VERSION", "TOKEN_EXPIRES_AT"),
    "facebook": ("GRAPH_BASE_URL", "USAGE_THRESHOLD"),
    "instagram": ("GRAPH_BASE_URL",),
    "threads": ("API_BASE_URL",),
    "telegram": ("API_BASE_URL",),
    "discord": ("GUILD_ID",),
}
_NAME = re.compile(r"^[A-Z0-9_]+$")


@dataclass
class Channel:
    channel: str
    platform: str
    variables: list[str]  # names of the channel's variables that are set
    missing: str | None = None  # what is missing to publish (a sentence naming variables), or None
    check: str | None = None  # None (not checked), "ok" or "failed"
    detail: str | None = None  # who the credentials belong to, or why the check failed

    @property
    def ok(self) -> bool:
        return self.missing is None and self.check != "failed"

    def as_json(self) -> dict[str, Any]:
        return {"channel": self.channel, "platform": self.platform, "variables": self.variables,
                "missing": self.missing, "check": self.check, "detail": self.detail}


@dataclass
class ChannelReport:
    channels: list[Channel] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(channel.check == "failed" for channel in self.channels)

    def as_json(self) -> dict[str, Any]:
        return {"channels": [channel.as_json() for channel in self.channels]}


def configured_channels(settings: Settings) -> list[Channel]:
    """Every channel with at least one credential variable set, sorted by name; 'outbox' always first."""
    found: dict[str, set[str]] = {}
    for variable, value in settings.values.items():
        if not (value or "").strip():
            continue
        for platform in CREDENTIALS:
            channel = _channel_of(platform, variable)
            if channel:
                found.setdefault(channel, set())
    channels = [Channel("outbox", "outbox", ["OUTBOX_PATH"] if settings.values.get("OUTBOX_PATH") else [])]
    from scheduler.publishers import publisher_class

    for name in sorted(found):
        platform = name.split(":", 1)[0]
        keys = CREDENTIALS[platform] + SETTINGS[platform]
        variables = [settings.channel_variable(name, key) for key in keys if settings.channel_value(name, key)]
        problem = publisher_class(platform).credential_problem(name, settings)
        channels.append(Channel(name, platform, variables, str(problem) if problem else None))
    return channels


def _channel_of(platform: str, variable: str) -> str | None:
    """'MASTODON_ACCESS_TOKEN' -> 'mastodon', 'MASTODON_CLINIC2_ACCESS_TOKEN' -> 'mastodon:clinic2', else None.
    The default channel's exact names win (X_OAUTH2_ACCESS_TOKEN is X's, not channel 'x:oauth2')."""
    prefix = platform.upper() + "_"
    if not variable.startswith(prefix):
        return None
    rest = variable[len(prefix):]
    if rest in CREDENTIALS[platform]:
        return platform
    if rest in SETTINGS[platform]:
        return None  # a setting with a default (a base URL) alone makes no channel
    for key in sorted(CREDENTIALS[platform], key=len, reverse=True):
        if rest.endswith("_" + key):
            name = rest[: -len(key) - 1]
            if name and _NAME.match(name) and name[0].isalnum():
                return f"{platform}:{name.lower()}"
    return None


def list_channels(settings: Settings, now: datetime, check: bool = False,
                  session: requests.Session | None = None) -> ChannelReport:
    """The configured channels; with ``check``, each one verified through the caller's ``session`` (the CLI edge makes
    and closes it; each adapter gives up after SCHEDULER_HTTP_TIMEOUT)."""
    report = ChannelReport(configured_channels(settings))
    if not check:
        return report
    if session is None:
        raise ValueError("checking channels needs the caller's session")
    secrets = secret_values(settings.values)
    for channel in report.channels:
        if channel.missing:
            channel.check, channel.detail = "failed", channel.missing
            continue
        try:
            who = verify_channel(channel.channel, settings, session, now)
        except (PublishError, ConfigError) as error:
            channel.check, channel.detail = "failed", redact(str(error), secrets)
        else:
            channel.check, channel.detail = "ok", redact(who, secrets)
    return report


def verify_channel(channel: str, settings: Settings, session: requests.Session, now: datetime) -> str:
    """Who the channel's credentials belong to, without posting; a PublishError kind when they do not work."""
    from scheduler.publishers import publisher_class

    publisher = publisher_class(channel.split(":", 1)[0])(channel, settings, session)
    return publisher.verify(now)
