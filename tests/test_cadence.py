"""Weekly slots: wall-clock intents in a zone, turned into UTC instants across DST changes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from scheduler.cadence import Slot, parse_slot, parse_slots, upcoming_slots, zone_info
from scheduler.errors import ConfigError

WHERE = "clinic.toml: cadence.slots"
UTC = timezone.utc


def slots(specs: str | list[str], zone: str, after: datetime, count: int, taken=frozenset()) -> list[Slot]:
    triggers = parse_slots([specs] if isinstance(specs, str) else specs, zone, WHERE)
    return upcoming_slots(triggers, zone, after, count, taken)


def local_view(found: list[Slot]) -> list[str]:
    """'Mon 2026-10-26 09:30' for each slot, in the slot's own zone."""
    return [slot.local.strftime("%a %Y-%m-%d %H:%M") for slot in found]


def utc_view(found: list[Slot]) -> list[str]:
    return [slot.utc.strftime("%Y-%m-%d %H:%MZ") for slot in found]


# -- parsing -------------------------------------------------------------------------------------

@pytest.mark.parametrize("spec, fragment", [
    ("funday 09:30", "invalid days"),
    ("mon,,wed 09:30", "invalid days"),
    ("monday 09:30", "invalid days"),
    ("fri-mon 09:30", "invalid days"),  # a range that wraps the week
    ("mon 25:00", "invalid time '25:00'"),
    ("mon 24:00", "invalid time '24:00'"),
    ("mon 09:60", "invalid time '09:60'"),
    ("mon 9.30", "invalid time '9.30'"),
    ("mon 09:30,", "invalid time ''"),
    ("mon", "expected 'DAYS HH:MM'"),
    ("", "expected 'DAYS HH:MM'"),
    ("mon 09:30 17:00", "expected 'DAYS HH:MM'"),
])
def test_bad_slots_are_config_errors_naming_the_place(spec, fragment):
    with pytest.raises(ConfigError) as caught:
        parse_slot(spec, "America/New_York", WHERE)

    assert str(caught.value).startswith(WHERE + ": ")
    assert fragment in str(caught.value)
    assert caught.value.where == WHERE


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "", "America", "EST5EDT/Nowhere", "../../etc/passwd"])
def test_unknown_zones_are_config_errors(zone):
    with pytest.raises(ConfigError) as caught:
        parse_slot("mon 09:30", zone, WHERE)

    assert caught.value.where == WHERE and WHERE in str(caught.value)
    assert "unknown time zone" in str(caught.value)


def test_zone_info_names_its_place():
    assert zone_info("Europe/Berlin", "x") == ZoneInfo("Europe/Berlin")
    with pytest.raises(ConfigError, match=r"^--zone: unknown time zone 'Nowhere/Land'"):
        zone_info("Nowhere/Land", "--zone")


def test_no_slots_at_all_is_a_config_error():
    with pytest.raises(ConfigError) as caught:
        parse_slots([], "UTC", WHERE)
    assert caught.value.where == WHERE


def test_one_trigger_per_time():
    assert len(parse_slot("daily 09:00,12:30,17:00", "UTC", WHERE)) == 3
    assert len(parse_slots(["mon 09:00", "tue,thu 10:00,15:00"], "UTC", WHERE)) == 3


def test_days_are_case_insensitive():
    after = datetime(2026, 11, 22, tzinfo=UTC)
    assert local_view(slots("MON,Wed 09:30", "UTC", after, 2)) == ["Mon 2026-11-23 09:30", "Wed 2026-11-25 09:30"]


# -- weekly slots across DST ---------------------------------------------------------------------

def test_new_york_keeps_local_time_across_the_november_change():
    found = slots("mon,wed,fri 09:30", "America/New_York", datetime(2026, 10, 26, tzinfo=UTC), 6)

    assert local_view(found) == [
        "Mon 2026-10-26 09:30", "Wed 2026-10-28 09:30", "Fri 2026-10-30 09:30",
        "Mon 2026-11-02 09:30", "Wed 2026-11-04 09:30", "Fri 2026-11-06 09:30",
    ]
    assert utc_view(found) == [
        "2026-10-26 13:30Z", "2026-10-28 13:30Z", "2026-10-30 13:30Z",  # EDT, UTC-4
        "2026-11-02 14:30Z", "2026-11-04 14:30Z", "2026-11-06 14:30Z",  # EST, UTC-5 after 1 November
    ]
    assert all(slot.utc.utcoffset() == timedelta(0) and slot.zone == "America/New_York" for slot in found)


