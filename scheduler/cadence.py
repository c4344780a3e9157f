"""Weekly posting slots in a clinic's time zone, computed with APScheduler's CronTrigger.

Slots are wall-clock intents ("Monday 09:30 in Europe/Berlin"); each becomes an aware UTC
instant. Two DST rules (scheduler.localtime, shared with every parser of a person's times): a slot
inside the spring-forward gap moves to the first valid minute after the gap, and a slot in the
repeated fall-back hour is taken once (the first).
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from scheduler.errors import ConfigError
from scheduler.localtime import wall_to_utc, zone_info

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_TOKEN = re.compile(rf"^(?:{'|'.join(_DAYS)})(?:-(?:{'|'.join(_DAYS)}))?$")
_TIME = re.compile(r"^(?P<hour>[01]?\d|2[0-3]):(?P<minute>[0-5]\d)$")
_ALL_DAYS = {"daily", "*", "everyday"}
MAX_JITTER_MINUTES = 30


@dataclass(frozen=True)
class Slot:
    utc: datetime  # aware, UTC
    zone: str

    @property
    def local(self) -> datetime:
        return self.utc.astimezone(ZoneInfo(self.zone))


@dataclass(frozen=True)
class Schedule:
    """One channel's weekly posting schedule: slot specs in ``zone``, each post moved by up to
    ``jitter_minutes`` either way (a fixed amount per post, see ``jitter_offset``)."""

    zone: str
    slots: tuple[str, ...]
    triggers: list[CronTrigger] = field(repr=False, compare=False, hash=False)
    jitter_minutes: int = 0

    @property
    def tolerance(self) -> timedelta:
        """A slot counts as taken when a post of the channel is scheduled within this of it."""
        return timedelta(minutes=self.jitter_minutes)

    def place(self, slot: "Slot", key: str) -> "Slot":
        """The instant a post with idempotency key ``key`` takes in ``slot``: the slot plus its jitter."""
        return Slot(slot.utc + jitter_offset(key, self.jitter_minutes), slot.zone)

    def base_of(self, moment: datetime, key: str) -> datetime:
        """The slot instant a post with ``key`` scheduled at ``moment`` was placed from (jitter removed)."""
        return moment.astimezone(timezone.utc) - jitter_offset(key, self.jitter_minutes)


def make_schedule(specs: list[str], zone: str, jitter_minutes: int, where: str) -> Schedule:
    return Schedule(zone, tuple(specs), parse_slots(specs, zone, where), jitter_minutes)


def jitter_offset(key: str, minutes: int) -> timedelta:
    """A whole number of minutes in [-minutes, +minutes], fixed by the post's idempotency key, so that
    planning the same post again gives the same minute."""
    if minutes <= 0:
        return timedelta(0)
    number = int.from_bytes(hashlib.sha256(f"jitter\x1f{key}".encode("utf-8")).digest()[:8], "big")
    return timedelta(minutes=number % (2 * minutes + 1) - minutes)


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
    triggers: list[CronTrigger], zone: str, after: datetime, count: int, taken: set[datetime] = frozenset(),
    tolerance: timedelta = timedelta(0),
) -> list[Slot]:
    """The next ``count`` slot instants strictly after ``after`` that are not taken: no instant of
    ``taken`` lies within ``tolerance`` of them (zero: the very instant)."""
    if count <= 0:
        return []  # the slot stream is endless: asking for none must not walk it forever
    if after.tzinfo is None:
        raise ValueError("after must be an aware datetime")
    marks = sorted(moment.astimezone(timezone.utc) for moment in taken)
    found: list[Slot] = []
    for slot in iter_slots(triggers, zone, after):
        if not is_taken(slot.utc, marks, tolerance):
            found.append(slot)
            if len(found) == count:
                break
    return found


def slots_between(triggers: list[CronTrigger], zone: str, after: datetime, before: datetime) -> list[Slot]:
    """Every slot instant strictly after ``after`` and before ``before``."""
    found = []
    for slot in iter_slots(triggers, zone, after):
        if slot.utc >= before:
            break
        found.append(slot)
    return found


def iter_slots(triggers: list[CronTrigger], zone: str, after: datetime):
    """Slot instants strictly after ``after``, in order, each once (DST rules applied)."""
    if after.tzinfo is None:
        raise ValueError("after must be an aware datetime")
    tz = ZoneInfo(zone)
    seen: set[datetime] = set()
    for wall in _wall_times(triggers, after):
        instant = wall_to_utc(wall, tz)
        if instant <= after or instant in seen:
            continue
        seen.add(instant)
        yield Slot(instant, zone)


def is_taken(instant: datetime, marks: list[datetime], tolerance: timedelta) -> bool:
    """Whether a sorted list of UTC instants has one within ``tolerance`` of ``instant``."""
    index = bisect.bisect_left(marks, instant - tolerance)
    return index < len(marks) and marks[index] <= instant + tolerance


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

