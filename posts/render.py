"""Render post templates. Templates are user files, so they run sandboxed and strict."""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from posts.errors import TemplateError

TEMPLATE_SUFFIX = ".j2"


class Renderer:
    """Looks a template up in each folder of ``search_paths`` in turn (workspace first).

    A platform override ``<platform>/<name>.j2`` wins over the shared ``<name>.j2``.
    """

    def __init__(self, search_paths: list[Path]) -> None:
        self.search_paths = [Path(p) for p in search_paths]
        self._env = SandboxedEnvironment(
            loader=jinja2.FileSystemLoader([str(p) for p in self.search_paths]),
            undefined=jinja2.StrictUndefined,
            autoescape=False,  # posts are plain text, not HTML
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            auto_reload=False,  # a run never sees a template change: no os.stat per {% import %}
        )
        # (name, platform) -> the resolved template: templates do not change during a run, and each look-up is
        # several os.stat calls (Jinja2's auto_reload) over the folders and the platform override.
        self._resolved: dict[tuple[str, str], jinja2.Template] = {}

    def template_file(self, name: str, platform: str) -> str:
        """The template file that ``name`` resolves to for ``platform`` (for messages and checks)."""
        return self._load(name, platform).filename or name

    def render(self, name: str, platform: str, context: dict[str, Any]) -> str:
        template = self._load(name, platform)
        try:
            text = template.render(**context)
        except jinja2.TemplateError as error:
            raise TemplateError(_describe(error), _where_in_traceback(error, template)) from None
        return _tidy(text)

    def _load(self, name: str, platform: str) -> jinja2.Template:
        template = self._resolved.get((name, platform))
        if template is None:
            template = self._resolved[name, platform] = self._resolve(name, platform)
        return template

    def _resolve(self, name: str, platform: str) -> jinja2.Template:
        candidates = [f"{platform}/{name}{TEMPLATE_SUFFIX}", f"{name}{TEMPLATE_SUFFIX}"]
        try:
            return self._env.get_template(self._env.select_template(candidates).name)
        except jinja2.TemplateSyntaxError as error:
            where = f"{error.filename or error.name}:{error.lineno}"
            raise TemplateError(f"template syntax error: {error.message}", where) from None
        except jinja2.TemplatesNotFound:
            folders = ", ".join(str(p) for p in self.search_paths)
            raise TemplateError(f"no template named {name!r} in {folders}", f"templates/{name}{TEMPLATE_SUFFIX}") from None


def _describe(error: jinja2.TemplateError) -> str:
    if isinstance(error, jinja2.UndefinedError):
        return f"undefined variable: {error.message}"
    return f"template error: {error.message or error}"


def _where_in_traceback(error: BaseException, template: jinja2.Template) -> str:
    # Jinja rewrites tracebacks so that template frames carry the template's file and line.
    filename = template.filename or template.name or "template"
    line = None
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename == filename:
            line = frame.lineno
    return f"{filename}:{line}" if line else filename


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().splitlines()]
    tidied: list[str] = []
    for line in lines:
        if line or (tidied and tidied[-1]):  # at most one blank line in a row
            tidied.append(line)
    return "\n".join(tidied)
