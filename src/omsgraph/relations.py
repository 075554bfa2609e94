"""Derived graphs that make the ontology easy to query (the Ubergraph / relation-graph idea).

Querying OWL directly means walking restriction and axiom blank nodes. From the release this
module derives two plain graphs, each kept in its own named graph of the query store:

- ``graph/relations``: one triple ``S P O`` per existential restriction ``S SubClassOf (P some O)``
  between named classes, plus the named class hierarchy (asserted and inferred ``rdfs:subClassOf``).
- ``graph/statements``: one ``rdf:Statement`` node per annotated axiom (curated statement, synonym,
  definition, mapping, inferred link) carrying its ``rdf:subject``/``rdf:predicate``/``rdf:object``
  and every annotation of the axiom (sources, evidence, population, frequency, context...).

The rest of the release is the named graph ``graph/ontology``. The three graphs are disjoint (the
named ``rdfs:subClassOf`` links live only in ``graph/relations``), so their union is exactly the
release plus the derived triples, whatever an engine's union semantics (some keep a triple found in
two graphs twice). Queries read the union of the three.
"""

from __future__ import annotations

import hashlib

from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from .vocab import BASE

GRAPH_ONTOLOGY = URIRef(BASE + "graph/ontology")
GRAPH_RELATIONS = URIRef(BASE + "graph/relations")
GRAPH_STATEMENTS = URIRef(BASE + "graph/statements")
STATEMENT = BASE + "statement/"
_REIFICATION = {RDF.type, OWL.annotatedSource, OWL.annotatedProperty, OWL.annotatedTarget}


def _restriction(graph: Graph, node: Node) -> tuple[URIRef, URIRef] | None:
    prop = graph.value(node, OWL.onProperty)
    filler = graph.value(node, OWL.someValuesFrom)
    if isinstance(prop, URIRef) and isinstance(filler, URIRef):
        return prop, filler
    return None


def relation_graph(ontology: Graph) -> Graph:
    """Direct edges for the existential restrictions, and the named class hierarchy."""
    out = Graph()
    for s, o in ontology.subject_objects(RDFS.subClassOf):
        if not isinstance(s, URIRef):
            continue
        if isinstance(o, URIRef):
            out.add((s, RDFS.subClassOf, o))
        elif isinstance(o, BNode) and (edge := _restriction(ontology, o)):
            out.add((s, edge[0], edge[1]))
    return out


def statement_graph(ontology: Graph) -> Graph:
    """One rdf:Statement per annotated axiom, with the axiom's annotations; IRIs are content hashes."""
    out = Graph()
    for ax in ontology.subjects(RDF.type, OWL.Axiom):
        subject = ontology.value(ax, OWL.annotatedSource)
        prop = ontology.value(ax, OWL.annotatedProperty)
        target = ontology.value(ax, OWL.annotatedTarget)
        if not isinstance(subject, URIRef) or not isinstance(prop, URIRef) or target is None:
            continue
        predicate, obj = prop, target
        if prop == RDFS.subClassOf and isinstance(target, BNode):
            edge = _restriction(ontology, target)
            if edge is None:
                continue
            predicate, obj = edge
        if isinstance(obj, BNode):
            continue
        annotations = sorted(
            (p, v)
            for p, v in ontology.predicate_objects(ax)
            if p not in _REIFICATION and not isinstance(v, BNode)
        )
        key = "\n".join(
            [subject.n3(), predicate.n3(), obj.n3(), *(f"{p.n3()} {v.n3()}" for p, v in annotations)]
        )
        node = URIRef(STATEMENT + hashlib.sha256(key.encode()).hexdigest()[:20])
        out.add((node, RDF.type, RDF.Statement))
        out.add((node, RDF.subject, subject))
        out.add((node, RDF.predicate, predicate))
        out.add((node, RDF.object, obj))
        for p, v in annotations:
            out.add((node, p, v))
    return out


def query_dataset(ontology: Graph) -> Dataset:
    """The three named graphs as an rdflib Dataset whose default graph is their union."""
    ds = Dataset(default_union=True)
    derived = relation_graph(ontology)
    rest = Graph()
    for triple in ontology:
        if triple not in derived:
            rest.add(triple)
    for name, graph in (
        (GRAPH_ONTOLOGY, rest),
        (GRAPH_RELATIONS, derived),
        (GRAPH_STATEMENTS, statement_graph(ontology)),
    ):
        target = ds.graph(name)
        for triple in graph:
            target.add(triple)
    return ds
