"""CLI commands, one module per area. Each module's ``register(commands)`` adds its subcommands
to the parser and returns {name: handler}; a handler takes (args, settings, clock), calls one
library function, prints, and returns the exit status.

A new command goes into the module of its area (or a new module listed in MODULES), so that
cli.py stays the small dispatcher it is.
"""

from __future__ import annotations

MODULES = ("content", "queueing", "publishing", "operations", "transfer", "preview", "channels", "queue_ops")
