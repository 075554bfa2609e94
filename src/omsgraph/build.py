"""Turn the edit file and the curated tables into the release files under ``ontology/``.

Flow: edit file + tables -> component (curation.owl) + HPO import module -> merged graph -> HermiT ->
release variants, following the ODK convention:

- full (``omsgraph.owl``, ``.ttl``, ``.jsonld``, ``.nt``): the edit file, the component and the HPO
  module merged, with the inferred class hierarchy;
- base (``omsgraph-base.owl``, ``.ttl``): only the axioms omsgraph asserts itself (edit file and
  component), no HPO module, no inferred links; the external classes it mentions are declared.

Every output is deterministic and written atomically; nothing is written when any step fails.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, XSD
from rdflib.term import Node

from . import resources
from .curation import SOURCE_TYPES, Assertion, Curation, Schema, load_curation, verification_note
from .errors import BadInputError, CheckFailedError
from .hpo import Hpo, extract_module, load_hpo
from .reason import ReasonerResult, reason
from .relations import direct_edges, inferred_tree_links
from .serialize import canonical, to_jsonld, to_ntriples, to_rdfxml, to_turtle, write_atomic
from .vocab import (
    BASE,
    BIBO,
    CATEGORY,
    CLAIM,
    CLAIM_NS,
    CLAIM_OBJECT,
    CLAIM_RELATION,
    CLAIM_SUBJECT,
    COMPONENT_IRI,
    CONTEXT,
    DEFINITION,
    FOAF,
    FREQUENCY,
    HAS_CLAIM,
    HAS_EVIDENCE,
    HP_IMPORT_IRI,
    IDENTIFIER_GAP,
    MAPPING_JUSTIFICATION,
    MAPPING_PREDICATES,
    MAXIMUM_VALUE,
    MINIMUM_VALUE,
    OIO,
    OMS,
    ONTOLOGY_IRI,
    POPULATION,
    POPULATIONS,
    PUBLISHED_IN,
    QUANTITY,
    REFERENCE_NUMBER,
    SEED_FILE,
    SOURCE_KEY,
    SYNONYM_SCOPES,
    VALUE,
    VERIFIED_AGAINST,
    expand,
)

log = logging.getLogger(__name__)

COMPONENT_FILE = "components/curation.owl"
HP_IMPORT_FILE = "imports/hp_import.owl"
CATALOG_FILE = "catalog-v001.xml"
RELEASE_OWL = "omsgraph.owl"
RELEASE_TTL = "omsgraph.ttl"
RELEASE_JSONLD = "omsgraph.jsonld"
RELEASE_NT = "omsgraph.nt"
BASE_OWL = "omsgraph-base.owl"
BASE_TTL = "omsgraph-base.ttl"
BASE_IRI = URIRef(BASE + BASE_OWL)
EDGES_TTL = "omsgraph-edges.ttl"
EDGES_IRI = URIRef(BASE + EDGES_TTL)
#: The release variants: variant -> its files (the first is RDF/XML, Protégé's default).
VARIANTS: dict[str, tuple[str, ...]] = {
    "full": (RELEASE_OWL, RELEASE_TTL, RELEASE_JSONLD, RELEASE_NT),
    "base": (BASE_OWL, BASE_TTL),
}
RELEASE_FILES = (
    COMPONENT_FILE,
    HP_IMPORT_FILE,
    CATALOG_FILE,
    *VARIANTS["full"],
    *VARIANTS["base"],
    EDGES_TTL,
)

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


@dataclass
class Release:
    """A built release, in memory: the files' bytes and what went into them."""

    files: dict[str, bytes]
    graph: Graph
    base: Graph
    curation: Curation
    reasoner: ReasonerResult
    version: str
    counts: dict[str, int] = field(default_factory=dict)


def parse_edit_file(path: Path) -> Graph:
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except FileNotFoundError as exc:
        raise BadInputError(f"edit file {path} is missing; restore it (git checkout {path.name})") from exc
    except Exception as exc:  # rdflib raises several unrelated types for syntax errors
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise BadInputError(
            f"{path.name} is not valid Turtle: {first}; fix the syntax (Protégé can re-save it)"
        ) from exc
    if (ONTOLOGY_IRI, RDF.type, OWL.Ontology) not in graph:
        raise BadInputError(f"{path.name} does not declare the ontology {ONTOLOGY_IRI}; restore its header")
    return graph


