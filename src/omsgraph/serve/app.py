"""The web application: pages, linked-data IRIs, search and the SPARQL endpoint over one release.

Everything shown comes from :mod:`omsgraph.lookup` (cards, search, code look-up), the competency
questions of ``queries/`` and :mod:`omsgraph.sparql` (the one place that runs a user's query). The
release is immutable while served, so every GET answer carries an ``ETag`` and ``Last-Modified``
derived from it and may be cached.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import resources
from ..errors import OmsgraphError
from ..lookup import NOTICE, OVERVIEW, Catalog, Download, downloads, load_catalog, page_path
from ..query import load_questions
from ..store import OxigraphEngine
from ..vocab import OMS
from .negotiate import ENTITY_REPRESENTATIONS, HTML, RDF_REPRESENTATIONS, choose

log = logging.getLogger("omsgraph.serve")
HERE = Path(__file__).parent
PAGE_CACHE_SIZE = 4096


@dataclass
class Settings:
    """What ``omsgraph serve`` is told on the command line."""

    timeout: float = 10.0
    max_rows: int = 10_000
    max_query_bytes: int = 100_000
    workers: int = 2
    release: Path | None = None  # default: the release under ontology/
    extra: dict[str, Any] = field(default_factory=dict)


class Site:
    """The loaded release and everything derived from it, built once at start-up."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.catalog: Catalog = load_catalog(settings.release)
        header = self.catalog.ontology()
        source = settings.release or resources.ontology_dir() / "omsgraph.nt"
        self.key = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
        stamp = header.get("created", "1970-01-01")
        self.last_modified = datetime.fromisoformat(stamp).replace(tzinfo=UTC)
        self.info = {
            "title": header.get("title", "omsgraph"),
            "description": header.get("description", ""),
            "version": header.get("version", ""),
            "version_iri": header.get("version_iri", ""),
            "version_path": page_path(header.get("version_iri", "")),
            "iri": header.get("iri", ""),
            "license": header.get("license", ""),
            "citation": header.get("citation", ""),
            "notice": NOTICE,
            "subject": self.catalog.ref(OMS),
        }
        self.templates = Environment(
            loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"])
        )
        self._downloads: dict[str, Download] | None = None
        self._engine: OxigraphEngine | None = None
        self._labels: dict[str, str] | None = None

    def render(self, name: str, **context: Any) -> bytes:
        return self.templates.get_template(name).render(site=self.info, **context).encode("utf-8")

    def downloads(self) -> dict[str, Download]:
        if self._downloads is None:
            self._downloads = {d.name: d for d in downloads()}
        return self._downloads

    def engine(self) -> OxigraphEngine:
        """The embedded store, for the library's own competency questions (never a user's query)."""
        if self._engine is None:
            self._engine = OxigraphEngine.open(self.settings.release)
        return self._engine

    def cell(self, text: str) -> dict[str, str]:
        """A result cell, linked to its entity when it is a CURIE or the unique label of one."""
        if self._labels is None:
            counts: dict[str, list[str]] = {}
            for hit_text, _shown, where, entity in self.catalog._search_rows:
                if where == "label":
                    counts.setdefault(hit_text, []).append(str(entity))
            self._labels = {k: v[0] for k, v in counts.items() if len(set(v)) == 1}
        iri = self.catalog.resolve(text) if ":" in text and " " not in text else None
        if iri is None:
            from ..lookup import _norm

            found = self._labels.get(_norm(text))
            return {"text": text, "path": page_path(found) if found else ""}
        return {"text": text, "path": page_path(str(iri)) if iri else ""}


# --- HTTP habits ----------------------------------------------------------------------------------


def cacheable(
    request: Request, site: Site, body: bytes, media_type: str, *, vary: bool = False, status: int = 200
) -> Response:
    """A GET answer with validators; 304 when the client's copy is current."""
    tag = f'W/"{site.key}-{hashlib.sha1(body).hexdigest()[:12]}"'
    headers = {
        "ETag": tag,
        "Last-Modified": format_datetime(site.last_modified, usegmt=True),
        "Cache-Control": "public, max-age=3600",
    }
    if vary:
        headers["Vary"] = "Accept"
    if status == 200 and request.method in ("GET", "HEAD"):
        if_none = request.headers.get("if-none-match")
        if if_none is not None:
            if tag in [t.strip() for t in if_none.split(",")] or if_none.strip() == "*":
                return Response(status_code=304, headers=headers)
        elif since := request.headers.get("if-modified-since"):
            try:
                if parsedate_to_datetime(since) >= site.last_modified:
                    return Response(status_code=304, headers=headers)
            except (TypeError, ValueError):
                pass
    if media_type.startswith("text/") or media_type.endswith(("json", "xml")):
        media_type += "; charset=utf-8"
    return Response(body, status_code=status, media_type=media_type, headers=headers)


