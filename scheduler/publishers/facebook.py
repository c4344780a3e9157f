"""Facebook Page: a post on the Page's feed through the Graph API.

POST {FACEBOOK_GRAPH_BASE_URL}/{page-id}/feed with the form fields ``message`` and ``access_token``
(a Page access token). The token travels in the body, never in the URL, so no request line that
urllib3 logs carries it. The answer is {"id": "{page-id}_{post-id}"}.

Errors are {"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}} and are classified
by their code, not the HTTP status: Meta throttles with 400/403 and codes 4, 17, 32, 613 and 80001.
Page access tokens are under Business Use Case rate limits, whose header says when access returns.
There is no idempotency key: a resend after an unknown outcome may post twice.

Slowing down before the limit: every successful answer's X-App-Usage and X-Business-Use-Case-Usage are read
(the highest of call_count, total_cputime and total_time, in percent). At or above FACEBOOK_USAGE_THRESHOLD
(default 90) the Published answer carries a channel hold: the answer's time plus ``usage_backoff``
(estimated_time_to_regain_access where Meta gives one, else 5 minutes at the threshold growing to an hour, Meta's
rolling window, at 100 %). The store keeps that hold on the channel with the post's success, so no process (the
next cron run included) publishes the channel's next post before then, instead of the Page hitting the hard limit.
Nothing is kept in the publisher: a hold in memory would end with the process, and a cron run ends at once.
"""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

import requests

from scheduler.errors import ConfigError, NeedsAttention, PublishError, Rejected, RetryAt, RetryNow, UnknownOutcome
from scheduler.publishers.base import Published, Publisher
from scheduler.publishers.http import check_base_url, excerpt, json_body, reset_at, send, without_secrets
from scheduler.store import Post

log = logging.getLogger(__name__)

# The newest Graph API version when this was written (v26.0, released 2026-07-29; v21.0 ends 2027-01-21).
DEFAULT_GRAPH_BASE_URL = "https://graph.facebook.com/v26.0"
RATE_LIMIT_FALLBACK = timedelta(minutes=15)
POLICY_BLOCK_FALLBACK = timedelta(hours=1)
# 4 app, 17 user, 32 page (user token), 613 "calls to this api have exceeded the rate limit", 80001 page (BUC).
THROTTLED = {4, 17, 32, 613, 80001}
TEMPORARY = {1, 2}  # "API Unknown" / "API Service": downtime, wait and retry
APPLICATION_LIMIT = 341
POLICY_BLOCK = 368
DUPLICATE_POST = 506
LINK_ERROR = 1609005
INVALID_TOKEN = {102, 190}
PERMISSION = {3, 10} | set(range(200, 300))
USAGE_FIELDS = ("call_count", "total_cputime", "total_time")
DEFAULT_USAGE_THRESHOLD = 90.0  # percent of a rate limit at which publishing pauses (FACEBOOK_USAGE_THRESHOLD)
USAGE_MIN_WAIT = timedelta(minutes=5)  # the pause at the threshold itself
USAGE_WINDOW = timedelta(hours=1)  # Meta counts usage over a rolling hour: the pause at 100 %
RECONCILE_PAGES = 4  # of 100 posts; with the post itself, within the six requests the runner's lease covers


