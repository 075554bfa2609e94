"""The benchmark runner runs every workload once at its smallest size and writes its report.

A smoke test: no time is asserted (benchmarks/README.md). Under CI every peer must be installed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from benchmarks import workloads  # noqa: F401  (registers the workloads)
from benchmarks.registry import WORKLOADS

from tests.peers import IN_CI

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_the_runner_writes_the_report_and_the_plots(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--smoke", "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    report = (tmp_path / "benchmarks.md").read_text(encoding="utf-8")
    rows = json.loads((tmp_path / "benchmarks" / "results.json").read_text(encoding="utf-8"))
    assert "Machine:" in report and "Apache Jena" in report
    for name, load in WORKLOADS.items():
        assert f"## {name}:" in report
        mine = [r for r in rows if r["workload"] == name]
        assert {r["engine"] for r in mine} == {e.name for e in load.engines()}
        measured = [r for r in mine if "times" in r]
        assert any(r["engine"] == "omsgraph" for r in measured), name
        # the engines agree on what they computed (violations, triples, rows)
        assert len({r["result"] for r in measured}) == 1, mine
        assert (tmp_path / "benchmarks" / f"{name}.png").stat().st_size > 1000
    missing = [f"{r['engine']}: {r['missing']}" for r in rows if "missing" in r]
    assert not (IN_CI and missing), f"peers missing under CI: {missing}"
