"""Find an article's benefit points (each with its evidence sentence) and named techniques.

The rules read the article's prose the way a marketer skims it: a sentence that says the
therapy *can reduce*, *helps*, *improves* … something is a benefit; a sentence that lists
"benefits, including A, B and C" gives one point per item; sentences that only elaborate the
previous one ("This …", "These …"), describe causes, or warn are not new points.

The article's structure counts too: a section under a benefit heading ("Benefits of …",
"Why …", "What X offers"), a list item there, or a "Label: sentence" paragraph / "**Label.**
sentence" item is read as one benefit, with the subject taken for granted; sections about
symptoms, causes, risks or warnings are skipped; a sentence that names several benefits one
after the other ("eases A, loosens B and improves C") gives one point per benefit.

Headings are context, never points. A question heading that asks about a benefit ("Can dry
needling help …?") makes its answer a benefit section. The subject may be a part of the therapy
("the warm water", "gentle pressure", "regular sessions"), "allows/lets/enables … to X" reads
"lets you X", and people who do something better or again ("many people sleep better", "you can
go back to work the same day") give "helps you …"; a condition ("if you rest") or a setback does not.

posts.cues holds the words and patterns, posts.structure the units, posts.points the wording of a point.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from posts.accounts import _first_person_outcome, _possessed_does_better, _third_person_outcome
from posts.article import Article, Sentence
from posts.clauses import _CLAUSES, _outcome_points
from posts.cues import (_BENEFIT_LIST, _COLON_LABEL, _CUE, _NOT_A_BENEFIT, _OUTCOME, _PEOPLE_FIND, _SO_YOU_CAN,
                        _STOPWORDS, _SYMPTOM, _THERAPY_WORDS, _TITLE_NOISE, _TYPE_ITEM_STOP, _TYPE_LIST)
from posts.errors import ArticleError
from posts.outcomes import _after_so, _becomes, _people_outcome, _point_from_item, _so_you_can, _symptom_eases
from posts.phrases import _enough_that, _so_they_are, _stops_feeling
from posts.items import _COMPARATIVE_LABEL, _item_points, _present_of_past
from posts.points import _participle_points, _points_from_bare_verb, _points_from_cue
from posts.structure import _label_only, _Unit, _units
from posts.techniques import find_techniques
from posts.wording import _gerund_claim, _point_from_label, _point_from_noun, _tidy


@dataclass(frozen=True)
class Benefit:
    point: str  # a short verb phrase that reads after the therapy's name: "reduces muscle tension"
    evidence: str  # the article's own sentence
    start: int  # offsets of the evidence in Article.body
    end: int
    from_list: bool = False


@dataclass(frozen=True)
class Extraction:
    title: str
    benefits: list[Benefit]
    types: list[str]

    def as_json(self) -> dict:
        return {
            "title": self.title,
            "benefits": [
                {"point": b.point, "evidence": b.evidence, "start": b.start, "end": b.end} for b in self.benefits
            ],
            "types": self.types,
        }


def extract(article: Article) -> Extraction:
    """Benefit points and techniques of ``article``; raises ArticleError if it has no benefit."""
    types = find_techniques(article.sentences, article.title)
    subjects = _THERAPY_WORDS | {w for w in re.findall(r"[a-z]+", article.title.lower()) if w not in _TITLE_NOISE}
    candidates: list[Benefit] = []
    for unit in _units(article.sentences):
        candidates.extend(_benefits_of_unit(unit, subjects))
    benefits = _merge_duplicates(_tidied(candidates))
    if not benefits:
        raise ArticleError("no benefit points found (expected sentences such as 'X can reduce …')", article.source)
    return Extraction(title=article.title, benefits=benefits, types=types)


# -- reading each unit: prose sentences, list items, labelled units -------------------------

def _benefits_of_unit(unit: _Unit, subjects: frozenset[str]) -> list[Benefit]:
    kind, label, sentences = unit
    if kind in ("prose", "benefit-prose"):
        return _benefits_in(sentences[0], subjects, in_benefit_section=kind == "benefit-prose")
    if kind == "item":
        return _benefits_of_item(sentences[0])
    return _benefits_of_labelled(label or "", sentences, heading=kind == "heading")


def _benefits_of_labelled(label: str, sentences: list[Sentence], heading: bool = False) -> list[Benefit]:
    """A labelled unit is one benefit, and its label says which: the sentence whose point shares the label's words,
    else the first sentence with a cue, else the label's own benefit ("Better posture" -> "improves posture").

    Under a sub-heading of a benefits section every claim of the paragraph is a point; the sub-heading ("### Less
    pain when you move") is the point only when the paragraph makes no claim of its own. A "Label:" tag is
    shorter-lived and the sentence after it carries the claim."""
    body = [s for s in sentences if not _label_only(s, label)]
    found = _labelled_body_points(body, sentences[0])
    evidence = found[0][0] if found else body[0] if body else sentences[0]
    strong = _label_as_clause(label)
    if strong and _label_only(sentences[0], label):  # "**It cuts your risk of falls.** Most fractures …"
        # and what the paragraph claims besides ("**The pain usually settles.** … a lot of them can get down the
        # stairs without wincing again")
        return [] if _NOT_A_BENEFIT.search(label) else [_benefit(sentences[0], strong)] + [
            _benefit(sentence, point) for sentence, points in found for point in points]
    if strong and heading and found and not _NOT_A_BENEFIT.search(evidence.text):
        # "### It encourages deeper sleep" over "… sleep more soundly and wake less often …": the heading, then
        # each further claim of its paragraph
        return [_benefit(evidence, strong)] + [_benefit(sentence, point) for sentence, points in found
                                               for point in points]
    if strong:  # "Bruises fade faster.", "Swelling settles sooner": the label is itself the claim
        return [] if _NOT_A_BENEFIT.search(evidence.text) else [_benefit(evidence, strong)]
    claim = _heading_claim(label) if heading else None
    if heading and found:
        # The paragraph's own claims, each with its sentence; the sub-heading is the writer's summary of them and
        # stands in only when the paragraph makes none (blind rounds 19-23 scored higher both ways with this).
        return [_benefit(sentence, point) for sentence, points in found for point in points]
    if claim and not _NOT_A_BENEFIT.search(evidence.text):
        return [_benefit(evidence, claim)]
    # "Fewer injuries …" and "miss fewer rounds" share only the comparison, not the thing compared
    label_words = content_words(label) - content_words("fewer less more better extra lower greater")
    for sentence, points in found:
        named = [point for point in points if label_words & content_words(point)]
        if named and re.search(r"\band\b", label):  # "Fewer and milder attacks" names two
            return [_benefit(sentence, point) for point in points]
        if named:  # "Quick pain relief: cold numbs the nerve endings, which dulls sharp pain": the pain part
            later = [_benefit(s, p) for s, ps in found if s is not sentence for p in ps]
            return [_benefit(sentence, point) for point in named] + later
    gerund = _gerund_claim(label) if not re.search(r"\band\s+[a-z]+ing\b", label) else None
    if gerund:  # "Settling night pain" over "… calm the deep, gnawing ache": the label names the benefit
        return [] if _NOT_A_BENEFIT.search(evidence.text) else [_benefit(evidence, gerund)]
    headline = _point_from_label(label) if _COMPARATIVE_LABEL.match(label) else None
    if found and headline and len(found[0][1]) == 1 and found[0][1][0].split()[0] != headline.split()[0]:
        # "Less puffiness. … a fan strip can help fluid drain away": the headline, then how
        return [_benefit(evidence, f"{headline}, as it {found[0][1][0]}")]
    if found and not _point_from_label(label) and len(found) > 1:
        # "**Priya:** Because of how I feel. … I feel calmer … I also sleep right through …": a speaker, not a
        # benefit, labels the paragraph, and each of its claims is a point
        return [_benefit(sentence, point) for sentence, points in found for point in points]
    if found:
        return [_benefit(sentence, point) for sentence, points in found for point in points]
    point = _point_from_label(label)
    return [_benefit(evidence, point)] if point and not _NOT_A_BENEFIT.search(evidence.text) else []


_NAMED_GAIN = re.compile(r"^(?:fewer|less|better|lower|reduced|improved)\s", re.IGNORECASE)


def _labelled_body_points(body: list[Sentence], first: Sentence) -> list[tuple[Sentence, list[str]]]:
    found: list[tuple[Sentence, list[str]]] = []
    for sentence in body:
        text = _COLON_LABEL.sub("", sentence.text, count=1) if sentence is first else sentence.text
        if _NOT_A_BENEFIT.search(text):
            continue
        # 'Some people say the "fibro fog" lifts': the symptom is the subject, not the therapy
        symptom_said = bool(_PEOPLE_FIND.search(text) and _symptom_eases(text))
        points = ((_outcome_points(text, in_benefit_section=True) if symptom_said else [])
                  or _points_from_cue(text, None, allow_which=True)
                  or _outcome_points(text, in_benefit_section=True) or _points_from_bare_verb(text)
                  # "Time off: Fewer sick days lost to RSI, which is why …": a gain named as a noun phrase
                  or ([p for p in [_point_from_item(text)] if p] if _NAMED_GAIN.match(text) else []))
        if points and _CLAUSES.search(text):  # "Treatment relaxes tight muscles, and … patients report fewer …"
            points = points + [p for p in _outcome_points(text, in_benefit_section=True) if p not in points]
        reported = re.split(r",\s+which\b", text, maxsplit=1)
        if points and len(reported) == 2 and _PEOPLE_FIND.search(reported[0]):
            # "Many patients tell us they can move with less pain …, which makes it easier to …": both are claims
            points = [p for p in _outcome_points(reported[0], in_benefit_section=True) if p not in points] + points
        points = _with_participles(_with_enough(points, text), text)
        if points:
            found.append((sentence, points))
    return found


def _with_enough(points: list[str], text: str) -> list[str]:
    """"… ease the pain enough that swimmers can sleep through the night again": what the easing lets them do too."""
    enabled = _enough_that(text) if points else []
    if not enabled:
        return points
    return [re.sub(r"\s+enough$", "", p) for p in points] + [p for p in enabled if p not in points]



def _heading_claim(heading: str) -> str | None:
    """A sub-heading that states a benefit: "Improving your balance", "Less pain when you move", "The water takes the
    load off your spine", "Many people sleep more soundly"."""
    text = heading.strip().rstrip(".:!")
    if text.endswith("?"):
        return None
    if re.search(r"\b(?:and|or)\b", text):  # "Fewer and milder attacks", "Walking further and managing stairs": the
        return None  # paragraph says which of the two it means
    claim = _gerund_claim(text) or (_point_from_label(text) if _COMPARATIVE_LABEL.match(text) else None)
    if claim:
        return claim
    first, _, after = text.partition(" ")
    present = _present_of_past(first) if re.match(r"(?:the|a|an|my|me|your|his|her|[a-z]+ing)\b", after) else None
    text = f"{present} {after}" if present else text  # "### Released the knots", under "What it did for me"
    said = _points_from_cue(text, None) or _people_outcome(text)
    return said[0] if len(said) == 1 else None


_SELF_RELIEF = re.compile(rf"\b(?:ease|relieve|calm|settle|manage|soothe)\s+(?:[\w-]+\s+){{0,2}}?{_SYMPTOM}",
                          re.IGNORECASE)
def _benefits_of_item(sentence: Sentence) -> list[Benefit]:
    return [_benefit(sentence, point) for point in _with_participles(_item_points(sentence.text), sentence.text)]


def _label_as_clause(label: str) -> str | None:
    """A label that says the benefit whole: "Bruises fade faster" -> "eases bruises faster", "Back to normal sooner"
    -> "gets you back to normal sooner"; None for a label that only names it ("Better sleep")."""
    text = label.strip().rstrip(".:!")
    back = re.match(r"^back to\s+(?P<rest>.+)$", text, re.IGNORECASE)
    if back:
        return f"gets you back to {back['rest']}"
    points = (_symptom_eases(text, anywhere=True) or _becomes(text) or _stops_feeling(text) or _people_outcome(text)
              or _possessed_does_better(text) or _third_person_outcome(text) or _first_person_outcome(text))
    back = re.match(r"^(?:my|your|his|her|their)\s+(?P<what>[\w' -]{3,30}?)\s+(?:is|are|’s|'s)\s+back$", text,
                    re.IGNORECASE)
    if back:  # "My grand battement is back." -> "gets your grand battement back"
        return f"gets your {back['what']} back"
    halved = re.match(r"^(?P<what>[\w' -]{3,30}?)\s+takes\s+(?P<how>half|a third of|a fraction of)\s+the\s+time$", text,
                      re.IGNORECASE)
    if halved:  # "Warm-up takes half the time." -> "makes warm-up take half the time"
        return f"makes {halved['what'][:1].lower()}{halved['what'][1:]} take {halved['how']} the time"
    if not points and re.match(r"^(?:it|this|they)\s", text, re.IGNORECASE):
        points = _points_from_cue(text, None)  # "It cuts your risk of falls."
    improves = re.match(r"^(?:your|their)\s+(?P<what>[\w' -]{3,30}?)\s+improves$", text, re.IGNORECASE)
    if improves:  # "Your posture improves."
        return f"improves your {improves['what']}"
    if points:
        return points[0]
    boost = re.match(r"^(?P<what>[\w' -]{3,40}?)\s+gets?\s+a\s+(?P<kind>boost|lift|break|rest)$", text, re.IGNORECASE)
    if boost:  # "Blood flow gets a boost" -> "boosts blood flow"; "Knees and hips get a break" -> "gives … a break"
        what = boost["what"][:1].lower() + boost["what"][1:]
        kind = boost["kind"].lower()
        return f"{kind}s {what}" if kind in ("boost", "lift") else f"gives {what} a {kind}"
    its = re.match(r"^it(?:'s|’s| is)\s+(?P<how>(?:\w+ly\s+)?[a-z]+(?:ing|ed))$", text, re.IGNORECASE)
    return f"is {its['how']}" if its else None  # "It's seriously relaxing" -> "is seriously relaxing"


def _benefits_in(
    sentence: Sentence, subjects: frozenset[str], in_benefit_section: bool = False
) -> list[Benefit]:
    text = sentence.text
    listed = _BENEFIT_LIST.search(text)
    if listed and not _NOT_A_BENEFIT.search(text):
        return [_benefit(sentence, _point_from_noun(item), from_list=True) for item in _split_items(listed["items"])]
    if _NOT_A_BENEFIT.search(text):
        return []
    # "That means you can get back to quality sessions sooner" says what you gain; other sentences that refer back
    # ("They keep her fingers in a good position, and she says she sleeps through now") are read like any other
    if re.match(r"^(?:this|that)\s+(?:also\s+)?means\s+(?:that\s+)?you\s+can\b", text, re.IGNORECASE):
        return [_benefit(sentence, point) for point in _so_you_can(text)]
    if _TYPE_LIST.search(text) and not any(cue.group("verb") or cue.group("verb5") for cue in _CUE.finditer(text)):
        return []  # names the techniques; "techniques such as A and B can make sex comfortable again" still claims
    if sentence.list_item:
        points = _points_from_cue(text, None, at_start=True)  # a bullet that starts with its verb
        if points:
            return [_benefit(sentence, point) for point in points]
    points = _points_from_cue(text, subjects)
    if not points and in_benefit_section:
        # Under "Benefits of …" the subject may be a warm pack or a pose, and the benefit may sit
        # in a "which …" clause; a verb that continues another subject's clause ("… and supports")
        # still does not count.
        points = _points_from_cue(text, None, allow_which=True, not_after_and=True) or _points_from_bare_verb(text)
    if not points:
        points = _outcome_points(text, in_benefit_section)
    elif _CLAUSES.search(text):
        # "The warm water loosens tight muscles, and many patients tell us they move more freely"
        # "Mums-to-be tell us they sleep better, and the warm water can ease puffy ankles": any clause may hold one
        points = points + [p for p in _outcome_points(text, in_benefit_section) if p not in points]
        # "We teach pacing, which reduces …, and, over time, treatment helps you …": a later clause's own claim
        for clause in _CLAUSES.split(text)[1:]:
            points = points + [p for p in _points_from_cue(clause, subjects) if p not in points]
    so_clause = _SO_YOU_CAN.search(text)[0] if _SO_YOU_CAN.search(text) else ""
    enabled = re.search(r"\b(?:you|they)\s+(?:can|could|are able to)\s", so_clause)
    if (points and (_OUTCOME.search(so_clause) or enabled)) or _SELF_RELIEF.search(so_clause):
        # "Repeated cold exposure trains the stress response, so that you react less sharply"; "we show you a
        # routine, so you can ease a flare-up yourself": what the person can now do is the benefit
        points = points + [p for p in _so_you_can(text) if p not in points]
    if points and _enough_that(text):
        points = _with_enough(points, text)
    elif points and _after_so(text):  # "…, so crowded stations stop feeling like a blur"
        points = points + [p for p in _stops_feeling(_after_so(text)) or _so_they_are(text) if p not in points]
    if in_benefit_section:
        points = _with_participles(points, text)
    return [_benefit(sentence, _resolved(point, text)) for point in points]


_OPENING_SYMPTOM = re.compile(rf"^(?P<what>(?:[\w-]+\s+){{0,3}}?{_SYMPTOM})(?:,|\s+(?:is|are|can)\b)", re.IGNORECASE)


def _resolved(point: str, text: str) -> str:
    """"Late-afternoon agitation, which …, is exhausting …, and a song can settle it" -> "settles late-afternoon
    agitation": "it" names the symptom the sentence opened with."""
    opening = _OPENING_SYMPTOM.match(text)
    if not opening or not re.match(r"^\w+ it\b", point):
        return point
    what = opening["what"]
    return re.sub(r"^(\w+) it\b", lambda found: f"{found[1]} {what[:1].lower()}{what[1:]}", point)


def _with_participles(points: list[str], text: str) -> list[str]:
    return points + [p for p in _participle_points(text) if p not in points]


def _benefit(sentence: Sentence, point: str, from_list: bool = False) -> Benefit:
    return Benefit(point=point, evidence=sentence.text, start=sentence.start, end=sentence.end, from_list=from_list)


def _tidied(candidates: list[Benefit]) -> list[Benefit]:
    tidy = [(candidate, _tidy(candidate.point)) for candidate in candidates]
    return [replace(candidate, point=one) for candidate, point in tidy if point for one in _one_per_complaint(point)]


_COMPLAINT_LIST = re.compile(r"^(?P<verb>eases|reduces|relieves|lowers|calms|soothes|lessens)\s+"
                             r"(?P<items>(?:[\w'-]+\s+){0,2}?[\w'-]+(?:,\s+(?:[\w'-]+\s+){0,2}?[\w'-]+)+,?\s+and\s+"
                             r"(?:[\w'-]+\s+){0,2}?[\w'-]+)$")


def _one_per_complaint(point: str) -> list[str]:
    """"eases anxiety, irritability and low mood" -> one point per complaint: each can carry a post."""
    both = re.match(r"^(?P<head>(?:lets|helps) you) (?P<first>.+?) and to (?P<second>[a-z].+)$", point)
    if both:  # "lets you walk without a stick and to stop limping": two things it lets you do
        return [f"{both['head']} {both['first']}", f"{both['head']} {both['second']}"]
    listed = _COMPLAINT_LIST.match(point)
    if not listed:
        return [point]
    items = _split_items(listed["items"])
    if any(re.match(r"(?:both|on|at|in|for|with|when|during|after|before|especially|particularly|such as|like|"
                    r"including)\b", item) for item in items):
        return [point]  # "reduces shoulder pain, both at rest and on movement": one complaint, said when
    return [f"{listed['verb']} {item}" for item in items]


def _split_items(items: str) -> list[str]:
    """'A, B and C' -> A, B, C; 'A, B and C, and D' keeps 'B and C' whole (an Oxford comma marks the end)."""
    parts = [part.strip() for part in items.strip().rstrip(".").split(",")]
    parts = [part for part in parts if part]
    for index, part in enumerate(parts):
        if index and _TYPE_ITEM_STOP.match(part):
            parts = parts[:index]  # ", depending on the injury": the list is over
            break
    if not parts:
        return []
    last = parts[-1]
    oxford = re.match(r"^(?:and|or)\s+", last)
    if oxford:
        parts[-1] = last[oxford.end():]
    elif re.search(r"\s(?:and|or)\s", last):
        parts[-1:] = re.split(r"\s+(?:and|or)\s+", last)
    return [part.strip() for part in parts if part.strip()]


# -- the points kept: near-duplicates merged ------------------------------------------------

def content_words(text: str) -> set[str]:
    """Stemmed content words, for fuzzy comparison of points."""
    words = re.findall(r"[a-z]+", text.lower())
    return {_stem(word) for word in words if word not in _STOPWORDS}


def _stem(word: str) -> str:
    for suffix in ("ing", "ies", "es", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) >= 4 and word.endswith("e"):
        word = word[:-1]  # "settle" and "settling" meet at "settl"
    if len(word) >= 3 and word[-1] == word[-2] and word[-1] not in "lsaeiou":
        word = word[:-1]  # "sitting" -> "sit"
    return word


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def _merge_duplicates(candidates: list[Benefit]) -> list[Benefit]:
    # Prose sentences devoted to one benefit beat items of a summary list.
    ordered = sorted(candidates, key=lambda b: (b.from_list, b.start))
    kept: list[Benefit] = []
    for candidate in ordered:
        words = content_words(candidate.point)
        if all(_overlap(words, content_words(k.point)) < 0.6 for k in kept):
            kept.append(candidate)
    return sorted(kept, key=lambda b: b.start)
