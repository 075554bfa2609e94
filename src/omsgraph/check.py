"""The main job: rebuild what is stale, reason, validate, answer the competency questions."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal

from .build import Progress, Release, _quiet, build_release, write_release
from .query import ask, load_questions
from .store import OxigraphEngine, dataset_nquads
from .validate import ValidationResult, validate
from .vocab import CATEGORY


@dataclass
class CheckReport:
    release: Release
    written: list[Path]
    validation: ValidationResult
    answered: dict[str, int]  # question -> rows
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.release.reasoner.ok and self.validation.conforms and all(self.answered.values())

    def categories(self) -> dict[str, int]:
        g = self.release.graph
        counts = Counter(str(c) for c in g.objects(None, CATEGORY) if isinstance(c, Literal))
        return dict(sorted(counts.items()))

    def summary(self) -> str:
        r = self.release
        reasoner = r.reasoner
        lines = [
            f"omsgraph {r.version}",
            f"  built       {len(self.written)} file(s) rewritten, "
            f"{len(r.files) - len(self.written)} up to date",
            "  content     " + ", ".join(f"{v} {k}" for k, v in r.counts.items()),
            "  categories  " + ", ".join(f"{v} {k}" for k, v in self.categories().items()),
            f"  reasoner    HermiT: {'consistent' if reasoner.consistent else 'INCONSISTENT'}, "
            f"{len(reasoner.unsatisfiable)} unsatisfiable classes, {len(reasoner.inferred)} inferred links "
            f"({reasoner.seconds:.1f} s)",
            f"  SHACL       {'conforms' if self.validation.conforms else 'DOES NOT CONFORM'}: "
            f"{len(self.validation.violations)} violations, "
            f"{len(self.validation.findings) - len(self.validation.violations)} warnings/infos "
            f"({self.validation.shapes} shapes)",
            f"  questions   {sum(1 for n in self.answered.values() if n)}/{len(self.answered)} answered",
        ]
        for finding in self.validation.violations[:20]:
            lines.append(f"    violation: {finding.focus} {finding.path}: {finding.message}")
        for name, rows in self.answered.items():
            if not rows:
                lines.append(f"    unanswered: {name}")
        lines.append(f"  verdict     {'OK' if self.ok else 'FAILED'}")
        return "\n".join(lines)


def run_check(progress: Progress = _quiet, *, write: bool = True) -> CheckReport:
    timings: dict[str, float] = {}
    start = time.perf_counter()
    release = build_release(progress)
    timings["build"] = time.perf_counter() - start
    written = write_release(release) if write else []
    progress("validating with SHACL")
    t = time.perf_counter()
    validation = validate(release.graph)
    timings["validate"] = time.perf_counter() - t
    progress("answering the competency questions")
    t = time.perf_counter()
    engine = OxigraphEngine.in_memory(dataset_nquads(release.graph))
    answered = {name: len(ask(q, engine).rows) for name, q in load_questions().items()}
    timings["questions"] = time.perf_counter() - t
    return CheckReport(release, written, validation, answered, timings)
