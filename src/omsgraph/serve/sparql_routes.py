"""The SPARQL 1.1 Protocol at /sparql, over :mod:`omsgraph.sparql` (the only door to a user's query).

GET ``?query=``, POST ``application/x-www-form-urlencoded`` (``query=``) and POST
``application/sparql-query``. Results by ``Accept`` or ``format=``; the service description on a GET
without a query (the HTML query page for browsers). Refused queries get 400 before execution, a
query over the time limit 503, an oversized body 413; the server never answers 500 for a query.
"""

from __future__ import annotations

import logging
import urllib.parse
from typing import Any

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from ..errors import OmsgraphError
from ..query import load_questions
from ..sparql import (
    GRAPH_MEDIA_TYPES,
    RESULT_MEDIA_TYPES,
    Limits,
    QueryRefused,
    QueryRunner,
    QueryTimeout,
    inspect,
)
from ..sparql.output import cell_text
from ..store import OxigraphEngine
from .app import Site, _site, cacheable
from .negotiate import parse_accept

log = logging.getLogger("omsgraph.serve")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMAT_NAMES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "ttl": "text/turtle",
    "turtle": "text/turtle",
    "jsonld": "application/ld+json",
    "rdf": "application/rdf+xml",
    "nt": "application/n-triples",
    "html": "text/html",
}
_FORM = "application/x-www-form-urlencoded"
_SPARQL = "application/sparql-query"


def limits(site: Site) -> Limits:
    s = site.settings
    return Limits(timeout=s.timeout, max_rows=s.max_rows, max_query_bytes=s.max_query_bytes)


def runner(site: Site) -> QueryRunner:
    """The pool of query worker processes, started on first use."""
    current: QueryRunner | None = site.settings.extra.get("runner")
    if current is None:
        path = OxigraphEngine.open(site.settings.release).path
        current = QueryRunner(path, site.settings.workers, limits(site))
        site.settings.extra["runner"] = current
    return current


