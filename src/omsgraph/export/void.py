"""A VoID description of the dataset: size, licence, sources, example resources, SPARQL endpoint."""

from __future__ import annotations

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, RDFS, XSD

from ..build import count_classes
from ..serialize import canonical, to_turtle
from ..vocab import BASE, OMS, ONTOLOGY_IRI, expand

VOID = Namespace("http://rdfs.org/ns/void#")
DATASET = URIRef(BASE + "dataset")
#: Where `omsgraph serve` answers SPARQL on its default address: a local endpoint, there only while the
#: user runs `omsgraph serve`, described as such in the dataset description.
SPARQL_ENDPOINT = URIRef("http://127.0.0.1:8000/sparql")
EXAMPLES = ("MONDO:0015247", "OMSG:0000603", "HP:0010543")


def void_graph(release: Graph) -> Graph:
    g = Graph()
    g.bind("void", VOID)
    d = DATASET
    meta = release.value
    g.add((d, RDF.type, VOID.Dataset))
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.license, DCTERMS.creator, DCTERMS.created):
        for value in release.objects(ONTOLOGY_IRI, prop):
            g.add((d, prop, value))
    version = meta(ONTOLOGY_IRI, OWL.versionInfo)
    if version is not None:
        g.add((d, DCTERMS.modified, Literal(str(version), datatype=XSD.date)))
        g.add((d, OWL.versionInfo, version))
    g.add((d, FOAF.homepage, URIRef("https://w3id.org/omsgraph/")))
    g.add((d, VOID.uriSpace, Literal(BASE + "OMSG_")))
    g.add((d, VOID.dataDump, ONTOLOGY_IRI))
    g.add((d, VOID.dataDump, URIRef(BASE + "omsgraph.ttl")))
    g.add((d, VOID.dataDump, URIRef(BASE + "omsgraph.nt")))
    g.add((d, VOID.sparqlEndpoint, SPARQL_ENDPOINT))
    note = "The local endpoint of `omsgraph serve` on its default address, there while it runs."
    g.add((SPARQL_ENDPOINT, RDFS.comment, Literal(note, lang="en")))
    g.add((d, VOID.vocabulary, URIRef(str(OWL))))
    g.add((d, VOID.vocabulary, URIRef("http://www.w3.org/2004/02/skos/core#")))
    g.add((d, VOID.vocabulary, URIRef(str(DCTERMS))))
    entities = {s for s in release.subjects() if isinstance(s, URIRef)}
    classes = count_classes(release)
    props = {
        p
        for kind in (OWL.ObjectProperty, OWL.AnnotationProperty, OWL.DatatypeProperty)
        for p in release.subjects(RDF.type, kind)
    }
    g.add((d, VOID.triples, Literal(len(release))))  # the release file as written: build.count_triples
    g.add((d, VOID.entities, Literal(len(entities))))
    g.add((d, VOID.classes, Literal(classes)))
    g.add((d, VOID.properties, Literal(len(props))))
    g.add((d, VOID.distinctSubjects, Literal(len(entities))))
    for curie in EXAMPLES:
        iri = expand(curie)
        if (iri, RDFS.label, None) in release:
            g.add((d, VOID.exampleResource, iri))
    # The sources: the records the graph was curated from (not those only cited by them), and their pages.
    for record in release.subjects(DCTERMS.bibliographicCitation, None):
        if (record, RDF.type, OWL.Ontology) in release or (record, DCTERMS.isReferencedBy, None) in release:
            continue
        g.add((d, DCTERMS.source, record))
        for page in release.objects(record, FOAF.page):
            g.add((d, RDFS.seeAlso, page))
    g.add((d, DCTERMS.subject, OMS))
    return g


def void_turtle(release: Graph) -> bytes:
    g = canonical(void_graph(release))
    g.bind("void", VOID)
    return to_turtle(g, canonical_input=True)
