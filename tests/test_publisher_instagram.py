"""InstagramPublisher against a mocked Graph API: the two requests (container, media_publish) exactly,
the container saved before publishing and reused on a retry, and what each Graph error means."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs

import pytest
import requests

from scheduler.errors import NeedsAttention, Rejected, RetryAt, RetryNow, UnknownOutcome
from scheduler.publishers import publisher_class
from scheduler.publishers.instagram import InstagramPublisher
from scheduler.store import Post

USER = "17841400000000001"
TOKEN = "IGQVJ-S3CRET-instagram-token-9f8e"
GRAPH = "https://graph.facebook.com/v26.0"
IMAGE = "https://clinic.example/img/sciatica.jpg"
NOW = datetime(2026, 11, 23, 14, 30, tzinfo=timezone.utc)
CAPTION = "Massage can ease sciatica #sciatica"


def make(progress=None, payload=None, **fields) -> Post:
    values = dict(id=3, channel="instagram", platform="instagram", status="publishing", scheduled_at=NOW,
                  local_time=NOW.isoformat(), zone="UTC", text=CAPTION,
                  payload={"caption": CAPTION, "image_url": IMAGE} if payload is None else payload,
                  length=len(CAPTION), limit=2200, idempotency_key="k" * 32, attempts=0, due_at=NOW,
                  progress=progress or {})
    values.update(fields)
    return Post(**values)


@pytest.fixture
def saved():
    return []


@pytest.fixture
def publisher(settings_with, saved):
    publisher = InstagramPublisher("instagram", settings_with(INSTAGRAM_USER_ID=USER, INSTAGRAM_ACCESS_TOKEN=TOKEN),
                                   requests.Session())
    publisher.checkpoint = saved.append
    return publisher


def form(call) -> dict[str, list[str]]:
    return parse_qs(call.request.body, keep_blank_values=True)


def graph_error(code, message="error", subcode=None):
    error = {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "Trace"}
    if subcode:
        error["error_subcode"] = subcode
    return {"error": error}


def status(mock, container, state):
    mock.get(f"{GRAPH}/{container}", json={"status_code": state, "id": container})


def test_registered_and_resend_safe_through_the_stored_container():
    assert publisher_class("instagram") is InstagramPublisher
    assert InstagramPublisher.resend_is_safe is True


def test_creates_a_container_saves_it_then_publishes_it(mock, publisher, saved):
    mock.post(f"{GRAPH}/{USER}/media", json={"id": "c-1"})
    status(mock, "c-1", "FINISHED")
    mock.post(f"{GRAPH}/{USER}/media_publish", json={"id": "m-1"})
    mock.get(f"{GRAPH}/m-1", json={"permalink": "https://www.instagram.com/p/ABC/", "id": "m-1"})

    published = publisher.publish(make(), NOW)

    assert (published.remote_id, published.remote_url) == ("m-1", "https://www.instagram.com/p/ABC/")
    assert form(mock.calls[0]) == {"image_url": [IMAGE], "caption": [CAPTION], "access_token": [TOKEN]}
    assert form(mock.calls[2]) == {"creation_id": ["c-1"], "access_token": [TOKEN]}
    assert mock.calls[1].request.url == f"{GRAPH}/c-1?fields=status_code"
    assert mock.calls[1].request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert all(TOKEN not in call.request.url for call in mock.calls)
    assert saved == [{"container_id": "c-1"}, {"container_id": "c-1", "media_id": "m-1"}]


def test_a_post_without_an_image_is_rejected_before_any_request(mock, publisher):
    with pytest.raises(Rejected, match="needs an image"):
        publisher.publish(make(payload={"caption": CAPTION}), NOW)


def test_a_retry_publishes_the_stored_container_instead_of_creating_one(mock, publisher):
    status(mock, "c-9", "FINISHED")
    mock.post(f"{GRAPH}/{USER}/media_publish", json={"id": "m-9"})
    mock.get(f"{GRAPH}/m-9", status=500)  # the permalink is optional

    published = publisher.publish(make(progress={"container_id": "c-9"}, attempts=1), NOW)

    assert (published.remote_id, published.remote_url) == ("m-9", None)
    assert form(mock.calls[1])["creation_id"] == ["c-9"]


def test_a_stored_container_already_published_is_found_not_published_again(mock, publisher):
    status(mock, "c-9", "PUBLISHED")
    mock.get(f"{GRAPH}/{USER}/media", json={"data": [{"id": "m-0", "caption": "older"},
                                                      {"id": "m-9", "caption": CAPTION, "permalink": "https://i/p/9"}]})

    published = publisher.publish(make(progress={"container_id": "c-9"}, recovered=True), NOW)

    assert (published.remote_id, published.remote_url) == ("m-9", "https://i/p/9")


def test_an_expired_stored_container_is_replaced(mock, publisher, saved):
    status(mock, "c-old", "EXPIRED")
    mock.post(f"{GRAPH}/{USER}/media", json={"id": "c-new"})
    status(mock, "c-new", "FINISHED")
    mock.post(f"{GRAPH}/{USER}/media_publish", json={"id": "m-2"})
    mock.get(f"{GRAPH}/m-2", json={"permalink": "https://www.instagram.com/p/2/"})

    assert publisher.publish(make(progress={"container_id": "c-old"}), NOW).remote_id == "m-2"
    assert saved[:2] == [{}, {"container_id": "c-new"}]


def test_a_container_in_progress_is_tried_again_soon_without_waiting(mock, publisher):
    mock.post(f"{GRAPH}/{USER}/media", json={"id": "c-1"})
    status(mock, "c-1", "IN_PROGRESS")

    with pytest.raises(RetryAt) as raised:
        publisher.publish(make(), NOW)
    assert NOW < raised.value.at <= NOW + timedelta(minutes=5)


@pytest.mark.parametrize("code, subcode, kind", [
    (4, None, RetryAt), (17, None, RetryAt), (32, None, RetryAt), (613, None, RetryAt),
    (190, None, NeedsAttention), (10, None, NeedsAttention), (200, None, NeedsAttention),
    (9007, 2207027, RetryAt), (36000, 2207004, Rejected), (9, 2207042, RetryAt), (4, 2207051, NeedsAttention),
    (-1, 2207001, RetryNow), (2, None, RetryNow), (100, None, Rejected),
])
def test_graph_errors_are_classified_by_code(mock, publisher, code, subcode, kind):
    mock.post(f"{GRAPH}/{USER}/media", status=400 if code not in (4, 17, 32) else 403,
              json=graph_error(code, f"failed for {TOKEN}", subcode))

    with pytest.raises(kind) as raised:
        publisher.publish(make(), NOW)
    assert TOKEN not in raised.value.reason


def test_media_not_ready_at_publish_keeps_the_container(mock, publisher, saved):
    mock.post(f"{GRAPH}/{USER}/media", json={"id": "c-1"})
    status(mock, "c-1", "FINISHED")
    mock.post(f"{GRAPH}/{USER}/media_publish", status=400, json=graph_error(9007, "not ready", 2207027))

    with pytest.raises(RetryAt) as raised:
        publisher.publish(make(), NOW)
    assert raised.value.at - NOW <= timedelta(minutes=1)
    assert saved == [{"container_id": "c-1"}]


def test_a_server_error_at_publish_is_an_unknown_outcome_the_retry_resolves(mock, publisher):
    mock.post(f"{GRAPH}/{USER}/media", json={"id": "c-1"})
    status(mock, "c-1", "FINISHED")
    mock.post(f"{GRAPH}/{USER}/media_publish", status=502, body="Bad Gateway")

    with pytest.raises(UnknownOutcome):
        publisher.publish(make(), NOW)


def test_verify_reads_the_username_with_the_token_in_a_header(mock, publisher):
    mock.get(f"{GRAPH}/{USER}", json={"id": USER, "username": "riverside_clinic"})

    assert publisher.verify(NOW) == "@riverside_clinic"
    assert mock.calls[0].request.url == f"{GRAPH}/{USER}?fields=username"
    assert mock.calls[0].request.headers["Authorization"] == f"Bearer {TOKEN}"


# -- verify (channels --check): GET /{user-id}?fields=username, the token in a header, never the URL

def test_verify_reads_the_username_with_the_token_in_the_authorization_header(mock, publisher):
    mock.get(f"{GRAPH}/{USER}", json={"id": USER, "username": "riverside_clinic"})

    assert publisher.verify(NOW) == "@riverside_clinic"

    (call,) = mock.calls
    assert call.request.method == "GET" and call.request.url == f"{GRAPH}/{USER}?fields=username"
    assert call.request.headers["Authorization"] == f"Bearer {TOKEN}" and TOKEN not in call.request.url


def test_verify_with_an_invalid_token_needs_attention_without_it(mock, publisher):
    mock.get(f"{GRAPH}/{USER}", status=400, json=graph_error(190, f"Invalid OAuth access token {TOKEN}"))

    with pytest.raises(NeedsAttention) as caught:
        publisher.verify(NOW)
    assert TOKEN not in str(caught.value)
