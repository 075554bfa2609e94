"""`omsgraph validate`: a report grouped by severity that names each entity by label and IRI, the rule
and the fix; exit 0 when the data conforms, 1 on violations, 2 on bad input (one line, no traceback).
`omsgraph check` runs the quality and integrity groups."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rdflib import Graph, Literal
from rdflib.namespace import RDF, SH

from omsgraph.cli import main
from omsgraph.validate import CHECK_GROUPS, group_file, load_shapes, rule_shapes, validate

PREFIXES = """@prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix obo: <http://purl.obolibrary.org/obo/> .
@prefix OMSG: <https://w3id.org/omsgraph/OMSG_> .
"""
#: An ontology with one ERROR (a class without a label) and one WARN (a class without a definition).
ONTOLOGY = (
    PREFIXES
    + """
ex:onto a owl:Ontology ; dcterms:title "a test ontology" ; dcterms:description "for the tests" ;
    dcterms:license <https://creativecommons.org/licenses/by/4.0/> .
ex:A a owl:Class ; rdfs:subClassOf ex:B ; obo:IAO_0000115 "A thing with no name." .
ex:B a owl:Class ; rdfs:label "beta" ; rdfs:subClassOf owl:Thing .
"""
)
GOOD_CASES = (
    PREFIXES
    + """
ex:case1 a OMSG:0000501 ; OMSG:0000701 2 ; OMSG:0000702 "female" ;
    OMSG:0000703 obo:HP_0010543 , obo:HP_0001336 , obo:HP_0000737 .
ex:case2 a OMSG:0000501 ; OMSG:0000701 58.5 ; OMSG:0000702 "male" ;
    OMSG:0000703 obo:HP_0010543 , obo:HP_5000030 .
"""
)
BAD_CASES = (
    PREFIXES
    + """
ex:case1 a OMSG:0000501 ; OMSG:0000701 2 ; OMSG:0000702 "girl" ;
    OMSG:0000703 obo:HP_0010543 , "dancing eyes" .
