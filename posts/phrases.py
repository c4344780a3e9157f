"""Set phrases that say what people gain: "in a better mood", "came out feeling less wound up", "a good way to
clear your head", "so dancers are less stiff", "touch stops feeling like a threat", "no more waking at 3am". Each
function turns one clause into points that read after the therapy's name."""

from __future__ import annotations

import re

from posts.cues import _CLAUSE_END_NO_COMMA, _DOERS, _ER
from posts.points import _phrase
from posts.wording import _trim


_BETTER_MOOD = re.compile(r"\b(?:came|come|comes|walked|walk|walks|left|leave|leaves|went|go|goes|got|get|gets)\s+"
                          r"(?:out|away|home|back)\b[^,.;:]{0,40}?\bin\s+a\s+(?P<how>(?:much\s+|far\s+)?"
                          r"(?:better|brighter|happier|calmer|lighter)\s+(?:mood|frame of mind|place))\b")


_CAME_OUT_FEELING = re.compile(r"\b(?:came|come|comes|walked|walk|walks|left|leave|leaves|went|go|goes)\s+"
                               r"(?:out|away|home|back)\b[^,.;:]{0,40}?\bfeeling\s+(?P<how>(?:far\s+|much\s+|a lot\s+)?"
                               r"(?:less|more)\s+[a-z][\w -]*?|calmer|lighter|looser|brighter|happier|taller)"
                               r"(?=\s+(?:than|and|but)\b|[,.;:]|$)")


def _better_mood(text: str) -> list[str]:
    """"I came out of every class in a better mood" -> "puts you in a better mood"; "came out feeling less wound up
    about the whole injury thing" -> "leaves you feeling less wound up about the whole injury thing"."""
    found = _BETTER_MOOD.search(text)
    feeling = _CAME_OUT_FEELING.search(text)
    if feeling and not re.search(r"\b(?:if|unless|not|never|worse|sore)\b", text[:feeling.end()], re.IGNORECASE):
        return [_trim(f"leaves you feeling {feeling['how']}")]
    if not found or re.search(r"\b(?:if|unless|not|never)\b", text[:found.start()], re.IGNORECASE):
        return []
    return [f"puts you in a {found['how']}"]


_GOOD_WAY = re.compile(r"\b(?:is|are|'s|’s|makes?|offers?)\s+(?:also\s+)?(?:just\s+)?(?:a|an)\s+"
                       r"(?:really\s+|very\s+)?"
                       r"(?:good|great|gentle|safe|simple|brilliant|lovely|effective|easy|useful|quick)\s+way\s+to\s+"
                       r"(?P<what>[a-z][^.;:]+)", re.IGNORECASE)


def _good_way_to(text: str) -> list[str]:
    """"Ten minutes of cold is a good way to clear your head … and get your focus back": one "helps you …"
    each."""
    found = _GOOD_WAY.search(text)
    if not found or re.search(r"\b(?:not|never|if)\b", text[:found.start()], re.IGNORECASE):
        return []
    head = _CLAUSE_END_NO_COMMA.split(found["what"], maxsplit=1)[0]
    parts = re.split(r"\s+and\s+(?=(?:get|keep|help|feel|build|ease|stay|meet|make|boost|clear|improve|reduce)\b)",
                     re.split(r",", head, maxsplit=1)[0])
    points = []
    for part in parts:
        verb, _, rest = part.strip().partition(" ")
        conjugated = None if verb.lower() == "help" else f"helps you {verb.lower()}"  # "a good way to help manage …"
        idiom = re.match(r"tick\s+(?:\w+\s+){1,2}box", part.strip())  # "a way to tick the last box": done as advised
        point = _phrase(verb.lower(), " " + rest, conjugated=conjugated) if rest and not idiom else None
        if point:
            points.append(point)
    return points


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


_SO_THEY_ARE = re.compile(
    r"\bso\s+(?:that\s+)?(?:you|they|people|patients|clients|residents|children|" + _DOERS + r")\s+"
    r"(?:are|feel|wake up|wake|end up)\s+(?P<how>(?:much\s+|far\s+|a lot\s+)?(?:less|more)\s+[a-z]+"
    r"(?:\s+and\s+[a-z]+)?|" + _ER + r")(?P<rest>[^,.;:]*)", re.IGNORECASE)


def _so_they_are(text: str) -> list[str]:
    """"…, so dancers are less stiff and sore the next morning" -> "leaves you less stiff and sore the next
    morning"."""
    found = _SO_THEY_ARE.search(text)
    if not found or re.search(r"\b(?:worse|tired|sore|achy|stiff)\b", found["how"].split()[-1]) and not re.match(
            r"(?:much\s+|far\s+|a lot\s+)?less\b", found["how"]):
        return []  # "so you feel more tired": a drawback
    return [_trim(f"leaves you {found['how']}{found['rest']}")]


_ENOUGH_THAT = re.compile(r"\benough\s+(?:that\s+|for\s+)?(?:you|they|people|patients|clients|residents|children|"
                          + _DOERS + r")\s+(?:can|could|are able to)\s+(?P<what>[a-z][^,.;:]*)", re.IGNORECASE)


def _enough_that(text: str) -> list[str]:
    """"… ease the pain enough that swimmers can sleep through the night again" -> "helps you sleep through the
    night again"."""
    found = _ENOUGH_THAT.search(text)
    if not found:
        return []
    verb, _, rest = found["what"].partition(" ")
    point = _phrase(verb.lower(), " " + rest, conjugated=f"helps you {verb.lower()}") if rest else None
    return [point] if point else []
