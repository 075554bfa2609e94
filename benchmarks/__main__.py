"""The benchmark runner: every workload at growing sizes, omsgraph and its peers side by side.

    .venv/bin/python -m benchmarks                      # everything; writes docs/benchmarks.md and plots
    .venv/bin/python -m benchmarks --smoke              # once, at the smallest sizes (what CI runs)
    .venv/bin/python -m benchmarks -w shacl-cases --sizes 1000 10000

Each (workload, engine, size) runs in a fresh Python process: untimed set-up, ``--warmup`` runs, then
``--runs`` timed runs (fewer when one run takes longer than ``--budget`` seconds / runs; the table
says how many ran), reporting the median, the spread (min-max) and the peak resident memory of the
process that did the work (the worker, the Java command, or the oxigraph server). Set-up of the peers:
see benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import workloads as _workloads  # noqa: E402,F401  (registers the workloads)
from benchmarks.registry import WORKLOADS  # noqa: E402

Row = dict[str, Any]


# --- the worker ------------------------------------------------------------------------------------


def _cpu(timed: object) -> float:
    """CPU seconds so far of this process, its finished children and the engine's server, if any."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    server = getattr(timed, "cpu_seconds", None)
    extra = server() if callable(server) else 0.0
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime + float(extra)


def work(name: str, engine_name: str, size: int, data: Path, runs: int, warmup: int, budget: float) -> Row:
    engine = next(e for e in WORKLOADS[name].engines() if e.name == engine_name)
    timed = engine.prepare(size, data)
    times: list[float] = []
    cpus: list[float] = []
    result = None

    def once() -> None:
        nonlocal result
        start, cpu = time.perf_counter(), _cpu(timed)
        result = timed()
        times.append(time.perf_counter() - start)
        cpus.append(_cpu(timed) - cpu)

    for _ in range(warmup):
        once()
    first = times[-1] if times else None
    if first is not None and budget > 0 and first * runs > budget:
        runs = int(budget / max(first, 1e-9))
    if runs or not times:  # when one run is over the budget, the warm-up run is the measurement
        del times[:], cpus[:]
    for _ in range(runs):
        once()
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    server = getattr(timed, "peak_rss_kb", None)
    rss = server() if callable(server) else (children if children > own / 4 else own)
    return {"times": times, "cpu": cpus, "result": str(result), "rss_kb": int(rss)}


# --- the runner ------------------------------------------------------------------------------------


