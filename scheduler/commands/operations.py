"""Commands for a person looking after the queue: cancel, retry, resolve, doctor."""

from __future__ import annotations

import argparse
import shlex
from typing import Callable

from scheduler.commands.output import EXIT_FAILED, EXIT_OK, one_line, print_json, print_post

Handler = Callable[..., int]


def register(commands: argparse._SubParsersAction) -> dict[str, Handler]:
    cancel = commands.add_parser("cancel", help="cancel one post that has not been published")
    cancel.add_argument("id", type=int, help="the post's id (see `list`)")
    cancel.add_argument("--json", action="store_true", help="print the post as JSON")

    retry = commands.add_parser("retry", help="make a failed, unconfirmed, missed or cancelled post due again now "
                                              "(a post that may already exist is checked on the account first; "
                                              "after checking it yourself, use `resolve`); or, with --channel, "
                                              "clear a channel that needs attention")
    retry.add_argument("id", type=int, nargs="?", help="the post's id (see `list`)")
    retry.add_argument("--channel", metavar="CHANNEL",
                       help="the channel's credentials are fixed: clear its 'needs attention' (and any rate-limit hold); "
                            "its waiting posts go out on the next `publish`")
    retry.add_argument("--json", action="store_true", help="print the post (or the channel) as JSON")

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
    from scheduler.errors import ConfigError

    if (args.id is None) == (args.channel is None):
        raise ConfigError("give a post id or --channel CHANNEL (one of them)", "retry")
    if args.channel is not None:
        state = operations.clear_channel(settings, args.channel, clock())
        if args.json:
            print_json(state.as_json())
        else:
            print(f"channel {state.name} is active again: {state.waiting} waiting post(s) go out on the next `publish`")
        return EXIT_OK
    post = operations.retry(settings, args.id, clock())
    if post.status == "draft":  # its campaign requires approval and it has none standing
        print_post(post, args.json, f"post {post.id} is a draft again: due once approved (`approve {post.id} --by NAME`)")
    else:
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
    for row in data["channels"]:
        if row["state"] == "paused":
            continue  # listed with the paused campaigns below
        held = f" until {row['hold_until']}" if row["hold_until"] else ""
        print(f"channel    {row['channel']} {row['state']}{held}, {row['waiting']} waiting"
              + (f": {one_line(row['reason'], 100)}" if row["reason"] else ""))
    for kind in ("channel", "campaign"):
        for row in data["paused"][f"{kind}s"]:
            print(f"paused     {kind} {row[kind]} since {row['paused_at']}, {row['waiting']} waiting "
                  f"(`resume --{kind} {shlex.quote(row[kind])}`)")
    for title, rows in (("overdue", data["overdue"]), ("attention", data["needs_attention"])):
        for row in rows:
            print(f"{title:<10} #{row['id']} {row['status']} on {row['channel']}, due {row['due_at']}"
                  + (f": {one_line(row['error'], 100)}" if row["error"] else ""))
    print("ok: nothing needs a person" if health.problems == [] else "needs a person: " + "; ".join(health.problems))
