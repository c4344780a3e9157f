"""Real processes against one SQLite queue: concurrent `publish` runs share the work and never
publish a post twice; SIGTERM finishes the post in flight and leaves the rest queued.

Every subprocess runs with cwd=tmp_path (so no .env is read) and a cleaned environment; the only
network peer is a local HTTP server on 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import pytest

from scheduler.store import NewPost, open_store

from helpers import send_json

POSTS = 200
WORKERS = 4
DEADLINE = 25.0  # seconds for any one test's subprocesses, well under the 30 s budget


def clean_env(**extra: str) -> dict[str, str]:
    """The inherited environment without scheduler settings, credentials or proxies, plus ``extra``."""
    dropped = ("MASTODON_", "BLUESKY_", "SCHEDULER_", "OUTBOX_")
    proxies = {"http_proxy", "https_proxy", "all_proxy"}
    env = {k: v for k, v in os.environ.items() if not k.startswith(dropped) and k.lower() not in proxies}
    env.update({"NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost", "PYTHONUNBUFFERED": "1"})
    env.update(extra)
    return env


def scheduler_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "scheduler", *args]


def finish(processes: list[subprocess.Popen], deadline: float) -> list[tuple[int, str, str]]:
    """Wait for every process until ``deadline`` (monotonic); kill the stragglers and fail."""
    results = []
    for process in processes:
        try:
            out, err = process.communicate(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            for other in processes:
                other.kill()
            for other in processes:
                other.communicate()
            pytest.fail("a scheduler subprocess did not finish in time")
        results.append((process.returncode, out, err))
    return results


# -- concurrent publish runs ---------------------------------------------------------------------

def test_concurrent_publish_runs_publish_every_post_exactly_once(tmp_path):
    database_url = "sqlite:///" + str(tmp_path / "q.db")
    outbox = tmp_path / "outbox.jsonl"
    due = datetime.now(timezone.utc) - timedelta(minutes=1)
    store = open_store(database_url)
    try:
        posts = [NewPost(channel="outbox", platform="outbox", scheduled_at=due + timedelta(microseconds=n), zone="UTC",
                         text=f"Post {n} #massagetherapy", payload={"status": f"Post {n} #massagetherapy"},
                         length=20, limit=500, idempotency_key=f"concurrent-{n:03d}") for n in range(POSTS)]
        added = store.enqueue(posts, due).added
    finally:
        store.close()
    assert len(added) == POSTS
    keys_by_id = {post.id: post.idempotency_key for post in added}

    env = clean_env(SCHEDULER_DATABASE_URL=database_url, OUTBOX_PATH=str(outbox))
    deadline = time.monotonic() + DEADLINE
    processes = [subprocess.Popen(scheduler_cmd("publish", "--json"), cwd=tmp_path, env=env, text=True,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(WORKERS)]
    results = finish(processes, deadline)

    touched_per_run: list[list[dict[str, Any]]] = []
    for code, out, err in results:
        assert code == 0, err
        touched_per_run.append(json.loads(out)["posts"])

    # The union of the runs' touched posts: every post once, none twice, all published.
    touched_ids = [post["id"] for run in touched_per_run for post in run]
    assert len(touched_ids) == len(set(touched_ids)), [i for i, n in Counter(touched_ids).items() if n > 1]
    assert set(touched_ids) == set(keys_by_id)
    assert all(post["status"] == "published" for run in touched_per_run for post in run)

    # The outbox: one line per post, each key once.
    lines = outbox.read_text(encoding="utf-8").splitlines()
    assert len(lines) == POSTS
    records = [json.loads(line) for line in lines]
    line_keys = [record["idempotency_key"] for record in records]
    assert len(set(line_keys)) == POSTS
    assert set(line_keys) == set(keys_by_id.values())
    assert all(keys_by_id[record["id"]] == record["idempotency_key"] for record in records)

    # The queue agrees.
    store = open_store(database_url)
    try:
        stored = store.list_posts()
        assert Counter(post.status for post in stored) == {"published": POSTS}
        assert all(post.attempts == 1 and post.remote_id == post.idempotency_key for post in stored)
    finally:
        store.close()

    # The runs shared the work. With WORKERS processes started together this holds even on two cores:
    # Python's start-up is shorter than publishing 200 fsynced outbox lines.
    busy_runs = [len(run) for run in touched_per_run if run]
    assert len(busy_runs) > 1, f"one run published everything: {[len(run) for run in touched_per_run]}"


# -- SIGTERM mid-run -----------------------------------------------------------------------------

class FakeMastodon:
    """POST /api/v1/statuses answered after a delay with {"id", "url"}; records every request."""

    DELAY = 0.3

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self.first_request = threading.Event()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 - the http.server name
                length = int(self.headers.get("Content-Length") or 0)
                form = parse_qs(self.rfile.read(length).decode("utf-8"))
                with fake.lock:
                    number = len(fake.requests) + 1
                    fake.requests.append({
                        "path": self.path,
                        "key": self.headers.get("Idempotency-Key"),
                        "authorization": self.headers.get("Authorization"),
                        "status": form.get("status", [None])[0],
                        "id": str(1000 + number),
                    })
                fake.first_request.set()
                time.sleep(fake.DELAY)
                if self.path != "/api/v1/statuses":
                    send_json(self, 404, {"error": "Record not found"})
                    return
                send_json(self, 200, {"id": str(1000 + number), "url": f"http://127.0.0.1/@clinic/{1000 + number}"})

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> "FakeMastodon":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def test_sigterm_finishes_the_post_in_flight_and_leaves_the_rest_queued(tmp_path):
    database_url = "sqlite:///" + str(tmp_path / "q.db")
    with FakeMastodon() as mastodon:
        env = clean_env(SCHEDULER_DATABASE_URL=database_url, OUTBOX_PATH=str(tmp_path / "outbox.jsonl"),
                        MASTODON_BASE_URL=mastodon.base_url, MASTODON_ACCESS_TOKEN="test-token",
                        SCHEDULER_HTTP_TIMEOUT="10")
        texts = [f"Massage eases sciatica, part {n} #massagetherapyforsciatica" for n in range(1, 5)]
        deadline = time.monotonic() + DEADLINE
        for text in texts:
            added = subprocess.run(scheduler_cmd("add", "--channel", "mastodon", "--text", text, "--at", "now", "--json"),
                                   cwd=tmp_path, env=env, text=True, capture_output=True,
                                   timeout=max(0.1, deadline - time.monotonic()))
            assert added.returncode == 0, added.stderr
            assert json.loads(added.stdout)["status"] == "queued"

        publish = subprocess.Popen(scheduler_cmd("publish", "--json"), cwd=tmp_path, env=env, text=True,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            got_one = mastodon.first_request.wait(timeout=max(0.1, deadline - time.monotonic()))
        finally:
            publish.send_signal(signal.SIGTERM)  # while the first request waits for its answer
        (code, out, err), = finish([publish], deadline)
        assert got_one, f"the publisher never called the server: {err}"

    assert code == 0, err
    report = json.loads(out)
    assert report["counts"] == {"published": 1}

    requests_seen = mastodon.requests
    assert len(requests_seen) == 1, requests_seen
    assert all(count == 1 for count in Counter(r["key"] for r in requests_seen).values())
    request = requests_seen[0]
    assert (request["path"], request["authorization"]) == ("/api/v1/statuses", "Bearer test-token")

    store = open_store(database_url)
    try:
        posts = store.list_posts()
    finally:
        store.close()
    assert len(posts) == len(texts)
    assert Counter(post.status for post in posts) == {"published": 1, "queued": len(texts) - 1}
    published, = [post for post in posts if post.status == "published"]
    assert published.text == request["status"]
    assert published.idempotency_key == request["key"]
    assert (published.remote_id, published.remote_url) == (request["id"], f"http://127.0.0.1/@clinic/{request['id']}")
    assert report["posts"][0]["id"] == published.id
    assert all(post.attempts == 0 and post.remote_id is None for post in posts if post.status == "queued")
