"""LinkedInPublisher against a mocked Posts API: the exact request, the little-format commentary, the URN
from an empty 201's x-restli-id header, what each answer means, and the token-expiry guard."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta, timezone

import pytest
import requests

from scheduler.errors import ConfigError, NeedsAttention, PublishError, Rejected, RetryAt, RetryNow, UnknownOutcome
from scheduler.publishers import publisher_class
from scheduler.publishers.linkedin import DEFAULT_VERSION, LinkedInPublisher, little_text
from scheduler.store import Post

from helpers import answer_id, assert_no_secret, closed_port_url

BASE = "https://api.linkedin.com"
POSTS = f"{BASE}/rest/posts"
TOKEN = "AQV-li-S3CRET-token-0123456789"
AUTHOR = "urn:li:person:8675309"
URN = "urn:li:share:7287840497870462977"
NOW = datetime(2026, 11, 23, 14, 30, tzinfo=timezone.utc)
TEXT = "Massage can ease sciatica (ask us how). #sciatica #backpain"
COMMENTARY = "Massage can ease sciatica \\(ask us how\\). {hashtag|\\#|sciatica} {hashtag|\\#|backpain}"
DUPLICATE = {"message": f"Content is a duplicate of {URN}", "status": 422, "code": "DUPLICATE_POST"}


def make_linkedin_post(text: str = TEXT, channel: str = "linkedin", payload: dict | None = None, **fields) -> Post:
    """A claimed Post built directly: posts/ has no compile rules for LinkedIn yet (make_post needs them)."""
    values = dict(id=3, channel=channel, platform="linkedin", status="publishing", scheduled_at=NOW,
                  local_time=NOW.isoformat(), zone="UTC", text=text, payload=payload if payload is not None else {"text": text},
                  length=len(text), limit=3000, idempotency_key="k" * 32, attempts=0, due_at=NOW)
    values.update(fields)
    return Post(**values)


@pytest.fixture
def post():
    return make_linkedin_post()


@pytest.fixture
def publisher(settings_with):
    return LinkedInPublisher("linkedin", settings_with(LINKEDIN_ACCESS_TOKEN=TOKEN, LINKEDIN_AUTHOR_URN=AUTHOR),
                             requests.Session())


def created(mock, urn: str = URN, url: str = POSTS) -> None:
    mock.post(url, status=201, body="", headers={"x-restli-id": urn, "x-linkedin-id": urn})


def test_registered_under_its_platform_name():
    assert publisher_class("linkedin") is LinkedInPublisher
    assert LinkedInPublisher.resend_is_safe is False


def test_sends_exactly_one_post_and_reads_the_urn_from_x_restli_id(mock, publisher, post):
    created(mock)

    published = publisher.publish(post, NOW)

    assert published.remote_id == URN
    assert published.remote_url == f"https://www.linkedin.com/feed/update/{URN}/"
    assert len(mock.calls) == 1
    request = mock.calls[0].request
    assert request.method == "POST"
    assert request.url == POSTS
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["LinkedIn-Version"] == DEFAULT_VERSION
    assert request.headers["X-Restli-Protocol-Version"] == "2.0.0"
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.body) == {
        "author": AUTHOR,
        "commentary": COMMENTARY,
        "visibility": "PUBLIC",
        "distribution": {"feedDistribution": "MAIN_FEED", "targetEntities": [], "thirdPartyDistributionChannels": []},
        "lifecycleState": "PUBLISHED",
        "isReshareDisabledByAuthor": False,
    }


def test_a_ugc_post_urn_is_accepted_too(mock, publisher, post):
    created(mock, "urn:li:ugcPost:7336013677930006817")

    published = publisher.publish(post, NOW)

    assert published.remote_url == "https://www.linkedin.com/feed/update/urn:li:ugcPost:7336013677930006817/"


def test_a_compiled_commentary_is_sent_as_it_is(mock, publisher):
    created(mock)
    post = make_linkedin_post(payload={"commentary": "Already \\(escaped\\) {hashtag|\\#|tag}"})

    publisher.publish(post, NOW)

    assert json.loads(mock.calls[0].request.body)["commentary"] == "Already \\(escaped\\) {hashtag|\\#|tag}"


@pytest.mark.parametrize("text, expected", [
    ("plain words, nothing reserved.", "plain words, nothing reserved."),
    ("a\\b|c{d}e@f[g]h(i)j<k>l*m_n~o", "a\\\\b\\|c\\{d\\}e\\@f\\[g\\]h\\(i\\)j\\<k\\>l\\*m\\_n\\~o"),
    ("#first tag and (#second) #third_one", "{hashtag|\\#|first} tag and \\({hashtag|\\#|second}\\) {hashtag|\\#|third\\_one}"),
    ("C# and issue#4 are not tags; #2024 neither", "C\\# and issue\\#4 are not tags; \\#2024 neither"),
    ("see https://example.com/a_(b)#frag", "see https://example.com/a\\_\\(b\\)\\#frag"),
    ("@clinic mentions stay text", "\\@clinic mentions stay text"),
])
def test_little_text_escapes_every_reserved_character_and_links_tags(text, expected):
    assert little_text(text) == expected


def test_version_and_base_url_are_configurable(mock, settings_with, post):
    settings = settings_with(LINKEDIN_ACCESS_TOKEN=TOKEN, LINKEDIN_AUTHOR_URN=AUTHOR, LINKEDIN_VERSION="202603",
                             LINKEDIN_API_BASE_URL="http://127.0.0.1:8090/")
    created(mock, url="http://127.0.0.1:8090/rest/posts")

    LinkedInPublisher("linkedin", settings, requests.Session()).publish(post, NOW)

    assert mock.calls[0].request.headers["LinkedIn-Version"] == "202603"


@pytest.mark.parametrize("version", ["2026-05", "latest", "20260"])
def test_a_version_not_in_yyyymm_form_is_a_config_error(settings_with, version):
    with pytest.raises(ConfigError) as caught:
        LinkedInPublisher("linkedin", settings_with(LINKEDIN_ACCESS_TOKEN=TOKEN, LINKEDIN_AUTHOR_URN=AUTHOR,
                                                    LINKEDIN_VERSION=version), requests.Session())

    assert caught.value.where == "LINKEDIN_VERSION"


def test_201_without_x_restli_id_is_an_unknown_outcome(mock, publisher, post):
    mock.post(POSTS, status=201, body="")

    with pytest.raises(UnknownOutcome):
        publisher.publish(post, NOW)


def test_duplicate_post_is_rejected(mock, publisher, post):
    mock.post(POSTS, status=422, json=DUPLICATE)

    with pytest.raises(Rejected) as caught:
        publisher.publish(post, NOW)

    assert caught.value.status == 422
    assert "DUPLICATE_POST" in caught.value.reason


def test_duplicate_named_only_in_the_message_is_rejected(mock, publisher, post):
    mock.post(POSTS, status=422, json={"status": 422, "message": "ERROR :: /commentary :: DUPLICATE_POST"})

    with pytest.raises(Rejected):
        publisher.publish(post, NOW)


@pytest.mark.parametrize("code, body", [
    (400, {"status": 400, "code": "ILLEGAL_ARGUMENT", "message": "Request body could not be converted to data map"}),
    (422, {"status": 422, "message": "ERROR :: /commentary :: field is required but not found and has no default value"}),
])
def test_invalid_posts_are_rejected(mock, publisher, post, code, body):
    mock.post(POSTS, status=code, json=body)

    with pytest.raises(Rejected) as caught:
        publisher.publish(post, NOW)

    assert body["message"] in caught.value.reason


def test_429_retries_after_retry_after(mock, publisher, post):
    mock.post(POSTS, status=429, json={"status": 429, "message": "Resource level throttle limit for calls to this resource is reached."},
              headers={"Retry-After": "120"})

    with pytest.raises(RetryAt) as caught:
        publisher.publish(post, NOW)

    assert caught.value.at == NOW + timedelta(seconds=120)
    assert caught.value.status == 429


def test_429_without_retry_after_waits_for_the_daily_reset_at_midnight_utc(mock, publisher, post):
    mock.post(POSTS, status=429, json={"status": 429, "message": "Resource level throttle limit for calls to this resource is reached."})

    with pytest.raises(RetryAt) as caught:
        publisher.publish(post, NOW)

    assert caught.value.at == datetime(2026, 11, 24, tzinfo=timezone.utc)


def test_expired_token_needs_attention(mock, publisher, post):
    mock.post(POSTS, status=401, json={"status": 401, "serviceErrorCode": 65601, "code": "EXPIRED_ACCESS_TOKEN",
                                       "message": "The token used in the request has expired"})

    with pytest.raises(NeedsAttention) as caught:
        publisher.publish(post, NOW)

    assert caught.value.status == 401
    assert "has expired" in caught.value.reason


def test_missing_permission_needs_attention(mock, publisher, post):
    mock.post(POSTS, status=403, json={"status": 403, "serviceErrorCode": 100, "code": "ACCESS_DENIED",
                                       "message": "Not enough permissions to access: partnerApiPostsExternal.CREATE.20260501"})

    with pytest.raises(NeedsAttention) as caught:
        publisher.publish(post, NOW)

    assert "w_member_social" in caught.value.reason


@pytest.mark.parametrize("code", [500, 502, 503, 504])
def test_server_errors_are_unknown_outcomes(mock, publisher, post, code):
    mock.post(POSTS, status=code, json={"status": code, "message": "Internal Server Error"})

    with pytest.raises(UnknownOutcome) as caught:
        publisher.publish(post, NOW)

    assert caught.value.status == code


def test_connection_refused_retries_now(settings_with, post):
    base = closed_port_url()
    publisher = LinkedInPublisher("linkedin", settings_with(LINKEDIN_API_BASE_URL=base, LINKEDIN_ACCESS_TOKEN=TOKEN,
                                                            LINKEDIN_AUTHOR_URN=AUTHOR, SCHEDULER_HTTP_TIMEOUT="5"),
                                  requests.Session())

    with pytest.raises(RetryNow) as caught:
        publisher.publish(post, NOW)

    assert "could not connect to 127.0.0.1" in caught.value.reason


def expiring(settings_with, expires_at: str) -> LinkedInPublisher:
    return LinkedInPublisher("linkedin", settings_with(LINKEDIN_ACCESS_TOKEN=TOKEN, LINKEDIN_AUTHOR_URN=AUTHOR,
                                                       LINKEDIN_TOKEN_EXPIRES_AT=expires_at), requests.Session())


def test_a_token_past_its_expiry_needs_attention_without_sending(mock, settings_with, post):
    with pytest.raises(NeedsAttention) as caught:
        expiring(settings_with, "2026-11-23").publish(post, NOW)

    assert "LINKEDIN_TOKEN_EXPIRES_AT" in caught.value.reason
    assert TOKEN not in str(caught.value)
    assert len(mock.calls) == 0


def test_a_token_expiring_within_a_week_is_warned_about_once_and_used(mock, settings_with, post, caplog):
    publisher = expiring(settings_with, "2026-11-29T09:00:00Z")
    created(mock)
    created(mock)
    caplog.set_level(logging.WARNING, logger="scheduler.publishers.linkedin")

    publisher.publish(post, NOW)
    publisher.publish(make_linkedin_post(id=4), NOW)

    warnings = [r for r in caplog.records if r.name == "scheduler.publishers.linkedin" and r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "2026-11-29 09:00" in warnings[0].getMessage()
    assert "LINKEDIN_TOKEN_EXPIRES_AT" in warnings[0].getMessage()
    assert TOKEN not in caplog.text
    assert len(mock.calls) == 2


def test_a_token_with_more_than_a_week_left_is_used_silently(mock, settings_with, post, caplog):
    created(mock)
    caplog.set_level(logging.WARNING, logger="scheduler.publishers.linkedin")

    expiring(settings_with, "2027-01-20").publish(post, NOW)

    assert not [r for r in caplog.records if r.name == "scheduler.publishers.linkedin"]


def test_an_expiry_that_is_not_a_date_is_a_config_error(settings_with):
    with pytest.raises(ConfigError) as caught:
        expiring(settings_with, "next spring")

    assert caught.value.where == "LINKEDIN_TOKEN_EXPIRES_AT"


def test_named_channel_reads_its_own_variables(mock, settings_with):
    settings = settings_with(LINKEDIN_ACCESS_TOKEN=TOKEN, LINKEDIN_AUTHOR_URN=AUTHOR,
                             LINKEDIN_CLINIC2_ACCESS_TOKEN="tok-clinic2", LINKEDIN_CLINIC2_AUTHOR_URN="urn:li:organization:2414183")
    created(mock)

    LinkedInPublisher("linkedin:clinic2", settings, requests.Session()).publish(make_linkedin_post(channel="linkedin:clinic2"), NOW)

    request = mock.calls[0].request
    assert request.headers["Authorization"] == "Bearer tok-clinic2"
    assert json.loads(request.body)["author"] == "urn:li:organization:2414183"


@pytest.mark.parametrize("channel, present, missing", [
    ("linkedin", {"LINKEDIN_AUTHOR_URN": AUTHOR}, "LINKEDIN_ACCESS_TOKEN"),
    ("linkedin", {"LINKEDIN_ACCESS_TOKEN": TOKEN}, "LINKEDIN_AUTHOR_URN"),
    ("linkedin:clinic2", {"LINKEDIN_ACCESS_TOKEN": TOKEN, "LINKEDIN_AUTHOR_URN": AUTHOR}, "LINKEDIN_CLINIC2_ACCESS_TOKEN"),
])
def test_missing_credentials_are_a_config_error_naming_the_variable(settings_with, channel, present, missing):
    with pytest.raises(ConfigError) as caught:
        LinkedInPublisher(channel, settings_with(**present), requests.Session())

    assert caught.value.where == missing
    assert TOKEN not in str(caught.value)


FAILURES = [
    dict(status=400, json={"status": 400, "message": "bad"}),
    dict(status=401, json={"status": 401, "code": "EXPIRED_ACCESS_TOKEN", "message": "The token used in the request has expired"}),
    dict(status=403, json={"status": 403, "code": "ACCESS_DENIED", "message": "Not enough permissions"}),
    dict(status=404, body="not found"),
    dict(status=422, json=DUPLICATE),
    dict(status=426, json={"status": 426, "code": "VERSION_MISSING", "message": "Version header is deprecated"}),
    dict(status=429, headers={"Retry-After": "60"}),
    dict(status=500, body="oops"),
    dict(status=201, body=""),
    dict(body=requests.ReadTimeout("read timed out")),
    dict(body=requests.ConnectTimeout("connect timed out")),
    dict(body=requests.ConnectionError("connection reset by peer")),
    dict(body=requests.exceptions.ChunkedEncodingError("broken chunk")),
]


@pytest.mark.parametrize("answer", FAILURES, ids=answer_id)
def test_the_token_never_appears_in_an_error(mock, publisher, post, answer):
    mock.post(POSTS, **answer)

    with pytest.raises(PublishError) as caught:
        publisher.publish(post, NOW)

    assert_no_secret(caught.value, TOKEN)
    assert caught.value.__cause__ is None or TOKEN not in str(caught.value.__cause__)


def test_a_post_compiled_by_the_content_core_goes_out_as_compiled(mock, publisher, make_post):
    # posts/ is gaining LinkedIn rules in parallel: until they exist this has nothing to check.
    try:
        compiled = make_post(TEXT, channel="linkedin", id=3)
    except KeyError:
        pytest.skip("no LinkedIn compile rules in posts/ yet")
    created(mock)

    publisher.publish(compiled, NOW)

    commentary = json.loads(mock.calls[0].request.body)["commentary"]
    assert commentary == compiled.payload.get("commentary", little_text(compiled.text))
    assert commentary == COMMENTARY  # the content core and the adapter escape alike


# -- verify (channels --check): GET /v2/userinfo, never a post

USERINFO = f"{BASE}/v2/userinfo"


def test_verify_reads_userinfo_with_the_bearer_token(mock, publisher):
    mock.get(USERINFO, json={"sub": "8675309", "name": "Riverside Clinic"})

    assert publisher.verify(NOW) == f"Riverside Clinic; posts as {AUTHOR}"

    (call,) = mock.calls
    assert call.request.method == "GET" and call.request.url == USERINFO
    assert call.request.headers["Authorization"] == f"Bearer {TOKEN}" and TOKEN not in call.request.url


def test_verify_403_means_a_valid_token_without_the_profile_scope(mock, publisher):
    mock.get(USERINFO, status=403, json={"status": 403, "message": "Not enough permissions to access: userinfo.GET.NO_VERSION"})

    assert publisher.verify(NOW).startswith("token accepted")


def test_verify_401_needs_attention_without_the_token(mock, publisher):
    mock.get(USERINFO, status=401, json={"status": 401, "code": "EXPIRED_ACCESS_TOKEN", "message": "The token used in the request has expired"})

    with pytest.raises(NeedsAttention) as caught:
        publisher.verify(NOW)
    assert TOKEN not in caught.value.reason


def test_verify_after_the_configured_expiry_needs_attention_without_a_request(mock, settings_with):
    publisher = LinkedInPublisher("linkedin", settings_with(LINKEDIN_ACCESS_TOKEN=TOKEN, LINKEDIN_AUTHOR_URN=AUTHOR,
                                                            LINKEDIN_TOKEN_EXPIRES_AT="2026-11-01"), requests.Session())
    with pytest.raises(NeedsAttention, match="expired"):
        publisher.verify(NOW)
    assert not mock.calls
