"""Shared fixtures. Keep each one small and named for what it builds."""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from typing import Any, Callable

import pytest
import responses

from posts.compile import compile_post
from scheduler.config import Settings
from scheduler.store import Post


@pytest.fixture
def make_post() -> Callable[..., Post]:
    """``make_post(text=..., channel="bluesky", id=7, attempts=1, ...)``: a scheduler.store.Post as claimed
    from the queue, its payload compiled for the channel's platform as the planner would."""

    def build(text: str = "Massage eases sciatica pain #sciatica", channel: str = "outbox", **fields: Any) -> Post:
        platform = channel.split(":", 1)[0]
        compiled = compile_post(platform, text, "test") if platform != "outbox" else None
        scheduled_at = fields.pop("scheduled_at", datetime(2026, 11, 23, 14, 30, tzinfo=timezone.utc))
        values: dict[str, Any] = {
            "id": 1,
            "channel": channel,
            "platform": platform,
            "status": "publishing",
            "scheduled_at": scheduled_at,
            "local_time": scheduled_at.isoformat(),
            "zone": "UTC",
            "text": compiled.text if compiled else text,
            "payload": compiled.payload if compiled else {"text": text},
            "length": compiled.length if compiled else len(text),
            "limit": compiled.limit if compiled else 10_000,
            "idempotency_key": hashlib.sha256(f"{channel}\x1f{text}\x1f{fields.get('id', 1)}".encode()).hexdigest()[:32],
            "attempts": 0,
            "due_at": scheduled_at,
        }
        values.update(fields)
        return Post(**values)

    return build


@pytest.fixture
def mock():
    """HTTP answered by ``responses`` (no real network); every answer a test registers must be asked for."""
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        yield rsps


@pytest.fixture
def settings_with() -> Callable[..., Settings]:
    """``settings_with(MASTODON_BASE_URL=..., OUTBOX_PATH=...)``: Settings whose variables are exactly these."""

    def build(**values: str) -> Settings:
        from scheduler.config import load_settings

        return load_settings(environ=values, env_file=None)

    return build


# Every variable a run could read credentials or settings from: a test sees none of the machine's own.
_SETTING_PREFIXES = ("SCHEDULER_", "OUTBOX_", "NOTIFY_", "MASTODON_", "BLUESKY_", "X_", "LINKEDIN_", "FACEBOOK_",
                     "INSTAGRAM_", "THREADS_", "TELEGRAM_", "DISCORD_")


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    """A working folder with no .env and no credentials in the environment; the queue and outbox live inside it."""
    import os

    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith(_SETTING_PREFIXES):
            monkeypatch.delenv(name)
    monkeypatch.setenv("SCHEDULER_DATABASE_URL", f"sqlite:///{tmp_path / 'q.db'}")
    monkeypatch.setenv("OUTBOX_PATH", str(tmp_path / "outbox.jsonl"))
    return tmp_path


@pytest.fixture
def store(workspace):
    """The workspace's queue, opened as the CLI opens it (test files with a store of their own override this)."""
    import os

    from scheduler.store import open_store

    opened = open_store(os.environ["SCHEDULER_DATABASE_URL"])
    yield opened
    opened.close()
