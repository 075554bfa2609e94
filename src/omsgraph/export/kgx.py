"""KGX nodes and edges TSV files with Biolink categories and predicates (Biolink model 4).

Nodes: every named class of the release, its Biolink category mapped from omsgraph's ``category``
annotation (else from its prefix), name, description, synonyms and exact-match codes; every source
record as a ``biolink:Publication``. Edges: one per existential restriction between named classes
(``S SubClassOf (P some O)``), its RO/omsgraph property mapped to a canonical Biolink predicate (the
direction flipped where the Biolink predicate is the inverse), the original property kept in
``original_predicate``, the statement's sources in ``publications``; plus the class hierarchy as
``biolink:subclass_of``.
"""

from __future__ import annotations

import csv
import io

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from ..vocab import CATEGORY, DEFINITION, HAS_EVIDENCE, OIO, POPULATION, contract

INFORES = "infores:omsgraph"

#: omsgraph ``category`` annotation value -> Biolink class.
CATEGORIES: dict[str, str] = {
    "disease": "biolink:Disease",
    "disease subtype": "biolink:Disease",
    "neoplasm": "biolink:Disease",
    "infectious disease": "biolink:Disease",
    "phenotype": "biolink:PhenotypicFeature",
    "clinical modifier": "biolink:PhenotypicFeature",
    "autoantibody": "biolink:PhenotypicFeature",
    "organism": "biolink:OrganismTaxon",
    "chemical": "biolink:ChemicalEntity",
    "procedure": "biolink:Procedure",
    "diagnostic test": "biolink:Procedure",
    "gene": "biolink:Gene",
    "specimen": "biolink:MaterialSample",
    "care provider": "biolink:NamedThing",
    "exposure": "biolink:ExposureEvent",
}
#: CURIE prefix -> Biolink class, for classes without a category (HPO module, grouping classes).
PREFIX_CATEGORIES = {
    "HP": "biolink:PhenotypicFeature",
    "MONDO": "biolink:Disease",
    "CHEBI": "biolink:ChemicalEntity",
}
PUBLICATION = "biolink:Publication"
DEFAULT_CATEGORY = "biolink:NamedThing"

#: property CURIE -> (canonical Biolink predicate, whether subject and object swap places).
PREDICATES: dict[str, tuple[str, bool]] = {
    "RO:0000053": ("biolink:related_to", False),  # has characteristic
    "RO:0002200": ("biolink:has_phenotype", False),
    "RO:0002202": ("biolink:develops_from", False),
    "RO:0002302": ("biolink:treats", True),  # is treated by substance
    "RO:0002606": ("biolink:treats", False),
    "RO:0002607": ("biolink:biomarker_for", False),
    "RO:0003302": ("biolink:contributes_to", False),
    "RO:0003307": ("biolink:ameliorates_condition", False),
    "RO:0004019": ("biolink:contributes_to", True),  # disease has basis in
    "OMSG:0000301": ("biolink:treats", True),  # is treated by procedure
    "OMSG:0000302": ("biolink:related_to", False),  # has target antigen
    "OMSG:0000303": ("biolink:related_to", False),  # has differential diagnosis
    "OMSG:0000304": ("biolink:diagnoses", True),  # has diagnostic test
    "OMSG:0000305": ("biolink:exacerbates_condition", True),  # has relapse trigger
    "OMSG:0000306": ("biolink:related_to", False),  # has long-term sequela
    "OMSG:0000307": ("biolink:located_in", False),  # detected in
    "OMSG:0000308": ("biolink:related_to", False),  # has prognostic factor
    "OMSG:0000309": ("biolink:related_to", False),  # involves care provider
    "OMSG:0000310": ("biolink:associated_with", False),
    "OMSG:0000311": ("biolink:has_phenotype", False),  # has finding
    "OMSG:0000312": ("biolink:related_to", False),  # is in treatment category
    "OMSG:0000703": ("biolink:has_phenotype", False),  # has recorded finding
}
SUBCLASS_OF = "biolink:subclass_of"

NODE_COLUMNS = ("id", "category", "name", "description", "synonym", "xref", "provided_by")
EDGE_COLUMNS = (
    "id",
    "subject",
    "predicate",
    "object",
    "original_predicate",
    "knowledge_level",
    "agent_type",
    "primary_knowledge_source",
    "publications",
    "qualifiers",
)


def _text(graph: Graph, node: Node, prop: URIRef) -> str:
    values = sorted(str(v) for v in graph.objects(node, prop) if isinstance(v, Literal))
    return values[0].replace("\t", " ").replace("\n", " ") if values else ""


def node_category(graph: Graph, node: URIRef) -> str:
    category = graph.value(node, CATEGORY)
    if category is not None and str(category) in CATEGORIES:
        return CATEGORIES[str(category)]
    return PREFIX_CATEGORIES.get(contract(str(node)).split(":", 1)[0], DEFAULT_CATEGORY)


