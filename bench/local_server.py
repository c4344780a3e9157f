"""A Mastodon-like server on 127.0.0.1 for the publishing benchmarks (not a benchmark itself).

POST <prefix>/api/v1/statuses answers {"id", "url"} after --delay seconds (0: at once), over HTTP/1.1
keep-alive. One asyncio event loop serves every connection, no thread per request: each answer is a timer
--delay seconds after its request arrived, so fifty connections waiting at once cost fifty timers, not fifty
threads taking turns at the interpreter lock. It shares the two cores with the client it measures: the
thread-per-connection http.server it replaces used ~0.45 ms of CPU a request (this one ~0.28 ms, most of it the
kernel's loopback TCP), and under load it now and then dropped one of fifty new connections (a post left to retry,
the run's checks failed). Every request is logged in memory (path prefix,
status text, Idempotency-Key, ``start``: when the request had arrived, ``end``: when its answer was handed to
the socket, so a client cannot have had it before ``end``); GET /_log returns that log as JSON and empties it.
Headers and body go out in one write with Nagle off (asyncio's default for TCP): with two writes, every answer
waited ~40 ms for the client's delayed ACK. Started as a child process by publish_overhead.py and
parallel_channels.py, so its work does not share the client's interpreter lock:

    python bench/local_server.py --delay 0.1     # prints "PORT <n>" when it listens
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections import deque
from urllib.parse import parse_qs

LOG: list[dict] = []
COUNTER = [0]
STATUSES = "/api/v1/statuses"
MAX_HEAD = 64 * 1024
REASONS = {200: b"OK", 400: b"Bad Request", 404: b"Not Found", 431: b"Request Header Fields Too Large"}


class Connection(asyncio.Protocol):
    """One keep-alive connection: requests parsed as they arrive, answered in arrival order. Kept lean (the form
    is decoded only when the log is read, the answer is formatted, not json.dumps'd): the server shares the machine
    with the client it measures."""

    delay = 0.0

    def __init__(self) -> None:
        self.buffer = b""
        self.answers: deque[list] = deque()  # [answer bytes, or None while its delay runs; close after it]
        self.transport: asyncio.Transport | None = None
        self.closing = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while not self.closing:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(self.buffer) > MAX_HEAD:
                    self._reply(self._slot(close=True), 431, b'{"error":"headers too large"}')
                return
            lines = self.buffer[:end].decode("latin-1").split("\r\n")
            try:
                method, target, version = lines[0].split(" ", 2)
            except ValueError:
                self._reply(self._slot(close=True), 400, b'{"error":"bad request line"}')
                return
            headers = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            length = int(headers.get("content-length") or 0)
            if len(self.buffer) < end + 4 + length:
                return  # the body is still on its way
            body = self.buffer[end + 4:end + 4 + length]
            self.buffer = self.buffer[end + 4 + length:]
            close = headers.get("connection", "").lower() == "close" or version == "HTTP/1.0"
            self._request(method, target, headers, body, self._slot(close))

    def _slot(self, close: bool) -> list:
        slot = [None, close]
        self.answers.append(slot)
        if close:
            self.closing = True  # nothing after a request that asked to close
        return slot

    def _request(self, method: str, target: str, headers: dict[str, str], body: bytes, slot: list) -> None:
        path = target.split("?", 1)[0]
        if method == "POST" and path.endswith(STATUSES):
            entry = {"prefix": path[: -len(STATUSES)], "body": body, "key": headers.get("idempotency-key"),
                     "start": time.time(), "end": None}
            if self.delay:
                asyncio.get_running_loop().call_later(self.delay, self._created, slot, entry)
            else:
                self._created(slot, entry)
        elif method == "GET" and path == "/_log":
            for entry in LOG:  # the form, decoded now rather than for every request
                form = parse_qs(entry.pop("body").decode())
                entry["status"] = form.get("status", [""])[0]
            answer = json.dumps(LOG).encode()
            LOG.clear()
            self._reply(slot, 200, answer)
        else:
            self._reply(slot, 404, b'{"error":"not found"}')

    def _created(self, slot: list, entry: dict) -> None:
        COUNTER[0] += 1
        number = COUNTER[0]
        entry["end"] = time.time()  # before the answer is written: the client cannot have it earlier
        LOG.append(entry)
        self._reply(slot, 200, b'{"id":"%d","url":"http://127.0.0.1/@bench/%d"}' % (number, number))

    def _reply(self, slot: list, code: int, body: bytes) -> None:
        slot[0] = b"HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n%s\r\n%s" % (
            code, REASONS[code], len(body), b"Connection: close\r\n" if slot[1] else b"", body)
        while self.answers and self.answers[0][0] is not None:  # in order: a later answer waits for an earlier one
            answer, close = self.answers.popleft()
            if self.transport is None:
                continue
            self.transport.write(answer)  # headers and body in one write
            if close:
                self.transport.close()


async def serve(delay: float) -> None:
    Connection.delay = delay
    server = await asyncio.get_running_loop().create_server(Connection, "127.0.0.1", 0, backlog=256)
    print(f"PORT {server.sockets[0].getsockname()[1]}", flush=True)
    async with server:
        await server.serve_forever()


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
    try:
        asyncio.run(serve(args.delay))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