def version_of(edit: Graph) -> str:
    version = edit.value(ONTOLOGY_IRI, OWL.versionInfo)
    if version is None or len(str(version)) != 10:
        raise BadInputError("the edit file has no owl:versionInfo date (YYYY-MM-DD); add one to its header")
    return str(version)


class _Writer:
    """Adds axioms, each with its annotations, to a graph."""

    def __init__(self, graph: Graph) -> None:
        self.g = graph

    def annotate(self, s: Node, p: Node, o: Node, annotations: Iterable[tuple[URIRef, Node]]) -> None:
        self.g.add((s, p, o))
        pairs = list(annotations)
        if not pairs:
            return
        ax = BNode()
        self.g.add((ax, RDF.type, OWL.Axiom))
        self.g.add((ax, OWL.annotatedSource, s))
        self.g.add((ax, OWL.annotatedProperty, p))
        self.g.add((ax, OWL.annotatedTarget, o))
        for ap, value in pairs:
            self.g.add((ax, ap, value))

    def some(self, prop: URIRef, filler: URIRef) -> BNode:
        r = BNode()
        self.g.add((r, RDF.type, OWL.Restriction))
        self.g.add((r, OWL.onProperty, prop))
        self.g.add((r, OWL.someValuesFrom, filler))
        return r


def _en(text: str) -> Literal:
    return Literal(text, lang="en")


def component_graph(c: Curation, schema: Schema, verified_ids: Path) -> Graph:
    """The curated knowledge as OWL axioms, every statement annotated with its sources."""
    g = Graph()
    w = _Writer(g)
    g.add((COMPONENT_IRI, RDF.type, OWL.Ontology))
    g.add((COMPONENT_IRI, DCTERMS.title, _en("omsgraph curated knowledge component")))
    g.add(
        (
            COMPONENT_IRI,
            RDFS.comment,
            _en(
                "Generated by `omsgraph build` from ontology/curation/*.tsv; edit the tables, not this file."
            ),
        )
    )

    def sources(keys: tuple[str, ...]) -> list[tuple[URIRef, Node]]:
        return [(DCTERMS.source, iri) for iri in c.source_iris(keys)]

    for s in c.sources.values():
        iri = expand(s.id)
        g.add((iri, RDF.type, OWL.NamedIndividual))
        g.add((iri, RDF.type, SOURCE_TYPES[s.type]))
        g.add((iri, RDFS.label, _en(_short_citation(s.authors, s.year, s.title, s.key))))
        g.add((iri, DCTERMS.title, _en(s.title)))
        g.add((iri, SOURCE_KEY, Literal(s.key)))
        g.add((iri, DCTERMS.bibliographicCitation, _en(_citation(s))))
        for value, prop in ((s.authors, DCTERMS.creator), (s.published_in, PUBLISHED_IN)):
            if value:
                g.add((iri, prop, Literal(value)))
        if s.year:
            g.add((iri, DCTERMS.issued, Literal(s.year, datatype=XSD.gYear)))
        if s.volume:
            g.add((iri, BIBO.volume, Literal(s.volume)))
        if s.first_page:
            g.add((iri, BIBO.pageStart, Literal(s.first_page)))
        if s.cited_by:
            g.add((iri, DCTERMS.isReferencedBy, expand(c.sources[s.cited_by].id)))
        if s.reference_number:
            g.add((iri, REFERENCE_NUMBER, Literal(int(s.reference_number))))
        if s.seed_file:
            g.add((iri, SEED_FILE, Literal(s.seed_file)))
        if s.url:
            g.add((iri, FOAF.page, URIRef(s.url)))
        if s.note:
            g.add((iri, RDFS.comment, _en(s.note)))

    for t in c.terms.values():
        iri = expand(t.id)
        g.add((iri, RDF.type, OWL.Class))
        g.add((iri, RDFS.label, _en(t.label)))
        g.add((iri, CATEGORY, Literal(t.category)))
        for parent in t.parents:
            g.add((iri, RDFS.subClassOf, expand(parent)))
        if t.definition:
            w.annotate(iri, DEFINITION, _en(t.definition), sources(t.definition_sources))
        if t.comment:
            g.add((iri, RDFS.comment, _en(t.comment)))
        if t.identifier_gap:
            g.add((iri, IDENTIFIER_GAP, _en(t.identifier_gap)))
        if not t.id.startswith(("OMSG:", "HP:")):
            note = verification_note(verified_ids, t.id)
            if note:
                g.add((iri, VERIFIED_AGAINST, Literal(note)))

    for syn in c.synonyms:
        annotations = sources(syn.sources)
        if syn.comment:
            annotations.append((RDFS.comment, _en(syn.comment)))
        w.annotate(expand(syn.id), SYNONYM_SCOPES[syn.scope], _en(syn.synonym), annotations)

    groups: dict[tuple[str, str, str], list[Assertion]] = {}
    for a in c.assertions:
        groups.setdefault((a.subject, a.relation, a.object), []).append(a)
    for (subject_id, relation_label, object_id), rows in groups.items():
        relation = schema.properties[relation_label]
        subject = expand(subject_id)
        target: Node = _en(object_id) if relation.literal else expand(object_id)
        claims = sorted({_add_claim(g, c, relation.iri, target, a) for a in rows})
        keys = sorted({k for a in rows for k in a.sources}, key=lambda k: c.sources[k].id)
        annotations = sources(tuple(keys))
        annotations += [(HAS_EVIDENCE, expand(e)) for e in sorted({a.evidence for a in rows})]
        annotations += [(POPULATION, POPULATIONS[p]) for p in sorted({a.population for a in rows})]
        annotations += [(HAS_CLAIM, claim) for claim in claims]
        if relation.literal:
            w.annotate(subject, relation.iri, target, annotations)
        else:
            assert isinstance(target, URIRef)
            w.annotate(subject, RDFS.subClassOf, w.some(relation.iri, target), annotations)

    for m in c.mappings:
        annotations = sources(m.sources)
        annotations.append((MAPPING_JUSTIFICATION, expand(m.justification)))
        annotations.append((VERIFIED_AGAINST, Literal(m.verified_against)))
        if m.comment:
            annotations.append((RDFS.comment, _en(m.comment)))
        subject = expand(m.subject)
        w.annotate(subject, MAPPING_PREDICATES[m.predicate], expand(m.object), annotations)
        if m.predicate == "skos:exactMatch":
            w.annotate(subject, OIO.hasDbXref, Literal(m.object), sources(m.sources))
    return g


