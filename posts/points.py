"""A clause -> the benefit point it claims: a short verb phrase that reads after the therapy's name
("reduces muscle tension"), from a cue verb and what follows it, a label, a listed noun, or people's outcome."""

from __future__ import annotations

import re

from posts.cues import (_ADJECTIVE_VERBS, _BARE_VERB, _BASE, _BENEFIT_NOUN, _BECOMES, _EASES_AS, _FINDS_IT, _FINITE, _GOOD_IMPROVES,
                        _PEOPLE_FIND, _PEOPLE_REPORT, _PEOPLE_USE_TO, _SO_YOU_CAN, _SYMPTOM,
                        _SYMPTOM_EASES, _CLAUSE_END, _CLAUSE_END_NO_COMMA, _CUE,
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
        head = _CLAUSE_END.split(rest, maxsplit=1)[0]
        tail = (re.search(r"\b(?:find|say|notice|tell us)\s+(?:that\s+)?they\s+(?:can\s+)?([a-z][^,.;:]*)$", head)
                or re.search(r"\b(?!(?:have|has|had|used|want|wanted|need|needed)\b)([a-z]+\s+to\s+[a-z][^,.;:]*)$",
                             head))
        if not tail or not _OUTCOME.search(tail.group(1)):
            return []
        rest = tail.group(1)
    listed = _outcome_list(rest)
    if listed:
        return listed
    # "walk out of the clinic and go back to work the same day": the part that carries the outcome
    parts = re.split(r"\s+and\s+", rest)
    if len(parts) > 1 and _OUTCOME.search(parts[-1]) and not _OUTCOME.search(" and ".join(parts[:-1])):
        rest = parts[-1]
    verb, _, rest = rest.partition(" ")
    point = _phrase(verb.lower(), " " + rest, conjugated=f"helps you {verb.lower()}")
    return [point] if point else []


def _outcome_list(rest: str) -> list[str]:
    """"stand taller, breathe more freely, carry less tension and suffer fewer headaches": one outcome a part."""
    head = re.split(r"[;:]", rest, maxsplit=1)[0].rstrip(".!")
    parts = [part.strip() for part in re.split(r",\s*(?:and\s+|or\s+)?", head) if part.strip()]
    if len(parts) < 2:
        return []
    parts[-1:] = re.split(r"\s+and\s+(?=[a-z]+\s)", parts[-1], maxsplit=1)
    if len(parts) < 3:
        return []
    if any(re.match(r"^(?:the|a|an|your|their|it|they)\b", part, re.IGNORECASE) for part in parts):
        return []  # a list of nouns, not of things people do
    points = []
    for part in parts:
        verb, _, after = part.partition(" ")
        if _OUTCOME.search(part) and after:
            point = _phrase(verb.lower(), " " + after, conjugated=f"helps you {verb.lower()}")
            if point:
                points.append(point)
    return points if len(points) >= 2 else []


def _symptom_eases(text: str, anywhere: bool = False) -> list[str]:
    """"Many patients find that leg pain and tingling settle …" -> "settles leg pain and tingling …".

    Outside a benefit section the sentence must say people find it so: "mild soreness settles within a day" in
    an aftercare paragraph is reassurance, not a benefit."""
    found = _PEOPLE_FIND.search(text)
    start = found.end() if found else 0
    if not found and not anywhere:
        return []
    match = _SYMPTOM_EASES.match(text, start) if found else _SYMPTOM_EASES.search(text)
    if not match or (not found and match.start() > 0 and not re.match(r"^\W*$", text[: match.start()])):
        return []
    verb = " ".join(match["verb"].lower().split())
    verb = _EASES_AS.get(verb) or _EASES_AS.get(" ".join(verb.split()[-2:])) or _third_person(verb)
    what = re.sub(r"^(?:the|their|your|his|her|any)\s+", "", match["what"].strip(), flags=re.IGNORECASE)
    what = what[:1].lower() + what[1:]
    return [_trim(f"{verb} {what}{match['rest']}".strip())]


def _people_find_good(text: str) -> list[str]:
    """"Clients often tell us their sleep improves" -> "improves sleep"; "most clients find a session deeply
    relaxing" -> "is deeply relaxing"."""
    found = _PEOPLE_FIND.search(text)
    if not found:
        return []
    rest = text[found.end():]
    if re.search(r"\b(?:if|unless|worse|not|never)\b", rest, re.IGNORECASE):
        return []
    good = _GOOD_IMPROVES.match(rest)
    if good:
        return [_trim(f"improves {good['what']}{good['rest']}")]
    finds = _FINDS_IT.match(rest)
    if finds:
        return [_trim(f"is {finds['how']}{finds['rest']}")]
    return []


def _becomes(text: str) -> list[str]:
    """"Tight, heavy limbs feel lighter" -> "makes tight, heavy limbs feel lighter"; "Turning your head becomes
    easier" -> "makes turning your head easier"."""
    match = _BECOMES.match(text.rstrip(".!"))
    if not match or re.match(r"^(?:it|this|that|they|there|you|over|in|after|within|during|for|by|at|on|with)\b",
                             match["what"], re.IGNORECASE):
        return []
    if re.search(r"\b(?:worse|harder|longer to)\b", match["adj"], re.IGNORECASE):
        return []
    what = re.sub(r"^(?:the|your|their)\s+", "", match["what"].strip(), flags=re.IGNORECASE)
    feel = "feel " if match["verb"].lower().startswith("feel") else ""
    return [_trim(f"makes {what[:1].lower()}{what[1:]} {feel}{match['adj']}{match['rest']}".strip())]


def _people_gain(text: str) -> list[str]:
    """"Most athletes report lighter, looser legs" -> "brings lighter, looser legs"; "Athletes use cupping to recover
    between sessions" -> "helps you recover between sessions"."""
    if re.search(r"\b(?:if|unless|worse|not|never)\b|(?<!less )(?<!fewer )\b(?:twitch|ache|sore|bruis|tender)", text,
                 re.IGNORECASE):
        return []  # "you may feel a twitch", "some report soreness": side effects, not gains
    used = _PEOPLE_USE_TO.search(text)
    if used:
        verb, _, rest = used["what"].partition(" ")
        point = _phrase(verb.lower(), " " + rest, conjugated=f"helps you {verb.lower()}")
        return [point] if point else []
    report = _PEOPLE_REPORT.search(text)
    if report and re.match(r"^(?:a\s+|an\s+)?(?:\w+ly\s+|far\s+|much\s+)?(?:[a-z]+er|less|fewer|more|improved|better)\b",
                           report["what"]):
        what = _CLAUSE_END_NO_COMMA.split(report["what"], maxsplit=1)[0].strip()
        return [_trim(f"brings {what}")]
    return []


def _outcome_points(text: str, in_benefit_section: bool) -> list[str]:
    """What people gain, said without the therapy as the subject."""
    return (_people_outcome(text) or _people_outcome(_after_means(text)) or _symptom_eases(text, in_benefit_section)
            or _people_find_good(text) or _people_gain(text)
            or (_becomes(_after_comma(text)) or _becomes(_after_so(text)) or _so_you_can(text)
                if in_benefit_section else []))


def _so_you_can(text: str) -> list[str]:
    """"…, so you can keep training while you recover" -> "lets you keep training while you recover"."""
    match = _SO_YOU_CAN.search(text)
    if not match:
        return []
    verb, _, rest = match["what"].partition(" ")
    point = _phrase(verb.lower(), " " + rest, conjugated=f"lets you {verb.lower()}") if rest else None
    return [point] if point else []


def _after_so(text: str) -> str:
    """"…, so the joint feels steadier": the clause after "so"."""
    so = re.search(r",\s+so\s+(?!that\b)", text)
    return text[so.end():] if so else ""


def _after_comma(text: str) -> str:
    """"As the tissue releases, turning your head becomes easier": the main clause after an opening clause."""
    opening = re.match(r"^(?:as|once|when|after|with|over)\b[^,]{3,60},\s*", text, re.IGNORECASE)
    return text[opening.end():] if opening else text


def _after_means(text: str) -> str:
    """"Less pain at night means many people sleep through": the outcome after "means"."""
    means = re.search(r"\bmeans?\s+(?:that\s+)?", text)
    return text[means.end():] if means else ""


def _point_from_item(text: str) -> str | None:
    """A list item with no benefit verb, under a benefit heading: "Looser muscles after training", "Stiff joints
    that move more easily", "A way to avoid surgery for some patients"."""
    words = text.split()
    point = _point_from_label(text) if len(words) <= 8 else None
    if point:
        return point
    found = _symptom_eases(text, anywhere=True) or _becomes(text)
    if found:
        return found[0]
    relative = re.match(r"^(?P<subject>[\w' -]{2,40}?)\s+(?:that|which|who)\s+(?P<rest>[a-z][^,;:]*)$", text)
    if relative and _OUTCOME.search(relative["rest"]):
        return _trim(f"helps {relative['subject'][:1].lower()}{relative['subject'][1:]} {relative['rest']}")
    if len(words) > 12 or _FINITE.search(text):
        return None
    bare = re.sub(r"^(?:a|an|the)\s+", "", text, flags=re.IGNORECASE)
    comparative = bool(re.fullmatch(r"[a-z]+(?:er|ier)", bare.split()[0].lower()))
    item = bare if comparative else text  # "brings looser muscles", "offers a way to avoid surgery"
    verb = "brings" if comparative else "offers"
    return _trim(f"{verb} {item[:1].lower()}{item[1:]}")


def _point_from_label(label: str) -> str | None:
    """'Better balance' -> 'improves balance'; 'Quick pain relief' -> 'provides quick pain relief'."""
    if re.match(r"^(?:a|an)\s+(?:more|less)\s", label, re.IGNORECASE):  # "A more stable-feeling knee"
        return _trim(f"brings {label[:1].lower()}{label[1:].rstrip('.:')}")
    label = re.sub(r"^(?:a|an|the)\s+", "", label.strip().rstrip(".:"), flags=re.IGNORECASE)
    first, _, rest = label.partition(" ")
    verb = _ADJECTIVE_VERBS.get(first.lower())
    if first.lower() in ("easier", "safer") and rest:  # "Easier sleep" -> "makes sleep easier"
        return _trim(f"makes {rest} {first.lower()}")
    if verb and rest:
        return _trim(f"{verb} {rest}")
    if rest and re.fullmatch(r"[a-z]{3,}(?:er|ier)", first.lower()) and first.lower() not in ("other", "under", "after"):
        return _trim(f"brings {label[:1].lower()}{label[1:]}")  # "Looser back muscles" -> "brings looser back muscles"
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
        if max_before is not None and (
            len(before.split()) > max_before or re.search(r"[;:]", before)
            or ("," in before and _FINITE.search(before))  # "A quiet, dim room …" is one subject; "If …, it …" is not
        ):
            return []
        if not_after_and and re.search(r"(?:\band|,)\s+(?!which\b)(?:\w+\s+)?$", before, re.IGNORECASE):
            continue
        if allow_which and re.search(r",\s+which\s+$", before, re.IGNORECASE):
            pass
        elif re.search(r"\bwhich\s+(?:\w+\s+){0,2}$|\bthat\s+$", before, re.IGNORECASE) and not _therapy_did_it(
                before, subjects):
            continue  # a consequence in a relative clause, not the sentence's claim ("say that X helps" is fine)
        if (
            subjects is not None
            and not subjects & set(re.findall(r"[a-z]+", before.lower()))
            and not re.search(r"\bit\s+(?:can\s+|may\s+|also\s+|often\s+)?$", before, re.IGNORECASE)
        ):
            continue  # something else does the helping ("better blood flow supports …")
        if re.search(r"\b(?:while|whereas|where|until|unless|if)\b[^,;]*$", before, re.IGNORECASE):
            continue  # "…, while the teacher encourages your body to lengthen": a subordinate clause, not the claim
        if re.search(_PEOPLE_BEFORE, before, re.IGNORECASE):
            continue  # "most patients can lift the arm higher": what people do is read by _people_outcome
        if re.search(rf"\b{_SYMPTOM}\s+(?:\w+ly\s+)?$", before, re.IGNORECASE):
            continue  # "the nagging ache eases …": the symptom eases (read by _symptom_eases), not a therapy verb
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
            return points + _which_points(text[match.end():])
    return []


# "…, which often eases the pain": a further effect the sentence claims for the same subject.
_WHICH_CUE = re.compile(r",\s+which\s+(?:(?:often|also|then|usually|in turn|can|may|will|quickly|gradually)\s+)*"
                        r"(?=\w)", re.IGNORECASE)


def _therapy_did_it(before: str, subjects: frozenset[str] | None) -> bool:
    """"The suction draws blood into tired muscles, which speeds up repair": the therapy is the subject of the
    clause the "which" hangs on, so its consequence is the therapy's claim."""
    main = re.match(r"^(?P<subject>(?:[\w'-]+\s+){0,4}?)[a-z]+s\b[^,]*,\s+which\s+(?:\w+\s+){0,2}$", before, re.IGNORECASE)
    return bool(subjects and main and subjects & set(re.findall(r"[a-z]+", main["subject"].lower())))


def _which_points(rest: str) -> list[str]:
    which = _WHICH_CUE.search(rest)
    if not which:
        return []
    clause = rest[which.end():]
    cue = _CUE.match(clause)
    if not cue:
        return []
    verb = _base_verb(cue.group("verb") or cue.group("verb3") or cue.group("verb4"))
    point = _phrase(verb, _coordinated(clause[cue.end():])[0])
    return [point] if point else []


_PEOPLE_BEFORE = (r"\b(?:people|patients|clients|pupils|mothers|mums|women|men|athletes|runners|you|they)\s+"
                  r"(?:(?:can|could|may|will|often|usually|also|soon|then)\s+)+$")


def _points_from_bare_verb(text: str) -> list[str]:
    """"A quiet room and steady breathing calm a busy mind": a plural or compound subject takes the bare verb."""
    for match in _BARE_VERB.finditer(text):
        before = text[: match.start()].strip()
        words = before.split()
        if len(words) < 2 or len(words) > 14 or _FINITE.search(before) or re.search(r"[;:]", before):
            continue
        if not (re.search(r"\band\b", before) or re.search(r"(?:[^s]s|ing)$", words[-1])):
            continue
        if words[-1].lower() in ("and", "or", "a", "an", "the", "of", "with", "very", "more", "and/or"):
            continue  # "a dim room and steady breathing": an adjective, not the verb
        point = _phrase(match["verb"].lower(), text[match.end():])
        if point:
            return [point]
    return []


def _base_verb(word: str) -> str:
    word = word.lower()
    for candidate in (word, word[:-1], word[:-2], word + "e"):
        if candidate in _BASE:
            return candidate
    return word


_CLAUSE_END_NO_THAT = re.compile(_CLAUSE_END_NO_COMMA.pattern.replace("which|that|", "which|"), re.IGNORECASE)


def _coordinated(rest: str) -> list[str]:
    """Split "muscle soreness, loosens tight fascia and improves sleep" at each further verb."""
    head = _CLAUSE_END_NO_COMMA.split(rest, maxsplit=1)[0]
    if len(re.sub(r"^\s*to\s", "", head).split()) <= 1:
        # "narrow that gap and rebuild …": right after the verb, "that" is a determiner, not a relative pronoun
        head = _CLAUSE_END_NO_THAT.split(rest, maxsplit=1)[0]
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
    if conjugated is None and re.match(r"^(?:onto|into|on|in|at|with|from|through|for|over|around|along|across|upon|"
                                       r"under)\b", phrase, re.IGNORECASE):
        return None  # "the hands settle onto a restricted area": the verb is intransitive here, not a benefit
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
