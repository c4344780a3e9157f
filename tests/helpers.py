"""Plain helpers shared by test files (fixtures live in conftest.py). Import them: ``from helpers import Clock``."""

from __future__ import annotations

import json
import socket
import threading
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Iterator

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_ARTICLE = ROOT / "scheduler" / "sample" / "article.md"
MONDAY = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)  # a Monday, 07:00 in New York


class Clock:
    """A clock a test sets by hand: ``clock.now = later``; calling it returns ``now``."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def run_cli(argv: list[str], capsys, clock: Callable[[], datetime]) -> tuple[int, str, str]:
    """``scheduler.cli.main(argv)`` on ``clock``: its exit code, stdout and stderr."""
    from scheduler import cli

    code = cli.main(argv, clock=clock)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def save_campaign(folder: Path, text: str) -> Path:
    """``text`` written as ``folder/campaign.toml``; its path."""
    path = folder / "campaign.toml"
    path.write_text(text, encoding="utf-8")
    return path


def write_article_and_template(folder: Path, article: str, short_template: str) -> Path:
    """``folder`` (returned) with ``article`` as ``article.md`` and ``short_template`` as ``templates/short.j2``."""
    (folder / "article.md").write_text(article, encoding="utf-8")
    (folder / "templates").mkdir()
    (folder / "templates" / "short.j2").write_text(short_template)
    return folder


def stored_posts(folder: Path) -> list:
    """Every post in ``folder/q.db``, the queue's store opened and closed again around the read."""
    from scheduler.store import open_store

    store = open_store(f"sqlite:///{folder / 'q.db'}")
    try:
        return store.list_posts()
    finally:
        store.close()


def fail_updates_of(db_path: Path, post_id: int) -> None:
    """From now on, any change to post ``post_id`` in the SQLite queue at ``db_path`` fails ('injected failure')."""
    import sqlite3

    with sqlite3.connect(db_path) as db:
        db.execute(f"CREATE TRIGGER fail_{post_id:d} BEFORE UPDATE ON posts WHEN OLD.id = {post_id:d} "
                   "BEGIN SELECT RAISE(ABORT, 'injected failure'); END")
    db.close()


def fail_channel_writes(db_path: Path) -> None:
    """From now on, any write to the channels table of the SQLite queue at ``db_path`` fails ('injected failure')."""
    import sqlite3

    with sqlite3.connect(db_path) as db:
        for event in ("INSERT", "UPDATE"):
            db.execute(f"CREATE TRIGGER fail_channels_{event.lower()} BEFORE {event} ON channels "
                       "BEGIN SELECT RAISE(ABORT, 'injected failure'); END")
    db.close()


def closed_port_url() -> str:
    """``http://127.0.0.1:PORT`` where nothing listens: a connection there is really refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def answer_id(answer: dict) -> str:
    """The test id of a mocked answer (``dict(status=..., json=...)`` or ``dict(body=SomeError(...))``): its
    status, or the name of the exception it raises."""
    return str(answer.get("status") or type(answer["body"]).__name__)


def send_json(handler: BaseHTTPRequestHandler, status: int, body: Any) -> None:
    """An http.server handler's answer: ``status`` with ``body`` as JSON."""
    payload = json.dumps(body).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(payload)))
    handler.end_headers()
    handler.wfile.write(payload)


@contextmanager
def serving(handler_class: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 (a free port) answering with ``handler_class`` while the block runs;
    yields its base URL, ``http://127.0.0.1:PORT``."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def assert_no_secret(error: BaseException, *secrets: str) -> None:
    """None of ``secrets`` in the error's message, its reason or its repr (what chains to it is checked apart)."""
    for text in (str(error), error.reason, repr(error)):
        for secret in secrets:
            assert secret not in text
