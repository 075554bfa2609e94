"""Reading the built release files."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from . import resources
from .build import RELEASE_OWL
from .errors import BadInputError


def load_release(path: Path | None = None) -> Graph:
    """Parse a release file (RDF/XML for .owl/.rdf, else by extension); one clear error when unreadable."""
    target = path or resources.ontology_dir() / RELEASE_OWL
    fmt = {".owl": "xml", ".rdf": "xml", ".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld"}.get(
        target.suffix
    )
    if fmt is None:
        raise BadInputError(
            f"{str(target)!r} has an unknown extension; give a .owl, .rdf, .ttl, .nt or .jsonld file"
        )
    graph = Graph()
    try:
        graph.parse(target, format=fmt)
    except FileNotFoundError as exc:
        raise BadInputError(
            f"{str(target)!r} does not exist; run `omsgraph build` or check the path"
        ) from exc
    except Exception as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise BadInputError(
            f"{str(target)!r} is not valid {fmt}: {first}; pass a well-formed ontology file"
        ) from exc
    return graph
