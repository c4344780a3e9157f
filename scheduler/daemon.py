"""`hashtag-scheduler daemon`: publish posts as they fall due, in one long-running process.

One APScheduler job publishes whatever is due and then moves its own next run to the next
due post (or the poll interval, to notice posts queued by other processes), so the process
sleeps between slots instead of polling.
"""

from __future__ import annotations

import logging
import signal
import threading
from datetime import datetime, timedelta, timezone
from typing import Callable

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger

from scheduler.config import Settings
from scheduler.app import recorded_run
from scheduler.runner import Runner
from scheduler.store import open_store

log = logging.getLogger(__name__)

POLL_INTERVAL = timedelta(seconds=60)
JOB_ID = "publish-due"


def run_daemon(settings: Settings, clock: Callable[[], datetime]) -> int:
    store = open_store(settings.database_url)
    runner = Runner(store, settings, clock)
    scheduler = BlockingScheduler(
        timezone=timezone.utc,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
    )

    def publish_due() -> None:
        report = recorded_run(store, "daemon", runner, clock)
        if not runner.stop.is_set():
            wake = _next_wake(store.next_due_at(), clock())
            scheduler.modify_job(JOB_ID, next_run_time=wake)
            log.info("published %s; next check at %s", report.counts() or "nothing", wake.isoformat())

    scheduler.add_job(publish_due, IntervalTrigger(seconds=POLL_INTERVAL.total_seconds(), timezone=timezone.utc),
                      id=JOB_ID, next_run_time=clock())
    stopper: list[threading.Thread] = []

    def stop(signum, frame) -> None:
        log.warning("signal %s: finishing the post in flight, then stopping", signum)
        runner.stop.set()
        if not stopper:  # shut down from a thread: the handler may interrupt the scheduler holding its lock
            stopper.append(threading.Thread(target=scheduler.shutdown, kwargs={"wait": True}))
            stopper[0].start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        scheduler.start()
    finally:
        for thread in stopper:
            thread.join()
        store.close()
    return 0


def _next_wake(next_due: datetime | None, now: datetime) -> datetime:
    poll = now + POLL_INTERVAL
    return poll if next_due is None else max(now, min(next_due, poll))
