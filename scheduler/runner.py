"""Claim → publish → record. The only module that imports both the store and the publishers.

Retry policy is data on the post: a failed attempt sets the post's next due time; no worker
ever sleeps.

Channels are published in parallel (``SCHEDULER_WORKERS`` threads at most), each channel by one worker at a
time and its posts strictly one after another: a worker claims its channel's next post only when none of that
channel's posts is in flight, in this process or any other (the store checks the live leases).

With many channels due, a run splits them over processes (``SCHEDULER_PROCESSES``; automatic: one per
PROCESS_CHANNELS due channels, at most one per CPU), forked after the imports: every process has its own interpreter
lock, connection and HTTP session, takes its own group of channels, and the parent merges their reports. The claims
and leases in the store keep every promise across processes, as between a cron run and the daemon.
"""

from __future__ import annotations

import logging
import os
import random
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Callable

from scheduler.config import Settings
from scheduler.errors import (ConfigError, LeaseLost, NeedsAttention, PublishError, Rejected, RetryAt, RetryNow,
                              SchedulerError, UnknownOutcome)
from scheduler.notify import Notifier
from scheduler.publishers import Published, Publisher, publisher_class
from scheduler.redact import excerpt, redact, secret_values
from scheduler.store import Outcome, Post, Store, iso_utc

if TYPE_CHECKING:
    import requests

    from scheduler import reconcile

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=1)
LEASE_MARGIN = 60.0  # seconds beyond the HTTP timeout, so a live request never outlasts its lease
# Variables that change what requests does with trust_env on, besides any *_proxy one (the CA bundle ones are
# carried over to session.verify instead, as requests itself would apply them).
_CA_BUNDLE_ENV = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")
BUSY_POLL = 0.005  # seconds before the first look again at a channel another process is publishing
BUSY_POLL_MAX = 0.25  # the wait doubles up to this, so a long hold costs a few looks, not a thousand write locks
BUSY_PATIENCE = 5.0  # a channel whose same post another process has held this long is left to that process
# Automatic SCHEDULER_PROCESSES: one process per this many due channels (at most one per CPU). One interpreter lock
# keeps up with ~40 channels answering in 100 ms (~2 ms of Python a post); beyond, posts wait for the lock.
PROCESS_CHANNELS = 24

Clock = Callable[[], datetime]


@dataclass
class RunReport:
    touched: list[Post] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for post in self.touched:
            counts[post.status] = counts.get(post.status, 0) + 1
        return counts

    @property
    def failed(self) -> bool:
        return any(post.status in ("failed", "unconfirmed", "missed") for post in self.touched)

    def as_json(self) -> dict:
        return {"counts": self.counts(), "posts": [post.as_json() for post in self.touched]}


