"""Every loader omsgraph has, as a fuzz target: its seed files and how one input is loaded.

Seeds are small real files (a few KB), so that ten thousand inputs per loader take seconds; each input
is written to a file and loaded in-process the way the command line loads it.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from rdflib import Graph

from omsgraph import resources
from omsgraph.build import parse_edit_file, version_of
from omsgraph.curation import Schema, load_curation
from omsgraph.errors import BadInputError
from omsgraph.hpo import load_hpo
from omsgraph.release import load_release
from omsgraph.serialize import to_jsonld, to_ntriples, to_rdfxml, to_turtle
from omsgraph.validate import load_data, load_shapes, resolve_shapes, validate

HERE = Path(__file__).parent
DATA = HERE.parent / "data"
MINI = DATA / "mini"
TABLES = ("sources.tsv", "terms.tsv", "synonyms.tsv", "assertions.tsv", "mappings.tsv")
RDF_WRITERS: dict[str, Callable[[Graph], bytes]] = {
    ".ttl": to_turtle,
    ".owl": to_rdfxml,
    ".nt": to_ntriples,
    ".jsonld": to_jsonld,
}


@dataclass
class Loader:
    name: str  # as in docs/reliability.md
    seeds: list[bytes]
    call: Callable[[bytes], object]
    names: tuple[str, ...]  # what the message must name (the file)


@cache
def workdir() -> Path:
    return Path(tempfile.mkdtemp(prefix="omsgraph-fuzz-"))


def _writer(name: str) -> tuple[Path, Callable[[bytes], Path]]:
    path = workdir() / name

    def write(data: bytes) -> Path:
        path.write_bytes(data)
        return path

    return path, write


@cache
def rdf_seed_graphs() -> tuple[Graph, ...]:
    """Small real graphs: the case and integrity fixtures of the shape tests."""
    graphs = []
    for path in (
        sorted((DATA / "shapes" / "cases").glob("*.ttl"))[:4]
        + sorted((DATA / "shapes" / "integrity").glob("*.violates.ttl"))[:4]
    ):
        graphs.append(Graph().parse(path, format="turtle"))
    return tuple(graphs)


def rdf_seeds(suffix: str) -> list[bytes]:
    return [RDF_WRITERS[suffix](g) for g in rdf_seed_graphs()]


@cache
def _schema_and_hpo() -> tuple[Schema, Any]:
    return Schema.from_graph(parse_edit_file(resources.edit_file())), load_hpo()


def curation_table(table: str) -> Loader:
    """``load_curation`` over the mini tables with one table replaced by the input."""
    folder = workdir() / f"curation-{table}"
    if not folder.exists():
        shutil.copytree(MINI, folder, ignore=shutil.ignore_patterns("expected-*"))

    def call(data: bytes) -> object:
        (folder / table).write_bytes(data)
        schema, hpo = _schema_and_hpo()
        return load_curation(folder, schema, hpo, resources.reference_ids())

    return Loader(f"curated table {table}", [(MINI / table).read_bytes()], call, (table,))


def edit_file() -> Loader:
    path, write = _writer("omsgraph-edit.ttl")

    def call(data: bytes) -> object:
        graph = parse_edit_file(write(data))
        version_of(graph)
        return Schema.from_graph(graph)

    return Loader("edit file (build)", [(HERE / "seeds" / "edit.ttl").read_bytes()], call, (path.name,))


def release_file(suffix: str) -> Loader:
    """``load_release``: what ``omsgraph reason FILE`` and the exports read."""
    path, write = _writer(f"release{suffix}")
    return Loader(
        f"release file {suffix} (reason FILE)",
        rdf_seeds(suffix),
        lambda data: load_release(write(data)),
        (path.name,),
    )


def data_file(suffix: str) -> Loader:
    """``load_data``: what ``omsgraph validate DATA`` reads."""
    path, write = _writer(f"data{suffix}")
    return Loader(
        f"data file {suffix} (validate DATA)",
        rdf_seeds(suffix),
        lambda data: load_data([write(data)]),
        (path.name,),
    )


@cache
def _small_data() -> Any:
    return load_data(sorted((DATA / "shapes" / "cases").glob("*.ttl"))[:2])


def shapes_file() -> Loader:
    """``validate -s FILE``: the shapes file is resolved, parsed and run over a small case file."""
    path, write = _writer("shapes.ttl")

    def call(data: bytes) -> object:
        write(data)
        sources = resolve_shapes([str(path)])
        return validate(_small_data(), load_shapes([s.path for s in sources]), f"shapes {path}")

    seeds = [(resources.shapes_dir() / "cases.ttl").read_bytes()]
    return Loader("shapes file (validate -s FILE)", seeds, call, (path.name,))


@cache
def tiny_runner() -> Any:
    """One query runner (the query door's worker process) over a small on-disk store, shared by every
    input, so that ten thousand queries start one worker and a mutated query cannot run long."""
    from omsgraph.sparql import Limits, QueryRunner
    from omsgraph.store import OxigraphEngine

    graph = Graph()
    for g in rdf_seed_graphs():
        graph += g
    release = workdir() / "tiny-release.nt"
    release.write_bytes(to_ntriples(graph))
    store = OxigraphEngine.open(release, cache=workdir() / "cache")
    return QueryRunner(store.path, 1, Limits(timeout=5))


def cli(args: list[str], names: tuple[str, ...]) -> object:
    """Run the command line in-process on the tiny runner; a failing exit must print one error line."""
    import contextlib

    import omsgraph.query
    from omsgraph.cli import main

    real = omsgraph.query.open_runner
    omsgraph.query.open_runner = lambda *a, **k: contextlib.nullcontext(tiny_runner())  # type: ignore[assignment]
    try:
        result = CliRunner().invoke(main, args, catch_exceptions=True)
    finally:
        omsgraph.query.open_runner = real
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    if result.exit_code == 0:
        return result.output
    lines = [line for line in result.stderr.strip().splitlines() if not line.startswith("omsgraph: note:")]
    if len(lines) != 1 or not lines[0].startswith("omsgraph: error: "):
        raise AssertionError(f"exit {result.exit_code} without one error line: {result.stderr[:300]!r}")
    raise BadInputError(lines[0].removeprefix("omsgraph: error: "))


def query_file() -> Loader:
    path, write = _writer("query.rq")
    seeds = [p.read_bytes() for p in sorted(resources.queries_dir().glob("*.rq")) if p.stat().st_size < 1200][
        :6
    ]

    def call(data: bytes) -> object:
        write(data)
        return cli(["query", str(path), "-f", "tsv"], (path.name,))

    return Loader("query file (query FILE)", seeds, call, (path.name,))


def query_param() -> Loader:
    """``--param KEY=VALUE`` on a shipped question: the value (and key) are the input."""
    question = "signs"  # a shipped question with a parameter

    def call(data: bytes) -> object:
        text = data.decode("utf-8", "surrogateescape")
        return cli(["query", question, "-f", "tsv", "-p", text], ())

    seeds = [b"population=adults", b"population=children,adults", b"population=all"]
    return Loader("query --param value", seeds, call, ())


def all_loaders() -> list[Loader]:
    return [
        *(curation_table(t) for t in TABLES),
        edit_file(),
        *(release_file(s) for s in RDF_WRITERS),
        *(data_file(s) for s in RDF_WRITERS),
        shapes_file(),
        query_file(),
        query_param(),
    ]
