"""Looking things up in the release: entity cards, search, and resolving CURIEs, IRIs and codes.

One :class:`Catalog` is built from a parsed release graph. It answers what a person or a program
asks of a single entity — its label, definition, synonyms with their scope, codes with their
precision, the statements about it with their sources and populations, what points to it, its
superclasses — and finds entities by text (labels, synonyms, codes; ranked, prefix matching) or by
identifier (a CURIE, a full IRI, or an external code such as ``G25.3``, ``ORPHA:1183`` or a SNOMED CT
id). Every fact comes from the graph: the web pages and the CLI only render what this module returns.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS
from rdflib.term import Node

from . import resources
from .release import load_release
from .vocab import (
    BASE,
    CATEGORY,
    CONTEXT,
    DEFINITION,
    FREQUENCY,
    MAPPING_PREDICATES,
    OIO,
    ONTOLOGY_IRI,
    POPULATION,
    SYNONYM_SCOPES,
    contract,
)

REPLACED_BY = URIRef("http://purl.obolibrary.org/obo/IAO_0100001")
_SCOPE_OF = {iri: scope for scope, iri in SYNONYM_SCOPES.items()}
_PRECISION_OF = {iri: name.split(":", 1)[1] for name, iri in MAPPING_PREDICATES.items()}
_SKIP_OUT = {RDF.type, RDFS.label, RDFS.subClassOf, DEFINITION, CATEGORY, OIO.hasDbXref, OWL.deprecated}
_WORD = re.compile(r"[\w]+", re.UNICODE)


@dataclass(frozen=True)
class Ref:
    """A node shown as a link: its IRI, CURIE (or the IRI when no prefix fits) and label."""

    iri: str
    curie: str
    label: str
    path: str


@dataclass(frozen=True)
class Statement:
    """One statement about (or pointing to) an entity, with what the graph says about its support."""

    relation: Ref
    target: Ref | None  # None for a literal value
    value: str  # the literal's text, or the target's label
    sources: tuple[Ref, ...] = ()
    populations: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    frequency: tuple[str, ...] = ()
    inferred: bool = False


@dataclass(frozen=True)
class Synonym:
    text: str
    scope: str  # exact, related, broad, narrow
    sources: tuple[Ref, ...]


@dataclass(frozen=True)
class Code:
    curie: str
    iri: str
    precision: str  # exactMatch, closeMatch, ...
    sources: tuple[Ref, ...]
    note: str


@dataclass
class Card:
    """Everything an entity page shows."""

    ref: Ref
    kind: str  # class, individual, property, ontology
    category: str
    definition: str
    definition_sources: tuple[Ref, ...]
    synonyms: list[Synonym]
    codes: list[Code]
    xrefs: list[str]
    comments: list[str]
    superclasses: list[Statement]
    subclasses: list[Ref]
    relations: dict[str, list[Statement]]  # grouped by relation label
    incoming: dict[str, list[tuple[Ref, Statement]]]  # relation label -> (subject, statement)
    deprecated: bool
    replaced_by: list[Ref]
    record: list[tuple[str, str]] = field(default_factory=list)  # other literal properties


@dataclass(frozen=True)
class Hit:
    """One search result: the entity, the text that matched, and where it matched."""

    ref: Ref
    matched: str
    field: str  # label, exact synonym, related synonym, ..., code, identifier
    score: int


NOTICE = (
    "Not medical advice: omsgraph is reference information for research, curation and data integration; "
    "it does not replace the judgement of a clinician who knows the patient."
)


def page_path(iri: str) -> str:
    """Where the server shows an IRI: omsgraph's own IRIs at their path, other terms under /term/."""
    if iri.startswith(BASE):
        return "/" + iri[len(BASE) :]
    curie = contract(iri)
    if curie != iri:
        return "/term/" + curie
    return "/term/?iri=" + iri


