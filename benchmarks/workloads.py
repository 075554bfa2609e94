"""The workloads the runner measures, each with omsgraph and its peers side by side.

- ``shacl-cases``: validate generated case records with the ``cases`` group (together with the
  release, as ``omsgraph validate CASES`` does): omsgraph's compiled engine, pySHACL, Jena SHACL.
- ``shacl-release``: validate the release with the quality and integrity groups (what ``omsgraph
  check`` runs): the same three engines.
- ``load``: parse the case records (N-Triples): pyoxigraph (what omsgraph loads into), rdflib, Jena
  riot.
- ``questions``: answer every competency question once: the embedded store, rdflib's engine, the
  oxigraph server over HTTP, Jena ARQ (one command per question).

Times of the Java peers include the JVM start and parsing their input, as a user running the command
would see; omsgraph's include loading the files too, except for ``questions``, where every engine
answers from data already loaded (Jena ARQ, a command, cannot).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.registry import Engine, Timed, workload  # noqa: E402

JAVA_DIR = Path("/usr/share/java")


# --- peers ----------------------------------------------------------------------------------------


def jena_missing() -> str | None:
    from tests.peers import JENA_JARS

    if shutil.which("java") is None:
        return "no java on PATH (apt-get install default-jre-headless)"
    missing = [j for j in JENA_JARS if not (JAVA_DIR / f"{j}.jar").is_file()]
    return (
        f"Apache Jena jars missing ({', '.join(missing[:3])}): apt-get install libapache-jena-java"
        if missing
        else None
    )


def jena(main_class: str, *args: str) -> str:
    """Run a Jena command line; its standard output, then its standard error."""
    from tests.peers import JENA_JARS, _jena_overlay

    classpath = ":".join([*(str(JAVA_DIR / f"{j}.jar") for j in JENA_JARS), str(_jena_overlay())])
    java = shutil.which("java") or "java"
    out = subprocess.run(
        [java, "-Xmx8g", "-cp", classpath, main_class, *args], capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        raise RuntimeError(f"Jena {main_class} failed: {out.stderr[-1000:]}")
    return out.stdout + out.stderr


def oxigraph_server_missing() -> str | None:
    return None if _oxigraph_binary() else "the oxigraph server (pip install oxigraph; the test extra has it)"


def _oxigraph_binary() -> str | None:
    here = Path(sys.executable).parent / "oxigraph"
    return str(here) if here.is_file() else shutil.which("oxigraph")


# --- inputs (untimed, cached in the run's scratch folder) ------------------------------------------


@cache
def _terms() -> list[str]:
    from benchmarks.shacl import finding_terms

    return finding_terms()


def cases_file(n: int, data: Path) -> Path:
    """n generated case records (benchmarks/shacl.py's generator: one case in a hundred broken)."""
    from benchmarks.shacl import write_cases

    path = data / f"cases-{n}.nt"
    if not path.is_file():
        write_cases(path.with_suffix(".tmp"), n, _terms())
        path.with_suffix(".tmp").replace(path)
    return path


def release_nt(data: Path) -> Path:
    path = data / "release.nt"
    if not path.is_file():
        from omsgraph.release import load_release

        path.write_bytes(load_release().serialize(format="nt", encoding="utf-8"))
    return path


def cases_with_release(n: int, data: Path) -> Path:
    path = data / f"cases-{n}-release.nt"
    if not path.is_file():
        path.write_bytes(cases_file(n, data).read_bytes() + release_nt(data).read_bytes())
    return path


def check_shapes(data: Path) -> Path:
    """The quality and integrity groups in one Turtle file, for Jena."""
    path = data / "check-shapes.ttl"
    if not path.is_file():
        from omsgraph.validate import CHECK_GROUPS, group_file, load_shapes

        path.write_text(load_shapes([group_file(g) for g in CHECK_GROUPS]).serialize(format="turtle"))
    return path


def _violations(report: str) -> int:
    return report.count("sh:Violation")


# --- SHACL on case records ----------------------------------------------------------------------------


def _omsgraph_cases(engine: str) -> object:
    def prepare(n: int, data: Path) -> Timed:
        from omsgraph.validate import validate_files

        cases = cases_file(n, data)
        return lambda: len(validate_files([cases], ["cases"], engine).violations)

    return prepare


def _jena_cases(n: int, data: Path) -> Timed:
    from omsgraph.validate import group_file

    merged, shapes = cases_with_release(n, data), group_file("cases")
    return lambda: _violations(
        jena("shacl.shacl", "validate", "--shapes", str(shapes), "--data", str(merged))
    )


@workload(
    "shacl-cases",
    "SHACL validation of generated case records (cases group, with the release)",
    sizes=(1_000, 10_000, 100_000),
    smoke=100,
    unit="case records",
)
def _shacl_cases() -> list[Engine]:
    return [
        Engine("omsgraph", _omsgraph_cases("sparql"), note="load + validate + report"),  # type: ignore[arg-type]
        Engine("pySHACL", _omsgraph_cases("pyshacl"), note="same, pySHACL on oxigraph"),  # type: ignore[arg-type]
        Engine("Jena SHACL", _jena_cases, jena_missing, note="`shacl validate`, JVM start included"),
    ]


# --- SHACL on the release -----------------------------------------------------------------------------


def _omsgraph_release(engine: str) -> object:
    def prepare(n: int, data: Path) -> Timed:
        from omsgraph.validate import CHECK_GROUPS, validate_files

        return lambda: len(validate_files((), CHECK_GROUPS, engine).findings)

    return prepare


def _jena_release(n: int, data: Path) -> Timed:
    shapes, release = check_shapes(data), release_nt(data)

    def run() -> int:
        report = jena("shacl.shacl", "validate", "--shapes", str(shapes), "--data", str(release))
        return report.count("sh:resultSeverity")

    return run


@workload("shacl-release", "SHACL validation of the release (quality + integrity, as `omsgraph check`)")
def _shacl_release() -> list[Engine]:
    return [
        Engine("omsgraph", _omsgraph_release("sparql"), note="load + validate + report"),  # type: ignore[arg-type]
        Engine("pySHACL", _omsgraph_release("pyshacl"), note="same, pySHACL on oxigraph"),  # type: ignore[arg-type]
        Engine("Jena SHACL", _jena_release, jena_missing, note="`shacl validate`, JVM start included"),
    ]


# --- parsing ----------------------------------------------------------------------------------------


def _pyoxigraph_load(n: int, data: Path) -> Timed:
    import pyoxigraph as ox

    cases = cases_file(n, data)

    def run() -> int:
        store = ox.Store()
        store.bulk_load(path=cases, format=ox.RdfFormat.N_TRIPLES)
        return len(store)

    return run


def _rdflib_load(n: int, data: Path) -> Timed:
    from rdflib import Graph

    cases = cases_file(n, data)
    return lambda: len(Graph().parse(cases, format="nt"))


def _riot_load(n: int, data: Path) -> Timed:
    cases = cases_file(n, data)
    return lambda: (
        jena("riotcmd.riot", "--count", str(cases)).rsplit("Triples = ", 1)[-1].split()[0].replace(",", "")
    )


@workload(
    "load",
    "Parsing case records (N-Triples) into memory",
    sizes=(1_000, 10_000, 100_000),
    smoke=100,
    unit="case records",
)
def _load() -> list[Engine]:
    return [
        Engine("omsgraph", _pyoxigraph_load, note="pyoxigraph bulk load"),
        Engine("rdflib", _rdflib_load, note="Graph.parse"),
        Engine("Jena riot", _riot_load, jena_missing, note="`riot --count`, JVM start included"),
    ]


# --- competency questions ------------------------------------------------------------------------------


def _questions(n: int) -> list[str]:
    """The first n competency questions, by file name."""
    from omsgraph.query import load_questions

    questions = load_questions()
    return [questions[name].sparql for name in sorted(questions)[:n]]


def _embedded(n: int, data: Path) -> Timed:
    from omsgraph.release import load_release
    from omsgraph.store import OxigraphEngine, dataset_nquads

    engine, questions = OxigraphEngine.in_memory(dataset_nquads(load_release())), _questions(n)
    return lambda: sum(len(engine.select(q).rows) for q in questions)


def _rdflib_questions(n: int, data: Path) -> Timed:
    from omsgraph.store import RdflibEngine

    engine, questions = RdflibEngine(), _questions(n)
    return lambda: sum(len(engine.select(q).rows) for q in questions)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _dataset_file(data: Path) -> Path:
    path = data / "dataset.nq"
    if not path.is_file():
        from omsgraph.release import load_release
        from omsgraph.store import dataset_nquads

        path.write_bytes(dataset_nquads(load_release()))
    return path


def _server_questions(n: int, data: Path) -> Timed:
    import atexit
    import urllib.request

    from omsgraph.store import EndpointEngine

    binary = _oxigraph_binary()
    assert binary is not None
    location = data / f"oxigraph-{os.getpid()}"
    subprocess.run(
        [binary, "load", "--location", str(location), "--file", str(_dataset_file(data))],
        check=True,
        capture_output=True,
    )
    port = _free_port()
    server = subprocess.Popen(
        [
            binary,
            "serve-read-only",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    atexit.register(server.terminate)
    url = f"http://127.0.0.1:{port}/query"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=1).close()
            break
        except OSError:
            time.sleep(0.05)
    return _ServerRun(server.pid, EndpointEngine(url), _questions(n))


class _ServerRun:
    """The questions over HTTP; the server's own CPU time and peak memory, read from /proc."""

    def __init__(self, pid: int, engine: object, questions: list[str]) -> None:
        self.pid, self.engine, self.questions = pid, engine, questions

    def __call__(self) -> int:
        select = self.engine.select  # type: ignore[attr-defined]
        return sum(len(select(q).rows) for q in self.questions)

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def peak_rss_kb(self) -> int:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
        return 0


def _union_nt(data: Path) -> Path:
    path = data / "dataset-union.nt"
    if not path.is_file():
        import pyoxigraph as ox

        store = ox.Store()
        store.bulk_load(path=_dataset_file(data), format=ox.RdfFormat.N_QUADS)
        triples = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
        path.write_bytes(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")  # type: ignore[arg-type]
    return path


def _arq_questions(n: int, data: Path) -> Timed:
    dataset = _union_nt(data)
    files = []
    for i, text in enumerate(_questions(n)):
        path = data / f"question-{i}.rq"
        path.write_text(text, encoding="utf-8")
        files.append(path)

    def run() -> int:
        rows = 0
        for path in files:
            out = jena("arq.sparql", "--data", str(dataset), "--query", str(path), "--results", "TSV")
            rows += max(0, len(out.strip().splitlines()) - 1)
        return rows

    return run


@workload(
    "questions",
    "Answering the competency questions, each once",
    sizes=(1, 10, 40),
    smoke=1,
    unit="questions (the first n by file name)",
)
def _questions_workload() -> list[Engine]:
    return [
        Engine("omsgraph", _embedded, note="embedded pyoxigraph store, loaded before timing"),
        Engine("rdflib", _rdflib_questions, note="rdflib's SPARQL engine, loaded before timing"),
        Engine("oxigraph server", _server_questions, oxigraph_server_missing, note="over HTTP on 127.0.0.1"),
        Engine(
            "Jena ARQ",
            _arq_questions,
            jena_missing,
            note="one `arq.sparql` per question: JVM start and parse included",
        ),
    ]
