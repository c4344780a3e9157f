"""A clause -> the benefit point it claims: a short verb phrase that reads after the therapy's name
("reduces muscle tension"), from a cue verb and what follows it, a label, a listed noun, or people's outcome."""

from __future__ import annotations

import functools
import re

from posts.cues import (_THERAPY_WORDS, _BARE_VERB, _BASE, _CLAUSE_END, _CUE, _ENABLED_OBJECT, _ENABLERS, _FINITE,
                        _NEXT_VERB, _NOUN_LIST, _PEOPLE, _PRONOUN_OBJECT, _SYMPTOM, _VAGUE_NEXT, _VAGUE_OBJECT,
                        _PEOPLE_GERUND_VERBS)
from posts.wording import _base_verb, _past_form, _third_person, _trim


# A testimonial tells it in the past: "the warm water eased the stiffness in her hip, took the weight off the joint
# … and gave her the confidence to walk". Read as the present, which is also how a post states it.
_PAST_SUBJECTS = _THERAPY_WORDS | {"it", "they", "this", "that", "sessions", "pool", "course", "programme", "tape",
                                   "rehab", "rehabilitation", "technique", "treatment", "exercises", "training"}
_IRREGULAR_PAST = {"gave": "gives", "took": "takes", "brought": "brings", "kept": "keeps", "made": "makes",
                   "built": "builds", "left": "leaves"}


@functools.cache
def _past_tense() -> tuple[re.Pattern[str], dict[str, str]]:
    to_present = {_past_form(verb): _third_person(verb) for verb in _BASE if " " not in verb and len(verb) > 3}
    to_present |= _IRREGULAR_PAST
    # "was released from hospital", "has eased" (read elsewhere): not the therapy's simple past
    pattern = re.compile(r"(?<!\bwas )(?<!\bwere )(?<!\bbeen )(?<!\bbe )(?<!\bis )(?<!\bare )(?<!\bgot )(?<!\bget )"
                         r"(?<!\bhas )(?<!\bhave )(?<!\bhad )\b(?:"
                         + "|".join(sorted(to_present, key=len, reverse=True))
                         + r")\b", re.IGNORECASE)
    return pattern, to_present


def _presentified(text: str) -> str:
    """Each simple past that follows the therapy (or "it", "they") as its subject, and the verbs coordinated with it
    ("…, took the weight off the joint … and gave her the confidence"), in the present; "a trained therapist" or
    "feeling relaxed" stay as they are."""
    pattern, to_present = _past_tense()
    # "it's helping with loneliness", "the sessions are easing his stiffness": the therapy's doing, as it goes on
    text = re.sub(r"\b(it|this|they|these|that)(?:'s|’s|\s+is|'re|’re|\s+are)\s+"
                  r"(?:really\s+|also\s+|definitely\s+)?"
                  r"(help|eas|reduc|improv|build|lift|calm|loosen|strengthen)ing\b",
                  lambda m: f"{m[1]} {_third_person(m[2] if m[2] in _BASE else m[2] + 'e')}", text)
    perfect = re.search(r"\b(?:has|have)\s+(?:\w+ly\s+)?(\w+ed)\b", text)
    if perfect and perfect[1].lower() in to_present:
        # "has lowered …, brought … and left …": a perfect list, read by _perfect_list ("have worked" is not one)
        return text
    out, last, chain_end = [], 0, -1
    for found in pattern.finditer(text):
        before = text[last:found.start()]
        # "it also helped me …": an adverb may stand between the subject and its verb
        previous = [w for w in re.findall(r"[a-z]+", text[:found.start()].lower())[-3:]
                    if w not in ("also", "really", "actually", "definitely", "even", "just", "genuinely")][-1:] or [""]
        chained = chain_end >= 0 and re.fullmatch(r"[^.;:]*?(?:,\s*(?:and\s+)?|\s+and\s+)",
                                                  text[chain_end:found.start()])
        subject = previous[0] in _PAST_SUBJECTS and re.search(r"[a-z]\s+$", text[:found.start()], re.IGNORECASE)
        if subject or chained:
            out.append(before + to_present.get(found[0].lower(), found[0]))
            chain_end = found.end()
        else:
            out.append(before + found[0])
        last = found.end()
    return "".join(out) + text[last:]


