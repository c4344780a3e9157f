"""TelegramPublisher against a mocked Bot API: the exact request it sends, what each answer means,
and that the bot token (part of every URL) never reaches an error or a log line."""

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
from scheduler.publishers.telegram import TelegramPublisher

from helpers import answer_id, assert_no_secret, closed_port_url, send_json, serving

TOKEN = "7012345678:AAH-S3CRET_telegram-token_9f8e7d"
CHAT = "-1001234567890"
BASE = "https://api.telegram.org"
SEND = f"{BASE}/bot{TOKEN}/sendMessage"
NOW = datetime(2026, 11, 23, 14, 30, tzinfo=timezone.utc)
TEXT = "Massage can ease sciatica — ask us how. #sciatica https://clinic.example/sciatica"


@pytest.fixture
def publisher(settings_with):
    return TelegramPublisher("telegram", settings_with(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_CHAT_ID=CHAT), requests.Session())


@pytest.fixture
def post(make_post):
    return make_post(TEXT, channel="telegram", id=3)


def sent(message_id: int = 42, username: str | None = "clinicnews") -> dict:
    chat = {"id": int(CHAT), "type": "channel", "title": "Clinic news"}
    if username:
        chat["username"] = username
    return {"ok": True, "result": {"message_id": message_id, "chat": chat, "date": 1795444200, "text": TEXT}}


def error(code: int, description: str, **parameters) -> dict:
    body = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return body


def test_registered_under_its_platform_name():
    assert publisher_class("telegram") is TelegramPublisher
    assert TelegramPublisher.resend_is_safe is False  # no idempotency key: a recovered post is never resent blindly


def test_sends_one_plain_text_message_and_records_id_and_url(mock, publisher, post):
    mock.post(SEND, status=200, json=sent(42))

    published = publisher.publish(post, NOW)

    assert published.remote_id == "42"
    assert published.remote_url == "https://t.me/clinicnews/42"
    assert len(mock.calls) == 1
    request = mock.calls[0].request
    assert request.method == "POST"
    assert request.url == SEND
    assert request.headers["Content-Type"] == "application/json"
    assert "Authorization" not in request.headers
    # plain text (no parse_mode) and Telegram's default link previews (no link_preview_options)
    assert json.loads(request.body) == {"chat_id": int(CHAT), "text": TEXT}


def test_a_chat_without_a_username_has_no_public_url(mock, publisher, post):
    mock.post(SEND, status=200, json=sent(7, username=None))

    published = publisher.publish(post, NOW)

    assert (published.remote_id, published.remote_url) == ("7", None)


def test_a_channel_username_is_sent_as_is_and_the_base_url_is_configurable(mock, settings_with, post):
    local = "http://bot-api.internal:8081"
    settings = settings_with(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_CHAT_ID="@clinicnews", TELEGRAM_API_BASE_URL=local + "/")
    mock.post(f"{local}/bot{TOKEN}/sendMessage", status=200, json=sent(8))

    TelegramPublisher("telegram", settings, requests.Session()).publish(post, NOW)

    assert json.loads(mock.calls[0].request.body) == {"chat_id": "@clinicnews", "text": TEXT}


def test_ok_without_a_message_is_an_unknown_outcome(mock, publisher, post):
    mock.post(SEND, status=200, body="<html>captive portal</html>", content_type="text/html")

    with pytest.raises(UnknownOutcome):
        publisher.publish(post, NOW)


def test_no_duplicate_detection_each_publish_sends_again(mock, publisher, post):
    # Telegram accepts the same text twice: nothing on its side can say "already posted".
    mock.post(SEND, status=200, json=sent(1))
    mock.post(SEND, status=200, json=sent(2))

    first, second = publisher.publish(post, NOW), publisher.publish(post, NOW)

    assert (first.remote_id, second.remote_id) == ("1", "2")
    assert len(mock.calls) == 2


def test_flood_control_retries_at_exactly_retry_after(mock, publisher, post):
    mock.post(SEND, status=429, json=error(429, "Too Many Requests: retry after 37", retry_after=37))

    with pytest.raises(RetryAt) as caught:
        publisher.publish(post, NOW)

    assert caught.value.at == NOW + timedelta(seconds=37)
    assert caught.value.status == 429


def test_429_without_parameters_uses_the_retry_after_header_then_a_minute(mock, publisher, post):
    mock.post(SEND, status=429, body="Too Many Requests", headers={"Retry-After": "12"})
    mock.post(SEND, status=429, body="Too Many Requests")

    with pytest.raises(RetryAt) as header:
        publisher.publish(post, NOW)
    with pytest.raises(RetryAt) as fallback:
        publisher.publish(post, NOW)

    assert header.value.at == NOW + timedelta(seconds=12)
    assert fallback.value.at == NOW + timedelta(minutes=1)


