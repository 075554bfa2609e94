"""The query worker: a separate process that opens the store read-only and answers queries, one at a
time, over a pipe. Run as a script (``python worker.py ENGINE SOURCE READ_FD WRITE_FD``) by the
runner, never imported: the oxigraph worker loads only pyoxigraph and ``formats.py``, so it starts in
milliseconds. A parser crash or a runaway query kills this process only; the runner replaces it.

Requests are ``(text, max_rows, fmt, prefixes, allow_service, max_memory_mb)``; replies are
``("ready", engine)``,
``("result", kind, columns, rows, boolean, graph, truncated)``, ``("bytes", data, truncated)`` or
``("error", what, message)``. Only plain Python values cross the pipe.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path
from types import ModuleType
from typing import Any

STACK_BYTES = 512 * 1024 * 1024  # the query thread's stack: deep but valid queries parse in it
RECURSION_LIMIT = 200_000  # rdflib's parser recurses ~40 frames per level of nesting


def _load_formats() -> ModuleType:
    path = Path(__file__).with_name("formats.py")
    spec = importlib.util.spec_from_file_location("omsgraph_worker_formats", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being created
    spec.loader.exec_module(module)
    return module


def _address_space() -> int:
    """This process's virtual memory in bytes (0 where /proc is not there)."""
    try:
        with Path("/proc/self/status").open(encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def _limit_memory(baseline: int, megabytes: int) -> None:
    """Bound the address space of this process to what it used when ready plus what a query may take,
    so that a query needing more fails instead of the machine."""
    import resource

    if not baseline:
        return
    wanted = baseline + megabytes * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))


def _watch_parent(parent: int) -> None:
    while True:  # exit when the runner is gone, even in the middle of a query
        if os.getppid() != parent:
            os._exit(0)
        time.sleep(0.5)


class _Oxigraph:
    def __init__(self, source: str) -> None:
        import pyoxigraph as ox

        self.ox = ox
        self.store = ox.Store.read_only(source)

    def cell(self, term: Any) -> tuple[str, str, str | None, str | None] | None:
        ox = self.ox
        if term is None:
            return None
        if isinstance(term, ox.NamedNode):
            return ("uri", term.value, None, None)
        if isinstance(term, ox.BlankNode):
            return ("bnode", term.value, None, None)
        if isinstance(term, ox.Literal):
            return ("literal", term.value, term.datatype.value, term.language)
        return ("literal", str(term), None, None)  # an RDF-star triple term, shown as text

    def run(self, text: str, max_rows: int, allow_service: bool) -> tuple[Any, ...]:
        ox = self.ox
        result = self.store.query(text, use_default_graph_as_union=True)
        if isinstance(result, ox.QueryBoolean):
            return ("ASK", (), [], bool(result), None, False)
        if isinstance(result, ox.QuerySolutions):
            columns = tuple(v.value for v in result.variables)
            rows: list[tuple[Any, ...]] = []
            truncated = False
            for solution in result:
                if len(rows) == max_rows:
                    truncated = True
                    break
                rows.append(tuple(self.cell(solution[c]) for c in columns))
            return ("SELECT", columns, rows, None, None, truncated)
        triples: list[Any] = []
        truncated = False
        for triple in result:  # type: ignore[union-attr]
            if len(triples) == max_rows:
                truncated = True
                break
            triples.append(triple)
        data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        return ("GRAPH", (), [], None, data, truncated)


