"""The criteria as an OWL defined class: HermiT gives every case the verdict the Python evaluation gives."""

from __future__ import annotations

import itertools

import pytest

from omsgraph import resources
from omsgraph.case import Case, evaluate, load_knowledge
from omsgraph.case.cohort import generate
from omsgraph.case.owl import classify
from omsgraph.hpo import load_hpo
from omsgraph.release import load_release

FINDINGS = ["MONDO:0005072", "HP:0010543", "HP:0002078", "HP:0100785"]  # one per criterion, two descendants


@pytest.mark.slow
def test_hermit_and_python_agree_on_every_synthetic_and_hand_built_case() -> None:
    knowledge, hpo = load_knowledge(), load_hpo()
    cases = generate(150, seed=11, knowledge=knowledge, hpo=hpo)
    for k in range(1, 5):
        for combo in itertools.combinations(FINDINGS, k):
            cases.append(Case(f"hand-{'-'.join(combo)}", 3.0, "male", list(combo), [], "test", "hand"))
    cases.append(Case("ataxia-and-myoclonus", 3.0, "male", ["HP:0010543", "HP:0001251", "HP:0001336"], []))
    cases.append(Case("hp-tumour", 3.0, "male", ["HP:0003006", "HP:0010543", "HP:0000737"], []))
    release = load_release(resources.ontology_dir() / "omsgraph.ttl")
    owl = classify(cases, knowledge, hpo, release)
    python = {c.id: evaluate(c, knowledge, hpo).met for c in cases}
    disagree = sorted(i for i in python if owl[i] != python[i])
    assert not disagree, f"HermiT and Python disagree on {disagree}"
    assert any(python.values()) and not all(python.values())
