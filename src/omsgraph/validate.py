"""SHACL validation of the release with pySHACL."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from . import resources
from .errors import BadInputError


@dataclass
class Finding:
    severity: str
    focus: str
    path: str
    message: str
    shape: str


@dataclass
class ValidationResult:
    conforms: bool
    shapes: int
    findings: list[Finding] = field(default_factory=list)

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Violation"]


def load_shapes(files: list[Path] | None = None) -> Graph:
    shapes = Graph()
    for path in files or sorted(resources.shapes_dir().glob("*.ttl")):
        try:
            shapes.parse(path, format="turtle")
        except Exception as exc:
            raise BadInputError(
                f"shapes file {path.name} is not valid Turtle: {exc}; fix its syntax"
            ) from exc
    return shapes


def validate(data: Graph, shapes: Graph | None = None) -> ValidationResult:
    """Validate ``data`` against the shapes; violations make it non-conforming, warnings do not."""
    import pyshacl

    shapes = shapes if shapes is not None else load_shapes()
    _, report, _ = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
    )
    assert isinstance(report, Graph)
    findings = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        severity = report.value(result, SH.resultSeverity)
        findings.append(
            Finding(
                severity=str(severity).rsplit("#", 1)[-1],
                focus=str(report.value(result, SH.focusNode)),
                path=str(report.value(result, SH.resultPath) or ""),
                message=str(report.value(result, SH.resultMessage) or ""),
                shape=str(report.value(result, SH.sourceShape)),
            )
        )
    findings.sort(key=lambda f: (f.severity, f.shape, f.focus))
    n_shapes = len({s for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)})
    conforms = not any(f.severity == "Violation" for f in findings)
    return ValidationResult(conforms, n_shapes, findings)
