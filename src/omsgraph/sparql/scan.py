"""The refusals: a lexical scan of a query that decides, before any engine sees it, whether it may run.

The scan skips strings, IRIs, comments, variables, prefixed names and language tags, so a keyword is
found only where it is a keyword. It is linear in the length of the query and never recurses, so a
query nested 100,000 levels deep is refused in microseconds instead of crashing a parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import BadInputError, OmsgraphError

FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATES = frozenset({"INSERT", "DELETE", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH", "USING"})

# One token per alternative, tried at each position; the order matters (long strings before short).
_TOKEN = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<comment>\#[^\n\r]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*(?:'''|$)|\"\"\"(?:[^"\\]|\\.|"(?!""))*(?:\"\"\"|$)
                |'(?:[^'\\\n\r]|\\.)*(?:'|$)|"(?:[^"\\\n\r]|\\.)*(?:"|$))
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]*)
    | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<pname>(?:[^\W\d][\w.-]*)?:(?:[\w:%.-]|\\.)*)
    | (?P<bnode>_:[\w.-]*)
    | (?P<word>[^\W\d]\w*)
    | (?P<open>[{(\[])
    | (?P<close>[})\]])
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})")


class QueryRefused(BadInputError):  # noqa: N818 - the name says what happened
    """A query refused before execution: an update, LOAD, SERVICE, FROM, too deep or too long."""


class QueryTimeout(OmsgraphError):  # noqa: N818 - the name says what happened
    """A query that ran out of its wall-clock limit; the worker running it was stopped."""


@dataclass(frozen=True)
class Limits:
    """What a query may use. The defaults suit the command line; a server may tighten them."""

    timeout: float = 30.0  # seconds of wall-clock time per query
    max_rows: int = 100_000  # solutions (or triples) returned; the rest is cut, truncated=True
    max_query_bytes: int = 1_000_000  # UTF-8 length of the query text
    max_depth: int = 500  # nesting of { ( [ in the query
    allow_service: bool = False  # SERVICE reaches the network: only when the user opts in
    max_memory_mb: int = 2048  # memory a query may take in its worker, beyond what the open store uses


@dataclass(frozen=True)
class QueryInfo:
    kind: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    depth: int  # deepest nesting of { ( [
    size: int  # bytes, UTF-8


def _expand_escapes(text: str) -> str:
    """The query with SPARQL's \\u / \\U code point escapes applied, as rdflib's parser does first."""

    def expand(match: re.Match[str]) -> str:
        code = int(match[1] or match[2], 16)
        return chr(code) if code <= 0x10FFFF else match[0]

    return _ESCAPE.sub(expand, text)


def _scan(text: str, limits: Limits) -> tuple[str | None, int]:
    """The query form (or None) and the deepest nesting; raises QueryRefused on a forbidden keyword."""
    kind: str | None = None
    depth = deepest = 0
    for match in _TOKEN.finditer(text):
        group = match.lastgroup
        if group == "open":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limits.max_depth:
                    line = text.count("\n", 0, match.start()) + 1
                    raise QueryRefused(
                        f"the query is nested more than {limits.max_depth} levels deep (at line {line}); "
                        "flatten it (fewer nested groups or parentheses)"
                    )
        elif group == "close":
            depth = max(0, depth - 1)
        elif group == "word":
            word = match[0].upper()
            if word in FORMS and kind is None:
                kind = word
            elif word in UPDATES:
                raise QueryRefused(
                    f"updates are not accepted ({word} at line {text.count(chr(10), 0, match.start()) + 1}); "
                    "omsgraph answers queries (SELECT, ASK, CONSTRUCT, DESCRIBE) over a read-only store"
                )
            elif word == "LOAD":
                raise QueryRefused("LOAD is not accepted: queries never fetch or change data; remove it")
            elif word == "SERVICE" and not limits.allow_service:
                raise QueryRefused(
                    "SERVICE is refused: it would make the query engine connect to another server; "
                    "remove it, or opt in with --allow-service where that is allowed"
                )
            elif word == "FROM":
                raise QueryRefused(
                    "FROM and FROM NAMED are not accepted: the query answers over the omsgraph dataset "
                    "only (use GRAPH <name> { } for a named graph); remove the FROM clause"
                )
    return kind, deepest


def inspect(text: str, limits: Limits = Limits()) -> QueryInfo:
    """What the query is, or QueryRefused saying why it may not run. Never executes anything."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limits.max_query_bytes:
        raise QueryRefused(
            f"the query is {size:,} bytes, over the limit of {limits.max_query_bytes:,}; shorten it"
        )
    if not text.strip():
        raise QueryRefused("the query is empty; give a SPARQL SELECT, ASK, CONSTRUCT or DESCRIBE query")
    kind, depth = _scan(text, limits)
    if "\\u" in text or "\\U" in text:  # rdflib applies escapes before parsing: check that reading too
        expanded_kind, expanded_depth = _scan(_expand_escapes(text), limits)
        kind = kind or expanded_kind
        depth = max(depth, expanded_depth)
    if kind is None:
        raise QueryRefused(
            "the text is not a SPARQL query: it has no SELECT, ASK, CONSTRUCT or DESCRIBE; fix the query"
        )
    return QueryInfo(kind, depth, size)
