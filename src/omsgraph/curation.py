"""Read the curated tables into typed rows, rejecting a bad row with its table, row and column.

The tables are the source of truth for the knowledge (see CONTRIBUTING.md for their columns).
Every check that can name a row is made here, before anything is built.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, fields
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from .errors import BadInputError, CurationError
from .hpo import Hpo
from .vocab import (
    CATEGORIES,
    CLASS_PREFIXES,
    EVIDENCE_CODES,
    MAPPING_PREDICATES,
    OMSG,
    POPULATIONS,
    PREFIXES,
    SYNONYM_SCOPES,
    contract,
    expand,
    is_curie,
    prefix_of,
)

SEP = "|"
#: The kinds of quantity a statement's ``value`` may give, and the datatype each takes
#: (``decimal`` for a number, ``duration`` for an ISO 8601 duration such as P5Y or P6M).
QUANTITIES: dict[str, str] = {
    "proportion": "decimal",
    "count": "decimal",
    "age at onset": "duration",
    "age at diagnosis": "duration",
    "duration": "duration",
}
RANGE = ".."
_DECIMAL = re.compile(r"^[0-9]+(\.[0-9]+)?$")
_DURATION = re.compile(
    r"^P(?=[0-9]|T[0-9])([0-9]+Y)?([0-9]+M)?([0-9]+D)?(T(?=[0-9])([0-9]+H)?([0-9]+M)?([0-9]+(\.[0-9]+)?S)?)?$"
)
_DURATION_PART = re.compile(r"([0-9.]+)([YMDHS])")
MINTED_TERM_RANGE = (1000, 8999)
SOURCE_RANGE = (9000, 9999)
SOURCE_TYPES: dict[str, URIRef] = {
    "web page": OMSG["0000041"],
    "journal article": OMSG["0000042"],
    "book chapter": OMSG["0000043"],
    "encyclopedia entry": OMSG["0000044"],
    "magazine article": OMSG["0000045"],
    "organisation": OMSG["0000046"],
    "dataset": OMSG["0000047"],
}


@dataclass(frozen=True)
class TypedValue:
    """A statement's number or duration: an exact value, or a range with one or both bounds."""

    datatype: str  # "decimal" or "duration"
    exact: Literal | None
    minimum: Literal | None
    maximum: Literal | None


def _literal(text: str) -> tuple[str, Literal]:
    if _DECIMAL.match(text):
        return "decimal", Literal(text, datatype=XSD.decimal)
    if _DURATION.match(text):
        return "duration", Literal(text, datatype=XSD.duration)
    raise ValueError(f"{text!r} is neither a decimal number (0.5) nor an ISO 8601 duration (P5Y, P6M)")


def _magnitude(datatype: str, text: str) -> Decimal:
    """A number to order two bounds by (durations in approximate days)."""
    if datatype == "decimal":
        return Decimal(text)
    days = {"Y": Decimal("365.25"), "M": Decimal("30.4375"), "D": Decimal(1)}
    date, _, time = text[1:].partition("T")
    total = sum((Decimal(n) * days[u] for n, u in _DURATION_PART.findall(date)), Decimal(0))
    seconds = {"H": Decimal(3600), "M": Decimal(60), "S": Decimal(1)}
    total += sum((Decimal(n) * seconds[u] for n, u in _DURATION_PART.findall(time)), Decimal(0)) / 86400
    return total


def parse_value(text: str) -> TypedValue:
    """Parse ``0.5``, ``0.4..0.6``, ``P5Y``, ``..P5Y``, ``P6M..`` or ``5..6``; ValueError says why not."""
    if RANGE not in text:
        datatype, exact = _literal(text)
        return TypedValue(datatype, exact, None, None)
    low, _, high = text.partition(RANGE)
    if not low and not high:
        raise ValueError(f"{text!r} is a range without bounds")
    bounds = [_literal(b) if b else None for b in (low, high)]
    kinds = {b[0] for b in bounds if b is not None}
    if len(kinds) > 1:
        raise ValueError(f"{text!r} mixes a number and a duration")
    (datatype,) = kinds
    if low and high and _magnitude(datatype, low) >= _magnitude(datatype, high):
        raise ValueError(f"{text!r} has its lower bound not below its upper bound")
    return TypedValue(
        datatype, None, bounds[0][1] if bounds[0] else None, bounds[1][1] if bounds[1] else None
    )


