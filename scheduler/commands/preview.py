"""`preview CAMPAIGN [--platform P] [--json]`: every post exactly as each network would receive it."""

from __future__ import annotations

import argparse
from typing import Any, Callable

from scheduler.commands.output import EXIT_FAILED, EXIT_OK, print_json

Handler = Callable[..., int]


def register(commands: argparse._SubParsersAction) -> dict[str, Handler]:
    command = commands.add_parser(
        "preview", help="show each post's compiled text, count, limit, facets and warnings (writes nothing)")
    command.add_argument("campaign", help="the campaign's TOML file")
    command.add_argument("--platform", help="compile for this platform only (x, bluesky, threads, …), "
                                            "whether or not the campaign posts there")
    command.add_argument("--json", action="store_true", help="print a JSON array, one object per post and platform")
    return {"preview": cmd_preview}


def preview_rows(campaign_path: str, platform: str | None = None) -> list[dict[str, Any]]:
    from scheduler.campaign import load_campaign
    from scheduler.planner import preview_drafts

    campaign = load_campaign(campaign_path)
    return [draft_row(draft) for draft in preview_drafts(campaign, platform)]


def draft_row(draft) -> dict[str, Any]:
    post = draft.post
    return {
        "item": draft.index + 1, "kind": draft.kind, "point": draft.item, "template": draft.template,
        "channel": draft.channel, "platform": draft.platform, "text": post.text, "length": post.length,
        "limit": post.limit, "fits": draft.error is None, "error": draft.error, "hashtags": list(draft.hashtags),
        "facets": post.payload.get("facets", []) if draft.platform == "bluesky" else None,
        "payload": post.payload or None, "warnings": draft.warnings,
        "claims": [finding.as_json() for finding in draft.claims],
    }


def cmd_preview(args, settings, clock) -> int:
    rows = preview_rows(args.campaign, args.platform)
    if args.json:
        print_json(rows)
    else:
        print_preview(rows)
    return EXIT_OK if all(row["fits"] for row in rows) else EXIT_FAILED


def print_preview(rows: list[dict[str, Any]]) -> None:
    if not rows:
        print("(no posts)")
        return
    for number, row in enumerate(rows):
        if number:
            print()
        verdict = "fits" if row["fits"] else "DOES NOT FIT"
        print(f"[{row['item']}] {row['kind']} · {row['template']} · {row['channel']}: "
              f"{row['length']}/{row['limit']} {verdict}")
        print("\n".join(f"  | {line}" for line in row["text"].splitlines()))
        for facet in row["facets"] or []:
            feature = facet["features"][0]
            value = feature.get("tag") or feature.get("uri")
            print(f"  facet {feature['$type'].rsplit('#', 1)[-1]} bytes {facet['index']['byteStart']}-"
                  f"{facet['index']['byteEnd']}: {value}")
        if row["error"]:
            print(f"  !! {row['error']}")
        for warning in row["warnings"]:
            print(f"  ! {warning}")
