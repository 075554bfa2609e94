"""Fuzz every loader with ten thousand mutated real files: each ends in success or one clean error line.

Marked slow (a few minutes on two cores). Reproducible: the mutations come from a fixed seed, and a
crash names its input's index and mutations. The curated tables share one loader (``read_table`` and
its checks): ten thousand inputs over the five tables.
"""

from __future__ import annotations

import logging
import os

import pytest

from .harness import run
from .loaders import TABLES, all_loaders

pytestmark = pytest.mark.slow
SEED = 20261202
INPUTS = int(os.environ.get("OMSGRAPH_FUZZ_INPUTS", "10000"))
LOADERS = {loader.name: loader for loader in all_loaders()}


@pytest.fixture(autouse=True)
def _quiet_rdflib() -> None:
    logging.getLogger("rdflib").setLevel(logging.CRITICAL)  # as the command line does


@pytest.mark.parametrize("name", list(LOADERS))
def test_every_mutated_input_ends_in_success_or_one_clean_error_line(name: str) -> None:
    loader = LOADERS[name]
    count = INPUTS // len(TABLES) if name.startswith("curated table") else INPUTS
    tally = run(name, loader.seeds, loader.call, count, SEED, loader.names)
    assert tally.tried == count
    assert tally.clean_errors > 0, "the mutations never broke the input: the fuzzer is not fuzzing"
    assert not tally.crashes, f"{len(tally.crashes)} crashes, e.g.:\n" + "\n".join(tally.crashes[:10])
