"""Tests that break things: the real CLI, in subprocesses, against tests/faultserver.py on 127.0.0.1.

(c) a few hundred seeded faults of every kind: every post ends published, failed with a reason, or unconfirmed,
    and the server never saw a post created twice;
(b) four `publish` runs at once on one queue of HTTP posts: every post created exactly once;
a Discord rate limit (429, JSON float retry_after) holds that channel exactly until its reset while the others publish.
"""

from __future__ import annotations

import subprocess
import time
from collections import Counter
from datetime import datetime, timedelta, timezone

from faultkit import assert_no_secret_stored, env_for, fill, run_rounds, start
from faultserver import FaultPlan, FaultServer
from helpers import stored_posts

SEED = 20261123


def test_hundreds_of_faults_end_published_failed_or_unconfirmed_and_never_duplicated(tmp_path, capsys):
    per_channel = {"mastodon": 90, "bluesky": 90, "x": 90, "telegram": 50, "discord": 40}
    deadline = time.monotonic() + 45
    with FaultServer(FaultPlan(SEED, rate=0.45), stall=0.6) as server:
        # Every kind at least once, whatever order four workers draw the seeded plan in (stalls are rare on purpose).
        server.forced.update({"x": ["stall"], "mastodon": ["drop"], "bluesky": ["expire"], "discord": ["429", "stall"],
                              "telegram": ["500"]})
        ids = fill(tmp_path, per_channel)
        rounds = run_rounds(tmp_path, env_for(tmp_path, server.url, timeout="0.4"), workers=4, max_rounds=40, deadline=deadline)

    posts = stored_posts(tmp_path)
    by_status = Counter(post.status for post in posts)
    faults = sum(server.faults.values())
    kinds = Counter(kind for _, kind in server.faults.elements())
    with capsys.disabled():
        print(f"\n[faults] posts={len(posts)} faults={faults} {dict(kinds)} rounds={rounds} outcome={dict(by_status)} "
              f"dedup-resends={server.deduplicated} duplicates={server.duplicates()}")

    assert len(posts) == len(ids)
    assert faults >= 200 and set(kinds) == {"500", "429", "stall", "drop", "expire"}
    assert server.duplicates() == {}
    assert set(by_status) <= {"published", "failed", "unconfirmed"}
    assert all(post.error for post in posts if post.status != "published")
    for post in posts:
        if post.status == "published":
            assert post.remote_id
        if post.status == "unconfirmed":  # only ever a post that may exist and could not be proven either way
            assert post.maybe_sent, (post.id, post.platform, post.error)
    # What the server holds is what the queue says: published, or unconfirmed (created, but never proven so).
    for platform, identity in (("mastodon", lambda p: p.idempotency_key), ("x", lambda p: p.payload.get("text", p.text))):
        published = {identity(p) for p in posts if p.platform == platform and p.status == "published"}
        in_doubt = {identity(p) for p in posts if p.platform == platform and p.status == "unconfirmed"}
        assert published <= set(server.created[platform]) <= published | in_doubt
    # Telegram and Discord cannot be read back: a post whose answer was lost (or a 500) waits for a person, never resent.
    assert all(server.created["telegram"][post.payload.get("text", post.text)] <= 1
               for post in posts if post.platform == "telegram" and post.status == "unconfirmed")
    assert all(server.created["discord"][post.payload.get("content", post.text)] <= 1
               for post in posts if post.platform == "discord")
    assert ("discord", "429") in server.faults
    assert_no_secret_stored(tmp_path)


def test_four_concurrent_runs_publish_every_http_post_exactly_once(tmp_path, capsys):
    per_channel = {"mastodon": 100, "x": 100}
    deadline = time.monotonic() + 30
    with FaultServer(delay=0.005) as server:
        ids = fill(tmp_path, per_channel)
        rounds = run_rounds(tmp_path, env_for(tmp_path, server.url, timeout="5"), workers=4, max_rounds=1,
                            deadline=deadline)
    posts = stored_posts(tmp_path)
    with capsys.disabled():
        print(f"\n[concurrency] posts={len(posts)} workers=4 rounds={rounds} requests={dict(server.requests)} "
              f"duplicates={server.duplicates()}")
    assert Counter(post.status for post in posts) == {"published": len(ids)}
    assert all(post.attempts == 1 for post in posts)
    assert sum(server.created["mastodon"].values()) == 100 and sum(server.created["x"].values()) == 100
    assert server.duplicates() == {} and server.deduplicated == 0
    assert server.requests == {"mastodon": 100, "x": 100}  # not one resend


def _publish_once(tmp_path, env) -> None:
    process = start(tmp_path, env)
    try:
        _, err = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        raise AssertionError("a publish run did not finish in time")
    assert process.returncode in (0, 1) and "Traceback" not in err, err


def test_a_discord_rate_limit_holds_that_channel_exactly_until_the_reset_and_others_keep_publishing(tmp_path, capsys):
    from scheduler.store import open_store

    wait = 2.75  # Discord's retry_after: seconds, as a float
    with FaultServer(discord_retry_after=wait) as server:
        server.forced["discord"] = ["429"]
        ids = fill(tmp_path, {"discord": 3, "mastodon": 5})
        env = env_for(tmp_path, server.url, timeout="5")

        _publish_once(tmp_path, env)
        store = open_store(f"sqlite:///{tmp_path / 'q.db'}")
        try:
            hold = {state.name: state.hold_until for state in store.channel_states()}.get("discord")
            posts = store.list_posts()
        finally:
            store.close()
        limited_at, = server.rate_limited_at["discord"]
        # The other channel published everything in the same run; Discord took one request and stopped.
        assert Counter(p.status for p in posts if p.channel == "mastodon") == {"published": 5}
        assert server.requests["discord"] == 1
        # Held until the reset the 429 named: the moment it was answered plus retry_after (the client's clock reads a
        # little before the server's), and the rate-limited post is due exactly then, its retries not used up.
        assert hold is not None and abs((hold - (limited_at + timedelta(seconds=wait))).total_seconds()) < 0.5
        limited = [p for p in posts if p.channel == "discord" and p.status == "retry"]
        assert len(limited) == 1 and limited[0].due_at == hold and limited[0].attempts == 0
        assert {p.status for p in posts if p.channel == "discord"} == {"retry", "queued"}

        _publish_once(tmp_path, env)  # before the reset: the channel takes nothing
        if datetime.now(timezone.utc) < hold:
            assert server.requests["discord"] == 1

        time.sleep(max(0.0, (hold - datetime.now(timezone.utc)).total_seconds()) + 0.1)
        _publish_once(tmp_path, env)  # after it: everything goes out, once
        posts = stored_posts(tmp_path)

    with capsys.disabled():
        print(f"\n[discord-429] retry_after={wait} hold_error={(hold - limited_at).total_seconds() - wait:+.3f}s "
              f"requests={dict(server.requests)} outcome={dict(Counter(p.status for p in posts))}")
    assert Counter(p.status for p in posts) == {"published": len(ids)}
    assert server.requests["discord"] == 1 + 3 and server.duplicates() == {}
    assert_no_secret_stored(tmp_path)