def test_new_york_across_the_march_change():
    found = slots("mon,wed,fri 09:30", "America/New_York", datetime(2026, 3, 4, 15, 0, tzinfo=UTC), 3)

    assert local_view(found) == ["Fri 2026-03-06 09:30", "Mon 2026-03-09 09:30", "Wed 2026-03-11 09:30"]
    assert utc_view(found) == ["2026-03-06 14:30Z", "2026-03-09 13:30Z", "2026-03-11 13:30Z"]


def test_berlin_across_the_october_change():
    # Central Europe leaves summer time on the last Sunday of October (25 October 2026).
    found = slots("mon,wed,fri 09:30", "Europe/Berlin", datetime(2026, 10, 21, 9, 0, tzinfo=UTC), 4)

    assert local_view(found) == ["Fri 2026-10-23 09:30", "Mon 2026-10-26 09:30", "Wed 2026-10-28 09:30",
                                 "Fri 2026-10-30 09:30"]
    assert utc_view(found) == ["2026-10-23 07:30Z", "2026-10-26 08:30Z", "2026-10-28 08:30Z", "2026-10-30 08:30Z"]


def test_sydney_starts_summer_time_on_the_first_sunday_of_october():
    # Southern hemisphere: AEST (UTC+10) until Sunday 4 October 2026, then AEDT (UTC+11).
    found = slots("mon,wed,fri 09:30", "Australia/Sydney", datetime(2026, 9, 30, 12, 0, tzinfo=UTC), 4)

    assert local_view(found) == ["Fri 2026-10-02 09:30", "Mon 2026-10-05 09:30", "Wed 2026-10-07 09:30",
                                 "Fri 2026-10-09 09:30"]
    assert utc_view(found) == ["2026-10-01 23:30Z", "2026-10-04 22:30Z", "2026-10-06 22:30Z", "2026-10-08 22:30Z"]


def test_sydney_ends_summer_time_on_the_first_sunday_of_april():
    found = slots("mon,wed,fri 09:30", "Australia/Sydney", datetime(2026, 4, 1, 12, 0, tzinfo=UTC), 3)

    assert local_view(found) == ["Fri 2026-04-03 09:30", "Mon 2026-04-06 09:30", "Wed 2026-04-08 09:30"]
    assert utc_view(found) == ["2026-04-02 22:30Z", "2026-04-05 23:30Z", "2026-04-07 23:30Z"]


def test_a_slot_in_the_spring_forward_gap_moves_to_the_first_minute_after_it():
    # 2026-03-08: New York clocks jump from 02:00 EST to 03:00 EDT; 02:30 does not exist that day.
    found = slots("sun 02:30", "America/New_York", datetime(2026, 3, 2, tzinfo=UTC), 3)

    assert local_view(found) == ["Sun 2026-03-08 03:00", "Sun 2026-03-15 02:30", "Sun 2026-03-22 02:30"]
    assert found[0].utc == datetime(2026, 3, 8, 7, 0, tzinfo=UTC)
    assert found[1].utc == datetime(2026, 3, 15, 6, 30, tzinfo=UTC)


def test_a_daily_slot_in_the_berlin_gap():
    # 2026-03-29: Berlin jumps from 02:00 CET to 03:00 CEST.
    found = slots("daily 02:15", "Europe/Berlin", datetime(2026, 3, 27, 12, 0, tzinfo=UTC), 3)

    assert local_view(found) == ["Sat 2026-03-28 02:15", "Sun 2026-03-29 03:00", "Mon 2026-03-30 02:15"]


