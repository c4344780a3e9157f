"""The health-claims guard: flags what a clinic post should not promise, with a softer wording.

A rule is a case-insensitive regular expression with a severity and a suggestion. Two optional
exceptions keep plain wording plain: ``unless_before`` is matched against the few words just
before the hit ("no cure", "helps prevent"), ``unless_text`` against the whole post (a cited
source makes "clinically proven" acceptable). The campaign adds rules and can switch built-in ones
off by id (see scheduler/campaign.py); this module only checks text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from posts.errors import ContentError

SEVERITIES = ("high", "medium", "low")
MODES = ("warn", "block", "off")
_BEFORE_WINDOW = 40  # characters before a hit that ``unless_before`` sees


class ClaimError(ContentError):
    """A post makes a claim the campaign's guard blocks, or a guard rule is malformed."""


@dataclass(frozen=True)
class Rule:
    id: str
    pattern: str
    severity: str
    message: str
    suggestion: str
    unless_before: str | None = None  # regex, searched at the end of the text before the hit
    unless_text: str | None = None  # regex, searched in the whole text

    def compiled(self) -> tuple[re.Pattern[str], re.Pattern[str] | None, re.Pattern[str] | None]:
        flags = re.IGNORECASE | re.UNICODE
        return (re.compile(self.pattern, flags),
                re.compile(f"(?:{self.unless_before})$", flags) if self.unless_before else None,
                re.compile(self.unless_text, flags) if self.unless_text else None)


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    match: str  # the words that matched, as written
    start: int
    end: int
    message: str
    suggestion: str

    def describe(self) -> str:
        return f"claim ({self.severity}, {self.rule}): \"{self.match}\" {self.message}; try: {self.suggestion}"

    def as_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "severity": self.severity, "match": self.match, "start": self.start,
                "end": self.end, "message": self.message, "suggestion": self.suggestion}


_NEGATED = r"\b(?:no|not|never|isn't|is\s+not|aren't|are\s+not|cannot|can't|without)\s+(?:\w+\s+){0,2}"
_SOFTENED = (r"\b(?:help|helps|helped|helping|may|might|could|aims?\s+to|reduce\s+the\s+risk\s+of|"
             r"lower\s+the\s+risk\s+of)\s+(?:\w+\s+){0,2}")
_SOURCE = (r"\b(?:doi\s*:|pubmed|pmid|ncbi\.nlm\.nih\.gov|cochrane|source\s*:|study\s*:|ref\s*:)|\[\d+\]|"
           r"\(\s*[A-Z][a-z]+(?:\s+et\s+al\.?)?,?\s+(?:19|20)\d\d\s*\)")

BUILTIN_RULES: tuple[Rule, ...] = (
    Rule("cure", r"\bcur(?:e|es|ed|ing)\b(?:-all)?|\bcure-?all\b", "high",
         "promises a cure", "say what it may help with, e.g. \"may help ease\"", unless_before=_NEGATED),
    Rule("guaranteed", r"\bguarantee(?:s|d)?\b", "high",
         "promises a result", "\"many people find\" or \"can help\"", unless_before=_NEGATED),
    Rule("detox", r"\bdetox(?:es|ed|ing|ify|ifies|ification)?\b", "high",
         "is a detox claim with no medical basis", "describe what it does, e.g. \"supports circulation\""),
    Rule("toxins", r"\b(?:flush|drain|purge|eliminate|remove|release|clear|cleanse|rid)(?:s|es|ed|ing)?\b"
         r"(?:\s+\w+){0,4}?\s+toxins?\b|\btoxins?\b(?:\s+\w+){0,3}?\s+"
         r"(?:flushed|drained|purged|eliminated|removed|released|cleared)\b",
         "high", "is a toxin-flushing claim with no medical basis",
         "\"improves blood flow to the area\" or leave it out"),
    Rule("no-side-effects", r"\b(?:no|zero|without(?:\s+any)?|free\s+of)\s+(?:\w+\s+)?side[\s-]effects?\b|"
         r"\bside[\s-]effect[\s-]free\b",
         "high", "promises no side effects", "\"side effects are usually mild; ask your therapist\""),
    Rule("risk-free", r"\brisk[\s-]free\b|\b(?:100\s*%|completely|totally|perfectly)\s+safe\b", "medium",
         "promises no risk", "\"gentle and generally well tolerated\""),
    Rule("miracle", r"\bmiracle\w*|\bmiraculous\w*", "medium",
         "overstates the effect", "say what people commonly notice, e.g. \"welcome relief\""),
    Rule("clinically-proven", r"\b(?:clinically|scientifically|medically)[\s-]+(?:proven|proved)\b", "high",
         "needs a source in the post", "cite the study, or say \"research suggests\"", unless_text=_SOURCE),
    Rule("prevents", r"\bprevent(?:s|ed)?\b", "high",
         "is an absolute prevention claim", "\"may help prevent\" or \"can lower the risk of\"",
         unless_before=_SOFTENED + r"|" + _NEGATED),
)


