"""Wall times in a clinic's zone -> UTC instants, with the cadence's two DST rules.

A time without an offset is a local intent ("09:30 in New York"). Inside the spring-forward gap it does not
exist: it becomes the first valid minute after the gap (New York 2026-03-08 02:30 -> 03:00 EDT). In the
repeated fall-back hour it exists twice: the first occurrence is taken (New York 2026-11-01 01:30 -> EDT).
Slots (scheduler.cadence) and every parser of a person's times (`add --at`, `move --to`, `reschedule --at`,
`import`) resolve through here, so the same wall time always means the same instant.

Light on purpose (zoneinfo only): the CLI's parsers import it without loading APScheduler.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from scheduler.errors import ConfigError

_LONGEST_GAP_MINUTES = 24 * 60  # no zone skips a whole day's worth of minutes


def zone_info(zone: str, where: str) -> ZoneInfo:
    """The IANA zone; a ConfigError naming ``where`` when there is no such zone."""
    try:
        return ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder name such as "America"
        raise ConfigError(f"unknown time zone {zone!r} (use an IANA name such as 'America/New_York')", where) from None


def wall_to_utc(wall: datetime, tz: ZoneInfo) -> datetime:
    """Naive wall time in ``tz`` -> aware UTC. A time in the spring-forward gap moves to the first valid minute
    after it; a time in the fall-back hour is its first occurrence (fold=0)."""
    candidate = wall.replace(tzinfo=None)
    for _ in range(_LONGEST_GAP_MINUTES):
        aware = candidate.replace(tzinfo=tz, fold=0)
        instant = aware.astimezone(timezone.utc)
        # A wall time that survives the round trip exists; one in the gap comes back shifted by the gap.
        if instant.astimezone(tz).replace(tzinfo=None) == candidate:
            return instant
        candidate = (candidate + timedelta(minutes=1)).replace(second=0, microsecond=0)
    raise ValueError(f"no valid local time after {wall}")  # pragma: no cover - no zone has a day-long gap


def as_utc(moment: datetime, tz: ZoneInfo) -> datetime:
    """``moment`` in UTC: an aware time keeps its instant; a naive one is a wall time in ``tz`` (see wall_to_utc)."""
    if moment.tzinfo is not None:
        return moment.astimezone(timezone.utc)
    return wall_to_utc(moment, tz)
