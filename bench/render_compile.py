"""Issue 7, target 6: compiling and validating 10,000 posts costs at most 2x rendering the same templates with bare Jinja2.

Measured: what the planner does for each post (posts/drafts.py): ``Renderer.render(template, platform,
context)`` (sandboxed, strict, per-platform lookup, tidied), ``Renderer.template_file`` (the file named
in messages), then ``compile_post(platform, text, where)`` (the network's count, limits and payload).
The templates are the package's defaults (templates/benefit.j2, question.j2), the platforms mastodon,
bluesky, x, linkedin, telegram and outbox, in turn. Baseline: a plain ``jinja2.Environment`` with the
same whitespace options and a FileSystemLoader on the same folder renders the same template files
(looked up and compiled once, before the clock starts; imports such as _macros.j2 as Jinja2 does them)
with the same contexts. Rounds alternate which side goes first; medians compared; ratio last.

``--breakdown`` also times, in alternated rounds against the same baseline, the two halves of the measured side
alone: ``Renderer.render`` (+ ``template_file``) of every post, and ``compile_post`` of every post rendered
beforehand (their sum is below the measured figure: run one after the other per post, they share the caches).

    .venv/bin/python bench/render_compile.py [--posts 10000] [--rounds 5] [--platforms mastodon,x] [--profile]
                                             [--breakdown]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import time
from importlib import resources
from pathlib import Path

import jinja2

from posts.compile import compile_post
from posts.render import Renderer

PLATFORMS = ["mastodon", "bluesky", "x", "linkedin", "telegram", "outbox"]
TEMPLATES = ["benefit", "question"]
POINTS = ["reduces muscle tension in the lower back", "eases sciatic nerve pain 🌿", "improves sleep after a long week",
          "helps you move more freely — même après une longue journée", "lowers stress and anxiety"]


def contexts(count: int, platforms: list[str]) -> list[tuple[str, str, dict]]:
    jobs = []
    for i in range(count):
        platform = platforms[i % len(platforms)]
        jobs.append((TEMPLATES[(i // len(platforms)) % len(TEMPLATES)], platform, {
            "topic": "Massage therapy", "condition": "sciatica", "hashtags": ["#massagetherapy", "#sciatica"],
            "article": {"title": "Massage therapy for sciatica", "url": f"https://riversideclinic.com/blog/sciatica?p={i}"},
            "clinic": {"name": "Riverside Massage Clinic", "booking_url": "https://riversideclinic.com/book"},
            "platform": platform, "channel": platform,
            "benefit": {"point": f"{POINTS[i % len(POINTS)]} ({i})", "evidence": "Studies show it."},
        }))
    return jobs


def template_folder() -> Path:
    return Path(str(resources.files("scheduler.templates")))  # templates/, as the campaign loader finds it


def bare(jobs, compiled: dict[tuple[str, str], jinja2.Template]) -> float:
    started = time.perf_counter()
    for name, platform, context in jobs:
        text = compiled[name, platform].render(**context)
        if not text:
            raise SystemExit("bare Jinja2 rendered nothing")
    return time.perf_counter() - started


def measured(jobs, renderer: Renderer, profiler: cProfile.Profile | None = None) -> float:
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    for index, (name, platform, context) in enumerate(jobs):
        text = renderer.render(name, platform, context)
        where = f"{renderer.template_file(name, platform)} (benefit {index + 1}, channel {platform})"
        compile_post(platform, text, where)
    if profiler:
        profiler.disable()
    return time.perf_counter() - started


def rendering(jobs, renderer: Renderer) -> float:
    started = time.perf_counter()
    for index, (name, platform, context) in enumerate(jobs):
        renderer.render(name, platform, context)
        _ = f"{renderer.template_file(name, platform)} (benefit {index + 1}, channel {platform})"  # as measured() does
    return time.perf_counter() - started


def compiling(texts: list[tuple[str, str]]) -> float:
    started = time.perf_counter()
    for index, (platform, text) in enumerate(texts):
        compile_post(platform, text, f"(benefit {index + 1}, channel {platform})")
    return time.perf_counter() - started


def breakdown(jobs, compiled, renderer: Renderer, rounds: int) -> None:
    texts = [(platform, renderer.render(name, platform, context)) for name, platform, context in jobs]
    times: dict[str, list[float]] = {"bare Jinja2": [], "Renderer.render alone": [], "compile_post alone": []}
    sides = [("bare Jinja2", lambda: bare(jobs, compiled)),
             ("Renderer.render alone", lambda: rendering(jobs, renderer)),
             ("compile_post alone", lambda: compiling(texts))]
    for round_ in range(rounds):
        for label, run in (sides if round_ % 2 == 0 else sides[::-1]):
            times[label].append(run())
    base = statistics.median(times["bare Jinja2"])
    for label, values in times.items():
        median = statistics.median(values)
        print(f"breakdown: {label} {median:.3f} s = {median / base:.2f}x bare Jinja2")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--platforms", default=",".join(PLATFORMS), help="comma-separated (to see one platform's cost)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one extra measured round")
    parser.add_argument("--sort", default="tottime", help="cProfile sort key with --profile (tottime, cumulative)")
    parser.add_argument("--top", type=int, default=20, help="rows of the cProfile with --profile")
    parser.add_argument("--breakdown", action="store_true",
                        help="also time Renderer.render alone and compile_post alone against bare Jinja2")
    args = parser.parse_args()
    platforms = args.platforms.split(",")
    folder = template_folder()
    jobs = contexts(args.posts, platforms)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), autoescape=False, trim_blocks=True,
                             lstrip_blocks=True, keep_trailing_newline=False)
    # The same file the Renderer picks for each (template, platform): <platform>/<name>.j2, else <name>.j2.
    compiled = {(name, platform): env.select_template([f"{platform}/{name}.j2", f"{name}.j2"])
                for name in TEMPLATES for platform in platforms}
    renderer = Renderer([folder])
    bare(jobs[:200], compiled)  # warm-up: both sides compile their templates before timing
    measured(jobs[:200], renderer)
    bare_times, measured_times = [], []
    for round_ in range(args.rounds):
        sides = [lambda: bare_times.append(bare(jobs, compiled)), lambda: measured_times.append(measured(jobs, renderer))]
        for run in (sides if round_ % 2 == 0 else sides[::-1]):
            run()
        print(f"round {round_ + 1}: bare Jinja2 {bare_times[-1]:.3f} s, Renderer + compile_post {measured_times[-1]:.3f} s")
    if args.breakdown:
        breakdown(jobs, compiled, renderer, args.rounds)
    if args.profile:
        profiler = cProfile.Profile()
        measured(jobs, renderer, profiler)
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)
    base, cost = statistics.median(bare_times), statistics.median(measured_times)
    print(f"{args.posts:,} posts over {', '.join(platforms)}, median: bare Jinja2 {base:.3f} s, "
          f"Renderer + compile_post {cost:.3f} s")
    print(f"ratio (Renderer + compile_post / bare Jinja2, target <= 2): {cost / base:.2f}")


if __name__ == "__main__":
    main()
