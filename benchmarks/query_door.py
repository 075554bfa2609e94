"""Benchmark: what the query door costs. Each competency question answered in-process on the
on-disk store (pyoxigraph, read-only) against the same question through a QueryRunner worker (pipe
round trip, row conversion, the lexical scan), side by side in one run. Prints a Markdown table;
writes nothing unless --output is given.
    .venv/bin/python benchmarks/query_door.py [--repeat N] [--output benchmarks/query_door.md]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from omsgraph.query import load_questions
from omsgraph.sparql import Limits, QueryRunner, inspect
from omsgraph.store import OxigraphEngine


def timed_side_by_side(fns: list[Callable[[], object]], repeat: int) -> list[float]:
    """The median time of each function, run in turns so that a busy machine slows them alike."""
    samples: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for fn, times in zip(fns, samples, strict=True):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return [statistics.median(times) for times in samples]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()
    engine = OxigraphEngine.open()
    assert engine.path is not None
    questions = load_questions()
    rows = []
    start = time.perf_counter()
    with QueryRunner(engine.path, workers=1, limits=Limits()) as runner:
        runner.run("ASK {}")
        startup = time.perf_counter() - start
        for name, question in questions.items():
            text = question.bind({})

            def in_process(text: str = text) -> object:
                result = engine.store.query(text, use_default_graph_as_union=True)
                return [tuple(s) for s in result]

            def through_door(text: str = text) -> object:
                return runner.run(text)

            def scan_only(text: str = text) -> object:
                return inspect(text)

            direct, door, scan = timed_side_by_side([in_process, through_door, scan_only], args.repeat)
            rows.append((name, direct * 1000, door * 1000, scan * 1000))
        trivial_direct, trivial_door = timed_side_by_side(
            [lambda: engine.store.query("ASK {}"), lambda: runner.run("ASK {}")], args.repeat * 10
        )
    overhead = [d - i for _, i, d, _ in rows]
    lines = [
        f"Query door overhead ({platform.machine()}, {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.1f} at the end, Python {platform.python_version()}, "
        f"{len(rows)} questions, median of {args.repeat} runs each; worker start-up {startup * 1000:.0f} ms)",
        "",
        "| question | in-process ms | through a worker ms | ratio | lexical scan ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, direct, door, scan in rows:
        lines.append(f"| `{name}` | {direct:.2f} | {door:.2f} | {door / direct:.2f} | {scan:.3f} |")
    lines += [
        "",
        f"Median in-process {statistics.median(r[1] for r in rows):.2f} ms, through a worker "
        f"{statistics.median(r[2] for r in rows):.2f} ms; median overhead per query "
        f"{statistics.median(overhead):.2f} ms. The round trip alone (`ASK {{}}`): "
        f"{trivial_door * 1000:.3f} ms through a worker, {trivial_direct * 1000:.3f} ms in-process.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.output:
        args.output.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
