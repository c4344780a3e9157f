"""X (Twitter) API v2: POST /2/tweets with {"text": ...}, as the account's user.

Two ways to act as the user (docs.x.com, "Manage Posts" quickstart: "User Access Tokens (OAuth 1.0a or
OAuth 2.0 PKCE)"):

- OAuth 1.0a user context, when X_API_KEY, X_API_SECRET, X_ACCESS_TOKEN and X_ACCESS_TOKEN_SECRET are
  all set. requests-oauthlib signs each request (HMAC-SHA1). The body is JSON, so it is not part of
  the signature base string: only form-encoded bodies are (RFC 5849 §3.4.1.3), and requests-oauthlib
  leaves any other Content-Type out of the signature.
- Otherwise OAuth 2.0 user token: X_OAUTH2_ACCESS_TOKEN as a Bearer token. These last two hours; on a 401,
  if X_OAUTH2_REFRESH_TOKEN and X_CLIENT_ID are set, the token is refreshed once through
  POST /2/oauth2/token (grant_type=refresh_token, form-encoded) and the post sent again. X rotates the
  refresh token on each refresh, so the new pair is saved atomically in the token file (SCHEDULER_TOKEN_FILE,
  scheduler/tokens.py) and read ahead of the environment's on the next run, for as long as the environment
  still holds the tokens they descend from. The refresh holds the file's lock from reading to saving: two
  processes never both spend the same refresh token; the second one takes the pair the first one saved.

X has no idempotency key: a resend after an unknown outcome can post twice.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import datetime, timedelta
from typing import Any

import requests
from requests_oauthlib import OAuth1

from scheduler.config import Settings
from scheduler.errors import ConfigError, NeedsAttention, PublishError, Rejected, RetryAt, RetryNow, UnknownOutcome
from scheduler.publishers.base import Published, Publisher
from scheduler.publishers.http import (check_base_url, epoch_header, excerpt, hold_if_exhausted, json_body, reset_at,
                                       send, without_secrets)
from scheduler.store import Post
from scheduler.tokens import TokenFile, fingerprint

log = logging.getLogger(__name__)

DEFAULT_API_BASE_URL = "https://api.x.com"
# docs.x.com/fundamentals/rate-limits: "Most limits reset every 15 minutes"; used when x-rate-limit-reset is absent.
RATE_LIMIT_FALLBACK = timedelta(minutes=15)
RECONCILE_SLACK = timedelta(minutes=10)  # clocks differ: read the timeline from a little before the slot
RECONCILE_PAGES = 2  # of 100 posts; with /users/me, a refresh and the post: the six requests a lease covers
OAUTH1_KEYS = ("API_KEY", "API_SECRET", "ACCESS_TOKEN", "ACCESS_TOKEN_SECRET")
OAUTH2_KEY = "OAUTH2_ACCESS_TOKEN"
DUPLICATE = "duplicate content"
# At DEBUG these log the Authorization header and base string, which carry X_ACCESS_TOKEN (never the two secrets).
_SIGNING_LOGGERS = ("requests_oauthlib.oauth1_auth", "oauthlib.oauth1.rfc5849")


class _MaskValues(logging.Filter):
    def __init__(self) -> None:
        super().__init__()
        self.values: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = message
        for value in tuple(self.values):  # other threads may add values meanwhile
            masked = masked.replace(value, "[redacted]")
        if masked != message:
            record.msg, record.args = masked, None
        return True


_SIGNING_FILTER = _MaskValues()


class XPublisher(Publisher):
    platform = "x"
    # Either set of credentials will do, which a tuple of required keys cannot say: see credential_problem.
    required = ()
    resend_is_safe = False

    @classmethod
    def credential_problem(cls, channel: str, settings: Settings, where: str | None = None) -> ConfigError | None:
        return credential_problem(channel, settings, where)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        variable = self.settings.channel_variable(self.channel, "API_BASE_URL")
        self.base_url = check_base_url(self.setting("API_BASE_URL") or DEFAULT_API_BASE_URL, variable)
        self.oauth1 = all(self.setting(key) for key in OAUTH1_KEYS)
        if self.oauth1:
            _SIGNING_FILTER.values.add(self.setting("ACCESS_TOKEN"))
            for name in _SIGNING_LOGGERS:
                if _SIGNING_FILTER not in logging.getLogger(name).filters:
                    logging.getLogger(name).addFilter(_SIGNING_FILTER)
        # OAuth 2.0 tokens: the token file's, when they descend from the environment's (newer), else the environment's.
        self._access_token = None if self.oauth1 else self.setting(OAUTH2_KEY)
        self._refresh_token = None if self.oauth1 else self.setting("OAUTH2_REFRESH_TOKEN")
        self._base = fingerprint(self._access_token, self._refresh_token)
        self._token_file = TokenFile(self.settings.token_file) if self.settings.token_file and not self.oauth1 else None
        if self._token_file is not None:
            self._adopt(self._token_file.entry(self.channel, self._base))

    def _adopt(self, entry: dict[str, Any] | None) -> bool:
        """Use a saved pair (True if it differs from the one held)."""
        if not entry:
            return False
        changed = entry["access_token"] != self._access_token
        self._access_token = entry["access_token"]
        if isinstance(entry.get("refresh_token"), str) and entry["refresh_token"]:
            self._refresh_token = entry["refresh_token"]
        return changed

    def _secrets(self) -> list[str]:
        return [v for v in (self._access_token, self._refresh_token, self.setting(OAUTH2_KEY),
                            self.setting("OAUTH2_REFRESH_TOKEN"), self.setting("ACCESS_TOKEN")) if v]

    def publish(self, post: Post, now: datetime) -> Published:
        try:
            return self._publish(post, now)
        except PublishError as error:
            failure = without_secrets(error, self._secrets())  # tokens from the token file are no setting
        raise failure

    def _publish(self, post: Post, now: datetime) -> Published:
        body = {"text": post.payload.get("text", post.text)}
        response = self._create(body)
        if response.status_code == 401 and self._can_refresh():
            self._refresh(now)
            response = self._create(body)
        if 200 <= response.status_code < 300:
            data = json_body(response).get("data")
            tweet_id = data.get("id") if isinstance(data, dict) else None
            if not tweet_id:
                # Sent and answered "ok" by something that is not the X API: the post may exist.
                raise UnknownOutcome(f"X answered {response.status_code} without a post id: {excerpt(response)}",
                                     response.status_code)
            published = Published(remote_id=str(tweet_id), remote_url=f"https://x.com/i/web/status/{tweet_id}")
            # The window's last request spent: hold the channel until it resets rather than earn a 429 next time.
            return hold_if_exhausted(published, response, now, channel=self.channel, network="X",
                                     remaining="x-rate-limit-remaining", reset=epoch_header(response, "x-rate-limit-reset"))
        raise classify(response, now)

    def verify(self, now: datetime) -> str:
        """GET /2/users/me, signed (OAuth 1.0a) or with the bearer token (OAuth 2.0, refreshed once on a 401):
        the user's @username."""
        try:
            data = self._get("/2/users/me", {}, now).get("data")
        except PublishError as error:
            failure = without_secrets(error, self._secrets())
        else:
            return f"@{data['username']}" if isinstance(data, dict) and data.get("username") else "the token's user"
        raise failure

    def find_existing(self, post: Post, now: datetime) -> Published | None:
        """Reconciliation after an unknown outcome: the account's posts since the slot (GET /2/users/:id/tweets with
        start_time, newest first, 100 a page, following meta.next_token), matched by text. None only when every page
        since the slot was read and it is not there; RetryNow when that cannot be told."""
        try:
            return self._find_existing(post, now)
        except PublishError as error:
            failure = without_secrets(error, self._secrets())
        raise failure

    def _find_existing(self, post: Post, now: datetime) -> Published | None:
        from scheduler.reconcile import same_text

        me = self._get("/2/users/me", {}, now)
        user_id = me.get("data", {}).get("id") if isinstance(me.get("data"), dict) else None
        if not user_id:
            raise RetryNow("X answered /2/users/me without a user id: cannot check whether the post exists")
        since = (post.scheduled_at - RECONCILE_SLACK).strftime("%Y-%m-%dT%H:%M:%SZ")
        params = {"start_time": since, "max_results": "100", "tweet.fields": "created_at", "exclude": "retweets,replies"}
        text = post.payload.get("text", post.text)
        for _ in range(RECONCILE_PAGES):
            answer = self._get(f"/2/users/{user_id}/tweets", params, now)
            for tweet in answer.get("data") or []:
                if isinstance(tweet, dict) and tweet.get("id") and same_text(text, tweet.get("text")):
                    return Published(remote_id=str(tweet["id"]), remote_url=f"https://x.com/i/web/status/{tweet['id']}")
            meta = answer.get("meta") if isinstance(answer.get("meta"), dict) else {}
            if not meta.get("next_token"):
                return None  # the whole timeline since the slot was read
            params = {**params, "pagination_token": str(meta["next_token"])}
        raise RetryNow(f"more than {RECONCILE_PAGES * 100} posts on the X account since the slot: "
                       "cannot tell whether the post exists")

    def _get(self, path: str, params: dict[str, str], now: datetime) -> dict[str, Any]:
        url = f"{self.base_url}{path}"
        for attempt in range(2):
            if self.oauth1:
                auth = OAuth1(self.setting("API_KEY"), client_secret=self.setting("API_SECRET"),
                              resource_owner_key=self.setting("ACCESS_TOKEN"),
                              resource_owner_secret=self.setting("ACCESS_TOKEN_SECRET"),
                              signature_method="HMAC-SHA1", signature_type="AUTH_HEADER")
                response = send(self.session, "GET", url, self.timeout, params=params, auth=auth)
            else:
                response = send(self.session, "GET", url, self.timeout, params=params,
                                headers={"Authorization": f"Bearer {self._access_token}"})
            if response.status_code == 401 and attempt == 0 and self._can_refresh():
                self._refresh(now)
                continue
            if response.status_code == 200:
                return json_body(response)
            error = classify(response, now)
            if isinstance(error, UnknownOutcome):  # a 5xx on a read creates nothing
                error = RetryNow(error.reason, error.status)
            raise error
        raise AssertionError("unreachable")  # pragma: no cover

    def _create(self, body: dict[str, str]) -> requests.Response:
        url = f"{self.base_url}/2/tweets"
        # An explicit JSON Content-Type: requests-oauthlib signs form-looking bodies without one.
        headers = {"Content-Type": "application/json"}
        if self.oauth1:
            auth = OAuth1(
                self.setting("API_KEY"),
                client_secret=self.setting("API_SECRET"),
                resource_owner_key=self.setting("ACCESS_TOKEN"),
                resource_owner_secret=self.setting("ACCESS_TOKEN_SECRET"),
                signature_method="HMAC-SHA1",
                signature_type="AUTH_HEADER",
            )
            return send(self.session, "POST", url, self.timeout, json=body, headers=headers, auth=auth)
        headers["Authorization"] = f"Bearer {self._access_token}"
        return send(self.session, "POST", url, self.timeout, json=body, headers=headers)

    def _can_refresh(self) -> bool:
        return not self.oauth1 and bool(self._refresh_token and self.setting("CLIENT_ID"))

    def _refresh(self, now: datetime) -> None:
        """One refresh of the OAuth 2.0 user token, saved in the token file when there is one. The file's lock is
        held throughout: if another process refreshed meanwhile, its saved pair is taken instead of refreshing."""
        if self._token_file is None:
            return self._refresh_now(now)
        with contextlib.ExitStack() as stack:
            try:
                stack.enter_context(self._token_file.locked())
            except OSError as error:
                log.warning("cannot lock the token file %s (%s): refreshing without it", self._token_file.path,
                            type(error).__name__)
                return self._refresh_now(now)
            if self._adopt(self._token_file.entry(self.channel, self._base)):
                return None  # another run refreshed since this one read the file: its tokens are the newest
            self._refresh_now(now)
            try:
                self._token_file.save(self.channel, {"access_token": self._access_token,
                                                     "refresh_token": self._refresh_token, "base": self._base}, now)
            except OSError as error:
                log.error("could not save the refreshed X tokens of channel %s to %s (%s): the next run will need the "
                          "app authorized again", self.channel, self._token_file.path, type(error).__name__)
        return None

    def _refresh_now(self, now: datetime) -> None:
        """One refresh of the OAuth 2.0 user token (a public client: client_id in the form, no secret)."""
        form = {"refresh_token": self._refresh_token, "grant_type": "refresh_token", "client_id": self.setting("CLIENT_ID")}
        refresh_variable = self.settings.channel_variable(self.channel, "OAUTH2_REFRESH_TOKEN")
        try:
            response = send(self.session, "POST", f"{self.base_url}/2/oauth2/token", self.timeout, data=form)
        except UnknownOutcome as error:
            # The post itself was refused (401), so it does not exist: only the refresh is in doubt.
            raise RetryNow(f"refreshing the X OAuth 2.0 token failed: {error.reason}") from None
        answer = json_body(response)
        if response.status_code == 200 and isinstance(answer.get("access_token"), str) and answer["access_token"]:
            self._access_token = answer["access_token"]
            # X issues a new refresh token with each refresh; keep the old one if none came back.
            if isinstance(answer.get("refresh_token"), str) and answer["refresh_token"]:
                self._refresh_token = answer["refresh_token"]
            return
        if response.status_code == 429:
            raise classify(response, now)
        if response.status_code >= 500:
            raise RetryNow(f"X could not refresh the OAuth 2.0 token ({response.status_code}); the post was not created",
                           response.status_code)
        # Only the error's name and description: the body of a token endpoint is never quoted whole.
        reason = " ".join(str(answer[key]) for key in ("error", "error_description") if isinstance(answer.get(key), str))
        raise NeedsAttention(f"X refused to refresh the OAuth 2.0 token ({response.status_code} {reason or 'no reason given'}): "
                             f"authorize the app again and set {refresh_variable} and "
                             f"{self.settings.channel_variable(self.channel, OAUTH2_KEY)}", response.status_code)


