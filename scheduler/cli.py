"""The command line: parse, call one library function, print; our errors become one line and exit 2."""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Sequence

from posts.errors import ContentError
from scheduler import __version__
from scheduler.config import load_settings
from scheduler.errors import ConfigError, InvalidState, NotFoundError, SchedulerError

log = logging.getLogger(__name__)

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2
Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(timezone.utc)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hashtag-scheduler", description=__doc__)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--env-file", default=".env", help="settings file read before the environment (default: .env)")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="log progress (-vv for debug)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = commands.add_parser("demo", help="plan, queue and publish the bundled sample campaign")
    demo.add_argument("--dir", default="demo-output", help="folder for the demo's database and outbox")
    demo.add_argument("--json", action="store_true", help="print the result as JSON")

    extract = commands.add_parser("extract", help="print an article's benefit points and techniques")
    extract.add_argument("article", help="a .txt, .md or .html file")
    extract.add_argument("--json", action="store_true", help="print {title, benefits, types} as JSON")

    for name, text in (("plan", "show what a campaign would queue (writes nothing)"), ("queue", "queue a campaign's posts on its cadence")):
        command = commands.add_parser(name, help=text)
        command.add_argument("campaign", help="the campaign's TOML file")
        command.add_argument("--json", action="store_true", help="print a JSON array of posts")

    add = commands.add_parser("add", help="queue one post")
    add.add_argument("--channel", required=True, help="a channel such as outbox, mastodon or mastodon:clinic2")
    add.add_argument("--text", required=True, help="the post's text")
    add.add_argument("--at", default="now", help="ISO-8601 time (local to --zone if it has no offset) or 'now'")
    add.add_argument("--zone", default="UTC", help="IANA time zone of the post's local intent (default UTC)")
    add.add_argument("--json", action="store_true", help="print the queued post as JSON")

    listing = commands.add_parser("list", help="list queued and past posts")
    listing.add_argument("--status", help="only posts in this state")
    listing.add_argument("--json", action="store_true", help="print a JSON array of posts")

    publish = commands.add_parser("publish", help="publish everything due, then exit (for cron)")
    publish.add_argument("--json", action="store_true", help="print counts per outcome and the posts touched")

    commands.add_parser("daemon", help="keep publishing posts as they fall due (APScheduler)")
    _add_operations(commands)
    return parser


def _add_operations(commands) -> None:
    for name, text in (("cancel", "cancel one post that has not been published"),
                       ("retry", "make a failed, unconfirmed or cancelled post due again now")):
        command = commands.add_parser(name, help=text)
        command.add_argument("id", type=int, help="the post's id (see `list`)")
        command.add_argument("--json", action="store_true", help="print the post as JSON")

    resolve = commands.add_parser("resolve", help="settle an unconfirmed post after checking the account")
    resolve.add_argument("id", type=int, help="the post's id (see `list --status unconfirmed`)")
    found = resolve.add_mutually_exclusive_group(required=True)
    found.add_argument("--published", metavar="URL", help="it is on the network at URL: mark it published")
    found.add_argument("--not-published", action="store_true", help="it is not there: make it due again now")
    resolve.add_argument("--json", action="store_true", help="print the post as JSON")

    doctor = commands.add_parser("doctor", help="check the queue's health; exit 1 when something needs a person")
    doctor.add_argument("--json", action="store_true", help="print the report as JSON")


def main(argv: Sequence[str] | None = None, clock: Clock = system_clock) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=[logging.WARNING, logging.INFO, logging.DEBUG][min(args.verbose, 2)],
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    try:
        settings = load_settings(env_file=args.env_file)
        return COMMANDS[args.command](args, settings, clock)
    except (ConfigError, ContentError, NotFoundError, InvalidState) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except SchedulerError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_FAILED


def _print_json(value: Any) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False))


def _one_line(text: str, width: int = 70) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _print_posts(rows: list[dict[str, Any]], full_text: bool = False) -> None:
    if not rows:
        print("(no posts)")
        return
    for row in rows:
        ident = f"#{row['id']}" if row.get("id") is not None else "-"
        text = "" if full_text else _one_line(row["text"])
        print(f"{ident:>5}  {row['status']:<11} {row['channel']:<16} {row['local_time'][:16]} {row['zone']:<18} "
              f"{row['length']:>4}/{row['limit']:<5} {text}".rstrip())
        if full_text:
            print("\n".join(f"{'':>7}| {line}" for line in row["text"].splitlines()))
        if row.get("remote_url"):
            print(f"{'':>18}-> {row['remote_url']}")
        if row.get("error"):
            print(f"{'':>18}!! {row['error']}")


def cmd_extract(args, settings, clock) -> int:
    from scheduler.planner import read_extraction

    extraction = read_extraction(args.article)
    if args.json:
        _print_json({"title": extraction.title, "benefits": [
            {k: b[k] for k in ("point", "evidence", "start", "end")} for b in extraction.as_json()["benefits"]
        ], "types": extraction.types})
        return EXIT_OK
    print(extraction.title)
    for benefit in extraction.benefits:
        print(f"- {benefit.point}\n    \"{_one_line(benefit.evidence, 100)}\"")
    if extraction.types:
        print("Techniques: " + ", ".join(extraction.types))
    return EXIT_OK