def error_page(request: Request, site: Site, status: int, reason: str, message: str) -> Response:
    if "text/html" in request.headers.get("accept", ""):
        body = site.render("error.html", status=status, reason=reason, message=message)
        return Response(body, status_code=status, media_type="text/html; charset=utf-8")
    return PlainTextResponse(f"{status} {reason}: {message}\n", status_code=status)


# --- routes ---------------------------------------------------------------------------------------

Handler = Callable[[Request], Awaitable[Response]]


def _site(request: Request) -> Site:
    site: Site = request.app.state.site
    return site


async def home(request: Request) -> Response:
    site = _site(request)
    return cacheable(request, site, _home(site), "text/html")


@lru_cache(maxsize=1)
def _home(site: Site) -> bytes:
    return site.render("home.html", counts=site.catalog.counts())


async def healthz(request: Request) -> Response:
    site = _site(request)
    return JSONResponse({"status": "ok", "version": site.info["version"], "release": site.key})


async def overview(request: Request) -> Response:
    site = _site(request)
    return cacheable(request, site, _overview(site), "text/html")


@lru_cache(maxsize=1)
def _overview(site: Site) -> bytes:
    from ..query import ask

    questions = load_questions()
    sections = []
    for section in OVERVIEW:
        question = questions[section.question]
        answer = ask(question, site.engine(), dict(section.params))
        rows = [[site.cell(c) for c in row] for row in answer.rows]
        sections.append(
            {
                "anchor": section.anchor,
                "title": section.title,
                "name": section.question,
                "question": question.question,
                "columns": answer.columns,
                "rows": rows,
            }
        )
    card = site.catalog.card(str(OMS))
    return site.render(
        "overview.html",
        subject=site.info["subject"],
        definition=card.definition if card else "",
        sections=sections,
    )


async def entity(request: Request) -> Response:
    """An IRI omsgraph mints, at its path; or the ontology/version IRI; or a release file."""
    site = _site(request)
    path = request.path_params["path"]
    iri = "https://w3id.org/omsgraph/" + path
    if site.catalog.knows(iri) and path != "omsgraph.owl":
        return _entity_response(request, site, iri)
    files = site.downloads()
    if path in files:
        return _file(request, site, files[path])
    version = site.info["version"]
    if path.startswith(f"releases/{version}/") and path.rsplit("/", 1)[1] in files:
        return _file(request, site, files[path.rsplit("/", 1)[1]])
    return error_page(request, site, 404, "Not Found", f"{iri} is not in release {version}.")


async def term(request: Request) -> Response:
    """A reused term (MONDO, HPO, ChEBI...) by CURIE, or by ?iri=; a code redirects to its entity."""
    site = _site(request)
    key = request.path_params.get("curie") or request.query_params.get("iri", "")
    found = site.catalog.resolve(key)
    if found is None:
        return error_page(
            request, site, 404, "Not Found", f"{key!r} names no entity of this release; try the search."
        )
    target = page_path(str(found))
    if target != request.url.path and not (request.url.path == "/term/" and "iri=" in target):
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(target + query, status_code=303)
    return _entity_response(request, site, str(found))


async def lookup(request: Request) -> Response:
    site = _site(request)
    key = request.query_params.get("id", "")
    found = site.catalog.resolve(key)
    if found is None:
        return error_page(
            request, site, 404, "Not Found", f"{key!r} is no identifier or code known to this release."
        )
    return RedirectResponse(page_path(str(found)), status_code=303)


def _entity_response(request: Request, site: Site, iri: str) -> Response:
    rep = choose(ENTITY_REPRESENTATIONS, request.headers.get("accept"), request.query_params.get("format"))
    if rep is None:
        offered = ", ".join(r.media_type for r in ENTITY_REPRESENTATIONS)
        return PlainTextResponse(
            f"406 Not Acceptable: this resource is offered as {offered}\n", status_code=406
        )
    body = _entity_body(site, iri, rep.name)
    return cacheable(request, site, body, rep.media_type, vary=True)


