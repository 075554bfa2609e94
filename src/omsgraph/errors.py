"""One exception hierarchy; each class carries the exit code the CLI uses for it."""

from __future__ import annotations

#: The longest error message: a bad input may hold a megabyte-long line, which is never echoed whole.
MAX_MESSAGE = 800


def clip(text: str, limit: int = 80) -> str:
    """``text`` on one line, cut in the middle to at most ``limit`` characters."""
    flat = " ".join(str(text).split())
    if len(flat) <= limit:
        return flat
    half = (limit - 1) // 2
    return flat[:half] + "…" + flat[len(flat) - (limit - 1 - half) :]


def one_line(message: str) -> str:
    """The message on one line and at most MAX_MESSAGE long, keeping its start (where) and fix."""
    flat = " ".join(message.split())
    if len(flat) <= MAX_MESSAGE:
        return flat
    what, sep, fix = flat.rpartition("; ")
    if not sep:
        return clip(flat, MAX_MESSAGE)
    fix = clip(fix, MAX_MESSAGE // 2)
    return clip(what, MAX_MESSAGE - len(fix) - 2) + "; " + fix


class OmsgraphError(Exception):
    """Base of every error omsgraph raises on purpose. Its message is one line: what, where, how to fix."""

    exit_code = 2

    def __init__(self, message: str = "", *args: object) -> None:
        super().__init__(one_line(str(message)), *args)


class BadInputError(OmsgraphError):
    """Input that omsgraph cannot use: a malformed table row, an unreadable file, a bad argument."""

    exit_code = 2


class CurationError(BadInputError):
    """A curated table row that breaks the table rules; names the table, row and column."""

    def __init__(self, table: str, row: int | None, column: str | None, problem: str, fix: str) -> None:
        where = table if row is None else f"{table}:{row}"
        if column:
            where += f" column {column!r}"
        super().__init__(f"{where}: {problem}; {fix}")
        self.table = table
        self.row = row
        self.column = column


class DataNotFoundError(OmsgraphError):
    """The ontology, shapes or queries folders cannot be found (a broken install)."""

    exit_code = 2


class JavaNotFoundError(OmsgraphError):
    """No Java runtime for the reasoner."""

    exit_code = 2


class CheckFailedError(OmsgraphError):
    """The data was read but a check failed: an inconsistent ontology, violations, a stale release."""

    exit_code = 1
