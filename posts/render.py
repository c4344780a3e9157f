"""Render post templates. Templates are user files, so they run sandboxed and strict."""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any, MutableMapping

import jinja2
from jinja2.environment import TemplateModule
from jinja2.runtime import Macro
from jinja2.sandbox import SandboxedEnvironment

from posts.errors import TemplateError

TEMPLATE_SUFFIX = ".j2"

# Every name ``getattr`` finds on a plain dict (the type's and object's attributes; a dict has no instance dict).
_DICT_ATTRIBUTES = frozenset(dir(dict)) | frozenset(dict.__dict__) | frozenset(object.__dict__)


class _Sandbox(SandboxedEnvironment):
    """Jinja2's SandboxedEnvironment, with shortcuts where post templates spend their time, each giving what
    SandboxedEnvironment gives (tests/test_fast_counts.py compares them, and the rendered posts):

    - ``benefit.point`` on a plain ``dict`` (the campaign's context): the sandbox first asks ``getattr`` (a
      dict has no attribute ``point``: an AttributeError raised and caught, the costly part) then falls back
      to ``obj[name]``, returned without any safety check, else undefined. Names a dict does have
      (``items``...) take the sandbox's own path.
    - ``m.tags`` on an imported template module: a public name holding a ``Macro``, which the sandbox
      returns after ``wrap_str_format`` (only for ``str.format`` methods) and ``is_safe_attribute`` (for a
      name not starting with "_" on a plain object: always safe).
    - calling such a macro (see ``call``), and each template's globals as a plain dict (see ``make_globals``).
    """

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        # Jinja2 gives each template a ChainMap(template globals, environment globals) so that later changes to
        # the environment's globals show through; the Renderer never changes them once its environment exists,
        # and a plain dict of the same names and values is several times cheaper where every render reads it
        # (new_context copies it, Context lists its keys, each {% import %} compares those keys with it).
        return {**self.globals, **(d or {})}

    def getattr(self, obj: Any, attribute: str) -> Any:
        kind = type(obj)
        if kind is dict:
            if attribute not in _DICT_ATTRIBUTES:
                try:
                    return obj[attribute]
                except (TypeError, LookupError):
                    return self.undefined(obj=obj, name=attribute)
        elif kind is TemplateModule and not attribute.startswith("_"):
            value = getattr(obj, attribute, None)
            if type(value) is Macro:
                return value
        return super().getattr(obj, attribute)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # names as Jinja2's own
        # A template's own macro: SandboxedEnvironment.is_safe_callable refuses an object only when
        # ``getattr(obj, "unsafe_callable" / "alters_data", False)`` is true; Macro defines neither and
        # templates cannot set attributes, so only an instance given one by Python code goes the long way.
        if type(__obj) is Macro and _MACRO_UNFLAGGED:
            flags = __obj.__dict__
            if not (flags.get("unsafe_callable") or flags.get("alters_data")):
                return __context.call(__obj, *args, **kwargs)
        return super().call(__context, __obj, *args, **kwargs)


_MACRO_UNFLAGGED = not (getattr(Macro, "unsafe_callable", False) or getattr(Macro, "alters_data", False))


class Renderer:
    """Looks a template up in each folder of ``search_paths`` in turn (workspace first).

    A platform override ``<platform>/<name>.j2`` wins over the shared ``<name>.j2``.
    """

    def __init__(self, search_paths: list[Path]) -> None:
        self.search_paths = [Path(p) for p in search_paths]
        self._env = _Sandbox(
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
            raise TemplateError(f"no template named {name!r} in {folders}",
                                f"templates/{name}{TEMPLATE_SUFFIX}") from None


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
