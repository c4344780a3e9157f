"""`plan CAMPAIGN` as the dry run of `queue`: it reads the queue (read-only, only when its database exists) and
marks each post new or already queued, with counts that equal what the next `queue` reports."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import time
from datetime import datetime, timezone
from pathlib import Path

from scheduler.store import iso_utc
from scheduler.store.sqlite import _statements, latest_migration, migrations

from helpers import MONDAY, SAMPLE_ARTICLE, Clock, run_cli, save_campaign, stored_posts

CAMPAIGN = """
[campaign]
name = "sciatica"
article = "{article}"
topic = "Massage therapy"
condition = "sciatica"
hashtags = ["#sciatica"]
channels = ["outbox"]

[cadence]
zone = "America/New_York"
slots = {slots}
missed_after_minutes = 100000

[templates]
benefit = {benefit}
"""


def write(folder: Path, benefit: str = '["benefit", "question"]', slots: str = '["mon,wed,fri 09:30"]',
          extra: str = "") -> Path:
    return save_campaign(folder, CAMPAIGN.format(article=SAMPLE_ARTICLE, benefit=benefit, slots=slots) + extra)


def run(argv, capsys, clock=None):
    return run_cli(argv, capsys, clock or Clock(MONDAY))


def plan_rows(path: Path, capsys, clock=None) -> list[dict]:
    code, out, err = run(["plan", str(path), "--json"], capsys, clock)
    assert code == 0 and err == "", err
    return json.loads(out)


def queue_counts(out: str) -> tuple[int, int]:
    """(added, already queued) from `queue`'s last line."""
    found = re.search(r"queued (\d+) post\(s\); (\d+) already queued", out)
    assert found, out
    return int(found[1]), int(found[2])


def plan_counts(out: str) -> tuple[int, int]:
    found = re.search(r"^(\d+) new, (\d+) already queued", out.splitlines()[-1])
    assert found, out
    return int(found[1]), int(found[2])


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_plan_before_queue_shows_every_post_new_and_creates_no_database(workspace, capsys, monkeypatch):
    monkeypatch.setenv("SCHEDULER_DATABASE_URL", f"sqlite:///{workspace / 'data' / 'q.db'}")
    path = write(workspace)

    rows = plan_rows(path, capsys)
    code, out, err = run(["plan", str(path)], capsys)

    assert len(rows) == 5 and all(row["new"] is True and row["queued"] is None for row in rows)
    assert {row["status"] for row in rows} == {"planned"}  # the fields scripts read are unchanged
    assert code == 0 and err == ""
    assert out.splitlines()[-1] == "5 new, 0 already queued"
    assert len(re.findall(r"^\s+-  new\s+outbox", out, re.M)) == 5
    assert not (workspace / "data").exists(), "plan must create neither the database nor its folder"


def test_plan_after_queue_marks_each_post_queued_with_its_id_and_status(workspace, capsys):
    path = write(workspace)
    code, out, _ = run(["queue", str(path), "--json"], capsys)
    queued = {row["scheduled_at"]: row["id"] for row in json.loads(out)}

    rows = plan_rows(path, capsys)

    assert [row["new"] for row in rows] == [False] * 5
    assert {row["scheduled_at"]: row["queued"]["id"] for row in rows} == queued
    assert {row["queued"]["status"] for row in rows} == {"queued"}
    code, out, err = run(["plan", str(path)], capsys)
    assert code == 0 and err == ""
    assert plan_counts(out) == (0, 5)
    for post_id in queued.values():
        assert re.search(rf"^\s+#{post_id}  queued\s+outbox", out, re.M), out
    code, out, _ = run(["queue", str(path)], capsys)
    assert code == 0 and queue_counts(out) == (0, 5)  # the run tells the dry run's story


def test_plan_counts_equal_what_the_next_queue_reports(workspace, capsys):
    # Queued with one template; a second template then gives two of the five items new posts (new keys).
    assert run(["queue", str(write(workspace, benefit='["benefit"]'))], capsys)[0] == 0
    first = {post.id for post in stored_posts(workspace)}
    path = write(workspace, benefit='["benefit", "question"]')

    code, plan_out, err = run(["plan", str(path)], capsys)
    rows = plan_rows(path, capsys)
    queue_out = run(["queue", str(path)], capsys)[1]

    assert code == 0, err
    assert plan_counts(plan_out) == queue_counts(queue_out) == (2, 3)
    # The new posts take the slots `queue` then gives them: the free ones after the queued posts.
    added = [post for post in stored_posts(workspace) if post.id not in first]
    assert [(r["scheduled_at"], r["text"]) for r in rows if r["new"]] == [(iso_utc(p.scheduled_at), p.text) for p in added]
    kept = [r["queued"]["id"] for r in rows if not r["new"]]
    assert len(kept) == 3 and set(kept) <= first


