"""What a patient, a relative or a diarist says changed, told about a person rather than the therapy: "I felt
calmer walking home", "she stopped dropping things", "by the end of that summer he was sleeping through the night",
"hand therapy had given her less pain …". Each function turns one such clause into points that read after the
therapy's name ("helps you feel calmer")."""

from __future__ import annotations

import re

from posts.cues import _CLAUSE_END_NO_COMMA, _OUTCOME
from posts.outcomes import _becomes, _reported_list
from posts.points import _phrase
from posts.wording import _base_form, _gerund, _trim, _ungerund


# A patient's own account: "The talks mean I now know the difference …", "I've dropped half a stone", "I can finally
# kneel to garden again".
_FIRST_PERSON = re.compile(
    r"(?:^|[,;:]\s+|\b(?:means?|meant|and|so|that|noticed|notice|find|found)\s+(?:that\s+)?|"
    r"\b(?:month|week|weeks|months|days|session|course|night|evening|morning|year|time)\s+"
    r"(?:(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|\d+)\s+)?|"
    # "and by the sixth I could lift the kettle"
    r"\b(?:by|after|within)\s+(?:the\s+)?(?:first|second|third|fourth|fifth|sixth|[a-z]+th|end)\s+"
    r"(?:(?:session|week|month|class|visit)\s+)?)"
    r"(?-i:I)(?:'ve|’ve|'d|’d|\s+have|\s+had)?\s+"
    r"(?P<adverbs>(?:(?:now|finally|also|even|actually|honestly|always|usually|can|could|am able to|was able to|"
    r"no longer)\s+)*)"
    r"(?P<verb>(?!(?:was|were|had|have|has|am|is|did|do|think|thought|felt|wasn't|didn't|don't|can't|couldn't|would|"
    r"will|"
    r"nearly|turned|managed|went|got|been|be|fewer|less|more|better|a|an|the|no|some|to)\b)[a-z]+)\s+(?P<rest>[^.;:]+)",
    re.IGNORECASE)
_CHANGE_VERBS = {"stopped": "stop", "dropped": "drop", "lost": "lose", "shed": "shed", "slept": "sleep",
                 "started": "start", "returned": "return", "gone back": "go back"}


# "I felt calmer walking home", "I was far less snappy with the wife": how the writer felt, said as a comparison.
_I_FELT = re.compile(
    r"(?:^|[,;:]\s+|\b(?:that|and|so|session|class|treatment|night|evening|week|now|noticed|found)\s+)(?-i:I)\s*"
    r"(?:felt|feel|was|am|’m|'m)\s+(?:\w+ly\s+)?"
    r"(?P<how>(?:far\s+|much\s+|a lot\s+)?"
    r"(?:less\s+(?!than\b)[a-z]+|more\s+(?:relaxed|settled|confident|positive|energetic|rested)|calmer|happier|"
    r"lighter|stronger|steadier|looser|freer|brighter|fitter|sharper|better|healthier|clearer))\b"
    r"(?P<rest>[^,.;:]*)")


def _first_person_outcome(text: str, in_benefit_section: bool = False) -> list[str]:
    """What the writer says they can now do: "helps you know the difference …", "helps you drop half a stone"."""
    felt = _I_FELT.search(text)
    if felt and not re.search(r"\b(?:not|never|worse|if)\b", text[:felt.start()] + felt["rest"]):
        return [_trim(f"helps you feel {felt['how']}{_CLAUSE_END_NO_COMMA.split(felt['rest'], maxsplit=1)[0]}")]
    found = _FIRST_PERSON.search(text)
    while found:  # "I started using it before bed and found I actually slept through": each "I" in turn
        points = _first_person_claim(text, found, in_benefit_section)
        if points:
            return points
        found = _FIRST_PERSON.search(text, found.start("verb") + 1)
    return []


# Past forms that say what the writer did, not what changed ("I left the wheat bag in too long").
_DID_NOT_GAIN = frozenset("left found went took got made kept put had felt saw told said thought tried used".split())


