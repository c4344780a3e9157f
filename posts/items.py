"""A list item under a benefit heading, read as a claim: "Restores strength …", "Better sleep", "Released the knots",
"He sleeps through to six most nights", and what people say it does in a later clause."""

from __future__ import annotations

import re

from posts.clauses import _CLAUSES, _outcome_points
from posts.cues import _BASE, _NOT_A_BENEFIT, _PEOPLE_GERUND_VERBS
from posts.outcomes import _people_outcome, _point_from_item
from posts.points import _past_tense, _phrase, _points_from_bare_verb, _points_from_cue, _which_points
from posts.wording import _base_verb, _gerund_claim, _trim

# An item may start with any verb of its own ("Evens out muscle imbalances …"), but not with one that describes the
# session or its price.
_ITEM_NOT_A_CLAIM = frozenset("includes involves costs lasts requires needs uses means starts runs comes goes takes "
                              "has does is was gets puts sets looks".split())


_COMPARATIVE_LABEL = re.compile(
    r"^(?:an?\s+)?(?:less|fewer|better|more|extra|lower|reduced|improved|[a-z]{3,}(?<!oth)er)\s", re.IGNORECASE)


def _item_points(text: str) -> list[str]:
    """A list item under a benefit heading, and what people say it does in a later clause ("Gives you an hour to
    yourself, and lots of mums say it lifts their mood")."""
    points = _item_head_points(text)
    for clause in _CLAUSES.split(text)[1:] if points else []:
        said = re.match(r"^.{0,40}?\b(?:say|find|tell us|notice)\s+(?:that\s+)?it\s+", clause)
        points += [p for p in (_points_from_cue(clause[said.end():], None, at_start=True) if said else [])
                   if p not in points]
    return points


def _item_head_points(text: str) -> list[str]:
    """The item's own claim: "Restores strength …", "Better sleep", "Teaches you …"."""
    text = text.rstrip(".!")
    if _NOT_A_BENEFIT.search(text):
        return []
    if re.match(r"^(?:(?:[\w'’]+\s+){1,5})?(?-i:He|She|They|I|We|he|she|they)(?:'s|’s|'ve|’ve|'d|’d)?\s", text):
        # "- He sleeps through to six most nights": a person's account, read as one
        told = _outcome_points(text, in_benefit_section=True)
        if told:
            return told
    parts = re.split(r"\s+and\s+(?=[a-z]+ing\s)", text)  # "keeping weight steady and staying better hydrated"
    gerunds = [_gerund_claim(part) for part in parts]
    if len(parts) > 1 and all(gerunds):
        return [gerund for gerund in gerunds if gerund]
    gerund = _gerund_claim(text)
    if gerund:  # "Turning the head more easily, for example …"
        return [gerund]
    if re.match(r"^(?:the|a|new)\s+(?:confidence|sense|feeling)\b", text, re.IGNORECASE):
        return [_trim(f"gives you {text[:1].lower()}{text[1:]}")]  # "the confidence to eat out again"
    first_word, _, after = text.partition(" ")
    present = _present_of_past(first_word) if re.match(
        r"(?:the|a|an|my|me|your|him|her|them|us|his|their|our|[a-z]+ing)\b", after) else None  # not "Improved balance"
    if present:  # "Released the knots", "Got me back to full training faster": a runner's list, told in the past
        return _item_head_points(f"{present.capitalize()} {after}")
    if first_word in _PEOPLE_GERUND_VERBS and first_word not in _BASE and after:
        return [_trim(f"helps you {text}")]  # under "the class helps them:", "feel less anxious and more in control"
    if first_word in _BASE and after:  # "improve your ability to turn your head" (lower case: a verb, not a noun)
        point = _phrase(first_word, " " + after)
        if point:  # "improve balance, which lowers the risk of falls": the consequence is a claim too
            return [point] + [p for p in _which_points(after) if p != point]
    adverb = re.match(r"^[A-Z][a-z]+ly\s+(?P<verb>[a-z]+s)\s", text)
    if adverb:  # "Gently reconnects you with your deep abdominal muscles"
        text = adverb["verb"].capitalize() + text[adverb.end("verb"):]
    text = re.sub(r"^(?:Far|Much|A lot)\s+(?=(?:less|fewer|better)\s)", "", text)  # "Far fewer episodes of …"
    gains = re.split(r",?\s+and\s+(?=(?:more|less|better|fewer|improved|reduced|greater|lower|the chance to)\s)", text,
                     maxsplit=1)
    if len(gains) == 2 and re.match(r"^(?:an?\s+)?(?:less|fewer|better|stronger|reduced|improved|more|boost)\b", text,
                                    re.IGNORECASE):
        # "Improved balance and more confidence on their feet", "A boost in mood, and the chance to make friends": two
        points = [_trim(f"gives you {gain}") if gain.startswith("the chance to") else _point_from_item(gain)
                  for gain in gains]
        if all(points):
            return [point for point in points if point]
    if re.match(r"^(?:less|fewer|better|stronger|reduced|improved)\s", text, re.IGNORECASE):
        # "Stronger quadriceps and hip muscles to support the joint": the item's head is the benefit
        point = _point_from_item(text)
        if point:
            return [point]
    points = (
        _points_from_cue(text, None, at_start=True)
        # "The warm water soothes aching joints": a short noun phrase, then the verb
        or _points_from_cue(text, None, not_after_and=True, max_before=14)
        or _points_from_bare_verb(text)
        or _people_outcome(text)
    )
    if points:
        return points
    first, _, rest = text.partition(" ")
    own_verb = first.lower() not in _ITEM_NOT_A_CLAIM and re.match(r"(?:out|up|off|the|your|you)\b", rest)
    if re.fullmatch(r"[A-Z]?[a-z]+(?<![su])s", first) and rest and (_base_verb(first) in _BASE or own_verb):
        # An item that starts with a verb ("Teaches you …", "Shortens recovery time …").
        point = _phrase(first.lower()[:-1], " " + rest, conjugated=first.lower())
        return [point] if point else []
    point = _point_from_item(text)
    # "The tension in his neck and shoulders has eased", "He feels calmer for a day or two after each session"
    return [point] if point else _outcome_points(text, in_benefit_section=True)


def _present_of_past(word: str) -> str | None:
    """"Released" -> "releases", "Got" -> "gets": a list item that starts with a verb in the past."""
    _, to_present = _past_tense()
    lower = word.lower()
    if word[:1].isupper() and lower in to_present | {"got": "gets"}:
        return {"got": "gets"}.get(lower) or to_present[lower]
    return None