@pytest.mark.parametrize("code, description", [
    (401, "Unauthorized"),
    (403, "Forbidden: bot was kicked from the channel chat"),
    (403, "Forbidden: bot is not a member of the channel chat"),
    (400, "Bad Request: chat not found"),
    (400, "Bad Request: need administrator rights in the channel chat"),
    (404, "Not Found"),
])
def test_credential_and_chat_problems_need_attention(mock, publisher, post, code, description):
    mock.post(SEND, status=code, json=error(code, description))

    with pytest.raises(NeedsAttention) as caught:
        publisher.publish(post, NOW)

    assert caught.value.status == code
    assert description in caught.value.reason


def test_a_group_upgraded_to_a_supergroup_names_the_new_chat_id(mock, publisher, post):
    mock.post(SEND, status=400, json=error(400, "Bad Request: group chat was upgraded to a supergroup chat",
                                           migrate_to_chat_id=-1009876543210))

    with pytest.raises(NeedsAttention) as caught:
        publisher.publish(post, NOW)

    assert "-1009876543210" in caught.value.reason


@pytest.mark.parametrize("description", ["Bad Request: message is too long", "Bad Request: message text is empty"])
def test_a_bad_message_is_rejected(mock, publisher, post, description):
    mock.post(SEND, status=400, json=error(400, description))

    with pytest.raises(Rejected) as caught:
        publisher.publish(post, NOW)

    assert caught.value.status == 400
    assert description in caught.value.reason


@pytest.mark.parametrize("code", [500, 502, 503, 504])
def test_server_errors_are_unknown_outcomes_because_telegram_may_have_sent(mock, publisher, post, code):
    mock.post(SEND, status=code, body="<html>Bad Gateway</html>")

    with pytest.raises(UnknownOutcome) as caught:
        publisher.publish(post, NOW)

    assert caught.value.status == code


def test_read_timeout_is_an_unknown_outcome_naming_only_the_host(mock, publisher, post):
    mock.post(SEND, body=requests.ReadTimeout(f"HTTPSConnectionPool(host='api.telegram.org'): Read timed out. url: /bot{TOKEN}/sendMessage"))

    with pytest.raises(UnknownOutcome) as caught:
        publisher.publish(post, NOW)

    assert "api.telegram.org" in caught.value.reason
    assert TOKEN not in caught.value.reason


def test_connection_refused_retries_now_without_the_token_anywhere(settings_with, post):
    base = closed_port_url()  # nothing listens there
    settings = settings_with(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_CHAT_ID=CHAT, TELEGRAM_API_BASE_URL=base,
                             SCHEDULER_HTTP_TIMEOUT="5")
    publisher = TelegramPublisher("telegram", settings, requests.Session())

    with pytest.raises(RetryNow) as caught:
        publisher.publish(post, NOW)

    assert "could not connect to 127.0.0.1" in caught.value.reason
    assert_no_token(caught.value)


def test_named_channel_reads_its_own_variables(mock, settings_with, make_post):
    settings = settings_with(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_CHAT_ID=CHAT,
                             TELEGRAM_CLINIC2_BOT_TOKEN="999:clinic2-token", TELEGRAM_CLINIC2_CHAT_ID="@clinic2")
    mock.post(f"{BASE}/bot999:clinic2-token/sendMessage", status=200, json=sent(5, username="clinic2"))

    published = TelegramPublisher("telegram:clinic2", settings, requests.Session()).publish(
        make_post(TEXT, channel="telegram:clinic2", id=9), NOW)

    assert published.remote_url == "https://t.me/clinic2/5"
    assert json.loads(mock.calls[0].request.body)["chat_id"] == "@clinic2"


@pytest.mark.parametrize("present, missing", [
    ({"TELEGRAM_CHAT_ID": CHAT}, "TELEGRAM_BOT_TOKEN"),
    ({"TELEGRAM_BOT_TOKEN": TOKEN}, "TELEGRAM_CHAT_ID"),
])
def test_missing_credentials_are_a_config_error_naming_the_variable(settings_with, present, missing):
    with pytest.raises(ConfigError) as caught:
        TelegramPublisher("telegram", settings_with(**present), requests.Session())

    assert caught.value.where == missing
    assert TOKEN not in str(caught.value)


def assert_no_token(error: BaseException) -> None:
    assert_no_secret(error, TOKEN)
    # nothing chained either: the requests exception behind a transport failure quotes the URL
    assert error.__cause__ is None and error.__context__ is None