def test_a_slot_in_the_fall_back_hour_fires_once_the_first_time():
    # 2026-11-01: New York repeats 01:00-02:00 (EDT, then EST); 01:30 happens at 05:30Z and 06:30Z.
    found = slots("sun 01:30", "America/New_York", datetime(2026, 10, 31, tzinfo=UTC), 3)

    assert utc_view(found) == ["2026-11-01 05:30Z", "2026-11-08 06:30Z", "2026-11-15 06:30Z"]
    assert found[0].local.utcoffset() == timedelta(hours=-4)


def test_the_fall_back_hour_with_two_slots_inside_it():
    found = slots(["sun 01:30", "sun 01:45"], "America/New_York", datetime(2026, 10, 31, tzinfo=UTC), 3)

    assert utc_view(found) == ["2026-11-01 05:30Z", "2026-11-01 05:45Z", "2026-11-08 06:30Z"]


def test_starting_inside_the_repeated_hour_skips_the_second_occurrence():
    # 'after' is 01:10 EST, the second pass through the hour: 01:30 already happened (in EDT).
    after = datetime(2026, 11, 1, 1, 10, fold=1, tzinfo=ZoneInfo("America/New_York"))
    found = slots("sun 01:30", "America/New_York", after, 1)

    assert utc_view(found) == ["2026-11-08 06:30Z"]


# -- selection -----------------------------------------------------------------------------------

def test_slots_are_strictly_after_the_start():
    at_slot = datetime(2026, 11, 23, 14, 30, tzinfo=UTC)  # Monday 09:30 in New York
    found = slots("mon 09:30", "America/New_York", at_slot, 1)

    assert utc_view(found) == ["2026-11-30 14:30Z"]
    assert utc_view(slots("mon 09:30", "America/New_York", at_slot - timedelta(microseconds=1), 1)) == [
        "2026-11-23 14:30Z"]


def test_taken_slots_are_skipped():
    after = datetime(2026, 11, 22, tzinfo=UTC)
    taken = {datetime(2026, 11, 23, 14, 30, tzinfo=UTC), datetime(2026, 11, 27, 14, 30, tzinfo=UTC)}

    found = slots("mon,wed,fri 09:30", "America/New_York", after, 3, taken)

    assert local_view(found) == ["Wed 2026-11-25 09:30", "Mon 2026-11-30 09:30", "Wed 2026-12-02 09:30"]


def test_taken_slots_match_whatever_zone_they_are_given_in():
    after = datetime(2026, 11, 22, tzinfo=UTC)
    taken = {datetime(2026, 11, 23, 9, 30, tzinfo=ZoneInfo("America/New_York"))}  # the same instant as 14:30Z

    assert local_view(slots("mon,wed 09:30", "America/New_York", after, 1, taken)) == ["Wed 2026-11-25 09:30"]


def test_several_specs_merge_in_time_order():
    after = datetime(2026, 11, 22, tzinfo=UTC)  # Sunday
    found = slots(["fri 17:00", "mon,wed 09:30", "tue 12:00"], "Europe/Berlin", after, 6)

    assert local_view(found) == [
        "Mon 2026-11-23 09:30", "Tue 2026-11-24 12:00", "Wed 2026-11-25 09:30", "Fri 2026-11-27 17:00",
        "Mon 2026-11-30 09:30", "Tue 2026-12-01 12:00",
    ]
    assert [slot.utc for slot in found] == sorted(slot.utc for slot in found)


def test_the_same_instant_from_two_specs_is_one_slot():
    after = datetime(2026, 11, 22, tzinfo=UTC)
    found = slots(["mon,wed 09:30", "mon 09:30"], "UTC", after, 3)

    assert local_view(found) == ["Mon 2026-11-23 09:30", "Wed 2026-11-25 09:30", "Mon 2026-11-30 09:30"]


def test_daily_with_two_times():
    found = slots("daily 09:00,17:00", "Europe/Berlin", datetime(2026, 11, 23, 10, 0, tzinfo=UTC), 5)

    assert local_view(found) == ["Mon 2026-11-23 17:00", "Tue 2026-11-24 09:00", "Tue 2026-11-24 17:00",
                                 "Wed 2026-11-25 09:00", "Wed 2026-11-25 17:00"]


