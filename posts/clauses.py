"""Which reader takes a clause: people's outcomes (posts/outcomes.py) and personal accounts (posts/accounts.py),
tried in turn on each clause of "…, and many people …"."""

from __future__ import annotations

import re

from posts.accounts import (_first_person_outcome, _gave_them, _my_thing_becomes, _narrative_change,
                            _possessed_does_better, _third_person_outcome, _you_become)
from posts.cues import _PEOPLE_FIND
from posts.outcomes import (_after_comma, _after_means, _after_so, _becomes, _body_settles, _people_find_good,
                            _people_gain, _people_outcome, _so_you_can, _symptom_eases, _symptom_milder, _this_does)
from posts.phrases import _better_mood, _good_way_to, _no_more, _so_they_are, _stops_feeling


def _outcome_points(text: str, in_benefit_section: bool) -> list[str]:
    """What people gain, said without the therapy as the subject; each clause of "…, and many people …"
    on its own."""
    points: list[str] = []
    # "By the end of the course my hip felt stronger, I could go up the stairs …": a dated account of change
    dated = bool(re.match(r"^(?:by|within|after)\s+(?:the end of\s+|week\s+|about\s+|a\s+|the\s+)*"
                          r"(?:course|programme|block|week|weeks|month|months|session|sessions|\w+ weeks|\w+ months)\b",
                          text, re.IGNORECASE))
    in_benefit_section = in_benefit_section or dated
    for index, clause in enumerate(_CLAUSES.split(text)):
        if index and _PEOPLE_FIND.search(text):  # "Most people find …, and they can move more freely": the same
            # people
            clause = re.sub(r"^\s*they\s+(?=(?:can|could|feel|sleep|move|get|are able)\b)", "people ", clause)
        if clause and clause.strip():
            # "Patients tell us they feel calmer, and that the worry … begins to fade": later clauses are reported too
            reported = bool(_PEOPLE_FIND.search(text))
            found = _clause_outcome(clause.strip(), in_benefit_section or reported)
            mine = None if found else _reported_as_mine(clause.strip())
            # "She told me her legs felt lighter and that the tight, bursting ache … had more or less gone": each
            points.extend(found or [point for part in re.split(r"\s+and\s+that\s+", mine or "") if part
                                    for point in _clause_outcome(part, True)])
    return points


_CLAUSES = re.compile(r",\s+and,?\s+(?:that\s+)?|;\s+|,\s+(?=(?-i:I)\s+(?:could|can|was able to)\s)|"
                      # "… stand taller and my upper back ache has pretty much gone": a second clause of its own
                      r"\s+and\s+(?=(?-i:I)\s+(?:came|come|feel|felt|sleep|slept|can|could|am|was|now|no longer)\b|"
                      r"(?:my|your)\s+(?:[\w-]+\s+){0,4}?(?:has|have|had|is|was)\s+(?:\w+\s+){0,2}?"
                      r"(?:gone|eased|settled|disappeared|vanished|faded|improved|better)\b|"
                      # "A cold dip brings the heart rate down and a lot of players say they sleep better"
                      r"(?:many|most|some|a lot of|lots of|plenty of)\s+(?:[a-z-]+\s+){0,2}?"
                      r"(?:say|find|report|tell|notice)\b)")


# "Several women have said their grip felt stronger", "Derek, who uses a stick, told us he feels far less afraid":
# what someone reports, told again as the writer's own account ("my grip felt stronger", "I feel far less afraid")
_REPORTED = re.compile(
    r"^(?:.*?[,;:]\s+|(?:and|but|so)\s+)?(?P<who>(?-i:[A-Z][a-z]+)(?:,\s+who\b[^,]*,)?|"
    r"(?:several|a few|some|many|most|a couple of|lots of|plenty of|one|two|three)\s+(?:of\s+(?:the|our|my)\s+)?"
    r"[\w-]+(?:\s+[\w-]+)?(?:\s+who\b[^,.;]{3,60}?)?|(?:my|our|his|her|the)\s+[\w-]+(?:\s+[\w-]+)?|"
    r"(?-i:he|she|they))\s+"
    r"(?:\w+ly\s+|also\s+)?"
    r"(?:has\s+|have\s+)?(?:said|says|told (?:us|me|him|her)|tells (?:us|me)|swears|reckons|mentioned|reported|"
    r"commented)\s+(?:that\s+)?(?P<what>[a-z].+)$", re.IGNORECASE)
_AS_MINE = {"is": "am", "was": "was", "has": "have", "does": "do", "feels": "feel", "gets": "get", "sleeps": "sleep"}


def _reported_as_mine(text: str) -> str | None:
    found = _REPORTED.match(text)
    if not found or re.search(r"\b(?:when|before|at first|first|used to)\b", text[:found.start("who")], re.IGNORECASE):
        return None  # "When she first walked in, she told us she could name every public toilet": how it was
    what = re.sub(r"\b(?:their|his)\b|"
                  r"\bher\b(?=\s+(?!(?:without|with|to|and|up|down|in|on|off|again|back|now)\b)[a-z])",
                  "my", found["what"])
    subject = re.match(r"^(?:they|he|she)\s+(?P<verb>[a-z]+)\b", what)
    if subject:
        verb = subject["verb"]
        mine = _AS_MINE.get(verb) or (verb[:-1] if verb.endswith("s") and not verb.endswith("ss") else verb)
        what = "I " + mine + what[subject.end():]
    return what


def _clause_outcome(text: str, in_benefit_section: bool) -> list[str]:
    return (_this_does(text) or _people_outcome(text) or _people_outcome(_after_means(text))
            or _first_person_outcome(text, in_benefit_section) or _third_person_outcome(text)
            or _narrative_change(text) or _no_more(text)
            or _symptom_eases(text, in_benefit_section)
            or _symptom_milder(text, in_benefit_section) or _people_find_good(text) or _people_gain(text)
            or _gave_them(text) or _you_become(text) or _my_thing_becomes(text) or _better_mood(text)
            or _good_way_to(text) or _so_they_are(text)
            or (_body_settles(text) or _becomes(_after_comma(text)) or _becomes(_after_so(text)) or _so_you_can(text)
                or _possessed_does_better(text)
                or _stops_feeling(_after_so(text) or text)
                if in_benefit_section else []))