def _points_from_cue(
    text: str, subjects: frozenset[str] | None, at_start: bool = False, allow_which: bool = False,
    not_after_and: bool = False, max_before: int | None = None,
) -> list[str]:
    """The benefit phrases of the sentence's first usable cue; ``subjects=None`` takes any subject."""
    text = _presentified(text)
    for match in _CUE.finditer(text):
        before = text[: match.start("verb4") if match.group("verb4") else match.start()]
        if at_start and before.strip():
            return []
        if re.match(r"^\W*(?:no|not every|not all)\s+(?:\w+\s+){0,2}$", before, re.IGNORECASE):
            continue  # "No treatment prevents sickness in everyone": a limit, not a claim
        if max_before is not None and (
            len(before.split()) > max_before or re.search(r"[;:]", before)
            # "A quiet, dim room …" is one subject; "If …, it …" is not
            or ("," in before and _FINITE.search(before))
        ):
            return []
        if not_after_and and re.search(r"(?:\band|,)\s+(?!which\b|this\b|it\b|we\b)(?:\w+\s+)?$", before,
                                       re.IGNORECASE):
            continue
        if allow_which and re.search(r",\s+which\s+$", before, re.IGNORECASE):
            pass
        elif re.search(r"\bwhich\s+(?:\w+\s+){0,2}$|\bthat\s+$", before, re.IGNORECASE) and not _therapy_did_it(
                before, subjects):
            continue  # a consequence in a relative clause, not the sentence's claim ("say that X helps" is fine)
        if (
            subjects is not None
            and not subjects & set(re.findall(r"[a-z]+", before.lower()))
            and not re.search(r"\b(?:it|they|this)\s+(?:can\s+|may\s+|also\s+|often\s+)?$", before, re.IGNORECASE)
            and not _CLINIC_GIVES.match(before)
            # "Releasing a tight piriformis also takes …": a gerund subject is the treatment's own action
            and not re.match(r"^[A-Z][a-z]+ing\s+(?:a|an|the|your|tight|stiff|sore|through|out|up|into|these|those|"
                             r"this|weak)\b[^,;]*$", before)
        ):
            continue  # something else does the helping ("better blood flow supports …")
        if re.search(r"\b(?:while|whereas|where|until|unless|if|once|when|as soon as|"
                     r"before(?!\s+(?:a|an|the|your|each|every|their|bed|work|training)\b))\b[^,;]*$", before,
                     re.IGNORECASE) and not re.match(r"^[A-Z][a-z]+ing\s[^,;]*$", before):
            # ("Doing a practice as soon as I get home helps me …": the clause is inside the subject)
            continue  # "…, while the teacher encourages your body to lengthen": a subordinate clause, not the claim
        if re.match(r"^(?:because|since|although|though)\b[^,]*$", before, re.IGNORECASE):
            continue  # "Because the water supports your weight, buoyancy takes …": the reason, not the claim
        if re.search(_PEOPLE_BEFORE, before, re.IGNORECASE):
            continue  # "most patients can lift the arm higher": what people do is read by _people_outcome
        if re.search(rf"\b{_SYMPTOM}\s+(?:\w+ly\s+)?$", before, re.IGNORECASE):
            continue  # "the nagging ache eases …": the symptom eases (read by _symptom_eases), not a therapy verb
        verb = _base_verb(match.group("verb") or match.group("verb3") or match.group("verb4") or match.group("verb5"))
        points = _help_list(text[match.end():]) if verb == "help" else []
        # "has lowered their blood pressure, brought their heart rate down, …"
        if match.group("verb5") and not points:
            points = _perfect_list(verb, text[match.end():])
        for index, part in enumerate([] if points else _coordinated(text[match.end():])):
            if index:  # "…, loosens tight fascia": the part starts with its own verb
                part_verb, _, part = part.partition(" ")
                point = _phrase(_base_verb(part_verb.lower()), part)
            elif verb == "mean":  # "means far fewer accidents on the run, and less leaking when you cough": two gains
                gains = re.split(r",?\s+and\s+(?=(?:far\s+|much\s+)?(?:less|fewer|more|better)\b)", part)
                points.extend(p for p in (_phrase(verb, " " + gain.strip()) for gain in gains) if p)
                continue
            else:
                point = _phrase(verb, part)
            if point:
                points.append(point)
        if not points:
            points = _subject_changes(verb, before, text[match.end():])
        if points:
            return points + _which_points(text[match.end():])
    return []


