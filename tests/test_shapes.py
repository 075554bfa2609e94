"""Every shape fires on its violating fixture (the focus node, path and constraint component it names)
and stays silent on its conforming one; the quality group covers ROBOT's report profile; the release
conforms.

Fixtures live in tests/data/shapes/<group>/<shape>.{conforms,violates}.ttl. A violating fixture lists
the results it must produce, one per line, as ``# expect: FOCUS PATH COMPONENT``: FOCUS is a CURIE or
<IRI> of the file, or ``axiom(CURIE)`` for the annotated axiom whose source is CURIE; PATH is a CURIE
or ``-``; COMPONENT is the sh: constraint component.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from omsgraph import resources
from omsgraph.validate import (
    GROUPS,
    SHAPES,
    Finding,
    ValidationResult,
    group_file,
    load_shapes,
    rule_shapes,
    store_from_graph,
    validate,
    validate_files,
)

FIXTURES = Path(__file__).parent / "data" / "shapes"
README = resources.shapes_dir() / "README.md"

#: ROBOT's default report profile (robot-core report_profile.txt): rule -> level.
ROBOT_PROFILE = {
    "annotation_whitespace": "WARN",
    "deprecated_boolean_datatype": "ERROR",
    "deprecated_class_reference": "ERROR",
    "deprecated_property_reference": "ERROR",
    "duplicate_definition": "ERROR",
    "duplicate_exact_synonym": "WARN",
    "duplicate_label_synonym": "WARN",
    "duplicate_label": "ERROR",
    "duplicate_scoped_synonym": "WARN",
    "equivalent_class_axiom_no_genus": "WARN",
    "equivalent_pair": "WARN",
    "illegal_use_of_built_in_vocabulary": "ERROR",
    "invalid_entity_uri": "WARN",
    "invalid_xref": "WARN",
    "label_formatting": "ERROR",
    "label_whitespace": "ERROR",
    "lowercase_definition": "INFO",
    "missing_definition": "WARN",
    "missing_label": "ERROR",
    "missing_obsolete_label": "WARN",
    "missing_ontology_description": "ERROR",
    "missing_ontology_license": "ERROR",
    "missing_ontology_title": "ERROR",
    "missing_subset_declaration": "WARN",
    "missing_superclass": "INFO",
    "missing_synonymtype_declaration": "WARN",
    "misused_obsolete_label": "ERROR",
    "misused_replaced_by": "ERROR",
    "multiple_definitions": "ERROR",
    "multiple_equivalent_class_definitions": "ERROR",
    "multiple_equivalent_classes": "WARN",
    "multiple_labels": "ERROR",
}
SEVERITY_OF_LEVEL = {"ERROR": SH.Violation, "WARN": SH.Warning, "INFO": SH.Info}


@cache
def all_shapes() -> Graph:
    return load_shapes()


def shape_cases() -> list[tuple[str, str]]:
    """(group, shape name) for every rule shape of every group."""
    cases = []
    for group in GROUPS:
        for shape in rule_shapes(load_shapes([group_file(group)])):
            cases.append((group, str(shape).removeprefix(str(SHAPES))))
    return cases


CASES = shape_cases()


def fixture(group: str, shape: str, kind: str) -> Path:
    path = FIXTURES / group / f"{shape}.{kind}.ttl"
    assert path.is_file(), f"shapes:{shape} has no {kind} fixture; write {path.relative_to(FIXTURES.parent)}"
    return path


def run(path: Path) -> tuple[ValidationResult, ox.Store, Graph]:
    graph = Graph().parse(path, format="turtle")
    store = store_from_graph(graph)
    return validate(store, all_shapes()), store, graph


def focus_key(store: ox.Store, focus: str) -> str:
    """The IRI of a focus node, or axiom(<source IRI>) for an annotated axiom (a blank node)."""
    if focus.startswith(("http://", "https://")):
        return focus
    sources = store.quads_for_pattern(
        ox.BlankNode(focus), ox.NamedNode("http://www.w3.org/2002/07/owl#annotatedSource"), None
    )
    source = next(iter(sources), None)
    return f"axiom({source.object.value})" if source is not None else "_:blank"


def actual(result: ValidationResult, store: ox.Store, shape: str) -> set[tuple[str, str, str]]:
    def key(f: Finding) -> tuple[str, str, str]:
        return (focus_key(store, f.focus), f.path or "-", f.component.rsplit("#", 1)[-1])

    return {key(f) for f in result.findings if f.shape == str(SHAPES[shape])}


def expected(path: Path, graph: Graph) -> set[tuple[str, str, str]]:
    def term(token: str) -> str:
        if token == "-":
            return token
        if token.startswith("<") and token.endswith(">"):
            return token[1:-1]
        if m := re.fullmatch(r"axiom\((.+)\)", token):
            return f"axiom({term(m[1])})"
        return str(graph.namespace_manager.expand_curie(token))

    rows = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# expect:"):
            focus, prop, component = line.removeprefix("# expect:").split()
            rows.add((term(focus), term(prop), component.removeprefix("sh:")))
    assert rows, f"{path.name} has no '# expect:' lines saying which results it must produce"
    return rows


@pytest.mark.parametrize(("group", "shape"), CASES, ids=[s for _, s in CASES])
def test_violating_fixture_fires_the_shape(group: str, shape: str) -> None:
    path = fixture(group, shape, "violates")
    result, store, graph = run(path)
    assert actual(result, store, shape) == expected(path, graph)


@pytest.mark.parametrize(("group", "shape"), CASES, ids=[s for _, s in CASES])
def test_conforming_fixture_passes_the_shape(group: str, shape: str) -> None:
    result, store, _ = run(fixture(group, shape, "conforms"))
    fired = actual(result, store, shape)
    assert not fired, f"shapes:{shape} fires on its conforming fixture: {sorted(fired)}"


def test_every_fixture_belongs_to_a_shape() -> None:
    names = {f"{group}/{shape}" for group, shape in CASES}
    for path in FIXTURES.glob("*/*.ttl"):
        name = f"{path.parent.name}/{path.name.split('.')[0]}"
        assert name in names, f"{path} is the fixture of no shape; rename or remove it"


def test_violation_results_name_the_fix_and_the_rule() -> None:
    result, _, _ = run(fixture("quality", "missing_label", "violates"))
    finding = next(f for f in result.findings if f.rule == "missing_label")
    assert finding.fix.startswith("add one rdfs:label")
    assert finding.level == "ERROR" and finding.message == "has no label"


def test_every_rule_shape_has_a_fix_and_a_comment() -> None:
    shapes = all_shapes()
    for shape in rule_shapes(shapes):
        assert shapes.value(shape, SHAPES.fix) is not None, f"{shape} has no shapes:fix"
        assert shapes.value(shape, URIRef("http://www.w3.org/2000/01/rdf-schema#comment")) is not None


def test_shapes_files_say_what_they_guard() -> None:
    for group, name in GROUPS.items():
        head = (resources.shapes_dir() / name).read_text(encoding="utf-8").splitlines()[0]
        assert head.startswith("# ") and f'(group "{group}")' in head, f"{name} must open with a comment"


# --- ROBOT's report profile -----------------------------------------------------------------------


def robot_rules() -> dict[str, list[tuple[URIRef, str]]]:
    shapes = load_shapes([group_file("quality")])
    rules: dict[str, list[tuple[URIRef, str]]] = {}
    for shape, tag in shapes.subject_objects(SHAPES.robotRule):
        rule, level = str(tag).split()
        assert isinstance(shape, URIRef)
        rules.setdefault(rule, []).append((shape, level))
    return rules


def test_quality_group_implements_every_robot_rule_at_its_level() -> None:
    shapes = load_shapes([group_file("quality")])
    rules = robot_rules()
    missing, unknown = set(ROBOT_PROFILE) - set(rules), set(rules) - set(ROBOT_PROFILE)
    assert not missing and not unknown, f"missing: {sorted(missing)}; not ROBOT's: {sorted(unknown)}"
    for rule, implementations in rules.items():
        for shape, level in implementations:
            assert level == ROBOT_PROFILE[rule], (
                f"{shape} says {rule} is {level}; ROBOT says {ROBOT_PROFILE[rule]}"
            )
            assert shapes.value(shape, SH.severity) == SEVERITY_OF_LEVEL[level], (
                f"{shape} has the wrong severity"
            )
    assert {str(s).removeprefix(str(SHAPES)) for s in rule_shapes(shapes)} >= set(ROBOT_PROFILE)


def test_shapes_readme_lists_every_rule_and_shape() -> None:
    text = README.read_text(encoding="utf-8")
    for rule, implementations in robot_rules().items():
        row = next((line for line in text.splitlines() if line.startswith(f"| `{rule}`")), None)
        assert row is not None, f"shapes/README.md has no row for ROBOT rule {rule}"
        for shape, _ in implementations:
            assert f"shapes:{str(shape).removeprefix(str(SHAPES))}" in row, (
                f"README row of {rule} misses {shape}"
            )
    for _, shape in CASES:
        assert f"shapes:{shape}" in text, f"shapes/README.md does not mention shapes:{shape}"


# --- the release ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def release_result() -> ValidationResult:
    return validate_files()


def test_release_conforms(release_result: ValidationResult) -> None:
    assert release_result.groups == list(GROUPS)
    assert release_result.conforms, "\n".join(
        f"{f.rule}: {f.focus} {f.label!r}: {f.message}" for f in release_result.violations
    )


def test_release_warnings_are_only_the_expected_kinds(release_result: ValidationResult) -> None:
    # ROBOT would warn the same: reused terms keep their source's definition outside the release,
    # and the grouping classes are top-level on purpose.
    assert {f.rule for f in release_result.findings} <= {"missing_definition", "missing_superclass"}