FAILURES = [
    dict(status=400, json=error(400, "Bad Request: chat not found")),
    dict(status=400, json=error(400, "Bad Request: message is too long")),
    dict(status=401, json=error(401, "Unauthorized")),
    dict(status=403, json=error(403, "Forbidden: bot was kicked from the channel chat")),
    dict(status=404, json=error(404, "Not Found")),
    dict(status=429, json=error(429, "Too Many Requests: retry after 5", retry_after=5)),
    dict(status=500, body="oops"),
    # a proxy's error page quoting the request line, as nginx in front of a local Bot API server might
    dict(status=502, body=f"<html>502 Bad Gateway: POST /bot{TOKEN}/sendMessage</html>"),
    dict(status=200, body=f"not json, but /bot{TOKEN}/ anyway"),
    dict(body=requests.ReadTimeout(f"Read timed out: /bot{TOKEN}/sendMessage")),
    dict(body=requests.ConnectTimeout(f"connect timed out: /bot{TOKEN}/sendMessage")),
    dict(body=requests.ConnectionError(f"Max retries exceeded with url: /bot{TOKEN}/sendMessage")),
    dict(body=requests.exceptions.ChunkedEncodingError(f"broken chunk /bot{TOKEN}/sendMessage")),
]


@pytest.mark.parametrize("answer", FAILURES, ids=answer_id)
def test_the_token_never_appears_in_an_error(mock, publisher, post, answer):
    mock.post(SEND, **answer)

    with pytest.raises(PublishError) as caught:
        publisher.publish(post, NOW)

    assert_no_token(caught.value)


class _BotApi(BaseHTTPRequestHandler):
    answers: list[tuple[int, dict]] = []

    def do_POST(self):  # noqa: N802 (http.server's name)
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        status, body = self.answers.pop(0) if self.answers else (200, sent(1))
        send_json(self, status, body)

    def log_message(self, *args):  # keep the test output quiet
        pass


@pytest.fixture
def bot_api():
    with serving(_BotApi) as base:
        yield base


def test_the_token_never_reaches_a_log_line_even_at_debug(bot_api, settings_with, post, caplog):
    # A real HTTP exchange, so urllib3 logs its request line ('"POST /bot<token>/sendMessage HTTP/1.1" 200').
    base = bot_api
    _BotApi.answers = [(200, sent(11)), (403, error(403, "Forbidden: bot was kicked from the channel chat"))]
    publisher = TelegramPublisher("telegram", settings_with(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_CHAT_ID=CHAT,
                                                            TELEGRAM_API_BASE_URL=base), requests.Session())
    caplog.set_level(logging.DEBUG)

    assert publisher.publish(post, NOW).remote_id == "11"
    with pytest.raises(NeedsAttention) as caught:
        publisher.publish(post, NOW)

    assert_no_token(caught.value)
    request_lines = [record.getMessage() for record in caplog.records if "sendMessage" in record.getMessage()]
    assert len(request_lines) == 2  # the lines were logged, masked
    assert TOKEN not in caplog.text


# -- verify (channels --check): getMe, never a message

def test_verify_calls_getme_and_names_the_bot(mock, publisher):
    mock.get(f"{BASE}/bot{TOKEN}/getMe", json={"ok": True, "result": {"id": 7012345678, "is_bot": True,
                                                                       "first_name": "Clinic", "username": "clinic_bot"}})

    assert publisher.verify(NOW) == f"bot @clinic_bot, posting to {CHAT}"

    (call,) = mock.calls
    assert call.request.method == "GET" and call.request.url == f"{BASE}/bot{TOKEN}/getMe"  # the Bot API's only way
    assert call.request.body is None


def test_verify_with_a_revoked_token_needs_attention_and_masks_it(mock, publisher):
    mock.get(f"{BASE}/bot{TOKEN}/getMe", status=401, json={"ok": False, "error_code": 401, "description": "Unauthorized"})

    with pytest.raises(NeedsAttention) as caught:
        publisher.verify(NOW)
    assert TOKEN not in str(caught.value) and caught.value.__cause__ is None and caught.value.__context__ is None


def test_verify_connection_refused_never_quotes_the_url(settings_with):
    publisher = TelegramPublisher("telegram", settings_with(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_CHAT_ID=CHAT,
                                                            TELEGRAM_API_BASE_URL=closed_port_url()),
                                  requests.Session())
    with pytest.raises(RetryNow) as caught:
        publisher.verify(NOW)
    assert TOKEN not in str(caught.value) and caught.value.__cause__ is None
