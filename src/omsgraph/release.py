"""Reading the built release files."""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from rdflib import Graph

from . import resources
from .build import RELEASE_OWL
from .errors import BadInputError
from .inputs import RDFLIB_FORMATS, parse_rdf

log = logging.getLogger(__name__)
#: Seconds an input may be newer than the release before it counts as edited after the build (a
#: checkout writes the inputs, then the release, within moments).
STALE_AFTER = 2.0


def load_release(path: Path | None = None) -> Graph:
    """Parse a release file (RDF/XML for .owl/.rdf, else by extension); one clear error when unreadable."""
    target = path or resources.ontology_dir() / RELEASE_OWL
    if path is None:
        warn_if_stale()
    if not target.exists() and target.suffix.lower() in RDFLIB_FORMATS:
        raise BadInputError(f"{str(target)!r} does not exist; run `omsgraph build` or check the path")
    return parse_rdf(target, what="ontology file")


def stale_inputs(release: Path | None = None) -> list[Path]:
    """The edit file and curated tables changed after the release was built (by modification time)."""
    target = release or resources.ontology_dir() / RELEASE_OWL
    if not target.is_file():
        return []
    built = target.stat().st_mtime
    inputs = [resources.edit_file(), *sorted(resources.curation_dir().glob("*.tsv"))]
    return [p for p in inputs if p.is_file() and p.stat().st_mtime > built + STALE_AFTER]


@cache
def warn_if_stale() -> None:
    """Warn, once per process, when the project's release is older than its edit file or tables."""
    newer = stale_inputs()
    if newer:
        names = ", ".join(p.name for p in newer[:3]) + (" ..." if len(newer) > 3 else "")
        log.warning(
            "the release (ontology/%s) is older than %s: the answers leave out the latest edits; "
            "run `omsgraph build`",
            RELEASE_OWL,
            names,
        )
