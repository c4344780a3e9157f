"""The CLI as a user meets it: exit codes, one-line errors, JSON shapes, and the whole path end to end."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from helpers import MONDAY, ROOT, SAMPLE_ARTICLE, Clock, run_cli, save_campaign

POST_KEYS = {"id", "channel", "platform", "status", "scheduled_at", "local_time", "zone", "text", "length", "limit",
             "attempts", "remote_id", "remote_url", "published_at", "error"}

CAMPAIGN = """
[campaign]
name = "sciatica"
article = "{article}"
topic = "Massage therapy"
condition = "sciatica"
hashtags = ["#massagetherapyforsciatica", "#sciatica"]
channels = {channels}

[cadence]
zone = "{zone}"
slots = {slots}

[templates]
benefit = ["benefit", "question"]
"""


def write_campaign(folder: Path, article: Path | str = SAMPLE_ARTICLE, channels: str = '["outbox"]',
                   zone: str = "America/New_York", slots: str = '["mon,wed,fri 09:30"]') -> Path:
    return save_campaign(folder, CAMPAIGN.format(article=article, channels=channels, zone=zone, slots=slots))


def run(argv: list[str], capsys, clock=None) -> tuple[int, str, str]:
    return run_cli(argv, capsys, clock or Clock(MONDAY))


def test_plan_json_shape_and_cadence(workspace, capsys):
    code, out, err = run(["plan", str(write_campaign(workspace)), "--json"], capsys)
    assert code == 0, err
    posts = json.loads(out)
    assert len(posts) == 5
    assert set(posts[0]) >= POST_KEYS - {"id"}
    assert [p["local_time"] for p in posts] == [
        "2026-11-23T09:30:00-05:00", "2026-11-25T09:30:00-05:00", "2026-11-27T09:30:00-05:00",
        "2026-11-30T09:30:00-05:00", "2026-12-02T09:30:00-05:00"]
    assert posts[0]["scheduled_at"] == "2026-11-23T14:30:00Z"
    assert posts[0]["text"].startswith("Massage therapy reduces muscle tension")
    assert "#massagetherapyforsciatica" in posts[0]["text"]
    assert posts[0]["length"] == len(posts[0]["text"]) and posts[0]["limit"] == 5000
    assert not (workspace / "q.db").exists(), "plan must write nothing"


def test_queue_twice_does_not_double(workspace, capsys):
    campaign = str(write_campaign(workspace))
    code, out, _ = run(["queue", campaign, "--json"], capsys)
    assert code == 0 and len(json.loads(out)) == 5
    code, out, _ = run(["queue", campaign, "--json"], capsys)
    assert code == 0 and json.loads(out) == []
    code, out, _ = run(["list", "--json"], capsys)
    listed = json.loads(out)
    assert len(listed) == 5 and {p["status"] for p in listed} == {"queued"}
    assert set(listed[0]) >= POST_KEYS


def test_end_to_end_campaign_to_outbox_with_injected_clock(workspace, capsys):
    clock = Clock(MONDAY)
    assert run(["queue", str(write_campaign(workspace))], capsys, clock)[0] == 0
    code, out, _ = run(["publish", "--json"], capsys, clock)
    assert code == 0 and json.loads(out) == {"counts": {}, "posts": []}  # 07:00 local: nothing due yet

    clock.now = MONDAY + timedelta(hours=3)  # 10:00 in New York: Monday's 09:30 post is due
    code, out, _ = run(["publish", "--json"], capsys, clock)
    report = json.loads(out)
    assert code == 0 and report["counts"] == {"published": 1}
    assert report["posts"][0]["published_at"] == "2026-11-23T15:00:00Z"

    for day in (2, 4, 7, 9):  # Wednesday, Friday, Monday, Wednesday at 10:00 New York time: each slot on its day
        clock.now = MONDAY + timedelta(days=day, hours=3)
        code, out, _ = run(["publish", "--json"], capsys, clock)
        assert code == 0 and json.loads(out)["counts"] == {"published": 1}
    lines = [json.loads(line) for line in (workspace / "outbox.jsonl").read_text().splitlines()]
    assert len(lines) == 5 and len({line["idempotency_key"] for line in lines}) == 5
    assert [line["local_time"][:10] for line in lines] == ["2026-11-23", "2026-11-25", "2026-11-27", "2026-11-30", "2026-12-02"]
    assert run(["publish", "--json"], capsys, clock)[1].strip() == json.dumps({"counts": {}, "posts": []}, indent=2)


def test_a_post_more_than_two_hours_late_is_missed_not_published(workspace, capsys):
    clock = Clock(MONDAY)
    assert run(["add", "--channel", "outbox", "--text", "on time", "--at", "2026-11-23T12:30:00Z"], capsys, clock)[0] == 0
    clock.now = MONDAY + timedelta(hours=3)  # 2 h 30 min after its slot
    code, out, _ = run(["publish", "--json"], capsys, clock)
    assert code == 1 and json.loads(out)["counts"] == {"missed": 1}
    assert not (workspace / "outbox.jsonl").exists()


def test_add_now_and_list_by_status(workspace, capsys):
    code, out, _ = run(["add", "--channel", "outbox", "--text", "Hello #sciatica", "--json"], capsys)
    assert code == 0 and json.loads(out)["status"] == "queued"
    assert run(["publish"], capsys)[0] == 0
    code, out, _ = run(["list", "--status", "published", "--json"], capsys)
    assert [p["text"] for p in json.loads(out)] == ["Hello #sciatica"]


def test_add_refuses_a_post_too_long_for_its_platform(workspace, capsys, monkeypatch):
    monkeypatch.setenv("MASTODON_BASE_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("MASTODON_ACCESS_TOKEN", "secret-token-value")
    code, out, err = run(["add", "--channel", "mastodon", "--text", "x" * 501], capsys)
    assert code == 2 and err == "error: --text: 501 characters is over mastodon's limit of 500\n"
    assert not (workspace / "q.db").exists()


def test_extract_json(workspace, capsys):
    code, out, _ = run(["extract", str(SAMPLE_ARTICLE), "--json"], capsys)
    data = json.loads(out)
    assert code == 0 and data["title"] == "How Massage Therapy Can Ease Sciatica"
    assert set(data["benefits"][0]) == {"point", "evidence", "start", "end"}
    assert data["types"] == ["deep tissue massage", "Swedish massage", "trigger point therapy"]


def _bad(workspace: Path, case: str) -> tuple[Path, str]:
    """Build one bad input; return the campaign and a fragment the error line must contain."""
    article = workspace / "article.md"
    article.write_text(SAMPLE_ARTICLE.read_text())
    if case == "missing article":
        return write_campaign(workspace, article=workspace / "nope.md"), "campaign.article"
    if case == "empty article":
        article.write_text("  \n")
        return write_campaign(workspace, article=article), "the article is empty"
    if case == "no benefits":
        article.write_text("# Opening hours\n\nWe are open on Mondays. Parking is free.\n")
        return write_campaign(workspace, article=article), "no benefit points"
    if case == "template syntax":
        (workspace / "templates").mkdir()
        (workspace / "templates" / "benefit.j2").write_text("{{ topic }\n")
        return write_campaign(workspace, article=article), "benefit.j2:1: template syntax error"
    if case == "undefined variable":
        (workspace / "templates").mkdir()
        (workspace / "templates" / "benefit.j2").write_text("{{ topic }}\n{{ clinic_phone }}\n")
        return write_campaign(workspace, article=article), "benefit.j2:2: undefined variable: 'clinic_phone' is undefined"
    if case == "unknown channel":
        return write_campaign(workspace, channels='["myspace"]'), "campaign.channels: unknown channel 'myspace'"
    if case == "invalid zone":
        return write_campaign(workspace, zone="Mars/Olympus"), "cadence.zone: unknown time zone 'Mars/Olympus'"
    if case == "invalid slot":
        return write_campaign(workspace, slots='["mon,wed 25:00"]'), "cadence.slots: invalid time '25:00'"
    if case == "no credentials":
        return write_campaign(workspace, channels='["outbox", "mastodon"]'), "campaign.toml: campaign.channels: channel 'mastodon' has no credentials: set MASTODON_BASE_URL"
    if case == "bad hashtag":
        path = write_campaign(workspace)
        path.write_text(path.read_text().replace('"#sciatica"', '"#back pain"'))
        return path, "campaign.hashtags: invalid hashtag '#back pain'"
    if case == "bad toml":
        path = workspace / "campaign.toml"
        path.write_text("[campaign\nname=1")
        return path, "not valid TOML"
    raise AssertionError(case)


BAD_CASES = ["missing article", "empty article", "no benefits", "template syntax", "undefined variable",
             "unknown channel", "invalid zone", "invalid slot", "no credentials", "bad hashtag", "bad toml"]


@pytest.mark.parametrize("command", ["plan", "queue"])
@pytest.mark.parametrize("case", BAD_CASES)
def test_bad_input_gives_one_line_exit_2_and_writes_nothing(workspace, capsys, case, command):
    campaign, fragment = _bad(workspace, case)
    # A queue that already holds a post must be left exactly as it was.
    assert run(["add", "--channel", "outbox", "--text", "already here"], capsys)[0] == 0
    before = sqlite3.connect(workspace / "q.db").execute("SELECT count(*), max(updated_at) FROM posts").fetchone()
    code, out, err = run([command, str(campaign)], capsys)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("error: "), err
    assert fragment in err, err
    assert any(name in err for name in ("campaign.toml", "article.md", "benefit.j2")), "the line names the file"
    after = sqlite3.connect(workspace / "q.db").execute("SELECT count(*), max(updated_at) FROM posts").fetchone()
    assert after == before


def test_unknown_status_and_bad_time(workspace, capsys):
    code, _, err = run(["list", "--status", "lost"], capsys)
    assert code == 2 and err.startswith("error: --status: unknown status 'lost'")
    code, _, err = run(["add", "--channel", "outbox", "--text", "x", "--at", "tomorrow"], capsys)
    assert code == 2 and err.startswith("error: --at: invalid time 'tomorrow'")


def test_publish_exits_1_when_a_post_failed(workspace, capsys, monkeypatch):
    monkeypatch.setenv("MASTODON_BASE_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("MASTODON_ACCESS_TOKEN", "tok")
    assert run(["add", "--channel", "mastodon", "--text", "hi"], capsys)[0] == 0
    monkeypatch.delenv("MASTODON_ACCESS_TOKEN")  # the credential disappears before the run
    code, out, _ = run(["publish", "--json"], capsys)
    report = json.loads(out)
    assert code == 1 and report["counts"] == {"failed": 1}
    assert "MASTODON_ACCESS_TOKEN" in report["posts"][0]["error"]


def test_demo_plans_queues_and_publishes_to_the_outbox(workspace, capsys):
    code, out, err = run(["demo", "--dir", str(workspace / "demo"), "--json"], capsys)
    data = json.loads(out)
    assert code == 0, err
    assert len(data["plan"]) == 8 and data["publish"]["counts"] == {"published": 8}
    assert len((workspace / "demo" / "outbox.jsonl").read_text().splitlines()) == 8
    code, out, _ = run(["demo", "--dir", str(workspace / "demo"), "--json"], capsys)
    assert json.loads(out)["plan"] == [] and len((workspace / "demo" / "outbox.jsonl").read_text().splitlines()) == 8


def test_env_file_is_read_and_environment_wins(workspace, capsys, monkeypatch):
    (workspace / ".env").write_text(f"OUTBOX_PATH={workspace / 'from-dotenv.jsonl'}\nSCHEDULER_DATABASE_URL=sqlite:///{workspace / 'dot.db'}\n")
    monkeypatch.delenv("OUTBOX_PATH")
    assert run(["add", "--channel", "outbox", "--text", "x"], capsys)[0] == 0
    assert run(["publish"], capsys)[0] == 0
    assert (workspace / "from-dotenv.jsonl").exists()  # OUTBOX_PATH from .env
    assert (workspace / "q.db").exists() and not (workspace / "dot.db").exists()  # the environment's database


def _imports_of_idle_publish(folder: Path) -> tuple[set[str], subprocess.CompletedProcess]:
    """The modules `python -m scheduler publish` imports in ``folder`` with nothing due (``-X importtime``)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # this tree's scheduler, whatever the venv has installed
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "scheduler", "publish"], capture_output=True,
                            text=True, timeout=60, cwd=folder, env=env)
    modules = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}
    return modules, result


