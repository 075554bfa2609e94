"""The query door (omsgraph.sparql): refusals, worker processes, deadlines, row caps, formats, and the
regression tests for every defect of `omsgraph query` listed in issue #14 item 5."""

from __future__ import annotations

import csv
import io
import json
import random
import re
import socket
import threading
import time
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from omsgraph.cli import main
from omsgraph.errors import BadInputError, OmsgraphError
from omsgraph.query import check_values, format_answer, load_questions
from omsgraph.sparql import (
    GRAPH_MEDIA_TYPES,
    RESULT_MEDIA_TYPES,
    Limits,
    QueryInfo,
    QueryRefused,
    QueryRunner,
    QueryTimeout,
    inspect,
    open_runner,
    serialize_result,
)
from omsgraph.store import Answer

OMS = "http://purl.obolibrary.org/obo/MONDO_0015247"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OMSGRAPH_CACHE", str(tmp_path_factory.getbasetemp() / "store-cache"))


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> Iterator[QueryRunner]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("OMSGRAPH_CACHE", str(tmp_path_factory.getbasetemp() / "store-cache"))
        with open_runner("oxigraph", workers=2, limits=Limits(timeout=10)) as pool:
            yield pool


@pytest.fixture(scope="module")
def rdflib_runner() -> Iterator[QueryRunner]:
    with open_runner("rdflib", limits=Limits(timeout=60)) as pool:
        yield pool


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["query", *args])
    return result.exit_code, result.output


def one_error_line(out: str) -> str:
    lines = out.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("omsgraph: error: "), out
    assert "Traceback" not in out
    return lines[0]


def query_file(tmp_path: Path, text: str, suffix: str = ".rq") -> str:
    path = tmp_path / f"q{suffix}"
    path.write_text(text, encoding="utf-8")
    return str(path)


# --- the lexical scan -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
        ("PREFIX load: <http://x/> ask { ?service load:from 'INSERT SERVICE' } # DELETE LOAD", "ASK"),
        ('CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p """FROM\n SERVICE""" . FILTER(?o < 3) }', "CONSTRUCT"),
        ("DESCRIBE <http://x/SERVICE>", "DESCRIBE"),
    ],
)
def test_keywords_inside_strings_iris_comments_and_names_are_not_refused(text: str, kind: str) -> None:
    assert inspect(text).kind == kind


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }", "updates are not accepted"),
        ("PREFIX x: <http://x/> DELETE WHERE { ?s ?p ?o }", "updates are not accepted"),
        ("DROP ALL", "updates are not accepted"),
        ("LOAD <http://127.0.0.1:9/x.ttl>", "LOAD is not accepted"),
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "SERVICE is refused"),
        ("SELECT * WHERE { OPTIONAL { SERVICE SILENT <http://x/> { ?s ?p ?o } } }", "SERVICE is refused"),
        ("SELECT * WHERE { SERV\\u0049CE <http://x/> { ?s ?p ?o } }", "SERVICE is refused"),
        ("SELECT * FROM <http://127.0.0.1:9/g> WHERE { ?s ?p ?o }", "FROM and FROM NAMED"),
        ("SELECT * FROM NAMED <http://x/g> WHERE { ?s ?p ?o }", "FROM and FROM NAMED"),
        ("ASK {" + "{" * 501 + "}" * 502, "nested more than 500 levels"),
        ("# only a comment", "not a SPARQL query"),
        ("", "query is empty"),
    ],
)
def test_refused_before_execution(text: str, message: str) -> None:
    with pytest.raises(QueryRefused, match=re.escape(message)):
        inspect(text)


def test_limits_on_size_and_depth_are_configurable() -> None:
    with pytest.raises(QueryRefused, match="over the limit of 100"):
        inspect("SELECT * WHERE { ?s ?p ?o }" + " " * 100, Limits(max_query_bytes=100))
    assert inspect("ASK {{{}}}", Limits(max_depth=3)).depth == 3
    assert inspect("SELECT * WHERE { SERVICE <http://x/> {} }", Limits(allow_service=True)).kind == "SELECT"


# --- the runner ---------------------------------------------------------------------------------------