class _Rdflib:
    def __init__(self, source: str) -> None:
        import rdflib.plugins.sparql

        rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False  # FROM <url> never fetches anything
        from omsgraph.store import RdflibEngine

        self.dataset = RdflibEngine(Path(source) if source else None).dataset

    @staticmethod
    def cell(term: Any) -> tuple[str, str, str | None, str | None] | None:
        from rdflib import BNode, Literal, URIRef

        if term is None:
            return None
        if isinstance(term, URIRef):
            return ("uri", str(term), None, None)
        if isinstance(term, BNode):
            return ("bnode", str(term), None, None)
        if isinstance(term, Literal):
            if term.language:
                return (
                    "literal",
                    str(term),
                    "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString",
                    term.language,
                )
            datatype = str(term.datatype) if term.datatype else "http://www.w3.org/2001/XMLSchema#string"
            return ("literal", str(term), datatype, None)
        return ("literal", str(term), None, None)

    def run(self, text: str, max_rows: int, allow_service: bool) -> tuple[Any, ...]:
        from rdflib import Graph
        from rdflib.plugins.sparql import prepareQuery
        from rdflib.plugins.sparql.algebra import traverse

        query = prepareQuery(text)
        if not allow_service:  # second line of defence behind the lexical scan

            def refuse(node: Any) -> None:
                if getattr(node, "name", None) == "ServiceGraphPattern":
                    raise PermissionError("SERVICE is refused: it would make the query engine connect out")

            traverse(query.algebra, visitPost=refuse)
        result = self.dataset.query(query)
        if result.type == "ASK":
            return ("ASK", (), [], bool(result.askAnswer), None, False)
        if result.type == "SELECT":
            columns = tuple(str(v) for v in (result.vars or []))
            rows: list[tuple[Any, ...]] = []
            truncated = False
            for row in result:
                if len(rows) == max_rows:
                    truncated = True
                    break
                rows.append(tuple(self.cell(row[i]) for i in range(len(columns))))  # type: ignore[index]
            return ("SELECT", columns, rows, None, None, truncated)
        graph, truncated = Graph(), False
        for triple in result:
            if len(graph) == max_rows:
                truncated = True
                break
            graph.add(triple)  # type: ignore[arg-type]
        data = graph.serialize(format="nt", encoding="utf-8")
        return ("GRAPH", (), [], None, bytes(data), truncated)


def serve(engine: str, source: str, requests: Connection, replies: Connection) -> None:
    formats = _load_formats()
    try:
        backend: _Oxigraph | _Rdflib = _Oxigraph(source) if engine == "oxigraph" else _Rdflib(source)
    except Exception as exc:
        replies.send(("error", "startup", f"{type(exc).__name__}: {exc}"))
        return
    baseline = _address_space()
    replies.send(("ready", engine))
    while True:
        try:
            request = requests.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        text, max_rows, fmt, prefixes, allow_service, max_memory_mb = request
        _limit_memory(baseline, max_memory_mb)
        try:
            kind, columns, rows, boolean, graph, truncated = backend.run(text, max_rows, allow_service)
        except SyntaxError as exc:
            replies.send(("error", "syntax", str(exc)))
            continue
        except PermissionError as exc:
            replies.send(("error", "refused", str(exc)))
            continue
        except MemoryError:
            replies.send(("error", "memory", f"the query needs more than {max_memory_mb} MB of memory"))
            continue
        except RecursionError:
            replies.send(("error", "syntax", "the query is nested too deeply for the parser"))
            continue
        except Exception as exc:
            what = "syntax" if "pars" in type(exc).__module__ + type(exc).__name__.lower() else "engine"
            replies.send(("error", what, f"{exc}".splitlines()[0] if str(exc) else type(exc).__name__))
            continue
        if kind == "GRAPH":
            kind = "CONSTRUCT"
        if fmt is None:
            replies.send(("result", kind, columns, rows, boolean, graph, truncated))
        elif graph is not None:
            replies.send(("bytes", formats.serialize_graph(graph, fmt, prefixes), truncated))
        else:
            replies.send(("bytes", formats.serialize_solutions(kind, columns, rows, boolean, fmt), truncated))


def main(argv: list[str]) -> None:
    engine, source, read_fd, write_fd = argv
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()
    requests = Connection(int(read_fd), writable=False)
    replies = Connection(int(write_fd), readable=False)
    sys.setrecursionlimit(RECURSION_LIMIT)
    threading.stack_size(STACK_BYTES)
    worker = threading.Thread(target=serve, args=(engine, source, requests, replies))
    worker.start()
    worker.join()


if __name__ == "__main__":
    if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
        del sys.path[0]  # never import this folder's files as top-level modules
    main(sys.argv[1:])