def _axioms(graph: Graph) -> dict[tuple[Node | None, Node | None, Node | None], Node]:
    out: dict[tuple[Node | None, Node | None, Node | None], Node] = {}
    for ax in graph.subjects(RDF.type, OWL.Axiom):
        key = (
            graph.value(ax, OWL.annotatedSource),
            graph.value(ax, OWL.annotatedProperty),
            graph.value(ax, OWL.annotatedTarget),
        )
        out[key] = ax
    return out


def kgx_tsv(graph: Graph) -> tuple[bytes, bytes]:
    classes = {c for c in graph.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
    records = {
        r
        for r in graph.subjects(DCTERMS.bibliographicCitation, None)
        if isinstance(r, URIRef) and r not in classes and (r, RDF.type, OWL.Ontology) not in graph
    }
    synonyms = (OIO.hasExactSynonym, OIO.hasRelatedSynonym, OIO.hasBroadSynonym, OIO.hasNarrowSynonym)
    nodes = []
    for node in classes | records:
        nodes.append(
            {
                "id": contract(str(node)),
                "category": PUBLICATION if node in records else node_category(graph, node),
                "name": _text(graph, node, RDFS.label),
                "description": _text(graph, node, DEFINITION) or _text(graph, node, DCTERMS.title),
                "synonym": "|".join(sorted({str(s) for p in synonyms for s in graph.objects(node, p)})),
                "xref": "|".join(sorted(contract(str(x)) for x in graph.objects(node, SKOS.exactMatch))),
                "provided_by": INFORES,
            }
        )
    axioms = _axioms(graph)
    edges = []
    for s, r in graph.subject_objects(RDFS.subClassOf):
        if s not in classes:
            continue
        if isinstance(r, URIRef):
            if r in classes:
                inferred = axioms.get((s, RDFS.subClassOf, r))
                level = (
                    "logical_entailment"
                    if inferred is not None and graph.value(inferred, OIO.is_inferred)
                    else "knowledge_assertion"
                )
                edges.append(
                    _edge(contract(str(s)), SUBCLASS_OF, contract(str(r)), "rdfs:subClassOf", level, [])
                )
            continue
        prop, filler = graph.value(r, OWL.onProperty), graph.value(r, OWL.someValuesFrom)
        if not isinstance(prop, URIRef) or filler not in classes:
            continue
        original = contract(str(prop))
        predicate, flip = PREDICATES.get(original, ("biolink:related_to", False))
        subject, obj = contract(str(s)), contract(str(filler))
        ax = axioms.get((s, RDFS.subClassOf, r))
        pubs = sorted(contract(str(x)) for x in graph.objects(ax, DCTERMS.source)) if ax is not None else []
        qualifiers = []
        if ax is not None:
            for label, prop_ in (("population", POPULATION), ("evidence", HAS_EVIDENCE)):
                qualifiers += [f"{label}={contract(str(v))}" for v in graph.objects(ax, prop_)]
        edge = _edge(
            *((obj, predicate, subject) if flip else (subject, predicate, obj)),
            original,
            "knowledge_assertion",
            pubs,
        )
        edge["qualifiers"] = "|".join(sorted(qualifiers))
        edges.append(edge)
    return _tsv(NODE_COLUMNS, sorted(nodes, key=lambda n: n["id"])), _tsv(
        EDGE_COLUMNS, _with_ids(sorted(edges, key=lambda e: tuple(e.values())))
    )


def _edge(s: str, p: str, o: str, original: str, level: str, pubs: list[str]) -> dict[str, str]:
    return {
        "id": "",
        "subject": s,
        "predicate": p,
        "object": o,
        "original_predicate": original,
        "knowledge_level": level,
        "agent_type": "manual_agent" if level == "knowledge_assertion" else "automated_agent",
        "primary_knowledge_source": INFORES,
        "publications": "|".join(pubs),
        "qualifiers": "",
    }


def _with_ids(edges: list[dict[str, str]]) -> list[dict[str, str]]:
    seen: set[tuple[str, ...]] = set()
    out: list[dict[str, str]] = []
    for e in edges:
        key = tuple(v for k, v in e.items() if k != "id")
        if key in seen:
            continue
        seen.add(key)
        e["id"] = f"urn:omsgraph:edge:{len(out) + 1:05d}"
        out.append(e)
    return out


def _tsv(columns: tuple[str, ...], rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def kgx_metadata(files: list[str]) -> bytes:
    """The export's metadata: its files, its knowledge source, and the CURIE prefix map its ids use
    (the release's ``omsgraph.context.jsonld`` and ``prefixes.csv``), which KGX's validator needs
    beside Biolink's own prefixes to accept ``OMSG:`` ids."""
    import json

    from ..serialize import prefix_map
    from ..vocab import BASE

    doc = {
        "name": "omsgraph",
        "provided_by": INFORES,
        "files": files,
        "jsonld_context": BASE + "omsgraph.context.jsonld",
        "prefix_map_csv": BASE + "prefixes.csv",
        "curie_map": prefix_map(),
    }
    return (json.dumps(doc, indent=1, sort_keys=True) + "\n").encode("utf-8")
