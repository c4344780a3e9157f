"""Evergreen recycling: empty slots of the coming week refilled with published posts, never repeating text."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from scheduler.campaign import load_campaign
from scheduler.errors import ConfigError

from helpers import MONDAY, SAMPLE_ARTICLE, Clock, run_cli, save_campaign, stored_posts

NEW_YORK = ZoneInfo("America/New_York")

BASE = """
[campaign]
name = "sciatica"
article = "{article}"
topic = "Massage therapy"
condition = "sciatica"
hashtags = ["#sciatica"]
channels = ["outbox"]

[cadence]
zone = "America/New_York"
slots = ["mon,wed,fri 09:30"]
missed_after_minutes = 100000

[templates]
benefit = {benefit}
technique = ["technique"]

[hashtags]
sets = {sets}
"""


def write(folder: Path, evergreen: str = "[evergreen]\nenabled = true\n",
          benefit: str = '["benefit", "question", "myth", "tip", "book"]',
          sets: str = '[["#backpain"], ["#painrelief"], ["#selfcare"]]') -> Path:
    return save_campaign(folder, BASE.format(article=SAMPLE_ARTICLE, benefit=benefit, sets=sets) + "\n" + evergreen)


def run(argv, capsys, clock=None):
    return run_cli(argv, capsys, clock or Clock(MONDAY))


def simulate(path: Path, capsys, days: int = 60) -> list[dict]:
    code, out, err = run(["plan", str(path), "--days", str(days), "--start", "2026-11-23", "--json"], capsys)
    assert code == 0, err
    return json.loads(out)


def moment(row) -> datetime:
    return datetime.fromisoformat(row["scheduled_at"].replace("Z", "+00:00"))


def assert_no_repeat_within(rows: list[dict], days: int) -> None:
    for number, row in enumerate(rows):
        for other in rows[:number]:
            if other["channel"] == row["channel"] and abs(moment(row) - moment(other)) < timedelta(days=days):
                assert " ".join(row["text"].split()) != " ".join(other["text"].split()), (row, other)


def test_short_queue_is_refilled_with_repeats_in_other_variations(workspace, capsys):
    rows = simulate(write(workspace), capsys)
    originals = [r for r in rows if r["cycle"] == 0]
    repeats = [r for r in rows if r["cycle"] > 0]
    assert originals and repeats
    slots = {r["scheduled_at"] for r in rows}
    assert len(slots) == len(rows)  # one post per slot
    # Every slot of the 60 days is used once the campaign's own posts ran out.
    assert len(rows) == 26
    assert_no_repeat_within(rows, 30)


def test_the_item_rested_longest_comes_back_first(workspace, capsys):
    rows = simulate(write(workspace), capsys)
    originals = [r for r in rows if r["cycle"] == 0]
    first_repeat = next(r for r in rows if r["cycle"] > 0)
    assert "reduces muscle tension" in originals[0]["text"]
    assert "reduces muscle tension" in first_repeat["text"]
    assert first_repeat["template"] != originals[0]["template"]


def test_repeats_have_their_own_keys_with_the_cycle(workspace, capsys):
    from posts.drafts import idempotency_key

    path = write(workspace)
    clock = Clock(MONDAY)
    assert run(["queue", str(path)], capsys, clock)[0] == 0
    clock.now = datetime(2026, 12, 10, 18, 0, tzinfo=timezone.utc)  # every slot up to Wednesday 9 December has passed
    assert run(["publish"], capsys, clock)[0] == 0
    code, out, err = run(["queue", str(path)], capsys, clock)
    assert code == 0, err
    assert "evergreen repeat(s)" in out
    posts = stored_posts(workspace)
    published = [p for p in posts if p.status == "published"]
    queued = [p for p in posts if p.status == "queued"]
    assert len(published) == 8 and len(queued) == 3  # Friday, Monday, Wednesday of the coming week
    assert len({p.idempotency_key for p in posts}) == len(posts)
    for post in queued:
        assert post.idempotency_key == idempotency_key("sciatica", "outbox", post.kind, post.item, post.template, "cycle 1")
        assert all(post.text != other.text for other in published)
    # Running queue again adds nothing: the coming week is full and the repeats are pending.
    code, out, _ = run(["queue", str(path), "--json"], capsys, clock)
    assert code == 0 and json.loads(out) == []


def test_max_cycles_limits_repeats_per_item(workspace, capsys):
    rows = simulate(write(workspace, "[evergreen]\nmax_cycles = 1\n"), capsys, days=90)
    assert max(r["cycle"] for r in rows) == 1
    assert len(rows) == 16  # 8 posts, each once more


def test_no_repeat_on_or_after_the_end_date(workspace, capsys):
    rows = simulate(write(workspace, '[evergreen]\nend = "2026-12-16"\n'), capsys)
    repeats = [r for r in rows if r["cycle"]]
    assert repeats
    assert all(moment(r).astimezone(NEW_YORK).date() < datetime(2026, 12, 16).date() for r in repeats)
    assert max(moment(r) for r in rows).astimezone(NEW_YORK).date() < datetime(2026, 12, 16).date()


def test_categories_have_their_own_slots(workspace, capsys):
    evergreen = '[evergreen]\ncategories = { benefits = ["mon 09:30"], techniques = ["thu 09:30"] }\n'
    rows = simulate(write(workspace, evergreen), capsys)
    repeats = [r for r in rows if r["cycle"]]
    assert {r["kind"] for r in repeats} == {"benefit", "technique"}
    for row in repeats:
        local = moment(row).astimezone(NEW_YORK).strftime("%a %H:%M")
        assert local == ("Mon 09:30" if row["kind"] == "benefit" else "Thu 09:30"), row
    assert_no_repeat_within(rows, 30)


def test_identical_text_waits_for_the_cooldown(workspace, capsys):
    # One template and no hashtag sets: a repeat can only be the same text, so it waits out the cooldown.
    single = dict(benefit='["benefit"]', sets='[["#backpain"]]')
    rows = simulate(write(workspace, "[evergreen]\ncooldown_days = 30\n", **single), capsys, days=90)
    repeats = [r for r in rows if r["cycle"]]
    assert repeats
    assert_no_repeat_within(rows, 30)
    short = simulate(write(workspace, "[evergreen]\nplatform_cooldown_days = { outbox = 7 }\n", **single), capsys, days=90)
    assert len([r for r in short if r["cycle"]]) > len(repeats)
    assert_no_repeat_within(short, 7)


def test_without_evergreen_nothing_comes_back(workspace, capsys):
    assert all(r["cycle"] == 0 for r in simulate(write(workspace, ""), capsys))
    assert all(r["cycle"] == 0 for r in simulate(write(workspace, "[evergreen]\nenabled = false\n"), capsys))


@pytest.mark.parametrize("evergreen, where", [
    ("[evergreen]\ncooldown_days = 0\n", "evergreen.cooldown_days"),
    ("[evergreen]\nplatform_cooldown_days = { myspace = 3 }\n", "evergreen.platform_cooldown_days.myspace"),
    ("[evergreen]\nmax_cycles = -1\n", "evergreen.max_cycles"),
    ('[evergreen]\nend = "next year"\n', "evergreen.end"),
    ('[evergreen]\ncategories = { tips = ["mon 09:30"] }\n', "evergreen.categories.tips"),
    ('[evergreen]\ncategories = { benefits = ["someday 09:30"] }\n', "evergreen.categories.benefits"),
    ("[evergreen]\nforever = true\n", "unknown key evergreen.forever"),
])
def test_bad_evergreen_keys_are_refused(workspace, evergreen, where):
    with pytest.raises(ConfigError) as caught:
        load_campaign(write(workspace, evergreen))
    assert where in str(caught.value)
