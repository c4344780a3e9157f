"""What people gain, said without the therapy as the subject: "many people sleep better", "patients find that
the ache settles", "most athletes report looser legs", "stiff joints become easier to move", "so you can …".
Each function turns one such clause into points that read after the therapy's name ("helps you sleep better")."""

from __future__ import annotations

import re

from posts.cues import (_BECOMES, _BODY_SETTLES, _CLAUSE_END, _CLAUSE_END_NO_COMMA, _CUE, _EASES_AS, _ER,
                        _EVIDENCE_FINDS, _FINDS_IT, _FINITE, _GOOD_DOES, _GOOD_IMPROVES, _OUTCOME, _PEOPLE_FIND,
                        _PEOPLE_OUTCOME, _PEOPLE_REPORT, _PEOPLE_USE_TO, _SO_YOU_CAN, _SYMPTOM_EASES, _SYMPTOM_MILDER)
from posts.points import _phrase, _points_from_cue, _point_from_label, _third_person, _trim


def _people_outcome(text: str) -> list[str]:
    """"Many people sleep better after a session" -> "helps you sleep better after a session"."""
    match = _PEOPLE_OUTCOME.match(text)
    finally_can = match and re.search(r"\b(?:finally|at last|now)\s+$", text[:match.start("rest")], re.IGNORECASE)
    if not match or not (_OUTCOME.search(match["rest"]) or finally_can) or _CUE.match(match["rest"]):
        return []
    if re.search(r"\b(?:if|unless|until|worse|not|never|no longer)\b",
                 re.split(r",\s+which\b|\s+because\b", match["rest"])[0], re.IGNORECASE):
        return []  # a condition or a setback, not an outcome
    if re.match(r"^[a-z]+ing\s+(?:[\w-]+\s+){0,3}?(?:report|say|tell|find|notice)\b", match["rest"]):
        return []  # "Members doing interval sessions report …": what they report is read as such
    if re.match(r"^(?:stop|stopped|give up|gave up)\s+"
                r"(?:doing|going|exercising|moving|working|walking|playing|training)\b", match["rest"], re.IGNORECASE):
        return []  # "Some people with back pain stop doing things because …": the decline, not the gain
    rest = match["rest"]
    unlikely = re.match(r"^(?:are|is)\s+(?:also\s+)?(?:much\s+|far\s+)?less likely to\s+(?P<what>[^,.;:]+)", rest)
    if unlikely:  # "Patients who complete the programme are also less likely to need a stay in a rehabilitation unit"
        return [_trim(f"makes you less likely to {unlikely['what']}")]
    reported = re.search(r"\b(?:find|say|notice|tell us|report)\b", text[match.end("who"):match.start("rest")]
                         if match["who"] else "")
    if match["who"] and not reported:
        # "Patients who have avoided bending for years learn to move again": where the relative clause ends
        # is unknowable without a parser, so only an infinitive that carries the outcome is taken.
        head = _CLAUSE_END.split(rest, maxsplit=1)[0]
        tail = (re.search(r"\b(?:find|say|notice|tell us)\s+(?:that\s+)?they\s+(?:can\s+)?([a-z][^,.;:]*)$", head)
                # "patients who understand what has happened tend to return to work sooner"
                or re.search(r"\btend\s+to\s+([a-z][^,.;:]*)$", head)
                # "residents who have sung in the afternoon often settle to sleep more easily"
                or re.search(r"\b(?:often|usually|now|soon)\s+"
                             r"(?!(?:tell|say|report|find|notice|mention|describe|feel)\b)"
                             r"([a-z][^,.;:]*)$", head)
                or re.search(r"\b(?!(?:have|has|had|used|want|wanted|need|needed)\b)([a-z]+\s+to\s+[a-z][^,.;:]*)$",
                             head))
        if not tail or not _OUTCOME.search(tail.group(1)):
            return []
        rest = tail.group(1)
    if re.match(r"^[a-z]+ing\b", rest) and re.search(r"\bthey are\s+$", text[:match.start("rest")]):
        return _gerund_points(rest)  # "they tell me they are sleeping more deeply and waking up refreshed"
    listed = _outcome_list(rest)
    if listed:
        return listed
    # "walk out of the clinic and go back to work the same day": the part that carries the outcome
    # "feel calmer and more even-tempered" is one outcome; "feel calmer and sleep better" is two
    parts = re.split(r"\s+and\s+(?!(?:more|less|much|far|[a-z]{3,}er)\b)", _CLAUSE_END.split(rest, maxsplit=1)[0])
    if len(parts) == 2 and all(_OUTCOME.search(part) and len(part.split()) > 1 for part in parts):
        # "they feel calmer and sleep better": two outcomes
        return [p for p in (_phrase(part.split()[0].lower(), " " + part.partition(" ")[2],
                                    conjugated=f"helps you {part.split()[0].lower()}") for part in parts) if p]
    if (len(parts) > 1 and _OUTCOME.search(parts[-1]) and not _OUTCOME.search(" and ".join(parts[:-1]))
            and len(parts[0].split()) > 1):  # "turn and tilt the head further" keeps both verbs
        rest = parts[-1]
    verb, _, rest = rest.partition(" ")
    point = _phrase(verb.lower(), " " + rest, conjugated=f"helps you {verb.lower()}")
    return [point] if point else []