def _first_person_claim(text: str, found: re.Match[str], in_benefit_section: bool) -> list[str]:
    verb, rest = found["verb"].lower(), found["rest"]
    if verb in _DID_NOT_GAIN or (verb == "started" and re.match(
            r"(?:using|taking|going|doing|seeing|the|a|an|my|physio|treatment|sessions?)\b", rest)):
        return []  # "I started using it before bed": what the writer began, not what they gained
    marked = re.search(r"\b(?:now|finally|no longer)\b", found["adverbs"], re.IGNORECASE)
    # "By week eight I could go up the stairs …", "Everyday life: I can walk to the park and back, lift the car
    # seat …": what the writer became able to do, dated or under a benefit label
    able = re.search(r"\b(?:can|could|am able to|was able to)\b", found["adverbs"], re.IGNORECASE) and (
        in_benefit_section or _OUTCOME.search(found["rest"])
        or re.search(r"\b(?:by|within|after)\s+(?:week|month|session|the end|"
                     r"the (?:first|second|third|fourth|fifth|sixth|[a-z]+th))\b",
                     text[:found.start("adverbs")], re.IGNORECASE))
    purpose = re.search(r"\bso\s+(?:that\s+)?I\s+$", text[:found.start("adverbs")])  # "so I can plan the space"
    if able and not purpose and not re.search(r"\b(?:not|never|worse|if|book|pay|see you)\b", found["rest"]):
        listed = _ability_list(f"{found['verb']} {found['rest']}")
        if listed:
            return listed
        marked = marked or able
    # the clinician writes "I" too ("I spend less time on the heel"): only a change the writer lived through counts
    # a patient's own "I always sleep better on class nights"; a clinician's "I spend less time on …" is not one
    lived = verb in ("sleep", "feel", "move", "walk", "breathe", "cope", "concentrate", "focus", "sit", "stand",
                     "think") and (_OUTCOME.search(rest) or re.match(r"(?:right\s+)?through\b", rest))
    again = re.search(r"\b(?:again|now|no longer|any more|anymore)\b", rest)
    rest = re.split(r",\s+which\b", rest)[0]  # "I slept right through, which I had not done for a long while"
    if re.match(r"(?:was|is|were|had)\b", rest):
        return []  # "the shooting pain that I now know was sciatica": what the writer knows, not a gain
    if not (marked or lived or again or verb in _CHANGE_VERBS) or re.search(r"\b(?:not|never|worse|count)\b", rest):
        return []
    if re.search(r"\bno longer\b", found["adverbs"], re.IGNORECASE):  # "I no longer clenched my jaw"
        stopped = re.sub(r"(?:ed|d|s)$", "", verb)
        point = _phrase("stop", f" {_gerund(stopped)} {rest}", conjugated="helps you stop")
        return [point] if point else []
    base = _CHANGE_VERBS.get(verb) or (verb if verb.endswith("ed") is False else None)
    if base is None or (base in ("go", "come", "attend", "book", "pay", "visit", "see", "try") and not re.search(
            r"^(?:back|out|up)\b|\bagain\b", rest)):
        return []  # "I now go once a month as a top-up": how they attend, not what they gained
    point = _phrase(base, " " + rest, conjugated=f"helps you {base}")
    return [point] if point else []


def _doings_now(rest: str) -> list[str]:
    """"falls asleep faster, wakes once or twice rather than five times, and when he does wake …": what a person now
    does, one point per verb, up to a part that is not one ("when he does wake …")."""
    parts = [part.strip() for part in re.split(r",\s*(?:and\s+)?", rest.rstrip(".!")) if part.strip()]
    kept = []
    for part in parts:
        first = part.split()[0]
        if not re.fullmatch(r"[a-z]+(?<!s)s", first) or len(part.split()) < 2:
            break
        kept.append(_base_form(first) + " " + part.partition(" ")[2])
    if len(kept) < 2 or re.search(r"\b(?:not|never|worse)\b", " ".join(kept)):
        return []
    points = [_phrase(part.split()[0], " " + part.partition(" ")[2], conjugated=f"helps you {part.split()[0]}")
              for part in kept]
    return [point for point in points if point]


def _ability_list(rest: str) -> list[str]:
    """"walk to the park and back, lift the car seat and get on the floor to play": one point per thing done."""
    head = _CLAUSE_END_NO_COMMA.split(rest, maxsplit=1)[0] if not re.search(r",", rest) else rest
    parts = [part.strip() for part in re.split(r",\s*(?:and\s+)?", head.rstrip(".!")) if part.strip()]
    if len(parts) < 2:
        return []
    parts[-1:] = re.split(r"\s+and\s+(?=[a-z]+\s)", parts[-1], maxsplit=1)
    if len(parts) < 3 or any(re.match(r"^(?:the|a|an|my|your|it|they|which|but|so|as|because|when)\b|^[a-z]+ing\b",
                                      part, re.IGNORECASE) for part in parts):
        return []  # nouns or a new clause, not things the writer can do
    verbs = [part.split()[0].lower() for part in parts]
    points = [_phrase(verb, " " + part.partition(" ")[2], conjugated=f"helps you {verb}")
              for verb, part in zip(verbs, parts) if len(part.split()) > 1]
    return [point for point in points if point] if all(points) and len(points) >= 3 else []


