"""Approval through the CLI: drafts are never published, `approve ID|--all [--campaign] --by NAME` queues them
(recording who and when), `list --status draft` shows them, and editing an approved post returns it to draft."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest

from scheduler import cli

from helpers import fail_updates_of
from tests.test_queue_ops import DAY, NOW, Clock, enqueue, refused, run, run_json, snapshot


def draft(store, key, at=NOW + DAY, **fields):
    return enqueue(store, key, at, status="draft", requires_approval=True, **fields)


def test_a_draft_is_listed_and_never_published(store, capsys):
    post = draft(store, "d1", NOW - timedelta(minutes=1))
    enqueue(store, "q1", NOW + DAY)

    listed = run_json(["list", "--status", "draft"], capsys)
    assert [row["id"] for row in listed] == [post.id] and listed[0]["approved_by"] is None
    code, out, _ = run(["publish"], capsys)
    assert code == 0 and store.get(post.id).status == "draft"


def test_approve_one_post_records_the_reviewer_and_the_clock(store, capsys):
    post = draft(store, "d1")
    approved_at = NOW + timedelta(minutes=5)

    (row,) = run_json(["approve", str(post.id), "--by", "Dr. Rivera"], capsys, approved_at)

    assert (row["status"], row["approved_by"], row["approved_at"]) == ("queued", "Dr. Rivera", "2026-11-23T12:05:00Z")
    assert row["changed"]["status"] == ["draft", "queued"]
    assert store.get(post.id).approved_at == approved_at
    run(["publish"], capsys, NOW + DAY)
    assert store.get(post.id).status == "published"


def test_approve_all_of_a_campaign_prints_before_and_after(store, capsys):
    mine = [draft(store, f"d{n}", NOW + n * DAY) for n in range(1, 4)]
    theirs = draft(store, "k1", campaign="knee-pain")

    code, out, _ = run(["approve", "--all", "--campaign", "sciatica", "--by", "Ann"], capsys)

    assert code == 0 and out.splitlines()[-1] == "3 post(s) changed"
    assert all(f"#{p.id} outbox: status draft → queued; approved_by - → Ann" in out for p in mine)
    assert store.get(theirs.id).status == "draft"
    assert run(["approve", "--all", "--campaign", "sciatica", "--by", "Ann"], capsys)[1] == "nothing changed\n"


@pytest.mark.parametrize("argv, message", [
    (["approve", "--by", "Ann"], "give post ids or --all"),
    (["approve", "1", "--all", "--by", "Ann"], "give post ids or --all"),
    (["approve", "1", "--by", "  "], "name the reviewer"),
    (["approve", "999", "--by", "Ann"], "no post with id 999"),
])
def test_approve_refusals_are_one_line(store, capsys, argv, message):
    draft(store, "d1")
    assert message in refused(argv, capsys)


def test_approve_of_a_queued_post_is_refused_and_approves_none_of_the_others(store, capsys):
    first = draft(store, "d1")
    queued = enqueue(store, "q1", NOW + DAY)
    before = snapshot(store)

    err = refused(["approve", str(first.id), str(queued.id), "--by", "Ann"], capsys)

    assert f"cannot approve post {queued.id}: it is queued" in err and snapshot(store) == before


def test_a_failure_in_the_middle_of_approve_all_changes_nothing(store, capsys, workspace):
    posts = [draft(store, f"d{n}", NOW + n * DAY) for n in range(1, 4)]
    before = snapshot(store)
    fail_updates_of(workspace / "q.db", posts[2].id)

    with pytest.raises(sqlite3.DatabaseError, match="injected failure"):
        cli.main(["approve", "--all", "--by", "Ann"], clock=Clock(NOW))

    assert snapshot(store) == before


def test_editing_an_approved_post_returns_it_to_draft(store, capsys):
    post = draft(store, "d1", channel="mastodon")
    run(["approve", str(post.id), "--by", "Ann"], capsys)

    code, out, _ = run(["edit", str(post.id), "--text", "Massage may ease sciatica #sciatica"], capsys)

    assert code == 0 and "status queued → draft" in out and "approved_by Ann → -" in out
    saved = store.get(post.id)
    assert (saved.status, saved.approved_by, saved.approved_at) == ("draft", None, None)
    run(["publish"], capsys, NOW + 2 * DAY)
    assert store.get(post.id).status == "draft"


def test_a_cancelled_draft_retried_waits_for_approval(store, capsys):
    post = draft(store, "d1")
    run(["cancel", str(post.id)], capsys)

    code, out, _ = run(["retry", str(post.id)], capsys)

    assert code == 0 and "is a draft again: due once approved" in out
    assert store.get(post.id).status == "draft"
