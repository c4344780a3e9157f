"""Bluesky: an app.bsky.feed.post record in the account's repository on its PDS.

One session per publisher (created on first use, refreshed with refreshSession when it
expires), never a login per post. The record key is a TID derived from the post, so a retry
finds the record it may already have written (getRecord) instead of writing a second one.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlsplit

import requests

from scheduler.errors import NeedsAttention, PublishError, Rejected, RetryAt, RetryNow, UnknownOutcome
from scheduler.publishers.base import Published, Publisher
from scheduler.publishers.http import check_base_url, epoch_header, excerpt, hold_if_exhausted, json_body, reset_at, send
from scheduler.store import Post

DEFAULT_PDS_URL = "https://bsky.social"
COLLECTION = "app.bsky.feed.post"
RATE_LIMIT_FALLBACK = timedelta(minutes=5)
_TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
_EXPIRED = {"ExpiredToken", "InvalidToken"}
_ACCOUNT_PROBLEMS = {"AccountTakedown", "AccountDeactivated", "AccountSuspended", "AuthFactorTokenRequired"}


def record_key(post: Post) -> str:
    """A valid TID (13 base32-sortable chars) fixed for this post: its slot plus its id, and a clock id from its key."""
    micros = int(post.scheduled_at.replace(microsecond=0).timestamp()) * 1_000_000 + post.id % 1_000_000
    clock_id = int(hashlib.sha256(post.idempotency_key.encode()).hexdigest()[:4], 16) % 1024
    value = (micros << 10) | clock_id
    return "".join(_TID_ALPHABET[(value >> shift) & 31] for shift in range(60, -1, -5))


class BlueskyPublisher(Publisher):
    platform = "bluesky"
    required = ("HANDLE", "APP_PASSWORD")
    resend_is_safe = True  # the fixed record key is checked before any resend

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pds = check_base_url(self.setting("PDS_URL") or DEFAULT_PDS_URL, self.settings.channel_variable(self.channel, "PDS_URL"))
        self._session: dict[str, Any] | None = None

    def publish(self, post: Post, now: datetime) -> Published:
        rkey = record_key(post)
        if post.attempts or post.recovered:
            found = self._existing(rkey, now)
            if found:
                return found
        text = post.payload.get("text", post.text)
        record = {"$type": COLLECTION, "text": text, "createdAt": created_at(now)}
        # Without facets a '#tag' is plain text on Bluesky; a payload compiled without them gets them here.
        if "facets" in post.payload:
            facets = post.payload["facets"]
        else:
            from posts.compile import bluesky_facets  # only for a payload compiled without them

            facets = bluesky_facets(text)
        if facets:
            record["facets"] = facets
        body = {"repo": None, "collection": COLLECTION, "rkey": rkey, "record": record}
        response = self._authed("POST", "com.atproto.repo.createRecord", now, json=body)
        published = self._published(_uri(json_body(response), "createRecord"), rkey)
        # The PDS's write window spent: hold the channel until it resets rather than earn a 429 next time.
        return hold_if_exhausted(published, response, now, channel=self.channel, network="Bluesky",
                                 remaining="RateLimit-Remaining", reset=epoch_header(response, "RateLimit-Reset"))

    def verify(self, now: datetime) -> str:
        """createSession, as publishing does (no record is written): the session's @handle and DID."""
        session = self._ensure_session(now)
        return f"@{session.get('handle') or self.setting('HANDLE')} ({session.get('did')})"

    def find_existing(self, post: Post, now: datetime) -> Published | None:
        """Reconciliation: the record under this post's fixed key, or None when getRecord proves it absent."""
        return self._existing(record_key(post), now)

    def _existing(self, rkey: str, now: datetime) -> Published | None:
        session = self._ensure_session(now)
        params = {"repo": session["did"], "collection": COLLECTION, "rkey": rkey}
        response = send(self.session, "GET", f"{self.pds}/xrpc/com.atproto.repo.getRecord", self.timeout, params=params)
        if response.status_code == 200:
            return self._published(_uri(json_body(response), "getRecord"), rkey)
        if response.status_code == 400 and json_body(response).get("error") == "RecordNotFound":
            return None
        raise classify(response, now)

    def _published(self, uri: str, rkey: str) -> Published:
        handle = self._session["handle"] if self._session else self.setting("HANDLE")
        return Published(remote_id=uri, remote_url=f"https://bsky.app/profile/{handle}/post/{rkey}")

    def _authed(self, method: str, nsid: str, now: datetime, json: dict[str, Any]) -> requests.Response:
        """Call ``nsid`` with the session's token (its 200 answer); refresh once if the token has expired."""
        for attempt in range(2):
            session = self._ensure_session(now)
            if "repo" in json:
                json = {**json, "repo": session["did"]}
            response = send(
                self.session, method, f"{self.pds}/xrpc/{nsid}", self.timeout, json=json,
                headers={"Authorization": f"Bearer {session['accessJwt']}"},
            )
            if response.status_code == 200:
                return response
            if attempt == 0 and _expired(response):
                self._refresh(now)
                continue
            raise classify(response, now)
        raise AssertionError("unreachable")  # pragma: no cover

    def _ensure_session(self, now: datetime) -> dict[str, Any]:
        if self._session is None:
            body = {"identifier": self.setting("HANDLE"), "password": self.setting("APP_PASSWORD")}
            response = send(self.session, "POST", f"{self.pds}/xrpc/com.atproto.server.createSession", self.timeout, json=body)
            if response.status_code != 200:
                raise classify(response, now, logging_in=True)
            self._session = _session_of(response, self.pds)
        return self._session

    def _refresh(self, now: datetime) -> None:
        refresh_token = self._session["refreshJwt"] if self._session else None
        self._session = None
        if refresh_token:
            response = send(
                self.session, "POST", f"{self.pds}/xrpc/com.atproto.server.refreshSession", self.timeout,
                headers={"Authorization": f"Bearer {refresh_token}"},
            )
            if response.status_code == 200:
                self._session = _session_of(response, self.pds)
                return
            if not _expired(response):
                raise classify(response, now)
        self._ensure_session(now)  # the refresh token has expired too: log in again, once