def test_every_query_form_runs(runner: QueryRunner) -> None:
    assert runner.run(f"ASK {{ <{OMS}> ?p ?o }}").boolean is True
    select = runner.run(f"SELECT ?p ?o WHERE {{ <{OMS}> ?p ?o }}")
    assert select.kind == "SELECT" and select.columns == ("p", "o") and select.rows
    for form in (f"CONSTRUCT {{ <{OMS}> ?p ?o }} WHERE {{ <{OMS}> ?p ?o }}", f"DESCRIBE <{OMS}>"):
        result = runner.run(form)
        assert result.graph is not None
        assert len(list(ox.parse(result.graph, format=ox.RdfFormat.N_TRIPLES))) > 10


def test_every_question_answers_the_same_through_the_door(runner: QueryRunner) -> None:
    from collections import Counter

    from omsgraph.query import ask
    from omsgraph.sparql import to_answer
    from omsgraph.store import OxigraphEngine

    assert runner.engine == "oxigraph"
    direct = OxigraphEngine(ox.Store.read_only(runner.source))
    for name, question in load_questions().items():
        door = to_answer(runner.run(question.bind({})))
        expected = ask(question, direct)
        assert door.columns == expected.columns, name
        assert Counter(door.rows) == Counter(expected.rows), name


def test_results_are_capped_at_max_rows(runner: QueryRunner) -> None:
    result = runner.run("SELECT * WHERE { ?s ?p ?o }", Limits(max_rows=7))
    assert len(result.rows) == 7 and result.truncated
    graph = runner.run("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", Limits(max_rows=5))
    assert graph.graph is not None and graph.graph.count(b"\n") == 5 and graph.truncated
    assert not runner.run(f"SELECT ?p WHERE {{ <{OMS}> ?p ?o }} LIMIT 3").truncated


def test_serializations_are_the_w3c_formats(runner: QueryRunner) -> None:
    select = runner.run(f"SELECT ?p ?o WHERE {{ <{OMS}> ?p ?o }} ORDER BY ?p ?o LIMIT 20")
    doc = json.loads(serialize_result(select, "application/sparql-results+json"))
    assert doc["head"]["vars"] == ["p", "o"] and len(doc["results"]["bindings"]) == 20
    xml = ET.fromstring(serialize_result(select, "application/sparql-results+xml"))
    assert len(xml.findall(".//{http://www.w3.org/2005/sparql-results#}result")) == 20
    rows = list(csv.reader(io.StringIO(serialize_result(select, "text/csv").decode())))
    assert rows[0] == ["p", "o"] and len(rows) == 21
    assert serialize_result(select, "text/tab-separated-values").decode().startswith("?p\t?o\n<http")
    ask = runner.run("ASK { ?s ?p ?o }")
    assert json.loads(serialize_result(ask, "application/sparql-results+json"))["boolean"] is True
    graph = runner.run(f"DESCRIBE <{OMS}>")
    counts = set()
    for media, name in GRAPH_MEDIA_TYPES.items():
        data = serialize_result(graph, media)
        fmt = {"turtle": "turtle", "jsonld": "json-ld", "rdfxml": "xml", "ntriples": "nt"}[name]
        from rdflib import Graph

        counts.add(len(Graph().parse(data=data, format=fmt)))
    assert len(counts) == 1
    with pytest.raises(BadInputError, match="cannot carry"):
        serialize_result(graph, "text/csv")
    fast = runner.run_serialized(f"SELECT ?p WHERE {{ <{OMS}> ?p ?o }}", "text/csv")
    assert fast.splitlines()[0] == b"p" and set(RESULT_MEDIA_TYPES) >= {"text/csv"}


def test_parser_crash_kills_only_the_worker_and_is_a_clear_error(runner: QueryRunner) -> None:
    deep = "ASK { " + "{" * 300_000 + "}" * 300_000 + " }"
    with pytest.raises(BadInputError, match=r"crashed on this query \(signal"):
        runner.run(deep, Limits(max_depth=10**9, max_query_bytes=10**9))
    assert runner.run("ASK { ?s ?p ?o }").boolean is True  # the worker was replaced


