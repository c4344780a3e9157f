"""calendar, export (iCalendar, CSV) and import (our CSV and the bulk-upload layout), through the CLI."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone

import pytest

from helpers import run_cli

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)


def run(argv, capsys):
    return run_cli(argv, capsys, lambda: NOW)


def add(capsys, text, at, zone="America/New_York"):
    assert run(["add", "--channel", "outbox", "--text", text, "--at", at, "--zone", zone], capsys)[0] == 0


def test_calendar_groups_by_local_day(workspace, capsys):
    add(capsys, "late evening in New York", "2026-11-24T23:30")  # 04:30 UTC on the 25th
    add(capsys, "morning", "2026-11-24T09:30")
    add(capsys, "far away", "2027-01-30T09:30")
    code, out, _ = run(["calendar", "--days", "7", "--json"], capsys)
    data = json.loads(out)
    assert code == 0 and list(data) == ["2026-11-24"]
    assert [p["text"] for p in data["2026-11-24"]] == ["morning", "late evening in New York"]
    code, out, _ = run(["calendar", "--days", "7"], capsys)
    assert out.splitlines()[0] == "Tue 24 Nov 2026" and "23:30 America/New_York" in out


def test_ics_export_is_valid_and_folded(workspace, capsys):
    add(capsys, "Massage; relief, now\nsecond line " + "é" * 60, "2026-11-24T09:30")
    code, out, _ = run(["export", "--ics", "-"], capsys)
    assert code == 0
    assert out.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and out.endswith("END:VCALENDAR\r\n")
    lines = out.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in lines)
    assert "DTSTART:20261124T143000Z" in lines
    unfolded = out.replace("\r\n ", "")
    assert "DESCRIPTION:Massage\\; relief\\, now\\nsecond line " + "é" * 60 + "\\n\\nstatus: queued" in unfolded


def test_csv_round_trips_into_another_queue(workspace, capsys, monkeypatch):
    add(capsys, "one, with a comma", "2026-11-24T09:30")
    add(capsys, 'two "quoted"\nand multi-line', "2026-11-25T09:30", zone="Europe/Berlin")
    code, _, _ = run(["export", "--csv", str(workspace / "queue.csv")], capsys)
    assert code == 0
    monkeypatch.setenv("SCHEDULER_DATABASE_URL", f"sqlite:///{workspace / 'other.db'}")
    code, out, err = run(["import", str(workspace / "queue.csv"), "--json"], capsys)
    assert code == 0, err
    imported = json.loads(out)
    assert [(p["text"], p["scheduled_at"], p["zone"]) for p in imported] == [
        ("one, with a comma", "2026-11-24T14:30:00Z", "America/New_York"),
        ('two "quoted"\nand multi-line', "2026-11-25T08:30:00Z", "Europe/Berlin")]
    code, out, _ = run(["import", str(workspace / "queue.csv")], capsys)
    assert code == 0 and "imported 0 post(s); 2 were already queued" in out


def test_bulk_layout_with_link_and_date_format(workspace, capsys):
    (workspace / "bulk.csv").write_text(
        "Date-Time,Message,Link\n12/01/2026 09:30,Massage can ease sciatica,https://clinic.example/a\n"
        "12/03/2026 09:30,Stretch daily https://clinic.example/b,https://clinic.example/b\n", encoding="utf-8")
    code, out, err = run(["import", "bulk.csv", "--channel", "outbox", "--zone", "America/New_York",
                          "--date-format", "%m/%d/%Y %H:%M", "--json"], capsys)
    assert code == 0, err
    assert [(p["text"], p["local_time"]) for p in json.loads(out)] == [
        ("Massage can ease sciatica https://clinic.example/a", "2026-12-01T09:30:00-05:00"),
        ("Stretch daily https://clinic.example/b", "2026-12-03T09:30:00-05:00")]


@pytest.mark.parametrize("rows, message", [
    ("Date-Time,Message\n2026-12-01 09:30,fine\nnot a date,bad\n", "bulk.csv:3: invalid date-time 'not a date'"),
    ("Date-Time,Message\n2026-12-01 09:30,fine\n2026-12-02 09:30,\n", "bulk.csv:3: empty message"),
    ("When,Words\n2026-12-01 09:30,x\n", "bulk.csv:1: expected a time column"),
    ("Date-Time,Message,Channel\n2026-12-01 09:30,x,myspace\n", "bulk.csv:2: unknown channel 'myspace'"),
])
def test_a_bad_row_is_named_and_nothing_is_imported(workspace, capsys, rows, message):
    add(capsys, "already here", "2026-11-24T09:30")
    (workspace / "bulk.csv").write_text(rows, encoding="utf-8")
    code, out, err = run(["import", "bulk.csv", "--channel", "outbox"], capsys)
    assert code == 2 and err.count("\n") == 1 and message in err, err
    assert sqlite3.connect(workspace / "q.db").execute("SELECT count(*) FROM posts").fetchone() == (1,)


# -- approval state round-trips through our CSV ------------------------------------------------------

def _enqueue_for_approval(workspace, key: str, at: datetime) -> int:
    """A post of a campaign that requires approval: it enters as a draft."""
    from scheduler.store import NewPost, opened_store

    text = f"Massage may ease sciatica {key} #sciatica"
    post = NewPost(channel="outbox", platform="outbox", scheduled_at=at, zone="America/New_York", text=text,
                   payload={"text": text}, length=len(text), limit=5000, idempotency_key=key, campaign="sciatica",
                   status="draft", requires_approval=True)
    with opened_store(f"sqlite:///{workspace / 'q.db'}") as store:
        return store.enqueue([post], NOW).added[0].id


def _approval_state(db_path) -> list[tuple]:
    with sqlite3.connect(db_path) as db:
        rows = db.execute("SELECT idempotency_key, status, requires_approval, approved_by, approved_at FROM posts "
                          "ORDER BY scheduled_at").fetchall()
    db.close()
    return rows


def test_csv_round_trips_the_approval_state(workspace, capsys, monkeypatch):
    approved = _enqueue_for_approval(workspace, "approved", datetime(2026, 11, 24, 14, 30, tzinfo=timezone.utc))
    _enqueue_for_approval(workspace, "waiting", datetime(2026, 11, 25, 14, 30, tzinfo=timezone.utc))
    add(capsys, "a manual post", "2026-11-26T09:30")
    assert run(["approve", str(approved), "--by", "Dr. Rivera"], capsys)[0] == 0
    code, _, err = run(["export", "--csv", str(workspace / "queue.csv")], capsys)
    assert code == 0, err
    header = (workspace / "queue.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.endswith(",requires_approval,approved_by,approved_at")

    monkeypatch.setenv("SCHEDULER_DATABASE_URL", f"sqlite:///{workspace / 'other.db'}")
    code, out, err = run(["import", str(workspace / "queue.csv"), "--json"], capsys)

    assert code == 0, err
    assert [(p["status"], p["approved_by"], p["approved_at"]) for p in json.loads(out)] == [
        ("queued", "Dr. Rivera", "2026-11-23T12:00:00Z"), ("draft", None, None), ("queued", None, None)]
    original = _approval_state(workspace / "q.db")
    assert _approval_state(workspace / "other.db") == original
    assert original[0][1:] == ("queued", 1, "Dr. Rivera", "2026-11-23T12:00:00.000000Z")


@pytest.mark.parametrize("cells, message", [
    ("maybe,,", "our.csv:2: invalid requires_approval 'maybe' (expected true or false)"),
    ("true,Dr. Rivera,", "our.csv:2: approved_by and approved_at go together: approved_at is empty"),
    ("true,,2026-11-23T12:00:00Z", "our.csv:2: approved_by and approved_at go together: approved_by is empty"),
    ("true,Dr. Rivera,2026-11-23T12:00", "our.csv:2: invalid approved_at '2026-11-23T12:00' (expected an ISO-8601"),
])
def test_a_bad_approval_cell_is_named_and_nothing_is_imported(workspace, capsys, cells, message):
    (workspace / "our.csv").write_text("channel,scheduled_at,zone,text,requires_approval,approved_by,approved_at\n"
                                       f"outbox,2026-12-01T14:30:00Z,UTC,hello,{cells}\n", encoding="utf-8")
    code, out, err = run(["import", "our.csv"], capsys)
    assert code == 2 and err.count("\n") == 1 and message in err, err
    assert not (workspace / "q.db").exists()  # refused before the queue was opened
