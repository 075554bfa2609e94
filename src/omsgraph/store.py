"""Query engines over the release: embedded Oxigraph (default, cached on disk), rdflib, or any
SPARQL 1.1 endpoint. The embedded engines hold the release file as it is, in the default graph:
nothing is derived inside the process, so every query answers the same in any other store."""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from rdflib import BNode, Graph, Literal, URIRef

from . import resources
from .build import RELEASE_OWL
from .errors import BadInputError
from .release import load_release, warn_if_stale
from .serialize import to_ntriples
from .vocab import contract

log = logging.getLogger(__name__)
DERIVATION_VERSION = "2"  # bump when what the store loads changes, to invalidate caches


@dataclass(frozen=True)
class Answer:
    columns: tuple[str, ...]
    rows: list[tuple[str, ...]]


class Engine(Protocol):
    name: str

    def select(self, sparql: str) -> Answer: ...


def _text(value: Any) -> str:
    """One cell: IRIs as CURIEs where a prefix is known, literals by their lexical form."""
    if value is None:
        return ""
    if isinstance(value, URIRef):
        return contract(str(value))
    if isinstance(value, BNode):
        return "_:" + str(value)
    if isinstance(value, Literal):
        return str(value)
    kind = type(value).__name__  # pyoxigraph terms
    if kind == "NamedNode":
        return contract(str(value.value))
    if kind == "BlankNode":
        return "_:" + str(value.value)
    return str(value.value)


def cache_root() -> Path:
    if env := os.environ.get("OMSGRAPH_CACHE"):
        return Path(env)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "omsgraph"


def dataset_nquads(release: Path | Graph) -> bytes:
    """The release (file or parsed graph) as N-Quads of the default graph: its triples, nothing added."""
    graph = release if isinstance(release, Graph) else load_release(release)
    return to_ntriples(graph, canonical_input=True)  # blank-node labels need not be stable here


class OxigraphEngine:
    """pyoxigraph, loaded from the release and kept on disk; reused while the release is unchanged."""

    name = "oxigraph"

    def __init__(self, store: Any, path: Path | None = None) -> None:
        self.store = store
        self.path = path

    @classmethod
    def open(cls, release: Path | None = None, cache: Path | None = None) -> OxigraphEngine:
        import pyoxigraph as ox

        source = release or resources.ontology_dir() / RELEASE_OWL
        if release is None:
            warn_if_stale()
        try:
            data = source.read_bytes()
        except OSError as exc:
            raise BadInputError(f"cannot read {str(source)!r}: {exc.strerror}; run `omsgraph build`") from exc
        key = hashlib.sha256(data + DERIVATION_VERSION.encode()).hexdigest()[:20]
        root = cache or cache_root()
        path = root / f"store-{key}"
        if not (path / "COMPLETE").is_file():
            start = time.perf_counter()
            try:
                root.mkdir(parents=True, exist_ok=True)
                tmp = Path(tempfile.mkdtemp(dir=root, prefix=".store-"))
            except OSError as exc:
                raise BadInputError(
                    f"the query store cache {str(root)!r} is unusable ({exc.strerror}); point "
                    "OMSGRAPH_CACHE at a writable folder, or unset it"
                ) from exc
            try:
                store = ox.Store(str(tmp))
                store.bulk_load(dataset_nquads(source), format=ox.RdfFormat.N_QUADS)
                store.flush()
                del store
                (tmp / "COMPLETE").write_text(str(source), encoding="utf-8")
                try:
                    tmp.rename(path)
                except OSError:  # another process built it first
                    shutil.rmtree(tmp, ignore_errors=True)
            except BaseException:
                shutil.rmtree(tmp, ignore_errors=True)
                raise
            for old in root.glob("store-*"):
                if old != path:
                    shutil.rmtree(old, ignore_errors=True)
            log.info("built the query store %s in %.2f s", path, time.perf_counter() - start)
        return cls(ox.Store.read_only(str(path)), path)

    @classmethod
    def in_memory(cls, nquads: bytes) -> OxigraphEngine:
        import pyoxigraph as ox

        store = ox.Store()
        store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
        return cls(store)

    def select(self, sparql: str) -> Answer:
        try:
            result = self.store.query(sparql, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise BadInputError(f"the query is not valid SPARQL: {exc}; fix the query") from exc
        columns = tuple(v.value for v in result.variables)
        rows = [tuple(_text(solution[c]) for c in columns) for solution in result]
        return Answer(columns, rows)


class RdflibEngine:
    """rdflib's own SPARQL engine over the same release graph: slower, for comparison."""

    name = "rdflib"

    def __init__(self, release: Path | None = None) -> None:
        self.dataset = load_release(release)

    def select(self, sparql: str) -> Answer:
        try:
            result = self.dataset.query(sparql)
        except Exception as exc:  # pyparsing raises its own exception types
            raise BadInputError(f"the query is not valid SPARQL: {exc}; fix the query") from exc
        columns = tuple(str(v) for v in (result.vars or []))
        rows = [tuple(_text(getattr(row, c, None)) for c in columns) for row in result]
        return Answer(columns, rows)


class EndpointEngine:
    """Any SPARQL 1.1 endpoint, over the SPARQL protocol (POST, JSON results)."""

    name = "endpoint"

    def __init__(self, url: str, timeout: float = 60) -> None:
        if urllib.parse.urlparse(url).scheme not in ("http", "https"):
            raise BadInputError(
                f"endpoint {url!r} is not an http(s) URL; give e.g. http://127.0.0.1:7878/query"
            )
        self.url = url
        self.timeout = timeout

    def select(self, sparql: str) -> Answer:
        from .sparql import Limits, run_endpoint, to_answer  # sparql imports this module: import here

        return to_answer(run_endpoint(self.url, sparql, Limits(timeout=self.timeout)))


def get_engine(name: str = "oxigraph", endpoint: str | None = None) -> Engine:
    if endpoint:
        return EndpointEngine(endpoint)
    if name == "oxigraph":
        return OxigraphEngine.open()
    if name == "rdflib":
        return RdflibEngine()
    raise BadInputError(f"unknown engine {name!r}; use oxigraph or rdflib")
