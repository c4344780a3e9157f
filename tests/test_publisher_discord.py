"""DiscordPublisher against a mocked webhook: the exact request it sends, what each answer means,
and that the webhook's token (part of its URL) never reaches an error or a log line."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler

import pytest
import requests

from scheduler.errors import (ConfigError, NeedsAttention, PublishError, Rejected, RetryAt, RetryNow,
                              UnknownOutcome)
from scheduler.publishers import publisher_class
from scheduler.publishers.discord import DiscordPublisher

from helpers import answer_id, assert_no_secret, closed_port_url, send_json, serving

WEBHOOK_ID = "1300000000000000001"
TOKEN = "S3CRET-webhook-token_aBcD1234efGH5678"
WEBHOOK = f"https://discord.com/api/webhooks/{WEBHOOK_ID}/{TOKEN}"
EXECUTE = f"{WEBHOOK}?wait=true"
CHANNEL_ID = "1200000000000000002"
GUILD_ID = "1100000000000000003"
NOW = datetime(2026, 11, 23, 14, 30, tzinfo=timezone.utc)
TEXT = "Massage can ease sciatica — ask us how, @everyone! #sciatica"


@pytest.fixture
def publisher(settings_with):
    return DiscordPublisher("discord", settings_with(DISCORD_WEBHOOK_URL=WEBHOOK), requests.Session())


@pytest.fixture
def post(make_post):
    return make_post(TEXT, channel="discord", id=3)


def message(message_id: str = "1400000000000000004", **extra) -> dict:
    return {"id": message_id, "type": 0, "content": TEXT, "channel_id": CHANNEL_ID, "webhook_id": WEBHOOK_ID,
            "author": {"id": WEBHOOK_ID, "username": "Clinic", "bot": True}, "mentions": [], "mention_roles": [],
            "mention_everyone": False, "timestamp": "2026-11-23T14:30:00.000000+00:00", **extra}


def test_registered_under_its_platform_name():
    assert publisher_class("discord") is DiscordPublisher
    assert DiscordPublisher.resend_is_safe is False


def test_executes_the_webhook_with_wait_and_no_mentions(mock, publisher, post):
    mock.post(EXECUTE, status=200, json=message())

    published = publisher.publish(post, NOW)

    assert published.remote_id == "1400000000000000004"
    assert published.remote_url is None  # the answer names no server, and none is configured
    assert len(mock.calls) == 1
    request = mock.calls[0].request
    assert request.method == "POST"
    assert request.url == EXECUTE
    assert request.headers["Content-Type"] == "application/json"
    assert "Authorization" not in request.headers  # the webhook's token is its URL
    assert json.loads(request.body) == {"content": TEXT, "allowed_mentions": {"parse": []}}


def test_the_message_url_needs_the_server_id(mock, settings_with, post):
    mock.post(EXECUTE, status=200, json=message("77"))
    mock.post(EXECUTE, status=200, json=message("78", guild_id="555"))
    publisher = DiscordPublisher("discord", settings_with(DISCORD_WEBHOOK_URL=WEBHOOK, DISCORD_GUILD_ID=GUILD_ID),
                                 requests.Session())

    configured, answered = publisher.publish(post, NOW), publisher.publish(post, NOW)

    assert configured.remote_url == f"https://discord.com/channels/{GUILD_ID}/{CHANNEL_ID}/77"
    assert answered.remote_url == f"https://discord.com/channels/555/{CHANNEL_ID}/78"  # the answer wins


def test_a_webhook_url_with_a_thread_keeps_it(mock, settings_with, post):
    mock.post(f"{WEBHOOK}?thread_id=99&wait=true", status=200, json=message())

    DiscordPublisher("discord", settings_with(DISCORD_WEBHOOK_URL=f"{WEBHOOK}?thread_id=99"),
                     requests.Session()).publish(post, NOW)

    assert mock.calls[0].request.url == f"{WEBHOOK}?thread_id=99&wait=true"


def test_no_content_or_not_a_message_is_an_unknown_outcome(mock, publisher, post):
    mock.post(EXECUTE, status=204)
    mock.post(EXECUTE, status=200, body="<html>Just a moment…</html>", content_type="text/html")

    for _ in range(2):
        with pytest.raises(UnknownOutcome):
            publisher.publish(post, NOW)


def test_no_duplicate_detection_each_publish_sends_again(mock, publisher, post):
    # Discord posts the same content twice without complaint: nothing there can say "already posted".
    mock.post(EXECUTE, status=200, json=message("1"))
    mock.post(EXECUTE, status=200, json=message("2"))

    assert [publisher.publish(post, NOW).remote_id for _ in range(2)] == ["1", "2"]


def test_429_retries_at_exactly_the_bodys_retry_after(mock, publisher, post):
    mock.post(EXECUTE, status=429, json={"message": "You are being rate limited.", "retry_after": 1.337, "global": False},
              headers={"Retry-After": "2", "X-RateLimit-Scope": "shared"})

    with pytest.raises(RetryAt) as caught:
        publisher.publish(post, NOW)

    assert caught.value.at == NOW + timedelta(seconds=1.337)
    assert caught.value.status == 429


def test_a_global_rate_limit_says_so(mock, publisher, post):
    mock.post(EXECUTE, status=429, json={"message": "You are being rate limited.", "retry_after": 64.57, "global": True})

    with pytest.raises(RetryAt) as caught:
        publisher.publish(post, NOW)

    assert caught.value.at == NOW + timedelta(seconds=64.57)
    assert "globally" in caught.value.reason


def test_a_429_without_a_body_uses_the_retry_after_header_then_a_minute(mock, publisher, post):
    mock.post(EXECUTE, status=429, body="error code: 1015", headers={"Retry-After": "30"})  # Cloudflare's plain text
    mock.post(EXECUTE, status=429, body="")

    with pytest.raises(RetryAt) as header:
        publisher.publish(post, NOW)
    with pytest.raises(RetryAt) as fallback:
        publisher.publish(post, NOW)

    assert header.value.at == NOW + timedelta(seconds=30)
    assert fallback.value.at == NOW + timedelta(minutes=1)


def test_an_unknown_webhook_needs_attention_and_says_to_stop_using_it(mock, publisher, post):
    mock.post(EXECUTE, status=404, json={"message": "Unknown Webhook", "code": 10015})

    with pytest.raises(NeedsAttention) as caught:
        publisher.publish(post, NOW)

    assert caught.value.status == 404
    assert "webhook is gone" in caught.value.reason
    assert "stop using it" in caught.value.reason


@pytest.mark.parametrize("status, body", [
    (401, {"message": "Invalid Webhook Token", "code": 50027}),
    (403, {"message": "Missing Permissions", "code": 50013}),
])
def test_a_refused_webhook_needs_attention(mock, publisher, post, status, body):
    mock.post(EXECUTE, status=status, json=body)

    with pytest.raises(NeedsAttention) as caught:
        publisher.publish(post, NOW)

    assert caught.value.status == status
    assert body["message"] in caught.value.reason


def test_a_bad_message_is_rejected_with_discords_details(mock, publisher, post):
    mock.post(EXECUTE, status=400, json={"message": "Invalid Form Body", "code": 50035, "errors": {"content": {
        "_errors": [{"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 2000 or fewer in length."}]}}})

    with pytest.raises(Rejected) as caught:
        publisher.publish(post, NOW)

    assert caught.value.status == 400
    assert "Must be 2000 or fewer in length." in caught.value.reason


@pytest.mark.parametrize("code", [500, 502, 503, 504])
def test_server_errors_are_unknown_outcomes_because_discord_may_have_posted(mock, publisher, post, code):
    mock.post(EXECUTE, status=code, body="<html>Bad Gateway</html>")

    with pytest.raises(UnknownOutcome) as caught:
        publisher.publish(post, NOW)

    assert caught.value.status == code


def test_connection_refused_retries_now_without_the_token(settings_with, post):
    url = f"{closed_port_url()}/api/webhooks/{WEBHOOK_ID}/{TOKEN}"  # nothing listens there
    publisher = DiscordPublisher("discord", settings_with(DISCORD_WEBHOOK_URL=url, SCHEDULER_HTTP_TIMEOUT="5"),
                                 requests.Session())

    with pytest.raises(RetryNow) as caught:
        publisher.publish(post, NOW)

    assert "could not connect to 127.0.0.1" in caught.value.reason
    assert_no_token(caught.value)


def test_named_channel_reads_its_own_variables(mock, settings_with, make_post):
    other = "https://discord.com/api/webhooks/2/clinic2-token"
    settings = settings_with(DISCORD_WEBHOOK_URL=WEBHOOK, DISCORD_CLINIC2_WEBHOOK_URL=other)
    mock.post(f"{other}?wait=true", status=200, json=message("5"))

    published = DiscordPublisher("discord:clinic2", settings, requests.Session()).publish(
        make_post(TEXT, channel="discord:clinic2", id=9), NOW)

    assert published.remote_id == "5"


@pytest.mark.parametrize("value", ["", "   ", "discord.com/api/webhooks/1/x", "ftp://discord.com/api/webhooks/1/x"])
def test_a_missing_or_odd_webhook_url_is_a_config_error_naming_the_variable(settings_with, value):
    with pytest.raises(ConfigError) as caught:
        DiscordPublisher("discord", settings_with(DISCORD_WEBHOOK_URL=value), requests.Session())

    assert caught.value.where == "DISCORD_WEBHOOK_URL"
    assert "/api/webhooks/1/x" not in str(caught.value)


def assert_no_token(error: BaseException) -> None:
    assert_no_secret(error, TOKEN)
    assert error.__cause__ is None and error.__context__ is None


FAILURES = [
    dict(status=400, json={"message": "Cannot send an empty message", "code": 50006}),
    dict(status=401, json={"message": "Invalid Webhook Token", "code": 50027}),
    dict(status=404, json={"message": "Unknown Webhook", "code": 10015}),
    dict(status=429, json={"message": "You are being rate limited.", "retry_after": 3.5, "global": False}),
    dict(status=500, body="oops"),
    dict(status=502, body=f"<html>502 Bad Gateway for POST /api/webhooks/{WEBHOOK_ID}/{TOKEN}?wait=true</html>"),
    dict(status=200, body=f"not json {WEBHOOK}"),
    dict(body=requests.ReadTimeout(f"Read timed out: /api/webhooks/{WEBHOOK_ID}/{TOKEN}")),
    dict(body=requests.ConnectTimeout(f"connect timed out: {WEBHOOK}")),
    dict(body=requests.ConnectionError(f"Max retries exceeded with url: /api/webhooks/{WEBHOOK_ID}/{TOKEN}?wait=true")),
    dict(body=requests.exceptions.ChunkedEncodingError("broken chunk")),
]


@pytest.mark.parametrize("answer", FAILURES, ids=answer_id)
def test_the_token_never_appears_in_an_error(mock, publisher, post, answer):
    mock.post(EXECUTE, **answer)

    with pytest.raises(PublishError) as caught:
        publisher.publish(post, NOW)

    assert_no_token(caught.value)


class _Webhook(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's name)
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        send_json(self, 200, message("9"))

    def log_message(self, *args):
        pass


def test_the_token_never_reaches_a_log_line_even_at_debug(settings_with, post, caplog):
    with serving(_Webhook) as base:
        url = f"{base}/api/webhooks/{WEBHOOK_ID}/{TOKEN}"
        publisher = DiscordPublisher("discord", settings_with(DISCORD_WEBHOOK_URL=url), requests.Session())
        caplog.set_level(logging.DEBUG)

        assert publisher.publish(post, NOW).remote_id == "9"

    assert any("wait=true" in record.getMessage() for record in caplog.records)  # urllib3's request line
    assert TOKEN not in caplog.text


# -- verify (channels --check): GET the webhook, never execute it

def test_verify_gets_the_webhook_and_names_it(mock, publisher):
    mock.get(WEBHOOK, json={"id": WEBHOOK_ID, "type": 1, "name": "Clinic news", "channel_id": CHANNEL_ID,
                            "guild_id": GUILD_ID})

    assert publisher.verify(NOW) == f"webhook Clinic news (channel {CHANNEL_ID})"

    (call,) = mock.calls
    assert call.request.method == "GET" and call.request.url == WEBHOOK and call.request.body is None


def test_verify_of_a_deleted_webhook_needs_attention_and_masks_the_token(mock, publisher):
    mock.get(WEBHOOK, status=404, json={"message": "Unknown Webhook", "code": 10015})

    with pytest.raises(NeedsAttention) as caught:
        publisher.verify(NOW)
    assert TOKEN not in str(caught.value) and caught.value.__context__ is None
