"""Commands that turn content into posts: demo, extract, plan, queue."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable

from scheduler.commands.output import EXIT_FAILED, EXIT_OK, one_line, print_json, print_posts

Handler = Callable[..., int]


def register(commands: argparse._SubParsersAction) -> dict[str, Handler]:
    demo = commands.add_parser("demo", help="plan, queue and publish the bundled sample campaign")
    demo.add_argument("--dir", default="demo-output", help="folder for the demo's database and outbox")
    demo.add_argument("--json", action="store_true", help="print the result as JSON")

    extract = commands.add_parser("extract", help="print an article's benefit points and techniques")
    extract.add_argument("article", nargs="?", help="a .txt, .md or .html file, or an http(s) URL "
                                                    "(given up after SCHEDULER_HTTP_TIMEOUT seconds)")
    extract.add_argument("--campaign", help="instead of ARTICLE: the campaign's article, with its [points] corrections")
    extract.add_argument("--json", action="store_true", help="print {title, benefits, types} as JSON")

    for name, text in (("plan", "show what queue would do: new posts, and those already queued (writes nothing)"), ("queue", "queue a campaign's posts on its cadence")):
        command = commands.add_parser(name, help=text)
        command.add_argument("campaign", help="the campaign's TOML file")
        command.add_argument("--json", action="store_true", help="print a JSON array of posts")
        if name == "plan":
            command.add_argument("--days", type=_days, help="simulate N days ahead, evergreen repeats included, "
                                                            "and warn where a channel would exceed its posting quota")
            command.add_argument("--start", help="with --days: begin at this local day (YYYY-MM-DD) instead of now")
    return {"demo": cmd_demo, "extract": cmd_extract, "plan": cmd_plan, "queue": cmd_queue}


def cmd_extract(args, settings, clock) -> int:
    from scheduler.errors import ConfigError
    from scheduler.fetch import is_url
    from scheduler.planner import campaign_extraction, read_extraction

    if (args.article is None) == (args.campaign is None):
        raise ConfigError("give an article or --campaign CAMPAIGN (one of the two)", "extract")
    if args.campaign is not None:
        from scheduler.campaign import load_campaign

        extraction = campaign_extraction(load_campaign(args.campaign))
    elif is_url(args.article):
        import requests

        with requests.Session() as session:  # the edge owns the HTTP session: made here, closed here
            extraction = read_extraction(args.article, session=session, timeout=settings.http_timeout)
    else:
        extraction = read_extraction(args.article)
    if args.json:
        print_json({"title": extraction.title, "benefits": [
            {k: b[k] for k in ("point", "evidence", "start", "end")} for b in extraction.as_json()["benefits"]
        ], "types": extraction.types})
        return EXIT_OK
    print(extraction.title)
    for benefit in extraction.benefits:
        print(f"- {benefit.point}\n    \"{one_line(benefit.evidence, 100)}\"")
    if extraction.types:
        print("Techniques: " + ", ".join(extraction.types))
    return EXIT_OK


def _days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        days = 0
    if not 1 <= days <= 366:
        raise argparse.ArgumentTypeError(f"must be a whole number of days from 1 to 366, not {text!r}")
    return days


def cmd_plan(args, settings, clock) -> int:
    from scheduler import app

    if args.days is None:
        if args.start is not None:
            from scheduler.errors import ConfigError

            raise ConfigError("--start goes with --days (the simulation's first day)", "--start")
        result = app.plan(settings, args.campaign, clock())
        if args.json:
            print_json(result.rows())
        else:
            print_posts([_marked(row) for row in result.rows()], full_text=True)
            for move in result.moves:
                print(f"post {move.post.id} ({move.post.channel}) would move from {move.post.local_time} "
                      f"to {move.local_time}: its channel's schedule changed")
            print(_plan_summary(result))
        if result.warning:
            print(f"warning: {result.warning}", file=sys.stderr)
        return EXIT_OK
    from scheduler.campaign import load_campaign
    from scheduler.planner import simulate

    campaign = load_campaign(args.campaign)
    # --start: each channel's days begin at that day's midnight in its own zone (simulate computes it per channel)
    simulation = simulate(campaign, settings, clock(), args.days, start=args.start)
    rows = [p.as_json() for p in simulation.posts]
    if args.json:
        print_json(rows)
    else:
        print_posts(rows, full_text=True)
        repeats = sum(1 for p in simulation.posts if p.cycle)
        print(f"{len(rows)} post(s) in {args.days} day(s), {repeats} of them evergreen repeat(s)")
    for warning in simulation.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return EXIT_OK


def _marked(row: dict) -> dict:
    """A plan row as the table shows it: the queued post's id and status, else ``new`` (or ``unknown``)."""
    queued = row["queued"]
    if queued:
        return {**row, "id": queued["id"], "status": queued["status"]}
    return {**row, "status": "unknown" if row["new"] is None else "new"}


def _plan_summary(result) -> str:
    """Counted as `queue` would report them, so the dry run and the run tell the same story."""
    if not result.checked:
        return f"{len(result.new)} post(s); not checked against the queue"
    return (f"{len(result.new)} new, {len(result.existing)} already queued"
            + (f"; {len(result.repeats)} evergreen repeat(s)" if result.repeats else "")
            + (f"; {len(result.moves)} would move to the new schedule" if result.moves else ""))


def cmd_queue(args, settings, clock) -> int:
    from scheduler import app

    result = app.queue(settings, args.campaign, clock())
    rows = [post.as_json() for post in result.added]
    if args.json:
        print_json(rows)
    else:
        print_posts(rows)
        replanned = getattr(result, "replanned", [])
        recycled = getattr(result, "recycled", [])
        for change in replanned:
            print(f"moved post {change.after.id} ({change.after.channel}) from {change.before.local_time} "
                  f"to {change.after.local_time}: its channel's schedule changed")
        print(f"queued {len(result.added)} post(s); {len(result.existing)} already queued"
              + (f"; {len(recycled)} evergreen repeat(s)" if recycled else "")
              + (f"; {len(replanned)} moved to the new schedule" if replanned else ""))
    return EXIT_OK


def cmd_demo(args, settings, clock) -> int:
    from scheduler.demo import run_demo

    result = run_demo(settings, Path(args.dir), clock())
    if args.json:
        print_json({"workdir": str(result.workdir), "plan": [p.as_json() for p in result.planned],
                     "publish": result.report.as_json()})
        return EXIT_FAILED if result.report.failed else EXIT_OK
    print(f"Sample campaign on {', '.join(result.channels)} (database and outbox in {result.workdir}/)\n")
    print("Plan (new posts, weekly slots in the clinic's time zone):")
    print_posts([p.as_json() for p in result.planned], full_text=True)
    print(f"\nQueued {len(result.queued.added)} new post(s); {len(result.queued.existing)} were already queued.\n")
    print("Published, each on its own slot (the demo moves its clock from slot to slot):")
    print_posts([post.as_json() for post in result.report.touched])
    print(f"\n{len(result.published)} post(s) published in all; the outbox is {result.workdir / 'outbox.jsonl'}")
    return EXIT_FAILED if result.report.failed else EXIT_OK
