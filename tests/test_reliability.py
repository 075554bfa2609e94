"""Regression tests for the defects the fuzzing and the issue-14 review found, each named after it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from omsgraph.build import parse_edit_file
from omsgraph.cli import main
from omsgraph.errors import MAX_MESSAGE, BadInputError, OmsgraphError
from omsgraph.release import load_release
from omsgraph.validate import load_data

from .fuzz.harness import message_problem

DATA = Path(__file__).parent / "data"
EDIT_SEED = Path(__file__).parent / "fuzz" / "seeds" / "edit.ttl"
CASE = DATA / "shapes" / "cases" / "CaseAge.conforms.ttl"


def one_error_line(args: list[str], env: dict[str, str] | None = None) -> str:
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code != 0, result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("omsgraph: error: "), result.stderr
    return lines[0]


def test_reason_names_the_true_line_of_a_turtle_error(tmp_path: Path) -> None:
    lines = [f"<http://e/s{i}> <http://e/p> <http://e/o{i}> ." for i in range(6000)]
    lines[4999] = "<http://e/s> <http://e/p> ."  # line 5000: a triple without object
    bad = tmp_path / "big.ttl"
    bad.write_text("\n".join(lines), encoding="utf-8")
    message = one_error_line(["reason", str(bad)])
    assert f"{bad}:5000:" in message and "5118" not in message


def test_edit_file_error_says_what_is_wrong_not_only_where(tmp_path: Path) -> None:
    seed = EDIT_SEED.read_text(encoding="utf-8")
    text = seed.replace("a owl:ObjectProperty ;", "a owl:ObjectProperty ; @@@", 1)
    bad = tmp_path / "omsgraph-edit.ttl"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(BadInputError) as caught:
        parse_edit_file(bad)
    message = str(caught.value)
    assert "of <>" not in message and "expected" in message and f"{bad}:" in message


def test_one_gigabyte_input_is_refused_before_it_is_read(tmp_path: Path) -> None:
    huge = tmp_path / "huge.ttl"
    with huge.open("wb") as handle:  # a sparse file: no gigabyte is written
        handle.truncate(1024**3)
    for args in (["reason", str(huge)], ["validate", str(huge)]):
        assert "input limit" in one_error_line(args) and "OMSGRAPH_MAX_INPUT_MB" in one_error_line(args)


def test_input_limit_is_overridable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OMSGRAPH_MAX_INPUT_MB", "0.0001")
    with pytest.raises(BadInputError, match="input limit"):
        load_data([CASE])
    monkeypatch.setenv("OMSGRAPH_MAX_INPUT_MB", "10")
    assert len(load_data([CASE])) > 0


def test_megabyte_long_cell_gives_a_bounded_one_line_message(tmp_path: Path) -> None:
    bad = tmp_path / "data.nt"
    bad.write_text('"' * 200_000 + "\n", encoding="utf-8")
    with pytest.raises(OmsgraphError) as caught:
        load_release(bad)
    assert len(str(caught.value)) <= MAX_MESSAGE and "\n" not in str(caught.value)


def test_broken_sparql_in_a_shapes_file_is_one_error_line(tmp_path: Path) -> None:
    shapes = (Path(__file__).parents[1] / "shapes" / "cases.ttl").read_text(encoding="utf-8")
    broken = tmp_path / "shapes.ttl"
    broken.write_text(shapes.replace("WHERE", "WHER", 1), encoding="utf-8")
    assert "shapes.ttl" in one_error_line(["validate", str(CASE), "-s", str(broken)])


def test_undecodable_query_parameter_is_bad_input() -> None:
    assert "not valid UTF-8" in one_error_line(["query", "signs", "-p", "population=\udcff"])


def test_unusable_cache_path_is_one_clear_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    message = one_error_line(["query", "signs"], env={"OMSGRAPH_CACHE": str(blocker / "cache")})
    assert "OMSGRAPH_CACHE" in message


def test_export_into_a_missing_folder_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "nonexistent" / "x.ttl"
    assert "does not exist" in one_error_line(["export", "-f", "ttl", "-o", str(target)])
    assert not target.parent.exists()


def test_validate_empty_file_fails_and_says_nothing_was_checked(tmp_path: Path) -> None:
    empty = tmp_path / "empty.ttl"
    empty.write_text("", encoding="utf-8")
    assert "0 focus nodes" in one_error_line(["validate", str(empty), "-s", "cases"])


def test_validate_case_with_a_typo_in_its_class_iri_fails(tmp_path: Path) -> None:
    typo = tmp_path / "case.ttl"
    typo.write_text(
        CASE.read_text(encoding="utf-8").replace("OMSG:0000501", "OMSG:0000510x"), encoding="utf-8"
    )
    assert "0 focus nodes" in one_error_line(["validate", str(typo), "-s", "cases"])


def test_odd_literal_prints_no_rdflib_traceback(tmp_path: Path) -> None:
    import subprocess
    import sys

    data = tmp_path / "case.ttl"  # the case's age as "two"^^xsd:integer: rdflib logs two tracebacks
    data.write_text(
        CASE.read_text(encoding="utf-8").replace("OMSG:0000701 1.5 ;", 'OMSG:0000701 "two"^^xsd:integer ;'),
        encoding="utf-8",
    )
    assert '"two"' in data.read_text(encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "omsgraph", "validate", str(data), "-s", "cases"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr[-2000:]


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(st.binary(max_size=2000), st.sampled_from([".ttl", ".owl", ".nt", ".jsonld"]))
def test_any_bytes_as_a_release_file_end_in_success_or_one_clean_line(data: bytes, suffix: str) -> None:
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"omsgraph-hypothesis{suffix}"
    path.write_bytes(data)
    for load in (load_release, lambda p: load_data([p])):
        try:
            load(path)
        except OmsgraphError as exc:
            assert message_problem(str(exc), (path.name,)) is None, str(exc)


def test_check_and_void_count_classes_and_triples_the_same_way() -> None:
    from omsgraph.build import RELEASE_NT, count_classes, count_triples
    from omsgraph.export import release_graph
    from omsgraph.export.void import DATASET, VOID, void_graph
    from omsgraph.resources import ontology_dir

    graph = release_graph()
    void = void_graph(graph)
    assert int(void.value(DATASET, VOID.classes)) == count_classes(graph)
    assert int(void.value(DATASET, VOID.triples)) == count_triples((ontology_dir() / RELEASE_NT).read_bytes())


def test_release_older_than_the_curated_tables_warns_to_run_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import shutil

    from omsgraph import release, resources

    folder = tmp_path / "ontology"
    (folder / "curation").mkdir(parents=True)
    for name in ("omsgraph.owl", "omsgraph-edit.ttl"):
        shutil.copy(resources.ontology_dir() / name, folder / name)
    table = folder / "curation" / "assertions.tsv"
    table.write_text("edited\n", encoding="utf-8")
    built = (folder / "omsgraph.owl").stat().st_mtime
    os.utime(table, (built + 60, built + 60))  # edited a minute after the build
    monkeypatch.setattr(resources, "ontology_dir", lambda: folder)
    monkeypatch.setattr(resources, "edit_file", lambda: folder / "omsgraph-edit.ttl")
    monkeypatch.setattr(resources, "curation_dir", lambda: folder / "curation")
    assert release.stale_inputs() == [table]
    release.warn_if_stale.cache_clear()
    release.warn_if_stale()
    release.warn_if_stale.cache_clear()
    assert "run `omsgraph build`" in caplog.text and "assertions.tsv" in caplog.text
    os.utime(table, (built, built))
    assert release.stale_inputs() == []


def test_rdf_xml_data_error_names_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "data.owl"
    bad.write_text(
        '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about="http://e/a">\n  </rdf:Descr>\n</rdf:RDF>\n',
        encoding="utf-8",
    )
    with pytest.raises(BadInputError, match=r"data\.owl:4: is not valid RDF/XML"):
        load_data([bad])


def test_deeply_nested_sparql_in_a_shapes_file_is_refused_not_a_crash(tmp_path: Path) -> None:
    shapes = (Path(__file__).parents[1] / "shapes" / "cases.ttl").read_text(encoding="utf-8")
    assert "WHERE {" in shapes
    deep = tmp_path / "shapes.ttl"  # oxigraph's SPARQL parser overflows its stack on this (exit 139)
    deep.write_text(shapes.replace("WHERE {", "WHERE {" + "{" * 5000 + "}" * 5000, 1), encoding="utf-8")
    message = one_error_line(["validate", str(CASE), "-s", str(deep)])
    assert "shapes.ttl" in message and "nested" in message


def test_invalid_iri_or_missing_this_in_a_shapes_file_is_one_error_line(tmp_path: Path) -> None:
    shapes = (Path(__file__).parents[1] / "shapes" / "cases.ttl").read_text(encoding="utf-8")
    bad = tmp_path / "shapes.ttl"
    bad.write_text(shapes.replace("SELECT DISTINCT $this", "SELECT DISTINCT ?other", 1), encoding="utf-8")
    assert "SELECT DISTINCT $this" in shapes
    assert "shapes.ttl" in one_error_line(["validate", str(CASE), "-s", str(bad)])