def test_memory_hungry_query_fails_alone_with_a_clear_error(runner: QueryRunner) -> None:
    hungry = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?c ?f ?d LIMIT 1"
    with pytest.raises(BadInputError, match="needs more than 64 MB"):
        runner.run(hungry, Limits(max_memory_mb=64))
    assert runner.run("ASK { ?s ?p ?o }").boolean is True


def test_a_worker_killed_while_idle_is_replaced_without_an_error(runner: QueryRunner) -> None:
    runner.run("ASK {}")
    for worker in list(runner._all):  # the test plays the outside killer
        worker.process.kill()
        worker.process.wait()
    assert runner.run(f"ASK {{ <{OMS}> ?p ?o }}").boolean is True
    assert runner.run(f"ASK {{ <{OMS}> ?p ?o }}").boolean is True


def test_runaway_query_is_stopped_at_the_limit(runner: QueryRunner) -> None:
    start = time.perf_counter()
    with pytest.raises(QueryTimeout, match="time limit of 1 s"):
        runner.run(RUNAWAY, Limits(timeout=1))
    assert time.perf_counter() - start < 5
    assert runner.run("ASK { ?s ?p ?o }").boolean is True


def test_second_query_is_answered_while_one_runs_away(runner: QueryRunner) -> None:
    outcome: list[BaseException] = []

    def runaway() -> None:
        try:
            runner.run(RUNAWAY, Limits(timeout=4))
        except QueryTimeout as exc:
            outcome.append(exc)

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.5)
    start = time.perf_counter()
    assert runner.run(f"ASK {{ <{OMS}> ?p ?o }}").boolean is True
    answered = time.perf_counter() - start
    thread.join()
    assert thread_was_still_running_when_answered(answered, 4 - 0.5)
    assert len(outcome) == 1


def test_a_query_waits_for_a_busy_pool_no_longer_than_the_limit() -> None:
    with open_runner("oxigraph", workers=1) as single:
        single.run("ASK {}")
        outcome: list[BaseException] = []

        def runaway() -> None:
            try:
                single.run(RUNAWAY, Limits(timeout=3))
            except QueryTimeout as exc:
                outcome.append(exc)

        thread = threading.Thread(target=runaway)
        thread.start()
        time.sleep(0.5)
        with pytest.raises(QueryTimeout, match="all 1 query workers stayed busy"):
            single.run("ASK {}", Limits(timeout=1))
        thread.join()
        assert len(outcome) == 1 and single.run("ASK {}").boolean is True


def thread_was_still_running_when_answered(answered: float, remaining: float) -> bool:
    return answered < remaining


# --- network: SERVICE opens no connection, in either engine ----------------------------------------------


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        server.setblocking(False)
        yield server


def assert_nobody_connected(server: socket.socket) -> None:
    time.sleep(0.3)
    with pytest.raises(BlockingIOError):
        server.accept()


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
@pytest.mark.parametrize(
    "pattern",
    ["SERVICE <{url}> {{ ?s ?p ?o }}", "OPTIONAL {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}"],
)
def test_service_opens_no_outbound_connection(
    listener: socket.socket, engine: str, pattern: str, tmp_path: Path
) -> None:
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
    text = "SELECT * WHERE { " + pattern.format(url=url) + " }"
    code, out = run(query_file(tmp_path, text), "--engine", engine)
    assert code == 2 and "SERVICE is refused" in one_error_line(out)
    assert_nobody_connected(listener)


