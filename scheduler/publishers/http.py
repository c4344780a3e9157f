"""HTTP plumbing shared by the adapters: one timeout everywhere, and transport failures mapped
to what the caller must do. Messages name the host, never a URL path or query (tokens live there)."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3.exceptions

from scheduler.errors import ConfigError, PublishError, RetryAt, RetryNow, UnknownOutcome

log = logging.getLogger(__name__)

# A rate-limit reset that is already past by our clock means the clocks disagree: wait a little,
# never "retry at a time already gone" (the runner would claim the post again at once, in a loop).
RATE_LIMIT_MIN_WAIT = timedelta(seconds=30)
# A window's reset read from a successful answer holds the channel this long at most (a garbled or absurd reset
# must not park a channel for weeks).
WINDOW_HOLD_CAP = timedelta(hours=24)


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
    except requests.RequestException as error:
        # Anything else requests raises (a broken answer, too many redirects…) happened after the
        # request left: it may have been applied. The class name only: messages can quote the URL.
        raise UnknownOutcome(f"no usable answer from {host} ({type(error).__name__})") from None


def check_base_url(url: str, variable: str) -> str:
    """An http(s) base URL without a trailing slash; ConfigError naming the variable (never the value)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError("must be an http:// or https:// URL, such as https://example.social", variable)
    return url.strip().rstrip("/")


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
    except (ValueError, OverflowError, OSError):
        return None


def iso_header(response: requests.Response, name: str) -> datetime | None:
    raw = response.headers.get(name)
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00")) if raw else None
    except ValueError:
        return None
    return moment.astimezone(timezone.utc) if moment and moment.tzinfo else None


def reset_at(at: datetime | None, now: datetime, fallback: timedelta) -> datetime:
    """When to try again after a rate limit: the platform's reset time, ``fallback`` without one,
    and never a moment already past."""
    if at is None:
        return now + fallback
    return at if at > now else now + RATE_LIMIT_MIN_WAIT


def hold_if_exhausted(published: Any, response: requests.Response, now: datetime, *, channel: str, network: str,
                      remaining: str, reset: datetime | None) -> Any:
    """``published`` (a Published) with a channel hold until ``reset`` when the successful answer's ``remaining``
    header says no request is left in the current window; unchanged when that header is missing, garbled or above 0,
    or the reset is missing or already past. A reset more than WINDOW_HOLD_CAP ahead is capped, and the reason says so."""
    try:
        left = int(response.headers.get(remaining) or "")
    except ValueError:
        return published
    if left != 0 or reset is None or reset <= now:
        return published
    reset = reset.astimezone(timezone.utc)
    until = min(reset, (now + WINDOW_HOLD_CAP).astimezone(timezone.utc))
    reason = f"{network} rate limit: 0 requests left until {reset:%Y-%m-%dT%H:%M:%SZ}"
    if until < reset:
        reason += f" (more than {WINDOW_HOLD_CAP.total_seconds() / 3600:g} h ahead: holding until {until:%Y-%m-%dT%H:%M:%SZ})"
    log.warning("channel %s held until %s: %s", channel, f"{until:%Y-%m-%dT%H:%M:%SZ}", reason)
    return replace(published, hold_channel_until=until, hold_reason=reason)


def retry_after(response: requests.Response, now: datetime) -> datetime | None:
    raw = response.headers.get("Retry-After")
    try:
        return now + timedelta(seconds=float(raw)) if raw else None
    except ValueError:
        return None


# --- For adapters whose credential is part of the URL (Telegram's bot token, a Discord webhook's token).

SECRET_MASK = "[redacted]"
_URL_SECRETS: set[str] = set()
# urllib3 logs each request's path at DEBUG (`-vv`) and retries at WARNING: the path is where these secrets live.
_URL_LOGGERS = ("urllib3.connectionpool", "urllib3.util.retry")


class _MaskUrlSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if _URL_SECRETS:
            message = record.getMessage()
            masked = mask(message, tuple(_URL_SECRETS))  # a snapshot: another thread may add one
            if masked != message:
                record.msg, record.args = masked, None
        return True


_URL_FILTER = _MaskUrlSecrets()


def hide_in_logs(*secrets: str | None) -> None:
    """Mask these values in what urllib3 logs (request lines carry the URL path)."""
    _URL_SECRETS.update(secret for secret in secrets if secret)
    for name in _URL_LOGGERS:
        logger = logging.getLogger(name)
        if _URL_FILTER not in logger.filters:
            logger.addFilter(_URL_FILTER)


def mask(text: str, secrets: Any) -> str:
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):  # a longer secret holding a shorter one first
        text = text.replace(secret, SECRET_MASK)
    return text


def without_secrets(error: PublishError, secrets: Any) -> PublishError:
    """The same kind of error with ``secrets`` masked in its reason and no chained exception (the
    requests exception behind it quotes the URL). Raise the result outside the ``except`` block."""
    reason = mask(error.reason, list(secrets))
    if isinstance(error, RetryAt):
        return RetryAt(reason, error.at, error.status)
    return type(error)(reason, error.status)