# A relative's account: "she stopped dropping things", "he sleeps much better that night too", "she could get
# through a full rehearsal again". Only a change (a change verb, "again", or sleeping or moving better) counts: "she
# now teaches the class" says what someone does, not what they gained.
_THIRD_PERSON = re.compile(
    r"(?:^|[,;:]\s+|\b(?:and|so|that|says|said|now)\s+)(?-i:he|she|He|She|[A-Z][a-z]{2,}(?=\s+(?:now\s+)?sleeps\b))\s+"
    r"(?P<adverbs>(?:(?:now|finally|also|even|can|could|was able to|is able to)\s+)*)"
    r"(?P<verb>stopped|slept|sleeps|sleep|moves|move|walks|walk|breathes|breathe|copes|cope|feels|feel|get|gets"
    r"|went back|goes back|returned|manage|manages|managed to|can)\s+(?P<rest>[^.;:]+)")
_THIRD_PERSON_BASES = {"stopped": "stop", "slept": "sleep", "went back": "go back", "goes back": "go back",
                       "returned": "return", "managed to": "manage to"}


# "he's cut down on the sleeping tablets", "He's driving to see his grandchildren again"
_THIRD_PERSON_HAS = re.compile(r"\b(?:he|she|He|She|(?-i:[A-Z][a-z]{2,}))(?:'s|’s|\s+has|\s+is)\s+"
                               r"(?:now\s+|finally\s+|also\s+)?"
                               r"(?P<verb>cut down|cut back|given up|(?P<doing>[a-z]+ing))\s+(?P<rest>[^,.;:]+)")
_THIRD_PERSON_IS = re.compile(
    r"\b(?-i:he|she|He|She)(?:(?:'s|’s|\s+is)\s+(?P<how>(?:much\s+|far\s+)?(?:more|less)\s+[a-z]+|calmer|happier|"
    r"stronger|steadier|brighter|fitter)\s+(?:again|now)\b"
    # "She seemed much more comfortable after feeds", "she was far less windy": a marked change
    r"|\s+(?:also\s+)?(?:seemed|seems|was|became)\s+(?P<marked>(?:(?:much|far|a lot)\s+)?(?:more|less)\s+"
    r"(?!(?:than|of)\b)[a-z]+(?:\s+and\s+(?:more|less)\s+[a-z]+)?(?:\s+after\s+\w+)?))")
# "Nan has gone back to knitting", "he is back at work": back to what the condition took away
_GONE_BACK = re.compile(r"\b(?:he|she|they|I|we|you|He|She|They|We|You|[A-Z][a-z]+)\s+"
                        r"(?:has|have|had|is|are|was|’s|'s)\s+(?:now\s+|finally\s+)?(?:gone\s+|got\s+|going\s+)?"
                        r"back\s+(?:to|at)\s+(?P<what>(?!(?:square|the start|normal\s+size)\b)[a-z][^,.;:]{2,50})")


# "over time you become less frightened of the physical symptoms": how the reader changes.
_YOU_BECOME = re.compile(r"(?:^|,\s+|\band\s+)(?:(?:over time|soon|gradually|slowly)\s+)?"
                         r"you\s+(?:become|feel|get|grow)\s+"
                         r"(?P<how>(?:much\s+|far\s+)?(?:less\s+[a-z]+|more\s+(?:confident|relaxed|settled|independent|"
                         r"in control|at ease)))(?P<rest>[^,.;:]*)")


def _my_thing_becomes(text: str) -> list[str]:
    """"Without the clenching my bow arm was freer, and my tone became rounder": a writer's own body or craft
    changing, said in plain prose ("makes your bow arm freer", "makes your tone rounder …")."""
    points: list[str] = []
    for mine in re.finditer(r"(?:^|,\s+|\b(?:and|so|then|clenching|time|weeks|months|course|programme|sessions)\s+)"
                            r"(?=(?:my|(?-i:her|his))\s)", text):
        points += [p for p in _becomes(text[mine.end():]) if p not in points]
    return points