class FacebookPublisher(Publisher):
    platform = "facebook"
    required = ("PAGE_ID", "PAGE_ACCESS_TOKEN")
    resend_is_safe = False  # /feed has no idempotency key

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.base_url = check_base_url(self.setting("GRAPH_BASE_URL") or DEFAULT_GRAPH_BASE_URL,
                                       self.settings.channel_variable(self.channel, "GRAPH_BASE_URL"))
        self.usage_threshold = _threshold(self.setting("USAGE_THRESHOLD"),
                                          self.settings.channel_variable(self.channel, "USAGE_THRESHOLD"))

    def publish(self, post: Post, now: datetime) -> Published:
        try:
            return self._send(post, now)
        except PublishError as error:
            failure = without_secrets(error, [self.setting("PAGE_ACCESS_TOKEN")])
        raise failure

    def verify(self, now: datetime) -> str:
        """GET /{page-id}?fields=name with the token in the Authorization header (never the URL): the Page's name."""
        token = self.setting("PAGE_ACCESS_TOKEN")
        try:
            response = send(self.session, "GET", f"{self.base_url}/{quote(self.setting('PAGE_ID'), safe='')}",
                            self.timeout, params={"fields": "name"}, headers={"Authorization": f"Bearer {token}"})
            if response.status_code != 200:
                raise classify(response, now)
        except PublishError as error:
            failure = without_secrets(error, [token])
        else:
            return f"Page {json_body(response).get('name') or self.setting('PAGE_ID')}"
        if isinstance(failure, UnknownOutcome):  # a read creates nothing
            failure = RetryNow(failure.reason, failure.status)
        raise failure

    def find_existing(self, post: Post, now: datetime) -> Published | None:
        """Reconciliation: the Page's posts since the slot (GET /{page-id}/posts?fields=id,message,created_time&since=…,
        following paging.next), matched by message; None only when every page was read and it is not there. The token
        travels in a header, never the URL (paging.next carries an access_token when Graph adds one: it is dropped)."""
        from urllib.parse import parse_qsl, urlsplit

        from scheduler.reconcile import same_text

        page_id = quote(self.setting("PAGE_ID"), safe="")
        params = {"fields": "id,message,created_time", "limit": "100",
                  "since": str(int((post.scheduled_at - timedelta(minutes=10)).timestamp()))}
        message = post.payload.get("message", post.text)
        failure: PublishError
        for _ in range(RECONCILE_PAGES):
            try:
                response = send(self.session, "GET", f"{self.base_url}/{page_id}/posts", self.timeout, params=params,
                                headers={"Authorization": f"Bearer {self.setting('PAGE_ACCESS_TOKEN')}"})
            except PublishError as error:
                failure = without_secrets(error, [self.setting("PAGE_ACCESS_TOKEN")])
                break
            if response.status_code != 200:
                failure = classify(response, now)
                break
            body = json_body(response)
            for item in body.get("data") or []:
                if isinstance(item, dict) and item.get("id") and same_text(message, item.get("message")):
                    return Published(remote_id=str(item["id"]), remote_url=f"https://www.facebook.com/{item['id']}")
            paging = body.get("paging") if isinstance(body.get("paging"), dict) else {}
            following = paging.get("next") if body.get("data") else None
            if not isinstance(following, str) or not following:
                return None
            params = {k: v for k, v in parse_qsl(urlsplit(following).query) if k != "access_token"}
        else:
            failure = RetryNow(f"more than {RECONCILE_PAGES * 100} posts on the Facebook Page since the slot: "
                               "cannot tell whether the post exists")
        if isinstance(failure, UnknownOutcome):  # nothing is created by a read
            failure = RetryNow(failure.reason, failure.status)
        raise failure

    def _send(self, post: Post, now: datetime) -> Published:
        page_id = quote(self.setting("PAGE_ID"), safe="")
        data = {"message": post.payload.get("message", post.text), "access_token": self.setting("PAGE_ACCESS_TOKEN")}
        response = send(self.session, "POST", f"{self.base_url}/{page_id}/feed", self.timeout, data=data)
        if 200 <= response.status_code < 300:
            post_id = json_body(response).get("id")
            if not isinstance(post_id, str) or not post_id:
                raise UnknownOutcome(f"Facebook answered {response.status_code} without a post id: {excerpt(response)}",
                                     response.status_code)
            published = Published(remote_id=post_id, remote_url=f"https://www.facebook.com/{post_id}")
            return self._paced(published, response, now)
        raise classify(response, now)

    def _paced(self, published: Published, response: requests.Response, now: datetime) -> Published:
        """``published`` with a channel hold when the answer's usage is at or above the threshold: the hold is data
        the store keeps with the success (it outlasts this process), not a pause in this object."""
        usage = usage_percent(response)
        if usage is None or usage < self.usage_threshold:
            return published
        until = now + usage_backoff(usage, self.usage_threshold, regain_access_at(response, now), now)
        log.warning("channel %s: Facebook reports %g%% of a rate limit used (threshold %g%%): holding its posts until %s",
                    self.channel, usage, self.usage_threshold, f"{until:%Y-%m-%dT%H:%M:%SZ}")
        reason = f"Facebook usage {usage:g}% >= {self.usage_threshold:g}%: pausing before Meta's rate limit is hit"
        return replace(published, hold_channel_until=until, hold_reason=reason)


def usage_backoff(usage: float, threshold: float, regain_at: datetime | None, now: datetime) -> timedelta:
    """How long to pause at ``usage`` percent: Meta's own estimate when it gives one (and it is longer), else from
    USAGE_MIN_WAIT at the threshold, linearly, to USAGE_WINDOW at 100 % and above."""
    share = 1.0 if threshold >= 100 else min(max((usage - threshold) / (100 - threshold), 0.0), 1.0)
    derived = USAGE_MIN_WAIT + (USAGE_WINDOW - USAGE_MIN_WAIT) * share
    estimate = regain_at - now if regain_at is not None else timedelta(0)
    return max(derived, estimate)


