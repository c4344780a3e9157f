"""Instagram (Graph API content publishing): a media container, then media_publish.

Publishing an image is two requests (developers.facebook.com/docs/instagram-platform/content-publishing):

1. POST {INSTAGRAM_GRAPH_BASE_URL}/{ig-user-id}/media with ``image_url`` and ``caption`` -> {"id": container}.
   Meta fetches (cURLs) the image from that URL, so it must be public when the container is created.
2. POST {INSTAGRAM_GRAPH_BASE_URL}/{ig-user-id}/media_publish with ``creation_id`` -> {"id": media id}.

Between the two the container's ``status_code`` (GET /{container-id}?fields=status_code) is one of
EXPIRED (not published within 24 hours), ERROR, FINISHED, IN_PROGRESS or PUBLISHED (IG Container
reference). The permalink comes from GET /{media-id}?fields=permalink.

The access token travels as the ``access_token`` form field of POSTs and as an ``Authorization: Bearer``
header of GETs, never in a URL, so no request line urllib3 logs carries it.

Why a resend is safe here (``resend_is_safe = True``), and only in this sense: the container id is saved on
the post (``checkpoint``) before step 2, and a later attempt reads that container's status first:

- no container saved: nothing can have been published (step 2 needs a container id), so one is created;
  a container left behind by an interrupted step 1 is never published and expires after 24 hours;
- FINISHED: it was never published, so it is published now (a container becomes at most one media object);
- PUBLISHED: the earlier step 2 landed; the post is recorded as published without another media_publish
  (its media id is found on the post's progress or among the account's latest media, by caption);
- IN_PROGRESS: try again in a little while (a worker never sleeps waiting for Meta);
- EXPIRED or ERROR: the container is dropped and a new one created.

Errors are Graph errors {"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}, classified by
code and subcode (Instagram error-codes reference), never by the HTTP status alone.

Posts need an image: the payload's ``image_url``. A post without one is Rejected here; refusing it at plan
time (campaign images per template) belongs to the planner.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import quote, urlsplit

import requests

from scheduler.errors import NeedsAttention, PublishError, Rejected, RetryAt, RetryNow, UnknownOutcome
from scheduler.publishers.base import Published, Publisher
from scheduler.publishers.facebook import regain_access_at
from scheduler.publishers.http import check_base_url, excerpt, json_body, reset_at, send, without_secrets
from scheduler.store import Post

log = logging.getLogger(__name__)

DEFAULT_GRAPH_BASE_URL = "https://graph.facebook.com/v26.0"
NOT_READY_WAIT = timedelta(seconds=30)  # a container still IN_PROGRESS, or 9007 "media not ready"
RATE_LIMIT_FALLBACK = timedelta(minutes=15)
PUBLISH_LIMIT_WAIT = timedelta(hours=1)  # 50 published posts per moving 24 hours
POLICY_BLOCK_FALLBACK = timedelta(hours=1)
LOOKUP_LIMIT = 25  # how many of the account's latest posts are searched for a container published earlier

THROTTLED = {4, 17, 32, 613, 80001, 80002}
APPLICATION_LIMIT = 341
POLICY_BLOCK = 368
TEMPORARY = {1, 2}
INVALID_TOKEN = {102, 190}
PERMISSION = {3, 10} | set(range(200, 300))
MEDIA_NOT_READY = 9007
# Instagram subcodes (error-codes reference) that say something other than "this media is invalid".
SUBCODE_RETRY = {2207001, 2207003, 2207032, 2207053}  # server error, download timeout, create failed: try again
SUBCODE_EXPIRED = 2207020  # the container expired: make a new one
SUBCODE_NOT_READY = 2207027  # the media is not ready for publishing
SUBCODE_PUBLISH_LIMIT = 2207042  # the account reached its publishing limit
SUBCODE_RESTRICTED = 2207051  # "We restrict certain activity to protect our community": a person must look
MEDIA_SUBCODES = range(2207000, 2208000)


class ContainerPublisher(Publisher):
    """Meta's two-step publishing (container, then publish), shared by Instagram and Threads."""

    label: ClassVar[str]
    base_key: ClassVar[str]
    default_base_url: ClassVar[str]
    create_edge: ClassVar[str]
    publish_edge: ClassVar[str]
    status_field: ClassVar[str]
    text_field: ClassVar[str]  # the field holding the post's text, in the container and in the account's list
    list_edge: ClassVar[str]
    required = ("USER_ID", "ACCESS_TOKEN")
    resend_is_safe = True  # a saved container is checked and reused, never a second one published (see above)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.base_url = check_base_url(self.setting(self.base_key) or self.default_base_url,
                                       self.settings.channel_variable(self.channel, self.base_key))
        self.user_id = quote(self.setting("USER_ID") or "", safe="")
        self._token = self.setting("ACCESS_TOKEN") or ""

    # -- what differs per platform

    def container_fields(self, post: Post) -> dict[str, str]:
        raise NotImplementedError

    # -- the flow

    def publish(self, post: Post, now: datetime) -> Published:
        try:
            return self._publish(post, now)
        except PublishError as error:
            failure = without_secrets(error, [self._token])
        raise failure  # outside the except block: no chained exception

    def verify(self, now: datetime) -> str:
        """Check the credentials without posting: the account's username, or raise a PublishError kind."""
        failure: PublishError | None = None
        try:
            answer = self._get(f"{self.base_url}/{self.user_id}", {"fields": "username"}, now)
        except PublishError as error:
            failure = without_secrets(error, [self._token])
        if failure is not None:
            raise failure
        username = answer.get("username")
        return f"@{username}" if isinstance(username, str) and username else f"user {answer.get('id') or self.user_id}"

    def _publish(self, post: Post, now: datetime) -> Published:
        fields = self.container_fields(post)
        progress = post.progress if isinstance(post.progress, dict) else {}
        container = progress.get("container_id") if isinstance(progress.get("container_id"), str) else None
        if container:
            state = self._status(container, now)
            if state == "PUBLISHED":
                return self._already_published(container, progress, fields, now)
            if state == "IN_PROGRESS":
                raise self._not_ready(container, now)
            if state in ("EXPIRED", "ERROR"):
                log.info("%s container %s is %s: creating a new one", self.label, container, state)
                self.checkpoint({})
                container = None
        if container is None:
            container = self._create(fields, now)
            self.checkpoint({"container_id": container})  # saved before publishing: a retry reuses it
            state = self._status(container, now)
            if state == "IN_PROGRESS":
                raise self._not_ready(container, now)
            if state in ("ERROR", "EXPIRED"):
                self.checkpoint({})
                raise RetryNow(f"{self.label} could not process the new container ({state}); a new one is made next time")
        media_id = self._publish_container(container, now)
        self.checkpoint({"container_id": container, "media_id": media_id})
        return Published(remote_id=media_id, remote_url=self._permalink(media_id, now))

    def _create(self, fields: dict[str, str], now: datetime) -> str:
        url = f"{self.base_url}/{self.user_id}/{self.create_edge}"
        response = send(self.session, "POST", url, self.timeout, data={**fields, "access_token": self._token})
        if 200 <= response.status_code < 300:
            container = json_body(response).get("id")
            if isinstance(container, (str, int)) and str(container):
                return str(container)
            # A container without an id is never published: trying again makes a new one, harmlessly.
            raise RetryNow(f"{self.label} answered {response.status_code} without a container id: {excerpt(response)}",
                           response.status_code)
        raise classify(response, now, self.label)

    def _publish_container(self, container: str, now: datetime) -> str:
        url = f"{self.base_url}/{self.user_id}/{self.publish_edge}"
        response = send(self.session, "POST", url, self.timeout,
                        data={"creation_id": container, "access_token": self._token})
        if 200 <= response.status_code < 300:
            media_id = json_body(response).get("id")
            if isinstance(media_id, (str, int)) and str(media_id):
                return str(media_id)
            # Safe to try again: the next attempt reads the container's status before any resend.
            raise UnknownOutcome(f"{self.label} answered {response.status_code} without a media id: {excerpt(response)}",
                                 response.status_code)
        error = classify(response, now, self.label)
        if _subcode(response) == SUBCODE_EXPIRED:
            self.checkpoint({})  # the next attempt creates a new container
        raise error

    def _status(self, container: str, now: datetime) -> str | None:
        answer = self._get(f"{self.base_url}/{quote(container, safe='')}", {"fields": self.status_field}, now)
        state = answer.get(self.status_field)
        return state.upper() if isinstance(state, str) else None

    def _not_ready(self, container: str, now: datetime) -> RetryAt:
        at = now + NOT_READY_WAIT
        return RetryAt(f"{self.label} is still processing container {container}; publishing it at {at:%Y-%m-%dT%H:%M:%SZ}", at)

    def _already_published(self, container: str, progress: dict[str, Any], fields: dict[str, str],
                           now: datetime) -> Published:
        """The container was published by an earlier attempt whose answer was lost: find that post."""
        media_id = progress.get("media_id")
        if isinstance(media_id, str) and media_id:
            return Published(remote_id=media_id, remote_url=self._permalink(media_id, now))
        text = fields.get(self.text_field)
        try:
            answer = self._get(f"{self.base_url}/{self.user_id}/{self.list_edge}",
                               {"fields": f"id,{self.text_field},permalink", "limit": str(LOOKUP_LIMIT)}, now)
        except PublishError:
            answer = {}
        items = answer.get("data") if isinstance(answer.get("data"), list) else []
        for item in items:
            if isinstance(item, dict) and item.get("id") and item.get(self.text_field) == text:
                permalink = item.get("permalink")
                return Published(remote_id=str(item["id"]), remote_url=permalink if isinstance(permalink, str) else None)
        # Published for certain, but not found among the latest posts: record it, with the container's id.
        log.warning("%s container %s is published but its post was not found among the account's latest %s; "
                    "recording the container id", self.label, container, LOOKUP_LIMIT)
        return Published(remote_id=container, remote_url=None)

    def _permalink(self, media_id: str, now: datetime) -> str | None:
        """Optional: a post that is published stays published if its permalink cannot be read."""
        try:
            answer = self._get(f"{self.base_url}/{quote(media_id, safe='')}", {"fields": "permalink"}, now)
        except PublishError as error:
            log.info("%s post %s is published; its permalink could not be read: %s", self.label, media_id,
                     without_secrets(error, [self._token]).reason)
            return None
        permalink = answer.get("permalink")
        return permalink if isinstance(permalink, str) and permalink else None

    def _get(self, url: str, params: dict[str, str], now: datetime) -> dict[str, Any]:
        response = send(self.session, "GET", url, self.timeout, params=params,
                        headers={"Authorization": f"Bearer {self._token}"})
        if response.status_code == 200:
            return json_body(response)
        raise classify(response, now, self.label)


