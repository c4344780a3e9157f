"""Each network's counting, limits and payload, with exact numbers at the edges."""

from __future__ import annotations

import pytest

from posts.compile import CompiledPost, compile_post
from posts.errors import ContentError, PostTooLongError
from posts.platforms import RULES, linkedin_commentary, rules_for, threads_length, utf16_units

FAMILY = "👨‍👩‍👧‍👦"  # 7 code points, 11 UTF-16 units, 25 UTF-8 bytes, one grapheme
MASK = "😷"  # one astral code point: 2 UTF-16 units, 4 UTF-8 bytes


def _refusal(platform: str, text: str, **kwargs) -> str:
    with pytest.raises(PostTooLongError) as caught:
        compile_post(platform, text, "t.j2", **kwargs)
    return str(caught.value)


def test_every_network_is_registered():
    assert set(RULES) >= {"x", "linkedin", "facebook", "instagram", "threads", "telegram", "discord",
                          "mastodon", "bluesky", "outbox"}
    assert {name: rules.limit for name, rules in RULES.items()} == {
        "outbox": 5000, "mastodon": 500, "bluesky": 300, "x": 280, "threads": 500, "linkedin": 3000,
        "telegram": 4096, "discord": 2000, "facebook": 63206, "instagram": 2200}


def test_compiled_post_warnings_default_to_empty():
    assert CompiledPost("x", "t", 1, 280).warnings == []
    assert compile_post("mastodon", "hello", "t.j2").warnings == []


# X ---------------------------------------------------------------------------------------------

def test_x_counts_urls_as_23_and_wide_characters_as_2():
    post = compile_post("x", "Hi http://test.co/a/very/long/path/indeed", "t.j2")
    assert (post.length, post.limit, post.payload) == (26, 280, {"text": "Hi http://test.co/a/very/long/path/indeed"})
    assert compile_post("x", "日本語", "t.j2").length == 6
    assert compile_post("x", "‘quoted’ – dash", "t.j2").length == 15  # general punctuation weighs 1


def test_x_counts_an_emoji_sequence_as_2_and_normalises_to_nfc():
    assert compile_post("x", FAMILY, "t.j2").length == 2
    assert compile_post("x", "🙋🏽" + MASK, "t.j2").length == 4
    assert compile_post("x", "e\u0301", "t.j2").length == 1


def test_x_limit_is_280_weighted():
    assert compile_post("x", "a" * 278 + FAMILY, "t.j2").length == 280
    assert _refusal("x", "a" * 279 + FAMILY) == "t.j2: 281 weighted characters is over x's limit of 280"
    assert _refusal("x", "日" * 141) == "t.j2: 282 weighted characters is over x's limit of 280"


def test_x_long_post_limit_can_be_given():
    assert compile_post("x", "a" * 1000, "t.j2", limit=25000).limit == 25000


def test_x_refuses_invalid_characters():
    assert _refusal("x", "ABC\uffff") == "t.j2: the post contains characters X refuses (U+FFFE, U+FEFF or U+FFFF)"


# Mastodon --------------------------------------------------------------------------------------

def test_mastodon_instance_limit():
    post = compile_post("mastodon", "a" * 900 + " https://clinic.example/" + "p" * 200, "t.j2", limit=1000)
    assert (post.length, post.limit) == (924, 1000)
    assert _refusal("mastodon", "a" * 1001, limit=1000) == "t.j2: 1001 characters is over mastodon's limit of 1000"
    assert _refusal("mastodon", "a" * 900) == "t.j2: 900 characters is over mastodon's limit of 500"


def test_a_limit_below_one_is_a_programming_error():
    with pytest.raises(ValueError):
        compile_post("mastodon", "a", "t.j2", limit=0)


# Bluesky ---------------------------------------------------------------------------------------

def test_bluesky_warns_about_a_tag_that_will_not_become_a_facet():
    post = compile_post("bluesky", "Hi #" + "a" * 65, "t.j2")
    assert post.payload["facets"] == []
    assert post.warnings == ["#aaaaaaaaaaaaaaaaaaaa… is longer than 64 graphemes: Bluesky will not make it a tag"]


# Threads ---------------------------------------------------------------------------------------

def test_threads_counts_emoji_by_their_utf8_bytes():
    assert threads_length("🚀") == 4
    assert threads_length("👩‍⚕️") == 13  # 4 + 3 (ZWJ) + 3 + 3 (VS16)
    assert threads_length("🇫🇷") == 8
    assert threads_length("1️⃣") == 7
    assert threads_length("héllo") == 5
    assert threads_length("e\u0301") == 2  # non-emoji text counts code points
    post = compile_post("threads", "🚀" * 125, "t.j2")
    assert (post.length, post.limit, post.payload) == (500, 500, {"text": "🚀" * 125})
    assert _refusal("threads", "🚀" * 125 + "!") == (
        "t.j2: 501 characters (emoji by UTF-8 bytes) is over threads's limit of 500")
    assert compile_post("threads", FAMILY * 20, "t.j2").length == 500


