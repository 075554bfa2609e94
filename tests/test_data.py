"""Per-entity data quality of the project's curated tables; each failure names the entity and the fix."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import BNode
from rdflib.namespace import DCTERMS, OWL, RDFS

from omsgraph import resources
from omsgraph.curation import Mapping, Term, load_verified_ids, read_table
from omsgraph.hpo import load_hpo
from omsgraph.release import load_release
from omsgraph.vocab import HAS_EVIDENCE

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
TERMS = list(read_table(resources.curation_dir() / "terms.tsv", Term))
MAPPINGS = list(read_table(resources.curation_dir() / "mappings.tsv", Mapping))


def _ids(rows: list[Term], prefix: str, negate: bool = False) -> list[Term]:
    return [t for t in rows if t.id.startswith(prefix) != negate]


@pytest.mark.parametrize("term", _ids(TERMS, "HP:"), ids=lambda t: t.id)
def test_hp_term_is_current(term: Term) -> None:
    hpo = load_hpo()
    hp = hpo.terms.get(term.id)
    assert hp is not None, (
        f"{term.id} ({term.label}) is not in HPO {hpo.version}; fix terms.tsv row {term.row}"
    )
    assert not hp.obsolete, f"{term.id} is obsolete; use {hp.replaced_by} (terms.tsv row {term.row})"
    assert hp.name == term.label, (
        f"{term.id}: HPO calls it {hp.name!r}; fix the label in terms.tsv row {term.row}"
    )


@pytest.mark.parametrize("term", _ids(TERMS, "OMSG:"), ids=lambda t: t.id)
def test_minted_term_is_defined_and_sourced(term: Term) -> None:
    where = f"terms.tsv row {term.row} ({term.id} {term.label})"
    assert term.definition, f"{where}: write a definition in your own words"
    assert term.definition[0].isupper(), f"{where}: start the definition with a capital letter"
    assert term.definition.endswith("."), f"{where}: end the definition with a full stop"
    assert term.definition_sources, f"{where}: give the definition's sources"
    assert term.category, f"{where}: give a category"


@pytest.mark.parametrize(
    "term", [t for t in TERMS if not t.id.startswith(("HP:", "OMSG:"))], ids=lambda t: t.id
)
def test_reused_identifier_is_verified(term: Term) -> None:
    verified = load_verified_ids(resources.reference_ids())
    assert term.id in verified, (
        f"{term.id} ({term.label}) is not VERIFIED in ontology/reference/ids.tsv; "
        "use a verified identifier or mint an OMSG term with an identifier_gap"
    )
    assert term.label in verified[term.id], f"{term.id}: label should be one of {sorted(verified[term.id])}"


@pytest.mark.parametrize(
    "mapping",
    [m for m in MAPPINGS if m.object.startswith("ICD10CM:")],
    ids=lambda m: f"{m.subject}->{m.object}",
)
def test_icd10cm_code_exists_with_its_label(mapping: Mapping) -> None:
    import simple_icd_10_cm as icd

    code = mapping.object.split(":", 1)[1]
    assert icd.is_valid_item(code), f"{code} is not an ICD-10-CM code (mappings.tsv row {mapping.row})"
    assert icd.get_description(code) == mapping.object_label, (
        f"{code} is {icd.get_description(code)!r} in ICD-10-CM; "
        f"fix object_label in mappings.tsv row {mapping.row}"
    )


def test_every_statement_has_sources_and_evidence() -> None:
    graph = load_release()
    missing = []
    for ax in graph.subjects(OWL.annotatedProperty, RDFS.subClassOf):
        unsourced = graph.value(ax, DCTERMS.source) is None or graph.value(ax, HAS_EVIDENCE) is None
        if isinstance(graph.value(ax, OWL.annotatedTarget), BNode) and unsourced:
            missing.append(str(graph.value(ax, OWL.annotatedSource)))
    assert not missing, f"statements without source or evidence on: {sorted(set(missing))}"


def _shared(path: str) -> Path:
    target = SHARED / path
    if not target.exists():  # a user's clone has no shared/ beside it, CI included
        pytest.skip(f"{target} is not beside this checkout (only CI is guaranteed to have it)")
    return target


def test_no_sentence_is_copied_from_the_source_pages() -> None:
    tool = _shared("tools/check_copying.py")
    out = subprocess.run([sys.executable, str(tool), str(ROOT)], capture_output=True, text=True)
    assert out.returncode == 0, "rewrite these passages in your own words:\n" + out.stdout[-3000:]


def test_vendored_reference_ids_match_the_shared_copy() -> None:
    shared = _shared("reference/ids.tsv")
    assert resources.reference_ids().read_bytes() == shared.read_bytes(), (
        "ontology/reference/ids.tsv differs from shared/reference/ids.tsv; copy the shared one over"
    )
