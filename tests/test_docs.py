"""The README's generated parts are current and its documented commands exist."""

from __future__ import annotations

from pathlib import Path

from omsgraph.cli import main
from omsgraph.diagram import readme_block, schema_edges
from omsgraph.release import load_release

README = Path(__file__).resolve().parents[1] / "README.md"


def test_schema_diagram_is_current() -> None:
    graph = load_release()
    assert schema_edges(graph), "the release has no curated statements to draw"
    assert readme_block(graph) in README.read_text(encoding="utf-8"), (
        "the schema diagram in README.md is out of date; run `./tasks docs`"
    )


def test_every_command_is_documented() -> None:
    text = README.read_text(encoding="utf-8")
    for name in main.commands:  # type: ignore[attr-defined]
        assert f"`omsgraph {name}" in text, f"README.md does not document `omsgraph {name}`"


def test_readme_says_not_medical_advice() -> None:
    assert "Not medical advice" in README.read_text(encoding="utf-8")


def test_readme_commands_are_the_task_runner() -> None:
    text = README.read_text(encoding="utf-8")
    assert "./tasks check" in text and "./tasks test" in text
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "./tasks test" in ci, ".ci/run must call the README's test command"
