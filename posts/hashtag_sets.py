"""Which hashtags a post carries: the campaign's own tags always, a rotating set, a per-platform cap."""

from __future__ import annotations

from dataclasses import dataclass, field

from posts.errors import HashtagError
from posts.hashtags import normalize_hashtag
from posts.platforms import RULES

# Caps a campaign gets without asking. X and Threads read best with few tags (Threads makes one
# topic tag per post); Instagram allows 30. Every other network: no cap.
DEFAULT_CAPS: dict[str, int] = {"x": 2, "threads": 1, "instagram": 30}


@dataclass(frozen=True)
class HashtagPlan:
    """``campaign`` tags go on every post (the first is the campaign tag: it survives any cap);
    ``sets`` rotate over the posts (post ``i`` gets ``sets[i % len(sets)]``) so recycled posts vary;
    ``caps`` holds the campaign's per-platform caps over ``DEFAULT_CAPS``."""

    campaign: list[str] = field(default_factory=list)
    sets: list[list[str]] = field(default_factory=list)
    caps: dict[str, int] = field(default_factory=dict)

    def cap(self, platform: str) -> int | None:
        return self.caps.get(platform, DEFAULT_CAPS.get(platform))

    def for_post(self, index: int, platform: str) -> list[str]:
        """The tags of post ``index`` (0-based) on ``platform``: campaign tags, then its set, no
        duplicates (case-insensitive), cut to the platform's cap."""
        chosen = list(self.campaign) + (list(self.sets[index % len(self.sets)]) if self.sets else [])
        seen: set[str] = set()
        unique = []
        for tag in chosen:
            if tag.lower() not in seen:
                seen.add(tag.lower())
                unique.append(tag)
        cap = self.cap(platform)
        return unique if cap is None else unique[:cap]


def parse_sets(value: object, where: str) -> list[list[str]]:
    """``[["#a", "#b"], ["#c"]]`` -> normalized sets; HashtagError naming ``where[i]`` otherwise."""
    if not isinstance(value, list) or not all(isinstance(item, list) and item for item in value):
        raise HashtagError("must be a list of non-empty lists of hashtags, such as [[\"#backpain\"], [\"#wellness\"]]",
                           where)
    sets = []
    for number, tags in enumerate(value):
        if not all(isinstance(tag, str) for tag in tags):
            raise HashtagError("hashtags must be strings", f"{where}[{number}]")
        sets.append([normalize_hashtag(tag, f"{where}[{number}]") for tag in tags])
    return sets


def parse_caps(value: object, where: str) -> dict[str, int]:
    """``{x = 2, instagram = 20}`` -> caps; refuses unknown platforms and caps above a network's own."""
    if not isinstance(value, dict):
        raise HashtagError("must be a table of platform = number, such as { x = 2, instagram = 20 }", where)
    caps = {}
    for platform, cap in value.items():
        here = f"{where}.{platform}"
        if platform not in RULES:
            raise HashtagError(f"unknown platform {platform!r} (one of {', '.join(sorted(RULES))})", here)
        if isinstance(cap, bool) or not isinstance(cap, int) or cap < 1:
            raise HashtagError(f"must be a whole number of at least 1, not {cap!r}", here)
        network = RULES[platform].max_hashtags
        if network is not None and cap > network:
            raise HashtagError(f"{cap} is over {platform}'s own limit of {network} hashtag(s)", here)
        caps[platform] = cap
    return caps
