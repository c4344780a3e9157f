"""Issue 7, target 3: publishing 1,000 posts through the Runner costs at most 1.3x a bare requests.Session loop.

Both sides POST the same form ({"status": text}) with the same headers (bearer token, Idempotency-Key)
to the same Mastodon-like server on 127.0.0.1 (bench/local_server.py, a child process) that answers
at once, over one keep-alive connection each. Measured: ``Runner.run_due()`` over 1,000 due posts of a
``mastodon`` channel in a fresh SQLite queue (claim, publish, record for each post, one by one).
Baseline: ``session.post(...)`` and ``response.json()`` for the same 1,000 posts. Same process;
a warm-up of both, then rounds that alternate which side goes first; medians compared, ratio last.

    .venv/bin/python bench/publish_overhead.py [--posts 1000] [--rounds 5] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
import local_server  # noqa: E402

from scheduler.config import load_settings  # noqa: E402
from scheduler.runner import Runner  # noqa: E402
from scheduler.store import NewPost, open_store  # noqa: E402

TOKEN = "bench-token"


def clock() -> datetime:
    return datetime.now(timezone.utc)


def make_posts(count: int, tag: str) -> list[NewPost]:
    due = clock() - timedelta(seconds=1)
    posts = []
    for i in range(count):
        text = f"Massage therapy reduces muscle tension ({tag} {i}). #massagetherapy #sciatica"
        posts.append(NewPost(channel="mastodon", platform="mastodon", scheduled_at=due + timedelta(microseconds=i),
                             zone="UTC", text=text, payload={"status": text}, length=len(text), limit=500,
                             idempotency_key=f"{tag}-{i:06d}"))
    return posts


def bare_loop(session: requests.Session, base_url: str, posts: list[NewPost]) -> float:
    started = time.perf_counter()
    for post in posts:
        response = session.post(f"{base_url}/api/v1/statuses", data={"status": post.payload["status"]}, timeout=30,
                                headers={"Authorization": f"Bearer {TOKEN}", "Idempotency-Key": post.idempotency_key})
        if response.status_code != 200 or not response.json().get("id"):
            raise SystemExit(f"bare loop: unexpected answer {response.status_code}")
    return time.perf_counter() - started


def runner_round(runner: Runner, store, posts: list[NewPost], profiler: cProfile.Profile | None = None) -> float:
    store.enqueue(posts, clock())  # not timed: queueing is target 2
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    report = runner.run_due()
    if profiler:
        profiler.disable()
    elapsed = time.perf_counter() - started
    if report.counts() != {"published": len(posts)}:
        raise SystemExit(f"runner: expected {len(posts)} published, got {report.counts()}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one extra runner round")
    args = parser.parse_args()
    server, base_url = local_server.start(delay=0.0)
    try:
        with tempfile.TemporaryDirectory() as folder:
            settings = load_settings({"SCHEDULER_DATABASE_URL": f"sqlite:///{Path(folder) / 'q.db'}",
                                      "MASTODON_BASE_URL": base_url, "MASTODON_ACCESS_TOKEN": TOKEN}, env_file=None)
            store = open_store(settings.database_url)
            runner = Runner(store, settings, clock)
            session = requests.Session()
            bare_loop(session, base_url, make_posts(args.warmup, "warm-bare"))
            runner_round(runner, store, make_posts(args.warmup, "warm-runner"))
            bare_times, runner_times = [], []
            for round_ in range(args.rounds):
                sides = [("bare", lambda: bare_times.append(bare_loop(session, base_url, make_posts(args.posts, f"bare{round_}")))),
                         ("runner", lambda: runner_times.append(runner_round(runner, store, make_posts(args.posts, f"run{round_}"))))]
                for _, run in (sides if round_ % 2 == 0 else sides[::-1]):
                    run()
                print(f"round {round_ + 1}: bare requests loop {bare_times[-1]:.3f} s, Runner {runner_times[-1]:.3f} s "
                      f"({runner_times[-1] / args.posts * 1000:.2f} ms/post vs {bare_times[-1] / args.posts * 1000:.2f})")
            if args.profile:
                profiler = cProfile.Profile()
                runner_round(runner, store, make_posts(args.posts, "profile"), profiler)
                pstats.Stats(profiler).sort_stats("tottime").print_stats(20)
            store.close()
    finally:
        server.terminate()
        server.wait()
    bare, measured = statistics.median(bare_times), statistics.median(runner_times)
    print(f"{args.posts:,} posts, median: bare requests loop {bare:.3f} s, Runner {measured:.3f} s "
          f"(overhead {(measured - bare) / args.posts * 1000:.2f} ms per post)")
    print(f"ratio (Runner / bare requests loop, target <= 1.3): {measured / bare:.2f}")


if __name__ == "__main__":
    main()
