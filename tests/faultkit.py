"""Shared by the tests that break things: a queue filled directly, `publish` run as a real subprocess against
tests/faultserver.py, and "time passing" between runs (retries due, holds over, dead workers' leases expired)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from posts.compile import compile_post
from scheduler.store import NewPost, open_store
from scheduler.store.sqlite import db_time

SECRETS = {"MASTODON_ACCESS_TOKEN": "mast-secret-7f3a9c21", "BLUESKY_APP_PASSWORD": "bsky-secret-pass-4411",
           "X_OAUTH2_ACCESS_TOKEN": "x-secret-oauth2-99aa", "TELEGRAM_BOT_TOKEN": "123456:tg-secret-token-abcdef"}
DISCORD_TOKEN = "dc-secret-webhook-token-5e6f"  # a webhook URL carries its token in the path
WAITING = ("queued", "retry", "publishing")


def env_for(tmp_path: Path, url: str, timeout: str = "0.5", **extra: str) -> dict[str, str]:
    dropped = ("MASTODON_", "BLUESKY_", "SCHEDULER_", "OUTBOX_", "X_", "TELEGRAM_", "NOTIFY_", "DISCORD_", "FACEBOOK_",
               "LINKEDIN_")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(dropped) and k.lower() not in {"http_proxy", "https_proxy", "all_proxy"}}
    env.update({"NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost", "PYTHONUNBUFFERED": "1",
                "SCHEDULER_DATABASE_URL": f"sqlite:///{tmp_path / 'q.db'}", "SCHEDULER_HTTP_TIMEOUT": timeout,
                "MASTODON_BASE_URL": url, "BLUESKY_PDS_URL": url, "BLUESKY_HANDLE": "clinic.test",
                "X_API_BASE_URL": url, "TELEGRAM_API_BASE_URL": url, "TELEGRAM_CHAT_ID": "@clinic",
                "DISCORD_WEBHOOK_URL": f"{url}/api/webhooks/223704706495545344/{DISCORD_TOKEN}", **SECRETS})
    env.update(extra)
    return env


def fill(tmp_path: Path, per_channel: dict[str, int]) -> dict[int, str]:
    """Queue posts due now; returns {post id: channel}."""
    now = datetime.now(timezone.utc) - timedelta(seconds=5)
    posts = []
    for channel, count in per_channel.items():
        for n in range(count):
            compiled = compile_post(channel, f"Massage eases sciatica, tip {n} for {channel} #sciatica", "test")
            posts.append(NewPost(channel=channel, platform=channel, scheduled_at=now + timedelta(microseconds=n),
                                 zone="UTC", text=compiled.text, payload=compiled.payload, length=compiled.length,
                                 limit=compiled.limit, idempotency_key=f"{channel}-{n:04d}"))
    store = open_store(f"sqlite:///{tmp_path / 'q.db'}")
    try:
        return {post.id: post.channel for post in store.enqueue(posts, now).added}
    finally:
        store.close()


def publish_cmd() -> list[str]:
    return [sys.executable, "-m", "scheduler", "publish"]


def start(tmp_path: Path, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(publish_cmd(), cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)


def time_passes(tmp_path: Path) -> int:
    """With no worker alive: every retry is due, every rate-limit hold over, every lease expired.
    Returns how many posts still wait."""
    db = sqlite3.connect(tmp_path / "q.db", timeout=30, isolation_level=None)
    try:
        past = db_time(datetime.now(timezone.utc) - timedelta(seconds=1))
        db.execute("BEGIN IMMEDIATE")
        db.execute("UPDATE posts SET due_at = ? WHERE status = 'retry'", (past,))
        db.execute("UPDATE posts SET lease_until = ? WHERE status = 'publishing'", (past,))
        db.execute("UPDATE channels SET hold_until = NULL")
        db.execute("COMMIT")
        marks = ",".join("?" * len(WAITING))
        return db.execute(f"SELECT COUNT(*) FROM posts WHERE status IN ({marks})", WAITING).fetchone()[0]
    finally:
        db.close()


def run_rounds(tmp_path: Path, env: dict[str, str], workers: int, max_rounds: int, deadline: float) -> int:
    """Run ``workers`` publish processes at once, let time pass, again, until nothing waits. Returns the rounds."""
    for round_ in range(1, max_rounds + 1):
        processes = [start(tmp_path, env) for _ in range(workers)]
        for process in processes:
            try:
                _, err = process.communicate(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                for other in processes:
                    other.kill()
                raise AssertionError("a publish run did not finish in time")
            assert process.returncode in (0, 1), err
            assert "Traceback" not in err, err
        if time_passes(tmp_path) == 0:
            return round_
    raise AssertionError(f"posts still waiting after {max_rounds} rounds")


def assert_no_secret_stored(tmp_path: Path, *texts: str) -> None:
    for name in ("q.db", "q.db-wal"):
        path = tmp_path / name
        if path.exists():
            data = path.read_bytes()
            for secret in (*SECRETS.values(), DISCORD_TOKEN):
                assert secret.encode() not in data, f"a secret reached {name}"
    for text in texts:
        for secret in (*SECRETS.values(), DISCORD_TOKEN):
            assert secret not in text
