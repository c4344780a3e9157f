"""Moving the queue in and out: a calendar view, iCalendar and CSV export, and CSV import.

Import takes our own CSV (as `export --csv` writes it, so the two round-trip, approval state
included) or the bulk-upload layout the big scheduling tools use (a date-time, a message and an
optional link per row). A file is imported whole or not at all: every row is checked first, and the
first bad row is reported with its line number.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from scheduler.config import Settings
from scheduler.errors import ConfigError
from scheduler.store import Approval, EnqueueResult, NewPost, Post, opened_store

CSV_COLUMNS = ("id", "idempotency_key", "channel", "platform", "status", "scheduled_at", "local_time", "zone",
               "text", "remote_url", "requires_approval", "approved_by", "approved_at")
_TRUE, _FALSE = ("true", "1", "yes"), ("false", "0", "no", "")
_BULK_TIME = ("date-time", "datetime", "date_time", "date", "time", "scheduled_at", "publish_at")
_BULK_TEXT = ("message", "text", "post", "content", "caption")
_BULK_LINK = ("link", "url")
_ICS_PRODID = "-//hashtag-scheduler//queue export//EN"


@dataclass(frozen=True)
class CalendarDay:
    day: date
    posts: list[Post]


def upcoming(settings: Settings, now: datetime, days: int) -> list[Post]:
    with opened_store(settings.database_url) as store:
        end = now + timedelta(days=days)
        return [p for p in store.list_posts() if now - timedelta(hours=12) <= p.scheduled_at <= end
                and p.status not in ("cancelled",)]


def calendar(posts: list[Post]) -> list[CalendarDay]:
    """Posts grouped by the local day of their own zone (the day the clinic sees them go out)."""
    days: dict[date, list[Post]] = {}
    for post in sorted(posts, key=lambda p: p.scheduled_at):
        days.setdefault(post.scheduled_at.astimezone(ZoneInfo(post.zone)).date(), []).append(post)
    return [CalendarDay(day, items) for day, items in sorted(days.items())]


def to_csv(posts: list[Post]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for post in posts:
        row = post.as_json()
        writer.writerow({column: _cell(row.get(column, getattr(post, column, None))) for column in CSV_COLUMNS})
    return out.getvalue()


def _cell(value: object) -> object:
    """A CSV cell: booleans as true/false, which `import` reads back (csv would write True/False)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def to_ics(posts: list[Post], now: datetime) -> str:
    """RFC 5545: one VEVENT per post at its UTC instant, lines folded at 75 octets, CRLF endings."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{_ICS_PRODID}", "CALSCALE:GREGORIAN"]
    stamp = _ics_time(now)
    for post in posts:
        first_line = post.text.splitlines()[0] if post.text else ""
        description = f"{post.text}\n\nstatus: {post.status}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:{post.idempotency_key}@hashtag-scheduler",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_ics_time(post.scheduled_at)}",
            f"DTEND:{_ics_time(post.scheduled_at + timedelta(minutes=15))}",
            f"SUMMARY:{_ics_text(f'{post.channel}: {first_line}')}",
            f"DESCRIPTION:{_ics_text(description)}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def _ics_time(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _ics_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\n").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Fold at 75 octets without splitting a UTF-8 character; continuation lines start with a space."""
    parts, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > (75 if not parts else 74):
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def export(settings: Settings, fmt: str, now: datetime, status: str | None = None) -> str:
    with opened_store(settings.database_url) as store:
        posts = store.list_posts(status)
    return to_ics(posts, now) if fmt == "ics" else to_csv(posts)


def import_csv(settings: Settings, path: str, now: datetime, channel: str | None = None, zone: str = "UTC",
               date_format: str | None = None) -> EnqueueResult:
    posts, approvals = read_csv(settings, path, channel, zone, date_format)
    with opened_store(settings.database_url) as store:
        return store.enqueue_approved(posts, approvals, now)  # one transaction: all rows or none


