"""The pure content core: article parsing, benefit extraction, hashtags, counting, facets, rendering."""

from __future__ import annotations

from pathlib import Path

import pytest

from posts.article import parse_article
from posts.benefits import extract
from posts.compile import bluesky_facets, compile_post
from posts.errors import ArticleError, HashtagError, PostTooLongError, TemplateError
from posts.hashtags import find_hashtags, find_links, normalize_hashtag
from posts.platforms import graphemes, graphemes_with_short_links, rules_for
from posts.render import Renderer

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seeds" / "000_e146a2be32526160.txt"
SAMPLE = ROOT / "scheduler" / "sample" / "article.md"

needs_seed = pytest.mark.skipif(not SEED.is_file(), reason=f"the seed article is read from ../shared at test time and {SEED} is absent")


def _points(path: Path) -> list[str]:
    return [b.point for b in extract(parse_article(path.read_text(encoding="utf-8"), str(path))).benefits]


@needs_seed
def test_seed_article_has_the_five_benefits_and_three_types():
    extraction = extract(parse_article(SEED.read_text(encoding="utf-8"), str(SEED)))
    joined = " | ".join(b.point for b in extraction.benefits)
    for needle in ("muscle tension", "circulation", "endorphins", "future bouts", "posture and flexibility"):
        assert needle in joined, needle
    assert extraction.types == ["deep tissue massage", "Swedish massage", "trigger point therapy"]
    assert extraction.title == "The Benefits of Massage Therapy for Sciatica"


@needs_seed
def test_each_seed_benefit_keeps_its_source_sentence_and_offsets():
    article = parse_article(SEED.read_text(encoding="utf-8"), str(SEED))
    for benefit in extract(article).benefits:
        assert article.body[benefit.start:benefit.end] == benefit.evidence
    tension = next(b for b in extract(article).benefits if "muscle tension" in b.point and not b.from_list)
    assert tension.evidence.startswith("One of the key benefits")


@needs_seed
def test_seed_elaborations_warnings_and_consequences_are_not_points():
    joined = " | ".join(_points(SEED))
    assert "toxins" not in joined  # "This improved circulation can also help to flush out…" elaborates
    assert "relax them" not in joined
    assert "conditions that lead" not in joined


def test_sample_article_points_in_article_order():
    assert _points(SAMPLE) == [
        "reduces muscle tension in the lower back and legs",
        "improves blood circulation around the irritated nerve",
        "releases endorphins",
        "helps prevent future flare-ups of sciatica",
        "improves posture and flexibility",
    ]


def test_markdown_headings_lists_and_links_are_cleaned():
    article = parse_article(
        "# Yoga for Back Pain\n\n- Yoga can **improve** core strength.\n- Read [our guide](https://x.test).\n", "a.md"
    )
    assert article.title == "Yoga for Back Pain"
    assert [s.text for s in article.sentences] == ["Yoga can improve core strength.", "Read our guide."]


def test_html_article_takes_title_and_skips_navigation():
    html = (
        "<html><head><title>Cold Therapy</title></head><body><nav>Home | Blog</nav><h1>Cold Therapy for Pain</h1>"
        "<p>Cold therapy can reduce swelling after an injury.</p><script>var x;</script></body></html>"
    )
    article = parse_article(html, "page.html")
    assert article.title == "Cold Therapy for Pain"
    assert "Home" not in article.body and "var x" not in article.body
    assert _only_points(article) == ["reduces swelling after an injury"]


def _only_points(article) -> list[str]:
    return [b.point for b in extract(article).benefits]


def test_sentence_split_keeps_abbreviations():
    article = parse_article("Title line\nSee Dr. Smith, e.g. on Monday. Massage can ease pain.", "a.txt")
    assert [s.text for s in article.sentences] == ["See Dr. Smith, e.g. on Monday.", "Massage can ease pain."]


@pytest.mark.parametrize("text", ["", "   \n  "])
def test_empty_article_is_refused_naming_the_file(text):
    with pytest.raises(ArticleError) as caught:
        parse_article(text, "empty.txt")
    assert str(caught.value) == "empty.txt: the article is empty"


def test_article_without_benefits_is_refused():
    with pytest.raises(ArticleError, match="no benefit points"):
        extract(parse_article("Opening hours\nWe are open on Mondays. Parking is free.", "hours.txt"))


@pytest.mark.parametrize("tag, expected", [("#Sciatica", "#Sciatica"), ("backpain", "#backpain"), ("#rücken_schmerz", "#rücken_schmerz"), ("#2026goals", "#2026goals")])
def test_valid_hashtags(tag, expected):
    assert normalize_hashtag(tag, "campaign.hashtags") == expected


