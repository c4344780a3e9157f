"""Read a campaign file (TOML) into what the planner needs, naming the file and key on any error."""

from __future__ import annotations

import tomllib
from datetime import date, timedelta
from importlib import resources
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from apscheduler.triggers.cron import CronTrigger

from posts.claims import Guard, build_guard
from posts.curation import Curation, parse_curation
from posts.drafts import Channel, ContentSpec, Disclaimer
from posts.errors import ContentError
from posts.hashtag_sets import parse_caps, parse_sets
from posts.hashtags import normalize_hashtag
from posts.platforms import RULES
from scheduler.cadence import MAX_JITTER_MINUTES, Schedule, make_schedule, parse_slots, zone_info
from scheduler.errors import ConfigError
from scheduler.publishers import platform_of

_KNOWN = {
    "campaign": {"name", "article", "article_url", "topic", "condition", "hashtags", "channels", "utm", "approval"},
    "cadence": {"zone", "slots", "start", "jitter_minutes", "missed_after_minutes"},
    "channels": None,  # one table per channel, checked in _schedules
    "templates": {"benefit", "technique", "images", "image_base_url"},
    "hashtags": {"sets", "caps"},
    "guard": {"mode", "ignore", "rules"},
    "disclaimer": {"text", "platforms", "templates"},
    "evergreen": {"enabled", "cooldown_days", "platform_cooldown_days", "max_cycles", "end", "categories"},
    "quotas": None,  # platform = posts per 24 hours, checked in _quotas
    "clinic": None,  # free-form: every key is passed to the templates
    "points": None,  # the clinic's corrections to the extracted points, checked in posts.curation
}
_CHANNEL_KEYS = {"slots", "zone", "jitter_minutes"}
# Posts per moving 24 hours on one account, as `plan --days` checks them; [quotas] overrides.
DEFAULT_QUOTAS: dict[str, int] = {"x": 50, "instagram": 50, "threads": 250}
# [evergreen] categories: the name in the campaign file -> the post kind it recycles.
CATEGORIES = {"benefits": "benefit", "benefit": "benefit", "techniques": "technique", "technique": "technique"}


@dataclass(frozen=True)
class Evergreen:
    """``[evergreen]``: published posts come back when a channel's queue runs short."""

    enabled: bool = False
    cooldown_days: int = 30
    platform_cooldown_days: dict[str, int] = field(default_factory=dict)
    max_cycles: int | None = None  # repeats per content item and channel (None: no limit)
    end: date | None = None  # no repeat is scheduled on or after this local day
    categories: dict[str, list[str]] = field(default_factory=dict)  # post kind -> its own slot specs

    def cooldown(self, platform: str) -> timedelta:
        return timedelta(days=self.platform_cooldown_days.get(platform, self.cooldown_days))


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
    schedules: dict[str, Schedule] = field(default_factory=dict, repr=False)  # channel name -> its schedule
    jitter_minutes: int = 0
    approval: bool = False
    miss_after: int | None = None  # seconds ([cadence] missed_after_minutes)
    evergreen: Evergreen = field(default_factory=Evergreen)
    quotas: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_QUOTAS))
    curation: Curation = field(default_factory=Curation)  # [points]: what the clinic skips, rewords or adds

    def schedule_for(self, channel: str) -> Schedule:
        """The channel's own ``[channels.NAME]`` schedule, or the campaign's ``[cadence]``."""
        found = self.schedules.get(channel)
        if found is not None:
            return found
        return Schedule(self.zone, tuple(self.slots), self.triggers, self.jitter_minutes)

    def quota(self, platform: str) -> int | None:
        return self.quotas.get(platform)

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
    jitter = _jitter(cadence, f"{where}: cadence.jitter_minutes", 0)
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
        images=_images(templates, path, f"{where}: templates"),
    )
    missed = _whole(cadence, "missed_after_minutes", f"{where}: cadence.missed_after_minutes", minimum=1)
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
        schedules=_schedules(_optional_table(data, "channels", where), channels, zone, slots, jitter, where),
        jitter_minutes=jitter,
        approval=_bool(section, "approval", f"{where}: campaign.approval", default=False),
        miss_after=missed * 60 if missed is not None else None,
        evergreen=_evergreen(_optional_table(data, "evergreen", where), zone, f"{where}: evergreen"),
        quotas=_quotas(_optional_table(data, "quotas", where), f"{where}: quotas"),
        curation=parse_curation(_optional_table(data, "points", where), f"{where}: points"),
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


def _whole(table: dict[str, Any], key: str, where: str, minimum: int = 0, maximum: int | None = None) -> int | None:
    """An optional whole number in [minimum, maximum]; None when absent."""
    if key not in table:
        return None
    value = table[key]
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum or (maximum is not None and value > maximum):
        bound = f"from {minimum} to {maximum}" if maximum is not None else f"of at least {minimum}"
        raise ConfigError(f"must be a whole number {bound}, not {value!r}", where)
    return value


def _jitter(table: dict[str, Any], where: str, default: int) -> int:
    value = _whole(table, "jitter_minutes", where, 0, MAX_JITTER_MINUTES)
    return default if value is None else value


