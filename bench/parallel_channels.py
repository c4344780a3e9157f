"""Issue 7, target 4: 1,000 posts due at once over 50 channels are all published within 1.3x the floor.

Channels mastodon:c1 … mastodon:cN (MASTODON_C<i>_BASE_URL / _ACCESS_TOKEN) all point at one
Mastodon-like server on 127.0.0.1 (bench/local_server.py, a child process), each under its own path
prefix (/c<i>), that answers every request after --delay seconds (default 0.1). All posts are queued
already due, each channel's posts one second apart in scheduled order. Measured: the wall time of
one real `python -m scheduler publish` run. Floor ("baseline"): the time the network itself needs
when channels are published in parallel and each channel's posts in order:
ceil(posts / channels) x delay (20 x 100 ms = 2 s by default). Also checked from the server's log:
every post arrived once, each channel's posts arrived in scheduled order, and no channel ever had
two requests in flight at once (a request that arrived before the previous one's answer was written).
Also printed: when the first request and the last answer came (from launch), and the CPU seconds of
the publish run (its forked processes included) and of the server during it. Prints the ratio last.
The run's SCHEDULER_PROCESSES is left to the tool (automatic) unless --processes is given.

    .venv/bin/python bench/parallel_channels.py                       # 1,000 posts over 50 channels (~2.5 s)
    .venv/bin/python bench/parallel_channels.py --posts 100 --channels 10   # quick (~1.5 s)
"""

from __future__ import annotations

import argparse
import math
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import local_server  # noqa: E402

from scheduler.store import NewPost, open_store  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def queue_posts(db: Path, posts: int, channels: int) -> None:
    start = datetime.now(timezone.utc) - timedelta(hours=1)  # all due now; order within a channel by scheduled_at
    new = []
    for i in range(posts):
        channel = f"mastodon:c{i % channels + 1}"
        seq = i // channels
        text = f"{channel} post {seq:04d} #massagetherapy"
        new.append(NewPost(channel=channel, platform="mastodon", scheduled_at=start + timedelta(seconds=seq), zone="UTC",
                           text=text, payload={"status": text}, length=len(text), limit=500,
                           idempotency_key=f"par-{channel}-{seq:04d}"))
    store = open_store(f"sqlite:///{db}")
    store.enqueue(new, datetime.now(timezone.utc))
    store.close()


def check_log(log: list[dict], posts: int, channels: int) -> list[str]:
    problems = []
    if len(log) != posts:
        problems.append(f"the server saw {len(log)} requests for {posts} posts")
    by_channel: dict[str, list[dict]] = {}
    for entry in log:
        by_channel.setdefault(entry["prefix"].strip("/"), []).append(entry)
    out_of_order = overlapping = 0
    for name, entries in by_channel.items():
        entries.sort(key=lambda e: e["start"])
        seqs = [int(re.search(r"post (\d+)", e["status"]).group(1)) for e in entries]
        if seqs != sorted(seqs) or len(set(seqs)) != len(seqs):
            out_of_order += 1
        overlapping += sum(1 for a, b in zip(entries, entries[1:]) if b["start"] < a["end"] - 0.001)
    if out_of_order:
        problems.append(f"{out_of_order} channels had posts out of scheduled order (or twice)")
    if overlapping:
        problems.append(f"{overlapping} times a channel had two requests in flight at once")
    return problems


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of a live process (Linux /proc), or None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def children_cpu_seconds() -> float:
    """User + system CPU seconds of this process's waited-for children (0 where the resource module is missing)."""
    try:
        import resource
    except ImportError:
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--channels", type=int, default=50)
    parser.add_argument("--delay", type=float, default=0.1, help="seconds the server takes to answer each request")
    parser.add_argument("--timeout", type=float, default=300, help="give up on the publish run after this many seconds")
    parser.add_argument("--workers", type=int, default=0,
                        help="SCHEDULER_WORKERS for the run (default: one per channel; the setting's own default is 8)")
    parser.add_argument("--processes", type=int, default=0,
                        help="SCHEDULER_PROCESSES for the run (default: not set, the tool's automatic choice)")
    args = parser.parse_args()
    floor = math.ceil(args.posts / args.channels) * args.delay
    server, base_url = local_server.start(delay=args.delay)
    try:
        with tempfile.TemporaryDirectory() as folder:
            db = Path(folder) / "q.db"
            queue_posts(db, args.posts, args.channels)
            env = {**os.environ, "SCHEDULER_DATABASE_URL": f"sqlite:///{db}", "OUTBOX_PATH": str(Path(folder) / "o.jsonl"),
                   "SCHEDULER_WORKERS": str(args.workers or args.channels)}
            if args.processes:
                env["SCHEDULER_PROCESSES"] = str(args.processes)
            for i in range(1, args.channels + 1):
                env[f"MASTODON_C{i}_BASE_URL"] = f"{base_url}/c{i}"
                env[f"MASTODON_C{i}_ACCESS_TOKEN"] = f"token-c{i}"
            server_cpu, children = cpu_seconds(server.pid), children_cpu_seconds()
            launched, started = time.time(), time.perf_counter()
            try:
                result = subprocess.run([sys.executable, "-m", "scheduler", "publish"], cwd=folder, env=env,
                                        capture_output=True, text=True, timeout=args.timeout)
            except subprocess.TimeoutExpired:
                raise SystemExit(f"publish did not finish within {args.timeout:g} s")
            elapsed = time.perf_counter() - started
            publish_cpu = children_cpu_seconds() - children
            server_cpu = cpu_seconds(server.pid) - server_cpu if server_cpu is not None else None
            if result.returncode != 0:
                raise SystemExit(f"publish exited {result.returncode}: {result.stderr[-800:]}")
            with sqlite3.connect(db) as conn:
                counts = dict(conn.execute("SELECT status, COUNT(*) FROM posts GROUP BY status").fetchall())
            log = local_server.fetch_log(base_url)
            problems = check_log(log, args.posts, args.channels)
    finally:
        server.terminate()
        server.wait()
    if counts != {"published": args.posts}:
        problems.append(f"posts by state after the run: {counts}")
    print(f"{args.posts:,} posts over {args.channels} channels, server answers after {args.delay * 1000:g} ms, "
          f"SCHEDULER_WORKERS={args.workers or args.channels}, "
          f"SCHEDULER_PROCESSES={args.processes or env.get('SCHEDULER_PROCESSES') or 'automatic'}")
    print(f"publish took {elapsed:.2f} s; floor (each channel in order, channels in parallel) {floor:.2f} s; "
          f"one-at-a-time would be {args.posts * args.delay:.1f} s")
    if log:
        first, last = min(e["start"] for e in log) - launched, max(e["end"] for e in log) - launched
        print(f"timeline: first request {first:.2f} s after launch, last answer at {last:.2f} s, exit {elapsed - last:.2f} s "
              f"after it; CPU: publish {publish_cpu:.2f} s (user+sys), server "
              + (f"{server_cpu:.2f} s" if server_cpu is not None else "unknown"))
    print("checks: " + ("every post published once, each channel in order, one request per channel at a time"
                        if not problems else "; ".join(problems)))
    print(f"ratio (publish / floor, target <= 1.3): {elapsed / floor:.2f}")


if __name__ == "__main__":
    main()