@dataclass(frozen=True)
class Source:
    id: str
    key: str
    type: str
    authors: str
    title: str
    published_in: str
    year: str
    volume: str
    first_page: str
    cited_by: str
    reference_number: str
    seed_file: str
    url: str
    note: str
    row: int


@dataclass(frozen=True)
class Term:
    id: str
    label: str
    category: str
    parents: tuple[str, ...]
    definition: str
    definition_sources: tuple[str, ...]
    comment: str
    identifier_gap: str
    row: int


@dataclass(frozen=True)
class Synonym:
    id: str
    label: str
    synonym: str
    scope: str
    sources: tuple[str, ...]
    comment: str
    row: int


@dataclass(frozen=True)
class Assertion:
    subject: str
    subject_label: str
    relation: str
    object: str
    object_label: str
    population: str
    frequency: str
    context: str
    sources: tuple[str, ...]
    evidence: str
    quantity: str
    value: str
    row: int

    @property
    def typed_value(self) -> TypedValue | None:
        """The ``value`` cell as typed literals (checked when the table is read)."""
        return parse_value(self.value) if self.value else None


@dataclass(frozen=True)
class Mapping:
    subject: str
    subject_label: str
    predicate: str
    object: str
    object_label: str
    justification: str
    sources: tuple[str, ...]
    verified_against: str
    comment: str
    row: int


@dataclass(frozen=True)
class Property:
    iri: URIRef
    label: str
    literal: bool  # an annotation property taking text, rather than an object property


@dataclass
class Schema:
    """What the edit file declares, as the tables need it."""

    graph: Graph
    properties: dict[str, Property]  # by label
    labels: dict[str, str]  # CURIE -> label of every class declared in the edit file

    @classmethod
    def from_graph(cls, graph: Graph) -> Schema:
        properties: dict[str, Property] = {}
        for kind, literal in ((OWL.ObjectProperty, False), (OWL.AnnotationProperty, True)):
            for prop in graph.subjects(RDF.type, kind):
                label = graph.value(prop, RDFS.label)
                if isinstance(prop, URIRef) and label is not None:
                    properties[str(label)] = Property(prop, str(label), literal)
        labels = {
            contract(str(c)): str(graph.value(c, RDFS.label))
            for c in graph.subjects(RDF.type, OWL.Class)
            if isinstance(c, URIRef) and graph.value(c, RDFS.label) is not None
        }
        return cls(graph, properties, labels)

    @property
    def literal_relations(self) -> list[str]:
        return sorted(label for label, p in self.properties.items() if p.literal and _is_statement(p))

    @property
    def object_relations(self) -> list[str]:
        return sorted(label for label, p in self.properties.items() if not p.literal)


def _is_statement(prop: Property) -> bool:
    """Annotation properties a curator may use as a statement relation (omsgraph's literal ones)."""
    return str(prop.iri).startswith(str(OMSG)) and 30 <= int(str(prop.iri)[-7:]) <= 39


@dataclass
class Curation:
    sources: dict[str, Source]  # by key
    terms: dict[str, Term]  # by id
    synonyms: list[Synonym]
    assertions: list[Assertion]
    mappings: list[Mapping]

    def source_iris(self, keys: tuple[str, ...]) -> list[URIRef]:
        return [expand(self.sources[k].id) for k in keys]


Row = TypeVar("Row")