def _schedules(table: dict[str, Any], channels: list[Channel], zone: str, slots: list[str], jitter: int,
               where: str) -> dict[str, Schedule]:
    """``[channels.NAME]`` tables: each key falls back to ``[cadence]``."""
    names = {channel.name for channel in channels}
    schedules = {}
    for name, value in table.items():
        here = f"{where}: channels.{name}"
        if name not in names:
            raise ConfigError(f"channel {name!r} is not in campaign.channels ({', '.join(sorted(names))})", here)
        if not isinstance(value, dict):
            raise ConfigError(f"must be a table ([channels.{name}] or [channels.\"{name}\"])", here)
        for key in value:
            if key not in _CHANNEL_KEYS:
                raise ConfigError(f"unknown key channels.{name}.{key} (expected one of {', '.join(sorted(_CHANNEL_KEYS))})", where)
        own_zone = _string(value, "zone", f"{here}.zone") if "zone" in value else zone
        zone_info(own_zone, f"{here}.zone")
        own_slots = _list(value, "slots", f"{here}.slots") if "slots" in value else slots
        schedules[name] = make_schedule(own_slots, own_zone, _jitter(value, f"{here}.jitter_minutes", jitter),
                                        f"{here}.slots" if "slots" in value else f"{where}: cadence.slots")
    return schedules


def _images(table: dict[str, Any], path: Path, where: str) -> dict[str, str]:
    """``images = { tip = "https://…", benefit = "img/benefit.jpg" }``: URLs as written; a local file must
    exist beside the campaign and becomes ``image_base_url`` + its path when that key is set."""
    images = table.get("images", {})
    if not isinstance(images, dict):
        raise ConfigError("must be a table of template (or post kind) = image URL or file, such as "
                          "{ tip = \"https://clinic.example/img/tip.jpg\" }", f"{where}.images")
    base = table.get("image_base_url")
    if base is not None and (not isinstance(base, str) or not base.lower().startswith(("https://", "http://"))):
        raise ConfigError("must be an http(s) URL such as \"https://clinic.example/img/\"", f"{where}.image_base_url")
    resolved = {}
    for name, value in images.items():
        here = f"{where}.images.{name}"
        if not isinstance(value, str) or not value.strip():
            raise ConfigError("must be an image URL or a file path", here)
        value = value.strip()
        if value.lower().startswith(("https://", "http://")):
            resolved[name] = value
            continue
        if "://" in value:
            raise ConfigError(f"{value!r} is neither an http(s) URL nor a file path", here)
        if not (path.parent / value).is_file():
            raise ConfigError(f"image file {value!r} not found (relative to the campaign file)", here)
        resolved[name] = f"{base.rstrip('/')}/{Path(value).as_posix().lstrip('/')}" if base else value
    return resolved


def _evergreen(table: dict[str, Any], zone: str, where: str) -> Evergreen:
    if not table:
        return Evergreen()
    cooldown = _whole(table, "cooldown_days", f"{where}.cooldown_days", minimum=1)
    overrides = table.get("platform_cooldown_days", {})
    if not isinstance(overrides, dict):
        raise ConfigError("must be a table of platform = days, such as { x = 60 }", f"{where}.platform_cooldown_days")
    per_platform = {}
    for platform in overrides:
        if platform not in RULES:
            raise ConfigError(f"unknown platform {platform!r} (one of {', '.join(sorted(RULES))})",
                              f"{where}.platform_cooldown_days.{platform}")
        per_platform[platform] = _whole(overrides, platform, f"{where}.platform_cooldown_days.{platform}", minimum=1)
    end = None
    if "end" in table:
        value = table["end"]
        if isinstance(value, date):
            end = value
        else:
            try:
                end = date.fromisoformat(str(value))
            except ValueError:
                raise ConfigError(f"invalid date {value!r}: expected YYYY-MM-DD", f"{where}.end") from None
    categories_table = table.get("categories", {})
    if not isinstance(categories_table, dict):
        raise ConfigError("must be a table such as { benefits = [\"mon 09:30\"], techniques = [\"thu 09:30\"] }",
                          f"{where}.categories")
    categories = {}
    for name in categories_table:
        here = f"{where}.categories.{name}"
        if name not in CATEGORIES:
            raise ConfigError(f"unknown category {name!r} (benefits or techniques)", here)
        specs = _list(categories_table, name, here)
        parse_slots(specs, zone, here)
        categories[CATEGORIES[name]] = specs
    return Evergreen(
        enabled=_bool(table, "enabled", f"{where}.enabled", default=True),
        cooldown_days=30 if cooldown is None else cooldown,
        platform_cooldown_days=per_platform,
        max_cycles=_whole(table, "max_cycles", f"{where}.max_cycles", minimum=0),
        end=end,
        categories=categories,
    )


def _quotas(table: dict[str, Any], where: str) -> dict[str, int]:
    quotas = dict(DEFAULT_QUOTAS)
    for platform in table:
        if platform not in RULES:
            raise ConfigError(f"unknown platform {platform!r} (one of {', '.join(sorted(RULES))})", f"{where}.{platform}")
        quotas[platform] = _whole(table, platform, f"{where}.{platform}", minimum=1)
    return quotas
