"""ThreadsPublisher against a mocked Threads API: a TEXT container, then threads_publish, with the same
stored-container safety as Instagram."""

from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import parse_qs

import pytest
import requests

from scheduler.errors import NeedsAttention, RetryAt
from scheduler.publishers import publisher_class
from scheduler.publishers.threads import ThreadsPublisher

USER = "25000000000000001"
TOKEN = "THQWJ-S3CRET-threads-token-1a2b"
API = "https://graph.threads.net/v1.0"
NOW = datetime(2026, 11, 23, 14, 30, tzinfo=timezone.utc)
TEXT = "Massage can ease sciatica #sciatica"


@pytest.fixture
def saved():
    return []


@pytest.fixture
def publisher(settings_with, saved):
    publisher = ThreadsPublisher("threads", settings_with(THREADS_USER_ID=USER, THREADS_ACCESS_TOKEN=TOKEN),
                                 requests.Session())
    publisher.checkpoint = saved.append
    return publisher


def form(call):
    return parse_qs(call.request.body, keep_blank_values=True)


def test_registered_and_resend_safe():
    assert publisher_class("threads") is ThreadsPublisher and ThreadsPublisher.resend_is_safe is True


def test_text_container_then_publish(mock, publisher, make_post, saved):
    mock.post(f"{API}/{USER}/threads", json={"id": "c-1"})
    mock.get(f"{API}/c-1", json={"status": "FINISHED", "id": "c-1"})
    mock.post(f"{API}/{USER}/threads_publish", json={"id": "t-1"})
    mock.get(f"{API}/t-1", json={"permalink": "https://www.threads.net/@clinic/post/XYZ", "id": "t-1"})

    published = publisher.publish(make_post(TEXT, channel="threads"), NOW)

    assert (published.remote_id, published.remote_url) == ("t-1", "https://www.threads.net/@clinic/post/XYZ")
    assert form(mock.calls[0]) == {"media_type": ["TEXT"], "text": [TEXT], "access_token": [TOKEN]}
    assert mock.calls[1].request.url == f"{API}/c-1?fields=status"
    assert form(mock.calls[2]) == {"creation_id": ["c-1"], "access_token": [TOKEN]}
    assert all(TOKEN not in call.request.url for call in mock.calls)
    assert saved[0] == {"container_id": "c-1"}


def test_a_retry_reuses_the_stored_container(mock, publisher, make_post):
    mock.get(f"{API}/c-7", json={"status": "FINISHED"})
    mock.post(f"{API}/{USER}/threads_publish", json={"id": "t-7"})
    mock.get(f"{API}/t-7", json={"permalink": "https://www.threads.net/@clinic/post/7"})

    post = make_post(TEXT, channel="threads", attempts=1, progress={"container_id": "c-7"})

    assert publisher.publish(post, NOW).remote_id == "t-7"
    assert len(mock.calls) == 3  # no second container


def test_a_published_container_is_found_in_the_account_threads(mock, publisher, make_post):
    mock.get(f"{API}/c-7", json={"status": "PUBLISHED"})
    mock.get(f"{API}/{USER}/threads", json={"data": [{"id": "t-7", "text": TEXT, "permalink": "https://t/7"}]})

    post = make_post(TEXT, channel="threads", recovered=True, progress={"container_id": "c-7"})

    assert publisher.publish(post, NOW).remote_id == "t-7"


@pytest.mark.parametrize("code, kind", [(4, RetryAt), (613, RetryAt), (190, NeedsAttention), (10, NeedsAttention)])
def test_meta_errors(mock, publisher, make_post, code, kind):
    mock.post(f"{API}/{USER}/threads", status=400,
              json={"error": {"message": f"nope {TOKEN}", "type": "OAuthException", "code": code}})

    with pytest.raises(kind) as raised:
        publisher.publish(make_post(TEXT, channel="threads"), NOW)
    assert TOKEN not in raised.value.reason and "Threads" in raised.value.reason


def test_verify(mock, publisher):
    mock.get(f"{API}/{USER}", json={"id": USER, "username": "clinic"})
    assert publisher.verify(NOW) == "@clinic"


# -- verify (channels --check): GET /{user-id}?fields=username, the token in a header, never the URL

def test_verify_reads_the_username_with_the_token_in_the_authorization_header(mock, publisher):
    mock.get(f"{API}/{USER}", json={"id": USER, "username": "riverside_clinic"})

    assert publisher.verify(NOW) == "@riverside_clinic"

    (call,) = mock.calls
    assert call.request.method == "GET" and call.request.url == f"{API}/{USER}?fields=username"
    assert call.request.headers["Authorization"] == f"Bearer {TOKEN}" and TOKEN not in call.request.url


def test_verify_with_an_expired_token_needs_attention_without_it(mock, publisher):
    mock.get(f"{API}/{USER}", status=401, json={"error": {"message": f"Session has expired {TOKEN}",
                                                          "type": "OAuthException", "code": 190}})

    with pytest.raises(NeedsAttention) as caught:
        publisher.verify(NOW)
    assert TOKEN not in str(caught.value)
