"""`queue` writes in one transaction: posts moved to a changed schedule and the new posts it adds go in together,
or, on any failure, nothing does (no post moved, none added)."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from scheduler import cli
from scheduler.errors import InvalidState
from scheduler.store import NewPost, Store

from helpers import MONDAY, SAMPLE_ARTICLE, Clock, fail_updates_of, run_cli, save_campaign, stored_posts

CAMPAIGN = """
[campaign]
name = "sciatica"
article = "{article}"
topic = "Massage therapy"
condition = "sciatica"
hashtags = ["#sciatica"]
channels = {channels}

[cadence]
zone = "America/New_York"
slots = {slots}
"""


def write(folder: Path, channels: str = '["outbox", "outbox:b"]', slots: str = '["mon,wed,fri 09:30"]') -> Path:
    return save_campaign(folder, CAMPAIGN.format(article=SAMPLE_ARTICLE, channels=channels, slots=slots))


def changed(folder: Path) -> Path:
    """The campaign with a new schedule (its queued posts move) and a new channel (new posts to add)."""
    return write(folder, channels='["outbox", "outbox:b", "outbox:c"]', slots='["tue,thu 11:00"]')


def snapshot(folder: Path) -> list[tuple]:
    return [(p.id, p.channel, p.status, p.scheduled_at, p.zone, p.local_time) for p in stored_posts(folder)]


def fail_inserts(db_path: Path) -> None:
    """From now on, adding a post to the SQLite queue at ``db_path`` fails ('injected failure')."""
    with sqlite3.connect(db_path) as db:
        db.execute("CREATE TRIGGER fail_insert BEFORE INSERT ON posts BEGIN SELECT RAISE(ABORT, 'injected failure'); END")
    db.close()


def queued_then_changed(workspace: Path, capsys) -> tuple[Path, list[tuple]]:
    path = write(workspace)
    assert run_cli(["queue", str(path)], capsys, Clock(MONDAY))[0] == 0
    changed(workspace)
    return path, snapshot(workspace)


def test_a_failure_while_moving_posts_moves_none_and_adds_none(workspace, capsys):
    path, before = queued_then_changed(workspace, capsys)
    outbox = sorted((p for p in stored_posts(workspace) if p.channel == "outbox"), key=lambda p: p.scheduled_at)
    assert len(outbox) >= 3
    fail_updates_of(workspace / "q.db", outbox[2].id)  # the third post to move: two have moved by then

    with pytest.raises(sqlite3.DatabaseError, match="injected failure"):
        cli.main(["queue", str(path)], clock=Clock(MONDAY))

    assert snapshot(workspace) == before


def test_a_failure_while_adding_posts_leaves_every_post_where_it_was(workspace, capsys):
    path, before = queued_then_changed(workspace, capsys)
    fail_inserts(workspace / "q.db")

    with pytest.raises(sqlite3.DatabaseError, match="injected failure"):
        cli.main(["queue", str(path)], clock=Clock(MONDAY))

    assert snapshot(workspace) == before
    with sqlite3.connect(workspace / "q.db") as db:
        db.execute("DROP TRIGGER fail_insert")
    db.close()
    code, out, err = run_cli(["queue", str(path)], capsys, Clock(MONDAY))  # the same run, once the fault is gone
    assert code == 0, err
    assert "moved to the new schedule" in out
    posts = stored_posts(workspace)
    assert any(p.channel == "outbox:c" for p in posts)
    new_york = ZoneInfo("America/New_York")
    assert {p.scheduled_at.astimezone(new_york).strftime("%a %H:%M") for p in posts} == {"Tue 11:00", "Thu 11:00"}


def _new_post(key: str, at) -> NewPost:
    return NewPost(channel="outbox", platform="outbox", scheduled_at=at, zone="UTC", text=f"text {key}",
                   payload={"text": f"text {key}"}, length=7, limit=5000, idempotency_key=key, campaign="sciatica")


def test_requeue_refuses_a_post_that_stopped_waiting_and_writes_nothing(store: Store):
    waiting = store.enqueue([_new_post("a", MONDAY + timedelta(days=1))], MONDAY).added[0]
    cancelled = store.enqueue([_new_post("b", MONDAY + timedelta(days=2))], MONDAY).added[0]
    store.cancel(cancelled.id, MONDAY)
    moves = [(waiting.id, MONDAY + timedelta(days=3), "Europe/Berlin"), (cancelled.id, MONDAY + timedelta(days=4), "UTC")]

    with pytest.raises(InvalidState, match=f"cannot re-plan post {cancelled.id}: it is cancelled"):
        store.requeue(moves, [_new_post("c", MONDAY + timedelta(days=5))], MONDAY)

    assert [(p.id, p.scheduled_at, p.zone) for p in store.list_posts()] == [
        (waiting.id, waiting.scheduled_at, "UTC"), (cancelled.id, cancelled.scheduled_at, "UTC")]


def test_requeue_moves_and_adds_together(store: Store):
    waiting = store.enqueue([_new_post("a", MONDAY + timedelta(days=1))], MONDAY).added[0]
    at = MONDAY + timedelta(days=3)

    changes, result = store.requeue([(waiting.id, at, "Europe/Berlin")],
                                    [_new_post("a", at), _new_post("c", MONDAY + timedelta(days=5))], MONDAY)

    assert [(c.before.scheduled_at, c.after.scheduled_at, c.after.zone) for c in changes] == [
        (waiting.scheduled_at, at, "Europe/Berlin")]
    assert changes[0].after.local_time == "2026-11-26T13:00:00+01:00"
    assert [p.idempotency_key for p in result.added] == ["c"] and [p.id for p in result.existing] == [waiting.id]
