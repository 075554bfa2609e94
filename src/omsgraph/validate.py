"""SHACL validation: the shape groups, pySHACL over an oxigraph store, and a readable report.

``shapes/`` holds three groups: ``quality`` (the rules of ROBOT's report profile), ``integrity``
(omsgraph's domain rules) and ``cases`` (patient case records). :func:`validate` runs shapes over a
graph (``omsgraph check`` runs quality and integrity over the release); :func:`validate_files` is what
``omsgraph validate`` runs; :func:`format_report` renders a result as text, Turtle or JSON.

pySHACL runs on a pyoxigraph store rather than on an rdflib graph, so the SPARQL-based shapes run in
oxigraph: on the release that is about 30 times faster than rdflib's SPARQL engine, and oxigraph
implements the SPARQL string functions the shapes use as the standard says. pySHACL's inference
option stays off: the shapes are written against the asserted triples, and the release already
carries the class hierarchy HermiT inferred.
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD
from rdflib.term import Node

from . import resources
from .errors import BadInputError, CheckFailedError, clip
from .inputs import check_size, describe_error, parse_rdf, syntax_detail
from .vocab import BINDINGS, PATIENT_CASE, contract

log = logging.getLogger(__name__)

SHAPES = Namespace("https://w3id.org/omsgraph/shapes/")
#: The shape groups, in the order they are run and reported.
GROUPS: dict[str, str] = {"quality": "quality.ttl", "integrity": "integrity.ttl", "cases": "cases.ttl"}
#: What ``omsgraph check`` runs over the release.
CHECK_GROUPS = ("quality", "integrity")
#: Groups that validate case records together with the release, whose terms the cases name.
NEEDS_RELEASE = frozenset({"cases"})
SEVERITIES = ("Violation", "Warning", "Info")
LEVELS = {"Violation": "ERROR", "Warning": "WARN", "Info": "INFO"}
FORMATS = ("text", "turtle", "json")
_RDF_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".owl": ox.RdfFormat.RDF_XML,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".jsonld": ox.RdfFormat.JSON_LD,
}
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


@dataclass
class Finding:
    """One validation result, with what a reader needs to act on it."""

    severity: str  # Violation, Warning or Info
    focus: str  # the IRI (or blank node id) of the node the result is about
    path: str
    message: str
    shape: str
    component: str = ""
    value: str = ""
    label: str = ""  # the focus node's label, or a description of a blank node
    rule: str = ""  # the shape's name (for the quality group: ROBOT's rule name)
    fix: str = ""

    @property
    def level(self) -> str:
        return LEVELS.get(self.severity, self.severity.upper())


@dataclass
class ValidationResult:
    conforms: bool  # no violations; warnings and infos do not fail
    shapes: int  # shapes with a target that were run
    findings: list[Finding] = field(default_factory=list)
    report: Graph = field(default_factory=Graph)  # the SHACL validation report
    data: list[str] = field(default_factory=list)  # what was validated
    groups: list[str] = field(default_factory=list)  # shape groups or files run
    seconds: float = 0.0
    focus_nodes: int = 0  # distinct nodes the shapes' targets selected in the data

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Violation"]

    def counts(self) -> dict[str, int]:
        counted = Counter(f.severity for f in self.findings)
        return {s: counted.get(s, 0) for s in SEVERITIES}


# --- shapes ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShapesSource:
    name: str  # a group name, or the file's name
    path: Path
    needs_release: bool


def group_file(name: str) -> Path:
    return resources.shapes_dir() / GROUPS[name]


def resolve_shapes(specs: Sequence[str]) -> list[ShapesSource]:
    """Turn ``--shapes`` values (group names or files) into shapes sources, in order, without repeats."""
    sources: list[ShapesSource] = []
    for spec in specs:
        if spec in GROUPS:
            source = ShapesSource(spec, group_file(spec), spec in NEEDS_RELEASE)
        else:
            path = Path(spec)
            if not path.is_file():
                raise BadInputError(
                    f"--shapes {spec!r} is neither a shape group nor a file; "
                    f"use one of {', '.join(GROUPS)} or the path of a Turtle shapes file"
                )
            group = next((g for g in GROUPS if path.resolve() == group_file(g).resolve()), None)
            source = ShapesSource(group or path.name, path, group in NEEDS_RELEASE)
        if source not in sources:
            sources.append(source)
    return sources


def _named(sources: Sequence[ShapesSource]) -> str:
    return "shapes " + ", ".join(str(s.path) for s in sources)


def load_shapes(files: Sequence[Path] | None = None) -> Graph:
    """Parse shapes files (default: every group) into one graph; BadInputError on a syntax error."""
    shapes = Graph()
    for path in files if files is not None else [group_file(g) for g in GROUPS]:
        parse_rdf(path, "turtle", shapes, what="shapes file")
    return shapes


def focus_nodes(store: ox.Store, shapes: Graph) -> int:
    """How many distinct nodes of ``store`` the targets of ``shapes`` select (what gets checked)."""
    found: set[str] = set()
    queries = {
        SH.targetClass: "SELECT DISTINCT ?x WHERE {{ ?x <"
        + str(RDF.type)
        + ">/<"
        + str(RDFS.subClassOf)
        + ">* <{0}> }}",
        SH.targetSubjectsOf: "SELECT DISTINCT ?x WHERE {{ ?x <{0}> ?o }}",
        SH.targetObjectsOf: "SELECT DISTINCT ?x WHERE {{ ?s <{0}> ?x }}",
    }
    for target in _TARGETS:
        for value in set(shapes.objects(None, target)):
            if target == SH.targetNode:
                found.add(str(value))
            elif isinstance(value, URIRef):
                result: Any = store.query(queries[target].format(value), use_default_graph_as_union=True)
                found.update(str(solution["x"]) for solution in result)
    return len(found)


def rule_shapes(shapes: Graph) -> list[URIRef]:
    """The named shapes that select focus nodes themselves (the rules), sorted."""
    return sorted({s for t in _TARGETS for s in shapes.subjects(t, None) if isinstance(s, URIRef)}, key=str)


# --- data -----------------------------------------------------------------------------------------


def store_from_graph(graph: Graph) -> ox.Store:
    """An in-memory oxigraph store holding ``graph`` (blank nodes included)."""
    store = ox.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES)
    return store


def load_data(paths: Sequence[Path], store: ox.Store | None = None) -> ox.Store:
    """Parse RDF files (by extension) into a store; one clear error for a missing or malformed file."""
    target = store if store is not None else ox.Store()
    for path in paths:
        fmt = _RDF_FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise BadInputError(
                f"{str(path)!r} has an unknown extension; give a .ttl, .owl, .rdf, .nt or .jsonld file"
            )
        if not path.is_file():
            raise BadInputError(f"{str(path)!r} does not exist; check the path (or run `omsgraph build`)")
        check_size(path, "data file")
        try:
            target.load(path=path, format=fmt)
        except SyntaxError as exc:
            line = syntax_detail(exc)[0] or _xml_error_line(path, fmt)
            where = path.with_name(f"{path.name}:{line}") if line else path
            raise BadInputError(describe_error(where, fmt.name, exc, "fix the file's syntax")) from exc
        except (OSError, ValueError) as exc:
            raise BadInputError(f"{str(path)!r} cannot be read: {exc}; check the file") from exc
    return target


def _xml_error_line(path: Path, fmt: ox.RdfFormat) -> int | None:
    """The line of an RDF/XML error, which oxigraph does not give: where rdflib's XML parser stops."""
    if fmt != ox.RdfFormat.RDF_XML:
        return None
    try:
        parse_rdf(path, "xml")
    except BadInputError as exc:
        return syntax_detail(exc.__cause__)[0] if exc.__cause__ is not None else None
    return None


