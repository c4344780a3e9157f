"""Which reader takes a clause: people's outcomes (posts/outcomes.py) and personal accounts (posts/accounts.py),
tried in turn on each clause of "…, and many people …"."""

from __future__ import annotations

import re

from posts.accounts import (_first_person_outcome, _gave_them, _my_thing_becomes, _narrative_change,
                            _possessed_does_better, _third_person_outcome, _you_become)
from posts.cues import _PEOPLE_FIND
from posts.outcomes import (_after_comma, _after_means, _after_so, _becomes, _body_settles, _no_more,
                            _people_find_good, _people_gain, _people_outcome, _so_you_can, _stops_feeling,
                            _symptom_eases, _symptom_milder, _this_does)


def _outcome_points(text: str, in_benefit_section: bool) -> list[str]:
    """What people gain, said without the therapy as the subject; each clause of "…, and many people …"
    on its own."""
    points: list[str] = []
    for clause in _CLAUSES.split(text):
        if clause and clause.strip():
            # "Patients tell us they feel calmer, and that the worry … begins to fade": later clauses are reported too
            reported = bool(_PEOPLE_FIND.search(text))
            points.extend(_clause_outcome(clause.strip(), in_benefit_section or reported))
    return points


_CLAUSES = re.compile(r",\s+and,?\s+(?:that\s+)?|;\s+")


def _clause_outcome(text: str, in_benefit_section: bool) -> list[str]:
    return (_this_does(text) or _people_outcome(text) or _people_outcome(_after_means(text))
            or _first_person_outcome(text) or _third_person_outcome(text) or _narrative_change(text) or _no_more(text)
            or _symptom_eases(text, in_benefit_section)
            or _symptom_milder(text, in_benefit_section) or _people_find_good(text) or _people_gain(text)
            or _gave_them(text) or _you_become(text) or _my_thing_becomes(text)
            or (_body_settles(text) or _becomes(_after_comma(text)) or _becomes(_after_so(text)) or _so_you_can(text)
                or _possessed_does_better(text)
                or _stops_feeling(_after_so(text) or text)
                if in_benefit_section else []))
