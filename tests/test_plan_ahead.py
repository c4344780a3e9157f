"""`plan CAMPAIGN --days N [--start DAY]`: a simulation that writes nothing and warns about posting quotas."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scheduler import cli
from scheduler.campaign import DEFAULT_QUOTAS, load_campaign
from scheduler.errors import ConfigError

from helpers import MONDAY, SAMPLE_ARTICLE, run_cli, save_campaign


BASE = """
[campaign]
name = "sciatica"
article = "{article}"
topic = "Massage therapy"
hashtags = ["#sciatica"]
channels = ["outbox"]

[cadence]
zone = "America/New_York"
slots = {slots}

[templates]
benefit = ["benefit", "question"]
technique = ["technique"]
"""


def write(folder: Path, slots: str = '["mon,wed,fri 09:30"]', extra: str = "") -> Path:
    return save_campaign(folder, BASE.format(article=SAMPLE_ARTICLE, slots=slots) + extra)


def run(argv, capsys):
    return run_cli(argv, capsys, lambda: MONDAY)


def test_plan_days_keeps_to_the_window_and_writes_nothing(workspace, capsys):
    path = write(workspace, extra='\n[evergreen]\nenabled = true\n')
    code, out, err = run(["plan", str(path), "--days", "30", "--json"], capsys)
    assert code == 0, err
    rows = json.loads(out)
    assert rows and all("2026-11-23" <= r["scheduled_at"][:10] <= "2026-12-23" for r in rows)
    assert any(r["cycle"] for r in rows)  # recycling included
    assert err == ""
    assert not (workspace / "q.db").exists()


def test_plan_days_from_a_start_day(workspace, capsys):
    code, out, err = run(["plan", str(write(workspace)), "--days", "7", "--start", "2027-01-04", "--json"], capsys)
    assert code == 0, err
    rows = json.loads(out)
    assert [r["local_time"][:16] for r in rows] == ["2027-01-04T09:30", "2027-01-06T09:30", "2027-01-08T09:30"]


def test_plan_days_text_output_counts_repeats(workspace, capsys):
    code, out, _ = run(["plan", str(write(workspace, extra='\n[evergreen]\n')), "--days", "30"], capsys)
    assert code == 0
    assert "post(s) in 30 day(s)" in out and "evergreen repeat(s)" in out


def test_a_channel_over_its_quota_is_warned_about(workspace, capsys):
    path = write(workspace, slots='["daily 08:00,10:00,12:00,14:00"]', extra='\n[quotas]\noutbox = 3\n')
    code, out, err = run(["plan", str(path), "--days", "3", "--json"], capsys)
    assert code == 0
    warnings = [line for line in err.splitlines() if line.startswith("warning: ")]
    assert warnings and all("channel outbox would publish 4 posts in the 24 hours" in line for line in warnings)
    assert "[quotas] outbox" in warnings[0] and str(path) in warnings[0]
    json.loads(out)  # stdout stays JSON


def test_within_quota_there_is_no_warning(workspace, capsys):
    path = write(workspace, slots='["daily 08:00,10:00"]')
    assert run(["plan", str(path), "--days", "5"], capsys)[2] == ""


def test_default_quotas_and_overrides(workspace):
    assert DEFAULT_QUOTAS == {"x": 50, "instagram": 50, "threads": 250}
    campaign = load_campaign(write(workspace, extra="\n[quotas]\nx = 17\n"))
    assert campaign.quota("x") == 17 and campaign.quota("threads") == 250 and campaign.quota("mastodon") is None


@pytest.mark.parametrize("extra, where", [
    ("\n[quotas]\nmyspace = 3\n", "quotas.myspace"),
    ("\n[quotas]\nx = 0\n", "quotas.x"),
    ('\n[quotas]\nx = "many"\n', "quotas.x"),
])
def test_bad_quotas_are_refused(workspace, extra, where):
    with pytest.raises(ConfigError) as caught:
        load_campaign(write(workspace, extra=extra))
    assert where in str(caught.value)


@pytest.mark.parametrize("argv, fragment", [
    (["--days", "7", "--start", "next monday"], "--start: invalid date"),
    (["--start", "2027-01-04"], "--start: --start goes with --days"),
])
def test_bad_plan_options_are_exit_2(workspace, capsys, argv, fragment):
    code, out, err = run(["plan", str(write(workspace))] + argv, capsys)
    assert code == 2 and fragment in err and len(err.strip().splitlines()) == 1


def test_days_must_be_a_positive_number(workspace, capsys):
    with pytest.raises(SystemExit) as caught:
        cli.main(["plan", str(write(workspace)), "--days", "0"], clock=lambda: MONDAY)
    assert caught.value.code == 2


def test_plan_days_from_a_start_day_in_the_channels_own_zone(workspace, capsys):
    # The campaign's zone is New York; outbox posts in Sydney: its days run from Sydney's midnights.
    path = write(workspace, extra='\n[channels.outbox]\nzone = "Australia/Sydney"\n')
    code, out, err = run(["plan", str(path), "--days", "7", "--start", "2027-01-04", "--json"], capsys)
    assert code == 0, err
    rows = json.loads(out)
    assert [r["local_time"] for r in rows] == [
        "2027-01-04T09:30:00+11:00", "2027-01-06T09:30:00+11:00", "2027-01-08T09:30:00+11:00"]
