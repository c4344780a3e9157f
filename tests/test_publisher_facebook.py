"""FacebookPublisher against a mocked Graph API: the exact request it sends, what each error code
means (Meta throttles with 400/403, so the code decides), and the usage headers."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs

import pytest
import requests

from scheduler.errors import (ConfigError, NeedsAttention, PublishError, Rejected, RetryAt, RetryNow,
                              UnknownOutcome)
from scheduler.publishers import publisher_class
from scheduler.publishers.facebook import FacebookPublisher, regain_access_at, usage_percent

from helpers import answer_id, assert_no_secret, closed_port_url

PAGE = "104857600123456"
TOKEN = "EAAG-S3CRET-page-token-ZCZCZC9f8e7d"
GRAPH = "https://graph.facebook.com/v26.0"
FEED = f"{GRAPH}/{PAGE}/feed"
NOW = datetime(2026, 11, 23, 14, 30, tzinfo=timezone.utc)
TEXT = "Massage can ease sciatica — ask us how. #sciatica https://clinic.example/sciatica"


@pytest.fixture
def publisher(settings_with):
    return FacebookPublisher("facebook", settings_with(FACEBOOK_PAGE_ID=PAGE, FACEBOOK_PAGE_ACCESS_TOKEN=TOKEN),
                             requests.Session())


@pytest.fixture
def post(make_post):
    return make_post(TEXT, channel="facebook", id=3)


def form(call) -> dict[str, list[str]]:
    return parse_qs(call.request.body, keep_blank_values=True, strict_parsing=True)


def graph_error(code: int, message: str, subcode: int | None = None, kind: str = "OAuthException") -> dict:
    error = {"message": message, "type": kind, "code": code, "fbtrace_id": "AbCdEfGh123"}
    if subcode is not None:
        error["error_subcode"] = subcode
    return {"error": error}


def buc(minutes: int, call_count: int = 100, page: str = PAGE) -> dict[str, str]:
    return {"X-Business-Use-Case-Usage": json.dumps({page: [{"type": "pages", "call_count": call_count,
                                                             "total_cputime": 12, "total_time": 20,
                                                             "estimated_time_to_regain_access": minutes}]})}


def test_registered_under_its_platform_name():
    assert publisher_class("facebook") is FacebookPublisher
    assert FacebookPublisher.resend_is_safe is False


def test_posts_the_message_to_the_page_feed_with_the_token_in_the_body(mock, publisher, post):
    mock.post(FEED, status=200, json={"id": f"{PAGE}_987654321"})

    published = publisher.publish(post, NOW)

    assert published.remote_id == f"{PAGE}_987654321"
    assert published.remote_url == f"https://www.facebook.com/{PAGE}_987654321"
    assert len(mock.calls) == 1
    request = mock.calls[0].request
    assert request.method == "POST"
    assert request.url == FEED  # no query string: the token never travels in the URL
    assert TOKEN not in request.url
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert form(mock.calls[0]) == {"message": [TEXT], "access_token": [TOKEN]}


def test_the_graph_base_url_and_version_are_configurable(mock, settings_with, post):
    base = "http://graph.internal:8080/v25.0"
    settings = settings_with(FACEBOOK_PAGE_ID=PAGE, FACEBOOK_PAGE_ACCESS_TOKEN=TOKEN, FACEBOOK_GRAPH_BASE_URL=base + "/")
    mock.post(f"{base}/{PAGE}/feed", status=200, json={"id": f"{PAGE}_1"})

    FacebookPublisher("facebook", settings, requests.Session()).publish(post, NOW)

    assert mock.calls[0].request.url == f"{base}/{PAGE}/feed"


def test_ok_without_a_post_id_is_an_unknown_outcome(mock, publisher, post):
    mock.post(FEED, status=200, body="<html>login</html>", content_type="text/html")

    with pytest.raises(UnknownOutcome):
        publisher.publish(post, NOW)


def test_a_success_reads_the_highest_usage_figure_of_either_header(mock, settings_with, post):
    settings = settings_with(FACEBOOK_PAGE_ID=PAGE, FACEBOOK_PAGE_ACCESS_TOKEN=TOKEN, FACEBOOK_USAGE_THRESHOLD="60")
    mock.post(FEED, status=200, json={"id": f"{PAGE}_2"},
              headers={"X-App-Usage": json.dumps({"call_count": 12, "total_time": 30, "total_cputime": 7}), **buc(0, 64)})

    published = FacebookPublisher("facebook", settings, requests.Session()).publish(post, NOW)

    assert published.hold_reason is not None and "64%" in published.hold_reason


def test_duplicate_post_is_rejected(mock, publisher, post):
    mock.post(FEED, status=400, json=graph_error(506, "Duplicate status message", kind="FacebookApiException"))

    with pytest.raises(Rejected) as caught:
        publisher.publish(post, NOW)

    assert caught.value.status == 400
    assert "Duplicate status message" in caught.value.reason
    assert "AbCdEfGh123" in caught.value.reason  # the fbtrace_id Meta's support asks for


@pytest.mark.parametrize("code", [4, 17, 32, 613, 80001])
def test_throttling_codes_retry_when_the_usage_header_says_access_returns(mock, publisher, post, code):
    mock.post(FEED, status=400 if code != 32 else 403, json=graph_error(code, "(#%d) Too many calls" % code),
              headers=buc(23))

    with pytest.raises(RetryAt) as caught:
        publisher.publish(post, NOW)

    assert caught.value.at == NOW + timedelta(minutes=23)


def test_throttling_without_a_regain_estimate_waits_fifteen_minutes(mock, publisher, post):
    mock.post(FEED, status=400, json=graph_error(80001, "There have been too many calls to this Page account."),
              headers={"X-App-Usage": json.dumps({"call_count": 100, "total_time": 4, "total_cputime": 3})})

    with pytest.raises(RetryAt) as caught:
        publisher.publish(post, NOW)

    assert caught.value.at == NOW + timedelta(minutes=15)


@pytest.mark.parametrize("code, subcode, message", [
    (190, 463, "Error validating access token: Session has expired on Monday, 23-Nov-26."),
    (190, 460, "Error validating access token: The session has been invalidated because the user changed their password."),
    (190, None, "Invalid OAuth access token - Cannot parse access token"),
    (102, None, "Session key invalid or no longer valid"),
])
def test_an_expired_or_invalid_token_needs_attention(mock, publisher, post, code, subcode, message):
    mock.post(FEED, status=400, json=graph_error(code, message, subcode))

    with pytest.raises(NeedsAttention) as caught:
        publisher.publish(post, NOW)

    assert message in caught.value.reason
    assert caught.value.status == 400


@pytest.mark.parametrize("code", [10, 200, 210, 299])
def test_a_missing_permission_needs_attention(mock, publisher, post, code):
    mock.post(FEED, status=403, json=graph_error(code, "(#200) The user hasn't authorized the application to perform this action"))

    with pytest.raises(NeedsAttention) as caught:
        publisher.publish(post, NOW)

    assert "pages_manage_posts" in caught.value.reason


def test_a_page_id_that_cannot_be_posted_to_needs_attention(mock, publisher, post):
    mock.post(FEED, status=400, json=graph_error(100, "Unsupported post request. Object with ID does not exist", 33,
                                                 kind="GraphMethodException"))

    with pytest.raises(NeedsAttention):
        publisher.publish(post, NOW)


@pytest.mark.parametrize("code, status", [(1, 500), (2, 503), (1, 400)])
def test_temporary_codes_retry_now(mock, publisher, post, code, status):
    mock.post(FEED, status=status, json=graph_error(code, "An unknown error occurred", kind="OAuthException"))

    with pytest.raises(RetryNow) as caught:
        publisher.publish(post, NOW)

    assert caught.value.status == status


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors_without_a_graph_error_are_unknown_outcomes(mock, publisher, post, status):
    mock.post(FEED, status=status, body="")

    with pytest.raises(UnknownOutcome) as caught:
        publisher.publish(post, NOW)

    assert caught.value.status == status


def test_other_graph_errors_are_rejected(mock, publisher, post):
    mock.post(FEED, status=400, json=graph_error(100, "(#100) Invalid parameter", kind="OAuthException"))

    with pytest.raises(Rejected):
        publisher.publish(post, NOW)


def test_a_policy_block_waits_an_hour(mock, publisher, post):
    mock.post(FEED, status=400, json=graph_error(368, "It looks like you were misusing this feature by going too fast."))

    with pytest.raises(RetryAt) as caught:
        publisher.publish(post, NOW)

    assert caught.value.at == NOW + timedelta(hours=1)


def test_connection_refused_retries_now(settings_with, post):
    base = f"{closed_port_url()}/v26.0"  # nothing listens there
    settings = settings_with(FACEBOOK_PAGE_ID=PAGE, FACEBOOK_PAGE_ACCESS_TOKEN=TOKEN, FACEBOOK_GRAPH_BASE_URL=base,
                             SCHEDULER_HTTP_TIMEOUT="5")

    with pytest.raises(RetryNow) as caught:
        FacebookPublisher("facebook", settings, requests.Session()).publish(post, NOW)

    assert "could not connect to 127.0.0.1" in caught.value.reason
    assert TOKEN not in caught.value.reason


def test_named_channel_reads_its_own_variables(mock, settings_with, make_post):
    settings = settings_with(FACEBOOK_PAGE_ID=PAGE, FACEBOOK_PAGE_ACCESS_TOKEN=TOKEN,
                             FACEBOOK_CLINIC2_PAGE_ID="222", FACEBOOK_CLINIC2_PAGE_ACCESS_TOKEN="tok-clinic2")
    mock.post(f"{GRAPH}/222/feed", status=200, json={"id": "222_5"})

    published = FacebookPublisher("facebook:clinic2", settings, requests.Session()).publish(
        make_post(TEXT, channel="facebook:clinic2", id=9), NOW)

    assert published.remote_url == "https://www.facebook.com/222_5"
    assert form(mock.calls[0])["access_token"] == ["tok-clinic2"]


@pytest.mark.parametrize("present, missing", [
    ({"FACEBOOK_PAGE_ID": PAGE}, "FACEBOOK_PAGE_ACCESS_TOKEN"),
    ({"FACEBOOK_PAGE_ACCESS_TOKEN": TOKEN}, "FACEBOOK_PAGE_ID"),
])
def test_missing_credentials_are_a_config_error_naming_the_variable(settings_with, present, missing):
    with pytest.raises(ConfigError) as caught:
        FacebookPublisher("facebook", settings_with(**present), requests.Session())

    assert caught.value.where == missing
    assert TOKEN not in str(caught.value)


FAILURES = [
    dict(status=400, json=graph_error(190, "Error validating access token", 463)),
    dict(status=400, json=graph_error(506, "Duplicate status message")),
    dict(status=400, json=graph_error(4, "(#4) Application request limit reached")),
    # a Graph error quoting the token back (as "Malformed access token …" errors do)
    dict(status=400, json=graph_error(190, f"Malformed access token {TOKEN}")),
    dict(status=500, body="oops"),
    dict(status=200, body="not json"),
    dict(body=requests.ReadTimeout("read timed out")),
    dict(body=requests.ConnectionError("connection reset by peer")),
]


@pytest.mark.parametrize("answer", FAILURES, ids=answer_id)
def test_the_token_never_appears_in_an_error(mock, publisher, post, answer):
    mock.post(FEED, **answer)

    with pytest.raises(PublishError) as caught:
        publisher.publish(post, NOW)

    assert_no_secret(caught.value, TOKEN)
    assert caught.value.__cause__ is None and caught.value.__context__ is None


def answer(**headers: str) -> requests.Response:
    response = requests.Response()
    response.status_code = 200
    response.headers.update(headers)
    return response


def test_usage_percent_is_the_highest_figure_in_either_header():
    app = json.dumps({"call_count": 28, "total_time": 25, "total_cputime": 91})
    business = json.dumps({PAGE: [{"type": "pages", "call_count": 40, "total_cputime": 10, "total_time": 12,
                                   "estimated_time_to_regain_access": 0}],
                           "999": [{"type": "pages", "call_count": 95.5, "total_cputime": 1, "total_time": 1,
                                    "estimated_time_to_regain_access": 0}]})

    assert usage_percent(answer(**{"X-App-Usage": app})) == 91.0
    assert usage_percent(answer(**{"X-Business-Use-Case-Usage": business})) == 95.5
    assert usage_percent(answer(**{"x-app-usage": app, "x-business-use-case-usage": business})) == 95.5


@pytest.mark.parametrize("headers", [{}, {"X-App-Usage": "not json"}, {"X-App-Usage": "[1, 2]"},
                                     {"X-Business-Use-Case-Usage": json.dumps({PAGE: "odd"})},
                                     {"X-App-Usage": json.dumps({"call_count": True})}])
def test_usage_percent_is_none_without_a_readable_figure(headers):
    assert usage_percent(answer(**headers)) is None


def test_regain_access_takes_the_longest_estimate():
    business = json.dumps({PAGE: [{"type": "pages", "call_count": 100, "estimated_time_to_regain_access": 5}],
                           "999": [{"type": "pages", "call_count": 100, "estimated_time_to_regain_access": 42}]})

    assert regain_access_at(answer(**{"X-Business-Use-Case-Usage": business}), NOW) == NOW + timedelta(minutes=42)
    assert regain_access_at(answer(), NOW) is None


# -- verify (channels --check): GET /{page-id}?fields=name, the token in a header, never the URL

def test_verify_reads_the_page_name_with_the_token_in_the_authorization_header(mock, publisher):
    mock.get(f"{GRAPH}/{PAGE}", json={"name": "Riverside Clinic", "id": PAGE})

    assert publisher.verify(NOW) == "Page Riverside Clinic"

    (call,) = mock.calls
    assert call.request.method == "GET" and call.request.url == f"{GRAPH}/{PAGE}?fields=name"
    assert call.request.headers["Authorization"] == f"Bearer {TOKEN}" and TOKEN not in call.request.url


def test_verify_with_an_expired_token_needs_attention_without_the_token(mock, publisher):
    mock.get(f"{GRAPH}/{PAGE}", status=400, json=graph_error(190, f"Error validating access token: {TOKEN} has expired"))

    with pytest.raises(NeedsAttention) as caught:
        publisher.verify(NOW)
    assert TOKEN not in caught.value.reason and TOKEN not in str(caught.value)


def test_verify_on_a_server_error_retries_now_a_read_creates_nothing(mock, publisher):
    mock.get(f"{GRAPH}/{PAGE}", status=500, body="oops")

    with pytest.raises(RetryNow):
        publisher.verify(NOW)


# -- usage headers: slow down before the limit is hit

def app_usage(call_count: int, total_time: int = 5) -> dict[str, str]:
    return {"X-App-Usage": json.dumps({"call_count": call_count, "total_cputime": 3, "total_time": total_time})}


def test_usage_below_the_threshold_gives_no_hold(mock, publisher, make_post):
    mock.post(FEED, json={"id": f"{PAGE}_1"}, headers=app_usage(89))
    mock.post(FEED, json={"id": f"{PAGE}_2"})  # no usage headers at all

    first = publisher.publish(make_post(TEXT, channel="facebook", id=1), NOW)
    second = publisher.publish(make_post(TEXT, channel="facebook", id=2), NOW + timedelta(seconds=1))

    assert (first.hold_channel_until, first.hold_reason) == (None, None)
    assert second.remote_id == f"{PAGE}_2" and second.hold_channel_until is None


def test_usage_at_the_threshold_gives_a_success_with_a_channel_hold(mock, publisher, make_post, caplog):
    mock.post(FEED, json={"id": f"{PAGE}_1"}, headers=app_usage(95))

    with caplog.at_level("WARNING", logger="scheduler.publishers.facebook"):
        published = publisher.publish(make_post(TEXT, channel="facebook", id=1), NOW)

    # 95 % with the default threshold of 90: half way from 5 minutes to an hour, counted from the answer.
    assert published.remote_id == f"{PAGE}_1"
    assert published.hold_channel_until == NOW + timedelta(minutes=5) + timedelta(minutes=55) * (5 / 10)
    assert published.hold_reason.startswith("Facebook usage 95% >= 90%")
    assert "95%" in caplog.text and "facebook" in caplog.text and TOKEN not in caplog.text
    assert TOKEN not in published.hold_reason


def test_the_hold_is_not_kept_in_the_publisher(mock, publisher, make_post):
    """The store holds the channel; this object sends whatever the runner gives it (one mechanism, in the queue)."""
    mock.post(FEED, json={"id": f"{PAGE}_1"}, headers=app_usage(95))
    mock.post(FEED, json={"id": f"{PAGE}_2"}, headers=app_usage(20))
    publisher.publish(make_post(TEXT, channel="facebook", id=1), NOW)

    second = publisher.publish(make_post(TEXT, channel="facebook", id=2), NOW + timedelta(minutes=1))

    assert second.remote_id == f"{PAGE}_2" and second.hold_channel_until is None


def test_the_business_use_case_estimate_sets_the_hold_when_longer(mock, publisher, make_post):
    mock.post(FEED, json={"id": f"{PAGE}_1"}, headers=buc(minutes=90, call_count=92))

    published = publisher.publish(make_post(TEXT, channel="facebook", id=1), NOW)

    assert published.hold_channel_until == NOW + timedelta(minutes=90)
    assert "92%" in published.hold_reason


def test_usage_at_100_percent_holds_for_meta_s_rolling_hour(mock, publisher, make_post):
    mock.post(FEED, json={"id": f"{PAGE}_1"}, headers=app_usage(40, total_time=100))

    published = publisher.publish(make_post(TEXT, channel="facebook", id=1), NOW)

    assert published.hold_channel_until == NOW + timedelta(hours=1)


def test_the_threshold_is_a_per_channel_setting(mock, settings_with, make_post):
    settings = settings_with(FACEBOOK_PAGE_ID=PAGE, FACEBOOK_PAGE_ACCESS_TOKEN=TOKEN, FACEBOOK_USAGE_THRESHOLD="50")
    publisher = FacebookPublisher("facebook", settings, requests.Session())
    mock.post(FEED, json={"id": f"{PAGE}_1"}, headers=app_usage(60))

    published = publisher.publish(make_post(TEXT, channel="facebook", id=1), NOW)

    assert publisher.usage_threshold == 50
    # 60 % against 50: a fifth of the way from 5 minutes to an hour
    assert published.hold_channel_until == NOW + timedelta(minutes=5) + timedelta(minutes=55) * (10 / 50)
    assert published.hold_reason.startswith("Facebook usage 60% >= 50%")


@pytest.mark.parametrize("raw", ["0", "101", "ninety", "nan", "-5"])
def test_a_bad_threshold_is_a_config_error_naming_the_variable(settings_with, raw):
    settings = settings_with(FACEBOOK_PAGE_ID=PAGE, FACEBOOK_PAGE_ACCESS_TOKEN=TOKEN, FACEBOOK_USAGE_THRESHOLD=raw)
    with pytest.raises(ConfigError) as caught:
        FacebookPublisher("facebook", settings, requests.Session())
    assert "FACEBOOK_USAGE_THRESHOLD" in str(caught.value) and TOKEN not in str(caught.value)
