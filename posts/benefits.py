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
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from posts.article import Article, Sentence
from posts.errors import ArticleError

_VERB_WORDS = (
    "help|reduce|improve|relieve|ease|prevent|boost|promote|increase|lower|release|decrease|"
    "enhance|alleviate|strengthen|restore|support|calm|loosen|relax|speed|lessen|soothe|"
    "stimulate|encourage|aid|decompress|stretch|steady|sharpen|shorten|heal|protect|correct|"
    "stabilise|stabilize|mobilise|mobilize|lengthen|settle|train"
)
# Verbs that are a benefit only with the right object: "builds strength" is one, "builds a programme"
# is not; "gives you the confidence …", "takes weight off …", "shows you how …", "allows you to …".
_VERBS = _VERB_WORDS + (
    r"|build(?=s?\s+(?:up\s+)?(?:\w+\s+)?(?:strength|muscles?|stamina|endurance|confidence|resilience|bone)\b)"
    r"|give(?=s?\s+(?:\w+\s+){0,4}?(?:confidence|relief|back|freedom|energy|strength|power|control|independence)\b)"
    r"|bring(?=s?\s+(?:back|relief|down)\b)"
    r"|offer(?=s?\s+(?:\w+\s+){0,2}?relief\b)"
    r"|take(?=s?\s+(?:the\s+|some\s+)?(?:weight|pressure|load|strain|stress)\s+off\b)"
    r"|show(?=s?\s+(?:you|them|patients|people|clients)\s+how\b)"
    r"|teach(?=(?:es)?\s+(?:you|them|patients|people|clients)\b)"
    r"|(?P<enabler>allow|enable)(?=s?\s+(?:[\w-]+\s+){1,3}?to\s+[a-z])"
    r"|let(?=s?\s+(?:you|them|us|patients|people|clients|users|(?:many|most)\s+\w+)\s+(?!to\b|go\b)[a-z])"
)
_VERB_FORM = rf"(?P<verb>{_VERBS})(?:s|es)?"
_CUE = re.compile(
    rf"\b(?:(?:ability|potential|power|capacity) to|can(?: also)?|may(?: also)?|also|often|will)\s+{_VERB_FORM}\b"
    rf"|\b(?P<verb3>{_VERBS.replace('?P<enabler>', '?P<enabler3>')})(?:s|es)\b"
    # a plural subject takes the bare verb: "the classes give them …", "regular sessions ease …"
    rf"|\b(?:sessions|classes|treatments|exercises|needles|strokes|stretches|movements|drills|routines)\s+"
    rf"(?P<verb4>{_VERBS.replace('?P<enabler>', '?P<enabler4>')})\b",
    re.IGNORECASE,
)
# "Many people sleep better …", "Patients who … learn to move again", "you can … go back to work the same day":
# people doing something they could not, said of the therapy's outcome.
_PEOPLE_OUTCOME = re.compile(
    r"^(?:[^,]{0,60},\s*)?(?:(?:many|most|some|the)\s+)?(?:people|patients|clients|users|students|runners|athletes|you)\b"
    r"(?P<who>\s+who\b[^,.]*?)?\s+(?:(?:can|could|often|usually|soon|will|are able to|find (?:that )?they can)\s+)*"
    r"(?P<rest>(?!(?:should|must|need|needs|have|has|feel|may|might|are|is|were|will|can|could|would|often|usually)\b)"
    r"[a-z][^.;:]*)",
    re.IGNORECASE,
)
_OUTCOME = re.compile(r"\b(?:better|again|more (?:easily|freely|comfortably)|the same day|sooner|faster)\b", re.IGNORECASE)
_BENEFIT_LIST = re.compile(
    r"\bbenefits?\b[^.]*?\b(?:including|such as|like|include)\s+(?P<items>[^.]+)", re.IGNORECASE
)
_TYPE_LIST = re.compile(
    r"\b(?:types|kinds|forms|styles|techniques|methods|approaches|sessions|classes|settings|modes)\b"
    r"(?:(?: of\b)?[^.]*?(?:\b(?:including|such as|like|include)\s+|:\s+)|\s+are\s+)(?P<items>[^.]+)",
    re.IGNORECASE,
)
# Inside a "Types of …" section: "A, B and C are the most common" / "we use A, B and C" / "D is another option".
_TYPE_SUBJECT_LIST = re.compile(r"^(?P<items>[^.]*?,[^.]*?)\s+(?:are|were)\b")
_TYPE_OBJECT_LIST = re.compile(r"\b(?:use|uses|offer|offers|include|includes|practise|practice)\s+(?P<items>[^.]*,[^.]*)")
# "Our therapists offer A, B and C": the services a clinic offers, when they share the therapy's name.
_TYPE_OFFERED = re.compile(r"\b(?:offer|offers|provide|provides)\s+(?P<items>[^.]*,[^.]*?\band\b[^.]*)")
_TYPE_ANOTHER = re.compile(r"^(?P<items>[A-Z][\w' -]{2,40}?)\s+is\s+(?:another|also)\b")
_TYPE_ITEM_STOP = re.compile(r"^(?:depending|which|where|when|that|each|so|because|for|to|if)\b", re.IGNORECASE)
# A further benefit coordinated with the first: "eases A, loosens B and improves C".
_NEXT_VERB = re.compile(
    rf"(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)(?=(?:{_VERBS})(?:s|es)?\b)(?!lower\s+(?:back|legs?|body|limbs?)\b)",
    re.IGNORECASE,
)
_BENEFIT_HEADING = re.compile(
    r"\b(?:benefits?|advantages?|reasons?|why\b|pros\b|what\b.*\b(?:offers?|can do|does|gives?)\b|how\b.*\bhelps?)",
    re.IGNORECASE,
)
_EXCLUDED_HEADING = re.compile(
    r"\b(?:signs?|symptoms?|causes?|risks?|cautions?|warnings?|when not|who should|side[- ]effects?|precautions?|"
    r"contraindications?|red flags?|mistakes?|safety|careful|when to see|before you|avoid|not suitable)\b",
    re.IGNORECASE,
)
_TYPE_HEADING = re.compile(r"\b(?:types?|kinds?|styles?|methods?|techniques?|forms?|approaches|options)\b", re.IGNORECASE)
# "Pain relief: Gentle adjustments can …" (a label of at most five words before a colon).
_COLON_LABEL = re.compile(r"^(?P<label>[A-Z][^:.!?]{1,40}?):\s+(?=\S)")
_FINITE = re.compile(r"\b(?:is|are|was|were|can|may|will|should|do|does|has|have|it|they|we|you|i)\b", re.IGNORECASE)
# Benefit-shaped noun phrases: "Better balance", "Less swelling", "Faster recovery".
_ADJECTIVE_VERBS = {
    "better": "improves", "improved": "improves", "enhanced": "enhances", "less": "reduces", "fewer": "reduces",
    "lower": "lowers", "reduced": "reduces", "decreased": "reduces", "stronger": "strengthens",
    "faster": "speeds up", "quicker": "speeds up", "more": "increases", "greater": "increases",
    "increased": "increases", "easier": "eases", "deeper": "deepens", "calmer": "calms",
}
_BENEFIT_NOUN = re.compile(r"\b(?:relief|recovery|healing|relaxation|mobility|flexibility|strength|balance|sleep|circulation)\b", re.IGNORECASE)
# Where a benefit's phrase stops: the rest of the clause is explanation, not the point.
_CLAUSE_END = re.compile(
    r",|;|:|\s[-–—]\s|\s(?:which|that|where|by|when|while|because|so that|in the area|thereby|as well as)\s",
    re.IGNORECASE,
)
_CLAUSE_END_NO_COMMA = re.compile(
    r";|:|\s[-–—]\s|,?\s(?:which|that|where|by|when|while|because|so that|thereby|as well as)\s|,\s(?:so|but)\s",
    re.IGNORECASE,
)
_LIST_WORD = r"(?!(?:which|so|but|and|or|then|while|when|where|that)\b)(?![a-z]+ing\b)[a-z][\w'-]*"
_NOUN_LIST = re.compile(
    rf"^\s*[^,;:.]*?[a-z][\w'-]*(?:,\s+{_LIST_WORD}(?:\s+{_LIST_WORD}){{0,3}}){{1,4}},?\s+(?:and|or)\s+"
    rf"{_LIST_WORD}(?:\s+{_LIST_WORD}){{0,3}}(?=\s*(?:[.;:!?]|$))"
)
_ELABORATION = re.compile(r"^(?:this|these|that|those|it|they|such)\b", re.IGNORECASE)
_NOT_A_BENEFIT = re.compile(
    r"\b(?:should|consult|ask your|book|call us|contact|symptoms?|caused? by|occurs when|risk factors?|"
    r"shop|join our|sign up|subscribe|buy|order now|visit our|speak to your|talk to your|see your doctor)\b",
    re.IGNORECASE,
)
# "helps relax them": the object is a pronoun, so the phrase means nothing on its own.
_PRONOUN_OBJECT = re.compile(r"^(?:\w+\s+){1,3}(?:them|it|this|these|those)$", re.IGNORECASE)
_PARTICIPLE = re.compile(r"^(?P<word>\w+ed)\s+(?P<rest>.+)$", re.IGNORECASE)
_STOPWORDS = frozenset(
    "a an the of for to and or in on at by with from its it is are be can may also helps help "
    "your you our their this that these those more less".split()
)
_MAX_POINT_WORDS = 10
# A benefit is claimed for the therapy: the words before the cue must name it (or a session of it).
_THERAPY_WORDS = frozenset(
    "therapy therapies treatment treatments massage massages session sessions practice technique techniques "
    "acupuncture yoga physiotherapy chiropractic stretching exercise exercises care "
    "benefit benefits advantage advantages "
    # the parts of a therapy that do its work: "the warm water", "gentle pressure", "soft tissue work"
    "water warmth heat cold ice pressure buoyancy needle needles stroke strokes work mobilisation mobilization "
    "stretch stretches movement movements routine routines programme programmes program programs class classes "
    "course courses drills pulling rolling training".split()
)
_TITLE_NOISE = frozenset("how why what the benefits benefit of for and with can your you ways to a an in on".split())
# "helps people living with …" says nothing; "helps you return to sport" does.
_VAGUE_OBJECT = re.compile(
    r"^\w+\s+(?:(?:some|many|most)\s+)?(?:people|you|patients|clients|many|those|sufferers|anyone)\b(?P<next>\s+\w+)?",
    re.IGNORECASE,
)
_VAGUE_NEXT = frozenset("with who in of for at on and or".split())


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
    types = _find_types(article.sentences, article.title)
    subjects = _THERAPY_WORDS | {w for w in re.findall(r"[a-z]+", article.title.lower()) if w not in _TITLE_NOISE}
    candidates: list[Benefit] = []
    for unit in _units(article.sentences):
        candidates.extend(_benefits_of_unit(unit, types, subjects))
    benefits = _merge_duplicates(candidates)
    if not benefits:
        raise ArticleError("no benefit points found (expected sentences such as 'X can reduce …')", article.source)
    return Extraction(title=article.title, benefits=benefits, types=types)


