"""NOTIFY_WEBHOOK_URL (scheduler/notify.py) against a real HTTP server on 127.0.0.1: failed, unconfirmed and missed
posts and channels needing attention arrive as one JSON POST each; a stalled or broken webhook costs publishing at
most one timeout; nothing sent or logged carries a secret; without the setting, the log alone."""

from __future__ import annotations

import json
import logging
import threading
import time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import requests
import responses

from scheduler.config import load_settings
from scheduler.notify import BROKEN_PAUSE, Notifier
from scheduler.runner import Runner
from scheduler.store import NewPost, Post, open_store

SLOT = datetime(2026, 11, 23, 14, 30, tzinfo=timezone.utc)
HOOK_TOKEN = "hook-S3CRET-token-0f9e8d"
BOT_TOKEN = "123456:tg-S3CRET-bot-abcdef"
MASTODON_TOKEN = "mast-S3CRET-7f3a9c21"
SECRETS = (HOOK_TOKEN, BOT_TOKEN, MASTODON_TOKEN)


class Hook:
    """A webhook receiver: records each POST; ``stall`` seconds before answering, ``status`` as the answer."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.paths: list[str] = []
        self.stall = 0.0
        self.status = 204
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                hook.received.append(json.loads(body))
                hook.headers.append(dict(self.headers))
                hook.paths.append(self.path)
                if hook.stall:
                    time.sleep(hook.stall)
                try:
                    self.send_response(hook.status)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.handle_error = lambda request, address: None
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/hooks/clinic/{HOOK_TOKEN}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def hook():
    server = Hook()
    yield server
    server.close()


@pytest.fixture(autouse=True)
def logs(caplog):
    caplog.set_level(logging.DEBUG)
    yield caplog
    assert not any(secret in caplog.text for secret in SECRETS)


def settings(url: str | None, timeout: str = "0.3"):
    values = {"SCHEDULER_HTTP_TIMEOUT": timeout, "TELEGRAM_BOT_TOKEN": BOT_TOKEN, "TELEGRAM_CHAT_ID": "@clinic",
              "MASTODON_ACCESS_TOKEN": MASTODON_TOKEN, "MASTODON_BASE_URL": "https://mastodon.example"}
    if url:
        values["NOTIFY_WEBHOOK_URL"] = url
    return load_settings(environ=values, env_file=None)


def post(status: str, error: str | None = "Mastodon rejected the post (422): too long", **fields) -> Post:
    values = dict(id=12, channel="mastodon", platform="mastodon", status=status, scheduled_at=SLOT,
                  local_time=SLOT.isoformat(), zone="UTC", text="Massage eases sciatica #sciatica", payload={},
                  length=30, limit=500, idempotency_key="k" * 32, attempts=2, due_at=SLOT, error=error,
                  campaign="massage-therapy-for-sciatica")
    values.update(fields)
    return Post(**values)


def notifier(url: str | None, **kwargs) -> Notifier:
    session = requests.Session()
    session.trust_env = False  # no proxy between us and 127.0.0.1
    return Notifier(settings(url), lambda: session, **kwargs)


@pytest.mark.parametrize("status", ["failed", "unconfirmed", "missed"])
def test_a_post_that_needs_a_person_is_posted_as_json(hook, status):
    sender = notifier(hook.url)

    sender.post(post(status))

    body, = hook.received
    assert body["event"] == f"post.{status}"
    assert body["post"] == {"id": 12, "campaign": "massage-therapy-for-sciatica", "channel": "mastodon", "status": status,
                            "scheduled_at": "2026-11-23T14:30:00Z", "attempts": 2,
                            "error": "Mastodon rejected the post (422): too long", "remote_url": None}
    assert body["text"] == body["content"] == f"post 12 on mastodon is {status}: Mastodon rejected the post (422): too long"
    assert hook.headers[0]["Content-Type"] == "application/json"
    assert hook.paths == [f"/hooks/clinic/{HOOK_TOKEN}"]
    assert sender.sent == 1


@pytest.mark.parametrize("status", ["published", "retry", "queued", "cancelled"])
def test_other_states_send_nothing(hook, status):
    notifier(hook.url).post(post(status, error=None))
    assert hook.received == []


def test_a_channel_needing_attention_is_posted_with_what_to_do(hook):
    notifier(hook.url).channel("mastodon", "Mastodon refused the access token (401): The access token is invalid")

    body, = hook.received
    assert body["event"] == "channel.needs_attention" and body["channel"] == "mastodon"
    assert body["reason"] == "Mastodon refused the access token (401): The access token is invalid"
    assert "retry --channel mastodon" in body["text"]


def test_no_secret_reaches_the_webhook_or_the_log(hook, logs):
    sender = notifier(hook.url)
    sender.post(post("failed", error=f"Telegram said 401 for https://api.telegram.org/bot{BOT_TOKEN}/sendMessage; "
                                     f"Authorization: Bearer {MASTODON_TOKEN}"))
    sender.channel("mastodon", f"refused token={MASTODON_TOKEN}")

    sent = json.dumps(hook.received)
    assert len(hook.received) == 2
    assert not any(secret in sent for secret in SECRETS)
    assert "[redacted]" in sent
    assert "needs a person: post 12 on mastodon is failed" in logs.text
    assert "/hooks/clinic" not in logs.text  # the webhook's URL carries its token: never logged


def test_without_the_setting_it_is_logged_only(logs):
    sender = notifier(None)
    with responses.RequestsMock() as mock:  # any request at all would fail here
        sender.post(post("unconfirmed", error="an earlier attempt may have published it"))
        sender.channel("x", "X refused the credentials (401)")
    assert len(mock.calls) == 0 and sender.sent == 0
    assert "needs a person: post 12 on mastodon is unconfirmed: an earlier attempt may have published it" in logs.text
    assert "needs a person: channel x needs attention" in logs.text


def test_a_stalled_webhook_costs_one_timeout_then_is_left_alone(hook, logs):
    hook.stall = 2.0
    sender = notifier(hook.url)

    started = time.monotonic()
    sender.post(post("failed"))
    first = time.monotonic() - started
    started = time.monotonic()
    for _ in range(5):
        sender.post(post("failed"))
        sender.channel("mastodon", "401")
    rest = time.monotonic() - started

    assert sender.timeout == 0.3
    assert first < 0.3 + 0.7 and rest < 0.1
    assert len(hook.received) == 1
    assert "notification webhook at 127.0.0.1 failed (ReadTimeout)" in logs.text
    assert "needs a person: post 12 on mastodon is failed" in logs.text  # still logged, every time


def test_a_webhook_answering_an_error_is_left_alone_for_a_while_then_tried_again(hook, logs):
    hook.status = 500
    now = [1000.0]
    sender = notifier(hook.url, monotonic=lambda: now[0])

    sender.post(post("failed"))
    sender.post(post("failed"))
    assert len(hook.received) == 1 and "answered 500" in logs.text

    hook.status = 200
    now[0] += BROKEN_PAUSE  # a long-running daemon: after the pause the webhook is tried again
    sender.post(post("failed"))
    assert len(hook.received) == 2 and sender.sent == 1


def test_a_webhook_that_refuses_connections_does_not_stop_publishing(logs):
    sender = notifier("http://127.0.0.1:9/hooks/clinic/" + HOOK_TOKEN)  # the discard port: nothing listens
    sender.post(post("failed"))
    assert sender.sent == 0 and "notification webhook at 127.0.0.1 failed" in logs.text


def test_a_run_with_a_stalled_webhook_still_publishes_everything_and_pays_one_timeout(tmp_path, hook):
    hook.stall = 2.0
    store = open_store(f"sqlite:///{tmp_path / 'q.db'}")
    now = datetime.now(timezone.utc)
    store.enqueue([NewPost(channel=channel, platform=channel, scheduled_at=now - timedelta(seconds=n), zone="UTC",
                           text=f"Massage eases sciatica, tip {n} #sciatica", payload={"text": f"tip {n}",
                                                                                       "status": f"tip {n}"},
                           length=30, limit=500, idempotency_key=f"{channel}-{n}")
                   for n in range(3) for channel in ("telegram", "mastodon")], now)
    session = requests.Session()
    session.trust_env = False
    runner = Runner(store, settings(hook.url), lambda: datetime.now(timezone.utc), session)

    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add_passthru("http://127.0.0.1")
        mock.post("https://mastodon.example/api/v1/statuses", status=422,
                  json={"error": "Validation failed: Text character limit of 500 exceeded"})
        for n in range(3):
            mock.post(f"https://api.telegram.org/bot{BOT_TOKEN}/sendMessage",
                      json={"ok": True, "result": {"message_id": n + 1, "chat": {"id": -100, "username": "clinic"}}})
        started = time.monotonic()
        report = runner.run_due()
        elapsed = time.monotonic() - started

    assert report.counts() == {"failed": 3, "published": 3}
    assert len(hook.received) == 1  # the first failure; the webhook then stalled and was left alone
    assert elapsed < 0.3 + 1.5
    store.close()
