"""The Protégé check: the OWL API (Protégé's library) loads every release file cleanly.

Debian's OWL API 5 runs these tests where it is installed (always in CI, which installs it); the
fallback on the OWL API 3 bundled in owlready2's HermiT.jar is tested too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from omsgraph import resources
from omsgraph.build import CATALOG_FILE, VARIANTS
from omsgraph.owlapi import BUNDLED, DEBIAN, check_files, debian_classpath

from .peers import require, system_java

pytestmark = pytest.mark.slow

RELEASE = [resources.ontology_dir() / name for files in VARIANTS.values() for name in files]


def _require_debian_owlapi() -> None:
    require(debian_classpath() is not None, "Debian's OWL API 5 (apt-get install libowlapi-java)")


def test_every_release_file_passes_the_owlapi_check() -> None:
    _require_debian_owlapi()
    report = check_files(RELEASE)
    assert report.library.startswith("OWL API 5"), report.library
    assert report.ok, report.summary()
    for f in report.files:
        assert f.axioms > 1000, f"{f.path}: only {f.axioms} axioms read"
        assert f.consistent is not False
    reasoned = [f for f in report.files if f.consistent]
    assert {Path(f.path).suffix for f in reasoned} >= {".owl", ".ttl"}, report.summary()


def test_edit_file_imports_resolve_offline_through_the_catalog() -> None:
    _require_debian_owlapi()
    ontology = resources.ontology_dir()
    report = check_files([resources.edit_file()], catalog=ontology / CATALOG_FILE)
    assert report.ok, report.summary()
    (edit,) = report.files
    assert sorted(Path(i.removeprefix("file:")).name for i in edit.imports) == [
        "curation.owl",
        "hp_import.owl",
    ]


def test_bundled_owlapi_fallback_checks_and_says_so() -> None:
    require(system_java() is not None, "a Java runtime")
    report = check_files([resources.ontology_dir() / VARIANTS["base"][0]], api=BUNDLED)
    assert "bundled in owlready2's HermiT.jar" in report.library
    assert report.ok, report.summary()
    assert report.files[0].consistent is True


@pytest.mark.parametrize("api", [DEBIAN, BUNDLED])
def test_owlapi_check_catches_what_protege_would_silently_repair(tmp_path: Path, api: str) -> None:
    if api == DEBIAN:
        _require_debian_owlapi()
    require(system_java() is not None, "a Java runtime")
    broken = tmp_path / "broken.ttl"
    broken.write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<http://example.org/o> a owl:Ontology .\n"
        "<http://example.org/A> a owl:Class ; rdfs:subClassOf <http://example.org/Undeclared> ;\n"
        "  rdfs:subClassOf [ a owl:Restriction ; owl:someValuesFrom <http://example.org/A> ] .\n",
        encoding="utf-8",
    )
    (f,) = check_files([broken], api=api, reasoner=False).files
    assert not f.ok
    assert f.violations or f.unparsed or f.error_iris, f.problems()


@pytest.mark.slow
def test_bundled_owlapi_accepts_every_file_check_loads() -> None:
    """Regression: on a machine without Debian's OWL API, `omsgraph check` failed on the edit file
    because OWL API 3 leaves the Turtle header's dcterms:license unparsed."""
    from omsgraph import resources
    from omsgraph.build import CATALOG_FILE
    from omsgraph.check import PROTEGE_FILES

    folder = resources.ontology_dir()
    report = check_files([folder / n for n in PROTEGE_FILES], catalog=folder / CATALOG_FILE, api="bundled")
    assert report.ok, report.summary()
    assert all(f.consistent for f in report.files)


def test_direct_edges_keep_every_file_owl2_dl_and_consistent() -> None:
    """The edges (punned individuals, annotated property assertions) alone and inside the full release."""
    _require_debian_owlapi()
    from omsgraph.build import EDGES_TTL, RELEASE_TTL

    folder = resources.ontology_dir()
    report = check_files([folder / EDGES_TTL, folder / RELEASE_TTL])
    assert report.ok, report.summary()
    for f in report.files:
        assert not f.violations, f.problems()
        assert f.consistent is True, f"HermiT: {f.path} is not consistent"
