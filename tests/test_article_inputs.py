"""Article inputs: .txt, .md, .html (through trafilatura) and http(s) URLs (never the internet)."""

from __future__ import annotations

import http.server
import json
import threading
from pathlib import Path

import pytest
import requests
import responses

from posts.article import parse_article
from posts.benefits import extract
from posts.errors import ArticleError
from scheduler.cli import main
from scheduler.fetch import fetch_article, is_url
from scheduler.planner import read_extraction

ARTICLES = Path(__file__).resolve().parent / "articles"

PAGE = """<!doctype html><html><head><title>Acupressure at Home | Clinic Blog</title></head><body>
<nav><a href="/">Home</a> <a href="/book">Book now</a></nav>
<div class="cookie">We use cookies. Accept?</div>
<article><h1>Acupressure at Home</h1>
<p>Acupressure is the practice of pressing firmly on chosen points of the body with the fingers, without needles.
People use it between clinic visits for tension and poor sleep.</p>
<h2>Benefits of acupressure</h2>
<ul><li>Eases tension headaches</li><li>Improves sleep on restless nights</li></ul>
<p>Popular techniques include palm pressing, thumb walking and finger kneading.</p>
</article>
<footer><p>&copy; 2026 Clinic. Sign up to our newsletter for tips that help reduce stress.</p></footer>
</body></html>"""


def _points(article) -> list[str]:
    return [b.point for b in extract(article).benefits]


def test_html_goes_through_the_main_content_extractor_keeping_headings_and_lists():
    article = parse_article(PAGE, "page.html")
    assert article.title == "Acupressure at Home"
    assert "cookies" not in article.body and "newsletter" not in article.body and "Book now" not in article.body
    items = [s for s in article.sentences if s.list_item]
    assert [s.text for s in items] == ["Eases tension headaches", "Improves sleep on restless nights"]
    assert all(s.headings == ("Benefits of acupressure",) for s in items)
    extraction = extract(article)
    assert [b.point for b in extraction.benefits] == ["eases tension headaches", "improves sleep on restless nights"]
    assert extraction.types == ["palm pressing", "thumb walking", "finger kneading"]


def test_markdown_escapes_from_the_html_extractor_are_undone():
    article = parse_article("# T\n\n- Yoga helps you sleep \\*deeper\\* \\[1\\].\n", "a.md")
    assert article.sentences[0].text == "Yoga helps you sleep *deeper* [1]."


def test_unparseable_html_falls_back_to_the_stdlib_parser():
    article = parse_article("<p>Heat can ease stiff joints.</p><p>More heat can relax tight muscles.</p>", "x.html")
    assert "Heat can ease stiff joints." in article.body


@pytest.mark.parametrize("name", ["heat_therapy_page.html", "sports_massage_page.html"])
def test_saved_pages_lose_their_navigation_and_footer(name):
    article = parse_article((ARTICLES / name).read_text(encoding="utf-8"), name)
    for noise in ("Privacy", "All rights reserved", "Share this post", "Newsletter", "Our team", "cookies"):
        assert noise not in article.body


def test_each_sentence_knows_its_line_and_heading_chain():
    article = parse_article("# Title\n\n## Benefits\n\n### Less pain\n\nIt hurts less. Really.\n", "a.md")
    first, second = article.sentences[-2:]
    assert first.headings == ("Benefits", "Less pain") and first.line == second.line
    assert not first.list_item


def test_is_url():
    assert is_url("https://clinic.example/a") and is_url("HTTP://x.test")
    assert not is_url("article.md") and not is_url("ftp://x.test/a")


