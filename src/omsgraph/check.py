"""The main job: rebuild what is stale, reason, validate, answer the competency questions."""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal

from . import resources
from .build import CATALOG_FILE, RELEASE_OWL, Progress, Release, _quiet, build_release, write_release
from .checkcache import CACHE_FILE, CheckCache, Step, build_key, digest, environment
from .owlapi import OwlApiReport, check_files
from .query import ask, load_questions
from .store import OxigraphEngine, dataset_nquads
from .validate import CHECK_GROUPS, ValidationResult, group_file, load_data, load_shapes, validate
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
        return _categories(self.release)

    def summary(self) -> str:
        lines = [f"omsgraph {self.release.version}"]
        lines += build_lines(self.release, self.written)
        lines += shacl_lines(self.validation)[:1] + question_lines(self.answered)[:1]
        lines += owlapi_lines(self.owlapi)[:1]
        lines += shacl_lines(self.validation)[1:] + question_lines(self.answered)[1:]
        lines += owlapi_lines(self.owlapi)[1:]
        lines.append(f"  verdict     {'OK' if self.ok else 'FAILED'}")
        return "\n".join(lines)


def _categories(release: Release) -> dict[str, int]:
    counts = Counter(str(c) for c in release.graph.objects(None, CATEGORY) if isinstance(c, Literal))
    return dict(sorted(counts.items()))


def build_lines(release: Release, written: list[Path]) -> list[str]:
    r, reasoner = release, release.reasoner
    return [
        f"  built       {len(written)} file(s) rewritten, {len(r.files) - len(written)} up to date",
        "  content     " + ", ".join(f"{v} {k}" for k, v in r.counts.items()),
        "  categories  " + ", ".join(f"{v} {k}" for k, v in _categories(r).items()),
        f"  reasoner    HermiT: {'consistent' if reasoner.consistent else 'INCONSISTENT'}, "
        f"{len(reasoner.unsatisfiable)} unsatisfiable classes, {len(reasoner.inferred)} inferred links "
        f"({reasoner.seconds:.1f} s)",
    ]


def shacl_lines(validation: ValidationResult) -> list[str]:
    """The SHACL line, then one line per violation (at most 20)."""
    lines = [
        f"  SHACL       {'conforms' if validation.conforms else 'DOES NOT CONFORM'}: "
        f"{len(validation.violations)} violations, "
        f"{len(validation.findings) - len(validation.violations)} warnings/infos "
        f"({', '.join(CHECK_GROUPS)}: {validation.shapes} shapes)"
    ]
    for finding in validation.violations[:20]:
        lines.append(f"    violation: {finding.rule}: {finding.focus} {finding.label!r}: {finding.message}")
    return lines


def question_lines(answered: dict[str, int]) -> list[str]:
    lines = [f"  questions   {sum(1 for n in answered.values() if n)}/{len(answered)} answered"]
    return lines + [f"    unanswered: {name}" for name, rows in answered.items() if not rows]


def owlapi_lines(owlapi: OwlApiReport) -> list[str]:
    files = owlapi.files
    verdict = "OK" if owlapi.ok else "FAILED"
    lines = [
        f"  Protégé     {verdict}: {len(files)} files through {owlapi.library}: "
        f"{sum(len(f.error_iris) for f in files)} error# IRIs, "
        f"{sum(len(f.unparsed) for f in files)} unparsed triples, "
        f"{sum(len(f.violations) for f in files)} DL violations, "
        f"HermiT consistent on {sum(1 for f in files if f.consistent)}/{len(files)}"
    ]
    for report in files:
        lines += [f"    {Path(report.path).name}: {problem}" for problem in report.problems()]
    return lines


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
    validation = release.validation.get("full") or validate(
        release.graph, load_shapes([group_file(g) for g in CHECK_GROUPS])
    )
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


