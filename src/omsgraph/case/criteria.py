"""The clinical criteria verdict for a case, from the criteria's defined classes in the graph.

A present finding meets a criterion when it is one of the criterion's targets or a descendant of one
(in HPO, or in the graph's hierarchy for omsgraph and MONDO terms); an excluded finding never counts;
the verdict holds when the met criteria include one of the combinations the graph's defined class
"patient case meeting the criteria" lists (three of four).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..hpo import Hpo
from .knowledge import Criterion, Knowledge, Source
from .model import Case


@dataclass(frozen=True)
class CriterionResult:
    criterion: Criterion
    findings: tuple[str, ...]  # present findings that meet it
    excluded: tuple[str, ...]  # excluded findings that would have met it (or rule its target out)

    @property
    def met(self) -> bool:
        return bool(self.findings)


@dataclass(frozen=True)
class Verdict:
    met: bool
    results: tuple[CriterionResult, ...]
    sources: tuple[Source, ...]

    @property
    def missing(self) -> list[str]:
        return [r.criterion.name for r in self.results if not r.met]


def ancestors(term: str, hpo: Hpo, knowledge: Knowledge) -> set[str]:
    """The term and its ancestors: HPO's for HP terms, the graph's hierarchy for the others."""
    if term.startswith("HP:"):
        return hpo.ancestors([term]) | {term}
    seen: set[str] = set()
    stack = [term]
    while stack:
        current = stack.pop()
        if current not in seen:
            seen.add(current)
            stack.extend(knowledge.parents.get(current, []))
    return seen


def evaluate(case: Case, knowledge: Knowledge, hpo: Hpo) -> Verdict:
    results = []
    for criterion in knowledge.criteria:
        targets = set(criterion.targets)
        meets = tuple(f for f in case.present if ancestors(f, hpo, knowledge) & targets)
        ruled_out = tuple(
            x
            for x in case.excluded
            if ancestors(x, hpo, knowledge) & targets
            or any(x in ancestors(t, hpo, knowledge) for t in targets)
        )
        results.append(CriterionResult(criterion, meets, ruled_out))
    met_ids = {r.criterion.id for r in results if r.met}
    met = any(combo <= met_ids for combo in knowledge.rule)
    sources = {s for r in results for s in r.criterion.sources} | set(knowledge.rule_sources)
    return Verdict(met, tuple(results), tuple(sorted(sources, key=lambda s: s.id)))
