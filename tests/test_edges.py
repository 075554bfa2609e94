"""Direct edges: what is true of a subtype is reachable from OMS, in the full release and its own file."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from omsgraph.build import EDGES_TTL, RELEASE_FILES, Release
from omsgraph.vocab import ASSERTED_ON, HAS_CLAIM, OBO, OIO, OMS, OMSG, POPULATION

NEUROBLASTOMA_OMS = OMSG["0001000"]
HAS_BASIS_IN = OBO["RO_0004019"]
HAS_PHENOTYPE = OBO["RO_0002200"]


def _edge_axiom(graph: Graph, s: URIRef, p: URIRef, o: URIRef) -> URIRef:
    (ax,) = [
        a
        for a in graph.subjects(OWL.annotatedSource, s)
        if (a, OWL.annotatedProperty, p) in graph and (a, OWL.annotatedTarget, o) in graph
    ]
    return ax  # type: ignore[return-value]


def test_subtype_fact_is_rolled_up_to_oms_with_its_source(mini_release: Release) -> None:
    g = mini_release.graph
    assert (OMS, HAS_BASIS_IN, OBO["MONDO_0005072"]) in g
    assert (OMS, RDF.type, OWL.NamedIndividual) in g and (
        OBO["MONDO_0005072"],
        RDF.type,
        OWL.NamedIndividual,
    ) in g
    ax = _edge_axiom(g, OMS, HAS_BASIS_IN, OBO["MONDO_0005072"])
    assert set(g.objects(ax, ASSERTED_ON)) == {NEUROBLASTOMA_OMS}
    assert set(g.objects(ax, DCTERMS.source)) == {OMSG["0009002"]}  # visualdx
    assert set(g.objects(ax, POPULATION)) == {OMSG["0000201"]}
    (claim,) = g.objects(ax, HAS_CLAIM)
    assert (claim, DCTERMS.source, OMSG["0009002"]) in g


def test_oms_fact_is_inherited_by_its_subtypes(mini_release: Release) -> None:
    g = mini_release.graph
    assert (NEUROBLASTOMA_OMS, HAS_PHENOTYPE, OBO["HP_0010543"]) in g
    ax = _edge_axiom(g, NEUROBLASTOMA_OMS, HAS_PHENOTYPE, OBO["HP_0010543"])
    assert set(g.objects(ax, ASSERTED_ON)) == {OMS}
    # a subtype's fact does not leak to a sibling subtype (adult-onset OMS)
    assert (OMSG["0000602"], HAS_BASIS_IN, OBO["MONDO_0005072"]) not in g


def test_edges_file_holds_exactly_the_edges_of_the_full_release(mini_release: Release) -> None:
    assert EDGES_TTL in RELEASE_FILES
    edges = Graph().parse(data=mini_release.files[EDGES_TTL], format="turtle")
    full = mini_release.graph
    plain = {(s, p, o) for s, p, o in edges if isinstance(o, URIRef) and p in {HAS_BASIS_IN, HAS_PHENOTYPE}}
    assert (OMS, HAS_BASIS_IN, OBO["MONDO_0005072"]) in plain
    assert all(t in full for t in plain)
    assert edges.value(OBO["MONDO_0005072"], RDFS.label) is not None, "edge ends carry their labels"
    assert (HAS_BASIS_IN, RDF.type, OWL.ObjectProperty) in edges


def test_base_subclass_closure_reaches_the_defined_subtypes(mini_release: Release) -> None:
    query = "SELECT ?c WHERE { ?c rdfs:subClassOf+ ?oms }"
    rows = mini_release.base.query(query, initNs={"rdfs": RDFS}, initBindings={"oms": OMS})
    found = {row[0] for row in rows}  # type: ignore[index]
    # pediatric-onset, adult-onset and paraneoplastic OMS reach OMS only through an equivalence
    assert {OMSG["0000601"], OMSG["0000602"], OMSG["0000603"], NEUROBLASTOMA_OMS} <= found
    link = _edge_axiom(mini_release.base, OMSG["0000603"], RDFS.subClassOf, OMS)
    assert mini_release.base.value(link, OIO.is_inferred) is not None
