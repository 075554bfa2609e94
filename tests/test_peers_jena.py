"""Apache Jena reads the release files omsgraph writes (portability of the serialisations)."""

from __future__ import annotations

import pytest

from omsgraph import resources
from omsgraph.build import RELEASE_FILES

from .peers import run_jena

# Not .jsonld: Debian's Jena 4.5 cannot parse any JSON-LD with this classpath (its titanium-json-ld
# parser finds no jakarta.json implementation; even a one-triple document fails). The OWL API and
# rdflib read the JSON-LD release in tests/test_owlapi.py and tests/test_build.py.
SYNTAX = {".owl": "rdfxml", ".ttl": "turtle", ".nt": "ntriples"}
RDF_FILES = [f for f in RELEASE_FILES if f.endswith(tuple(SYNTAX))]


@pytest.mark.parametrize("name", RDF_FILES)
def test_jena_riot_validates_release_file(name: str) -> None:
    path = resources.ontology_dir() / name
    lang = SYNTAX["." + name.rsplit(".", 1)[1]]
    out = run_jena("riotcmd.riot", "--validate", f"--syntax={lang}", str(path))
    assert out.returncode == 0, f"Jena riot rejects {name}:\n{out.stderr[-2000:]}"
    assert "ERROR" not in out.stderr and "WARN" not in out.stderr, out.stderr[-2000:]