def read_table(path: Path, row_type: type[Row]) -> Iterator[Row]:
    """Yield one typed row per data line; the header must list the row type's columns in order."""
    columns = [f.name for f in fields(row_type) if f.name != "row"]  # type: ignore[arg-type]
    table = f"ontology/curation/{path.name}"
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            header = next(reader, None)
            if header != columns:
                raise CurationError(
                    table,
                    1,
                    None,
                    f"header is {header!r}",
                    "make it these tab-separated columns, as in CONTRIBUTING.md: " + ", ".join(columns),
                )
            for number, cells in enumerate(reader, start=2):
                if not any(c.strip() for c in cells):
                    continue
                if len(cells) != len(columns):
                    raise CurationError(
                        table,
                        number,
                        None,
                        f"has {len(cells)} cells, expected {len(columns)}",
                        "check for a missing or extra tab",
                    )
                values: dict[str, Any] = {"row": number}
                for name, cell in zip(columns, cells, strict=True):
                    if cell != cell.strip():
                        raise CurationError(
                            table, number, name, f"{cell!r} has leading or trailing spaces", "remove them"
                        )
                    annotation = row_type.__dataclass_fields__[name].type  # type: ignore[attr-defined]
                    if "tuple" in str(annotation):
                        values[name] = tuple(v.strip() for v in cell.split(SEP) if v.strip())
                    else:
                        values[name] = cell
                yield row_type(**values)
    except FileNotFoundError as exc:
        raise BadInputError(
            f"{table} is missing; restore it from the repository (git checkout {table})"
        ) from exc
    except UnicodeDecodeError as exc:
        raise CurationError(table, None, None, f"is not UTF-8 ({exc.reason})", "save it as UTF-8") from exc
    except csv.Error as exc:
        raise CurationError(
            table, None, None, f"cannot be read as TSV ({exc})", "save it as tab-separated"
        ) from exc


def load_verified_ids(path: Path) -> dict[str, set[str]]:
    """CURIE -> labels of every VERIFIED row of the reference identifier table."""
    verified: dict[str, set[str]] = {}
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                if row["evidence"].startswith("VERIFIED"):
                    labels = verified.setdefault(row["id"], set())
                    labels.add(row["label_in_source"])
                    if row["id"].startswith("HGNC:"):  # "NOVA1 (NOVA alternative splicing regulator 1)"
                        labels.add(row["label_in_source"].split(" (", 1)[0])
    except (OSError, KeyError) as exc:
        raise BadInputError(
            f"cannot read the verified identifiers in {path}: {exc}; restore the file"
        ) from exc
    return verified


def verification_note(path: Path, curie: str) -> str:
    """The evidence text of the first VERIFIED row for a CURIE (what it was checked against)."""
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row["id"] == curie and row["evidence"].startswith("VERIFIED"):
                return row["evidence"].split("|")[0].removeprefix("VERIFIED:").strip()
    return ""


def _number(curie: str) -> int:
    local = curie.split(":", 1)[1]
    return int(local) if local.isdigit() and len(local) == 7 else -1


