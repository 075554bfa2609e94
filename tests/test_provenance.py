"""Imported terms stay theirs: a synonym or definition omsgraph asserts on an HPO or MONDO class is
marked as omsgraph's, an annotated axiom citing an omsgraph source record."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF

from omsgraph import resources
from omsgraph.build import BASE_TTL
from omsgraph.curation import SOURCE_RANGE
from omsgraph.vocab import DEFINITION, OBO, OIO, OMSG

TEXT_PROPERTIES = (
    DEFINITION,
    OIO.hasExactSynonym,
    OIO.hasRelatedSynonym,
    OIO.hasBroadSynonym,
    OIO.hasNarrowSynonym,
)
IMPORTED = (str(OBO["HP_"]), str(OBO["MONDO_"]))


def _is_omsgraph_source(node: object) -> bool:
    text = str(node)
    if not isinstance(node, URIRef) or not text.startswith(str(OMSG)):
        return False
    number = text.removeprefix(str(OMSG))
    return number.isdigit() and SOURCE_RANGE[0] <= int(number) <= SOURCE_RANGE[1]


def unmarked_assertions(graph: Graph) -> list[tuple[str, str, str]]:
    """(class, property, text) of every synonym or definition on an HPO/MONDO class in ``graph``
    without an axiom annotation that cites an omsgraph source record."""
    marked = set()
    for ax in graph.subjects(RDF.type, OWL.Axiom):
        if any(_is_omsgraph_source(s) for s in graph.objects(ax, DCTERMS.source)):
            marked.add(
                (
                    graph.value(ax, OWL.annotatedSource),
                    graph.value(ax, OWL.annotatedProperty),
                    graph.value(ax, OWL.annotatedTarget),
                )
            )
    found = []
    for prop in TEXT_PROPERTIES:
        for s, o in graph.subject_objects(prop):
            if str(s).startswith(IMPORTED) and (s, prop, o) not in marked:
                found.append((str(s), str(prop), str(o)))
    return sorted(found)


def test_omsgraph_synonyms_and_definitions_on_hpo_and_mondo_classes_cite_their_source() -> None:
    base = Graph().parse(resources.ontology_dir() / BASE_TTL, format="turtle")
    assert not unmarked_assertions(base), unmarked_assertions(base)[:5]
    # the check sees the synonyms it is about: omsgraph does give HPO and MONDO classes synonyms
    assert any(str(s).startswith(IMPORTED) for s in base.subjects(OIO.hasRelatedSynonym, None))


def test_an_unsourced_synonym_on_an_hpo_class_is_caught() -> None:
    graph = Graph()
    graph.add((OBO["HP_0010543"], OIO.hasExactSynonym, OBO["HP_0010543"]))
    assert unmarked_assertions(graph) == [
        (str(OBO["HP_0010543"]), str(OIO.hasExactSynonym), str(OBO["HP_0010543"]))
    ]