def test_an_idle_publish_without_a_env_file_never_imports_dotenv(workspace):
    modules, result = _imports_of_idle_publish(workspace)
    assert result.returncode == 0, result.stderr[-500:]
    assert "scheduler.config" in modules and "dotenv" not in modules


def test_a_env_file_is_still_read_through_dotenv(workspace, monkeypatch):
    (workspace / ".env").write_text(f"OUTBOX_PATH={workspace / 'from-dotenv.jsonl'}\n")
    monkeypatch.delenv("OUTBOX_PATH")
    modules, result = _imports_of_idle_publish(workspace)
    assert result.returncode == 0, result.stderr[-500:]
    assert "dotenv" in modules

    from scheduler.config import load_settings

    assert load_settings(env_file=workspace / ".env").outbox_path == workspace / "from-dotenv.jsonl"


@pytest.mark.parametrize("command", ["", "demo", "extract", "plan", "queue", "add", "list", "publish", "daemon"])
def test_every_command_has_help_via_python_m(command):
    argv = [sys.executable, "-m", "scheduler", *([command] if command else []), "--help"]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 0 and "usage: hashtag-scheduler" in result.stdout


def test_a_reader_that_stops_reading_gets_no_traceback():
    # "hashtag-scheduler extract article.md --json | head -c 100": the pipe closes before the output is written
    argv = [sys.executable, "-m", "scheduler", "extract", str(SAMPLE_ARTICLE), "--json"]
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    process.stdout.close()
    _, err = process.communicate(timeout=60)
    assert process.returncode == 1 and b"Traceback" not in err and b"BrokenPipeError" not in err, err.decode()[-500:]
