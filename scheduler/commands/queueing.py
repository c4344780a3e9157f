"""Commands on the queue itself: add, list."""

from __future__ import annotations

import argparse
from typing import Callable

from scheduler.commands.output import EXIT_OK, print_json, print_posts

Handler = Callable[..., int]


def register(commands: argparse._SubParsersAction) -> dict[str, Handler]:
    add = commands.add_parser("add", help="queue one post")
    add.add_argument("--channel", required=True, help="a channel such as outbox, mastodon or mastodon:clinic2")
    add.add_argument("--text", required=True, help="the post's text")
    add.add_argument("--at", default="now", help="ISO-8601 time (local to --zone if it has no offset) or 'now'")
    add.add_argument("--zone", default="UTC", help="IANA time zone of the post's local intent (default UTC)")
    add.add_argument("--json", action="store_true", help="print the queued post as JSON")

    listing = commands.add_parser("list", help="list queued and past posts")
    listing.add_argument("--status", help="only posts in this state")
    listing.add_argument("--json", action="store_true", help="print a JSON array of posts")
    return {"add": cmd_add, "list": cmd_list}


def cmd_add(args, settings, clock) -> int:
    from scheduler import app

    result = app.add(settings, args.channel, args.text, args.at, args.zone, clock())
    rows = [post.as_json() for post in result.added + result.existing]
    if args.json:
        print_json(rows[0])
    else:
        print_posts(rows)
        if result.existing:
            print("already queued: the same text, channel and time")
    return EXIT_OK


def cmd_list(args, settings, clock) -> int:
    from scheduler import app

    rows = [post.as_json() for post in app.list_posts(settings, args.status)]
    print_json(rows) if args.json else print_posts(rows)
    return EXIT_OK
