"""`omsgraph query` through the CLI runner."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from omsgraph.cli import main


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OMSGRAPH_CACHE", str(tmp_path_factory.getbasetemp() / "store-cache"))


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["query", *args])
    return result.exit_code, result.output


def test_list_shows_every_question_with_parameters() -> None:
    code, out = run("--list")
    assert code == 0
    assert "criteria-verdict" in out and "--param findings=" in out


def test_default_table_has_labels_not_iris() -> None:
    code, out = run("care-team")
    assert code == 0
    assert "neurologist" in out and "(5 rows)" in out and "http" not in out


def test_param_and_json() -> None:
    code, out = run("criteria-verdict", "-p", "findings=HP:0010543,HP:0001336", "-f", "json")
    assert code == 0
    assert json.loads(out) == [{"criteria_met": "2", "meets_rule": "false"}]


def test_query_file(tmp_path: Path) -> None:
    rq = tmp_path / "mine.rq"
    rq.write_text(
        "# question: how many claims?\n# parameters: none\n# columns: n\n"
        "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/omsgraph/OMSG_0000054> }",
        encoding="utf-8",
    )
    code, out = run(str(rq), "-f", "csv")
    assert code == 0 and out.splitlines()[0] == "n" and int(out.splitlines()[1]) > 100


def test_rdflib_engine() -> None:
    code, out = run("antigens", "--engine", "rdflib", "-f", "tsv")
    assert code == 0 and "NOVA1\tHGNC:7886\tAnti-Ri antibody" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nope",), "no question named 'nope'; known questions:"),
        (("sequelae", "-p", "population"), "is not KEY=VALUE"),
        (("sequelae", "-p", "colour=red"), "has no parameter 'colour'"),
        (("care-team", "--endpoint", "ftp://x"), "is not an http(s) URL"),
    ],
)
def test_bad_input_exits_2_with_one_line(args: tuple[str, ...], message: str) -> None:
    code, out = run(*args)
    assert code == 2
    assert message in out and out.startswith("omsgraph: error: ") and len(out.strip().splitlines()) == 1


def test_unreachable_endpoint_is_one_line() -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code, out = run("care-team", "--endpoint", f"http://127.0.0.1:{port}/query")
    assert code == 2
    assert "cannot reach endpoint" in out and "Traceback" not in out
