"""Issue 7, target 2: queueing 100,000 posts through the store costs at most 1.5x a raw sqlite3 executemany.

Measured: ``open_store("sqlite:///…").enqueue(posts, now)`` with a list of NewPost (the call `queue`
makes). Baseline: one ``executemany`` of the same rows in one transaction, into a database with the
same schema and pragmas (made by the store, so migrations are identical). "The same rows" are read
back from a first, untimed store enqueue (every column but ``id``), so the baseline follows the
schema as it changes and writes exactly what the store writes. Each round uses fresh database files
and alternates which side goes first; the medians are compared. Prints the ratio last.

    .venv/bin/python bench/queue_scale.py [--posts 100000] [--rounds 3] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sqlite3
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from scheduler.store import NewPost, open_store

CHANNELS = [("mastodon", "mastodon"), ("bluesky", "bluesky"), ("outbox", "outbox"), ("mastodon:clinic2", "mastodon")]
ZONE = "America/New_York"


def new_posts(count: int, start: datetime) -> list[NewPost]:
    posts = []
    for i in range(count):
        channel, platform = CHANNELS[i % len(CHANNELS)]
        text = f"Massage therapy reduces muscle tension, point {i}. #massagetherapy #sciatica"
        payload = {"status": text} if platform == "mastodon" else {"text": text}
        posts.append(NewPost(channel=channel, platform=platform, scheduled_at=start + timedelta(minutes=i), zone=ZONE,
                             text=text, payload=payload, length=len(text), limit=500, idempotency_key=f"bench-{i:08d}",
                             campaign="bench", kind="benefit", item=f"point {i}", template="benefit"))
    return posts


def store_rows(path: Path, posts: list[NewPost], now: datetime) -> tuple[str, list[tuple]]:
    """The rows the store writes for ``posts`` (every column but id), and an INSERT for them."""
    fresh_db(path)
    store = open_store(f"sqlite:///{path}")
    store.enqueue(posts, now)
    store.close()
    conn = sqlite3.connect(path)
    columns = [row[1] for row in conn.execute("PRAGMA table_info(posts)") if row[1] != "id"]
    rows = conn.execute(f"SELECT {', '.join(columns)} FROM posts ORDER BY id").fetchall()
    conn.close()
    insert = f"INSERT INTO posts ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    return insert, rows


def fresh_db(path: Path) -> None:
    open_store(f"sqlite:///{path}").close()  # schema, WAL


def time_raw(path: Path, insert: str, rows: list[tuple]) -> float:
    fresh_db(path)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")  # what the store sets
    conn.execute("PRAGMA foreign_keys=ON")
    started = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(insert, rows)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    count = conn.execute("SELECT COUNT(*) FROM posts").fetchone()[0]
    conn.close()
    assert count == len(rows), count
    return elapsed


def time_store(path: Path, posts: list[NewPost], now: datetime, profile: bool = False) -> float:
    fresh_db(path)
    store = open_store(f"sqlite:///{path}")
    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    result = store.enqueue(posts, now)
    if profiler:
        profiler.disable()
    elapsed = time.perf_counter() - started
    store.close()
    assert len(result.added) == len(posts), len(result.added)
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(15)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one store enqueue at the end")
    args = parser.parse_args()
    now = datetime.now(timezone.utc)
    posts = new_posts(args.posts, now + timedelta(days=1))
    raw_times, store_times = [], []
    with tempfile.TemporaryDirectory() as folder:
        insert, rows = store_rows(Path(folder) / "source.db", posts, now)  # also the warm-up
        for round_ in range(args.rounds):
            sides = [("raw", lambda p: raw_times.append(time_raw(p, insert, rows))),
                     ("store", lambda p: store_times.append(time_store(p, posts, now)))]
            for name, run in (sides if round_ % 2 == 0 else sides[::-1]):
                path = Path(folder) / f"{name}-{round_}.db"
                run(path)
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)
            print(f"round {round_ + 1}: raw executemany {raw_times[-1]:.3f} s, store enqueue {store_times[-1]:.3f} s")
        if args.profile:
            time_store(Path(folder) / "profile.db", posts, now, profile=True)
    raw, measured = statistics.median(raw_times), statistics.median(store_times)
    print(f"{args.posts:,} posts, median: raw executemany {raw:.3f} s, store enqueue {measured:.3f} s")
    print(f"ratio (store enqueue / raw executemany, target <= 1.5): {measured / raw:.2f}")


if __name__ == "__main__":
    main()