# Verbs that also say a thing changes by itself: "the irritability … often softens as well".
_CHANGES_BY_ITSELF = frozenset("ease settle soften calm loosen improve lift clear quieten quiet deepen lighten lessen "
                               "steady relax heal sharpen fade drain melt shrink flatten smooth straighten".split())
_NO_OBJECT = re.compile(r"^\s*(?:(?:as well|too|again|off|over time|with time|\w+ly)\b\s*)*(?:[,.;!]|$|and\b|within\b|"
                        r"after\b|in the\b|by\b)", re.IGNORECASE)
_SUBJECT_PHRASE = re.compile(r"(?:^|[:;,]\s*)(?:the|your|their|his|her|my)\s+(?P<what>[^:;,]{3,70}?)\s*$",
                             re.IGNORECASE)


def _subject_changes(verb: str, before: str, after: str) -> list[str]:
    """"The irritability and low mood … often soften as well" -> "softens the irritability and low mood …": a
    verb with no object says its subject, a complaint, changes ("the curve in your back deepens" is no benefit)."""
    subject = _SUBJECT_PHRASE.search(before)
    complaint = subject and re.search(rf"\b(?:{_SYMPTOM}|mood|irritability|low|poor|feeling)\b", subject["what"],
                                      re.IGNORECASE)
    if verb not in _CHANGES_BY_ITSELF or not complaint or not _NO_OBJECT.match(after) or _FINITE.search(
            subject["what"]) or len(subject["what"].split()) > 12:
        return []
    return [_trim(f"{_third_person(verb)} {subject['what']}")]


# Past participles that are not the base verb plus -ed/-d: "brought their resting heart rate down".
_IRREGULAR_PARTICIPLES = {"brought": "bring", "left": "leave", "given": "give", "made": "make", "kept": "keep",
                          "taken": "take", "cut": "cut", "built": "build", "let": "let", "got": "get"}


def _perfect_list(verb: str, rest: str) -> list[str]:
    """After "has lowered …": each further participle in the list is a benefit of its own ("…, brought their resting
    heart rate down, helped them shed a few pounds and left them less puffed on the stairs")."""
    head = _LIST_END.split(rest, maxsplit=1)[0]
    parts = re.split(r",\s*(?:and\s+)?|\s+and\s+(?=[a-z]+ed\b|(?:brought|left|given|made|kept|taken|built)\b)", head)
    if len(parts) < 3:
        return []
    points = [_phrase(verb, " " + parts[0])]
    for part in parts[1:]:
        participle, _, tail = part.strip().partition(" ")
        base = _IRREGULAR_PARTICIPLES.get(participle) or next(
            (b for b in (participle[:-2], participle[:-1], participle[:-3]) if b in _BASE), None)
        if not base and re.fullmatch(r"[a-z]{4,}ed", participle) and points:
            base = participle[:-2]  # "… and reminded me what it feels like to have fun"
        if not base or not tail:
            return []  # not a list of participles after all
        points.append(_phrase(base, " " + tail))
    return [point for point in points if point]


# "…, which often eases the pain": a further effect the sentence claims for the same subject.
_WHICH_CUE = re.compile(r",\s+which\s+(?:(?:often|also|then|usually|in turn|can|may|will|quickly|gradually)\s+)*"
                        r"(?=\w)", re.IGNORECASE)


# "We also teach pacing, which reduces …": what the clinic gives you is part of the treatment
_CLINIC_GIVES = re.compile(r"^(?:we|i)\s+(?:also\s+)?(?:teach|use|add|prescribe|show you|give you)\b[^,]*,\s+which\s+$",
                           re.IGNORECASE)


def _therapy_did_it(before: str, subjects: frozenset[str] | None) -> bool:
    """"The suction draws blood into tired muscles, which speeds up repair": the therapy is the subject of the
    clause the "which" hangs on, so its consequence is the therapy's claim."""
    main = re.match(r"^(?P<subject>(?:[\w'-]+\s+){0,4}?)[a-z]+s\b[^,]*,\s+which\s+(?:\w+\s+){0,2}$", before,
                    re.IGNORECASE)
    return bool(_CLINIC_GIVES.match(before)) or bool(
        subjects and main and subjects & set(re.findall(r"[a-z]+", main["subject"].lower())))


