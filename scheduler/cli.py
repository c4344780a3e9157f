"""The command line: parse, call one library function, print; our errors become one line and exit 2."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from datetime import datetime, timezone
from typing import Callable, Sequence

from posts.errors import ContentError
from scheduler import __version__
from scheduler.commands import MODULES
from scheduler.commands.output import EXIT_BAD_INPUT, EXIT_FAILED
from scheduler.config import load_settings
from scheduler.errors import ConfigError, InvalidState, NotFoundError, SchedulerError

Clock = Callable[[], datetime]
DESCRIPTION = "Turn a health article's benefit points into social posts and publish them on a weekly cadence."


def system_clock() -> datetime:
    return datetime.now(timezone.utc)


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, Callable[..., int]]]:
    parser = argparse.ArgumentParser(prog="hashtag-scheduler", description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--env-file", default=".env", help="settings file read before the environment (default: .env)")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="log progress (-vv for debug)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    handlers: dict[str, Callable[..., int]] = {}
    for name in MODULES:
        handlers.update(importlib.import_module(f"scheduler.commands.{name}").register(commands))
    return parser, handlers


def main(argv: Sequence[str] | None = None, clock: Clock = system_clock) -> int:
    parser, handlers = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=[logging.WARNING, logging.INFO, logging.DEBUG][min(args.verbose, 2)],
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    try:
        settings = load_settings(env_file=args.env_file)
        code = handlers[args.command](args, settings, clock)
        sys.stdout.flush()  # a reader that went away shows here, not as a traceback at exit
        return code
    except BrokenPipeError:
        # "extract … --json | head": the reader stopped reading; what was done is done, and nothing more is printed
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
    except (ConfigError, ContentError, NotFoundError, InvalidState) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except SchedulerError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_FAILED
