"""The clinical criteria applied by HermiT: each case as an OWL individual, classified under the
criteria's defined classes exactly as the release states them.

Each present finding F of a case becomes the type ``has finding some F`` of the case individual;
excluded findings are left out (under OWL's open world they then count for nothing, as in
:func:`omsgraph.case.criteria.evaluate`). The ontology classified is the criteria's axioms copied
from the release, the HPO hierarchy above every HP term involved (from the HPO release omsgraph
checks against) and the graph's hierarchy above the other findings.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from ..hpo import Hpo
from ..reason import find_java
from ..serialize import to_ntriples
from ..vocab import HAS_FINDING, MEETS_CRITERIA, PATIENT_CASE, expand
from .criteria import ancestors
from .knowledge import CRITERION, Knowledge
from .model import Case
from .records import case_iri


def _copy_description(source: Graph, target: Graph, node: Node) -> None:
    """Copy the triples of ``node`` and of every blank node they reach (class expressions, lists)."""
    stack = [node]
    seen: set[Node] = set()
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        for p, o in source.predicate_objects(current):
            if p in (
                RDF.type,
                RDFS.subClassOf,
                OWL.equivalentClass,
                OWL.intersectionOf,
                OWL.unionOf,
                OWL.onProperty,
                OWL.someValuesFrom,
                RDF.first,
                RDF.rest,
            ):
                target.add((current, p, o))
                if isinstance(o, BNode):
                    stack.append(o)


def criteria_ontology(release: Graph, cases: Sequence[Case], knowledge: Knowledge, hpo: Hpo) -> Graph:
    graph = Graph()
    graph.add((URIRef("https://w3id.org/omsgraph/case/criteria.owl"), RDF.type, OWL.Ontology))
    graph.add((HAS_FINDING, RDF.type, OWL.ObjectProperty))
    criteria = [MEETS_CRITERIA, CRITERION, PATIENT_CASE, *(expand(c.id) for c in knowledge.criteria)]
    for cls in criteria:
        graph.add((cls, RDF.type, OWL.Class))
        for eq in release.objects(cls, OWL.equivalentClass):
            graph.add((cls, OWL.equivalentClass, eq))
            _copy_description(release, graph, eq)
    terms = {t for c in knowledge.criteria for t in c.targets}
    for case in cases:
        terms.update(case.present)
    for term in terms:
        for above in ancestors(term, hpo, knowledge):
            parents = (
                hpo.terms[above].parents if above.startswith("HP:") else knowledge.parents.get(above, [])
            )
            graph.add((expand(above), RDF.type, OWL.Class))
            for parent in parents:
                if parent != "HP:0000001":
                    graph.add((expand(above), RDFS.subClassOf, expand(parent)))
    for case in cases:
        node = case_iri(case)
        graph.add((node, RDF.type, OWL.NamedIndividual))
        graph.add((node, RDF.type, PATIENT_CASE))
        for finding in case.present:
            restriction = BNode()
            graph.add((restriction, RDF.type, OWL.Restriction))
            graph.add((restriction, OWL.onProperty, HAS_FINDING))
            graph.add((restriction, OWL.someValuesFrom, expand(finding)))
            graph.add((node, RDF.type, restriction))
    return graph


def classify(cases: Sequence[Case], knowledge: Knowledge, hpo: Hpo, release: Graph) -> dict[str, bool]:
    """For each case id: does HermiT classify the case as meeting the criteria?"""
    import owlready2

    owlready2.JAVA_EXE = find_java()
    graph = criteria_ontology(release, cases, knowledge, hpo)
    with tempfile.TemporaryDirectory(prefix="omsgraph-criteria-") as tmp:
        path = Path(tmp) / "criteria.nt"
        path.write_bytes(to_ntriples(graph))
        world = owlready2.World()
        onto = world.get_ontology(path.as_uri()).load()
        with onto:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        meeting = world[str(MEETS_CRITERIA)]
        members = {i.iri for i in meeting.instances(world=world)} if meeting is not None else set()
        world.close()
    return {case.id: str(case_iri(case)) in members for case in cases}
