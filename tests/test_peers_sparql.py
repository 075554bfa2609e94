"""Portability: every question gives the same answers on an Oxigraph server and on Apache Jena ARQ."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from rdflib import Dataset

from omsgraph.query import Question, ask, load_questions
from omsgraph.release import load_release
from omsgraph.store import Answer, EndpointEngine, OxigraphEngine, _json_text, dataset_nquads

from .peers import require, run_jena

QUESTIONS = load_questions()


@pytest.fixture(scope="module")
def nquads() -> bytes:
    return dataset_nquads(load_release())


@pytest.fixture(scope="module")
def embedded(nquads: bytes) -> OxigraphEngine:
    return OxigraphEngine.in_memory(nquads)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory, nquads: bytes) -> Iterator[str]:
    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    require(Path(binary).is_file(), "the oxigraph server (pip install oxigraph)")
    folder = tmp_path_factory.mktemp("oxigraph")
    data = folder / "dataset.nq"
    data.write_bytes(nquads)
    subprocess.run(
        [binary, "load", "--location", str(folder / "db"), "--file", str(data)],
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
            "--union-default-graph",
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


def test_oxigraph_server_gives_the_same_answers(oxigraph_server: str, embedded: OxigraphEngine) -> None:
    remote = EndpointEngine(oxigraph_server)
    different = [
        n for n, q in QUESTIONS.items() if Counter(ask(q, remote).rows) != Counter(ask(q, embedded).rows)
    ]
    assert not different, f"the oxigraph server answers differently: {different}"


@pytest.mark.slow
def test_jena_arq_gives_the_same_answers(tmp_path: Path, nquads: bytes, embedded: OxigraphEngine) -> None:
    ds = Dataset()
    ds.parse(data=nquads, format="nquads")
    union = tmp_path / "union.nt"  # ARQ's default graph: the union of the three named graphs
    union.write_text(
        "".join(sorted({f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o, _ in ds.quads()})), encoding="utf-8"
    )

    def arq(question: Question) -> subprocess.CompletedProcess[str]:
        return run_jena("arq.sparql", "--data", str(union), "--query", str(question.path), "--results=JSON")

    with ThreadPoolExecutor(max_workers=2) as pool:  # one JVM per question; two at a time
        outputs = dict(zip(QUESTIONS, pool.map(arq, QUESTIONS.values()), strict=True))
    different = []
    for name, question in QUESTIONS.items():
        out = outputs[name]
        assert out.returncode == 0, f"ARQ failed on {name}: {out.stderr[-1000:]}"
        payload = json.loads(out.stdout)
        columns = tuple(payload["head"]["vars"])
        rows = [tuple(_json_text(b.get(c)) for c in columns) for b in payload["results"]["bindings"]]
        if Counter(Answer(columns, rows).rows) != Counter(ask(question, embedded).rows):
            different.append(name)
    assert not different, f"Jena ARQ answers differently: {different}"
