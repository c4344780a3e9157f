"""A campaign's [points] table: the clinic skips, rewords or adds benefit points (and techniques) before posting."""

from __future__ import annotations

import json

import pytest

from helpers import MONDAY, run_cli, save_campaign, write_article_and_template
from posts.article import parse_article
from posts.benefits import extract
from posts.curation import AddedPoint, Curation, CurationError, curate, parse_curation

ARTICLE = """# Massage and sciatica

Massage therapy can reduce muscle tension in the lower back.

Massage also improves circulation and will flush out toxins from the tissue.

Deep tissue massage and trigger point therapy are the two styles we use.

After a few weeks, many clients sleep through the night without the leg pain waking them.
"""
CAMPAIGN = """
[campaign]
name = "sc"
article = "article.md"
topic = "Massage therapy"
hashtags = ["#sciatica"]
channels = ["outbox"]
utm = false

[cadence]
zone = "UTC"
slots = ["daily 09:00"]

[templates]
benefit = ["short"]
"""


def _article():
    return parse_article(ARTICLE, "article.md")


def test_the_article_gives_the_points_these_tests_correct():
    extraction = extract(_article())
    assert [b.point for b in extraction.benefits] == [
        "reduces muscle tension in the lower back",
        "improves circulation and will flush out toxins from the tissue",
        "helps you sleep through the night without the leg pain waking them",
    ]
    assert extraction.types == ["Deep tissue massage", "trigger point therapy"]


def test_skip_edit_and_add_points_and_techniques():
    curation = parse_curation({
        "skip": ["Improves circulation and will flush out toxins from the tissue"],  # case and spacing do not matter
        "edit": {"reduces muscle tension in the lower back": "eases tight muscles in the lower back"},
        "add": [{"point": "helps you sleep without waking from leg pain",
                 "evidence": "many clients sleep through the night"}],
        "skip_types": ["trigger point therapy"],
        "add_types": ["myofascial release"],
    }, "c.toml: points")
    curated = curate(extract(_article()), _article(), curation, "c.toml: points")
    assert [(b.point, b.evidence) for b in curated.benefits] == [
        ("eases tight muscles in the lower back", "Massage therapy can reduce muscle tension in the lower back."),
        ("helps you sleep through the night without the leg pain waking them",
         "After a few weeks, many clients sleep through the night without the leg pain waking them."),
        ("helps you sleep without waking from leg pain",
         "After a few weeks, many clients sleep through the night without the leg pain waking them."),
    ]
    added = curated.benefits[-1]
    assert _article().body[added.start:added.end] == added.evidence  # the offsets point at the quoted sentence
    assert curated.types == ["Deep tissue massage", "myofascial release"]


def test_an_empty_table_changes_nothing():
    extraction = extract(_article())
    assert curate(extraction, _article(), parse_curation({}, "c.toml: points"), "c.toml: points") is extraction


def test_a_quote_copied_with_typographic_quotes_and_line_breaks_still_matches():
    article = parse_article("Title\n\nClients say it's the first time they've slept well in months.\n", "a.txt")
    extraction = extract(parse_article(ARTICLE, "article.md"))
    curated = curate(extraction, article, Curation(add=(AddedPoint("helps you sleep well", "it’s the first\n time"),)),
                     "c.toml: points")
    assert curated.benefits[-1].evidence == "Clients say it's the first time they've slept well in months."


@pytest.mark.parametrize("table, where, message", [
    ({"skip": ["cures sciatica"]}, "c.toml: points.skip", "no extracted point reads 'cures sciatica'"),
    ({"edit": {"cures sciatica": "eases sciatica"}}, "c.toml: points.edit", "no extracted point reads 'cures sciatica'"),
    ({"add": [{"point": "eases pain", "evidence": "a sentence the article never says"}]},
     "c.toml: points.add[1].evidence", "the quote is not in the article"),
    ({"add": [{"point": "eases pain", "evidence": "Massage and sciatica"}]},  # the title heading is not evidence
     "c.toml: points.add[1].evidence", "the quote is not in the article"),
    ({"skip_types": ["cupping"]}, "c.toml: points.skip_types", "no extracted technique reads 'cupping'"),
    ({"skip": ["reduces muscle tension in the lower back",
               "improves circulation and will flush out toxins from the tissue",
               "helps you sleep through the night without the leg pain waking them"]},
     "c.toml: points.skip", "every benefit point is skipped"),
])
def test_an_entry_that_does_not_apply_names_its_key(table, where, message):
    with pytest.raises(CurationError) as caught:
        curate(extract(_article()), _article(), parse_curation(table, "c.toml: points"), "c.toml: points")
    assert caught.value.where == where and message in caught.value.message


