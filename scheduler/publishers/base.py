"""What every publisher adapter is: a small class that sends one post and says what happened."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Callable, ClassVar

from scheduler.config import Settings
from scheduler.errors import ConfigError
from scheduler.store import Post

if TYPE_CHECKING:
    import requests


@dataclass(frozen=True)
class Published:
    remote_id: str
    remote_url: str | None
    # A pacing hint (aware UTC): this post went out, but the channel takes no further post before then. The store
    # keeps it on the channel, like a rate limit's hold, so it outlasts the process (a cron run ends at once).
    hold_channel_until: datetime | None = None
    hold_reason: str | None = None  # why, for a person (`doctor`); never a credential

    def __post_init__(self) -> None:
        if self.hold_channel_until is not None and self.hold_channel_until.tzinfo is None:
            raise ValueError("a channel hold must be an aware time")


class Publisher:
    platform: ClassVar[str]
    # Settings the channel needs, as suffixes of its prefix (ACCESS_TOKEN -> MASTODON_ACCESS_TOKEN).
    required: ClassVar[tuple[str, ...]] = ()
    # True where sending the same post again cannot create a second one (idempotency key, fixed record key).
    resend_is_safe: ClassVar[bool] = False

    def __init__(self, channel: str, settings: Settings, session: requests.Session) -> None:
        self.channel = channel
        self.settings = settings
        self.session = session
        self.timeout = settings.http_timeout
        # Set by the runner for each post: saves a step (a created media container, say) on the post
        # before the next request, so that an interrupted publish is completed rather than repeated.
        self.checkpoint: Callable[[dict[str, Any]], None] = lambda progress: None
        check_credentials(type(self), channel, settings)

    def publish(self, post: Post, now: datetime) -> Published:
        """Send ``post``; return where it landed or raise a PublishError kind."""
        raise NotImplementedError

    def verify(self, now: datetime) -> str:
        """Check the credentials with one read-only request (never a post): who they authenticate as (an account
        name or handle, for a person to read), or raise the same PublishError kinds ``publish`` would. Used by
        ``channels --check``; the answer carries no credential."""
        raise NotImplementedError

    def setting(self, key: str, default: str | None = None) -> str | None:
        return self.settings.channel_value(self.channel, key) or default

    @classmethod
    def credential_problem(cls, channel: str, settings: Settings, where: str | None = None) -> ConfigError | None:
        """What is missing for ``channel`` to publish (variable names only, never values); None if nothing.
        Adapters with alternative sets of credentials (X: OAuth 1.0a or 2.0) override this."""
        for key in cls.required:
            if not settings.channel_value(channel, key):
                variable = settings.channel_variable(channel, key)
                message = f"channel {channel!r} has no credentials: set {variable} in .env or the environment"
                return ConfigError(message, where or variable)
        return None


def check_credentials(cls: type[Publisher], channel: str, settings: Settings, where: str | None = None) -> None:
    """Raise the ConfigError naming what ``channel`` lacks, before anything is planned or sent."""
    problem = cls.credential_problem(channel, settings, where)
    if problem is not None:
        raise problem
