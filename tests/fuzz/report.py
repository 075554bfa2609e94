"""Run the fuzz harness over every loader and print the figures table of docs/reliability.md.

.venv/bin/python -m tests.fuzz.report [COUNT] [LOADER-SUBSTRING]
"""

from __future__ import annotations

import logging
import sys
import time

from .harness import run
from .loaders import TABLES, all_loaders
from .test_fuzz import INPUTS, SEED


def main() -> None:
    logging.getLogger("rdflib").setLevel(logging.CRITICAL)  # as the command line does
    count = int(sys.argv[1]) if len(sys.argv) > 1 else INPUTS
    only = sys.argv[2] if len(sys.argv) > 2 else ""
    print("| loader | inputs tried | successes | clean errors | of which located | crashes |")
    print("|---|---:|---:|---:|---:|---:|")
    for loader in all_loaders():
        if only not in loader.name:
            continue
        start, cpu = time.perf_counter(), time.process_time()
        n = count // len(TABLES) if loader.name.startswith("curated table") else count
        tally = run(loader.name, loader.seeds, loader.call, n, SEED, loader.names)
        wall, used = time.perf_counter() - start, time.process_time() - cpu
        print(tally.row(), f"<!-- {used:.0f} s CPU, {wall:.0f} s wall -->", flush=True)
        for crash in tally.crashes[:8]:
            print("   ", crash, file=sys.stderr)
        kinds = sorted({c.split(": ", 1)[1][:140] for c in tally.crashes})
        for kind in kinds[:15]:
            print("   KIND", kind, file=sys.stderr)


if __name__ == "__main__":
    main()
