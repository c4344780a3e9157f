"""The outbox: publishes by appending one JSON line per post to a local file. No credentials."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

from scheduler.publishers.base import Published, Publisher
from scheduler.store import Post, iso_utc


class OutboxPublisher(Publisher):
    platform = "outbox"
    resend_is_safe = True  # a line already written for the key is found, not written twice

    @property
    def path(self) -> Path:
        return self.settings.outbox_path

    def verify(self, now: datetime) -> str:
        return f"no credentials; appends to {self.path}"

    def publish(self, post: Post, now: datetime) -> Published:
        existing = self._line_of(post.idempotency_key)
        if existing is not None:
            return self._published(post, existing)
        record = {
            "id": post.id,
            "idempotency_key": post.idempotency_key,
            "channel": post.channel,
            "scheduled_at": iso_utc(post.scheduled_at),
            "local_time": post.local_time,
            "zone": post.zone,
            "text": post.text,
            "payload": post.payload,
            "published_at": iso_utc(now),
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line_number = self._repair_torn_tail() + 1
        with open(self.path, "ab") as handle:
            handle.write((json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())  # the line is on disk before the post is recorded as published
        return self._published(post, line_number)

    def _published(self, post: Post, line_number: int) -> Published:
        return Published(remote_id=post.idempotency_key, remote_url=f"{self.path.resolve().as_uri()}#L{line_number}")

    def _lines(self) -> list[bytes]:
        # Bytes, not text: a write torn by a crash can end inside a multi-byte character.
        if not self.path.exists():
            return []
        return self.path.read_bytes().splitlines(keepends=True)

    def _repair_torn_tail(self) -> int:
        """Make the file end with a newline, so the next line starts on its own; return the line count.

        A last line without its newline is a write cut short by a crash. It was never recorded as
        published (the runner records only after fsync), so it is cut off, unless it is whole JSON
        that only lacks the newline: that line is a post and gets its newline back."""
        lines = self._lines()
        if not lines or lines[-1].endswith(b"\n"):
            return len(lines)
        size = sum(len(line) for line in lines)
        if _record(lines[-1]) is not None:
            with open(self.path, "ab") as handle:
                handle.write(b"\n")
            return len(lines)
        with open(self.path, "r+b") as handle:
            handle.truncate(size - len(lines[-1]))
        return len(lines) - 1

    def _line_of(self, key: str) -> int | None:
        for number, line in enumerate(self._lines(), start=1):
            record = _record(line)  # a torn last line from a crash mid-write is not a post
            if record is not None and record.get("idempotency_key") == key:
                return number
        return None


def _record(line: bytes) -> dict | None:
    try:
        record = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    return record if isinstance(record, dict) else None