class _Checker:
    def __init__(self, schema: Schema, hpo: Hpo, verified: dict[str, set[str]]) -> None:
        self.schema = schema
        self.hpo = hpo
        self.verified = verified

    # --- tables ---------------------------------------------------------------------------------

    def sources(self, rows: list[Source]) -> dict[str, Source]:
        table = "ontology/curation/sources.tsv"
        by_key: dict[str, Source] = {}
        ids: set[str] = set()
        for s in rows:
            self._curie(table, s.row, "id", s.id, prefixes={"OMSG"}, number_range=SOURCE_RANGE)
            if s.id in ids:
                raise CurationError(
                    table, s.row, "id", f"{s.id!r} is used twice", "give each source its own id"
                )
            if not s.key or s.key in by_key:
                raise CurationError(
                    table,
                    s.row,
                    "key",
                    f"{s.key!r} is empty or used twice",
                    "give each source a unique short key",
                )
            if s.type not in SOURCE_TYPES:
                raise CurationError(
                    table,
                    s.row,
                    "type",
                    f"{s.type!r} is not a source type",
                    f"use one of {sorted(SOURCE_TYPES)}",
                )
            if not s.title:
                raise CurationError(table, s.row, "title", "is empty", "give the title of the source")
            ids.add(s.id)
            by_key[s.key] = s
        for s in rows:
            if s.cited_by and s.cited_by not in by_key:
                raise CurationError(
                    table,
                    s.row,
                    "cited_by",
                    f"{s.cited_by!r} is not a source key",
                    "name the key of the citing page",
                )
        return by_key

    def terms(self, rows: list[Term], sources: dict[str, Source]) -> dict[str, Term]:
        table = "ontology/curation/terms.tsv"
        terms: dict[str, Term] = {}
        for t in rows:
            self._curie(
                table,
                t.row,
                "id",
                t.id,
                prefixes=CLASS_PREFIXES,
                number_range=MINTED_TERM_RANGE if t.id.startswith("OMSG:") else None,
            )
            if t.id in terms:
                raise CurationError(
                    table,
                    t.row,
                    "id",
                    f"{t.id!r} is declared twice (also row {terms[t.id].row})",
                    "keep one row per term",
                )
            if not t.label:
                raise CurationError(table, t.row, "label", "is empty", "give the term its label")
            if "  " in t.label:
                raise CurationError(
                    table, t.row, "label", f"{t.label!r} has a double space", "use single spaces"
                )
            if t.category not in CATEGORIES:
                raise CurationError(
                    table,
                    t.row,
                    "category",
                    f"{t.category!r} is not a category",
                    f"use one of: {', '.join(CATEGORIES)}",
                )
            self._sources(table, t.row, "definition_sources", t.definition_sources, sources, required=False)
            if t.id.startswith("OMSG:"):
                if not t.definition or not t.definition_sources:
                    raise CurationError(
                        table,
                        t.row,
                        "definition",
                        f"minted term {t.id} has no sourced definition",
                        "write a definition in your own words and give its source keys",
                    )
            else:
                self._reused(table, t)
            if t.definition and not t.definition_sources:
                raise CurationError(
                    table,
                    t.row,
                    "definition_sources",
                    "a definition has no source",
                    "give the source keys the definition is based on",
                )
            terms[t.id] = t
        known = set(terms) | set(self.schema.labels) | set(self.hpo_ids(terms))
        for t in rows:
            for parent in t.parents:
                if parent not in known:
                    raise CurationError(
                        table,
                        t.row,
                        "parents",
                        f"{parent!r} is not declared",
                        "declare it in terms.tsv or use a class of the edit file",
                    )
        return terms

    def hpo_ids(self, terms: dict[str, Term]) -> set[str]:
        return self.hpo.ancestors(i for i in terms if i.startswith("HP:"))

    def synonyms(self, rows: list[Synonym], c: Curation) -> list[Synonym]:
        table = "ontology/curation/synonyms.tsv"
        seen: set[tuple[str, str, str]] = set()
        for s in rows:
            self._ref(table, s.row, "id", s.id, s.label, c)
            if not s.synonym:
                raise CurationError(table, s.row, "synonym", "is empty", "write the synonym")
            if s.scope not in SYNONYM_SCOPES:
                raise CurationError(
                    table,
                    s.row,
                    "scope",
                    f"{s.scope!r} is not a scope",
                    f"use one of {sorted(SYNONYM_SCOPES)}",
                )
            self._sources(table, s.row, "sources", s.sources, c.sources)
            key = (s.id, s.synonym.casefold(), s.scope)
            if key in seen:
                raise CurationError(
                    table,
                    s.row,
                    "synonym",
                    f"{s.synonym!r} is listed twice for {s.id}",
                    "merge the rows and list both sources with |",
                )
            seen.add(key)
        return rows

    def assertions(self, rows: list[Assertion], c: Curation) -> list[Assertion]:
        table = "ontology/curation/assertions.tsv"
        for a in rows:
            self._ref(table, a.row, "subject", a.subject, a.subject_label, c)
            prop = self.schema.properties.get(a.relation)
            allowed = self.schema.object_relations + self.schema.literal_relations
            if prop is None or a.relation not in allowed:
                raise CurationError(
                    table,
                    a.row,
                    "relation",
                    f"{a.relation!r} is not a relation",
                    f"use one of: {', '.join(allowed)}",
                )
            if prop.literal:
                if not a.object or a.object_label:
                    raise CurationError(
                        table,
                        a.row,
                        "object",
                        f"{a.relation!r} takes a text object and no label",
                        "write the statement in 'object' and leave 'object_label' empty",
                    )
            else:
                self._ref(table, a.row, "object", a.object, a.object_label, c)
            if a.population not in POPULATIONS:
                raise CurationError(
                    table,
                    a.row,
                    "population",
                    f"{a.population!r} is not a population",
                    f"use one of {sorted(POPULATIONS)}",
                )
            self._sources(table, a.row, "sources", a.sources, c.sources)
            if a.evidence not in EVIDENCE_CODES:
                raise CurationError(
                    table,
                    a.row,
                    "evidence",
                    f"{a.evidence!r} is not an allowed evidence code",
                    f"use {' or '.join(EVIDENCE_CODES)} (see CONTRIBUTING.md)",
                )
            self._quantity(table, a)
        return rows

    def _quantity(self, table: str, a: Assertion) -> None:
        if not a.quantity and not a.value:
            return
        if a.quantity not in QUANTITIES:
            raise CurationError(
                table,
                a.row,
                "quantity",
                f"{a.quantity!r} is not a kind of quantity" if a.quantity else "is empty but 'value' is not",
                f"use one of: {', '.join(QUANTITIES)} (see CONTRIBUTING.md)",
            )
        if not a.value:
            raise CurationError(
                table, a.row, "value", "is empty but 'quantity' is not", "give the number or duration"
            )
        expected = QUANTITIES[a.quantity]
        example = "0.5, 0.4..0.6 or 5..6" if expected == "decimal" else "P5Y, ..P5Y, P6M.. or P2M..P3M"
        try:
            typed = parse_value(a.value)
        except ValueError as exc:
            raise CurationError(
                table, a.row, "value", str(exc), f"write a {expected} or a range, e.g. {example}"
            ) from exc
        if typed.datatype != expected:
            raise CurationError(
                table,
                a.row,
                "value",
                f"{a.value!r} is a {typed.datatype} but a {a.quantity} is a {expected}",
                f"write it as e.g. {example}",
            )
        bounds = [b for b in (typed.exact, typed.minimum, typed.maximum) if b is not None]
        if a.quantity == "proportion" and any(Decimal(str(b)) > 1 for b in bounds):
            raise CurationError(
                table, a.row, "value", f"{a.value!r} is above 1", "write a proportion as 0..1 (0.5 for half)"
            )
        if a.quantity == "count" and any("." in str(b) for b in bounds):
            raise CurationError(
                table, a.row, "value", f"{a.value!r} is not a whole number", "write a count as 5 or 5..6"
            )

    def mappings(self, rows: list[Mapping], c: Curation) -> list[Mapping]:
        table = "ontology/curation/mappings.tsv"
        seen: set[tuple[str, str]] = set()
        for m in rows:
            self._ref(table, m.row, "subject", m.subject, m.subject_label, c)
            if m.predicate not in MAPPING_PREDICATES:
                raise CurationError(
                    table,
                    m.row,
                    "predicate",
                    f"{m.predicate!r} is not a mapping predicate",
                    f"use one of {sorted(MAPPING_PREDICATES)}",
                )
            self._curie(table, m.row, "object", m.object, prefixes=set(PREFIXES) - {"OMSG"})
            if (m.subject, m.object) in seen:
                raise CurationError(
                    table,
                    m.row,
                    "object",
                    f"{m.object!r} is mapped twice from {m.subject}",
                    "keep one row per mapping and list all its sources with |",
                )
            seen.add((m.subject, m.object))
            if not m.justification.startswith("semapv:"):
                raise CurationError(
                    table,
                    m.row,
                    "justification",
                    f"{m.justification!r} is not a semapv term",
                    "use e.g. semapv:ManualMappingCuration",
                )
            self._sources(table, m.row, "sources", m.sources, c.sources)
            if not m.verified_against:
                raise CurationError(
                    table,
                    m.row,
                    "verified_against",
                    "is empty",
                    "name the file the code was checked in (see ids.tsv evidence)",
                )
        return rows

    # --- cells ----------------------------------------------------------------------------------

    def _curie(
        self,
        table: str,
        row: int,
        column: str,
        value: str,
        *,
        prefixes: set[str] | frozenset[str],
        number_range: tuple[int, int] | None = None,
    ) -> None:
        if not is_curie(value) or prefix_of(value) not in prefixes:
            raise CurationError(
                table,
                row,
                column,
                f"{value!r} is not a CURIE with a prefix of {sorted(prefixes)}",
                "write it as PREFIX:ID, e.g. HP:0001336",
            )
        if number_range is not None:
            low, high = number_range
            if not low <= _number(value) <= high:
                raise CurationError(
                    table,
                    row,
                    column,
                    f"{value!r} is outside this table's ID range",
                    f"take the next free ID between OMSG:{low:07d} and OMSG:{high:07d}",
                )

    def _sources(
        self,
        table: str,
        row: int,
        column: str,
        keys: tuple[str, ...],
        sources: dict[str, Source],
        required: bool = True,
    ) -> None:
        if required and not keys:
            raise CurationError(
                table, row, column, "is empty", "give at least one source key from sources.tsv"
            )
        for key in keys:
            if key not in sources:
                raise CurationError(
                    table,
                    row,
                    column,
                    f"{key!r} is not a source key",
                    "use a key from ontology/curation/sources.tsv or add the source there",
                )

    def _ref(self, table: str, row: int, column: str, curie: str, label: str, c: Curation) -> None:
        known = c.terms[curie].label if curie in c.terms else self.schema.labels.get(curie)
        if known is None:
            raise CurationError(
                table,
                row,
                column,
                f"{curie!r} is not declared",
                "declare it in terms.tsv (or the edit file) first",
            )
        label_column = f"{column}_label" if column != "id" else "label"
        if label and label != known:
            raise CurationError(
                table,
                row,
                label_column,
                f"{label!r} does not match the label of {curie} ({known!r})",
                "copy the label from terms.tsv",
            )

    def _reused(self, table: str, t: Term) -> None:
        if t.id.startswith("HP:"):
            hp = self.hpo.terms.get(t.id)
            if hp is None:
                raise CurationError(
                    table,
                    t.row,
                    "id",
                    f"{t.id!r} is not in HPO {self.hpo.version}",
                    "check the identifier in hp.obo",
                )
            if hp.obsolete:
                raise CurationError(
                    table,
                    t.row,
                    "id",
                    f"{t.id!r} is obsolete in HPO",
                    f"use its replacement {hp.replaced_by or '(none given)'}",
                )
            if hp.name != t.label:
                raise CurationError(
                    table,
                    t.row,
                    "label",
                    f"{t.label!r} is not HPO's label of {t.id} ({hp.name!r})",
                    "use the current HPO label",
                )
            return
        labels = self.verified.get(t.id)
        if labels is None:
            raise CurationError(
                table,
                t.row,
                "id",
                f"{t.id!r} is not a VERIFIED identifier in ontology/reference/ids.tsv",
                "use a verified identifier, or mint an OMSG term and fill identifier_gap",
            )
        if t.label not in labels:
            raise CurationError(
                table,
                t.row,
                "label",
                f"{t.label!r} is not the verified label of {t.id} ({' / '.join(sorted(labels))})",
                "use the label the source file gives",
            )


def load_curation(directory: Path, schema: Schema, hpo: Hpo, verified_ids: Path) -> Curation:
    """Read and check every curated table in ``directory``."""
    checker = _Checker(schema, hpo, load_verified_ids(verified_ids))
    sources = checker.sources(list(read_table(directory / "sources.tsv", Source)))
    terms = checker.terms(list(read_table(directory / "terms.tsv", Term)), sources)
    c = Curation(sources=sources, terms=terms, synonyms=[], assertions=[], mappings=[])
    c.synonyms = checker.synonyms(list(read_table(directory / "synonyms.tsv", Synonym)), c)
    c.assertions = checker.assertions(list(read_table(directory / "assertions.tsv", Assertion)), c)
    c.mappings = checker.mappings(list(read_table(directory / "mappings.tsv", Mapping)), c)
    return c
