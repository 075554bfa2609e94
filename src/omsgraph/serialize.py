"""Deterministic serialisation: the same graph always gives the same bytes.

Blank nodes are relabelled from their content (see ``blank_node_labels``), then triples are written in
sorted order: Turtle through rdflib (which is stable for a sorted graph), RDF/XML and N-Triples by
the small writers below. Files are written atomically: a temporary file, then a rename.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF
from rdflib.term import Node

from .errors import BadInputError
from .vocab import BINDINGS


def blank_node_labels(graph: Graph) -> dict[BNode, BNode]:
    """Deterministic labels for the blank nodes of an OWL graph, in time linear in its size.

    In OWL's RDF mapping blank nodes form trees (restrictions, lists, reified axioms), so a node is
    identified by its content (the hash of its outgoing triples, blank objects by their own content
    hash) together with where it hangs: the label of the node that points to it. Pointers from a
    reified axiom (``owl:annotatedTarget``) are not a place, so a restriction and its axiom annotation
    keep their identity. Two nodes with the same content in the same place are the same statement and
    may share a label. (rdflib's general canonicalisation takes minutes on such graphs.)
    """
    content: dict[BNode, str] = {}
    labels: dict[BNode, str] = {}
    nodes = {n for triple in graph for n in triple if isinstance(n, BNode)}

    def content_of(node: BNode) -> str:
        parts = sorted(
            f"{p.n3()} {'_:' + content[o] if isinstance(o, BNode) else o.n3()}"
            for p, o in graph.predicate_objects(node)
        )
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()

    def label_of(node: BNode) -> str:
        places = sorted(
            f"{labels[s] if isinstance(s, BNode) else s.n3()} {p.n3()}"
            for s, p in graph.subject_predicates(node)
            if p != OWL.annotatedTarget
        )
        return hashlib.sha256("\n".join([content[node], *places]).encode()).hexdigest()[:24]

    def children(node: BNode) -> list[BNode]:
        return [o for o in graph.objects(node) if isinstance(o, BNode)]

    def parents(node: BNode) -> list[BNode]:
        found = graph.subject_predicates(node)
        return [s for s, p in found if isinstance(s, BNode) and p != OWL.annotatedTarget]

    _bottom_up(nodes, children, content_of, content)  # a node's content needs its objects' content
    _bottom_up(nodes, parents, label_of, labels)  # a node's label needs the labels of its parents
    return {n: BNode("b" + labels[n]) for n in nodes}


def _bottom_up(
    nodes: set[BNode],
    needs: Callable[[BNode], list[BNode]],
    compute: Callable[[BNode], str],
    done: dict[BNode, str],
) -> None:
    """Set ``done[n] = compute(n)`` for every node, each after all the nodes it ``needs``.

    A depth-first walk with an explicit stack, so a long rdf:List cannot overflow Python's recursion
    limit; meeting a node again while it is still open means a cycle, which OWL forbids.
    """
    for start in nodes:
        stack: list[tuple[BNode, bool]] = [(start, False)]
        open_nodes: set[BNode] = set()
        while stack:
            node, expanded = stack.pop()
            if node in done:
                continue
            pending = [n for n in needs(node) if n not in done]
            if expanded and not pending:
                done[node] = compute(node)
                open_nodes.discard(node)
                continue
            if node in open_nodes:
                raise BadInputError(
                    "the graph has a cycle of blank nodes, which OWL does not allow; break it"
                )
            open_nodes.add(node)
            stack.append((node, True))
            stack.extend((n, False) for n in pending)


def canonical(graph: Graph) -> Graph:
    """A copy of ``graph`` with deterministic blank node labels and triples inserted in sorted order."""
    relabel = blank_node_labels(graph)

    def fix(node: Node) -> Node:
        return relabel[node] if isinstance(node, BNode) else node

    triples = {(fix(s), fix(p), fix(o)) for s, p, o in graph}
    out = Graph(bind_namespaces="none")
    for prefix, namespace in BINDINGS.items():
        out.bind(prefix, namespace, override=True)
    for triple in sorted(triples, key=_triple_key):
        out.add(triple)
    return out


def _node_key(node: Node) -> tuple[int, str]:
    if isinstance(node, URIRef):
        return (0, str(node))
    if isinstance(node, BNode):
        return (1, str(node))
    assert isinstance(node, Literal)
    return (2, f"{node}\x00{node.language or ''}\x00{node.datatype or ''}")


def _triple_key(triple: tuple[Node, Node, Node]) -> tuple[tuple[int, str], ...]:
    return tuple(_node_key(n) for n in triple)


def to_turtle(graph: Graph, *, canonical_input: bool = False) -> bytes:
    """Turtle; ``canonical_input`` says ``graph`` already comes from ``canonical`` (saves a pass)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = (graph if canonical_input else canonical(graph)).serialize(format="turtle", encoding="utf-8")
    return data


def to_ntriples(graph: Graph, *, canonical_input: bool = False) -> bytes:
    g = graph if canonical_input else canonical(graph)
    lines = sorted({_nt(s) + " " + _nt(p) + " " + _nt(o) + " .\n" for s, p, o in g})
    return "".join(lines).encode("utf-8")


def jsonld_context() -> dict[str, object]:
    """The project's prefixes as a JSON-LD 1.1 @context (shipped as ``omsgraph.context.jsonld``).

    Prefixes ending in ``_`` (``OMSG``, ``HP`` ...) carry ``"@prefix": true``: JSON-LD 1.1 expands and
    compacts a compact IRI such as ``OMSG:0000001`` only under a term so flagged (or one whose IRI ends
    in ``/``, ``#`` ...). JSON-LD 1.0 processors refuse that flag, which is why the release itself
    carries no context (see ``to_jsonld``).
    """
    from .vocab import PREFIXES

    table = {**PREFIXES, **BINDINGS}
    return {
        prefix: ({"@id": ns, "@prefix": True} if ns.endswith("_") else ns)
        for prefix, ns in sorted(table.items())
    }


def prefix_map() -> dict[str, str]:
    """The project's prefix map: the CURIE prefixes and the serialisation bindings, sorted by prefix."""
    from .vocab import PREFIXES

    return dict(sorted({**PREFIXES, **BINDINGS}.items()))


def context_file() -> bytes:
    """``omsgraph.context.jsonld``: the prefix map as a JSON-LD 1.1 context document."""
    import json

    doc = {"@context": {"@version": 1.1, **jsonld_context()}}
    return (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def prefixes_csv() -> bytes:
    """``prefixes.csv``: the prefix map as ``prefix,uri_prefix`` rows (the curies/bioregistry names)."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("prefix", "uri_prefix"))
    writer.writerows(prefix_map().items())
    return out.getvalue().encode("utf-8")


def to_jsonld(graph: Graph, *, canonical_input: bool = False) -> bytes:
    """JSON-LD in expanded, flattened form: a top-level array of node objects with full IRIs.

    Chosen so that every reader gets the same triples in the default graph: the OWL API without a
    format hint (as Protégé opens files) tries its RDF/JSON parser first, which dies on a top-level
    object's ``@context`` key but moves on from an array; JSON-LD 1.0 readers (Jena 4.5's, the OWL
    API's) refuse the 1.1 ``@prefix`` flag that the ``OMSG:`` compact IRIs need, and without it 1.1
    readers do not expand them. To compact, apply ``jsonld_context`` (``omsgraph.context.jsonld``).
    Nodes are sorted by content, keys sorted, set-valued arrays sorted, ``@list`` order kept.
    """
    import json

    g = graph if canonical_input else canonical(graph)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        text = g.serialize(format="json-ld", encoding="utf-8")
    nodes = _sorted_jsonld(json.loads(text))
    return (json.dumps(nodes, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def _sorted_jsonld(node: Any, *, ordered: bool = False) -> Any:
    if isinstance(node, list):
        items = [_sorted_jsonld(n) for n in node]
        return items if ordered else sorted(items, key=_json_key)
    if isinstance(node, dict):
        return {k: _sorted_jsonld(v, ordered=k == "@list") for k, v in node.items()}
    return node


def _json_key(node: Any) -> str:
    import json

    return json.dumps(node, sort_keys=True, ensure_ascii=False)


def _nt(node: Node) -> str:
    if isinstance(node, URIRef | BNode | Literal):
        return str(node.n3())
    raise TypeError(node)


#: Types written as the element of a typed node (``<owl:Class rdf:about=...>``), most preferred first,
#: as the OWL API writes them; a subject with none of these gets its first type in IRI order.
_NODE_TYPES = (
    OWL.Ontology,
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.NamedIndividual,
    OWL.Axiom,
    OWL.Restriction,
)
_NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")


def xml_prefixes() -> dict[str, str]:
    """Prefix -> namespace for RDF/XML: the serialisation bindings, the CURIE prefix map, and
    ``omsgraph`` for the project's base (the namespace of ``OMSG_`` properties as XML names)."""
    from .vocab import BASE, PREFIXES

    table = dict(BINDINGS)
    for prefix, ns in [*PREFIXES.items(), ("omsgraph", BASE)]:
        if prefix not in table and ns not in table.values():
            table[prefix] = ns
    return table


def to_rdfxml(graph: Graph, *, canonical_input: bool = False) -> bytes:
    """RDF/XML with typed nodes (``<owl:Class rdf:about=...>``, ``<owl:Ontology ...>``), subjects in
    sorted order, under the project's prefixes (every one declared, so tools that
    shorten IRIs from the document's prefixes, as pronto and oaklib do, write ``OMSG:0000010``).
    """
    g = graph if canonical_input else canonical(graph)
    namespaces = xml_prefixes()
    extra: dict[str, str] = {}

    def qname(iri: str) -> str | None:
        """``prefix:local`` with an NCName local part (longest namespace first), else None."""
        best = ""
        for prefix, ns in {**namespaces, **extra}.items():
            local = iri[len(ns) :]
            if iri.startswith(ns) and _NCNAME.match(local) and len(ns) > len(namespaces.get(best, "")):
                best = prefix
        return f"{best}:{iri[len({**namespaces, **extra}[best]) :]}" if best else None

    def name_of(predicate: URIRef) -> str:
        iri = str(predicate)
        found = qname(iri)
        if found is None:
            cut = max(iri.rfind("#"), iri.rfind("/")) + 1
            if not _NCNAME.match(iri[cut:]):
                raise BadInputError(
                    f"property {iri!r} cannot be written as RDF/XML; give it an IRI ending in a name"
                )
            extra[f"ns{len(extra) + 1}"] = iri[:cut]  # a namespace outside the prefix map
            found = qname(iri)
        assert found is not None
        return found

    def node_type(subject: Node) -> URIRef | None:
        types = {t for t in g.objects(subject, RDF.type) if isinstance(t, URIRef)}
        for t in [*(t for t in _NODE_TYPES if t in types), *sorted(types - set(_NODE_TYPES), key=str)]:
            if qname(str(t)) is not None:
                return t
        return None

    body: list[str] = []
    # Sorted subjects, the ontology header among them: OWL API 3 (HermiT's) leaves a header annotation
    # unparsed when the header comes before the declaration of its annotation property.
    for subject in sorted(set(g.subjects()), key=_node_key):
        attr = (
            f"rdf:about={quoteattr(str(subject))}"
            if isinstance(subject, URIRef)
            else f"rdf:nodeID={quoteattr(str(subject))}"
        )
        typed = node_type(subject)
        element = name_of(typed) if typed is not None else "rdf:Description"
        body.append(f"  <{element} {attr}>")
        for p, o in sorted(g.predicate_objects(subject), key=lambda po: (_node_key(po[0]), _node_key(po[1]))):
            if p == RDF.type and o == typed:
                continue
            name = name_of(p)  # type: ignore[arg-type]
            if isinstance(o, URIRef):
                body.append(f"    <{name} rdf:resource={quoteattr(str(o))}/>")
            elif isinstance(o, BNode):
                body.append(f"    <{name} rdf:nodeID={quoteattr(str(o))}/>")
            else:
                assert isinstance(o, Literal)
                lang = ""
                if o.language:
                    lang = f" xml:lang={quoteattr(o.language)}"
                elif o.datatype:
                    lang = f" rdf:datatype={quoteattr(str(o.datatype))}"
                body.append(f"    <{name}{lang}>{escape(str(o))}</{name}>")
        body.append(f"  </{element}>")
    header = ['<?xml version="1.0" encoding="utf-8"?>', "<rdf:RDF"]
    header += [f"  xmlns:{p}={quoteattr(n)}" for p, n in sorted({**namespaces, **extra}.items())]
    header[-1] += ">"
    return ("\n".join([*header, *body, "</rdf:RDF>"]) + "\n").encode("utf-8")


def write_atomic(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` through a temporary file and a rename; False when unchanged."""
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        Path(tmp).chmod(0o666 & ~umask)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True