@dataclass(frozen=True)
class Guard:
    """What the campaign says about claims: ``mode`` (warn, block or off) and the rules in force."""

    mode: str = "warn"
    rules: tuple[Rule, ...] = BUILTIN_RULES

    def check(self, text: str) -> list[Finding]:
        return [] if self.mode == "off" else check_text(text, self.rules)


def check_text(text: str, rules: tuple[Rule, ...] | list[Rule] = BUILTIN_RULES) -> list[Finding]:
    """Every risky claim in ``text``, in text order (one finding per rule and place)."""
    findings = []
    for rule in rules:
        pattern, unless_before, unless_text = rule.compiled()
        if unless_text is not None and unless_text.search(text):
            continue
        for hit in pattern.finditer(text):
            before = text[max(0, hit.start() - _BEFORE_WINDOW):hit.start()]
            if unless_before is not None and unless_before.search(before):
                continue
            findings.append(Finding(rule.id, rule.severity, hit.group(0), hit.start(), hit.end(), rule.message,
                                    rule.suggestion))
    return sorted(findings, key=lambda f: (f.start, f.rule))


def build_guard(mode: str, extra: list[dict[str, Any]], ignore: list[str], where: str) -> Guard:
    """The campaign's guard: built-in rules minus ``ignore`` (by id), plus ``extra`` rules.

    Each extra rule is ``{id, pattern, severity?, message?, suggestion}``; ``where`` names the
    campaign file's ``[guard]`` table in every error.
    """
    if mode not in MODES:
        raise ClaimError(f"unknown mode {mode!r} (one of {', '.join(MODES)})", f"{where}.mode")
    known = {rule.id for rule in BUILTIN_RULES}
    for rule_id in ignore:
        if rule_id not in known:
            raise ClaimError(f"no built-in rule {rule_id!r} (one of {', '.join(sorted(known))})", f"{where}.ignore")
    rules = [rule for rule in BUILTIN_RULES if rule.id not in ignore]
    for number, entry in enumerate(extra):
        rules.append(_extra_rule(entry, f"{where}.rules[{number}]", {rule.id for rule in rules}))
    return Guard(mode, tuple(rules))


_RULE_KEYS = {"id", "pattern", "severity", "message", "suggestion"}


def _extra_rule(entry: Any, where: str, taken: set[str]) -> Rule:
    if not isinstance(entry, dict):
        raise ClaimError("must be a table with id, pattern and suggestion", where)
    unknown = sorted(set(entry) - _RULE_KEYS)
    if unknown:
        raise ClaimError(f"unknown key {unknown[0]!r} (expected one of {', '.join(sorted(_RULE_KEYS))})", where)
    for key in ("id", "pattern", "suggestion"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise ClaimError(f"{key} is missing or empty (a string is expected)", where)
    if entry["id"] in taken:
        raise ClaimError(f"rule id {entry['id']!r} is already in use", where)
    severity = entry.get("severity", "medium")
    if severity not in SEVERITIES:
        raise ClaimError(f"unknown severity {severity!r} (one of {', '.join(SEVERITIES)})", where)
    try:
        re.compile(entry["pattern"], re.IGNORECASE)
    except re.error as error:
        raise ClaimError(f"pattern is not a valid regular expression: {error}", where) from None
    message = entry.get("message", "is on the campaign's list of claims to avoid")
    if not isinstance(message, str):
        raise ClaimError("message must be a string", where)
    return Rule(entry["id"], entry["pattern"], severity, message, entry["suggestion"])