# -- structure ---------------------------------------------------------------------------

_Unit = tuple[str, str | None, list[Sentence]]  # (kind, label, sentences)


def _section(headings: tuple[str, ...]) -> str | None:
    """'excluded', 'types', 'benefit' or None, from the innermost heading that says something."""
    for heading in reversed(headings):
        if _EXCLUDED_HEADING.search(heading):
            return "excluded"
        if _BENEFIT_HEADING.search(heading) or _benefit_question(heading):
            return "benefit"
        if _TYPE_HEADING.search(heading):
            return "types"
    return None


def _benefit_question(heading: str) -> bool:
    """"Can dry needling help shoulder pain?", "Will it improve my sleep?": the answer below is a benefit."""
    return heading.rstrip().endswith("?") and bool(
        re.match(r"^(?:can|could|does|do|will|would|is|are|may)\b", heading, re.IGNORECASE)
    ) and bool(_CUE.search(re.sub(r"^\w+\s+", "", heading)) or re.search(r"\bhelp\b", heading, re.IGNORECASE))


def _units(sentences: list[Sentence]) -> list[_Unit]:
    """Group sentences into what the extractor reads as one thing.

    ``("label", label, sentences)``: a labelled paragraph, a labelled list item, or a sub-section
    whose heading sits under a benefit heading; ``("item", None, [s])``: a list item under a
    benefit heading; ``("prose", None, [s])``: any other sentence. Excluded sections vanish.
    """
    units: list[_Unit] = []
    lines: dict[int, list[Sentence]] = {}
    for sentence in sentences:
        if not sentence.is_heading:  # a heading ("How hydrotherapy helps arthritis") is context, not a point
            lines.setdefault(sentence.line, []).append(sentence)
    subsections: dict[tuple[str, ...], list[Sentence]] = {}
    for group in lines.values():
        first = group[0]
        section = _section(first.headings)
        if section == "excluded":
            continue
        if (
            len(first.headings) >= 2
            and _section(first.headings[:-1]) == "benefit"
            and _section(first.headings[-1:]) is None
            and len(first.headings[-1].split()) <= 6
        ):
            subsections.setdefault(first.headings, []).extend(group)  # "### Less swelling" under "## Benefits"
            continue
        label = _label(group)
        if label is not None:
            if not _EXCLUDED_HEADING.search(label):
                units.append(("label", label, group))
        elif first.list_item and section == "benefit":
            units.extend(("item", None, [s]) for s in group[:1])
        else:
            units.extend(("benefit-prose" if section == "benefit" else "prose", None, [s]) for s in group)
    units.extend(("label", headings[-1], group) for headings, group in subsections.items())
    return sorted(units, key=lambda unit: unit[2][0].start)


