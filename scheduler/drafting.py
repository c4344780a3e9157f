"""A campaign's article -> its checked drafts: the benefit points, rendered and compiled for each channel."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from posts.article import Article, detect_format, parse_article
from posts.benefits import Extraction, extract
from posts.claims import ClaimError
from posts.curation import curate
from posts.drafts import Channel, ContentItem, Draft, ImageError, build_drafts, content_items
from posts.errors import ArticleError
from posts.platforms import RULES
from posts.render import Renderer
from scheduler.campaign import Campaign
from scheduler.config import Settings
from scheduler.errors import ConfigError
from scheduler.publishers import publisher_class
from scheduler.publishers.base import check_credentials


@dataclass(frozen=True)
class Content:
    """What every draft of a campaign is rendered from."""

    extraction: Extraction
    renderer: Renderer
    items: list[ContentItem]


def read_extraction(
    path: str, source_name: str | None = None, session: Any = None, timeout: float | None = None
) -> Extraction:
    """Benefit points of the article at ``path``: a .txt, .md or .html file, or an http(s) URL.

    A URL is fetched with the caller's ``session`` (a requests.Session: the CLI edge makes and closes it) and
    ``timeout`` seconds (the CLI passes SCHEDULER_HTTP_TIMEOUT); errors name the URL.
    """
    return extract(read_article(path, source_name, session, timeout))


def read_article(path: str, source_name: str | None = None, session: Any = None, timeout: float | None = None) -> Article:
    """The parsed article at ``path`` (see ``read_extraction``)."""
    from scheduler.fetch import fetch_article, is_url

    if is_url(str(path)):
        if session is None or timeout is None:
            raise ValueError("fetching an article by URL needs the caller's session and timeout")
        url = str(path).strip()
        text, fmt = fetch_article(url, session, timeout)
        return parse_article(text, source_name or url, fmt)
    try:
        text = open(path, encoding="utf-8").read()
    except FileNotFoundError:
        raise ArticleError("article file not found", source_name or path) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ArticleError(f"cannot read the article: {error.__class__.__name__}", source_name or path) from None
    # The format comes from the file's name, never from the label used in messages (which ends in ")").
    return parse_article(text, source_name or path, detect_format(str(path)))


def campaign_extraction(campaign: Campaign) -> Extraction:
    """The campaign article's points and techniques, with the clinic's ``[points]`` corrections applied."""
    article = read_article(str(campaign.article_path), _article_label(campaign))
    return curate(extract(article), article, campaign.curation, f"{campaign.path}: points")


def prepare_drafts(campaign: Campaign, settings: Settings) -> list[Draft]:
    """Every check that needs no database: credentials, article, templates, per-platform fit, images
    (Instagram), and the health-claims guard (``[guard] mode = "block"`` refuses the first flagged post)."""
    return prepare(campaign, settings)[1]


def prepare(campaign: Campaign, settings: Settings) -> tuple[Content, list[Draft]]:
    """``prepare_drafts``, also returning what recycling renders repeats from."""
    for channel in campaign.channels:
        check_credentials(publisher_class(channel.platform), channel.name, settings, f"{campaign.path}: campaign.channels")
    extraction = campaign_extraction(campaign)
    renderer = Renderer(campaign.template_dirs)
    try:
        drafts = build_drafts(extraction, campaign.spec, campaign.channels, renderer)
    except ImageError as error:
        raise ImageError(error.message, f"{campaign.path}: templates.images ({error.where})") from None
    content = Content(extraction, renderer, content_items(extraction, campaign.spec))
    if campaign.spec.guard.mode == "block":
        for draft in drafts:
            if draft.claims:
                raise ClaimError(f"blocked by [guard] mode = \"block\": {draft.claims[0].describe()}",
                                 f"{campaign.path}: {draft.where}")
    return content, drafts


def preview_drafts(campaign: Campaign, platform: str | None = None) -> list[Draft]:
    """The campaign's posts as ``preview`` shows them: on its channels, or on ``platform`` alone
    (whether or not the campaign uses it). No credentials, no database, nothing refused: a post
    that does not fit carries its ``error`` and the guard's findings are shown, never raised."""
    channels = campaign.channels
    if platform is not None:
        if platform not in RULES:
            raise ConfigError(f"unknown platform {platform!r} (one of {', '.join(sorted(RULES))})", "--platform")
        channels = [channel for channel in campaign.channels if channel.platform == platform] or [Channel(platform, platform)]
    extraction = campaign_extraction(campaign)
    drafts = build_drafts(extraction, campaign.spec, channels, Renderer(campaign.template_dirs), strict=False)
    order = {channel.name: number for number, channel in enumerate(channels)}
    return sorted(drafts, key=lambda draft: (draft.index, order[draft.channel]))


def _article_label(campaign: Campaign) -> str:
    return f"{campaign.path}: campaign.article ({campaign.article_path})"
