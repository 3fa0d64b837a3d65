"""Every error policykg raises on purpose, in one catalogue (as spaCy keeps its errors).

All are PolicykgError, so a caller catches them as one kind and the CLI answers each with one line
(`policykg: error: …`). The message says what is wrong and, where one is involved, names the file,
store or document. Anything else that escapes is a bug, not bad input.
"""
from __future__ import annotations


class PolicykgError(Exception):
    """Bad input or a state policykg cannot work with; the message is for the user."""


class ReadError(PolicykgError):
    """A file that cannot be read as a policy document. str() is one line naming file and reason."""

    def __init__(self, path, reason: str):
        self.path, self.reason = str(path), reason
        super().__init__(f"{path}: {reason}")

    def __reduce__(self):
        # rebuilt from both fields when it crosses from a worker process (the default would call
        # ReadError(message) and fail, which leaves a process pool waiting forever)
        return ReadError, (self.path, self.reason)


class StoreError(PolicykgError):
    """A store could not be opened or used; the message names the store and the reason."""


class QueryError(PolicykgError):
    """A query (named, Cypher or SPARQL) is wrong or was refused; the engine's reason on one line."""


class ViewError(PolicykgError):
    """A picture was asked for that cannot be drawn as asked (missing parameter, too big a view)."""


class FontError(PolicykgError):
    """No Chinese font for a static picture; the message says what to install."""


class ExportError(PolicykgError):
    """The graph could not be written as RDF."""


class NotFoundError(QueryError, ViewError, LookupError):
    """A document, department, task or named query the store does not hold. One kind, whichever
    command asked (a query parameter, a trace, a view)."""


def first_line(error: BaseException) -> str:
    """The first non-blank line of an error's message (engines write several), or its type's name."""
    lines = [line.strip() for line in str(error).strip().splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


__all__ = [
    "ExportError",
    "FontError",
    "NotFoundError",
    "PolicykgError",
    "QueryError",
    "ReadError",
    "StoreError",
    "ViewError",
    "first_line",
]