def test_weekday_range():
    found = slots("mon-fri 12:00", "America/New_York", datetime(2026, 11, 20, 18, 0, tzinfo=UTC), 6)  # Fri 13:00 NY

    assert local_view(found) == ["Mon 2026-11-23 12:00", "Tue 2026-11-24 12:00", "Wed 2026-11-25 12:00",
                                 "Thu 2026-11-26 12:00", "Fri 2026-11-27 12:00", "Mon 2026-11-30 12:00"]


def test_asking_for_no_slots_returns_none_at_once():
    # The planner asks for zero when every draft of a channel is already queued.
    assert slots("mon 09:30", "UTC", datetime(2026, 11, 22, tzinfo=UTC), 0) == []


def test_a_naive_start_is_refused():
    triggers = parse_slot("mon 09:30", "UTC", WHERE)
    with pytest.raises(ValueError):
        upcoming_slots(triggers, "UTC", datetime(2026, 11, 22), 1)


def test_a_slot_knows_its_local_time():
    slot = Slot(datetime(2026, 7, 6, 13, 30, tzinfo=UTC), "America/New_York")

    assert slot.local == datetime(2026, 7, 6, 9, 30, tzinfo=ZoneInfo("America/New_York"))
    assert slot.local.utcoffset() == timedelta(hours=-4)


# -- the DST rules in each documented zone -------------------------------------------------------

def test_sydney_spring_forward_gap_moves_to_the_first_minute_after_it():
    # 2026-10-04: Sydney jumps from 02:00 AEST to 03:00 AEDT; 02:30 does not exist that day.
    found = slots("sun 02:30", "Australia/Sydney", datetime(2026, 9, 28, tzinfo=UTC), 2)

    assert local_view(found) == ["Sun 2026-10-04 03:00", "Sun 2026-10-11 02:30"]
    assert utc_view(found) == ["2026-10-03 16:00Z", "2026-10-10 15:30Z"]


def test_berlin_fall_back_hour_is_taken_once_the_first_time():
    # 2026-10-25: Berlin repeats 02:00-03:00 (CEST, then CET); 02:30 happens at 00:30Z and 01:30Z.
    found = slots("sun 02:30", "Europe/Berlin", datetime(2026, 10, 24, tzinfo=UTC), 2)

    assert utc_view(found) == ["2026-10-25 00:30Z", "2026-11-01 01:30Z"]
    assert found[0].local.utcoffset() == timedelta(hours=2)


def test_sydney_fall_back_hour_is_taken_once_the_first_time():
    # 2026-04-05: Sydney repeats 02:00-03:00 (AEDT, then AEST); 02:30 happens at 15:30Z and 16:30Z on the 4th.
    found = slots("daily 02:30", "Australia/Sydney", datetime(2026, 4, 4, 12, 0, tzinfo=UTC), 2)

    assert utc_view(found) == ["2026-04-04 15:30Z", "2026-04-05 16:30Z"]
    assert found[0].local.utcoffset() == timedelta(hours=11)


def test_new_york_daily_slots_across_both_changes_keep_their_wall_time():
    spring = slots("daily 09:30", "America/New_York", datetime(2026, 3, 7, tzinfo=UTC), 3)
    autumn = slots("daily 09:30", "America/New_York", datetime(2026, 10, 31, tzinfo=UTC), 3)

    assert {slot.local.strftime("%H:%M") for slot in spring + autumn} == {"09:30"}
    assert utc_view(spring) == ["2026-03-07 14:30Z", "2026-03-08 13:30Z", "2026-03-09 13:30Z"]
    assert utc_view(autumn) == ["2026-10-31 13:30Z", "2026-11-01 14:30Z", "2026-11-02 14:30Z"]


# -- jitter: taken within a tolerance --------------------------------------------------------------

def test_a_post_within_the_tolerance_takes_the_slot():
    after = datetime(2026, 11, 22, tzinfo=UTC)
    taken = {datetime(2026, 11, 23, 14, 36, tzinfo=UTC)}  # Monday's 09:30 New York slot, jittered by +6 minutes
    triggers = parse_slots(["mon,wed 09:30"], "America/New_York", WHERE)

    assert local_view(upcoming_slots(triggers, "America/New_York", after, 1, taken, timedelta(minutes=10))) == [
        "Wed 2026-11-25 09:30"]
    assert local_view(upcoming_slots(triggers, "America/New_York", after, 1, taken, timedelta(minutes=5))) == [
        "Mon 2026-11-23 09:30"]


