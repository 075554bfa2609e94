"""Everything ``omsgraph case`` says about one case, as data, text and CSV.

The verdict, the work-up to consider for the case's age group, the differential diagnoses with the
features that tell them apart, and the ranked diagnoses; every statement with its sources, and the
not-medical-advice line. The facts come from the graph (:mod:`.knowledge`), never from this code.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ..hpo import Hpo, load_hpo
from .criteria import Verdict, evaluate
from .knowledge import Knowledge, Source, Statement, load_knowledge
from .model import NOT_ADVICE, Case, Problem
from .ranking import Ranked, Ranker, ranker
from .readers import read_cases
from .records import shacl_problems

Json = dict[str, Any]


@dataclass
class CaseReport:
    case: Case
    verdict: Verdict
    workup: list[Json]
    differential: list[Json]
    ranking: list[Ranked]
    sources: list[Source]
    labels: dict[str, str] = field(default_factory=dict)

    def term(self, curie: str) -> Json:
        return {"id": curie, "label": self.labels.get(curie, curie)}

    def as_json(self) -> Json:
        return {
            "id": self.case.id,
            "criteria_met": self.verdict.met,
            "criteria": [
                {
                    "name": r.criterion.name,
                    "met": r.met,
                    "findings": [self.term(f) for f in r.findings],
                    "excluded": [self.term(x) for x in r.excluded],
                }
                for r in self.verdict.results
            ],
            "workup": self.workup,
            "differential": self.differential,
            "ranking": [r.as_json() for r in self.ranking],
            "sources": [s.as_json() for s in self.sources],
            "notice": NOT_ADVICE,
        }


def _applies(statement: Statement, population: str) -> bool:
    return bool({population, "all"} & set(statement.populations))


def _grouped(
    statements: Iterable[Statement],
    knowledge: Knowledge,
    kind: str,
    extra: Callable[[str], Json] | None = None,
) -> list[Json]:
    """One item per object: what it is, which of OMS and its subtypes it is stated for, contexts, sources."""
    items: dict[str, Json] = {}
    for s in statements:
        item = items.setdefault(
            s.object,
            {
                "kind": kind,
                "id": s.object,
                "label": s.object_label or s.object,
                "for": [],
                "populations": [],
                "context": [],
                "sources": [],
            },
        )
        item["populations"] += s.populations
        item["for"].append(knowledge.label(s.subject))
        item["context"] += s.contexts
        item["sources"] += [src.id for src in s.sources]
    out = []
    for item in items.values():
        for key in ("for", "populations", "context", "sources"):
            item[key] = sorted(set(item[key]))
        if kind == "note":
            item["text"] = item.pop("label")
            del item["id"]
        if extra is not None:
            item.update(extra(item.get("id", "")))
        out.append(item)
    # statements scoped to an age group first, then those about all patients
    return sorted(
        out, key=lambda i: (i["populations"] == ["all"], str(i.get("label", i.get("text", ""))).lower())
    )


def workup(case: Case, knowledge: Knowledge) -> list[Json]:
    """Tests, tumours (with the antibodies linked to them) and notes stated for the case's age group."""
    return _workup(knowledge, case.population)


@cache
def _workup(knowledge: Knowledge, group: str) -> list[Json]:  # the same for every case of an age group
    applies = [s for s in knowledge.statements if s.subject in set(knowledge.oms_tree) and _applies(s, group)]
    by_relation: dict[str, list[Statement]] = {}
    for s in applies:
        by_relation.setdefault(s.relation, []).append(s)
    tumour_statements = [
        s
        for s in by_relation.get("disease has basis in", [])
        if knowledge.categories.get(s.object) == "neoplasm"
    ]
    antibodies = by_relation.get("is associated with autoantibody", [])

    def linked(tumour: str) -> Json:
        subtypes = {s.subject for s in tumour_statements if s.object == tumour}
        found = sorted({(a.object, a.object_label) for a in antibodies if a.subject in subtypes})
        return {"antibodies": [{"id": i, "label": label} for i, label in found]}

    items = _grouped(by_relation.get("has diagnostic test", []), knowledge, "test")
    items += _grouped(tumour_statements, knowledge, "tumour", linked)
    items += _grouped(antibodies, knowledge, "antibody")
    items += _grouped(by_relation.get("diagnostic note", []), knowledge, "note")
    for item in items:
        item["population"] = group
    return items


def differential(case: Case, knowledge: Knowledge) -> list[Json]:
    """The conditions to rule out, each with what the graph says tells it apart, and the sources."""
    return _differential(knowledge, case.population)


@cache
def _differential(knowledge: Knowledge, group: str) -> list[Json]:
    stated = [
        s
        for s in knowledge.statements
        if s.relation == "has differential diagnosis"
        and s.subject in set(knowledge.oms_tree)
        and _applies(s, group)
    ]

    def features(condition: str) -> Json:
        own = [s for s in knowledge.statements if s.subject == condition and s.relation != "diagnostic note"]
        return {
            "features": [
                {
                    "relation": s.relation,
                    "id": s.object,
                    "label": s.object_label,
                    "context": list(s.contexts),
                    "sources": [src.id for src in s.sources],
                }
                for s in own
            ]
        }

    return _grouped(stated, knowledge, "differential", features)


