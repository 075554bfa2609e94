"""Namespaces, the CURIE prefix map, and the project's own terms as named constants.

The constants are checked against ``ontology/omsgraph-edit.ttl`` by a test, so a typo or a
renamed term fails loudly instead of producing a dangling IRI.
"""

from __future__ import annotations

import re

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from .errors import BadInputError

BASE = "https://w3id.org/omsgraph/"
ONTOLOGY_IRI = URIRef(BASE + "omsgraph.owl")
COMPONENT_IRI = URIRef(BASE + "components/curation.owl")
HP_IMPORT_IRI = URIRef(BASE + "imports/hp_import.owl")

OMSG = Namespace(BASE + "OMSG_")
OBO = Namespace("http://purl.obolibrary.org/obo/")
OIO = Namespace("http://www.geneontology.org/formats/oboInOwl#")
VANN = Namespace("http://purl.org/vocab/vann/")
BIBO = Namespace("http://purl.org/ontology/bibo/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SEMAPV = Namespace("https://w3id.org/semapv/vocab/")

#: CURIE prefix -> IRI prefix. OBO prefixes expand to OBO PURLs; the rest follow the forms MONDO
#: and the SSSOM community use. Mapping targets (codes) are never declared as classes.
PREFIXES: dict[str, str] = {
    "OMSG": str(OMSG),
    **{
        p: f"http://purl.obolibrary.org/obo/{p}_"
        for p in (
            "HP",
            "MONDO",
            "RO",
            "IAO",
            "ECO",
            "CHEBI",
            "NCBITaxon",
            "MAXO",
            "UBERON",
            "CL",
            "NCIT",
            "DOID",
            "OBI",
            "PATO",
        )
    },
    "HGNC": "http://identifiers.org/hgnc/",
    "NCBIGene": "http://identifiers.org/ncbigene/",
    "UniProtKB": "http://purl.uniprot.org/uniprot/",
    "SCTID": "http://snomed.info/id/",
    "ICD10CM": "http://purl.bioontology.org/ontology/ICD10CM/",
    "ICD10WHO": "https://icd.who.int/browse10/2019/en#/",
    "ICD11": "http://id.who.int/icd/release/11/mms/",
    "ICD9": "http://purl.bioontology.org/ontology/ICD9CM/",
    "MESH": "http://id.nlm.nih.gov/mesh/",
    "UMLS": "http://linkedlifedata.com/resource/umls/id/",
    "MEDGEN": "https://www.ncbi.nlm.nih.gov/medgen/",
    "ORPHA": "http://www.orpha.net/ORDO/Orphanet_",
    "GARD": "https://rarediseases.info.nih.gov/diseases/",
    "EFO": "http://www.ebi.ac.uk/efo/EFO_",
    "DRUGBANK": "https://go.drugbank.com/drugs/",
    "RXNORM": "http://purl.bioontology.org/ontology/RXNORM/",
    "ATC": "http://purl.bioontology.org/ontology/ATC/",
    "MedDRA": "http://identifiers.org/meddra/",
    "NORD": "https://rarediseases.org/rare-diseases/",
    "semapv": str(SEMAPV),
    "skos": str(SKOS),
}

#: Prefixes of identifiers that may be declared as classes in the graph (the rest are mapping codes).
CLASS_PREFIXES = frozenset(
    {"OMSG", "HP", "MONDO", "CHEBI", "NCBITaxon", "MAXO", "UBERON", "CL", "NCIT", "HGNC", "ECO"}
)

_CURIE = re.compile(r"^(?P<prefix>[A-Za-z][A-Za-z0-9.]*):(?P<local>[^\s:|]+)$")


def expand(curie: str) -> URIRef:
    """Expand a CURIE such as ``HP:0001336`` to its IRI; raise BadInputError on an unknown prefix."""
    m = _CURIE.match(curie)
    if not m:
        raise BadInputError(f"{curie!r} is not a CURIE; write it as PREFIX:ID, e.g. 'HP:0001336'")
    prefix = m["prefix"]
    if prefix not in PREFIXES:
        raise BadInputError(f"unknown prefix in {curie!r}; known prefixes: {', '.join(sorted(PREFIXES))}")
    return URIRef(PREFIXES[prefix] + m["local"])


def contract(iri: str) -> str:
    """The CURIE of an IRI (the longest matching prefix), or the IRI itself when none matches."""
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = prefix
    return f"{best}:{iri[len(PREFIXES[best]) :]}" if best else iri


def is_curie(text: str) -> bool:
    return bool(_CURIE.match(text))


def prefix_of(curie: str) -> str:
    return curie.split(":", 1)[0]


# --- the project's own terms (declared in omsgraph-edit.ttl) --------------------------------------

POPULATION = OMSG["0000010"]
FREQUENCY = OMSG["0000011"]
CONTEXT = OMSG["0000012"]
CATEGORY = OMSG["0000013"]
MAPPING_JUSTIFICATION = OMSG["0000014"]
VERIFIED_AGAINST = OMSG["0000015"]
IDENTIFIER_GAP = OMSG["0000016"]
PUBLISHED_IN = OMSG["0000020"]
REFERENCE_NUMBER = OMSG["0000021"]
SEED_FILE = OMSG["0000022"]
SOURCE_KEY = OMSG["0000023"]
QUANTITY = OMSG["0000050"]
VALUE = OMSG["0000051"]
MINIMUM_VALUE = OMSG["0000052"]
MAXIMUM_VALUE = OMSG["0000053"]
CLAIM = OMSG["0000054"]
CLAIM_SUBJECT = OMSG["0000055"]
CLAIM_RELATION = OMSG["0000056"]
CLAIM_OBJECT = OMSG["0000057"]
HAS_CLAIM = OMSG["0000058"]
ASSERTED_ON = OMSG["0000059"]
#: Claims are named individuals with content-hash IRIs under this namespace.
CLAIM_NS = BASE + "claim/"

SOURCE_RECORD = OMSG["0000040"]
TUMOUR = OMSG["0000150"]
AUTOANTIBODY = OMSG["0000160"]
CHILDREN = OMSG["0000201"]
ADULTS = OMSG["0000202"]
ALL_PATIENTS = OMSG["0000203"]
PATIENT_CASE = OMSG["0000501"]
HAS_FINDING = OMSG["0000311"]
MEETS_CRITERIA = OMSG["0000500"]
PARANEOPLASTIC_OMS = OMSG["0000603"]

OMS = OBO["MONDO_0015247"]
DEFINITION = OBO["IAO_0000115"]
HAS_EVIDENCE = OBO["RO_0002558"]

POPULATIONS: dict[str, URIRef] = {"children": CHILDREN, "adults": ADULTS, "all": ALL_PATIENTS}

SYNONYM_SCOPES: dict[str, URIRef] = {
    "exact": OIO.hasExactSynonym,
    "related": OIO.hasRelatedSynonym,
    "broad": OIO.hasBroadSynonym,
    "narrow": OIO.hasNarrowSynonym,
}

MAPPING_PREDICATES: dict[str, URIRef] = {
    "skos:exactMatch": SKOS.exactMatch,
    "skos:closeMatch": SKOS.closeMatch,
    "skos:broadMatch": SKOS.broadMatch,
    "skos:narrowMatch": SKOS.narrowMatch,
    "skos:relatedMatch": SKOS.relatedMatch,
}

CATEGORIES = (
    "disease",
    "disease subtype",
    "phenotype",
    "clinical modifier",
    "neoplasm",
    "infectious disease",
    "organism",
    "chemical",
    "procedure",
    "autoantibody",
    "gene",
    "diagnostic test",
    "specimen",
    "care provider",
    "exposure",
)

EVIDENCE_CODES = ("ECO:0000304", "ECO:0000303")

#: Namespace bindings used in every serialisation, in this order.
BINDINGS: dict[str, str] = {
    "OMSG": str(OMSG),
    "obo": str(OBO),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "dcterms": str(DCTERMS),
    "skos": str(SKOS),
    "oboInOwl": str(OIO),
    "vann": str(VANN),
    "bibo": str(BIBO),
    "foaf": str(FOAF),
    "semapv": str(SEMAPV),
}
