"""Direct edges (the relation-graph / Ubergraph idea), materialised at build time into the release.

Querying OWL directly means walking restriction blank nodes, and a fact stated on a subtype of OMS
is not found from OMS. ``direct_edges`` turns the existential restrictions of OMS and its named
subtypes, with the inferred hierarchy, into plain triples ``C R O``; the build ships them as
``ontology/omsgraph-edges.ttl`` and inside the full release, so any store can query them.
"""

from __future__ import annotations

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS
from rdflib.term import Node

from .vocab import (
    ASSERTED_ON,
    HAS_CLAIM,
    HAS_EVIDENCE,
    OIO,
    OMS,
    POPULATION,
)

#: The annotations of a restriction axiom that its direct edges carry over.
EDGE_ANNOTATIONS = (DCTERMS.source, HAS_EVIDENCE, POPULATION, HAS_CLAIM)


def _restriction(graph: Graph, node: Node) -> tuple[URIRef, URIRef] | None:
    prop = graph.value(node, OWL.onProperty)
    filler = graph.value(node, OWL.someValuesFrom)
    if isinstance(prop, URIRef) and isinstance(filler, URIRef):
        return prop, filler
    return None


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
