"""Commands that publish: publish (one run, for cron) and daemon."""

from __future__ import annotations

import argparse
import logging
import signal
from typing import Callable

from scheduler.commands.output import EXIT_FAILED, EXIT_OK, print_json, print_posts

Handler = Callable[..., int]

log = logging.getLogger(__name__)


def register(commands: argparse._SubParsersAction) -> dict[str, Handler]:
    publish = commands.add_parser("publish", help="publish everything due, then exit (for cron)")
    publish.add_argument("--json", action="store_true", help="print counts per outcome and the posts touched")
    commands.add_parser("daemon", help="keep publishing posts as they fall due (APScheduler)")
    return {"publish": cmd_publish, "daemon": cmd_daemon}


def _stop_on_signals(runner) -> None:
    def stop(signum, frame):
        log.warning("signal %s: finishing the post in flight, then stopping", signum)
        runner.stop.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)


def cmd_publish(args, settings, clock) -> int:
    from scheduler import app

    report = app.publish(settings, clock, runner_hook=_stop_on_signals)
    if args.json:
        print_json(report.as_json())
    else:
        print_posts([post.as_json() for post in report.touched])
        counts = report.counts()
        print("published nothing: no post is due" if not counts else
              "; ".join(f"{count} {status}" for status, count in sorted(counts.items())))
    return EXIT_FAILED if report.failed else EXIT_OK


def cmd_daemon(args, settings, clock) -> int:
    from scheduler.daemon import run_daemon

    return run_daemon(settings, clock)
