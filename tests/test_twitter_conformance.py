"""twitter-text's conformance data (../shared/conformance/twitter-text), read at test time, never copied.

validate.yml: every case of the weighted-length sections (WeightedTweetsCounterTest with the v2
configuration, WeightedTweetsWithDiscountedEmojiCounterTest and UnicodeDirectionalMarkerCounterTest
with v3, which is what posts.twitter counts X posts with) and of ``tweets`` (v1 validity).
extract.yml: hashtags, hashtags_from_astral, hashtags_with_indices, and the URL sections the weighting
relies on.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from posts import twitter

CONFORMANCE = Path(__file__).resolve().parents[2] / "shared" / "conformance" / "twitter-text"

if not (CONFORMANCE / "validate.yml").is_file() or not (CONFORMANCE / "extract.yml").is_file():
    pytest.skip(f"twitter-text conformance data is read from ../shared at test time and {CONFORMANCE} is absent",
                allow_module_level=True)

yaml = pytest.importorskip("yaml", reason="PyYAML (the [test] extra) reads the conformance files")


def _load(name: str) -> dict:
    return yaml.safe_load((CONFORMANCE / name).read_text(encoding="utf-8"))["tests"]


VALIDATE = _load("validate.yml")
EXTRACT = _load("extract.yml")

# section -> twitter-text configuration version its expectations were written for
WEIGHTED_SECTIONS = {
    "WeightedTweetsCounterTest": 2,
    "WeightedTweetsWithDiscountedEmojiCounterTest": 3,
    "UnicodeDirectionalMarkerCounterTest": 3,
}


def _cases(data: dict, section: str) -> list:
    cases = data.get(section) or []
    return [pytest.param(case, id=f"{section}: {case['description']}") for case in cases]


def test_the_weighted_sections_are_there():
    for section in [*WEIGHTED_SECTIONS, "tweets"]:
        assert VALIDATE.get(section), f"validate.yml has no {section} cases"
    for section in ("hashtags", "hashtags_from_astral", "hashtags_with_indices"):
        assert EXTRACT.get(section), f"extract.yml has no {section} cases"


WEIGHTED_CASES = [
    pytest.param(section, case, id=f"{section}: {case['description']}")
    for section in WEIGHTED_SECTIONS for case in VALIDATE.get(section) or []
]


@pytest.mark.parametrize("section, case", WEIGHTED_CASES)
def test_weighted_length(section, case):
    assert twitter.parse_tweet(case["text"], WEIGHTED_SECTIONS[section]) == case["expected"], case["description"]


def test_v3_is_what_x_posts_are_counted_with():
    for case in VALIDATE["WeightedTweetsWithDiscountedEmojiCounterTest"]:
        assert twitter.weighted_length(case["text"]) == case["expected"]["weightedLength"], case["description"]


@pytest.mark.parametrize("case", _cases(VALIDATE, "tweets"))
def test_tweet_validity_v1(case):
    assert twitter.parse_tweet(case["text"], 1)["valid"] is case["expected"], case["description"]


@pytest.mark.parametrize("case", _cases(EXTRACT, "hashtags") + _cases(EXTRACT, "hashtags_from_astral"))
def test_extract_hashtags(case):
    assert twitter.extract_hashtags(case["text"]) == case["expected"], case["description"]


@pytest.mark.parametrize("case", _cases(EXTRACT, "hashtags_with_indices"))
def test_extract_hashtags_with_indices(case):
    found = [{"hashtag": s.value, "indices": [s.start, s.end]} for s in twitter.extract_hashtags_with_indices(case["text"])]
    assert found == case["expected"], case["description"]


@pytest.mark.parametrize("case", _cases(EXTRACT, "urls") + _cases(EXTRACT, "tco_urls_with_params"))
def test_extract_urls(case):
    assert [s.value for s in twitter.extract_urls_with_indices(case["text"])] == case["expected"], case["description"]


@pytest.mark.parametrize("case", _cases(EXTRACT, "urls_with_indices") + _cases(EXTRACT, "urls_with_directional_markers"))
def test_extract_urls_with_indices(case):
    found = [{"url": s.value, "indices": [s.start, s.end]} for s in twitter.extract_urls_with_indices(case["text"])]
    assert found == case["expected"], case["description"]
