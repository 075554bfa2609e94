"""Apache Jena reads the release files omsgraph writes (portability of the serialisations)."""

from __future__ import annotations

import pytest

from omsgraph import resources
from omsgraph.build import RELEASE_FILES

from .peers import run_jena

RDF_FILES = [f for f in RELEASE_FILES if f.endswith((".owl", ".ttl"))]


@pytest.mark.parametrize("name", RDF_FILES)
def test_jena_riot_validates_release_file(name: str) -> None:
    path = resources.ontology_dir() / name
    lang = "turtle" if name.endswith(".ttl") else "rdfxml"
    out = run_jena("riotcmd.riot", "--validate", f"--syntax={lang}", str(path))
    assert out.returncode == 0, f"Jena riot rejects {name}:\n{out.stderr[-2000:]}"
    assert "ERROR" not in out.stderr and "WARN" not in out.stderr, out.stderr[-2000:]
