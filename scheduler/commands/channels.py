"""Commands about the channels themselves: channels (list them; --check their credentials without posting)."""

from __future__ import annotations

import argparse
from typing import Callable

from scheduler.commands.output import EXIT_FAILED, EXIT_OK, print_json

Handler = Callable[..., int]


def register(commands: argparse._SubParsersAction) -> dict[str, Handler]:
    channels = commands.add_parser("channels", help="list the channels configured in .env and the environment")
    channels.add_argument("--check", action="store_true",
                          help="verify each channel's credentials with one read-only request (posts nothing); exit 1 if one fails")
    channels.add_argument("--json", action="store_true", help="print the channels as JSON")
    return {"channels": cmd_channels}


def cmd_channels(args, settings, clock) -> int:
    from scheduler.channels import list_channels

    if args.check:
        import requests

        with requests.Session() as session:  # the edge owns the HTTP session: made here, closed here
            report = list_channels(settings, clock(), check=True, session=session)
    else:
        report = list_channels(settings, clock())
    if args.json:
        print_json(report.as_json())
    else:
        for channel in report.channels:
            state = {"ok": "ok", "failed": "FAILED"}.get(channel.check or "", "missing" if channel.missing else "configured")
            print(f"{channel.channel:<20} {state:<10} {', '.join(channel.variables) or '(no variables)'}")
            detail = channel.detail if args.check else channel.missing
            if detail:
                print(f"{'':>20} {'!!' if channel.check == 'failed' or channel.missing else '->'} {detail}")
    return EXIT_FAILED if report.failed else EXIT_OK