def release_file() -> Path:
    from .build import RELEASE_OWL
    from .release import warn_if_stale

    warn_if_stale()
    return resources.ontology_dir() / RELEASE_OWL


def _has(store: ox.Store, predicate: URIRef, obj: URIRef) -> bool:
    pattern = store.quads_for_pattern(None, ox.NamedNode(str(predicate)), ox.NamedNode(str(obj)))
    return next(iter(pattern), None) is not None


def default_groups(store: ox.Store) -> list[str]:
    """The groups that fit the data: quality and integrity for an ontology, cases for case records."""
    groups = []
    if _has(store, RDF.type, OWL.Ontology):
        groups += ["quality", "integrity"]
    if _has(store, RDF.type, PATIENT_CASE):
        groups.append("cases")
    return groups or list(GROUPS)


# --- validation -----------------------------------------------------------------------------------


def _nonempty(graph: object) -> bool:
    impl = getattr(graph, "impl", None)
    return impl is not None and next(iter(impl), None) is not None


_CHECKED_QUERIES: set[tuple[str, bool, tuple[str, ...]]] = set()


def _patch_pyshacl() -> None:
    """Two performance fixes for pySHACL 0.40 that leave its results unchanged.

    - It asks whether the data graph is empty each time it builds a result (nested ones included), and
      its oxigraph backend answers by counting every triple: 15 ms on the release, seconds on a large
      case file. Answer from the first triple instead.
    - Before each run of a SPARQL constraint, for every focus node, it checks the query text for
      forbidden keywords with regular expressions whose cost grows with the square of the text's
      length (10 ms for the code-scheme query). The text does not change between focus nodes: check
      each text once.
    """
    from pyshacl import graph_abstraction
    from pyshacl.helper.sparql_query_helper import SPARQLQueryHelper

    cls = getattr(graph_abstraction, "OxigraphDataGraph", None)
    if cls is not None and "__bool__" not in vars(cls):
        setattr(cls, "__bool__", _nonempty)  # noqa: B010 (a method set on a third-party class)
    check: Callable[..., object] = SPARQLQueryHelper.check_invalid_sparql
    if getattr(check, "omsgraph_cached", False):
        return

    def checked_once(
        self: object, sparql_text: str, valuenode: object = None, extravars: Iterable[object] | None = None
    ) -> bool:
        key = (sparql_text, valuenode is not None, tuple(sorted(map(str, extravars or ()))))
        if key not in _CHECKED_QUERIES:
            check(self, sparql_text, valuenode=valuenode, extravars=extravars)
            _CHECKED_QUERIES.add(key)
        return True

    setattr(checked_once, "omsgraph_cached", True)  # noqa: B010
    setattr(SPARQLQueryHelper, "check_invalid_sparql", checked_once)  # noqa: B010


