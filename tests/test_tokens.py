"""Refreshed X OAuth 2.0 tokens outlive the run: saved atomically in the token file (scheduler/tokens.py), read
ahead of the environment's by the next run, never half-written, never world-readable, never in a log or error."""

from __future__ import annotations

import fcntl
import json
import logging
import os
import stat
from datetime import datetime, timezone
from urllib.parse import parse_qs

import pytest
import requests

from scheduler.config import load_settings
from scheduler.errors import NeedsAttention
from scheduler.publishers.x import XPublisher
from scheduler.store import Post
from scheduler.tokens import TokenFile, fingerprint

BASE = "https://api.x.com"
TWEETS = f"{BASE}/2/tweets"
TOKEN_URL = f"{BASE}/2/oauth2/token"
NOW = datetime(2026, 11, 23, 14, 30, tzinfo=timezone.utc)
TEXT = "Massage can ease sciatica. #sciatica"

ENV_ACCESS, ENV_REFRESH = "env-access-S3CRET-1111", "env-refresh-S3CRET-2222"
NEW_ACCESS, NEW_REFRESH = "new-access-S3CRET-3333", "new-refresh-S3CRET-4444"
NEWER_ACCESS, NEWER_REFRESH = "newer-access-S3CRET-5555", "newer-refresh-S3CRET-6666"
SECRETS = (ENV_ACCESS, ENV_REFRESH, NEW_ACCESS, NEW_REFRESH, NEWER_ACCESS, NEWER_REFRESH)
CREATED = {"data": {"id": "1445880548472328192", "text": TEXT}}
UNAUTHORIZED = {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}


def make_post() -> Post:
    return Post(id=3, channel="x", platform="x", status="publishing", scheduled_at=NOW, local_time=NOW.isoformat(),
                zone="UTC", text=TEXT, payload={"text": TEXT}, length=len(TEXT), limit=280, idempotency_key="k" * 32,
                attempts=0, due_at=NOW)


@pytest.fixture
def token_path(tmp_path):
    return tmp_path / "state" / ".tokens.json"


@pytest.fixture
def settings(token_path):
    def build(access: str = ENV_ACCESS, refresh: str = ENV_REFRESH):
        return load_settings(environ={"X_OAUTH2_ACCESS_TOKEN": access, "X_OAUTH2_REFRESH_TOKEN": refresh,
                                      "X_CLIENT_ID": "client-id", "SCHEDULER_TOKEN_FILE": str(token_path)},
                             env_file=None)
    return build


@pytest.fixture(autouse=True)
def everything_logged(caplog):
    caplog.set_level(logging.DEBUG)
    yield caplog
    for secret in SECRETS:
        assert secret not in caplog.text


def bearer(call) -> str:
    return call.request.headers["Authorization"].removeprefix("Bearer ")


def refresh_once(mock, settings, access=NEW_ACCESS, refresh=NEW_REFRESH) -> XPublisher:
    mock.post(TWEETS, status=401, json=UNAUTHORIZED)
    mock.post(TOKEN_URL, status=200, json={"token_type": "bearer", "access_token": access, "refresh_token": refresh,
                                          "expires_in": 7200, "scope": "tweet.write users.read offline.access"})
    mock.post(TWEETS, status=201, json=CREATED)
    publisher = XPublisher("x", settings(), requests.Session())
    publisher.publish(make_post(), NOW)
    return publisher


def test_the_setting_defaults_to_a_file_in_the_working_directory_for_the_real_environment():
    assert load_settings(environ=None, env_file=None).token_file.name == ".tokens.json"
    assert load_settings(environ={}, env_file=None).token_file is None  # an explicit mapping: only if it names one
    assert str(load_settings(environ={"SCHEDULER_TOKEN_FILE": "/srv/t.json"}, env_file=None).token_file) == "/srv/t.json"


def test_a_refresh_saves_both_new_tokens_in_the_token_file_mode_0600(mock, settings, token_path):
    refresh_once(mock, settings)

    saved = json.loads(token_path.read_text())
    assert saved["x"]["access_token"] == NEW_ACCESS and saved["x"]["refresh_token"] == NEW_REFRESH
    assert saved["x"]["base"] == fingerprint(ENV_ACCESS, ENV_REFRESH)
    assert ENV_ACCESS not in token_path.read_text() and ENV_REFRESH not in token_path.read_text()
    assert stat.S_IMODE(token_path.stat().st_mode) == 0o600
    assert [p.name for p in token_path.parent.iterdir() if p.name.endswith(".tmp")] == []  # no temp file left


def test_the_next_run_uses_the_saved_tokens_ahead_of_the_environment(mock, settings):
    refresh_once(mock, settings)

    # A new run: a new publisher with the same .env. The saved access token is sent, and when it expires in turn,
    # the saved (rotated) refresh token is the one spent, never the stale one from .env.
    mock.post(TWEETS, status=401, json=UNAUTHORIZED)
    mock.post(TOKEN_URL, status=200, json={"access_token": NEWER_ACCESS, "refresh_token": NEWER_REFRESH})
    mock.post(TWEETS, status=201, json=CREATED)
    XPublisher("x", settings(), requests.Session()).publish(make_post(), NOW)

    assert bearer(mock.calls[3]) == NEW_ACCESS
    assert parse_qs(mock.calls[4].request.body)["refresh_token"] == [NEW_REFRESH]
    assert bearer(mock.calls[5]) == NEWER_ACCESS
    mock.post(TWEETS, status=201, json=CREATED)
    XPublisher("x", settings(), requests.Session()).publish(make_post(), NOW)
    assert bearer(mock.calls[6]) == NEWER_ACCESS