def claim_iri(a: Assertion, relation: URIRef, target: Node) -> URIRef:
    """The content-hash IRI of a statement row's claim: equal rows share it, any edit changes it."""
    content = [
        expand(a.subject).n3(),
        relation.n3(),
        target.n3(),
        a.population,
        a.frequency,
        a.context,
        "|".join(sorted(a.sources)),
        a.evidence,
        a.quantity,
        a.value,
    ]
    digest = hashlib.sha256("\n".join(content).encode("utf-8")).hexdigest()
    return URIRef(CLAIM_NS + digest[:16])


def _add_claim(g: Graph, c: Curation, relation: URIRef, target: Node, a: Assertion) -> URIRef:
    """One row of assertions.tsv as a claim individual, carrying everything the row says."""
    claim = claim_iri(a, relation, target)
    subject = expand(a.subject)
    g.add((claim, RDF.type, OWL.NamedIndividual))
    g.add((claim, RDF.type, CLAIM))
    g.add((claim, CLAIM_SUBJECT, subject))
    g.add((claim, CLAIM_RELATION, relation))
    g.add((claim, CLAIM_OBJECT, target))
    for iri in c.source_iris(a.sources):
        g.add((claim, DCTERMS.source, iri))
    g.add((claim, HAS_EVIDENCE, expand(a.evidence)))
    g.add((claim, POPULATION, POPULATIONS[a.population]))
    if a.frequency:
        g.add((claim, FREQUENCY, _en(a.frequency)))
    if a.context:
        g.add((claim, CONTEXT, _en(a.context)))
    for prop, value in _typed_value(a):
        g.add((claim, prop, value))
    return claim


def _typed_value(a: Assertion) -> list[tuple[URIRef, Node]]:
    """The quantity kind and the typed value (or range bounds) of a statement, if it gives one."""
    typed = a.typed_value
    if typed is None:
        return []
    pairs: list[tuple[URIRef, Node]] = [(QUANTITY, Literal(a.quantity))]
    bounds = ((VALUE, typed.exact), (MINIMUM_VALUE, typed.minimum), (MAXIMUM_VALUE, typed.maximum))
    for prop, literal in bounds:
        if literal is not None:
            pairs.append((prop, literal))
    return pairs


_DECLARATION_TYPES = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.NamedIndividual,
)


