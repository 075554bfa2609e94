"""The fuzz harness: feed mutated files to a loader in-process and sort every outcome.

Each input ends in one of three ways: the loader accepts it (a success), it raises an
``OmsgraphError`` whose message has the one-line shape (a clean error), or anything else happens (a
crash: another exception, or a clean error whose message breaks the shape). The tests assert no
crash; ``python -m tests.fuzz.report`` prints the figures for docs/reliability.md.
"""

from __future__ import annotations

import random
import re
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from omsgraph.errors import MAX_MESSAGE, OmsgraphError

from .mutate import mutants

#: A message names where: a line, a row, a column, a record, a byte offset or a parameter.
_WHERE = re.compile(r"\b(line|row|column|record|byte|offset|parameter|header|cell)s?\b|:\d+", re.IGNORECASE)


def message_problem(message: str, names: tuple[str, ...]) -> str | None:
    """Why ``message`` is not one line naming the input, what is wrong and how to fix it; None if it is."""
    if "\n" in message or "\r" in message:
        return "spans several lines"
    if len(message) > MAX_MESSAGE:
        return f"is {len(message)} characters long"
    if names and not any(n in message for n in names):
        return f"does not name the input ({' or '.join(names)})"
    what, sep, fix = message.rpartition("; ")
    if not sep or len(fix.strip()) < 8 or not what.strip():
        return "does not say how to fix it (no '; <fix>' part)"
    return None


@dataclass
class Tally:
    """What a fuzz run of one loader gave."""

    loader: str
    tried: int = 0
    successes: int = 0
    clean_errors: int = 0
    located: int = 0  # clean errors that name a line, row, column or record
    crashes: list[str] = field(default_factory=list)
    by_mutation: Counter[str] = field(default_factory=Counter)

    def row(self) -> str:
        return (
            f"| {self.loader} | {self.tried} | {self.successes} | {self.clean_errors} | "
            f"{self.located} | {len(self.crashes)} |"
        )


def run(
    loader: str,
    seeds: list[bytes],
    call: Callable[[bytes], object],
    count: int,
    seed: int,
    names: tuple[str, ...] = (),
) -> Tally:
    """Feed ``count`` mutants of ``seeds`` to ``call`` (which writes and loads them); tally outcomes."""
    rng = random.Random(seed)
    tally = Tally(loader)
    for index, (kind, data) in enumerate(mutants(seeds, count, rng)):
        tally.tried += 1
        tally.by_mutation[kind.split("+")[0]] += 1
        outcome = classify(call, data, names)
        if outcome == "success":
            tally.successes += 1
        elif outcome in ("error", "located"):
            tally.clean_errors += 1
            tally.located += outcome == "located"
        else:
            tally.crashes.append(f"input {index} ({kind}, seed {seed}): {outcome}")
    return tally


def classify(call: Callable[[bytes], object], data: bytes, names: tuple[str, ...] = ()) -> str:
    """'success', 'located' or 'error' (a clean error, with or without a place), or the crash."""
    try:
        call(data)
    except OmsgraphError as exc:
        problem = message_problem(str(exc), names)
        if problem:
            return f"message {problem}: {str(exc)[:300]!r}"
        return "located" if _WHERE.search(str(exc)) else "error"
    except Exception as exc:  # the very thing we look for
        frames = traceback.extract_tb(exc.__traceback__)
        where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
        return f"{type(exc).__name__} at {where}: {str(exc)[:200]!r}"
    return "success"
