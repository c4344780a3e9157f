"""BlueskyPublisher against a mocked PDS: one session per publisher, the exact record, facets at UTF-8
byte offsets, token refresh, rate limits, and the getRecord check that keeps a retry from posting twice."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses

from scheduler.errors import ConfigError, NeedsAttention, PublishError, Rejected, RetryAt, RetryNow, UnknownOutcome
from scheduler.publishers import publisher_class
from scheduler.publishers.bluesky import BlueskyPublisher, record_key

from helpers import assert_no_secret

PDS = "https://pds.example"
XRPC = f"{PDS}/xrpc"
CREATE_SESSION = f"{XRPC}/com.atproto.server.createSession"
REFRESH_SESSION = f"{XRPC}/com.atproto.server.refreshSession"
CREATE_RECORD = f"{XRPC}/com.atproto.repo.createRecord"
GET_RECORD = f"{XRPC}/com.atproto.repo.getRecord"
HANDLE = "clinic.example"
PASSWORD = "app-pass-S3CRET-xyzw"
DID = "did:plc:abcdefghijklmnopqrstuvwx"
NOW = datetime(2026, 11, 23, 14, 30, 5, 123456, tzinfo=timezone.utc)
CREATED_AT = "2026-11-23T14:30:05.123Z"
TEXT = "Héllo 🚀 massage helps #sciatica and #backpain https://example.com/x"
TID = re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")


def session_body(access: str = "access-1", refresh: str = "refresh-1") -> dict:
    return {"did": DID, "handle": HANDLE, "accessJwt": access, "refreshJwt": refresh, "active": True}


def created(request):
    rkey = json.loads(request.body)["rkey"]
    return 200, {}, json.dumps({"uri": f"at://{DID}/app.bsky.feed.post/{rkey}", "cid": "bafyreiexample"})


@pytest.fixture
def publisher(settings_with):
    settings = settings_with(BLUESKY_PDS_URL=PDS + "/", BLUESKY_HANDLE=HANDLE, BLUESKY_APP_PASSWORD=PASSWORD)
    return BlueskyPublisher("bluesky", settings, requests.Session())


@pytest.fixture
def post(make_post):
    return make_post(TEXT, channel="bluesky", id=11)


def calls_to(mock, url: str) -> list:
    return [call for call in mock.calls if call.request.url.split("?")[0] == url]


def body_of(call) -> dict:
    return json.loads(call.request.body)


def test_registered_under_its_platform_name():
    assert publisher_class("bluesky") is BlueskyPublisher


def test_logs_in_once_per_publisher_never_per_post(mock, publisher, make_post):
    mock.post(CREATE_SESSION, json=session_body())
    mock.add_callback(responses.POST, CREATE_RECORD, callback=created)
    first, second = make_post("First #sciatica", channel="bluesky", id=1), make_post("Second #sciatica", channel="bluesky", id=2)

    one = publisher.publish(first, NOW)
    two = publisher.publish(second, NOW)

    assert len(calls_to(mock, CREATE_SESSION)) == 1
    assert body_of(calls_to(mock, CREATE_SESSION)[0]) == {"identifier": HANDLE, "password": PASSWORD}
    records = calls_to(mock, CREATE_RECORD)
    assert [body_of(call)["record"]["text"] for call in records] == ["First #sciatica", "Second #sciatica"]
    assert all(call.request.headers["Authorization"] == "Bearer access-1" for call in records)
    assert one.remote_id == f"at://{DID}/app.bsky.feed.post/{record_key(first)}"
    assert one.remote_url == f"https://bsky.app/profile/{HANDLE}/post/{record_key(first)}"
    assert two.remote_id == f"at://{DID}/app.bsky.feed.post/{record_key(second)}"


def test_create_record_body_is_exact_with_facets_at_utf8_byte_offsets(mock, publisher, post):
    mock.post(CREATE_SESSION, json=session_body())
    mock.add_callback(responses.POST, CREATE_RECORD, callback=created)

    publisher.publish(post, NOW)

    (call,) = calls_to(mock, CREATE_RECORD)
    assert call.request.headers["Content-Type"] == "application/json"
    body = body_of(call)
    # "Héllo " is 7 bytes and the rocket 4, so '#sciatica' starts at byte 26 although it is character 23.
    assert body == {
        "repo": DID,
        "collection": "app.bsky.feed.post",
        "rkey": record_key(post),
        "record": {
            "$type": "app.bsky.feed.post",
            "text": TEXT,
            "createdAt": CREATED_AT,
            "facets": [
                {"index": {"byteStart": 26, "byteEnd": 35},
                 "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "sciatica"}]},
                {"index": {"byteStart": 40, "byteEnd": 49},
                 "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "backpain"}]},
                {"index": {"byteStart": 50, "byteEnd": 71},
                 "features": [{"$type": "app.bsky.richtext.facet#link", "uri": "https://example.com/x"}]},
            ],
        },
    }
    assert_facets_cover_their_text(body["record"])


def assert_facets_cover_their_text(record: dict) -> None:
    data = record["text"].encode("utf-8")
    assert record["facets"], "no facets"
    for facet in record["facets"]:
        covered = data[facet["index"]["byteStart"]:facet["index"]["byteEnd"]].decode("utf-8")
        (feature,) = facet["features"]
        if feature["$type"] == "app.bsky.richtext.facet#tag":
            assert covered == "#" + feature["tag"]
        else:
            assert feature["$type"] == "app.bsky.richtext.facet#link"
            assert covered == feature["uri"]


def test_a_payload_without_facets_still_gets_its_tags_linked(mock, publisher, post):
    mock.post(CREATE_SESSION, json=session_body())
    mock.add_callback(responses.POST, CREATE_RECORD, callback=created)
    bare = replace(post, payload={"text": TEXT})

    publisher.publish(bare, NOW)

    record = body_of(calls_to(mock, CREATE_RECORD)[0])["record"]
    assert [f["features"][0].get("tag") or f["features"][0]["uri"] for f in record["facets"]] == [
        "sciatica", "backpain", "https://example.com/x"]
    assert_facets_cover_their_text(record)


def test_text_without_tags_or_links_sends_no_facets(mock, publisher, make_post):
    mock.post(CREATE_SESSION, json=session_body())
    mock.add_callback(responses.POST, CREATE_RECORD, callback=created)

    publisher.publish(make_post("Plain words only", channel="bluesky"), NOW)

    assert "facets" not in body_of(calls_to(mock, CREATE_RECORD)[0])["record"]


def test_expired_token_is_refreshed_with_the_refresh_jwt_then_the_record_is_created_once(mock, publisher, post):
    mock.post(CREATE_SESSION, json=session_body("access-1", "refresh-1"))
    mock.post(CREATE_RECORD, status=400, json={"error": "ExpiredToken", "message": "Token has expired"})
    mock.post(REFRESH_SESSION, json=session_body("access-2", "refresh-2"))
    mock.add_callback(responses.POST, CREATE_RECORD, callback=created)

    published = publisher.publish(post, NOW)

    assert published.remote_id == f"at://{DID}/app.bsky.feed.post/{record_key(post)}"
    assert [call.request.url for call in mock.calls] == [CREATE_SESSION, CREATE_RECORD, REFRESH_SESSION, CREATE_RECORD]
    refresh, retried = mock.calls[2].request, mock.calls[3].request
    assert refresh.headers["Authorization"] == "Bearer refresh-1"
    assert retried.headers["Authorization"] == "Bearer access-2"
    assert json.loads(retried.body) == json.loads(mock.calls[1].request.body)  # the same record, same rkey


def test_the_refreshed_session_serves_the_next_post(mock, publisher, post, make_post):
    mock.post(CREATE_SESSION, json=session_body("access-1", "refresh-1"))
    mock.post(CREATE_RECORD, status=400, json={"error": "ExpiredToken", "message": "Token has expired"})
    mock.post(REFRESH_SESSION, json=session_body("access-2", "refresh-2"))
    mock.add_callback(responses.POST, CREATE_RECORD, callback=created)

    publisher.publish(post, NOW)
    publisher.publish(make_post("Next #sciatica", channel="bluesky", id=12), NOW)

    assert len(calls_to(mock, CREATE_SESSION)) == 1
    assert calls_to(mock, CREATE_RECORD)[-1].request.headers["Authorization"] == "Bearer access-2"


def test_an_expired_refresh_token_logs_in_again_once(mock, publisher, post):
    mock.post(CREATE_SESSION, json=session_body("access-1", "refresh-1"))
    mock.post(CREATE_RECORD, status=400, json={"error": "ExpiredToken", "message": "Token has expired"})
    mock.post(REFRESH_SESSION, status=400, json={"error": "ExpiredToken", "message": "Token has expired"})
    mock.post(CREATE_SESSION, json=session_body("access-3", "refresh-3"))
    mock.add_callback(responses.POST, CREATE_RECORD, callback=created)

    publisher.publish(post, NOW)

    assert [call.request.url for call in mock.calls] == [
        CREATE_SESSION, CREATE_RECORD, REFRESH_SESSION, CREATE_SESSION, CREATE_RECORD]
    assert mock.calls[-1].request.headers["Authorization"] == "Bearer access-3"


def test_a_token_still_expired_after_refresh_needs_attention_not_a_loop(mock, publisher, post):
    mock.post(CREATE_SESSION, json=session_body())
    mock.post(CREATE_RECORD, status=400, json={"error": "ExpiredToken", "message": "Token has expired"})
    mock.post(REFRESH_SESSION, json=session_body("access-2", "refresh-2"))

    with pytest.raises(NeedsAttention):
        publisher.publish(post, NOW)

    assert len(calls_to(mock, CREATE_RECORD)) == 2


def test_429_retries_at_the_ratelimit_reset_epoch(mock, publisher, post):
    reset = datetime(2026, 11, 23, 14, 45, tzinfo=timezone.utc)
    mock.post(CREATE_SESSION, json=session_body())
    mock.post(CREATE_RECORD, status=429, json={"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
              headers={"RateLimit-Limit": "1666", "RateLimit-Remaining": "0", "RateLimit-Reset": str(int(reset.timestamp()))})

    with pytest.raises(RetryAt) as caught:
        publisher.publish(post, NOW)

    assert caught.value.at == reset
    assert caught.value.status == 429


def test_429_on_login_also_retries_at_the_reset(mock, publisher, post):
    reset = datetime(2026, 11, 23, 15, 0, tzinfo=timezone.utc)
    mock.post(CREATE_SESSION, status=429, json={"error": "RateLimitExceeded"},
              headers={"ratelimit-reset": str(int(reset.timestamp()))})

    with pytest.raises(RetryAt) as caught:
        publisher.publish(post, NOW)

    assert caught.value.at == reset


def test_429_without_a_reset_header_waits_five_minutes(mock, publisher, post):
    mock.post(CREATE_SESSION, json=session_body())
    mock.post(CREATE_RECORD, status=429, json={"error": "RateLimitExceeded"})

    with pytest.raises(RetryAt) as caught:
        publisher.publish(post, NOW)

    assert caught.value.at == NOW + timedelta(minutes=5)


def test_a_reset_already_past_never_asks_to_retry_in_the_past(mock, publisher, post):
    mock.post(CREATE_SESSION, json=session_body())
    mock.post(CREATE_RECORD, status=429, headers={"RateLimit-Reset": str(int(NOW.timestamp()) - 60)})

    with pytest.raises(RetryAt) as caught:
        publisher.publish(post, NOW)

    assert caught.value.at == NOW + timedelta(seconds=30)


def test_401_on_login_needs_attention(mock, publisher, post):
    mock.post(CREATE_SESSION, status=401, json={"error": "AuthenticationRequired", "message": "Invalid identifier or password"})

    with pytest.raises(NeedsAttention) as caught:
        publisher.publish(post, NOW)

    assert "Invalid identifier or password" in caught.value.reason
    assert calls_to(mock, CREATE_RECORD) == []


def test_a_login_answered_without_a_session_needs_attention(mock, publisher, post):
    mock.post(CREATE_SESSION, status=200, body="<html>not a PDS</html>", content_type="text/html")

    with pytest.raises(NeedsAttention):
        publisher.publish(post, NOW)


@pytest.mark.parametrize("code", [500, 502, 503])
def test_server_errors_retry_now(mock, publisher, post, code):
    mock.post(CREATE_SESSION, json=session_body())
    mock.post(CREATE_RECORD, status=code, json={"error": "InternalServerError", "message": "Internal Server Error"})

    with pytest.raises(RetryNow) as caught:
        publisher.publish(post, NOW)

    assert caught.value.status == code


def test_an_invalid_record_is_rejected(mock, publisher, post):
    mock.post(CREATE_SESSION, json=session_body())
    mock.post(CREATE_RECORD, status=400, json={"error": "InvalidRequest", "message": "Invalid app.bsky.feed.post record"})

    with pytest.raises(Rejected) as caught:
        publisher.publish(post, NOW)

    assert "Invalid app.bsky.feed.post record" in caught.value.reason


def test_ok_without_a_record_uri_is_an_unknown_outcome(mock, publisher, post):
    mock.post(CREATE_SESSION, json=session_body())
    mock.post(CREATE_RECORD, status=200, body="ok")

    with pytest.raises(UnknownOutcome):
        publisher.publish(post, NOW)


def test_read_timeout_on_create_is_an_unknown_outcome(mock, publisher, post):
    mock.post(CREATE_SESSION, json=session_body())
    mock.post(CREATE_RECORD, body=requests.ReadTimeout("read timed out"))

    with pytest.raises(UnknownOutcome):
        publisher.publish(post, NOW)


def get_record_query(call) -> dict[str, list[str]]:
    return parse_qs(urlsplit(call.request.url).query)


def test_a_retried_post_that_already_landed_is_found_not_created_again(mock, publisher, post):
    retried = replace(post, attempts=1)
    rkey = record_key(retried)
    uri = f"at://{DID}/app.bsky.feed.post/{rkey}"
    mock.post(CREATE_SESSION, json=session_body())
    mock.get(GET_RECORD, json={"uri": uri, "cid": "bafyreiexample", "value": {"text": TEXT}})

    published = publisher.publish(retried, NOW)

    assert published.remote_id == uri
    assert published.remote_url == f"https://bsky.app/profile/{HANDLE}/post/{rkey}"
    assert calls_to(mock, CREATE_RECORD) == []
    (call,) = calls_to(mock, GET_RECORD)
    assert get_record_query(call) == {"repo": [DID], "collection": ["app.bsky.feed.post"], "rkey": [rkey]}


def test_a_retried_post_that_did_not_land_is_created_with_the_same_rkey(mock, publisher, post):
    retried = replace(post, attempts=2)
    mock.post(CREATE_SESSION, json=session_body())
    mock.get(GET_RECORD, status=400, json={"error": "RecordNotFound", "message": "Could not locate record"})
    mock.add_callback(responses.POST, CREATE_RECORD, callback=created)

    publisher.publish(retried, NOW)

    assert [call.request.url.split("?")[0] for call in mock.calls] == [CREATE_SESSION, GET_RECORD, CREATE_RECORD]
    assert body_of(calls_to(mock, CREATE_RECORD)[0])["rkey"] == record_key(post)


def test_a_recovered_post_is_checked_before_it_is_sent(mock, publisher, post):
    recovered = replace(post, recovered=True)  # attempts still 0: its lease expired mid-request
    mock.post(CREATE_SESSION, json=session_body())
    mock.get(GET_RECORD, json={"uri": f"at://{DID}/app.bsky.feed.post/{record_key(post)}", "cid": "x", "value": {}})

    publisher.publish(recovered, NOW)

    assert calls_to(mock, CREATE_RECORD) == []


def test_a_first_attempt_does_not_spend_a_request_on_get_record(mock, publisher, post):
    mock.post(CREATE_SESSION, json=session_body())
    mock.add_callback(responses.POST, CREATE_RECORD, callback=created)

    publisher.publish(post, NOW)

    assert calls_to(mock, GET_RECORD) == []


def test_get_record_failing_is_classified_not_ignored(mock, publisher, post):
    mock.post(CREATE_SESSION, json=session_body())
    mock.get(GET_RECORD, status=502, body="bad gateway")

    with pytest.raises(RetryNow):
        publisher.publish(replace(post, attempts=1), NOW)

    assert calls_to(mock, CREATE_RECORD) == []


def test_record_key_is_a_valid_tid(make_post):
    for post_id, when in [(1, datetime(2026, 11, 23, 14, 30, tzinfo=timezone.utc)),
                          (999_999, datetime(2030, 1, 1, tzinfo=timezone.utc)),
                          (123_456_789, datetime(2026, 11, 23, 14, 30, 59, 999999, tzinfo=timezone.utc))]:
        key = record_key(make_post(channel="bluesky", id=post_id, scheduled_at=when))
        assert TID.match(key), key


def test_record_key_is_stable_for_the_same_post(make_post, post):
    again = replace(post, attempts=3, status="retry", due_at=NOW + timedelta(hours=1), recovered=True)
    assert record_key(post) == record_key(again) == record_key(make_post(TEXT, channel="bluesky", id=11))


def test_record_keys_differ_between_posts(make_post):
    same_slot = datetime(2026, 11, 23, 14, 30, tzinfo=timezone.utc)
    keys = {record_key(make_post(f"Post {n} #sciatica", channel="bluesky", id=n, scheduled_at=same_slot))
            for n in range(1, 201)}
    keys |= {record_key(make_post("Post 1 #sciatica", channel="bluesky", id=1,
                                  scheduled_at=same_slot + timedelta(days=d))) for d in range(1, 8)}
    assert len(keys) == 207


def test_record_keys_sort_by_slot(make_post):
    # TIDs sort as time: a later slot gets a later key, as the post's place in the feed would.
    early = record_key(make_post(channel="bluesky", id=50, scheduled_at=datetime(2026, 11, 23, tzinfo=timezone.utc)))
    late = record_key(make_post(channel="bluesky", id=2, scheduled_at=datetime(2026, 11, 24, tzinfo=timezone.utc)))
    assert early < late


def test_named_channel_reads_its_own_variables(mock, settings_with, make_post):
    settings = settings_with(BLUESKY_HANDLE=HANDLE, BLUESKY_APP_PASSWORD=PASSWORD,
                             BLUESKY_CLINIC2_PDS_URL="https://other.example", BLUESKY_CLINIC2_HANDLE="two.example",
                             BLUESKY_CLINIC2_APP_PASSWORD="pw-two")
    mock.post("https://other.example/xrpc/com.atproto.server.createSession", json={**session_body(), "handle": "two.example"})
    mock.add_callback(responses.POST, "https://other.example/xrpc/com.atproto.repo.createRecord", callback=created)

    published = BlueskyPublisher("bluesky:clinic2", settings, requests.Session()).publish(
        make_post("Hi #sciatica", channel="bluesky:clinic2"), NOW)

    assert json.loads(mock.calls[0].request.body) == {"identifier": "two.example", "password": "pw-two"}
    assert published.remote_url.startswith("https://bsky.app/profile/two.example/post/")


def test_the_default_pds_is_bsky_social(settings_with):
    publisher = BlueskyPublisher("bluesky", settings_with(BLUESKY_HANDLE=HANDLE, BLUESKY_APP_PASSWORD=PASSWORD),
                                 requests.Session())
    assert publisher.pds == "https://bsky.social"


@pytest.mark.parametrize("present, missing", [
    ({"BLUESKY_HANDLE": HANDLE}, "BLUESKY_APP_PASSWORD"),
    ({"BLUESKY_APP_PASSWORD": PASSWORD}, "BLUESKY_HANDLE"),
])
def test_missing_credentials_are_a_config_error_naming_the_variable(settings_with, present, missing):
    with pytest.raises(ConfigError) as caught:
        BlueskyPublisher("bluesky", settings_with(**present), requests.Session())

    assert caught.value.where == missing
    assert PASSWORD not in str(caught.value)


FAILURES = [
    (CREATE_SESSION, dict(status=401, json={"error": "AuthenticationRequired", "message": "Invalid identifier or password"})),
    (CREATE_SESSION, dict(status=400, json={"error": "InvalidRequest", "message": "Error: identifier is required"})),
    (CREATE_SESSION, dict(status=200, body="not a session")),
    (CREATE_SESSION, dict(body=requests.ReadTimeout("read timed out"))),
    (CREATE_SESSION, dict(body=requests.ConnectionError("connection reset"))),
    (CREATE_RECORD, dict(status=429, headers={"RateLimit-Reset": "1795000000"})),
    (CREATE_RECORD, dict(status=500, json={"error": "InternalServerError"})),
    (CREATE_RECORD, dict(status=400, json={"error": "InvalidRequest", "message": "bad record"})),
    (CREATE_RECORD, dict(status=401, json={"error": "AuthMissing", "message": "Authentication Required"})),
]


@pytest.mark.parametrize("where, answer", FAILURES, ids=lambda v: v.rsplit(".", 1)[-1] if isinstance(v, str) else
                         str(v.get("status") or type(v["body"]).__name__))
def test_the_password_never_appears_in_an_error(mock, publisher, post, where, answer):
    if where == CREATE_RECORD:
        mock.post(CREATE_SESSION, json=session_body())
    mock.post(where, **answer)

    with pytest.raises(PublishError) as caught:
        publisher.publish(post, NOW)

    assert_no_secret(caught.value, PASSWORD, "access-1", "refresh-1")


# -- verify (channels --check): createSession only, no record written

def test_verify_creates_a_session_and_names_the_handle_and_did(mock, publisher):
    mock.post(CREATE_SESSION, json=session_body())

    assert publisher.verify(NOW) == f"@{HANDLE} ({DID})"

    (call,) = mock.calls
    assert call.request.url == CREATE_SESSION and body_of(call) == {"identifier": HANDLE, "password": PASSWORD}
    assert PASSWORD not in call.request.url


def test_verify_with_a_wrong_app_password_needs_attention(mock, publisher):
    mock.post(CREATE_SESSION, status=401, json={"error": "AuthenticationRequired", "message": "Invalid identifier or password"})

    with pytest.raises(NeedsAttention) as caught:
        publisher.verify(NOW)
    assert PASSWORD not in caught.value.reason


# --- A createRecord that spent the PDS's last write in the window holds the channel until ratelimit-reset (epoch).

def test_a_success_with_no_write_left_holds_the_channel_until_the_reset(mock, publisher, post):
    reset = datetime(2026, 11, 23, 15, 0, tzinfo=timezone.utc)
    mock.post(CREATE_SESSION, json=session_body())
    mock.add_callback(responses.POST, CREATE_RECORD, callback=lambda request: (
        created(request)[0], {"ratelimit-limit": "5000", "ratelimit-remaining": "0",
                              "ratelimit-reset": str(int(reset.timestamp())), "ratelimit-policy": "5000;w=3600"},
        created(request)[2]))

    published = publisher.publish(post, NOW)

    assert published.remote_id == f"at://{DID}/app.bsky.feed.post/{record_key(post)}"
    assert published.hold_channel_until == reset
    assert published.hold_reason == "Bluesky rate limit: 0 requests left until 2026-11-23T15:00:00Z"


@pytest.mark.parametrize("headers", [
    {"ratelimit-remaining": "4997", "ratelimit-reset": "1795448400"},
    {"ratelimit-reset": "1795448400"},
    {"ratelimit-remaining": "0"},
    {"ratelimit-remaining": "zero", "ratelimit-reset": "1795448400"},
    {"ratelimit-remaining": "0", "ratelimit-reset": "2026-11-23T15:00:00Z"},  # ISO, not epoch: garbled here
    {"ratelimit-remaining": "0", "ratelimit-reset": str(int(NOW.timestamp()) - 60)},  # already past
], ids=["left", "no-remaining", "no-reset", "garbled-remaining", "garbled-reset", "past"])
def test_a_success_holds_nothing_unless_the_headers_say_the_window_is_spent(mock, publisher, post, headers):
    mock.post(CREATE_SESSION, json=session_body())
    mock.add_callback(responses.POST, CREATE_RECORD,
                      callback=lambda request: (created(request)[0], headers, created(request)[2]))

    published = publisher.publish(post, NOW)

    assert published.remote_id == f"at://{DID}/app.bsky.feed.post/{record_key(post)}"
    assert (published.hold_channel_until, published.hold_reason) == (None, None)


def test_the_login_answer_never_holds_the_channel(mock, publisher, post):
    # createSession has its own, stricter limit; only the write's window paces posts.
    mock.post(CREATE_SESSION, json=session_body(), headers={"ratelimit-remaining": "0", "ratelimit-reset": "1795448400"})
    mock.add_callback(responses.POST, CREATE_RECORD, callback=created)

    assert publisher.publish(post, NOW).hold_channel_until is None
