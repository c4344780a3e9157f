"""Refreshed OAuth tokens, kept between runs in a token file outside the database.

X's OAuth 2.0 refresh rotates the refresh token: the one in `.env` stops working after the first refresh, so the
new pair must outlive the run. It is kept in ``SCHEDULER_TOKEN_FILE`` (default ``.tokens.json`` in the working
directory), JSON keyed by channel::

    {"x": {"access_token": "…", "refresh_token": "…", "base": "<fingerprint>", "saved_at": "2026-11-23T14:30:00Z"}}

- **Atomic.** A save writes a temporary file in the same folder (mode 0600), fsyncs it, then ``os.replace`` s it
  over the old file and fsyncs the folder: a crash at any instant leaves the old file or the new one, never half.
- **One writer at a time.** Saves (and a publisher's whole refresh) hold an exclusive ``fcntl.flock`` on a
  sidecar ``<file>.lock``; the data file itself is replaced, so it cannot carry the lock. Readers need no lock.
- **Which token wins.** An entry records ``base``, a fingerprint of the tokens in the environment it descends
  from. While the environment still holds those, the file's tokens are newer and win; once a person puts new
  tokens in `.env`, the fingerprint differs and the environment's win (the stale entry is ignored, then replaced).
- **Never shown.** Nothing here logs or raises with a token or the file's contents: only the path and an
  error's class name.

This module reads no environment variable: the path comes from Settings (scheduler.config).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

try:  # POSIX; elsewhere saves are still atomic, only not serialised between processes
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

FILE_MODE = 0o600


def fingerprint(*values: str | None) -> str:
    """A short, one-way name for a set of tokens (never the tokens themselves)."""
    digest = hashlib.sha256("\x1f".join(value or "" for value in values).encode()).hexdigest()
    return digest[:24]


class TokenFile:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.lock_path = self.path.with_name(self.path.name + ".lock")

    def read(self) -> dict[str, Any]:
        """Every channel's entry; {} when the file is missing or unreadable (the environment's tokens apply)."""
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except OSError as error:
            log.warning("cannot read the token file %s (%s): using the tokens from the environment",
                        self.path, type(error).__name__)
            return {}
        try:
            data = json.loads(raw)
        except ValueError:
            log.warning("the token file %s is not valid JSON: using the tokens from the environment", self.path)
            return {}
        return data if isinstance(data, dict) else {}

    def entry(self, channel: str, base: str) -> dict[str, Any] | None:
        """``channel``'s saved tokens if they descend from the environment's tokens named by ``base``."""
        entry = self.read().get(channel)
        if isinstance(entry, dict) and entry.get("base") == base and isinstance(entry.get("access_token"), str):
            return entry
        return None

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the exclusive lock: no other process saves (or refreshes) meanwhile."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, FILE_MODE)
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def save(self, channel: str, entry: dict[str, Any], now: datetime) -> None:
        """Replace ``channel``'s entry, keeping the others. Call inside ``locked()`` (it does not lock itself, so
        that a refresh can hold the lock from reading the file to writing it). OSError if it could not be saved."""
        data = self.read()
        stamp = now.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        data[channel] = {**entry, "saved_at": stamp}
        self._write(json.dumps(data, indent=2, sort_keys=True) + "\n")

    def _write(self, text: str) -> None:
        folder = self.path.parent
        folder.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=folder)  # mode 0600
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fchmod(handle.fileno(), FILE_MODE)
                os.fsync(handle.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); best effort where a folder cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)
