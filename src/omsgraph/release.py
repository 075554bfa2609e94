"""Reading the built release files."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from . import resources
from .build import RELEASE_OWL
from .errors import BadInputError
from .inputs import RDFLIB_FORMATS, parse_rdf


def load_release(path: Path | None = None) -> Graph:
    """Parse a release file (RDF/XML for .owl/.rdf, else by extension); one clear error when unreadable."""
    target = path or resources.ontology_dir() / RELEASE_OWL
    if not target.exists() and target.suffix.lower() in RDFLIB_FORMATS:
        raise BadInputError(f"{str(target)!r} does not exist; run `omsgraph build` or check the path")
    return parse_rdf(target, what="ontology file")
