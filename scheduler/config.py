"""The only reader of the environment and of `.env`. The real environment wins over `.env`."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from scheduler.errors import ConfigError

DEFAULT_DATABASE_URL = "sqlite:///scheduler.db"
DEFAULT_HTTP_TIMEOUT = 30.0
DEFAULT_MISSED_AFTER = 7200.0  # seconds late after which a post is missed instead of published late
DEFAULT_WORKERS = 8  # channels published at once by one run (each channel still one post at a time)
_CHANNEL_NAME = re.compile(r"^[a-z][a-z0-9_]*(?::[a-z0-9_]+)?$")


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    outbox_path: Path = Path("outbox.jsonl")
    http_timeout: float = DEFAULT_HTTP_TIMEOUT
    missed_after: float = DEFAULT_MISSED_AFTER
    # Failures, unconfirmed and missed posts are POSTed here as JSON (a webhook URL carries its token: never logged).
    notify_webhook_url: str | None = field(default=None, repr=False)
    # Refreshed OAuth tokens (X's rotating refresh token) outlive the run here; None: kept for the run only.
    token_file: Path | None = None
    # Channels published in parallel by one run (SCHEDULER_WORKERS; 1 when Settings is built in code: one at a time).
    workers: int = 1
    # Processes a run with many channels due is split over (SCHEDULER_PROCESSES; None: automatic, see runner).
    processes: int | None = None
    # Every variable seen, for channel credentials; hidden from repr so secrets never reach a log.
    values: Mapping[str, str] = field(default_factory=dict, repr=False)

    def channel_value(self, channel: str, key: str) -> str | None:
        """``channel_value("mastodon:clinic2", "ACCESS_TOKEN")`` reads MASTODON_CLINIC2_ACCESS_TOKEN."""
        value = self.values.get(channel_variable(channel, key), "")
        return value.strip() or None

    def channel_variable(self, channel: str, key: str) -> str:
        return channel_variable(channel, key)


def channel_variable(channel: str, key: str) -> str:
    if not _CHANNEL_NAME.match(channel):
        raise ConfigError(f"invalid channel name {channel!r} (expected 'platform' or 'platform:name')", "channel")
    return "_".join(channel.upper().split(":")) + "_" + key


def load_settings(environ: Mapping[str, str] | None = None, env_file: str | Path | None = ".env") -> Settings:
    values: dict[str, str] = {}
    if env_file and Path(env_file).is_file():
        values.update(_read_env_file(env_file))
    values.update(os.environ if environ is None else environ)
    return Settings(
        database_url=values.get("SCHEDULER_DATABASE_URL") or DEFAULT_DATABASE_URL,
        outbox_path=Path(values.get("OUTBOX_PATH") or "outbox.jsonl"),
        http_timeout=_positive_float(values, "SCHEDULER_HTTP_TIMEOUT", DEFAULT_HTTP_TIMEOUT),
        missed_after=_positive_float(values, "SCHEDULER_MISSED_AFTER", DEFAULT_MISSED_AFTER),
        notify_webhook_url=_webhook_url(values.get("NOTIFY_WEBHOOK_URL")),
        workers=_workers(values.get("SCHEDULER_WORKERS")),
        processes=_processes(values.get("SCHEDULER_PROCESSES")),
        # The real environment defaults to .tokens.json in the working directory; an explicit mapping only if it names one.
        token_file=Path(values.get("SCHEDULER_TOKEN_FILE") or ".tokens.json")
        if environ is None or values.get("SCHEDULER_TOKEN_FILE") else None,
        values=values,
    )


def _read_env_file(path: str | Path) -> dict[str, str]:
    """The variables set in a .env file. python-dotenv is imported only here: an idle cron `publish` in a folder
    without .env must not pay for importing it."""
    from dotenv import dotenv_values

    return {key: value for key, value in dotenv_values(path).items() if value is not None}


def _positive_float(values: Mapping[str, str], name: str, default: float) -> float:
    raw = values.get(name)
    if not raw:
        return default
    try:
        number = float(raw)
    except ValueError:
        raise ConfigError(f"must be a number of seconds, got {raw!r}", name) from None
    if number <= 0:
        raise ConfigError(f"must be greater than 0, got {raw!r}", name)
    return number


def _webhook_url(raw: str | None) -> str | None:
    """An http(s) URL or None; ConfigError names the variable, never the value (it carries a token)."""
    if not raw or not raw.strip():
        return None
    url = raw.strip()
    if not re.match(r"^https?://[^/\s]+", url):
        raise ConfigError("must be an http:// or https:// URL", "NOTIFY_WEBHOOK_URL")
    return url


def _processes(raw: str | None) -> int | None:
    """SCHEDULER_PROCESSES: a whole number of processes (1: threads only), or empty / "auto" (None: automatic)."""
    raw = (raw or "").strip()
    if not raw or raw.lower() == "auto":
        return None
    try:
        wanted = int(raw)
    except ValueError:
        wanted = 0
    if wanted < 1:
        raise ConfigError(f"must be a whole number of processes (1 or more) or 'auto', got {raw!r}", "SCHEDULER_PROCESSES")
    return wanted


def _workers(raw: str | None) -> int:
    if not raw or not raw.strip():
        return DEFAULT_WORKERS
    try:
        number = int(raw)
    except ValueError:
        raise ConfigError(f"must be a whole number of workers, got {raw!r}", "SCHEDULER_WORKERS") from None
    if not 1 <= number <= 256:
        raise ConfigError(f"must be between 1 and 256, got {raw!r}", "SCHEDULER_WORKERS")
    return number
