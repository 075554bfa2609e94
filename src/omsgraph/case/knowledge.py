"""What case support reads from the release graph: the criteria, the work-up, the differential, OMS's profile.

No medical fact lives in this code: every criterion, test, antibody, tumour, differential and sign comes
from the release (``ontology/omsgraph.ttl``): the criteria from their defined classes, the rest from the
``SubClassOf (R some O)`` axioms on OMS and its subtypes with the sources, populations and contexts
annotated on them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS
from rdflib.term import Node

from ..vocab import (
    ADULTS,
    ALL_PATIENTS,
    CHILDREN,
    CONTEXT,
    FREQUENCY,
    HAS_FINDING,
    MEETS_CRITERIA,
    OMS,
    POPULATION,
    contract,
)

OMSG_BASE = "https://w3id.org/omsgraph/OMSG_"
CRITERION = URIRef(OMSG_BASE + "0000510")
HAS_CLAIM_LABEL = "has claim"
#: relation labels case support reads (properties are found by label, so renumbering does not break it)
RELATIONS = {
    "phenotype": "has phenotype",
    "test": "has diagnostic test",
    "differential": "has differential diagnosis",
    "antibody": "is associated with autoantibody",
    "basis": "disease has basis in",
    "note": "diagnostic note",
}
POPULATION_NAMES = {CHILDREN: "children", ADULTS: "adults", ALL_PATIENTS: "all"}


@dataclass(frozen=True)
class Source:
    id: str
    label: str

    def as_json(self) -> dict[str, str]:
        return {"id": self.id, "label": self.label}


@dataclass(frozen=True)
class Statement:
    """One ``subject relation object`` statement of the graph with its annotations."""

    subject: str
    relation: str
    object: str  # a CURIE, or the text of a literal statement
    object_label: str
    populations: tuple[str, ...]
    frequency: str
    contexts: tuple[str, ...]
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Criterion:
    id: str
    name: str
    targets: tuple[str, ...]  # CURIEs; a finding counts when it is one of them or a descendant
    sources: tuple[Source, ...]


@dataclass(eq=False)  # hashable by identity, so it can key caches
class Knowledge:
    labels: dict[str, str]
    criteria: list[Criterion]
    rule: list[frozenset[str]]  # the combinations of criterion ids that meet the criteria
    rule_sources: tuple[Source, ...]
    oms_tree: list[str]  # OMS and its subtypes, CURIEs
    parents: dict[str, list[str]]  # named superclasses of every named class of the graph
    statements: list[Statement] = field(default_factory=list)
    categories: dict[str, str] = field(default_factory=dict)

    def about(self, relation: str, subjects: list[str] | None = None) -> list[Statement]:
        wanted = RELATIONS[relation]
        keep = set(subjects if subjects is not None else self.oms_tree)
        return [s for s in self.statements if s.relation == wanted and s.subject in keep]

    def label(self, curie: str) -> str:
        return self.labels.get(curie, curie)


def _sources(graph: Graph, node: Node) -> tuple[Source, ...]:
    found = {
        Source(contract(str(s)), str(graph.value(s, RDFS.label) or contract(str(s))))
        for s in graph.objects(node, DCTERMS.source)
        if isinstance(s, URIRef)
    }
    return tuple(sorted(found, key=lambda s: s.id))


def _curies(graph: Graph, node: Node) -> list[str]:
    """A named class, or the members of a union, as CURIEs."""
    if isinstance(node, URIRef):
        return [contract(str(node))]
    members = graph.value(node, OWL.unionOf)
    if members is None:
        return []
    return [contract(str(m)) for m in Collection(graph, members) if isinstance(m, URIRef)]


def _criterion_targets(graph: Graph, criterion: URIRef) -> list[str]:
    targets: list[str] = []
    for eq in graph.objects(criterion, OWL.equivalentClass):
        parts = graph.value(eq, OWL.intersectionOf)
        for part in Collection(graph, parts) if parts is not None else []:
            if graph.value(part, OWL.onProperty) == HAS_FINDING:
                targets += _curies(graph, graph.value(part, OWL.someValuesFrom))  # type: ignore[arg-type]
    return targets


def _rule(graph: Graph) -> list[frozenset[str]]:
    combos: list[frozenset[str]] = []
    for eq in graph.objects(MEETS_CRITERIA, OWL.equivalentClass):
        union = graph.value(eq, OWL.unionOf)
        for member in Collection(graph, union) if union is not None else []:
            inter = graph.value(member, OWL.intersectionOf)
            if inter is not None:
                combos.append(frozenset(contract(str(c)) for c in Collection(graph, inter)))
    return combos


def _descendants(graph: Graph, root: URIRef) -> list[URIRef]:
    seen: list[URIRef] = [root]
    stack = [root]
    while stack:
        for child in graph.subjects(RDFS.subClassOf, stack.pop()):
            if isinstance(child, URIRef) and child not in seen:
                seen.append(child)
                stack.append(child)
    return seen


def _axioms(graph: Graph) -> Iterator[tuple[Node, Node, Node, Node]]:
    for axiom in graph.subjects(RDF.type, OWL.Axiom):
        yield (
            axiom,
            graph.value(axiom, OWL.annotatedSource),
            graph.value(axiom, OWL.annotatedProperty),
            graph.value(axiom, OWL.annotatedTarget),
        )  # type: ignore[misc]


def _texts(graph: Graph, node: Node, prop: URIRef) -> list[str]:
    return sorted(str(v) for v in graph.objects(node, prop))


def from_graph(graph: Graph) -> Knowledge:
    labels: dict[str, str] = {}
    for s, label in graph.subject_objects(RDFS.label):
        if isinstance(s, URIRef):
            labels.setdefault(contract(str(s)), str(label))
    prop_by_label = {
        str(graph.value(p, RDFS.label)): p
        for t in (OWL.ObjectProperty, OWL.AnnotationProperty)
        for p in graph.subjects(RDF.type, t)
    }
    relation_of = {prop_by_label[name]: name for name in RELATIONS.values() if name in prop_by_label}
    has_claim = prop_by_label.get(HAS_CLAIM_LABEL)
    criteria = [
        Criterion(
            contract(str(c)),
            labels[contract(str(c))],
            tuple(_criterion_targets(graph, c)),
            _sources(graph, c),
        )
        for c in sorted(graph.subjects(RDFS.subClassOf, CRITERION), key=str)
        if isinstance(c, URIRef) and c != MEETS_CRITERIA and _criterion_targets(graph, c)
    ]
    tree = [contract(str(c)) for c in _descendants(graph, OMS)]
    parents: dict[str, list[str]] = {}
    for child, parent in graph.subject_objects(RDFS.subClassOf):
        if isinstance(child, URIRef) and isinstance(parent, URIRef):
            parents.setdefault(contract(str(child)), []).append(contract(str(parent)))
    statements: list[Statement] = []
    for axiom, source, prop, target in _axioms(graph):
        if not isinstance(source, URIRef):
            continue
        subject = contract(str(source))
        if isinstance(target, Literal) and prop in relation_of:
            relation, obj, obj_label = relation_of[prop], str(target), ""
        elif prop == RDFS.subClassOf and target is not None:
            restricted = graph.value(target, OWL.onProperty)
            filler = graph.value(target, OWL.someValuesFrom)
            if restricted not in relation_of or not isinstance(filler, URIRef):
                continue
            relation = relation_of[restricted]
            obj = contract(str(filler))
            obj_label = labels.get(obj, obj)
        else:
            continue
        notes = [axiom, *(graph.objects(axiom, has_claim) if has_claim is not None else [])]
        pops = sorted(
            {POPULATION_NAMES.get(p, contract(str(p))) for n in notes for p in graph.objects(n, POPULATION)}  # type: ignore[call-overload]
        )
        statements.append(
            Statement(
                subject=subject,
                relation=relation,
                object=obj,
                object_label=obj_label,
                populations=tuple(pops or ["all"]),
                frequency="; ".join(sorted({t for n in notes for t in _texts(graph, n, FREQUENCY)})),
                contexts=tuple(sorted({t for n in notes for t in _texts(graph, n, CONTEXT)})),
                sources=tuple(sorted({s for n in notes for s in _sources(graph, n)}, key=lambda s: s.id)),
            )
        )
    statements.sort(key=lambda s: (s.subject, s.relation, s.object))
    categories = {
        contract(str(s)): str(o)
        for s, o in graph.subject_objects(URIRef(OMSG_BASE + "0000013"))
        if isinstance(s, URIRef)
    }
    return Knowledge(
        labels=labels,
        criteria=criteria,
        rule=_rule(graph),
        rule_sources=_sources(graph, MEETS_CRITERIA),
        oms_tree=tree,
        parents={c: sorted(p) for c, p in parents.items()},
        statements=statements,
        categories=categories,
    )


@cache
def load_knowledge(path: Path | None = None) -> Knowledge:
    """The knowledge case support needs, from the release file (default: ``ontology/omsgraph.ttl``)."""
    from .. import resources
    from ..release import load_release

    return from_graph(load_release(path or resources.ontology_dir() / "omsgraph.ttl"))