# A patient's own account: "The talks mean I now know the difference …", "I've dropped half a stone", "I can finally
# kneel to garden again".
_FIRST_PERSON = re.compile(
    r"(?:^|[,;:]\s+|\b(?:means?|meant|and|so|that|noticed|notice|find|found)\s+(?:that\s+)?|"
    r"\b(?:month|week|weeks|months|days|session|course|night|evening|morning|year|time)\s+)"
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


def _first_person_outcome(text: str) -> list[str]:
    """What the writer says they can now do: "helps you know the difference …", "helps you drop half a stone"."""
    found = _FIRST_PERSON.search(text)
    felt = _I_FELT.search(text)
    if felt and not re.search(r"\b(?:not|never|worse|if)\b", text[:felt.start()] + felt["rest"]):
        return [_trim(f"helps you feel {felt['how']}{_CLAUSE_END_NO_COMMA.split(felt['rest'], maxsplit=1)[0]}")]
    if not found:
        return []
    verb, rest = found["verb"].lower(), found["rest"]
    marked = re.search(r"\b(?:now|finally|no longer)\b", found["adverbs"], re.IGNORECASE)
    # the clinician writes "I" too ("I spend less time on the heel"): only a change the writer lived through counts
    # a patient's own "I always sleep better on class nights"; a clinician's "I spend less time on …" is not one
    lived = verb in ("sleep", "feel", "move", "walk", "breathe", "cope", "concentrate", "focus", "sit", "stand",
                     "think") and (_OUTCOME.search(rest) or re.match(r"(?:right\s+)?through\b", rest))
    again = re.search(r"\b(?:again|now|no longer|any more|anymore)\b", rest)
    rest = re.split(r",\s+which\b", rest)[0]  # "I slept right through, which I had not done for a long while"
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


# A relative's account: "she stopped dropping things", "he sleeps much better that night too", "she could get
# through a full rehearsal again". Only a change (a change verb, "again", or sleeping or moving better) counts: "she
# now teaches the class" says what someone does, not what they gained.
_THIRD_PERSON = re.compile(
    r"(?:^|[,;:]\s+|\b(?:and|so|that|says|said|now)\s+)(?-i:he|she|He|She)\s+"
    r"(?P<adverbs>(?:(?:now|finally|also|even|can|could|was able to|is able to)\s+)*)"
    r"(?P<verb>stopped|slept|sleeps|sleep|moves|move|walks|walk|breathes|breathe|copes|cope|feels|feel|get|gets"
    r"|went back|goes back|returned|manage|manages|managed to|can)\s+(?P<rest>[^.;:]+)")
_THIRD_PERSON_BASES = {"stopped": "stop", "slept": "sleep", "went back": "go back", "goes back": "go back",
                       "returned": "return", "managed to": "manage to"}


# "he's cut down on the sleeping tablets", "He's driving to see his grandchildren again"
_THIRD_PERSON_HAS = re.compile(r"\b(?:he|she|He|She)(?:'s|’s|\s+has|\s+is)\s+(?:now\s+|finally\s+)?"
                               r"(?P<verb>cut down|cut back|given up|(?P<doing>[a-z]+ing))\s+(?P<rest>[^,.;:]+)")
_THIRD_PERSON_IS = re.compile(
    r"\b(?-i:he|she|He|She)(?:(?:'s|’s|\s+is)\s+(?P<how>(?:much\s+|far\s+)?(?:more|less)\s+[a-z]+|calmer|happier|"
    r"stronger|steadier|brighter|fitter)\s+(?:again|now)\b"
    # "She seemed much more comfortable after feeds", "she was far less windy": a marked change
    r"|\s+(?:seemed|seems|was|became)\s+(?P<marked>(?:much|far|a lot)\s+(?:more|less)\s+[a-z]+(?:\s+after\s+\w+)?))")
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
    for mine in re.finditer(r"(?:^|,\s+|\b(?:and|so|then|clenching|time|weeks|months)\s+)(?=my\s)", text):
        points += [p for p in _becomes(text[mine.end():]) if p not in points]
    return points


def _you_become(text: str) -> list[str]:
    found = _YOU_BECOME.search(text)
    if not found or re.search(r"\b(?:if|may|might|not)\b", text[:found.start()]):
        return []
    return [_trim(f"makes you {found['how']}{found['rest']}")]


def _third_person_outcome(text: str) -> list[str]:
    """"she stopped dropping things" -> "helps you stop dropping things"; "She's more independent again" -> "helps
    you feel more independent"; "Nan has gone back to knitting" -> "gets you back to knitting"."""
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
    if not (lived or again or stopped_bad) or base == "can":
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
_BAD_DOINGS = frozenset("struggle cry worry limp hurt suffer wake lie ache fall miss dread avoid".split())


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


_AFTERCARE = re.compile(
    r"\b(?:after (?:a|the|your|each) (?:session|treatment|massage|class)|next day|afterwards|normal|common|"
    r"expect|may|might|"
    r"within (?:a|one|24|48|an)|for a day|mild|brief|temporary|temporarily|if)\b", re.IGNORECASE)


_EASING_AS = {"settling": "settles", "easing": "eases", "fading": "fades", "subsiding": "subsides", "lifting": "lifts",
              "loosening": "loosens", "clearing": "clears", "lessening": "lessens", "dropping": "drops",
              "improving": "improves", "melting away": "melts away", "calming down": "calms down"}
_NOTICED_EASING = re.compile(r"\b(?:" + "|".join(_EASING_AS) + r")\b", re.IGNORECASE)


def _symptom_eases(text: str, anywhere: bool = False) -> list[str]:
    """"Many patients find that leg pain and tingling settle …" -> "settles leg pain and tingling …".

    Outside a benefit section the sentence must say people find it so, or be about the condition itself with no
    mark of aftercare: "mild soreness settles within a day" is reassurance, not a benefit."""
    if re.match(r"^\W*(?:if|unless|until)\b", text, re.IGNORECASE):
        return []  # "If your symptoms improve over time, your doctor may …": a condition, not a claim
    found = _PEOPLE_FIND.search(text)
    start = found.end() if found else 0
    if found:  # "Most patients notice the ache settling": what they notice, said as it happens
        text = text[:start] + _NOTICED_EASING.sub(lambda m: _EASING_AS[m[0].lower()], text[start:])
    if not found and not anywhere and _AFTERCARE.search(text):
        return []
    match = _SYMPTOM_EASES.match(text, start) if found else _SYMPTOM_EASES.search(text)
    # "By the fourth, though, the deep grinding ache … had eased": a time phrase may come first
    opening = r"^\W*(?:(?:by|after|within|over)\b[^,]{1,40},\s*(?:though,\s*|however,\s*)?)?$"
    if not match or (not found and not anywhere and match.start() > 0
                     and not re.match(opening, text[: match.start()], re.IGNORECASE)):
        return []
    verb = " ".join(match["verb"].lower().split())
    verb = re.sub(r"^(?:goes|went) down$", "go down", verb)  # "calms down", "wears off": the phrase's base form
    verb = re.sub(r"^(calm|melt|wear|die|ease)(?:e?s|e?d)\s", r"\1 ", verb)
    what = re.sub(r"^(?:(?:at|in|on|by|after|during)\s+\w+\s+|(?:told|tell|tells|say|says|said)\s+(?:me\s+|us\s+)?)?"
                  r"(?:\w+ly,?\s+)?(?:the|their|your|his|her|any)\s+", "",
                  match["what"].strip(), flags=re.IGNORECASE)  # "At work the fog …" -> "fog"
    what = re.split(r",\s+(?:so|and|but|which|as)\s+", what)[-1]  # "… lymph nodes, so swelling goes down" -> swelling
    what = re.sub(r"[\"“”]", "", what[:1].lower() + what[1:])  # 'the "fibro fog" lifts' -> 'lifts the fibro fog'
    if re.search(r"less (?:often|frequently)$", verb):  # "their migraines come less often" keeps its words
        return [_trim(f"makes {what} {_base_form(verb)}{match['rest']}".strip())]
    verb = _EASES_AS.get(verb) or _EASES_AS.get(" ".join(verb.split()[-2:])) or _third_person(verb)
    return [_trim(f"{verb} {what}{match['rest']}".strip())]


_HURTS_LESS = re.compile(
    r"(?:(?:they|you|we)\s+(?:\w+ly\s+)?(?:need|take|use)\s+(?:far\s+|much\s+)?(?:fewer|less)\s+"
    r"(?P<need>[\w' -]{3,40}?)"
    r"(?=[,.;:]|\s+(?:than|and|which|because|after|so|on|in|during|for|when)\b|$)"
    r"|(?:(?P<whose>the|their|your|his|her)\s+)?(?P<what>(?:[\w'-]+\s+){0,3}?[\w'-]+)\s+(?:hurts?|aches?)\s+"
    r"(?:much\s+|far\s+|a lot\s+)?less\b(?P<rest>[^,.;:]*))", re.IGNORECASE)


def _people_find_good(text: str) -> list[str]:
    """"Clients often tell us their sleep improves" -> "improves sleep"; "most clients find a session deeply
    relaxing" -> "is deeply relaxing"."""
    found = _PEOPLE_FIND.search(text) or re.search(r"\b(?-i:I)\s+(?:\w+ly\s+)?(?:find|found)\s+(?=it\s+easier\b)", text)
    if not found:
        return []
    rest = text[found.end():]
    # "…, which matters to those who never tolerated ibuprofen": a later clause's "never" is not the finding's
    if re.search(r"\b(?:if|unless|worse|not|never)\b", re.split(r",\s+(?:which|who)\b", rest)[0], re.IGNORECASE):
        return []
    easier = re.match(r"^it\s+(?:is|gets|becomes|feels)?\s*(?P<how>(?:much\s+)?(?:easier|less painful))\s+to\s+"
                      r"(?P<what>[a-z][^.;:]+)", rest)
    if easier:  # "People often notice it is easier to grip a cup, turn a key or do up buttons"
        return [_trim(f"makes it {easier['how']} to {_CLAUSE_END_NO_COMMA.split(easier['what'], maxsplit=1)[0]}")]
    less = _HURTS_LESS.match(rest)
    if less and less["need"]:  # "Many find they need fewer painkillers" -> "reduces the need for painkillers"
        return [_trim(f"reduces the need for {less['need']}")]
    if less:  # "Most people notice that gripping hurts less" -> "makes gripping hurt less"
        whose = "your " if less["whose"] and less["whose"].lower() != "the" else ""
        return [_trim(f"makes {whose}{less['what']} hurt less{less['rest']}")]
    good = _GOOD_IMPROVES.match(rest) or _GOOD_DOES.match(rest)
    if good and good["verb"].lower().startswith("improve"):
        return [_trim(f"improves {good['what']}{good['rest']}")]
    if good:  # "their elbow settles noticeably" -> "helps your elbow settle noticeably"
        said = f"{good.groupdict().get('also') or ''}{good['verb']}".lower()  # "clicks and pops", "slows and deepens"
        verbs = " and ".join(_base_form(verb.strip()) for verb in said.split(" and "))
        return [_trim(f"helps your {good['what']} {verbs}{good['rest']}")]
    finds = _FINDS_IT.match(rest)
    if finds:
        return [_trim(f"is {finds['how']}{finds['rest']}")]
    return _becomes(rest)  # "members notice that their legs feel stronger"


def _becomes(text: str) -> list[str]:
    """"Tight, heavy limbs feel lighter" -> "makes tight, heavy limbs feel lighter"; "Turning your head becomes
    easier" -> "makes turning your head easier"."""
    match = _BECOMES.match(text.rstrip(".!"))
    if not match or re.match(r"^(?:it|this|that|they|there|you|over|in|after|within|during|for|by|at|on|with)\b",
                             match["what"], re.IGNORECASE) or re.search(r"\bthat\s+(?:they|you|he|she|it|we)\b",
                                                                        match["what"], re.IGNORECASE) or re.search(
            r"\b(?:say|says|said|tell|tells|told|find|finds|report|reports|notice|notices|noticed|seen|watched|"
            r"is|are|was|were|tends?)\b",
            match["what"]) or re.search(r"\b(?:worse|louder|tighter|stiffer|heavier|harder|weaker|sorer)\b",
                                        match["adj"]):
        return []
    if re.search(r"\b(?:worse|harder|longer to)\b", match["adj"], re.IGNORECASE):
        return []
    what = re.sub(r"^the\s+", "", match["what"].strip(), flags=re.IGNORECASE)
    what = re.sub(r"^(?:your|their|his|her)\s+", "your ", what, flags=re.IGNORECASE)  # "makes your cycle more regular"
    feel = "feel " if match["verb"].lower().startswith("feel") else ""
    return [_trim(f"makes {what[:1].lower()}{what[1:]} {feel}{match['adj']}{match['rest']}".strip())]


_GAVE_THEM = re.compile(r"\b(?:has|have|had)\s+given\s+(?:her|him|them|me|you|us)\s+(?P<what>[^.;:]+)")


def _gave_them(text: str) -> list[str]:
    """"hand therapy had given her less pain in her knuckles, shorter morning stiffness, a stronger grip …": one
    point per gain."""
    found = _GAVE_THEM.search(text)
    if not found:
        return []
    # ", most importantly for her," is an aside inside the list
    return _reported_list(re.sub(r",\s+(?:most\s+)?[a-z]+ly\s+for\s+(?:her|him|them|me),", "", found["what"]))


def _people_gain(text: str) -> list[str]:
    """"Most athletes report lighter, looser legs" -> "brings lighter, looser legs"; "Athletes use cupping to recover
    between sessions" -> "helps you recover between sessions"."""
    if re.search(r"\b(?:if|unless|worse|not|never)\b|"
                 r"(?<!less )(?<!fewer )(?<!no longer )\b(?:twitch|ache|sore|bruis|tender)",
                 re.split(r"\bthan\b", text, maxsplit=1)[0], re.IGNORECASE):  # "… than those who did not" compares
        return []  # "you may feel a twitch", "some report soreness": side effects, not gains
    used = _PEOPLE_USE_TO.search(text)
    if used:
        verb, _, rest = used["what"].partition(" ")
        point = _phrase(verb.lower(), " " + rest, conjugated=f"helps you {verb.lower()}")
        return [point] if point else []
    evidence = _EVIDENCE_FINDS.search(text)
    if evidence:
        what = _CLAUSE_END_NO_COMMA.split(evidence["what"], maxsplit=1)[0].strip()
        change = re.match(r"(?P<kind>reduction|improvement)s?\s+in\s+(?P<rest>.+)$", what, re.IGNORECASE)
        if change:  # "trials have reported reductions in everyday symptoms" -> "reduces everyday symptoms"
            verb = "reduces" if change["kind"].lower() == "reduction" else "improves"
            return [_trim(f"{verb} {change['rest']}")]
        return [_trim(f"brings {what}")]
    report = _PEOPLE_REPORT.search(text)
    if report and report[0].split()[0].lower() in ("she", "he", "they") and not re.match(
            r"(?:report|notic|describ)", report["saw"].lower()):
        report = None  # "She had a drawer full of peppermint capsules": what she had, not what she gained
    growing = report and re.match(r"^(?:a\s+)?(?:growing|new|renewed|greater|real)\s+(?:sense|confidence|feeling)\b",
                                  report["what"])
    if growing:  # "Patients describe a growing confidence in understanding their own limits"
        return [_trim(f"brings {_CLAUSE_END_NO_COMMA.split(report['what'], maxsplit=1)[0].strip()}")]
    if report and re.match(r"^[a-z]+ing\b", report["what"]):
        return _gerund_points(report["what"])
    if report and (re.match(r"^(?:a\s+|an\s+)?(?:\w+ly\s+|far\s+|much\s+)?(?:" + _ER
                            + r"|less|fewer|more|improved|better)\b",
                            report["what"])
                   or re.match(r"^(?:a|an)\s+(?:[\w-]+\s+)?"
                               r"(?:drop|fall|reduction|decrease|improvement|boost|lift)\s+in\b",
                               report["what"])):
        what = _CLAUSE_END_NO_COMMA.split(report["what"], maxsplit=1)[0].strip()
        # "reported less low back pain and needed fewer days off work": one gain each
        what = re.split(r"\s+than\s+(?:those|people|women|men)\b", what)[0]  # "… than those who did not"
        if report["saw"].lower() in ("feel", "felt") and not re.match(r"^(?:a|an)\s", what):
            return [_trim(f"helps you feel {what}")]  # "so you feel less helpless": how they feel, not a thing
        gains = re.split(r"\s+and\s+(?:[a-z]+ed\s+|had\s+|took\s+)?(?=(?:less|fewer|lower|better)\b)", what)
        return _reported_list(report["what"]) or [_trim(f"brings {gain.strip()}") for gain in gains if gain.strip()]
    return []


def _reported_list(what: str) -> list[str]:
    """"fewer headache days, shorter headaches, looser muscles and better concentration": one point per gain."""
    parts = re.split(r",\s*(?:and\s+)?|\s+and\s+(?=(?:far\s+|much\s+)?(?:less|fewer|more|better)\s|the ability to\b)",
                     re.split(r"[;:]", what, maxsplit=1)[0])
    # "a jaw that no longer ached when I woke up" keeps its clause: it is the gain
    items = [(item if _NO_LONGER.search(item) else _CLAUSE_END_NO_COMMA.split(item, maxsplit=1)[0]).strip()
             for item in parts if item.strip()]
    items = [re.split(r"\s+than\s+(?:those|people|patients|women|men|the)\b", item)[0] for item in items]
    if len(items) < 3:
        return []
    points = [_trim(f"helps you {item[len('the ability to '):]}") if item.startswith("the ability to ")
              else _point_from_item(item) for item in items]  # "the ability to do up her own buttons again"
    return [point for point in points if point] if all(points) else []


def _gerund_points(what: str) -> list[str]:
    """"waking less during the night and getting up feeling more refreshed" -> one "helps you …" point each."""
    points = []
    for part in re.split(r"\s+and\s+(?=[a-z]+ing\b)|,\s+(?=[a-z]+ing\b)",
                         _CLAUSE_END_NO_COMMA.split(what, maxsplit=1)[0]):
        gerund, _, rest = part.strip().partition(" ")
        verb = _ungerund(gerund.lower())
        if verb and rest and _OUTCOME.search(part):
            point = _phrase(verb, " " + rest, conjugated=f"helps you {verb}")
            if point:
                points.append(point)
    return points


def _gerund(verb: str) -> str:
    """"ache" -> "aching", "clench" -> "clenching"."""
    return (verb[:-1] if verb.endswith("e") and not verb.endswith("ee") else verb) + "ing"


_GERUND_BASES = {"breathing": "breathe", "feeling": "feel", "being": "be", "seeing": "see"}


def _ungerund(word: str) -> str | None:
    """"waking" -> "wake", "getting" -> "get", "sleeping" -> "sleep" (spelling rules; a wrong guess only changes how
    the point reads)."""
    if not word.endswith("ing") or len(word) < 5:
        return None
    if word in _GERUND_BASES:
        return _GERUND_BASES[word]
    stem = word[:-3]
    if len(stem) >= 3 and stem[-1] == stem[-2] and stem[-1] not in "lsaeiou":
        return stem[:-1]  # getting, stopping
    if re.search(r"(?:^|[^aeiou])[aeiou][kvzcgsu]$", stem) or re.search(r"(?:[^aeiou]at|ur|iv|eez)$", stem):
        return stem + "e"  # waking, moving, using, breathing
    return stem


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


_STOPS_FEELING = re.compile(r"^(?P<what>(?:(?!\bstops?\b)[\w' ,-]){3,60}?)\s+stops?\s+"
                            r"(?P<how>feeling like|being|seeming|"
                            r"hurting|aching)\b\s*(?P<rest>[^,.;:]*)", re.IGNORECASE)


def _stop_clauses(text: str) -> list[str]:
    """"sex stops hurting and bowel movements stop being …" is two clauses; "stairs and chairs stop being …" one."""
    clauses = [""]
    for piece in re.split(r"\s+and\s+", text):
        if re.search(r"\bstops?\b", clauses[-1]):
            clauses.append(piece)
        else:
            clauses[-1] = f"{clauses[-1]} and {piece}" if clauses[-1] else piece
    return clauses


def _stops_feeling(text: str) -> list[str]:
    """"Touch stops feeling like a threat" -> "stops touch feeling like a threat"; "once they can release, sex stops
    hurting and bowel movements stop being a battle" -> one point each."""
    text = re.sub(r"^(?:(?:once|when|as|after|if|because)\b[^,]*,\s*|so\s+(?:that\s+)?|"
                  r"the\s+(?:result|upshot|difference|payoff)\s+is(?:\s+that)?\s+)", "", text.strip(),
                  flags=re.IGNORECASE)
    points = []
    for clause in _stop_clauses(text):
        found = _STOPS_FEELING.match(clause)
        if not found or re.match(r"^(?:it|this|that|they|there|you|i|we)$", found["what"], re.IGNORECASE):
            continue
        what = re.sub(r"^(?:the|your|their|those|these)\s+", "", found["what"], flags=re.IGNORECASE)
        points.append(_trim(f"stops {what[:1].lower()}{what[1:]} {found['how'].lower()} {found['rest']}".strip()))
    return points


def _no_more(text: str) -> list[str]:
    """"No more waking at 3am with pins and needles" -> "stops you waking at 3am with pins and needles"."""
    found = re.search(r"(?:^|[,:;]\s*)no more\s+(?P<doing>[a-z]+ing)\b(?P<rest>[^,.;:]*)", text, re.IGNORECASE)
    return [_trim(f"stops you {found['doing'].lower()}{found['rest']}")] if found else []


def _this_does(text: str) -> list[str]:
    """"…, and that usually means less day-to-day pain": a clause whose subject is the benefit just named."""
    this = re.match(r"^(?:(?:that|this|which|it)\s+)?(?:(?:\w+ly|often|also|in turn)\s+)*(?=[a-z])", text,
                    re.IGNORECASE)
    return _points_from_cue(text[this.end():], None, at_start=True) if this else []


def _body_settles(text: str) -> list[str]:
    """"your breathing tends to slow" -> "helps your breathing slow"."""
    return [f"helps your {m['what'].lower()} {_base_form(m['verb'].lower())}" for m in _BODY_SETTLES.finditer(text)]


def _base_form(verb: str) -> str:
    """"comes down" -> "come down", "slows" -> "slow", "relaxes" -> "relax", "steadies" -> "steady"."""
    first, _, rest = verb.partition(" ")
    if first.endswith("ies"):
        first = first[:-3] + "y"
    elif first.endswith(("xes", "shes", "ches", "sses")) and first not in ("aches", "niches"):
        first = first[:-2]
    elif first.endswith("s") and not first.endswith("ss"):
        first = first[:-1]
    return f"{first} {rest}".strip()


def _symptom_milder(text: str, anywhere: bool) -> list[str]:
    """"the attacks they do have are less intense" -> "makes the attacks less intense" (said by people, or under a
    benefit heading)."""
    if not anywhere and not _PEOPLE_FIND.search(text) and not re.match(r"^(?:\w+\s+){0,8}?my\s", text, re.IGNORECASE):
        return []  # "my period pain is much milder than it was": the writer's own complaint
    match = _SYMPTOM_MILDER.search(text)
    if not match or re.search(r"\b(?:more|worse)\b", match["adj"], re.IGNORECASE):
        return []
    what = re.sub(r"^(?:their|your|his|her|any)\s+", "the ", match["what"].strip(), flags=re.IGNORECASE)
    return [_trim(f"makes {what[:1].lower()}{what[1:]} {match['adj']}")]


def _so_you_can(text: str) -> list[str]:
    """"…, so you can keep training while you recover" -> "lets you keep training while you recover"; "so limbs that
    feel heavy can move through a fuller range" -> "lets limbs that feel heavy move through a fuller range"."""
    match = _SO_YOU_CAN.search(text)
    if not match:
        return []
    who = "you" if match["you"] or re.match(r"^(?:they|patients|people|clients)$", match["who"], re.IGNORECASE) \
        else match["who"]
    if who != "you" and not re.search(r"\b(?:limbs?|joints?|muscles?|legs?|arms?|back|neck|shoulders?|knees?|hips?|"
                                      r"body|spine|hands?|feet|ankles?|wrists?|elbows?|mind|stride|gait|posture|"
                                      r"breathing)\b", who, re.IGNORECASE):
        return []  # "so the garment can fit comfortably": not the patient's gain
    modal = re.search(r"\b(?:can|could|able)\b", match.group(0))
    if match["you"] and not modal and not _OUTCOME.search(match["what"]):
        return []  # "so you are never doing too much": no gain named
    verb, _, rest = match["what"].partition(" ")
    point = _phrase(verb.lower(), " " + rest, conjugated=f"lets {who} {verb.lower()}") if rest else None
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
    """"Less pain at night means many people sleep through": the outcome after "means" ("means they can …" is the
    reader's outcome: "you can …")."""
    means = re.search(r"\bmeans?\s+(?:that\s+)?", text)
    return re.sub(r"^they\s+can\b", "you can", text[means.end():]) if means else ""


_NO_LONGER = re.compile(r"^(?P<subject>(?:an?\s+|the\s+|your\s+|my\s+)?[\w' -]{2,30}?)\s+"
                        r"(?:that|which)\s+no\s+longer\s+"
                        r"(?P<verb>[a-z]+)(?P<rest>[^,;:]*)$", re.IGNORECASE)


def _point_from_item(text: str) -> str | None:
    """A list item with no benefit verb, under a benefit heading: "Looser muscles after training", "Stiff joints
    that move more easily", "A way to avoid surgery for some patients"."""
    no_longer = _NO_LONGER.match(text.strip().rstrip("."))
    if no_longer:  # "a jaw that no longer ached when I woke up" -> "stops the jaw aching when you woke up"
        subject = re.sub(r"^(?:an?|your|my)\s+", "the ", no_longer["subject"], flags=re.IGNORECASE)
        verb = re.sub(r"(?:ed|d|s)$", "", no_longer["verb"].lower())
        return _trim(f"stops {subject} {_gerund(verb)}{no_longer['rest']}")
    # "A quicker return to full training, so you can …": the benefit is the part before the comma
    text = re.split(r",\s+(?:so|which|something|meaning|as|because|and)\b|\s[-–—]\s", text, maxsplit=1)[0]
    words = text.split()
    core = re.split(r",|\s(?:that|which|who|including)\b", text, maxsplit=1)[0]  # "Pain relief that, in trials, …"
    comparative = re.match(r"^(?:an?\s+)?(?:far\s+|much\s+)?(?:less|fewer|more|better|lower|[a-z]{3,}er)\b", core,
                           re.IGNORECASE)
    point = _point_from_label(core) if len(core.split()) <= (16 if comparative else 8) else None
    if point:
        return point
    found = _symptom_eases(text, anywhere=True) or _becomes(text)
    if found:
        return found[0]
    relative = re.match(r"^(?P<subject>[\w' -]{2,40}?)\s+(?:that|which|who)\s+(?P<rest>[a-z][^,;:]*)$", text)
    said = _points_from_cue(relative["rest"], None, at_start=True) if relative else []
    if said and re.match(r"(?:may|can|will|helps?)\b", relative["rest"]):
        return said[0]  # "A gentle load through the bones that may slow bone loss": the clause is the claim
    if relative and _OUTCOME.search(relative["rest"]):
        return _trim(f"helps {relative['subject'][:1].lower()}{relative['subject'][1:]} {relative['rest']}")
    if len(words) > 12 or _FINITE.search(text) or re.match(r"^[a-z]+s\s", text):
        return None  # "limits how much bruising develops" is a verb phrase of its own, not a thing on offer
    bare = re.sub(r"^(?:a|an|the)\s+", "", text, flags=re.IGNORECASE)
    comparative = bool(re.fullmatch(r"[a-z]+(?:er|ier)", bare.split()[0].lower()))
    item = bare if comparative else text  # "brings looser muscles", "offers a way to avoid surgery"
    verb = "brings" if comparative else "offers"
    return _trim(f"{verb} {item[:1].lower()}{item[1:]}")