def created_at(now: datetime) -> str:
    """atproto's preferred datetime form: UTC with milliseconds, '2026-11-23T09:30:00.123Z'."""
    utc = now.astimezone(timezone.utc)
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{utc.microsecond // 1000:03d}Z"


def _uri(answer: dict[str, Any], nsid: str) -> str:
    uri = answer.get("uri")
    if not isinstance(uri, str) or not uri.startswith("at://"):
        # The request went out and something answered 200 without a record: it may exist. A retry checks first.
        raise UnknownOutcome(f"the PDS answered {nsid} without a record URI")
    return uri


def _session_of(response: requests.Response, pds: str) -> dict[str, Any]:
    session = json_body(response)
    if not all(isinstance(session.get(key), str) for key in ("did", "accessJwt", "refreshJwt")):
        host = urlsplit(pds).netloc
        raise NeedsAttention(f"{host} answered the login without a session: is the channel's PDS_URL a Bluesky PDS?",
                             response.status_code)
    return session


def _expired(response: requests.Response) -> bool:
    return response.status_code in (400, 401) and json_body(response).get("error") in _EXPIRED


def classify(response: requests.Response, now: datetime, logging_in: bool = False) -> PublishError:
    """XRPC errors are {"error": Name, "message": text}; rate limits carry RateLimit-Reset (epoch seconds)."""
    code = response.status_code
    body = json_body(response)
    name, message = body.get("error", ""), body.get("message") or excerpt(response)
    if code == 429 or name == "RateLimitExceeded":
        at = reset_at(epoch_header(response, "RateLimit-Reset"), now, RATE_LIMIT_FALLBACK)
        return RetryAt(f"rate limited by the Bluesky PDS until {at:%Y-%m-%dT%H:%M:%SZ}", at, code)
    if code in (401, 403) or logging_in and code == 400 or name in _EXPIRED or name in _ACCOUNT_PROBLEMS:
        return NeedsAttention(f"Bluesky refused the login ({code} {name}): {message}", code)
    if code >= 500:
        return RetryNow(f"Bluesky PDS error ({code} {name}): {message}", code)
    return Rejected(f"Bluesky rejected the post ({code} {name}): {message}", code)
