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


# -- The bundled sample campaign, end to end, on every platform ------------------------------------------------------
#
# `queue` (a subprocess) puts the sample campaign on one platform's channel; its slots are in the future, so it is
# published through the library (scheduler.app.publish, what `publish --json` runs) with a clock stepped to each slot
# in turn, never by editing the queue; `list --json` (a subprocess) reads the result back. One fake server serves
# the whole module: each test looks only at the requests made since it started.

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "scheduler" / "sample"


@pytest.fixture(scope="module")
def shared_fake():
    with FakePlatforms() as server:
        yield server


def sample_campaign(platform: str, fake_url: str) -> str:
    """The bundled sample campaign, changed only where a copy elsewhere must be: the article by absolute path, the
    one channel, and (Instagram, Threads) an image on the fake server for every template. Its links use a host
    with a real top-level domain (example.com), so X counts each as 23 as twitter-text does."""
    text = (SAMPLE / "campaign.toml").read_text(encoding="utf-8")
    text = text.replace('article = "article.md"', f"article = {json.dumps(str(SAMPLE / 'article.md'))}", 1)
    text = text.replace('channels = ["outbox"]', f'channels = ["{platform}"]', 1)
    if platform in ("instagram", "threads"):
        text = text.replace('technique = ["technique"]\n', 'technique = ["technique"]\n'
                            f'images = {{ benefit = "{fake_url}/img.jpg", technique = "{fake_url}/img.jpg" }}\n', 1)
    assert text.count(f'channels = ["{platform}"]') == 1 and str(SAMPLE / "article.md") in text
    return text


SENT_TEXT = {  # where each platform's create request carries the post's text
    "mastodon": lambda r: r.form()["status"][0],
    "bluesky": lambda r: r.json()["record"]["text"],
    "x": lambda r: r.json()["text"],
    "linkedin": lambda r: r.json()["commentary"],
    "facebook": lambda r: r.form()["message"][0],
    "instagram": lambda r: r.form()["caption"][0],
    "threads": lambda r: r.form()["text"][0],
    "telegram": lambda r: r.json()["text"],
    "discord": lambda r: r.json()["content"],
}


def remote_of(platform: str, request, fake: FakePlatforms) -> tuple[str, str | None]:
    """The id and URL the fake's answer to this create request stands for."""
    status, headers, body = request.answer
    if platform == "mastodon":
        return body["id"], body["url"]
    if platform == "bluesky":
        return body["uri"], f"https://bsky.app/profile/clinic.test/post/{request.json()['rkey']}"
    if platform == "x":
        return body["data"]["id"], f"https://x.com/i/web/status/{body['data']['id']}"
    if platform == "linkedin":
        return headers["x-restli-id"], f"https://www.linkedin.com/feed/update/{headers['x-restli-id']}/"
    if platform == "facebook":
        return body["id"], f"https://www.facebook.com/{body['id']}"
    if platform in ("instagram", "threads"):
        media = fake.containers[body["id"]]["media_id"]
        return media, (f"https://www.instagram.com/p/{media}/" if platform == "instagram"
                       else f"https://www.threads.net/@clinic/post/{media}")
    if platform == "telegram":
        message_id = str(body["result"]["message_id"])
        return message_id, f"https://t.me/clinicnews/{message_id}"
    return body["id"], None  # discord: a webhook's message does not name its server


def check_campaign_request(platform: str, request, post: dict, fake_url: str) -> None:
    """The documented request shape, and the platform's text rules, for one post of the campaign."""
    text = post["text"]
    if platform == "mastodon":
        assert request.header("Authorization") == "Bearer mastodon-test-token" and request.header("Idempotency-Key")
        assert set(request.form()) == {"status"} and "General information, not medical advice." in text
    elif platform == "bluesky":
        body = request.json()
        assert request.header("Authorization") == "Bearer access-jwt"
        assert (body["repo"], body["collection"]) == ("did:plc:fakeclinic", "app.bsky.feed.post")
        record = body["record"]
        assert record["$type"] == "app.bsky.feed.post" and record["createdAt"].endswith("Z")
        raw = record["text"].encode("utf-8")
        kinds = set()
        for facet in record["facets"]:  # every facet covers exactly its tag or link, at UTF-8 byte offsets
            (feature,) = facet["features"]
            covered = raw[facet["index"]["byteStart"]:facet["index"]["byteEnd"]].decode("utf-8")
            if feature["$type"] == "app.bsky.richtext.facet#tag":
                assert covered == f"#{feature['tag']}"
            else:
                assert feature["$type"] == "app.bsky.richtext.facet#link" and covered == feature["uri"]
            kinds.add(feature["$type"].rsplit("#", 1)[1])
        tags = [word[1:] for word in text.split() if word.startswith("#")]
        assert sorted(f["features"][0]["tag"] for f in record["facets"] if "tag" in f["features"][0]) == sorted(tags)
        assert "tag" in kinds
    elif platform == "x":
        from posts.twitter import parse_tweet

        assert request.header("Authorization") == "Bearer x-oauth2-test-token"
        assert request.json() == {"text": text} and parse_tweet(text)["weightedLength"] <= 280
        assert len([word for word in text.split() if word.startswith("#")]) <= 2  # X's default cap
    elif platform == "linkedin":
        from posts.platforms import linkedin_commentary

        assert request.header("LinkedIn-Version") and request.header("X-Restli-Protocol-Version") == "2.0.0"
        assert request.header("Authorization") == "Bearer linkedin-test-token"
        body = request.json()
        assert body["author"] == "urn:li:person:abc123" and body["lifecycleState"] == "PUBLISHED"
        assert body["visibility"] == "PUBLIC" and body["distribution"]["feedDistribution"] == "MAIN_FEED"
        commentary = body["commentary"]
        assert commentary == linkedin_commentary(text)
        for tag in (word[1:] for word in text.split() if word.startswith("#")):
            assert f"{{hashtag|\\#|{tag}}}" in commentary
        # Outside its hashtag templates, no reserved character of the little format is left unescaped.
        bare = __import__("re").sub(r"\{hashtag\|\\#\|\w+\}", "", commentary)
        for index, char in enumerate(bare):
            if char in "|{}@[]()<>#*_~":
                assert index > 0 and bare[index - 1] == "\\", (char, bare[max(0, index - 20):index + 5])
    elif platform == "facebook":
        assert request.path == f"/v26.0/{PAGE}/feed" and not request.query
        assert request.form() == {"message": [text], "access_token": ["facebook-test-token"]}
    elif platform == "instagram":
        assert request.path == f"/v26.0/{IG_USER}/media" and not request.query
        assert request.form() == {"image_url": [f"{fake_url}/img.jpg"], "caption": [text],
                                  "access_token": ["instagram-test-token"]}
    elif platform == "threads":
        assert request.path == f"/v1.0/{THREADS_USER}/threads" and not request.query
        assert request.form() == {"media_type": ["IMAGE"], "image_url": [f"{fake_url}/img.jpg"], "text": [text],
                                  "access_token": ["threads-test-token"]}
        assert len(text.encode("utf-8")) <= 500 or len(text) <= 500
        assert len([word for word in text.split() if word.startswith("#")]) <= 1  # one topic tag
    elif platform == "telegram":
        assert request.path == f"/bot{BOT_TOKEN}/sendMessage"
        assert request.json() == {"chat_id": "@clinicnews", "text": text}  # no parse_mode: plain text
    elif platform == "discord":
        assert request.path == "/api/webhooks/223704706495545344/fake-webhook-token" and request.query == {"wait": ["true"]}
        assert request.json() == {"content": text, "allowed_mentions": {"parse": []}}


