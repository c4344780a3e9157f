"""A clause -> the benefit point it claims: a short verb phrase that reads after the therapy's name
("reduces muscle tension"), from a cue verb and what follows it, a label, a listed noun, or people's outcome."""

from __future__ import annotations

import re

from posts.cues import (_ADJECTIVE_VERBS, _BASE, _BENEFIT_NOUN, _CLAUSE_END, _CLAUSE_END_NO_COMMA, _CUE,
                        _ENABLED_OBJECT, _ENABLERS, _MAX_POINT_WORDS, _NEXT_VERB, _NOUN_LIST, _OUTCOME, _PARTICIPLE,
                        _PEOPLE, _PEOPLE_OUTCOME, _PRONOUN_OBJECT, _VAGUE_NEXT, _VAGUE_OBJECT)


def _people_outcome(text: str) -> list[str]:
    """"Many people sleep better after a session" -> "helps you sleep better after a session"."""
    match = _PEOPLE_OUTCOME.match(text)
    if not match or not _OUTCOME.search(match["rest"]) or _CUE.match(match["rest"]):
        return []
    if re.search(r"\b(?:if|unless|until|worse|not|never|no longer)\b", match["rest"], re.IGNORECASE):
        return []  # a condition or a setback, not an outcome
    rest = match["rest"]
    if match["who"]:
        # "Patients who have avoided bending for years learn to move again": where the relative clause ends
        # is unknowable without a parser, so only an infinitive that carries the outcome is taken.
        tail = re.search(r"\b(?!(?:have|has|had|used|want|wanted|need|needed)\b)([a-z]+\s+to\s+[a-z][^,.;:]*)$",
                         _CLAUSE_END.split(rest, maxsplit=1)[0])
        if not tail or not _OUTCOME.search(tail.group(1)):
            return []
        rest = tail.group(1)
    # "walk out of the clinic and go back to work the same day": the part that carries the outcome
    parts = re.split(r"\s+and\s+", rest)
    if len(parts) > 1 and _OUTCOME.search(parts[-1]) and not _OUTCOME.search(" and ".join(parts[:-1])):
        rest = parts[-1]
    verb, _, rest = rest.partition(" ")
    point = _phrase(verb.lower(), " " + rest, conjugated=f"helps you {verb.lower()}")
    return [point] if point else []


def _point_from_label(label: str) -> str | None:
    """'Better balance' -> 'improves balance'; 'Quick pain relief' -> 'provides quick pain relief'."""
    label = re.sub(r"^(?:a|an|the)\s+", "", label.strip().rstrip(".:"), flags=re.IGNORECASE)
    first, _, rest = label.partition(" ")
    verb = _ADJECTIVE_VERBS.get(first.lower())
    if verb and rest:
        return _trim(f"{verb} {rest}")
    if re.match(r"^(?:quick|easy|simple|safe|gentle|comfortable|convenient)\s+to\s+\w", label, re.IGNORECASE):
        return _trim(f"is {label[:1].lower()}{label[1:]}")  # "Quick to start" -> "is quick to start"
    participle = _point_from_noun(label)
    if not participle.startswith("provides "):
        return participle
    if _BENEFIT_NOUN.search(label):
        return _trim(f"provides {label[:1].lower()}{label[1:]}")
    return None


def _points_from_cue(
    text: str, subjects: frozenset[str] | None, at_start: bool = False, allow_which: bool = False,
    not_after_and: bool = False, max_before: int | None = None,
) -> list[str]:
    """The benefit phrases of the sentence's first usable cue; ``subjects=None`` takes any subject."""
    for match in _CUE.finditer(text):
        before = text[: match.start("verb4") if match.group("verb4") else match.start()]
        if at_start and before.strip():
            return []
        if max_before is not None and (len(before.split()) > max_before or re.search(r"[,;:]", before)):
            return []
        if not_after_and and re.search(r"(?:\band|,)\s+(?!which\b)(?:\w+\s+)?$", before, re.IGNORECASE):
            continue
        if allow_which and re.search(r",\s+which\s+$", before, re.IGNORECASE):
            pass
        elif re.search(r"\bwhich\s+(?:\w+\s+){0,2}$|\bthat\s+$", before, re.IGNORECASE):
            continue  # a consequence in a relative clause, not the sentence's claim ("say that X helps" is fine)
        if (
            subjects is not None
            and not subjects & set(re.findall(r"[a-z]+", before.lower()))
            and not re.search(r"\bit\s+(?:can\s+|may\s+|also\s+|often\s+)?$", before, re.IGNORECASE)
        ):
            continue  # something else does the helping ("better blood flow supports …")
        verb = _base_verb(match.group("verb") or match.group("verb3") or match.group("verb4"))
        points = []
        for index, part in enumerate(_coordinated(text[match.end():])):
            if index:  # "…, loosens tight fascia": the part starts with its own verb
                part_verb, _, part = part.partition(" ")
                part_verb = re.sub(r"(?:e?s)$", "", part_verb.lower()) if part_verb.lower() not in _BASE else part_verb.lower()
                point = _phrase(_base_verb(part_verb), part)
            else:
                point = _phrase(verb, part)
            if point:
                points.append(point)
        if points:
            return points
    return []


