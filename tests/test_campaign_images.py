"""Issue 4: campaign images per template (or post kind); Instagram refuses a post without one at plan time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scheduler.campaign import load_campaign
from scheduler.errors import ConfigError

from helpers import MONDAY, SAMPLE_ARTICLE, run_cli, save_campaign, stored_posts


BASE = """
[campaign]
name = "sciatica"
article = "{article}"
topic = "Massage therapy"
hashtags = ["#sciatica"]
channels = {channels}

[cadence]
zone = "America/New_York"
slots = ["mon,wed,fri 09:30"]

[templates]
benefit = ["benefit", "tip"]
{templates_extra}
"""
URL = "https://clinic.example/img/"


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in list(__import__("os").environ):
        if name.startswith(("MASTODON_", "BLUESKY_", "SCHEDULER_", "OUTBOX_", "INSTAGRAM_", "THREADS_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("SCHEDULER_DATABASE_URL", f"sqlite:///{tmp_path / 'q.db'}")
    for name in ("INSTAGRAM_USER_ID", "INSTAGRAM_ACCESS_TOKEN", "THREADS_USER_ID", "THREADS_ACCESS_TOKEN"):
        monkeypatch.setenv(name, "17841400000000000" if name.endswith("USER_ID") else "token-for-tests")
    return tmp_path


def write(folder: Path, templates_extra: str = "", channels: str = '["instagram"]') -> Path:
    return save_campaign(folder, BASE.format(article=SAMPLE_ARTICLE, channels=channels,
                                             templates_extra=templates_extra))


def run(argv, capsys):
    return run_cli(argv, capsys, lambda: MONDAY)


def test_images_by_template_reach_the_instagram_payload(workspace, capsys):
    path = write(workspace, f'images = {{ benefit = "{URL}benefit.jpg", tip = "{URL}tip.jpg" }}')
    code, out, err = run(["queue", str(path), "--json"], capsys)
    assert code == 0, err
    posts = stored_posts(workspace)
    assert posts
    for post in posts:
        assert post.payload["image_url"] == f"{URL}{post.template}.jpg"
        assert post.payload["caption"] == post.text


def test_an_image_by_post_kind_serves_every_template_of_that_kind(workspace, capsys):
    path = write(workspace, f'images = {{ benefit = "{URL}any.jpg", tip = "{URL}tip.jpg" }}')
    rows = json.loads(run(["plan", str(path), "--json"], capsys)[1])
    assert {r["template"]: r["image_url"] for r in rows} == {"benefit": f"{URL}any.jpg", "tip": f"{URL}tip.jpg"}
    path = write(workspace, f'images = {{ benefit = "{URL}any.jpg" }}')
    rows = json.loads(run(["plan", str(path), "--json"], capsys)[1])
    assert {r["image_url"] for r in rows} == {f"{URL}any.jpg"}  # the tip template is a benefit post too


def test_instagram_without_an_image_is_refused_in_one_line_and_nothing_is_written(workspace, capsys):
    path = write(workspace, 'images = { tip = "https://clinic.example/img/tip.jpg" }')
    for command in ("plan", "queue"):
        code, out, err = run([command, str(path)], capsys)
        assert code == 2 and out == ""
        lines = err.strip().splitlines()
        assert len(lines) == 1
        assert str(path) in lines[0] and "templates.images" in lines[0]
        assert "template 'benefit'" in lines[0] and "instagram needs an image" in lines[0]
    assert not (workspace / "q.db").exists()


def test_threads_carries_an_image_when_given_and_posts_text_without(workspace, capsys):
    path = write(workspace, f'images = {{ tip = "{URL}tip.jpg" }}', channels='["threads", "outbox"]')
    code, out, err = run(["plan", str(path), "--json"], capsys)
    assert code == 0, err
    rows = json.loads(out)
    threads = {r["template"]: r["image_url"] for r in rows if r["channel"] == "threads"}
    assert threads == {"tip": f"{URL}tip.jpg", "benefit": None}
    assert {r["image_url"] for r in rows if r["channel"] == "outbox"} == {None}  # other networks: text only


def test_a_local_file_is_refused_for_instagram_without_a_base_url(workspace, capsys):
    (workspace / "img").mkdir()
    (workspace / "img" / "tip.jpg").write_bytes(b"\xff\xd8\xff")
    path = write(workspace, 'images = { benefit = "img/tip.jpg" }')
    code, _, err = run(["plan", str(path)], capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "local file" in err and "image_base_url" in err and str(path) in err


def test_a_local_file_with_a_base_url_becomes_its_public_url(workspace, capsys):
    (workspace / "img").mkdir()
    (workspace / "img" / "tip.jpg").write_bytes(b"\xff\xd8\xff")
    path = write(workspace, 'images = { benefit = "img/tip.jpg" }\nimage_base_url = "https://cdn.clinic.example/c/"')
    code, out, err = run(["plan", str(path), "--json"], capsys)
    assert code == 0, err
    assert {r["image_url"] for r in json.loads(out)} == {"https://cdn.clinic.example/c/img/tip.jpg"}


@pytest.mark.parametrize("extra, fragment", [
    ('images = { tip = "img/missing.jpg" }', "templates.images.tip: image file 'img/missing.jpg' not found"),
    ('images = { tip = "ftp://clinic.example/a.jpg" }', "templates.images.tip"),
    ('images = { tip = 3 }', "templates.images.tip"),
    ('images = "https://clinic.example/a.jpg"', "templates.images"),
    ('image_base_url = "clinic.example"', "templates.image_base_url"),
])
def test_bad_image_keys_are_refused(workspace, extra, fragment):
    with pytest.raises(ConfigError) as caught:
        load_campaign(write(workspace, extra))
    assert fragment in str(caught.value)


def test_preview_shows_the_missing_image_instead_of_failing(workspace, capsys):
    code, out, err = run(["preview", str(write(workspace)), "--json"], capsys)
    assert code == 1
    rows = json.loads(out)
    assert all(not r["fits"] and "needs an image" in r["error"] for r in rows)