@pytest.mark.parametrize("platform", PLATFORMS)
def test_the_sample_campaign_is_queued_and_published_once_per_post(platform, tmp_path, shared_fake):
    from scheduler.app import publish
    from scheduler.config import load_settings

    fake = shared_fake
    seen_before = len(fake.requests)
    (tmp_path / "campaign.toml").write_text(sample_campaign(platform, fake.url), encoding="utf-8")
    env = clean_env(SCHEDULER_DATABASE_URL=database_url(tmp_path), **platform_env(platform, fake.url))

    queued = run(tmp_path, env, "queue", "campaign.toml", "--json")

    assert queued.returncode == 0, queued.stderr
    posts = json.loads(queued.stdout)
    assert len(posts) >= 8 and {(p["channel"], p["status"]) for p in posts} == {(platform, "queued")}, posts
    assert len({p["text"] for p in posts}) == len(posts)
    slots = sorted({datetime.fromisoformat(p["scheduled_at"].replace("Z", "+00:00")) for p in posts})
    assert slots[0] > datetime.now(timezone.utc)  # nothing is due yet: the clock is stepped below

    # Each slot in turn, a minute after it: what `publish --json` would do when cron runs then.
    settings = load_settings(environ=env, env_file=None)
    published: dict[int, dict] = {}
    for slot in slots:
        report = publish(settings, clock=lambda at=slot: at + timedelta(minutes=1)).as_json()
        due = [p for p in posts if datetime.fromisoformat(p["scheduled_at"].replace("Z", "+00:00")) == slot]
        assert report["counts"] == {"published": len(due)}, report
        published.update({p["id"]: p for p in report["posts"]})
    assert set(published) == {p["id"] for p in posts}
    assert publish(settings, clock=lambda: slots[-1] + timedelta(days=1)).counts() == {}  # nothing left, nothing twice

    listed = run(tmp_path, env, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    read_back = {p["id"]: p for p in json.loads(listed.stdout)}
    assert set(read_back) == set(published)

    mine = fake.requests[seen_before:]
    method, path = __import__("tests.fakeplatforms", fromlist=["CREATES"]).CREATES[platform]
    creates = [r for r in mine if r.method == method and __import__("re").search(path, r.path)]
    assert len(creates) == len(posts), [(r.method, r.path) for r in mine]
    by_text = {SENT_TEXT[platform](r): r for r in creates}
    assert len(by_text) == len(creates)  # no text was sent twice
    for post in read_back.values():
        expected_text = post["text"]
        if platform == "linkedin":
            from posts.platforms import linkedin_commentary

            expected_text = linkedin_commentary(post["text"])
        request = by_text[expected_text]  # each post was created exactly once, with its own text
        check_campaign_request(platform, request, post, fake.url)
        assert post["status"] == "published" and post["error"] is None and post["published_at"]
        assert (post["remote_id"], post["remote_url"]) == remote_of(platform, request, fake)
    if platform in ("instagram", "threads"):
        edge = "media_publish" if platform == "instagram" else "threads_publish"
        publishes = [r.form()["creation_id"][0] for r in mine if r.method == "POST" and r.path.endswith(edge)]
        assert sorted(publishes) == sorted(r.answer[2]["id"] for r in creates)  # each container published once
    if platform not in ("telegram", "discord"):  # their credentials are part of the URL by design
        for request in mine:
            assert "test-token" not in request.path and "test-token" not in json.dumps(request.query)
