"""The CLI: help everywhere, one-line errors with distinct exit codes, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from omsgraph import __version__, resources
from omsgraph.cli import main

COMMANDS = ["check", "build", "reason"]


@pytest.mark.parametrize("command", [[], *[[c] for c in COMMANDS]])
def test_help(command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_python_dash_m() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "omsgraph", "--help"], capture_output=True, text=True, check=True
    )
    assert "check" in out.stdout and "not medical advice" in out.stdout


def test_reason_missing_file_is_bad_input(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["reason", str(tmp_path / "nope.owl")])
    assert result.exit_code == 2
    assert result.output.startswith("omsgraph: error: ")
    assert "does not exist" in result.output
    assert "Traceback" not in result.output


def test_reason_malformed_file_is_bad_input(tmp_path: Path) -> None:
    bad = tmp_path / "bad.owl"
    bad.write_text("<rdf:RDF this is not xml", encoding="utf-8")
    result = CliRunner().invoke(main, ["reason", str(bad)])
    assert result.exit_code == 2
    assert "is not valid xml" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_reason_unknown_extension_is_bad_input(tmp_path: Path) -> None:
    other = tmp_path / "x.docx"
    other.write_text("x", encoding="utf-8")
    result = CliRunner().invoke(main, ["reason", str(other)])
    assert result.exit_code == 2
    assert "unknown extension" in result.output


def test_reason_release_is_consistent() -> None:
    result = CliRunner().invoke(main, ["reason"])
    assert result.exit_code == 0, result.output
    assert "consistent; 0 unsatisfiable classes; 0 subclass links not yet asserted" in result.output


def test_build_with_a_broken_table_exits_2_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mini_tables: Path
) -> None:
    table = mini_tables / "assertions.tsv"
    table.write_text(
        table.read_text(encoding="utf-8").replace("has phenotype", "has fenotype"), encoding="utf-8"
    )
    monkeypatch.setattr(resources, "curation_dir", lambda: mini_tables)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "-q", "-o", str(out)])
    assert result.exit_code == 2
    assert "assertions.tsv:2 column 'relation'" in result.output
    assert not out.exists()


def test_build_to_a_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "omsgraph.owl").is_file()
    assert (tmp_path / "catalog-v001.xml").is_file()


def test_check_passes_and_prints_a_summary() -> None:
    result = CliRunner().invoke(main, ["check", "-q"])
    assert result.exit_code == 0, result.output
    for word in (
        "reasoner    HermiT: consistent",
        "SHACL       conforms",
        "questions   40/40 answered",
        "Protégé     OK: 6 files through OWL API",
        "0 DL violations",
        "verdict     OK",
    ):
        assert word in result.output
