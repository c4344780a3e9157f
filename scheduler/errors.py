"""The scheduler's one root exception, and kinds named by what the caller must do."""

from __future__ import annotations

from datetime import datetime

from posts.errors import Located


class SchedulerError(Exception):
    """Root of every error the scheduler raises on purpose."""


class ConfigError(Located, SchedulerError):
    """Bad input (campaign file, setting, argument): fix the named place; exit status 2."""


class UnknownChannelError(ConfigError):
    """A channel name that no publisher is registered for."""


class NotFoundError(SchedulerError):
    """No post with that id."""


class PublishError(SchedulerError):
    """A publish attempt did not produce a post. ``reason`` is safe to store and show."""

    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


class RetryNow(PublishError):
    """Nothing was applied (connection refused, a 5xx the platform did not act on): try again soon."""


class RetryAt(PublishError):
    """The platform asked us to wait (rate limit): try again at ``at`` (aware UTC)."""

    def __init__(self, reason: str, at: datetime, status: int | None = None) -> None:
        super().__init__(reason, status)
        self.at = at


class NeedsAttention(PublishError):
    """Bad or expired credentials, or a missing permission: a person must act; do not burn posts."""


class Rejected(PublishError):
    """The platform refused this post (duplicate, too long, invalid): give up on it."""


class UnknownOutcome(PublishError):
    """The request was sent but no answer came back: the post may exist."""


class LeaseLost(SchedulerError):
    """A worker's claim on a post was taken over (its lease expired) or ended: its result is not recorded."""


class InvalidState(SchedulerError):
    """An operation the post's current state does not allow (cancel a published post, say)."""


class StoreError(SchedulerError):
    """The queue's database cannot be read (not a database, corrupt)."""
