"""A fake of every platform we publish to: a real HTTP server on 127.0.0.1 (an ephemeral port, a background
thread) that gives each platform's documented success answer, records every request, and can be told to
fail the next N requests (optionally only those whose path contains some text) with a given answer or a
dropped connection.

    with FakePlatforms() as fake:
        env = {"MASTODON_BASE_URL": fake.url, ...}
        fake.fail_next(1, status=503, body={"error": {...}}, match="media_publish")
        ...
        fake.created("mastodon")   # the create requests it saw for one platform (each with the .answer it got)

It answers what the documentation shows, no more: no validation of credentials or bodies, so that a test
asserts the request shape itself (method, path, headers, body are all recorded).
"""

from __future__ import annotations

import itertools
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit

Answer = tuple[int, dict[str, str], Any]  # status, headers, body (dict/list -> JSON, str/bytes as is, None empty)

# (platform, method, path regex) of each platform's "create a post" request.
CREATES = {
    "mastodon": ("POST", r"/api/v1/statuses$"),
    "bluesky": ("POST", r"/xrpc/com\.atproto\.repo\.createRecord$"),
    "x": ("POST", r"/2/tweets$"),
    "linkedin": ("POST", r"/rest/posts$"),
    "facebook": ("POST", r"/[^/]+/feed$"),
    "instagram": ("POST", r"/[^/]+/media$"),
    "threads": ("POST", r"/[^/]+/threads$"),
    "telegram": ("POST", r"/bot[^/]+/sendMessage$"),
    "discord": ("POST", r"/api/webhooks/[^/]+/[^/]+$"),
}
_VERSION = re.compile(r"^/v\d+(\.\d+)?(?=/)")  # Graph and Threads base URLs carry a version: /v26.0/…


@dataclass
class Request:
    method: str
    path: str  # without the query string
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    answer: Answer | None = None  # what the fake answered (None: not yet, or the connection was dropped)

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))

    def form(self) -> dict[str, list[str]]:
        return parse_qs(self.body.decode("utf-8"), keep_blank_values=True)

    def header(self, name: str) -> str | None:
        return next((value for key, value in self.headers.items() if key.lower() == name.lower()), None)


@dataclass
class _Fault:
    remaining: int
    answer: Answer | None  # None: drop the connection without answering
    match: str | None


