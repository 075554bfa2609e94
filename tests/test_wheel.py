"""A built wheel carries the data folders and runs `omsgraph check` on its own."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_installs_and_checks(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(tmp_path / "dist"),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next((tmp_path / "dist").glob("omsgraph-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    subprocess.run(
        [str(py), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)], check=True
    )
    # The wheel's dependencies come from this environment (already installed; tests run offline).
    site = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(site, "zz_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    where = subprocess.run(
        [
            str(py),
            "-c",
            "import omsgraph, omsgraph.resources as r; print(omsgraph.__file__); print(r.data_root())",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env=env,
    ).stdout.split()
    assert where[0].startswith(str(venv)), f"omsgraph imported from {where[0]}, not from the wheel"
    assert where[1].startswith(str(venv)) and where[1].endswith("omsgraph/data")
    check = subprocess.run(
        [str(venv / "bin" / "omsgraph"), "check", "-q"], capture_output=True, text=True, cwd=tmp_path, env=env
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "built       0 file(s) rewritten" in check.stdout
