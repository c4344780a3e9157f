"""The daemon in a real process: it publishes posts as they fall due and stops cleanly on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MASTODON_", "BLUESKY_", "SCHEDULER_", "OUTBOX_"))}
    env.update(SCHEDULER_DATABASE_URL=f"sqlite:///{tmp_path / 'q.db'}", OUTBOX_PATH=str(tmp_path / "outbox.jsonl"))
    return env


def _cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scheduler", *args], cwd=tmp_path, env=_env(tmp_path),
                          capture_output=True, text=True, timeout=60)


def _outbox_lines(tmp_path: Path) -> list[dict]:
    path = tmp_path / "outbox.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_daemon_publishes_due_posts_on_time_and_exits_0_on_sigterm(tmp_path):
    soon = datetime.now(timezone.utc) + timedelta(seconds=3)
    for offset, text in ((0, "first"), (1, "second")):
        at = (soon + timedelta(seconds=offset)).isoformat()
        assert _cli(tmp_path, "add", "--channel", "outbox", "--text", text, "--at", at).returncode == 0
    daemon = subprocess.Popen([sys.executable, "-m", "scheduler", "daemon"], cwd=tmp_path, env=_env(tmp_path),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while len(_outbox_lines(tmp_path)) < 2 and time.monotonic() < deadline:
            assert daemon.poll() is None, daemon.stderr.read()
            time.sleep(0.1)
        lines = _outbox_lines(tmp_path)
        assert [line["text"] for line in lines] == ["first", "second"]
        published = [datetime.fromisoformat(line["published_at"].replace("Z", "+00:00")) for line in lines]
        assert published[0] >= soon  # never early
    finally:
        daemon.send_signal(signal.SIGTERM)
        code = daemon.wait(timeout=30)
    assert code == 0
    listed = json.loads(_cli(tmp_path, "list", "--json").stdout)
    assert [post["status"] for post in listed] == ["published", "published"]
