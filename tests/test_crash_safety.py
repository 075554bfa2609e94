"""Kill ``omsgraph build``, ``check`` and ``query`` (SIGKILL, SIGINT) at several points: every release file
is then the old or the new complete version, every cache store complete or absent, and the next run green.

``build -o`` writes into a temporary copy of ``ontology/`` whose files were made "old" (changed), so a
run has real files to replace; ``check`` writes the project's own folder, where committed = fresh;
``query`` builds the on-disk store cache under a temporary OMSGRAPH_CACHE.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from omsgraph import resources
from omsgraph.build import RELEASE_FILES

pytestmark = pytest.mark.slow
OMSGRAPH = [sys.executable, "-m", "omsgraph"]
#: Seconds after the start at which a run is killed (spread over parsing, reasoning and writing).
KILL_POINTS = (0.5, 3.0, 8.0)


def _env(cache: Path) -> dict[str, str]:
    return {**os.environ, "OMSGRAPH_CACHE": str(cache)}


def _run_and_kill(
    args: list[str], env: dict[str, str], after: float, sig: int, until: Path | None = None
) -> int:
    proc = subprocess.Popen([*OMSGRAPH, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    start = time.monotonic()
    while proc.poll() is None and time.monotonic() - start < after:
        if until is not None and any(until.glob(".*.tmp")):  # a write is under way: kill it now
            break
        time.sleep(0.02)
    if proc.poll() is None:
        proc.send_signal(sig)
    proc.wait(timeout=120)
    return proc.returncode


def _old_copy(tmp: Path) -> tuple[Path, dict[str, bytes], dict[str, bytes]]:
    out = tmp / "ontology"
    new = {name: (resources.ontology_dir() / name).read_bytes() for name in RELEASE_FILES}
    old = {name: data + b"\n" for name, data in new.items()}  # a different, complete previous version
    for name, data in old.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
    return out, old, new


def _assert_old_or_new(out: Path, old: dict[str, bytes], new: dict[str, bytes]) -> None:
    for name in RELEASE_FILES:
        data = (out / name).read_bytes()
        assert data in (old[name], new[name]), f"{name} is neither the old nor the new version (partial)"


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_killed_build_leaves_old_or_new_files_and_the_next_build_is_green(tmp_path: Path, sig: int) -> None:
    out, old, new = _old_copy(tmp_path)
    env = _env(tmp_path / "cache")
    points = (*KILL_POINTS, 600.0)  # the last kills at the first temporary file: mid-write
    for after in points:
        code = _run_and_kill(
            ["build", "-q", "-o", str(out)], env, after, sig, until=out if after > 60 else None
        )
        if sig == signal.SIGINT and code != 0:  # -2: interrupted while Python was still importing
            assert code in (130, -signal.SIGINT)
        _assert_old_or_new(out, old, new)
    done = subprocess.run([*OMSGRAPH, "build", "-q", "-o", str(out)], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert {name: (out / name).read_bytes() for name in RELEASE_FILES} == new
    assert not list(out.rglob(".*.tmp")), "temporary files of the killed runs are left behind"


def test_killed_check_leaves_the_release_complete(tmp_path: Path) -> None:
    folder = resources.ontology_dir()
    before = {name: (folder / name).read_bytes() for name in RELEASE_FILES}
    for after in KILL_POINTS[1:]:
        _run_and_kill(["check", "-q"], _env(tmp_path / "cache"), after, signal.SIGKILL)
        assert {name: (folder / name).read_bytes() for name in RELEASE_FILES} == before


def test_killed_query_leaves_no_partial_cache_store(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    env = _env(cache)
    for after in (0.3, 1.0, 2.0):
        _run_and_kill(["query", "signs"], env, after, signal.SIGKILL)
        stores = list(cache.glob("store-*")) if cache.is_dir() else []
        assert all((s / "COMPLETE").is_file() for s in stores), "a store without its COMPLETE mark"
    done = subprocess.run([*OMSGRAPH, "query", "signs"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert len(list(cache.glob("store-*"))) == 1