def _threshold(raw: str | None, variable: str) -> float:
    if raw is None or not raw.strip():
        return DEFAULT_USAGE_THRESHOLD
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not 0 < value <= 100:  # NaN fails this too
        raise ConfigError(f"must be a percentage above 0 and at most 100, such as {DEFAULT_USAGE_THRESHOLD:g}", variable)
    return value


def classify(response: requests.Response, now: datetime) -> PublishError:
    status = response.status_code
    error = json_body(response).get("error")
    if not isinstance(error, dict):
        return _without_graph_error(response)
    code, subcode = error.get("code"), error.get("error_subcode")
    what = f"{error.get('type') or 'error'} {code}" + (f"/{subcode}" if subcode else "")
    trace = f" (fbtrace_id {error['fbtrace_id']})" if error.get("fbtrace_id") else ""
    message = f"{error.get('message') or excerpt(response)}{trace}"
    if code in THROTTLED or code == APPLICATION_LIMIT:
        at = reset_at(regain_access_at(response, now), now, RATE_LIMIT_FALLBACK)
        return RetryAt(f"rate limited by Facebook ({what}) until {at:%Y-%m-%dT%H:%M:%SZ}: {message}", at, status)
    if code == POLICY_BLOCK:
        at = now + POLICY_BLOCK_FALLBACK
        return RetryAt(f"Facebook temporarily blocked posting for a policy violation ({what}); trying again at"
                       f" {at:%Y-%m-%dT%H:%M:%SZ}: {message}", at, status)
    if code in INVALID_TOKEN:
        return NeedsAttention(f"Facebook refused the Page access token ({what}): expired, revoked or invalid; "
                              f"get a new one: {message}", status)
    if code in PERMISSION:
        return NeedsAttention(f"Facebook denied a permission ({what}): the token needs pages_manage_posts and the"
                              f" CREATE_CONTENT task on the Page: {message}", status)
    if code == 100 and subcode == 33:
        return NeedsAttention(f"Facebook cannot find the Page or may not post to it ({what}): check the channel's PAGE_ID: {message}",
                              status)
    if code in TEMPORARY:
        return RetryNow(f"temporary Facebook error ({what}): {message}", status)
    if code == DUPLICATE_POST:
        return Rejected(f"Facebook refused a duplicate post ({what}): {message}", status)
    if status >= 500:
        return UnknownOutcome(f"Facebook server error ({status} {what}); the post may exist: {message}", status)
    return Rejected(f"Facebook rejected the post ({status} {what}): {message}", status)


def _without_graph_error(response: requests.Response) -> PublishError:
    status = response.status_code
    if status >= 500:
        return UnknownOutcome(f"Facebook server error ({status}) without an error body; the post may exist: {excerpt(response)}",
                              status)
    if status in (401, 403, 404):
        return NeedsAttention(f"no Graph API answer at the configured base URL ({status}): {excerpt(response)}", status)
    return Rejected(f"unexpected answer from Facebook ({status}): {excerpt(response)}", status)


def usage_percent(response: requests.Response) -> float | None:
    """The highest usage percentage in X-App-Usage and X-Business-Use-Case-Usage (call count, CPU
    time or total time, whichever is nearest its limit); None when neither header is present.
    Meta stops answering at 100: a caller can slow down well before."""
    entries = _usage_entries(response)
    values = [entry[field] for entry in entries for field in USAGE_FIELDS if _number(entry.get(field))]
    return float(max(values)) if values else None


def regain_access_at(response: requests.Response, now: datetime) -> datetime | None:
    """When X-Business-Use-Case-Usage says access returns (estimated_time_to_regain_access, minutes)."""
    minutes = [entry["estimated_time_to_regain_access"] for entry in _usage_entries(response)
               if _number(entry.get("estimated_time_to_regain_access"))]
    longest = max(minutes, default=0)
    return now + timedelta(minutes=longest) if longest > 0 else None


def _usage_entries(response: requests.Response) -> list[dict[str, Any]]:
    """X-App-Usage is one {"call_count": …} object; X-Business-Use-Case-Usage maps each business
    object id to a list of them, each with a "type" and an estimated_time_to_regain_access."""
    entries: list[dict[str, Any]] = []
    app = _json_header(response, "X-App-Usage")
    if isinstance(app, dict):
        entries.append(app)
    business = _json_header(response, "X-Business-Use-Case-Usage")
    if isinstance(business, dict):
        for usages in business.values():
            entries.extend(usage for usage in (usages if isinstance(usages, list) else []) if isinstance(usage, dict))
    return entries


def _json_header(response: requests.Response, name: str) -> Any:
    raw = response.headers.get(name)
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return None


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
