"""The workload registry of the benchmark runner.

A *workload* is something omsgraph does (validate case records, answer the competency questions...),
measured at one or more sizes; each of its *engines* is omsgraph or a peer a user could pick instead.
An engine's ``prepare(size, data)`` does the untimed set-up (writing input files, loading a store,
starting a server) in a scratch folder ``data`` shared by the run, and returns the timed call, which
returns a short summary of its result (a count of violations, of rows...) so that the report can show
that the engines agree. ``available()`` returns ``None`` when the engine can run here, else why not.

Adding a workload (the server and case workloads, later):

    from benchmarks.registry import Engine, workload

    @workload("name", "what it measures", sizes=(1_000, 10_000), smoke=100, unit="records")
    def _engines() -> list[Engine]:
        return [Engine("omsgraph", prepare_omsgraph), Engine("peer", prepare_peer, available=peer_here)]

and import the module in ``benchmarks/workloads.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

Timed = Callable[[], object]


def _always() -> str | None:
    return None


@dataclass(frozen=True)
class Engine:
    name: str
    prepare: Callable[[int, Path], Timed]
    available: Callable[[], str | None] = _always
    note: str = ""  # what the time includes, for the report

    @property
    def is_omsgraph(self) -> bool:
        return self.name == "omsgraph"


@dataclass(frozen=True)
class Workload:
    name: str
    title: str
    engines: Callable[[], list[Engine]]
    sizes: tuple[int, ...] = (1,)
    smoke: int = 1  # the smallest size, for the CI smoke run
    unit: str = ""  # what a size counts ("case records"); empty for a fixed input
    notes: list[str] = field(default_factory=list)


WORKLOADS: dict[str, Workload] = {}


def workload(
    name: str, title: str, *, sizes: tuple[int, ...] = (1,), smoke: int = 1, unit: str = ""
) -> Callable[[Callable[[], list[Engine]]], Callable[[], list[Engine]]]:
    """Register a workload; the decorated function lists its engines (omsgraph first)."""

    def register(engines: Callable[[], list[Engine]]) -> Callable[[], list[Engine]]:
        WORKLOADS[name] = Workload(name, title, engines, sizes, smoke, unit)
        return engines

    return register
