"""The main job: rebuild what is stale, reason, validate, answer the competency questions."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal

from . import resources
from .build import CATALOG_FILE, Progress, Release, _quiet, build_release, write_release
from .owlapi import OwlApiReport, check_files
from .query import ask, load_questions
from .store import OxigraphEngine, dataset_nquads
from .validate import CHECK_GROUPS, ValidationResult, group_file, load_shapes, validate
from .vocab import CATEGORY


@dataclass
class CheckReport:
    release: Release
    written: list[Path]
    validation: ValidationResult
    answered: dict[str, int]  # question -> rows
    owlapi: OwlApiReport
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return (
            self.release.reasoner.ok
            and self.validation.conforms
            and all(self.answered.values())
            and self.owlapi.ok
        )

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
            f"({', '.join(CHECK_GROUPS)}: {self.validation.shapes} shapes)",
            f"  questions   {sum(1 for n in self.answered.values() if n)}/{len(self.answered)} answered",
            f"  Protégé     {self._owlapi_line()}",
        ]
        for finding in self.validation.violations[:20]:
            lines.append(
                f"    violation: {finding.rule}: {finding.focus} {finding.label!r}: {finding.message}"
            )
        for name, rows in self.answered.items():
            if not rows:
                lines.append(f"    unanswered: {name}")
        for report in self.owlapi.files:
            lines += [f"    {Path(report.path).name}: {problem}" for problem in report.problems()]
        lines.append(f"  verdict     {'OK' if self.ok else 'FAILED'}")
        return "\n".join(lines)

    def _owlapi_line(self) -> str:
        files = self.owlapi.files
        verdict = "OK" if self.owlapi.ok else "FAILED"
        return (
            f"{verdict}: {len(files)} files through {self.owlapi.library}: "
            f"{sum(len(f.error_iris) for f in files)} error# IRIs, "
            f"{sum(len(f.unparsed) for f in files)} unparsed triples, "
            f"{sum(len(f.violations) for f in files)} DL violations, "
            f"HermiT consistent on {sum(1 for f in files if f.consistent)}/{len(files)}"
        )


#: What Protégé users open: the release variants, and the edit file with its imports.
PROTEGE_FILES = (
    "omsgraph.owl",
    "omsgraph.ttl",
    "omsgraph-base.owl",
    "omsgraph-base.ttl",
    "omsgraph-edges.ttl",
    "omsgraph-edit.ttl",
)


def run_check(progress: Progress = _quiet, *, write: bool = True) -> CheckReport:
    timings: dict[str, float] = {}
    start = time.perf_counter()
    release = build_release(progress)
    timings["build"] = time.perf_counter() - start
    written = write_release(release) if write else []
    progress(f"validating with SHACL ({', '.join(CHECK_GROUPS)})")
    t = time.perf_counter()
    validation = validate(release.graph, load_shapes([group_file(g) for g in CHECK_GROUPS]))
    timings["validate"] = time.perf_counter() - t
    progress("answering the competency questions")
    t = time.perf_counter()
    engine = OxigraphEngine.in_memory(dataset_nquads(release.graph))
    answered = {name: len(ask(q, engine).rows) for name, q in load_questions().items()}
    timings["questions"] = time.perf_counter() - t
    progress("loading the release in the OWL API, as Protégé would")
    t = time.perf_counter()
    folder = resources.ontology_dir()
    owlapi = check_files([folder / name for name in PROTEGE_FILES], catalog=folder / CATALOG_FILE)
    timings["owlapi"] = time.perf_counter() - t
    return CheckReport(release, written, validation, answered, owlapi, timings)
