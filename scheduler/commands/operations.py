"""Commands for a person looking after the queue: cancel, retry, resolve, doctor."""

from __future__ import annotations

import argparse
from typing import Callable

from scheduler.commands.output import EXIT_FAILED, EXIT_OK, one_line, print_json, print_post

Handler = Callable[..., int]


def register(commands: argparse._SubParsersAction) -> dict[str, Handler]:
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
    return {"cancel": cmd_cancel, "retry": cmd_retry, "resolve": cmd_resolve, "doctor": cmd_doctor}


def cmd_cancel(args, settings, clock) -> int:
    from scheduler import operations

    post = operations.cancel(settings, args.id, clock())
    print_post(post, args.json, f"post {post.id} cancelled")
    return EXIT_OK


def cmd_retry(args, settings, clock) -> int:
    from scheduler import operations

    post = operations.retry(settings, args.id, clock())
    print_post(post, args.json, f"post {post.id} is due now: the next `publish` sends it")
    return EXIT_OK


def cmd_resolve(args, settings, clock) -> int:
    from scheduler import operations

    post = operations.resolve(settings, args.id, None if args.not_published else args.published, clock())
    print_post(post, args.json, f"post {post.id} is {post.status}" + (": due now" if post.status == "retry" else ""))
    return EXIT_OK


def cmd_doctor(args, settings, clock) -> int:
    from scheduler import operations

    health = operations.doctor(settings, clock())
    print_json(health.as_json()) if args.json else print_health(health)
    return EXIT_FAILED if health.needs_a_person else EXIT_OK


def print_health(health) -> None:
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
                  + (f": {one_line(row['error'], 100)}" if row["error"] else ""))
    print("ok: nothing needs a person" if health.problems == [] else "needs a person: " + "; ".join(health.problems))
