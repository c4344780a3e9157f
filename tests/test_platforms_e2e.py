"""Every platform end to end: `add` then `publish --json` as real subprocesses, against tests/fakeplatforms.py
on 127.0.0.1. Each run has cwd=tmp_path (no .env is read) and an environment without any real credential;
the post must end published with the id and URL the fake gave, after exactly one create request of the
documented shape. Instagram also shows that an interrupted publish is completed with the stored container."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from posts.compile import compile_post
from scheduler.store import NewPost, open_store
from tests.fakeplatforms import FakePlatforms

TEXT = "Massage can ease sciatica. Book a visit #sciatica"
PLATFORM_PREFIXES = ("MASTODON_", "BLUESKY_", "X_", "LINKEDIN_", "FACEBOOK_", "INSTAGRAM_", "THREADS_", "TELEGRAM_",
                     "DISCORD_", "SCHEDULER_", "OUTBOX_")
PAGE, IG_USER, THREADS_USER = "104857600123456", "17841400000000001", "25000000000000001"
BOT_TOKEN = "123456789:AAFakeBotTokenForTests"


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(PLATFORM_PREFIXES) and k.lower() not in {"http_proxy", "https_proxy", "all_proxy"}}
    env.update({"NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost", "PYTHONUNBUFFERED": "1",
                "SCHEDULER_HTTP_TIMEOUT": "10"})
    env.update(extra)
    return env


def platform_env(platform: str, url: str) -> dict[str, str]:
    return {
        "mastodon": {"MASTODON_BASE_URL": url, "MASTODON_ACCESS_TOKEN": "mastodon-test-token"},
        "bluesky": {"BLUESKY_PDS_URL": url, "BLUESKY_HANDLE": "clinic.test", "BLUESKY_APP_PASSWORD": "abcd-efgh-ijkl-mnop"},
        "x": {"X_API_BASE_URL": url, "X_OAUTH2_ACCESS_TOKEN": "x-oauth2-test-token"},
        "linkedin": {"LINKEDIN_API_BASE_URL": url, "LINKEDIN_ACCESS_TOKEN": "linkedin-test-token",
                     "LINKEDIN_AUTHOR_URN": "urn:li:person:abc123"},
        "facebook": {"FACEBOOK_GRAPH_BASE_URL": f"{url}/v26.0", "FACEBOOK_PAGE_ID": PAGE,
                     "FACEBOOK_PAGE_ACCESS_TOKEN": "facebook-test-token"},
        "instagram": {"INSTAGRAM_GRAPH_BASE_URL": f"{url}/v26.0", "INSTAGRAM_USER_ID": IG_USER,
                      "INSTAGRAM_ACCESS_TOKEN": "instagram-test-token"},
        "threads": {"THREADS_API_BASE_URL": f"{url}/v1.0", "THREADS_USER_ID": THREADS_USER,
                    "THREADS_ACCESS_TOKEN": "threads-test-token"},
        "telegram": {"TELEGRAM_API_BASE_URL": url, "TELEGRAM_BOT_TOKEN": BOT_TOKEN, "TELEGRAM_CHAT_ID": "@clinicnews"},
        "discord": {"DISCORD_WEBHOOK_URL": f"{url}/api/webhooks/223704706495545344/fake-webhook-token"},
    }[platform]


def run(tmp_path: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scheduler", *args], cwd=tmp_path, env=env, text=True,
                          capture_output=True, timeout=60)


@pytest.fixture
def fake():
    with FakePlatforms() as server:
        yield server


def database_url(tmp_path: Path) -> str:
    return "sqlite:///" + str(tmp_path / "q.db")


def enqueue_instagram(tmp_path: Path, fake: FakePlatforms) -> int:
    """posts/ compiles Instagram's payload as {"caption"}; the image comes from the campaign (the lead's part)."""
    compiled = compile_post("instagram", TEXT, "test")
    now = datetime.now(timezone.utc) - timedelta(seconds=5)
    store = open_store(database_url(tmp_path))
    try:
        added = store.enqueue([NewPost(channel="instagram", platform="instagram", scheduled_at=now, zone="UTC",
                                       text=compiled.text, payload={**compiled.payload, "image_url": f"{fake.url}/img.jpg"},
                                       length=compiled.length, limit=compiled.limit, idempotency_key="e2e-instagram-1")],
                              now).added
    finally:
        store.close()
    return added[0].id


def check_create_shape(platform: str, request, fake: FakePlatforms) -> None:
    if platform == "mastodon":
        assert request.header("Authorization") == "Bearer mastodon-test-token"
        assert request.header("Idempotency-Key")
        assert request.form()["status"] == [TEXT]
    elif platform == "bluesky":
        body = request.json()
        assert request.header("Authorization") == "Bearer access-jwt"
        assert body["repo"] == "did:plc:fakeclinic" and body["collection"] == "app.bsky.feed.post"
        assert body["record"]["text"] == TEXT and body["record"]["facets"][0]["features"][0]["tag"] == "sciatica"
    elif platform == "x":
        assert request.header("Authorization") == "Bearer x-oauth2-test-token"
        assert request.json() == {"text": TEXT}
    elif platform == "linkedin":
        assert request.header("LinkedIn-Version") and request.header("X-Restli-Protocol-Version") == "2.0.0"
        body = request.json()
        assert body["author"] == "urn:li:person:abc123" and body["lifecycleState"] == "PUBLISHED"
        assert "{hashtag|\\#|sciatica}" in body["commentary"]
    elif platform == "facebook":
        assert request.path == f"/v26.0/{PAGE}/feed" and not request.query
        assert request.form() == {"message": [TEXT], "access_token": ["facebook-test-token"]}
    elif platform == "instagram":
        assert request.path == f"/v26.0/{IG_USER}/media" and not request.query
        assert request.form() == {"image_url": [f"{fake.url}/img.jpg"], "caption": [TEXT],
                                  "access_token": ["instagram-test-token"]}
    elif platform == "threads":
        assert request.path == f"/v1.0/{THREADS_USER}/threads" and not request.query
        assert request.form() == {"media_type": ["TEXT"], "text": [TEXT], "access_token": ["threads-test-token"]}
    elif platform == "telegram":
        assert request.path == f"/bot{BOT_TOKEN}/sendMessage"
        assert request.json() == {"chat_id": "@clinicnews", "text": TEXT}
    elif platform == "discord":
        assert request.query == {"wait": ["true"]}
        assert request.json() == {"content": TEXT, "allowed_mentions": {"parse": []}}


PLATFORMS = ["mastodon", "bluesky", "x", "linkedin", "facebook", "instagram", "threads", "telegram", "discord"]


@pytest.mark.parametrize("platform", PLATFORMS)
def test_add_then_publish_lands_once_with_the_remote_id_and_url(platform, tmp_path, fake):
    env = clean_env(SCHEDULER_DATABASE_URL=database_url(tmp_path), **platform_env(platform, fake.url))
    if platform == "instagram":
        enqueue_instagram(tmp_path, fake)
    else:
        added = run(tmp_path, env, "add", "--channel", platform, "--text", TEXT, "--at", "now")
        assert added.returncode == 0, added.stderr

    result = run(tmp_path, env, "publish", "--json")

    assert result.returncode == 0, result.stderr + result.stdout
    report = json.loads(result.stdout)
    assert report["counts"] == {"published": 1}, report
    post = report["posts"][0]
    creates = fake.created(platform)
    assert len(creates) == 1, [(r.method, r.path) for r in fake.requests]
    check_create_shape(platform, creates[0], fake)
    expected = {
        "mastodon": lambda: (str(int(post["remote_id"])), f"{fake.url}/@clinic/{post['remote_id']}"),
        "bluesky": lambda: (f"at://did:plc:fakeclinic/app.bsky.feed.post/{creates[0].json()['rkey']}",
                            f"https://bsky.app/profile/clinic.test/post/{creates[0].json()['rkey']}"),
        "x": lambda: (post["remote_id"], f"https://x.com/i/web/status/{post['remote_id']}"),
        "linkedin": lambda: (post["remote_id"], f"https://www.linkedin.com/feed/update/{post['remote_id']}/"),
        "facebook": lambda: (post["remote_id"], f"https://www.facebook.com/{post['remote_id']}"),
        "instagram": lambda: (post["remote_id"], f"https://www.instagram.com/p/{post['remote_id']}/"),
        "threads": lambda: (post["remote_id"], f"https://www.threads.net/@clinic/post/{post['remote_id']}"),
        "telegram": lambda: (post["remote_id"], f"https://t.me/clinicnews/{post['remote_id']}"),
        "discord": lambda: (post["remote_id"], None),
    }[platform]()
    assert (post["remote_id"], post["remote_url"]) == expected
    assert post["remote_id"]
    if platform == "linkedin":
        assert post["remote_id"].startswith("urn:li:share:")
    if platform in ("instagram", "threads"):
        container = json.loads(json.dumps(fake.containers))
        assert [c["media_id"] for c in container.values()] == [post["remote_id"]]
        assert len(fake.seen("POST", r"_publish$")) == 1
    # No credential ever travelled in a URL (Telegram's token is its documented exception; Discord's is the webhook).
    if platform not in ("telegram", "discord"):
        for request in fake.requests:
            assert "test-token" not in request.path and "test-token" not in json.dumps(request.query)


@pytest.mark.parametrize("drop", [False, True], ids=["5xx", "dropped-connection"])
def test_an_interrupted_instagram_publish_completes_with_the_stored_container(drop, tmp_path, fake):
    env = clean_env(SCHEDULER_DATABASE_URL=database_url(tmp_path), **platform_env("instagram", fake.url))
    post_id = enqueue_instagram(tmp_path, fake)
    fake.fail_next(1, status=500, body={"error": {"message": "An unexpected error has occurred.", "type": "OAuthException",
                                                  "code": 2, "is_transient": True, "fbtrace_id": "Fake"}},
                   match="media_publish", drop=drop)

    first = run(tmp_path, env, "publish", "--json")

    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["counts"] == {"retry": 1}
    assert len(fake.created("instagram")) == 1
    make_due_now(tmp_path, post_id)  # the retry's backoff, fast-forwarded

    second = run(tmp_path, env, "publish", "--json")

    assert second.returncode == 0, second.stderr
    post = json.loads(second.stdout)["posts"][0]
    assert post["status"] == "published"
    assert len(fake.created("instagram")) == 1  # ONE container, published by the second run
    (container_id, container), = fake.containers.items()
    assert post["remote_id"] == container["media_id"]
    publishes = fake.seen("POST", r"/media_publish$")
    assert [p.form()["creation_id"] for p in publishes] == [[container_id], [container_id]]


def test_a_lost_media_publish_answer_is_found_not_published_again(tmp_path, fake):
    """media_publish landed but its answer was lost: the next run sees the container PUBLISHED and finds the post."""
    env = clean_env(SCHEDULER_DATABASE_URL=database_url(tmp_path), **platform_env("instagram", fake.url))
    post_id = enqueue_instagram(tmp_path, fake)
    first = run(tmp_path, env, "publish", "--json")
    assert json.loads(first.stdout)["counts"] == {"published": 1}
    media_id = json.loads(first.stdout)["posts"][0]["remote_id"]
    # Pretend the answer was lost: the post is due again and its progress has only the container id.
    connection = sqlite3.connect(tmp_path / "q.db")
    with connection:
        container_id = next(iter(fake.containers))
        connection.execute("UPDATE posts SET status = 'retry', remote_id = NULL, remote_url = NULL, progress = ? WHERE id = ?",
                           (json.dumps({"container_id": container_id}), post_id))
    connection.close()
    make_due_now(tmp_path, post_id)

    second = run(tmp_path, env, "publish", "--json")

    post = json.loads(second.stdout)["posts"][0]
    assert (post["status"], post["remote_id"]) == ("published", media_id)
    assert len(fake.seen("POST", r"/media_publish$")) == 1 and len(fake.created("instagram")) == 1


def make_due_now(tmp_path: Path, post_id: int) -> None:
    past = (datetime.now(timezone.utc) - timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    connection = sqlite3.connect(tmp_path / "q.db")
    with connection:
        connection.execute("UPDATE posts SET due_at = ? WHERE id = ?", (past, post_id))
    connection.close()