def measure(name: str, engine: str, size: int, data: Path, args: argparse.Namespace) -> Row:
    command = [
        sys.executable,
        "-m",
        "benchmarks",
        "--worker",
        name,
        engine,
        str(size),
        "--data",
        str(data),
        "--runs",
        str(args.runs),
        "--warmup",
        str(args.warmup),
        "--budget",
        str(args.budget),
    ]
    out = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    if out.returncode != 0:
        tail = (out.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": tail[:200]}
    row: Row = json.loads(out.stdout.strip().splitlines()[-1])
    return row


def run_all(args: argparse.Namespace, save: Any = None) -> list[Row]:
    """Measure every cell; ``save(rows)`` after each, so that an interrupted run keeps what it did."""
    rows: list[Row] = []
    names = args.workloads or list(WORKLOADS)
    with tempfile.TemporaryDirectory(prefix="omsgraph-bench-") as tmp:
        data = Path(tmp)
        for name in names:
            load = WORKLOADS[name]
            sizes = (
                [load.smoke] if args.smoke else (args.sizes if args.sizes and load.unit else list(load.sizes))
            )
            for size in sizes:
                for engine in load.engines():
                    row: Row = {"workload": name, "engine": engine.name, "size": size, "note": engine.note}
                    missing = engine.available()
                    if missing:
                        row["missing"] = missing
                    else:
                        row.update(measure(name, engine.name, size, data, args))
                    rows.append(row)
                    print(_line(row), flush=True)
                    if save is not None:
                        save(rows)
    return rows


def _line(row: Row) -> str:
    what = f"{row['workload']} {row['engine']} {row['size']:,}"
    if "missing" in row:
        return f"{what}: not installed ({row['missing']})"
    if "error" in row:
        return f"{what}: FAILED ({row['error']})"
    median = statistics.median(row["times"])
    return f"{what}: {median:.3f} s, {row['rss_kb'] / 1024:.0f} MB, result {row['result']}"


# --- the report ------------------------------------------------------------------------------------


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _command(*cmd: str) -> str:
    if shutil.which(cmd[0]) is None and not Path(cmd[0]).is_file():
        return "not installed"
    out = subprocess.run(list(cmd), capture_output=True, text=True, check=False)
    return ((out.stdout + out.stderr).strip().splitlines() or ["?"])[0]


def machine() -> list[str]:
    cpu = platform.machine()
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    oxigraph = Path(sys.executable).parent / "oxigraph"
    jena = _command("dpkg-query", "-W", "-f=${Version}", "libapache-jena-java")
    server = _command(str(oxigraph), "--version") if oxigraph.is_file() else "not installed"
    versions = ", ".join(f"{p} {_version(p)}" for p in ("omsgraph", "pyoxigraph", "rdflib", "pyshacl"))
    return [
        f"- Machine: {cpu}, {os.cpu_count()} CPUs (shared){memory}, {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}; {versions}",
        f"- Java: {_command('java', '-version')}; Apache Jena: {jena} (Debian libapache-jena-java)",
        f"- oxigraph server: {server}",
    ]


def _fmt(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def report(rows: list[Row], args: argparse.Namespace, out: Path) -> str:
    lines = [
        "# Benchmarks",
        "",
        "Written by `python -m benchmarks` (see `benchmarks/README.md`); do not edit by hand.",
        f"Each cell: {args.warmup} warm-up run(s), then up to {args.runs} timed runs (fewer when a run takes "
        f"longer than {args.budget:g} s / runs); median wall time, spread (min-max), median CPU time "
        "(user + system, of the worker, the Java command or the server: on a shared machine the steadier "
        "measure), peak resident memory. Ratios: the engine's median over omsgraph's (above 1: omsgraph is "
        "faster).",
        "",
        *machine(),
        "",
    ]
    for name in dict.fromkeys(r["workload"] for r in rows):
        load = WORKLOADS[name]
        mine = [r for r in rows if r["workload"] == name]
        lines += [f"## {name}: {load.title}", ""]
        notes = dict.fromkeys(f"{r['engine']}: {r['note']}" for r in mine if r["note"])
        lines += [f"- {n}" for n in notes] + [""]
        size_head = load.unit or "input"
        lines += [
            f"| {size_head} | engine | median | spread | CPU per run | runs | peak RSS | result "
            "| ratio to omsgraph (time, CPU) |",
            "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for row in mine:
            size = f"{row['size']:,}" if load.unit else "the release"
            if "missing" in row or "error" in row:
                why = f"not installed: {row['missing']}" if "missing" in row else f"failed: {row['error']}"
                lines.append(f"| {size} | {row['engine']} | {why} | | | | | | |")
                continue
            median = statistics.median(row["times"])
            base = next(
                (r for r in mine if r["engine"] == "omsgraph" and r["size"] == row["size"] and "times" in r),
                None,
            )
            cpu = statistics.median(row["cpu"])
            ratio = (
                f"{median / statistics.median(base['times']):.2f}x, "
                f"{cpu / max(statistics.median(base['cpu']), 1e-9):.2f}x"
                if base
                else "-"
            )
            spread = f"{_fmt(min(row['times']))}-{_fmt(max(row['times']))}"
            lines.append(
                f"| {size} | {row['engine']} | {_fmt(median)} | {spread} | {_fmt(cpu)} | "
                f"{len(row['times'])} | {row['rss_kb'] / 1024:.0f} MB | {row['result']} | {ratio} |"
            )
        plot = plot_workload(name, mine, out)
        if plot:
            lines += ["", f"![{name}]({plot})"]
        lines.append("")
    return "\n".join(lines)


def plot_workload(name: str, rows: list[Row], out: Path) -> str | None:
    """A PNG of time against size (log axes), one line per engine; bars for a fixed input."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib missing (pip install -e '.[bench]'): no plots", file=sys.stderr)
        return None
    done = [r for r in rows if "times" in r]
    if not done:
        return None
    folder = out / "benchmarks"
    folder.mkdir(parents=True, exist_ok=True)
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    engines = list(dict.fromkeys(r["engine"] for r in done))
    for ax, measure, label in zip(axes, ("times", "cpu"), ("wall time", "CPU time"), strict=True):
        if WORKLOADS[name].unit and len({r["size"] for r in done}) > 1:
            for engine in engines:
                points = sorted(
                    (r["size"], statistics.median(r[measure])) for r in done if r["engine"] == engine
                )
                ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=engine)
            ax.set_xscale("log")
            ax.set_xlabel(WORKLOADS[name].unit)
            ax.legend()
        else:
            medians = [statistics.median(next(r for r in done if r["engine"] == e)[measure]) for e in engines]
            ax.bar(engines, medians, color=["#1f77b4", "#d62728", "#2ca02c", "#9467bd"][: len(engines)])
        ax.set_yscale("log")
        ax.set_ylabel(f"seconds, {label} (median, log scale)")
        ax.grid(True, which="both", alpha=0.3)
    fig.suptitle(WORKLOADS[name].title, fontsize=10)
    fig.tight_layout()
    path = folder / f"{name}.png"
    fig.savefig(path, dpi=100, metadata={"Software": None})
    plt.close(fig)
    return f"benchmarks/{name}.png"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    parser.add_argument("-w", "--workloads", nargs="*", choices=list(WORKLOADS), help="default: all")
    parser.add_argument("--sizes", nargs="*", type=int, help="sizes of the sized workloads (default: theirs)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--budget", type=float, default=300.0, help="seconds per cell (0: no limit)")
    parser.add_argument("--smoke", action="store_true", help="once at the smallest size, no warm-up")
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="where benchmarks.md goes")
    parser.add_argument("--keep", action="store_true", help="keep earlier results of cells not run now")
    parser.add_argument("--report-only", action="store_true", help="rewrite the report from results.json")
    parser.add_argument("--worker", nargs=3, metavar=("WORKLOAD", "ENGINE", "SIZE"), help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        name, engine, size = args.worker
        row = work(name, engine, int(size), args.data, args.runs, args.warmup, args.budget)
        print(json.dumps(row))
        return
    if args.smoke:
        args.runs, args.warmup = 1, 0
    results = args.out / "benchmarks" / "results.json"
    kept: list[Row] = []
    if (args.keep or args.report_only) and results.is_file():  # earlier cells this run does not measure again
        kept = json.loads(results.read_text(encoding="utf-8"))

    def save(rows: list[Row]) -> None:
        done = {(r["workload"], r["engine"], r["size"]) for r in rows}
        merged = [r for r in kept if (r["workload"], r["engine"], r["size"]) not in done] + rows
        order = list(WORKLOADS)
        merged.sort(key=lambda r: (order.index(r["workload"]) if r["workload"] in order else 99, r["size"]))
        (args.out / "benchmarks").mkdir(parents=True, exist_ok=True)
        results.write_text(json.dumps(merged, indent=1) + "\n", encoding="utf-8")
        (args.out / "benchmarks.md").write_text(report(merged, args, args.out), encoding="utf-8")

    if args.report_only:
        save([])
        print(f"wrote {args.out / 'benchmarks.md'} from {results}")
        return
    rows = run_all(args, save)
    save(rows)
    print(f"wrote {args.out / 'benchmarks.md'}")
    failed = [r for r in rows if "error" in r]
    if failed:
        raise SystemExit(f"{len(failed)} measurement(s) failed; see the report")


if __name__ == "__main__":
    main()