def _typed_strings(shapes: Graph) -> Graph:
    """The shapes with every plain literal written as an xsd:string literal.

    In RDF 1.1 the two are the same term, and Jena treats them so; rdflib does not, and pySHACL hands
    rdflib the data of an oxigraph store with every string typed. Without this, sh:in ("female")
    would reject the value "female" read from a file.
    """
    typed = Graph()
    for s, p, o in shapes:
        if isinstance(o, Literal) and o.datatype is None and o.language is None:
            o = Literal(str(o), datatype=XSD.string)
        typed.add((s, p, o))
    return typed


#: Validation engines: ``sparql`` compiles what it can to SPARQL (omsgraph.shacl_sparql) and leaves the
#: rest to pySHACL; ``pyshacl`` runs everything in pySHACL.
ENGINES = ("sparql", "pyshacl")


def validate(
    data: Graph | ox.Store, shapes: Graph | None = None, source: str = "the shapes", engine: str = "sparql"
) -> ValidationResult:
    """Validate ``data`` against ``shapes`` (default: the quality and integrity groups).

    Violations make it non-conforming; warnings and infos do not. Raises BadInputError when pySHACL
    cannot use the shapes. Both engines give the same report.
    """
    from . import shacl_sparql

    shapes = _typed_strings(
        shapes if shapes is not None else load_shapes([group_file(g) for g in CHECK_GROUPS])
    )
    _check_sparql(shapes, source)
    store = data if isinstance(data, ox.Store) else store_from_graph(data)
    start = time.perf_counter()
    if engine == "pyshacl":
        report = _pyshacl_report(store, shapes, source)
    else:
        report = shacl_sparql.validate_report(
            store, shapes, lambda st, sh: _pyshacl_report(st, sh, source)
        ).report
    findings = [_finding(report, result, shapes, store) for result in top_results(report)]
    findings.sort(key=_order)
    spec_conforms(report)
    result = ValidationResult(
        conforms=not any(f.severity == "Violation" for f in findings),
        shapes=len(rule_shapes(shapes)),
        findings=findings,
        report=report,
        seconds=time.perf_counter() - start,
        focus_nodes=focus_nodes(store, shapes),
    )
    log.info("%d shapes: %s in %.1f s", result.shapes, result.counts(), result.seconds)
    return result


