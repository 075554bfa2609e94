"""Benchmark: `omsgraph serve` under load on loopback, beside the oxigraph server on the same data.

Starts `omsgraph serve` and `oxigraph serve-read-only --union-default-graph` (PyPI oxigraph) over the
same dataset, both on 127.0.0.1, then for 1, 8 and 32 concurrent clients sends requests for a fixed
time per scenario (bounded: it stops by itself) and writes benchmarks/serve.md: requests/s, p50 and
p99 latency. Scenarios: an entity page (HTML), an entity in Turtle, a search-as-you-type request, and
competency questions over /sparql — the same query text to both servers. Both servers are stopped by
PID at the end.

The load generator is Python (threads, keep-alive connections) on the same two cores as the servers,
so the numbers are a floor for the servers, not their ceiling.

    .venv/bin/python benchmarks/serve.py [--seconds 3] [--questions antigens,causes,...|all]
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from omsgraph.query import load_questions
from omsgraph.release import load_release
from omsgraph.store import dataset_nquads

HERE = Path(__file__).parent
CLIENTS = (1, 8, 32)
DEFAULT_QUESTIONS = "antigens,antibody-chain,signs,causes,treatments"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait(url: str, proc: subprocess.Popen[bytes], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"server exited: {url}") from None
            time.sleep(0.2)
    raise SystemExit(f"server did not start: {url}")


def load(
    port: int,
    method: str,
    path: str,
    headers: dict[str, str],
    body: bytes | None,
    clients: int,
    seconds: float,
) -> tuple[float, float, float, int]:
    """(requests/s, p50 ms, p99 ms, errors) for `clients` threads hammering one request."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    start_at = time.perf_counter() + 0.2
    stop_at = start_at + seconds

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        bad = 0
        while time.perf_counter() < start_at:
            time.sleep(0.001)
        while time.perf_counter() < stop_at:
            t = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    bad += 1
            except (OSError, http.client.HTTPException):
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine.append(time.perf_counter() - t)
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if not latencies:
        return 0.0, 0.0, 0.0, errors[0]
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return len(latencies) / seconds, statistics.median(latencies) * 1000, p99 * 1000, errors[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=3.0, help="seconds of load per scenario and level")
    parser.add_argument("--questions", default=DEFAULT_QUESTIONS, help="comma-separated names, or all")
    parser.add_argument("--workers", type=int, default=2, help="omsgraph serve --workers")
    args = parser.parse_args()
    questions = load_questions()
    names = list(questions) if args.questions == "all" else args.questions.split(",")

    oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    procs: list[subprocess.Popen[bytes]] = []
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "dataset.nq"
        data.write_bytes(dataset_nquads(load_release()))
        subprocess.run(
            [oxigraph, "load", "--location", f"{tmp}/db", "--file", str(data)],
            check=True,
            capture_output=True,
        )
        ox_port, om_port = free_port(), free_port()
        try:
            procs.append(
                subprocess.Popen(
                    [
                        oxigraph,
                        "serve-read-only",
                        "--location",
                        f"{tmp}/db",
                        "--bind",
                        f"127.0.0.1:{ox_port}",
                        "--union-default-graph",
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            procs.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "omsgraph",
                        "serve",
                        "--port",
                        str(om_port),
                        "--workers",
                        str(args.workers),
                        "--timeout",
                        "30",
                        "--max-rows",
                        "1000000",
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    env={**os.environ},
                )
            )
            wait(f"http://127.0.0.1:{ox_port}/query?query=ASK%7B%7D", procs[0])
            wait(f"http://127.0.0.1:{om_port}/healthz", procs[1])
            time.sleep(15)  # let omsgraph serve finish preparing its pages in the background
            html = {"Accept": "text/html"}
            scenarios: list[tuple[str, str, int, str, str, dict[str, str], bytes | None]] = [
                ("entity page (HTML)", "omsgraph", om_port, "GET", "/term/MONDO:0015247", html, None),
                (
                    "entity (Turtle)",
                    "omsgraph",
                    om_port,
                    "GET",
                    "/OMSG_0001033",
                    {"Accept": "text/turtle"},
                    None,
                ),
                ("search as you type", "omsgraph", om_port, "GET", "/api/search?q=kinsb", {}, None),
            ]
            form = {
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/sparql-results+json",
            }
            for name in names:
                body = urllib.parse.urlencode({"query": questions[name].sparql}).encode()
                scenarios.append((f"question {name}", "omsgraph", om_port, "POST", "/sparql", form, body))
                scenarios.append(
                    (f"question {name}", "oxigraph server", ox_port, "POST", "/query", form, body)
                )
            rows = []
            for label, server, port, method, path, headers, body in scenarios:
                for clients in CLIENTS:
                    rps, p50, p99, errors = load(port, method, path, headers, body, clients, args.seconds)
                    rows.append((label, server, clients, rps, p50, p99, errors))
                    print(
                        f"{label:38} {server:16} {clients:3} {rps:8.0f}/s p50 {p50:7.1f} ms "
                        f"p99 {p99:7.1f} ms errors {errors}",
                        flush=True,
                    )
        finally:
            for proc in procs:
                proc.terminate()
                proc.wait(timeout=30)
    write_report(rows, args)


def write_report(
    rows: list[tuple[str, str, int, float, float, float, int]], args: argparse.Namespace
) -> None:
    by_key = {(r[0], r[1], r[2]): r for r in rows}
    lines = [
        "# `omsgraph serve` under load",
        "",
        f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
        f"{args.seconds:g} s of load per cell; loopback; `omsgraph serve --workers {args.workers}` beside "
        "`oxigraph serve-read-only --union-default-graph` over the same dataset; a Python load generator "
        "on the same cores (`benchmarks/serve.py`). Shared machine: other jobs ran at the same time.",
        "",
        "| scenario | server | clients | requests/s | p50 ms | p99 ms | errors | ratio |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label, server, clients, rps, p50, p99, errors in rows:
        peer = by_key.get((label, "oxigraph server", clients))
        ratio = f"{rps / peer[3]:.2f}x" if server == "omsgraph" and peer and peer[3] else ""
        lines.append(
            f"| {label} | {server} | {clients} | {rps:.0f} | {p50:.1f} | {p99:.1f} | {errors} | {ratio} |"
        )
    (HERE / "serve.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {HERE / 'serve.md'}")


if __name__ == "__main__":
    main()