@dataclass
class FakePlatforms:
    requests: list[Request] = field(default_factory=list)
    _faults: list[_Fault] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _ids: Any = field(default_factory=lambda: itertools.count(1001))
    containers: dict[str, dict[str, Any]] = field(default_factory=dict)  # Instagram/Threads containers by id
    records: dict[str, dict[str, Any]] = field(default_factory=dict)  # Bluesky records by rkey

    # -- life cycle

    def __enter__(self) -> FakePlatforms:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def _any(self) -> None:
                fake._handle(self)

            do_GET = do_POST = do_PUT = do_DELETE = _any

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # -- faults and what was seen

    def fail_next(self, count: int = 1, status: int = 500, body: Any = None, headers: dict[str, str] | None = None,
                  match: str | None = None, drop: bool = False) -> None:
        """The next ``count`` requests (whose path contains ``match``, if given) get this answer instead,
        or, with ``drop``, a connection closed after the request was read and before any answer."""
        with self._lock:
            self._faults.append(_Fault(count, None if drop else (status, headers or {}, body), match))

    def seen(self, method: str | None = None, path: str | None = None) -> list[Request]:
        """Requests so far, optionally only with this method and a path matching this regex."""
        with self._lock:
            return [r for r in self.requests
                    if (method is None or r.method == method) and (path is None or re.search(path, r.path))]

    def created(self, platform: str) -> list[Request]:
        method, path = CREATES[platform]
        return self.seen(method, path)

    # -- the server side

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        request = Request(handler.command, parts.path, parse_qs(parts.query, keep_blank_values=True),
                          dict(handler.headers.items()), body)
        with self._lock:
            self.requests.append(request)
            fault = next((f for f in self._faults if f.remaining > 0 and (f.match is None or f.match in request.path)), None)
            if fault is not None:
                fault.remaining -= 1
        if fault is not None and fault.answer is None:
            handler.close_connection = True
            try:
                handler.connection.shutdown(2)  # SHUT_RDWR: the client sees the connection lost, no answer
            except OSError:
                pass
            return
        status, headers, payload = fault.answer if fault is not None else self._answer(request)
        request.answer = (status, headers, payload)
        data = (json.dumps(payload).encode() if isinstance(payload, (dict, list)) else
                payload.encode() if isinstance(payload, str) else payload or b"")
        handler.send_response(status)
        if isinstance(payload, (dict, list)):
            handler.send_header("Content-Type", "application/json")
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _next_id(self) -> str:
        with self._lock:
            return str(next(self._ids))

    def _answer(self, request: Request) -> Answer:
        path = _VERSION.sub("", request.path)
        for method, pattern, route in self._routes():
            found = re.fullmatch(pattern, path)
            if method == request.method and found:
                return route(request, *found.groups())
        return 404, {}, {"error": f"the fake has no {request.method} {request.path}"}

    def _routes(self) -> list[tuple[str, str, Callable[..., Answer]]]:
        return [
            ("GET", r"/img\.jpg", lambda r: (200, {"Content-Type": "image/jpeg"}, b"\xff\xd8\xff\xe0fake-jpeg\xff\xd9")),
            # Mastodon
            ("POST", r"/api/v1/statuses", self._mastodon_status),
            ("GET", r"/api/v1/accounts/verify_credentials", lambda r: (200, {}, {"id": "1", "username": "clinic",
                                                                                   "acct": "clinic"})),
            # Bluesky (atproto XRPC)
            ("POST", r"/xrpc/com\.atproto\.server\.createSession", self._bluesky_session),
            ("POST", r"/xrpc/com\.atproto\.server\.refreshSession", self._bluesky_session),
            ("POST", r"/xrpc/com\.atproto\.repo\.createRecord", self._bluesky_create),
            ("GET", r"/xrpc/com\.atproto\.repo\.getRecord", self._bluesky_get),
            # X API v2
            ("POST", r"/2/tweets", self._x_tweet),
            ("GET", r"/2/users/me", lambda r: (200, {}, {"data": {"id": "2244994945", "name": "Clinic", "username": "clinic"}})),
            # LinkedIn
            ("POST", r"/rest/posts", lambda r: (201, {"x-restli-id": f"urn:li:share:{self._next_id()}"}, None)),
            ("GET", r"/v2/userinfo", lambda r: (200, {}, {"sub": "abc123", "name": "Riverside Clinic"})),
            # Telegram Bot API
            ("POST", r"/bot([^/]+)/sendMessage", self._telegram_send),
            ("GET", r"/bot([^/]+)/getMe", lambda r, token: (200, {}, {"ok": True, "result": {
                "id": int(token.split(":")[0]) if token.split(":")[0].isdigit() else 1, "is_bot": True,
                "first_name": "Clinic", "username": "clinic_bot"}})),
            # Discord webhooks
            ("POST", r"/api/webhooks/([^/]+)/([^/]+)", self._discord_execute),
            ("GET", r"/api/webhooks/([^/]+)/([^/]+)", lambda r, hook, token: (200, {}, {
                "id": hook, "type": 1, "name": "Clinic news", "channel_id": "199737254929760256",
                "guild_id": "197038439483310086"})),
            # Meta Graph (Facebook Page, Instagram) and Threads
            ("POST", r"/([^/]+)/feed", lambda r, page: (200, {}, {"id": f"{page}_{self._next_id()}"})),
            ("POST", r"/([^/]+)/(media|threads)", self._meta_container),
            ("POST", r"/([^/]+)/(media_publish|threads_publish)", self._meta_publish),
            ("GET", r"/([^/]+)/(media|threads)", self._meta_list),
            ("GET", r"/([^/]+)", self._meta_node),
        ]

    # -- platform answers

    def _mastodon_status(self, request: Request) -> Answer:
        status_id = self._next_id()
        return 200, {}, {"id": status_id, "url": f"{self.url}/@clinic/{status_id}", "uri": f"{self.url}/statuses/{status_id}",
                         "content": request.form().get("status", [""])[0]}

    def _bluesky_session(self, request: Request) -> Answer:
        return 200, {}, {"did": "did:plc:fakeclinic", "handle": "clinic.test", "accessJwt": "access-jwt",
                         "refreshJwt": "refresh-jwt"}

    def _bluesky_create(self, request: Request) -> Answer:
        body = request.json()
        uri = f"at://{body['repo']}/{body['collection']}/{body['rkey']}"
        with self._lock:
            self.records[body["rkey"]] = {"uri": uri, "value": body["record"]}
        return 200, {}, {"uri": uri, "cid": "bafyreifakecid"}

    def _bluesky_get(self, request: Request) -> Answer:
        rkey = request.query.get("rkey", [""])[0]
        with self._lock:
            record = self.records.get(rkey)
        if record is None:
            return 400, {}, {"error": "RecordNotFound", "message": "Could not locate record"}
        return 200, {}, {**record, "cid": "bafyreifakecid"}

    def _x_tweet(self, request: Request) -> Answer:
        return 201, {}, {"data": {"id": f"18{self._next_id()}", "text": request.json().get("text", "")}}

    def _telegram_send(self, request: Request, token: str) -> Answer:
        body = request.json()
        chat = body.get("chat_id")
        username = chat[1:] if isinstance(chat, str) and chat.startswith("@") else None
        return 200, {}, {"ok": True, "result": {"message_id": int(self._next_id()), "date": 1790000000,
                                                "chat": {"id": -1001234567890, "type": "channel",
                                                         **({"username": username} if username else {})},
                                                "text": body.get("text", "")}}

    def _discord_execute(self, request: Request, hook: str, token: str) -> Answer:
        if request.query.get("wait", [""])[0] != "true":
            return 204, {}, None
        return 200, {}, {"id": f"11{self._next_id()}", "type": 0, "channel_id": "199737254929760256",
                         "content": request.json().get("content", ""), "webhook_id": hook}

    def _meta_container(self, request: Request, user: str, edge: str) -> Answer:
        container = f"17{self._next_id()}"
        fields = {key: values[0] for key, values in request.form().items()}
        with self._lock:
            self.containers[container] = {"user": user, "edge": edge, "status": "FINISHED", "media_id": None,
                                          "fields": fields}
        return 200, {}, {"id": container}

    def _meta_publish(self, request: Request, user: str, edge: str) -> Answer:
        container = request.form().get("creation_id", [""])[0]
        with self._lock:
            found = self.containers.get(container)
            if found is None or found["status"] != "FINISHED":
                return 400, {}, {"error": {"message": "The media is not ready for publishing", "type": "OAuthException",
                                           "code": 9007, "error_subcode": 2207027, "fbtrace_id": "FakeTrace"}}
            found["status"], found["media_id"] = "PUBLISHED", f"18{next(self._ids)}"
            return 200, {}, {"id": found["media_id"]}

    def _permalink(self, container: dict[str, Any]) -> str:
        if container["edge"] == "threads":
            return f"https://www.threads.net/@clinic/post/{container['media_id']}"
        return f"https://www.instagram.com/p/{container['media_id']}/"

    def _meta_list(self, request: Request, user: str, edge: str) -> Answer:
        with self._lock:
            items = [{"id": c["media_id"], "caption": c["fields"].get("caption"), "text": c["fields"].get("text"),
                      "permalink": self._permalink(c)}
                     for c in reversed(list(self.containers.values())) if c["media_id"] and c["edge"] == edge]
        return 200, {}, {"data": items}

    def _meta_node(self, request: Request, node: str) -> Answer:
        with self._lock:
            container = self.containers.get(node)
            media = next((c for c in self.containers.values() if c["media_id"] == node), None)
        if container is not None:
            return 200, {}, {"id": node, "status_code": container["status"], "status": container["status"]}
        if media is not None:
            return 200, {}, {"id": node, "permalink": self._permalink(media)}
        return 200, {}, {"id": node, "name": "Riverside Clinic", "username": "riverside_clinic"}
