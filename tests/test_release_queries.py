"""Every shipped query gives its golden answer on the release file alone, loaded into a plain store.

No omsgraph code stands between the file and the engine: a `pyoxigraph.Store` and an rdflib `Graph`
parse `ontology/omsgraph.ttl` and run each `.rq` file as it is (Jena ARQ and the Oxigraph server:
tests/test_peers_sparql.py). Cells are compared as CURIEs (IRIs) and lexical forms (literals), as
the golden answers in tests/data/answers/ hold them.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from rdflib import BNode, Graph, Literal, URIRef

from omsgraph import resources
from omsgraph.build import RELEASE_TTL
from omsgraph.query import load_questions
from omsgraph.vocab import contract

ANSWERS = Path(__file__).parent / "data" / "answers"
QUESTIONS = load_questions()
RELEASE = resources.ontology_dir() / RELEASE_TTL


def golden(name: str) -> Counter[tuple[str, ...]]:
    text = (ANSWERS / f"{name}.tsv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text), delimiter="\t"))
    return Counter(tuple(r) for r in rows[1:])


def cell(value: Any) -> str:
    """A result cell as the golden answers write it, from rdflib or pyoxigraph terms."""
    if value is None:
        return ""
    if isinstance(value, URIRef):
        return contract(str(value))
    if isinstance(value, Literal):
        return str(value)
    if isinstance(value, BNode):
        return "_:" + str(value)
    kind = type(value).__name__
    if kind == "NamedNode":
        return contract(str(value.value))
    if kind == "BlankNode":
        return "_:" + str(value.value)
    return str(value.value)


@cache
def oxigraph_store() -> Any:
    import pyoxigraph as ox

    store = ox.Store()
    store.load(path=str(RELEASE), format=ox.RdfFormat.TURTLE)
    return store


@cache
def rdflib_graph() -> Graph:
    return Graph().parse(RELEASE, format="turtle")


def assert_golden(name: str, rows: list[tuple[str, ...]], engine: str) -> None:
    expected, got = golden(name), Counter(rows)
    missing, extra = expected - got, got - expected
    assert not missing and not extra, (
        f"{name} on {engine}: {sum(missing.values())} golden rows missing {list(missing)[:3]}, "
        f"{sum(extra.values())} unexpected {list(extra)[:3]}"
    )


@pytest.mark.parametrize("name", sorted(QUESTIONS))
def test_query_gives_its_golden_answer_on_a_plain_pyoxigraph_store(name: str) -> None:
    result = oxigraph_store().query(QUESTIONS[name].path.read_text(encoding="utf-8"))
    columns = [v.value for v in result.variables]
    assert_golden(name, [tuple(cell(s[c]) for c in columns) for s in result], "pyoxigraph")


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(QUESTIONS))
def test_query_gives_its_golden_answer_on_a_plain_rdflib_graph(name: str) -> None:
    result = rdflib_graph().query(QUESTIONS[name].path.read_text(encoding="utf-8"))
    columns = [str(v) for v in result.vars or []]
    assert_golden(name, [tuple(cell(getattr(r, c, None)) for c in columns) for r in result], "rdflib")