class InstagramPublisher(ContainerPublisher):
    platform = "instagram"
    label = "Instagram"
    base_key = "GRAPH_BASE_URL"
    default_base_url = DEFAULT_GRAPH_BASE_URL
    create_edge = "media"
    publish_edge = "media_publish"
    status_field = "status_code"
    text_field = "caption"
    list_edge = "media"

    def container_fields(self, post: Post) -> dict[str, str]:
        image_url = post.payload.get("image_url")
        if not isinstance(image_url, str) or urlsplit(image_url.strip()).scheme not in ("http", "https"):
            raise Rejected("Instagram needs an image and this post has none (no http(s) image_url in its payload); "
                           "queue it with an image, or leave Instagram out of its channels")
        caption = post.payload.get("caption")
        return {"image_url": image_url.strip(), "caption": caption if isinstance(caption, str) else post.text}


def _subcode(response: requests.Response) -> Any:
    error = json_body(response).get("error")
    return error.get("error_subcode") if isinstance(error, dict) else None


def classify(response: requests.Response, now: datetime, label: str = "Instagram") -> PublishError:
    """A Graph API answer (Instagram or Threads) -> what the runner must do. Every kind is safe to act on:
    a resend goes through the saved container's status first."""
    status = response.status_code
    error = json_body(response).get("error")
    if not isinstance(error, dict):
        if status >= 500:
            return UnknownOutcome(f"{label} server error ({status}) without an error body: {excerpt(response)}", status)
        if status == 429:
            at = reset_at(None, now, RATE_LIMIT_FALLBACK)
            return RetryAt(f"rate limited by {label} until {at:%Y-%m-%dT%H:%M:%SZ}", at, status)
        if status in (401, 403, 404):
            return NeedsAttention(f"no {label} Graph API answer at the configured base URL ({status}): {excerpt(response)}",
                                  status)
        return Rejected(f"unexpected answer from {label} ({status}): {excerpt(response)}", status)
    code, subcode = error.get("code"), error.get("error_subcode")
    what = f"{error.get('type') or 'error'} {code}" + (f"/{subcode}" if subcode else "")
    trace = f" (fbtrace_id {error['fbtrace_id']})" if error.get("fbtrace_id") else ""
    detail = error.get("error_user_msg") if isinstance(error.get("error_user_msg"), str) else None
    message = f"{error.get('message') or excerpt(response)}{f' — {detail}' if detail else ''}{trace}"
    if subcode == SUBCODE_RESTRICTED:
        return NeedsAttention(f"{label} restricted this account's activity ({what}): check the account in the app: {message}",
                              status)
    if code == MEDIA_NOT_READY or subcode == SUBCODE_NOT_READY:
        at = now + NOT_READY_WAIT
        return RetryAt(f"{label} media not ready for publishing yet ({what}); trying at {at:%Y-%m-%dT%H:%M:%SZ}", at, status)
    if subcode == SUBCODE_PUBLISH_LIMIT:
        at = now + PUBLISH_LIMIT_WAIT
        return RetryAt(f"{label} publishing limit reached ({what}); trying at {at:%Y-%m-%dT%H:%M:%SZ}: {message}", at, status)
    if code in THROTTLED or code == APPLICATION_LIMIT:
        at = reset_at(regain_access_at(response, now), now, RATE_LIMIT_FALLBACK)
        return RetryAt(f"rate limited by {label} ({what}) until {at:%Y-%m-%dT%H:%M:%SZ}: {message}", at, status)
    if code == POLICY_BLOCK:
        at = now + POLICY_BLOCK_FALLBACK
        return RetryAt(f"{label} temporarily blocked posting ({what}); trying at {at:%Y-%m-%dT%H:%M:%SZ}: {message}", at, status)
    if code in INVALID_TOKEN:
        return NeedsAttention(f"{label} refused the access token ({what}): expired, revoked or invalid; get a new one: {message}",
                              status)
    if code in PERMISSION:
        return NeedsAttention(f"{label} denied a permission ({what}): the token needs the content-publishing permission: {message}",
                              status)
    if subcode == SUBCODE_EXPIRED:
        return RetryNow(f"the {label} container expired ({what}); a new one is made next time: {message}", status)
    if subcode in SUBCODE_RETRY or code in TEMPORARY:
        return RetryNow(f"temporary {label} error ({what}): {message}", status)
    if isinstance(subcode, int) and subcode in MEDIA_SUBCODES:
        return Rejected(f"{label} refused the media ({what}): {message}", status)
    if status >= 500:
        return UnknownOutcome(f"{label} server error ({status} {what}): {message}", status)
    return Rejected(f"{label} rejected the post ({status} {what}): {message}", status)
