"""A marketer's corrections to what the extractor found, from a campaign's ``[points]`` table.

The extractor drafts; the clinic decides what goes out. A point can be left out (``skip``), reworded (``edit``)
or added (``add``), and so can a named technique (``skip_types``, ``add_types``). Points are named by their
extracted text, not by number, so an article or extractor change that moves them fails loudly instead of
skipping the wrong one. An added point must quote its evidence from the article: every post still rests on a
sentence the clinic published. Pure: no files, network or clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from posts.article import Article
from posts.benefits import Benefit, Extraction
from posts.errors import ContentError

_KEYS = {"skip", "edit", "add", "skip_types", "add_types"}
_MAX_POINT = 200  # characters: a point is a phrase that a template completes, not a paragraph


class CurationError(ContentError):
    """A ``[points]`` entry names no extracted point, or its evidence is not in the article."""


@dataclass(frozen=True)
class AddedPoint:
    point: str
    evidence: str  # a quote from the article: the sentence it sits in becomes the point's evidence


@dataclass(frozen=True)
class Curation:
    skip: tuple[str, ...] = ()
    edit: tuple[tuple[str, str], ...] = ()  # (the extracted point, the clinic's wording)
    add: tuple[AddedPoint, ...] = ()
    skip_types: tuple[str, ...] = ()
    add_types: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.skip or self.edit or self.add or self.skip_types or self.add_types)


def parse_curation(table: dict[str, Any], where: str) -> Curation:
    """``[points]`` as read from TOML; ``where`` ("campaign.toml: points") prefixes every error."""
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise CurationError(f"unknown key (expected one of {', '.join(sorted(_KEYS))})", f"{where}.{unknown[0]}")
    edits = table.get("edit", {})
    if not isinstance(edits, dict):
        raise CurationError('expected a table of "extracted point" = "new wording"', f"{where}.edit")
    return Curation(
        skip=_strings(table.get("skip", []), f"{where}.skip"),
        edit=tuple((old, _point(new, f"{where}.edit.{old!r}")) for old, new in edits.items()),
        add=tuple(_added(entry, f"{where}.add[{number}]") for number, entry in enumerate(_tables(table, where), 1)),
        skip_types=_strings(table.get("skip_types", []), f"{where}.skip_types"),
        add_types=_strings(table.get("add_types", []), f"{where}.add_types"),
    )


def curate(extraction: Extraction, article: Article, curation: Curation, where: str) -> Extraction:
    """``extraction`` with the clinic's corrections; raises CurationError naming the entry that does not apply."""
    if curation.empty:
        return extraction
    by_text = {_key(benefit.point): benefit for benefit in extraction.benefits}
    for text in curation.skip:
        _known(by_text, text, f"{where}.skip")
    for old, _new in curation.edit:
        _known(by_text, old, f"{where}.edit")
    skipped = {_key(text) for text in curation.skip}
    edits = {_key(old): new for old, new in curation.edit}
    benefits = [replace(benefit, point=edits.get(_key(benefit.point), benefit.point))
                for benefit in extraction.benefits if _key(benefit.point) not in skipped]
    benefits += [_benefit_of(added, article, f"{where}.add[{number}].evidence")
                 for number, added in enumerate(curation.add, 1)]
    if not benefits:
        raise CurationError("every benefit point is skipped: a campaign needs at least one", f"{where}.skip")
    types = [name for name in extraction.types if _key(name) not in {_key(t) for t in curation.skip_types}]
    for name in curation.skip_types:
        if _key(name) not in {_key(t) for t in extraction.types}:
            raise CurationError(f"no extracted technique reads {name!r} (run `extract` to see them)",
                                f"{where}.skip_types")
    types += [name for name in curation.add_types if _key(name) not in {_key(t) for t in types}]
    return replace(extraction, benefits=benefits, types=types)


def _known(by_text: dict[str, Benefit], text: str, where: str) -> None:
    if _key(text) not in by_text:
        raise CurationError(f"no extracted point reads {text!r} (run `extract` to see them)", where)


def _benefit_of(added: AddedPoint, article: Article, where: str) -> Benefit:
    """The added point, with the article sentence its quote sits in as evidence."""
    quote = _normalised(added.evidence)
    for sentence in article.sentences:
        if quote and quote in _normalised(sentence.text) and not sentence.is_heading:
            return Benefit(point=added.point, evidence=sentence.text, start=sentence.start, end=sentence.end)
    raise CurationError("the quote is not in the article: copy a sentence, or part of one, exactly", where)


def _tables(table: dict[str, Any], where: str) -> list[dict[str, Any]]:
    entries = table.get("add", [])
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        raise CurationError('expected [[points.add]] tables with point = "…" and evidence = "…"', f"{where}.add")
    return entries


def _added(entry: dict[str, Any], where: str) -> AddedPoint:
    unknown = sorted(set(entry) - {"point", "evidence"})
    if unknown:
        raise CurationError("unknown key (expected point and evidence)", f"{where}.{unknown[0]}")
    for key in ("point", "evidence"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise CurationError("required: a non-empty string", f"{where}.{key}")
    return AddedPoint(point=_point(entry["point"], f"{where}.point"), evidence=entry["evidence"])


def _point(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise CurationError("expected a non-empty string", where)
    point = " ".join(value.split())
    if len(point) > _MAX_POINT:
        raise CurationError(f"a point is a phrase of at most {_MAX_POINT} characters, not {len(point)}", where)
    return point


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise CurationError("expected a list of non-empty strings", where)
    return tuple(value)


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def _normalised(text: str) -> str:
    """Case, spacing and typographic quotes set aside, so a quote copied from a browser still matches."""
    text = text.translate(str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"}))
    return re.sub(r"\s+", " ", text).strip().lower()