def _base_verb(word: str) -> str:
    word = word.lower()
    for candidate in (word, word[:-1], word[:-2], word + "e"):
        if candidate in _BASE:
            return candidate
    return word


def _coordinated(rest: str) -> list[str]:
    """Split "muscle soreness, loosens tight fascia and improves sleep" at each further verb."""
    head = _CLAUSE_END_NO_COMMA.split(rest, maxsplit=1)[0]
    cuts = [m for m in _NEXT_VERB.finditer(head)]
    if not cuts:
        return [rest]
    parts, start = [], 0
    for cut in cuts:
        parts.append(head[start:cut.start()])
        start = cut.end()
    parts.append(head[start:])
    return parts


def _phrase(verb: str, rest: str, conjugated: str | None = None) -> str | None:
    rest = re.sub(r"^\s+to\s+", " ", rest) if verb == "help" else rest
    if verb in _ENABLERS:  # "allows them to avoid surgery" -> "lets you avoid surgery"
        enabled = _ENABLED_OBJECT.match(rest)
        if not enabled:
            return None
        thing = enabled["object"] or enabled["let"]
        who = "you" if _PEOPLE.search(thing) else re.sub(r"^(?:a|an)\s+", "the ", thing)
        rest, conjugated = " " + rest[enabled.end():], f"lets {who}"
    listed = _NOUN_LIST.match(rest)  # "loosens tight hamstrings, calves and hip flexors"
    phrase = (listed.group(0) if listed else _CLAUSE_END.split(rest, maxsplit=1)[0]).strip().rstrip(".!?")
    relative = re.match(r"\s*((?:the|a|an|your)\s+)?[\w'-]+\s+(?:that|which)\s+", rest, re.IGNORECASE)
    if not listed and relative and len(phrase.split()) <= 2:
        phrase = (relative.group(0) + _CLAUSE_END.split(rest[relative.end():], maxsplit=1)[0]).strip().rstrip(".!?")
    if not phrase or _PRONOUN_OBJECT.match(f"{verb} {phrase}"):
        return None
    vague = _VAGUE_OBJECT.match(f"{verb} {phrase}")
    if vague and (not vague["next"] or vague["next"].strip().lower() in _VAGUE_NEXT or vague["next"].endswith("ing")):
        return None
    return _trim(f"{conjugated or _third_person(verb)} {phrase}")


def _trim(point: str) -> str:
    return " ".join(point.split()[:_MAX_POINT_WORDS])


def _point_from_noun(item: str) -> str:
    """'improved circulation' -> 'improves circulation'; 'stress relief' -> 'provides stress relief'."""
    item = item.strip().rstrip(".")
    first, _, rest = item.partition(" ")
    if first.lower() in _ADJECTIVE_VERBS and rest and not first.lower().endswith("ed"):
        return f"{_ADJECTIVE_VERBS[first.lower()]} {rest}"
    participle = _PARTICIPLE.match(item)
    if participle:
        word = participle["word"].lower()
        for verb in (word[:-1], word[:-2]):  # "reduced" -> "reduce", "improved" -> "improve", "boosted" -> "boost"
            if verb in _BASE:
                return f"{_third_person(verb)} {participle['rest']}"
    return f"provides {item}"


def _third_person(verb: str) -> str:
    if verb.endswith(("s", "sh", "ch", "x", "z")):
        return verb + "es"
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"
