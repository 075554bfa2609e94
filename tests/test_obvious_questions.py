"""The four obvious questions about OMS, written the way a user would, on each release file alone.

Signs, tumours, treatments and antibodies of opsoclonus-myoclonus syndrome, asked three ways: OWL
restrictions below OMS on the full release, the same subclass-closure query on the base variant, and
one direct-edge triple pattern on the edge file. Most of these facts are stated on a subtype (anti-Ri
on breast cancer-associated OMS, neuroblastoma on neuroblastoma-associated OMS...), so each answer
must include them. Golden answers: tests/data/obvious/<question>-<style>.tsv (labels, sorted);
regenerate with `python -m tests.test_obvious_questions` and review the diff.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from omsgraph import resources
from omsgraph.build import BASE_TTL, EDGES_TTL, RELEASE_TTL

GOLDEN = Path(__file__).parent / "data" / "obvious"
PREFIXES = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX obo: <http://purl.obolibrary.org/obo/>
PREFIX OMSG: <https://w3id.org/omsgraph/OMSG_>
"""
#: question -> (the relation pattern, how the answer is recognised in the hierarchy / by category)
QUESTIONS: dict[str, tuple[str, str, str]] = {
    "signs": ("VALUES ?p { obo:RO_0002200 }", "", ""),
    "tumours": (
        "VALUES ?p { obo:RO_0004019 }",
        "?x rdfs:subClassOf* OMSG:0000150 .",
        '?x OMSG:0000013 "neoplasm" .',
    ),
    "treatments": ("VALUES ?p { obo:RO_0002302 OMSG:0000301 }", "", ""),
    "antibodies": ("", "?x rdfs:subClassOf* OMSG:0000160 .", '?x OMSG:0000013 "autoantibody" .'),
}
#: what must be found from OMS although it is stated on a subtype
MUST_FIND = {
    "signs": {"Developmental regression", "Encephalopathy"},
    "tumours": {"neuroblastoma", "small cell lung carcinoma", "breast cancer"},
    "treatments": {"immunoadsorption", "chemotherapy", "surgical resection"},
    "antibodies": {"Anti-Ri antibody", "Anti-Hu antibody positivity", "anti-neuroleukin antibody"},
}
STYLES = {"restrictions": RELEASE_TTL, "base": BASE_TTL, "edges": EDGES_TTL}


def sparql(question: str, style: str) -> str:
    values, hierarchy, category = QUESTIONS[question]
    if style == "edges":
        body = f"{values}\n  obo:MONDO_0015247 ?p ?x .\n  {category}"
    else:
        body = (
            f"{values}\n  ?d rdfs:subClassOf* obo:MONDO_0015247 .\n"
            "  ?d rdfs:subClassOf [ owl:onProperty ?p ; owl:someValuesFrom ?x ] .\n"
            f"  {hierarchy}"
        )
    return (
        f"{PREFIXES}SELECT DISTINCT ?label WHERE {{\n  {body}\n  ?x rdfs:label ?label .\n}}\nORDER BY ?label"
    )


@cache
def store(name: str) -> Any:
    import pyoxigraph as ox

    s = ox.Store()
    s.load(path=str(resources.ontology_dir() / name), format=ox.RdfFormat.TURTLE)
    return s


def answer(question: str, style: str) -> list[str]:
    return sorted(str(row["label"].value) for row in store(STYLES[style]).query(sparql(question, style)))


def golden(question: str, style: str) -> list[str]:
    path = GOLDEN / f"{question}-{style}.tsv"
    return path.read_text(encoding="utf-8").splitlines()[1:]


@pytest.mark.parametrize("style", sorted(STYLES))
@pytest.mark.parametrize("question", sorted(QUESTIONS))
def test_obvious_question_finds_the_subtype_facts(question: str, style: str) -> None:
    found = answer(question, style)
    assert MUST_FIND[question] <= set(found), f"missing {MUST_FIND[question] - set(found)}"
    assert found == golden(question, style), "answer changed; regenerate the golden answers and review"


@pytest.mark.parametrize("question", sorted(QUESTIONS))
def test_restrictions_and_direct_edges_agree(question: str) -> None:
    """The edges are derived from the restrictions: both ways find the same answers."""
    assert answer(question, "restrictions") == answer(question, "edges") == answer(question, "base")


if __name__ == "__main__":  # regenerate the golden answers
    GOLDEN.mkdir(exist_ok=True)
    for q in QUESTIONS:
        for st in STYLES:
            (GOLDEN / f"{q}-{st}.tsv").write_text(
                "\n".join(["label", *answer(q, st)]) + "\n", encoding="utf-8"
            )
    sys.stdout.write(f"wrote {len(QUESTIONS) * len(STYLES)} golden answers to {GOLDEN}\n")
