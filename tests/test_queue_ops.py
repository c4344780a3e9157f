"""Queue operations through the CLI: pause/resume (channel, campaign), shuffle, move, reschedule, edit.
Each prints what changed (--json: the changed posts); a refusal is one line and exit 2 with nothing changed."""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from scheduler import cli
from scheduler.store import NewPost, Post, Store, open_store

from helpers import Clock, fail_updates_of, run_cli

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)  # a Monday
DAY = timedelta(days=1)


def enqueue(store: Store, key: str, at: datetime, channel: str = "outbox", zone: str = "UTC", campaign: str = "sciatica",
            **fields: Any) -> Post:
    text = f"text {key} #sciatica"
    post = NewPost(channel=channel, platform=channel.split(":", 1)[0], scheduled_at=at, zone=zone, text=text,
                   payload={"text": text}, length=len(text), limit=500, idempotency_key=key, campaign=campaign, **fields)
    return store.enqueue([post], NOW).added[0]


def run(argv: list[str], capsys, now: datetime = NOW) -> tuple[int, str, str]:
    return run_cli(argv, capsys, Clock(now))


def run_json(argv: list[str], capsys, now: datetime = NOW) -> Any:
    code, out, err = run([*argv, "--json"], capsys, now)
    assert code == 0 and err == "", err
    return json.loads(out)


def refused(argv: list[str], capsys) -> str:
    code, out, err = run(argv, capsys)
    assert code == 2 and out == "" and err.count("\n") == 1 and err.startswith("error: "), (code, out, err)
    return err


def snapshot(store: Store) -> list[tuple]:
    return [(p.id, p.status, p.scheduled_at, p.text, p.approved_by) for p in store.list_posts()]


# -- pause / resume --------------------------------------------------------------------------------

def test_pause_and_resume_a_channel(store, capsys):
    enqueue(store, "o1", NOW - timedelta(minutes=1))
    enqueue(store, "m1", NOW + DAY, channel="mastodon")

    code, out, _ = run(["pause", "--channel", "outbox"], capsys)
    assert code == 0 and out == "channel outbox: active → paused; 1 waiting post(s): its posts wait until `resume`\n"
    assert "already paused" in run(["pause", "--channel", "outbox"], capsys)[1]
    assert run(["publish"], capsys)[0] == 0
    assert store.list_posts(channel="outbox")[0].status == "queued"  # not claimed

    data = run_json(["resume", "--channel", "outbox"], capsys)
    assert data == {"channel": "outbox", "before": "paused", "after": "active", "changed": True, "waiting": 1}
    assert run(["publish"], capsys)[0] == 0
    assert store.list_posts(channel="outbox")[0].status == "published"


def test_pause_and_resume_a_campaign(store, capsys):
    mine = enqueue(store, "c1", NOW - timedelta(minutes=1))
    theirs = enqueue(store, "k1", NOW - timedelta(minutes=1), campaign="knee-pain")

    assert run_json(["pause", "--campaign", "sciatica"], capsys)["after"] == "paused"
    run(["publish"], capsys)
    assert (store.get(mine.id).status, store.get(theirs.id).status) == ("queued", "published")
    code, out, _ = run(["resume", "--campaign", "sciatica"], capsys)
    assert code == 0 and "campaign sciatica: paused → active" in out
    run(["publish"], capsys)
    assert store.get(mine.id).status == "published"


@pytest.mark.parametrize("argv, message", [
    (["pause", "--campaign", "typo"], "error: no posts of campaign 'typo'\n"),
    (["pause", "--channel", "myspace"], "unknown channel 'myspace'"),
])
def test_pause_refusals_are_one_line(store, capsys, argv, message):
    enqueue(store, "c1", NOW + DAY)
    assert message in refused(argv, capsys)


def test_pause_needs_a_channel_or_a_campaign(workspace, capsys):
    with pytest.raises(SystemExit):
        cli.main(["pause"], clock=Clock(NOW))


# -- shuffle ---------------------------------------------------------------------------------------

def test_shuffle_is_repeatable_with_a_seed_and_keeps_the_slots(workspace, capsys, monkeypatch):
    orders = []
    for copy in ("a", "b"):
        monkeypatch.setenv("SCHEDULER_DATABASE_URL", f"sqlite:///{workspace / copy}.db")
        store = open_store(os.environ["SCHEDULER_DATABASE_URL"])
        try:
            for n in range(1, 7):
                enqueue(store, f"s{n}", NOW + n * DAY)
            slots = sorted(p.scheduled_at for p in store.list_posts())
            data = run_json(["shuffle", "--channel", "outbox", "--seed", "42"], capsys)
            assert data and all(set(row["changed"]) >= {"local_time", "scheduled_at"} for row in data)
            assert sorted(p.scheduled_at for p in store.list_posts()) == slots
            orders.append([(p.idempotency_key, p.scheduled_at) for p in store.list_posts()])
        finally:
            store.close()
    assert orders[0] == orders[1] and orders[0] != sorted(orders[0])


def test_shuffle_prints_before_and_after(store, capsys):
    for n in range(1, 5):
        enqueue(store, f"s{n}", NOW + n * DAY)

    code, out, _ = run(["shuffle", "--seed", "1"], capsys)

    lines = out.splitlines()
    assert code == 0 and lines[-1].endswith("post(s) changed")
    assert all(" → " in line and line.startswith("#") for line in lines[:-1])
    assert run(["shuffle", "--channel", "mastodon"], capsys)[1] == "nothing changed\n"


