"""Query results and their standard serializations (SPARQL JSON, XML, CSV, TSV; RDF for graphs).

This module imports nothing from omsgraph: the query worker loads it by path so that it starts in
milliseconds, and nothing defined here ever crosses the pipe (cells travel as plain tuples).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple
from xml.sax.saxutils import escape, quoteattr

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

RESULT_MEDIA_TYPES: dict[str, str] = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_MEDIA_TYPES: dict[str, str] = {
    "text/turtle": "turtle",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdfxml",
    "application/n-triples": "ntriples",
}
SHORT_NAMES: dict[str, str] = {v: k for k, v in {**RESULT_MEDIA_TYPES, **GRAPH_MEDIA_TYPES}.items()}


class Term(NamedTuple):
    """One RDF term of a solution: kind is uri, bnode or literal."""

    kind: str
    value: str
    datatype: str | None = None  # literals: the datatype IRI (rdf:langString with a language)
    lang: str | None = None


Cell = tuple[str, str, "str | None", "str | None"] | None  # a Term as a plain tuple, or unbound


@dataclass
class QueryResult:
    """The answer to one query: solutions (SELECT), a boolean (ASK) or N-Triples (CONSTRUCT, DESCRIBE)."""

    kind: str
    columns: tuple[str, ...] = ()
    rows: list[tuple[Term | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: bytes | None = None
    truncated: bool = False


def _nt_string(text: str) -> str:
    out = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return '"' + out + '"'


def nt_term(cell: Cell) -> str:
    """A term in N-Triples / Turtle syntax (the TSV results form)."""
    if cell is None:
        return ""
    kind, value, datatype, lang = cell
    if kind == "uri":
        return f"<{value}>"
    if kind == "bnode":
        return f"_:{value}"
    if lang:
        return f"{_nt_string(value)}@{lang}"
    if datatype and datatype != XSD_STRING:
        return f"{_nt_string(value)}^^<{datatype}>"
    return _nt_string(value)


def _json_cell(cell: tuple[str, str, str | None, str | None]) -> dict[str, str]:
    kind, value, datatype, lang = cell
    if kind != "literal":
        return {"type": kind, "value": value}
    out = {"type": "literal", "value": value}
    if lang:
        out["xml:lang"] = lang
    elif datatype and datatype != XSD_STRING:
        out["datatype"] = datatype
    return out


def serialize_solutions(
    kind: str, columns: tuple[str, ...], rows: Sequence[tuple[Cell, ...]], boolean: bool | None, fmt: str
) -> bytes:
    """SELECT or ASK results in the W3C SPARQL results formats (fmt: json, xml, csv, tsv)."""
    if fmt == "json":
        if kind == "ASK":
            return json.dumps({"head": {}, "boolean": bool(boolean)}).encode()
        bindings = [
            {c: _json_cell(v) for c, v in zip(columns, row, strict=True) if v is not None} for row in rows
        ]
        doc = {"head": {"vars": list(columns)}, "results": {"bindings": bindings}}
        return json.dumps(doc, ensure_ascii=False).encode()
    if fmt == "xml":
        out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
        out += [f"<variable name={quoteattr(c)}/>" for c in columns]
        if kind == "ASK":
            out.append(f"</head>\n<boolean>{'true' if boolean else 'false'}</boolean>\n</sparql>\n")
            return "\n".join(out).encode()
        out.append("</head>\n<results>")
        for row in rows:
            out.append("<result>")
            for column, cell in zip(columns, row, strict=True):
                if cell is None:
                    continue
                kind_, value, datatype, lang = cell
                if kind_ == "uri":
                    inner = f"<uri>{escape(value)}</uri>"
                elif kind_ == "bnode":
                    inner = f"<bnode>{escape(value)}</bnode>"
                elif lang:
                    inner = f"<literal xml:lang={quoteattr(lang)}>{escape(value)}</literal>"
                elif datatype and datatype != XSD_STRING:
                    inner = f"<literal datatype={quoteattr(datatype)}>{escape(value)}</literal>"
                else:
                    inner = f"<literal>{escape(value)}</literal>"
                out.append(f"<binding name={quoteattr(column)}>{inner}</binding>")
            out.append("</result>")
        out.append("</results>\n</sparql>\n")
        return "\n".join(out).encode()
    if fmt in ("csv", "tsv"):
        if kind == "ASK":
            return b"true\n" if boolean else b"false\n"
        if fmt == "tsv":  # W3C TSV: ?var header, terms in Turtle syntax
            lines = ["\t".join("?" + c for c in columns)]
            lines += ["\t".join(nt_term(c) for c in row) for row in rows]
            return ("\n".join(lines) + "\n").encode()
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if c is None else ("_:" + c[1] if c[0] == "bnode" else c[1]) for c in row])
        return buffer.getvalue().encode()
    raise ValueError(f"unknown results format {fmt!r}")


def serialize_graph(ntriples: bytes, fmt: str, prefixes: dict[str, str] | None = None) -> bytes:
    """CONSTRUCT or DESCRIBE triples (N-Triples) in fmt: turtle, ntriples, jsonld or rdfxml."""
    if fmt == "ntriples":
        return ntriples
    import pyoxigraph as ox

    target = {"turtle": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}
    if fmt not in target:
        raise ValueError(f"unknown graph format {fmt!r}")
    triples = list(ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES))
    used: dict[str, str] = {}
    if prefixes and fmt != "rdfxml":
        text = ntriples.decode("utf-8", "replace")
        used = {p: ns for p, ns in prefixes.items() if "<" + ns in text}
    data = ox.serialize(triples, format=target[fmt], prefixes=used or None)
    return data if isinstance(data, bytes) else b""