def test_plan_shows_a_published_post_as_published(workspace, capsys):
    path = write(workspace)
    clock = Clock(MONDAY)
    assert run(["queue", str(path)], capsys, clock)[0] == 0
    clock.now = datetime(2026, 11, 23, 15, 0, tzinfo=timezone.utc)  # Monday's 09:30 slot has passed
    assert run(["publish"], capsys, clock)[0] == 0

    rows = plan_rows(path, capsys, clock)
    code, out, _ = run(["plan", str(path)], capsys, clock)

    assert [row["queued"]["status"] for row in rows] == ["published"] + ["queued"] * 4
    assert re.search(rf"^\s+#{rows[0]['queued']['id']}  published\s+outbox", out, re.M), out


def test_plan_shows_the_moves_a_changed_schedule_brings(workspace, capsys):
    path = write(workspace)
    assert run(["queue", str(path)], capsys)[0] == 0
    write(workspace, slots='["tue,thu 11:00"]')

    rows = plan_rows(path, capsys)
    code, out, _ = run(["plan", str(path)], capsys)
    before = {p.id: p.local_time for p in stored_posts(workspace)}
    assert run(["queue", str(path)], capsys)[0] == 0
    after = {p.id: p.local_time for p in stored_posts(workspace)}

    assert {row["queued"]["id"]: row["queued"]["moves_to"] for row in rows} == after
    assert {row["queued"]["id"]: row["local_time"] for row in rows} == before  # where they are until `queue` runs
    assert out.count("would move from") == 5 and out.splitlines()[-1] == "0 new, 5 already queued; 5 would move to the new schedule"


def test_plan_counts_evergreen_repeats_as_queue_adds_them(workspace, capsys):
    path = write(workspace, extra="\n[evergreen]\nenabled = true\n")
    clock = Clock(MONDAY)
    assert run(["queue", str(path)], capsys, clock)[0] == 0
    clock.now = datetime(2026, 12, 10, 18, 0, tzinfo=timezone.utc)  # every queued post's slot has passed
    assert run(["publish"], capsys, clock)[0] == 0

    code, out, err = run(["plan", str(path)], capsys, clock)
    rows = plan_rows(path, capsys, clock)
    queue_out = run(["queue", str(path), "--json"], capsys, clock)[1]

    assert code == 0, err
    repeats = [row for row in rows if row["new"]]
    assert repeats and all(row["cycle"] == 1 for row in repeats)
    assert [r["scheduled_at"] for r in repeats] == [p["scheduled_at"] for p in json.loads(queue_out)]
    assert out.splitlines()[-1] == f"{len(repeats)} new, 5 already queued; {len(repeats)} evergreen repeat(s)"


def _set_schema_version(path: Path, version: int) -> None:
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {version:d}")
    db.close()


def test_plan_with_a_newer_schema_warns_in_one_line_and_leaves_the_queue_alone(workspace, capsys):
    path = write(workspace)
    assert run(["queue", str(path)], capsys)[0] == 0
    database = workspace / "q.db"
    _set_schema_version(database, latest_migration() + 1)
    before = digest(database)

    code, out, err = run(["plan", str(path)], capsys)
    json_code, json_out, _ = run(["plan", str(path), "--json"], capsys)

    assert code == 0 and json_code == 0  # the plan still shows; the queue state is unknown
    assert err.count("\n") == 1 and err.startswith("warning: ")
    assert f"schema version {latest_migration() + 1}, newer than" in err and "not checked against the queue" in err
    assert out.splitlines()[-1] == "5 post(s); not checked against the queue"
    assert len(re.findall(r"^\s+-  unknown\s+outbox", out, re.M)) == 5
    rows = json.loads(json_out)
    assert len(rows) == 5 and all(row["new"] is None and row["queued"] is None for row in rows)
    assert digest(database) == before


def test_plan_with_an_older_schema_does_not_migrate_it(workspace, capsys):
    database = workspace / "q.db"
    with sqlite3.connect(database) as db:
        for number, script in migrations():
            if number <= 2:
                for statement in _statements(script):
                    db.execute(statement)
        db.execute("PRAGMA user_version = 2")
    db.close()

    code, out, err = run(["plan", str(write(workspace))], capsys)

    assert code == 0 and err.count("\n") == 1
    assert "schema version 2, older than" in err and "the next `queue` upgrades it" in err
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (2,)  # no migration ran
    db.close()


def test_plan_takes_no_write_lock_and_writes_nothing(workspace, capsys):
    path = write(workspace)
    assert run(["queue", str(path), "--json"], capsys)[0] == 0
    database = workspace / "q.db"
    before = digest(database)
    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process's write transaction, held throughout
    try:
        started = time.monotonic()
        rows = plan_rows(path, capsys)
        elapsed = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()

    assert elapsed < 10, "plan waited for the write lock"  # the store's busy timeout is 30 s
    assert [row["new"] for row in rows] == [False] * 5
    assert digest(database) == before


def test_plan_with_a_file_that_is_no_database_warns_and_still_plans(workspace, capsys):
    database = workspace / "q.db"
    database.write_bytes(b"a spreadsheet saved under the queue's name " * 40)
    before = digest(database)

    code, out, err = run(["plan", str(write(workspace))], capsys)

    assert code == 0 and err.count("\n") == 1
    assert err.startswith("warning: cannot read the queue database") and "not checked against the queue" in err
    assert out.splitlines()[-1] == "5 post(s); not checked against the queue"
    assert digest(database) == before
