"""Publisher adapters, registered by platform name. Adapters are imported only when used,
so that an idle cron run does not pay for modules it never calls."""

from __future__ import annotations

import importlib

from scheduler.errors import UnknownChannelError
from scheduler.publishers.base import Publisher, Published

__all__ = ["Publisher", "Published", "platform_of", "publisher_class", "registered_platforms"]

_REGISTRY: dict[str, str] = {
    "outbox": "scheduler.publishers.outbox:OutboxPublisher",
    "mastodon": "scheduler.publishers.mastodon:MastodonPublisher",
    "bluesky": "scheduler.publishers.bluesky:BlueskyPublisher",
    "telegram": "scheduler.publishers.telegram:TelegramPublisher",
    "discord": "scheduler.publishers.discord:DiscordPublisher",
    "facebook": "scheduler.publishers.facebook:FacebookPublisher",
    "x": "scheduler.publishers.x:XPublisher",
    "linkedin": "scheduler.publishers.linkedin:LinkedInPublisher",
    "instagram": "scheduler.publishers.instagram:InstagramPublisher",
    "threads": "scheduler.publishers.threads:ThreadsPublisher",
}


def registered_platforms() -> list[str]:
    return sorted(_REGISTRY)


def platform_of(channel: str, where: str = "channel") -> str:
    """'mastodon:clinic2' -> 'mastodon'; an unknown platform fails loudly."""
    platform = channel.split(":", 1)[0]
    if platform not in _REGISTRY:
        known = ", ".join(registered_platforms())
        raise UnknownChannelError(f"unknown channel {channel!r} (known platforms: {known})", where)
    return platform


def publisher_class(platform: str) -> type[Publisher]:
    if platform not in _REGISTRY:
        raise UnknownChannelError(f"no publisher registered for {platform!r}", "channel")
    module_name, _, class_name = _REGISTRY[platform].partition(":")
    return getattr(importlib.import_module(module_name), class_name)