# "you're moving better in the recovery session", "I was sleeping more soundly": a doing, said as it goes on
_DOING_BETTER = re.compile(r"(?:^|,\s+|\band\s+)(?:you|they|(?-i:I))"
                           r"(?:'re|’re|\s+are|'m|’m|\s+am|\s+was|\s+were)\s+"
                           r"(?:now\s+|already\s+|also\s+)?(?P<doing>[a-z]+ing)\s+(?P<rest>(?:much\s+|far\s+|a lot\s+)?"
                           r"(?:better|more (?:freely|easily|soundly|deeply)|further|faster|for longer)\b[^,.;:]*)")
# "I got my deep core muscles working again": what the writer got going again
_GOT_WORKING = re.compile(r"\b(?:got|get|gets|getting)\s+(?:my|your|her|his|their)\s+"
                          r"(?P<what>(?:[\w-]+\s+){0,3}?[\w-]+)\s+"
                          r"(?P<doing>working|moving|firing|going)\s+(?:properly\s+)?again\b")


def _you_become(text: str) -> list[str]:
    """"over time you become less frightened …", "you're moving better …", "I got my deep core muscles working
    again"."""
    found = _YOU_BECOME.search(text)
    doing = _DOING_BETTER.search(text)
    working = _GOT_WORKING.search(text)
    before = text[:(found or doing or working).start()] if (found or doing or working) else ""
    if re.search(r"\b(?:if|may|might|not)\b", before):
        return []
    if found:
        return [_trim(f"makes you {found['how']}{found['rest']}")]
    verb = _ungerund(doing["doing"].lower()) if doing else None
    if verb:
        point = _phrase(verb, " " + doing["rest"], conjugated=f"helps you {verb}")
        return [point] if point else []
    return [_trim(f"gets your {working['what']} {working['doing']} again")] if working else []


def _third_person_outcome(text: str) -> list[str]:
    """"she stopped dropping things" -> "helps you stop dropping things"; "She's more independent again" -> "helps
    you feel more independent"; "Nan has gone back to knitting" -> "gets you back to knitting"."""
    now = re.search(r"\b(?-i:he|she|He|She)\s+now\s+(?P<rest>[a-z][^.;]+)", text)
    listed = _doings_now(now["rest"]) if now else []
    if listed:  # "He now falls asleep faster, wakes once or twice rather than five times, and …"
        return listed
    able = re.search(r"(?<!once )(?<!when )(?<!if )\b(?-i:he|she)\s+(?:can|could)\s+(?:now\s+|finally\s+|also\s+)?"
                     r"(?P<rest>[a-z][^.;]+)", text)
    listed = _ability_list(able["rest"]) if able and not re.search(r"\b(?:not|never|if)\b", able["rest"]) else []
    if listed:  # "he can lift his arm to shoulder height, open his hand …, feed himself … and wash his own face"
        return listed
    has = _THIRD_PERSON_HAS.search(text)
    if has and (not has["doing"] or re.search(r"\b(?:again|now)\b", has["rest"])) and not re.search(
            r"\b(?:not|never|worse)\b", has["rest"]):
        verb = _ungerund(has["doing"]) if has["doing"] else has["verb"]
        point = _phrase(verb, " " + has["rest"], conjugated=f"helps you {verb}") if verb else None
        if point:
            return [point]
    state = _THIRD_PERSON_IS.search(text)
    if state:
        return [_trim(f"helps you feel {state['how'] or state['marked']}")]
    back = _GONE_BACK.search(text)
    if back and not re.search(r"\b(?:pain|ache|symptoms?|stiffness|swelling|not|never)\b", text[:back.start()]):
        return [_trim(f"gets you back to {_CLAUSE_END_NO_COMMA.split(back['what'], maxsplit=1)[0].strip()}")]
    found = _THIRD_PERSON.search(text)
    if not found or re.search(r"\b(?:not|never|worse|hardly)\b", found["rest"]):
        return []
    verb = found["verb"]
    base = _THIRD_PERSON_BASES.get(verb) or _base_form(verb)
    lived = base in ("sleep", "move", "walk", "breathe", "cope", "feel") and (
        _OUTCOME.search(found["rest"]) or re.match(r"(?:right\s+)?through\b", found["rest"]))
    again = re.search(r"\b(?:again|any more|anymore)\b", found["rest"])
    # "she stopped dropping things" is a gain; "he stopped going to the allotment" is the decline before treatment
    stopped_bad = base == "stop" and re.match(r"(?:dropping|waking|limping|falling|tripping|crying|worrying|wincing|"
                                              r"needing|clenching|grinding|shaking|freezing|getting (?:headaches|"
                                              r"migraines|pins and needles))\b", found["rest"])
    # "she now manages the stairs at school without holding the rail": a marked change with a gain in it
    now_better = re.search(r"\b(?:now|finally)\b", found["adverbs"]) and _OUTCOME.search(found["rest"])
    if not (lived or again or stopped_bad or now_better) or base == "can":
        return []
    point = _phrase(base, " " + found["rest"], conjugated=f"helps you {base}")
    return [point] if point else []


