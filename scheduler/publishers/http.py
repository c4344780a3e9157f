"""HTTP plumbing shared by the adapters: one timeout everywhere, and transport failures mapped
to what the caller must do. Messages name the host, never a URL path or query (tokens live there)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3.exceptions

from scheduler.errors import RetryNow, UnknownOutcome

log = logging.getLogger(__name__)


def send(session: requests.Session, method: str, url: str, timeout: float, **kwargs: Any) -> requests.Response:
    host = urlsplit(url).netloc
    try:
        return session.request(method, url, timeout=timeout, **kwargs)
    except requests.ConnectTimeout:
        raise RetryNow(f"could not connect to {host} within {timeout:g}s") from None
    except requests.ReadTimeout:
        raise UnknownOutcome(f"{host} did not answer within {timeout:g}s after the request was sent") from None
    except requests.ConnectionError as error:
        if _never_sent(error):
            raise RetryNow(f"could not connect to {host}") from None
        raise UnknownOutcome(f"the connection to {host} was lost after the request was sent") from None


def _never_sent(error: requests.ConnectionError) -> bool:
    reason = error.args[0] if error.args else None
    inner = getattr(reason, "reason", reason)  # MaxRetryError wraps the real cause
    return isinstance(inner, (urllib3.exceptions.NewConnectionError, urllib3.exceptions.NameResolutionError))


def json_body(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def excerpt(response: requests.Response, limit: int = 200) -> str:
    """A short piece of an error body for a person to read (bodies carry no credentials)."""
    text = " ".join(response.text.split())
    return text[:limit] + ("…" if len(text) > limit else "")


def epoch_header(response: requests.Response, name: str) -> datetime | None:
    raw = response.headers.get(name)
    try:
        return datetime.fromtimestamp(float(raw), tz=timezone.utc) if raw else None
    except (ValueError, OverflowError):
        return None


def iso_header(response: requests.Response, name: str) -> datetime | None:
    raw = response.headers.get(name)
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00")) if raw else None
    except ValueError:
        return None
    return moment.astimezone(timezone.utc) if moment and moment.tzinfo else None


def retry_after(response: requests.Response, now: datetime) -> datetime | None:
    raw = response.headers.get("Retry-After")
    try:
        return now + timedelta(seconds=float(raw)) if raw else None
    except ValueError:
        return None
