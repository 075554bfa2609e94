"""Competency questions: well-formed, answered as expected, identically by every engine."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import Path

import pytest

from omsgraph import resources
from omsgraph.errors import BadInputError
from omsgraph.query import ask, format_answer, get_question, load_questions
from omsgraph.release import load_release
from omsgraph.store import Answer, OxigraphEngine, RdflibEngine, dataset_nquads

ANSWERS = Path(__file__).parent / "data" / "answers"
QUESTIONS = load_questions()


@pytest.fixture(scope="module")
def oxigraph() -> OxigraphEngine:
    return OxigraphEngine.in_memory(dataset_nquads(load_release()))


def golden(name: str) -> Answer:
    rows = list(
        csv.reader(io.StringIO((ANSWERS / f"{name}.tsv").read_text(encoding="utf-8")), delimiter="\t")
    )
    return Answer(tuple(rows[0]), [tuple(r) for r in rows[1:]])


def test_there_are_at_least_30_questions() -> None:
    assert len(QUESTIONS) >= 30


def test_every_question_has_an_expectation_and_every_expectation_a_question() -> None:
    expected = {p.stem for p in ANSWERS.glob("*.tsv")}
    assert set(QUESTIONS) - expected == set(), "questions without golden answers: run tests/update_answers.py"
    assert expected - set(QUESTIONS) == set(), "golden answers without a question: delete them"


@pytest.mark.parametrize("name", sorted(QUESTIONS))
def test_question_gives_its_golden_answer(oxigraph: OxigraphEngine, name: str) -> None:
    answer = ask(QUESTIONS[name], oxigraph)
    expected = golden(name)
    assert answer.columns == expected.columns == QUESTIONS[name].columns, "columns differ from the header"
    assert answer.rows, f"{name} has no answer"
    missing = Counter(expected.rows) - Counter(answer.rows)
    extra = Counter(answer.rows) - Counter(expected.rows)
    assert not missing and not extra, (
        f"{name}: {sum(missing.values())} expected rows missing {list(missing)[:3]}, "
        f"{sum(extra.values())} unexpected {list(extra)[:3]}; if the change is intended, "
        "run tests/update_answers.py and review the diff"
    )


@pytest.mark.parametrize("name", sorted(QUESTIONS))
def test_every_parameter_has_a_values_clause_and_default(oxigraph: OxigraphEngine, name: str) -> None:
    question = QUESTIONS[name]
    for p in question.parameters:
        assert re.search(r"VALUES\s+\?" + p.name + r"\s*\{", question.sparql), f"{name}: no VALUES ?{p.name}"
        assert p.default, f"{name}: parameter {p.name} has no default"
        rebound = ask(question, oxigraph, {p.name: p.default})
        assert Counter(rebound.rows) == Counter(ask(question, oxigraph).rows), (
            f"{name}: default of {p.name} differs"
        )


def test_questions_are_listed_in_the_readme() -> None:
    readme = (resources.queries_dir() / "README.md").read_text(encoding="utf-8")
    for name in QUESTIONS:
        assert f"| `{name}` |" in readme, f"queries/README.md does not list {name}"


@pytest.mark.slow
def test_rdflib_engine_gives_identical_answers(oxigraph: OxigraphEngine) -> None:
    rdflib_engine = RdflibEngine()
    different = []
    for name, question in QUESTIONS.items():
        a, b = ask(question, oxigraph), ask(question, rdflib_engine)
        if a.columns != b.columns or Counter(a.rows) != Counter(b.rows):
            different.append(name)
    assert not different, f"rdflib and Oxigraph disagree on {different}"


# --- meaning of particular answers -------------------------------------------------------------


def _verdict(engine: OxigraphEngine, findings: str) -> tuple[str, ...]:
    return ask(QUESTIONS["criteria-verdict"], engine, {"findings": findings}).rows[0]


def test_criteria_verdict_applies_three_of_four(oxigraph: OxigraphEngine) -> None:
    assert _verdict(oxigraph, "HP:0010543,HP:0001336,HP:0000737") == ("3", "true")
    assert _verdict(oxigraph, "HP:0010543,HP:0001336") == ("2", "false")
    assert _verdict(oxigraph, "MONDO:0005072,HP:0010543,HP:0001251,HP:0100785") == ("4", "true")


def test_codes_keep_both_icd10_codes_as_broad(oxigraph: OxigraphEngine) -> None:
    rows = ask(QUESTIONS["codes"], oxigraph, {"scheme": "ICD10CM"}).rows
    assert {(r[1], r[2], r[3]) for r in rows} == {
        ("ICD10CM:H55.89", "broad match", "visualdx"),
        ("ICD10CM:G25.3", "broad match", "orphanet-ordo-2.6"),
    }


def test_disagreements_cover_the_known_conflicts(oxigraph: OxigraphEngine) -> None:
    rows = ask(QUESTIONS["disagreements"], oxigraph).rows
    pairs = {(r[1], frozenset((r[3], r[5]))) for r in rows}
    assert ("sex ratio", frozenset(("gale", "verywell"))) in pairs
    assert ("outcome", frozenset(("visualdx", "verywell"))) in pairs
    assert ("broad match", frozenset(("visualdx", "orphanet-ordo-2.6"))) in pairs
    assert ("onset age", frozenset(("visualdx", "gale"))) in pairs


def test_parameter_values_are_substituted(oxigraph: OxigraphEngine) -> None:
    adults = ask(QUESTIONS["sequelae"], oxigraph, {"population": "adults"}).rows
    children = ask(QUESTIONS["sequelae"], oxigraph, {"population": "children"}).rows
    assert {r[2] for r in children} == {"children"}
    assert not adults or {r[2] for r in adults} == {"adults"}


def test_unknown_parameter_is_refused() -> None:
    with pytest.raises(BadInputError, match="has no parameter 'colour'; its parameters: population"):
        QUESTIONS["sequelae"].bind({"colour": "red"})


def test_unknown_question_lists_the_known_ones() -> None:
    with pytest.raises(BadInputError, match=r"no question named 'nope'; known questions: .*signs"):
        get_question("nope")


def test_partial_header_is_an_error_but_no_header_is_a_plain_query(tmp_path: Path) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text("# question: q\nSELECT * WHERE { ?s ?p ?o }", encoding="utf-8")
    with pytest.raises(BadInputError, match="header lacks"):
        get_question(str(bad))
    plain = tmp_path / "plain.rq"
    plain.write_text("SELECT * WHERE { ?s ?p ?o }", encoding="utf-8")
    question = get_question(str(plain))
    assert question.parameters == () and question.sparql.startswith("SELECT")


def test_invalid_sparql_is_bad_input(oxigraph: OxigraphEngine, tmp_path: Path) -> None:
    bad = tmp_path / "broken.rq"
    bad.write_text("# question: q\n# parameters: none\n# columns: x\nSELECT ?x WHERE { ?x ", encoding="utf-8")
    with pytest.raises(BadInputError, match="not valid SPARQL"):
        ask(get_question(str(bad)), oxigraph)


def test_formats(oxigraph: OxigraphEngine) -> None:
    answer = ask(QUESTIONS["care-team"], oxigraph)
    table = format_answer(answer, "table")
    assert table.splitlines()[0].startswith("care_provider") and "(5 rows)" in table
    assert format_answer(answer, "csv").splitlines()[0] == "care_provider,context,source"
    assert format_answer(answer, "json").lstrip().startswith("[")
    with pytest.raises(BadInputError, match="unknown format"):
        format_answer(answer, "xml")


def test_store_is_cached_and_reused(tmp_path: Path) -> None:
    first = OxigraphEngine.open(cache=tmp_path)
    assert first.path is not None and (first.path / "COMPLETE").is_file()
    marker = (first.path / "COMPLETE").stat().st_mtime_ns
    second = OxigraphEngine.open(cache=tmp_path)
    assert second.path == first.path
    assert (second.path / "COMPLETE").stat().st_mtime_ns == marker, "the cached store was rebuilt"
    assert ask(QUESTIONS["care-team"], second).rows == ask(QUESTIONS["care-team"], first).rows


def test_changed_release_gets_a_new_store(tmp_path: Path) -> None:
    release = tmp_path / "omsgraph.owl"
    release.write_bytes((resources.ontology_dir() / "omsgraph.owl").read_bytes())
    a = OxigraphEngine.open(release, cache=tmp_path / "cache")
    release.write_bytes(release.read_bytes().replace(b"neurosurgeon", b"neuro-surgeon"))
    b = OxigraphEngine.open(release, cache=tmp_path / "cache")
    assert a.path != b.path
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [b.path.name if b.path else ""]
