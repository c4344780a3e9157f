"""MastodonPublisher against a mocked Mastodon: the exact request it sends, and what each answer means."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs

import pytest
import requests

from scheduler.errors import ConfigError, NeedsAttention, PublishError, Rejected, RetryAt, RetryNow, UnknownOutcome
from scheduler.publishers import publisher_class
from scheduler.publishers.mastodon import MastodonPublisher

from helpers import answer_id, assert_no_secret, closed_port_url

BASE = "https://clinic.social"
STATUSES = f"{BASE}/api/v1/statuses"
TOKEN = "tok-S3CRET-mastodon-9f8e7d"
NOW = datetime(2026, 11, 23, 14, 30, tzinfo=timezone.utc)
TEXT = "Massage can ease sciatica — ask us how. #sciatica #backpain"


@pytest.fixture
def publisher(settings_with):
    return MastodonPublisher("mastodon", settings_with(MASTODON_BASE_URL=BASE + "/", MASTODON_ACCESS_TOKEN=TOKEN),
                             requests.Session())


@pytest.fixture
def post(make_post):
    return make_post(TEXT, channel="mastodon", id=3)


def form(call) -> dict[str, list[str]]:
    return parse_qs(call.request.body, keep_blank_values=True, strict_parsing=True)


def test_registered_under_its_platform_name():
    assert publisher_class("mastodon") is MastodonPublisher


def test_sends_exactly_one_post_request_and_records_id_and_url(mock, publisher, post):
    mock.post(STATUSES, status=200, json={"id": "109876543210", "url": f"{BASE}/@clinic/109876543210",
                                          "uri": f"{BASE}/users/clinic/statuses/109876543210"})

    published = publisher.publish(post, NOW)

    assert published.remote_id == "109876543210"
    assert published.remote_url == f"{BASE}/@clinic/109876543210"
    assert len(mock.calls) == 1
    request = mock.calls[0].request
    assert request.method == "POST"
    assert request.url == STATUSES  # the trailing slash of the base URL is not doubled
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["Idempotency-Key"] == post.idempotency_key
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert form(mock.calls[0]) == {"status": [TEXT]}  # no visibility unless configured


def test_visibility_is_sent_only_when_configured(mock, settings_with, post):
    settings = settings_with(MASTODON_BASE_URL=BASE, MASTODON_ACCESS_TOKEN=TOKEN, MASTODON_VISIBILITY="unlisted")
    mock.post(STATUSES, status=200, json={"id": "1", "url": f"{BASE}/@clinic/1"})

    MastodonPublisher("mastodon", settings, requests.Session()).publish(post, NOW)

    assert form(mock.calls[0]) == {"status": [TEXT], "visibility": ["unlisted"]}


def test_uri_stands_in_when_the_status_has_no_url(mock, publisher, post):
    mock.post(STATUSES, status=200, json={"id": "42", "url": None, "uri": f"{BASE}/users/clinic/statuses/42"})

    assert publisher.publish(post, NOW).remote_url == f"{BASE}/users/clinic/statuses/42"


def test_ok_without_a_status_id_is_an_unknown_outcome(mock, publisher, post):
    # e.g. a proxy's or login page's HTML at 200: sent, but nothing says whether the status exists
    mock.post(STATUSES, status=200, body="<html>Welcome</html>", content_type="text/html")

    with pytest.raises(UnknownOutcome):
        publisher.publish(post, NOW)


@pytest.mark.parametrize("code", [401, 403])
def test_refused_token_needs_attention(mock, publisher, post, code):
    mock.post(STATUSES, status=code, json={"error": "The access token is invalid"})

    with pytest.raises(NeedsAttention) as caught:
        publisher.publish(post, NOW)

    assert caught.value.status == code
    assert "The access token is invalid" in caught.value.reason


def test_422_is_rejected_with_mastodons_message(mock, publisher, post):
    mock.post(STATUSES, status=422, json={"error": "Validation failed: Text character limit of 500 exceeded"})

    with pytest.raises(Rejected) as caught:
        publisher.publish(post, NOW)

    assert caught.value.status == 422
    assert "Validation failed: Text character limit of 500 exceeded" in caught.value.reason


def test_429_retries_at_exactly_the_reset_time(mock, publisher, post):
    mock.post(STATUSES, status=429, json={"error": "Too many requests"},
              headers={"X-RateLimit-Reset": "2026-11-23T14:35:00.000000Z", "X-RateLimit-Remaining": "0"})

    with pytest.raises(RetryAt) as caught:
        publisher.publish(post, NOW)

    assert caught.value.at == datetime(2026, 11, 23, 14, 35, tzinfo=timezone.utc)
    assert caught.value.at.tzinfo is not None
    assert caught.value.status == 429


def test_429_with_an_offset_reset_time_is_converted_to_utc(mock, publisher, post):
    mock.post(STATUSES, status=429, headers={"X-RateLimit-Reset": "2026-11-23T09:40:00-05:00"})

    with pytest.raises(RetryAt) as caught:
        publisher.publish(post, NOW)

    assert caught.value.at == datetime(2026, 11, 23, 14, 40, tzinfo=timezone.utc)


def test_429_without_a_reset_header_waits_five_minutes(mock, publisher, post):
    mock.post(STATUSES, status=429, body="slow down")

    with pytest.raises(RetryAt) as caught:
        publisher.publish(post, NOW)

    assert caught.value.at == NOW + timedelta(minutes=5)


def test_429_with_a_reset_already_past_never_asks_to_retry_in_the_past(mock, publisher, post):
    # A server clock behind ours: "retry at a time already gone" would make the runner claim it again at once.
    mock.post(STATUSES, status=429, headers={"X-RateLimit-Reset": "2026-11-23T14:29:00Z"})

    with pytest.raises(RetryAt) as caught:
        publisher.publish(post, NOW)

    assert caught.value.at == NOW + timedelta(seconds=30)


@pytest.mark.parametrize("code", [500, 502, 503, 504])
def test_server_errors_leave_the_post_in_doubt(mock, publisher, post, code):
    # A proxy's 5xx can hide a status that was created: an unknown outcome, settled by the key or a read.
    mock.post(STATUSES, status=code, body="<html>Bad Gateway</html>")

    with pytest.raises(UnknownOutcome) as caught:
        publisher.publish(post, NOW)

    assert caught.value.status == code


def test_404_means_the_base_url_is_wrong(mock, publisher, post):
    mock.post(STATUSES, status=404, json={"error": "Record not found"})

    with pytest.raises(NeedsAttention):
        publisher.publish(post, NOW)


def test_read_timeout_is_an_unknown_outcome(mock, publisher, post):
    mock.post(STATUSES, body=requests.ReadTimeout("HTTPSConnectionPool: Read timed out. (read timeout=30)"))

    with pytest.raises(UnknownOutcome) as caught:
        publisher.publish(post, NOW)

    assert "clinic.social" in caught.value.reason


def test_connect_timeout_retries_now(mock, publisher, post):
    mock.post(STATUSES, body=requests.ConnectTimeout("connect timed out"))

    with pytest.raises(RetryNow):
        publisher.publish(post, NOW)


def test_connection_refused_retries_now(settings_with, post):
    # A real refused connection (nothing listens on the port), not a mock of one.
    base = closed_port_url()
    publisher = MastodonPublisher("mastodon", settings_with(MASTODON_BASE_URL=base, MASTODON_ACCESS_TOKEN=TOKEN,
                                                            SCHEDULER_HTTP_TIMEOUT="5"), requests.Session())

    with pytest.raises(RetryNow) as caught:
        publisher.publish(post, NOW)

    assert "could not connect to 127.0.0.1" in caught.value.reason


def test_named_channel_reads_its_own_variables(mock, settings_with, make_post):
    other = "https://second.example"
    settings = settings_with(MASTODON_BASE_URL=BASE, MASTODON_ACCESS_TOKEN=TOKEN,
                             MASTODON_CLINIC2_BASE_URL=other, MASTODON_CLINIC2_ACCESS_TOKEN="tok-clinic2",
                             MASTODON_CLINIC2_VISIBILITY="private")
    mock.post(f"{other}/api/v1/statuses", status=200, json={"id": "7", "url": f"{other}/@two/7"})
    post = make_post(TEXT, channel="mastodon:clinic2", id=9)

    published = MastodonPublisher("mastodon:clinic2", settings, requests.Session()).publish(post, NOW)

    assert published.remote_id == "7"
    request = mock.calls[0].request
    assert request.url == f"{other}/api/v1/statuses"
    assert request.headers["Authorization"] == "Bearer tok-clinic2"
    assert form(mock.calls[0]) == {"status": [TEXT], "visibility": ["private"]}


@pytest.mark.parametrize("channel, present, missing", [
    ("mastodon", {"MASTODON_BASE_URL": BASE}, "MASTODON_ACCESS_TOKEN"),
    ("mastodon", {"MASTODON_ACCESS_TOKEN": TOKEN}, "MASTODON_BASE_URL"),
    ("mastodon", {"MASTODON_BASE_URL": BASE, "MASTODON_ACCESS_TOKEN": "   "}, "MASTODON_ACCESS_TOKEN"),
    # the default channel's credentials do not stand in for a named one
    ("mastodon:clinic2", {"MASTODON_BASE_URL": BASE, "MASTODON_ACCESS_TOKEN": TOKEN}, "MASTODON_CLINIC2_BASE_URL"),
])
def test_missing_credentials_are_a_config_error_naming_the_variable(settings_with, channel, present, missing):
    with pytest.raises(ConfigError) as caught:
        MastodonPublisher(channel, settings_with(**present), requests.Session())

    assert caught.value.where == missing
    assert missing in str(caught.value)
    assert TOKEN not in str(caught.value)


@pytest.mark.parametrize("base", ["clinic.social", "ftp://clinic.social", "https://"])
def test_a_base_url_that_is_not_http_is_a_config_error(settings_with, base):
    with pytest.raises(ConfigError) as caught:
        MastodonPublisher("mastodon", settings_with(MASTODON_BASE_URL=base, MASTODON_ACCESS_TOKEN=TOKEN),
                          requests.Session())

    assert caught.value.where == "MASTODON_BASE_URL"


FAILURES = [
    dict(status=401, json={"error": "The access token is invalid"}),
    dict(status=403, json={"error": "This action is outside the authorized scopes"}),
    dict(status=404, body="not found"),
    dict(status=422, json={"error": "Validation failed"}),
    dict(status=429, headers={"X-RateLimit-Reset": "2026-11-23T14:35:00Z"}),
    dict(status=500, body="oops"),
    dict(status=200, body="not json"),
    dict(body=requests.ReadTimeout("read timed out")),
    dict(body=requests.ConnectTimeout("connect timed out")),
    dict(body=requests.ConnectionError("connection reset by peer")),
    dict(body=requests.exceptions.ChunkedEncodingError("broken chunk")),
]


@pytest.mark.parametrize("answer", FAILURES, ids=answer_id)
def test_the_token_never_appears_in_an_error(mock, publisher, post, answer):
    mock.post(STATUSES, **answer)

    with pytest.raises(PublishError) as caught:
        publisher.publish(post, NOW)

    assert_no_secret(caught.value, TOKEN)
    assert caught.value.__cause__ is None or TOKEN not in str(caught.value.__cause__)


# -- verify (channels --check): one read-only request, the token in the Authorization header only

def test_verify_reads_verify_credentials_with_the_bearer_token(mock, publisher):
    mock.get(f"{BASE}/api/v1/accounts/verify_credentials", json={"id": "109", "username": "clinic", "acct": "clinic"})

    assert publisher.verify(NOW) == "@clinic"

    (call,) = mock.calls
    assert call.request.method == "GET" and call.request.url == f"{BASE}/api/v1/accounts/verify_credentials"
    assert call.request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert TOKEN not in call.request.url and call.request.body is None


def test_verify_with_a_refused_token_needs_attention_without_the_token(mock, publisher):
    mock.get(f"{BASE}/api/v1/accounts/verify_credentials", status=401, json={"error": "The access token is invalid"})

    with pytest.raises(NeedsAttention) as caught:
        publisher.verify(NOW)
    assert "401" in caught.value.reason and TOKEN not in caught.value.reason


# --- A success that spent the window's last request holds the channel until X-RateLimit-Reset (ISO 8601).

CREATED = {"id": "109876543210", "url": f"{BASE}/@clinic/109876543210"}


def test_a_success_with_no_request_left_holds_the_channel_until_the_reset(mock, publisher, post):
    mock.post(STATUSES, status=200, json=CREATED,
              headers={"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0",
                       "X-RateLimit-Reset": "2026-11-23T12:40:00.000000-05:00"})

    published = publisher.publish(post, NOW)

    assert published.remote_id == "109876543210"
    assert published.hold_channel_until == datetime(2026, 11, 23, 17, 40, tzinfo=timezone.utc)
    assert published.hold_reason == "Mastodon rate limit: 0 requests left until 2026-11-23T17:40:00Z"


@pytest.mark.parametrize("headers", [
    {"X-RateLimit-Remaining": "299", "X-RateLimit-Reset": "2026-11-23T15:00:00.000000Z"},
    {"X-RateLimit-Reset": "2026-11-23T15:00:00.000000Z"},
    {"X-RateLimit-Remaining": "0"},
    {"X-RateLimit-Remaining": "", "X-RateLimit-Reset": "2026-11-23T15:00:00.000000Z"},
    {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1795000000"},  # epoch, not ISO: garbled here
    {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "2026-11-23T15:00:00"},  # no offset: garbled
    {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "2026-11-23T14:29:59Z"},  # already past
], ids=["left", "no-remaining", "no-reset", "empty-remaining", "epoch-reset", "naive-reset", "past"])
def test_a_success_holds_nothing_unless_the_headers_say_the_window_is_spent(mock, publisher, post, headers):
    mock.post(STATUSES, status=200, json=CREATED, headers=headers)

    published = publisher.publish(post, NOW)

    assert published.remote_id == "109876543210"
    assert (published.hold_channel_until, published.hold_reason) == (None, None)


def test_a_reset_more_than_a_day_ahead_is_capped_at_a_day(mock, publisher, post):
    mock.post(STATUSES, status=200, json=CREATED,
              headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "2027-01-01T00:00:00Z"})

    published = publisher.publish(post, NOW)

    assert published.hold_channel_until == NOW + timedelta(hours=24)
    assert "more than 24 h ahead" in published.hold_reason


def test_the_hold_keeps_the_next_cron_run_off_the_channel_until_the_reset(mock, tmp_path, settings_with):
    from scheduler.runner import Runner
    from scheduler.store import NewPost, open_store

    from helpers import Clock

    settings = settings_with(MASTODON_BASE_URL=BASE, MASTODON_ACCESS_TOKEN=TOKEN,
                             SCHEDULER_DATABASE_URL=f"sqlite:///{tmp_path / 'q.db'}")
    reset = NOW + timedelta(minutes=20)

    def cron_run(at: datetime):
        store = open_store(settings.database_url)
        try:
            return Runner(store, settings, Clock(at), session=requests.Session()).run_due()
        finally:
            store.close()

    store = open_store(settings.database_url)
    try:
        ids = [post.id for post in store.enqueue(
            [NewPost(channel="mastodon", platform="mastodon", scheduled_at=NOW + timedelta(seconds=i), zone="UTC",
                     text=f"post {i}", payload={"status": f"post {i}"}, length=6, limit=500,
                     idempotency_key=f"window-{i}") for i in range(2)], NOW - timedelta(minutes=1)).added]
    finally:
        store.close()
    mock.post(STATUSES, json=CREATED, headers={"X-RateLimit-Remaining": "0",
                                               "X-RateLimit-Reset": reset.isoformat().replace("+00:00", "Z")})

    report = cron_run(NOW + timedelta(seconds=5))

    assert [(post.id, post.status) for post in report.touched] == [(ids[0], "published")]
    assert cron_run(reset - timedelta(seconds=1)).touched == []
    assert len(mock.calls) == 1

    mock.post(STATUSES, json={"id": "2"}, headers={"X-RateLimit-Remaining": "299"})
    assert [(post.id, post.status) for post in cron_run(reset).touched] == [(ids[1], "published")]