def _problem(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return PlainTextResponse(f"{message}\n", status_code=status, headers=headers)


def _media_type(request: Request, fmt: str | None) -> str | None:
    """The media type asked for: format= (a short name or a media type), else Accept; None = default."""
    if fmt:
        return FORMAT_NAMES.get(fmt.lower(), fmt.lower())
    known = {*RESULT_MEDIA_TYPES, *GRAPH_MEDIA_TYPES, "text/html", "application/json", "application/xml"}
    for media, _q in parse_accept(request.headers.get("accept", "")):
        if media in known:
            return {
                "application/json": "application/sparql-results+json",
                "application/xml": "application/sparql-results+xml",
            }.get(media, media)
        if media == "*/*":
            return None
    return None


async def _read_query(request: Request, site: Site) -> tuple[str | None, str | None, Response | None]:
    """(query text, format=, an error response)."""
    fmt = request.query_params.get("format")
    if request.method in ("GET", "HEAD"):
        return request.query_params.get("query"), fmt, None
    cap = site.settings.max_query_bytes + 4096
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > cap:
        return None, fmt, _problem(413, f"413 Payload Too Large: the request body is limited to {cap} bytes")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > cap:
            return (
                None,
                fmt,
                _problem(413, f"413 Payload Too Large: the request body is limited to {cap} bytes"),
            )
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return None, fmt, _problem(400, "400 Bad Request: the request body is not UTF-8")
    if ctype == _SPARQL:
        return text, fmt, None
    if ctype == _FORM:
        form = urllib.parse.parse_qs(text, keep_blank_values=True)
        if "update" in form:
            return None, fmt, _problem(403, "403 Forbidden: this endpoint is read-only; updates are refused")
        queries, formats = form.get("query", []), form.get("format", [])
        return (queries[0] if queries else None), (formats[0] if formats else fmt), None
    return (
        None,
        fmt,
        _problem(
            415, f"415 Unsupported Media Type: POST the query as {_SPARQL} or as a {_FORM} form with query="
        ),
    )


async def sparql(request: Request) -> Response:
    site = _site(request)
    text, fmt, problem = await _read_query(request, site)
    if problem is not None:
        return problem
    media = _media_type(request, fmt)
    if text is None:
        if request.method == "POST":
            return _problem(400, "400 Bad Request: no query; send query=... or a SPARQL query body")
        if media == "text/html" or (media is None and "text/html" in request.headers.get("accept", "")):
            return cacheable(
                request, site, _query_page(site, request.query_params.get("example")), "text/html"
            )
        return cacheable(
            request,
            site,
            _service_description(site, str(request.url).split("?")[0], media),
            _sd_media(media),
            vary=True,
        )
    if not text.strip():
        return _problem(400, "400 Bad Request: the query is empty")
    lim = limits(site)
    try:
        info = inspect(text, lim)
    except QueryRefused as exc:
        return _problem(400, f"400 Bad Request: {exc}")
    html = media == "text/html"
    try:
        if html:
            result = await run_in_threadpool(runner(site).run, text, lim)
        else:
            family = GRAPH_MEDIA_TYPES if info.kind in ("CONSTRUCT", "DESCRIBE") else RESULT_MEDIA_TYPES
            if media is not None and media not in family:
                return _problem(
                    406,
                    f"406 Not Acceptable: a {info.kind} result is offered as {', '.join(family)}",
                )
            body, used, _truncated = await run_in_threadpool(
                runner(site).run_serialized_info, text, media or next(iter(family)), lim
            )
    except QueryTimeout as exc:
        return _problem(503, f"503 Service Unavailable: {exc}", {"Retry-After": "5"})
    except QueryRefused as exc:
        return _problem(400, f"400 Bad Request: {exc}")
    except OmsgraphError as exc:
        return _problem(400, f"400 Bad Request: {exc}")
    if html:
        page = _query_page(site, None, text=text, result=result)
        return cacheable(request, site, page, "text/html", vary=True)
    return cacheable(request, site, body, used, vary=True)


def _query_page(
    site: Site, example: str | None, text: str | None = None, result: Any = None, error: str = ""
) -> bytes:
    questions = list(load_questions().values())
    chosen = next((q for q in questions if q.name == example), None)
    if chosen is None and text is not None:  # a run example stays selected
        words = text.split()  # a browser sends the textarea with CRLF line ends
        chosen = next((q for q in questions if q.sparql.split() == words), None)
    shown = None
    if result is not None:
        rows = [[site.cell(cell_text(c)) for c in row] for row in result.rows]
        if result.kind == "ASK":
            rows = [[{"text": str(result.boolean).lower(), "path": ""}]]
        elif result.graph is not None:
            rows = [[{"text": line, "path": ""}] for line in result.graph.decode().splitlines()]
        columns = result.columns or (("boolean",) if result.kind == "ASK" else ("triple",))
        shown = {"columns": columns, "rows": rows, "truncated": result.truncated}
    return site.render(
        "query.html",
        endpoint="/sparql",
        limits=limits(site),
        questions=questions,
        example=chosen.name if chosen else (questions[0].name if questions else ""),
        text=text if text is not None else (chosen or questions[0]).sparql if questions else "",
        formats=["html", *(k for k in FORMAT_NAMES if k not in ("html", "turtle"))],
        result=shown,
        error=error,
    )


def _sd_media(media: str | None) -> str:
    return media if media in GRAPH_MEDIA_TYPES else "text/turtle"


def _service_description(site: Site, endpoint: str, media: str | None) -> bytes:
    g = Graph()
    g.bind("sd", SD)
    service = BNode("service")
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, URIRef(endpoint)))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for media_type in (*RESULT_MEDIA_TYPES, *GRAPH_MEDIA_TYPES):
        g.add((service, SD.resultFormat, URIRef(f"http://www.iana.org/assignments/media-types/{media_type}")))
    dataset = BNode("dataset")
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    default = BNode("default")
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    g.add(
        (
            service,
            URIRef("http://purl.org/dc/terms/description"),
            Literal(f"{site.info['title']} {site.info['version']}"),
        )
    )
    fmt = {
        "text/turtle": "turtle",
        "application/ld+json": "json-ld",
        "application/rdf+xml": "xml",
        "application/n-triples": "nt",
    }[_sd_media(media)]
    data = g.serialize(format=fmt, encoding="utf-8")
    return data if isinstance(data, bytes) else data.encode()
