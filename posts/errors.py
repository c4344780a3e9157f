"""The content core's one root exception and its kinds."""

from __future__ import annotations


class Located:
    """Mixin for errors about input: a message and ``where`` it applies (file, line or field),
    so that the CLI can print exactly one line."""

    def __init__(self, message: str, where: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = where

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class ContentError(Located, Exception):
    """Bad content input: the caller should fix the named file or field, not retry."""


class ArticleError(ContentError):
    """The article is missing, empty, unreadable, or has no benefit points."""


class TemplateError(ContentError):
    """A post template has a syntax error, an undefined variable, or is missing."""


class HashtagError(ContentError):
    """A hashtag cannot become a real tag on the networks (spaces, punctuation, all digits)."""


class PostTooLongError(ContentError):
    """A compiled post does not fit its platform's limit."""
