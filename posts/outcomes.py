"""What people gain, said without the therapy as the subject: "many people sleep better", "patients find that
the ache settles", "most athletes report looser legs", "stiff joints become easier to move", "so you can …".
Each function turns one such clause into points that read after the therapy's name ("helps you sleep better")."""

from __future__ import annotations

import re

from posts.cues import (_BECOMES, _BODY_SETTLES, _CLAUSE_END, _CLAUSE_END_NO_COMMA, _CUE, _EASES_AS, _ER,
                        _EVIDENCE_FINDS, _FINDS_IT, _FINITE, _GOOD_DOES, _GOOD_IMPROVES, _OUTCOME, _PEOPLE_FIND,
                        _PEOPLE_OUTCOME, _PEOPLE_REPORT, _PEOPLE_USE_TO, _SO_YOU_CAN, _SYMPTOM_EASES, _SYMPTOM_MILDER)
from posts.phrases import _better_mood
from posts.points import _phrase, _points_from_cue, _presentified
from posts.wording import _base_form, _gerund, _point_from_label, _third_person, _trim, _ungerund


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
    # "Runners with simple calf tightness are running normally again": who they are, then what they gained
    rest = re.sub(r"^with\s+[^,]{3,50}?\s+(?=(?:are|can|now|often|usually)\s)", "", match["rest"])
    doing = re.match(r"^are\s+(?:now\s+|often\s+)?(?P<gerund>[a-z]+ing)\b(?P<rest>[^,.;:]*)", rest)
    verb = _ungerund(doing["gerund"]) if doing and _OUTCOME.search(doing["rest"]) else None
    if verb:
        point = _phrase(verb, doing["rest"], conjugated=f"helps you {verb}")
        return [point] if point else []
    if rest != match["rest"] or re.match(r"^(?:with|from|in|at|on|of|for)\b", rest):
        return []  # "Several members with old spinal fractures tell us their back …": read as what they report
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
                or re.search(r"(?<!\bused )(?<!\bused to )\b(?!(?:have|has|had|used|want|wanted|need|needed)\b)"
                             r"([a-z]+\s+to\s+[a-z][^,.;:]*)$",
                             head))
        if not tail or not _OUTCOME.search(tail.group(1)):
            return []
        rest = tail.group(1)
    if re.match(r"^[a-z]+ing\b", rest) and re.search(r"\bthey (?:are|were)\s+$", text[:match.start("rest")]):
        return _gerund_points(rest)  # "they tell me they are sleeping more deeply and waking up refreshed"
    listed = _outcome_list(rest)
    if listed:
        return listed
    # "walk out of the clinic and go back to work the same day": the part that carries the outcome
    # "feel calmer and more even-tempered" is one outcome; "feel calmer and sleep better" is two
    parts = re.split(r"\s+and\s+(?!(?:more|less|much|far|[a-z]{3,}er)\b)", _CLAUSE_END.split(rest, maxsplit=1)[0])
    if len(parts) == 2 and all(_OUTCOME.search(part) and len(part.split()) > 1
                               and not re.match(r"(?:for|with|in|on|at|than|to)\b", part) for part in parts):
        # "they feel calmer and sleep better": two outcomes
        return [p for p in (_phrase(part.split()[0].lower(), " " + part.partition(" ")[2],
                                    conjugated=f"helps you {part.split()[0].lower()}") for part in parts) if p]
    if (len(parts) > 1 and _OUTCOME.search(parts[-1]) and not _OUTCOME.search(" and ".join(parts[:-1]))
            and len(parts[0].split()) > 1):  # "turn and tilt the head further" keeps both verbs
        rest = parts[-1]
    verb, _, rest = rest.partition(" ")
    verb = {"felt": "feel", "slept": "sleep", "got": "get", "moved": "move", "walked": "walk"}.get(verb, verb)
    if verb.lower() in ("said", "say", "says", "told", "tell", "reported", "report", "reports"):
        return []  # "our rowers said the final 500 metres felt …": what they said is read as such
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
    verb = re.sub(r"\s+right\s+", " ", " ".join(match["verb"].lower().split()))  # "calmed right down"
    verb = re.sub(r"^(?:goes|went) down$", "go down", verb)  # "calms down", "wears off": the phrase's base form
    verb = re.sub(r"^(?:is|are|was|were)\s+(?:\w+\s+)?better$", "ease", verb)  # "the stiffness … is better too"
    verb = re.sub(r"^(calm|melt|wear|die|ease)(?:e?s|e?d)\s", r"\1 ", verb)
    what = re.sub(r"^(?:(?:(?:within|by|after|in|over)\s+)?(?:about\s+|around\s+|a\s+|the\s+)?(?:\w+\s+)?"
                  r"(?:days?|weeks?|months?|sessions?|treatments?|classes)\s+(?=the\b|my\b|her\b|his\b)|"
                  r"(?:at|in|on|by|after|during)\s+\w+\s+|(?:told|tell|tells|say|says|said)\s+(?:me\s+|us\s+)?)?"
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
    found = _PEOPLE_FIND.search(text) or re.search(
        r"\b(?-i:I)\s+(?:\w+ly\s+)?(?:find|found)\s+"
        r"(?=it\s+(?:easier|(?:\w+ly\s+)?(?:relaxing|calming|soothing)))", text)
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
    more = re.match(r"^(?:they|you)\s+(?:have|get)\s+(?P<what>(?:a\s+(?:little|lot|bit)\s+)?more\s+[^,.;:]+?)"
                    r"(?=\s+and\s+|[,.;:]|$)", rest)
    if more:  # "Many patients find they have a little more energy through the day"
        return [_trim(f"gives you {more['what']}")]
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
    if finds:  # "found it weirdly relaxing and came out feeling less wound up": two gains
        came_out = re.split(r"\s+and\s+(?=(?:came|come|walked|left|went)\s)", finds["rest"], maxsplit=1)
        return [_trim(f"is {finds['how']}{came_out[0]}")] + (_better_mood(came_out[1]) if len(came_out) == 2 else [])
    return _becomes(rest)  # "members notice that their legs feel stronger"


def _becomes(text: str) -> list[str]:
    """"Tight, heavy limbs feel lighter" -> "makes tight, heavy limbs feel lighter"; "Turning your head becomes
    easier" -> "makes turning your head easier"."""
    match = _BECOMES.match(text.rstrip(".!"))
    if not match or re.match(r"^(?:it|this|that|they|there|you|over|in|after|within|during|for|by|at|on|with|because|"
                             r"although|since|if|when)\b",
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
    if report and re.match(r"(?:more|fewer)\s+(?:letters|calls|questions|emails|enquiries|messages|referrals)\b",
                           report["what"]):
        report = None  # "I get more letters about burning feet than …": what the writer is asked, not a gain
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
    parts = re.split(r",\s*(?:and\s+)?|\s+and\s+(?=(?:far\s+|much\s+)?(?:less|fewer|more|better|lower|higher|"
                     r"greater)\s|the ability to\b)", re.split(r"[;:]", what, maxsplit=1)[0])
    for index in range(len(parts) - 2, -1, -1):  # "a quieter, softer landing": the adjectives go with their noun
        if re.fullmatch(r"\s*(?:an?\s+)?[a-z]{3,}er\s*", parts[index]):
            parts[index:index + 2] = [f"{parts[index].strip()}, {parts[index + 1].strip()}"]
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


def _this_does(text: str) -> list[str]:
    """"…, and that usually means less day-to-day pain": a clause whose subject is the benefit just named."""
    text = _presentified(text)  # "it gave a real boost to morale": the therapy's past, said as the present
    this = re.match(r"^(?:(?:that|this|which|it)\s+)?(?:(?:\w+ly|often|also|in turn)\s+)*(?=[a-z])", text,
                    re.IGNORECASE)
    return _points_from_cue(text[this.end():], None, at_start=True) if this else []


def _body_settles(text: str) -> list[str]:
    """"your breathing tends to slow" -> "helps your breathing slow"."""
    return [f"helps your {m['what'].lower()} {_base_form(m['verb'].lower())}" for m in _BODY_SETTLES.finditer(text)]


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
    if not match or re.match(r"^\W*(?:if|unless)\b", text, re.IGNORECASE):
        return []  # "If you still feel sick, tell your nurse so that you can have medicine": advice
    who = "you" if match["you"] or match["they"] or re.match(r"^(?:they|patients|people|clients)$", match["who"],
                                                             re.IGNORECASE) else match["who"]
    if who != "you" and not re.search(r"\b(?:limbs?|joints?|muscles?|legs?|arms?|back|neck|shoulders?|knees?|hips?|"
                                      r"body|spine|hands?|feet|ankles?|wrists?|elbows?|mind|stride|gait|posture|"
                                      r"breathing)\b", who, re.IGNORECASE):
        return []  # "so the garment can fit comfortably": not the patient's gain
    modal = re.search(r"\b(?:can|could|able)\b", match.group(0))
    if (match["you"] or match["they"]) and not modal and not _OUTCOME.search(match["what"]):
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
