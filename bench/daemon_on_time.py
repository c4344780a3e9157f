"""Issue 7, target 5: the daemon publishes on time (p99 lateness < 1 s), sleeps between slots (< 1 % of a core), stays small (< 80 MB).

Queues one outbox post on every 10-second slot over --minutes minutes (default 3: 18 posts), starts
the real daemon (`python -m scheduler daemon`) on that queue, and samples the daemon process every
--sample seconds from /proc: CPU time (utime + stime of /proc/<pid>/stat) and resident memory
(VmRSS of /proc/<pid>/status; VmHWM, the peak, at the end). After the last slot it sends SIGTERM.

- lateness of each post: published_at (recorded in the queue when the result was stored) minus
  scheduled_at; the outbox line's own published_at (when the publisher started) is shown too;
- idle CPU: CPU seconds over wall seconds in the windows between slots (from 2 s after a slot to
  1 s before the next), all windows together;
- RSS: the largest VmRSS sampled, and VmHWM.

There is no baseline process here: each figure is divided by its target, and the worst of the
three quotients is printed last as the ratio (<= 1 meets every target).

    .venv/bin/python bench/daemon_on_time.py              # 3 minutes
    .venv/bin/python bench/daemon_on_time.py --minutes 1  # quick
"""

from __future__ import annotations

import argparse
import json
import math
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from scheduler.store import NewPost, open_store, parse_utc

SLOT = 10.0
TARGET_P99 = 1.0  # seconds
TARGET_IDLE_CPU = 1.0  # percent of one core
TARGET_RSS = 80.0  # MB
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime (fields 14 and 15 of stat)


def status_kb(pid: int, key: str) -> float:
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith(key + ":"):
                return float(line.split()[1])
    return math.nan


def queue_slots(db: Path, first: datetime, count: int) -> list[datetime]:
    slots = [first + timedelta(seconds=SLOT * k) for k in range(count)]
    posts = [NewPost(channel="outbox", platform="outbox", scheduled_at=slot, zone="UTC", text=f"slot {k} #bench",
                     payload={"text": f"slot {k} #bench"}, length=12, limit=5000, idempotency_key=f"ontime-{k:03d}")
             for k, slot in enumerate(slots)]
    store = open_store(f"sqlite:///{db}")
    store.enqueue(posts, datetime.now(timezone.utc))
    store.close()
    return slots


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--sample", type=float, default=0.25, help="seconds between /proc samples")
    parser.add_argument("--lead", type=float, default=8.0, help="seconds from start to the first slot (daemon start-up)")
    args = parser.parse_args()
    count = int(args.minutes * 60 / SLOT)
    with tempfile.TemporaryDirectory() as folder:
        db, outbox = Path(folder) / "q.db", Path(folder) / "outbox.jsonl"
        first = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(seconds=args.lead)
        slots = queue_slots(db, first, count)
        env = {**os.environ, "SCHEDULER_DATABASE_URL": f"sqlite:///{db}", "OUTBOX_PATH": str(outbox)}
        with open(Path(folder) / "daemon.log", "w") as log:
            daemon = subprocess.Popen([sys.executable, "-m", "scheduler", "daemon"], cwd=folder, env=env,
                                      stdout=log, stderr=subprocess.STDOUT)
        samples: list[tuple[float, float, float]] = []  # (unix time, cpu seconds, VmRSS kB)
        end = slots[-1].timestamp() + 3.0
        hwm = math.nan
        try:
            while time.time() < end:
                if daemon.poll() is not None:
                    raise SystemExit(f"the daemon exited early ({daemon.returncode}): "
                                     f"{(Path(folder) / 'daemon.log').read_text()[-800:]}")
                samples.append((time.time(), cpu_seconds(daemon.pid), status_kb(daemon.pid, "VmRSS")))
                time.sleep(args.sample)
            hwm = status_kb(daemon.pid, "VmHWM")
        finally:
            daemon.send_signal(signal.SIGTERM)
            try:
                daemon.wait(timeout=30)
            except subprocess.TimeoutExpired:
                daemon.kill()
                daemon.wait()
        with sqlite3.connect(db) as conn:
            rows = conn.execute("SELECT idempotency_key, status, scheduled_at, published_at FROM posts ORDER BY scheduled_at").fetchall()
        outbox_at = {}
        if outbox.exists():
            for line in outbox.read_text().splitlines():
                record = json.loads(line)
                outbox_at[record["idempotency_key"]] = parse_utc(record["published_at"])
    late, late_outbox, unpublished = [], [], []
    for key, status, scheduled, published in rows:
        if status != "published" or not published:
            unpublished.append(f"{key}: {status}")
            continue
        late.append((parse_utc(published) - parse_utc(scheduled)).total_seconds())
        if key in outbox_at:
            late_outbox.append((outbox_at[key] - parse_utc(scheduled)).total_seconds())
    idle_cpu = idle_wall = 0.0
    for slot in slots[:-1]:
        start, stop = slot.timestamp() + 2.0, slot.timestamp() + SLOT - 1.0
        window = [s for s in samples if start <= s[0] <= stop]
        if len(window) >= 2:
            idle_cpu += window[-1][1] - window[0][1]
            idle_wall += window[-1][0] - window[0][0]
    idle_percent = 100.0 * idle_cpu / idle_wall if idle_wall else math.nan
    rss_mb = max(s[2] for s in samples) / 1024 if samples else math.nan
    total_cpu = samples[-1][1] if samples else math.nan
    if not late:
        raise SystemExit(f"no post was published: {unpublished[:5]}")
    p99 = percentile(late, 0.99)
    print(f"{count} posts on {SLOT:g}-second slots over {args.minutes:g} min; published {len(late)}"
          + (f"; NOT published: {', '.join(unpublished)}" if unpublished else ""))
    print(f"lateness (queue's published_at - scheduled_at): median {percentile(late, 0.5) * 1000:.1f} ms, "
          f"p99 {p99 * 1000:.1f} ms, max {max(late) * 1000:.1f} ms"
          + (f"; outbox line's published_at: median {percentile(late_outbox, 0.5) * 1000:.1f} ms, "
             f"max {max(late_outbox) * 1000:.1f} ms" if late_outbox else ""))
    print(f"idle CPU between slots: {idle_cpu:.2f} s over {idle_wall:.1f} s = {idle_percent:.3f} % of a core "
          f"(whole run incl. start-up: {total_cpu:.2f} s CPU; /proc tick {1000 / TICKS:g} ms)")
    print(f"RSS: max VmRSS sampled {rss_mb:.1f} MB, VmHWM {hwm / 1024:.1f} MB")
    quotients = {"p99 lateness": p99 / TARGET_P99, "idle CPU": idle_percent / TARGET_IDLE_CPU,
                 "RSS": max(rss_mb, hwm / 1024) / TARGET_RSS}
    print("measured / target: " + ", ".join(f"{name} {value:.3f}" for name, value in quotients.items())
          + f" (targets: p99 < {TARGET_P99:g} s, idle CPU < {TARGET_IDLE_CPU:g} %, RSS < {TARGET_RSS:g} MB)")
    if unpublished:
        quotients["unpublished"] = math.inf
    print(f"ratio (worst measured / target, target < 1): {max(quotients.values()):.3f}")


if __name__ == "__main__":
    main()
