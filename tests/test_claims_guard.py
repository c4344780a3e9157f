"""The health-claims guard: risky claims flagged with a severity and softer wording, plain ones never;
warn shows, block refuses to queue; the disclaimer is part of each post and its count."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from posts.claims import BUILTIN_RULES, ClaimError, Guard, build_guard, check_text

from helpers import MONDAY, run_cli, save_campaign

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seeds" / "000_e146a2be32526160.txt"
SAMPLE_ARTICLE = ROOT / "scheduler" / "sample" / "article.md"


def rules(text: str) -> list[tuple[str, str, str]]:
    return [(f.rule, f.severity, f.match) for f in check_text(text)]


@pytest.mark.skipif(not SEED.is_file(), reason=f"the seed article is read from ../shared at test time and {SEED} is absent")
def test_seed_article_toxin_sentence_is_the_one_flagged():
    sentences = re.split(r"(?<=[.!?])\s+", SEED.read_text(encoding="utf-8"))
    flagged = {s: rules(s) for s in sentences if check_text(s)}
    assert list(flagged.values()) == [[("toxins", "high", "flush out the toxins")]]
    assert next(iter(flagged)).startswith("This improved circulation can also help to flush out the toxins")


RISKY = [
    ("Massage will cure your sciatica.", [("cure", "high", "cure")]),
    ("A cure-all for back pain.", [("cure", "high", "cure-all")]),
    ("Relief guaranteed after one session!", [("guaranteed", "high", "guaranteed")]),
    ("Try our detox massage.", [("detox", "high", "detox")]),
    ("It helps flush out toxins from your muscles.", [("toxins", "high", "flush out toxins")]),
    ("Toxins are flushed from the tissue.", [("toxins", "high", "Toxins are flushed")]),
    ("Gentle, with no side effects.", [("no-side-effects", "high", "no side effects")]),
    ("A risk-free way to relax.", [("risk-free", "medium", "risk-free")]),
    ("A miracle for sore backs.", [("miracle", "medium", "miracle")]),
    ("Clinically proven to ease pain.", [("clinically-proven", "high", "Clinically proven")]),
    ("Massage prevents sciatica.", [("prevents", "high", "prevents")]),
    ("Stretching will prevent flare-ups.", [("prevents", "high", "prevent")]),
    ("A miracle cure, guaranteed.", [("miracle", "medium", "miracle"), ("cure", "high", "cure"), ("guaranteed", "high", "guaranteed")]),
]


@pytest.mark.parametrize("text, expected", RISKY)
def test_risky_claims_are_flagged(text, expected):
    assert rules(text) == expected


PLAIN = [
    "Massage may help reduce muscle tension.",
    "Massage can ease sciatica pain.",
    "Regular sessions help prevent flare-ups.",
    "Regular sessions may help prevent future flare-ups of sciatica.",
    "Massage can also help to prevent future bouts of sciatica.",
    "Good posture can lower the risk of strain.",
    "There is no cure for sciatica, but massage can ease the pain.",
    "Results are not guaranteed.",
    "We cannot guarantee how quickly you will feel better.",
    "Injury prevention starts with a warm-up.",
    "Massage releases endorphins, the body's natural pain relievers.",
    "Improved circulation supports the body's own healing.",
    "Side effects are usually mild, such as soreness the next day.",
    "Clinically proven to reduce pain (Smith et al., 2019).",
    "Book a session with a licensed therapist.",
    "Our secure booking page takes two minutes.",
]


@pytest.mark.parametrize("text", PLAIN)
def test_plain_wording_is_never_flagged(text):
    assert check_text(text) == []


def test_finding_describes_itself_in_one_line():
    (finding,) = check_text("Massage prevents sciatica.")
    assert finding.describe() == ('claim (high, prevents): "prevents" is an absolute prevention claim; '
                                  'try: "may help prevent" or "can lower the risk of"')
    assert finding.as_json() == {"rule": "prevents", "severity": "high", "match": "prevents", "start": 8, "end": 16,
                                 "message": "is an absolute prevention claim",
                                 "suggestion": "\"may help prevent\" or \"can lower the risk of\""}


def test_campaign_rules_extend_and_ignore_switches_off():
    guard = build_guard("block", [{"id": "painfree", "pattern": r"\bpain[\s-]free\b", "severity": "high",
                                   "suggestion": "\"less pain\""}], ["miracle"], "c.toml: guard")
    assert guard.mode == "block"
    assert [(f.rule, f.severity, f.suggestion) for f in guard.check("A pain-free miracle.")] == [
        ("painfree", "high", "\"less pain\"")]
    assert len(guard.rules) == len(BUILTIN_RULES)
    assert Guard("off").check("A miracle cure") == []


@pytest.mark.parametrize("mode, extra, ignore, message", [
    ("loud", [], [], "c.toml: guard.mode: unknown mode 'loud' (one of warn, block, off)"),
    ("warn", [], ["nope"], "c.toml: guard.ignore: no built-in rule 'nope'"),
    ("warn", [{"id": "a", "pattern": "(", "suggestion": "s"}], [], "c.toml: guard.rules[0]: pattern is not a valid regular expression"),
    ("warn", [{"id": "a", "suggestion": "s"}], [], "c.toml: guard.rules[0]: pattern is missing or empty"),
    ("warn", [{"id": "cure", "pattern": "x", "suggestion": "s"}], [], "c.toml: guard.rules[0]: rule id 'cure' is already in use"),
    ("warn", [{"id": "a", "pattern": "x", "suggestion": "s", "severity": "dire"}], [], "c.toml: guard.rules[0]: unknown severity 'dire'"),
    ("warn", [{"id": "a", "pattern": "x", "suggestion": "s", "word": "x"}], [], "c.toml: guard.rules[0]: unknown key 'word'"),
])
def test_bad_guard_settings_name_the_key(mode, extra, ignore, message):
    with pytest.raises(ClaimError) as caught:
        build_guard(mode, extra, ignore, "c.toml: guard")
    assert str(caught.value).startswith(message)


# --- through the CLI -------------------------------------------------------------------------

CAMPAIGN = """
[campaign]
name = "sciatica"
article = "{article}"
topic = "Massage therapy"
condition = "sciatica"
hashtags = ["#sciatica"]
channels = ["outbox"]