def _pyshacl_report(store: ox.Store, shapes: Graph, source: str = "the shapes") -> Graph:
    """pySHACL's report graph of ``store`` against ``shapes``."""
    import pyshacl
    from pyshacl.errors import ConstraintLoadError, ReportableRuntimeError, ShapeLoadError, ValidationFailure

    _patch_pyshacl()
    data_graph: Any = store  # pySHACL takes an oxigraph store; its type hints do not say so yet
    try:
        _, report, _ = pyshacl.validate(
            data_graph,
            shacl_graph=shapes,
            inference="none",
            advanced=False,
            allow_warnings=True,
            inplace=True,
        )
    except (ConstraintLoadError, ShapeLoadError, ReportableRuntimeError, ValidationFailure) as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise BadInputError(f"the shapes cannot be run ({source}): {first}; fix the shapes file") from exc
    except (ValueError, RuntimeError) as exc:  # an IRI oxigraph refuses; a SELECT without $this
        raise BadInputError(
            f"the shapes cannot be run ({source}): {clip(str(exc), 200)}; fix the shapes file"
        ) from exc
    except SyntaxError as exc:  # a SPARQL constraint that oxigraph cannot parse
        line, detail = syntax_detail(exc)
        raise BadInputError(
            f"{source}: a SPARQL constraint is not valid SPARQL ({clip(detail, 160)}"
            f"{f', line {line} of the query' if line else ''}); fix its sh:select or sh:ask text"
        ) from exc
    if not isinstance(report, Graph):  # pySHACL returns, rather than raises, a ValidationFailure
        first = (str(report).strip().splitlines() or ["validation failed"])[0]
        raise BadInputError(f"the shapes cannot be run ({source}): {first}; fix the shapes file")
    return report


def _check_sparql(shapes: Graph, source: str) -> None:
    """Refuse, before pySHACL hands them to oxigraph, the SPARQL constraints the query door would refuse:
    nested too deep (oxigraph's parser overflows its stack and kills the process), updates, SERVICE."""
    from .sparql.scan import QueryRefused, inspect

    for prop in (SH.select, SH.ask):
        for text in shapes.objects(None, prop):
            try:
                inspect(str(text))
            except QueryRefused as exc:
                raise BadInputError(
                    f"{source}: a SPARQL constraint is refused: {exc}; fix its sh:select or sh:ask text"
                ) from exc


def validate_files(
    data: Sequence[Path] = (), shapes: Sequence[str] = (), engine: str = "sparql"
) -> ValidationResult:
    """What ``omsgraph validate`` does: validate ``data`` (default: the release) against ``shapes``.

    ``shapes`` are group names or shapes files; by default the groups that fit the data. The cases group
    sees the release too, since case records name its terms.
    """
    start = time.perf_counter()
    paths = list(data) or [release_file()]
    store = load_data(paths)
    sources = resolve_shapes(list(shapes) or (list(GROUPS) if not data else default_groups(store)))
    plain = [s for s in sources if not s.needs_release or not data]
    with_release = [s for s in sources if s.needs_release and data]
    results = []
    if plain:
        results.append(validate(store, load_shapes([s.path for s in plain]), _named(plain), engine))
    if with_release:
        extended = load_data([release_file()], load_data(paths))
        checked = load_shapes([s.path for s in with_release])
        results.append(validate(extended, checked, _named(with_release), engine))
        results[-1].focus_nodes = focus_nodes(store, checked)  # the data's own nodes, not the release's
    for part, group in zip(results, [plain, with_release] if plain else [with_release], strict=False):
        if part.focus_nodes == 0:
            raise CheckFailedError(
                f"{', '.join(map(str, paths))}: the {', '.join(s.name for s in group)} shapes found "
                "nothing to check (0 focus nodes): the file is empty or its class and property IRIs "
                "differ from those the shapes target; check the IRIs (e.g. a typo in a class IRI)"
            )
    combined = _combine(results)
    combined.focus_nodes = sum(r.focus_nodes for r in results)
    combined.data = [str(p) for p in paths]
    combined.groups = [s.name for s in sources]
    combined.seconds = time.perf_counter() - start
    return combined


def spec_conforms(report: Graph) -> None:
    """Set ``sh:conforms`` as the SHACL spec says: true exactly when the report has no result.

    pySHACL (with ``allow_warnings``) says true when only warnings and infos were found; Jena and the
    spec say false. The command's pass/fail is a separate matter (``ValidationResult.conforms``: no
    violations, as ROBOT decides).
    """
    for node in report.subjects(RDF.type, SH.ValidationReport):
        report.set((node, SH.conforms, Literal(next(report.objects(node, SH.result), None) is None)))