def _label(group: list[Sentence]) -> str | None:
    """The label of a 'Label: sentence' paragraph or a '**Label.** Sentence' item, if it has one."""
    first = group[0]
    colon = _COLON_LABEL.match(first.text)
    if colon and len(colon["label"].split()) <= 5 and not _FINITE.search(colon["label"]):
        return colon["label"]
    words = first.text.rstrip(".:!").split()
    if (
        len(group) >= 2
        and len(words) <= 6
        and first.text.endswith((".", ":"))
        and not _FINITE.search(first.text)
        and not _CUE.search(first.text)
        and (first.list_item or len(words) <= 5)
    ):
        return first.text.rstrip(".:")
    return None


def _benefits_of_unit(unit: _Unit, types: list[str], subjects: frozenset[str]) -> list[Benefit]:
    kind, label, sentences = unit
    if kind in ("prose", "benefit-prose"):
        return _benefits_in(sentences[0], types, subjects, in_benefit_section=kind == "benefit-prose")
    if kind == "item":
        return _benefits_of_item(sentences[0])
    # A labelled unit is one benefit: the first sentence with a cue names it (the label says whose).
    body = [s for s in sentences if not _label_only(s, label)]
    for sentence in body:
        text = _COLON_LABEL.sub("", sentence.text, count=1) if sentence is sentences[0] else sentence.text
        if _NOT_A_BENEFIT.search(text):
            continue
        points = _points_from_cue(text, None) or _people_outcome(text)
        if points:
            return [_benefit(sentence, point) for point in points]
    point = _point_from_label(label or "")
    evidence = body[0] if body else sentences[0]
    return [_benefit(evidence, point)] if point and not _NOT_A_BENEFIT.search(evidence.text) else []


