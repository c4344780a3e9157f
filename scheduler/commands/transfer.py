"""Commands that show or move the queue: calendar, export, import."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable
from zoneinfo import ZoneInfo

from scheduler.commands.output import EXIT_OK, one_line, print_json, print_posts

Handler = Callable[..., int]


def register(commands: argparse._SubParsersAction) -> dict[str, Handler]:
    calendar = commands.add_parser("calendar", help="the schedule as a table grouped by local day")
    calendar.add_argument("--days", type=int, default=14, help="how many days ahead (default 14)")
    calendar.add_argument("--json", action="store_true", help="print {day: [posts]} as JSON")

    export = commands.add_parser("export", help="write the queue as iCalendar or CSV")
    kind = export.add_mutually_exclusive_group(required=True)
    kind.add_argument("--ics", metavar="FILE", help="an iCalendar file any calendar app opens ('-' for stdout)")
    kind.add_argument("--csv", metavar="FILE", help="a CSV file that `import` reads back ('-' for stdout)")
    export.add_argument("--status", help="only posts in this state")

    load = commands.add_parser("import", help="queue the posts of a CSV file (all rows or none)")
    load.add_argument("file", help="our CSV (from `export --csv`) or a bulk layout: date-time, message, link")
    load.add_argument("--channel", help="channel for rows without a channel column")
    load.add_argument("--zone", default="UTC", help="IANA zone of times without an offset (default UTC)")
    load.add_argument("--date-format", help="strptime format of the time column, e.g. '%%m/%%d/%%Y %%H:%%M'")
    load.add_argument("--json", action="store_true", help="print the queued posts as JSON")
    return {"calendar": cmd_calendar, "export": cmd_export, "import": cmd_import}


def cmd_calendar(args, settings, clock) -> int:
    from scheduler import transfer

    days = transfer.calendar(transfer.upcoming(settings, clock(), args.days))
    if args.json:
        print_json({str(day.day): [post.as_json() for post in day.posts] for day in days})
        return EXIT_OK
    if not days:
        print(f"nothing scheduled in the next {args.days} days")
    for day in days:
        print(day.day.strftime("%a %d %b %Y"))
        for post in day.posts:
            local = post.scheduled_at.astimezone(ZoneInfo(post.zone))
            print(f"  {local:%H:%M} {post.zone:<18} #{post.id:<5} {post.status:<11} {post.channel:<16} {one_line(post.text, 60)}")
    return EXIT_OK


def cmd_export(args, settings, clock) -> int:
    from scheduler import transfer

    fmt, target = ("ics", args.ics) if args.ics else ("csv", args.csv)
    content = transfer.export(settings, fmt, clock(), args.status)
    if target == "-":
        sys.stdout.write(content)
    else:
        Path(target).write_text(content, encoding="utf-8", newline="")
        print(f"wrote {target}")
    return EXIT_OK


def cmd_import(args, settings, clock) -> int:
    from scheduler import transfer

    result = transfer.import_csv(settings, args.file, clock(), args.channel, args.zone, args.date_format)
    rows = [post.as_json() for post in result.added]
    if args.json:
        print_json(rows)
    else:
        print_posts(rows)
        print(f"imported {len(result.added)} post(s); {len(result.existing)} were already queued")
    return EXIT_OK
