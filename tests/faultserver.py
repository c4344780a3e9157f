"""A local HTTP server (127.0.0.1) that behaves like Mastodon, a Bluesky PDS, the X API, the Telegram Bot API and
Discord webhooks, and breaks on purpose: for tests that run the real CLI in subprocesses.

What it keeps, per platform, is what the network would hold: ``created[platform]`` maps a post's identity
(Mastodon: Idempotency-Key; Bluesky: rkey; X, Telegram and Discord: text) to how many posts were created with it.
Mastodon deduplicates on the Idempotency-Key and a PDS refuses a second record under the same rkey, as
the real ones do; X, Telegram and Discord create whatever they are sent, so a blind resend shows as a count of 2.

Faults (``FaultPlan``, seeded) apply to the requests that create posts:
  500     answered 500, nothing created
  429     answered 429 with the platform's own rate-limit headers or body (reset one second ahead; Discord: a JSON
          float ``retry_after``, ``discord_retry_after`` seconds)
  stall   created, then the answer waits past the client's timeout
  drop    created, then the connection is closed without an answer
  expire  (Bluesky) the session's access token is refused as ExpiredToken; refreshSession issues a new one
"""

from __future__ import annotations

import json
import random
import secrets
import socket
import threading
import time
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

KINDS = ("500", "429", "stall", "drop", "expire")


class FaultPlan:
    """Which fault (or None) each creating request gets: seeded, with a share of requests faulted."""

    def __init__(self, seed: int, rate: float, kinds: tuple[str, ...] = KINDS, stall_share: float = 0.3) -> None:
        self.rng = random.Random(seed)
        self.rate = rate
        self.kinds = kinds
        self.stall_share = stall_share  # stalls cost a client timeout each: fewer of them keeps the test fast
        self.lock = threading.Lock()

    # A 429 holds the whole channel until its reset, so it is rarer here than the faults that touch one post.
    WEIGHTS = {"500": 4, "drop": 4, "expire": 3, "429": 1, "stall": 1}

    def next(self, platform: str) -> str | None:
        with self.lock:
            if self.rng.random() >= self.rate:
                return None
            kinds = [k for k in self.kinds if k != "expire" or platform == "bluesky"]
            if "stall" in kinds and self.rng.random() >= self.stall_share:
                kinds.remove("stall")
            return self.rng.choices(kinds, weights=[self.WEIGHTS.get(k, 1) for k in kinds])[0] if kinds else None