# "Her hand opens more easily.", "Her physio exercises go further.": what someone's body or routine now does better.
_POSSESSED_DOES_BETTER = re.compile(
    r"^(?:her|his|your|their|my)\s+(?P<what>[\w' -]{2,30}?)\s+"
    r"(?P<verb>(?!(?:is|was|has|does|feels|looks)\b)[a-z]+s|go)\s+"
    r"(?P<how>(?:much\s+|far\s+|a lot\s+)?(?:more easily|better|further|faster|more freely|more smoothly|easier|"
    r"quicker|longer|less))\b(?P<rest>[^,.;:]*)", re.IGNORECASE)


def _possessed_does_better(text: str) -> list[str]:
    """"Her hand opens more easily" -> "helps your hand open more easily"."""
    found = _POSSESSED_DOES_BETTER.match(text.strip())
    if not found:
        return []
    return [_trim(f"helps your {found['what']} {_base_form(found['verb'].lower())} {found['how']}{found['rest']}")]


# "But by the end of that first summer he was sleeping through the night, eating a proper dinner and …": the change
# a relative or patient saw, told as what someone was doing by then.
_NARRATIVE_CHANGE = re.compile(
    r"\b(?i:by the end of|by (?:the|his|her|my|their|our) (?:\w+ )?(?:week|month|visit|session|class|summer|winter|"
    r"spring|autumn|course|appointment)|within (?:about\s+|around\s+)?(?:a|two|three|four|five|six|\d+) \w+|these days|"
    r"since then|now|"
    r"instead of)\b"
    r"[^.;:]*?\b(?:he|she|they|I|we|[A-Z][a-z]+)\s+(?:was|were|is|are)\s+(?:now\s+|finally\s+|already\s+|back\s+)?"
    r"(?P<what>[a-z]+ing\b[^.;:]*)")
_I_WAS = re.compile(r"^(?:(?:and|but|so)\s+)?(?-i:I)\s+was\s+(?:now\s+|finally\s+)?(?P<what>[a-z]+ing\b[^.;:]*)")
_BAD_DOINGS = frozenset("struggle cry worry limp hurt suffer wake lie ache fall miss dread avoid shuffle grit hobble "
                         "wince crawl drag clutch".split())


def _narrative_change(text: str) -> list[str]:
    """"by the end of that first summer he was sleeping through the night, eating a proper dinner and shaving every
    morning" -> one "helps you …" point per thing."""
    found = _NARRATIVE_CHANGE.search(text)
    if not found:  # "I was sleeping more deeply on treatment nights": no time marker, but the change is said
        found = _I_WAS.match(text)
        if not found or not _OUTCOME.search(_CLAUSE_END_NO_COMMA.split(found["what"], maxsplit=1)[0]):
            return []
    head = _CLAUSE_END_NO_COMMA.split(found["what"], maxsplit=1)[0]
    parts = [part.strip() for part in re.split(r",\s+(?:and\s+)?|\s+and\s+(?=[a-z]+ing\b)", head) if part.strip()]
    points = []
    for part in parts:
        gerund, _, rest = part.partition(" ")
        verb = _ungerund(gerund.lower())
        # "falling asleep more quickly" is no fall
        bad = verb in _BAD_DOINGS and not (verb == "fall" and rest.startswith("asleep"))
        if not verb or not rest or bad or re.search(r"\b(?:not|never|worse)\b", part):
            return points
        point = _phrase(verb, " " + rest, conjugated=f"helps you {verb}")
        if point:
            points.append(point)
    return points


_GAVE_THEM = re.compile(r"\b(?:has|have|had)\s+given\s+(?:her|him|them|me|you|us)\s+(?P<what>[^.;:]+)")


def _gave_them(text: str) -> list[str]:
    """"hand therapy had given her less pain in her knuckles, shorter morning stiffness, a stronger grip …": one
    point per gain."""
    found = _GAVE_THEM.search(text)
    if not found:
        return []
    # ", most importantly for her," is an aside inside the list
    return _reported_list(re.sub(r",\s+(?:most\s+)?[a-z]+ly\s+for\s+(?:her|him|them|me),", "", found["what"]))
