"""Read a campaign file (TOML) into what the planner needs, naming the file and key on any error."""

from __future__ import annotations

import tomllib
from importlib import resources
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from apscheduler.triggers.cron import CronTrigger

from posts.claims import Guard, build_guard
from posts.drafts import Channel, ContentSpec, Disclaimer
from posts.errors import ContentError
from posts.hashtag_sets import parse_caps, parse_sets
from posts.hashtags import normalize_hashtag
from posts.platforms import RULES
from scheduler.cadence import parse_slots, zone_info
from scheduler.errors import ConfigError
from scheduler.publishers import platform_of

_KNOWN = {
    "campaign": {"name", "article", "article_url", "topic", "condition", "hashtags", "channels", "utm"},
    "cadence": {"zone", "slots", "start"},
    "templates": {"benefit", "technique"},
    "hashtags": {"sets", "caps"},
    "guard": {"mode", "ignore", "rules"},
    "disclaimer": {"text", "platforms", "templates"},
    "clinic": None,  # free-form: every key is passed to the templates
}


@dataclass(frozen=True)
class Campaign:
    path: Path
    name: str
    article_path: Path
    spec: ContentSpec
    channels: list[Channel]
    zone: str
    slots: list[str]
    triggers: list[CronTrigger] = field(repr=False)
    start: str | None = None

    @property
    def template_dirs(self) -> list[Path]:
        """The campaign folder's own templates/ first, then the defaults shipped in the package."""
        return [self.path.parent / "templates", default_templates_dir()]


def default_templates_dir() -> Path:
    # scheduler.templates is the repository's top-level templates/ folder (see pyproject.toml).
    return Path(str(resources.files("scheduler.templates")))


def load_campaign(path: str | Path) -> Campaign:
    path = Path(path)
    data = _read_toml(path)
    where = str(path)
    _check_keys(data, where)
    section = _table(data, "campaign", where)
    cadence = _table(data, "cadence", where)
    templates = _optional_table(data, "templates", where)
    hashtags = _optional_table(data, "hashtags", where)
    name = _string(section, "name", f"{where}: campaign.name")
    channels = [_channel(value, f"{where}: campaign.channels") for value in _list(section, "channels", f"{where}: campaign.channels")]
    if not channels:
        raise ConfigError("at least one channel is needed, such as [\"outbox\"]", f"{where}: campaign.channels")
    zone = _string(cadence, "zone", f"{where}: cadence.zone")
    zone_info(zone, f"{where}: cadence.zone")
    slots = _list(cadence, "slots", f"{where}: cadence.slots")
    spec = ContentSpec(
        campaign=name,
        topic=_string(section, "topic", f"{where}: campaign.topic"),
        condition=section.get("condition", ""),
        hashtags=_hashtags(section, f"{where}: campaign.hashtags"),
        benefit_templates=_template_names(templates, "benefit", f"{where}: templates.benefit", ["benefit", "question"]),
        technique_templates=_template_names(templates, "technique", f"{where}: templates.technique", []),
        article_url=section.get("article_url"),
        clinic=dict(data.get("clinic", {})),
        hashtag_sets=_located(parse_sets, hashtags["sets"], f"{where}: hashtags.sets") if "sets" in hashtags else [],
        hashtag_caps=_located(parse_caps, hashtags["caps"], f"{where}: hashtags.caps") if "caps" in hashtags else {},
        utm=_bool(section, "utm", f"{where}: campaign.utm", default=True),
        guard=_guard(_optional_table(data, "guard", where), f"{where}: guard"),
        disclaimer=_disclaimer(_optional_table(data, "disclaimer", where), f"{where}: disclaimer"),
    )
    return Campaign(
        path=path,
        name=name,
        article_path=(path.parent / _string(section, "article", f"{where}: campaign.article")),
        spec=spec,
        channels=channels,
        zone=zone,
        slots=slots,
        triggers=parse_slots(slots, zone, f"{where}: cadence.slots"),
        start=str(cadence["start"]) if "start" in cadence else None,
    )


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError("campaign file not found", str(path)) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"not valid TOML: {error}", str(path)) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read the campaign file: {error.__class__.__name__}", str(path)) from None