def top_results(report: Graph) -> list[Node]:
    """The results of a SHACL report, without the nested ones pySHACL adds as their sh:detail."""
    return [
        r for node in report.subjects(RDF.type, SH.ValidationReport) for r in report.objects(node, SH.result)
    ]


def _combine(results: list[ValidationResult]) -> ValidationResult:
    if len(results) == 1:
        return results[0]
    report = Graph()
    node = BNode()
    report.add((node, RDF.type, SH.ValidationReport))
    for part in results:
        reports = set(part.report.subjects(RDF.type, SH.ValidationReport))
        for triple in part.report:
            if triple[0] not in reports:
                report.add(triple)
        for result in top_results(part.report):
            report.add((node, SH.result, result))
    findings = sorted((f for r in results for f in r.findings), key=_order)
    conforms = all(r.conforms for r in results)
    spec_conforms(report)
    return ValidationResult(conforms, sum(r.shapes for r in results), findings, report)


def _order(f: Finding) -> tuple[int, str, str, str]:
    rank = SEVERITIES.index(f.severity) if f.severity in SEVERITIES else len(SEVERITIES)
    return (rank, f.rule, f.label.lower(), f.focus)


def _finding(report: Graph, result: Node, shapes: Graph, store: ox.Store) -> Finding:
    def text(prop: URIRef) -> str:
        value = report.value(result, prop)
        return "" if value is None else str(value)

    shape = report.value(result, SH.sourceShape)
    focus = report.value(result, SH.focusNode)
    messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
    own = [str(m) for m in shapes.objects(shape, SH.message)] if shape is not None else []
    fix = shapes.value(shape, SHAPES.fix) if shape is not None else None
    return Finding(
        severity=text(SH.resultSeverity).rsplit("#", 1)[-1],
        focus=str(focus),
        path=text(SH.resultPath) if isinstance(report.value(result, SH.resultPath), URIRef) else "",
        message=next((m for m in messages if m in own), messages[0] if messages else ""),
        shape=str(shape),
        component=text(SH.sourceConstraintComponent),
        value=text(SH.value),
        label=describe(store, focus) if focus is not None else "",
        rule=_rule_name(shape),
        fix="" if fix is None else str(fix),
    )


def _rule_name(shape: Node | None) -> str:
    if isinstance(shape, URIRef):
        return str(shape).removeprefix(str(SHAPES)).rsplit("#", 1)[-1]
    return "(anonymous shape)"


# --- describing nodes -----------------------------------------------------------------------------


def curie(iri: str) -> str:
    """The CURIE of an IRI with omsgraph's prefixes (rdfs:, owl:, dcterms: ... included), else the IRI."""
    short = contract(iri)
    if short != iri:
        return short
    spaces = {**BINDINGS, "sh": str(SH), "shapes": str(SHAPES)}
    best = max(
        (p for p, ns in spaces.items() if iri.startswith(ns)), key=lambda p: len(spaces[p]), default=""
    )
    return f"{best}:{iri[len(spaces[best]) :]}" if best else iri


