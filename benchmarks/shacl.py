"""SHACL benchmark: how long validating the release takes, and pySHACL against Apache Jena on large
generated case files. A benchmark, not a test: it prints a Markdown table for benchmarks/README.md.

    .venv/bin/python benchmarks/shacl.py                 # release, then 10k and 100k cases
    .venv/bin/python benchmarks/shacl.py --cases 1000    # a quick run

pySHACL runs through omsgraph.validate (an oxigraph store, inference off), exactly as `omsgraph
validate CASES` does: the cases are validated together with the release, whose terms they name.
Jena 4.5 (Debian libapache-jena-java; classpath and start-up fix from tests/peers.py) runs `shacl
validate` on one N-Triples file holding the same cases and the release; its time includes the JVM
start (about 1 s). Both must find the same number of violations.
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rdflib import Graph  # noqa: E402

from omsgraph.release import load_release  # noqa: E402
from omsgraph.validate import (  # noqa: E402
    CHECK_GROUPS,
    GROUPS,
    group_file,
    load_data,
    load_shapes,
    release_file,
    validate,
    validate_files,
)

OMSG = "https://w3id.org/omsgraph/OMSG_"
T = TypeVar("T")
FINDING_TERMS = """
PREFIX OMSG: <https://w3id.org/omsgraph/OMSG_>
SELECT ?term WHERE {
  ?term OMSG:0000013 ?category . FILTER(?category IN ("phenotype", "neoplasm", "autoantibody"))
}
ORDER BY ?term
"""


def finding_terms() -> list[str]:
    return sorted(str(row[0]) for row in Graph().parse(release_file()).query(FINDING_TERMS))  # type: ignore[index]


def write_cases(path: Path, n: int, terms: list[str], seed: int = 4) -> int:
    """n case records as N-Triples; about one case in a hundred is broken. Returns the broken count."""
    rng = random.Random(seed)
    xsd = "http://www.w3.org/2001/XMLSchema#"
    broken = 0
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            case = f"<http://example.org/case/{i}>"
            years = rng.choice([rng.randint(0, 5), round(rng.uniform(0.5, 80), 1)])
            age: str | None = f'"{years}"^^<{xsd}decimal>'
            sex: str | None = f'"{rng.choice(["female", "male", "female", "male", "unknown"])}"'
            findings = [f"<{t}>" for t in rng.sample(terms, rng.randint(2, 6))]
            if rng.random() < 0.01:
                broken += 1
                fault = rng.randrange(3)
                if fault == 0:
                    age = None
                elif fault == 1:
                    sex = '"F"'
                else:
                    findings.append("<http://purl.obolibrary.org/obo/HP_9999999>")
            out.write(f"{case} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{OMSG}0000501> .\n")
            if age is not None:
                out.write(f"{case} <{OMSG}0000701> {age} .\n")
            out.write(f"{case} <{OMSG}0000702> {sex} .\n")
            for term in findings:
                out.write(f"{case} <{OMSG}0000703> {term} .\n")
    return broken


def median_of(repeat: int, run: Callable[[], T]) -> tuple[float, T]:
    """The median time of ``repeat`` runs, and the last result."""
    times: list[float] = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def jena(shapes: Path, data: Path) -> tuple[float, int]:
    """Seconds (JVM start included) and violations of Jena's `shacl validate`."""
    from tests.peers import jena_classpath, system_java

    start = time.perf_counter()
    out = subprocess.run(
        [
            str(system_java()),
            "-Xmx8g",
            "-cp",
            jena_classpath(),
            "shacl.shacl",
            "validate",
            "--shapes",
            str(shapes),
            "--data",
            str(data),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    if out.returncode != 0:
        raise SystemExit(f"Jena failed: {out.stderr[-2000:]}")
    return seconds, out.stdout.count("sh:Violation")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import os

    return f"{cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.system()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs of the release validation (median)")
    parser.add_argument("--no-jena", action="store_true")
    args = parser.parse_args()
    print(f"machine: {machine()}\n")

    store = load_data([release_file()])
    rows = []
    runs = (("quality + integrity (omsgraph check)", CHECK_GROUPS), ("all groups", tuple(GROUPS)))
    for label, groups in runs:
        shapes = load_shapes([group_file(g) for g in groups])
        seconds, result = median_of(args.repeat, lambda shapes=shapes: validate(store, shapes))
        rows.append((label, seconds, result))
    whole, _ = median_of(args.repeat, validate_files)
    print("| release validation | seconds (median) | violations | warnings | infos |")
    print("|---|---|---|---|---|")
    for label, seconds, result in rows:
        counts = result.counts()
        print(f"| {label} | {seconds:.2f} | {counts['Violation']} | {counts['Warning']} | {counts['Info']} |")
    print(f"| `omsgraph validate` (load, all groups, report) | {whole:.2f} | | | |\n")

    terms = finding_terms()
    print(
        "| cases | triples | broken cases | pySHACL s | Jena s | pySHACL / Jena "
        "| violations (pySHACL, Jena) |"
    )
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        release_nt = load_release().serialize(format="nt", encoding="utf-8")
        for n in args.cases:
            cases = folder / f"cases-{n}.nt"
            broken = write_cases(cases, n, terms)
            triples = sum(1 for _ in cases.open(encoding="utf-8"))
            py_seconds, result = median_of(1, lambda cases=cases: validate_files([cases], ["cases"]))
            py_violations = len(result.violations)
            jena_cell, ratio, jena_violations = "-", "-", "-"
            if not args.no_jena:
                merged = folder / f"merged-{n}.nt"
                merged.write_bytes(cases.read_bytes() + release_nt)
                jena_seconds, violations = jena(group_file("cases"), merged)
                jena_cell = f"{jena_seconds:.1f}"
                ratio = f"{py_seconds / jena_seconds:.1f}x"
                jena_violations = str(violations)
            print(
                f"| {n:,} | {triples:,} | {broken} | {py_seconds:.1f} | {jena_cell} | {ratio} | "
                f"{py_violations}, {jena_violations} |"
            )


if __name__ == "__main__":
    main()
