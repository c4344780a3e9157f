"""Keep secrets out of what is stored or shown: known secret values and anything shaped like one."""

from __future__ import annotations

import re
from typing import Iterable, Mapping

EXCERPT_LIMIT = 200
MASK = "[redacted]"
_SECRET_NAMES = ("TOKEN", "PASSWORD", "SECRET", "KEY", "JWT", "WEBHOOK")  # a webhook URL carries its token
_MIN_SECRET_LENGTH = 4  # shorter values would mask ordinary words

_PATTERNS = (
    # Authorization: Bearer abc…, Basic abc…
    re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{6,}"),
    # token=…, "password": "…", accessJwt: …, in query strings, JSON and prose
    re.compile(r"(?i)(\b[\w-]*(?:token|password|secret|api_?key|jwt|authorization)[\w-]*\"?\s*[:=]\s*\"?)[^\s\"&,;}]+"),
    # a JWT anywhere
    re.compile(r"\beyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]*"),
)


def secret_values(values: Mapping[str, str]) -> list[str]:
    """The values of settings whose names say they are secret (…_ACCESS_TOKEN, …_APP_PASSWORD)."""
    found = {value.strip() for name, value in values.items()
             if any(part in name.upper() for part in _SECRET_NAMES) and value and len(value.strip()) >= _MIN_SECRET_LENGTH}
    return sorted(found, key=len, reverse=True)  # longest first: a secret containing another is masked whole


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, MASK)
    text = _PATTERNS[0].sub(lambda m: f"{m.group(1)} {MASK}", text)
    text = _PATTERNS[1].sub(lambda m: f"{m.group(1)}{MASK}", text)
    return _PATTERNS[2].sub(MASK, text)


def excerpt(text: str | None, secrets: Iterable[str] = (), limit: int = EXCERPT_LIMIT) -> str | None:
    """One redacted line of at most ``limit`` characters (redacted before cutting, so no half secret survives)."""
    if not text:
        return None
    flat = " ".join(redact(text, secrets).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
