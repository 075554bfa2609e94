"""Rank every disease of HPO's annotations (as bundled in hpo3) by phenotype similarity to a case.

The score of a disease for a case with present findings Q and excluded findings X:

- *query coverage* A: for each present finding q, the information content (IC) of the most
  specific term q shares with the disease's annotations (Resnik's best match), summed and divided by
  the IC of the findings themselves (1 when every finding is annotated exactly);
- *disease coverage* B: the same in the other direction, averaged over the disease's annotations,
  so that a disease is not favoured merely for having many annotations;
- *exclusions* E: the IC of each excluded finding the disease has (the term itself or a descendant
  annotated), over the IC of the present findings.

score = A + 0.6 B - E (B_WEIGHT, EXCLUDED_WEIGHT). IC is computed over the diseases of the catalogue
(-ln of the fraction annotated with the term or a descendant). OMS (ORPHA:1183) is scored on
omsgraph's own profile: its HPO annotations together with every sign the graph states for OMS and
its subtypes (:func:`oms_profile`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
from numpy.typing import NDArray

from ..hpo import hp_curie, ontology
from .knowledge import Knowledge

B_WEIGHT = 0.6  # tuned on simulated patients of another seed than the benchmark reports
EXCLUDED_WEIGHT = 1.0
OMS_ID = "ORPHA:1183"


@dataclass(frozen=True)
class Ranked:
    rank: int
    id: str
    label: str
    score: float

    def as_json(self) -> dict[str, object]:
        return {"rank": self.rank, "id": self.id, "label": self.label, "score": round(self.score, 4)}


def oms_profile(knowledge: Knowledge) -> set[str]:
    """The HP signs the graph states for OMS and its subtypes, and the criteria's HP targets."""
    signs = {s.object for s in knowledge.about("phenotype") if s.object.startswith("HP:")}
    signs |= {t for c in knowledge.criteria for t in c.targets if t.startswith("HP:")}
    return signs


