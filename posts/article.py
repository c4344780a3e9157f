"""Turn an article's text (plain text, Markdown or a saved web page) into a title and sentences.

Offsets (``start``/``end``) always refer to ``Article.body``, so a benefit point can say
exactly where its evidence sits. Each sentence also knows the headings above it, its line
(paragraph or list item) and whether that line was a list item, so the extractor can use
the article's structure.

HTML goes through trafilatura (main-content extraction: drops navigation, sidebars, cookie
banners and footers, keeps headings and list items) and then through the Markdown path. The
small stdlib parser below is only the fallback for when trafilatura finds no main content
(or is not installed). Everything here is pure string work: no network, files or clock.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from posts.errors import ArticleError

FORMATS = ("txt", "md", "html")

_ABBREVIATIONS = {"e.g", "i.e", "dr", "mr", "mrs", "ms", "vs", "etc", "approx", "st", "no", "fig"}
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+|$)")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")
# Bullets, numbers and the tick marks and arrows of social-style checklists.
_MD_LIST = re.compile(r"^\s*(?:[-*+•▪◦✓✔☑✅➤→]|\d+[.)])\s+")
_TXT_LIST = re.compile(r"^\s*(?:[-*•▪◦✓✔☑✅➤→]|\d+[.)])\s+")
# A Markdown table row, and the |---|---| line under its header.
_TABLE_ROW = re.compile(r"^\s*\|(?P<cells>.*)\|\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?[\s:|-]+\|?\s*$")
_ESCAPED = 0xE000  # private-use code points stand in for escaped ASCII while Markdown is stripped
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~<])")
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
# A scraped page may put its hashtags in front of the "Title:" label.
_TITLE_PREFIX = re.compile(r"^\s*(?:#\w+\s+)*title\s*:\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int
    heading: str | None = None  # the nearest heading above, when the article has headings
    headings: tuple[str, ...] = ()  # every heading above it, outermost first (h1 excluded when it is the title)
    line: int = -1  # index of its line (a paragraph, list item or heading) in the body
    list_item: bool = False  # the line was a bullet or numbered list item
    is_heading: bool = False  # the line was a heading: context for the sentences below, never a point itself
    lead: str | None = None  # what introduces its list item: "What regulars notice:", a table's header row
    bold_lead: bool = False  # its line opens with a bold phrase that ends a sentence: "**Knees get a break.** …"


@dataclass(frozen=True)
class Article:
    title: str
    body: str
    source: str
    sentences: list[Sentence] = field(default_factory=list)


def detect_format(name: str) -> str:
    lowered = name.lower()
    if lowered.endswith((".md", ".markdown")):
        return "md"
    if lowered.endswith((".html", ".htm")):
        return "html"
    return "txt"


def parse_article(text: str, source: str, fmt: str | None = None) -> Article:
    """Parse an article; ``source`` names it in errors (usually its path)."""
    fmt = fmt or detect_format(source)
    if fmt not in FORMATS:
        raise ArticleError(f"unknown article format {fmt!r} (expected one of {', '.join(FORMATS)})", source)
    if not text.strip():
        raise ArticleError("the article is empty", source)
    lines = _lines_for(text, fmt)
    title, lines = _take_title(lines)
    body, sentences = _sentences(lines)
    if not sentences:
        raise ArticleError("the article has no sentences", source)
    return Article(title=title or sentences[0].text[:80], body=body, source=source, sentences=sentences)


@dataclass
class _Line:
    text: str
    is_heading: bool = False
    is_list: bool = False
    level: int = 0  # heading level (1-6); 0 for other lines
    lead: str | None = None  # what introduces a list item: "What regulars notice:", a table's header row
    bold_lead: bool = False  # the line opens with a bold sentence or label: "**Knees get a break.** The poles …"


# "**Knees get a break.** The poles …", "**Sleep:** …": a bold run that ends in a stop, colon or dash.
_BOLD_LEAD = re.compile(r"^\s*(\*\*|__)[^*_]+?(?:[.:!?]\1|\1\s*[.:!?—–-])")


def _lines_for(text: str, fmt: str) -> list[_Line]:
    if fmt == "html":
        return _html_lines(text)
    if fmt == "md":
        return _markdown_lines(text)
    lines: list[_Line] = []
    for raw in text.splitlines():
        bullet = _TXT_LIST.match(raw)
        content = raw[bullet.end():].strip() if bullet else raw.strip()
        if content:
            lines.append(_Line(content, is_list=bool(bullet)))
    return lines


def _markdown_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    header: list[str] | None = None  # the current table's column names
    for raw in text.splitlines():
        row = _TABLE_ROW.match(raw)
        if row:
            header = _table_line(lines, row["cells"], header, raw)
            continue
        header = None
        if not raw.strip() or raw.strip().startswith(("```", "---", "***")):
            continue
        heading = _MD_HEADING.match(raw)
        listed = None if heading else _MD_LIST.match(raw)
        content = heading.group(2) if heading else raw[listed.end():] if listed else raw
        bold_lead = not heading and bool(_BOLD_LEAD.match(content))
        # Escaped characters ("\\*" from trafilatura) are set aside so emphasis and links ignore them.
        content = _MD_ESCAPE.sub(lambda m: chr(_ESCAPED + ord(m.group(1))), content)
        content = _MD_EMPHASIS.sub(r"\2", _MD_LINK.sub(r"\1", content))
        content = re.sub(f"[{chr(_ESCAPED)}-{chr(_ESCAPED + 127)}]", lambda m: chr(ord(m.group()) - _ESCAPED),
                         content).strip()
        if content:
            lines.append(_Line(content, is_heading=bool(heading), is_list=bool(listed),
                               level=len(heading.group(1)) if heading else 0, bold_lead=bold_lead))
    return lines


def _table_line(lines: list[_Line], cells_text: str, header: list[str] | None, raw: str) -> list[str] | None:
    """Each row of a table reads as a "first cell: the other cells" list item led by the header row ("Goal — What
    the exercises do"), so a row of a benefits table is a labelled benefit with its header as context."""
    if _TABLE_RULE.match(raw):
        return header
    cells = [_MD_EMPHASIS.sub(r"\2", cell.strip()) for cell in cells_text.split("|")]
    cells = [cell for cell in cells if cell]
    if not cells:
        return header
    if header is None:
        return cells
    text = cells[0] if len(cells) == 1 else f"{cells[0]}: {' '.join(cells[1:])}"
    lines.append(_Line(text, is_list=True, lead=" — ".join(header)))
    return header


class _HtmlText(HTMLParser):
    _BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "div", "br", "tr", "blockquote", "title"}
    _SKIP = {"script", "style", "nav", "footer", "header", "aside", "form", "noscript"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[_Line] = []
        self._buffer: list[str] = []
        self._skip_depth = 0
        self._heading = False
        self.title: str | None = None
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self._SKIP:
            self._skip_depth += 1
        elif tag in self._BLOCKS:
            self._flush()
            self._heading = tag in {"h1", "h2", "h3", "h4", "h5", "h6"}
            self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in self._BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self._buffer.append(data)

    def _flush(self) -> None:
        content = " ".join("".join(self._buffer).split())
        self._buffer = []
        if content and self._in_title:
            self.title = content
        elif content:
            self.lines.append(_Line(html.unescape(content), is_heading=self._heading))
        self._heading = self._in_title = False


def _html_lines(text: str) -> list[_Line]:
    markdown = _main_content_markdown(text)
    if markdown:
        return _markdown_lines(markdown)
    return _stdlib_html_lines(text)


def _main_content_markdown(text: str) -> str | None:
    """The page's main content as Markdown (headings and lists kept), or None to fall back."""
    try:
        import trafilatura
        from trafilatura.settings import use_config
    except ImportError:  # pragma: no cover - trafilatura is a dependency; the fallback still works
        return None
    config = use_config()
    # A short page (a clinic's one-paragraph post) is still an article: no minimum size.
    for key in ("MIN_EXTRACTED_SIZE", "MIN_OUTPUT_SIZE"):
        config.set("DEFAULT", key, "1")
    try:
        markdown = trafilatura.extract(
            text, output_format="markdown", include_formatting=True, include_links=False,
            include_images=False, include_comments=False, include_tables=True, config=config,
        )
        title = trafilatura.extract_metadata(text).title if markdown else None
    except Exception:  # a page lxml cannot parse: the stdlib parser is more forgiving
        return None
    if not markdown or not markdown.strip():
        return None
    if title and not markdown.lstrip().startswith("#"):
        markdown = f"# {title}\n\n{markdown}"
    return markdown


def _stdlib_html_lines(text: str) -> list[_Line]:
    parser = _HtmlText()
    parser.feed(text)
    parser.close()
    parser._flush()
    lines = parser.lines
    if parser.title and not (lines and lines[0].is_heading):
        lines.insert(0, _Line(parser.title, is_heading=True))
    return lines


def _take_title(lines: list[_Line]) -> tuple[str | None, list[_Line]]:
    """The first heading, a 'Title:' line, or a short first line without final punctuation."""
    for index, line in enumerate(lines[:3]):
        match = _TITLE_PREFIX.match(line.text)
        if match:
            rest = line.text[match.end():]
            title, _, remainder = _split_title_line(rest)
            kept = [_Line(remainder)] if remainder else []
            return title, lines[:index] + kept + lines[index + 1:]
    if lines and lines[0].is_heading:
        return lines[0].text, lines[1:]
    if len(lines) > 1 and len(lines[0].text) <= 120 and not lines[0].text.endswith((".", "!", "?")):
        return lines[0].text, lines[1:]
    return None, lines


def _split_title_line(rest: str) -> tuple[str, str, str]:
    # A 'Title: ...' line may run straight into the first paragraph with no line break;
    # the title ends where a capitalised word follows a run of title-cased words.
    words = rest.split()
    cut = len(words)
    for i in range(2, len(words)):
        if words[i - 1][:1].isupper() and words[i][:1].isupper() and _looks_like_sentence_start(words, i):
            cut = i
            break
    return " ".join(words[:cut]), " ", " ".join(words[cut:])


def _looks_like_sentence_start(words: list[str], i: int) -> bool:
    # "… for Sciatica Sciatica is a common …": the next word after the candidate is lower case.
    return i + 1 < len(words) and words[i + 1][:1].islower() and words[i + 1] not in {"of", "for", "and", "the"}


def _with_leads(lines: list[_Line]) -> list[_Line]:
    """A line ending in a colon leads the list items right below it ("What regulars tell us they notice:")."""
    lead: str | None = None
    out: list[_Line] = []
    for line in lines:
        if line.is_list and lead and not line.lead:
            line = _Line(line.text, is_list=True, lead=lead, bold_lead=line.bold_lead)
        elif not line.is_list:
            lead = line.text.rstrip(":").strip() if line.text.endswith(":") and not line.is_heading else None
        out.append(line)
    return out


def _sentences(lines: list[_Line]) -> tuple[str, list[Sentence]]:
    lines = _with_leads(lines)
    body_parts: list[str] = []
    sentences: list[Sentence] = []
    offset = 0
    heading: str | None = None
    stack: list[tuple[int, str]] = []  # (level, text) of the headings above
    for index, line in enumerate(lines):
        if line.is_heading:
            heading = line.text
            level = line.level or 2
            stack = [(lvl, text) for lvl, text in stack if lvl < level] + [(level, line.text)]
        above = () if line.is_heading else tuple(text for _, text in stack)
        for start, end in _split_line(line.text):
            piece = line.text[start:end]
            sentences.append(Sentence(piece, offset + start, offset + end, None if line.is_heading else heading,
                                      headings=above, line=index, list_item=line.is_list, lead=line.lead,
                                      is_heading=line.is_heading, bold_lead=line.bold_lead and start == 0))
        body_parts.append(line.text)
        offset += len(line.text) + 1
    return "\n".join(body_parts), sentences


def _split_line(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        if _is_abbreviation(text[start:match.start()]) or not _next_starts_sentence(text, end):
            continue
        spans.append(_strip_span(text, start, end))
        start = end
    if text[start:].strip():
        spans.append(_strip_span(text, start, len(text)))
    return [span for span in spans if span[1] > span[0]]


def _is_abbreviation(before: str) -> bool:
    last = before.rsplit(None, 1)[-1].lower() if before.strip() else ""
    return last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha())


def _next_starts_sentence(text: str, end: int) -> bool:
    rest = text[end:].lstrip()
    return not rest or not rest[0].islower()


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