[cadence]
zone = "America/New_York"
slots = ["mon,wed,fri 09:30"]

[templates]
benefit = ["benefit"]
{extra}
"""
RISKY_ARTICLE = """# Massage and sciatica

Massage therapy can reduce muscle tension in the lower back.

Massage also improves circulation and will flush out toxins from the tissue.
"""


def campaign(folder: Path, extra: str = "", article: str = RISKY_ARTICLE) -> Path:
    (folder / "article.md").write_text(article, encoding="utf-8")
    (folder / "templates").mkdir(exist_ok=True)
    # The claim is in the evidence sentence: a template that quotes it carries it into the post.
    (folder / "templates" / "benefit.j2").write_text("{{ benefit.evidence }}\n\n{{ hashtags | join(' ') }}\n")
    return save_campaign(folder, CAMPAIGN.format(article="article.md", extra=extra))


def run(argv, capsys):
    return run_cli(argv, capsys, lambda: MONDAY)


def test_warn_mode_shows_the_claim_in_plan_json(workspace, capsys):
    code, out, err = run(["plan", str(campaign(workspace)), "--json"], capsys)
    assert code == 0, err
    posts = json.loads(out)
    assert [p["warnings"] for p in posts] == [[], [
        'claim (high, toxins): "flush out toxins" is a toxin-flushing claim with no medical basis; '
        'try: "improves blood flow to the area" or leave it out']]


def test_block_mode_refuses_to_queue_naming_file_and_post_and_writes_nothing(workspace, capsys):
    path = campaign(workspace, '[guard]\nmode = "block"\n')
    assert run(["add", "--channel", "outbox", "--text", "already here"], capsys)[0] == 0
    before = sqlite3.connect(workspace / "q.db").execute("SELECT count(*), max(updated_at) FROM posts").fetchone()
    code, out, err = run(["queue", str(path)], capsys)
    assert code == 2 and out == ""
    assert err == (f"error: {path}: {workspace / 'templates' / 'benefit.j2'} (benefit 2, channel outbox): "
                   'blocked by [guard] mode = "block": claim (high, toxins): "flush out toxins" is a toxin-flushing '
                   'claim with no medical basis; try: "improves blood flow to the area" or leave it out\n')
    after = sqlite3.connect(workspace / "q.db").execute("SELECT count(*), max(updated_at) FROM posts").fetchone()
    assert after == before


def test_block_mode_with_the_rule_ignored_queues(workspace, capsys):
    path = campaign(workspace, '[guard]\nmode = "block"\nignore = ["toxins"]\n')
    code, out, err = run(["queue", str(path), "--json"], capsys)
    assert code == 0 and len(json.loads(out)) == 2, err


def test_extra_rule_from_the_campaign_file_blocks(workspace, capsys):
    extra = ('[guard]\nmode = "block"\nignore = ["toxins"]\n\n[[guard.rules]]\nid = "tension"\n'
             'pattern = "muscle tension"\nseverity = "low"\nsuggestion = "tight muscles"\n')
    code, _, err = run(["plan", str(campaign(workspace, extra))], capsys)
    assert code == 2 and "(benefit 1, channel outbox)" in err
    assert 'claim (low, tension): "muscle tension" is on the campaign\'s list of claims to avoid; try: tight muscles' in err


def test_bad_guard_in_campaign_file_is_one_line_exit_2(workspace, capsys):
    path = campaign(workspace, '[guard]\nmode = "loud"\n')
    code, _, err = run(["plan", str(path)], capsys)
    assert code == 2 and err == f"error: {path}: guard.mode: unknown mode 'loud' (one of warn, block, off)\n"


def test_disclaimer_is_appended_and_counted_where_asked(workspace, capsys):
    extra = '[disclaimer]\ntext = "Not medical advice."\nplatforms = ["outbox"]\n'
    code, out, err = run(["plan", str(campaign(workspace, extra)), "--json"], capsys)
    assert code == 0, err
    first = json.loads(out)[0]
    assert first["text"] == ("Massage therapy can reduce muscle tension in the lower back.\n\n#sciatica\n\n"
                             "Not medical advice.")
    assert first["length"] == len(first["text"])


def test_disclaimer_only_on_the_named_platforms_and_templates(workspace, capsys):
    extra = '[disclaimer]\ntext = "Not medical advice."\nplatforms = ["mastodon"]\n'
    code, out, _ = run(["plan", str(campaign(workspace, extra)), "--json"], capsys)
    assert code == 0 and all("Not medical advice." not in p["text"] for p in json.loads(out))
    extra = '[disclaimer]\ntext = "Not medical advice."\ntemplates = ["question"]\n'
    code, out, _ = run(["plan", str(campaign(workspace, extra)), "--json"], capsys)
    assert code == 0 and all("Not medical advice." not in p["text"] for p in json.loads(out))


def test_disclaimer_pushes_a_post_over_the_limit_and_is_refused(workspace, capsys, monkeypatch):
    monkeypatch.setenv("MASTODON_BASE_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("MASTODON_ACCESS_TOKEN", "tok")
    long_article = "# T\n\nMassage therapy can reduce muscle tension in the lower back" + " and legs" * 47 + ".\n"
    extra = f'[disclaimer]\ntext = "{"Not medical advice. " * 3}"\n'
    path = campaign(workspace, extra, article=long_article)
    path.write_text(path.read_text().replace('channels = ["outbox"]', 'channels = ["mastodon"]'))
    code, _, err = run(["plan", str(path)], capsys)
    assert code == 2 and "over mastodon's limit of 500" in err, err
    path.write_text(path.read_text().replace("[disclaimer]", "[disclaimer]\nplatforms = [\"outbox\"]"))
    assert run(["plan", str(path)], capsys)[0] == 0