def declare_used_entities(graph: Graph, *declaring: Graph) -> None:
    """Copy into ``graph`` the declarations (from ``declaring``) of every entity it uses undeclared.

    An imported module must be OWL 2 DL on its own: the OWL API checks the profile of each ontology
    in an imports closure against its own closure, so the component has to declare the properties
    and classes of the edit file it uses, as ODK components do.
    """
    used = {n for triple in graph for n in triple if isinstance(n, URIRef)}
    declared = set(graph.subjects(RDF.type, None))
    for source in declaring:
        for kind in _DECLARATION_TYPES:
            for entity in source.subjects(RDF.type, kind):
                if isinstance(entity, URIRef) and entity in used and entity not in declared:
                    graph.add((entity, RDF.type, kind))


def _short_citation(authors: str, year: str, title: str, key: str) -> str:
    first = authors.split(";")[0].strip() if authors else ""
    more = " et al." if authors.count(";") >= 1 else ""
    if first and year:
        return f"{first}{more} {year}: {title}"
    return f"{title} ({key})"


def _citation(s: object) -> str:
    from .curation import Source

    assert isinstance(s, Source)
    parts = [s.authors.replace("; ", ", ")] if s.authors else []
    parts.append(s.title)
    venue = s.published_in
    if s.year:
        venue += f" {s.year}"
    if s.volume:
        venue += f"; {s.volume}"
        if s.first_page:
            venue += f":{s.first_page}"
    parts.append(venue)
    return ". ".join(p.strip().rstrip(".") for p in parts if p) + "."


def hp_terms_used(c: Curation, edit: Graph) -> set[str]:
    used = {t for t in c.terms if t.startswith("HP:")}
    for node in set(edit.all_nodes()):
        if isinstance(node, URIRef) and str(node).startswith("http://purl.obolibrary.org/obo/HP_"):
            used.add("HP:" + str(node).rsplit("_", 1)[1])
    return used


def hp_module(c: Curation, edit: Graph, hpo: Hpo) -> Graph:
    used = hp_terms_used(c, edit)
    missing = sorted(u for u in used if u not in hpo.terms)
    if missing:
        raise BadInputError(
            f"the edit file uses HPO terms that HPO {hpo.version} lacks: {missing}; fix the IRIs"
        )
    return extract_module(hpo, used)


def merged_graph(edit: Graph, component: Graph, hp: Graph, version: str) -> Graph:
    """One graph: the edit file without its imports, the component and the HPO module, with version IRIs."""
    merged = Graph()
    for graph in (edit, component, hp):
        for triple in graph:
            if triple[0] in (COMPONENT_IRI, HP_IMPORT_IRI) or triple[1] == OWL.imports:
                continue
            merged.add(triple)
    merged.add((ONTOLOGY_IRI, OWL.versionIRI, URIRef(f"{BASE}releases/{version}/omsgraph.owl")))
    merged.add((ONTOLOGY_IRI, DCTERMS.modified, Literal(version, datatype=XSD.date)))
    add_fair_metadata(merged, ONTOLOGY_IRI, component)
    return merged


VOID_IN_DATASET = URIRef("http://rdfs.org/ns/void#inDataset")
OWL2_DL_PROFILE = URIRef("http://www.w3.org/ns/owl-profile/DL")


def add_fair_metadata(graph: Graph, ontology: URIRef, component: Graph) -> None:
    """Release metadata derived at build time (the edit file holds title, licence, creator...): the
    sources the knowledge was curated from, the subject, the language, the profile it conforms to, and
    the dataset its VoID description (``omsgraph export -f void``) describes; each property declared."""
    for record in component.subjects(SOURCE_KEY, None):
        if (record, DCTERMS.isReferencedBy, None) not in component:
            graph.add((ontology, DCTERMS.source, record))
    graph.add((ontology, DCTERMS.subject, OMS))
    graph.add((ontology, DCTERMS.language, Literal("en")))
    graph.add((ontology, DCTERMS.conformsTo, OWL2_DL_PROFILE))
    graph.add((ontology, VOID_IN_DATASET, URIRef(BASE + "dataset")))
    for prop in (DCTERMS.source, DCTERMS.subject, DCTERMS.language, DCTERMS.conformsTo, VOID_IN_DATASET):
        graph.add((prop, RDF.type, OWL.AnnotationProperty))


