"""How a point is worded: a label or a listed noun as a verb phrase ("Better balance" -> "improves balance"), verb
forms, and the last look at a point's grammar before a marketer reads it."""

from __future__ import annotations

import re

from posts.cues import (_ACTING_GERUND_VERBS, _ADJECTIVE_VERBS, _BASE, _BENEFIT_NOUN, _MAX_POINT_WORDS, _PARTICIPLE,
                        _PEOPLE_GERUND_VERBS)


def _point_from_label(label: str) -> str | None:
    """'Better balance' -> 'improves balance'; 'Quick pain relief' -> 'provides quick pain relief'."""
    if re.match(r"^(?:a|an)\s+(?:more|less)\s", label, re.IGNORECASE):  # "A more stable-feeling knee"
        return _trim(f"brings {label[:1].lower()}{label[1:].rstrip('.:')}")
    label = re.sub(r"^(?:far|much)\s+(?=(?:less|more|fewer|better)\s)", "", label.strip(), flags=re.IGNORECASE)
    if re.match(r"^(?:an?\s+)(?:plan|way|routine|strategy|toolkit|tool)\b", label, re.IGNORECASE):
        return _trim(f"gives you {label[:1].lower()}{label[1:].rstrip('.:')}")  # "A plan for the next flare-up"
    if re.match(r"^(?:comfortable|confident|independent|pain-free|steady|steadier)\s+(?:at|on|in|with|about|again)\b",
                label, re.IGNORECASE):
        return _trim(f"helps you feel {label[:1].lower()}{label[1:].rstrip('.:')}")  # "Comfortable at the desk again"
    article_used = bool(re.match(r"^an?\s", label.strip(), re.IGNORECASE))
    label = re.sub(r"^(?:a|an|the)\s+", "", label.strip().rstrip(".:"), flags=re.IGNORECASE)
    first, _, rest = label.partition(" ")
    first = first.rstrip(",")  # "Happier, hydrated skin"
    verb = _ADJECTIVE_VERBS.get(first.lower())
    if rest and first.lower() != "is" and _base_verb(first) in _BASE and first.lower().endswith("s"):
        return _trim(f"{first.lower()} {rest}")  # a heading that is the benefit: "Loosens tight muscles"
    if first.lower() in ("easier", "safer") and rest:  # "Easier sleep" -> "makes sleep easier"
        return _trim(f"makes {rest} {first.lower()}")
    if verb and rest:
        return _trim(f"{verb} {_coordinated_comparatives(rest)}")
    if (rest and re.fullmatch(r"[a-z]{3,}(?:er|ier)", first.lower())
            and first.lower() not in ("other", "under", "after")):
        article = "a " if article_used else ""  # "A quieter mind" -> "brings a quieter mind"
        return _trim(f"brings {article}{label[:1].lower()}{label[1:]}")  # "Looser back muscles" -> "brings looser …"
    if re.match(r"^(?:quick|easy|simple|safe|gentle|comfortable|convenient)\s+to\s+\w", label, re.IGNORECASE):
        return _trim(f"is {label[:1].lower()}{label[1:]}")  # "Quick to start" -> "is quick to start"
    participle = _point_from_noun(label)
    if not participle.startswith("provides "):
        return participle
    if _BENEFIT_NOUN.search(label):
        return _trim(f"provides {label[:1].lower()}{label[1:]}")
    return None


def _gerund_claim(label: str) -> str | None:
    """"Settling night pain" -> "settles night pain", "Turning the head more easily" -> "helps you turn the head more
    easily"; None unless the gerund is a verb of benefit (not "Booking your visit")."""
    found = re.match(r"^(?P<gerund>[A-Za-z]+ing)\s+(?P<rest>[^,;:]+)", label.strip().rstrip(".:!"))
    if not found:
        return None
    stem = found["gerund"].lower()[:-3]
    rest = found["rest"].strip()
    if stem == "help" and re.match(r"(?:you|people|patients|your)\b", rest):  # "Helping you return to exercise"
        return _trim(f"helps {rest}")
    able = re.match(r"^able\s+to\s+(?P<what>[a-z].+)$", rest) if stem == "be" else None
    if able:  # "being able to sit through a car journey again" -> "helps you sit through a car journey again"
        return _trim(f"helps you {able['what']}")
    for verb in (stem, stem + "e", stem[:-1]):
        if verb in _ACTING_GERUND_VERBS:
            return _trim(f"{_third_person(verb)} {rest}")
        if verb in _PEOPLE_GERUND_VERBS:
            return _trim(f"helps you {verb} {rest}")
    return None


def _past_form(verb: str) -> str:
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return verb[:-1] + "ied"
    return verb + "ed"


def _base_verb(word: str) -> str:
    word = word.lower()
    for candidate in (word, word[:-1], word[:-2], word + "e"):
        if candidate in _BASE:
            return candidate
    return word


_DANGLING = frozenset(("and", "or", "but", "the", "a", "to", "of", "with", "than", "from", "for", "your", "their", ""))


def _trim(point: str) -> str:
    """At most _MAX_POINT_WORDS words, and never ending on a dangling "and", "or" or comma."""
    point = re.split(r",?\s+rather than\b", point, maxsplit=1)[0]  # "… refreshed rather than groggy": the gain only
    words = point.split()[:_MAX_POINT_WORDS]
    while len(words) > 2 and words[-1].lower().rstrip(",") in _DANGLING:
        words.pop()
    return " ".join(words).rstrip(",")


