"""The command line: thin wrappers over the library. Exit codes: 0 ok, 1 check failed, 2 bad input."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .errors import CheckFailedError, OmsgraphError

F = TypeVar("F", bound=Callable[..., Any])


def _friendly(func: F) -> F:
    """Turn omsgraph errors into one line on stderr and their exit code; never a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except OmsgraphError as exc:
            click.echo(f"omsgraph: error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo(
                "omsgraph: interrupted; files already written are complete, the rest untouched", err=True
            )
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


class _Progress:
    """Prints each step with the time the previous one took, on stderr."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.start = time.perf_counter()

    def __call__(self, step: str) -> None:
        if not self.quiet:
            click.echo(f"[{time.perf_counter() - self.start:5.1f} s] {step}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="omsgraph")
@click.option("-v", "--verbose", is_flag=True, help="Log what the library does.")
def main(verbose: bool) -> None:
    """omsgraph: the opsoclonus-myoclonus syndrome knowledge graph.

    Reference information for research and curation, not medical advice.
    """
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(name)s: %(message)s")
    if not verbose:  # rdflib logs a traceback per odd literal ("two"^^xsd:integer); the reports say it
        logging.getLogger("rdflib").setLevel(logging.CRITICAL)


@main.command()
@click.option("-q", "--quiet", is_flag=True, help="Print only the summary.")
@click.option("--force", is_flag=True, help="Run every step, even those whose inputs did not change.")
@_friendly
def check(quiet: bool, force: bool) -> None:
    """Rebuild what is stale, reason, validate, answer the questions; print a summary.

    Steps whose inputs (content hashes) did not change are reused; the summary says which ran.
    Exits 0 when everything passes, 1 when a check fails, 2 on bad input.
    """
    from .check import fast_check

    report = fast_check(_Progress(quiet), force=force)
    click.echo(report.summary())
    if not report.ok:
        sys.exit(CheckFailedError.exit_code)


@main.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write the release files here instead of the project's ontology/ folder.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@_friendly
def build(output: Path | None, quiet: bool) -> None:
    """Regenerate the release files under ontology/ from the edit file and the curated tables.

    Reproducible byte for byte; each file is written atomically and only when it changed.
    """
    from .build import build_release, write_release

    release = build_release(_Progress(quiet))
    written = write_release(release, output)
    if not quiet:
        for path in written:
            click.echo(f"wrote {path}")
        click.echo(f"{len(written)} file(s) written, {len(release.files) - len(written)} unchanged")


@main.command()
@click.argument("ontology", required=False, type=click.Path(dir_okay=False, path_type=Path))
@_friendly
def reason(ontology: Path | None) -> None:
    """Run HermiT on a release file (default: ontology/omsgraph.owl) and report the verdict.

    Exits 1 when the ontology is inconsistent or has unsatisfiable classes.
    """
    from .reason import reason as run_reasoner
    from .release import load_release

    graph = load_release(ontology)
    result = run_reasoner(graph)
    click.echo(
        f"HermiT ({result.java}): {'consistent' if result.consistent else 'INCONSISTENT'}; "
        f"{len(result.unsatisfiable)} unsatisfiable classes; "
        f"{len(result.inferred)} subclass links not yet asserted; {result.seconds:.1f} s"
    )
    for cls in result.unsatisfiable:
        click.echo(f"  unsatisfiable: {cls}")
    if not result.ok:
        sys.exit(CheckFailedError.exit_code)


@main.command()
@click.argument("data", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-s",
    "--shapes",
    "shapes",
    multiple=True,
    metavar="GROUP|FILE",
    help="A shape group (quality, integrity, cases) or a Turtle shapes file; repeatable. "
    "Default: every group for the release; for DATA, the groups that fit it.",
)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["text", "turtle", "json"]),
    default="text",
    show_default=True,
    help="Report format: text grouped by severity, the SHACL report in Turtle, or JSON.",
)
@_friendly
def validate(data: tuple[Path, ...], shapes: tuple[str, ...], fmt: str) -> None:
    """Validate DATA files (default: the release) against the SHACL shapes and print a report.

    Exits 0 when the data passes (no violation: warnings and infos do not fail, as in ROBOT), 1 on
    violations, 2 on bad input. The SHACL report's sh:conforms is false whenever it has any result.
    """
    from .validate import format_report, validate_files

    result = validate_files(list(data), list(shapes))
    click.echo(format_report(result, fmt), nl=False)
    if not result.conforms:
        sys.exit(CheckFailedError.exit_code)


@main.command()
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["owl", "ttl", "jsonld", "nt", "sssom", "kgx", "void"]),
    required=True,
    help="owl (RDF/XML), ttl, jsonld, nt: the release; sssom: the mappings; kgx: Biolink nodes/edges; "
    "void: the dataset description.",
)
@click.option(
    "--variant",
    type=click.Choice(["full", "base"]),
    default="full",
    show_default=True,
    help="full: merged with the imports and the inferred hierarchy; base: omsgraph's own axioms only.",
)
@click.option(
    "-o",
    "--output",
    metavar="PATH",
    help="Where to write ('-' for standard output); a folder for kgx. Default: the format's file name here.",
)
@_friendly
def export(fmt: str, variant: str, output: str | None) -> None:
    """Export the release in a format data integrators consume, e.g. omsgraph export -f sssom -o -.

    Files are written atomically. Exits 0, or 2 on bad input.
    """
    from .export import export as run_export
    from .export import write_export

    for path in write_export(run_export(fmt, variant), output):
        click.echo(f"wrote {path}", err=True)


@main.command()
@click.argument("name", required=False, metavar="NAME|FILE")
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="Set a parameter (repeatable); several values separated by commas.",
)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json", "turtle", "ntriples", "jsonld", "rdfxml"]),
    default="table",
    show_default=True,
    help="Rows (SELECT): table, csv, tsv, json; ASK prints yes/no (json: true/false); "
    "RDF (CONSTRUCT, DESCRIBE): turtle (the default), ntriples, jsonld, rdfxml.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=30.0,
    show_default=True,
    metavar="S",
    help="Stop the query after S seconds of wall-clock time.",
)
@click.option(
    "--max-rows",
    type=click.IntRange(min=1),
    default=100_000,
    show_default=True,
    metavar="N",
    help="Return at most N rows (or triples); a note on stderr says when the answer was cut.",
)
@click.option(
    "--allow-service",
    is_flag=True,
    help="Let SERVICE clauses run: the query engine then connects to the servers they name over the network.",
)
@click.option("--endpoint", metavar="URL", help="Ask a SPARQL 1.1 endpoint instead of the embedded store.")
@click.option(
    "--engine",
    type=click.Choice(["oxigraph", "rdflib"]),
    default="oxigraph",
    show_default=True,
    help="Embedded engine.",
)
@click.option("-l", "--list", "list_", is_flag=True, help="List the questions with their parameters.")
@_friendly
def query(
    name: str | None,
    params: tuple[str, ...],
    fmt: str,
    timeout: float,
    max_rows: int,
    allow_service: bool,
    endpoint: str | None,
    engine: str,
    list_: bool,
) -> None:
    """Answer a competency question NAME, or run a SPARQL FILE (.rq/.sparql), over the release.

    Example: omsgraph query treatments -p category=OMSG:0000104

    Updates, LOAD, FROM and SERVICE are refused before the query runs (see docs/reliability.md).
    """
    from .errors import BadInputError
    from .query import answer, format_result, get_question, load_questions
    from .sparql import Limits

    if list_ or name is None:
        for question in load_questions().values():
            click.echo(f"{question.name:32} {question.question}")
            for p in question.parameters:
                click.echo(f"{'':32}   --param {p.name}={p.default}  {p.help}")
        return
    values: dict[str, str] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if item != item.encode("utf-8", "replace").decode("utf-8"):  # undecodable bytes in argv
            raise BadInputError(f"parameter {item!r} is not valid UTF-8; retype it in a UTF-8 terminal")
        if not sep or not key:
            raise BadInputError(f"parameter {item!r} is not KEY=VALUE; write e.g. --param population=adults")
        values[key.strip()] = value.strip()
    question = get_question(name)
    limits = Limits(timeout=timeout, max_rows=max_rows, allow_service=allow_service)
    try:
        result = answer(question, values, engine=engine, endpoint=endpoint, limits=limits)
    except BadInputError as exc:  # a query file: say which file the error is in
        if Path(name).is_file() and not str(exc).startswith(name):
            exc.args = (f"{name}: {exc}",)
        raise
    click.echo(format_result(result, fmt), nl=False)
    if result.truncated:
        unit = "triples" if result.graph is not None else "rows"
        click.echo(f"omsgraph: note: the answer was cut at {max_rows:,} {unit} (--max-rows)", err=True)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "csv"]),
    default="text",
    show_default=True,
    help="text to read, json (an array, one object per case; see docs/cases.md) or csv (a row per case).",
)
@click.option(
    "--top", type=click.IntRange(1, 20000), default=10, show_default=True, help="Ranked diagnoses shown."
)
@_friendly
def case(files: tuple[Path, ...], fmt: str, top: int) -> None:
    """Criteria verdict, work-up, differential and ranked diagnoses for the cases in FILES.

    FILES are GA4GH Phenopacket v2 JSON files or cohort CSV files (id, age, sex, present, excluded).
    A malformed record is reported on one line and skipped; the exit code is then 2.
    Reference information, not medical advice.
    """
    from .case import FORMATS, run_cases

    result = run_cases(list(files), top=top)
    click.echo(FORMATS[fmt](result.reports), nl=False)
    for problem in result.problems:
        click.echo(f"omsgraph: error: {problem.line()}", err=True)
    if result.problems:
        click.echo(f"omsgraph: {len(result.problems)} record(s) skipped", err=True)
        sys.exit(2)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port.")
@click.option(
    "--workers", default=2, show_default=True, type=click.IntRange(1, 64), help="SPARQL worker processes."
)
@click.option(
    "--timeout", default=10.0, show_default=True, type=click.FloatRange(0.1), help="Seconds per query."
)
@click.option(
    "--max-rows", default=10_000, show_default=True, type=click.IntRange(1), help="Rows per answer."
)
@_friendly
def serve(host: str, port: int, workers: int, timeout: float, max_rows: int) -> None:
    """Serve the release: pages, dereferenceable IRIs, search and a read-only SPARQL endpoint.

    Example: omsgraph serve --port 8000, then open http://127.0.0.1:8000/ (see docs/serving.md).
    """
    from .serve import Settings, run

    run(host, port, Settings(timeout=timeout, max_rows=max_rows, workers=workers))


@main.command()
@click.option("--endpoint", required=True, metavar="URL", help="The store's Graph Store Protocol URL.")
@click.option(
    "--graph", metavar="IRI", help="Put everything in this one named graph (default: one per graph)."
)
@click.option("--user", metavar="U", help="User name for the store (HTTP digest or basic).")
@click.option("--password", metavar="P", help="Password for the store.")
@_friendly
def publish(endpoint: str, graph: str | None, user: str | None, password: str | None) -> None:
    """Push the release to a SPARQL 1.1 store (Graph Store HTTP Protocol), replacing its graphs.

    Example: omsgraph publish --endpoint http://127.0.0.1:7878/store
    """
    from .publish import publish as run_publish

    for item in run_publish(endpoint, graph, user, password):
        click.echo(f"{item.graph}: {item.triples} triples (HTTP {item.status})")
