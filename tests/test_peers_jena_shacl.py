"""Portability: Apache Jena's SHACL engine gives the same verdict and the same (focus node, shape)
results as pySHACL for omsgraph's shapes: on the release, on all the shape fixtures at once, and on
case records validated together with the release.

Jena 4.5 comes from Debian (libapache-jena-java, installed by .ci/run); tests/peers.py holds the
classpath and the fix for Debian's start-up bug. Blank focus nodes (annotated axioms) have no name
that survives the trip through Jena, so a result on one is compared by its shape, path and value.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from omsgraph.release import load_release
from omsgraph.validate import GROUPS, group_file, load_shapes, top_results, validate

from .peers import run_jena

FIXTURES = Path(__file__).parent / "data" / "shapes"
EXAMPLE = "http://example.org/"
Key = tuple[str, str, str, str]


def result_keys(report: Graph) -> Counter[Key]:
    """(focus, shape, path, value) of every result; blank nodes stand for themselves only as '_'."""

    def name(node: Node | None) -> str:
        if node is None:
            return "-"
        if isinstance(node, BNode):
            return "_"
        return str(node) if isinstance(node, (URIRef, Literal)) else repr(node)

    keys: Counter[Key] = Counter()
    for result in top_results(report):
        focus = report.value(result, SH.focusNode)
        keys[
            (
                name(focus),
                name(report.value(result, SH.sourceShape)),
                name(report.value(result, SH.resultPath)),
                name(report.value(result, SH.value)) if isinstance(focus, BNode) else "",
            )
        ] += 1
    return keys


def violations(report: Graph) -> int:
    return sum(1 for r in top_results(report) if report.value(r, SH.resultSeverity) == SH.Violation)


def compare(data: Graph, groups: list[str], tmp_path: Path) -> Counter[Key]:
    shapes_file = tmp_path / "shapes.ttl"
    load_shapes([group_file(g) for g in groups]).serialize(shapes_file, format="turtle")
    data_file = tmp_path / "data.nt"
    data.serialize(data_file, format="nt", encoding="utf-8")
    out = run_jena("shacl.shacl", "validate", "--shapes", str(shapes_file), "--data", str(data_file))
    assert out.returncode == 0, f"Jena shacl failed:\n{out.stderr[-3000:]}"
    jena = Graph().parse(data=out.stdout, format="turtle")
    ours = validate(data, load_shapes([group_file(g) for g in groups]))
    theirs, mine = result_keys(jena), result_keys(ours.report)
    assert mine == theirs, (
        f"only pySHACL: {sorted((mine - theirs).elements())[:20]}\n"
        f"only Jena: {sorted((theirs - mine).elements())[:20]}"
    )
    assert ours.conforms == (violations(jena) == 0)
    jena_conforms = jena.value(next(jena.subjects(RDF.type, SH.ValidationReport)), SH.conforms)
    assert jena_conforms == Literal(not mine), "Jena's sh:conforms is true exactly when there are no results"
    return mine


def test_release_same_results_with_jena(tmp_path: Path) -> None:
    results = compare(load_release(), list(GROUPS), tmp_path)
    assert results, "the release has warnings (missing definitions); both engines must report them"


def fixtures_graph(paths: list[Path]) -> Graph:
    """Every fixture in one graph, each in its own example.org namespace so that none masks another."""
    data = Graph()
    for path in paths:
        own = f"{EXAMPLE}{path.parent.name}/{path.name.removesuffix('.ttl')}/"

        def rename(node: Node, own: str = own) -> Node:
            return (
                URIRef(own + node[len(EXAMPLE) :])
                if isinstance(node, URIRef) and node.startswith(EXAMPLE)
                else node
            )

        for s, p, o in Graph().parse(path, format="turtle"):
            data.add((rename(s), rename(p), rename(o)))
    return data


def test_fixtures_same_results_with_jena(tmp_path: Path) -> None:
    results = compare(fixtures_graph(sorted(FIXTURES.glob("*/*.ttl"))), list(GROUPS), tmp_path)
    fired = {shape.removeprefix("https://w3id.org/omsgraph/shapes/") for _, shape, _, _ in results}
    missing = {s for g in GROUPS for s in _names(g)} - fired
    assert not missing, f"shapes that fired on no fixture in the comparison: {sorted(missing)}"


def test_cases_with_release_same_results_with_jena(tmp_path: Path) -> None:
    data = load_release() + fixtures_graph(sorted((FIXTURES / "cases").glob("*.ttl")))
    results = compare(data, ["cases"], tmp_path)
    assert any(focus.startswith("http://example.org/case") for focus, _, _, _ in results)


def _names(group: str) -> set[str]:
    from omsgraph.validate import rule_shapes

    shapes = load_shapes([group_file(group)])
    return {str(s).removeprefix("https://w3id.org/omsgraph/shapes/") for s in rule_shapes(shapes)}
