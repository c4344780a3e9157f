"""OutboxPublisher: one JSON line per post, idempotent by key, and unharmed by a line torn in a crash."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
import requests

from scheduler.publishers import publisher_class
from scheduler.publishers.outbox import OutboxPublisher

NOW = datetime(2026, 11, 23, 14, 30, tzinfo=timezone.utc)


@pytest.fixture
def outbox(tmp_path):
    return tmp_path / "out" / "outbox.jsonl"  # the folder does not exist yet


@pytest.fixture
def publisher(settings_with, outbox):
    return OutboxPublisher("outbox", settings_with(OUTBOX_PATH=str(outbox)), requests.Session())


def read_lines(path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.endswith(b"\n"), "the outbox must end with a whole line"
    return [json.loads(line) for line in raw.decode("utf-8").split("\n")[:-1]]


def test_registered_and_needs_no_credentials(settings_with):
    assert publisher_class("outbox") is OutboxPublisher
    OutboxPublisher("outbox", settings_with(), requests.Session())  # no ConfigError


def test_writes_one_json_line_per_post(publisher, outbox, make_post):
    first = make_post("Massage eases sciatica #sciatica", id=1)
    second = make_post("Héllo 🚀 #backpain", id=2)

    one = publisher.publish(first, NOW)
    two = publisher.publish(second, NOW)

    lines = read_lines(outbox)
    assert [line["idempotency_key"] for line in lines] == [first.idempotency_key, second.idempotency_key]
    assert lines[1] == {
        "id": 2, "idempotency_key": second.idempotency_key, "channel": "outbox",
        "scheduled_at": "2026-11-23T14:30:00Z", "local_time": second.local_time, "zone": "UTC",
        "text": "Héllo 🚀 #backpain", "payload": {"text": "Héllo 🚀 #backpain"}, "published_at": "2026-11-23T14:30:00Z",
    }
    assert "Héllo 🚀" in outbox.read_text(encoding="utf-8")  # readable UTF-8, not \u escapes
    assert one.remote_id == first.idempotency_key
    assert one.remote_url == f"{outbox.resolve().as_uri()}#L1"
    assert two.remote_url == f"{outbox.resolve().as_uri()}#L2"


def test_publishing_the_same_post_twice_writes_one_line(publisher, outbox, make_post):
    post = make_post(id=5)

    first = publisher.publish(post, NOW)
    again = publisher.publish(post, datetime(2026, 11, 23, 15, 0, tzinfo=timezone.utc))

    assert len(read_lines(outbox)) == 1
    assert again == first


def test_a_second_publisher_on_the_same_file_finds_the_line(settings_with, outbox, make_post):
    post = make_post(id=5)
    settings = settings_with(OUTBOX_PATH=str(outbox))
    OutboxPublisher("outbox", settings, requests.Session()).publish(post, NOW)

    OutboxPublisher("outbox", settings, requests.Session()).publish(post, NOW)

    assert len(read_lines(outbox)) == 1


@pytest.mark.parametrize("torn", [
    b'{"id": 9, "idempotency_key": "abc", "text": "half',
    '{"id": 9, "idempotency_key": "abc", "text": "Héllo 🚀'.encode("utf-8")[:-2],  # cut inside the emoji
    b"{",
], ids=["mid-string", "mid-character", "one-brace"])
def test_a_torn_last_line_from_a_crash_does_not_break_it(publisher, outbox, make_post, torn):
    written = make_post("Before the crash #sciatica", id=1)
    publisher.publish(written, NOW)
    with open(outbox, "ab") as handle:
        handle.write(torn)  # a crash mid-write: no newline, maybe half a character

    assert publisher.publish(written, NOW).remote_url.endswith("#L1")  # still found, not written again
    after = make_post("After the crash #sciatica", id=2)
    published = publisher.publish(after, NOW)

    lines = read_lines(outbox)  # every line is whole JSON again
    assert [line["id"] for line in lines] == [1, 2]
    assert published.remote_url.endswith("#L2")
    assert publisher.publish(after, NOW) == published


def test_a_whole_last_line_missing_only_its_newline_is_kept(publisher, outbox, make_post):
    first, second = make_post("One #sciatica", id=1), make_post("Two #sciatica", id=2)
    publisher.publish(first, NOW)
    outbox.write_bytes(outbox.read_bytes().rstrip(b"\n"))  # the crash came between the JSON and its newline

    assert publisher.publish(first, NOW).remote_url.endswith("#L1")
    publisher.publish(second, NOW)

    assert [line["id"] for line in read_lines(outbox)] == [1, 2]


def test_a_torn_line_alone_in_the_file(publisher, outbox, make_post):
    outbox.parent.mkdir(parents=True)
    outbox.write_bytes(b'{"id": 1, "idem')

    published = publisher.publish(make_post(id=3), NOW)

    assert [line["id"] for line in read_lines(outbox)] == [3]
    assert published.remote_url.endswith("#L1")



def test_verify_needs_no_credentials_and_names_the_file(settings_with, tmp_path):
    from scheduler.publishers.outbox import OutboxPublisher

    publisher = OutboxPublisher("outbox", settings_with(OUTBOX_PATH=str(tmp_path / "o.jsonl")), requests.Session())
    assert publisher.verify(NOW) == f"no credentials; appends to {tmp_path / 'o.jsonl'}"
    assert not (tmp_path / "o.jsonl").exists()