def _label_only(sentence: Sentence, label: str | None) -> bool:
    return label is not None and sentence.text.rstrip(".:") == label


def _benefits_of_item(sentence: Sentence) -> list[Benefit]:
    """A list item under a benefit heading: "Restores strength …", "Better sleep", "Teaches you …"."""
    text = sentence.text.rstrip(".!")
    if _NOT_A_BENEFIT.search(text):
        return []
    points = (
        _points_from_cue(text, None, at_start=True)
        # "The warm water soothes aching joints": a short noun phrase, then the verb
        or _points_from_cue(text, None, not_after_and=True, max_before=6)
        or _people_outcome(text)
    )
    if points:
        return [_benefit(sentence, point) for point in points]
    first, _, rest = text.partition(" ")
    if re.fullmatch(r"[A-Z]?[a-z]+(?<!s)s", first) and rest:
        # An item that starts with a verb ("Teaches you …", "Shortens recovery time …").
        return [_benefit(sentence, _phrase(first.lower()[:-1], " " + rest, conjugated=first.lower()) or "")]
    point = _point_from_label(text) if len(text.split()) <= 6 else None
    return [_benefit(sentence, point)] if point else []


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


# -- prose -------------------------------------------------------------------------------


def _benefits_in(
    sentence: Sentence, types: list[str], subjects: frozenset[str], in_benefit_section: bool = False
) -> list[Benefit]:
    text = sentence.text
    listed = _BENEFIT_LIST.search(text)
    if listed and not _NOT_A_BENEFIT.search(text):
        return [_benefit(sentence, _point_from_noun(item), from_list=True) for item in _split_items(listed["items"])]
    if _ELABORATION.match(text) or _NOT_A_BENEFIT.search(text) or _TYPE_LIST.search(text):
        return []
    if any(text.lower().startswith(kind.lower()) for kind in types):
        return []  # a technique's description, not a benefit of the therapy
    if sentence.list_item:
        points = _points_from_cue(text, None, at_start=True)  # a bullet that starts with its verb
        if points:
            return [_benefit(sentence, point) for point in points]
    points = _points_from_cue(text, subjects)
    if not points and in_benefit_section:
        # Under "Benefits of …" the subject may be a warm pack or a pose, and the benefit may sit
        # in a "which …" clause; a verb that continues another subject's clause ("… and supports") still does not count.
        points = _points_from_cue(text, None, allow_which=True, not_after_and=True)
    if not points:
        points = _people_outcome(text)
    return [_benefit(sentence, point) for point in points]


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


