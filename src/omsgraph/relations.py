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
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS
from rdflib.term import Node

from .vocab import (
    ASSERTED_ON,
    BASE,
    HAS_CLAIM,
    HAS_EVIDENCE,
    OIO,
    OMS,
    POPULATION,
)

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


# --- direct edges (shipped in the release) ---------------------------------------------------------

#: The annotations of a restriction axiom that its direct edges carry over.
EDGE_ANNOTATIONS = (DCTERMS.source, HAS_EVIDENCE, POPULATION, HAS_CLAIM)


def ancestors(graph: Graph) -> dict[URIRef, set[URIRef]]:
    """Every named class -> itself and its named superclasses, through asserted and inferred links."""
    parents: dict[URIRef, set[URIRef]] = {}
    for s, o in graph.subject_objects(RDFS.subClassOf):
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            parents.setdefault(s, set()).add(o)
    closure: dict[URIRef, set[URIRef]] = {}

    def up(node: URIRef) -> set[URIRef]:
        if node not in closure:
            found = {node}
            stack = list(parents.get(node, ()))
            while stack:
                parent = stack.pop()
                if parent not in found:
                    found.add(parent)
                    stack.extend(parents.get(parent, ()))
            closure[node] = found
        return closure[node]

    for node in list(parents):
        up(node)
    return closure


def oms_tree(graph: Graph, closure: dict[URIRef, set[URIRef]] | None = None) -> set[URIRef]:
    """OMS and every named class below it (asserted or inferred)."""
    up = closure if closure is not None else ancestors(graph)
    return {OMS} | {c for c, sups in up.items() if OMS in sups}


def _axiom_index(graph: Graph) -> dict[tuple[Node, Node], Node]:
    """(class, restriction node) -> the owl:Axiom annotating `class SubClassOf restriction`."""
    index: dict[tuple[Node, Node], Node] = {}
    for ax in graph.subjects(OWL.annotatedProperty, RDFS.subClassOf):
        source, target = graph.value(ax, OWL.annotatedSource), graph.value(ax, OWL.annotatedTarget)
        if source is not None and isinstance(target, BNode):
            index[(source, target)] = ax
    return index


def direct_edges(graph: Graph) -> Graph:
    """Plain triples `C R O` for OMS and each of its named subtypes C (relation-graph style).

    An edge holds for C when `X SubClassOf (R some O)` is stated (R an object property, O a named
    class) for X = C, an ancestor of C within the OMS tree (inherited), or a subtype of C (rolled up:
    what is true of some cases of C). ``graph`` must hold the inferred hierarchy. C and O are
    declared named individuals (OWL 2 punning); each edge is an annotated axiom carrying the
    sources, evidence, populations and claims of the restrictions it comes from, and the classes
    they were asserted on (``asserted on``).
    """
    closure = ancestors(graph)
    tree = oms_tree(graph, closure)
    axioms = _axiom_index(graph)
    object_properties = set(graph.subjects(RDF.type, OWL.ObjectProperty))
    stated: dict[URIRef, list[tuple[URIRef, URIRef, Node | None]]] = {}
    for x in tree:
        for r in graph.objects(x, RDFS.subClassOf):
            edge = _restriction(graph, r) if isinstance(r, BNode) else None
            if edge is not None and edge[0] in object_properties:
                stated.setdefault(x, []).append((*edge, axioms.get((x, r))))
    out = Graph()
    for c in sorted(tree):
        related = {x for x in tree if x in closure.get(c, {c}) or c in closure.get(x, {x})}
        support: dict[tuple[URIRef, URIRef], list[tuple[URIRef, Node | None]]] = {}
        for x in related:
            for prop, filler, ax in stated.get(x, ()):
                support.setdefault((prop, filler), []).append((x, ax))
        for (prop, filler), origins in sorted(support.items()):
            out.add((c, prop, filler))
            out.add((c, RDF.type, OWL.NamedIndividual))
            out.add((filler, RDF.type, OWL.NamedIndividual))
            ax = BNode()
            out.add((ax, RDF.type, OWL.Axiom))
            out.add((ax, OWL.annotatedSource, c))
            out.add((ax, OWL.annotatedProperty, prop))
            out.add((ax, OWL.annotatedTarget, filler))
            for x, origin in origins:
                out.add((ax, ASSERTED_ON, x))
                if origin is not None:
                    for ap in EDGE_ANNOTATIONS:
                        for value in graph.objects(origin, ap):
                            out.add((ax, ap, value))
    return out


def inferred_tree_links(graph: Graph) -> list[tuple[URIRef, URIRef]]:
    """The inferred `rdfs:subClassOf` links (annotated ``is_inferred``) between classes of the OMS tree."""
    tree = oms_tree(graph)
    links = []
    for ax in graph.subjects(OIO.is_inferred, None):
        sub, sup = graph.value(ax, OWL.annotatedSource), graph.value(ax, OWL.annotatedTarget)
        if (
            graph.value(ax, OWL.annotatedProperty) == RDFS.subClassOf
            and isinstance(sub, URIRef)
            and isinstance(sup, URIRef)
            and sub in tree
            and sup in tree
        ):
            links.append((sub, sup))
    return sorted(links)
