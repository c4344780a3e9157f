"""Campaign hashtags: the campaign tag always, rotating sets, per-platform caps, clear refusals."""

from __future__ import annotations

import pytest

from posts.errors import HashtagError
from posts.hashtag_sets import DEFAULT_CAPS, HashtagPlan, parse_caps, parse_sets

PLAN = HashtagPlan(["#massagetherapyforsciatica"], [["#sciatica", "#backpain"], ["#painrelief"], ["#Sciatica", "#selfcare"]])


def test_sets_rotate_after_the_campaign_tag():
    assert [PLAN.for_post(i, "outbox") for i in range(4)] == [
        ["#massagetherapyforsciatica", "#sciatica", "#backpain"],
        ["#massagetherapyforsciatica", "#painrelief"],
        ["#massagetherapyforsciatica", "#Sciatica", "#selfcare"],
        ["#massagetherapyforsciatica", "#sciatica", "#backpain"],
    ]


def test_default_caps_keep_the_campaign_tag():
    assert DEFAULT_CAPS == {"x": 2, "threads": 1, "instagram": 30}
    assert PLAN.for_post(0, "threads") == ["#massagetherapyforsciatica"]
    assert PLAN.for_post(0, "x") == ["#massagetherapyforsciatica", "#sciatica"]
    assert PLAN.for_post(0, "bluesky") == ["#massagetherapyforsciatica", "#sciatica", "#backpain"]


def test_duplicates_are_dropped_case_insensitively():
    plan = HashtagPlan(["#Sciatica"], [["#sciatica", "#yoga"]])
    assert plan.for_post(0, "mastodon") == ["#Sciatica", "#yoga"]


def test_campaign_caps_override_the_defaults():
    plan = HashtagPlan(["#a", "#b", "#c"], caps={"x": 3, "mastodon": 1})
    assert plan.for_post(0, "x") == ["#a", "#b", "#c"]
    assert plan.for_post(0, "mastodon") == ["#a"]
    assert plan.cap("instagram") == 30 and plan.cap("linkedin") is None


def test_parse_sets_normalizes():
    assert parse_sets([["sciatica", "#BackPain"], ["#yoga"]], "c.toml: hashtags.sets") == [["#sciatica", "#BackPain"], ["#yoga"]]


@pytest.mark.parametrize("value, message", [
    ([["#ok"], ["#back pain"]], "c.toml: hashtags.sets[1]: invalid hashtag '#back pain': use letters, digits and underscores only, no spaces"),
    ([["#2026"]], "c.toml: hashtags.sets[0]: invalid hashtag '#2026': a tag cannot be all digits"),
    ([["#sciatica!"]], "c.toml: hashtags.sets[0]: invalid hashtag '#sciatica!': use letters, digits and underscores only, no spaces"),
    ([[]], "c.toml: hashtags.sets: must be a list of non-empty lists of hashtags, such as [[\"#backpain\"], [\"#wellness\"]]"),
    (["#flat"], "c.toml: hashtags.sets: must be a list of non-empty lists of hashtags, such as [[\"#backpain\"], [\"#wellness\"]]"),
])
def test_parse_sets_refuses(value, message):
    with pytest.raises(HashtagError) as caught:
        parse_sets(value, "c.toml: hashtags.sets")
    assert str(caught.value) == message


@pytest.mark.parametrize("value, message", [
    ({"myspace": 2}, "c.toml: hashtags.caps.myspace: unknown platform 'myspace'"),
    ({"x": 0}, "c.toml: hashtags.caps.x: must be a whole number of at least 1, not 0"),
    ({"x": True}, "c.toml: hashtags.caps.x: must be a whole number of at least 1, not True"),
    ({"instagram": 31}, "c.toml: hashtags.caps.instagram: 31 is over instagram's own limit of 30 hashtag(s)"),
    ({"threads": 2}, "c.toml: hashtags.caps.threads: 2 is over threads's own limit of 1 hashtag(s)"),
])
def test_parse_caps_refuses(value, message):
    with pytest.raises(HashtagError) as caught:
        parse_caps(value, "c.toml: hashtags.caps")
    assert str(caught.value).startswith(message)


def test_parse_caps_accepts_lower_instagram_cap():
    assert parse_caps({"instagram": 10, "x": 1}, "w") == {"instagram": 10, "x": 1}
