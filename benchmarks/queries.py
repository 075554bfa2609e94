"""Benchmark: competency questions on the embedded Oxigraph store vs rdflib's SPARQL engine.

Runs both engines side by side in one process over the same dataset (the release plus its derived
graphs) and prints the table with ratios; with ``--write`` it also rewrites benchmarks/queries.md and
benchmarks/queries.svg (a plot), the tracked copies, which it never touches unless asked.
    .venv/bin/python benchmarks/queries.py [--repeat N] [--write]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import tempfile
import time
from pathlib import Path

from omsgraph.query import ask, load_questions
from omsgraph.release import load_release
from omsgraph.store import OxigraphEngine, RdflibEngine, dataset_nquads

HERE = Path(__file__).parent


def timed(fn: object, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=21, help="runs per question on Oxigraph")
    parser.add_argument("--rdflib-repeat", type=int, default=3, help="runs per question on rdflib")
    parser.add_argument(
        "--write", action="store_true", help="rewrite benchmarks/queries.md and queries.svg (tracked files)"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as cache:
        start = time.perf_counter()
        OxigraphEngine.open(cache=Path(cache))
        cold = time.perf_counter() - start
        warm = timed(lambda: OxigraphEngine.open(cache=Path(cache)), 5)
        start = time.perf_counter()
        rdflib_engine = RdflibEngine()
        rdflib_start = time.perf_counter() - start
    oxigraph = OxigraphEngine.in_memory(dataset_nquads(load_release()))
    triples = len(oxigraph.store)

    rows = []
    for name, question in load_questions().items():
        ask(question, oxigraph)  # warm-up
        ox = timed(lambda q=question: ask(q, oxigraph), args.repeat)
        rl = timed(lambda q=question: ask(q, rdflib_engine), args.rdflib_repeat)
        rows.append((name, ox * 1000, rl * 1000, rl / ox))

    ox_all = statistics.median(r[1] for r in rows)
    rl_all = statistics.median(r[2] for r in rows)
    ratio_all = statistics.median(r[3] for r in rows)
    lines = [
        "# Competency questions: Oxigraph (embedded) vs rdflib",
        "",
        f"Machine: {platform.machine()}, {platform.system()} {platform.release()}, Python "
        f"{platform.python_version()}; dataset of {triples} quads (release + derived graphs); median of "
        f"{args.repeat} runs on Oxigraph and {args.rdflib_repeat} on rdflib, same process, same data.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| store start-up, cold (derive graphs, bulk-load, persist) | {cold * 1000:.0f} ms |",
        f"| store start-up, warm (open the cached store) | {warm * 1000:.1f} ms |",
        f"| rdflib start-up (parse release, derive graphs) | {rdflib_start * 1000:.0f} ms |",
        f"| median latency per question, Oxigraph | {ox_all:.2f} ms |",
        f"| median latency per question, rdflib | {rl_all:.1f} ms |",
        f"| median speed-up (per-question ratio rdflib / Oxigraph) | {ratio_all:.0f}x |",
        "",
        "![latency per question](queries.svg)",
        "",
        "| question | Oxigraph (ms) | rdflib (ms) | rdflib / Oxigraph |",
        "|---|---:|---:|---:|",
    ]
    lines += [f"| `{n}` | {o:.2f} | {r:.1f} | {x:.0f}x |" for n, o, r, x in rows]
    print("\n".join(lines))
    if args.write:
        (HERE / "queries.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (HERE / "queries.svg").write_text(svg(rows), encoding="utf-8")
    print("\n".join(lines[:14]))


def svg(rows: list[tuple[str, float, float, float]]) -> str:
    """A horizontal bar chart on a log scale, two bars per question."""
    import math

    width, left, bar, gap = 900, 210, 7, 6
    height = 40 + len(rows) * (2 * bar + gap) + 30
    low, high = 0.01, max(r[2] for r in rows) * 1.5

    def x(ms: float) -> float:
        return left + (width - left - 20) * (math.log10(max(ms, low)) - math.log10(low)) / (
            math.log10(high) - math.log10(low)
        )

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" '
        'font-size="11">',
        '<rect width="100%" height="100%" fill="white"/>',
        f'<text x="{left}" y="16" font-size="13">Median latency per question (ms, log scale): '
        '<tspan fill="#1f77b4">Oxigraph</tspan> vs <tspan fill="#d62728">rdflib</tspan></text>',
    ]
    for tick in (0.01, 0.1, 1, 10, 100, 1000, 10000):
        if tick <= high:
            parts.append(
                f'<line x1="{x(tick):.1f}" y1="28" x2="{x(tick):.1f}" y2="{height - 25}" stroke="#ddd"/>'
            )
            parts.append(f'<text x="{x(tick):.1f}" y="{height - 10}" text-anchor="middle">{tick:g}</text>')
    y = 34
    for name, ox, rl, _ in rows:
        parts.append(f'<text x="{left - 6}" y="{y + bar + 3}" text-anchor="end">{name}</text>')
        parts.append(f'<rect x="{left}" y="{y}" width="{x(ox) - left:.1f}" height="{bar}" fill="#1f77b4"/>')
        parts.append(
            f'<rect x="{left}" y="{y + bar}" width="{x(rl) - left:.1f}" height="{bar}" fill="#d62728"/>'
        )
        y += 2 * bar + gap
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    main()
