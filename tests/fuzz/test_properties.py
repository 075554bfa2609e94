"""Property-based tests (hypothesis, derandomized so runs repeat): any cell, any parameter value, any
bytes for a shapes or edit file end in success or one clean error line naming the input."""

from __future__ import annotations

import logging

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .harness import classify
from .loaders import MINI, curation_table, edit_file, query_param, shapes_file

pytestmark = pytest.mark.slow
SETTINGS = settings(
    max_examples=300, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
ASSERTIONS = curation_table("assertions.tsv")
EDIT, SHAPES, PARAM = edit_file(), shapes_file(), query_param()
CELLS = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)


@pytest.fixture(autouse=True)
def _quiet_rdflib() -> None:
    logging.getLogger("rdflib").setLevel(logging.CRITICAL)


def _ok(outcome: str) -> bool:
    return outcome in ("success", "error", "located")


@SETTINGS
@given(column=st.integers(0, 9), cell=CELLS)
def test_any_cell_of_a_curated_table_is_accepted_or_refused_in_one_line(column: int, cell: str) -> None:
    lines = (MINI / "assertions.tsv").read_text(encoding="utf-8").splitlines()
    cells = lines[1].split("\t")
    cells[column] = cell
    lines[1] = "\t".join(cells)
    data = ("\n".join(lines) + "\n").encode("utf-8")
    outcome = classify(ASSERTIONS.call, data, ASSERTIONS.names)
    assert _ok(outcome), outcome


@SETTINGS
@given(value=CELLS)
def test_any_parameter_value_is_answered_or_refused_in_one_line(value: str) -> None:
    outcome = classify(PARAM.call, f"population={value}".encode(), PARAM.names)
    assert _ok(outcome), outcome


@SETTINGS
@given(data=st.binary(max_size=3000))
def test_any_bytes_as_an_edit_file_or_shapes_file_end_in_one_clean_line(data: bytes) -> None:
    for loader in (EDIT, SHAPES):
        outcome = classify(loader.call, data, loader.names)
        assert _ok(outcome), f"{loader.name}: {outcome}"
