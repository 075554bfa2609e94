"""Portability: every question gives its golden answer on an Oxigraph server and on Apache Jena ARQ,
each loaded from the release file alone (no omsgraph code, no derived graphs, no union flag)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from omsgraph import resources
from omsgraph.build import RELEASE_TTL
from omsgraph.query import Question, load_questions
from omsgraph.vocab import contract

from .peers import require, run_jena, system_java
from .test_release_queries import assert_golden

QUESTIONS = load_questions()
RELEASE = resources.ontology_dir() / RELEASE_TTL


def _json_cell(binding: dict[str, str] | None) -> str:
    """A SPARQL JSON result cell as the golden answers write it."""
    if binding is None:
        return ""
    if binding["type"] == "uri":
        return contract(binding["value"])
    if binding["type"] == "bnode":
        return "_:" + binding["value"]
    return binding["value"]


def _rows(payload: dict[str, Any]) -> list[tuple[str, ...]]:
    columns = payload["head"]["vars"]
    return [tuple(_json_cell(b.get(c)) for c in columns) for b in payload["results"]["bindings"]]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    require(Path(binary).is_file(), "the oxigraph server (pip install oxigraph)")
    folder = tmp_path_factory.mktemp("oxigraph")
    subprocess.run(
        [binary, "load", "--location", str(folder / "db"), "--file", str(RELEASE)],
        check=True,
        capture_output=True,
    )
    port = _free_port()
    server = subprocess.Popen(
        [
            binary,
            "serve-read-only",
            "--location",
            str(folder / "db"),
            "--bind",
            f"127.0.0.1:{port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/query"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the oxigraph server did not start within 10 s")
        yield url
    finally:
        os.kill(server.pid, 15)
        server.wait(timeout=30)


def _post(url: str, sparql: str) -> dict[str, Any]:
    request = urllib.request.Request(
        url,
        data=sparql.encode("utf-8"),
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        payload: dict[str, Any] = json.load(response)
    return payload


@pytest.mark.parametrize("name", sorted(QUESTIONS))
def test_query_gives_its_golden_answer_on_an_oxigraph_server(oxigraph_server: str, name: str) -> None:
    payload = _post(oxigraph_server, QUESTIONS[name].path.read_text(encoding="utf-8"))
    assert_golden(name, _rows(payload), "the oxigraph server")


@pytest.fixture(scope="module")
def jena_answers() -> dict[str, subprocess.CompletedProcess[str]]:
    """ARQ over the release file, every question (one JVM each, two at a time)."""
    require(system_java() is not None, "a Java runtime for Apache Jena")

    def arq(question: Question) -> subprocess.CompletedProcess[str]:
        return run_jena("arq.sparql", "--data", str(RELEASE), "--query", str(question.path), "--results=JSON")

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(QUESTIONS, pool.map(arq, QUESTIONS.values()), strict=True))


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(QUESTIONS))
def test_query_gives_its_golden_answer_on_jena_arq(
    jena_answers: dict[str, subprocess.CompletedProcess[str]], name: str
) -> None:
    out = jena_answers[name]
    assert out.returncode == 0, f"ARQ failed on {name}: {out.stderr[-1000:]}"
    assert_golden(name, _rows(json.loads(out.stdout)), "Jena ARQ")