class _Handler(http.server.BaseHTTPRequestHandler):
    pages: dict[str, tuple[int, str, bytes]] = {}

    def do_GET(self):  # noqa: N802 - the http.server API
        status, content_type, body = self.pages.get(self.path, (404, "text/plain", b"not here"))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    _Handler.pages = {
        "/post": (200, "text/html; charset=utf-8", PAGE.encode("utf-8")),
        "/notes.md": (200, "text/markdown", b"# Cold Therapy\n\n- Cold therapy can reduce swelling.\n"),
        "/gone": (410, "text/html", b"<p>gone</p>"),
        "/image": (200, "image/png", b"\x89PNG"),
    }
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def test_url_is_fetched_through_the_given_session(server):
    with requests.Session() as session:
        extraction = read_extraction(f"{server}/post", session=session, timeout=5)
    assert extraction.title == "Acupressure at Home"
    assert [b.point for b in extraction.benefits] == ["eases tension headaches", "improves sleep on restless nights"]


def test_markdown_served_as_markdown(server):
    with requests.Session() as session:
        text, fmt = fetch_article(f"{server}/notes.md", session, 5)
    assert fmt == "md" and text.startswith("# Cold Therapy")


@pytest.mark.parametrize("path, message", [
    ("/gone", "cannot fetch the article: HTTP 410 Gone"),
    ("/image", "cannot use the article: the server sent image/png, not text or HTML"),
])
def test_http_failures_are_one_line_naming_the_url(server, path, message):
    with requests.Session() as session, pytest.raises(ArticleError) as caught:
        read_extraction(f"{server}{path}", session=session, timeout=5)
    assert str(caught.value) == f"{server}{path}: {message}"


def test_refused_connection_names_the_url():
    with socket_closed_port() as url, requests.Session() as session, pytest.raises(ArticleError) as caught:
        read_extraction(url, session=session, timeout=2)
    assert str(caught.value) == f"{url}: cannot fetch the article: ConnectionError"


class socket_closed_port:  # noqa: N801 - used as a context manager
    def __enter__(self) -> str:
        import socket

        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        sock.close()  # nothing listens there now
        return f"http://127.0.0.1:{self.port}/a"

    def __exit__(self, *exc) -> None:
        return None


@responses.activate
def test_timeout_is_passed_and_reported():
    url = "https://clinic.example/slow"
    responses.add(responses.GET, url, body=requests.exceptions.ReadTimeout("slow"))
    with requests.Session() as session, pytest.raises(ArticleError) as caught:
        read_extraction(url, session=session, timeout=7)
    assert str(caught.value) == f"{url}: cannot fetch the article: no answer within 7 s"
    assert responses.calls[0].request.req_kwargs["timeout"] == 7


def test_cli_extract_accepts_a_url(server, capsys):
    code = main(["extract", f"{server}/post", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert data["title"] == "Acupressure at Home"
    assert set(data["benefits"][0]) == {"point", "evidence", "start", "end"}
    assert data["types"] == ["palm pressing", "thumb walking", "finger kneading"]


def test_cli_extract_url_failure_is_one_line_exit_2(server, capsys):
    code = main(["extract", f"{server}/gone"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and f"{server}/gone" in err and "HTTP 410" in err


def test_a_campaign_article_is_parsed_by_its_file_name_not_by_its_label():
    from pathlib import Path

    from scheduler.drafting import read_extraction

    sample = Path(__file__).resolve().parents[1] / "scheduler" / "sample" / "article.md"
    extraction = read_extraction(str(sample), "campaign.toml: campaign.article (article.md)")
    assert extraction.title == "How Massage Therapy Can Ease Sciatica"  # a Markdown heading, not "# How …"


def test_a_url_needs_the_callers_session_and_timeout(server):
    with pytest.raises(ValueError, match="session and timeout"):
        read_extraction(f"{server}/post")  # the library never opens a session itself
    with requests.Session() as session, pytest.raises(ValueError, match="session and timeout"):
        read_extraction(f"{server}/post", session=session)


@responses.activate
def test_cli_extract_fetches_with_the_timeout_from_settings(monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(tmp_path)  # no .env
    monkeypatch.setenv("SCHEDULER_HTTP_TIMEOUT", "7")
    url = "https://clinic.example/slow"
    responses.add(responses.GET, url, body=requests.exceptions.ReadTimeout("slow"))

    code = main(["extract", url])

    assert code == 2 and "no answer within 7 s" in capsys.readouterr().err
    assert responses.calls[0].request.req_kwargs["timeout"] == 7.0