def _check_keys(data: dict[str, Any], where: str) -> None:
    for table, value in data.items():
        if table not in _KNOWN:
            raise ConfigError(f"unknown table [{table}] (expected {', '.join(sorted(_KNOWN))})", where)
        allowed = _KNOWN[table]
        if allowed is not None and isinstance(value, dict):
            for key in value:
                if key not in allowed:
                    raise ConfigError(f"unknown key {table}.{key} (expected one of {', '.join(sorted(allowed))})", where)


def _table(data: dict[str, Any], name: str, where: str) -> dict[str, Any]:
    value = data.get(name)
    if not isinstance(value, dict):
        raise ConfigError(f"missing table [{name}]", where)
    return value


def _string(table: dict[str, Any], key: str, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError("missing or empty (a string is expected)", where)
    return value.strip()


def _list(table: dict[str, Any], key: str, where: str, default: list[str] | None = None) -> list[str]:
    value = table.get(key, default)
    if value is None:
        raise ConfigError("missing (a list of strings is expected)", where)
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise ConfigError("must be a list of non-empty strings", where)
    return [item.strip() for item in value]


def _channel(name: str, where: str) -> Channel:
    from scheduler.config import channel_variable

    channel_variable(name, "X")  # validates the name's shape
    return Channel(name=name, platform=platform_of(name, where))


def _hashtags(section: dict[str, Any], where: str) -> list[str]:
    try:
        return [normalize_hashtag(tag, where) for tag in _list(section, "hashtags", where, default=[])]
    except ContentError as error:
        raise ConfigError(error.message, where) from None


def _optional_table(data: dict[str, Any], name: str, where: str) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{name} must be a table ([{name}])", where)
    return value


def _bool(table: dict[str, Any], key: str, where: str, default: bool) -> bool:
    value = table.get(key, default)
    if not isinstance(value, bool):
        raise ConfigError(f"must be true or false, not {value!r}", where)
    return value


def _template_names(table: dict[str, Any], key: str, where: str, default: list[str]) -> list[str]:
    names = _list(table, key, where, default=default)
    for name in names:
        if name.startswith("_") or "/" in name or "\\" in name or name.endswith(".j2"):
            raise ConfigError(f"invalid template name {name!r}: give a name such as \"myth\" (no .j2, no folder, "
                              "not starting with _, which marks shared macros)", where)
    return names


def _located(parse, value: Any, where: str):
    """Run a posts/ parser that names ``where`` in its errors; its error becomes a ConfigError."""
    try:
        return parse(value, where)
    except ContentError as error:
        raise ConfigError(error.message, error.where) from None


def _guard(table: dict[str, Any], where: str) -> Guard:
    mode = table.get("mode", "warn")
    if not isinstance(mode, str):
        raise ConfigError("must be a string: \"warn\", \"block\" or \"off\"", f"{where}.mode")
    ignore = _list(table, "ignore", f"{where}.ignore", default=[])
    rules = table.get("rules", [])
    if not isinstance(rules, list):
        raise ConfigError("must be a list of tables ([[guard.rules]])", f"{where}.rules")
    return _located(lambda _, here: build_guard(mode, rules, ignore, here), None, where)


def _disclaimer(table: dict[str, Any], where: str) -> Disclaimer | None:
    if not table:
        return None
    text = _string(table, "text", f"{where}.text")
    platforms = _list(table, "platforms", f"{where}.platforms") if "platforms" in table else None
    for platform in platforms or []:
        if platform not in RULES:
            raise ConfigError(f"unknown platform {platform!r} (one of {', '.join(sorted(RULES))})", f"{where}.platforms")
    templates = _template_names(table, "templates", f"{where}.templates", []) if "templates" in table else None
    return Disclaimer(text, platforms, templates)
