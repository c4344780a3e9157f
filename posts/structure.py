"""An article's structure as the benefit extractor reads it: sections by what their headings say, and the
units it reads as one thing (a labelled paragraph or item, a list item, a sub-section, a prose sentence)."""

from __future__ import annotations

import re

from posts.article import Sentence
from posts.cues import (_BARE_VERB, _BENEFIT_HEADING, _COLON_LABEL, _CUE, _EXCLUDED_HEADING, _FINITE, _TYPE_HEADING,
                        _VERB_WORDS)

_Unit = tuple[str, str | None, list[Sentence]]  # (kind, label, sentences)
# A list item shaped like a gain: "A stronger core that …", "Less back pain after …", "Improved posture".
_GAIN_SHAPED = re.compile(
    r"^(?:an?\s+)?(?:less|fewer|better|more|improved|reduced|increased|greater|lower|higher|"
    r"[a-z]{3,}(?<!oth)(?<!und)er)\s"
    rf"|^(?:{_VERB_WORDS})(?:s|es)\s|^(?:helps|builds|gives|keeps|lets|gets)\s", re.IGNORECASE)
# "In many cases, yes.": the start of an answer, not a label.
_FINITE_VERB = re.compile(r"\b(?:is|are|was|were|can|may|will|should|do|does|has|have)\b", re.IGNORECASE)
_ANSWER = re.compile(r"\b(?:yes|no|often|usually|sometimes|absolutely|definitely|in many cases|for most)\b",
                     re.IGNORECASE)


def _section(headings: tuple[str, ...]) -> str | None:
    """'excluded', 'types', 'benefit' or None, from the innermost heading that says something."""
    for heading in reversed(headings):
        if _benefit_question(heading):  # "Can it ease the physical symptoms?" asks what it does for them
            return "benefit"
        if re.match(r"^why\b", heading, re.IGNORECASE) and _BENEFIT_HEADING.search(heading):
            return "benefit"  # "Why book MLD after your operation?": the reasons, though it says "after your"
        if _EXCLUDED_HEADING.search(heading):
            return "excluded"
        if _BENEFIT_HEADING.search(heading) or _benefit_question(heading):
            return "benefit"
        if _TYPE_HEADING.search(heading):
            return "types"
    return None


def _benefit_question(heading: str) -> bool:
    """"Can dry needling help shoulder pain?", "Will it improve my sleep?": the answer below is a benefit."""
    return heading.rstrip().endswith("?") and bool(
        re.match(r"^(?:can|could|does|do|will|would|is|are|may)\b", heading, re.IGNORECASE)
    ) and bool(_CUE.search(re.sub(r"^\w+\s+", "", heading)) or _BARE_VERB.search(heading)
               or re.search(r"\b(?:help|stop|make me|good for|work for|worth)\b", heading, re.IGNORECASE))


def _units(sentences: list[Sentence]) -> list[_Unit]:
    """Group sentences into what the extractor reads as one thing.

    ``("label", label, sentences)``: a labelled paragraph or a labelled list item; ``("heading", heading,
    sentences)``: a sub-section whose heading sits under a benefit heading; ``("item", None, [s])``: a list item under a
    benefit heading; ``("prose", None, [s])``: any other sentence. Excluded sections vanish.
    """
    units: list[_Unit] = []
    lines: dict[int, list[Sentence]] = {}
    for sentence in sentences:
        if not sentence.is_heading:  # a heading ("How hydrotherapy helps arthritis") is context, not a point
            lines.setdefault(sentence.line, []).append(sentence)
    subsections: dict[tuple[str, ...], list[Sentence]] = {}
    gain_lists = _gain_shaped_lists(list(lines.values()))
    gain_parents = _gain_shaped_parents(sentences)
    for group in lines.values():
        first = group[0]
        # a list's lead ("What our floaters notice:") sets the section, but is not a sub-heading of its own
        section = _section(first.headings + ((first.lead,) if first.lead else ()))
        if section is None and first.line in gain_lists:
            section = "benefit"  # "What members are getting out of it": "- A stronger core …", "- Less back pain …"
        if section is None and len(group) > 1 and _opens_benefits(first.text):
            section = "benefit"  # "So what have I seen over the years? Homes that …": the paragraph answers it
        if section == "excluded":
            continue
        if (
            len(first.headings) >= 2
            and (_section(first.headings[:-1]) == "benefit" or first.headings[:-1] in gain_parents)
            and _section(first.headings[-1:]) is None
            and len(first.headings[-1].split()) <= 8
        ):
            subsections.setdefault(first.headings, []).extend(group)  # "### Less swelling" under "## Benefits"
            continue
        label = _label(group)
        if label is not None:
            if not _EXCLUDED_HEADING.search(label) or _CUE.search(label):  # "It cuts your risk of falls"
                units.append(("label", label, group))
        elif first.list_item and section == "benefit":
            units.extend(("item", None, [s]) for s in group[:1])
        else:
            units.extend(_prose_units(group, section == "benefit"))
    units.extend(("heading", headings[-1], group) for headings, group in subsections.items())
    return sorted(units, key=lambda unit: unit[2][0].start)


