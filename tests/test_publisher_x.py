"""XPublisher against a mocked X API v2: the exact request it sends (signed with OAuth 1.0a, or with an
OAuth 2.0 user token and its refresh), and what each answer means."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, quote, unquote
from urllib.request import parse_http_list, parse_keqv_list

import pytest
import requests

from scheduler.errors import ConfigError, NeedsAttention, PublishError, Rejected, RetryAt, RetryNow, UnknownOutcome
from scheduler.publishers import publisher_class
from scheduler.publishers.x import XPublisher
from scheduler.store import Post

from helpers import answer_id, assert_no_secret, closed_port_url

BASE = "https://api.x.com"
TWEETS = f"{BASE}/2/tweets"
TOKEN_URL = f"{BASE}/2/oauth2/token"
NOW = datetime(2026, 11, 23, 14, 30, tzinfo=timezone.utc)
TEXT = "Massage can ease sciatica — ask us how. #sciatica #backpain"

API_KEY = "ck-consumerKEY-1234"
API_SECRET = "cs-S3CRET-consumer-5678"
ACCESS_TOKEN = "at-1234567890-S3CRETtoken"
ACCESS_SECRET = "as-S3CRET-token-secret-9012"
OAUTH1 = dict(X_API_KEY=API_KEY, X_API_SECRET=API_SECRET, X_ACCESS_TOKEN=ACCESS_TOKEN, X_ACCESS_TOKEN_SECRET=ACCESS_SECRET)

OAUTH2_TOKEN = "o2-access-S3CRET-aaaa"
REFRESH_TOKEN = "o2-refresh-S3CRET-bbbb"
CLIENT_ID = "client-id-cccc"
NEW_TOKEN = "o2-access-S3CRET-new-dddd"
NEW_REFRESH = "o2-refresh-S3CRET-new-eeee"
OAUTH2 = dict(X_OAUTH2_ACCESS_TOKEN=OAUTH2_TOKEN, X_OAUTH2_REFRESH_TOKEN=REFRESH_TOKEN, X_CLIENT_ID=CLIENT_ID)

SECRETS = (API_SECRET, ACCESS_TOKEN, ACCESS_SECRET, OAUTH2_TOKEN, REFRESH_TOKEN, NEW_TOKEN, NEW_REFRESH)
CREATED = {"data": {"id": "1445880548472328192", "text": TEXT}}
DUPLICATE = {"detail": "You are not allowed to create a Tweet with duplicate content.", "type": "about:blank",
             "title": "Forbidden", "status": 403}
UNAUTHORIZED = {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}


def make_x_post(text: str = TEXT, channel: str = "x", **fields) -> Post:
    """A claimed Post for X, built directly: posts/ has no compile rules for X yet (make_post needs them)."""
    values = dict(id=3, channel=channel, platform="x", status="publishing", scheduled_at=NOW, local_time=NOW.isoformat(),
                  zone="UTC", text=text, payload={"text": text}, length=len(text), limit=280,
                  idempotency_key="k" * 32, attempts=0, due_at=NOW)
    values.update(fields)
    return Post(**values)


@pytest.fixture
def post():
    return make_x_post()


@pytest.fixture
def oauth1(settings_with):
    return XPublisher("x", settings_with(**OAUTH1), requests.Session())


@pytest.fixture
def oauth2(settings_with):
    return XPublisher("x", settings_with(**OAUTH2), requests.Session())


def oauth_params(request) -> dict[str, str]:
    return parse_oauth_header(request.headers["Authorization"])


def parse_oauth_header(header: str | bytes) -> dict[str, str]:
    header = header.decode() if isinstance(header, bytes) else header  # requests-oauthlib sets it as bytes
    scheme, _, rest = header.partition(" ")
    assert scheme == "OAuth"
    return {key: unquote(value) for key, value in parse_keqv_list(parse_http_list(rest)).items()}


def _enc(value: str) -> str:
    return quote(value, safe="~-._")


def expected_signature(method: str, url: str, params: dict[str, str], consumer_secret: str, token_secret: str) -> str:
    """RFC 5849 §3.4 HMAC-SHA1, written out by hand: the base string holds the oauth_* parameters only
    (no body parameter: the body is JSON), and the key is the two secrets."""
    pairs = sorted((_enc(k), _enc(v)) for k, v in params.items() if k != "oauth_signature")
    normalized = "&".join(f"{k}={v}" for k, v in pairs)
    base = "&".join([method.upper(), _enc(url), _enc(normalized)])
    key = f"{_enc(consumer_secret)}&{_enc(token_secret)}"
    return base64.b64encode(hmac.new(key.encode(), base.encode(), hashlib.sha1).digest()).decode()


def test_registered_under_its_platform_name():
    assert publisher_class("x") is XPublisher
    assert XPublisher.resend_is_safe is False  # X has no idempotency key


def test_oauth1_sends_one_signed_json_post_and_records_id_and_url(mock, oauth1, post):
    mock.post(TWEETS, status=201, json=CREATED)

    published = oauth1.publish(post, NOW)

    assert published.remote_id == "1445880548472328192"
    assert published.remote_url == "https://x.com/i/web/status/1445880548472328192"
    assert len(mock.calls) == 1
    request = mock.calls[0].request
    assert request.method == "POST"
    assert request.url == TWEETS
    # requests-oauthlib hands the headers back as bytes; on the wire they are the same.
    assert request.headers["Content-Type"] in ("application/json", b"application/json")
    assert json.loads(request.body) == {"text": TEXT}
    params = oauth_params(request)
    assert params["oauth_consumer_key"] == API_KEY
    assert params["oauth_token"] == ACCESS_TOKEN
    assert params["oauth_signature_method"] == "HMAC-SHA1"
    assert params["oauth_version"] == "1.0"
    assert params["oauth_nonce"] and params["oauth_timestamp"].isdigit()
    assert "text" not in params and "oauth_body_hash" not in params
    # The signature is right for this nonce and timestamp, and the base string had no body parameter in it.
    assert params["oauth_signature"] == expected_signature("POST", TWEETS, params, API_SECRET, ACCESS_SECRET)


def test_oauth1_signature_matches_oauthlib_for_the_same_nonce_and_timestamp(mock, oauth1, post):
    from oauthlib.oauth1 import Client

    mock.post(TWEETS, status=201, json=CREATED)
    oauth1.publish(post, NOW)
    params = oauth_params(mock.calls[0].request)

    client = Client(API_KEY, client_secret=API_SECRET, resource_owner_key=ACCESS_TOKEN, resource_owner_secret=ACCESS_SECRET,
                    nonce=params["oauth_nonce"], timestamp=params["oauth_timestamp"])
    _, headers, _ = client.sign(TWEETS, "POST", None, {"Content-Type": "application/json"})
    assert parse_oauth_header(headers["Authorization"])["oauth_signature"] == params["oauth_signature"]


def test_a_text_that_looks_like_a_form_is_still_not_signed_as_one(mock, oauth1):
    # "a=b&c=d" would be read as form parameters if the body were signed as a form.
    mock.post(TWEETS, status=201, json={"data": {"id": "9", "text": "a=b&c=d"}})
    oauth1.publish(make_x_post("a=b&c=d"), NOW)

    request = mock.calls[0].request
    params = oauth_params(request)
    assert json.loads(request.body) == {"text": "a=b&c=d"}
    assert params["oauth_signature"] == expected_signature("POST", TWEETS, params, API_SECRET, ACCESS_SECRET)


def test_oauth1_wins_when_both_credential_sets_are_set(mock, settings_with, post):
    mock.post(TWEETS, status=201, json=CREATED)
    XPublisher("x", settings_with(**OAUTH1, **OAUTH2), requests.Session()).publish(post, NOW)

    assert parse_oauth_header(mock.calls[0].request.headers["Authorization"])["oauth_token"] == ACCESS_TOKEN


def test_oauth2_sends_the_user_token_as_bearer(mock, oauth2, post):
    mock.post(TWEETS, status=201, json=CREATED)

    published = oauth2.publish(post, NOW)

    assert published.remote_id == "1445880548472328192"
    request = mock.calls[0].request
    assert request.url == TWEETS
    assert request.headers["Authorization"] == f"Bearer {OAUTH2_TOKEN}"
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.body) == {"text": TEXT}


def test_expired_oauth2_token_is_refreshed_once_and_the_post_sent_again(mock, oauth2, post):
    mock.post(TWEETS, status=401, json=UNAUTHORIZED)
    mock.post(TOKEN_URL, status=200, json={"token_type": "bearer", "expires_in": 7200, "access_token": NEW_TOKEN,
                                           "scope": "tweet.write tweet.read users.read offline.access",
                                           "refresh_token": NEW_REFRESH})
    mock.post(TWEETS, status=201, json=CREATED)

    published = oauth2.publish(post, NOW)

    assert published.remote_id == "1445880548472328192"
    assert [call.request.url for call in mock.calls] == [TWEETS, TOKEN_URL, TWEETS]
    refresh = mock.calls[1].request
    assert refresh.method == "POST"
    assert refresh.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert "Authorization" not in refresh.headers
    assert parse_qs(refresh.body, strict_parsing=True) == {
        "refresh_token": [REFRESH_TOKEN], "grant_type": ["refresh_token"], "client_id": [CLIENT_ID]}
    assert mock.calls[2].request.headers["Authorization"] == f"Bearer {NEW_TOKEN}"
    assert json.loads(mock.calls[2].request.body) == {"text": TEXT}


def test_refreshed_tokens_are_kept_for_the_rest_of_the_run(mock, oauth2, post):
    mock.post(TWEETS, status=401, json=UNAUTHORIZED)
    mock.post(TOKEN_URL, status=200, json={"access_token": NEW_TOKEN, "refresh_token": NEW_REFRESH})
    mock.post(TWEETS, status=201, json=CREATED)
    oauth2.publish(post, NOW)
    # The next post of the run uses the new token; when it expires too, the new refresh token is the one sent.
    mock.post(TWEETS, status=201, json=CREATED)
    oauth2.publish(make_x_post(id=4), NOW)
    assert mock.calls[3].request.headers["Authorization"] == f"Bearer {NEW_TOKEN}"

    mock.post(TWEETS, status=401, json=UNAUTHORIZED)
    mock.post(TOKEN_URL, status=200, json={"access_token": "third-token"})
    mock.post(TWEETS, status=201, json=CREATED)
    oauth2.publish(make_x_post(id=5), NOW)
    assert parse_qs(mock.calls[5].request.body)["refresh_token"] == [NEW_REFRESH]
    assert mock.calls[6].request.headers["Authorization"] == "Bearer third-token"


def test_a_second_401_after_the_refresh_needs_attention_without_another_refresh(mock, oauth2, post):
    mock.post(TWEETS, status=401, json=UNAUTHORIZED)
    mock.post(TOKEN_URL, status=200, json={"access_token": NEW_TOKEN, "refresh_token": NEW_REFRESH})
    mock.post(TWEETS, status=401, json=UNAUTHORIZED)

    with pytest.raises(NeedsAttention) as caught:
        oauth2.publish(post, NOW)

    assert caught.value.status == 401
    assert len(mock.calls) == 3


def test_a_refused_refresh_needs_attention_and_names_the_variable_not_the_value(mock, oauth2, post):
    mock.post(TWEETS, status=401, json=UNAUTHORIZED)
    mock.post(TOKEN_URL, status=400, json={"error": "invalid_request",
                                           "error_description": "Value passed for the token was invalid."})

    with pytest.raises(NeedsAttention) as caught:
        oauth2.publish(post, NOW)

    assert "X_OAUTH2_REFRESH_TOKEN" in caught.value.reason
    assert "Value passed for the token was invalid." in caught.value.reason
    for secret in SECRETS:
        assert secret not in str(caught.value)
    assert len(mock.calls) == 2  # no post after a failed refresh


def test_a_refresh_that_times_out_retries_the_post_not_unconfirmed(mock, oauth2, post):
    # The post was refused with 401, so it does not exist: only the refresh is in doubt.
    mock.post(TWEETS, status=401, json=UNAUTHORIZED)
    mock.post(TOKEN_URL, body=requests.ReadTimeout("read timed out"))

    with pytest.raises(RetryNow):
        oauth2.publish(post, NOW)


def test_401_without_a_refresh_token_needs_attention_at_once(mock, settings_with, post):
    mock.post(TWEETS, status=401, json=UNAUTHORIZED)
    publisher = XPublisher("x", settings_with(X_OAUTH2_ACCESS_TOKEN=OAUTH2_TOKEN), requests.Session())

    with pytest.raises(NeedsAttention):
        publisher.publish(post, NOW)

    assert len(mock.calls) == 1


def test_401_with_oauth1_needs_attention_without_any_refresh(mock, oauth1, post):
    mock.post(TWEETS, status=401, json=UNAUTHORIZED)

    with pytest.raises(NeedsAttention) as caught:
        oauth1.publish(post, NOW)

    assert caught.value.status == 401
    assert len(mock.calls) == 1


def test_duplicate_content_is_rejected(mock, oauth1, post):
    mock.post(TWEETS, status=403, json=DUPLICATE)

    with pytest.raises(Rejected) as caught:
        oauth1.publish(post, NOW)

    assert caught.value.status == 403
    assert "duplicate content" in caught.value.reason


@pytest.mark.parametrize("body", [
    {"title": "Forbidden", "type": "about:blank", "status": 403,
     "detail": "You are not permitted to perform this action."},
    {"title": "Unsupported Authentication", "type": "https://api.x.com/2/problems/unsupported-authentication",
     "status": 403, "detail": "Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint."},
    {"errors": [{"message": "Your client app is not configured with the appropriate oauth1 app permissions for "
                            "this endpoint.", "code": 453}], "title": "Forbidden", "type": "about:blank",
     "detail": "oauth1-permissions"},
])
def test_other_403s_need_attention(mock, oauth1, post, body):
    mock.post(TWEETS, status=403, json=body)

    with pytest.raises(NeedsAttention) as caught:
        oauth1.publish(post, NOW)

    assert caught.value.status == 403


def test_429_retries_at_exactly_x_rate_limit_reset(mock, oauth1, post):
    reset = NOW + timedelta(minutes=12, seconds=7)
    mock.post(TWEETS, status=429, json={"title": "Too Many Requests", "detail": "Too Many Requests",
                                        "type": "about:blank", "status": 429},
              headers={"x-rate-limit-limit": "200", "x-rate-limit-remaining": "0",
                       "x-rate-limit-reset": str(int(reset.timestamp()))})

    with pytest.raises(RetryAt) as caught:
        oauth1.publish(post, NOW)

    assert caught.value.at == reset
    assert caught.value.at.tzinfo is not None
    assert caught.value.status == 429


def test_429_without_a_reset_header_waits_one_window(mock, oauth1, post):
    mock.post(TWEETS, status=429, json={"errors": [{"code": 88, "message": "Rate limit exceeded"}]})

    with pytest.raises(RetryAt) as caught:
        oauth1.publish(post, NOW)

    assert caught.value.at == NOW + timedelta(minutes=15)
    assert "Rate limit exceeded" in caught.value.reason


def test_400_is_rejected(mock, oauth1, post):
    mock.post(TWEETS, status=400, json={"errors": [{"message": "$.text: string length exceeds 280"}],
                                        "title": "Invalid Request", "detail": "One or more parameters to your request was invalid.",
                                        "type": "https://api.x.com/2/problems/invalid-request"})

    with pytest.raises(Rejected) as caught:
        oauth1.publish(post, NOW)

    assert "string length exceeds 280" in caught.value.reason


@pytest.mark.parametrize("code", [500, 502, 503, 504])
def test_server_errors_are_unknown_outcomes(mock, oauth1, post, code):
    # No idempotency key: the post may exist, and resending could post twice.
    mock.post(TWEETS, status=code, body="<html>Over capacity</html>")

    with pytest.raises(UnknownOutcome) as caught:
        oauth1.publish(post, NOW)

    assert caught.value.status == code


def test_created_without_an_id_is_an_unknown_outcome(mock, oauth1, post):
    mock.post(TWEETS, status=200, body="<html>Welcome</html>", content_type="text/html")

    with pytest.raises(UnknownOutcome):
        oauth1.publish(post, NOW)


@pytest.mark.parametrize("credentials", [OAUTH1, OAUTH2], ids=["oauth1", "oauth2"])
def test_connection_refused_retries_now(settings_with, post, credentials):
    base = closed_port_url()
    publisher = XPublisher("x", settings_with(X_API_BASE_URL=base, SCHEDULER_HTTP_TIMEOUT="5", **credentials),
                           requests.Session())

    with pytest.raises(RetryNow) as caught:
        publisher.publish(post, NOW)

    assert "could not connect to 127.0.0.1" in caught.value.reason


def test_base_url_is_configurable(mock, settings_with, post):
    mock.post("http://127.0.0.1:8080/2/tweets", status=201, json=CREATED)
    publisher = XPublisher("x", settings_with(X_API_BASE_URL="http://127.0.0.1:8080/", **OAUTH1), requests.Session())

    publisher.publish(post, NOW)

    params = oauth_params(mock.calls[0].request)
    url = "http://127.0.0.1:8080/2/tweets"
    assert params["oauth_signature"] == expected_signature("POST", url, params, API_SECRET, ACCESS_SECRET)


def test_named_channel_reads_its_own_variables(mock, settings_with):
    settings = settings_with(**OAUTH1, X_CLINIC2_OAUTH2_ACCESS_TOKEN="tok-clinic2")
    mock.post(TWEETS, status=201, json=CREATED)

    XPublisher("x:clinic2", settings, requests.Session()).publish(make_x_post(channel="x:clinic2"), NOW)

    assert mock.calls[0].request.headers["Authorization"] == "Bearer tok-clinic2"


def test_no_credentials_is_a_config_error_naming_both_sets(settings_with):
    with pytest.raises(ConfigError) as caught:
        XPublisher("x", settings_with(), requests.Session())

    for name in ("X_API_KEY", "X_API_SECRET", "X_ACCESS_TOKEN", "X_ACCESS_TOKEN_SECRET", "X_OAUTH2_ACCESS_TOKEN"):
        assert name in str(caught.value)


def test_incomplete_oauth1_names_the_missing_variable_never_a_value(settings_with):
    partial = {**OAUTH1, "X_ACCESS_TOKEN_SECRET": "  "}

    with pytest.raises(ConfigError) as caught:
        XPublisher("x", settings_with(**partial), requests.Session())

    assert caught.value.where == "X_ACCESS_TOKEN_SECRET"
    for secret in SECRETS:
        assert secret not in str(caught.value)


def test_the_default_channels_credentials_do_not_stand_in_for_a_named_one(settings_with):
    with pytest.raises(ConfigError) as caught:
        XPublisher("x:clinic2", settings_with(**OAUTH1), requests.Session())

    assert "X_CLINIC2_API_KEY" in str(caught.value)


FAILURES = [
    dict(status=400, json={"title": "Invalid Request", "detail": "bad"}),
    dict(status=401, json=UNAUTHORIZED),
    dict(status=403, json=DUPLICATE),
    dict(status=403, json={"title": "Forbidden", "detail": "You are not permitted to perform this action."}),
    dict(status=404, body="not found"),
    dict(status=429, headers={"x-rate-limit-reset": str(int((NOW + timedelta(minutes=5)).timestamp()))}),
    dict(status=500, body="oops"),
    dict(status=201, body="not json"),
    dict(body=requests.ReadTimeout("read timed out")),
    dict(body=requests.ConnectTimeout("connect timed out")),
    dict(body=requests.ConnectionError("connection reset by peer")),
    dict(body=requests.exceptions.ChunkedEncodingError("broken chunk")),
]


@pytest.mark.parametrize("auth", ["oauth1", "oauth2"])
@pytest.mark.parametrize("answer", FAILURES, ids=answer_id)
def test_no_secret_ever_appears_in_an_error(mock, settings_with, post, answer, auth):
    publisher = XPublisher("x", settings_with(**(OAUTH1 if auth == "oauth1" else OAUTH2)), requests.Session())
    mock.post(TWEETS, **answer)
    if auth == "oauth2" and answer.get("status") == 401:
        mock.post(TOKEN_URL, status=200, json={"access_token": NEW_TOKEN, "refresh_token": NEW_REFRESH})
        mock.post(TWEETS, **answer)

    with pytest.raises(PublishError) as caught:
        publisher.publish(post, NOW)

    assert_no_secret(caught.value, *SECRETS)
    assert caught.value.__cause__ is None or not any(secret in str(caught.value.__cause__) for secret in SECRETS)


def test_a_post_compiled_by_the_content_core_goes_out_as_compiled(mock, oauth1, make_post):
    # posts/ is gaining X rules in parallel: until they exist this has nothing to check.
    try:
        compiled = make_post(TEXT, channel="x", id=3)
    except KeyError:
        pytest.skip("no X compile rules in posts/ yet")
    mock.post(TWEETS, status=201, json=CREATED)

    oauth1.publish(compiled, NOW)

    assert json.loads(mock.calls[0].request.body) == {"text": compiled.payload.get("text", compiled.text)}


def test_signing_debug_logs_never_show_a_credential(mock, oauth1, post, caplog):
    # requests-oauthlib and oauthlib log the Authorization header and the base string at DEBUG (-vv).
    import logging

    caplog.set_level(logging.DEBUG)
    mock.post(TWEETS, status=201, json=CREATED)

    oauth1.publish(post, NOW)

    assert "oauth_signature" in caplog.text  # the libraries did log
    for secret in SECRETS:
        assert secret not in caplog.text
    assert _enc(ACCESS_TOKEN) not in caplog.text


# -- verify (channels --check): GET /2/users/me, never a post

ME = f"{BASE}/2/users/me"


def test_verify_oauth2_reads_users_me_with_the_bearer_token(mock, oauth2):
    mock.get(ME, json={"data": {"id": "2244994945", "name": "Clinic", "username": "clinic"}})

    assert oauth2.verify(NOW) == "@clinic"

    (call,) = mock.calls
    assert call.request.method == "GET" and call.request.url == ME
    assert call.request.headers["Authorization"] == f"Bearer {OAUTH2_TOKEN}"
    assert not any(secret in call.request.url for secret in SECRETS)


def test_verify_oauth1_signs_the_request_in_the_authorization_header(mock, oauth1):
    mock.get(ME, json={"data": {"id": "2244994945", "username": "clinic"}})

    assert oauth1.verify(NOW) == "@clinic"

    (call,) = mock.calls
    assert call.request.url == ME
    header = call.request.headers["Authorization"]
    header = header.decode() if isinstance(header, bytes) else header
    assert header.startswith("OAuth ") and f'oauth_token="{ACCESS_TOKEN}"' in header
    assert 'oauth_signature_method="HMAC-SHA1"' in header and API_SECRET not in header and ACCESS_SECRET not in header
    assert not any(secret in call.request.url for secret in SECRETS)


def test_verify_refreshes_an_expired_oauth2_token_once(mock, oauth2):
    mock.get(ME, status=401, json=UNAUTHORIZED)
    mock.post(TOKEN_URL, json={"access_token": NEW_TOKEN, "refresh_token": NEW_REFRESH, "token_type": "bearer"})
    mock.get(ME, json={"data": {"id": "2244994945", "username": "clinic"}})

    assert oauth2.verify(NOW) == "@clinic"
    assert mock.calls[2].request.headers["Authorization"] == f"Bearer {NEW_TOKEN}"


def test_verify_with_refused_credentials_needs_attention_without_a_secret(mock, oauth1):
    mock.get(ME, status=401, json=UNAUTHORIZED)

    with pytest.raises(NeedsAttention) as caught:
        oauth1.verify(NOW)
    assert not any(secret in caught.value.reason for secret in SECRETS)


# --- A success that spent the window's last request holds the channel until x-rate-limit-reset (epoch seconds).

def window(remaining: str | None, reset: str | None) -> dict[str, str]:
    headers = {"x-rate-limit-limit": "100"}
    if remaining is not None:
        headers["x-rate-limit-remaining"] = remaining
    if reset is not None:
        headers["x-rate-limit-reset"] = reset
    return headers


def test_a_success_with_no_request_left_holds_the_channel_until_the_reset(mock, oauth1, post):
    reset = datetime(2026, 11, 23, 14, 42, 7, tzinfo=timezone.utc)
    mock.post(TWEETS, status=201, json=CREATED, headers=window("0", str(int(reset.timestamp()))))

    published = oauth1.publish(post, NOW)

    assert published.remote_id == "1445880548472328192"
    assert published.hold_channel_until == reset
    assert published.hold_channel_until.tzinfo is not None
    assert published.hold_reason == "X rate limit: 0 requests left until 2026-11-23T14:42:07Z"


@pytest.mark.parametrize("remaining, reset", [
    ("1", str(int((NOW + timedelta(minutes=10)).timestamp()))),  # requests left
    (None, str(int((NOW + timedelta(minutes=10)).timestamp()))),  # no remaining header
    ("0", None),  # no reset header
    ("none", str(int((NOW + timedelta(minutes=10)).timestamp()))),  # garbled
    ("-1", str(int((NOW + timedelta(minutes=10)).timestamp()))),
    ("0", "soon"),
    ("0", "1e400"),
    ("0", str(int((NOW - timedelta(minutes=1)).timestamp()))),  # a reset already past
], ids=["left", "no-remaining", "no-reset", "garbled-remaining", "negative", "garbled-reset", "overflow", "past"])
def test_a_success_holds_nothing_unless_the_headers_say_the_window_is_spent(mock, oauth1, post, remaining, reset):
    mock.post(TWEETS, status=201, json=CREATED, headers=window(remaining, reset))

    published = oauth1.publish(post, NOW)

    assert published.remote_id == "1445880548472328192"
    assert (published.hold_channel_until, published.hold_reason) == (None, None)


def test_a_reset_more_than_a_day_ahead_is_capped_at_a_day(mock, oauth2, post):
    reset = NOW + timedelta(days=30)
    mock.post(TWEETS, status=201, json=CREATED, headers=window("0", str(int(reset.timestamp()))))

    published = oauth2.publish(post, NOW)

    assert published.hold_channel_until == NOW + timedelta(hours=24)
    assert published.hold_reason == ("X rate limit: 0 requests left until 2026-12-23T14:30:00Z "
                                     "(more than 24 h ahead: holding until 2026-11-24T14:30:00Z)")
