"""Printing shared by the commands: JSON for scripts, compact tables for people."""

from __future__ import annotations

import json
from typing import Any

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def print_json(value: Any) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False))


def one_line(text: str, width: int = 70) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def print_posts(rows: list[dict[str, Any]], full_text: bool = False) -> None:
    if not rows:
        print("(no posts)")
        return
    for row in rows:
        ident = f"#{row['id']}" if row.get("id") is not None else "-"
        text = "" if full_text else one_line(row["text"])
        print(f"{ident:>5}  {row['status']:<11} {row['channel']:<16} {row['local_time'][:16]} {row['zone']:<18} "
              f"{row['length']:>4}/{row['limit']:<5} {text}".rstrip())
        if full_text:
            print("\n".join(f"{'':>7}| {line}" for line in row["text"].splitlines()))
        if row.get("remote_url"):
            print(f"{'':>18}-> {row['remote_url']}")
        if row.get("error"):
            print(f"{'':>18}!! {row['error']}")


def print_post(post: Any, as_json: bool, message: str) -> None:
    if as_json:
        print_json(post.as_json())
    else:
        print_posts([post.as_json()])
        print(message)