@pytest.mark.parametrize("table, where", [
    ({"drop": ["x"]}, "c.toml: points.drop"),
    ({"skip": "reduces pain"}, "c.toml: points.skip"),
    ({"skip": [""]}, "c.toml: points.skip"),
    ({"edit": ["reduces pain"]}, "c.toml: points.edit"),
    ({"edit": {"reduces pain": ""}}, "c.toml: points.edit.'reduces pain'"),
    ({"add": {"point": "x", "evidence": "y"}}, "c.toml: points.add"),
    ({"add": [{"point": "eases pain"}]}, "c.toml: points.add[1].evidence"),
    ({"add": [{"point": "x" * 201, "evidence": "y"}]}, "c.toml: points.add[1].point"),
    ({"add": [{"point": "x", "evidence": "y", "source": "z"}]}, "c.toml: points.add[1].source"),
])
def test_a_malformed_table_names_its_key(table, where):
    with pytest.raises(CurationError) as caught:
        parse_curation(table, "c.toml: points")
    assert caught.value.where == where


@pytest.fixture
def workspace(workspace):
    """conftest's workspace with this file's article and a `short` template that posts the point itself."""
    return write_article_and_template(workspace, ARTICLE, "Massage {{ benefit.point }}. {{ hashtags | join(' ') }}\n")


def _run(argv, capsys):
    return run_cli(argv, capsys, lambda: MONDAY)


def test_preview_and_queue_post_the_curated_points(workspace, capsys):
    path = save_campaign(workspace, CAMPAIGN + """
[points]
skip = ["improves circulation and will flush out toxins from the tissue"]
edit = { "reduces muscle tension in the lower back" = "eases tight muscles in the lower back" }
""")
    code, out, err = _run(["preview", str(path), "--json"], capsys)
    assert code == 0, err
    assert [row["text"] for row in json.loads(out)] == [
        "Massage eases tight muscles in the lower back. #sciatica",
        "Massage helps you sleep through the night without the leg pain waking them. #sciatica",
    ]
    code, out, err = _run(["queue", str(path), "--json"], capsys)
    assert code == 0, err
    assert [post["text"] for post in json.loads(out)] == [
        "Massage eases tight muscles in the lower back. #sciatica",
        "Massage helps you sleep through the night without the leg pain waking them. #sciatica",
    ]


def test_a_point_the_article_no_longer_has_is_one_line_and_exit_2(workspace, capsys):
    path = save_campaign(workspace, CAMPAIGN + '\n[points]\nskip = ["cures sciatica"]\n')
    for command in (["preview", str(path)], ["queue", str(path)]):
        code, out, err = _run(command, capsys)
        assert code == 2 and out == ""
        assert err == (f"error: {path}: points.skip: no extracted point reads 'cures sciatica' "
                       "(run `extract` to see them)\n")
    code, out, _ = _run(["list", "--json"], capsys)
    assert code == 0 and json.loads(out) == []  # nothing was queued


def test_extract_with_a_campaign_lists_the_curated_points(workspace, capsys):
    path = save_campaign(workspace, CAMPAIGN + """
[points]
skip = ["improves circulation and will flush out toxins from the tissue"]
add_types = ["myofascial release"]
""")
    code, out, err = _run(["extract", "--campaign", str(path), "--json"], capsys)
    assert code == 0, err
    extracted = json.loads(out)
    assert [b["point"] for b in extracted["benefits"]] == [
        "reduces muscle tension in the lower back",
        "helps you sleep through the night without the leg pain waking them",
    ]
    assert extracted["types"] == ["Deep tissue massage", "trigger point therapy", "myofascial release"]
    code, out, err = _run(["extract", str(workspace / "article.md"), "--json"], capsys)
    assert code == 0 and len(json.loads(out)["benefits"]) == 3  # the article alone: what the extractor found


@pytest.mark.parametrize("argv", [["extract"], ["extract", "article.md", "--campaign", "campaign.toml"]])
def test_extract_wants_an_article_or_a_campaign(workspace, capsys, argv):
    save_campaign(workspace, CAMPAIGN)
    code, out, err = _run(argv, capsys)
    assert code == 2 and out == ""
    assert err == "error: extract: give an article or --campaign CAMPAIGN (one of the two)\n"