def credential_problem(channel: str, settings: Settings, where: str | None = None) -> ConfigError | None:
    """The ConfigError to raise when ``channel`` has neither OAuth 1.0a nor OAuth 2.0 credentials
    (names only, never values); None when it has one of them."""
    oauth1 = {key: settings.channel_value(channel, key) for key in OAUTH1_KEYS}
    if all(oauth1.values()) or settings.channel_value(channel, OAUTH2_KEY):
        return None
    names = [settings.channel_variable(channel, key) for key in OAUTH1_KEYS]
    oauth2 = settings.channel_variable(channel, OAUTH2_KEY)
    if any(oauth1.values()):
        missing = next(settings.channel_variable(channel, key) for key, value in oauth1.items() if not value)
        message = (f"channel {channel!r} has incomplete OAuth 1.0a credentials: set {missing} in .env or the environment "
                   f"(all of {', '.join(names)}), or use {oauth2}")
        return ConfigError(message, where or missing)
    message = (f"channel {channel!r} has no credentials: set {', '.join(names)} (OAuth 1.0a), "
               f"or {oauth2} (OAuth 2.0) in .env or the environment")
    return ConfigError(message, where or names[0])


def _message(body: dict[str, Any]) -> str:
    """Problem JSON {"title", "detail", "type"} or {"errors": [{"message"|"detail"...}]}, as one line."""
    parts = [str(body[key]) for key in ("title", "detail") if isinstance(body.get(key), str) and body[key]]
    for error in body.get("errors") or []:
        if isinstance(error, dict):
            parts += [str(error[key]) for key in ("message", "detail") if isinstance(error.get(key), str)]
    return ": ".join(dict.fromkeys(parts))  # in order, without repeats


def classify(response: requests.Response, now: datetime) -> PublishError:
    """X's answer -> what the runner must do (docs.x.com/x-api/fundamentals/response-codes-and-errors)."""
    code = response.status_code
    body = json_body(response)
    message = _message(body) or excerpt(response)
    if code == 429:
        at = reset_at(epoch_header(response, "x-rate-limit-reset"), now, RATE_LIMIT_FALLBACK)
        return RetryAt(f"rate limited by X until {at:%Y-%m-%dT%H:%M:%SZ}: {message}", at, code)
    if code == 403 and DUPLICATE in message.lower():
        return Rejected(f"X refused a duplicate post (403): {message}", code)
    if code == 403:
        return NeedsAttention(f"X forbids this (403): {message}; does the app have Read and write permission, "
                              "and were the access tokens generated after it was set?", code)
    if code == 401:
        return NeedsAttention(f"X refused the credentials (401): {message}", code)
    if code == 404:
        return NeedsAttention(f"no X API at the configured base URL (404): {message}", code)
    if code >= 500:
        # X has no idempotency key: a 5xx may hide a created post, and a resend could post twice.
        return UnknownOutcome(f"X server error ({code}), the post may exist: {message}", code)
    return Rejected(f"X rejected the post ({code}): {message}", code)
