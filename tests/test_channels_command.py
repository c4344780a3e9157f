"""`channels [--check] [--json]`: which channels the environment configures (variable names only, never
values), and a read-only credential check of each against tests/fakeplatforms.py."""

from __future__ import annotations

import json

import pytest
import requests

from scheduler.channels import configured_channels, list_channels
from scheduler.cli import main
from tests.fakeplatforms import FakePlatforms
from tests.test_platforms_e2e import BOT_TOKEN, IG_USER, PAGE, PLATFORMS, THREADS_USER, platform_env

NOW = __import__("datetime").datetime(2026, 11, 23, 14, 30, tzinfo=__import__("datetime").timezone.utc)


@pytest.fixture
def fake():
    with FakePlatforms() as server:
        yield server


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """No .env and no platform variables from the real environment."""
    monkeypatch.chdir(tmp_path)
    from tests.test_platforms_e2e import PLATFORM_PREFIXES
    import os

    for name in list(os.environ):
        if name.startswith(PLATFORM_PREFIXES):
            monkeypatch.delenv(name)
    return monkeypatch


def test_lists_configured_and_named_channels_with_names_only(settings_with):
    settings = settings_with(MASTODON_BASE_URL="https://m.example", MASTODON_ACCESS_TOKEN="s3cret-token",
                             MASTODON_CLINIC2_ACCESS_TOKEN="other-s3cret", X_OAUTH2_ACCESS_TOKEN="x-s3cret",
                             BLUESKY_PDS_URL="https://bsky.social", TELEGRAM_API_BASE_URL="https://api.telegram.org")

    channels = {c.channel: c for c in configured_channels(settings)}

    assert set(channels) == {"outbox", "mastodon", "mastodon:clinic2", "x"}  # base URLs alone make no channel
    assert channels["mastodon"].variables == ["MASTODON_ACCESS_TOKEN", "MASTODON_BASE_URL"]
    assert channels["mastodon"].missing is None
    assert "MASTODON_CLINIC2_BASE_URL" in channels["mastodon:clinic2"].missing
    assert channels["x"].missing is None and channels["x"].variables == ["X_OAUTH2_ACCESS_TOKEN"]
    assert "s3cret" not in json.dumps([c.as_json() for c in channels.values()])


def test_check_verifies_every_platform_without_posting(fake, settings_with):
    values = {k: v for platform in PLATFORMS for k, v in platform_env(platform, fake.url).items()}
    with requests.Session() as session:
        report = list_channels(settings_with(**values), NOW, check=True, session=session)

    checks = {c.channel: (c.check, c.detail) for c in report.channels}
    assert all(check == "ok" for check, _ in checks.values()), checks
    assert not report.failed
    assert checks["instagram"][1] == "@riverside_clinic" and checks["threads"][1] == "@riverside_clinic"
    assert checks["mastodon"][1] == "@clinic" and checks["x"][1] == "@clinic"
    assert "clinic_bot" in checks["telegram"][1] and "Clinic news" in checks["discord"][1]
    assert all(r.method == "GET" or "createSession" in r.path for r in fake.requests), [(r.method, r.path) for r in fake.requests]
    paths = {r.path for r in fake.requests}
    assert {"/api/v1/accounts/verify_credentials", "/xrpc/com.atproto.server.createSession", "/2/users/me",
            "/v2/userinfo", f"/v26.0/{PAGE}", f"/v26.0/{IG_USER}", f"/v1.0/{THREADS_USER}", f"/bot{BOT_TOKEN}/getMe",
            "/api/webhooks/223704706495545344/fake-webhook-token"} <= paths
    for request in fake.requests:  # Graph tokens go in a header, never the URL
        assert "test-token" not in json.dumps(request.query)


def test_cli_check_exits_1_and_names_the_failure_without_the_secret(fake, isolated, capsys):
    for name, value in {**platform_env("instagram", fake.url), **platform_env("telegram", fake.url)}.items():
        isolated.setenv(name, value)
    fake.fail_next(1, status=400, match=IG_USER, body={"error": {"message": "Error validating access token: instagram-test-token",
                                                                 "type": "OAuthException", "code": 190}})
    fake.fail_next(1, status=401, match="getMe", body={"ok": False, "error_code": 401, "description": "Unauthorized"})

    code = main(["channels", "--check", "--json"])

    out = capsys.readouterr().out
    report = {c["channel"]: c for c in json.loads(out)["channels"]}
    assert code == 1
    assert report["instagram"]["check"] == "failed" and "access token" in report["instagram"]["detail"]
    assert report["telegram"]["check"] == "failed" and "401" in report["telegram"]["detail"]
    assert "instagram-test-token" not in out and BOT_TOKEN not in out


def test_cli_lists_without_checking_and_exits_0(isolated, capsys):
    isolated.setenv("THREADS_USER_ID", "1234")

    code = main(["channels"])

    out = capsys.readouterr().out
    assert code == 0
    assert "threads" in out and "missing" in out and "THREADS_ACCESS_TOKEN" in out
    assert "1234" not in out


def test_check_uses_the_callers_session_and_makes_none_of_its_own(fake, settings_with, monkeypatch):
    values = platform_env("mastodon", fake.url)
    with pytest.raises(ValueError, match="session"):
        list_channels(settings_with(**values), NOW, check=True)  # the library never opens a session itself
    used = []

    class Counting(requests.Session):
        def request(self, method, url, **kwargs):
            used.append(kwargs.get("timeout"))
            return super().request(method, url, **kwargs)

    with Counting() as session:
        report = list_channels(settings_with(SCHEDULER_HTTP_TIMEOUT="7", **values), NOW, check=True, session=session)
    assert [c.check for c in report.channels if c.channel == "mastodon"] == ["ok"]
    assert used and set(used) == {7.0}  # SCHEDULER_HTTP_TIMEOUT, through the settings


def test_cli_check_makes_the_session_and_closes_it(fake, isolated, capsys, monkeypatch):
    for name, value in platform_env("mastodon", fake.url).items():
        isolated.setenv(name, value)
    sessions = []
    real_session = requests.Session

    class Tracked(real_session):
        def __init__(self):
            super().__init__()
            self.closed = False
            sessions.append(self)

        def close(self):
            self.closed = True
            super().close()

    monkeypatch.setattr(requests, "Session", Tracked)

    assert main(["channels", "--check"]) == 0
    assert len(sessions) == 1 and sessions[0].closed
