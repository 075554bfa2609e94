"""One exception hierarchy; each class carries the exit code the CLI uses for it."""

from __future__ import annotations


class OmsgraphError(Exception):
    """Base of every error omsgraph raises on purpose. Its message is one line: what, where, how to fix."""

    exit_code = 2


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
