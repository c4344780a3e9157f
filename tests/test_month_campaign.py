"""Issue 6's whole month through the CLI alone: a two-channel campaign planned, approved, adjusted,
exported and published day by day, with evergreen repeats that never repeat text within the cooldown."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

from scheduler import cli

from helpers import Clock

ROOT = Path(__file__).resolve().parents[1]
START = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)  # Monday 07:00 in New York

CAMPAIGN = f"""
[campaign]
name = "sciatica-month"
article = "{ROOT / 'scheduler' / 'sample' / 'article.md'}"
topic = "Massage therapy"
condition = "sciatica"
hashtags = ["#massagetherapyforsciatica", "#sciatica"]
channels = ["outbox", "outbox:clinic2"]
approval = true

[cadence]
zone = "America/New_York"
slots = ["mon,wed,fri 09:30"]

[channels."outbox:clinic2"]
slots = ["tue,thu 12:00"]
zone = "Europe/Berlin"

[templates]
benefit = ["benefit", "question", "tip"]
technique = ["technique"]

[hashtags]
sets = [["#backpain"], ["#painrelief"], ["#wellness"]]

[evergreen]
cooldown_days = 14
"""


def run(argv, capsys, clock):
    code = cli.main(argv, clock=clock)
    out = capsys.readouterr()
    assert code in (0, 1), out.err
    return code, out.out


def test_a_month_of_a_two_channel_campaign_through_the_cli(workspace, capsys, monkeypatch):
    campaign = workspace / "campaign.toml"
    campaign.write_text(CAMPAIGN, encoding="utf-8")
    clock = Clock(START)

    code, out = run(["plan", str(campaign), "--days", "30", "--json"], capsys, clock)
    planned = json.loads(out)
    assert code == 0 and {p["channel"] for p in planned} == {"outbox", "outbox:clinic2"}
    assert not (workspace / "q.db").exists()  # planning writes nothing

    code, out = run(["queue", str(campaign), "--json"], capsys, clock)
    queued = json.loads(out)
    assert queued and {p["status"] for p in queued} == {"draft"}  # approval required
    assert run(["publish", "--json"], capsys, clock)[1].strip().startswith('{\n  "counts": {}')  # drafts never go out

    code, out = run(["approve", "--all", "--campaign", "sciatica-month", "--by", "Dr. Rivera", "--json"], capsys, clock)
    assert code == 0 and {p["status"] for p in json.loads(out)} == {"queued"}

    outbox_posts = sorted((p for p in queued if p["channel"] == "outbox"), key=lambda p: p["scheduled_at"])
    code, out = run(["move", str(outbox_posts[-1]["id"]), "--top", "--json"], capsys, clock)
    assert code == 0
    moved = {p["id"]: p["scheduled_at"] for p in json.loads(out)}  # a swap: the last post takes the first slot
    assert moved == {outbox_posts[-1]["id"]: outbox_posts[0]["scheduled_at"], outbox_posts[0]["id"]: outbox_posts[-1]["scheduled_at"]}

    assert run(["export", "--ics", str(workspace / "month.ics")], capsys, clock)[0] == 0
    assert run(["export", "--csv", str(workspace / "month.csv")], capsys, clock)[0] == 0
    assert (workspace / "month.ics").read_text().count("BEGIN:VEVENT") == len(queued)

    published = []
    for hour in range(0, 31 * 24, 1):  # publish every hour of the month, as cron would; queue daily for repeats
        clock.now = START + timedelta(hours=hour)
        if hour % 24 == 0:
            run(["queue", str(campaign)], capsys, clock)
            run(["approve", "--all", "--campaign", "sciatica-month", "--by", "Dr. Rivera"], capsys, clock)
        code, out = run(["publish", "--json"], capsys, clock)
        report = json.loads(out)
        assert set(report["counts"]) <= {"published"}, report
        published += report["posts"]

    by_channel: dict[str, list[dict]] = {}
    for post in published:
        by_channel.setdefault(post["channel"], []).append(post)
    assert set(by_channel) == {"outbox", "outbox:clinic2"}
    for channel, posts in by_channel.items():
        posts.sort(key=lambda p: p["published_at"])
        for earlier, later in zip(posts, posts[1:]):
            assert earlier["published_at"] <= later["published_at"]
        texts = [(datetime.fromisoformat(p["published_at"].replace("Z", "+00:00")), p["text"]) for p in posts]
        for i, (when, text) in enumerate(texts):  # no text repeats on a channel within the 14-day cooldown
            for other_when, other_text in texts[i + 1:]:
                if other_when - when < timedelta(days=14):
                    assert other_text != text, (channel, text)
    berlin = [p for p in by_channel["outbox:clinic2"]]
    assert {p["local_time"][11:16] for p in berlin} == {"12:00"}  # Berlin wall time held across the month
    outbox = by_channel["outbox"]
    assert {p["local_time"][11:16] for p in outbox} == {"09:30"}
    assert len(outbox) >= 13  # a month of mon/wed/fri slots: evergreen repeats filled what the article ran out of
