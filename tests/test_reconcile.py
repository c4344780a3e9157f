"""Reconciliation before a resend (scheduler/reconcile.py), and every adapter's ``find_existing`` read endpoint as the
platform documents it: the exact URL and headers (the token in a header, never in a URL), and its three answers:
found, proven absent, cannot tell (a PublishError: the post stays in doubt).

X         GET /2/users/me, then GET /2/users/:id/tweets?start_time&max_results=100 (meta.next_token → pagination_token)
Facebook  GET /{page-id}/posts?fields=id,message,created_time&since&limit=100 (paging.next)
LinkedIn  GET /rest/posts?author=URN&q=author&count&start&sortBy=CREATED (X-RestLi-Method: FINDER)
Bluesky   GET /xrpc/com.atproto.repo.getRecord?repo&collection&rkey (400 RecordNotFound: absent)
Mastodon  within the Idempotency-Key's hour: resend as is; past ~50 minutes: GET /api/v1/accounts/verify_credentials,
          then GET /api/v1/accounts/:id/statuses (paged with max_id)
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from scheduler import reconcile
from scheduler.errors import NeedsAttention, RetryNow, UnknownOutcome
from scheduler.publishers import Published, publisher_class
from scheduler.publishers.bluesky import record_key
from scheduler.runner import Runner
from scheduler.store import NewPost, Outcome, Post, open_store

from helpers import Clock

SLOT = datetime(2026, 11, 23, 14, 30, tzinfo=timezone.utc)
NOW = SLOT + timedelta(minutes=5)
TEXT = "Massage can ease sciatica, ask us how. #sciatica"

X_TOKEN = "x-oauth2-S3CRET-aaaa"
FB_TOKEN = "fb-page-S3CRET-bbbb"
LI_TOKEN = "li-access-S3CRET-cccc"
BSKY_PASSWORD = "bsky-app-S3CRET-dddd"
MASTODON_TOKEN = "mast-S3CRET-eeee"
SECRETS = (X_TOKEN, FB_TOKEN, LI_TOKEN, BSKY_PASSWORD, MASTODON_TOKEN, "acc-jwt-S3CRET", "ref-jwt-S3CRET")

ENV = {"X_OAUTH2_ACCESS_TOKEN": X_TOKEN,
       "FACEBOOK_PAGE_ID": "1234567890", "FACEBOOK_PAGE_ACCESS_TOKEN": FB_TOKEN,
       "LINKEDIN_ACCESS_TOKEN": LI_TOKEN, "LINKEDIN_AUTHOR_URN": "urn:li:organization:5515715",
       "BLUESKY_HANDLE": "clinic.example", "BLUESKY_APP_PASSWORD": BSKY_PASSWORD,
       "MASTODON_BASE_URL": "https://mastodon.example", "MASTODON_ACCESS_TOKEN": MASTODON_TOKEN,
       "TELEGRAM_BOT_TOKEN": "123456:tg-S3CRET-ffff", "TELEGRAM_CHAT_ID": "@clinic",
       "DISCORD_WEBHOOK_URL": "https://discord.com/api/webhooks/1/dc-S3CRET-gggg"}


def make(platform: str, text: str = TEXT, **fields) -> Post:
    payload = {"x": {"text": text}, "facebook": {"message": text}, "linkedin": {"commentary": text},
               "bluesky": {"text": text}, "mastodon": {"status": text}}.get(platform, {"text": text})
    values = dict(id=7, channel=platform, platform=platform, status="publishing", scheduled_at=SLOT,
                  local_time=SLOT.isoformat(), zone="UTC", text=text, payload=payload, length=len(text), limit=500,
                  idempotency_key=hashlib.sha256(platform.encode()).hexdigest()[:32], attempts=1, due_at=SLOT,
                  maybe_sent=True)
    values.update(fields)
    return Post(**values)


@pytest.fixture
def adapter(settings_with):
    def build(platform: str, **extra: str):
        return publisher_class(platform)(platform, settings_with(**ENV, **extra), requests.Session())
    return build


@pytest.fixture(autouse=True)
def no_secret_in_urls_or_logs(mock, caplog):
    caplog.set_level("DEBUG")
    yield
    for call in mock.calls:
        assert not any(secret in call.request.url for secret in SECRETS), call.request.url
    assert not any(secret in caplog.text for secret in SECRETS)


def query(call) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(call.request.url).query, keep_blank_values=True).items()}


def path(call) -> str:
    parts = urlsplit(call.request.url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


# -- the decision table ------------------------------------------------------------------------------

class _Fake:
    resend_is_safe = False

    def __init__(self, found=None, safe=False, window=None):
        self.resend_is_safe = safe
        if window is not None:
            self.dedup_window = window
        self._found = found


class _Checks(_Fake):
    def find_existing(self, post, now):
        if isinstance(self._found, Exception):
            raise self._found
        return self._found


def test_found_on_the_account_is_published_without_a_resend():
    found = Published("99", "https://example/99")
    assert reconcile.settle(_Checks(found=found), make("x"), NOW) == reconcile.Found(found)


def test_proven_absent_is_resent():
    assert reconcile.settle(_Checks(found=None), make("x"), NOW) == reconcile.Absent()


def test_no_check_on_a_deduplicating_platform_resends_with_the_same_key():
    assert reconcile.settle(_Fake(safe=True), make("instagram"), NOW) == reconcile.SafeResend()


def test_no_check_and_no_deduplication_waits_for_a_person():
    verdict = reconcile.settle(_Fake(), make("telegram"), NOW)
    assert isinstance(verdict, reconcile.Unverifiable) and "resolve ID" in verdict.reason


def test_a_check_that_cannot_tell_raises_and_decides_nothing():
    with pytest.raises(RetryNow):
        reconcile.settle(_Checks(found=RetryNow("timeline unreadable")), make("x"), NOW)


@pytest.mark.parametrize("platform, verdict", [("telegram", reconcile.Unverifiable), ("discord", reconcile.Unverifiable),
                                               ("mastodon", reconcile.SafeResend)])
def test_the_real_adapters_without_a_usable_read_take_their_row_of_the_table(adapter, platform, verdict):
    assert isinstance(reconcile.settle(adapter(platform), make(platform), NOW), verdict)


def test_text_matching_ignores_links_whitespace_and_html_but_not_words():
    assert reconcile.same_text("Ease sciatica https://clinic.example/a?utm=1 #sciatica",
                               "Ease  sciatica https://t.co/xyz\n#sciatica")
    assert reconcile.same_text("Fish &amp; chips", "Fish & chips")
    assert not reconcile.same_text("Ease sciatica #sciatica", "Ease back pain #sciatica")
    assert not reconcile.same_text("anything", None)
    assert reconcile.plain_text('<p>Ease sciatica <a href="https://m.example/tags/sciatica" class="mention hashtag">'
                                '#<span>sciatica</span></a></p><p>Book &amp; relax</p>') == \
        "Ease sciatica #sciatica\nBook & relax\n"


# -- X ------------------------------------------------------------------------------------------------

ME = "https://api.x.com/2/users/me"
TIMELINE = "https://api.x.com/2/users/2244994945/tweets"


def x_reads(mock, *pages):
    mock.get(ME, json={"data": {"id": "2244994945", "name": "Clinic", "username": "clinic"}})
    for page in pages:
        mock.get(TIMELINE, **page)


def test_x_finds_the_post_on_the_users_timeline_since_the_slot(mock, adapter):
    x_reads(mock, {"json": {"data": [{"id": "1", "text": "something else", "edit_history_tweet_ids": ["1"]},
                                     {"id": "1460323737035677698", "text": TEXT,
                                      "edit_history_tweet_ids": ["1460323737035677698"]}],
                            "meta": {"result_count": 2, "newest_id": "1", "oldest_id": "1460323737035677698"}}})

    found = adapter("x").find_existing(make("x"), NOW)

    assert found == Published("1460323737035677698", "https://x.com/i/web/status/1460323737035677698")
    me, timeline = mock.calls
    assert me.request.method == "GET" and me.request.url == ME
    assert path(timeline) == TIMELINE
    assert query(timeline) == {"start_time": "2026-11-23T14:20:00Z", "max_results": "100",
                               "tweet.fields": "created_at", "exclude": "retweets,replies"}
    assert me.request.headers["Authorization"] == timeline.request.headers["Authorization"] == f"Bearer {X_TOKEN}"


def test_x_follows_next_token_and_proves_absence_only_at_the_last_page(mock, adapter):
    x_reads(mock, {"json": {"data": [{"id": "5", "text": "other"}], "meta": {"result_count": 1, "next_token": "7140dib"}}},
            {"json": {"data": [{"id": "4", "text": "older other"}], "meta": {"result_count": 1}}})

    assert adapter("x").find_existing(make("x"), NOW) is None
    assert query(mock.calls[2])["pagination_token"] == "7140dib"


def test_x_with_no_posts_since_the_slot_is_proven_absent(mock, adapter):
    x_reads(mock, {"json": {"meta": {"result_count": 0}}})
    assert adapter("x").find_existing(make("x"), NOW) is None


def test_x_cannot_tell_when_the_timeline_does_not_end(mock, adapter):
    from scheduler.publishers.x import RECONCILE_PAGES

    x_reads(mock, *[{"json": {"data": [{"id": str(n), "text": "busy"}], "meta": {"next_token": f"t{n}"}}}
                    for n in range(RECONCILE_PAGES)])
    with pytest.raises(RetryNow, match="cannot tell"):
        adapter("x").find_existing(make("x"), NOW)


def test_x_read_failing_with_5xx_is_a_retry_not_an_unknown_outcome(mock, adapter):
    x_reads(mock, {"status": 503, "json": {"title": "Service Unavailable"}})
    with pytest.raises(RetryNow) as caught:
        adapter("x").find_existing(make("x"), NOW)
    assert not isinstance(caught.value, UnknownOutcome)


# -- Facebook -----------------------------------------------------------------------------------------

FB_POSTS = "https://graph.facebook.com/v26.0/1234567890/posts"
SINCE = str(int((SLOT - timedelta(minutes=10)).timestamp()))


def test_facebook_finds_the_post_among_the_pages_posts_with_the_token_in_a_header(mock, adapter):
    mock.get(FB_POSTS, json={"data": [{"id": "1234567890_111", "message": "other", "created_time": "2026-11-23T14:31:00+0000"},
                                      {"id": "1234567890_222", "message": TEXT, "created_time": "2026-11-23T14:30:02+0000"}],
                             "paging": {"cursors": {"before": "QVFIa", "after": "QVFIb"}}})

    found = adapter("facebook").find_existing(make("facebook"), NOW)

    assert found == Published("1234567890_222", "https://www.facebook.com/1234567890_222")
    call, = mock.calls
    assert call.request.method == "GET" and path(call) == FB_POSTS
    assert query(call) == {"fields": "id,message,created_time", "limit": "100", "since": SINCE}
    assert call.request.headers["Authorization"] == f"Bearer {FB_TOKEN}"
    assert "access_token" not in call.request.url


def test_facebook_follows_paging_next_without_its_access_token_then_proves_absence(mock, adapter):
    following = f"{FB_POSTS}?access_token={FB_TOKEN}&fields=id%2Cmessage%2Ccreated_time&limit=100&since={SINCE}&after=QVFIb"
    mock.get(FB_POSTS, json={"data": [{"id": "1_1", "message": "other"}], "paging": {"next": following}})
    mock.get(FB_POSTS, json={"data": [], "paging": {}})

    assert adapter("facebook").find_existing(make("facebook"), NOW) is None
    assert query(mock.calls[1]) == {"fields": "id,message,created_time", "limit": "100", "since": SINCE, "after": "QVFIb"}
    assert mock.calls[1].request.headers["Authorization"] == f"Bearer {FB_TOKEN}"


def test_facebook_errors_keep_the_post_in_doubt(mock, adapter):
    mock.get(FB_POSTS, status=500, json={"error": {"message": "An unknown error", "type": "OAuthException", "code": 1}})
    with pytest.raises(RetryNow):
        adapter("facebook").find_existing(make("facebook"), NOW)
    mock.get(FB_POSTS, status=400, json={"error": {"message": "Error validating access token", "type": "OAuthException",
                                                   "code": 190}})
    with pytest.raises(NeedsAttention) as caught:
        adapter("facebook").find_existing(make("facebook"), NOW)
    assert FB_TOKEN not in str(caught.value)


# -- LinkedIn -----------------------------------------------------------------------------------------

LI_POSTS = "https://api.linkedin.com/rest/posts"
SLOT_MS = int(SLOT.timestamp() * 1000)


def li_post(n: int, commentary: str, created: int) -> dict:
    return {"id": f"urn:li:share:{n}", "author": "urn:li:organization:5515715", "commentary": commentary,
            "createdAt": created, "lifecycleState": "PUBLISHED", "visibility": "PUBLIC"}


def test_linkedin_finds_the_post_by_author_with_the_finder_headers(mock, adapter):
    from posts.platforms import linkedin_commentary

    mock.get(LI_POSTS, json={"elements": [li_post(2, "other", SLOT_MS + 9000),
                                          li_post(1, linkedin_commentary(TEXT), SLOT_MS + 1000)],
                             "paging": {"start": 0, "count": 50, "links": []}})

    found = adapter("linkedin").find_existing(make("linkedin", payload={"commentary": linkedin_commentary(TEXT)}), NOW)

    assert found == Published("urn:li:share:1", "https://www.linkedin.com/feed/update/urn:li:share:1/")
    call, = mock.calls
    assert path(call) == LI_POSTS
    assert query(call) == {"author": "urn:li:organization:5515715", "q": "author", "count": "50", "start": "0",
                           "sortBy": "CREATED"}
    assert "author=urn%3Ali%3Aorganization%3A5515715" in call.request.url  # the URN encoded, as Rest.li wants
    headers = call.request.headers
    assert headers["Authorization"] == f"Bearer {LI_TOKEN}"
    assert (headers["LinkedIn-Version"], headers["X-Restli-Protocol-Version"], headers["X-RestLi-Method"]) == \
        ("202605", "2.0.0", "FINDER")


def test_linkedin_proves_absence_once_it_reads_past_the_slot(mock, adapter):
    mock.get(LI_POSTS, json={"elements": [li_post(n, "other", SLOT_MS + 10_000 - n) for n in range(49)]
                             + [li_post(99, TEXT, SLOT_MS - 3_600_000)]})  # the same text, but an hour before the slot
    assert adapter("linkedin").find_existing(make("linkedin"), NOW) is None


def test_linkedin_cannot_tell_when_every_page_is_newer_than_the_slot(mock, adapter):
    for page in range(4):
        mock.get(LI_POSTS, json={"elements": [li_post(page * 50 + n, "busy", SLOT_MS + 100_000) for n in range(50)]})
    with pytest.raises(RetryNow, match="cannot tell"):
        adapter("linkedin").find_existing(make("linkedin"), NOW)
    assert [query(call)["start"] for call in mock.calls] == ["0", "50", "100", "150"]


# -- Bluesky ------------------------------------------------------------------------------------------

PDS = "https://bsky.social/xrpc"
SESSION = {"did": "did:plc:clinic", "handle": "clinic.example", "accessJwt": "acc-jwt-S3CRET",
           "refreshJwt": "ref-jwt-S3CRET"}


def test_bluesky_get_record_under_the_fixed_key_finds_the_post(mock, adapter):
    post = make("bluesky")
    rkey = record_key(post)
    mock.post(f"{PDS}/com.atproto.server.createSession", json=SESSION)
    mock.get(f"{PDS}/com.atproto.repo.getRecord",
             json={"uri": f"at://did:plc:clinic/app.bsky.feed.post/{rkey}", "cid": "bafyrei",
                   "value": {"$type": "app.bsky.feed.post", "text": TEXT, "createdAt": "2026-11-23T14:30:00.000Z"}})

    found = adapter("bluesky").find_existing(post, NOW)

    assert found == Published(f"at://did:plc:clinic/app.bsky.feed.post/{rkey}",
                              f"https://bsky.app/profile/clinic.example/post/{rkey}")
    read = mock.calls[1]
    assert read.request.method == "GET" and path(read) == f"{PDS}/com.atproto.repo.getRecord"
    assert query(read) == {"repo": "did:plc:clinic", "collection": "app.bsky.feed.post", "rkey": rkey}


def test_bluesky_record_not_found_is_proven_absent_and_a_pds_error_cannot_tell(mock, adapter):
    mock.post(f"{PDS}/com.atproto.server.createSession", json=SESSION)
    mock.get(f"{PDS}/com.atproto.repo.getRecord", status=400,
             json={"error": "RecordNotFound", "message": "Could not locate record"})
    mock.get(f"{PDS}/com.atproto.repo.getRecord", status=502, json={"error": "UpstreamFailure", "message": "bad gateway"})
    publisher = adapter("bluesky")

    assert publisher.find_existing(make("bluesky"), NOW) is None
    with pytest.raises(RetryNow):
        publisher.find_existing(make("bluesky"), NOW)


# -- Mastodon: the Idempotency-Key lasts an hour ------------------------------------------------------

VERIFY = "https://mastodon.example/api/v1/accounts/verify_credentials"
STATUSES = "https://mastodon.example/api/v1/accounts/109302/statuses"
SENT = SLOT + timedelta(minutes=1)


def toot(n: int, content: str, at: datetime) -> dict:
    return {"id": str(n), "created_at": at.strftime("%Y-%m-%dT%H:%M:%S.000Z"), "content": content,
            "url": f"https://mastodon.example/@clinic/{n}", "uri": f"https://mastodon.example/users/clinic/statuses/{n}",
            "visibility": "public"}


def held(minutes: float, **fields) -> tuple[Post, datetime]:
    return make("mastodon", progress={"first_sent_at": SENT.isoformat()}, **fields), SENT + timedelta(minutes=minutes)


def test_mastodon_within_the_keys_hour_resends_with_the_same_key_without_reading(mock, adapter):
    post, now = held(49)
    assert reconcile.settle(adapter("mastodon"), post, now) == reconcile.SafeResend()
    assert len(mock.calls) == 0


def test_mastodon_past_fifty_minutes_reads_the_accounts_statuses_and_finds_it(mock, adapter):
    post, now = held(51)
    html = '<p>Massage can ease sciatica, ask us how. <a href="https://mastodon.example/tags/sciatica" ' \
           'class="mention hashtag" rel="tag">#<span>sciatica</span></a></p>'
    mock.get(VERIFY, json={"id": "109302", "username": "clinic", "acct": "clinic"})
    mock.get(STATUSES, json=[toot(3, "<p>newer</p>", SENT + timedelta(minutes=20)), toot(2, html, SENT)])

    verdict = reconcile.settle(adapter("mastodon"), post, now)

    assert verdict == reconcile.Found(Published("2", "https://mastodon.example/@clinic/2"))
    verify, statuses = mock.calls
    assert verify.request.method == "GET" and verify.request.url == VERIFY
    assert path(statuses) == STATUSES and query(statuses) == {"limit": "40", "exclude_reblogs": "true"}
    assert verify.request.headers["Authorization"] == statuses.request.headers["Authorization"] == f"Bearer {MASTODON_TOKEN}"


def test_mastodon_past_fifty_minutes_pages_back_with_max_id_then_proves_absence(mock, adapter):
    post, now = held(90)
    mock.get(VERIFY, json={"id": "109302"})
    mock.get(STATUSES, json=[toot(100 - n, "<p>busy</p>", SENT + timedelta(minutes=30)) for n in range(40)])
    mock.get(STATUSES, json=[toot(50, "<p>busy</p>", SENT + timedelta(minutes=2)),
                             toot(49, "<p>old</p>", SENT - timedelta(hours=1))])

    assert reconcile.settle(adapter("mastodon"), post, now) == reconcile.Absent()
    assert query(mock.calls[2])["max_id"] == "61"


def test_mastodon_cannot_tell_when_the_account_posted_too_much_since(mock, adapter):
    post, now = held(90)
    mock.get(VERIFY, json={"id": "109302"})
    from scheduler.publishers.mastodon import RECONCILE_PAGES

    for page in range(RECONCILE_PAGES):
        mock.get(STATUSES, json=[toot(1000 - page * 40 - n, "<p>busy</p>", now) for n in range(40)])
    with pytest.raises(RetryNow, match="cannot tell"):
        reconcile.settle(adapter("mastodon"), post, now)


def test_mastodon_without_a_saved_first_request_counts_from_the_slot(adapter):
    post = make("mastodon")
    assert reconcile.first_sent(post) == SLOT
    assert reconcile.settle(adapter("mastodon"), post, SLOT + timedelta(minutes=30)) == reconcile.SafeResend()


def test_mastodon_saves_when_the_key_was_first_sent_once(mock, adapter):
    publisher = adapter("mastodon")
    saved = []
    publisher.checkpoint = saved.append
    mock.post("https://mastodon.example/api/v1/statuses", json=toot(1, "<p>x</p>", SLOT))
    mock.post("https://mastodon.example/api/v1/statuses", json=toot(1, "<p>x</p>", SLOT))

    publisher.publish(make("mastodon", progress={}), SENT)
    publisher.publish(make("mastodon", progress={"first_sent_at": SLOT.isoformat()}), SENT + timedelta(hours=1))

    assert saved == [{"first_sent_at": SENT.isoformat()}]


# -- through the runner: what each verdict does to the post ------------------------------------------

def in_doubt(tmp_path, platform: str, sent_at: datetime):
    """A store holding one post on ``platform`` whose first attempt (at ``sent_at``) may have landed."""
    store = open_store(f"sqlite:///{tmp_path / 'q.db'}")
    text = TEXT
    payload = make(platform).payload
    store.enqueue([NewPost(channel=platform, platform=platform, scheduled_at=SLOT, zone="UTC", text=text,
                           payload=payload, length=len(text), limit=500, idempotency_key=f"{platform}-key-0001")], SLOT)
    claimed, = store.claim_due(sent_at, 60)
    store.save_progress(claimed.id, claimed.claim_token, {"first_sent_at": sent_at.isoformat()}, sent_at)
    store.record_result(claimed.id, claimed.claim_token,
                        Outcome("retry", error="timed out", retry_at=sent_at, maybe_sent=True), sent_at)
    return store


def run(store, settings, now):
    runner = Runner(store, settings, Clock(now), requests.Session())
    runner.run_due()
    return store.list_posts()[0]


def test_runner_mastodon_held_past_the_keys_hour_and_found_is_published_without_a_resend(tmp_path, mock, settings_with):
    store = in_doubt(tmp_path, "mastodon", SENT)
    mock.get(VERIFY, json={"id": "109302"})
    mock.get(STATUSES, json=[toot(2, f"<p>{TEXT}</p>", SENT)])

    post = run(store, settings_with(**ENV, SCHEDULER_MISSED_AFTER="86400"), SENT + timedelta(minutes=55))

    assert (post.status, post.remote_id) == ("published", "2")
    assert not any(call.request.method == "POST" for call in mock.calls)


def test_runner_mastodon_held_past_the_keys_hour_and_absent_is_resent_with_its_key(tmp_path, mock, settings_with):
    store = in_doubt(tmp_path, "mastodon", SENT)
    mock.get(VERIFY, json={"id": "109302"})
    mock.get(STATUSES, json=[toot(1, "<p>old</p>", SENT - timedelta(hours=2))])
    mock.post("https://mastodon.example/api/v1/statuses", json=toot(3, f"<p>{TEXT}</p>", NOW))

    post = run(store, settings_with(**ENV, SCHEDULER_MISSED_AFTER="86400"), SENT + timedelta(minutes=55))

    assert (post.status, post.remote_id) == ("published", "3")
    assert mock.calls[-1].request.headers["Idempotency-Key"] == "mastodon-key-0001"


def test_runner_mastodon_within_the_hour_resends_with_the_same_key_at_once(tmp_path, mock, settings_with):
    store = in_doubt(tmp_path, "mastodon", SENT)
    mock.post("https://mastodon.example/api/v1/statuses", json=toot(3, f"<p>{TEXT}</p>", NOW))

    post = run(store, settings_with(**ENV), SENT + timedelta(minutes=10))

    assert post.status == "published" and len(mock.calls) == 1
    assert mock.calls[0].request.headers["Idempotency-Key"] == "mastodon-key-0001"


def test_runner_a_platform_that_cannot_be_read_leaves_the_post_unconfirmed(tmp_path, mock, settings_with):
    store = in_doubt(tmp_path, "telegram", SENT)

    post = run(store, settings_with(**ENV), SENT + timedelta(minutes=10))

    assert post.status == "unconfirmed" and len(mock.calls) == 0 and "resolve" in post.error