def test_rdflib_worker_refuses_service_even_past_the_scan(
    listener: socket.socket, rdflib_runner: QueryRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
    # with the scan disabled, the rdflib worker's algebra check is the second line of defence
    monkeypatch.setattr("omsgraph.sparql.runner.inspect", lambda text, limits: QueryInfo("SELECT", 2, 1))
    with pytest.raises(QueryRefused, match="SERVICE is refused"):
        rdflib_runner.run(f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", Limits(timeout=20))
    assert_nobody_connected(listener)


# --- `omsgraph query`: one regression test per defect of #14 item 5 --------------------------------------


def test_segfault_on_3000_deep_groups_is_one_line_exit_2(tmp_path: Path) -> None:
    code, out = run(query_file(tmp_path, "ASK { " + "{" * 3000 + "}" * 3000 + " }"))
    assert code == 2 and "nested more than 500 levels" in one_error_line(out)


def test_segfault_on_20000_parentheses_in_a_filter_is_one_line_exit_2(tmp_path: Path) -> None:
    text = "ASK { ?s ?p ?o FILTER(" + "(" * 20_000 + "true" + ")" * 20_000 + ") }"
    code, out = run(query_file(tmp_path, text))
    assert code == 2 and "nested more than 500 levels" in one_error_line(out)


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_ask_construct_describe_no_traceback(engine: str, tmp_path: Path) -> None:
    code, out = run(query_file(tmp_path, f"ASK {{ <{OMS}> ?p ?o }}"), "--engine", engine)
    assert (code, out) == (0, "yes\n")
    code, out = run(
        query_file(tmp_path, "ASK { <http://x/nothing> ?p ?o }"), "--engine", engine, "-f", "json"
    )
    assert (code, out) == (0, "false\n")
    construct = f"CONSTRUCT {{ <{OMS}> ?p ?o }} WHERE {{ <{OMS}> ?p ?o }}"
    code, out = run(query_file(tmp_path, construct), "--engine", engine)
    assert code == 0 and "Traceback" not in out
    from rdflib import Graph

    assert len(Graph().parse(data=out, format="turtle")) > 10
    code, out = run(query_file(tmp_path, f"DESCRIBE <{OMS}>"), "--engine", engine, "-f", "jsonld")
    assert code == 0 and json.loads(out)


def test_rdflib_ask_prints_yes_not_an_empty_row(tmp_path: Path) -> None:
    code, out = run(query_file(tmp_path, "ASK { ?s ?p ?o }"), "--engine", "rdflib")
    assert (code, out) == (0, "yes\n")


def test_rdflib_valid_200_deep_query_is_not_a_recursion_error(rdflib_runner: QueryRunner) -> None:
    text = "ASK { " + "{" * 200 + f"<{OMS}> ?p ?o" + "}" * 200 + " }"
    assert rdflib_runner.run(text).boolean is True
    text = "ASK { FILTER(" + "(" * 200 + "true" + ")" * 200 + ") }"
    assert rdflib_runner.run(text).boolean is True


@pytest.mark.parametrize("suffix", [".rq", ".sparql"])
def test_plain_query_file_without_header_runs(tmp_path: Path, suffix: str) -> None:
    text = f"SELECT ?label WHERE {{ <{OMS}> <http://www.w3.org/2000/01/rdf-schema#label> ?label }}"
    code, out = run(query_file(tmp_path, text, suffix), "-f", "csv")
    assert code == 0 and out.splitlines() == ["label", "opsoclonus-myoclonus syndrome"]


def test_updates_say_updates_are_not_accepted(tmp_path: Path) -> None:
    code, out = run(query_file(tmp_path, "INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }"))
    assert code == 2 and "updates are not accepted" in one_error_line(out)


def test_help_example_names_a_question_that_exists() -> None:
    code, out = run("--help")
    example = re.search(r"Example: omsgraph query (\S+)(.*)", out)
    assert code == 0 and example, out
    assert example[1] in load_questions()
    code, out = run(example[1], *example[2].split())
    assert code == 0 and "(0 rows)" not in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("codes", "-p", "scheme=NOPE"), "'NOPE' is neither a value of this question nor in the graph"),
        (("entity", "-p", "entity=MONDO:9999999"), "MONDO:9999999 is not in the graph"),
        (("antibodies-to-test", "-p", "population=kids"), "valid values include adults"),
    ],
)
def test_unknown_parameter_value_is_an_error(args: tuple[str, ...], message: str) -> None:
    code, out = run(*args)
    assert code == 2 and message in one_error_line(out)


def test_every_default_parameter_value_passes_the_check(runner: QueryRunner) -> None:
    for question in load_questions().values():
        values = {p.name: p.default for p in question.parameters}
        check_values(question, values, runner.run)  # raises when a default is unknown


def test_runaway_query_stops_at_the_limit_with_a_clear_message(tmp_path: Path) -> None:
    code, out = run(query_file(tmp_path, RUNAWAY), "--timeout", "1")
    assert code == 2 and "ran longer than the time limit of 1 s" in one_error_line(out)


