"""A person's queue operations: pause, resume, shuffle, move, reschedule, edit, approve.

Each makes one transaction and prints what changed (`#ID channel: field before → after`); --json prints
the changed posts (each with ``changed``: {field: [before, after]}).
"""

from __future__ import annotations

import argparse
from typing import Any, Callable

from scheduler.commands.output import EXIT_OK, one_line, print_json

Handler = Callable[..., int]
SHOWN = ("status", "local_time", "zone", "text", "length", "approved_by")


def register(commands: argparse._SubParsersAction) -> dict[str, Handler]:
    for verb, text in (("pause", "stop publishing a channel's or a campaign's posts until `resume` (they wait)"),
                       ("resume", "publish a paused channel's or campaign's posts again as they fall due")):
        parser = commands.add_parser(verb, help=text)
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--channel", metavar="CHANNEL", help="a channel such as mastodon or mastodon:clinic2")
        target.add_argument("--campaign", metavar="NAME", help="a campaign's name (campaign.name)")
        parser.add_argument("--json", action="store_true", help="print the change as JSON")

    shuffle = commands.add_parser("shuffle", help="randomly reorder the queued future posts over the slots they hold")
    shuffle.add_argument("--channel", metavar="CHANNEL", help="only this channel (default: each channel within itself)")
    shuffle.add_argument("--seed", type=int, help="repeatable order (for tests and dry reasoning)")
    shuffle.add_argument("--json", action="store_true", help="print the moved posts as JSON")

    move = commands.add_parser("move", help="give a queued or draft post another slot of its channel")
    move.add_argument("id", type=int, help="the post's id (see `list`)")
    where = move.add_mutually_exclusive_group(required=True)
    where.add_argument("--to", metavar="TIME", help="a free ISO-8601 time (the post's zone when it has no offset)")
    where.add_argument("--top", action="store_true", help="swap slots with the channel's earliest queued post")
    where.add_argument("--bottom", action="store_true", help="swap slots with the channel's latest queued post")
    move.add_argument("--json", action="store_true", help="print the moved posts as JSON")

    reschedule = commands.add_parser("reschedule", help="set a post's time (a missed or cancelled post waits again)")
    reschedule.add_argument("id", type=int, help="the post's id (see `list`)")
    reschedule.add_argument("--at", required=True, metavar="TIME",
                            help="ISO-8601 time in the future (the post's zone when it has no offset)")
    reschedule.add_argument("--json", action="store_true", help="print the post as JSON")

    edit = commands.add_parser("edit", help="replace a post's text (checked for fit and health claims first)")
    edit.add_argument("id", type=int, help="the post's id (see `list`)")
    edit.add_argument("--text", required=True, help="the new text")
    edit.add_argument("--json", action="store_true", help="print the post as JSON")

    approve = commands.add_parser("approve", help="approve draft posts: they are queued for their slots")
    approve.add_argument("id", type=int, nargs="*", help="the posts' ids (see `list --status draft`)")
    approve.add_argument("--all", action="store_true", help="every draft (of --campaign, if given)")
    approve.add_argument("--campaign", metavar="NAME", help="only this campaign's drafts")
    approve.add_argument("--by", required=True, metavar="NAME", help="the reviewer, recorded on each post")
    approve.add_argument("--json", action="store_true", help="print the approved posts as JSON")
    return {"pause": cmd_pause, "resume": cmd_resume, "shuffle": cmd_shuffle, "move": cmd_move,
            "reschedule": cmd_reschedule, "edit": cmd_edit, "approve": cmd_approve}


def cmd_pause(args, settings, clock) -> int:
    from scheduler import queue_ops

    change = queue_ops.pause(settings, clock(), channel=args.channel, campaign=args.campaign)
    return _print_state(change, args.json, "its posts wait until `resume`")


def cmd_resume(args, settings, clock) -> int:
    from scheduler import queue_ops

    change = queue_ops.resume(settings, clock(), channel=args.channel, campaign=args.campaign)
    return _print_state(change, args.json, "its posts go out as they fall due")


def cmd_shuffle(args, settings, clock) -> int:
    from scheduler import queue_ops

    return print_changes(queue_ops.shuffle(settings, clock(), args.channel, args.seed), args.json)


def cmd_move(args, settings, clock) -> int:
    from scheduler import queue_ops

    changes = queue_ops.move(settings, args.id, clock(), to=args.to, top=args.top, bottom=args.bottom)
    return print_changes(changes, args.json)


def cmd_reschedule(args, settings, clock) -> int:
    from scheduler import queue_ops

    return print_changes([queue_ops.reschedule(settings, args.id, args.at, clock())], args.json)


def cmd_edit(args, settings, clock) -> int:
    from scheduler import queue_ops

    edited = queue_ops.edit(settings, args.id, args.text, clock())
    if args.json:
        print_json([edited.as_json()])
        return EXIT_OK
    print_changes([edited.change], False)
    for warning in [finding.describe() for finding in edited.findings] + edited.warnings:
        print(f"warning: {warning}")
    return EXIT_OK


def cmd_approve(args, settings, clock) -> int:
    from scheduler import queue_ops
    from scheduler.errors import ConfigError

    if bool(args.id) == args.all:
        raise ConfigError("give post ids or --all (one of them)", "approve")
    changes = queue_ops.approve(settings, clock(), args.by, None if args.all else args.id, args.campaign)
    return print_changes(changes, args.json)


def print_changes(changes: list[Any], as_json: bool) -> int:
    if as_json:
        print_json([change.as_json() for change in changes if change.fields()])
        return EXIT_OK
    shown = 0
    for change in changes:
        fields = change.fields()
        parts = [f"{name} {_value(name, fields[name][0])} → {_value(name, fields[name][1])}"
                 for name in SHOWN if name in fields]
        if parts:
            shown += 1
            print(f"#{change.after.id} {change.after.channel}: " + "; ".join(parts))
    print(f"{shown} post(s) changed" if shown else "nothing changed")
    return EXIT_OK


def _value(name: str, value: Any) -> str:
    if value is None:
        return "-"
    if name == "text":
        return repr(one_line(str(value), 50))
    if name == "local_time":
        return str(value)[:16]
    return str(value)


def _print_state(change, as_json: bool, consequence: str) -> int:
    if as_json:
        print_json(change.as_json())
    elif change.changed:
        print(f"{change.kind} {change.name}: {change.before} → {change.after}; {change.waiting} waiting post(s): "
              f"{consequence}")
    else:
        print(f"{change.kind} {change.name} is already {change.after}: nothing changed ({change.waiting} waiting post(s))")
    return EXIT_OK