def base_graph(edit: Graph, component: Graph, hp: Graph, version: str) -> Graph:
    """The base variant: omsgraph's own axioms (edit file and component) under the base ontology IRI.

    No HPO module and no inferred links; every external entity it mentions keeps its declaration
    (from the HPO module), so that the base is OWL 2 DL on its own.
    """
    base = Graph()
    for graph in (edit, component):
        for s, p, o in graph:
            if s in (COMPONENT_IRI, HP_IMPORT_IRI) or p == OWL.imports:
                continue
            base.add((BASE_IRI if s == ONTOLOGY_IRI else s, p, o))
    mentioned = {n for triple in base for n in triple if isinstance(n, URIRef)}
    declared = set(base.subjects(RDF.type, None))
    for s, o in hp.subject_objects(RDF.type):
        if s in mentioned and s not in declared and s != HP_IMPORT_IRI:
            base.add((s, RDF.type, o))
    base.add((BASE_IRI, OWL.versionIRI, URIRef(f"{BASE}releases/{version}/{BASE_OWL}")))
    add_fair_metadata(base, BASE_IRI, component)
    base.add((BASE_IRI, DCTERMS.modified, Literal(version, datatype=XSD.date)))
    note = "Base variant: omsgraph's own axioms only, without the HPO module and the inferred hierarchy."
    base.add((BASE_IRI, RDFS.comment, _en(note + " The full release is omsgraph.owl.")))
    return base


def variant_files(full: Graph, base: Graph) -> dict[str, bytes]:
    """The bytes of every release variant file; each graph is canonicalised once."""
    full_c, base_c = canonical(full), canonical(base)
    return {
        RELEASE_OWL: to_rdfxml(full_c, canonical_input=True),
        RELEASE_TTL: to_turtle(full_c, canonical_input=True),
        RELEASE_JSONLD: to_jsonld(full_c, canonical_input=True),
        RELEASE_NT: to_ntriples(full_c, canonical_input=True),
        BASE_OWL: to_rdfxml(base_c, canonical_input=True),
        BASE_TTL: to_turtle(base_c, canonical_input=True),
    }


def add_inferences(graph: Graph, result: ReasonerResult) -> None:
    w = _Writer(graph)
    for sub, sup in result.inferred:
        w.annotate(sub, RDFS.subClassOf, sup, [(OIO.is_inferred, Literal("true"))])
    graph.add((OIO.is_inferred, RDF.type, OWL.AnnotationProperty))


def add_tree_links(base: Graph, links: list[tuple[URIRef, URIRef]]) -> None:
    """Assert in the base the inferred links within the OMS tree (annotated ``is_inferred``), so that
    a subclass-closure query on the base alone reaches every named subtype from OMS."""
    w = _Writer(base)
    for sub, sup in links:
        w.annotate(sub, RDFS.subClassOf, sup, [(OIO.is_inferred, Literal("true"))])
    if links:
        base.add((OIO.is_inferred, RDF.type, OWL.AnnotationProperty))


