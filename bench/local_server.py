"""A Mastodon-like server on 127.0.0.1 for the publishing benchmarks (not a benchmark itself).

POST <prefix>/api/v1/statuses answers {"id", "url"} after --delay seconds (0: at once), over HTTP/1.1
keep-alive, one thread per connection. It logs every request (path prefix, status text, start and end
time) in memory; GET /_log returns that log as JSON and empties it. Started as a child process by
publish_overhead.py and parallel_channels.py, so its work does not share the client's interpreter lock:

    python bench/local_server.py --delay 0.1     # prints "PORT <n>" when it listens
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

LOG: list[dict] = []
LOCK = threading.Lock()
COUNTER = [0]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a real Mastodon instance
    disable_nagle_algorithm = True  # else the body, a second small write, waits ~40 ms for the client's delayed ACK
    delay = 0.0

    def log_message(self, *args) -> None:  # quiet
        pass

    def _answer(self, code: int, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self._headers_buffer.append(b"\r\n" + body)  # headers and body in one write
        self.flush_headers()

    def do_GET(self) -> None:
        if self.path == "/_log":
            with LOCK:
                body = json.dumps(LOG).encode()
                LOG.clear()
            self._answer(200, body)
        else:
            self._answer(404, b'{"error":"not found"}')

    def do_POST(self) -> None:
        started = time.time()
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(self.rfile.read(length).decode()) if length else {}
        if not self.path.endswith("/api/v1/statuses"):
            self._answer(404, b'{"error":"not found"}')
            return
        if self.delay:
            time.sleep(self.delay)
        with LOCK:
            COUNTER[0] += 1
            number = COUNTER[0]
        body = json.dumps({"id": str(number), "url": f"http://127.0.0.1/@bench/{number}"}).encode()
        self._answer(200, body)
        with LOCK:
            LOG.append({"prefix": self.path[: -len("/api/v1/statuses")], "status": form.get("status", [""])[0],
                        "key": self.headers.get("Idempotency-Key"), "start": started, "end": time.time()})


def start(delay: float = 0.0):
    """Start the server as a child process; returns (process, base URL). The caller terminates it."""
    import subprocess
    import sys
    from pathlib import Path

    process = subprocess.Popen([sys.executable, str(Path(__file__)), "--delay", str(delay)], stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    if not line.startswith("PORT "):
        process.kill()
        raise SystemExit(f"the local server did not start: {line!r}")
    return process, f"http://127.0.0.1:{int(line.split()[1])}"


def fetch_log(base_url: str) -> list[dict]:
    import urllib.request

    with urllib.request.urlopen(f"{base_url}/_log", timeout=30) as response:
        return json.loads(response.read())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before each answer")
    args = parser.parse_args()
    Handler.delay = args.delay
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.request_queue_size = 256
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()

