"""The compiled SHACL engine (omsgraph.shacl_sparql) gives pySHACL's report, shape by shape.

Every fixture of tests/data/shapes (conforming and violating), the release with the quality and
integrity groups, and generated case records are validated by both engines; the results must agree
on focus node, path, value, severity, message, source shape and constraint component.
"""

from __future__ import annotations

import contextlib
import random
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import SH

from omsgraph import shacl_sparql
from omsgraph.errors import BadInputError
from omsgraph.validate import (
    CHECK_GROUPS,
    Finding,
    ValidationResult,
    group_file,
    load_data,
    load_shapes,
    release_file,
    store_from_graph,
    validate,
    validate_files,
)

FIXTURES = Path(__file__).parent / "data" / "shapes"
ALL = sorted(FIXTURES.rglob("*.ttl"))
OMSG = "https://w3id.org/omsgraph/OMSG_"


def keys(result: ValidationResult) -> list[tuple[str, ...]]:
    def key(f: Finding) -> tuple[str, ...]:
        return (f.severity, f.focus, f.path, f.value, f.message, f.shape, f.component)

    return sorted(key(f) for f in result.findings)


def both(data: object, shapes: Graph) -> tuple[ValidationResult, ValidationResult]:
    store = data if not isinstance(data, Graph) else store_from_graph(data)
    return validate(store, shapes, "pyshacl"), validate(store, shapes, "sparql")  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def every_shape() -> Graph:
    return load_shapes()


@pytest.mark.parametrize("path", ALL, ids=[f"{p.parent.name}/{p.stem}" for p in ALL])
def test_fixture_gives_the_same_report_as_pyshacl(path: Path, every_shape: Graph) -> None:
    expected, compiled = both(Graph().parse(path, format="turtle"), every_shape)
    assert keys(compiled) == keys(expected)
    assert compiled.conforms == expected.conforms
    if path.name.endswith(".violates.ttl"):
        assert compiled.findings, f"{path.name} should give results"


def test_release_gives_the_same_report_as_pyshacl() -> None:
    shapes = load_shapes([group_file(g) for g in CHECK_GROUPS])
    expected, compiled = both(load_data([release_file()]), shapes)
    assert compiled.findings
    assert keys(compiled) == keys(expected)


def write_cases(path: Path, n: int, seed: int = 7) -> None:
    """n case records, a few broken in each way the case shapes catch."""
    rng = random.Random(seed)
    terms = ["http://purl.obolibrary.org/obo/HP_0010543", "http://purl.obolibrary.org/obo/MONDO_0005072"]
    lines = []
    for i in range(n):
        case = f"<http://example.org/case/{i}>"
        lines.append(f"{case} a <{OMSG}0000501> .")
        age = rng.choice(['"1.5"^^xsd:decimal', "4", "130", '"old"', '"-1"^^xsd:decimal', None, "2, 3"])
        if age is not None:
            lines.append(f"{case} <{OMSG}0000701> {age} .")
        sex = rng.choice(['"female"', '"male"', '"F"', None, '"female", "male"'])
        if sex is not None:
            lines.append(f"{case} <{OMSG}0000702> {sex} .")
        for term in rng.sample([*terms, "http://purl.obolibrary.org/obo/HP_9999999"], rng.randint(0, 2)):
            lines.append(f"{case} <{OMSG}0000703> <{term}> .")
        if rng.random() < 0.1:
            lines.append(f'{case} <{OMSG}0000703> "ataxia" .')
    prefix = "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
    path.write_text(prefix + "\n".join(lines) + "\n", encoding="utf-8")


def test_case_records_give_the_same_report_as_pyshacl(tmp_path: Path) -> None:
    cases = tmp_path / "cases.ttl"
    write_cases(cases, 200)
    expected = validate_files([cases], ["cases"], "pyshacl")
    compiled = validate_files([cases], ["cases"], "sparql")
    assert len(compiled.violations) > 50
    assert {f.rule for f in compiled.violations} == {
        "CaseAge",
        "CaseAgeValue",
        "CaseSex",
        "CaseHasFinding",
        "CaseFinding",
    }
    assert keys(compiled) == keys(expected)


def test_the_plan_names_what_is_left_to_pyshacl(every_shape: Graph) -> None:
    plan = shacl_sparql.plan(every_shape)
    left = {str(s).rsplit("/", 1)[-1]: why for s, why in plan.fallback.items()}
    assert left == {
        "illegal_use_of_built_in_vocabulary": "sh:closed",
        "illegal_use_of_built_in_vocabulary_axioms": "sh:closed",
    }
    assert len(plan.compiled) == len(every_shape.query("SELECT DISTINCT ?s { ?s sh:severity ?x }")) - 2


SHAPES_TTL = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:Short a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path ex:name ; sh:minLength 3 ;
    sh:severity sh:Warning ; sh:message "name too short" .
ex:Named a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path ex:name ; sh:minCount 1 ;
    sh:severity sh:Warning ; sh:message "no name" .
"""
DATA_TTL = """
@prefix ex: <http://example.org/> .
ex:a a ex:Thing ; ex:name "ab" .
ex:b a ex:Thing .
"""


def test_unsupported_constraints_fall_back_to_pyshacl() -> None:
    shapes = Graph().parse(data=SHAPES_TTL, format="turtle")
    plan = shacl_sparql.plan(shapes)
    assert [str(s) for s in plan.fallback] == ["http://example.org/Short"]
    assert plan.fallback[next(iter(plan.fallback))] == "sh:minLength"
    expected, compiled = both(Graph().parse(data=DATA_TTL, format="turtle"), shapes)
    assert {f.message for f in compiled.findings} == {"name too short", "no name"}
    assert keys(compiled) == keys(expected)


def test_report_does_not_conform_when_there_are_only_warnings() -> None:
    shapes = Graph().parse(data=SHAPES_TTL, format="turtle")
    result = validate(store_from_graph(Graph().parse(data=DATA_TTL, format="turtle")), shapes)
    assert result.conforms  # warnings do not fail omsgraph
    assert (None, SH.conforms, Literal(False)) in result.report


def test_a_broken_sparql_constraint_is_one_clear_error_not_a_traceback() -> None:
    shapes = Graph().parse(
        data="""
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:Broken a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:sparql [ sh:message "x" ; sh:select "SELECT $this WHERE { $this ex:p }" ] .
""",
        format="turtle",
    )
    with pytest.raises(BadInputError, match="a SPARQL constraint is not valid SPARQL"):
        validate(store_from_graph(Graph().parse(data=DATA_TTL, format="turtle")), shapes)


@pytest.mark.parametrize(
    "odd",
    [
        'ex:S a sh:NodeShape ; sh:targetClass "not an IRI"@en ; sh:property [ sh:path ex:p ; sh:minCount 1 ;'
        ' sh:message "m" ] .',
        "ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property [ sh:path ex:p ; sh:minCount 3.5 ;"
        ' sh:message "m" ] .',
    ],
    ids=["literal-target", "decimal-min-count"],
)
def test_an_odd_target_or_count_in_a_shapes_file_is_left_to_pyshacl_not_a_crash(odd: str) -> None:
    """Found by the shapes-file fuzzing: the compiler raised UnsupportedError / ValueError while running."""
    shapes = Graph().parse(
        data="@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ex: <http://example.org/> .\n" + odd,
        format="turtle",
    )
    store = store_from_graph(Graph().parse(data=DATA_TTL, format="turtle"))
    # pySHACL may refuse the shape: one clean error line is the reference behaviour, any other raise fails
    with contextlib.suppress(BadInputError):
        validate(store, shapes)
