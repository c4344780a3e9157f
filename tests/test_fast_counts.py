"""The fast paths of counting and rendering against the full computations they stand for (issue 7, target 6).

Each shortcut is compared with the code it replaces on many seeded random texts (built to hit the edges:
URL pieces next to every separator, every top-level domain, case-folding look-alikes, joining characters,
emoji, CR LF) and on twitter-text's conformance texts when ../shared has them; the facts the proofs rest
on (in the docstrings of posts/twitter.py ``_extract_urls`` and ``screen_for``) are checked here as well.
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import jinja2
import pytest
import regex
from jinja2.sandbox import SandboxedEnvironment

from posts import compile as compiling
from posts import hashtags, platforms, render, twitter

ROOT = Path(__file__).resolve().parents[1]
CONFORMANCE = ROOT.parent / "shared" / "conformance" / "twitter-text"


def _tt():
    return twitter._twitter_text()


def _package_urls(text: str) -> list[dict]:
    return _tt().extract_urls_with_indices(text)


def _tlds() -> list[str]:
    _tt()  # imports twitter_text (with its pkg_resources stand-in) before its submodules
    from twitter_text.regexp.valid_cctld import valid_cctld
    from twitter_text.regexp.valid_gtld import valid_gtld

    head, tail = "(?:(?:", ")(?=[^0-9a-zA-Z@+-]|$))"
    return [word for p in (valid_gtld, valid_cctld) for word in p.pattern[len(head):-len(tail)].split("|")]


def _separators() -> list[str]:
    _tt()
    from twitter_text.regexp.spaces_group import spaces_group

    pattern = re.compile(f"[{spaces_group}]")
    return [chr(c) for c in range(0x3001) if pattern.match(chr(c))]


URL_PIECES = [
    "http://", "https://", "HTTPS://", "hTtP://", "www.", "t.co/", "t.co/abc123", "example", "twitter", "a", "b1",
    "-", "_", ".", "..", ".com", ".co", ".jp", ".COM", ".Com", ".co.uk", ".xn--p1ai", ".рф", ".中国", ".みんな",
    ".onion", ".ſite", ".\u212aim", ".kim", ".Kiwi", ".comx", ".com1", ".com-", ".com@", ".com+", "/path", "/a/b/",
    "/(x)", "?q=1&x=y", "?", "#frag", ":8080", ":", "(", ")", "[", "]", "@", "＠", "$", "#", "＃", "!", ",", "'",
    '"', "é", "日本", "ы", "—", "\u2013", "0", "42", "e\u0301", "\u0300", "\u202a", "\u200e", "\u2066", "\u061c",
    "\ufffe", "\ufeff", "clinic.example/blog/sciatica?p=3", "riversideclinic.com/book", "a.b.c.d.com", "-a.com",
    "a-.com", "_a.com", "xn--abc.com", "1.2.3.4", "foo.bar", "http://foo.bar", "https://t.co/" + "a" * 41,
]


def _random_texts(seed: int, count: int, pieces: list[str], longest: int = 24) -> list[str]:
    chooser = random.Random(seed)
    return ["".join(chooser.choice(pieces) for _ in range(chooser.randint(0, longest))) for _ in range(count)]


def _conformance_texts() -> list[str]:
    if not CONFORMANCE.is_dir():
        return []
    yaml = pytest.importorskip("yaml")
    texts = []
    for name in ("extract.yml", "validate.yml"):
        for cases in yaml.safe_load((CONFORMANCE / name).read_text(encoding="utf-8"))["tests"].values():
            texts += [case["text"] for case in cases or [] if isinstance(case.get("text"), str)]
    return texts


# X: URLs ----------------------------------------------------------------------------------------------------

def test_the_windowed_url_search_is_in_use():
    # posts/twitter.py was proven for twitter-text-parser's URL grammar as it is; another grammar falls back to
    # the package's whole-text search (still exact, but the benchmark would lose its fast path): look again.
    assert twitter._url_search() is not None


def test_what_the_url_proof_rests_on():
    _tt()
    from twitter_text.regexp.valid_domain_chars import valid_domain_chars
    from twitter_text.regexp.valid_general_url_path_chars import valid_general_url_path_chars
    from twitter_text.regexp.valid_port_number import valid_port_number
    from twitter_text.regexp.valid_punycode import valid_punycode
    from twitter_text.regexp.valid_url_path_ending_chars import valid_url_path_ending_chars
    from twitter_text.regexp.valid_url_query_chars import valid_url_query_chars
    from twitter_text.regexp.valid_url_query_ending_chars import valid_url_query_ending_chars

    blocks = [valid_domain_chars, valid_general_url_path_chars, valid_url_path_ending_chars, valid_url_query_chars,
              valid_url_query_ending_chars, valid_port_number, valid_punycode]
    separators = _separators()
    assert len(separators) == 26
    for block in blocks:  # no piece of a URL (after its preceding character) takes a separator
        compiled = re.compile(block.pattern if isinstance(block, re.Pattern) else block, re.IGNORECASE)
        assert not [s for s in separators if compiled.search(s)], block
    tlds = _tlds()
    assert len(tlds) > 1500
    assert not [t for t in tlds if "." in t or any(s in t for s in separators) or re.escape(t) != t]
    assert not any(s in "https://" for s in separators)


def _assert_same_urls(texts: list[str]) -> None:
    for text in texts:
        assert twitter._extract_urls(text) == _package_urls(text), repr(text)


def test_urls_equal_the_package_on_random_texts():
    pieces = URL_PIECES + _separators()
    _assert_same_urls(_random_texts(7, 4000, pieces))
    _assert_same_urls(_random_texts(8, 1500, pieces, longest=80))


def test_urls_equal_the_package_for_every_top_level_domain():
    chooser = random.Random(11)
    after = ["", " ", "x", "1", "/p", "-", "@", "+", ".", ":80", "?a=b", "é", "\n", "\u3000", "_"]
    texts = []
    for tld in _tlds():
        cased = "".join(c.upper() if chooser.random() < 0.3 else c for c in tld)
        texts += [f"a.{tld}{chooser.choice(after)}", f"x https://b.{cased}/y{chooser.choice(after)}",
                  f"({chooser.choice(['', 'www.'])}c-d.{cased}{chooser.choice(after)})"]
    _assert_same_urls(texts)


def test_urls_equal_the_package_on_the_conformance_texts():
    texts = _conformance_texts()
    if not texts:
        pytest.skip(f"no conformance data at {CONFORMANCE}")
    _assert_same_urls(texts)


def test_the_benchmark_posts_need_no_url_search_and_real_links_still_count():
    # clinic.example is no URL for twitter-text (.example is no TLD): no candidate, nothing searched.
    post = "Massage therapy eases pain (3).\n\nMore: https://clinic.example/blog/sciatica?p=3\n\n#massagetherapy"
    assert list(twitter._url_search()[0].finditer(post)) == [] and _package_urls(post) == []
    real = post.replace("clinic.example", "riversideclinic.com")
    assert twitter._extract_urls(real) == _package_urls(real) != []
    assert twitter.weighted_length(real) == len(real) - len("https://riversideclinic.com/blog/sciatica?p=3") + 23


# X: the weighted length ----------------------------------------------------------------------------------------

def _package_parse(text: str, version: int) -> dict:
    return _tt().parse_tweet(text, twitter._config(version)).asdict()


# Emoji the package's (Emoji 13) list knows, whole: v3 results match for these (see posts/twitter.py on others).
SIMPLE_EMOJI = ["😷", "🌿", "🚀", "❤️", "👍🏽", "🇫🇷", "👨‍👩‍👧‍👦", "#️⃣", "©", "™", "‼"]
WEIGHT_PIECES = ["a", "b", " ", "\n", "\r\n", "\r", ".", "é", "e\u0301", "日本語", "ы", "—", "‘’", "\u2013", "😷",
                 "\u3000", "\u2010", "\ufeff", "\ufffe", "https://t.co/x", "example.com", "http://a.co/b?c=d",
                 "#tag", "@user", "x" * 40, "日" * 30]


def test_weighted_length_equals_the_package_without_emoji_discount():
    extra = ["\u200d", "\ufe0f", "🏽", "\U0001F1E6", "\u20e3"]  # v2 weighs code points: nothing to discount
    for text in _random_texts(21, 600, WEIGHT_PIECES + SIMPLE_EMOJI + extra, longest=30):
        assert twitter.parse_tweet(text, 2) == _package_parse(text, 2), repr(text)
        assert twitter.weighted_length(text, 2) == _package_parse(text, 2)["weightedLength"]


def test_weighted_length_equals_the_package_with_emoji_discount():
    for text in _random_texts(22, 600, WEIGHT_PIECES + SIMPLE_EMOJI, longest=30):
        expected = _package_parse(text, 3)
        assert twitter.parse_tweet(text, 3) == expected, repr(text)
        assert twitter.weighted_length(text) == expected["weightedLength"], repr(text)


def test_no_ascii_character_starts_an_emoji_or_weighs_more():
    ascii_text = "".join(map(chr, range(128)))
    assert twitter._EMOJI_CHARACTER.search(ascii_text) is None
    for version in (1, 2, 3):
        assert twitter._weighing(version)[4] is True


def test_x_problems_are_twitter_texts_invalid_characters():
    _tt()
    from twitter_text.has_invalid_characters import has_invalid_characters

    for text in _random_texts(23, 3000, WEIGHT_PIECES + ["\uffff", "\ufeff", "\ufffe", "\ufffd"], longest=6):
        assert bool(twitter.problems(text)) is has_invalid_characters(text), repr(text)


# Character screens (graphemes, emoji) ---------------------------------------------------------------------

@pytest.mark.parametrize("pattern", [platforms._JOINING, twitter._EMOJI_CHARACTER], ids=["joining", "emoji"])
def test_a_screen_lets_through_every_character_its_pattern_matches(pattern):
    everything = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    screened_out = twitter.screen_for(pattern).sub("", everything)
    assert len(screened_out) > 5000  # the common blocks, less what the pattern matches there
    assert pattern.search(screened_out) is None


GRAPHEME_PIECES = ["a", " ", "\r\n", "\r", "\n", "é", "e\u0301", "\u0300", "\u200d", "\u200c", "\ufe0f", "🏽", "👍",
                   "👨‍👩‍👧‍👦", "🇫🇷", "\U0001F1E6", "\u20e3", "1", "ᄀ", "ᅡ", "ᆨ", "가", "각", "क्ष", "\u0903", "\u0600",
                   "ไ", "\u0e33", "日本", "—", "ы", "\u0483", "\u302a", "😷", "🌿", "\U000e0067", "\u2028"]


def test_graphemes_equal_the_full_segmentation():
    for text in _random_texts(31, 5000, GRAPHEME_PIECES, longest=12):
        assert platforms.graphemes(text) == len(regex.findall(r"\X", text)), repr(text)


# Hashtags, links, LinkedIn, Bluesky ------------------------------------------------------------------------

OLD_TAG_IN_TEXT = re.compile(rf"(?:^|(?<=[\s(\[]))[#＃](?P<tag>{hashtags._TAG_BODY})", re.UNICODE)
TAG_PIECES = ["#", "＃", "a", "B", "_", "1", " ", "\n", "(", "[", ")", ".", ",", "é", "ы", "日", "#tag", "##", "x#y",
              "\u00a0", "\u3000", "-", "'", "@"]


def test_hashtags_equal_the_previous_pattern():
    for text in _random_texts(41, 8000, TAG_PIECES, longest=16):
        old = [(m.start(), m.end(), m["tag"]) for m in OLD_TAG_IN_TEXT.finditer(text) if not m["tag"].isdigit()]
        assert hashtags.hashtag_spans(text) == old, repr(text)
        assert [(s.start, s.end, s.value) for s in hashtags.find_hashtags(text)] == old


LINK_PIECES = ["http", "HTTPS", "hTTp", "ſ", "s", "S", "://", ":/", "/", " ", "\n", "x", ".com", "(", ")", '"', "“",
               "https://", "http://", "://://", "a", "<", ".", ",", "é"]


def test_links_equal_finditer():
    for text in _random_texts(51, 8000, LINK_PIECES, longest=14):
        assert [m.span() for m in hashtags._url_matches(text)] == [m.span() for m in hashtags.URL.finditer(text)], text


def test_little_text_escaping_equals_the_reserved_character_pattern():
    reserved = regex.compile(r"[\\|{}@\[\]()<>#*_~]")
    pieces = list("\\|{}@[]()<>#*_~") + ["a", " ", "é", "\\\\", "#tag", "\n"]
    for text in _random_texts(61, 5000, pieces, longest=14):
        assert platforms._escape_little_text(text) == reserved.sub(lambda m: "\\" + m.group(0), text), repr(text)


def test_bluesky_facets_at_utf8_offsets_whatever_the_text():
    pieces = ["#tag", " ", "é", "日本", "😷", "https://a.test/x", "#", "a", "\n", "(", "#" + "b" * 70]
    for text in _random_texts(71, 3000, pieces, longest=10):
        payload, _ = compiling._bluesky_payload_and_warnings(text)
        encoded = text.encode("utf-8")
        for facet in payload["facets"]:
            piece = encoded[facet["index"]["byteStart"]:facet["index"]["byteEnd"]].decode("utf-8")
            feature = facet["features"][0]
            assert piece == ("#" + feature["tag"] if "tag" in feature else feature["uri"]), (text, facet)


# Rendering: the sandbox shortcuts -------------------------------------------------------------------------

def _describe(value):
    if isinstance(value, jinja2.Undefined):
        return (type(value), value._undefined_hint, id(value._undefined_obj), value._undefined_name,
                value._undefined_exception)
    return ("value", value)  # equal, not identical: a bound method is made anew at each look-up


def test_sandbox_attribute_lookups_equal_jinja2s():
    ours = render._Sandbox(undefined=jinja2.StrictUndefined)
    plain = SandboxedEnvironment(undefined=jinja2.StrictUndefined)
    module = jinja2.Environment(loader=jinja2.FileSystemLoader(str(ROOT / "templates"))).get_template(
        "_macros.j2").module
    names = sorted(set(dir(dict)) | set(dir(object)) | set(dir(type)) | set(dir(module)) | {
        "point", "items", "keys", "__dict__", "__name__", "__mro__", "mro", "_private", "format", "nope", "tags",
        "booking_link", "_hidden", "__html__", "__globals__", "__code__", "gi_frame"})
    subjects = [{}, {"point": 1}, {"items": 2, "keys": 3}, {"__class__": 4, "__dict__": 5}, {"_private": 6},
                {name: name for name in names}, module]
    for subject in subjects:
        for name in names:
            assert _describe(ours.getattr(subject, name)) == _describe(plain.getattr(subject, name)), (subject, name)


def test_macro_calls_keep_the_unsafe_flags():
    ours = render._Sandbox(loader=jinja2.DictLoader({"m.j2": "{% macro hi(x) %}hi {{ x }}{% endmacro %}"}))
    macro = ours.get_template("m.j2").module.hi
    context = ours.get_template("m.j2").new_context({})
    assert ours.call(context, macro, "there") == "hi there"
    for flag in ("unsafe_callable", "alters_data"):
        setattr(macro, flag, True)
        with pytest.raises(jinja2.sandbox.SecurityError):
            ours.call(context, macro, "there")
        delattr(macro, flag)


def _contexts() -> list[dict]:
    base = {"topic": "Massage therapy", "condition": "sciatica", "hashtags": ["#massagetherapy", "#sciatica"],
            "article": {"title": "Massage therapy for sciatica", "url": "https://clinic.example/blog/s"},
            "clinic": {"name": "Riverside", "booking_url": "https://clinic.example/book"},
            "benefit": {"point": "eases pain 🌿", "evidence": "Studies show it."}, "technique": "Swedish massage"}
    return [base, {**base, "condition": "", "clinic": {"name": "Riverside"}, "article": {"url": ""}},
            {key: value for key, value in base.items() if key != "benefit"}]


def test_the_renderer_renders_what_a_plain_strict_sandbox_renders():
    folder = ROOT / "templates"
    plain = SandboxedEnvironment(loader=jinja2.FileSystemLoader(str(folder)), undefined=jinja2.StrictUndefined,
                                 autoescape=False, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)
    renderer = render.Renderer([folder])
    names = sorted(p.stem for p in folder.glob("*.j2") if not p.name.startswith("_"))
    assert len(names) >= 6
    compared = 0
    for platform in ("outbox", "bluesky", "x"):
        for name in names:
            template = plain.select_template([f"{platform}/{name}.j2", f"{name}.j2"])
            for context in _contexts():
                try:
                    expected = render._tidy(template.render(**context))
                except jinja2.UndefinedError as error:
                    with pytest.raises(Exception, match=re.escape(str(error.message))):
                        renderer.render(name, platform, context)
                    continue
                assert renderer.render(name, platform, context) == expected, (platform, name, context)
                compared += 1
    assert compared > 30