def report(case: Case, knowledge: Knowledge, hpo: Hpo, rank: Ranker, top: int) -> CaseReport:
    verdict = evaluate(case, knowledge, hpo)
    work = workup(case, knowledge)
    diff = differential(case, knowledge)
    cited = {s.id: s for s in verdict.sources}
    for s in knowledge.statements:
        for src in s.sources:
            cited.setdefault(src.id, src)
    used = {i for item in work + diff for i in item["sources"]}
    used |= {i for item in diff for f in item["features"] for i in f["sources"]}
    used |= {s.id for s in verdict.sources}
    labels = dict(knowledge.labels)
    labels.update({t: hpo.terms[t].name for t in case.present + case.excluded if t in hpo.terms})
    return CaseReport(
        case=case,
        verdict=verdict,
        workup=work,
        differential=diff,
        ranking=rank.rank(case.present, case.excluded, top=top),
        sources=sorted((cited[i] for i in used if i in cited), key=lambda s: s.id),
        labels=labels,
    )


@dataclass
class CaseRun:
    reports: list[CaseReport]
    problems: list[Problem]


def run_cases(paths: Sequence[Path], top: int = 10, validate: bool = True) -> CaseRun:
    """Read, check (record checks and the case SHACL shapes), and report every case of the files."""
    hpo = load_hpo()
    knowledge = load_knowledge()
    cases, problems = read_cases(paths, hpo, knowledge)
    if validate:
        shacl = shacl_problems(cases, hpo)
        bad = {(p.file, p.record) for p in shacl}
        problems += shacl
        cases = [c for c in cases if (c.file, c.record) not in bad]
    rank = ranker(knowledge)
    return CaseRun([report(c, knowledge, hpo, rank, top) for c in cases], problems)


# --- formats --------------------------------------------------------------------------------------


def to_json(reports: Sequence[CaseReport]) -> str:
    return json.dumps([r.as_json() for r in reports], indent=2, ensure_ascii=False) + "\n"


def to_csv(reports: Sequence[CaseReport]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "criteria_met", "met", "missing", "excluded", "top_ranked", "notice"])
    for r in reports:
        data = r.as_json()
        writer.writerow(
            [
                r.case.id,
                "yes" if r.verdict.met else "no",
                "; ".join(c["name"] for c in data["criteria"] if c["met"]),
                "; ".join(c["name"] for c in data["criteria"] if not c["met"]),
                "; ".join(x["id"] for c in data["criteria"] for x in c["excluded"]),
                "; ".join(f"{x['id']} {x['label']}" for x in data["ranking"]),
                NOT_ADVICE,
            ]
        )
    return out.getvalue()


def _refs(ids: Iterable[str], numbers: dict[str, int]) -> str:
    return "[" + ",".join(str(numbers[i]) for i in ids if i in numbers) + "]"


def to_text(reports: Sequence[CaseReport]) -> str:
    lines: list[str] = []
    for r in reports:
        numbers = {s.id: n for n, s in enumerate(r.sources, start=1)}
        c = r.case
        verdict = "MEETS" if r.verdict.met else "does not meet"
        lines.append(f"case {c.id}: {c.sex}, {c.age_years:.1f} years ({c.population}); {c.file} {c.record}")
        refs = _refs([s.id for s in r.verdict.sources], numbers)
        lines.append(f"  criteria: {verdict} the OMS clinical criteria {refs}")
        for res in r.verdict.results:
            state = "met" if res.met else "missing"
            text = ", ".join(f"{r.labels.get(f, f)} ({f})" for f in res.findings) or "no finding"
            lines.append(f"    [{state}] {res.criterion.name}: {text}")
            if res.excluded:
                lines.append(
                    f"      excluded: {', '.join(f'{r.labels.get(x, x)} ({x})' for x in res.excluded)}"
                )
        lines.append(f"  work-up to consider ({c.population}):")
        for item in r.workup:
            what = item.get("label", item.get("text", ""))
            extra = ""
            if item.get("antibodies"):
                extra = "; antibodies: " + ", ".join(a["label"] for a in item["antibodies"])
            context = f" ({'; '.join(item['context'])})" if item["context"] else ""
            scope = "/".join(item["populations"])
            lines.append(
                f"    - {item['kind']}: {what}{extra}{context}; stated for {scope}: {', '.join(item['for'])} "
                f"{_refs(item['sources'], numbers)}"
            )
        lines.append("  differential diagnoses to rule out:")
        for item in r.differential:
            notes = f": {'; '.join(item['context'])}" if item["context"] else ""
            lines.append(f"    - {item['label']} ({item['id']}){notes} {_refs(item['sources'], numbers)}")
            for f in item["features"]:
                context = f" ({'; '.join(f['context'])})" if f["context"] else ""
                lines.append(
                    f"        {f['relation']} {f['label'] or f['id']}{context} {_refs(f['sources'], numbers)}"
                )
        lines.append("  ranked diagnoses (phenotype similarity):")
        for x in r.ranking:
            lines.append(f"    {x.rank:3d}. {x.id:<13} {x.label} ({x.score:.3f})")
        lines.append("  sources:")
        for s in r.sources:
            lines.append(f"    [{numbers[s.id]}] {s.id} {s.label}")
        lines.append(f"  {NOT_ADVICE}")
        lines.append("")
    if not reports:
        lines.append(NOT_ADVICE)
    return "\n".join(lines) + "\n"


FORMATS: dict[str, Callable[[Sequence[CaseReport]], str]] = {"text": to_text, "json": to_json, "csv": to_csv}