def _ox(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    return ox.Literal(str(node))


def _objects(
    store: ox.Store, node: Node, predicate: URIRef
) -> list[ox.NamedNode | ox.BlankNode | ox.Literal]:
    subject = _ox(node)
    if isinstance(subject, ox.Literal):
        return []
    objects = (q.object for q in store.quads_for_pattern(subject, ox.NamedNode(str(predicate)), None))
    return [o for o in objects if not isinstance(o, ox.Triple)]


def _label(store: ox.Store, node: Node) -> str:
    labels = [o for o in _objects(store, node, RDFS.label) if isinstance(o, ox.Literal)]
    labels.sort(key=lambda o: (o.language not in ("en", None), o.value))
    return labels[0].value if labels else ""


def _rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    return Literal(term.value)


def _name(store: ox.Store, node: Node, depth: int = 0) -> str:
    if isinstance(node, Literal):
        text = str(node)
        return repr(text if len(text) <= 60 else text[:57] + "...")
    if isinstance(node, URIRef):
        label = _label(store, node)
        return repr(label) if label else curie(str(node))
    if depth > 2:
        return "[...]"
    prop = next(iter(_objects(store, node, OWL.onProperty)), None)
    filler = next(iter(_objects(store, node, OWL.someValuesFrom)), None)
    if prop is not None and filler is not None:
        return f"({_name(store, _rdflib(prop), depth + 1)} some {_name(store, _rdflib(filler), depth + 1)})"
    return "an anonymous node"


def describe(store: ox.Store, node: Node) -> str:
    """A human name for a node: its label; for a statement (an annotated axiom), what it says."""
    if isinstance(node, URIRef):
        return _label(store, node)
    if not isinstance(node, BNode):
        return str(node)
    source = next(iter(_objects(store, node, OWL.annotatedSource)), None)
    prop = next(iter(_objects(store, node, OWL.annotatedProperty)), None)
    target = next(iter(_objects(store, node, OWL.annotatedTarget)), None)
    if source is None or prop is None or target is None:
        return _name(store, node)
    return "statement: " + " ".join(
        _name(store, _rdflib(t)) if not isinstance(t, ox.Literal) else _name(store, Literal(t.value))
        for t in (source, prop, target)
    )


# --- reports --------------------------------------------------------------------------------------


def _entity(f: Finding) -> str:
    """CURIE, label and IRI of an entity; what a statement says for an annotated axiom."""
    if f.focus.startswith(("http://", "https://", "urn:")):
        short = curie(f.focus)
        parts = [short] if short != f.focus else []
        if f.label:
            parts.append(repr(f.label))
        return " ".join([*parts, f"<{f.focus}>"])
    return f.label or f"blank node {f.focus}"


def format_text(result: ValidationResult) -> str:
    counts = result.counts()
    data, groups = ", ".join(result.data) or "graph", ", ".join(result.groups) or "shapes"
    lines = [
        f"omsgraph validate: {data} against {groups} ({result.shapes} shapes, "
        f"{result.focus_nodes} focus nodes checked, {result.seconds:.1f} s)"
    ]
    for severity in SEVERITIES:
        group = [f for f in result.findings if f.severity == severity]
        lines.append(f"{LEVELS[severity]} (sh:{severity}): {len(group)}")
        by_rule: dict[str, list[Finding]] = {}
        for f in group:
            by_rule.setdefault(f.rule, []).append(f)
        for rule, found in by_rule.items():
            lines.append(f"  {rule}: {len(found)}")
            if found[0].fix:
                lines.append(f"    fix: {found[0].fix}")
            for f in found:
                where = f" [{curie(f.path)}]" if f.path else ""
                lines.append(f"    - {_entity(f)}{where}: {f.message}")
    verdict = "passes" if result.conforms else "FAILS"
    spec = "true (no result)" if not result.findings else "false (it has results)"
    lines.append(
        f"verdict: {verdict}: {counts['Violation']} violations, {counts['Warning']} warnings, "
        f"{counts['Info']} infos; as in ROBOT only violations fail, while the SHACL report's "
        f"sh:conforms is {spec}"
    )
    return "\n".join(lines) + "\n"


def format_json(result: ValidationResult) -> str:
    payload = {
        "conforms": not result.findings,  # as in the SHACL report: no result at all
        "passes": result.conforms,  # the command's verdict: no violation
        "data": result.data,
        "shapes": result.groups,
        "counts": result.counts(),
        "results": [
            {
                "severity": f.severity,
                "level": f.level,
                "rule": f.rule,
                "focus": f.focus,
                "label": f.label,
                "path": f.path,
                "value": f.value,
                "message": f.message,
                "fix": f.fix,
                "shape": f.shape,
                "component": f.component,
            }
            for f in result.findings
        ],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def format_turtle(result: ValidationResult) -> str:
    graph = Graph()
    for prefix, ns in {**BINDINGS, "sh": str(SH), "shapes": str(SHAPES)}.items():
        graph.bind(prefix, ns)
    for triple in result.report:
        graph.add(triple)
    return graph.serialize(format="turtle")


def format_report(result: ValidationResult, fmt: str = "text") -> str:
    """The report as ``text`` (grouped by severity, then rule, with the fix), ``turtle`` or ``json``."""
    if fmt == "text":
        return format_text(result)
    if fmt == "json":
        return format_json(result)
    if fmt == "turtle":
        return format_turtle(result)
    raise BadInputError(f"unknown report format {fmt!r}; use one of {', '.join(FORMATS)}")