def _which_points(rest: str) -> list[str]:
    which = _WHICH_CUE.search(rest)
    if not which:
        return []
    clause = rest[which.end():]
    means = re.match(r"(?:can\s+|may\s+|should\s+)?means?\s+(?P<what>(?:less|fewer|more|better)\s+[^,.;:]+)", clause)
    if means:  # "…, which can mean less leaking when you cough": the gain it brings
        return [_trim(f"means {_CLAUSE_END.split(means['what'], maxsplit=1)[0].strip()}")]
    cue = _CUE.match(clause)
    if not cue:
        return []
    verb = _base_verb(cue.group("verb") or cue.group("verb3") or cue.group("verb4") or cue.group("verb5"))
    point = _phrase(verb, _coordinated(clause[cue.end():])[0])
    return [point] if point else []


_PEOPLE_BEFORE = (r"\b(?:people|patients|clients|pupils|mothers|mums|women|men|athletes|runners|you|they|(?-i:I)|"
                  r"(?-i:he|she))\s+"
                  r"(?:(?:can|could|may|will|often|usually|also|soon|then)\s+)*$")


def _points_from_bare_verb(text: str) -> list[str]:
    """"A quiet room and steady breathing calm a busy mind": a plural or compound subject takes the bare verb."""
    text = text.rsplit(": ", 1)[-1]  # "The social side matters too: the tea and chat help people feel less lonely"
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


# "the sport, dance or activity you had given up" lists things: a noun's ending says so
_NOT_A_VERB_ENDINGS = ("ing", "s", "ity", "tion", "sion", "ment", "ness", "ance", "ence", "ship")
_NOT_A_VERB = frozenset("the a an your their this that these those its his her our more less any some "
                        "two three four five six seven eight nine ten in at on for with by from of into".split())


def _help_list(rest: str) -> list[str]:
    """"help them manage stress, sleep more soundly, settle irregular cycles and feel more positive": one
    "helps you …" point per thing it helps them do."""
    with_list = re.match(r"^\s+with\s+(?P<list>[^.;:]+)", rest)
    if with_list:  # "has helped with their hot flushes, their night sweats, their sleep …": one point each
        items = [item.strip() for item in re.split(r",\s*(?:and\s+)?|\s+and\s+", with_list["list"]) if item.strip()
                 and not re.match(r"(?:which|that|who)\b", item.strip())]  # "…, which is no small thing"
        items = [re.sub(r"^(?:their|her|his|my)\s+", "your ", _CLAUSE_END.split(item, maxsplit=1)[0]) for item in items]
        return [_trim(f"helps with {item}") for item in items] if len(items) >= 3 else []
    listed = re.match(r"^\s+(?:(?:the\s+)?(?:you|them|people|patients|clients|us|players|athletes|runners|members|me|"
                      r"him|her)\s+)?"
                      r"(?:to\s+)?(?P<list>[^.;:]+)", rest)
    if not listed:
        return []
    # "…, and many patients find …": a new clause with its own subject ends the list
    head = re.split(r",\s+(?:which|so|but|because)\b|,\s+and\s+(?=(?:many|most|some|several|a lot|lots|people|"
                    r"patients|clients|you|they|we|it|this|the)\b)", listed["list"], maxsplit=1)[0]
    parts = [part.strip() for part in re.split(r",\s*(?:and\s+|or\s+)?", head) if part.strip()]
    if not parts:
        return []
    parts[-1:] = re.split(r"\s+(?:and|or)\s+(?=[a-z]+\s)", parts[-1], maxsplit=1)
    firsts = [part.split()[0].lower() for part in parts]
    # two things people do ("fall asleep more quickly and wake less often") are a list; two other words may not be
    two_doings = len(parts) == 2 and all(word in _PEOPLE_GERUND_VERBS for word in firsts)
    if (len(parts) < 3 and not two_doings) or any(word in _NOT_A_VERB or word.endswith(_NOT_A_VERB_ENDINGS)
                                                  for word in firsts):
        return []  # a list of things ("helps pain, stiffness and swelling"), not of things people do
    return [p for p in (_phrase(word, " " + part.partition(" ")[2], conjugated=f"helps you {word}")
                        for word, part in zip(firsts, parts)) if p]


_LIST_END = re.compile(r";|:|\s[-–—]\s|,\s(?:so|but|which)\s|\s(?:so that|because|by|thereby)\s", re.IGNORECASE)