_BASE = frozenset(_VERB_WORDS.split("|")) | {"build", "give", "bring", "offer", "take", "show", "teach", "allow", "let", "enable"}
_ENABLERS = frozenset({"allow", "let", "enable"})
_ENABLED_OBJECT = re.compile(
    r"^\s*(?P<object>(?:[\w-]+\s+){0,2}?[\w-]+)\s+to\s+(?=[a-z])"  # allows/enables X to …
    r"|^\s*(?P<let>(?:(?:many|most)\s+)?[\w-]+)\s+(?=[a-z])",  # lets X …
    re.IGNORECASE,
)
# "allows new mothers to rest" reads "lets you rest"; "allows the tissue to heal" keeps its object.
_PEOPLE = re.compile(
    r"(?:^|\s)(?:you|them|us|people|patients|clients|users|mothers|parents|athletes|runners|students|adults|"
    r"children|women|men|workers|players|everyone)$", re.IGNORECASE)


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


def _find_types(sentences: list[Sentence], title: str = "") -> list[str]:
    found: list[str] = []
    title_words = set(re.findall(r"[a-z]+", title.lower()))

    def add(items: str) -> None:
        for item in _split_items(items):
            item = re.sub(r"^(?:the|a|an)\s+", "", item, flags=re.IGNORECASE).strip()
            if 0 < len(item.split()) <= 5 and item.lower() not in {t.lower() for t in found}:
                found.append(item)

    for sentence in sentences:
        if _NOT_A_BENEFIT.search(sentence.text):
            continue
        match = _TYPE_LIST.search(sentence.text)
        offered = _TYPE_OFFERED.search(sentence.text)
        if match:
            add(match["items"])
        elif offered and title_words:
            items = _split_items(offered["items"])
            heads = [item.split()[-1].lower() for item in items if item.split()]
            if len(items) >= 2 and all(head == heads[0] and head in title_words for head in heads):
                add(offered["items"])
        elif _section(sentence.headings) == "types":
            for pattern in (_TYPE_SUBJECT_LIST, _TYPE_OBJECT_LIST, _TYPE_ANOTHER):
                match = pattern.search(sentence.text)
                if match:
                    add(match["items"])
                    break
    return found


def content_words(text: str) -> set[str]:
    """Stemmed content words, for fuzzy comparison of points."""
    words = re.findall(r"[a-z]+", text.lower())
    return {_stem(word) for word in words if word not in _STOPWORDS}


def _stem(word: str) -> str:
    for suffix in ("ing", "ies", "es", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
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


def _benefit(sentence: Sentence, point: str, from_list: bool = False) -> Benefit:
    return Benefit(point=point, evidence=sentence.text, start=sentence.start, end=sentence.end, from_list=from_list)