# "Around week eight, though, I noticed things changing.": in a personal account, what follows in the paragraph is
# what changed, read as under a benefit heading.
_TURNING_POINT = re.compile(
    r"\b(?:noticed|noticing|saw|seeing|see)\s+(?:things\s+|a\s+difference|a\s+change|an\s+improvement)|"
    r"\bthings\s+(?:started|began|start|begin)\s+to\s+(?:change|improve|get better|ease|turn)|"
    r"\bthe\s+(?:biggest|main|real|first|other)\s+(?:change|difference|improvement)s?\b|"
    r"^\W*(?:around|by|after|within)\s+(?:week|month|session)\s+\w+", re.IGNORECASE)


def _prose_units(group: list[Sentence], benefit: bool) -> list[_Unit]:
    units: list[_Unit] = []
    for sentence in group:
        units.append(("benefit-prose" if benefit else "prose", None, [sentence]))
        benefit = benefit or bool(_TURNING_POINT.search(sentence.text))
    return units


def _gain_shaped_lists(groups: list[list[Sentence]]) -> set[int]:
    """Lines of the lists (three items or more) whose items mostly read as gains, whatever their heading says."""
    runs: list[list[Sentence]] = []
    for group in groups:
        first = group[0]
        if first.list_item and runs and runs[-1][-1].line == first.line - 1 and runs[-1][-1].headings == first.headings:
            runs[-1].append(first)
        elif first.list_item:
            runs.append([first])
    lines: set[int] = set()
    for run in runs:
        shaped = sum(bool(_GAIN_SHAPED.match(item.text)) for item in run)
        if len(run) >= 3 and shaped * 3 >= len(run) * 2:
            lines.update(item.line for item in run)
    return lines


def _gain_shaped_parents(sentences: list[Sentence]) -> set[tuple[str, ...]]:
    """Headings whose sub-headings (three or more) mostly read as gains, whatever the heading says: "## How it
    went" over "### Looser shoulders", "### Steadier on their feet", "### Sleeping better"."""
    children: dict[tuple[str, ...], set[str]] = {}
    for sentence in sentences:
        if len(sentence.headings) >= 2:
            children.setdefault(sentence.headings[:-1], set()).add(sentence.headings[-1])
    return {parent for parent, names in children.items()
            if _section(parent) != "excluded" and len(names) >= 3
            and sum(bool(_GAIN_SHAPED.match(name) or _GAIN_HEADING.match(name)) for name in names) * 3
            >= len(names) * 2}


# A sub-heading shaped like a gain that _GAIN_SHAPED (made for list items) does not take: "Sleeping better",
# "Moving more easily", "Back on the pitch sooner".
_GAIN_HEADING = re.compile(r"^[A-Z][a-z]+ing\s+(?:[a-z]+\s+)?(?:better|more|less|further|easier|again)\b|"
                           r"^back\s+(?:to|on|in)\b", re.IGNORECASE)


def _opens_benefits(text: str) -> bool:
    """A paragraph that opens by asking what the therapy does: "So what have I seen?", "What are the benefits?"."""
    return text.rstrip().endswith("?") and bool(
        _BENEFIT_HEADING.search(text) or _benefit_question(text)
        or re.search(r"\bwhat\s+(?:have|do|did)\s+(?:i|we|you|they|people|patients|clients)\s+(?:\w+\s+)?"
                     r"(?:seen|see|noticed|notice|found|gained|learned)\b", text, re.IGNORECASE))


def _label(group: list[Sentence]) -> str | None:
    """The label of a 'Label: sentence' paragraph or a '**Label.** Sentence' item, if it has one."""
    first = group[0]
    colon = _COLON_LABEL.match(first.text)
    if colon and len(colon["label"].split()) <= 5 and not _FINITE.search(colon["label"]):
        return colon["label"]
    words = first.text.rstrip(".:!").split()
    if first.bold_lead and len(group) >= 2 and len(words) <= 12 and not _ANSWER.match(first.text):
        # "**Your heart gets fitter, and it feels easier.** Pushing …": the writer's label
        return first.text.rstrip(".:!")
    if (
        len(group) >= 2
        and len(words) <= 6
        and first.text.endswith((".", ":"))
        # a bold lead-in may say "you" ("Back to the things you love."), but a label has no verb of its own
        and not (_FINITE_VERB if first.list_item else _FINITE).search(first.text)
        and not _CUE.search(first.text)
        and not _ANSWER.search(first.text)
        and (first.list_item or len(words) <= 5)
    ):
        return first.text.rstrip(".:")
    return None


def _label_only(sentence: Sentence, label: str | None) -> bool:
    return label is not None and sentence.text.rstrip(".:") == label