def _coordinated(rest: str) -> list[str]:
    """Split "muscle soreness, loosens tight fascia and improves sleep" at each further verb."""
    # A relative clause inside one benefit ("relieves the tightness that builds up at a desk, improves posture")
    # does not end the list of benefits; a semicolon, colon, dash or ", but/so" does.
    head = _LIST_END.split(rest, maxsplit=1)[0]
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
    if verb in ("loosen", "ease", "free", "calm"):  # "loosened off my tight quads" -> "loosens your tight quads"
        rest = re.sub(r"^\s*off\s+(?=(?:my|your|the|their|his|her|those|tight|stiff)\b)", " ", rest)
    if verb in _ENABLERS:  # "allows them to avoid surgery" -> "lets you avoid surgery"
        enabled = _ENABLED_OBJECT.match(rest)
        if not enabled:
            return None
        thing = enabled["object"] or enabled["let"]
        who = "you" if _PEOPLE.search(thing) else re.sub(r"^(?:a|an)\s+", "the ", thing)
        rest, conjugated = " " + rest[enabled.end():], f"lets {who}"
    if verb == "give":  # "gives people who can no longer follow speech a sense of belonging" -> "gives you a sense …"
        rest = re.sub(r"^\s*(?:people|patients|clients|residents|them)\b(?:\s+who\b[^,;]*?)?\s+"
                      r"(?=(?:a\s+)?(?:real\s+)?(?:sense|feeling)\s+of\b|confidence\b|hope\b|purpose\b|"
                      r"(?:a|an|more|some)\s+(?:[\w-]+,?\s+){0,2}?(?:head|mind|break|rest|energy|time|space|boost|lift|"
                      r"chance|moment|outlet|routine|focus)\b)", " you ", rest)
    if verb in ("leave", "help"):  # "leaves most people feeling calmer" -> "leaves you feeling calmer"
        rest = re.sub(r"^\s*(?:(?:most|many|some)\s+)?(?:them|people|patients|clients)\b(?=\s+[a-z])", " you", rest)
    listed = _NOUN_LIST.match(rest)  # "loosens tight hamstrings, calves and hip flexors"
    phrase = (listed.group(0) if listed else _clause_head(rest)).strip().rstrip(".!?")
    relative = re.match(r"\s*((?:the|a|an|your)\s+)?[\w'-]+\s+(?:that|which)\s+", rest, re.IGNORECASE)
    if not listed and relative and len(phrase.split()) <= 2:
        phrase = (relative.group(0) + _CLAUSE_END.split(rest[relative.end():], maxsplit=1)[0]).strip().rstrip(".!?")
    if not phrase or _PRONOUN_OBJECT.match(f"{verb} {phrase}"):
        return None
    if conjugated is None and re.match(r"^(?:them|it|this|these|those)\b(?:\s+\S+){0,2}$", phrase, re.IGNORECASE):
        return None  # "makes them stronger": whom, the sentence does not say
    if re.search(r"\b(?:since (?:roman|ancient|medieval|victorian) times|for (?:centuries|thousands of years))\b",
                 phrase, re.IGNORECASE):
        return None  # history, not a claim about today's treatment
    if re.fullmatch(r"(?:a lot|a bit|a little|a great deal|so much|loads)(?:\s+(?:\w+ly|too|already|now))?",
                    phrase) or \
            re.match(r"(?:more|less|further|faster)\s+(?:in\s+(?:a|an|the|one|two|\d+)\s|than\b|within\b)", phrase):
        return None  # "the shoulder pain … has eased a lot": how much, not an object
    if re.fullmatch(r"(?:down|up|off|away)(?:\s+(?:\w+ly|too|again|now))?", phrase):
        return None  # "the tantrums at teatime have calmed down": the complaint is the subject (read elsewhere)
    if conjugated is None and re.match(r"^(?:as well|too|again|off)\b", phrase, re.IGNORECASE):
        return None  # "… often soften as well": the verb has no object here
    if verb == "help" and conjugated is None and re.match(
            r"^with\s+(?:[\w-]+\s+){0,3}?(?:[a-z]+ness|anxiety|stress|pain|sleep|isolation|mood|recovery|range|"
            r"movement|mobility|flexibility|balance|posture|confidence|circulation|blood flow|digestion|constipation|"
            r"nausea|swelling|fatigue|breathing|cramps?)\b", phrase):
        return _trim(f"helps {phrase}")  # "it's helping with loneliness"
    if conjugated is None and re.match(r"^(?:onto|into|on|in|at|with|from|through|for|over|around|along|across|upon|"
                                       r"under|within|after|to|without|than|noticeably|quickly|gradually|"
                                       r"\w+ly\s+(?:within|after|over))\b",
                                       phrase, re.IGNORECASE):
        return None  # "the hands settle onto a restricted area": the verb is intransitive here, not a benefit
    if verb in _LESSENING and re.search(r"\b(?:gains?|adaptations?|performance|progress|benefits?|growth|results?)\b",
                                        phrase, re.IGNORECASE):
        return None  # "may dull the long-term strength gains": a drawback, not a benefit
    vague = _VAGUE_OBJECT.match(f"{verb} {phrase}") if verb != "leave" else None  # "leaves you feeling calmer"
    if vague and (not vague["next"] or vague["next"].strip().lower() in _VAGUE_NEXT or vague["next"].endswith("ing")):
        return None
    return _trim(f"{conjugated or _third_person(verb)} {phrase}")


