"""HPO in omsgraph: one release checked against (hpo3's), HPO's own text imported with its version."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from omsgraph import resources
from omsgraph.hpo import MODULE_FIELDS, TEXT_FIELDS, load_hpo, read_text
from omsgraph.hpo_text import parse_text
from omsgraph.release import load_release
from omsgraph.vocab import OBO, ONTOLOGY_IRI

HP_IMPORT = resources.ontology_dir() / "imports" / "hp_import.owl"
EXACT = TEXT_FIELDS["exact synonym"]


def test_hp_ids_are_checked_against_the_hpo3_release() -> None:
    hpo = load_hpo()
    assert hpo.version == "2025-11-24"
    assert hpo.terms["HP:0002360"].name == "Sleep disturbance"  # the 2025-11-24 label
    release = load_release()
    required = set(release.objects(ONTOLOGY_IRI, DCTERMS.requires))
    assert URIRef(f"http://purl.obolibrary.org/obo/hp/releases/{hpo.version}/hp.owl") in required


def test_anna_1_finds_anti_hu() -> None:
    module = load_release(HP_IMPORT)
    anti_hu = OBO["HP_5000016"]
    assert (anti_hu, EXACT, Literal("Anti-ANNA-1 antibody", lang="en")) in module
    hits = {s for s, o in module.subject_objects(EXACT) if "ANNA-1" in str(o)}
    assert anti_hu in hits


def test_every_imported_text_says_which_hpo_release_it_comes_from() -> None:
    module = load_release(HP_IMPORT)
    texts = [(s, p, o) for p in (TEXT_FIELDS[f] for f in MODULE_FIELDS) for s, o in module.subject_objects(p)]
    assert texts
    versions = {}
    for axiom in module.subjects(RDF.type, OWL.Axiom):
        key = (
            module.value(axiom, OWL.annotatedSource),
            module.value(axiom, OWL.annotatedProperty),
            module.value(axiom, OWL.annotatedTarget),
        )
        versions[key] = str(module.value(axiom, OWL.versionInfo))
        assert module.value(axiom, DCTERMS.source) is not None, f"imported HPO text without a source: {key}"
    missing = [t for t in texts if not versions.get(t, "").startswith("HPO ")]
    assert not missing, f"imported HPO text without its HPO version: {missing[:3]}"


def test_every_module_term_has_its_text_extracted() -> None:
    module = load_release(HP_IMPORT)
    extracted = read_text(resources.hpo_text())
    terms = sorted(str(s) for s in module.subjects(RDF.type, OWL.Class) if str(s).startswith(str(OBO["HP_"])))
    missing = [t for t in terms if "HP:" + t.rsplit("_", 1)[1] not in extracted]
    assert not missing, (
        f"HP terms without HPO text in ontology/imports/hp_text.tsv: {missing[:5]}; "
        "regenerate it with python -m omsgraph.hpo_text (see docs/knowledge.md)"
    )


def test_labels_come_from_the_checked_release_not_the_text_extract() -> None:
    module = load_release(HP_IMPORT)
    assert module.value(OBO["HP_0002360"], RDFS.label) == Literal("Sleep disturbance", lang="en")


def test_obo_text_parser_keeps_scopes_definitions_and_xrefs() -> None:
    obo = (
        "format-version: 1.2\ndata-version: hp/releases/2025-01-16\n\n[Term]\nid: HP:1\nname: x\n"
        'def: "A \\"quoted\\" definition." [PMID:1]\nsynonym: "broad one" BROAD []\n'
        'synonym: "abbr" EXACT abbreviation []\nxref: UMLS:C1 {source="x"}\n\n[Typedef]\nid: part_of\n'
    )
    version, texts = parse_text(obo)
    assert version == "2025-01-16"
    assert texts["HP:1"] == [
        ("name", "x"),
        ("definition", 'A "quoted" definition.'),
        ("broad synonym", "broad one"),
        ("exact synonym", "abbr"),
        ("xref", "UMLS:C1"),
    ]