def cmd_plan(args, settings, clock) -> int:
    from scheduler import app

    rows = [p.as_json() for p in app.plan(settings, args.campaign, clock())]
    _print_json(rows) if args.json else _print_posts(rows, full_text=True)
    return EXIT_OK


def cmd_queue(args, settings, clock) -> int:
    from scheduler import app

    result = app.queue(settings, args.campaign, clock())
    rows = [post.as_json() for post in result.added]
    if args.json:
        _print_json(rows)
    else:
        _print_posts(rows)
        print(f"queued {len(result.added)} post(s); {len(result.existing)} already queued")
    return EXIT_OK


def cmd_add(args, settings, clock) -> int:
    from scheduler import app

    result = app.add(settings, args.channel, args.text, args.at, args.zone, clock())
    rows = [post.as_json() for post in result.added + result.existing]
    if args.json:
        _print_json(rows[0])
    else:
        _print_posts(rows)
        if result.existing:
            print("already queued: the same text, channel and time")
    return EXIT_OK


def cmd_list(args, settings, clock) -> int:
    from scheduler import app

    rows = [post.as_json() for post in app.list_posts(settings, args.status)]
    _print_json(rows) if args.json else _print_posts(rows)
    return EXIT_OK


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
        _print_json(report.as_json())
    else:
        _print_posts([post.as_json() for post in report.touched])
        counts = report.counts()
        print("published nothing: no post is due" if not counts else
              "; ".join(f"{count} {status}" for status, count in sorted(counts.items())))
    return EXIT_FAILED if report.failed else EXIT_OK


def cmd_daemon(args, settings, clock) -> int:
    from scheduler.daemon import run_daemon

    return run_daemon(settings, clock)


def cmd_demo(args, settings, clock) -> int:
    from scheduler.demo import run_demo

    result = run_demo(settings, Path(args.dir), clock(), clock)
    if args.json:
        _print_json({"workdir": str(result.workdir), "plan": [p.as_json() for p in result.planned],
                     "publish": result.report.as_json()})
        return EXIT_FAILED if result.report.failed else EXIT_OK
    print(f"Sample campaign on {', '.join(result.channels)} (database and outbox in {result.workdir}/)\n")
    print("Plan (new posts, weekly slots in the clinic's time zone):")
    _print_posts([p.as_json() for p in result.planned], full_text=True)
    print(f"\nQueued {len(result.queued.added)} new post(s); {len(result.queued.existing)} were already queued.\n")
    print("Published now (the demo moves its clock past the last slot):")
    _print_posts([post.as_json() for post in result.report.touched])
    print(f"\n{len(result.published)} post(s) published in all; the outbox is {result.workdir / 'outbox.jsonl'}")
    return EXIT_FAILED if result.report.failed else EXIT_OK


def _print_post(post, as_json: bool, message: str) -> None:
    if as_json:
        _print_json(post.as_json())
    else:
        _print_posts([post.as_json()])
        print(message)


def cmd_cancel(args, settings, clock) -> int:
    from scheduler import operations

    post = operations.cancel(settings, args.id, clock())
    _print_post(post, args.json, f"post {post.id} cancelled")
    return EXIT_OK


def cmd_retry(args, settings, clock) -> int:
    from scheduler import operations

    post = operations.retry(settings, args.id, clock())
    _print_post(post, args.json, f"post {post.id} is due now: the next `publish` sends it")
    return EXIT_OK


def cmd_resolve(args, settings, clock) -> int:
    from scheduler import operations

    post = operations.resolve(settings, args.id, None if args.not_published else args.published, clock())
    _print_post(post, args.json, f"post {post.id} is {post.status}" + (": due now" if post.status == "retry" else ""))
    return EXIT_OK


def cmd_doctor(args, settings, clock) -> int:
    from scheduler import operations

    health = operations.doctor(settings, clock())
    _print_json(health.as_json()) if args.json else _print_health(health)
    return EXIT_FAILED if health.needs_a_person else EXIT_OK


def _print_health(health) -> None:
    data = health.as_json()
    database = data["database"]
    print(f"database   {database['url']}: quick_check {'; '.join(database['quick_check'])}, "
          f"schema version {database['schema_version']}")
    print("queue      " + (", ".join(f"{count} {status}" for status, count in data["counts"].items()) or "unknown"))
    for kind, run in sorted(data["last_runs"].items()):
        print(f"last {kind:<6} finished {run['finished_at']} ({run['outcome']})")
    if not data["last_runs"]:
        print("last run   none has finished yet")
    for title, rows in (("overdue", data["overdue"]), ("attention", data["needs_attention"])):
        for row in rows:
            print(f"{title:<10} #{row['id']} {row['status']} on {row['channel']}, due {row['due_at']}"
                  + (f": {_one_line(row['error'], 100)}" if row["error"] else ""))
    print("ok: nothing needs a person" if health.problems == [] else "needs a person: " + "; ".join(health.problems))


COMMANDS = {
    "demo": cmd_demo, "extract": cmd_extract, "plan": cmd_plan, "queue": cmd_queue, "add": cmd_add,
    "list": cmd_list, "publish": cmd_publish, "daemon": cmd_daemon,
    "cancel": cmd_cancel, "retry": cmd_retry, "resolve": cmd_resolve, "doctor": cmd_doctor,
}