def _point_from_noun(item: str) -> str:
    """'improved circulation' -> 'improves circulation'; 'stress relief' -> 'provides stress relief'."""
    item = item.strip().rstrip(".")
    first, _, rest = item.partition(" ")
    if first.lower() in _ADJECTIVE_VERBS and rest and not first.lower().endswith("ed"):
        return f"{_ADJECTIVE_VERBS[first.lower()]} {_coordinated_comparatives(rest)}"
    participle = _PARTICIPLE.match(item)
    if participle:
        word = participle["word"].lower()
        for verb in (word[:-1], word[:-2]):  # "reduced" -> "reduce", "improved" -> "improve", "boosted" -> "boost"
            if verb in _BASE:
                return f"{_third_person(verb)} {participle['rest']}"
    return f"provides {item}"


def _coordinated_comparatives(rest: str) -> str:
    """The rest of "Better balance and less fear of falling" -> "balance and reduces fear of falling"."""
    return re.sub(r"\b(and|or)\s+(\w+)(?=\s)", lambda found: f"{found[1]} {_ADJECTIVE_VERBS[found[2].lower()]}"
                  if found[2].lower() in _ADJECTIVE_VERBS and not found[2].lower().endswith("ed") else found[0], rest)


def _third_person(verb: str) -> str:
    if verb.endswith(("s", "sh", "ch", "x", "z")):
        return verb + "es"
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


_SECOND_PERSON = {"my": "your", "me": "you", "myself": "yourself", "I was": "you were", "I": "you"}


def _tidy(point: str) -> str | None:
    """A last look at a point's grammar, since a marketer reads it: "offers wake up sleepy glutes" -> "wakes up
    sleepy glutes", "helps you are sick less often" -> "helps you be sick less often"; None for a point that says
    nothing ("helps enormously") or has lost its verb ("makes let go, …")."""
    first, _, rest = point.partition(" ")
    words = rest.split()
    if not words or (len(words) == 1 and re.fullmatch(r"\w+ly|too|well|so|again", words[0])):
        return None
    if re.match(r"^helps (?:a great deal|a lot(?! of)|loads(?! of)|hugely|massively|no end)\b", point):
        return None  # "the splint helps a great deal alongside treatment": how much, not what
    if (first in ("offers", "brings", "provides") and words[0] in _BASE and len(words) > 1
            and words[1] not in ("of", "for", "in", "to", "with", "from", "and")):  # "provides support for …" is fine
        return _trim(f"{_third_person(words[0])} {' '.join(words[1:])}")
    if first == "makes" and words[0] in _BASE:  # "makes let go, those headaches …": the object was lost
        return None
    # a patient's diary ("lowers my blood pressure") speaks for the reader of the post ("lowers your blood pressure")
    point = re.sub(r"\b(?:my|me|myself|I was|I)\b", lambda found: _SECOND_PERSON[found[0]], point)
    # and so does one about a patient ("gives her the confidence", "eases the stiffness in his hip")
    if re.match(r"^(?:gives|helps|lets|gets|leaves|makes|keeps) (?:them|you)\b", point):  # "helps you keep their …"
        point = re.sub(r"\btheir\b", "your", point)
    point = re.sub(r"^(gives|helps|lets|gets|leaves|makes|keeps) (?:her|him|them|us)\b", r"\1 you", point)
    if not re.search(r"\b(?:baby|babies|child|children|son|daughter|partner|wife|husband)\b", point):
        point = re.sub(r"\bhis\b(?=\s+[a-z])|\bher\b(?=\s+(?!(?:without|with|to|and|up|down|in|on|off|again|back|now|"
                       r"into|onto|over|through)\b)[a-z])", "your", point)
        point = re.sub(r"^((?:helps|lets) you \w+ )(?:himself|herself)\b", r"\1yourself", point)  # "feed himself"
    if re.search(r"\bfeel(?:ing)?\s+(?:much\s+|even\s+)?more\s+(?:trapped|anxious|tired|dizzy|sick|sore|breathless|"
                 r"panicky|stressed|nervous|unwell|light-headed|achy)\b", point):
        return None  # "the long hold makes some people feel more trapped": a drawback
    if re.search(r"\b(?:welcome to (?:contact|call|get in touch|book)|contact (?:us|the)|get in touch)\b", point):
        return None  # "Parents who would like to know more are very welcome to contact …": a call to action
    gerund = re.match(r"^helps you (\w+)ing\b", point)
    if gerund:  # "get you comfortable and moving again" -> "helps you move again", not "helps you moving again"
        stem = gerund[1]
        verb = next((v for v in (stem, stem + "e", stem[:-1]) if v in _PEOPLE_GERUND_VERBS or v in _BASE), None)
        point = f"helps you {verb}{point[gerund.end():]}" if verb else point
    repaired = re.sub(r"^helps you (?:are|is)\b", "helps you be", re.sub(r"^(\w+ you) also\b", r"\1", point))
    return re.sub(r"^helps you (?=(?:a|an)\s)", "gives you ", repaired)


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