def test_new_tokens_put_in_the_environment_win_over_an_older_saved_pair(mock, settings):
    refresh_once(mock, settings)

    mock.post(TWEETS, status=201, json=CREATED)
    XPublisher("x", settings(access="reauthorized-access-7777", refresh="reauthorized-refresh-8888"),
               requests.Session()).publish(make_post(), NOW)
    assert bearer(mock.calls[3]) == "reauthorized-access-7777"


def test_a_pair_another_process_saved_meanwhile_is_taken_instead_of_refreshing_again(mock, settings, token_path):
    publisher = XPublisher("x", settings(), requests.Session())  # read the file before the other process refreshed
    tokens = TokenFile(token_path)
    with tokens.locked():
        tokens.save("x", {"access_token": NEW_ACCESS, "refresh_token": NEW_REFRESH,
                          "base": fingerprint(ENV_ACCESS, ENV_REFRESH)}, NOW)
    mock.post(TWEETS, status=401, json=UNAUTHORIZED)
    mock.post(TWEETS, status=201, json=CREATED)

    publisher.publish(make_post(), NOW)

    assert [call.request.url for call in mock.calls] == [TWEETS, TWEETS]  # no POST to the token endpoint
    assert bearer(mock.calls[1]) == NEW_ACCESS


def test_a_crash_before_the_rename_leaves_the_old_file_whole(mock, settings, token_path, monkeypatch, caplog):
    refresh_once(mock, settings)
    before = token_path.read_bytes()

    def crash(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("scheduler.tokens.os.replace", crash)
    mock.post(TWEETS, status=401, json=UNAUTHORIZED)
    mock.post(TOKEN_URL, status=200, json={"access_token": NEWER_ACCESS, "refresh_token": NEWER_REFRESH})
    mock.post(TWEETS, status=201, json=CREATED)
    published = XPublisher("x", settings(), requests.Session()).publish(make_post(), NOW)

    assert published.remote_id == CREATED["data"]["id"]  # the post still goes out with the new access token
    assert token_path.read_bytes() == before  # the old pair, whole
    assert [p.name for p in token_path.parent.iterdir() if p.name.endswith(".tmp")] == []
    assert "could not save the refreshed X tokens" in caplog.text and "OSError" in caplog.text


def test_save_writes_a_temp_file_in_the_same_folder_fsyncs_it_then_renames(token_path, monkeypatch):
    tokens = TokenFile(token_path)
    seen = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr("scheduler.tokens.os.fsync", lambda fd: (seen.append("fsync"), real_fsync(fd))[1])
    monkeypatch.setattr("scheduler.tokens.os.replace",
                        lambda src, dst: (seen.append(("replace", os.path.dirname(src), str(dst))), real_replace(src, dst))[1])
    with tokens.locked():
        tokens.save("x", {"access_token": NEW_ACCESS, "refresh_token": NEW_REFRESH, "base": "b"}, NOW)
        tokens.save("x:clinic2", {"access_token": NEWER_ACCESS, "refresh_token": NEWER_REFRESH, "base": "c"}, NOW)

    assert seen[0] == "fsync" and seen[1] == ("replace", str(token_path.parent), str(token_path))
    assert set(json.loads(token_path.read_text())) == {"x", "x:clinic2"}  # other channels' entries are kept


def test_the_lock_is_exclusive_between_holders(token_path):
    tokens = TokenFile(token_path)
    with tokens.locked():
        other = os.open(tokens.lock_path, os.O_RDWR)
        try:
            with pytest.raises(BlockingIOError):
                fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(other)
    other = os.open(tokens.lock_path, os.O_RDWR)
    try:
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free again once released
    finally:
        os.close(other)


def test_a_damaged_token_file_falls_back_to_the_environment_without_quoting_it(mock, settings, token_path, caplog):
    token_path.parent.mkdir(parents=True)
    token_path.write_text('{"x": {"access_token": "' + NEW_ACCESS + '", ')  # cut short
    mock.post(TWEETS, status=201, json=CREATED)

    XPublisher("x", settings(), requests.Session()).publish(make_post(), NOW)

    assert bearer(mock.calls[0]) == ENV_ACCESS
    assert "not valid JSON" in caplog.text


def test_a_refused_refresh_error_names_variables_never_a_saved_token(mock, settings):
    refresh_once(mock, settings)
    mock.post(TWEETS, status=401, json=UNAUTHORIZED)
    mock.post(TOKEN_URL, status=400, json={"error": "invalid_request",
                                          "error_description": f"Value passed for the token was invalid: {NEW_REFRESH}"})

    with pytest.raises(NeedsAttention) as caught:
        XPublisher("x", settings(), requests.Session()).publish(make_post(), NOW)

    assert "X_OAUTH2_REFRESH_TOKEN" in caught.value.reason
    assert not any(secret in str(caught.value) for secret in SECRETS)