@dataclass
class FastCheck:
    """What ``omsgraph check`` prints: each step's lines, run now or reused from the cache."""

    steps: dict[str, Step]  # build (its first line names the version), shacl, questions, owlapi
    ran: list[str]
    reused: list[str]
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(step.ok for step in self.steps.values())

    @property
    def version(self) -> str:
        return self.steps["build"].lines[0].removeprefix("omsgraph ")

    def summary(self) -> str:
        heads = [s.lines if name == "build" else s.lines[:1] for name, s in self.steps.items()]
        details = [s.lines[1:] for name, s in self.steps.items() if name != "build"]
        lines = [line for part in heads + details for line in part]
        reused = ", ".join(self.reused) or "nothing"
        lines.append(
            f"  steps       ran: {', '.join(self.ran) or 'nothing'}; reused (inputs unchanged): {reused}"
            + ("; `omsgraph check --force` runs everything" if self.reused else "")
        )
        lines.append(f"  verdict     {'OK' if self.ok else 'FAILED'}")
        return "\n".join(lines)


def fast_check(progress: Progress = _quiet, *, force: bool = False) -> FastCheck:
    """``omsgraph check``: run the steps whose inputs changed, reuse the others (all with ``force``).

    The build is reused only when its inputs are unchanged and every release file on disk is the one
    that build wrote (see omsgraph.checkcache); the other steps when the release files and their own
    inputs (shapes, queries) are unchanged.
    """
    from .store import cache_root

    start = time.perf_counter()
    cache = CheckCache.load(cache_root() / CACHE_FILE)
    env = environment()
    folder = resources.ontology_dir()
    steps: dict[str, Step] = {}
    ran: list[str] = []
    timings: dict[str, float] = {}
    release: Release | None = None

    def reuse(name: str, key: str, outputs: Path | None = None) -> bool:
        step = None if force else cache.reusable(name, key, outputs)
        if step is not None:
            steps[name] = step
        return step is not None

    key = build_key(env)
    if not reuse("build", key, folder):
        t = time.perf_counter()
        release = build_release(progress)
        written = write_release(release)
        outputs = {name: hashlib.sha256(data).hexdigest() for name, data in release.files.items()}
        ok = release.reasoner.ok
        steps["build"] = Step(
            key, ok, [f"omsgraph {release.version}", *build_lines(release, written)], outputs
        )
        ran.append("build")
        timings["build"] = time.perf_counter() - t
    released = digest([folder / name for name in sorted(steps["build"].outputs)], env)

    def graph() -> Graph | ox.Store:
        if release is not None:
            return release.graph
        return load_data([folder / RELEASE_OWL])

    key = digest([resources.shapes_dir()], released)
    if not reuse("shacl", key):
        progress(f"validating with SHACL ({', '.join(CHECK_GROUPS)})")
        t = time.perf_counter()
        validation = validate(graph(), load_shapes([group_file(g) for g in CHECK_GROUPS]))
        steps["shacl"] = Step(key, validation.conforms, shacl_lines(validation))
        ran.append("SHACL")
        timings["validate"] = time.perf_counter() - t
    key = digest([resources.queries_dir()], released)
    if not reuse("questions", key):
        progress("answering the competency questions")
        t = time.perf_counter()
        source = release.graph if release is not None else folder / RELEASE_OWL
        engine = OxigraphEngine.in_memory(dataset_nquads(source))
        answered = {name: len(ask(q, engine).rows) for name, q in load_questions().items()}
        steps["questions"] = Step(key, all(answered.values()), question_lines(answered))
        ran.append("questions")
        timings["questions"] = time.perf_counter() - t
    key = digest([folder / CATALOG_FILE], released, *PROTEGE_FILES)
    if not reuse("owlapi", key):
        progress("loading the release in the OWL API, as Protégé would")
        t = time.perf_counter()
        owlapi = check_files([folder / name for name in PROTEGE_FILES], catalog=folder / CATALOG_FILE)
        steps["owlapi"] = Step(key, owlapi.ok, owlapi_lines(owlapi))
        ran.append("OWL API")
        timings["owlapi"] = time.perf_counter() - t
    names = {"build": "build", "shacl": "SHACL", "questions": "questions", "owlapi": "OWL API"}
    reused = [names[n] for n in steps if names[n] not in ran]
    cache.steps.update(steps)
    cache.save()
    timings["total"] = time.perf_counter() - start
    return FastCheck(steps, ran, reused, timings)
