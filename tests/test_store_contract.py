"""The Store contract: every backend behind ``open_store`` passes this one suite.

Adding a backend (PostgreSQL, say) means one more entry in ``BACKENDS``: a URL factory and a way to
force a post's status (a test-only back door; every state can now be reached through the verbs). The tests after the contract section
check SQLite-only promises (migrations counted in PRAGMA user_version, WAL).
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from importlib import resources
from pathlib import Path
from typing import Callable
from zoneinfo import ZoneInfo

import pytest

from scheduler.errors import InvalidState, LeaseLost, NotFoundError, SchedulerError
from scheduler.store import STATUSES, NewPost, Outcome, Post, Store, open_store

from helpers import fail_channel_writes, fail_updates_of

T0 = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)  # a Monday
LEASE = 60.0


# -- backends ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Backend:
    name: str
    url: str
    force_status: Callable[[int, str], None]  # test-only back door: statuses no verb sets yet
    fail_updates_of: Callable[[int], None] = lambda post_id: None  # back door: any later change to that post fails
    fail_channel_writes: Callable[[], None] = lambda: None  # back door: any later write to a channel's state fails


def _sqlite_backend(tmp_path: Path) -> Backend:
    path = tmp_path / "q.db"

    def force_status(post_id: int, status: str) -> None:
        with sqlite3.connect(path) as db:
            db.execute("UPDATE posts SET status = ? WHERE id = ?", (status, post_id))
        db.close()

    return Backend("sqlite", "sqlite:///" + str(path), force_status, lambda post_id: fail_updates_of(path, post_id),
                   lambda: fail_channel_writes(path))


BACKENDS: dict[str, Callable[[Path], Backend]] = {
    "sqlite": _sqlite_backend,
    # "postgresql": _postgresql_backend,  # one more entry (skip with a reason when no server is configured)
}


@pytest.fixture(params=sorted(BACKENDS))
def backend(request, tmp_path) -> Backend:
    return BACKENDS[request.param](tmp_path)


@pytest.fixture
def store(backend) -> Store:
    opened = open_store(backend.url)
    yield opened
    opened.close()


def new_post(key: str, at: datetime, channel: str = "outbox", zone: str = "UTC", text: str | None = None,
             **fields) -> NewPost:
    body = text if text is not None else f"post {key} #massagetherapy"
    values = dict(campaign="sciatica", kind="benefit", item="b1", template="benefit") | fields
    return NewPost(channel=channel, platform=channel.split(":", 1)[0], scheduled_at=at, zone=zone, text=body,
                   payload={"status": body, "tags": ["massagetherapy"]}, length=len(body), limit=500,
                   idempotency_key=key, **values)


def enqueue_one(store: Store, key: str, at: datetime, **kwargs) -> Post:
    result = store.enqueue([new_post(key, at, **kwargs)], T0)
    assert len(result.added) == 1, result
    return result.added[0]


def claim_one(store: Store, now: datetime = T0) -> Post:
    claimed = store.claim_due(now, LEASE, limit=1)
    assert len(claimed) == 1, claimed
    return claimed[0]


def record(store: Store, claimed: Post, outcome: Outcome, now: datetime = T0) -> Post:
    """What a worker does with a post it claimed: record the outcome under its own lease token."""
    return store.record_result(claimed.id, claimed.claim_token, outcome, now)


# -- enqueue -------------------------------------------------------------------------------------

def test_enqueue_returns_the_added_posts_with_ids(store):
    result = store.enqueue([new_post("k1", T0), new_post("k2", T0 + timedelta(hours=1), channel="mastodon")], T0)

    assert result.existing == []
    assert [post.idempotency_key for post in result.added] == ["k1", "k2"]
    ids = [post.id for post in result.added]
    assert all(isinstance(i, int) for i in ids) and len(set(ids)) == 2
    first, second = result.added
    assert first.status == "queued" and first.attempts == 0 and not first.recovered
    assert first.due_at == first.scheduled_at == T0
    assert (first.channel, first.platform, first.campaign, first.kind, first.item, first.template) == (
        "outbox", "outbox", "sciatica", "benefit", "b1", "benefit")
    assert first.payload == {"status": "post k1 #massagetherapy", "tags": ["massagetherapy"]}
    assert (first.length, first.limit) == (len("post k1 #massagetherapy"), 500)
    assert second.channel == "mastodon" and second.scheduled_at == T0 + timedelta(hours=1)
    assert store.get(first.id) == first and store.get(second.id) == second


def test_enqueue_of_a_known_key_adds_nothing_and_returns_it_as_existing(store):
    original = enqueue_one(store, "same", T0)

    again = store.enqueue([new_post("same", T0 + timedelta(days=1), text="different text"), new_post("new", T0)], T0)

    assert [post.idempotency_key for post in again.added] == ["new"]
    assert [post.id for post in again.existing] == [original.id]
    assert again.existing[0].text == original.text and again.existing[0].scheduled_at == T0  # untouched
    assert len(store.list_posts()) == 2


def test_a_key_repeated_inside_one_batch_is_added_once(store):
    result = store.enqueue([new_post("dup", T0), new_post("dup", T0 + timedelta(hours=1))], T0)

    assert len(result.added) == 1 and len(result.existing) == 1
    assert result.existing[0].id == result.added[0].id
    assert len(store.list_posts()) == 1


@pytest.mark.parametrize("bad", [
    pytest.param(lambda key: new_post(key, datetime(2026, 11, 23, 12, 0)), id="naive-datetime"),
    pytest.param(lambda key: new_post(key, T0, zone="Mars/Olympus_Mons"), id="unknown-zone"),
])
def test_enqueue_is_all_or_nothing(store, bad):
    batch = [new_post("a", T0), new_post("b", T0 + timedelta(hours=1)), bad("c"), new_post("d", T0)]

    with pytest.raises((ValueError, SchedulerError, LookupError)):
        store.enqueue(batch, T0)

    assert store.list_posts() == []
    assert store.existing_keys(["a", "b", "c", "d"]) == set()
    # The failed batch left no transaction open: the store still takes writes.
    assert [post.idempotency_key for post in store.enqueue(batch[:2], T0).added] == ["a", "b"]


def test_existing_keys_reports_only_the_known_ones_across_many_keys(store):
    store.enqueue([new_post("k-7", T0), new_post("k-777", T0), new_post("k-1199", T0)], T0)

    keys = [f"k-{n}" for n in range(1200)]  # more than one chunk of bound parameters

    assert store.existing_keys(keys) == {"k-7", "k-777", "k-1199"}
    assert store.existing_keys([]) == set()


def test_posts_by_key_gives_the_stored_posts_of_the_known_keys_across_many_keys(store):
    added = store.enqueue([new_post("k-7", T0), new_post("k-1199", T0 + timedelta(hours=1))], T0).added
    store.cancel(added[1].id, T0)

    found = store.posts_by_key([f"k-{n}" for n in range(1200)])  # more than one chunk of bound parameters

    assert {key: (post.id, post.status) for key, post in found.items()} == {
        "k-7": (added[0].id, "queued"), "k-1199": (added[1].id, "cancelled")}  # whatever its status: the key is taken
    assert found["k-7"] == store.get(added[0].id)
    assert store.posts_by_key([]) == {}


# -- claim_due -----------------------------------------------------------------------------------

def test_claim_due_returns_only_due_posts_in_due_order_and_marks_them_publishing(store):
    store.enqueue([
        new_post("later", T0 + timedelta(minutes=1)),
        new_post("one-hour-ago", T0 - timedelta(hours=1)),
        new_post("exactly-now", T0),
        new_post("two-hours-ago", T0 - timedelta(hours=2)),
        new_post("a-microsecond-later", T0 + timedelta(microseconds=1)),
    ], T0)

    claimed = store.claim_due(T0, LEASE, limit=10)

    assert [post.idempotency_key for post in claimed] == ["two-hours-ago", "one-hour-ago", "exactly-now"]
    assert all(post.status == "publishing" and not post.recovered for post in claimed)
    assert {post.idempotency_key for post in store.list_posts(status="publishing")} == {
        "two-hours-ago", "one-hour-ago", "exactly-now"}
    assert {post.idempotency_key for post in store.list_posts(status="queued")} == {"later", "a-microsecond-later"}


def test_claim_due_honours_the_limit_and_takes_the_earliest_first(store):
    store.enqueue([new_post(f"p{n}", T0 - timedelta(minutes=n)) for n in range(5)], T0)

    first = store.claim_due(T0, LEASE, limit=2)
    second = store.claim_due(T0, LEASE, limit=2)
    third = store.claim_due(T0, LEASE, limit=2)

    assert [p.idempotency_key for p in first] == ["p4", "p3"]
    assert [p.idempotency_key for p in second] == ["p2", "p1"]
    assert [p.idempotency_key for p in third] == ["p0"]
    assert store.claim_due(T0, LEASE, limit=2) == []


def test_a_claimed_post_is_not_claimed_again_even_from_another_connection(store, backend):
    post = enqueue_one(store, "only", T0 - timedelta(minutes=5))
    other = open_store(backend.url)
    try:
        assert [p.id for p in other.claim_due(T0, LEASE, limit=5)] == [post.id]
        assert store.claim_due(T0, LEASE, limit=5) == []
        assert other.claim_due(T0 + timedelta(seconds=LEASE - 1), LEASE, limit=5) == []
    finally:
        other.close()


def test_an_expired_lease_is_claimed_again_and_flagged_recovered(store):
    post = enqueue_one(store, "stuck", T0)
    claim_one(store, T0)

    assert store.claim_due(T0 + timedelta(seconds=LEASE - 1), LEASE) == []

    later = T0 + timedelta(seconds=LEASE + 1)
    recovered = claim_one(store, later)
    assert recovered.id == post.id and recovered.recovered is True and recovered.status == "publishing"
    # The new lease holds: the post is not handed out a third time.
    assert store.claim_due(later + timedelta(seconds=1), LEASE) == []
    assert store.get(post.id).recovered is False  # a plain read is never "recovered"


def test_fresh_posts_come_before_expired_leases_within_the_limit(store):
    store.enqueue([new_post("stuck", T0), new_post("fresh", T0 + timedelta(minutes=30))], T0)
    claim_one(store, T0)

    claimed = store.claim_due(T0 + timedelta(hours=1), LEASE, limit=5)

    assert [(p.idempotency_key, p.recovered) for p in claimed] == [("fresh", False), ("stuck", True)]


# -- record_result and release -------------------------------------------------------------------

def test_record_published(store):
    post = enqueue_one(store, "ok", T0)
    claimed = claim_one(store)
    now = T0 + timedelta(seconds=3)

    recorded = store.record_result(post.id, claimed.claim_token, Outcome("published", remote_id="109", remote_url="https://x/@c/109"), now)

    assert (recorded.status, recorded.remote_id, recorded.remote_url, recorded.attempts, recorded.error) == (
        "published", "109", "https://x/@c/109", 1, None)
    assert recorded.published_at == now
    assert store.get(post.id) == recorded
    assert store.claim_due(T0 + timedelta(days=30), LEASE, limit=5) == []  # lease cleared, never due again


def test_record_retry_moves_the_due_time_and_counts_the_attempt(store):
    post = enqueue_one(store, "again", T0)
    claimed = claim_one(store)
    retry_at = T0 + timedelta(minutes=2)

    recorded = store.record_result(post.id, claimed.claim_token, Outcome("retry", error="server error (503)", retry_at=retry_at), T0)

    assert (recorded.status, recorded.attempts, recorded.error, recorded.due_at) == (
        "retry", 1, "server error (503)", retry_at)
    assert recorded.scheduled_at == T0  # the slot itself does not move
    assert recorded.published_at is None
    assert store.claim_due(retry_at - timedelta(seconds=1), LEASE) == []
    again = claim_one(store, retry_at)
    assert again.id == post.id and again.attempts == 1 and not again.recovered


def test_record_without_counting_the_attempt(store):
    post = enqueue_one(store, "rate-limited", T0)
    claimed = claim_one(store)

    recorded = store.record_result(
        post.id, claimed.claim_token, Outcome("retry", error="rate limited", retry_at=T0 + timedelta(minutes=5), count_attempt=False), T0)

    assert recorded.attempts == 0 and recorded.status == "retry"
    assert recorded.due_at == T0 + timedelta(minutes=5)


@pytest.mark.parametrize("status", ["failed", "unconfirmed"])
def test_record_failed_and_unconfirmed_are_final(store, status):
    post = enqueue_one(store, status, T0)
    claimed = claim_one(store)

    recorded = store.record_result(post.id, claimed.claim_token, Outcome(status, error=f"why: {status}"), T0)

    assert (recorded.status, recorded.error, recorded.attempts, recorded.remote_id) == (status, f"why: {status}", 1, None)
    assert recorded.due_at == T0
    assert store.claim_due(T0 + timedelta(days=30), LEASE, limit=5) == []


def test_attempts_accumulate_over_claims(store):
    post = enqueue_one(store, "flaky", T0)
    now = T0
    for expected in (1, 2, 3):
        claimed = claim_one(store, now)
        recorded = store.record_result(post.id, claimed.claim_token, Outcome("retry", error="boom", retry_at=now + timedelta(minutes=1)), now)
        assert recorded.attempts == expected
        now += timedelta(minutes=1)


def test_record_result_needs_a_publishing_post(store):
    queued = enqueue_one(store, "queued", T0)
    with pytest.raises(SchedulerError, match="not publishing"):
        store.record_result(queued.id, "no-claim", Outcome("published", remote_id="1"), T0)
    assert store.get(queued.id).status == "queued"

    claimed = claim_one(store)
    store.record_result(queued.id, claimed.claim_token, Outcome("published", remote_id="1"), T0)
    with pytest.raises(SchedulerError):  # recording twice is refused too
        store.record_result(queued.id, claimed.claim_token, Outcome("failed", error="late"), T0)
    assert store.get(queued.id).status == "published"

    with pytest.raises(NotFoundError):
        store.record_result(queued.id + 1000, claimed.claim_token, Outcome("published"), T0)


def test_release_puts_a_claimed_post_back(store):
    post = enqueue_one(store, "released", T0)
    claimed = claim_one(store)

    store.release(post.id, claimed.claim_token, T0)

    back = store.get(post.id)
    assert (back.status, back.attempts) == ("queued", 0)
    assert claim_one(store).id == post.id  # due again at once, not after the lease


def test_release_after_a_failed_attempt_keeps_it_a_retry(store):
    post = enqueue_one(store, "released-retry", T0)
    claimed = claim_one(store)
    store.record_result(post.id, claimed.claim_token, Outcome("retry", error="503", retry_at=T0 + timedelta(minutes=1)), T0)
    claimed = claim_one(store, T0 + timedelta(minutes=1))

    store.release(post.id, claimed.claim_token, T0 + timedelta(minutes=1))

    assert (store.get(post.id).status, store.get(post.id).attempts) == ("retry", 1)


def test_release_refuses_posts_that_are_not_publishing_and_leaves_them_alone(store):
    post = enqueue_one(store, "done", T0)
    claimed = claim_one(store)
    store.record_result(post.id, claimed.claim_token, Outcome("published", remote_id="9"), T0)

    with pytest.raises(LeaseLost, match="not publishing"):
        store.release(post.id, claimed.claim_token, T0)

    assert store.get(post.id).status == "published"


# -- reads ---------------------------------------------------------------------------------------

def test_get_of_an_unknown_id_raises_not_found(store):
    with pytest.raises(NotFoundError):
        store.get(424242)


def test_list_posts_filters_by_status_and_channel(store):
    store.enqueue([
        new_post("o1", T0 - timedelta(hours=1)),
        new_post("o2", T0 + timedelta(hours=1)),
        new_post("m1", T0 - timedelta(hours=2), channel="mastodon"),
        new_post("m2", T0 + timedelta(hours=2), channel="mastodon:clinic2"),
    ], T0)
    claim_one(store)  # m1, the earliest

    def keys(**filters):
        return [post.idempotency_key for post in store.list_posts(**filters)]

    assert keys() == ["m1", "o1", "o2", "m2"]  # in slot order
    assert keys(status="queued") == ["o1", "o2", "m2"]
    assert keys(status="publishing") == ["m1"]
    assert keys(channel="outbox") == ["o1", "o2"]
    assert keys(channel="mastodon") == ["m1"]  # a named channel is a different channel
    assert keys(status="queued", channel="mastodon:clinic2") == ["m2"]
    assert keys(status="failed") == []


def test_taken_slots_ignores_cancelled_posts_and_other_channels(store, backend):
    slots = [T0 + timedelta(days=n) for n in range(3)]
    posts = store.enqueue([new_post(f"s{n}", at) for n, at in enumerate(slots)]
                          + [new_post("elsewhere", T0 + timedelta(days=9), channel="mastodon")], T0).added
    store.cancel(posts[1].id, T0)

    taken = store.taken_slots("outbox")

    assert taken == {slots[0], slots[2]}
    assert all(moment.utcoffset() == timedelta(0) for moment in taken)
    assert store.taken_slots("mastodon") == {T0 + timedelta(days=9)}
    assert store.taken_slots("bluesky") == set()


def test_taken_slots_keep_published_and_failed_posts(store):
    a, b = store.enqueue([new_post("a", T0), new_post("b", T0 + timedelta(days=1))], T0).added
    record(store, claim_one(store, T0 + timedelta(days=2)), Outcome("published", remote_id="1"), T0)
    record(store, claim_one(store, T0 + timedelta(days=2)), Outcome("failed", error="no"), T0)

    assert store.taken_slots("outbox") == {a.scheduled_at, b.scheduled_at}


def test_next_due_at(store):
    assert store.next_due_at() is None

    store.enqueue([new_post("soon", T0 + timedelta(minutes=10)), new_post("later", T0 + timedelta(hours=3))], T0)
    assert store.next_due_at() == T0 + timedelta(minutes=10)

    # A claimed post counts by its lease's end (when it may need recovering), not its due time.
    soon = claim_one(store, T0 + timedelta(minutes=10))
    assert store.next_due_at() == T0 + timedelta(minutes=10, seconds=LEASE)

    # Published posts never fall due again; a retry falls due at its retry time.
    record(store, soon, Outcome("retry", error="503", retry_at=T0 + timedelta(hours=1)), T0)
    assert store.next_due_at() == T0 + timedelta(hours=1)
    record(store, claim_one(store, T0 + timedelta(hours=1)), Outcome("published", remote_id="1"), T0 + timedelta(hours=1))
    assert store.next_due_at() == T0 + timedelta(hours=3)
    record(store, claim_one(store, T0 + timedelta(hours=3)), Outcome("failed", error="x"), T0)
    assert store.next_due_at() is None


def test_runs_are_logged(store):
    first = store.start_run("publish", T0)
    second = store.start_run("publish", T0 + timedelta(minutes=1))
    store.finish_run(first, "ok", T0 + timedelta(seconds=5))
    store.finish_run(second, "failed", T0 + timedelta(minutes=2))

    assert isinstance(first, int) and isinstance(second, int) and first != second


def test_times_round_trip_as_aware_utc(store):
    berlin = ZoneInfo("Europe/Berlin")
    local = datetime(2026, 11, 23, 10, 30, 15, 123456, tzinfo=berlin)  # 09:30:15.123456Z
    post = enqueue_one(store, "tz", local, zone="Europe/Berlin")

    read = store.get(post.id)
    expected = datetime(2026, 11, 23, 9, 30, 15, 123456, tzinfo=timezone.utc)
    for moment in (post.scheduled_at, read.scheduled_at, read.due_at):
        assert moment == expected
        assert moment.utcoffset() == timedelta(0) and moment.tzname() == "UTC"
    assert read.local_time == "2026-11-23T10:30:15.123456+01:00"
    assert read.zone == "Europe/Berlin"

    claimed = claim_one(store, expected)
    published_now = datetime(2026, 11, 23, 4, 30, 16, 5, tzinfo=ZoneInfo("America/New_York"))
    recorded = store.record_result(post.id, claimed.claim_token, Outcome("published", remote_id="1"), published_now)
    assert recorded.published_at == published_now
    assert recorded.published_at.utcoffset() == timedelta(0)
    assert store.get(post.id).published_at == published_now


def test_summer_and_winter_local_times_are_kept(store):
    ny = ZoneInfo("America/New_York")
    summer = enqueue_one(store, "summer", datetime(2026, 7, 6, 9, 30, tzinfo=ny), zone="America/New_York")
    winter = enqueue_one(store, "winter", datetime(2026, 12, 7, 9, 30, tzinfo=ny), zone="America/New_York")

    assert store.get(summer.id).scheduled_at == datetime(2026, 7, 6, 13, 30, tzinfo=timezone.utc)
    assert store.get(summer.id).local_time == "2026-07-06T09:30:00-04:00"
    assert store.get(winter.id).scheduled_at == datetime(2026, 12, 7, 14, 30, tzinfo=timezone.utc)
    assert store.get(winter.id).local_time == "2026-12-07T09:30:00-05:00"


def test_as_json_uses_z_times(store):
    post = enqueue_one(store, "json", T0 + timedelta(microseconds=250))

    data = store.get(post.id).as_json()

    assert data["scheduled_at"] == "2026-11-23T12:00:00.000250Z"
    assert data["status"] == "queued" and data["published_at"] is None and data["id"] == post.id


def test_reopening_keeps_the_queue(backend):
    first = open_store(backend.url)
    try:
        post = enqueue_one(first, "durable", T0)
        claimed = claim_one(first)
        first.record_result(post.id, claimed.claim_token, Outcome("published", remote_id="77"), T0)
    finally:
        first.close()

    second = open_store(backend.url)
    try:
        assert second.get(post.id).status == "published" and second.get(post.id).remote_id == "77"
        assert second.enqueue([new_post("durable", T0)], T0).added == []
    finally:
        second.close()


# -- lease tokens --------------------------------------------------------------------------------

def test_each_claim_carries_a_fresh_token_that_a_read_does_not_hand_out_twice(store):
    store.enqueue([new_post("t1", T0), new_post("t2", T0)], T0)

    first, second = store.claim_due(T0, LEASE, limit=2)

    assert first.claim_token and second.claim_token and first.claim_token != second.claim_token
    assert first.claim_token not in repr(first)  # kept out of logs that print a post
    assert "claim_token" not in first.as_json()
    taken_over = claim_one(store, T0 + timedelta(seconds=LEASE + 1))
    assert taken_over.id == first.id and taken_over.claim_token not in (first.claim_token, second.claim_token)


def test_a_worker_whose_lease_was_taken_over_cannot_record_its_result(store):
    post = enqueue_one(store, "contested", T0)
    late = claim_one(store, T0)
    newer = claim_one(store, T0 + timedelta(seconds=LEASE + 1))  # the late worker's lease ran out

    with pytest.raises(LeaseLost, match="taken over"):
        record(store, late, Outcome("failed", error="late worker's view"), T0 + timedelta(seconds=LEASE + 2))
    with pytest.raises(LeaseLost):
        store.release(post.id, late.claim_token, T0 + timedelta(seconds=LEASE + 2))

    current = store.get(post.id)
    assert (current.status, current.claim_token, current.error) == ("publishing", newer.claim_token, None)
    recorded = record(store, newer, Outcome("published", remote_id="42"), T0 + timedelta(seconds=LEASE + 3))
    assert recorded.status == "published" and recorded.claim_token is None

    # Arriving after the newer worker finished changes nothing either.
    with pytest.raises(LeaseLost, match="not publishing"):
        record(store, late, Outcome("retry", error="503", retry_at=T0 + timedelta(hours=1)), T0 + timedelta(minutes=5))
    assert store.get(post.id) == recorded
    # Both late results are kept in the attempt log, marked as not applied.
    assert [a.outcome for a in store.attempts_of(post.id)] == ["lease-lost", "published", "lease-lost"]
    assert "would have been failed" in store.attempts_of(post.id)[0].excerpt


def test_a_token_is_refused_for_another_post(store):
    store.enqueue([new_post("x1", T0), new_post("x2", T0)], T0)
    first, second = store.claim_due(T0, LEASE, limit=2)

    with pytest.raises(LeaseLost):
        store.record_result(first.id, second.claim_token, Outcome("published", remote_id="1"), T0)
    with pytest.raises(LeaseLost):
        store.record_result(first.id, "", Outcome("published", remote_id="1"), T0)
    assert store.get(first.id).status == "publishing"


# -- the attempt log -----------------------------------------------------------------------------

def test_every_recorded_attempt_is_logged_with_its_status_and_a_short_redacted_excerpt(store):
    post = enqueue_one(store, "logged", T0)
    started = T0 + timedelta(seconds=1)
    noisy = "Mastodon server error (503): access_token=abc123SECRET " + "x" * 400
    record(store, claim_one(store), Outcome("retry", error="server error", retry_at=T0 + timedelta(minutes=1),
                                             http_status=503, excerpt=noisy, started_at=started), T0 + timedelta(seconds=2))
    record(store, claim_one(store, T0 + timedelta(minutes=1)), Outcome("published", remote_id="7"), T0 + timedelta(minutes=1))

    first, second = store.attempts_of(post.id)

    assert (first.post_id, first.outcome, first.http_status) == (post.id, "retry", 503)
    assert (first.started_at, first.finished_at) == (started, T0 + timedelta(seconds=2))
    assert first.excerpt.startswith("Mastodon server error (503)") and len(first.excerpt) <= 200
    assert "abc123SECRET" not in first.excerpt
    assert (second.outcome, second.http_status, second.excerpt) == ("published", None, None)
    assert second.started_at == second.finished_at == T0 + timedelta(minutes=1)
    assert store.attempts_of(424242) == []


def test_an_attempt_without_an_excerpt_keeps_the_error(store):
    post = enqueue_one(store, "plain", T0)
    record(store, claim_one(store), Outcome("failed", error="Rejected: too long"), T0)

    assert [(a.outcome, a.excerpt) for a in store.attempts_of(post.id)] == [("failed", "Rejected: too long")]


# -- a person's operations -----------------------------------------------------------------------

def reach(store: Store, key: str, status: str, now: datetime = T0) -> Post:
    """A post in ``status``, reached only through the verbs."""
    post = enqueue_one(store, key, now)
    if status == "queued":
        return post
    if status == "cancelled":
        return store.cancel(post.id, now)
    claimed = None
    for other in store.claim_due(now, LEASE, limit=50):  # others due too go back untouched
        if other.id == post.id:
            claimed = other
        else:
            store.release(other.id, other.claim_token, now)
    if status == "publishing":
        return claimed
    outcome = {"published": Outcome("published", remote_id="1", remote_url="https://x/@c/1"),
               "retry": Outcome("retry", error="503", retry_at=now + timedelta(hours=1)),
               "failed": Outcome("failed", error="rejected: too long"),
               "unconfirmed": Outcome("unconfirmed", error="no answer within 30s")}[status]
    return record(store, claimed, outcome, now)


ALL_STATES = ["queued", "publishing", "published", "retry", "unconfirmed", "failed", "cancelled"]


@pytest.mark.parametrize("status", ["queued", "retry", "failed", "unconfirmed", "cancelled"])
def test_cancel(store, status):
    post = reach(store, f"c-{status}", status)

    cancelled = store.cancel(post.id, T0 + timedelta(minutes=1))

    assert cancelled.status == "cancelled" and store.get(post.id) == cancelled
    assert store.claim_due(T0 + timedelta(days=30), LEASE, limit=5) == []


@pytest.mark.parametrize("status", ["published", "publishing"])
def test_cancel_refuses_a_published_or_publishing_post(store, status):
    post = reach(store, f"c-{status}", status)
    before = store.get(post.id)

    with pytest.raises(InvalidState, match=f"cannot cancel post {post.id}: it is {status}"):
        store.cancel(post.id, T0)

    assert store.get(post.id) == before


@pytest.mark.parametrize("status", ["failed", "unconfirmed", "cancelled"])
def test_retry_makes_the_post_due_now_keeping_its_last_error(store, status):
    post = reach(store, f"r-{status}", status)
    now = T0 + timedelta(hours=2)

    again = store.retry(post.id, now)

    assert (again.status, again.due_at, again.attempts, again.error) == ("retry", now, 0, post.error)
    assert again.scheduled_at == post.scheduled_at
    claimed = claim_one(store, now)
    assert claimed.id == post.id and not claimed.recovered


@pytest.mark.parametrize("status", ["queued", "publishing", "published", "retry"])
def test_retry_refuses_posts_that_are_not_stopped(store, status):
    post = reach(store, f"r-{status}", status)
    before = store.get(post.id)

    with pytest.raises(InvalidState, match=f"cannot retry post {post.id}"):
        store.retry(post.id, T0)

    assert store.get(post.id) == before


def test_resolve_published_records_the_url(store):
    post = reach(store, "found", "unconfirmed")
    now = T0 + timedelta(hours=1)

    resolved = store.resolve(post.id, "https://social.example/@clinic/1", now)

    assert (resolved.status, resolved.remote_url, resolved.published_at, resolved.error) == (
        "published", "https://social.example/@clinic/1", now, None)
    assert store.claim_due(T0 + timedelta(days=30), LEASE, limit=5) == []


def test_resolve_not_published_makes_it_due_now(store):
    post = reach(store, "absent", "unconfirmed")
    now = T0 + timedelta(hours=1)

    resolved = store.resolve(post.id, None, now)

    assert (resolved.status, resolved.due_at, resolved.remote_url) == ("retry", now, None)
    assert claim_one(store, now).id == post.id


@pytest.mark.parametrize("status", ["queued", "publishing", "published", "retry", "failed", "cancelled"])
def test_resolve_applies_only_to_unconfirmed_posts(store, status):
    post = reach(store, f"s-{status}", status)
    before = store.get(post.id)

    with pytest.raises(InvalidState, match=f"cannot resolve post {post.id}: it is {status}"):
        store.resolve(post.id, "https://social.example/@clinic/1", T0)

    assert store.get(post.id) == before


@pytest.mark.parametrize("verb", ["cancel", "retry", "resolve"])
def test_operations_on_an_unknown_post_raise_not_found(store, verb):
    call = {"cancel": lambda: store.cancel(424242, T0), "retry": lambda: store.retry(424242, T0),
            "resolve": lambda: store.resolve(424242, None, T0)}[verb]
    with pytest.raises(NotFoundError, match="no post with id 424242"):
        call()


def test_a_cancelled_claim_cannot_be_recorded_by_its_worker(store):
    post = reach(store, "retracted", "failed")
    store.retry(post.id, T0)
    claimed = claim_one(store, T0)

    with pytest.raises(InvalidState):  # a person cannot cancel a post in flight ...
        store.cancel(post.id, T0)
    record(store, claimed, Outcome("published", remote_id="5"), T0)
    assert store.get(post.id).status == "published"


# -- health reads --------------------------------------------------------------------------------

def test_count_by_status_names_every_state(store):
    assert store.count_by_status() == dict.fromkeys(STATUSES, 0)
    for status in ALL_STATES:
        reach(store, f"n-{status}", status)
    reach(store, "n-queued-2", "queued")

    counts = store.count_by_status()

    assert counts == {**dict.fromkeys(STATUSES, 0), **dict.fromkeys(ALL_STATES, 1), "queued": 2}


def test_overdue_lists_waiting_posts_and_abandoned_claims_due_before_the_cutoff(store):
    late = enqueue_one(store, "late", T0 - timedelta(minutes=10))
    enqueue_one(store, "recent", T0 - timedelta(minutes=2))
    enqueue_one(store, "future", T0 + timedelta(minutes=10))
    abandoned = reach(store, "abandoned", "publishing", T0 - timedelta(hours=1))  # its lease ran out long ago
    reach(store, "done", "published", T0 - timedelta(hours=2))

    overdue = store.overdue(T0 - timedelta(minutes=5))

    assert [post.id for post in overdue] == [abandoned.id, late.id]


def test_last_runs_gives_the_latest_finished_run_of_each_kind(store):
    assert store.last_runs() == []
    first = store.start_run("publish", T0)
    store.finish_run(first, "ok", T0 + timedelta(seconds=5))
    second = store.start_run("publish", T0 + timedelta(minutes=1))
    store.finish_run(second, "failed", T0 + timedelta(minutes=1, seconds=5))
    store.start_run("publish", T0 + timedelta(minutes=2))  # still running: not finished
    daemon = store.start_run("daemon", T0)
    store.finish_run(daemon, "ok", T0 + timedelta(seconds=1))

    runs = {run.kind: run for run in store.last_runs()}

    assert set(runs) == {"daemon", "publish"}
    assert (runs["publish"].started_at, runs["publish"].finished_at, runs["publish"].outcome) == (
        T0 + timedelta(minutes=1), T0 + timedelta(minutes=1, seconds=5), "failed")
    assert runs["daemon"].finished_at == T0 + timedelta(seconds=1)


def test_a_healthy_database_has_no_integrity_problems(store):
    enqueue_one(store, "fine", T0)
    assert store.integrity_problems() == []
    assert store.schema_version() >= 2


# -- a person's queue operations: pause/resume, shuffle, move, reschedule, edit, approve --------------

DAY = timedelta(days=1)


def slots_of(store: Store, channel: str = "outbox") -> dict[str, datetime]:
    return {post.idempotency_key: post.scheduled_at for post in store.list_posts(channel=channel)}


def test_a_paused_channel_is_not_claimed_until_resumed(store):
    enqueue_one(store, "p1", T0)
    enqueue_one(store, "m1", T0, channel="mastodon")

    before, after = store.pause_channel("outbox", T0)

    assert before is None and (after.state, after.waiting) == ("paused", 1)
    assert store.pause_channel("outbox", T0)[0].state == "paused"  # twice: no change
    (other,) = store.claim_due(T0, LEASE, limit=5)
    assert other.idempotency_key == "m1"
    record(store, other, Outcome("published", remote_id="r1"))
    assert store.next_due_at() is None and store.overdue(T0 + DAY) == []
    before, after = store.resume_channel("outbox", T0)
    assert (before.state, after.state, after.waiting) == ("paused", "active", 1)
    assert [post.idempotency_key for post in store.claim_due(T0, LEASE)] == ["p1"]


def test_resume_of_a_channel_needing_attention_is_refused(store):
    enqueue_one(store, "a1", T0)
    record(store, claim_one(store), Outcome("retry", error="401", retry_at=T0, channel_attention="bad token"))

    with pytest.raises(InvalidState, match="needs attention"):
        store.resume_channel("outbox", T0)
    assert store.resume_channel("mastodon", T0) == (None, None)  # active and without a row: nothing to do


def test_a_paused_campaign_is_not_claimed_nor_overdue_until_resumed(store):
    enqueue_one(store, "c1", T0)
    enqueue_one(store, "other", T0, campaign="knee-pain")

    assert store.pause_campaign("sciatica", T0) == (True, 1)
    assert store.pause_campaign("sciatica", T0) == (False, 1)
    assert store.paused_campaigns() == ["sciatica"]
    (other,) = store.claim_due(T0, LEASE, limit=5)
    assert other.idempotency_key == "other"
    record(store, other, Outcome("published", remote_id="r1"))
    assert store.next_due_at() is None and store.overdue(T0 + DAY) == []
    assert store.resume_campaign("sciatica", T0) == (True, 1)
    assert store.resume_campaign("sciatica", T0) == (False, 1)
    assert store.next_due_at() == T0
    assert [post.idempotency_key for post in store.claim_due(T0, LEASE)] == ["c1"]


def test_a_campaign_with_no_posts_cannot_be_paused(store):
    with pytest.raises(NotFoundError, match="no posts of campaign 'typo'"):
        store.pause_campaign("typo", T0)
    with pytest.raises(NotFoundError):
        store.resume_campaign("typo", T0)


def test_an_expired_claim_of_a_paused_campaign_waits_as_a_retry_that_may_have_been_sent(store):
    enqueue_one(store, "lost", T0)
    claim_one(store)
    store.pause_campaign("sciatica", T0)

    assert store.claim_due(T0 + timedelta(hours=1), LEASE) == []
    post = store.list_posts()[0]
    assert (post.status, post.maybe_sent) == ("retry", True)


def test_a_draft_is_never_claimed_and_approve_queues_it_with_who_and_when(store):
    draft = store.enqueue([new_post("d1", T0, status="draft", requires_approval=True)], T0).added[0]
    assert (draft.status, draft.requires_approval, draft.approved_by) == ("draft", True, None)
    assert store.claim_due(T0 + DAY, LEASE) == [] and store.next_due_at() is None
    assert [p.id for p in store.list_posts(status="draft")] == [draft.id]

    later = T0 - timedelta(hours=1)
    (change,) = store.approve([draft.id], None, "Dr. Rivera", later)

    assert change.before.status == "draft"
    assert (change.after.status, change.after.approved_by, change.after.approved_at) == ("queued", "Dr. Rivera", later)
    assert change.fields()["status"] == ("draft", "queued")
    assert claim_one(store).id == draft.id


def test_a_new_post_enters_only_queued_or_draft():
    with pytest.raises(ValueError, match="queued or draft"):
        new_post("bad", T0, status="published")


def test_approve_refuses_a_post_that_is_not_a_draft_and_approves_none(store):
    first = enqueue_one(store, "d1", T0, status="draft")
    queued = enqueue_one(store, "q1", T0 + DAY)

    with pytest.raises(InvalidState, match=f"cannot approve post {queued.id}: it is queued"):
        store.approve([first.id, queued.id], None, "Ann", T0)
    assert store.get(first.id).status == "draft"
    with pytest.raises(NotFoundError):
        store.approve([999], None, "Ann", T0)


def test_approve_all_of_one_campaign(store):
    mine = [enqueue_one(store, f"d{n}", T0 + n * DAY, status="draft") for n in range(3)]
    theirs = enqueue_one(store, "x1", T0, status="draft", campaign="knee-pain")

    changes = store.approve(None, "sciatica", "Ann", T0)

    assert [change.after.id for change in changes] == [post.id for post in mine]
    assert store.get(theirs.id).status == "draft"
    with pytest.raises(InvalidState, match="not 'sciatica'"):
        store.approve([theirs.id], "sciatica", "Ann", T0)
    assert [c.after.id for c in store.approve(None, None, "Ann", T0)] == [theirs.id]
    assert store.approve(None, None, "Ann", T0) == []


def test_approve_all_is_one_transaction(store, backend):
    drafts = [enqueue_one(store, f"d{n}", T0 + n * DAY, status="draft") for n in range(3)]
    backend.fail_updates_of(drafts[1].id)

    with pytest.raises(Exception, match="injected failure"):
        store.approve(None, None, "Ann", T0)

    assert [post.status for post in store.list_posts()] == ["draft"] * 3
    assert all(post.approved_by is None for post in store.list_posts())


def test_shuffle_permutes_posts_over_the_same_future_slots_repeatably(store, backend):
    import random

    past = enqueue_one(store, "past", T0 - DAY)
    posts = [enqueue_one(store, f"s{n}", T0 + n * DAY) for n in range(1, 7)]
    other = enqueue_one(store, "m", T0 + DAY, channel="mastodon")
    backend.force_status(posts[-1].id, "failed")  # not waiting: keeps its slot
    before = slots_of(store)

    changes = store.shuffle("outbox", T0, random.Random(7))

    after = slots_of(store)
    assert sorted(after.values()) == sorted(before.values())  # the slots stay
    assert after != before and after["past"] == before["past"] and after["s6"] == before["s6"]
    assert {c.after.idempotency_key for c in changes} == {k for k in after if after[k] != before[k]}
    assert all(c.after.due_at == c.after.scheduled_at and c.after.status == "queued" for c in changes)
    assert store.get(other.id).scheduled_at == T0 + DAY and store.get(past.id).status == "queued"


def test_shuffle_keeps_local_intent_in_each_posts_zone(store):
    import random

    berlin = enqueue_one(store, "b", T0 + DAY, zone="Europe/Berlin")
    enqueue_one(store, "n", T0 + 2 * DAY, zone="America/New_York")

    changes = store.shuffle(None, T0, random.Random(1)) or store.shuffle(None, T0, random.Random(2))

    moved = store.get(berlin.id)
    assert changes and moved.scheduled_at == T0 + 2 * DAY
    assert moved.local_time == (T0 + 2 * DAY).astimezone(ZoneInfo("Europe/Berlin")).isoformat()


def test_shuffle_is_one_transaction(store, backend):
    import random

    posts = [enqueue_one(store, f"s{n}", T0 + n * DAY) for n in range(1, 9)]
    before = slots_of(store)
    for post in posts[4:]:
        backend.fail_updates_of(post.id)

    with pytest.raises(Exception, match="injected failure"):
        store.shuffle("outbox", T0, random.Random(3))

    assert slots_of(store) == before


def test_move_top_and_bottom_swap_with_the_first_and_last_waiting_post(store):
    a, b, c, d = [enqueue_one(store, k, T0 + n * DAY) for n, k in enumerate("abcd", start=1)]
    draft = enqueue_one(store, "e", T0 + 5 * DAY, status="draft")

    changes = store.move(c.id, "top", T0)

    assert slots_of(store) == {"a": c.scheduled_at, "b": b.scheduled_at, "c": a.scheduled_at, "d": d.scheduled_at,
                               "e": draft.scheduled_at}
    assert [(ch.after.id, ch.before.scheduled_at, ch.after.scheduled_at) for ch in changes] == [
        (c.id, c.scheduled_at, a.scheduled_at), (a.id, a.scheduled_at, c.scheduled_at)]
    store.move(b.id, "bottom", T0)
    assert slots_of(store)["b"] == draft.scheduled_at and slots_of(store)["e"] == b.scheduled_at
    assert store.move(b.id, "bottom", T0) == []  # already last


def test_move_to_a_time_needs_a_free_future_slot(store):
    a = enqueue_one(store, "a", T0 + DAY)
    b = enqueue_one(store, "b", T0 + 2 * DAY)
    gone = enqueue_one(store, "gone", T0 + 3 * DAY)
    store.cancel(gone.id, T0)

    with pytest.raises(InvalidState, match=f"post {b.id} has that slot"):
        store.move(a.id, T0 + 2 * DAY, T0)
    with pytest.raises(InvalidState, match="not in the future"):
        store.move(a.id, T0 - DAY, T0)
    (change,) = store.move(a.id, T0 + 3 * DAY, T0)  # a cancelled post's slot is free
    assert change.after.scheduled_at == change.after.due_at == T0 + 3 * DAY


def test_move_refuses_posts_that_do_not_wait_for_a_slot(store, backend):
    a = enqueue_one(store, "a", T0 + DAY)
    backend.force_status(a.id, "published")
    with pytest.raises(InvalidState, match="cannot move"):
        store.move(a.id, "top", T0)
    past = enqueue_one(store, "past", T0 - DAY)
    with pytest.raises(InvalidState, match="its slot has passed"):
        store.move(past.id, "top", T0)


def test_move_top_is_one_transaction(store, backend):
    a = enqueue_one(store, "a", T0 + DAY)
    b = enqueue_one(store, "b", T0 + 2 * DAY)
    backend.fail_updates_of(a.id)  # the second half of the swap fails

    with pytest.raises(Exception, match="injected failure"):
        store.move(b.id, "top", T0)

    assert slots_of(store) == {"a": a.scheduled_at, "b": b.scheduled_at}


def test_reschedule_sets_the_time_and_local_intent(store):
    post = enqueue_one(store, "r", T0 + DAY, zone="America/New_York")
    at = datetime(2026, 12, 1, 14, 30, tzinfo=timezone.utc)

    change = store.reschedule(post.id, at, T0)

    assert (change.after.scheduled_at, change.after.due_at, change.after.status) == (at, at, "queued")
    assert change.after.local_time == "2026-12-01T09:30:00-05:00"
    with pytest.raises(InvalidState, match="not in the future"):
        store.reschedule(post.id, T0, T0)


def test_reschedule_into_another_zone_keeps_the_new_local_intent(store):
    post = enqueue_one(store, "z", T0 + DAY, zone="UTC")
    at = datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc)

    change = store.reschedule(post.id, at, T0, zone="Europe/Berlin")

    assert (change.after.zone, change.after.local_time) == ("Europe/Berlin", "2026-12-01T09:00:00+01:00")
    assert change.fields()["zone"] == ("UTC", "Europe/Berlin")


def test_reschedule_of_a_missed_or_cancelled_post_makes_it_wait_again(store, backend):
    missed = enqueue_one(store, "m", T0 - DAY)
    backend.force_status(missed.id, "missed")
    cancelled = enqueue_one(store, "c", T0 - DAY, status="draft", requires_approval=True)
    store.cancel(cancelled.id, T0)

    assert store.reschedule(missed.id, T0 + DAY, T0).after.status == "queued"
    assert store.reschedule(cancelled.id, T0 + DAY, T0).after.status == "draft"  # never approved
    published = enqueue_one(store, "p", T0 - DAY)
    backend.force_status(published.id, "published")
    with pytest.raises(InvalidState, match="it is published"):
        store.reschedule(published.id, T0 + DAY, T0)


def test_edit_replaces_text_and_payload_and_drops_saved_progress(store):
    post = enqueue_one(store, "e", T0 - DAY)
    claimed = claim_one(store)
    store.save_progress(claimed.id, claimed.claim_token, {"container_id": "c-1"}, T0)
    record(store, claimed, Outcome("retry", error="500", retry_at=T0 + DAY, maybe_sent=False))

    change = store.edit(post.id, "new words #sciatica", {"status": "new words #sciatica"}, 19, 500, T0)

    assert (change.before.text, change.after.text) == (post.text, "new words #sciatica")
    assert change.after.payload == {"status": "new words #sciatica"} and change.after.length == 19
    assert change.after.progress == {} and change.after.status == "retry"
    assert store.edit(post.id, "new words #sciatica", {}, 19, 500, T0).fields() == {}  # same text: no change


def test_edit_refuses_a_post_that_is_or_may_be_on_the_network(store, backend):
    post = enqueue_one(store, "e", T0)
    record(store, claim_one(store), Outcome("unconfirmed", error="timeout", maybe_sent=True))
    with pytest.raises(InvalidState, match="cannot edit"):
        store.edit(post.id, "x", {}, 1, 500, T0)
    store.retry(post.id, T0)  # a person checked: not there
    backend.force_status(post.id, "published")
    with pytest.raises(InvalidState, match="already on the network"):
        store.edit(post.id, "x", {}, 1, 500, T0)


def test_editing_an_approved_post_returns_it_to_draft(store):
    post = enqueue_one(store, "a", T0 + DAY, status="draft", requires_approval=True)
    store.approve([post.id], None, "Ann", T0)

    change = store.edit(post.id, "changed #sciatica", {}, 17, 500, T0)

    assert change.fields()["status"] == ("queued", "draft")
    assert (change.after.approved_by, change.after.approved_at) == (None, None)
    plain = enqueue_one(store, "plain", T0 + DAY)  # its campaign does not require approval
    assert store.edit(plain.id, "changed too", {}, 11, 500, T0).after.status == "queued"


def test_a_cancelled_draft_retried_waits_for_approval(store):
    post = enqueue_one(store, "d", T0 + DAY, status="draft", requires_approval=True)
    store.cancel(post.id, T0)

    assert store.retry(post.id, T0).status == "draft"
    assert store.claim_due(T0 + 2 * DAY, LEASE) == []


def test_the_due_query_stays_on_its_partial_index(store, backend):
    if backend.name != "sqlite":
        pytest.skip("SQLite's query plan")
    from scheduler.store.sqlite import _BLOCKED

    plan = " ".join(row[3] for row in store._db.execute(
        f"EXPLAIN QUERY PLAN SELECT id FROM posts WHERE status IN ('queued', 'retry') AND due_at <= :now "
        f"AND NOT {_BLOCKED} ORDER BY due_at, id LIMIT 1", {"now": "x"}))
    assert "USING INDEX posts_due" in plan and "SCAN posts" not in plan


# -- SQLite only ---------------------------------------------------------------------------------

@pytest.fixture
def sqlite_path(tmp_path) -> Path:
    return tmp_path / "q.db"


def migration_files() -> list[str]:
    folder = resources.files("scheduler.store") / "migrations"
    return sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".sql"))


def user_version(path: Path) -> int:
    db = sqlite3.connect(path)
    try:
        return db.execute("PRAGMA user_version").fetchone()[0]
    finally:
        db.close()


def test_migration_files_are_numbered_from_one_without_gaps():
    numbers = [int(name.split("_", 1)[0]) for name in migration_files()]

    assert numbers and numbers == list(range(1, len(numbers) + 1))


def test_schema_version_is_the_number_of_migrations(sqlite_path):
    store = open_store("sqlite:///" + str(sqlite_path))
    try:
        assert store.schema_version() == len(migration_files())
    finally:
        store.close()
    assert user_version(sqlite_path) == len(migration_files())


def test_reopening_does_not_apply_migrations_again(sqlite_path, caplog):
    url = "sqlite:///" + str(sqlite_path)
    with caplog.at_level(logging.INFO, logger="scheduler.store.sqlite"):
        store = open_store(url)
        enqueue_one(store, "kept", T0)
        store.close()
    applied = [r for r in caplog.records if "applying schema migration" in r.getMessage()]
    assert len(applied) == len(migration_files())

    caplog.clear()
    with caplog.at_level(logging.INFO, logger="scheduler.store.sqlite"):
        store = open_store(url)
        try:
            assert [p.idempotency_key for p in store.list_posts()] == ["kept"]
        finally:
            store.close()
    assert [r for r in caplog.records if "applying schema migration" in r.getMessage()] == []
    assert user_version(sqlite_path) == len(migration_files())


def test_wal_mode_is_on(sqlite_path):
    store = open_store("sqlite:///" + str(sqlite_path))
    try:
        db = sqlite3.connect(sqlite_path)
        try:
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        finally:
            db.close()
    finally:
        store.close()


def test_the_database_folder_is_created(tmp_path):
    path = tmp_path / "nested" / "deeper" / "q.db"

    store = open_store("sqlite:///" + str(path))
    store.close()

    assert path.is_file()



def _version_1_database(path: Path) -> None:
    """A queue as version 1 left it: only the first migration, with a post in each of a few states."""
    script = (resources.files("scheduler.store") / "migrations" / "0001_initial.sql").read_text(encoding="utf-8")
    db = sqlite3.connect(path)
    try:
        db.executescript(script)
        for n, status in enumerate(["queued", "published", "publishing"], start=1):
            stamp = f"2026-11-23T12:0{n}:00.000000Z"
            db.execute(
                "INSERT INTO posts (channel, platform, scheduled_at, local_time, zone, text, payload, length, length_limit, "
                "idempotency_key, status, due_at, lease_until, created_at, updated_at) "
                "VALUES ('outbox', 'outbox', ?, ?, 'UTC', ?, '{}', 4, 500, ?, ?, ?, ?, ?, ?)",
                (stamp, stamp, f"old {n}", f"old-{n}", status, stamp, stamp if status == "publishing" else None, stamp, stamp))
        db.execute("INSERT INTO runs (kind, started_at, finished_at, outcome) VALUES ('publish', ?, ?, 'ok')",
                   ("2026-11-23T12:00:00.000000Z", "2026-11-23T12:00:05.000000Z"))
        db.execute("PRAGMA user_version = 1")
        db.commit()
    finally:
        db.close()


def test_a_version_1_database_is_upgraded_in_place_keeping_its_posts(sqlite_path):
    _version_1_database(sqlite_path)

    store = open_store("sqlite:///" + str(sqlite_path))
    try:
        assert store.schema_version() == len(migration_files())
        posts = store.list_posts()
        assert [(p.idempotency_key, p.status, p.text) for p in posts] == [
            ("old-1", "queued", "old 1"), ("old-2", "published", "old 2"), ("old-3", "publishing", "old 3")]
        assert [run.kind for run in store.last_runs()] == ["publish"]
        # A claim made by a version-1 worker has no token: once its lease runs out it is taken over as usual.
        later = T0 + timedelta(hours=1)
        queued, stuck = store.claim_due(later, LEASE, limit=5)
        assert (queued.idempotency_key, stuck.idempotency_key, stuck.recovered) == ("old-1", "old-3", True)
        assert record(store, stuck, Outcome("unconfirmed", error="interrupted"), later).status == "unconfirmed"
        assert [a.outcome for a in store.attempts_of(stuck.id)] == ["unconfirmed"]
    finally:
        store.close()


def test_an_unreadable_database_is_a_store_error_naming_the_file(sqlite_path):
    from scheduler.errors import StoreError

    sqlite_path.write_bytes(b"this is not a database" * 100)

    with pytest.raises(StoreError, match="cannot read the queue database"):
        open_store("sqlite:///" + str(sqlite_path))


def test_unsupported_urls_are_a_config_error():
    from scheduler.errors import ConfigError

    with pytest.raises(ConfigError, match="SCHEDULER_DATABASE_URL"):
        open_store("mysql://localhost/q")


def test_save_progress_is_kept_for_the_next_attempt_and_needs_the_lease(store):
    from scheduler.errors import LeaseLost

    enqueue_one(store, "progress-1", T0)
    claimed = store.claim_due(T0, 60)[0]
    assert claimed.progress == {}
    store.save_progress(claimed.id, claimed.claim_token, {"container_id": "c-1"}, T0)
    with pytest.raises(LeaseLost):
        store.save_progress(claimed.id, "not-the-token", {"container_id": "c-2"}, T0)
    store.record_result(claimed.id, claimed.claim_token, Outcome("retry", error="x", retry_at=T0), T0)
    again = store.claim_due(T0, 60)[0]
    assert again.id == claimed.id and again.progress == {"container_id": "c-1"}


def test_a_rate_limit_hold_blocks_the_channel_until_it_ends_and_is_forgotten_when_it_publishes(store):
    first = enqueue_one(store, "held-1", T0, channel="mastodon")
    second = enqueue_one(store, "held-2", T0 + timedelta(seconds=1), channel="mastodon")
    until = T0 + timedelta(minutes=5)
    claimed = claim_one(store)
    assert claimed.id == first.id
    # due again at once, but its channel is held: neither it nor the channel's next post is claimed before the end
    record(store, claimed, Outcome("retry", error="rate limited", retry_at=T0, count_attempt=False,
                                   hold_channel_until=until))
    held, = [c for c in store.channel_states() if c.name == "mastodon"]
    assert (held.hold_until, held.reason) == (until, "rate limited")
    assert store.claim_due(until - timedelta(seconds=1), LEASE, limit=5) == []  # the second post waits too

    after = until + timedelta(seconds=1)
    again = store.claim_next_for_channel("mastodon", after, LEASE)
    assert again is not None and again.id == first.id
    record(store, again, Outcome("published", remote_id="1"), after)
    state, = [c for c in store.channel_states() if c.name == "mastodon"]
    assert (state.hold_until, state.reason) == (None, None)  # the hold that ran out is forgotten
    nxt = store.claim_next_for_channel("mastodon", after, LEASE)
    assert nxt is not None and nxt.id == second.id


def test_a_success_with_a_hold_holds_the_channel_until_it_ends(store):
    first = enqueue_one(store, "paced-1", T0, channel="facebook")
    second = enqueue_one(store, "paced-2", T0 + timedelta(seconds=1), channel="facebook")
    until = T0 + timedelta(minutes=30)
    claimed = store.claim_next_for_channel("facebook", T0 + timedelta(seconds=1), LEASE)
    assert claimed is not None and claimed.id == first.id
    # the post went out, and the network asked for a pause: recorded with the success, in the same transaction
    done = record(store, claimed, Outcome("published", remote_id="1", hold_channel_until=until,
                                          hold_reason="usage 95% >= 90%"), T0 + timedelta(seconds=2))
    assert (done.status, done.remote_id, done.error) == ("published", "1", None)
    held, = [c for c in store.channel_states() if c.name == "facebook"]
    assert (held.state, held.hold_until, held.reason, held.waiting) == ("active", until, "usage 95% >= 90%", 1)

    before = until - timedelta(seconds=1)
    assert store.claim_next_for_channel("facebook", before, LEASE) is None  # due, but its channel is held
    assert store.channel_holder("facebook", before) is None  # nothing in flight: the hold alone keeps it back
    assert "facebook" not in store.due_channels(before) and store.claim_due(before, LEASE, limit=5) == []
    assert store.next_due_at() == until
    nxt = store.claim_next_for_channel("facebook", until, LEASE)
    assert nxt is not None and nxt.id == second.id and nxt.attempts == 0


def test_a_success_whose_hold_cannot_be_written_is_not_recorded_at_all(store, backend):
    """Nothing half-written: the post's success, its attempt and the channel's hold are one transaction."""
    enqueue_one(store, "paced-atomic", T0, channel="facebook")
    claimed = claim_one(store)
    backend.fail_channel_writes()

    with pytest.raises(Exception, match="injected failure"):
        record(store, claimed, Outcome("published", remote_id="1", hold_channel_until=T0 + timedelta(minutes=30),
                                       hold_reason="usage 95% >= 90%"))

    stored = store.get(claimed.id)
    assert (stored.status, stored.remote_id, stored.claim_token) == ("publishing", None, claimed.claim_token)
    assert store.attempts_of(claimed.id) == [] and store.channel_states() == []


def test_publishing_leaves_a_channel_without_a_hold_as_it_is(store):
    enqueue_one(store, "plain-1", T0, channel="mastodon")
    record(store, claim_one(store), Outcome("published", remote_id="1"))
    assert [c for c in store.channel_states() if c.name == "mastodon"] == []  # no channel row made


def test_detach_then_reopen_gives_a_working_connection_to_the_same_queue(store, backend):
    """What a run split over processes does around its fork: nothing is lost or left half-done."""
    first = enqueue_one(store, "fork-1", T0)
    claimed = claim_one(store)
    if not store.detach():
        pytest.skip(f"the {backend.name} backend is not shared between processes")
    store.reopen()
    assert record(store, claimed, Outcome("published", remote_id="1")).status == "published"
    second = enqueue_one(store, "fork-2", T0)
    assert claim_one(store).id == second.id and store.get(first.id).remote_id == "1"


def test_an_in_memory_queue_is_not_detached():
    store = open_store("sqlite:///:memory:")
    try:
        post = enqueue_one(store, "memory-1", T0)
        assert store.detach() is False  # no other process could open it: it stays open, as it was
        assert store.get(post.id).idempotency_key == "memory-1"
    finally:
        store.close()


def test_save_progress_refuses_a_claim_that_ended_or_a_post_that_does_not_exist(store):
    from scheduler.errors import LeaseLost

    enqueue_one(store, "progress-2", T0)
    claimed = store.claim_due(T0, 60)[0]
    store.record_result(claimed.id, claimed.claim_token, Outcome("published", remote_id="1"), T0)
    with pytest.raises(LeaseLost, match="published, not publishing"):
        store.save_progress(claimed.id, claimed.claim_token, {"container_id": "late"}, T0)
    assert store.get(claimed.id).progress == {}  # nothing saved by a worker whose claim is over
    with pytest.raises(LeaseLost):
        store.save_progress(claimed.id, "", {"container_id": "no-token"}, T0)
    with pytest.raises(NotFoundError):
        store.save_progress(claimed.id + 1000, claimed.claim_token, {"container_id": "nobody"}, T0)


def test_reads_from_another_thread_wait_for_a_transaction_in_progress(tmp_path):
    """The runner's worker threads share one connection: a read from another thread must not run inside a
    worker's open transaction (it would see writes that are then rolled back, or break the transaction)."""
    import threading

    from scheduler.store.sqlite import SQLiteStore

    store = SQLiteStore(str(tmp_path / "q.db"))
    post = enqueue_one(store, "shared-1", T0 + timedelta(hours=1))
    in_transaction, read_done, stop = threading.Event(), threading.Event(), threading.Event()
    seen: list = []
    errors: list[BaseException] = []

    def reader() -> None:
        try:
            while not stop.is_set():
                if not in_transaction.wait(0.005):
                    continue
                in_transaction.clear()
                seen.append(store.get(post.id).text)
                seen.extend(p.text for p in store.list_posts())
                seen.append(("paused", tuple(store.paused_campaigns())))
                seen.append(("channels", tuple(c.name for c in store.channel_states())))
                seen.append(("keys", tuple(sorted(store.existing_keys(["shared-1", "uncommitted-key"])))))
                seen.append(("counts", store.count_by_status()["queued"]))
                read_done.set()
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
            read_done.set()

    class Rollback(Exception):
        pass

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    try:
        for _ in range(40):
            try:
                with store._write() as db:
                    db.execute("UPDATE posts SET text = 'uncommitted' WHERE id = ?", (post.id,))
                    db.execute("INSERT INTO paused_campaigns (name, paused_at) VALUES ('uncommitted', '2026-11-23')")
                    db.execute("INSERT INTO channels (name, state, updated_at) VALUES ('uncommitted', 'paused', "
                               "'2026-11-23')")
                    db.execute("UPDATE posts SET idempotency_key = 'uncommitted-key', status = 'cancelled' WHERE id = ?",
                               (post.id,))
                    in_transaction.set()
                    read_done.wait(0.005)  # a read that does not wait for the lock runs now, inside this transaction
                    raise Rollback
            except Rollback:
                pass
            assert read_done.wait(5.0)  # one that waits reads once the transaction is over
            read_done.clear()
    finally:
        stop.set()
        thread.join(5.0)
        store.close()
    assert not errors, errors
    committed = ["post shared-1 #massagetherapy", ("paused", ()), ("channels", ()), ("keys", ("shared-1",)),
                 ("counts", 1)]
    assert set(map(repr, seen)) == set(map(repr, committed))
