"""Shared fixtures. Tests are offline: a fixture refuses any connection that leaves the machine."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from omsgraph import resources
from omsgraph.build import Release, build_release

DATA = Path(__file__).parent / "data"
MINI = DATA / "mini"


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else str(address)
        if host not in ("127.0.0.1", "::1", "localhost") and not str(host).startswith("/"):
            raise RuntimeError(f"test tried to reach the network: {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(scope="session")
def mini_release() -> Release:
    """A release built from the small fixture tables in tests/data/mini."""
    return build_release(curation_dir=MINI)


@pytest.fixture(scope="session")
def project_release() -> Release:
    """A fresh in-memory build of the project's own data."""
    return build_release()


@pytest.fixture
def mini_tables(tmp_path: Path) -> Iterator[Path]:
    """A writable copy of the mini tables, to break one cell at a time."""
    target = tmp_path / "curation"
    shutil.copytree(MINI, target, ignore=shutil.ignore_patterns("expected-*"))
    yield target


def edit_file() -> Path:
    return resources.edit_file()
