"""The mappings (codes) of the release as an SSSOM mapping set: a TSV with a YAML metadata header.

One row per code of every entity: ``skos:*Match`` axioms of the release, with their semapv
justification, the source records that give the code (``see_also``: the records and their pages)
and the file or page the code was verified against (``comment``).
"""

from __future__ import annotations

import csv
import io

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from .. import resources
from ..curation import Mapping, read_table
from ..vocab import BASE, FOAF, MAPPING_JUSTIFICATION, ONTOLOGY_IRI, PREFIXES, VERIFIED_AGAINST, contract

COLUMNS = (
    "subject_id",
    "subject_label",
    "predicate_id",
    "object_id",
    "object_label",
    "mapping_justification",
    "see_also",
    "comment",
)
_PREDICATES = {SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch}


def _object_labels() -> dict[tuple[str, str, str], str]:
    """Code labels from the curated table (the release holds codes as IRIs, not as classes)."""
    path = resources.curation_dir() / "mappings.tsv"
    if not path.is_file():
        return {}
    return {(m.subject, m.predicate, m.object): m.object_label for m in read_table(path, Mapping)}


def mapping_rows(graph: Graph) -> list[dict[str, str]]:
    labels = _object_labels()
    rows = []
    for axiom in graph.subjects(RDF.type, OWL.Axiom):
        prop = graph.value(axiom, OWL.annotatedProperty)
        if prop not in _PREDICATES:
            continue
        subject, target = graph.value(axiom, OWL.annotatedSource), graph.value(axiom, OWL.annotatedTarget)
        if not isinstance(subject, URIRef) or not isinstance(target, URIRef):
            continue
        s, p, o = contract(str(subject)), contract(str(prop)), contract(str(target))
        sources = sorted(str(x) for x in graph.objects(axiom, DCTERMS.source))
        pages = sorted(str(graph.value(URIRef(x), FOAF.page) or "") for x in sources)
        verified = graph.value(axiom, VERIFIED_AGAINST)
        note = graph.value(axiom, RDFS.comment)
        comment = f"verified against {verified}" if verified else ""
        if note:
            comment += f"; {note}" if comment else str(note)
        rows.append(
            {
                "subject_id": s,
                "subject_label": str(graph.value(subject, RDFS.label) or ""),
                "predicate_id": p,
                "object_id": o,
                "object_label": labels.get((s, p, o), ""),
                "mapping_justification": contract(str(graph.value(axiom, MAPPING_JUSTIFICATION) or "")),
                "see_also": "|".join([*sources, *(x for x in pages if x)]),
                "comment": comment,
            }
        )
    return sorted(rows, key=lambda r: (r["subject_id"], r["predicate_id"], r["object_id"]))


def sssom_tsv(graph: Graph) -> bytes:
    rows = mapping_rows(graph)
    used = {r[c].split(":", 1)[0] for r in rows for c in ("subject_id", "predicate_id", "object_id")}
    used |= {r["mapping_justification"].split(":", 1)[0] for r in rows}
    version = str(graph.value(ONTOLOGY_IRI, OWL.versionInfo) or "")
    licence = str(graph.value(ONTOLOGY_IRI, DCTERMS.license) or "")
    header = ["curie_map:"]
    header += [f"  {p}: {PREFIXES[p]}" for p in sorted(used) if p in PREFIXES]
    header += [
        f"mapping_set_id: {BASE}omsgraph.sssom.tsv",
        f"mapping_set_version: '{version}'",
        "mapping_set_title: omsgraph mappings of opsoclonus-myoclonus syndrome entities to codes",
        f"license: {licence}",
        f"mapping_date: '{version}'",
        "creator_label:",
        "  - omsgraph developers",
        "mapping_set_description: Every code of every omsgraph entity, with the source that gives it "
        "(see_also) and the file or page it was verified against (comment).",
    ]
    out = io.StringIO()
    out.write("".join(f"# {line}\n" for line in header))
    writer = csv.DictWriter(out, COLUMNS, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")
