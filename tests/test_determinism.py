"""Deterministic releases: the same inputs give the same bytes wherever and however they are read.

Two builds of the fixture tables, each in its own process: different folders (for the tables, the
output and the working directory), different ``PYTHONHASHSEED`` values, the tables copied in opposite
orders with their data rows reversed, and directory listings reversed in the second process (so any
code that relies on the order a folder is listed in shows up).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import MINI

pytestmark = pytest.mark.slow

BUILD = """
import os, sys
from pathlib import Path
if sys.argv[3] == "reversed":
    real_listdir, real_iterdir, real_glob = os.listdir, Path.iterdir, Path.glob
    os.listdir = lambda p=".": sorted(real_listdir(p), reverse=True)
    Path.iterdir = lambda self: iter(sorted(real_iterdir(self), reverse=True))
    Path.glob = lambda self, pattern, **kw: iter(sorted(real_glob(self, pattern, **kw), reverse=True))
from omsgraph.build import build_release, write_release
write_release(build_release(curation_dir=Path(sys.argv[1])), Path(sys.argv[2]))
"""


def _copy_tables(target: Path, *, reverse: bool) -> Path:
    target.mkdir(parents=True)
    tables = sorted(MINI.glob("*.tsv"), reverse=reverse)
    for table in tables:
        if not reverse:
            shutil.copy(table, target / table.name)
            continue
        lines = table.read_text(encoding="utf-8").splitlines(keepends=True)
        header = [line for line in lines if line.startswith("#") or line is lines[0]]
        rows = [line for line in lines if line not in header]
        (target / table.name).write_text("".join(header + rows[::-1]), encoding="utf-8")
    return target


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_release_bytes_do_not_depend_on_folder_seed_or_file_order(tmp_path: Path) -> None:
    runs = {
        "a": ("1", _copy_tables(tmp_path / "one" / "tables", reverse=False), "as-listed"),
        "b": ("4242", _copy_tables(tmp_path / "two" / "elsewhere" / "curation", reverse=True), "reversed"),
    }
    for out, (seed, tables, order) in runs.items():
        cwd = tmp_path / f"cwd-{out}"
        cwd.mkdir()
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-c", BUILD, str(tables), str(tmp_path / f"out-{out}"), order],
            check=True,
            env=env,
            cwd=cwd,
        )
    a, b = _files(tmp_path / "out-a"), _files(tmp_path / "out-b")
    assert len(a) >= 8, f"the build wrote only {sorted(a)}"
    assert sorted(a) == sorted(b)
    differ = [name for name in a if a[name] != b[name]]
    assert not differ, f"release files differ between the two builds: {differ}"