_LESSENING = frozenset("dull reduce lower blunt limit cut slow weaken lessen decrease dampen".split())
# right after the verb "that" is a determiner ("eases that stiff, heavy feeling"), never a clause
_CLAUSE_END_AFTER_VERB = re.compile(re.sub(r"\(\?<!\\boff\).*?\\sthat\\s\|", "", _CLAUSE_END.pattern), re.IGNORECASE)
_CLAUSE_WORD = re.compile(r"^\s*(?:which|so|but|and|or|as|because|while|when|then|where|who|the|a|an|your|its|their|"
                          # "the heavy, aching soreness": an -ing word that describes a pain is an adjective
                          r"(?!(?:aching|nagging|burning|throbbing|shooting|stabbing|grinding|lingering|pounding|"
                          r"niggling|gnawing|tingling|searing|lasting|creaking|grating)\b)[a-z]+ing)\b",
                          re.IGNORECASE)


# Adjectives a list of adjectives may start with ("that stiff, heavy feeling"); a noun there is an apposition
# ("releases prostaglandins, chemicals that …"), which ends the phrase.
_PLAIN_ADJECTIVES = frozenset(
    "stiff tight sore dull sharp deep long short hard soft weak tense firm warm cold hot".split())


def _clause_head(rest: str) -> str:
    """The object of a benefit verb, up to where its clause ends. Right after the verb "that" is a determiner ("eases
    that stiff, heavy feeling"), and a comma after one or two words joins adjectives, not clauses."""
    splitter = _CLAUSE_END_AFTER_VERB if re.match(r"^\s*that\s", rest, re.IGNORECASE) else _CLAUSE_END
    head, *tail = splitter.split(rest, maxsplit=1)
    last = head.split()[-1].lower() if head.split() else ""
    adjective = re.search(r"(?:y|ful|ive|ous|al|ic|ed|er|ish|less)$", last) or last in _PLAIN_ADJECTIVES
    # "pain in sore, swollen joints": a complaint's adjective before a comma joins the next adjective and its noun
    # and so does a comparative: "a calmer, clearer head"
    symptom_adjective = (last in _PLAIN_ADJECTIVES or re.fullmatch(r"[a-z]{3,}(?:er|ier)", last)) and re.match(
        r"^\s*(?!(?:with|without|before|after|such|which|and|but|as|when|so|because|than|while|for|in|at|on|to|"
        r"especially|even|once)\b)[a-z]+(?:en|ed|y|ful)?\s+[a-z]+\b", tail[0] if tail else "")
    joins = ((len(head.split()) <= 2 and adjective) or symptom_adjective
             or re.match(r"^\s*(?:more|less)\s", tail[0] if tail else ""))
    if tail and joins and rest[len(head):].startswith(",") and not _CLAUSE_WORD.match(tail[0]):
        more = splitter.split(tail[0], maxsplit=1)[0]
        return f"{head},{more}" if more.strip() else head
    return head


def _participle_points(text: str) -> list[str]:
    """"…, releasing that held tension" -> "releases that held tension"
    (a further benefit under a benefit heading)."""
    points = []
    for match in re.finditer(r"(?:,|\swhile)\s+(?P<gerund>[a-z]+)ing\s+(?P<rest>[^,.;:]+)", text):
        stem = match["gerund"]
        verb = next((v for v in (stem, stem + "e", stem[:-1]) if v in _BASE), None)
        point = _phrase(verb, " " + match["rest"]) if verb else None
        if point:
            points.append(point)
    return points