def read_csv(settings: Settings, path: str, channel: str | None, zone: str,
             date_format: str | None) -> tuple[list[NewPost], dict[str, Approval]]:
    """The file's posts, and the approvals our own CSV carries (by idempotency key). A row that requires
    approval enters as a draft unless it carries one; every other row enters queued."""
    from scheduler.app import manual_post

    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read the file: {error.__class__.__name__}", path) from None
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    reader.fieldnames = header
    if not header:
        raise ConfigError("the file is empty (expected a header row)", f"{path}:1")
    posts, approvals = [], {}
    for row in reader:
        where = f"{path}:{reader.line_num}"
        row = {key: (value or "").strip() for key, value in row.items() if key}
        row_channel, row_zone, when, body, key = _row_fields(row, header, where, channel, zone, date_format)
        post = manual_post(settings, row_channel, body, when, row_zone, where, key=key)
        requires, approval = _approval_fields(row, where)
        # Never publishable without a standing approval: such a row waits as a draft for `approve`.
        post = replace(post, requires_approval=requires, status="draft" if requires and approval is None else "queued")
        if approval is not None:
            approvals[post.idempotency_key] = approval
        posts.append(post)
    if not posts:
        raise ConfigError("no rows to import", f"{path}:2")
    return posts, approvals


def _approval_fields(row: dict[str, str], where: str) -> tuple[bool, Approval | None]:
    """(requires_approval, the approval it carries): columns of our own CSV, absent from a bulk file."""
    raw = row.get("requires_approval", "").lower()
    if raw not in _TRUE + _FALSE:
        raise ConfigError(f"invalid requires_approval {row['requires_approval']!r} (expected true or false)", where)
    by, at = row.get("approved_by", ""), row.get("approved_at", "")
    if bool(by) != bool(at):
        missing = "approved_at" if by else "approved_by"
        raise ConfigError(f"approved_by and approved_at go together: {missing} is empty", where)
    return raw in _TRUE, Approval(by, _approved_at(at, where)) if by else None


def _approved_at(text: str, where: str) -> datetime:
    """An exported ``approved_at``: ISO-8601 with an offset (export writes UTC, 2026-11-23T14:30:00Z)."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise ConfigError(f"invalid approved_at {text!r} (expected an ISO-8601 time with an offset, such as "
                          "2026-11-23T14:30:00Z)", where)
    return moment.astimezone(timezone.utc)


def _row_fields(row: dict[str, str], header: list[str], where: str, channel: str | None, zone: str,
                date_format: str | None) -> tuple[str, str, datetime, str, str | None]:
    text_column = next((name for name in _BULK_TEXT if name in header), None)
    time_column = next((name for name in _BULK_TIME if name in header), None)
    if not text_column or not time_column:
        raise ConfigError(f"expected a time column ({', '.join(_BULK_TIME[:3])}) and a text column "
                          f"({', '.join(_BULK_TEXT[:2])}); found {', '.join(header)}", where.rsplit(":", 1)[0] + ":1")
    row_channel = row.get("channel") or channel
    if not row_channel:
        raise ConfigError("no channel: add a channel column or pass --channel", where)
    row_zone = row.get("zone") or zone
    body = row[text_column]
    link = next((row[name] for name in _BULK_LINK if row.get(name)), "")
    if link and link not in body:
        body = f"{body} {link}".strip()
    if not body:
        raise ConfigError(f"empty {text_column}", where)
    return row_channel, row_zone, _row_time(row[time_column], row_zone, where, date_format), body, row.get("idempotency_key") or None


def _row_time(raw: str, zone: str, where: str, date_format: str | None) -> datetime:
    """A row's time; without an offset a wall time in ``zone``, under the cadence's DST rules (scheduler.localtime)."""
    from scheduler.localtime import as_utc, zone_info

    tz = zone_info(zone, where)
    try:
        moment = datetime.strptime(raw, date_format) if date_format else datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        expected = date_format or "ISO-8601 such as 2026-12-01T09:30 or 2026-12-01 09:30"
        raise ConfigError(f"invalid date-time {raw!r} (expected {expected})", where) from None
    return as_utc(moment, tz)


