"""A deterministic, seeded generator of synthetic OMS cohorts (for tests, benchmarks and demos).

The mix follows the presentations the graph describes: children with and without a neuroblastoma,
post-infectious cases, adults with an antibody-positive tumour, partial presentations that meet only
two criteria, and mimics (the differential diagnoses, such as acute cerebellar ataxia). Every term
comes from the graph: signs from OMS's profile (descendants of the criteria included, so the
criteria are exercised through the HPO hierarchy), tumours and antibodies from the statements on the
subtypes for each age group, mimic features from the differential diagnoses' own statements.

    python -m omsgraph.case.cohort 1000 --seed 7 -o cohort.csv
"""

from __future__ import annotations

import csv
import io
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass

from ..hpo import Hpo, load_hpo
from .criteria import ancestors
from .knowledge import Knowledge, load_knowledge
from .model import Case
from .ranking import oms_profile

#: scenario -> weight in the mix
MIX = {
    "child-neuroblastoma": 0.25,
    "child-postinfectious": 0.2,
    "adult-paraneoplastic": 0.15,
    "adult-other": 0.1,
    "partial": 0.15,
    "mimic": 0.15,
}


@dataclass
class Pools:
    by_criterion: dict[str, list[str]]  # criterion id -> terms that meet it
    other_signs: list[str]
    adult_tumours: list[tuple[str, list[str]]]  # tumour, antibodies stated with it
    mimic_features: list[list[str]]


def pools(knowledge: Knowledge, hpo: Hpo) -> Pools:
    profile = sorted(oms_profile(knowledge))
    by_criterion: dict[str, list[str]] = {}
    for c in knowledge.criteria:
        targets = set(c.targets)
        by_criterion[c.id] = sorted({t for t in profile if ancestors(t, hpo, knowledge) & targets} | targets)
    met_any = {t for terms in by_criterion.values() for t in terms}
    other = [t for t in profile if t not in met_any]
    tumour_of: dict[str, str] = {}
    for s in knowledge.about("basis"):
        if knowledge.categories.get(s.object) == "neoplasm" and {"adults", "all"} & set(s.populations):
            tumour_of.setdefault(s.subject, s.object)
    antibodies: dict[str, set[str]] = {}
    for s in knowledge.about("antibody"):
        if s.subject in tumour_of and s.object.startswith("HP:"):
            antibodies.setdefault(tumour_of[s.subject], set()).add(s.object)
    adult = sorted({(t, tuple(sorted(antibodies.get(t, set())))) for t in tumour_of.values()})
    mimics = []
    for s in knowledge.about("differential"):
        own = sorted(
            {x.object for x in knowledge.statements if x.subject == s.object and x.object.startswith("HP:")}
        )
        if own:
            mimics.append(own)
    return Pools(by_criterion, other, [(t, list(a)) for t, a in adult], sorted(mimics))


def _one(rng: random.Random, scenario: str, number: int, p: Pools, knowledge: Knowledge) -> Case:
    crit = [c.id for c in knowledge.criteria]  # criteria in the graph's order
    tumour_c, opsoclonus_c, movement_c, behaviour_c = crit
    child = scenario.startswith("child") or (scenario in ("partial", "mimic") and rng.random() < 0.7)
    age = rng.uniform(0.5, 6.0) if child else rng.uniform(19, 80)
    present: list[str] = []
    excluded: list[str] = []

    def some(criterion: str, k: int = 1) -> list[str]:
        pool = p.by_criterion[criterion]
        return rng.sample(pool, min(k, len(pool)))

    if scenario in ("child-neuroblastoma", "child-postinfectious", "adult-paraneoplastic", "adult-other"):
        present += some(opsoclonus_c) + some(movement_c, rng.choice((1, 2)))
        if scenario.startswith("child") or rng.random() < 0.5:
            present += some(behaviour_c, rng.choice((1, 2)))
        if scenario == "child-neuroblastoma":
            present += some(tumour_c)
        elif scenario == "child-postinfectious":
            excluded += some(tumour_c)
        elif scenario == "adult-paraneoplastic" and p.adult_tumours:
            tumour, antibodies = rng.choice(p.adult_tumours)
            present.append(tumour)
            if antibodies:
                present.append(rng.choice(antibodies))
    elif scenario == "partial":
        chosen = rng.sample([opsoclonus_c, movement_c, behaviour_c], 2)
        for criterion in chosen:
            present += some(criterion)
        left = next(c for c in (opsoclonus_c, movement_c, behaviour_c) if c not in chosen)
        excluded += some(left)
    else:  # mimic: a differential diagnosis, with ataxia and without opsoclonus
        present += rng.choice(p.mimic_features) if p.mimic_features else []
        present += some(movement_c)
        excluded += some(opsoclonus_c)
    if p.other_signs and rng.random() < 0.5:
        present += rng.sample(p.other_signs, rng.choice((1, 2)))
    present = list(dict.fromkeys(present))
    excluded = [x for x in dict.fromkeys(excluded) if x not in present]
    return Case(
        id=f"syn-{number:06d}-{scenario}",
        age_years=round(age, 2),
        sex=rng.choice(("female", "male")),
        present=present,
        excluded=excluded,
        file="synthetic",
        record=f"case {number}",
    )


def generate(
    n: int,
    seed: int = 0,
    knowledge: Knowledge | None = None,
    hpo: Hpo | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[Case]:
    """``n`` synthetic cases; the same ``seed`` always gives the same cases. ``progress(k)`` per 1,000."""
    knowledge = knowledge or load_knowledge()
    hpo = hpo or load_hpo()
    p = pools(knowledge, hpo)
    rng = random.Random(seed)
    scenarios, weights = list(MIX), list(MIX.values())
    cases = []
    for number in range(1, n + 1):
        cases.append(_one(rng, rng.choices(scenarios, weights)[0], number, p, knowledge))
        if progress is not None and number % 1000 == 0:
            progress(1000)
    return cases


def iso_age(years: float) -> str:
    months = round(years * 12)
    return f"P{months // 12}Y{months % 12}M" if months % 12 else f"P{months // 12}Y"


def to_csv(cases: list[Case]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "age", "sex", "present", "excluded"])
    for c in cases:
        writer.writerow([c.id, iso_age(c.age_years), c.sex, ";".join(c.present), ";".join(c.excluded)])
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    import argparse
    from pathlib import Path

    import click

    from ..serialize import write_atomic

    parser = argparse.ArgumentParser(
        prog="python -m omsgraph.case.cohort", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("n", type=int, help="number of cases")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-o", "--output", type=Path, help="CSV file to write (default: standard output)")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("n must be at least 1")
    with click.progressbar(length=args.n, label="generating", file=sys.stderr, hidden=args.n < 10000) as bar:
        text = to_csv(generate(args.n, args.seed, progress=bar.update))
    if args.output:
        write_atomic(args.output, text.encode("utf-8"))
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
