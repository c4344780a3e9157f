"""`preview`: per post and platform, the compiled text, count, limit, facets and warnings; writes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import MONDAY, run_cli, save_campaign, write_article_and_template

ARTICLE = """# Massage and sciatica

Massage therapy can reduce muscle tension in the lower back.

Massage also improves circulation and will flush out toxins from the tissue.
"""
CAMPAIGN = """
[campaign]
name = "sc"
article = "article.md"
article_url = "https://c.example/a?x=1"
topic = "Massage therapy"
condition = "sciatica"
hashtags = ["#sciatica"]
channels = {channels}

[cadence]
zone = "UTC"
slots = ["daily 09:00"]

[templates]
benefit = ["short"]

[hashtags]
sets = [["#backpain"], ["#selfcare"]]
"""


@pytest.fixture
def workspace(workspace):
    """conftest's workspace with this file's article and a `short` template that quotes the evidence and links."""
    return write_article_and_template(workspace, ARTICLE,
                                      "{{ benefit.evidence }} {{ article.url }} {{ hashtags | join(' ') }}\n")


def write(folder: Path, channels: str = '["outbox"]') -> Path:
    return save_campaign(folder, CAMPAIGN.format(channels=channels))


def run(argv, capsys):
    return run_cli(argv, capsys, lambda: MONDAY)


def _url(platform: str) -> str:
    return f"https://c.example/a?x=1&utm_source={platform}&utm_medium=social&utm_campaign=sc&utm_content=short"


def test_preview_json_for_bluesky_has_facets_and_warnings(workspace, capsys):
    code, out, err = run(["preview", str(write(workspace)), "--platform", "bluesky", "--json"], capsys)
    assert code == 0, err
    rows = json.loads(out)
    assert [set(row) for row in rows][0] == {"item", "kind", "point", "template", "channel", "platform", "text", "length",
                                             "limit", "fits", "error", "hashtags", "facets", "payload", "warnings", "claims"}
    first, second = rows
    text = f"Massage therapy can reduce muscle tension in the lower back. {_url('bluesky')} #sciatica #backpain"
    assert first["text"] == text and first["length"] == len(text) and first["limit"] == 300
    assert (first["item"], first["channel"], first["platform"], first["fits"], first["error"]) == (1, "bluesky", "bluesky", True, None)
    assert first["hashtags"] == ["#sciatica", "#backpain"]
    start = len("Massage therapy can reduce muscle tension in the lower back. ")
    url_end = start + len(_url("bluesky"))
    assert first["facets"] == [
        {"index": {"byteStart": start, "byteEnd": url_end},
         "features": [{"$type": "app.bsky.richtext.facet#link", "uri": _url("bluesky")}]},
        {"index": {"byteStart": url_end + 1, "byteEnd": url_end + 10},
         "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "sciatica"}]},
        {"index": {"byteStart": url_end + 11, "byteEnd": url_end + 20},
         "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "backpain"}]},
    ]
    assert first["payload"] == {"text": text, "facets": first["facets"]}
    assert first["warnings"] == [] and first["claims"] == []
    assert second["hashtags"] == ["#sciatica", "#selfcare"]
    assert second["warnings"] == ['claim (high, toxins): "flush out toxins" is a toxin-flushing claim with no medical '
                                  'basis; try: "improves blood flow to the area" or leave it out']
    assert [c["rule"] for c in second["claims"]] == ["toxins"]
    assert not (workspace / "q.db").exists(), "preview writes nothing"


def test_preview_text_output_exact(workspace, capsys):
    code, out, _ = run(["preview", str(write(workspace))], capsys)
    first = f"Massage therapy can reduce muscle tension in the lower back. {_url('outbox')} #sciatica #backpain"
    second = f"Massage also improves circulation and will flush out toxins from the tissue. {_url('outbox')} #sciatica #selfcare"
    assert code == 0
    assert out == (
        f"[1] benefit · short · outbox: {len(first)}/5000 fits\n  | {first}\n\n"
        f"[2] benefit · short · outbox: {len(second)}/5000 fits\n  | {second}\n"
        '  ! claim (high, toxins): "flush out toxins" is a toxin-flushing claim with no medical basis; '
        'try: "improves blood flow to the area" or leave it out\n')


def test_preview_orders_by_post_then_channel_and_shows_block_mode_findings(workspace, capsys):
    path = write(workspace, '["outbox", "discord"]')
    path.write_text(path.read_text() + '\n[guard]\nmode = "block"\n')
    code, out, err = run(["preview", str(path), "--json"], capsys)
    assert code == 0, err  # preview shows what block would refuse; only queue/plan refuse it
    rows = json.loads(out)
    assert [(r["item"], r["channel"]) for r in rows] == [(1, "outbox"), (1, "discord"), (2, "outbox"), (2, "discord")]
    assert rows[1]["payload"]["allowed_mentions"] == {"parse": []} and rows[1]["facets"] is None
    assert [bool(r["claims"]) for r in rows] == [False, False, True, True]


def test_preview_shows_a_post_that_does_not_fit_and_exits_1(workspace, capsys):
    (workspace / "templates" / "short.j2").write_text("{{ benefit.evidence }} " + "x" * 300 + "\n")
    code, out, _ = run(["preview", str(write(workspace)), "--platform", "bluesky", "--json"], capsys)
    rows = json.loads(out)
    assert code == 1
    assert rows[0]["fits"] is False and rows[0]["error"] == "361 graphemes is over bluesky's limit of 300"
    assert rows[0]["length"] == 361 and rows[0]["payload"] is None


def test_preview_unknown_platform_is_one_line_exit_2(workspace, capsys):
    code, out, err = run(["preview", str(write(workspace)), "--platform", "myspace"], capsys)
    assert code == 2 and out == ""
    assert err.startswith("error: --platform: unknown platform 'myspace' (one of ") and err.count("\n") == 1


def test_preview_threads_keeps_one_topic_tag(workspace, capsys):
    code, out, _ = run(["preview", str(write(workspace)), "--platform", "threads", "--json"], capsys)
    assert code == 0 and [r["hashtags"] for r in json.loads(out)] == [["#sciatica"], ["#sciatica"]]