class Runner:
    """Publishes due posts. One instance per process; publishers are reused across posts."""

    def __init__(self, store: Store, settings: Settings, clock: Clock, session: requests.Session | None = None) -> None:
        self.store = store
        self.settings = settings
        self.clock = clock
        self._session = session
        self.stop = threading.Event()  # set by a signal handler: finish the post in flight, take no more
        self._publishers: dict[str, Publisher] = {}
        self.notifier = Notifier(settings, lambda: self.session)
        self._secrets = secret_values(settings.values)  # once per run, not per post

    @property
    def lease_seconds(self) -> float:
        # A publish may make six requests (Bluesky: session, refresh, check, create; X: reconcile, refresh, create),
        # plus a margin for the database; with a test's tiny timeout the margin shrinks with it.
        timeout = self.settings.http_timeout
        return 6 * timeout + min(LEASE_MARGIN, max(2.0, 4 * timeout))

    def run_due(self, limit: int | None = None) -> RunReport:
        """Publish what is due now, channels in parallel (at most ``settings.workers`` at once), each channel's posts in
        order; at most ``limit`` posts. On ``stop`` every worker finishes its post in flight and takes no more."""
        run = _Run(limit)
        if self.stop.is_set():
            return run.report
        first = self.store.due_channels(self.clock())
        if not first:
            return run.report  # the idle cron run: one query, no thread, no HTTP import
        if self.settings.workers <= 1:
            self._run_inline(run, first)
            return run.report
        processes = self._processes(first, limit)
        if processes <= 1 or not self._run_forked(run, first, processes):
            self._run_pool(run, first)
        return run.report

    def _run_inline(self, run: _Run, channels: list[str]) -> None:
        finished: set[str] = set()  # channels that had nothing more for this run
        while channels and not self.stop.is_set() and run.room():
            channel = channels[0]
            if self._drain(channel, run) == 0:
                finished.add(channel)
            channels = [c for c in self.store.due_channels(self.clock()) if c not in finished]

    def _run_pool(self, run: _Run, channels: list[str], mine: Callable[[str], bool] | None = None,
                  workers: int | None = None) -> None:
        """``channels`` (and those that fall due meanwhile) by a pool of ``workers`` threads. ``mine``: the channels
        this process takes, when the run is split over processes (the others belong to another process)."""
        from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

        workers = workers or self.settings.workers
        self._pooled_session(workers)  # made before the threads start: one session, a connection per worker
        finished: set[str] = set()
        active: dict[Future, str] = {}
        errors: list[BaseException] = []
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="publish") as pool:
            try:
                while True:
                    if not (self.stop.is_set() or run.abort.is_set() or not run.room()) and len(active) < workers:
                        busy = set(active.values())
                        for channel in channels:
                            if len(active) >= workers:
                                break
                            if channel not in busy and channel not in finished:
                                active[pool.submit(self._drain, channel, run)] = channel
                    if not active:
                        break
                    done, _ = wait(list(active), timeout=1.0, return_when=FIRST_COMPLETED)
                    for future in done:
                        channel = active.pop(future)
                        error = future.exception()
                        if error is not None:
                            errors.append(error)
                            run.abort.set()  # the others finish their post in flight and stop
                        elif future.result() == 0:
                            finished.add(channel)
                    if run.abort.is_set():
                        channels = []
                    elif done:
                        channels = [c for c in self.store.due_channels(self.clock()) if mine is None or mine(c)]
            finally:
                run.abort.set()  # whatever ended the loop: no worker takes another post
        if errors:
            raise errors[0]

    def _processes(self, channels: list[str], limit: int | None) -> int:
        """How many processes share this run: SCHEDULER_PROCESSES, or one per PROCESS_CHANNELS due channels (at most
        one per CPU); never more than channels or workers. One where a split could not keep the run's promises: a
        limit on posts (one budget), no fork() (not Linux), other threads alive here (the daemon's scheduler: a fork
        would copy the locks they hold), or an HTTP session already made (its open connections must not be shared)."""
        wanted = self.settings.processes
        if wanted is None:
            wanted = min(os.cpu_count() or 1, len(channels) // PROCESS_CHANNELS)
        wanted = min(wanted, len(channels), self.settings.workers)
        if (wanted <= 1 or limit is not None or sys.platform != "linux" or threading.active_count() > 1
                or self._session is not None):
            return 1
        return wanted

    def _run_forked(self, run: _Run, channels: list[str], processes: int) -> bool:
        from scheduler.forking import run_forked  # only a run that splits pays for it

        return run_forked(self, run, channels, processes)

    def _preload(self, channels: list[str]) -> None:
        """What every process will import at its first post (requests, the due platforms' adapters), imported here."""
        import requests  # noqa: F401
        from requests.adapters import HTTPAdapter  # noqa: F401

        for platform in {channel.split(":", 1)[0] for channel in channels}:
            try:
                publisher_class(platform)
            except SchedulerError:
                pass  # reported on the post itself, by the process that takes it

    def _drain(self, channel: str, run: _Run) -> int:
        """One worker: ``channel``'s due posts one at a time, in order, until none is left (or a hold, a stop, the
        limit). Returns how many it claimed. Waits while another process publishes the channel, up to BUSY_PATIENCE
        for one same post (that process then drains it)."""
        claimed = 0
        holder_seen, since, delay = None, 0.0, BUSY_POLL
        while not self.stop.is_set() and not run.abort.is_set() and run.take():
            post = self.store.claim_next_for_channel(channel, self.clock(), self.lease_seconds)
            if post is None:
                run.give_back()
                holder = self.store.channel_holder(channel, self.clock())
                if holder is None:
                    break  # nothing due (or the channel takes no posts now)
                if holder != holder_seen:
                    holder_seen, since, delay = holder, time.monotonic(), BUSY_POLL
                elif time.monotonic() - since > BUSY_PATIENCE:
                    break
                self.stop.wait(delay)
                delay = min(delay * 2, BUSY_POLL_MAX)
                continue
            claimed += 1
            recorded = self.publish_one(post)
            if recorded is not None:
                run.add(recorded)
        return claimed

    def publish_one(self, post: Post) -> Post | None:
        """Publish a claimed post and record what happened; None when its lease was taken over meanwhile
        (the newer worker owns the post, and this worker's result is kept only in the attempts log)."""
        started = self.clock()
        outcome = self._redacted(replace(self._attempt(post), started_at=started))
        try:
            recorded = self.store.record_result(post.id, post.claim_token or "", outcome, self.clock())
        except LeaseLost as error:
            log.warning("post %s on %s: %s (this worker saw: %s)", post.id, post.channel, error, outcome.status)
            return None
        log.info("post %s on %s: %s%s", post.id, post.channel, recorded.status, f" ({outcome.error})" if outcome.error else "")
        if outcome.channel_attention:
            self.notifier.channel(post.channel, outcome.channel_attention)
        self.notifier.post(recorded)
        return recorded

    def _attempt(self, post: Post) -> Outcome:
        now = self.clock()
        proven_absent = False
        try:
            publisher = self._publisher_for(post.channel, post.platform)
            late = self._too_late(post, now)
            if post.uncertain:
                from scheduler import reconcile  # only for a post in doubt: not imported by a run without one

                verdict = self._settle(publisher, post, now)
                if isinstance(verdict, reconcile.Found):
                    found = verdict.published
                    return Outcome("published", remote_id=found.remote_id, remote_url=found.remote_url,
                                   excerpt="an earlier attempt had published it: found on the account, not sent again")
                if isinstance(verdict, reconcile.Unverifiable):
                    why = ("a previous attempt was interrupted mid-request" if post.recovered
                           else "an earlier attempt may have published it")
                    return Outcome("unconfirmed", error=f"{why}; {verdict.reason}", maybe_sent=True)
                proven_absent = isinstance(verdict, reconcile.Absent)
                if late and not proven_absent:  # a deduplicating resend could still publish it, late
                    return Outcome("unconfirmed", maybe_sent=True,
                                   error=f"{late}; an earlier attempt may have published it: check the account, then resolve it")
            if late:
                return Outcome("missed", error=late, maybe_sent=False if proven_absent else None)
            published = self._publish(publisher, post)
        except ConfigError as error:
            return Outcome("failed", error=str(error), excerpt=str(error))
        except PublishError as error:
            return replace(self._after_failure(post, error, proven_absent), http_status=error.status, excerpt=error.reason)
        return _published(published)

    def _too_late(self, post: Post, now: datetime) -> str | None:
        """Why ``post`` is too late to publish under its policy, or None."""
        policy = post.miss_after if post.miss_after is not None else self.settings.missed_after
        late = (now - (post.late_from or post.scheduled_at)).total_seconds()
        if late <= policy:
            return None
        return f"missed: {_duration(late)} late, past the policy of {_duration(policy)}; `retry ID` publishes it anyway"

    def _redacted(self, outcome: Outcome) -> Outcome:
        """No credential value reaches the database, whatever an adapter put in its message."""
        if (outcome.error is None and outcome.excerpt is None and outcome.channel_attention is None
                and outcome.hold_reason is None):
            return outcome  # nothing to redact (a post published)
        secrets = self._secrets
        return replace(outcome, error=redact(outcome.error, secrets) if outcome.error else None,
                       excerpt=excerpt(outcome.excerpt, secrets),
                       channel_attention=redact(outcome.channel_attention, secrets) if outcome.channel_attention else None,
                       hold_reason=redact(outcome.hold_reason, secrets) if outcome.hold_reason else None)

    def _settle(self, publisher: Publisher, post: Post, now: datetime) -> reconcile.Verdict:
        """reconcile.settle, with an adapter bug turned into 'cannot tell' rather than a crashed run."""
        from scheduler import reconcile

        try:
            return reconcile.settle(publisher, post, now)
        except (ConfigError, PublishError):
            raise
        except Exception as error:
            log.error("post %s on %s: unexpected %s while checking the account:\n%s", post.id, post.channel,
                      type(error).__name__, "".join(traceback.format_tb(error.__traceback__)))
            raise RetryNow(f"unexpected {type(error).__name__} while checking the {post.platform} account (see the log)") from None

    def _publish(self, publisher: Publisher, post: Post) -> Published:
        publisher.checkpoint = lambda progress: self.store.save_progress(post.id, post.claim_token or "", progress, self.clock())
        try:
            return publisher.publish(post, self.clock())
        except (ConfigError, PublishError):
            raise
        except Exception as error:
            # An adapter bug or an answer it could not read (a 200 without an id): the request may have
            # landed. Recorded as an unknown outcome, so the post is neither left 'publishing' nor the run ended.
            # The frames, not the message: an exception's text may quote a URL that carries a token.
            log.error("post %s on %s: unexpected %s in the %s publisher:\n%s", post.id, post.channel,
                      type(error).__name__, post.platform, "".join(traceback.format_tb(error.__traceback__)))
            raise UnknownOutcome(f"unexpected {type(error).__name__} in the {post.platform} publisher (see the log)") from error

    @property
    def session(self) -> requests.Session:
        if self._session is None:  # created on the first due post, so an idle run never imports requests
            import requests

            self._session = self._configured(requests.Session())
        return self._session

    def _pooled_session(self, workers: int) -> None:
        """A session whose pools keep a connection per worker (requests keeps 10 per host by default)."""
        if self._session is None:
            import requests
            from requests.adapters import HTTPAdapter

            session = requests.Session()
            size = max(10, workers)
            for prefix in ("https://", "http://"):
                session.mount(prefix, HTTPAdapter(pool_connections=size, pool_maxsize=size))
            self._session = self._configured(session)

    def _configured(self, session: requests.Session) -> requests.Session:
        """``trust_env`` off when the environment (``Settings.values``) configures no proxy and no NETRC: requests then
        skips its per-request environment look-ups (~0.5 ms a post: ``getproxies_environment`` scans ``os.environ``)
        and ~/.netrc; a ``REQUESTS_CA_BUNDLE``/``CURL_CA_BUNDLE`` becomes ``session.verify``, as requests would apply
        it. On Windows and macOS proxies also come from the system settings, so it stays on there."""
        values = self.settings.values
        if sys.platform in ("win32", "darwin") or any(key.lower().endswith("_proxy") or key == "NETRC" for key in values):
            return session
        session.trust_env = False
        bundle = next((values[key] for key in _CA_BUNDLE_ENV if values.get(key)), None)
        if bundle and session.verify is True:
            session.verify = bundle
        return session

    def _publisher_for(self, channel: str, platform: str) -> Publisher:
        if channel not in self._publishers:
            self._publishers[channel] = publisher_class(platform)(channel, self.settings, self.session)
        return self._publishers[channel]

    def _after_failure(self, post: Post, error: PublishError, proven_absent: bool = False) -> Outcome:
        """What a PublishError does to the post. ``proven_absent``: the account was checked and did not have it."""
        now = self.clock()
        # An answer that proves this request created nothing settles an earlier doubt only once the account was
        # checked (or if there was no doubt); otherwise the doubt stays with the post.
        settled = False if (proven_absent or not post.uncertain) else None
        in_doubt = post.uncertain and not proven_absent
        if isinstance(error, RetryAt):
            # The account is rate limited: the channel waits until the reset, other channels keep publishing.
            return Outcome("retry", error=error.reason, retry_at=error.at, count_attempt=False,
                           hold_channel_until=error.at, maybe_sent=settled)
        if isinstance(error, NeedsAttention):
            # Bad credentials: every post of this channel would fail the same way. They wait for a person.
            return Outcome("retry", error=error.reason, count_attempt=False, channel_attention=error.reason,
                           maybe_sent=settled)
        if isinstance(error, Rejected):
            if in_doubt:
                return Outcome("unconfirmed", maybe_sent=True,
                               error=f"refused now, but an earlier attempt may have published it: {error.reason}")
            return Outcome("failed", error=error.reason, maybe_sent=settled)
        publisher = self._publisher_for(post.channel, post.platform)
        if isinstance(error, UnknownOutcome):
            from scheduler import reconcile

            if not (publisher.resend_is_safe or reconcile.can_check(publisher)):
                return Outcome("unconfirmed", error=error.reason, maybe_sent=True)
            if post.attempts + 1 < MAX_ATTEMPTS:
                return Outcome("retry", error=error.reason, retry_at=now + backoff(post.attempts + 1), maybe_sent=True)
            return Outcome("unconfirmed", maybe_sent=True,
                           error=f"gave up after {post.attempts + 1} attempts, the last one may have landed: {error.reason}")
        if isinstance(error, RetryNow) and post.attempts + 1 < MAX_ATTEMPTS:
            return Outcome("retry", error=error.reason, retry_at=now + backoff(post.attempts + 1), maybe_sent=settled)
        if in_doubt:
            return Outcome("unconfirmed", maybe_sent=True,
                           error=f"gave up after {post.attempts + 1} attempts; an earlier one may have landed: {error.reason}")
        return Outcome("failed", error=f"gave up after {post.attempts + 1} attempts: {error.reason}", maybe_sent=settled)


class _Run:
    """One run_due shared by its workers: the report, the post budget (``limit``), the abort flag."""

    def __init__(self, limit: int | None) -> None:
        self.report = RunReport()
        self.limit = limit
        self.taken = 0
        self.abort = threading.Event()  # a worker failed (the store): the others take no more posts
        self._lock = threading.Lock()

    def room(self) -> bool:
        return self.limit is None or self.taken < self.limit

    def take(self) -> bool:
        with self._lock:
            if self.limit is not None and self.taken >= self.limit:
                return False
            self.taken += 1
            return True

    def give_back(self) -> None:
        with self._lock:
            self.taken -= 1

    def add(self, post: Post) -> None:
        with self._lock:
            self.report.touched.append(post)


def _published(published: Published) -> Outcome:
    """A post that went out; with the adapter's pacing hint, the channel is held in the same transaction (a hold that
    lives in the queue, not in the adapter, so the next cron run respects it too)."""
    outcome = Outcome("published", remote_id=published.remote_id, remote_url=published.remote_url)
    if published.hold_channel_until is None:
        return outcome
    reason = published.hold_reason or "the network asked for a pause after this post"
    return replace(outcome, hold_channel_until=published.hold_channel_until, hold_reason=reason,
                   excerpt=f"published; channel held until {iso_utc(published.hold_channel_until)}: {reason}")


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    if seconds >= 60:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds}s"


def backoff(attempt: int, rng: random.Random | None = None) -> timedelta:
    """Exponential with full jitter above half the step, capped: 30s, 1m, 2m … at most an hour."""
    step = min(BACKOFF_BASE * (2 ** (attempt - 1)), BACKOFF_CAP)
    jitter = (rng or random).uniform(0.5, 1.0)
    return step * jitter
