"""The build: golden graphs compared as graphs, reproducible bytes, atomic writes, committed = fresh."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal
from rdflib.compare import graph_diff, to_isomorphic
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, XSD
from rdflib.term import Node

from omsgraph import resources
from omsgraph.build import (
    BASE_IRI,
    COMPONENT_FILE,
    RELEASE_FILES,
    RELEASE_JSONLD,
    RELEASE_OWL,
    RELEASE_TTL,
    VARIANTS,
    Release,
    build_release,
    write_release,
)
from omsgraph.serialize import write_atomic
from omsgraph.vocab import (
    CLAIM,
    CLAIM_NS,
    CLAIM_OBJECT,
    CLAIM_RELATION,
    CLAIM_SUBJECT,
    HAS_CLAIM,
    MAXIMUM_VALUE,
    OBO,
    OMSG,
    POPULATION,
    QUANTITY,
)

from .conftest import MINI


def assert_isomorphic(actual: Graph, expected: Graph) -> None:
    a, e = to_isomorphic(actual), to_isomorphic(expected)
    if a != e:
        _, only_actual, only_expected = graph_diff(a, e)
        lines = [f"+ {t}" for t in sorted(only_actual)][:30] + [f"- {t}" for t in sorted(only_expected)][:30]
        pytest.fail("graphs differ (+ built only, - expected only):\n" + "\n".join(lines))


def test_component_matches_golden_graph(mini_release: Release) -> None:
    built = Graph().parse(data=mini_release.files[COMPONENT_FILE], format="xml")
    expected = Graph().parse(MINI / "expected-component.ttl", format="turtle")
    assert_isomorphic(built, expected)


def test_release_owl_and_turtle_are_the_same_graph(mini_release: Release) -> None:
    owl = Graph().parse(data=mini_release.files[RELEASE_OWL], format="xml")
    ttl = Graph().parse(data=mini_release.files[RELEASE_TTL], format="turtle")
    assert_isomorphic(owl, ttl)
    assert len(owl) == mini_release.counts["triples"]


RDFLIB_FORMATS = {".owl": "xml", ".ttl": "turtle", ".jsonld": "json-ld", ".nt": "nt"}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_every_format_of_a_variant_is_the_same_graph(mini_release: Release, variant: str) -> None:
    first, *others = VARIANTS[variant]
    reference = Graph().parse(data=mini_release.files[first], format="xml")
    assert len(reference) > 100
    for name in others:
        fmt = RDFLIB_FORMATS[Path(name).suffix]
        assert_isomorphic(Graph().parse(data=mini_release.files[name], format=fmt), reference)


def test_every_variant_file_is_a_release_file() -> None:
    assert {n for files in VARIANTS.values() for n in files} <= set(RELEASE_FILES)


def test_base_holds_own_axioms_only(mini_release: Release) -> None:
    from rdflib.namespace import OWL, RDF

    from omsgraph.relations import oms_tree
    from omsgraph.vocab import OIO, ONTOLOGY_IRI

    base, full = mini_release.base, mini_release.graph
    assert (BASE_IRI, RDF.type, OWL.Ontology) in base and (ONTOLOGY_IRI, RDF.type, OWL.Ontology) not in base
    tree = oms_tree(full)
    for ax in base.subjects(OIO.is_inferred, None):  # only the links within the OMS tree
        assert {base.value(ax, OWL.annotatedSource), base.value(ax, OWL.annotatedTarget)} <= tree
    assert list(full.triples((None, OIO.is_inferred, None))), "the full release holds the inferred links"
    labels = {str(o) for o in base.objects(None, None)}
    assert "Phenotypic abnormality" not in labels, "the base must not hold the HPO module"
    assert len(base) < len(full)


def test_jsonld_has_a_compact_context(mini_release: Release) -> None:
    import json

    doc = json.loads(mini_release.files[RELEASE_JSONLD])
    assert doc["@context"]["OMSG"] == {"@id": "https://w3id.org/omsgraph/OMSG_", "@prefix": True}
    ids = {node["@id"] for node in doc["@graph"]}
    assert "OMSG:0000001" in ids or any(i.startswith("OMSG:") for i in ids)
    assert not any(i.startswith("https://w3id.org/omsgraph/OMSG_") for i in ids), "IRIs left uncompacted"


def test_build_is_reproducible_across_processes(tmp_path: Path) -> None:
    """Two builds in processes with different hash seeds write identical bytes."""
    script = (
        "import sys; from pathlib import Path; from omsgraph.build import build_release, write_release; "
        f"write_release(build_release(curation_dir=Path({str(MINI)!r})), Path(sys.argv[1]))"
    )
    for seed, out in (("1", "a"), ("2", "b")):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", script, str(tmp_path / out)], check=True, env=env)
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert files_a, "the build wrote nothing"
    for rel in files_a:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), f"{rel} differs"


def test_committed_release_matches_fresh_build(project_release: Release) -> None:
    stale = [
        name
        for name, data in project_release.files.items()
        if (resources.ontology_dir() / name).read_bytes() != data
    ]
    assert not stale, (
        f"committed release files are stale: {stale}; run `omsgraph build` and commit the result"
    )


def test_write_release_skips_unchanged_files(mini_release: Release, tmp_path: Path) -> None:
    first = write_release(mini_release, tmp_path)
    assert len(first) == len(mini_release.files)
    assert write_release(mini_release, tmp_path) == []
    assert oct((tmp_path / RELEASE_OWL).stat().st_mode & 0o777) != "0o600"


def test_interrupted_write_leaves_the_previous_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "omsgraph.owl"
    target.write_bytes(b"previous release")

    def crash(_: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"new release, half written")
    assert target.read_bytes() == b"previous release"
    assert [p.name for p in tmp_path.iterdir()] == ["omsgraph.owl"], "temporary file left behind"


def test_hp_import_holds_ancestors_up_to_phenotypic_abnormality(mini_release: Release) -> None:
    hp = Graph().parse(data=mini_release.files["imports/hp_import.owl"], format="xml")
    labels = {str(o) for o in hp.objects(None, None) if getattr(o, "language", None) == "en"}
    assert "Phenotypic abnormality" in labels
    assert "Myoclonus" in labels
    assert "All" not in labels


def test_build_refuses_an_unsatisfiable_ontology(tmp_path: Path) -> None:
    from omsgraph.errors import CheckFailedError

    edit = resources.edit_file().read_text(encoding="utf-8")
    broken = tmp_path / "omsgraph-edit.ttl"
    broken.write_text(
        edit + '\n:0000999 a owl:Class ; rdfs:label "impossible"@en ; rdfs:subClassOf :0000607, :0000603 .\n',
        encoding="utf-8",
    )
    with pytest.raises(CheckFailedError, match=r"unsatisfiable classes: .*OMSG_0000999"):
        build_release(edit_file=broken, curation_dir=MINI)


@pytest.mark.parametrize("variant", ["full", "base"])
def test_release_header_carries_fair_metadata(mini_release: Release, variant: str) -> None:
    from rdflib.namespace import DCTERMS, OWL

    from omsgraph.build import OWL2_DL_PROFILE, VOID_IN_DATASET
    from omsgraph.vocab import ONTOLOGY_IRI

    graph, iri = (mini_release.graph, ONTOLOGY_IRI) if variant == "full" else (mini_release.base, BASE_IRI)
    for prop in (
        DCTERMS.title,
        DCTERMS.description,
        DCTERMS.license,
        DCTERMS.creator,
        DCTERMS.modified,
        DCTERMS.subject,
        DCTERMS.source,
        OWL.versionInfo,
        OWL.versionIRI,
        VOID_IN_DATASET,
    ):
        assert graph.value(iri, prop) is not None, f"the {variant} release has no {prop}"
    assert graph.value(iri, DCTERMS.conformsTo) == OWL2_DL_PROFILE


def test_blank_node_cycle_is_bad_input_not_a_recursion_error() -> None:
    from rdflib import BNode, URIRef

    from omsgraph.errors import BadInputError
    from omsgraph.serialize import blank_node_labels

    g = Graph()
    a, b = BNode(), BNode()
    g.add((a, URIRef("urn:p"), b))
    g.add((b, URIRef("urn:p"), a))
    with pytest.raises(BadInputError, match="cycle of blank nodes"):
        blank_node_labels(g)


def test_long_rdf_list_does_not_overflow_the_stack() -> None:
    from rdflib import BNode, URIRef
    from rdflib.namespace import RDF

    from omsgraph.serialize import blank_node_labels

    g = Graph()
    node: BNode = BNode()
    g.add((URIRef("urn:x"), URIRef("urn:members"), node))
    for i in range(5000):
        nxt = BNode()
        g.add((node, RDF.first, URIRef(f"urn:m{i}")))
        g.add((node, RDF.rest, nxt if i < 4999 else RDF.nil))
        node = nxt
    labels = blank_node_labels(g)
    assert len(labels) == 5000 and len(set(labels.values())) == 5000


def _restriction_axioms(graph: Graph) -> Counter[tuple[Node | None, ...]]:
    """(subject, property, filler) of every annotated `S SubClassOf (P some O)` axiom, counted."""
    found: Counter[tuple[Node | None, ...]] = Counter()
    for ax in graph.subjects(RDF.type, OWL.Axiom):
        target = graph.value(ax, OWL.annotatedTarget)
        if isinstance(target, BNode):
            key = (graph.value(target, OWL.onProperty), graph.value(target, OWL.someValuesFrom))
            found[(graph.value(ax, OWL.annotatedSource), *key)] += 1
    return found


def test_statement_with_two_sources_is_one_axiom_not_a_copy_per_source(project_release: Release) -> None:
    graph = project_release.graph
    axioms = _restriction_axioms(graph)
    assert axioms and max(axioms.values()) == 1, [k for k, n in axioms.items() if n > 1][:5]
    restrictions: Counter[tuple[Node | None, ...]] = Counter(
        (s, graph.value(r, OWL.onProperty), graph.value(r, OWL.someValuesFrom))
        for s, r in graph.subject_objects(RDFS.subClassOf)
        if isinstance(r, BNode)
    )
    assert max(restrictions.values()) == 1, [k for k, n in restrictions.items() if n > 1][:5]
    # CHEBI:2948 (azathioprine) is in the category immunotherapy, said by Gale and by Verywell.
    key = (OBO["CHEBI_2948"], OMSG["0000312"], OMSG["0000102"])

    def restriction_of(ax: Node) -> tuple[Node | None, ...]:
        target = graph.value(ax, OWL.annotatedTarget)
        on = (graph.value(target, OWL.onProperty), graph.value(target, OWL.someValuesFrom))
        return (graph.value(ax, OWL.annotatedSource), *on)

    (ax,) = [a for a in graph.subjects(RDF.type, OWL.Axiom) if restriction_of(a) == key]
    assert set(graph.objects(ax, DCTERMS.source)) == {OMSG["0009004"], OMSG["0009005"]}
    claims = set(graph.objects(ax, HAS_CLAIM))
    assert len(claims) == 2
    assert {s for c in claims for s in graph.objects(c, DCTERMS.source)} == {OMSG["0009004"], OMSG["0009005"]}


def test_every_statement_row_is_a_claim_with_its_subject_relation_and_object(
    mini_release: Release,
) -> None:
    graph = mini_release.graph
    claims = set(graph.subjects(RDF.type, CLAIM))
    assert len(claims) == len(mini_release.curation.assertions) == 4
    for claim in claims:
        assert str(claim).startswith(CLAIM_NS) and len(str(claim)) == len(CLAIM_NS) + 16
        assert (claim, RDF.type, OWL.NamedIndividual) in graph
        for prop in (CLAIM_SUBJECT, CLAIM_RELATION, CLAIM_OBJECT, DCTERMS.source, POPULATION):
            assert graph.value(claim, prop) is not None, f"{claim} lacks {prop}"
        assert (None, HAS_CLAIM, claim) in graph, f"no axiom links {claim}"
    (typed,) = graph.subjects(QUANTITY, None)
    assert graph.value(typed, MAXIMUM_VALUE) == Literal("0.5", datatype=XSD.decimal)
    assert graph.value(typed, CLAIM_OBJECT) == OBO["MONDO_0005072"]