"""
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, ["validate", *args])


def assert_one_line_error(result: Result, words: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.output.startswith("omsgraph: error: ") and words in result.output, result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output


def test_release_conforms_and_the_report_is_grouped_by_severity() -> None:
    result = invoke()
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("omsgraph validate: ") and "against quality, integrity, cases" in lines[0]
    assert [line.split(" (")[0] for line in lines if line[:1].isupper()] == ["ERROR", "WARN", "INFO"]
    assert "ERROR (sh:Violation): 0" in result.output
    assert lines[-1].startswith("verdict: passes: 0 violations")
    assert "    fix: " in result.output


def test_violations_exit_1_naming_entity_rule_and_fix(tmp_path: Path) -> None:
    result = invoke(str(write(tmp_path, "onto.ttl", ONTOLOGY)))
    assert result.exit_code == 1, result.output
    text = result.output
    assert "against quality, integrity" in text.splitlines()[0], "an ontology gets the ontology groups"
    assert "ERROR (sh:Violation): 2" in text
    block = text[text.index("  missing_label: 1") :]
    assert (
        block.splitlines()[1]
        == "    fix: add one rdfs:label (for a curated term: the label column of terms.tsv)"
    )
    assert "<http://example.org/A> [rdfs:label]: has no label" in block
    assert "  missing_definition: 1" in text and "'beta' <http://example.org/B>" in text
    assert text.splitlines()[-1].startswith("verdict: FAILS: 2 violations, 1 warnings")


def test_case_records_are_validated_with_the_release(tmp_path: Path) -> None:
    result = invoke(str(write(tmp_path, "cases.ttl", GOOD_CASES)))
    assert result.exit_code == 0, result.output
    assert "against cases" in result.output.splitlines()[0]


def test_bad_case_records_exit_1_with_clear_messages(tmp_path: Path) -> None:
    result = invoke(str(write(tmp_path, "cases.ttl", BAD_CASES)))
    assert result.exit_code == 1, result.output
    assert "finding dancing eyes is not a sign, tumour or autoantibody of omsgraph" in result.output
    assert "a case needs exactly one sex (OMSG:0000702): female, male, other or unknown" in result.output


def test_an_ontology_with_cases_gets_every_group_in_one_report(tmp_path: Path) -> None:
    both = write(
        tmp_path, "both.ttl", ONTOLOGY + GOOD_CASES.removeprefix(PREFIXES) + BAD_CASES.removeprefix(PREFIXES)
    )
    result = invoke(str(both), "-f", "turtle")
    assert result.exit_code == 1
    report = Graph().parse(data=result.output, format="turtle")
    (node,) = report.subjects(RDF.type, SH.ValidationReport)
    assert report.value(node, SH.conforms) == Literal(False)
    shapes = {
        str(report.value(r, SH.sourceShape)).rsplit("/", 1)[-1] for r in report.objects(node, SH.result)
    }
    assert {"missing_label", "ClassHasOneLabel", "CaseSex", "CaseFinding"} <= shapes


def test_json_report(tmp_path: Path) -> None:
    result = invoke(str(write(tmp_path, "onto.ttl", ONTOLOGY)), "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["conforms"] is False and report["counts"] == {"Violation": 2, "Warning": 1, "Info": 0}
    first = report["results"][0]
    assert first["level"] == "ERROR" and first["focus"] == "http://example.org/A"
    assert {"rule", "label", "path", "message", "fix", "component", "shape"} <= set(first)


def test_turtle_report_is_a_shacl_report(tmp_path: Path) -> None:
    result = invoke(str(write(tmp_path, "cases.ttl", GOOD_CASES)), "-f", "turtle")
    assert result.exit_code == 0
    report = Graph().parse(data=result.output, format="turtle")
    node = next(report.subjects(RDF.type, SH.ValidationReport))
    assert report.value(node, SH.conforms) == Literal(True)


def test_shacl_report_conforms_false_when_it_has_only_warnings(tmp_path: Path) -> None:
    """Regression: the report said sh:conforms true while holding warnings; the SHACL spec (and Jena)
    say false whenever there is a result. The command still passes: only violations fail, as in ROBOT."""
    warn_only = ONTOLOGY.replace(
        "ex:A a owl:Class ; rdfs:subClassOf ex:B ;", 'ex:A a owl:Class ; rdfs:label "alpha" ;'
    )
    data = str(write(tmp_path, "onto.ttl", warn_only))
    result = invoke(data, "-f", "turtle")
    assert result.exit_code == 0, result.output
    report = Graph().parse(data=result.output, format="turtle")
    (node,) = report.subjects(RDF.type, SH.ValidationReport)
    assert list(report.objects(node, SH.result)), "the fixture has warnings"
    assert report.value(node, SH.conforms) == Literal(False)
    as_json = json.loads(invoke(data, "-f", "json").output)
    assert as_json["conforms"] is False and as_json["passes"] is True
    text = invoke(data).output.splitlines()[-1]
    assert text.startswith("verdict: passes: 0 violations, ") and "sh:conforms is false" in text


def test_shapes_option_takes_a_group_or_a_file(tmp_path: Path) -> None:
    data = str(write(tmp_path, "onto.ttl", ONTOLOGY))
    quality = invoke(data, "--shapes", "integrity")
    assert quality.exit_code == 1 and "against integrity" in quality.output
    assert "missing_label" not in quality.output and "ClassHasOneLabel: 1" in quality.output
    own = write(tmp_path, "mine.ttl", str(group_file("quality").read_text(encoding="utf-8")))
    by_file = invoke(data, "-s", str(own))
    assert (
        by_file.exit_code == 1
        and "against mine.ttl" in by_file.output
        and "missing_label: 1" in by_file.output
    )


def test_missing_data_file_is_bad_input(tmp_path: Path) -> None:
    assert_one_line_error(invoke(str(tmp_path / "nope.ttl")), "does not exist")


def test_malformed_data_is_bad_input(tmp_path: Path) -> None:
    assert_one_line_error(
        invoke(str(write(tmp_path, "bad.ttl", "@prefix ex: <http://e/> .\nex:a ex:b"))), "is not valid Turtle"
    )


def test_unknown_data_extension_is_bad_input(tmp_path: Path) -> None:
    assert_one_line_error(invoke(str(write(tmp_path, "data.docx", "x"))), "unknown extension")


def test_unknown_shape_group_is_bad_input() -> None:
    assert_one_line_error(invoke("--shapes", "qualty"), "neither a shape group nor a file")


def test_malformed_shapes_file_is_bad_input(tmp_path: Path) -> None:
    shapes = write(tmp_path, "shapes.ttl", "@prefix sh: <http://www.w3.org/ns/shacl#> .\n<x> a sh:NodeShape")
    assert_one_line_error(invoke("--shapes", str(shapes)), "is not valid Turtle")


def test_shapes_pyshacl_refuses_are_bad_input(tmp_path: Path) -> None:
    shapes = write(
        tmp_path,
        "shapes.ttl",
        """@prefix sh: <http://www.w3.org/ns/shacl#> .
<http://example.org/S> a sh:NodeShape ; sh:targetNode <http://example.org/a> ;
    sh:sparql [ sh:select "SELECT $this WHERE { $this ?p ?o MINUS { $this a ?t } }" ] .
""",
    )
    data = write(tmp_path, "data.ttl", "<http://example.org/a> <http://example.org/p> 1 .")
    assert_one_line_error(invoke(str(data), "--shapes", str(shapes)), "the shapes cannot be run")


@pytest.mark.parametrize("group", CHECK_GROUPS)
def test_check_runs_the_quality_and_integrity_groups(group: str) -> None:
    graph = Graph().parse(data=ONTOLOGY, format="turtle")
    result = validate(graph)
    expected = {str(s) for g in CHECK_GROUPS for s in rule_shapes(load_shapes([group_file(g)]))}
    assert result.shapes == len(expected)
    assert not result.conforms
    assert any(f.shape.endswith("/missing_label") for f in result.violations)
    assert any(f.shape.endswith("/ClassHasOneLabel") for f in result.violations)
