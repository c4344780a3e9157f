"""(a) SIGKILL at random moments (seeded) while `publish` sends a few hundred posts to Mastodon-like and
Bluesky-like fakes; restart until done. No post is lost, and none is created twice: the Mastodon fake
deduplicates on the Idempotency-Key as Mastodon does, the PDS fake refuses a second record under one rkey,
and the scheduler reconciles (getRecord) or resends only with the same key after taking over a dead worker's lease.
"""

from __future__ import annotations

import random
import signal
import time
from collections import Counter

from faultkit import assert_no_secret_stored, env_for, fill, start, time_passes
from faultserver import FaultServer
from helpers import stored_posts

SEED = 5
POSTS = {"mastodon": 150, "bluesky": 150}


def test_sigkill_at_random_moments_loses_nothing_and_duplicates_nothing(tmp_path, capsys):
    rng = random.Random(SEED)
    deadline = time.monotonic() + 45
    kills = runs = 0
    with FaultServer(delay=0.004) as server:
        ids = fill(tmp_path, POSTS)
        env = env_for(tmp_path, server.url, timeout="2")
        while True:
            assert time.monotonic() < deadline, "the queue was not drained in time"
            runs += 1
            process = start(tmp_path, env)
            try:
                process.wait(timeout=rng.uniform(0.4, 1.6))  # start-up takes ~0.3 s: kills land mid-publishing
            except Exception:  # noqa: BLE001 - still running: kill it mid-flight
                process.send_signal(signal.SIGKILL)
                process.wait()
                kills += 1
            else:
                assert process.returncode in (0, 1), process.stderr.read()
            process.stderr.close()
            if time_passes(tmp_path) == 0:  # the dead worker's lease "expires"
                break
    posts = stored_posts(tmp_path)
    with capsys.disabled():
        print(f"\n[crash] posts={len(posts)} runs={runs} kills={kills} dedup-resends={server.deduplicated} "
              f"outcome={dict(Counter(p.status for p in posts))} duplicates={server.duplicates()}")
    assert kills >= 3
    assert Counter(post.status for post in posts) == {"published": len(ids)}
    assert server.duplicates() == {}
    assert set(server.created["mastodon"]) == {p.idempotency_key for p in posts if p.platform == "mastodon"}
    assert len(server.created["bluesky"]) == POSTS["bluesky"]
    assert all(p.remote_id for p in posts)
    assert_no_secret_stored(tmp_path)
