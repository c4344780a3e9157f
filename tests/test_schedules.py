"""Per-channel posting schedules, jitter, re-planning after a schedule change, approval and the missed policy."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from scheduler.cadence import jitter_offset
from scheduler.campaign import load_campaign
from scheduler.errors import ConfigError

from helpers import MONDAY, SAMPLE_ARTICLE, Clock, run_cli, save_campaign, stored_posts


BASE = """
[campaign]
name = "sciatica"
article = "{article}"
topic = "Massage therapy"
condition = "sciatica"
hashtags = ["#sciatica"]
channels = ["outbox", "outbox:b"]
{campaign_extra}

[cadence]
zone = "America/New_York"
slots = {slots}
{cadence_extra}

[templates]
benefit = ["benefit", "question"]
"""


def write(folder: Path, slots: str = '["mon,wed,fri 09:30"]', extra: str = "", campaign_extra: str = "",
          cadence_extra: str = "") -> Path:
    return save_campaign(folder, BASE.format(article=SAMPLE_ARTICLE, slots=slots, campaign_extra=campaign_extra,
                                             cadence_extra=cadence_extra) + extra)


def run(argv, capsys, clock=None):
    return run_cli(argv, capsys, clock or Clock(MONDAY))


def local(row) -> str:
    return datetime.fromisoformat(row["local_time"]).strftime("%a %H:%M")


# -- per-channel schedules ------------------------------------------------------------------------

def test_a_channel_table_overrides_the_cadence_and_falls_back_key_by_key(workspace, capsys):
    extra = '\n[channels."outbox:b"]\nslots = ["tue,thu 12:00"]\nzone = "Europe/Berlin"\n'
    code, out, err = run(["plan", str(write(workspace, extra=extra)), "--json"], capsys)
    assert code == 0, err
    rows = json.loads(out)
    mine = [r for r in rows if r["channel"] == "outbox:b"]
    other = [r for r in rows if r["channel"] == "outbox"]
    assert {r["zone"] for r in mine} == {"Europe/Berlin"} and {local(r) for r in mine} <= {"Tue 12:00", "Thu 12:00"}
    assert {r["zone"] for r in other} == {"America/New_York"} and {local(r) for r in other} <= {
        "Mon 09:30", "Wed 09:30", "Fri 09:30"}


def test_a_channel_table_may_set_the_zone_alone(workspace):
    campaign = load_campaign(write(workspace, extra='\n[channels.outbox]\nzone = "Australia/Sydney"\n'))
    assert campaign.schedule_for("outbox").zone == "Australia/Sydney"
    assert campaign.schedule_for("outbox").slots == ("mon,wed,fri 09:30",)
    assert campaign.schedule_for("outbox:b").zone == "America/New_York"


@pytest.mark.parametrize("extra, where", [
    ('\n[channels.mastodon]\nslots = ["mon 09:00"]\n', "channels.mastodon"),
    ('\n[channels.outbox]\nslot = ["mon 09:00"]\n', "campaign.toml"),
    ('\n[channels.outbox]\nslots = ["someday 09:00"]\n', "channels.outbox.slots"),
    ('\n[channels.outbox]\nzone = "Mars/Base"\n', "channels.outbox.zone"),
    ('\n[channels.outbox]\njitter_minutes = 31\n', "channels.outbox.jitter_minutes"),
])
def test_bad_channel_tables_are_refused_naming_the_key(workspace, extra, where):
    with pytest.raises(ConfigError) as caught:
        load_campaign(write(workspace, extra=extra))
    assert where in str(caught.value)


# -- jitter ---------------------------------------------------------------------------------------

def test_jitter_is_whole_minutes_within_bounds_and_fixed_per_key():
    offsets = [jitter_offset(f"key-{n}", 5) for n in range(400)]
    assert all(timedelta(minutes=-5) <= o <= timedelta(minutes=5) and o.total_seconds() % 60 == 0 for o in offsets)
    assert len(set(offsets)) == 11  # every minute in [-5, +5] is used
    assert jitter_offset("key-1", 5) == jitter_offset("key-1", 5)
    assert jitter_offset("key-1", 0) == timedelta(0)


def test_jittered_posts_stay_near_their_slot_and_plan_the_same_twice(workspace, capsys):
    path = write(workspace, cadence_extra="jitter_minutes = 7")
    first = json.loads(run(["plan", str(path), "--json"], capsys)[1])
    second = json.loads(run(["plan", str(path), "--json"], capsys)[1])
    assert [r["scheduled_at"] for r in first] == [r["scheduled_at"] for r in second]
    for row in first:
        moment = datetime.fromisoformat(row["local_time"])
        slot = moment.replace(hour=9, minute=30)
        assert abs(moment - slot) <= timedelta(minutes=7)
    assert len({r["scheduled_at"][11:16] for r in first}) > 1  # not all at the same bot-like minute


def test_queueing_twice_with_jitter_fills_no_slot_twice(workspace, capsys):
    path = write(workspace, cadence_extra="jitter_minutes = 10")
    assert run(["queue", str(path)], capsys)[0] == 0
    code, out, _ = run(["queue", str(path), "--json"], capsys)
    assert code == 0 and json.loads(out) == []
    posts = [p for p in stored_posts(workspace) if p.channel == "outbox"]
    days = [p.scheduled_at.astimezone(ZoneInfo("America/New_York")).date() for p in posts]
    assert len(days) == len(set(days)) == 5


# -- re-planning ----------------------------------------------------------------------------------

def test_a_changed_schedule_moves_queued_posts_in_order_and_only_once(workspace, capsys):
    path = write(workspace)
    assert run(["queue", str(path)], capsys)[0] == 0
    before = sorted((p for p in stored_posts(workspace) if p.channel == "outbox"), key=lambda p: p.scheduled_at)

    write(workspace, slots='["tue,thu 11:00"]')
    code, out, err = run(["queue", str(path)], capsys)
    assert code == 0, err
    assert "moved to the new schedule" in out
    after = {p.id: p for p in stored_posts(workspace)}
    moved = [after[p.id] for p in before]
    new_york = ZoneInfo("America/New_York")
    assert [p.scheduled_at.astimezone(new_york).strftime("%a %d %H:%M") for p in moved] == [
        "Tue 24 11:00", "Thu 26 11:00", "Tue 01 11:00", "Thu 03 11:00", "Tue 08 11:00"]
    assert [p.idempotency_key for p in moved] == [p.idempotency_key for p in before]  # the same posts, in order

    code, out, _ = run(["queue", str(path)], capsys)
    assert code == 0 and "moved" not in out
    assert {p.id: p.scheduled_at for p in stored_posts(workspace)} == {p.id: p.scheduled_at for p in after.values()}


def test_a_changed_zone_keeps_the_wall_clock_intent(workspace, capsys):
    path = write(workspace)
    assert run(["queue", str(path)], capsys)[0] == 0
    write(workspace, extra='\n[channels.outbox]\nzone = "Europe/Berlin"\n')
    assert run(["queue", str(path)], capsys)[0] == 0
    berlin = ZoneInfo("Europe/Berlin")
    posts = sorted((p for p in stored_posts(workspace) if p.channel == "outbox"), key=lambda p: p.scheduled_at)
    assert [p.scheduled_at.astimezone(berlin).strftime("%a %H:%M") for p in posts] == [
        "Wed 09:30", "Fri 09:30", "Mon 09:30", "Wed 09:30", "Fri 09:30"]  # Monday 09:30 Berlin had passed
    assert {p.zone for p in posts} == {"Europe/Berlin"}
    assert [p.local_time[11:16] for p in posts] == ["09:30"] * 5
    code, out, _ = run(["queue", str(path)], capsys)
    assert code == 0 and "moved" not in out  # on the new schedule now: nothing moves again
    others = [p for p in stored_posts(workspace) if p.channel == "outbox:b"]
    assert all(p.zone == "America/New_York" for p in others)  # the other channel is untouched


def test_published_and_manual_posts_are_not_replanned(workspace, capsys):
    path = write(workspace)
    clock = Clock(MONDAY)
    assert run(["queue", str(path)], capsys, clock)[0] == 0
    assert run(["add", "--channel", "outbox", "--text", "Open Saturday", "--at", "2026-11-28T10:00",
                "--zone", "America/New_York"], capsys, clock)[0] == 0
    clock.now = MONDAY + timedelta(hours=3)
    assert run(["publish"], capsys, clock)[0] == 0
    published = {p.id: p.scheduled_at for p in stored_posts(workspace) if p.status == "published"}
    manual = {p.id: p.scheduled_at for p in stored_posts(workspace) if p.kind == "manual"}
    write(workspace, slots='["tue,thu 11:00"]')
    assert run(["queue", str(path)], capsys, clock)[0] == 0
    now = {p.id: p.scheduled_at for p in stored_posts(workspace)}
    assert all(now[i] == at for i, at in {**published, **manual}.items())


# -- approval and the missed policy ---------------------------------------------------------------

def test_missed_after_minutes_becomes_each_posts_miss_after(workspace, capsys):
    path = write(workspace, cadence_extra="missed_after_minutes = 120")
    assert run(["queue", str(path)], capsys)[0] == 0
    assert {p.miss_after for p in stored_posts(workspace)} == {7200}


def test_without_missed_after_minutes_the_setting_decides(workspace, capsys):
    assert run(["queue", str(write(workspace))], capsys)[0] == 0
    assert {p.miss_after for p in stored_posts(workspace)} == {None}


@pytest.mark.parametrize("value", ["0", "-5", "1.5", '"2h"', "true"])
def test_a_bad_missed_after_minutes_is_refused(workspace, value):
    with pytest.raises(ConfigError, match="cadence.missed_after_minutes"):
        load_campaign(write(workspace, cadence_extra=f"missed_after_minutes = {value}"))


def test_approval_queues_drafts_that_need_approval(workspace, capsys):
    path = write(workspace, campaign_extra="approval = true")
    assert run(["queue", str(path)], capsys)[0] == 0
    posts = stored_posts(workspace)
    assert posts and {p.status for p in posts} == {"draft"}
    assert all(getattr(p, "requires_approval", True) for p in posts)


def test_without_approval_posts_are_queued(workspace, capsys):
    assert run(["queue", str(write(workspace))], capsys)[0] == 0
    assert {p.status for p in stored_posts(workspace)} == {"queued"}


# -- jitter never places a post in the past; a channel's own zone sets its start ---------------------

def _campaign_named(folder: Path, number: int, slots: str, cadence_extra: str) -> Path:
    """The campaign saved in its own folder under its own name (so its posts' keys, hence their jitter, differ)."""
    folder.mkdir(exist_ok=True)
    text = BASE.format(article=SAMPLE_ARTICLE, slots=slots, campaign_extra="", cadence_extra=cadence_extra)
    return save_campaign(folder, text.replace('name = "sciatica"', f'name = "sciatica-{number}"'))


def test_jitter_never_places_a_post_at_or_before_now(workspace, capsys, monkeypatch):
    # MONDAY is 07:00 in New York: the first slot is 5 minutes ahead, and jitter moves a post up to 10 minutes back.
    for number in range(12):
        folder = workspace / f"c{number}"
        path = _campaign_named(folder, number, '["mon,wed,fri 07:05"]', "jitter_minutes = 10")
        monkeypatch.setenv("SCHEDULER_DATABASE_URL", f"sqlite:///{folder / 'q.db'}")
        code, out, err = run(["plan", str(path), "--json"], capsys)
        assert code == 0, err
        planned = [datetime.fromisoformat(row["scheduled_at"]) for row in json.loads(out)]
        assert planned and all(moment > MONDAY for moment in planned), (number, min(planned))
        code, _, err = run(["queue", str(path)], capsys)
        assert code == 0, err
        assert all(post.scheduled_at > MONDAY for post in stored_posts(folder)), number


def test_replanning_onto_a_jittered_slot_just_ahead_never_lands_at_or_before_now(workspace, capsys, monkeypatch):
    for number in range(12):
        folder = workspace / f"c{number}"
        path = _campaign_named(folder, number, '["mon,wed,fri 09:30"]', "")
        monkeypatch.setenv("SCHEDULER_DATABASE_URL", f"sqlite:///{folder / 'q.db'}")
        assert run(["queue", str(path)], capsys)[0] == 0
        _campaign_named(folder, number, '["mon,wed,fri 07:05"]', "jitter_minutes = 10")  # 5 minutes after now
        code, out, err = run(["queue", str(path)], capsys)
        assert code == 0, (number, err)
        assert "moved to the new schedule" in out
        assert all(post.scheduled_at > MONDAY for post in stored_posts(folder)), number


def test_a_channel_in_its_own_zone_starts_on_its_own_midnight(workspace, capsys):
    # [cadence] start in a campaign zoned in New York; outbox posts in Sydney, where Monday 4 January 09:30 comes
    # before New York's midnight of that day.
    path = write(workspace, cadence_extra='start = "2027-01-04"', extra='\n[channels.outbox]\nzone = "Australia/Sydney"\n')
    code, out, err = run(["plan", str(path), "--json"], capsys)
    assert code == 0, err
    rows = json.loads(out)
    first = {channel: min(r["local_time"] for r in rows if r["channel"] == channel) for channel in ("outbox", "outbox:b")}
    assert first["outbox"].startswith("2027-01-04T09:30") and first["outbox"].endswith("+11:00")
    assert first["outbox:b"].startswith("2027-01-04T09:30") and first["outbox:b"].endswith("-05:00")