def test_max_rows_cuts_and_says_so(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["query", query_file(tmp_path, "SELECT * WHERE { ?s ?p ?o }"), "--max-rows", "3"]
    )
    assert result.exit_code == 0 and "(3 rows)" in result.stdout
    assert "cut at 3 rows" in result.stderr


def test_table_does_not_cut_long_values() -> None:
    long = "a definition " * 20
    text = format_answer(Answer(("term", "definition"), [("x", long.strip())]))
    assert "…" not in text
    assert " ".join(text.split()).count("a definition") == 20


# --- --endpoint: SELECT, ASK and CONSTRUCT ---------------------------------------------------------------


class _Stub(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        form = urllib.parse.parse_qs(body).get("query")
        query = form[0] if form else body  # a form POST or a bare query body
        if query.lstrip().startswith("ASK"):
            body, kind = b'{"head": {}, "boolean": true}', "application/sparql-results+json"
        elif query.lstrip().startswith("CONSTRUCT"):
            body, kind = f'<{OMS}> <http://x/p> "v" .\n'.encode(), "application/n-triples"
        else:
            doc = {"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"type": "uri", "value": OMS}}]}}
            body, kind = json.dumps(doc).encode(), "application/sparql-results+json"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_endpoint_answers_select_ask_and_construct(tmp_path: Path) -> None:
    server = HTTPServer(("127.0.0.1", 0), _Stub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
    try:
        assert run(query_file(tmp_path, "SELECT ?s WHERE { ?s ?p ?o }"), "--endpoint", url, "-f", "csv") == (
            0,
            "s\nMONDO:0015247\n",
        )
        assert run(query_file(tmp_path, "ASK { ?s ?p ?o }"), "--endpoint", url) == (0, "yes\n")
        code, out = run(query_file(tmp_path, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"), "--endpoint", url)
        assert code == 0 and '"v"' in out
    finally:
        server.shutdown()
        server.server_close()


# --- mutations of the real questions: every one ends in an answer or one omsgraph error -----------------


def _mutants(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    texts = [q.sparql for q in load_questions().values()]
    pieces = [
        "{",
        "}",
        "(",
        ")",
        '"',
        "'''",
        "<",
        ">",
        "#",
        "\\u0022",
        "SERVICE",
        "INSERT",
        "\n",
        "\x00",
        "é",
    ]
    out = []
    for _ in range(count):
        text = rng.choice(texts)
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(text) + 1)
            move = rng.randrange(4)
            if move == 0:
                text = text[:at]  # truncation
            elif move == 1:
                text = text[:at] + rng.choice(pieces) * rng.randint(1, 700) + text[at:]
            elif move == 2:
                text = text[:at] + chr(rng.randrange(1, 0x250)) + text[at + 1 :]  # a character flipped
            else:
                text = text[:at] + text[at + rng.randint(1, 40) :]  # a piece cut out
        out.append(text)
    return out


def test_scan_of_mutated_questions_answers_or_refuses() -> None:
    for text in _mutants(3000, seed=14):
        try:
            info = inspect(text)
        except QueryRefused as exc:
            assert "\n" not in str(exc)
        else:
            assert info.kind in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


def test_mutated_questions_end_in_an_answer_or_one_error(runner: QueryRunner) -> None:
    for text in _mutants(150, seed=5):
        try:
            result = runner.run(text, Limits(timeout=10, max_rows=50))
        except OmsgraphError as exc:
            assert str(exc) and "\n" not in str(exc)
        else:
            assert result.kind in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


def test_multiline_parser_error_is_one_line_that_shows_where(runner: QueryRunner) -> None:
    # pyoxigraph lists every character class it expected, over several lines (found by the mutations)
    for text, says in [
        ("SELECT * WHERE {\n  ?s nope:a ?o }", "a prefix is used without its PREFIX declaration"),
        ("SELECT * WHERE { ?s ?p ?o }\nGROUP BY", "(and more)"),
    ]:
        with pytest.raises(BadInputError) as caught:
            runner.run(text)
        message = str(caught.value)
        assert "\n" not in message and len(message) < 400 and "not valid SPARQL: error at 2:" in message
        assert "(near " in message and says in message
