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
        line_number = self._line_count() + 1
        with open(self.path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            handle.flush()
            os.fsync(handle.fileno())  # the line is on disk before the post is recorded as published
        return self._published(post, line_number)

    def _published(self, post: Post, line_number: int) -> Published:
        return Published(remote_id=post.idempotency_key, remote_url=f"{self.path.resolve().as_uri()}#L{line_number}")

    def _lines(self):
        if not self.path.exists():
            return []
        with open(self.path, encoding="utf-8") as handle:
            return handle.readlines()

    def _line_count(self) -> int:
        return len(self._lines())

    def _line_of(self, key: str) -> int | None:
        for number, line in enumerate(self._lines(), start=1):
            try:
                if json.loads(line).get("idempotency_key") == key:
                    return number
            except json.JSONDecodeError:
                continue  # a torn last line from a crash mid-write is not a post
        return None
