"""Turning a QueryResult into bytes of a standard media type, or into the CLI's text cells."""

from __future__ import annotations

from ..errors import BadInputError
from ..store import Answer
from ..vocab import PREFIXES, contract
from .formats import (
    GRAPH_MEDIA_TYPES,
    RESULT_MEDIA_TYPES,
    QueryResult,
    Term,
    serialize_graph,
    serialize_solutions,
)


def serialize_result(result: QueryResult, media_type: str) -> bytes:
    """The result in a SPARQL results media type (SELECT, ASK) or an RDF one (CONSTRUCT, DESCRIBE)."""
    if result.graph is not None:
        if media_type not in GRAPH_MEDIA_TYPES:
            raise BadInputError(
                f"{media_type!r} cannot carry a {result.kind} result; "
                f"use one of {', '.join(GRAPH_MEDIA_TYPES)}"
            )
        return serialize_graph(result.graph, GRAPH_MEDIA_TYPES[media_type], PREFIXES)
    if media_type not in RESULT_MEDIA_TYPES:
        raise BadInputError(
            f"{media_type!r} cannot carry a {result.kind} result; use one of {', '.join(RESULT_MEDIA_TYPES)}"
        )
    return serialize_solutions(
        result.kind, result.columns, result.rows, result.boolean, RESULT_MEDIA_TYPES[media_type]
    )


def cell_text(term: Term | None) -> str:
    """One cell for people: IRIs as CURIEs where a prefix is known, literals by their lexical form."""
    if term is None:
        return ""
    if term.kind == "uri":
        return contract(term.value)
    if term.kind == "bnode":
        return "_:" + term.value
    return term.value


def to_answer(result: QueryResult) -> Answer:
    """A SELECT result as the text table the competency questions use."""
    return Answer(result.columns, [tuple(cell_text(c) for c in row) for row in result.rows])
