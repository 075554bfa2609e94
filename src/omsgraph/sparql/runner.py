"""QueryRunner: a pool of worker processes, each with the store open read-only, that answers queries
under a wall-clock deadline. A worker that overruns is killed (by its PID) and replaced; one that
crashes (a parser overflowing its stack) is replaced and the query reported as a clear error.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import re
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path
from types import TracebackType
from typing import Any

from ..errors import BadInputError, OmsgraphError
from ..vocab import PREFIXES
from .formats import GRAPH_MEDIA_TYPES, RESULT_MEDIA_TYPES, QueryResult, Term
from .scan import Limits, QueryRefused, QueryTimeout, inspect

log = logging.getLogger(__name__)
WORKER = Path(__file__).with_name("worker.py")
STARTUP_SECONDS = 300.0  # the rdflib worker parses the release first; oxigraph starts in ~0.1 s


class _WorkerGoneError(Exception):
    """The worker's pipe was closed before the query was sent: it had died while idle."""


class _Worker:
    """One worker process and its two pipe ends."""

    def __init__(self, engine: str, source: str) -> None:
        request_read, request_write = os.pipe()
        reply_read, reply_write = os.pipe()
        try:
            self.process = subprocess.Popen(
                [sys.executable, str(WORKER), engine, source, str(request_read), str(reply_write)],
                pass_fds=(request_read, reply_write),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        finally:
            os.close(request_read)
            os.close(reply_write)
        self.requests = Connection(request_write, readable=False)
        self.replies = Connection(reply_read, writable=False)
        self.ready = False

    def receive(self, seconds: float) -> Any:
        """The next reply; None when the deadline passed; raises EOFError when the worker died."""
        if not self.replies.poll(max(0.0, seconds)):
            return None
        return self.replies.recv()

    def stop(self, kill: bool) -> None:
        if kill:
            self.process.kill()
        else:
            with contextlib.suppress(OSError):
                self.requests.send(None)
        try:
            self.process.wait(timeout=None if kill else 2)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.requests.close()
        self.replies.close()

    def died(self) -> str:
        code = self.process.wait()
        return f"signal {-code}" if code < 0 else f"exit code {code}"


_POSITION = re.compile(r"\berror at (\d+):(\d+)")


def _one_line(message: str, text: str) -> str:
    """An engine's message on one short line, with the query text where a parser pointed."""
    message = " ".join(message.split())
    if "Prefix not found" in message and (where := _POSITION.search(message)):
        message = f"{where[0]}: a prefix is used without its PREFIX declaration"
    if len(message) > 200:
        message = message[:160].rsplit(" ", 1)[0] + " (and more)"
    where = _POSITION.search(message)
    if where:
        line, column = int(where[1]), int(where[2])
        lines = text.splitlines()
        if 0 < line <= len(lines):
            near = lines[line - 1][max(0, column - 25) : column + 15].strip()
            message = message.replace(where[0], f"{where[0]} (near {near!r})", 1)
    return message


class QueryRunner:
    """Answers SPARQL queries over the store in ``workers`` processes; thread-safe.

    ``store_path`` is the on-disk Oxigraph store (``OxigraphEngine.open().path``). With
    ``engine="rdflib"`` each worker loads rdflib's engine from ``release`` (default: the project's).
    """

    def __init__(
        self,
        store_path: Path | None,
        workers: int = 1,
        limits: Limits = Limits(),  # noqa: B008 - Limits is frozen
        *,
        engine: str = "oxigraph",
        release: Path | None = None,
    ) -> None:
        if engine not in ("oxigraph", "rdflib"):
            raise BadInputError(f"unknown engine {engine!r}; use oxigraph or rdflib")
        if engine == "oxigraph" and store_path is None:
            raise BadInputError("the oxigraph engine needs the store path (OxigraphEngine.open().path)")
        self.engine = engine
        self.source = str(store_path) if engine == "oxigraph" else str(release or "")
        self.limits = limits
        self.size = max(1, workers)
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(self.size):
            self._add()

    def _add(self) -> None:
        worker = _Worker(self.engine, self.source)
        with self._lock:
            self._all.add(worker)
        self._idle.put(worker)

    def _replace(self, worker: _Worker, kill: bool) -> None:
        worker.stop(kill)
        with self._lock:
            self._all.discard(worker)
        if not self._closed:
            self._add()

    def _start(self, worker: _Worker) -> None:
        try:
            reply = worker.receive(STARTUP_SECONDS)
        except (EOFError, OSError):
            how = worker.died()
            self._replace(worker, kill=True)
            raise _WorkerGoneError(f"a worker stopped while starting ({how})") from None
        if reply is None:
            reply = ("error", "startup", f"the worker did not start within {STARTUP_SECONDS:.0f} s")
        if reply[0] != "ready":
            self._replace(worker, kill=True)
            raise OmsgraphError(f"cannot open the query store: {reply[2]}; run `omsgraph build` and retry")
        worker.ready = True

    def _call(self, text: str, limits: Limits, fmt: str | None) -> tuple[str, Any]:
        if self._closed:
            raise OmsgraphError("the query runner is closed")
        info = inspect(text, limits)
        gone = _WorkerGoneError("no worker")
        for _ in range(self.size + 1):  # a worker killed from outside while idle: try the next one
            try:
                return info.kind, self._ask_worker(text, limits, fmt)
            except _WorkerGoneError as exc:
                gone = exc
        raise OmsgraphError(f"the query workers keep stopping ({gone}); check the machine's memory and retry")

    def _ask_worker(self, text: str, limits: Limits, fmt: str | None) -> Any:
        try:  # waiting for a free worker counts against the same limit
            worker = self._idle.get(timeout=limits.timeout)
        except queue.Empty:
            raise QueryTimeout(
                f"all {self.size} query workers stayed busy for the time limit of {limits.timeout:g} s; "
                "retry later"
            ) from None
        if not worker.ready:
            try:
                self._start(worker)  # on failure it has replaced the worker itself
            except (OmsgraphError, _WorkerGoneError):
                raise
            except BaseException:
                self._replace(worker, kill=True)
                raise
        healthy = False
        try:
            prefixes = PREFIXES if fmt in ("turtle", "jsonld") else None
            request = (text, limits.max_rows, fmt, prefixes, limits.allow_service, limits.max_memory_mb)
            try:
                worker.requests.send(request)
            except OSError:
                raise _WorkerGoneError(f"a worker stopped while idle ({worker.died()})") from None
            try:
                reply = worker.receive(limits.timeout)
            except (EOFError, OSError):
                raise BadInputError(
                    f"the query engine crashed on this query ({worker.died()}): it is nested or chained "
                    f"too deeply for the parser, or needs more than {limits.max_memory_mb:,} MB; "
                    "simplify the query"
                ) from None
            if reply is None:
                raise QueryTimeout(
                    f"the query ran longer than the time limit of {limits.timeout:g} s and was stopped; "
                    "narrow the query, or raise the limit (--timeout)"
                )
            healthy = True
        finally:
            if healthy:
                self._idle.put(worker)
            else:  # timed out, crashed or interrupted: its state is unknown, so it goes
                self._replace(worker, kill=True)
        if reply[0] == "error":
            what, message = reply[1], _one_line(reply[2], text)
            if "without its PREFIX declaration" in message:
                raise BadInputError(
                    f"the query is not valid SPARQL: {message}; declare it, "
                    "e.g. PREFIX obo: <http://purl.obolibrary.org/obo/>"
                )
            if what == "refused":
                raise QueryRefused(message)
            if what == "memory":
                raise BadInputError(f"{message}; narrow the query (fewer rows to sort or group)")
            if what == "syntax":
                raise BadInputError(f"the query is not valid SPARQL: {message}; fix the query")
            raise BadInputError(f"the query failed: {message}")
        return reply

    def run(self, text: str, limits: Limits | None = None) -> QueryResult:
        """The answer to one query, or QueryRefused / QueryTimeout / BadInputError."""
        kind, reply = self._call(text, limits or self.limits, None)
        _, _, columns, rows, boolean, graph, truncated = reply
        return QueryResult(
            kind=kind,
            columns=tuple(columns),
            rows=[tuple(None if c is None else Term(*c) for c in row) for row in rows],
            boolean=boolean,
            graph=graph,
            truncated=truncated,
        )

    def run_serialized(self, text: str, media_type: str, limits: Limits | None = None) -> bytes:
        """The answer already serialized in media_type, by the worker (the fast path for HTTP)."""
        return self.run_serialized_info(text, media_type, limits)[0]

    def run_serialized_info(
        self, text: str, media_type: str, limits: Limits | None = None
    ) -> tuple[bytes, str, bool]:
        """(bytes, the media type actually used, truncated). A results media type asked of a
        CONSTRUCT/DESCRIBE query (or the reverse) falls back to the first of the right family."""
        info = inspect(text, limits or self.limits)
        graph = info.kind in ("CONSTRUCT", "DESCRIBE")
        family = GRAPH_MEDIA_TYPES if graph else RESULT_MEDIA_TYPES
        if media_type not in family:
            media_type = next(iter(family))
        _, reply = self._call(text, limits or self.limits, family[media_type])
        return reply[1], media_type, reply[2]

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.stop(kill=not worker.ready)

    def __enter__(self) -> QueryRunner:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __del__(self) -> None:
        if not getattr(self, "_closed", True):
            with contextlib.suppress(Exception):  # at interpreter exit, modules may be half gone
                self.close()


def open_runner(
    engine: str = "oxigraph",
    workers: int = 1,
    limits: Limits = Limits(),  # noqa: B008 - Limits is frozen
    release: Path | None = None,
) -> QueryRunner:
    """A runner over the project's release: the cached on-disk store for oxigraph (built when stale)."""
    if engine == "oxigraph":
        from ..store import OxigraphEngine

        opened = OxigraphEngine.open(release)
        path = opened.path
        del opened  # the workers open their own read-only handles
        return QueryRunner(path, workers, limits)
    return QueryRunner(None, workers, limits, engine=engine, release=release)


def wait_ready(runner: QueryRunner) -> float:
    """Start every worker now and return the seconds it took (for benchmarks and servers)."""
    start = time.perf_counter()
    for _ in range(runner.size):
        runner.run("ASK {}")
    return time.perf_counter() - start
