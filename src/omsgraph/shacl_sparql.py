"""A faster SHACL engine: the shapes compiled to a few SPARQL queries run on pyoxigraph.

pySHACL validates one focus node at a time: for every SPARQL constraint it runs one query per focus
node (about 15,000 queries on the release, 100,000 per shape on 100,000 case records), and for every
SHACL Core constraint it walks the value nodes in Python. This module gives the same report (the same
focus nodes, paths, values, severities, messages, source shapes and constraint components) with a
handful of queries per shape:

- a **SPARQL constraint** of a node shape becomes one query: the shape's focus nodes (its targets, as
  a sub-select) joined ``LATERAL`` with the constraint's ``SELECT``, so oxigraph substitutes each focus
  node for ``$this`` exactly as pySHACL's pre-binding does, nested groups included;
- a **property shape** with a predicate path gets one query for the value nodes of all its focus
  nodes; its Core constraints are then checked in Python, once per distinct value (the verdict on a
  value does not depend on the focus node), with pySHACL's own comparison rules.

Supported: targets ``sh:targetClass`` (with subclasses), ``sh:targetNode``, ``sh:targetSubjectsOf``,
``sh:targetObjectsOf``; SPARQL ``sh:select`` constraints on node shapes (not using ``$value``,
``$PATH``, ``$currentShape``, ``$shapesGraph`` or ``?failure``); paths that are one IRI; the Core
constraints in :data:`CORE` (nested shapes of ``sh:not``, ``sh:or`` and ``sh:node`` included).
Anything else (other paths or constraints, ``sh:closed``, ``sh:deactivated``, shapes that are also
classes) is left to pySHACL: :func:`plan` says which shapes and why, and :func:`validate_report`
hands pySHACL a shapes graph in which only those shapes keep their targets.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pyoxigraph as ox
from pyshacl.graph_abstraction import to_ox, to_rdf
from pyshacl.rdfutil.compare import compare_literal
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD
from rdflib.term import Node

#: The Core constraint parameters the compiler checks itself.
CORE = (
    SH.minCount,
    SH.maxCount,
    SH["in"],
    SH.datatype,
    SH.nodeKind,
    SH.pattern,
    SH.hasValue,
    SH["not"],
    SH["or"],
    SH.node,
    SH.minInclusive,
    SH.maxInclusive,
)
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
#: Shape properties that change nothing in the report beyond what is handled here.
_PASSIVE = {RDF.type, SH.severity, SH.message, SH.name, SH.description, SH.order, SH.group, SH.flags, SH.path}
_COMPONENT = {
    SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
    SH["in"]: SH.InConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent,
    SH.hasValue: SH.HasValueConstraintComponent,
    SH["not"]: SH.NotConstraintComponent,
    SH["or"]: SH.OrConstraintComponent,
    SH.node: SH.NodeConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.maxInclusive: SH.MaxInclusiveConstraintComponent,
}
_SPECIAL_VARS = re.compile(r"[$]value\b|[?$](PATH|currentShape|shapesGraph|failure)\b")
_THIS = re.compile(r"[?$]this\b")
_SELECTS_THIS = re.compile(r"\bSELECT\s[^{]*[?$]this\b", re.IGNORECASE)  # $this among the projected
_PROLOGUE = re.compile(r"^\s*(PREFIX|BASE)\b", re.IGNORECASE)

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Triple = tuple[Node, Node, Node]


class UnsupportedError(Exception):
    """A shape (or a shape it refers to) uses something this engine does not compile."""


@dataclass
class Plan:
    """Which rule shapes run here, and which are left to pySHACL (with the reason)."""

    shapes: Graph
    compiled: list[URIRef | BNode] = field(default_factory=list)
    fallback: dict[Node, str] = field(default_factory=dict)  # shape -> why it is left to pySHACL

    def remainder(self) -> Graph:
        """The shapes graph in which only the shapes left to pySHACL keep their targets."""
        rest = Graph()
        compiled = set(self.compiled)
        for s, p, o in self.shapes:
            if s in compiled and p in _TARGETS:
                continue
            rest.add((s, p, o))
        return rest


# --- compiling --------------------------------------------------------------------------------------


def _check_node_shape(shapes: Graph, shape: Node, depth: int = 0) -> None:
    """Raise Unsupported unless every constraint of ``shape`` (and of the shapes it nests) is supported."""
    if depth > 8:
        raise UnsupportedError("shapes nested more than 8 deep")
    if (shape, SH.deactivated, None) in shapes:
        raise UnsupportedError("sh:deactivated")
    if (shape, RDF.type, RDFS.Class) in shapes or (shape, RDF.type, OWL.Class) in shapes:
        raise UnsupportedError("a shape that is also a class (implicit target)")
    path = shapes.value(shape, SH.path)
    if (
        not depth
        and (shape, SH.message, None) not in shapes
        and any(p in CORE for p in shapes.predicates(shape))
    ):
        raise UnsupportedError("a Core constraint without sh:message (pySHACL writes its own message)")
    if path is not None and not isinstance(path, URIRef):
        raise UnsupportedError("a path that is not one IRI")
    for p, o in sorted(shapes.predicate_objects(shape)):
        if p in _PASSIVE or p in _TARGETS:
            continue
        if p == SH.sparql:
            if path is not None or depth:
                raise UnsupportedError("a SPARQL constraint on a property or nested shape")
            _check_sparql(shapes, o)
        elif p == SH.property:
            if not depth:
                raise UnsupportedError("sh:property on a rule shape (its results are the nested shape's)")
            _check_node_shape(shapes, o, depth + 1)
        elif p in (SH["not"], SH.node):
            _check_node_shape(shapes, o, depth + 1)
        elif p == SH["or"]:
            for member in Collection(shapes, o):
                _check_node_shape(shapes, member, depth + 1)
        elif p == SH["in"]:
            list(Collection(shapes, o))
        elif p in (SH.minCount, SH.maxCount) and path is None:
            raise UnsupportedError(f"{p.n3()} on a node shape")
        elif p in CORE:
            continue
        elif str(p).startswith(str(SH)):
            raise UnsupportedError(f"{p.n3(shapes.namespace_manager)}")


def _check_sparql(shapes: Graph, constraint: Node) -> None:
    if (constraint, SH.deactivated, None) in shapes:
        raise UnsupportedError("a deactivated SPARQL constraint")
    select = shapes.value(constraint, SH.select)
    if select is None or set(shapes.predicates(constraint)) - {SH.select, SH.message, SH.prefixes, RDF.type}:
        raise UnsupportedError("a SPARQL constraint other than sh:select with sh:message and sh:prefixes")
    text = str(select)
    from pyshacl.errors import ValidationFailure
    from pyshacl.helper.sparql_query_helper import SPARQLQueryHelper

    try:  # what pySHACL refuses (MINUS, VALUES, SERVICE...) is left to pySHACL, to refuse it the same way
        SPARQLQueryHelper.check_invalid_sparql(SPARQLQueryHelper, text)  # type: ignore[arg-type, no-untyped-call]
    except ValidationFailure as exc:
        raise UnsupportedError("a SPARQL constraint pySHACL refuses") from exc
    if (
        _SPECIAL_VARS.search(text)
        or not _THIS.search(text)
        or _PROLOGUE.search(text)
        or not _SELECTS_THIS.search(text)
    ):
        raise UnsupportedError(
            "a SPARQL constraint using $value, $PATH, $currentShape, $shapesGraph or ?failure, "
            "without $this (in the query or among the selected), or with its own prologue"
        )


def plan(shapes: Graph) -> Plan:
    """Sort the rule shapes (those with a target) into compiled ones and those left to pySHACL."""
    result = Plan(shapes)
    rules = {s for t in _TARGETS for s in shapes.subjects(t, None)}
    for shape in sorted(rules, key=str):
        try:
            if not isinstance(shape, URIRef | BNode):
                raise UnsupportedError("a shape that is a literal")
            _check_node_shape(shapes, shape)
        except UnsupportedError as exc:
            result.fallback[shape] = str(exc)
        else:
            result.compiled.append(shape)
    return result


# --- running ----------------------------------------------------------------------------------------


def _sparql_term(node: Node) -> str:
    if isinstance(node, URIRef):
        return f"<{node}>"
    raise UnsupportedError(f"a target that is not an IRI: {node!r}")


def _targets_pattern(shapes: Graph, shape: Node) -> str | None:
    """A group pattern binding ?this to each focus node of ``shape`` (pySHACL's target semantics)."""
    branches = []
    nodes = list(shapes.objects(shape, SH.targetNode))
    for node in nodes:
        branches.append(f"{{ BIND({to_ox_text(node)} AS ?this) }}")
    for cls in shapes.objects(shape, SH.targetClass):
        branches.append(f"{{ ?this a/<{RDFS.subClassOf}>* {_sparql_term(cls)} }}")
    for prop in shapes.objects(shape, SH.targetSubjectsOf):
        branches.append(f"{{ ?this {_sparql_term(prop)} ?__o }}")
    for prop in shapes.objects(shape, SH.targetObjectsOf):
        branches.append(f"{{ ?__s {_sparql_term(prop)} ?this }}")
    if not branches:
        return None
    return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(branches) + " } }"


def to_ox_text(node: Node) -> str:
    term = to_ox(node)  # type: ignore[arg-type]
    if isinstance(term, ox.BlankNode):
        raise UnsupportedError("a blank node as sh:targetNode")
    return str(term)


def _prefixes(shapes: Graph, constraint: Node) -> str:
    lines = []
    for holder in shapes.objects(constraint, SH.prefixes):
        for decl in shapes.objects(holder, SH.declare):
            prefix, namespace = shapes.value(decl, SH.prefix), shapes.value(decl, SH.namespace)
            if prefix is not None and namespace is not None:
                lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(lines)


class _Run:
    def __init__(self, store: ox.Store, shapes: Graph) -> None:
        self.store = store
        self.shapes = shapes
        self.triples: list[Triple] = []
        self.results: list[Node] = []
        self.rdf: dict[Any, Any] = {}  # oxigraph term -> rdflib term
        self.verdicts: dict[tuple[Any, Node, Node, Node], bool] = {}  # (value, constraint, owner) -> ok
        self.focus_count = 0

    # conversions
    def to_rdf(self, term: Term) -> Node:
        node: Node | None = self.rdf.get(term)
        if node is None:
            node = to_rdf(term)
            assert node is not None
            self.rdf[term] = node
        return node

    # report building (the triples pySHACL's make_v_result adds)
    def result(
        self,
        shape: Node,
        component: Node,
        focus: Node,
        value: Node | None,
        path: Node | None,
        messages: Iterable[Node],
        constraint: Node | None = None,
    ) -> None:
        node = BNode()
        severity = self.shapes.value(shape, SH.severity) or SH.Violation
        add = self.triples.append
        add((node, RDF.type, SH.ValidationResult))
        add((node, SH.sourceConstraintComponent, component))
        self.clone(shape, node, SH.sourceShape)
        add((node, SH.resultSeverity, severity))
        add((node, SH.focusNode, focus))
        if value is not None:
            add((node, SH.value, value))
        if path is not None:
            self.clone(path, node, SH.resultPath)
        if constraint is not None:
            self.clone(constraint, node, SH.sourceConstraint)
        for message in messages:
            add((node, SH.resultMessage, message))
        self.results.append(node)

    def clone(self, node: Node, subject: Node, predicate: Node) -> None:
        """Link ``node`` from the result; a blank node brings its description from the shapes graph."""
        self.triples.append((subject, predicate, node))
        if not isinstance(node, BNode):
            return
        seen, todo = {node}, [node]
        while todo:
            current = todo.pop()
            for p, o in self.shapes.predicate_objects(current):
                self.triples.append((current, p, o))
                if isinstance(o, BNode) and o not in seen:
                    seen.add(o)
                    todo.append(o)

    # SPARQL constraints
    def sparql(self, shape: Node, constraint: Node, targets: str) -> None:
        select = str(self.shapes.value(constraint, SH.select))
        query = f"{_prefixes(self.shapes, constraint)}\nSELECT * WHERE {{ {targets} LATERAL {{ {select} }} }}"
        solutions = self.store.query(query)
        assert isinstance(solutions, ox.QuerySolutions)
        names = [v.value for v in solutions.variables]
        extra = sorted(self.shapes.objects(constraint, SH.message), key=str)
        own = list(self.shapes.objects(shape, SH.message))
        seen: set[tuple[Any, ...]] = set()
        for row in solutions:
            bound = {n: row[n] for n in names if row[n] is not None}
            focus = bound.pop("this")
            path, value = bound.pop("path", None), bound.pop("value", None)
            key = (focus, path, value, tuple(sorted((k, str(v)) for k, v in bound.items())))
            if key in seen:
                continue
            seen.add(key)
            f = self.to_rdf(focus)
            p = self.to_rdf(path) if path is not None else None
            v = self.to_rdf(value) if value is not None else f
            variables = {k: self.to_rdf(t) for k, t in bound.items()}
            messages: list[Node] = []
            for m in extra:
                if m in own:
                    continue
                if isinstance(m, Literal):
                    m = Literal(_format(str(m.value), variables, f, p, v))
                messages.append(m)
            for m in own:
                messages.append(
                    Literal(_format(str(m.value), variables, f, p, v)) if isinstance(m, Literal) else m
                )
            self.result(shape, SH.SPARQLConstraintComponent, f, v, p, messages, constraint)

    # Core constraints
    def core(self, shape: Node, targets: str) -> None:
        path = self.shapes.value(shape, SH.path)
        constraints = [(p, o) for p, o in self.shapes.predicate_objects(shape) if p in CORE]
        if not constraints:
            return
        values: dict[Any, list[Any]] = {}
        if path is None:
            query = f"SELECT ?this WHERE {{ {targets} }}"
            for row in self.store.query(query):  # type: ignore[union-attr]
                values[row[0]] = [row[0]]
        else:
            query = f"SELECT ?this ?v WHERE {{ {targets} OPTIONAL {{ ?this <{path}> ?v }} }}"
            for row in self.store.query(query):  # type: ignore[union-attr]
                found = values.setdefault(row[0], [])
                if row[1] is not None:
                    found.append(row[1])
        own = list(self.shapes.objects(shape, SH.message))
        for focus, found in values.items():
            self.focus_count += 1
            f: Node | None = None
            for parameter, argument in constraints:
                failing = self.failing(parameter, argument, found, shape)
                if not failing:
                    continue
                f = f if f is not None else self.to_rdf(focus)
                component = _COMPONENT[parameter]  # type: ignore[index]
                for value in failing:
                    v = self.to_rdf(value) if value is not None else None
                    self.result(shape, component, f, v, path, own)

    def failing(self, parameter: Node, argument: Node, values: list[Any], owner: Node) -> list[Any]:
        """The values that fail one constraint; [None] for a failing cardinality."""
        if parameter == SH.minCount:
            return [None] if len(set(values)) < int(argument) else []  # type: ignore[call-overload]
        if parameter == SH.maxCount:
            return [None] if len(set(values)) > int(argument) else []  # type: ignore[call-overload]
        if parameter == SH.hasValue:
            return [] if to_ox(argument) in values else [None]  # type: ignore[arg-type]
        return [v for v in values if not self.value_ok(parameter, argument, v, owner)]

    def value_ok(self, parameter: Node, argument: Node, value: Any, owner: Node) -> bool:
        key = (value, parameter, argument, owner)
        verdict = self.verdicts.get(key)
        if verdict is None:
            verdict = self._value_ok(parameter, argument, value, owner)
            self.verdicts[key] = verdict
        return verdict

    def _value_ok(self, parameter: Node, argument: Node, value: Any, owner: Node) -> bool:
        v = self.to_rdf(value)
        if parameter == SH["in"]:
            return v in list(Collection(self.shapes, argument))
        if parameter == SH.datatype:
            return _datatype_ok(v, argument)
        if parameter == SH.nodeKind:
            return _kind_ok(v, argument)
        if parameter == SH.pattern:
            if isinstance(v, BNode):
                return False
            flags = self.shapes.value(owner, SH.flags)
            return _pattern(str(argument), str(flags or "")).search(_string(v)) is not None
        if parameter in (SH.minInclusive, SH.maxInclusive):
            return _range_ok(v, argument, parameter == SH.minInclusive)
        if parameter == SH["not"]:
            return not self.conforms(value, argument)
        if parameter == SH.node:
            return self.conforms(value, argument)
        if parameter == SH["or"]:
            return any(self.conforms(value, m) for m in Collection(self.shapes, argument))
        raise UnsupportedError(str(parameter))

    def conforms(self, value: Any, shape: Node) -> bool:
        """Whether ``value`` conforms to a nested shape: no constraint of it fails, whatever the severity."""
        path = self.shapes.value(shape, SH.path)
        if path is not None:
            return self.conforms_property(value, shape)
        for parameter, argument in self.shapes.predicate_objects(shape):
            if parameter in CORE and self.failing(parameter, argument, [value], shape):
                return False
        return all(self.conforms_property(value, p) for p in self.shapes.objects(shape, SH.property))

    def conforms_property(self, focus: Any, shape: Node) -> bool:
        path = self.shapes.value(shape, SH.path)
        if isinstance(focus, ox.Literal):
            found: list[Any] = []
        else:
            found = [q.object for q in self.store.quads_for_pattern(focus, ox.NamedNode(str(path)), None)]
        return not any(
            self.failing(p, o, found, shape) for p, o in self.shapes.predicate_objects(shape) if p in CORE
        )


def _format(msg: str, variables: dict[str, Node], this: Node, path: Node | None, value: Node | None) -> str:
    """pySHACL's substitution of {?var} and {$var} in the message of a SPARQL constraint."""
    values: dict[str, Node] = dict(variables)
    values["this"] = this
    if path is not None:
        values["path"] = path
    if value is not None:
        values["value"] = value
    for var, val in values.items():
        msg = re.sub(f"{{[?$]{var}}}", str(val), msg)
    return msg


_PATTERNS: dict[tuple[str, str], re.Pattern[str]] = {}


def _pattern(text: str, flags: str) -> re.Pattern[str]:
    key = (text, flags)
    if key not in _PATTERNS:
        bits = 0
        for flag, bit in (("i", re.IGNORECASE), ("m", re.MULTILINE), ("s", re.DOTALL), ("x", re.VERBOSE)):
            if flag in flags:
                bits |= bit
        _PATTERNS[key] = re.compile(text, bits)
    return _PATTERNS[key]


def _string(v: Node) -> str:
    if isinstance(v, Literal) and v.value is not None and v.datatype in (None, RDF.langString, XSD.string):
        return str(v.value)
    return str(v)


def _datatype_ok(v: Node, datatype: Node) -> bool:
    """pySHACL's sh:datatype rule."""
    if not isinstance(v, Literal):
        return False
    if v.datatype == datatype:
        if getattr(v, "ill_typed", None) is True:
            return False
        value = v.value
        checks: dict[Node, Callable[[object], bool]] = {
            XSD.string: lambda x: isinstance(x, str | bytes),
            RDF.langString: lambda x: isinstance(x, str | bytes),
            XSD.integer: lambda x: isinstance(x, int),
            XSD.float: lambda x: isinstance(x, float),
            XSD.decimal: lambda x: isinstance(x, Decimal),
            XSD.boolean: lambda x: isinstance(x, bool),
        }
        check = checks.get(datatype)
        if check is None:
            if datatype in (XSD.date, XSD.time, XSD.dateTime):
                raise UnsupportedError(f"sh:datatype {datatype}")
            return True
        return check(value)
    if datatype == RDFS.Literal:
        return True
    if datatype == RDFS.Datatype and v.datatype:
        return True
    if v.datatype is None and v.language is None and datatype == XSD.string:
        return isinstance(v.value, str | bytes)
    if datatype == RDF.langString and v.language:
        return isinstance(v.value, str | bytes)
    return False


def _kind_ok(v: Node, kind: Node) -> bool:
    is_iri, is_blank, is_literal = isinstance(v, URIRef), isinstance(v, BNode), isinstance(v, Literal)
    allowed = {
        SH.IRI: is_iri,
        SH.BlankNode: is_blank,
        SH.Literal: is_literal,
        SH.BlankNodeOrIRI: is_blank or is_iri,
        SH.BlankNodeOrLiteral: is_blank or is_literal,
        SH.IRIOrLiteral: is_iri or is_literal,
    }
    if kind not in allowed:
        raise UnsupportedError(f"sh:nodeKind {kind}")
    return allowed[kind]  # type: ignore[index]


def _range_ok(v: Node, bound: Node, minimum: bool) -> bool:
    """pySHACL's sh:minInclusive / sh:maxInclusive rule."""
    if not isinstance(v, Literal) or not isinstance(bound, Literal):
        return False
    if isinstance(bound.value, str) != isinstance(v.value, str):
        return False
    try:
        cmp = compare_literal(v, bound)  # type: ignore[no-untyped-call]
    except (TypeError, NotImplementedError):
        return False
    return bool(cmp >= 0) if minimum else bool(cmp <= 0)


# --- the report -------------------------------------------------------------------------------------


@dataclass
class Outcome:
    report: Graph
    plan: Plan
    focus_nodes: int  # focus nodes the compiled Core shapes checked


def validate_report(
    store: ox.Store, shapes: Graph, fallback: Callable[[ox.Store, Graph], Graph] | None = None
) -> Outcome:
    """Validate ``store`` against ``shapes``: compiled shapes here, the rest through ``fallback``.

    ``fallback`` (pySHACL) gets a shapes graph in which only the shapes this engine does not compile
    keep their targets, and returns its report graph. The combined report has one sh:ValidationReport,
    with sh:conforms false whenever there is any result, as pySHACL's.
    """
    todo = plan(shapes)
    run = _Run(store, shapes)
    for shape in list(todo.compiled):
        mark = (len(run.triples), len(run.results), run.focus_count)
        try:
            targets = _targets_pattern(shapes, shape)
            if targets is None:
                continue
            for constraint in shapes.objects(shape, SH.sparql):
                run.sparql(shape, constraint, targets)
            run.core(shape, targets)
        # found while running (an odd target or argument, a query oxigraph refuses): leave the shape to
        # pySHACL, which reports it as the reference does
        except (UnsupportedError, SyntaxError, ValueError) as exc:
            del run.triples[mark[0] :], run.results[mark[1] :]
            run.focus_count = mark[2]
            todo.compiled.remove(shape)
            todo.fallback[shape] = str(exc)
    report = Graph()
    node = BNode()
    report.add((node, RDF.type, SH.ValidationReport))
    for triple in run.triples:
        report.add(triple)
    for result in run.results:
        report.add((node, SH.result, result))
    if todo.fallback and fallback is not None:
        other = fallback(store, todo.remainder())
        reports = set(other.subjects(RDF.type, SH.ValidationReport))
        for s, p, o in other:
            if s in reports:
                if p == SH.result:
                    report.add((node, SH.result, o))
            else:
                report.add((s, p, o))
    conforms = next(iter(report.objects(node, SH.result)), None) is None
    report.add((node, SH.conforms, Literal(conforms)))
    return Outcome(report, todo, run.focus_count)