class Ranker:
    """The disease catalogue indexed for fast whole-catalogue scoring (built once, ~seconds)."""

    def __init__(self, extra: dict[str, set[str]] | None = None) -> None:
        onto = ontology()
        self.ids: list[str] = []
        self.names: list[str] = []
        annotations: list[set[int]] = []
        for prefix, diseases in (("OMIM", onto.omim_diseases), ("ORPHA", onto.orpha_diseases)):
            for d in diseases:
                did = f"{prefix}:{d.id}"
                terms = set(d.hpo)
                for curie in (extra or {}).get(did, set()):
                    terms.add(int(curie.split(":")[1]))
                if not terms:
                    continue
                self.ids.append(did)
                self.names.append(d.name)
                annotations.append(terms)
        self.n = len(self.ids)
        self._ancestors: dict[int, tuple[int, ...]] = {}
        counts: dict[int, int] = {}
        closures: list[set[int]] = []
        for terms in annotations:
            closure: set[int] = set()
            for t in terms:
                closure.update(self.ancestors(t))
            closures.append(closure)
            for t in closure:
                counts[t] = counts.get(t, 0) + 1
        self.ic: dict[int, float] = {t: -math.log(c / self.n) for t, c in counts.items()}
        self.max_ic = math.log(self.n)
        self.having: dict[int, NDArray[np.int64]] = {}
        lists: dict[int, list[int]] = {}
        for i, closure in enumerate(closures):
            for t in closure:
                lists.setdefault(t, []).append(i)
        self.having = {t: np.array(v, dtype=np.int64) for t, v in lists.items()}
        # disease annotations as a flat array for the disease -> case direction
        self.annotated = sorted({t for terms in annotations for t in terms})
        position = {t: i for i, t in enumerate(self.annotated)}
        flat = [position[t] for terms in annotations for t in sorted(terms)]
        self.flat = np.array(flat, dtype=np.int64)
        sizes = np.array([len(terms) for terms in annotations], dtype=np.int64)
        self.starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
        self.sizes = sizes.astype(np.float64)
        self.annotated_ic = np.array([self.ic.get(t, self.max_ic) for t in self.annotated])
        # every term of any closure gets a dense index; the last index is padding (IC 0, never matched)
        self.dense = {t: i for i, t in enumerate(sorted(self.ic))}
        self.dense_ic = np.array([*(self.ic[t] for t in sorted(self.ic)), 0.0])
        pad = len(self.dense)
        rows = [[self.dense[a] for a in self.ancestors(t)] for t in self.annotated]
        width = max(len(r) for r in rows)
        self.annotated_ancestors = np.array([r + [pad] * (width - len(r)) for r in rows], dtype=np.int64)

    def ancestors(self, term: int) -> tuple[int, ...]:
        """The term and its ancestors, excluding the root (HP:0000001)."""
        found = self._ancestors.get(term)
        if found is None:
            hpo_term = ontology().hpo(term)
            found = tuple(sorted({term} | {int(p.id.split(":")[1]) for p in hpo_term.all_parents} - {1}))
            self._ancestors[term] = found
        return found

    def term_ic(self, term: int) -> float:
        return self.ic.get(term, self.max_ic)

    def best_matches(self, term: int) -> NDArray[np.float64]:
        """For each disease, the IC of the most informative ancestor of ``term`` it is annotated with."""
        best = np.zeros(self.n)
        for a in sorted(self.ancestors(term), key=self.term_ic):
            rows = self.having.get(a)
            if rows is not None:
                best[rows] = self.term_ic(a)
        return best

    def scores(self, present: Iterable[str], excluded: Iterable[str] = ()) -> NDArray[np.float64]:
        query = sorted({int(c.split(":")[1]) for c in present if c.startswith("HP:")})
        if not query:
            return np.zeros(self.n)
        total_ic = sum(self.term_ic(q) for q in query) or 1.0
        a = sum((self.best_matches(q) for q in query), np.zeros(self.n)) / total_ic
        in_query = np.zeros(len(self.dense_ic), dtype=bool)
        for q in query:
            in_query[[self.dense[a] for a in self.ancestors(q) if a in self.dense]] = True
        matched = np.where(in_query[self.annotated_ancestors], self.dense_ic[self.annotated_ancestors], 0.0)
        back = matched.max(axis=1)
        ratio = back / np.maximum(self.annotated_ic, 1e-9)
        b = np.add.reduceat(ratio[self.flat], self.starts) / self.sizes
        e = np.zeros(self.n)
        for x in {int(c.split(":")[1]) for c in excluded if c.startswith("HP:")}:
            rows = self.having.get(x)
            if rows is not None:
                e[rows] += self.term_ic(x)
        score: NDArray[np.float64] = a + B_WEIGHT * b - EXCLUDED_WEIGHT * e / total_ic
        return score

    def rank(self, present: Sequence[str], excluded: Sequence[str] = (), top: int = 10) -> list[Ranked]:
        score = self.scores(present, excluded)
        order = sorted(
            np.argsort(-score, kind="stable")[: top + 50].tolist(), key=lambda i: (-score[i], self.ids[i])
        )
        order = order[:top]
        return [Ranked(r + 1, self.ids[i], self.names[i], float(score[i])) for r, i in enumerate(order)]


@cache
def ranker(knowledge: Knowledge) -> Ranker:
    """The ranker with OMS scored on omsgraph's profile."""
    return Ranker({OMS_ID: oms_profile(knowledge)})


def baseline_rank(present: Sequence[str], top: int = 10) -> list[Ranked]:
    """hpo3 out of the box: graphic similarity with funSimAvg against every disease (the benchmark's peer)."""
    from pyhpo import HPOSet
    from pyhpo.helper import batch_set_similarity

    onto = ontology()
    query = HPOSet.from_queries([c for c in present if c.startswith("HP:")])
    diseases = [(f"OMIM:{d.id}", d) for d in onto.omim_diseases] + [
        (f"ORPHA:{d.id}", d) for d in onto.orpha_diseases
    ]
    scores = batch_set_similarity(
        [(query, d.hpo_set()) for _, d in diseases], kind="omim", method="graphic", combine="funSimAvg"
    )
    order = sorted(range(len(diseases)), key=lambda i: (-scores[i], diseases[i][0]))[:top]
    return [Ranked(r + 1, diseases[i][0], diseases[i][1].name, float(scores[i])) for r, i in enumerate(order)]


__all__ = ["Ranked", "Ranker", "baseline_rank", "hp_curie", "oms_profile", "ranker"]
