"""A person's tools through the CLI: cancel, retry, resolve and doctor — exit codes, one-line errors,
JSON shapes, and a doctor that tells the truth about a queue with posts in every state."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from scheduler.store import STATUSES
from scheduler.store.sqlite import migrations

from scheduler import cli
from scheduler import runner as runner_module
from scheduler.errors import Rejected, RetryNow, UnknownOutcome
from scheduler.publishers import Published, Publisher
from scheduler.store import NewPost, Post, Store, open_store

from helpers import Clock, run_cli

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)
SECRET = "tok-9f8e7d6c5b4a-secret"
STATES = ["queued", "publishing", "published", "retry", "unconfirmed", "failed", "cancelled"]


@pytest.fixture
def workspace(tmp_path, monkeypatch) -> Path:
    """No .env, no credentials but the fake channel's token, the queue inside tmp_path."""
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith(("MASTODON_", "BLUESKY_", "SCHEDULER_", "OUTBOX_", "FAKE_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("SCHEDULER_DATABASE_URL", f"sqlite:///{tmp_path / 'q.db'}")
    monkeypatch.setenv("FAKE_ACCESS_TOKEN", SECRET)
    return tmp_path


@pytest.fixture
def answers(monkeypatch) -> list[Any]:
    """What the fake network answers, in order (a Published or an exception); it cannot resend safely."""
    script: list[Any] = []

    class FakePublisher(Publisher):
        platform = "fake"
        required = ("ACCESS_TOKEN",)
        resend_is_safe = False

        def publish(self, post: Post, now: datetime) -> Published:
            answer = script.pop(0) if script else Published(f"r{post.id}", f"https://social.example/@c/{post.id}")
            if isinstance(answer, BaseException):
                raise answer
            return answer

    monkeypatch.setattr(runner_module, "publisher_class", lambda platform: FakePublisher)
    return script


@pytest.fixture
def store(workspace) -> Store:
    opened = open_store(os.environ["SCHEDULER_DATABASE_URL"])
    yield opened
    opened.close()


def enqueue(store: Store, key: str, at: datetime, channel: str = "fake") -> Post:
    text = f"text {key} #sciatica"
    post = NewPost(channel=channel, platform="fake", scheduled_at=at, zone="UTC", text=text, payload={"status": text},
                   length=len(text), limit=500, idempotency_key=key)
    return store.enqueue([post], NOW).added[0]


def run(argv: list[str], capsys, clock: Clock | None = None) -> tuple[int, str, str]:
    return run_cli(argv, capsys, clock or Clock(NOW))


def run_json(argv: list[str], capsys, clock: Clock | None = None) -> tuple[int, Any]:
    code, out, err = run([*argv, "--json"], capsys, clock)
    assert err == "" or code != 0, err
    return code, json.loads(out)


def one_line_error(err: str) -> str:
    assert err.count("\n") == 1 and err.startswith("error: "), err
    return err


# -- cancel ----------------------------------------------------------------------------------------

def test_cancel_a_queued_post(store, capsys):
    post = enqueue(store, "c1", NOW + timedelta(days=1))

    code, data = run_json(["cancel", str(post.id)], capsys)

    assert code == 0 and (data["id"], data["status"]) == (post.id, "cancelled")
    assert store.get(post.id).status == "cancelled"
    code, out, _ = run(["cancel", str(post.id)], capsys)  # twice: nothing changes, nothing fails
    assert code == 0 and f"post {post.id} cancelled" in out


def test_cancel_refuses_a_published_post_in_one_line(store, answers, capsys):
    post = enqueue(store, "done", NOW - timedelta(minutes=1))
    assert run(["publish"], capsys)[0] == 0

    code, out, err = run(["cancel", str(post.id)], capsys)

    assert code == 2 and out == ""
    assert one_line_error(err) == f"error: cannot cancel post {post.id}: it is published; it is already on the network\n"
    assert store.get(post.id).status == "published"


def test_cancel_refuses_a_post_being_published(store, capsys):
    post = enqueue(store, "busy", NOW - timedelta(minutes=1))
    store.claim_due(NOW, 300)

    code, _, err = run(["cancel", str(post.id)], capsys)

    assert code == 2 and "it is publishing; a worker is sending it now" in one_line_error(err)


@pytest.mark.parametrize("argv", [["cancel", "999"], ["retry", "999"], ["resolve", "999", "--not-published"],
                                  ["resolve", "999", "--published", "https://social.example/@c/1"]])
def test_an_unknown_id_is_one_line_and_exit_2(workspace, capsys, argv):
    code, out, err = run(argv, capsys)

    assert code == 2 and out == "" and one_line_error(err) == "error: no post with id 999\n"


# -- retry -----------------------------------------------------------------------------------------

def test_retry_a_failed_post_then_publish_sends_it(store, answers, capsys):
    post = enqueue(store, "refused", NOW - timedelta(minutes=1))
    answers.append(Rejected("rejected (422): duplicate", 422))
    assert run(["publish"], capsys)[0] == 1
    later = Clock(NOW + timedelta(hours=1))

    code, data = run_json(["retry", str(post.id)], capsys, later)

    assert code == 0 and (data["status"], data["error"], data["attempts"]) == ("retry", "rejected (422): duplicate", 0)
    code, report = run_json(["publish"], capsys, later)
    assert code == 0 and report["counts"] == {"published": 1}
    assert [a.outcome for a in store.attempts_of(post.id)] == ["failed", "published"]  # the history is kept


def test_retry_keeps_the_doubt_and_only_resolve_not_published_settles_it(store, answers, capsys):
    post = enqueue(store, "in-doubt", NOW - timedelta(minutes=1))
    answers.append(UnknownOutcome("social.example did not answer within 30s"))
    assert run(["publish"], capsys)[0] == 1
    assert store.get(post.id).status == "unconfirmed" and store.get(post.id).uncertain

    assert run(["retry", str(post.id)], capsys)[0] == 0
    assert store.get(post.id).uncertain  # a plain retry is no proof the post is absent: it is checked before a resend

    assert run(["cancel", str(post.id)], capsys)[0] == 0
    assert run(["retry", str(post.id)], capsys)[0] == 0
    assert store.get(post.id).uncertain
    assert run(["cancel", str(post.id)], capsys)[0] == 0

    other = enqueue(store, "in-doubt-2", NOW - timedelta(minutes=1))
    answers.append(UnknownOutcome("social.example did not answer within 30s"))
    assert run(["publish"], capsys)[0] == 1 and store.get(other.id).status == "unconfirmed"
    assert run(["resolve", str(other.id), "--not-published"], capsys)[0] == 0
    assert not store.get(other.id).uncertain  # a person checked the account: it may be sent again


def test_retry_refuses_a_queued_post(store, capsys):
    post = enqueue(store, "waiting", NOW + timedelta(days=1))

    code, _, err = run(["retry", str(post.id)], capsys)

    assert code == 2 and f"cannot retry post {post.id}: it is queued" in one_line_error(err)


# -- resolve ---------------------------------------------------------------------------------------

@pytest.fixture
def unconfirmed(store, answers, capsys) -> Post:
    post = enqueue(store, "lost", NOW - timedelta(minutes=1))
    answers.append(UnknownOutcome("social.example did not answer within 30s"))
    assert run(["publish"], capsys)[0] == 1
    assert store.get(post.id).status == "unconfirmed"
    return post


def test_resolve_published_records_the_url(store, unconfirmed, capsys):
    code, data = run_json(["resolve", str(unconfirmed.id), "--published", "https://social.example/@c/77"], capsys)

    assert code == 0 and (data["status"], data["remote_url"], data["error"]) == (
        "published", "https://social.example/@c/77", None)


def test_resolve_not_published_makes_it_due_and_publish_sends_it(store, unconfirmed, capsys):
    code, out, _ = run(["resolve", str(unconfirmed.id), "--not-published"], capsys)
    assert code == 0 and f"post {unconfirmed.id} is retry: due now" in out

    code, report = run_json(["publish"], capsys)
    assert code == 0 and report["counts"] == {"published": 1}


def test_resolve_refuses_a_bad_url_and_a_post_that_is_not_unconfirmed(store, unconfirmed, capsys):
    code, _, err = run(["resolve", str(unconfirmed.id), "--published", "social.example/@c/1"], capsys)
    assert code == 2 and one_line_error(err).startswith("error: --published: invalid URL")
    assert store.get(unconfirmed.id).status == "unconfirmed"

    queued = enqueue(store, "later", NOW + timedelta(days=1))
    code, _, err = run(["resolve", str(queued.id), "--not-published"], capsys)
    assert code == 2 and f"cannot resolve post {queued.id}: it is queued" in one_line_error(err)


def test_resolve_needs_exactly_one_answer(workspace, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["resolve", "1"], clock=Clock(NOW))
    assert exit_.value.code == 2
    with pytest.raises(SystemExit):
        cli.main(["resolve", "1", "--not-published", "--published", "https://x.example/1"], clock=Clock(NOW))


# -- doctor ----------------------------------------------------------------------------------------

def build_every_state(store: Store, answers: list[Any], capsys) -> dict[str, Post]:
    """One post per state (two queued: one on time, one overdue), reached through the verbs and a real run."""
    posts = {name: enqueue(store, name, NOW - timedelta(minutes=60 - n))
             for n, name in enumerate(["published", "retry", "failed", "unconfirmed"])}
    posts["queued"] = enqueue(store, "queued", NOW + timedelta(days=1))
    posts["cancelled"] = enqueue(store, "cancelled", NOW + timedelta(days=2))
    answers.extend([Published("r1", "https://social.example/@c/1"), RetryNow("server error (503)", 503),
                    Rejected(f"rejected (422): duplicate; sent with {SECRET}", 422),
                    UnknownOutcome("social.example did not answer within 30s")])
    assert run(["publish"], capsys)[0] == 1
    assert run(["cancel", str(posts["cancelled"].id)], capsys)[0] == 0
    # On a channel of its own: a live claim holds its channel's later posts back (each channel's posts go in order).
    posts["publishing"] = enqueue(store, "publishing", NOW - timedelta(seconds=30), channel="fake:held")
    assert [p.id for p in store.claim_due(NOW, 300)] == [posts["publishing"].id]  # a live worker holds it
    posts["overdue"] = enqueue(store, "overdue", NOW - timedelta(minutes=10))  # no run since it fell due
    return posts


def test_doctor_tells_the_truth_about_a_queue_in_every_state(store, answers, capsys):
    posts = build_every_state(store, answers, capsys)
    assert {post.status for post in store.list_posts()} == set(STATES)

    code, data = run_json(["doctor"], capsys)

    assert code == 1 and data["ok"] is False
    assert data["database"]["quick_check"] == ["ok"] and data["database"]["schema_version"] == len(migrations())
    assert data["counts"] == {"draft": 0, "queued": 2, "publishing": 1, "published": 1, "retry": 1, "unconfirmed": 1,
                              "failed": 1, "missed": 0, "cancelled": 1}
    assert [(row["id"], row["late_seconds"]) for row in data["overdue"]] == [(posts["overdue"].id, 600)]
    attention = {row["id"]: (row["status"], row["error"]) for row in data["needs_attention"]}
    assert attention == {posts["failed"].id: ("failed", "rejected (422): duplicate; sent with [redacted]"),
                         posts["unconfirmed"].id: ("unconfirmed", "social.example did not answer within 30s")}
    assert data["last_runs"] == {"publish": {"kind": "publish", "started_at": "2026-11-23T12:00:00Z",
                                             "finished_at": "2026-11-23T12:00:00Z", "outcome": "failed"}}
    assert len(data["problems"]) == 3 and "1 post(s) overdue" in data["problems"][0]

    code, out, err = run(["doctor"], capsys)
    assert code == 1 and err == ""
    assert f"overdue    #{posts['overdue'].id} queued" in out
    assert f"attention  #{posts['failed'].id} failed on fake" in out and out.rstrip().splitlines()[-1].startswith("needs a person:")


def test_doctor_is_ok_once_a_person_has_dealt_with_everything(store, answers, capsys):
    posts = build_every_state(store, answers, capsys)

    assert run(["cancel", str(posts["failed"].id)], capsys)[0] == 0
    assert run(["resolve", str(posts["unconfirmed"].id), "--published", "https://social.example/@c/9"], capsys)[0] == 0
    assert run(["publish"], capsys)[0] == 0  # the overdue post goes out; the retry is not due yet

    code, data = run_json(["doctor"], capsys)
    assert code == 0 and data["ok"] is True and data["problems"] == [] and data["overdue"] == []
    code, out, _ = run(["doctor"], capsys)
    assert code == 0 and out.rstrip().endswith("ok: nothing needs a person")


def test_doctor_lists_paused_channels_and_campaigns_without_calling_them_problems(store, capsys):
    enqueue(store, "on-paused-channel", NOW + timedelta(days=1), channel="fake:clinic2")
    text = "text of a paused campaign #sciatica"
    store.enqueue([NewPost(channel="fake", platform="fake", scheduled_at=NOW + timedelta(days=2), zone="UTC", text=text,
                           payload={"status": text}, length=len(text), limit=500, idempotency_key="campaign-post",
                           campaign="massage for sciatica")], NOW)
    store.pause_channel("fake:clinic2", NOW - timedelta(hours=1))
    store.pause_campaign("massage for sciatica", NOW - timedelta(days=2))

    code, data = run_json(["doctor"], capsys)

    assert code == 0 and data["problems"] == []  # paused on purpose: nothing needs a person
    assert data["paused"] == {
        "channels": [{"channel": "fake:clinic2", "paused_at": "2026-11-23T11:00:00Z", "waiting": 1}],
        "campaigns": [{"campaign": "massage for sciatica", "paused_at": "2026-11-21T12:00:00Z", "waiting": 1}]}
    code, out, _ = run(["doctor"], capsys)
    assert code == 0
    assert "paused     channel fake:clinic2 since 2026-11-23T11:00:00Z, 1 waiting (`resume --channel fake:clinic2`)" in out
    assert ("paused     campaign massage for sciatica since 2026-11-21T12:00:00Z, 1 waiting "
            "(`resume --campaign 'massage for sciatica'`)") in out
    assert "channel    fake:clinic2" not in out  # once, under paused


def test_doctor_on_an_empty_queue(workspace, capsys):
    code, data = run_json(["doctor"], capsys)

    assert code == 0 and data["counts"] == dict.fromkeys(STATUSES, 0) and data["last_runs"] == {}
    assert data["paused"] == {"channels": [], "campaigns": []}
    assert "none has finished yet" in run(["doctor"], capsys)[1]


def test_doctor_reports_an_unreadable_database_without_a_traceback(workspace, capsys):
    (workspace / "q.db").write_bytes(b"not a database at all" * 200)

    code, data = run_json(["doctor"], capsys)

    assert code == 1 and "cannot be read" in data["problems"][0]
    code, out, err = run(["doctor"], capsys)
    assert code == 1 and err == "" and "needs a person: the database cannot be read" in out


def test_no_token_reaches_the_database_or_the_output(store, answers, capsys, workspace):
    build_every_state(store, answers, capsys)
    outputs = [run(["doctor", *flag], capsys) for flag in ([], ["--json"])]
    outputs.append(run(["list", "--json"], capsys))

    assert all(SECRET not in out + err for _, out, err in outputs)
    for name in ("q.db", "q.db-wal"):
        path = workspace / name
        assert not path.exists() or SECRET.encode() not in path.read_bytes()


@pytest.mark.parametrize("command", ["cancel", "retry", "resolve", "doctor"])
def test_the_new_commands_have_help(command):
    argv = [sys.executable, "-m", "scheduler", command, "--help"]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 0 and "usage: hashtag-scheduler" in result.stdout and "--json" in result.stdout