class FaultServer:
    def __init__(self, plan: FaultPlan | None = None, stall: float = 1.0, delay: float = 0.0,
                 discord_retry_after: float = 0.75) -> None:
        self.plan = plan
        self.discord_retry_after = discord_retry_after
        self.forced: dict[str, list[str | None]] = defaultdict(list)  # scripted faults, taken before the plan's
        self.rate_limited_at: dict[str, list[datetime]] = defaultdict(list)  # when each 429 was answered
        self.stall = stall
        self.delay = delay
        self.lock = threading.Lock()
        self.created: dict[str, Counter] = defaultdict(Counter)
        self.faults: Counter = Counter()
        self.requests: Counter = Counter()
        self.deduplicated = 0  # resends answered with the post already created (Idempotency-Key, rkey)
        self.statuses: dict[str, dict[str, Any]] = {}  # Mastodon: key -> status
        self.records: dict[str, dict[str, Any]] = {}  # Bluesky: rkey -> record
        self.tweets: list[dict[str, Any]] = []
        self.messages: list[dict[str, Any]] = []  # Discord
        self.tokens: set[str] = set()  # valid Bluesky access tokens
        self.refresh_tokens: set[str] = set()
        self.fresh: set[str] = set()
        self.auth_seen: set[str] = set()  # every Authorization header, to check none leaks elsewhere
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                server._route(self, "GET")

            def do_POST(self) -> None:  # noqa: N802
                server._route(self, "POST")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.handle_error = lambda request, address: None  # a client that gave up is expected here
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> "FaultServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    def duplicates(self) -> dict[str, list[str]]:
        """Identities created more than once, per platform: must be empty."""
        return {platform: [key for key, n in counts.items() if n > 1]
                for platform, counts in self.created.items() if any(n > 1 for n in counts.values())}

    # -- plumbing ------------------------------------------------------------------------------------

    def _route(self, h: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(h.path)
        length = int(h.headers.get("Content-Length") or 0)
        raw = h.rfile.read(length) if length else b""
        if h.headers.get("Authorization"):
            self.auth_seen.add(h.headers["Authorization"])
        path = parts.path
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if path.startswith("/api/v1/"):
            platform = "mastodon"
        elif path.startswith("/xrpc/"):
            platform = "bluesky"
        elif path.startswith("/2/"):
            platform = "x"
        elif path.startswith("/bot"):
            platform = "telegram"
        elif path.startswith("/api/webhooks/"):
            platform = "discord"
        else:
            return self._answer(h, 404, {"error": "not found"})
        with self.lock:
            self.requests[platform] += 1
        getattr(self, f"_{platform}")(h, method, path, query, raw)

    def _answer(self, h: BaseHTTPRequestHandler, code: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        try:
            h.send_response(code)
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                h.send_header(name, value)
            h.end_headers()
            h.wfile.write(data)
        except OSError:
            pass  # the client gave up (a stalled answer)

    def _fault(self, platform: str) -> str | None:
        with self.lock:
            forced = self.forced[platform].pop(0) if self.forced[platform] else "plan"
        fault = (self.plan.next(platform) if self.plan else None) if forced == "plan" else forced
        if fault:
            with self.lock:
                self.faults[(platform, fault)] += 1
        return fault

    def _after_commit(self, h: BaseHTTPRequestHandler, fault: str | None) -> bool:
        """Apply a stall or a drop to a request whose post was created; True if the answer must not be sent."""
        if fault == "drop":
            try:
                h.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            h.close_connection = True
            return True
        if fault == "stall":
            time.sleep(self.stall)
        return False

    def _rate_limited(self, h: BaseHTTPRequestHandler, platform: str) -> None:
        now = datetime.now(timezone.utc)
        with self.lock:
            self.rate_limited_at[platform].append(now)
        reset = now + timedelta(seconds=1)
        epoch = str(int(reset.timestamp()) + 1)
        if platform == "discord":  # discord.com/developers/docs/topics/rate-limits: seconds as a float, in the body
            wait = self.discord_retry_after
            return self._answer(h, 429, {"message": "You are being rate limited.", "retry_after": wait, "global": False},
                                {"Retry-After": str(int(wait) + 1), "X-RateLimit-Limit": "5",
                                 "X-RateLimit-Remaining": "0", "X-RateLimit-Reset-After": f"{wait:.3f}",
                                 "X-RateLimit-Bucket": "b8b04fcb", "X-RateLimit-Scope": "shared"})
        if platform == "mastodon":
            self._answer(h, 429, {"error": "Too many requests"},
                         {"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0",
                          "X-RateLimit-Reset": reset.strftime("%Y-%m-%dT%H:%M:%S.%fZ")})
        elif platform == "bluesky":
            self._answer(h, 429, {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
                         {"RateLimit-Limit": "5000", "RateLimit-Remaining": "0", "RateLimit-Reset": epoch})
        elif platform == "x":
            self._answer(h, 429, {"title": "Too Many Requests", "detail": "Too Many Requests"},
                         {"x-rate-limit-limit": "100", "x-rate-limit-remaining": "0", "x-rate-limit-reset": epoch})
        else:  # telegram
            self._answer(h, 429, {"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 1",
                                  "parameters": {"retry_after": 1}})

    def _slow(self) -> None:
        if self.delay:
            time.sleep(self.delay)

    # -- Mastodon --------------------------------------------------------------------------------------

    def _mastodon(self, h, method, path, query, raw) -> None:
        if (method, path) != ("POST", "/api/v1/statuses"):
            return self._answer(h, 404, {"error": "Record not found"})
        fault = self._fault("mastodon")
        if fault in ("500", "429", "expire"):
            return self._rate_limited(h, "mastodon") if fault == "429" else self._answer(h, 500, {"error": "boom"})
        key = h.headers.get("Idempotency-Key") or secrets.token_hex(8)
        status = parse_qs(raw.decode())["status"][0]
        self._slow()
        with self.lock:
            if key in self.statuses:
                self.deduplicated += 1
            else:
                number = len(self.statuses) + 1
                self.statuses[key] = {"id": str(number), "url": f"{self.url}/@clinic/{number}", "content": status}
                self.created["mastodon"][key] += 1
            answer = self.statuses[key]
        if not self._after_commit(h, fault):
            self._answer(h, 200, answer)

    # -- Bluesky PDS -----------------------------------------------------------------------------------

    def _new_session(self, refreshed: bool = False) -> dict[str, str]:
        access, refresh = "acc-" + secrets.token_hex(8), "ref-" + secrets.token_hex(8)
        with self.lock:
            self.tokens.add(access)
            if refreshed:  # a token just refreshed does not expire at once
                self.fresh.add(access)
            self.refresh_tokens.add(refresh)
        return {"did": "did:plc:clinic", "handle": "clinic.test", "accessJwt": access, "refreshJwt": refresh}

    def _bluesky(self, h, method, path, query, raw) -> None:
        nsid = path[len("/xrpc/"):]
        bearer = (h.headers.get("Authorization") or "").removeprefix("Bearer ")
        if nsid == "com.atproto.server.createSession":
            return self._answer(h, 200, self._new_session())
        if nsid == "com.atproto.server.refreshSession":
            if bearer not in self.refresh_tokens:
                return self._answer(h, 400, {"error": "ExpiredToken", "message": "Token has expired"})
            return self._answer(h, 200, self._new_session(refreshed=True))
        if nsid == "com.atproto.repo.getRecord":
            record = self.records.get(query.get("rkey", ""))
            if record is None:
                return self._answer(h, 400, {"error": "RecordNotFound", "message": "Could not locate record"})
            return self._answer(h, 200, {"uri": record["uri"], "value": record["value"]})
        if nsid != "com.atproto.repo.createRecord":
            return self._answer(h, 404, {"error": "MethodNotImplemented"})
        if bearer not in self.tokens:
            return self._answer(h, 400, {"error": "ExpiredToken", "message": "Token has expired"})
        fault = self._fault("bluesky")
        if fault == "expire" and bearer in self.fresh:
            fault = None
        if fault == "expire":
            with self.lock:
                self.tokens.discard(bearer)
            return self._answer(h, 400, {"error": "ExpiredToken", "message": "Token has expired"})
        if fault in ("500", "429"):
            return self._rate_limited(h, "bluesky") if fault == "429" else self._answer(h, 500, {"error": "InternalServerError"})
        body = json.loads(raw)
        rkey = body["rkey"]
        self._slow()
        with self.lock:
            if rkey in self.records:  # a PDS refuses a second record under the same key
                self.deduplicated += 1
                conflict = True
            else:
                conflict = False
                self.records[rkey] = {"uri": f"at://did:plc:clinic/app.bsky.feed.post/{rkey}", "value": body["record"]}
                self.created["bluesky"][rkey] += 1
        if conflict:
            return self._answer(h, 400, {"error": "InvalidRequest", "message": "Record already exists"})
        if not self._after_commit(h, fault):
            self._answer(h, 200, {"uri": self.records[rkey]["uri"], "cid": "bafy" + rkey})

    # -- X ---------------------------------------------------------------------------------------------

    def _x(self, h, method, path, query, raw) -> None:
        if (method, path) == ("GET", "/2/users/me"):
            return self._answer(h, 200, {"data": {"id": "42", "username": "clinic"}})
        if (method, path) == ("GET", "/2/users/42/tweets"):
            with self.lock:
                data = [{"id": t["id"], "text": t["text"], "created_at": t["created_at"]} for t in reversed(self.tweets)]
            return self._answer(h, 200, {"data": data[:100], "meta": {"result_count": min(100, len(data))}})
        if (method, path) != ("POST", "/2/tweets"):
            return self._answer(h, 404, {"title": "Not Found"})
        fault = self._fault("x")
        if fault in ("500", "429", "expire"):
            return self._rate_limited(h, "x") if fault == "429" else self._answer(h, 503, {"title": "Service Unavailable"})
        text = json.loads(raw)["text"]
        self._slow()
        with self.lock:
            tweet = {"id": str(10_000 + len(self.tweets)), "text": text,
                     "created_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")}
            self.tweets.append(tweet)
            self.created["x"][text] += 1
        if not self._after_commit(h, fault):
            self._answer(h, 201, {"data": {"id": tweet["id"], "text": text}})

    # -- Telegram --------------------------------------------------------------------------------------

    def _telegram(self, h, method, path, query, raw) -> None:
        if not path.endswith("/sendMessage"):
            return self._answer(h, 404, {"ok": False, "error_code": 404, "description": "Not Found"})
        fault = self._fault("telegram")
        if fault in ("500", "429", "expire"):
            return self._rate_limited(h, "telegram") if fault == "429" else self._answer(
                h, 500, {"ok": False, "error_code": 500, "description": "Internal Server Error"})
        body = json.loads(raw)
        self._slow()
        with self.lock:
            self.created["telegram"][body["text"]] += 1
            message_id = sum(self.created["telegram"].values())
        if not self._after_commit(h, fault):
            self._answer(h, 200, {"ok": True, "result": {"message_id": message_id, "chat": {"id": body["chat_id"]},
                                                         "text": body["text"]}})

    # -- Discord webhooks ------------------------------------------------------------------------------

    def _discord(self, h, method, path, query, raw) -> None:
        parts = path.split("/")  # "", api, webhooks, id, token
        if method != "POST" or len(parts) != 5 or not parts[4]:
            return self._answer(h, 404, {"message": "Unknown Webhook", "code": 10015})
        fault = self._fault("discord")
        if fault in ("500", "429", "expire"):
            return self._rate_limited(h, "discord") if fault == "429" else self._answer(
                h, 500, {"message": "500: Internal Server Error", "code": 0})
        content = json.loads(raw)["content"]
        self._slow()
        with self.lock:
            message = {"id": str(1_100_000_000_000_000_000 + len(self.messages)), "type": 0, "content": content,
                       "channel_id": "199737254929760256", "webhook_id": parts[3],
                       "timestamp": datetime.now(timezone.utc).isoformat()}
            self.messages.append(message)
            self.created["discord"][content] += 1
        if query.get("wait") != "true":
            return self._answer(h, 204, {})
        if not self._after_commit(h, fault):
            self._answer(h, 200, message)