def edges_graph(edges: Graph, full: Graph, version: str) -> Graph:
    """The direct-edge release file: the edges with their annotations, under their own ontology IRI,
    with the declarations they use and each node's label and category (to ask e.g. for tumours)."""
    g = Graph()
    g += edges
    g.add((EDGES_IRI, RDF.type, OWL.Ontology))
    g.add((EDGES_IRI, OWL.versionIRI, URIRef(f"{BASE}releases/{version}/{EDGES_TTL}")))
    g.add((EDGES_IRI, DCTERMS.title, _en("omsgraph direct edges")))
    g.add((EDGES_IRI, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")))
    g.add((EDGES_IRI, DCTERMS.modified, Literal(version, datatype=XSD.date)))
    g.add((EDGES_IRI, DCTERMS.source, ONTOLOGY_IRI))
    g.add(
        (
            EDGES_IRI,
            RDFS.comment,
            _en(
                "Plain triples `C R O` for opsoclonus-myoclonus syndrome and each of its named subtypes, "
                "derived from the restrictions of omsgraph.owl and its inferred hierarchy: what is stated "
                "on C, inherited from C's ancestors, or rolled up from C's subtypes. Each edge is an "
                "annotated axiom with its sources, populations, claims and the classes it was asserted on."
            ),
        )
    )
    used = {n for triple in edges for n in triple if isinstance(n, URIRef)}
    used |= {DCTERMS.title, DCTERMS.license, DCTERMS.modified, DCTERMS.source, RDFS.comment, RDFS.label}
    for entity in sorted(used):
        for kind in (OWL.ObjectProperty, OWL.AnnotationProperty):
            if (entity, RDF.type, kind) in full:
                g.add((entity, RDF.type, kind))
        if (entity, RDF.type, OWL.NamedIndividual) in g or (entity, RDF.type, OWL.ObjectProperty) in g:
            for label in full.objects(entity, RDFS.label):
                g.add((entity, RDFS.label, label))
            for category in full.objects(entity, CATEGORY):
                g.add((entity, CATEGORY, category))
    if (None, CATEGORY, None) in g:
        g.add((CATEGORY, RDF.type, OWL.AnnotationProperty))
        g.add((CATEGORY, RDFS.label, _en("category")))
    for prop in (DCTERMS.title, DCTERMS.license, DCTERMS.modified, DCTERMS.source):
        g.add((prop, RDF.type, OWL.AnnotationProperty))
    return g


def catalog() -> bytes:
    entries = "".join(
        f'  <uri name="{iri}" uri="{path}"/>\n'
        for iri, path in ((COMPONENT_IRI, COMPONENT_FILE), (HP_IMPORT_IRI, HP_IMPORT_FILE))
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        '<catalog prefer="public" xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">\n'
        f"{entries}</catalog>\n"
    ).encode()


def build_release(
    progress: Progress = _quiet,
    *,
    edit_file: Path | None = None,
    curation_dir: Path | None = None,
    verified_ids: Path | None = None,
) -> Release:
    """Build every release file in memory, reasoning included.

    The inputs default to the project's own (``ontology/``); tests pass small fixture sets.
    Raises BadInputError for a bad table row or edit file, CheckFailedError when the ontology is
    inconsistent or has unsatisfiable classes.
    """
    progress("reading the edit file and the curated tables")
    edit = parse_edit_file(edit_file or resources.edit_file())
    version = version_of(edit)
    schema = Schema.from_graph(edit)
    hpo = load_hpo()
    ids = verified_ids or resources.reference_ids()
    c = load_curation(curation_dir or resources.curation_dir(), schema, hpo, ids)
    progress("generating the curation component and the HPO import module")
    component = component_graph(c, schema, ids)
    hp = hp_module(c, edit, hpo)
    declare_used_entities(component, edit, hp)
    merged = merged_graph(edit, component, hp, version)
    base = base_graph(edit, component, hp, version)
    progress("reasoning with HermiT")
    result = reason(merged)
    if not result.ok:
        what = (
            "inconsistent"
            if not result.consistent
            else f"has unsatisfiable classes: {', '.join(map(str, result.unsatisfiable))}"
        )
        raise CheckFailedError(
            f"the ontology {what}; fix the axioms (open ontology/omsgraph-edit.ttl in "
            "Protégé and run HermiT to see explanations); nothing was written"
        )
    add_inferences(merged, result)
    progress("materialising the direct edges")
    edges = direct_edges(merged)
    edges_file = edges_graph(edges, merged, version)
    merged += edges
    add_tree_links(base, inferred_tree_links(merged))
    progress("serialising the release files")
    files = {
        COMPONENT_FILE: to_rdfxml(component),
        HP_IMPORT_FILE: to_rdfxml(hp),
        CATALOG_FILE: catalog(),
        **variant_files(merged, base),
        EDGES_TTL: to_turtle(canonical(edges_file), canonical_input=True),
    }
    counts = {
        "classes": len(set(merged.subjects(RDF.type, OWL.Class))),
        "curated terms": len(c.terms),
        "statements": len(c.assertions),
        "claims": len(set(component.subjects(RDF.type, CLAIM))),
        "synonyms": len(c.synonyms),
        "mappings": len(c.mappings),
        "sources": len(c.sources),
        "HPO module terms": len(set(hp.subjects(RDF.type, OWL.Class))),
        "inferred subclass links": len(result.inferred),
        "direct edges": len(list(edges.subjects(RDF.type, OWL.Axiom))),
        "triples": len(merged),
    }
    return Release(files, merged, base, c, result, version, counts)


def write_release(release: Release, out_dir: Path | None = None) -> list[Path]:
    """Write the files that differ from what is on disk; return the paths written."""
    target = out_dir or resources.ontology_dir()
    written = []
    for name, data in release.files.items():
        path = target / name
        if write_atomic(path, data):
            written.append(path)
    return written


def stale_files(release: Release, out_dir: Path | None = None) -> list[str]:
    target = out_dir or resources.ontology_dir()
    return [
        n
        for n, data in release.files.items()
        if not (target / n).is_file() or (target / n).read_bytes() != data
    ]
