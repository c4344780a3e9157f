"""Weekly posting slots in a clinic's time zone, computed with APScheduler's CronTrigger.

Slots are wall-clock intents ("Monday 09:30 in Europe/Berlin"); each becomes an aware UTC
instant. Two DST rules: a slot inside the spring-forward gap moves to the first valid minute
after the gap, and a slot in the repeated fall-back hour is taken once (the first).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.cron import CronTrigger

from scheduler.errors import ConfigError

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_TOKEN = re.compile(rf"^(?:{'|'.join(_DAYS)})(?:-(?:{'|'.join(_DAYS)}))?$")
_TIME = re.compile(r"^(?P<hour>[01]?\d|2[0-3]):(?P<minute>[0-5]\d)$")
_ALL_DAYS = {"daily", "*", "everyday"}


@dataclass(frozen=True)
class Slot:
    utc: datetime  # aware, UTC
    zone: str

    @property
    def local(self) -> datetime:
        return self.utc.astimezone(ZoneInfo(self.zone))


def zone_info(zone: str, where: str) -> ZoneInfo:
    try:
        return ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder name such as "America"
        raise ConfigError(f"unknown time zone {zone!r} (use an IANA name such as 'America/New_York')", where) from None


def parse_slot(spec: str, zone: str, where: str) -> list[CronTrigger]:
    """'mon,wed,fri 09:30' (or 'daily 09:30,17:00', 'mon-fri 12:00') -> one trigger per time."""
    parts = spec.split()
    if len(parts) != 2:
        raise ConfigError(f"invalid slot {spec!r}: expected 'DAYS HH:MM', such as 'mon,wed,fri 09:30'", where)
    days, times = parts[0].lower(), parts[1]
    if days not in _ALL_DAYS and not all(_DAY_TOKEN.match(token) for token in days.split(",")):
        raise ConfigError(f"invalid days {parts[0]!r} in slot {spec!r}: use mon..sun, ranges or 'daily'", where)
    tz = zone_info(zone, where)
    triggers = []
    for text in times.split(","):
        match = _TIME.match(text)
        if not match:
            raise ConfigError(f"invalid time {text!r} in slot {spec!r}: expected HH:MM (24-hour)", where)
        day_of_week = "*" if days in _ALL_DAYS else days
        try:
            trigger = CronTrigger(day_of_week=day_of_week, hour=int(match["hour"]), minute=int(match["minute"]), timezone=tz)
        except ValueError as error:  # e.g. a range that wraps the week, 'fri-mon'
            raise ConfigError(f"invalid days {parts[0]!r} in slot {spec!r}: {error} (list the days instead)", where) from None
        triggers.append(trigger)
    return triggers


def parse_slots(specs: list[str], zone: str, where: str) -> list[CronTrigger]:
    if not specs:
        raise ConfigError("at least one slot is needed, such as 'mon,wed,fri 09:30'", where)
    return [trigger for spec in specs for trigger in parse_slot(spec, zone, where)]


def upcoming_slots(
    triggers: list[CronTrigger], zone: str, after: datetime, count: int, taken: set[datetime] = frozenset()
) -> list[Slot]:
    """The next ``count`` slot instants strictly after ``after`` that are not in ``taken``."""
    if after.tzinfo is None:
        raise ValueError("after must be an aware datetime")
    if count <= 0:
        return []  # the slot stream is endless: asking for none must not walk it forever
    tz = ZoneInfo(zone)
    found: list[Slot] = []
    seen: set[datetime] = set()
    cursor = after
    for wall in _wall_times(triggers, cursor):
        instant = _resolve(wall, tz)
        if instant <= after or instant in seen:
            continue
        seen.add(instant)
        if instant not in taken:
            found.append(Slot(instant, zone))
            if len(found) == count:
                break
    return found


def _wall_times(triggers: list[CronTrigger], start: datetime):
    """Merge the triggers' fire times in order; yields wall-clock times (naive, local)."""
    nexts = {i: t.get_next_fire_time(None, start) for i, t in enumerate(triggers)}
    last_wall: datetime | None = None
    while nexts:
        index = min((i for i in nexts if nexts[i] is not None), key=lambda i: nexts[i], default=None)
        if index is None:
            return
        fire = nexts[index]
        wall = fire.replace(tzinfo=None, fold=0)
        if wall != last_wall:  # the fall-back hour fires twice: keep the first
            yield wall
        last_wall = wall
        # Step in UTC: aware arithmetic in a local zone is wall-clock and would loop in the fall-back hour.
        nexts[index] = triggers[index].get_next_fire_time(fire, fire.astimezone(timezone.utc) + timedelta(seconds=1))


def _resolve(wall: datetime, tz: ZoneInfo) -> datetime:
    """Wall time -> UTC; a time in the spring-forward gap moves to the first valid minute after it."""
    candidate = wall
    for _ in range(24 * 60):
        aware = candidate.replace(tzinfo=tz, fold=0)
        if aware.astimezone(timezone.utc).astimezone(tz).replace(tzinfo=None) == candidate:
            return aware.astimezone(timezone.utc)
        candidate = (candidate + timedelta(minutes=1)).replace(second=0, microsecond=0)
    raise ValueError(f"no valid local time after {wall}")  # pragma: no cover - no zone has a day-long gap
