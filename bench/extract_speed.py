"""Benefit extraction speed: ``posts.benefits.extract`` (points + named types) against a git revision's own tree.

Measured: what ``hashtag-scheduler extract ARTICLE`` does after reading the file (scheduler/drafting.py):
``extract(parse_article(text, path, detect_format(path)))``, over every labelled article in tests/articles/
(the article files that have a sibling ``*.labels.toml``). Each side runs in its own child process, its
``posts/`` tree first on sys.path: the baseline is ``git archive REV posts`` unpacked into a temporary
folder (default ``HEAD``), the current side is this working tree. Each child parses every article once
(untimed), extracts once (untimed: its predictions, and a warm-up), then on each round extracts from every
parsed article and reports the per-article time; rounds alternate which side goes first. Printed: each
round, the current tree's parse time per article (information), how many articles' predictions differ
between the two trees, and last the ratio of the medians current / baseline.

    .venv/bin/python bench/extract_speed.py [--baseline HEAD] [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parent.parent
ARTICLES = REPO / "tests" / "articles"


def corpus(folder: Path) -> list[Path]:
    """The article files of ``folder`` that have a ``<stem>.labels.toml`` beside them, sorted."""
    return sorted(path for path in folder.iterdir()
                  if not path.name.endswith(".toml") and path.with_name(path.stem + ".labels.toml").exists())


# -- the child: one tree, parse once, then time extraction on request ------------------------------


def load_api(tree: Path) -> tuple[Callable, Callable, Callable, type]:
    """``detect_format``, ``parse_article``, ``extract`` and ``ArticleError`` imported from ``tree``'s posts/."""
    sys.path.insert(0, str(tree))
    # The editable install's finder maps posts.* to this checkout: without it a module missing from an older tree
    # would be taken from the current one.
    sys.meta_path[:] = [finder for finder in sys.meta_path if "__editable__" not in getattr(finder, "__module__", "")]
    from posts.article import detect_format, parse_article
    from posts.benefits import extract
    from posts.errors import ArticleError
    return detect_format, parse_article, extract, ArticleError


def check_origin(tree: Path) -> None:
    """Fail if any posts module in use was not loaded from ``tree``."""
    for name, module in list(sys.modules.items()):
        where = getattr(module, "__file__", None) or ""
        if (name == "posts" or name.startswith("posts.")) and not Path(where).resolve().is_relative_to(tree.resolve()):
            raise ImportError(f"{name} came from {where or 'nowhere'}, not from {tree}")


def predictions(articles: list, extract: Callable, article_error: type) -> list[Any]:
    """Per article ``[points, types]``, or None where the extractor finds no benefit (ArticleError)."""
    found: list[Any] = []
    for article in articles:
        try:
            extraction = extract(article)
        except article_error:
            found.append(None)
            continue
        found.append([[b.point for b in extraction.benefits], list(extraction.types)])
    return found


def timed(run: Callable[[], object], count: int) -> float:
    """Milliseconds per article of one ``run()`` over ``count`` articles."""
    started = time.perf_counter()
    run()
    return (time.perf_counter() - started) * 1000 / count


def child(tree: Path, articles_folder: Path) -> None:
    """Answer one JSON line at start (predictions) and one per ``round`` line read from stdin."""
    def send(message: dict) -> None:
        print(json.dumps(message), flush=True)

    try:
        detect_format, parse_article, extract, article_error = load_api(tree)
        files = [(path.read_text(encoding="utf-8"), str(path), detect_format(str(path))) for path in corpus(articles_folder)]
        articles = [parse_article(*file) for file in files]
        found = predictions(articles, extract, article_error)
        check_origin(tree)
    except Exception as error:  # an older tree: another API, or an extractor that fails on today's corpus
        send({"error": f"{error.__class__.__name__}: {error}"})
        return
    send({"predictions": found})
    for line in sys.stdin:
        if line.strip() == "round":
            parse_ms = timed(lambda: [parse_article(*file) for file in files], len(files))
            extract_ms = timed(lambda: predictions(articles, extract, article_error), len(articles))
            send({"extract_ms": extract_ms, "parse_ms": parse_ms})


# -- the parent: export the baseline, start both children, alternate rounds -----------------------


def export(revision: str, into: Path) -> str:
    """Unpack ``revision``'s posts/ into ``into``; returns its short hash (exits with one line if git cannot)."""
    def git(*argv: str) -> bytes:
        return subprocess.run(["git", "-C", str(REPO), *argv], check=True, capture_output=True).stdout

    try:
        short = git("rev-parse", "--short", "--verify", f"{revision}^{{commit}}").decode().strip()
        subprocess.run(["tar", "-x", "-C", str(into)], input=git("archive", revision, "posts"), check=True,
                       capture_output=True)
    except subprocess.CalledProcessError as error:
        message = error.stderr.decode(errors="replace").strip().splitlines()
        raise SystemExit(f"cannot export posts/ at {revision!r}: {message[-1] if message else error}") from None
    return short


def start(tree: Path, label: str) -> tuple[subprocess.Popen, list[Any]]:
    """A child timing ``tree``, and its predictions (exits with one line if the tree's API differs)."""
    process = subprocess.Popen([sys.executable, __file__, "--child", str(tree), "--articles", str(ARTICLES)],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
    first = json.loads(process.stdout.readline() or '{"error": "the child exited without answering"}')
    if "error" in first:
        process.kill()
        raise SystemExit(f"{label}: cannot import or run this tree's posts API ({first['error']})")
    return process, first["predictions"]


def ask(process: subprocess.Popen) -> dict:
    process.stdin.write("round\n")
    return json.loads(process.stdout.readline())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="HEAD", help="git revision whose posts/ is the baseline (default HEAD)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--articles", type=Path, default=ARTICLES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.articles)
        return
    count = len(corpus(ARTICLES))
    with tempfile.TemporaryDirectory(prefix="extract_speed_") as folder:
        short = export(args.baseline, Path(folder))
        sides = {"baseline": start(Path(folder), f"baseline {args.baseline} ({short})"), "current": start(REPO, "current tree")}
        differ = sum(a != b for a, b in zip(sides["baseline"][1], sides["current"][1]))
        times: dict[str, list[dict]] = {"baseline": [], "current": []}
        for round_ in range(args.rounds):
            order = ["baseline", "current"] if round_ % 2 == 0 else ["current", "baseline"]
            for side in order:
                times[side].append(ask(sides[side][0]))
            print(f"round {round_ + 1} ({order[0]} first): baseline {times['baseline'][-1]['extract_ms']:.3f} ms, "
                  f"current {times['current'][-1]['extract_ms']:.3f} ms per article", flush=True)
        for process, _ in sides.values():
            process.stdin.close()
            process.wait()
    base, cost = (statistics.median(t["extract_ms"] for t in times[side]) for side in ("baseline", "current"))
    parse = statistics.median(t["parse_ms"] for t in times["current"])
    print(f"{count} labelled articles, {args.rounds} rounds; parse (current tree, information): {parse:.3f} ms per article")
    print(f"predictions (points and types) that differ between baseline {args.baseline} ({short}) and current: "
          f"{differ} of {count} articles")
    print(f"median extraction per article: baseline {base:.3f} ms, current {cost:.3f} ms")
    print(f"ratio (current / baseline {args.baseline}): {cost / base:.2f}")


if __name__ == "__main__":
    main()