def test_schedule_places_and_recovers_the_slot():
    from scheduler.cadence import jitter_offset, make_schedule

    schedule = make_schedule(["mon 09:30"], "Europe/Berlin", 8, WHERE)
    slot = Slot(datetime(2026, 11, 23, 8, 30, tzinfo=UTC), "Europe/Berlin")
    placed = schedule.place(slot, "abc")

    assert placed.utc - slot.utc == jitter_offset("abc", 8)
    assert schedule.base_of(placed.utc, "abc") == slot.utc


# -- a person's times follow the same DST rules as the slots ------------------------------------------

def _add_at(text: str, zone: str) -> datetime:
    from scheduler.app import parse_when

    return parse_when(text, zone, datetime(2026, 1, 1, tzinfo=UTC))


def _reschedule_at(text: str, zone: str) -> datetime:
    from scheduler.queue_ops import parse_time

    return parse_time(text, zone, "--at")


def _import_row(text: str, zone: str) -> datetime:
    from scheduler.transfer import _row_time

    return _row_time(text, zone, "bulk.csv:2", None)


PARSERS = pytest.mark.parametrize("parse", [_add_at, _reschedule_at, _import_row], ids=["add", "reschedule", "import"])


@PARSERS
@pytest.mark.parametrize("zone, wall, expected", [
    # The spring-forward gap: the first valid minute after it, as a slot there would be.
    ("America/New_York", "2026-03-08T02:30", datetime(2026, 3, 8, 7, 0, tzinfo=UTC)),  # 03:00 EDT
    ("America/New_York", "2026-03-08T02:00", datetime(2026, 3, 8, 7, 0, tzinfo=UTC)),
    ("Europe/Berlin", "2026-03-29T02:15", datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),  # 03:00 CEST
    # The repeated fall-back hour: its first occurrence.
    ("America/New_York", "2026-11-01T01:30", datetime(2026, 11, 1, 5, 30, tzinfo=UTC)),  # 01:30 EDT
    ("Europe/Berlin", "2026-10-25T02:30", datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),  # 02:30 CEST
    # Ordinary times, and the minute after either change.
    ("America/New_York", "2026-03-08T03:00", datetime(2026, 3, 8, 7, 0, tzinfo=UTC)),
    ("America/New_York", "2026-11-01T02:00", datetime(2026, 11, 1, 7, 0, tzinfo=UTC)),
    ("America/New_York", "2026-12-01T09:30", datetime(2026, 12, 1, 14, 30, tzinfo=UTC)),
])
def test_a_time_without_an_offset_resolves_like_a_slot(parse, zone, wall, expected):
    assert parse(wall, zone) == expected
    slot = slots(f"daily {wall[11:16]}", zone, datetime.fromisoformat(wall[:10]).replace(tzinfo=UTC)
                 - timedelta(days=1), 3)
    assert expected in [s.utc for s in slot]  # the very instant the cadence gives that wall time


@PARSERS
def test_a_time_with_an_offset_keeps_its_instant(parse):
    assert parse("2026-03-08T02:30:00-05:00", "America/New_York") == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)
    assert parse("2026-11-01T01:30:00-05:00", "America/New_York") == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)


@PARSERS
def test_an_unknown_zone_is_named(parse):
    with pytest.raises(ConfigError, match="unknown time zone 'Mars/Base'"):
        parse("2026-12-01T09:30", "Mars/Base")


def test_add_in_the_gap_stores_the_moved_local_time(workspace, capsys):
    import json

    from helpers import Clock, run_cli

    code, out, err = run_cli(["add", "--channel", "outbox", "--text", "Open early #sciatica", "--at", "2026-03-08T02:30",
                              "--zone", "America/New_York", "--json"], capsys, Clock(datetime(2026, 1, 1, tzinfo=UTC)))
    assert code == 0, err
    post = json.loads(out)
    assert (post["scheduled_at"], post["local_time"]) == ("2026-03-08T07:00:00Z", "2026-03-08T03:00:00-04:00")