# -- move ------------------------------------------------------------------------------------------

def test_move_top_swaps_with_the_earliest_slot(store, capsys):
    a, b, c = [enqueue(store, k, NOW + n * DAY) for n, k in enumerate("abc", start=1)]

    data = run_json(["move", str(c.id), "--top"], capsys)

    assert [row["id"] for row in data] == [c.id, a.id]
    assert data[0]["changed"]["scheduled_at"] == ["2026-11-26T12:00:00Z", "2026-11-24T12:00:00Z"]
    assert [p.idempotency_key for p in store.list_posts()] == ["c", "b", "a"]
    code, out, _ = run(["move", str(c.id), "--bottom"], capsys)
    assert code == 0 and out.startswith(f"#{c.id} outbox: local_time 2026-11-24T12:00 → 2026-11-26T12:00")
    assert [p.idempotency_key for p in store.list_posts()] == ["a", "b", "c"]


def test_move_to_a_local_time_in_the_posts_zone(store, capsys):
    post = enqueue(store, "ny", NOW + DAY, zone="America/New_York")

    (row,) = run_json(["move", str(post.id), "--to", "2026-12-01T09:30"], capsys)

    assert (row["scheduled_at"], row["local_time"]) == ("2026-12-01T14:30:00Z", "2026-12-01T09:30:00-05:00")


def test_move_to_a_taken_slot_is_refused_and_changes_nothing(store, capsys):
    a = enqueue(store, "a", NOW + DAY)
    enqueue(store, "b", NOW + 2 * DAY)
    before = snapshot(store)

    assert "has that slot" in refused(["move", str(a.id), "--to", "2026-11-25T12:00:00Z"], capsys)
    assert "not in the future" in refused(["move", str(a.id), "--to", "2026-11-01T12:00:00Z"], capsys)
    assert "invalid time" in refused(["move", str(a.id), "--to", "next tuesday"], capsys)
    assert refused(["move", "999", "--top"], capsys) == "error: no post with id 999\n"
    assert snapshot(store) == before


def test_a_failure_in_the_middle_of_a_swap_changes_nothing(store, capsys, workspace):
    a = enqueue(store, "a", NOW + DAY)
    b = enqueue(store, "b", NOW + 2 * DAY)
    before = snapshot(store)
    fail_updates_of(workspace / "q.db", a.id)

    with pytest.raises(sqlite3.DatabaseError, match="injected failure"):
        cli.main(["move", str(b.id), "--top"], clock=Clock(NOW))

    assert snapshot(store) == before


# -- reschedule ------------------------------------------------------------------------------------

def test_reschedule_takes_the_posts_zone_when_no_offset_is_given(store, capsys):
    post = enqueue(store, "r", NOW + DAY, zone="Europe/Berlin")

    code, out, _ = run(["reschedule", str(post.id), "--at", "2026-12-05T09:00"], capsys)

    assert code == 0 and out == (f"#{post.id} outbox: local_time 2026-11-24T13:00 → 2026-12-05T09:00\n"
                                 "1 post(s) changed\n")
    assert store.get(post.id).scheduled_at == datetime(2026, 12, 5, 8, 0, tzinfo=timezone.utc)
    (row,) = run_json(["reschedule", str(post.id), "--at", "2026-12-06T09:00:00Z"], capsys)
    assert row["local_time"] == "2026-12-06T10:00:00+01:00"


def test_reschedule_refuses_the_past_and_published_posts(store, capsys):
    post = enqueue(store, "r", NOW - timedelta(minutes=1))
    assert "not in the future" in refused(["reschedule", str(post.id), "--at", "2026-11-01T09:00"], capsys)
    run(["publish"], capsys)
    assert "it is published" in refused(["reschedule", str(post.id), "--at", "2026-12-01T09:00"], capsys)


# -- edit ------------------------------------------------------------------------------------------

def test_edit_recompiles_for_the_platform_and_shows_the_change(store, capsys):
    post = enqueue(store, "m", NOW + DAY, channel="mastodon")

    (row,) = run_json(["edit", str(post.id), "--text", "  Massage may help ease sciatica #sciatica  "], capsys)

    assert row["text"] == "Massage may help ease sciatica #sciatica" and row["claims"] == []
    assert row["changed"]["text"] == [post.text, row["text"]]
    saved = store.get(post.id)
    assert saved.payload == {"status": row["text"]} and saved.length == len(row["text"])


def test_edit_warns_about_health_claims_but_saves(store, capsys):
    post = enqueue(store, "m", NOW + DAY, channel="mastodon")

    code, out, _ = run(["edit", str(post.id), "--text", "Massage cures sciatica #sciatica"], capsys)

    assert code == 0 and "warning: claim (high, cure)" in out and " → " in out
    assert store.get(post.id).text == "Massage cures sciatica #sciatica"


def test_edit_that_does_not_fit_is_refused_and_changes_nothing(store, capsys):
    post = enqueue(store, "m", NOW + DAY, channel="mastodon")
    before = snapshot(store)

    err = refused(["edit", str(post.id), "--text", "x" * 501], capsys)

    assert "--text" in err and snapshot(store) == before


def test_edit_of_a_published_post_is_refused(store, capsys):
    post = enqueue(store, "o", NOW - timedelta(minutes=1))
    run(["publish"], capsys)
    assert "already on the network" in refused(["edit", str(post.id), "--text", "new"], capsys)
