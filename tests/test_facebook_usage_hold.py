"""Facebook's usage pause outlives the process: a success reporting high usage holds the channel in the queue, so a
later cron run (a new Runner over the same database file) publishes nothing on it before the hold ends."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
import requests

from scheduler.commands.operations import print_health
from scheduler.config import Settings
from scheduler.runner import RunReport, Runner
from scheduler.store import NewPost, open_store

from helpers import Clock

PAGE = "104857600123456"
TOKEN = "EAAG-S3CRET-page-token-ZCZCZC9f8e7d"
FEED = f"https://graph.facebook.com/v26.0/{PAGE}/feed"
NOW = datetime(2026, 11, 23, 14, 30, tzinfo=timezone.utc)
# 95 % against the default threshold of 90: half way from 5 minutes to an hour, counted from the first answer.
HOLD = timedelta(minutes=5) + timedelta(minutes=55) * (5 / 10)


def app_usage(call_count: int) -> dict[str, str]:
    return {"X-App-Usage": json.dumps({"call_count": call_count, "total_cputime": 3, "total_time": 5})}


@pytest.fixture(params=["1", "4"], ids=["inline", "pool"])
def settings(request, tmp_path, settings_with) -> Settings:
    return settings_with(FACEBOOK_PAGE_ID=PAGE, FACEBOOK_PAGE_ACCESS_TOKEN=TOKEN,
                         SCHEDULER_DATABASE_URL=f"sqlite:///{tmp_path / 'q.db'}", SCHEDULER_WORKERS=request.param)


def queue_two(settings: Settings) -> list[int]:
    posts = [NewPost(channel="facebook", platform="facebook", scheduled_at=NOW + timedelta(seconds=i), zone="UTC",
                     text=f"post {i} #sciatica", payload={"message": f"post {i} #sciatica"}, length=16, limit=63206,
                     idempotency_key=f"usage-{i}") for i in range(2)]
    store = open_store(settings.database_url)
    try:
        return [post.id for post in store.enqueue(posts, NOW - timedelta(minutes=1)).added]
    finally:
        store.close()


def cron_run(settings: Settings, at: datetime) -> RunReport:
    """One `publish` as cron starts it: its own connection, Runner, publishers and session; nothing kept after."""
    store = open_store(settings.database_url)
    try:
        return Runner(store, settings, Clock(at), session=requests.Session()).run_due()
    finally:
        store.close()


def test_a_usage_hold_from_one_cron_run_holds_the_next_run_until_it_ends(mock, settings):
    first_id, second_id = queue_two(settings)
    first_run_at = NOW + timedelta(seconds=5)
    mock.post(FEED, json={"id": f"{PAGE}_1"}, headers=app_usage(95))

    report = cron_run(settings, first_run_at)

    assert [(post.id, post.status) for post in report.touched] == [(first_id, "published")]
    assert len(mock.calls) == 1  # the second post was never sent, nor claimed
    held_until = first_run_at + HOLD
    assert cron_run(settings, held_until - timedelta(seconds=1)).touched == []  # the next cron run, before the end
    assert len(mock.calls) == 1

    mock.post(FEED, json={"id": f"{PAGE}_2"}, headers=app_usage(20))
    report = cron_run(settings, held_until)

    assert [(post.id, post.status, post.attempts) for post in report.touched] == [(second_id, "published", 1)]
    store = open_store(settings.database_url)
    try:
        assert [state for state in store.channel_states() if state.hold_until is not None] == []  # forgotten
    finally:
        store.close()


def test_the_usage_hold_is_in_the_queue_and_doctor_shows_its_reason(mock, settings, capsys):
    from scheduler import operations

    queue_two(settings)
    first_run_at = NOW + timedelta(seconds=5)
    mock.post(FEED, json={"id": f"{PAGE}_1"}, headers=app_usage(95))
    cron_run(settings, first_run_at)

    store = open_store(settings.database_url)
    try:
        state, = store.channel_states()
        waiting = store.list_posts(status="queued")
        next_due = store.next_due_at()
    finally:
        store.close()
    assert (state.name, state.state, state.hold_until, state.waiting) == ("facebook", "active", first_run_at + HOLD, 1)
    assert state.reason.startswith("Facebook usage 95% >= 90%") and TOKEN not in state.reason
    assert [post.attempts for post in waiting] == [0]  # waiting untouched: no attempt used, no error
    assert next_due == first_run_at + HOLD  # the daemon wakes at the hold's end, not before
    print_health(operations.doctor(settings, first_run_at + timedelta(minutes=1)))
    out = capsys.readouterr().out
    assert "channel    facebook active until 2026-11-23T15:02:35Z, 1 waiting: Facebook usage 95% >= 90%" in out
