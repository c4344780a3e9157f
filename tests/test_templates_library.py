"""The default template library: each template's exact output, macros, per-platform overrides, hashtags and UTM."""

from __future__ import annotations

from pathlib import Path

import pytest

from posts.benefits import Benefit, Extraction
from posts.drafts import Channel, ContentSpec, build_drafts
from posts.render import Renderer
from scheduler.campaign import default_templates_dir, load_campaign

ROOT = Path(__file__).resolve().parents[1]
URL = "https://clinic.example/blog/s"
Q = "?utm_source={p}&utm_medium=social&utm_campaign=sciatica&utm_content={t}"


def _extraction() -> Extraction:
    fields = Benefit.__dataclass_fields__
    benefit = Benefit(**{name: value for name, value in {
        "point": "reduces muscle tension", "evidence": "Massage can reduce muscle tension in the back.",
        "start": 0, "end": 46, "from_list": False}.items() if name in fields})
    return Extraction(**{name: value for name, value in {
        "title": "Massage for Sciatica", "benefits": [benefit], "types": ["Swedish massage"]}.items()
        if name in Extraction.__dataclass_fields__})


def _spec(templates: list[str], **more) -> ContentSpec:
    return ContentSpec(campaign="sciatica", topic="Massage therapy", condition="sciatica", hashtags=["#sciatica"],
                       benefit_templates=templates, technique_templates=more.pop("technique", []), article_url=URL,
                       clinic={"name": "Riverside", "booking_url": "https://clinic.example/book"}, **more)


def _texts(templates, platform="outbox", **more) -> list[str]:
    drafts = build_drafts(_extraction(), _spec(templates, **more), [Channel(platform, platform)],
                          Renderer([default_templates_dir()]))
    return [d.post.text for d in drafts]


EXPECTED = {
    "benefit": "Massage therapy reduces muscle tension.\n\nMore from Riverside: {url}\n\n#sciatica",
    "question": "Living with sciatica? Massage therapy reduces muscle tension.\nBook a session: {book}\n\n#sciatica",
    "myth": "Myth: Massage therapy is a nice extra and nothing more.\nFact: Massage therapy reduces muscle tension.\n\n"
            "The longer story: {url}\n\n#sciatica",
    "tip": "Tip for sciatica: Massage can reduce muscle tension in the back.\n\nRead \"Massage for Sciatica\": {url}\n\n#sciatica",
    "book": "Massage therapy reduces muscle tension.\nRiverside has appointments this week for people with sciatica.\n"
            "Book yours: {book}\n\n#sciatica",
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_benefit_template_exact(name):
    url = URL + Q.format(p="outbox", t=name)
    book = "https://clinic.example/book" + Q.format(p="outbox", t=name)
    assert _texts([name]) == [EXPECTED[name].format(url=url, book=book)]


def test_technique_templates_exact():
    texts = _texts(["benefit"], technique=["technique", "tip", "book"])[1:]
    book = "https://clinic.example/book" + Q.format(p="outbox", t="technique")
    assert texts == ["Technique spotlight: Swedish massage. Ask your therapist whether it suits your sciatica.\n\n#sciatica"]
    texts = _texts(["benefit"], technique=["tip"])[1:] + _texts(["benefit"], technique=["book"])[1:]
    assert texts == [
        "Tip for sciatica: when you book, ask whether Swedish massage fits what you need.\n\n"
        f"Read \"Massage for Sciatica\": {URL + Q.format(p='outbox', t='tip')}\n\n#sciatica",
        "Swedish massage is one of the ways we work.\nRiverside has appointments this week for people with sciatica.\n"
        f"Book yours: {book.replace('technique', 'book')}\n\n#sciatica",
    ]


def test_bluesky_overrides_are_shorter_and_fit():
    (tip,) = _texts(["tip"], platform="bluesky")
    assert tip == f"Tip: Massage can reduce muscle tension in the back.\n\n{URL + Q.format(p='bluesky', t='tip')}\n\n#sciatica"
    assert (default_templates_dir() / "bluesky" / "myth.j2").is_file()


def test_utm_off_leaves_links_as_given():
    assert _texts(["book"], utm=False) == [
        "Massage therapy reduces muscle tension.\nRiverside has appointments this week for people with sciatica.\n"
        "Book yours: https://clinic.example/book\n\n#sciatica"]


def test_templates_get_the_capped_hashtags_for_their_platform():
    more = {"hashtag_sets": [["#backpain", "#selfcare"]]}
    assert _texts(["benefit"], platform="mastodon", **more)[0].endswith("#sciatica #backpain #selfcare")
    assert _texts(["benefit"], platform="threads", **more)[0].endswith("\n\n#sciatica")
    assert _texts(["benefit"], platform="x", **more)[0].endswith("\n\n#sciatica #backpain")


def test_user_templates_can_import_the_shipped_macros(tmp_path):
    (tmp_path / "mine.j2").write_text('{% import "_macros.j2" as m %}{{ variation }} on {{ platform }}: {{ m.tags(hashtags) }}')
    drafts = build_drafts(_extraction(), _spec(["mine"]), [Channel("outbox", "outbox")],
                          Renderer([tmp_path, default_templates_dir()]))
    assert drafts[0].post.text == "mine on outbox: #sciatica"
    assert drafts[0].hashtags == ["#sciatica"]


def test_library_files_ship():
    names = {p.name for p in default_templates_dir().glob("*.j2")}
    assert names >= {"_macros.j2", "benefit.j2", "question.j2", "myth.j2", "technique.j2", "tip.j2", "book.j2"}


@pytest.mark.parametrize("name", ["_macros", "benefit.j2", "bluesky/tip"])
def test_template_names_that_are_not_post_templates_are_refused(tmp_path, name):
    from scheduler.errors import ConfigError

    path = tmp_path / "c.toml"
    path.write_text(f'[campaign]\nname="c"\narticle="a.md"\ntopic="T"\nchannels=["outbox"]\n'
                    f'[cadence]\nzone="UTC"\nslots=["daily 09:00"]\n[templates]\nbenefit=["{name}"]\n')
    with pytest.raises(ConfigError) as caught:
        load_campaign(path)
    assert str(caught.value).startswith(f"{path}: templates.benefit: invalid template name {name!r}")


def test_campaign_file_hashtag_errors_name_file_and_key(tmp_path):
    from scheduler.errors import ConfigError

    path = tmp_path / "c.toml"
    base = ('[campaign]\nname="c"\narticle="a.md"\ntopic="T"\nchannels=["outbox"]\n'
            '[cadence]\nzone="UTC"\nslots=["daily 09:00"]\n')
    path.write_text(base + '[hashtags]\nsets = [["#ok"], ["#back pain"]]\n')
    with pytest.raises(ConfigError) as caught:
        load_campaign(path)
    assert str(caught.value) == (f"{path}: hashtags.sets[1]: invalid hashtag '#back pain': "
                                 "use letters, digits and underscores only, no spaces")
    path.write_text(base + '[hashtags]\ncaps = { threads = 3 }\n')
    with pytest.raises(ConfigError) as caught:
        load_campaign(path)
    assert str(caught.value) == f"{path}: hashtags.caps.threads: 3 is over threads's own limit of 1 hashtag(s)"
    path.write_text(base.replace('topic="T"', 'topic="T"\nutm = "no"'))
    with pytest.raises(ConfigError) as caught:
        load_campaign(path)
    assert str(caught.value) == f"{path}: campaign.utm: must be true or false, not 'no'"
