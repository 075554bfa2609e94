"""Case records as RDF (the shape ``shapes/cases.ttl`` checks), and the SHACL check of a batch of cases."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from functools import cache
from urllib.parse import quote

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from ..hpo import Hpo
from ..vocab import OMSG, PATIENT_CASE, contract, expand
from .model import Case, Problem

CASE_BASE = "https://w3id.org/omsgraph/case/"
AGE = OMSG["0000701"]
SEX = OMSG["0000702"]
RECORDED_FINDING = OMSG["0000703"]
FIELDS = {str(AGE): "age", str(SEX): "sex", str(RECORDED_FINDING): "present"}


def case_iri(case: Case) -> URIRef:
    return URIRef(CASE_BASE + quote(case.id, safe=""))


def case_graph(cases: Sequence[Case], hpo: Hpo) -> Graph:
    """The cases as records (age, sex, present findings), with the HPO hierarchy above their HP findings.

    The release's HPO module holds only the terms omsgraph uses; a case may name any HP term, so the
    record carries the parents of its HP findings (from the HPO release omsgraph checks against) for
    the shape that requires a finding to be a phenotypic abnormality.
    """
    graph = Graph()
    hp_terms: set[str] = set()
    for case in cases:
        node = case_iri(case)
        graph.add((node, RDF.type, PATIENT_CASE))
        graph.add((node, AGE, Literal(Decimal(str(case.age_years)), datatype=XSD.decimal)))
        graph.add((node, SEX, Literal(case.sex)))
        for finding in case.present:
            graph.add((node, RECORDED_FINDING, expand(finding)))
            if finding.startswith("HP:"):
                hp_terms.add(finding)
    for term in sorted(hpo.ancestors(hp_terms)):
        for parent in hpo.terms[term].parents:
            graph.add((expand(term), RDFS.subClassOf, expand(parent)))
    return graph


@cache
def _release_ntriples() -> bytes:
    from .. import resources

    return (resources.ontology_dir() / "omsgraph.nt").read_bytes()


def shacl_problems(cases: Sequence[Case], hpo: Hpo) -> list[Problem]:
    """Validate the cases with the case shapes (together with the release); one Problem per violation."""
    import pyoxigraph as ox

    from ..validate import group_file, load_shapes, validate

    if not cases:
        return []
    store = ox.Store()
    store.load(_release_ntriples(), ox.RdfFormat.N_TRIPLES)
    store.load(case_graph(cases, hpo).serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES)
    result = validate(store, load_shapes([group_file("cases")]))
    by_iri = {str(case_iri(c)): c for c in cases}
    problems = []
    for finding in result.violations:
        case = by_iri.get(finding.focus)
        if case is None:
            continue
        value = f" ({contract(finding.value)})" if finding.value.startswith("http") else ""
        field = FIELDS.get(finding.path, contract(finding.path) if finding.path else "-")
        problems.append(
            Problem(case.file, case.record, field, finding.message + value, finding.fix or "fix the record")
        )
    return problems