def test_threads_allows_one_topic_tag_and_refuses_more():
    assert compile_post("threads", "Massage helps #sciatica", "t.j2").payload == {"text": "Massage helps #sciatica"}
    message = _refusal("threads", "Massage helps #sciatica #backpain")
    assert message == ("t.j2: 2 hashtags (#sciatica, #backpain) is over threads's limit of 1 topic tag: "
                       "keep one #tag in a Threads post")


# LinkedIn --------------------------------------------------------------------------------------

def test_linkedin_escapes_reserved_characters_and_templates_hashtags():
    text = "Book now (limited slots) #backPain"
    post = compile_post("linkedin", text, "t.j2")
    assert post.payload == {"commentary": "Book now \\(limited slots\\) {hashtag|\\#|backPain}"}
    assert post.length == len("Book now \\(limited slots\\) {hashtag|\\#|backPain}") == 48
    assert post.text == text


def test_linkedin_escapes_every_reserved_character():
    assert linkedin_commentary("\\ | { } @ [ ] ( ) < > * _ ~") == "\\\\ \\| \\{ \\} \\@ \\[ \\] \\( \\) \\< \\> \\* \\_ \\~"
    assert linkedin_commentary("#123 and a#b, #back_pain.") == "\\#123 and a\\#b, {hashtag|\\#|back\\_pain}."
    assert linkedin_commentary("https://a.test/wiki/A_(b)") == "https://a.test/wiki/A\\_\\(b\\)"


def test_linkedin_limit_is_counted_on_the_escaped_commentary():
    assert compile_post("linkedin", "(" * 1500, "t.j2").length == 3000
    assert _refusal("linkedin", "(" * 1501) == "t.j2: 3002 characters of escaped commentary is over linkedin's limit of 3000"
    assert compile_post("linkedin", MASK * 1500, "t.j2").length == 3000  # UTF-16 units
    assert utf16_units(MASK) == 2


def test_linkedin_warns_that_a_mention_is_plain_text():
    post = compile_post("linkedin", "Thanks @clinic and @clinic!", "t.j2")
    assert post.payload == {"commentary": "Thanks \\@clinic and \\@clinic!"}
    assert post.warnings == ["@clinic is sent as plain text: a LinkedIn mention needs the member's or page's URN"]


# Telegram --------------------------------------------------------------------------------------

def test_telegram_counts_utf16_units():
    post = compile_post("telegram", MASK * 2048, "t.j2")
    assert (post.length, post.limit) == (4096, 4096)
    assert _refusal("telegram", MASK * 2048 + "a") == "t.j2: 4097 UTF-16 code units is over telegram's limit of 4096"
    assert compile_post("telegram", "é" * 4096, "t.j2").length == 4096
    assert compile_post("telegram", FAMILY, "t.j2").length == 11


def test_telegram_is_sent_as_plain_text():
    assert compile_post("telegram", "*not bold* <b>x</b>", "t.j2").payload == {"text": "*not bold* <b>x</b>"}


# Discord ---------------------------------------------------------------------------------------

def test_discord_limit_and_no_pings():
    post = compile_post("discord", MASK * 2000, "t.j2")
    assert (post.length, post.limit) == (2000, 2000)
    assert _refusal("discord", "a" * 2001) == "t.j2: 2001 characters is over discord's limit of 2000"
    assert compile_post("discord", "@everyone hi", "t.j2").payload == {
        "content": "@everyone hi", "allowed_mentions": {"parse": []}}


# Facebook --------------------------------------------------------------------------------------

def test_facebook_limit_and_payload():
    assert compile_post("facebook", "a" * 63206, "t.j2").length == 63206
    assert _refusal("facebook", "a" * 63207) == "t.j2: 63207 characters is over facebook's limit of 63206"
    assert compile_post("facebook", "hi", "t.j2").payload == {"message": "hi"}


# Instagram -------------------------------------------------------------------------------------

def _tags(n: int) -> str:
    return " ".join(f"#tag{i}" for i in range(n))


def test_instagram_limit_and_payload():
    assert compile_post("instagram", "a" * 2200, "t.j2").payload == {"caption": "a" * 2200}
    assert _refusal("instagram", "a" * 2201) == "t.j2: 2201 characters is over instagram's limit of 2200"


def test_instagram_hashtag_cap_is_30_and_configurable():
    assert compile_post("instagram", _tags(30), "t.j2").length == len(_tags(30))
    assert _refusal("instagram", _tags(31)).startswith("t.j2: 31 hashtags (#tag0, #tag1, ")
    assert _refusal("instagram", _tags(31)).endswith(", #tag30) is over instagram's limit of 30")
    assert _refusal("instagram", _tags(6), max_hashtags=5).endswith("is over instagram's limit of 5")
    assert compile_post("instagram", _tags(31), "t.j2", max_hashtags=40).payload == {"caption": _tags(31)}


def test_refusals_are_content_errors_and_empty_posts_are_refused_everywhere():
    for platform in RULES:
        with pytest.raises(ContentError, match="the post is empty"):
            compile_post(platform, "   ", "t.j2")
    assert rules_for("instagram").problems(_tags(2), max_hashtags=1) == [
        "2 hashtags (#tag0, #tag1) is over instagram's limit of 1"]
