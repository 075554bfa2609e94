"""Konclude 0.7 (Debian ``konclude``) classifies the OWL API's functional-syntax re-save of each OWL
release file, finding no unsatisfiable class.

Konclude runs with two worker threads (``-w 2``): with one (its default on this machine), Konclude 0.7
hangs at "Precomputing" without using the CPU on any ontology, even two classes and one SubClassOf
(see docs/interoperability.md). The "Couldn't match parameters for 'Declaration'" messages it prints
are the annotation property declarations, which its functional-syntax parser skips.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from omsgraph import resources
from omsgraph.build import VARIANTS
from omsgraph.owlapi import debian_classpath

from .peers import require

pytestmark = pytest.mark.slow

RESAVE = """
import sys, jpype, jpype.imports
from omsgraph.owlapi import debian_classpath
jpype.startJVM(classpath=[str(p) for p in debian_classpath()], convertStrings=False)
from java.io import File
from org.semanticweb.owlapi.apibinding import OWLManager
from org.semanticweb.owlapi.formats import FunctionalSyntaxDocumentFormat
from org.semanticweb.owlapi.io import FileDocumentSource
from org.semanticweb.owlapi.model import IRI
manager = OWLManager.createOWLOntologyManager()
ontology = manager.loadOntologyFromOntologyDocument(FileDocumentSource(File(sys.argv[1])))
manager.saveOntology(ontology, FunctionalSyntaxDocumentFormat(), IRI.create(File(sys.argv[2])))
"""
OWL_FILES = [n for files in VARIANTS.values() for n in files if n.endswith(".owl")]


@pytest.mark.parametrize("name", OWL_FILES)
def test_konclude_classifies_the_owlapi_functional_syntax_resave(name: str, tmp_path: Path) -> None:
    konclude = shutil.which("Konclude")
    require(konclude is not None, "Konclude (apt-get install konclude)")
    require(debian_classpath() is not None, "Debian's OWL API 5 (apt-get install libowlapi-java)")
    assert konclude is not None
    ofn, out = tmp_path / "release.ofn", tmp_path / "hierarchy.owx"
    source = resources.ontology_dir() / name
    subprocess.run([sys.executable, "-c", RESAVE, str(source), str(ofn)], check=True, timeout=300)
    run = subprocess.run(
        [konclude, "classification", "-w", "2", "-i", str(ofn), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    log = run.stdout + run.stderr
    assert run.returncode == 0 and "Finished class classification" in log, log[-2000:]
    hierarchy = out.read_text(encoding="utf-8")
    assert hierarchy.count("<SubClassOf>") > 100
    assert "owl#Nothing" not in hierarchy.split("</Declaration>")[-1], "Konclude finds unsatisfiable classes"