def _norm(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


class Catalog:
    """Cards, search and identifier resolution over one release graph."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._axioms: dict[tuple[Node, Node, Node], list[Node]] = defaultdict(list)
        for ax in graph.subjects(RDF.type, OWL.Axiom):
            key = (
                graph.value(ax, OWL.annotatedSource),
                graph.value(ax, OWL.annotatedProperty),
                graph.value(ax, OWL.annotatedTarget),
            )
            if key[0] is not None:
                self._axioms[key].append(ax)  # type: ignore[index]
        self._incoming: dict[URIRef, list[tuple[URIRef, URIRef, Node]]] = defaultdict(list)
        self._codes: dict[str, list[tuple[URIRef, str]]] = defaultdict(list)  # code key -> entities
        self._code_text: dict[str, str] = {}  # code key -> the code as written
        for s, p, o in graph:
            if not isinstance(s, URIRef):
                continue
            if isinstance(p, URIRef) and p in _PRECISION_OF and isinstance(o, URIRef):
                self._add_code(contract(str(o)), s, _PRECISION_OF[p])
            elif p == OIO.hasDbXref and isinstance(o, Literal):
                self._add_code(str(o), s, "xref")
        for s, o in graph.subject_objects(RDFS.subClassOf):
            if not isinstance(s, URIRef):
                continue
            if isinstance(o, URIRef):
                self._incoming[o].append((s, RDFS.subClassOf, o))
            elif isinstance(o, BNode) and (edge := self._restriction(o)):
                self._incoming[edge[1]].append((s, edge[0], o))
        for s, p, o in graph:  # plain object-property edges (the direct-edge graph, when present)
            if isinstance(s, URIRef) and isinstance(o, URIRef) and self._is_object_property(p):
                self._incoming[o].append((s, p, o))  # type: ignore[arg-type]

    # --- helpers ---------------------------------------------------------------------------------

    def _add_code(self, code: str, entity: URIRef, precision: str) -> None:
        keys = [code, code.split(":", 1)[1]] if ":" in code else [code]
        for key in keys:
            self._codes[key.casefold()].append((entity, precision))
            self._code_text[key.casefold()] = key

    def _is_object_property(self, p: Node) -> bool:
        return (p, RDF.type, OWL.ObjectProperty) in self.graph

    def _restriction(self, node: Node) -> tuple[URIRef, URIRef] | None:
        prop = self.graph.value(node, OWL.onProperty)
        filler = self.graph.value(node, OWL.someValuesFrom)
        if isinstance(prop, URIRef) and isinstance(filler, URIRef):
            return prop, filler
        return None

    def label(self, node: Node) -> str:
        value = self.graph.value(node, RDFS.label)
        if value is not None:
            return str(value)
        return contract(str(node)) if isinstance(node, URIRef) else str(node)

    def ref(self, node: URIRef) -> Ref:
        iri = str(node)
        return Ref(iri, contract(iri), self.label(node), page_path(iri))

    def _support(
        self, s: Node, p: Node, o: Node
    ) -> tuple[tuple[Ref, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...], bool]:
        sources: set[URIRef] = set()
        populations: set[str] = set()
        contexts: set[str] = set()
        frequencies: set[str] = set()
        inferred = False
        for ax in self._axioms.get((s, p, o), []):
            sources |= {v for v in self.graph.objects(ax, DCTERMS.source) if isinstance(v, URIRef)}
            populations |= {self.label(v) for v in self.graph.objects(ax, POPULATION)}
            contexts |= {str(v) for v in self.graph.objects(ax, CONTEXT)}
            frequencies |= {
                str(v) if isinstance(v, Literal) else self.label(v) for v in self.graph.objects(ax, FREQUENCY)
            }
            inferred |= any(str(v) == "true" for v in self.graph.objects(ax, OIO.is_inferred))
        refs = tuple(sorted((self.ref(x) for x in sources), key=lambda r: r.label))
        return refs, tuple(sorted(populations)), tuple(sorted(contexts)), tuple(sorted(frequencies)), inferred

    def _statement(self, s: Node, p: URIRef, target: Node, shown: Node) -> Statement:
        via = p if shown is target else RDFS.subClassOf  # a restriction's axiom is on rdfs:subClassOf
        sources, pops, ctx, freq, inferred = self._support(s, via, target)
        if isinstance(shown, URIRef):
            ref = self.ref(shown)
            return Statement(self.ref(p), ref, ref.label, sources, pops, ctx, freq, inferred)
        return Statement(self.ref(p), None, str(shown), sources, pops, ctx, freq, inferred)

    # --- public ----------------------------------------------------------------------------------

    def knows(self, iri: str) -> bool:
        node = URIRef(iri)
        return (node, None, None) in self.graph

    def kind(self, node: URIRef) -> str:
        types = set(self.graph.objects(node, RDF.type))
        if OWL.Ontology in types:
            return "ontology"
        if OWL.Class in types:
            return "class"
        if types & {OWL.ObjectProperty, OWL.AnnotationProperty, OWL.DatatypeProperty}:
            return "property"
        if OWL.NamedIndividual in types:
            return "individual"
        return "term"

    def card(self, iri: str) -> Card | None:
        node = URIRef(iri)
        g = self.graph
        if (node, None, None) not in g:
            return None
        synonyms = [
            Synonym(str(o), scope, self._support(node, p, o)[0])
            for p, scope in ((iri_, s) for s, iri_ in SYNONYM_SCOPES.items())
            for o in g.objects(node, p)
        ]
        synonyms.sort(key=lambda x: (list(SYNONYM_SCOPES).index(x.scope), x.text.casefold()))
        codes = []
        for p, precision in _PRECISION_OF.items():
            for o in g.objects(node, p):
                axioms = self._axioms.get((node, p, o), [])
                notes = sorted({str(v) for ax in axioms for v in g.objects(ax, RDFS.comment)})
                codes.append(
                    Code(contract(str(o)), str(o), precision, self._support(node, p, o)[0], "; ".join(notes))
                )
        codes.sort(key=lambda c: (c.curie.split(":")[0], c.curie))
        definition = g.value(node, DEFINITION)
        superclasses, relations = [], defaultdict(list)
        for o in g.objects(node, RDFS.subClassOf):
            if isinstance(o, URIRef):
                superclasses.append(self._statement(node, RDFS.subClassOf, o, o))
            elif isinstance(o, BNode) and (edge := self._restriction(o)):
                st = self._statement(node, edge[0], o, edge[1])
                relations[st.relation.label].append(st)
        seen_direct = {(st.relation.iri, st.target.iri) for v in relations.values() for st in v if st.target}
        record = []
        for prop, o in g.predicate_objects(node):
            if not isinstance(prop, URIRef):
                continue
            p = prop
            if p in _SKIP_OUT or p in SYNONYM_SCOPES.values() or p in _PRECISION_OF or p == RDFS.comment:
                continue
            if isinstance(o, URIRef) and self._is_object_property(p):
                if (str(p), str(o)) not in seen_direct:
                    st = self._statement(node, p, o, o)
                    relations[st.relation.label].append(st)
            elif isinstance(o, URIRef) and p != REPLACED_BY:
                st = self._statement(node, p, o, o)
                relations[st.relation.label].append(st)
            elif isinstance(o, Literal):
                record.append((self.label(p), str(o)))
        for group in relations.values():
            group.sort(key=lambda st: st.value.casefold())
        incoming: dict[str, list[tuple[Ref, Statement]]] = defaultdict(list)
        subclasses: list[Ref] = []
        for s, p, via in self._incoming.get(node, []):
            if p == RDFS.subClassOf:
                subclasses.append(self.ref(s))
                continue
            st = self._statement(s, p, via, node)
            incoming[st.relation.label].append((self.ref(s), st))
        for items in incoming.values():
            items.sort(key=lambda x: x[0].label.casefold())
        return Card(
            ref=self.ref(node),
            kind=self.kind(node),
            category=str(g.value(node, CATEGORY) or ""),
            definition=str(definition or ""),
            definition_sources=self._support(node, DEFINITION, definition)[0] if definition else (),
            synonyms=synonyms,
            codes=codes,
            xrefs=sorted(str(o) for o in g.objects(node, OIO.hasDbXref)),
            comments=sorted(str(o) for o in g.objects(node, RDFS.comment)),
            superclasses=sorted(superclasses, key=lambda st: st.value.casefold()),
            subclasses=sorted(set(subclasses), key=lambda r: r.label.casefold()),
            relations=dict(sorted(relations.items())),
            incoming=dict(sorted(incoming.items())),
            deprecated=str(g.value(node, OWL.deprecated) or "").lower() == "true",
            replaced_by=[self.ref(o) for o in g.objects(node, REPLACED_BY) if isinstance(o, URIRef)],
            record=sorted(record),
        )

    def resolve(self, text: str) -> URIRef | None:
        """The entity a CURIE, a full IRI or an external code names; None when nothing matches."""
        text = text.strip()
        if not text:
            return None
        if text.startswith(("http://", "https://")):
            if self.knows(text):
                return URIRef(text)
            found = self._codes.get(contract(text).casefold())
        else:
            iri = self._expand(text)
            if iri and self.knows(iri) and (URIRef(iri), RDFS.label, None) in self.graph:
                return URIRef(iri)
            found = self._codes.get(text.casefold())
        if not found:
            return None
        order = ["exactMatch", "xref", "closeMatch", "narrowMatch", "broadMatch", "relatedMatch"]
        return sorted(found, key=lambda x: (order.index(x[1]), str(x[0])))[0][0]

    @staticmethod
    def _expand(text: str) -> str | None:
        from .vocab import PREFIXES, is_curie, prefix_of

        if is_curie(text) and prefix_of(text) in PREFIXES:
            return PREFIXES[prefix_of(text)] + text.split(":", 1)[1]
        return None

    @cached_property
    def _search_rows(self) -> list[tuple[str, str, str, URIRef]]:
        """(normalised text, shown text, field, entity) for every label, synonym and code."""
        rows: list[tuple[str, str, str, URIRef]] = []
        g = self.graph
        for s, o in g.subject_objects(RDFS.label):
            if isinstance(s, URIRef) and (s, RDF.type, OWL.Class) in g:
                rows.append((_norm(str(o)), str(o), "label", s))
                rows.append((contract(str(s)).casefold(), contract(str(s)), "identifier", s))
        for p, scope in _SCOPE_OF.items():
            for s, o in g.subject_objects(p):
                if isinstance(s, URIRef):
                    rows.append((_norm(str(o)), str(o), f"{scope} synonym", s))
        for key, entities in self._codes.items():
            for entity, _precision in entities:
                rows.append((key, self._code_text[key], "code", entity))
        return rows

    def search(self, query: str, limit: int = 10) -> list[Hit]:
        """Entities whose label, synonym or code matches ``query``: exact, then prefix, then word prefix,
        then substring; a label beats a synonym; one hit per entity (its best match)."""
        q = _norm(query) if not re.search(r"[:.]", query) else query.strip().casefold()
        if not q:
            return []
        best: dict[URIRef, tuple[int, str, str]] = {}
        field_rank = {"label": 0, "identifier": 1, "code": 1, "exact synonym": 2}
        for text, shown, where, entity in self._search_rows:
            if text == q:
                score = 400
            elif text.startswith(q):
                score = 300
            elif f" {q}" in f" {text}":
                score = 200
            elif q in text:
                score = 100
            else:
                continue
            score -= field_rank.get(where, 3) * 10 + min(len(text), 99) // 10
            if entity not in best or score > best[entity][0]:
                best[entity] = (score, shown, where)
        ranked = sorted(best.items(), key=lambda x: (-x[1][0], self.label(x[0]).casefold()))
        return [Hit(self.ref(e), shown, where, score) for e, (score, shown, where) in ranked[:limit]]

    def describe(self, iri: str) -> Graph:
        """The RDF about one entity: its triples (with their blank-node closure) and its annotated axioms."""
        node = URIRef(iri)
        out = Graph()
        for prefix, ns in self.graph.namespaces():
            out.bind(prefix, ns, override=True)
        todo: list[Node] = [node]
        seen: set[Node] = set()
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            for p, o in self.graph.predicate_objects(current):
                out.add((current, p, o))
                if isinstance(o, BNode):
                    todo.append(o)
            if isinstance(current, URIRef):
                for ax in self.graph.subjects(OWL.annotatedSource, current):
                    todo.append(ax)
        return out

    def counts(self) -> dict[str, int]:
        g = self.graph
        classes = {s for s in g.subjects(RDF.type, OWL.Class) if isinstance(s, URIRef)}
        own = {s for s in classes if str(s).startswith(BASE)}
        return {
            "triples": len(g),
            "classes": len(classes),
            "omsgraph classes": len(own),
            "annotated statements": sum(len(v) for v in self._axioms.values()),
            "sources": len(set(g.objects(None, DCTERMS.source))),
            "codes": sum(1 for p in _PRECISION_OF for _ in g.subject_objects(p)),
        }

    def ontology(self) -> dict[str, str]:
        """The ontology header: title, version, version IRI, licence, citation, description."""
        g = self.graph
        node = ONTOLOGY_IRI
        fields = {
            "iri": str(node),
            "title": g.value(node, DCTERMS.title),
            "description": g.value(node, DCTERMS.description),
            "version": g.value(node, OWL.versionInfo),
            "version_iri": g.value(node, OWL.versionIRI),
            "license": g.value(node, DCTERMS.license),
            "citation": g.value(node, DCTERMS.bibliographicCitation),
            "created": g.value(node, DCTERMS.created),
        }
        return {k: str(v) for k, v in fields.items() if v is not None}


def load_catalog(path: Path | None = None) -> Catalog:
    """A catalog over the full release (N-Triples when present: the fastest to parse)."""
    folder = resources.ontology_dir()
    target = path or (folder / "omsgraph.nt" if (folder / "omsgraph.nt").is_file() else None)
    return Catalog(load_release(target))


@dataclass(frozen=True)
class Section:
    """One part of the overview: a heading over the answer of a competency question."""

    anchor: str
    title: str
    question: str  # the name of a file in queries/
    params: tuple[tuple[str, str], ...] = ()


#: The overview of OMS a clinician opens first, in reading order. Headings only: every row shown
#: under them is the answer of the named competency question over the release.
OVERVIEW: tuple[Section, ...] = (
    Section("signs-children", "Signs and symptoms in children", "signs", (("population", "children"),)),
    Section("signs-adults", "Signs and symptoms in adults", "signs", (("population", "adults"),)),
    Section("causes", "Causes", "causes"),
    Section("antibodies", "Antibodies, their antigens and tumours", "antibody-chain"),
    Section("tumours", "Tumours by age group", "tumours-by-age"),
    Section("work-up", "Work-up", "diagnostic-tests"),
    Section("treatments", "Treatments by line", "treatments"),
    Section("criteria", "Clinical criteria", "criteria"),
    Section("differential", "Differential diagnosis", "differential-diagnosis"),
    Section("course", "Course", "course"),
    Section("outcome", "Outcome", "outcome"),
)


@dataclass(frozen=True)
class Download:
    name: str
    description: str
    data: bytes

    @property
    def sha256(self) -> str:
        import hashlib

        return hashlib.sha256(self.data).hexdigest()


def downloads() -> list[Download]:
    """Every release file and export, as served on the downloads page (file names are unique)."""
    from .export import FORMATS, RDF_FORMATS, export

    described = {
        "owl": "RDF/XML",
        "ttl": "Turtle",
        "jsonld": "JSON-LD",
        "nt": "N-Triples",
        "sssom": "the codes as an SSSOM mapping set",
        "kgx": "KGX nodes and edges (Biolink)",
        "void": "VoID description of the dataset",
    }
    out: dict[str, Download] = {}
    for variant in ("full", "base"):
        for fmt in RDF_FORMATS:
            for name, data in export(fmt, variant).items():
                out[name] = Download(name, f"{variant} release, {described[fmt]}", data)
    for fmt in FORMATS:
        if fmt not in RDF_FORMATS:
            for name, data in export(fmt).items():
                out[name] = Download(name, described[fmt], data)
    return sorted(out.values(), key=lambda d: d.name)