@lru_cache(maxsize=PAGE_CACHE_SIZE)
def _entity_body(site: Site, iri: str, rep_name: str) -> bytes:
    path = page_path(iri)
    if rep_name != HTML.name:
        rep = next(r for r in RDF_REPRESENTATIONS if r.name == rep_name)
        data = site.catalog.describe(iri).serialize(format=rep.rdflib_format, encoding="utf-8")
        return data if isinstance(data, bytes) else data.encode()
    card = site.catalog.card(iri)
    sep = "&" if "?" in path else "?"
    alternates = [
        {"name": r.name, "media": r.media_type, "href": f"{path}{sep}format={r.name}"}
        for r in RDF_REPRESENTATIONS
    ]
    clinical = bool(card and card.kind == "class")
    return site.render(
        "entity.html", card=card, alternates=alternates, overview=iri == str(OMS), show_notice=clinical
    )


def _file(request: Request, site: Site, download: Download) -> Response:
    media = {
        ".owl": "application/rdf+xml",
        ".ttl": "text/turtle",
        ".jsonld": "application/ld+json",
        ".nt": "application/n-triples",
        ".tsv": "text/tab-separated-values",
    }.get(Path(download.name).suffix, "application/octet-stream")
    return cacheable(request, site, download.data, media)


async def download_page(request: Request) -> Response:
    site = _site(request)
    files = [
        {"name": d.name, "description": d.description, "size": len(d.data), "sha256": d.sha256}
        for d in site.downloads().values()
    ]
    return cacheable(request, site, site.render("downloads.html", files=files), "text/html")


async def download_file(request: Request) -> Response:
    site = _site(request)
    name = request.path_params["name"]
    files = site.downloads()
    if name == "SHA256SUMS":
        body = "".join(f"{d.sha256}  {d.name}\n" for d in files.values()).encode()
        return cacheable(request, site, body, "text/plain")
    if name not in files:
        return error_page(request, site, 404, "Not Found", f"no file {name!r}; see /downloads")
    return _file(request, site, files[name])


def _limit(request: Request, default: int = 10, cap: int = 50) -> int:
    try:
        return max(1, min(cap, int(request.query_params.get("limit", default))))
    except ValueError:
        return default


async def api_search(request: Request) -> Response:
    site = _site(request)
    q = request.query_params.get("q", "")[:200]
    hits = site.catalog.search(q, _limit(request))
    payload = {
        "query": q,
        "results": [
            {
                "iri": h.ref.iri,
                "curie": h.ref.curie,
                "label": h.ref.label,
                "path": h.ref.path,
                "matched": h.matched,
                "field": h.field,
                "score": h.score,
            }
            for h in hits
        ],
    }
    import json

    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    return cacheable(request, site, body, "application/json")


async def search_page(request: Request) -> Response:
    site = _site(request)
    q = request.query_params.get("q", "")[:200]
    hits = site.catalog.search(q, _limit(request, 25, 100)) if q.strip() else []
    return cacheable(request, site, site.render("search.html", query=q, hits=hits), "text/html")


def routes() -> list[Route | Mount]:
    from .sparql_routes import sparql

    return [
        Route("/", home),
        Route("/healthz", healthz),
        Route("/oms", overview),
        Route("/search", search_page),
        Route("/api/search", api_search),
        Route("/lookup", lookup),
        Route("/downloads", download_page),
        Route("/downloads/{name}", download_file),
        Route("/sparql", sparql, methods=["GET", "POST", "HEAD"]),
        Route("/term/", term),
        Route("/term/{curie:path}", term),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        Route("/{path:path}", entity),
    ]


def warm(site: Site) -> None:
    """Prepare the slow pages (the overview runs the questions, downloads builds the exports)."""
    try:
        _overview(site)
        site.downloads()
    except Exception:
        log.exception("could not prepare the overview and downloads pages")


def create_app(settings: Settings | None = None) -> Starlette:
    """The ASGI application over the release (loaded now, read-only)."""
    site = Site(settings or Settings())
    app = Starlette(
        routes=routes(),
        middleware=[
            Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "HEAD"]),
            Middleware(GZipMiddleware, minimum_size=800),
        ],
        exception_handlers={404: _not_found, 405: _not_allowed, OmsgraphError: _unavailable},
    )
    app.state.site = site
    return app


async def _not_found(request: Request, exc: Exception) -> Response:
    return error_page(request, _site(request), 404, "Not Found", f"nothing at {request.url.path}")


async def _unavailable(request: Request, exc: Exception) -> Response:
    """A library error while preparing a page (e.g. the query store cannot be opened): 503, not 500."""
    log.error("%s: %s", request.url.path, exc)
    return PlainTextResponse(f"503 Service Unavailable: {exc}\n", status_code=503)


async def _not_allowed(request: Request, exc: Exception) -> Response:
    return PlainTextResponse("405 Method Not Allowed: use GET\n", status_code=405)
