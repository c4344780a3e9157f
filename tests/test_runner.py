"""The runner's policy: what each publisher answer does to a post, on a real SQLite queue,
with a scripted fake publisher and a clock the test moves by hand."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

import pytest
import requests

from scheduler import runner as runner_module
from scheduler.config import Settings, load_settings
from scheduler.errors import NeedsAttention, Rejected, RetryAt, RetryNow, UnknownOutcome
from scheduler.publishers import Published, Publisher
from scheduler.runner import BACKOFF_BASE, MAX_ATTEMPTS, Runner
from scheduler.store import NewPost, Outcome, Post, open_store

T0 = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)


class FakeClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@dataclass
class Script:
    """What the fake publishers answer, and what they saw. An answer is a Published, an exception to
    raise, or a callable taking (publisher, post) that returns one of those."""

    answers: list[Any] = field(default_factory=list)
    default: Any = None
    calls: list[tuple[int, str, int]] = field(default_factory=list)  # (post id, channel, id(publisher))
    instances: list[Publisher] = field(default_factory=list)
    resend_is_safe: bool = True
    required: tuple[str, ...] = ()

    def answer(self, publisher: Publisher, post: Post) -> Published:
        self.calls.append((post.id, publisher.channel, id(publisher)))
        answer = self.answers.pop(0) if self.answers else self.default
        if answer is None:
            answer = Published(remote_id=f"remote-{post.id}", remote_url=f"https://social.example/@clinic/{post.id}")
        if callable(answer) and not isinstance(answer, type):
            answer = answer(publisher, post)
        if isinstance(answer, BaseException):
            raise answer
        return answer


@pytest.fixture
def script(monkeypatch) -> Script:
    script = Script()

    def publisher_class(platform: str) -> type[Publisher]:
        assert platform == "fake", platform

        class FakePublisher(Publisher):
            resend_is_safe = script.resend_is_safe
            required = script.required

            def __init__(self, channel, settings, session) -> None:
                super().__init__(channel, settings, session)  # checks credentials like a real adapter
                script.instances.append(self)

            def publish(self, post: Post, now: datetime) -> Published:
                return script.answer(self, post)

        FakePublisher.platform = "fake"
        return FakePublisher

    monkeypatch.setattr(runner_module, "publisher_class", publisher_class)
    return script


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(T0)


@pytest.fixture
def store(tmp_path):
    opened = open_store("sqlite:///" + str(tmp_path / "q.db"))
    yield opened
    opened.close()


@pytest.fixture
def make_runner(store, clock) -> Callable[..., Runner]:
    def make(values: dict[str, str] | None = None) -> Runner:
        settings = Settings(database_url="unused", values=values or {})
        return Runner(store, settings, clock, session=requests.Session())

    return make


def queue(store, *keys: str, channel: str = "fake", at: datetime = T0 - timedelta(minutes=1)) -> list[Post]:
    posts = [NewPost(channel=channel, platform="fake", scheduled_at=at + timedelta(seconds=n), zone="UTC",
                     text=f"text {key}", payload={"status": f"text {key}"}, length=6 + len(key), limit=500,
                     idempotency_key=key) for n, key in enumerate(keys)]
    return store.enqueue(posts, T0).added


# -- success -------------------------------------------------------------------------------------

def test_published_records_the_remote_id_and_url(store, script, make_runner, clock):
    post, = queue(store, "a")
    script.answers = [Published(remote_id="109876", remote_url="https://social.example/@clinic/109876")]

    report = make_runner().run_due()

    stored = store.get(post.id)
    assert (stored.status, stored.remote_id, stored.remote_url, stored.attempts, stored.error) == (
        "published", "109876", "https://social.example/@clinic/109876", 1, None)
    assert stored.published_at == T0
    assert [p.id for p in report.touched] == [post.id] and report.counts() == {"published": 1}
    assert not report.failed


def test_only_due_posts_are_published(store, script, make_runner):
    due, = queue(store, "due")
    future, = queue(store, "future", at=T0 + timedelta(hours=1))

    report = make_runner().run_due()

    assert [p.id for p in report.touched] == [due.id]
    assert store.get(future.id).status == "queued"
    assert [call[0] for call in script.calls] == [due.id]


def test_nothing_due_touches_nothing(store, script, make_runner):
    queue(store, "future", at=T0 + timedelta(minutes=1))

    report = make_runner().run_due()

    assert report.touched == [] and script.calls == [] and script.instances == []


# -- retry policy --------------------------------------------------------------------------------

def test_retry_now_backs_off_and_counts_the_attempt(store, script, make_runner, clock):
    post, = queue(store, "flaky")
    script.answers = [RetryNow("Mastodon server error (503): try later", 503)]

    make_runner().run_due()

    stored = store.get(post.id)
    assert (stored.status, stored.attempts, stored.error) == ("retry", 1, "Mastodon server error (503): try later")
    # First backoff: the base step with jitter in [half, whole].
    assert T0 + BACKOFF_BASE / 2 <= stored.due_at <= T0 + BACKOFF_BASE
    assert stored.due_at > T0


def test_a_retry_is_not_due_before_its_backoff(store, script, make_runner, clock):
    post, = queue(store, "flaky")
    script.answers = [RetryNow("503")]
    runner = make_runner()
    runner.run_due()

    clock.advance(seconds=BACKOFF_BASE.total_seconds() / 2 - 1)
    assert runner.run_due().touched == []

    clock.now = store.get(post.id).due_at
    assert [p.status for p in runner.run_due().touched] == ["published"]
    assert store.get(post.id).attempts == 2


def test_backoff_grows_between_attempts(store, script, make_runner, clock):
    post, = queue(store, "flaky")
    script.default = RetryNow("503")
    runner = make_runner()
    delays = []
    for attempt in range(1, MAX_ATTEMPTS):
        before = clock.now
        runner.run_due()
        stored = store.get(post.id)
        assert (stored.status, stored.attempts) == ("retry", attempt)
        delays.append(stored.due_at - before)
        clock.now = stored.due_at

    for attempt, delay in enumerate(delays, start=1):
        step = BACKOFF_BASE * 2 ** (attempt - 1)
        assert step / 2 <= delay <= step, (attempt, delay)


def test_gives_up_after_max_attempts(store, script, make_runner, clock):
    post, = queue(store, "doomed")
    script.default = RetryNow("connection refused")
    runner = make_runner()

    for _ in range(MAX_ATTEMPTS + 3):  # bounded: the loop ends when the post stops being due
        if not runner.run_due().touched:
            break
        clock.now = max(clock.now, store.get(post.id).due_at) + timedelta(seconds=1)

    stored = store.get(post.id)
    assert stored.status == "failed"
    assert stored.attempts == MAX_ATTEMPTS
    assert stored.error == f"gave up after {MAX_ATTEMPTS} attempts: connection refused"
    assert len(script.calls) == MAX_ATTEMPTS


def test_retry_at_waits_until_that_time_without_using_an_attempt(store, script, make_runner, clock):
    post, = queue(store, "rate-limited")
    reset = T0 + timedelta(minutes=7, seconds=3)
    script.answers = [RetryAt("rate limited until 12:07:03Z", reset, 429)]
    runner = make_runner()

    runner.run_due()

    stored = store.get(post.id)
    assert (stored.status, stored.due_at, stored.attempts, stored.error) == (
        "retry", reset, 0, "rate limited until 12:07:03Z")
    clock.now = reset - timedelta(seconds=1)
    assert runner.run_due().touched == []
    clock.now = reset
    assert [p.status for p in runner.run_due().touched] == ["published"]


def test_rate_limits_do_not_count_towards_giving_up(store, script, make_runner, clock):
    post, = queue(store, "patient")
    script.default = lambda publisher, post: RetryAt("rate limited", clock.now + timedelta(minutes=1), 429)
    runner = make_runner()

    for _ in range(MAX_ATTEMPTS + 2):
        runner.run_due()
        clock.advance(minutes=1)

    stored = store.get(post.id)
    assert (stored.status, stored.attempts) == ("retry", 0)
    assert len(script.calls) == MAX_ATTEMPTS + 2


def test_needs_attention_holds_the_channel_and_its_posts_wait_unburned(store, script, make_runner, clock):
    first, second = queue(store, "bad-creds-1", "bad-creds-2")
    other, = queue(store, "elsewhere", channel="fake:other")
    script.answers = [NeedsAttention("Mastodon refused the access token (401): The access token is invalid", 401)]

    report = make_runner().run_due()

    assert [call[1] for call in script.calls] == ["fake", "fake:other"]  # the second post of 'fake' is not tried
    assert [p.id for p in report.touched] == [first.id, other.id]
    stored = store.get(first.id)
    assert (stored.status, stored.attempts) == ("retry", 0) and "access token" in stored.error
    assert store.get(second.id).status == "queued" and store.get(other.id).status == "published"
    state, = [c for c in store.channel_states() if c.name == "fake"]
    assert (state.state, state.waiting) == ("needs_attention", 2) and "401" in state.reason
    clock.advance(hours=1)
    assert make_runner().run_due().touched == []  # nothing is burned while it waits
    store.clear_channel("fake", clock.now)
    assert len(make_runner().run_due().touched) == 2
    assert {store.get(p.id).status for p in (first, second)} == {"published"}


def test_a_rate_limit_holds_that_channel_only_until_the_reset(store, script, make_runner, clock):
    first, second = queue(store, "limited-1", "limited-2")
    other, = queue(store, "elsewhere", channel="fake:other")
    script.answers = [RetryAt("rate limited until 12:15", T0 + timedelta(minutes=15), 429)]

    make_runner().run_due()

    assert (store.get(first.id).status, store.get(first.id).attempts) == ("retry", 0)
    assert store.get(second.id).status == "queued" and store.get(other.id).status == "published"
    assert store.next_due_at() == T0 + timedelta(minutes=15)
    clock.advance(minutes=15)
    make_runner().run_due()
    assert {store.get(p.id).status for p in (first, second)} == {"published"}


def test_a_success_with_a_pacing_hint_holds_that_channel_in_the_queue(store, script, make_runner, clock):
    first, second = queue(store, "paced-1", "paced-2", channel="fake:clinic2")
    other, = queue(store, "elsewhere", channel="fake:other")
    script.required = ("ACCESS_TOKEN",)
    secret = "tok-0123456789-secret"
    until = T0 + timedelta(minutes=20)
    script.answers = [Published("r1", None, hold_channel_until=until, hold_reason=f"usage 95% >= 90% ({secret})")]

    make_runner({"FAKE_CLINIC2_ACCESS_TOKEN": secret, "FAKE_OTHER_ACCESS_TOKEN": secret}).run_due()

    assert (store.get(first.id).status, store.get(first.id).error) == ("published", None)
    assert store.get(second.id).status == "queued" and store.get(other.id).status == "published"
    state, = store.channel_states()
    assert (state.name, state.hold_until, state.reason) == ("fake:clinic2", until, "usage 95% >= 90% ([redacted])")
    attempt, = store.attempts_of(first.id)
    assert attempt.outcome == "published" and "held until 2026-11-23T12:20:00Z" in attempt.excerpt
    assert secret not in attempt.excerpt
    clock.advance(minutes=19)
    assert make_runner({"FAKE_CLINIC2_ACCESS_TOKEN": secret}).run_due().touched == []  # a new run: still held
    clock.advance(minutes=1)
    assert [p.id for p in make_runner({"FAKE_CLINIC2_ACCESS_TOKEN": secret}).run_due().touched] == [second.id]


def test_a_pacing_hint_must_be_an_aware_time():
    with pytest.raises(ValueError):
        Published("r1", None, hold_channel_until=datetime(2026, 11, 23, 12, 20))


def test_a_post_later_than_its_policy_is_missed_not_published(store, script, make_runner, clock):
    post, = queue(store, "late")
    clock.advance(hours=3)

    report = make_runner().run_due()

    stored = store.get(post.id)
    assert stored.status == "missed" and "late" in stored.error and script.calls == []
    assert report.failed
    store.retry(post.id, clock.now)  # a person says: publish it anyway
    make_runner().run_due()
    assert store.get(post.id).status == "published"


def test_an_uncertain_post_is_reconciled_before_any_resend(store, script, make_runner, clock):
    found, absent = queue(store, "landed", "not-landed")
    script.resend_is_safe = False
    lookups = []

    def find_existing(self, post, now):
        lookups.append(post.id)
        return Published("remote-found", "https://social.example/@c/found") if post.id == found.id else None

    script.answers = [UnknownOutcome("timed out after sending"), UnknownOutcome("timed out after sending")]
    runner = make_runner()
    type(runner._publisher_for("fake", "fake")).find_existing = find_existing  # this adapter can read the account
    runner.run_due()
    assert {store.get(p.id).status for p in (found, absent)} == {"retry"}
    clock.now = max(store.get(p.id).due_at for p in (found, absent))
    runner.run_due()

    assert sorted(lookups) == [found.id, absent.id]
    assert (store.get(found.id).status, store.get(found.id).remote_id) == ("published", "remote-found")
    assert store.get(absent.id).status == "published"
    assert [call[0] for call in script.calls].count(found.id) == 1  # sent once, found, never sent again


@pytest.mark.parametrize("error", [
    Rejected("Mastodon rejected the post (422): Validation failed: Text is too long", 422),
], ids=["rejected"])
def test_needs_attention_and_rejected_fail_with_the_reason(store, script, make_runner, error):
    post, = queue(store, "refused")
    script.answers = [error]

    report = make_runner().run_due()

    stored = store.get(post.id)
    assert (stored.status, stored.error, stored.attempts) == ("failed", error.reason, 1)
    assert report.failed and report.counts() == {"failed": 1}
    assert len(script.calls) == 1


def test_unknown_outcome_is_retried_when_resending_is_safe(store, script, make_runner):
    post, = queue(store, "lost-answer")
    script.resend_is_safe = True
    script.answers = [UnknownOutcome("social.example did not answer within 30s")]

    make_runner().run_due()

    stored = store.get(post.id)
    assert (stored.status, stored.attempts) == ("retry", 1)
    assert stored.due_at > T0


def test_unknown_outcome_is_unconfirmed_when_resending_could_duplicate(store, script, make_runner, clock):
    post, = queue(store, "lost-answer")
    script.resend_is_safe = False
    script.answers = [UnknownOutcome("social.example did not answer within 30s")]

    report = make_runner().run_due()

    stored = store.get(post.id)
    assert (stored.status, stored.error) == ("unconfirmed", "social.example did not answer within 30s")
    assert report.failed
    clock.advance(days=1)
    assert make_runner().run_due().touched == []  # never sent again by itself


# -- recovered leases ----------------------------------------------------------------------------

def _abandon_a_claim(store, runner: Runner, clock: FakeClock) -> None:
    """A worker claimed the post and died mid-request: its lease runs out."""
    assert len(store.claim_due(clock.now, runner.lease_seconds)) == 1
    clock.advance(seconds=runner.lease_seconds + 1)


def test_a_recovered_post_is_unconfirmed_without_publishing_when_resending_is_unsafe(store, script, make_runner, clock):
    post, = queue(store, "interrupted")
    script.resend_is_safe = False
    runner = make_runner()
    _abandon_a_claim(store, runner, clock)

    report = runner.run_due()

    stored = store.get(post.id)
    assert stored.status == "unconfirmed"
    assert "interrupted" in stored.error
    assert script.calls == []
    assert [p.id for p in report.touched] == [post.id]


def test_a_recovered_post_is_sent_again_when_resending_is_safe(store, script, make_runner, clock):
    post, = queue(store, "interrupted")
    script.resend_is_safe = True
    runner = make_runner()
    _abandon_a_claim(store, runner, clock)

    runner.run_due()

    assert store.get(post.id).status == "published"
    assert [call[0] for call in script.calls] == [post.id]


def test_the_lease_outlasts_every_request_of_a_publish(store, clock):
    runner = Runner(store, Settings(http_timeout=12.0), clock, session=requests.Session())

    assert runner.lease_seconds > 4 * 12.0  # a Bluesky publish may make four requests


# -- configuration -------------------------------------------------------------------------------

def test_missing_credentials_fail_the_post_naming_the_variable(store, script, make_runner):
    first, second = queue(store, "no-creds-1", "no-creds-2", channel="fake:clinic2")
    script.required = ("ACCESS_TOKEN",)

    report = make_runner().run_due()

    for post in (first, second):
        stored = store.get(post.id)
        assert stored.status == "failed"
        assert "FAKE_CLINIC2_ACCESS_TOKEN" in stored.error
    assert script.calls == [] and script.instances == []
    assert report.counts() == {"failed": 2}


def test_present_credentials_let_the_post_through(store, script, make_runner):
    post, = queue(store, "creds", channel="fake:clinic2")
    script.required = ("ACCESS_TOKEN",)

    make_runner({"FAKE_CLINIC2_ACCESS_TOKEN": "secret-token"}).run_due()

    stored = store.get(post.id)
    assert stored.status == "published"
    assert "secret-token" not in repr(stored)


# -- the loop ------------------------------------------------------------------------------------

def test_stop_finishes_the_post_in_flight_and_takes_no_more(store, script, make_runner):
    posts = queue(store, "s1", "s2", "s3")
    runner = make_runner()

    def stop_during_publish(publisher, post):
        runner.stop.set()  # what the SIGTERM handler does
        return Published(remote_id="r1", remote_url=None)

    script.answers = [stop_during_publish]

    report = runner.run_due()

    assert [p.id for p in report.touched] == [posts[0].id]
    assert [store.get(p.id).status for p in posts] == ["published", "queued", "queued"]
    assert len(script.calls) == 1


def test_a_stopped_runner_claims_nothing(store, script, make_runner):
    post, = queue(store, "never")
    runner = make_runner()
    runner.stop.set()

    assert runner.run_due().touched == []
    assert store.get(post.id).status == "queued"


def test_run_due_honours_its_limit(store, script, make_runner):
    posts = queue(store, "l1", "l2", "l3")

    report = make_runner().run_due(limit=2)

    assert [p.id for p in report.touched] == [posts[0].id, posts[1].id]
    assert store.get(posts[2].id).status == "queued"


def test_one_publisher_per_channel_is_reused_across_posts(store, script, make_runner):
    main = queue(store, "m1", "m2", "m3", channel="fake")
    other = queue(store, "o1", "o2", channel="fake:clinic2", at=T0 - timedelta(seconds=30))

    report = make_runner().run_due()

    assert len(report.touched) == 5 and report.counts() == {"published": 5}
    assert sorted(publisher.channel for publisher in script.instances) == ["fake", "fake:clinic2"]
    by_channel: dict[str, set[int]] = {}
    for post_id, channel, publisher_id in script.calls:
        by_channel.setdefault(channel, set()).add(publisher_id)
    assert {channel: len(ids) for channel, ids in by_channel.items()} == {"fake": 1, "fake:clinic2": 1}
    assert sorted(call[0] for call in script.calls) == sorted(p.id for p in main + other)


def test_posts_are_published_in_due_order(store, script, make_runner):
    late, = queue(store, "late", at=T0 - timedelta(minutes=1))
    early, = queue(store, "early", at=T0 - timedelta(hours=1))

    make_runner().run_due()

    assert [call[0] for call in script.calls] == [early.id, late.id]


def test_one_failing_post_does_not_stop_the_others(store, script, make_runner):
    posts = queue(store, "f1", "f2", "f3")
    script.answers = [None, Rejected("too long"), None]

    report = make_runner().run_due()

    assert [p.status for p in report.touched] == ["published", "failed", "published"]
    assert [store.get(p.id).status for p in posts] == ["published", "failed", "published"]


# -- an adapter that breaks ----------------------------------------------------------------------

def test_an_unexpected_error_after_sending_is_an_unknown_outcome_not_a_stuck_post(store, script, make_runner, caplog):
    # e.g. a 200 whose body has no "id" (a proxy's page): the post may exist, the adapter raised KeyError.
    posts = queue(store, "odd-answer", "next")
    script.resend_is_safe = True
    script.answers = [KeyError("id")]

    with caplog.at_level("ERROR", logger="scheduler.runner"):
        report = make_runner().run_due()

    first = store.get(posts[0].id)
    assert (first.status, first.attempts) == ("retry", 1)
    assert "KeyError" in first.error and first.due_at > T0
    assert store.get(posts[1].id).status == "published"  # the run went on
    assert [p.id for p in report.touched] == [posts[0].id, posts[1].id]
    assert store.list_posts(status="publishing") == []
    logged = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert any("unexpected KeyError" in m and "Traceback" not in m and ", line " in m for m in logged)  # frames, no message text


def test_an_unexpected_error_on_an_unsafe_channel_is_unconfirmed(store, script, make_runner):
    post, = queue(store, "odd-answer")
    script.resend_is_safe = False
    script.answers = [ValueError("unparseable answer")]

    make_runner().run_due()

    stored = store.get(post.id)
    assert stored.status == "unconfirmed" and "ValueError" in stored.error


# -- leases and the attempt log ------------------------------------------------------------------

def test_a_worker_whose_lease_was_taken_over_cannot_record_its_result(store, script, make_runner, clock, caplog):
    post, = queue(store, "slow")
    slow = make_runner()
    newer: list[Post] = []

    def stall_past_the_lease(publisher, claimed):
        clock.advance(seconds=slow.lease_seconds + 1)  # the request outlived the lease ...
        newer.extend(store.claim_due(clock.now, slow.lease_seconds))  # ... and another worker took the post over
        return Published(remote_id="late-1", remote_url=None)

    script.answers = [stall_past_the_lease]

    report = slow.run_due()

    assert report.touched == []  # the late result was not recorded
    current = store.get(post.id)
    assert (current.status, current.remote_id, current.claim_token) == ("publishing", None, newer[0].claim_token)
    assert "taken over by another worker" in caplog.text
    assert [(a.outcome, a.excerpt) for a in store.attempts_of(post.id)] == [
        ("lease-lost", "result not recorded (would have been published as late-1)")]
    assert store.record_result(post.id, newer[0].claim_token, Outcome("failed", error="x"), clock.now).status == "failed"


def test_each_attempt_is_logged_with_the_http_status_and_no_secret(store, script, make_runner, clock):
    post, = queue(store, "logged", channel="fake:clinic2")
    script.required = ("ACCESS_TOKEN",)
    secret = "tok-0123456789-secret"
    script.answers = [RetryNow(f"server error (503) while sending with {secret}", 503),
                      Rejected("rejected (422): " + "too long " * 40, 422)]
    runner = make_runner({"FAKE_CLINIC2_ACCESS_TOKEN": secret})

    runner.run_due()
    assert store.get(post.id).error == "server error (503) while sending with [redacted]"
    clock.now = store.get(post.id).due_at
    runner.run_due()

    first, second = store.attempts_of(post.id)
    assert (first.outcome, first.http_status, first.started_at) == ("retry", 503, T0)
    assert first.excerpt == "server error (503) while sending with [redacted]"
    assert (second.outcome, second.http_status) == ("failed", 422) and len(second.excerpt) <= 200
    assert secret not in repr(store.get(post.id)) and secret not in (store.get(post.id).error or "")


# -- a run split over processes ------------------------------------------------------------------

def test_how_many_processes_share_a_run(monkeypatch, store, clock):
    import sys
    import threading

    monkeypatch.setattr(runner_module.os, "cpu_count", lambda: 4)
    monkeypatch.setattr(threading, "active_count", lambda: 1)  # the CLI's publish: no other thread
    monkeypatch.setattr(sys, "platform", "linux")
    channels = [f"fake:c{n}" for n in range(60)]

    def processes(values: dict[str, str] | None = None, workers: int = 60, count: int = 60,
                  limit: int | None = None) -> int:
        wanted = load_settings({**(values or {}), "SCHEDULER_DATABASE_URL": "unused"}, env_file=None).processes
        settings = Settings(database_url="unused", workers=workers, processes=wanted)
        return Runner(store, settings, clock)._processes(channels[:count], limit)

    assert processes() == 60 // runner_module.PROCESS_CHANNELS  # automatic: one per PROCESS_CHANNELS channels
    assert processes(count=10) == 1  # a few channels: one process
    assert processes({"SCHEDULER_PROCESSES": "auto"}) == processes()
    assert processes({"SCHEDULER_PROCESSES": "1"}) == 1  # threads only
    assert processes({"SCHEDULER_PROCESSES": "3"}, count=2) == 2  # never more processes than channels ...
    assert processes({"SCHEDULER_PROCESSES": "3"}, workers=2) == 2  # ... or workers
    assert processes({"SCHEDULER_PROCESSES": "3"}, limit=5) == 1  # one budget of posts: one process
    monkeypatch.setattr(threading, "active_count", lambda: 3)
    assert processes({"SCHEDULER_PROCESSES": "3"}) == 1  # other threads (the daemon's scheduler): no fork
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.setattr(sys, "platform", "darwin")
    assert processes({"SCHEDULER_PROCESSES": "3"}) == 1  # fork() only where it is safe to use
    monkeypatch.setattr(sys, "platform", "linux")
    given = Runner(store, Settings(database_url="unused", workers=60, processes=3), clock, session=requests.Session())
    assert given._processes(channels, None) == 1  # a session made by the caller may hold connections: not shared


@pytest.mark.parametrize("raw", ["0", "-2", "two", "1.5"])
def test_a_bad_processes_setting_is_a_config_error(store, clock, raw):
    from scheduler.errors import ConfigError

    with pytest.raises(ConfigError, match="SCHEDULER_PROCESSES"):
        load_settings({"SCHEDULER_PROCESSES": raw}, env_file=None)


class _Mastodons:
    """Mastodon-like accounts under path prefixes (/c1, /c2 …) of one local server: answers after ``delay``, and
    records each request (channel, text, key, arrival, answer) and any second request of a channel in flight."""

    def __init__(self, delay: float) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler

        from helpers import send_json

        self.delay, self.seen, self.overlaps, self.lock = delay, [], [], threading.Lock()
        self.in_flight: dict[str, int] = {}
        self.arrived = threading.Condition(self.lock)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 - the http.server name
                import time
                from urllib.parse import parse_qs

                length = int(self.headers.get("Content-Length") or 0)
                form = parse_qs(self.rfile.read(length).decode())
                channel = self.path.split("/api/v1/statuses")[0].strip("/")
                with fake.lock:
                    fake.in_flight[channel] = fake.in_flight.get(channel, 0) + 1
                    if fake.in_flight[channel] > 1:
                        fake.overlaps.append(channel)
                    fake.seen.append((channel, form["status"][0], self.headers.get("Idempotency-Key")))
                    number = len(fake.seen)
                    fake.arrived.notify_all()
                time.sleep(fake.delay)
                with fake.lock:
                    fake.in_flight[channel] -= 1
                send_json(self, 200, {"id": str(number), "url": f"http://127.0.0.1/@{channel}/{number}"})

            def log_message(self, *args) -> None:
                pass

        self.handler = Handler

    def wait_for_channels(self, count: int, timeout: float = 20.0) -> bool:
        with self.arrived:
            return self.arrived.wait_for(lambda: len({c for c, _, _ in self.seen}) >= count, timeout)


def _split_run(tmp_path, base_url: str, channels: int, per_channel: int) -> tuple[list, dict[str, str]]:
    import os
    import sys

    now = datetime.now(timezone.utc)
    posts = [NewPost(channel=f"mastodon:c{c}", platform="mastodon", scheduled_at=now - timedelta(minutes=5, seconds=-n),
                     zone="UTC", text=f"c{c} post {n:03d}", payload={"status": f"c{c} post {n:03d}"}, length=12, limit=500,
                     idempotency_key=f"split-c{c}-{n:03d}") for n in range(per_channel) for c in range(1, channels + 1)]
    opened = open_store(f"sqlite:///{tmp_path / 'split.db'}")
    try:
        opened.enqueue(posts, now)
    finally:
        opened.close()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SCHEDULER_", "MASTODON_")) and "proxy" not in k.lower()}
    env.update({"SCHEDULER_DATABASE_URL": f"sqlite:///{tmp_path / 'split.db'}", "SCHEDULER_WORKERS": str(channels),
                "SCHEDULER_PROCESSES": "2", "SCHEDULER_HTTP_TIMEOUT": "10", "PYTHONUNBUFFERED": "1"})
    for c in range(1, channels + 1):
        env[f"MASTODON_C{c}_BASE_URL"] = f"{base_url}/c{c}"
        env[f"MASTODON_C{c}_ACCESS_TOKEN"] = f"token-c{c}"
    return [sys.executable, "-m", "scheduler", "-v", "publish", "--json"], env


def test_a_run_split_over_two_processes_publishes_each_post_once_each_channel_in_order(tmp_path):
    import json
    import subprocess
    from collections import Counter

    from helpers import serving

    fake = _Mastodons(delay=0.01)
    with serving(fake.handler) as base_url:
        command, env = _split_run(tmp_path, base_url, channels=6, per_channel=8)
        done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)

    assert done.returncode == 0, done.stderr
    assert "6 due channels over 2 processes" in done.stderr  # the run was split
    report = json.loads(done.stdout)
    assert report["counts"] == {"published": 48}  # the children's posts are in the parent's report
    assert sorted(p["id"] for p in report["posts"]) == list(range(1, 49))
    assert Counter(key for _, _, key in fake.seen) == {f"split-c{c}-{n:03d}": 1 for c in range(1, 7) for n in range(8)}
    for c in range(1, 7):
        assert [text for channel, text, _ in fake.seen if channel == f"c{c}"] == [f"c{c} post {n:03d}" for n in range(8)]
    assert fake.overlaps == []  # never two requests of one channel in flight
    opened = open_store(f"sqlite:///{tmp_path / 'split.db'}")
    try:
        assert Counter(p.status for p in opened.list_posts()) == {"published": 48}
    finally:
        opened.close()


def test_a_stop_reaches_every_process_of_a_split_run(tmp_path):
    import json
    import signal
    import subprocess
    from collections import Counter

    from helpers import serving

    fake = _Mastodons(delay=0.05)
    with serving(fake.handler) as base_url:
        command, env = _split_run(tmp_path, base_url, channels=4, per_channel=40)
        process = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            assert fake.wait_for_channels(4), "not every channel was published"  # both processes are publishing
        finally:
            process.send_signal(signal.SIGTERM)  # to the parent only: it passes the stop on
        out, err = process.communicate(timeout=60)

    assert process.returncode == 0, err
    report = json.loads(out)
    opened = open_store(f"sqlite:///{tmp_path / 'split.db'}")
    try:
        stored = opened.list_posts()
    finally:
        opened.close()
    assert Counter(p.status for p in stored) == {"published": report["counts"]["published"],
                                                  "queued": 160 - report["counts"]["published"]}  # none left in flight
    assert Counter(key for _, _, key in fake.seen) == {p.idempotency_key: 1 for p in stored if p.status == "published"}
    for c in range(1, 5):  # each channel stopped after the posts it had begun, in order, the rest left queued
        mine = sorted((p for p in stored if p.channel == f"mastodon:c{c}"), key=lambda p: p.idempotency_key)
        statuses = [p.status for p in mine]
        assert statuses == sorted(statuses, key=lambda s: s != "published") and statuses[-1] == "queued"
