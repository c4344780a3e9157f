"""Find an article's benefit points (each with its evidence sentence) and named techniques.

The rules read the article's prose the way a marketer skims it: a sentence that says the
therapy *can reduce*, *helps*, *improves* … something is a benefit; a sentence that lists
"benefits, including A, B and C" gives one point per item; sentences that only elaborate the
previous one ("This …", "These …"), describe causes, or warn are not new points.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from posts.article import Article, Sentence
from posts.errors import ArticleError

_VERBS = (
    "help|reduce|improve|relieve|ease|prevent|boost|promote|increase|lower|release|decrease|"
    "enhance|alleviate|strengthen|restore|support|calm|loosen|relax|speed|lessen|soothe|"
    "stimulate|encourage|aid|decompress|stretch"
)
_VERB_FORM = rf"(?P<verb>{_VERBS})(?:s|es)?"
_CUE = re.compile(
    rf"\b(?:(?:ability|potential|power|capacity) to|can(?: also)?|may(?: also)?|also|often|will)\s+{_VERB_FORM}\b"
    rf"|\b(?P<verb3>{_VERBS})(?:s|es)\b",
    re.IGNORECASE,
)
_BENEFIT_LIST = re.compile(r"\bbenefits?\b[^.]*?\b(?:including|such as|like)\s+(?P<items>[^.]+)", re.IGNORECASE)
_TYPE_LIST = re.compile(
    r"\b(?:types|kinds|forms|styles|techniques|methods) of\b[^.]*?\b(?:including|such as|like|include)\s+(?P<items>[^.]+)",
    re.IGNORECASE,
)
# Where a benefit's phrase stops: the rest of the clause is explanation, not the point.
_CLAUSE_END = re.compile(
    r",|;|:|\s[-–—]\s|\s(?:which|that|where|by|when|while|because|so that|in the area|thereby|as well as)\s",
    re.IGNORECASE,
)
_ELABORATION = re.compile(r"^(?:this|these|that|those|it|they|such)\b", re.IGNORECASE)
_NOT_A_BENEFIT = re.compile(
    r"\b(?:should|consult|ask your|book|call us|contact|symptoms?|caused? by|occurs when|risk factors?)\b",
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
    "acupuncture yoga physiotherapy chiropractic stretching exercise exercises care".split()
)
_TITLE_NOISE = frozenset("how why what the benefits benefit of for and with can your you ways to a an in on".split())
_VAGUE_OBJECT = re.compile(r"^\w+\s+(?:people|you|patients|clients|many|those|sufferers|anyone)\b", re.IGNORECASE)


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
    types = _find_types(article.sentences)
    subjects = _THERAPY_WORDS | {w for w in re.findall(r"[a-z]+", article.title.lower()) if w not in _TITLE_NOISE}
    candidates: list[Benefit] = []
    for sentence in article.sentences:
        candidates.extend(_benefits_in(sentence, types, subjects))
    benefits = _merge_duplicates(candidates)
    if not benefits:
        raise ArticleError("no benefit points found (expected sentences such as 'X can reduce …')", article.source)
    return Extraction(title=article.title, benefits=benefits, types=types)


def _benefits_in(sentence: Sentence, types: list[str], subjects: frozenset[str]) -> list[Benefit]:
    text = sentence.text
    listed = _BENEFIT_LIST.search(text)
    if listed:
        return [_benefit(sentence, _point_from_noun(item), from_list=True) for item in _split_items(listed["items"])]
    if _ELABORATION.match(text) or _NOT_A_BENEFIT.search(text) or _TYPE_LIST.search(text):
        return []
    if any(text.lower().startswith(kind.lower()) for kind in types):
        return []  # a technique's description, not a benefit of the therapy
    point = _point_from_cue(text, subjects)
    return [_benefit(sentence, point)] if point else []


def _point_from_cue(text: str, subjects: frozenset[str]) -> str | None:
    for match in _CUE.finditer(text):
        before = text[: match.start()]
        if re.search(r"\b(?:which|that)\s+(?:\w+\s+){0,2}$", before, re.IGNORECASE):
            continue  # a consequence in a relative clause, not the sentence's claim
        if not subjects & set(re.findall(r"[a-z]+", before.lower())):
            continue  # something else does the helping ("better blood flow supports …")
        verb = (match.group("verb") or match.group("verb3")).lower()
        rest = text[match.end():]
        rest = re.sub(r"^\s+to\s+", " ", rest) if verb == "help" else rest
        phrase = _CLAUSE_END.split(rest, maxsplit=1)[0].strip().rstrip(".!?")
        if not phrase or _PRONOUN_OBJECT.match(f"{verb} {phrase}") or _VAGUE_OBJECT.match(f"{verb} {phrase}"):
            continue
        words = f"{_third_person(verb)} {phrase}".split()
        return " ".join(words[:_MAX_POINT_WORDS])
    return None


def _point_from_noun(item: str) -> str:
    """'improved circulation' -> 'improves circulation'; 'stress relief' -> 'provides stress relief'."""
    item = item.strip().rstrip(".")
    participle = _PARTICIPLE.match(item)
    if participle:
        word = participle["word"].lower()
        for verb in (word[:-1], word[:-2]):  # "reduced" -> "reduce", "improved" -> "improve", "boosted" -> "boost"
            if re.fullmatch(_VERBS, verb):
                return f"{_third_person(verb)} {participle['rest']}"
    return f"provides {item}"


def _third_person(verb: str) -> str:
    if verb.endswith(("s", "sh", "ch", "x", "z")):
        return verb + "es"
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


def _split_items(items: str) -> list[str]:
    parts = re.split(r",\s*(?:and|or)?\s*|\s+(?:and|or)\s+", items.strip().rstrip("."))
    return [part.strip() for part in parts if part.strip()]


def _find_types(sentences: list[Sentence]) -> list[str]:
    found: list[str] = []
    for sentence in sentences:
        match = _TYPE_LIST.search(sentence.text)
        if match:
            found.extend(item for item in _split_items(match["items"]) if item.lower() not in {t.lower() for t in found})
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