@pytest.mark.parametrize("tag", ["#back pain", "#sciatica!", "#2026", "#", "", "#a-b"])
def test_invalid_hashtags_are_refused_with_the_field(tag):
    with pytest.raises(HashtagError) as caught:
        normalize_hashtag(tag, "campaign.hashtags")
    assert str(caught.value).startswith("campaign.hashtags: invalid hashtag")


def test_find_hashtags_excludes_trailing_punctuation_and_numbers():
    spans = find_hashtags("Relief! #sciatica, #backPain. #123 mid#word (#yoga)")
    assert [s.value for s in spans] == ["sciatica", "backPain", "yoga"]


def test_find_links_drops_trailing_punctuation_but_keeps_balanced_parens():
    assert [s.value for s in find_links("See https://a.test/x. And (https://b.test/wiki/A_(b)).")] == [
        "https://a.test/x", "https://b.test/wiki/A_(b)"]


def test_grapheme_counting():
    assert graphemes("👩‍⚕️") == 1  # a ZWJ sequence is one user-perceived character
    assert graphemes("e\u0301") == 1
    assert graphemes("abc") == 3


def test_mastodon_counts_each_link_as_23():
    text = "Read https://clinic.example/a/very/long/path/that/goes/on/and/on now"
    assert graphemes_with_short_links(text) == len("Read ") + 23 + len(" now")


def test_mastodon_limit_is_500_and_refused_at_compile_time():
    ok = "a" * 476 + " https://example.com/" + "x" * 300
    assert compile_post("mastodon", ok, "t.j2").length == 500
    with pytest.raises(PostTooLongError) as caught:
        compile_post("mastodon", "a" * 501, "t.j2")
    assert str(caught.value) == "t.j2: 501 characters is over mastodon's limit of 500"


def test_bluesky_limits_graphemes_and_bytes():
    assert rules_for("bluesky").problems("🚀" * 300) == []
    assert rules_for("bluesky").problems("🚀" * 301) == ["301 graphemes is over bluesky's limit of 300"]
    heavy = "👩‍👩‍👧‍👦" * 200  # 200 graphemes, 25 bytes each
    assert rules_for("bluesky").problems(heavy) == ["5000 bytes is over bluesky's limit of 3000 bytes"]


def test_bluesky_facets_use_utf8_byte_offsets():
    text = "Héllo 🚀 massage helps #sciatica — https://clinic.example/b?x=1 #backpain."
    raw = text.encode("utf-8")
    facets = bluesky_facets(text)
    covered = [raw[f["index"]["byteStart"]:f["index"]["byteEnd"]].decode() for f in facets]
    assert covered == ["#sciatica", "https://clinic.example/b?x=1", "#backpain"]
    assert facets[0]["features"] == [{"$type": "app.bsky.richtext.facet#tag", "tag": "sciatica"}]
    assert facets[1]["features"] == [{"$type": "app.bsky.richtext.facet#link", "uri": "https://clinic.example/b?x=1"}]
    assert facets[0]["index"]["byteStart"] == len("Héllo 🚀 massage helps ".encode())


def test_bluesky_tag_over_64_graphemes_gets_no_facet():
    assert bluesky_facets("#" + "a" * 65) == []
    assert len(bluesky_facets("#" + "a" * 64)) == 1


def _renderer(tmp_path: Path, files: dict[str, str]) -> Renderer:
    for name, body in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(body, encoding="utf-8")
    return Renderer([tmp_path])


def test_platform_override_wins(tmp_path):
    renderer = _renderer(tmp_path, {"t.j2": "shared {{ x }}", "bluesky/t.j2": "bsky {{ x }}"})
    assert renderer.render("t", "bluesky", {"x": 1}) == "bsky 1"
    assert renderer.render("t", "mastodon", {"x": 1}) == "shared 1"


def test_undefined_variable_names_file_and_line(tmp_path):
    renderer = _renderer(tmp_path, {"t.j2": "line one\n{{ nope }}\n"})
    with pytest.raises(TemplateError) as caught:
        renderer.render("t", "outbox", {})
    assert str(caught.value) == f"{tmp_path / 't.j2'}:2: undefined variable: 'nope' is undefined"


def test_syntax_error_names_file_and_line(tmp_path):
    renderer = _renderer(tmp_path, {"t.j2": "ok\n{% if %}\n"})
    with pytest.raises(TemplateError) as caught:
        renderer.render("t", "outbox", {})
    assert str(caught.value).startswith(f"{tmp_path / 't.j2'}:2: template syntax error")


def test_sandbox_blocks_unsafe_attribute_access(tmp_path):
    renderer = _renderer(tmp_path, {"t.j2": "{{ x.__class__.__mro__ }}"})
    with pytest.raises(TemplateError):
        renderer.render("t", "outbox", {"x": "s"})


def test_missing_template(tmp_path):
    with pytest.raises(TemplateError, match="no template named 'ghost'"):
        Renderer([tmp_path]).render("ghost", "outbox", {})
