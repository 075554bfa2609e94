"""Case support: the criteria verdict, the work-up, the differential, the ranking, the readers and the CLI.

Medical content here is reference information, not medical advice.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from omsgraph.case import NOT_ADVICE, Case, evaluate, load_knowledge, read_cases, report
from omsgraph.case.cohort import MIX, generate, to_csv
from omsgraph.case.knowledge import Knowledge
from omsgraph.case.ranking import OMS_ID, Ranker, ranker
from omsgraph.case.records import shacl_problems
from omsgraph.cli import main
from omsgraph.hpo import Hpo, load_hpo

OPSOCLONUS = "HP:0010543"
MYOCLONUS = "HP:0001336"
ATAXIA = "HP:0001251"
TRUNCAL_ATAXIA = "HP:0002078"  # a descendant of ataxia
IRRITABILITY = "HP:0000737"  # under 'Abnormal emotional state'
SLEEP = "HP:0002360"
INSOMNIA = "HP:0100785"  # a descendant of sleep disturbance
NEUROBLASTOMA = "MONDO:0005072"  # the tumour as a disease
HP_NEUROBLASTOMA = "HP:0003006"  # the tumour as a phenotypic feature
ANTI_HU = "HP:5000016"

CRITERION_FINDING = {
    "criterion: neuroblastoma": NEUROBLASTOMA,
    "criterion: opsoclonus": OPSOCLONUS,
    "criterion: myoclonus or ataxia": MYOCLONUS,
    "criterion: behavioural or sleep disturbance": IRRITABILITY,
}


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_knowledge()


@pytest.fixture(scope="module")
def hpo() -> Hpo:
    return load_hpo()


@pytest.fixture(scope="module")
def rank(knowledge: Knowledge) -> Ranker:
    return ranker(knowledge)


def make(present: list[str], excluded: tuple[str, ...] = (), age: float = 3.0, case_id: str = "t") -> Case:
    return Case(case_id, age, "female", list(present), list(excluded), "test", "case")


def met_names(case: Case, knowledge: Knowledge, hpo: Hpo) -> set[str]:
    return {r.criterion.name for r in evaluate(case, knowledge, hpo).results if r.met}


# --- criteria ---------------------------------------------------------------------------------------


def test_the_criteria_come_from_the_graph(knowledge: Knowledge) -> None:
    assert {c.name for c in knowledge.criteria} == set(CRITERION_FINDING)
    assert len(knowledge.rule) == 4 and all(len(combo) == 3 for combo in knowledge.rule)
    assert knowledge.rule_sources, "the criteria's source is read from the graph"


@pytest.mark.parametrize("name", sorted(CRITERION_FINDING))
def test_each_criterion_alone_is_met_but_not_the_verdict(name: str, knowledge: Knowledge, hpo: Hpo) -> None:
    case = make([CRITERION_FINDING[name]])
    assert met_names(case, knowledge, hpo) == {name}
    assert not evaluate(case, knowledge, hpo).met


@pytest.mark.parametrize("names", list(itertools.combinations(sorted(CRITERION_FINDING), 3)), ids=str)
def test_every_three_of_four_meets_the_criteria(
    names: tuple[str, ...], knowledge: Knowledge, hpo: Hpo
) -> None:
    verdict = evaluate(make([CRITERION_FINDING[n] for n in names]), knowledge, hpo)
    assert verdict.met
    assert verdict.missing == [n for n in CRITERION_FINDING if n not in names]
    assert verdict.sources


@pytest.mark.parametrize("names", list(itertools.combinations(sorted(CRITERION_FINDING), 2)), ids=str)
def test_two_of_four_do_not(names: tuple[str, ...], knowledge: Knowledge, hpo: Hpo) -> None:
    assert not evaluate(make([CRITERION_FINDING[n] for n in names]), knowledge, hpo).met


def test_all_four_meet_the_criteria(knowledge: Knowledge, hpo: Hpo) -> None:
    assert evaluate(make(list(CRITERION_FINDING.values())), knowledge, hpo).met


def test_hpo_descendants_count(knowledge: Knowledge, hpo: Hpo) -> None:
    verdict = evaluate(make([OPSOCLONUS, TRUNCAL_ATAXIA, INSOMNIA]), knowledge, hpo)
    assert verdict.met
    found = {r.criterion.name: r.findings for r in verdict.results}
    assert found["criterion: myoclonus or ataxia"] == (TRUNCAL_ATAXIA,)
    assert found["criterion: behavioural or sleep disturbance"] == (INSOMNIA,)


@pytest.mark.parametrize("tumour", [NEUROBLASTOMA, HP_NEUROBLASTOMA])
def test_tumour_as_disease_or_as_feature(tumour: str, knowledge: Knowledge, hpo: Hpo) -> None:
    assert evaluate(make([tumour, OPSOCLONUS, MYOCLONUS]), knowledge, hpo).met


def test_myoclonus_and_ataxia_are_one_criterion(knowledge: Knowledge, hpo: Hpo) -> None:
    verdict = evaluate(make([OPSOCLONUS, MYOCLONUS, ATAXIA]), knowledge, hpo)
    assert not verdict.met
    assert met_names(make([OPSOCLONUS, MYOCLONUS, ATAXIA]), knowledge, hpo) == {
        "criterion: opsoclonus",
        "criterion: myoclonus or ataxia",
    }


def test_excluded_findings_never_count(knowledge: Knowledge, hpo: Hpo) -> None:
    case = make([MYOCLONUS, IRRITABILITY], excluded=(OPSOCLONUS, NEUROBLASTOMA))
    verdict = evaluate(case, knowledge, hpo)
    assert not verdict.met
    excluded = {r.criterion.name: r.excluded for r in verdict.results}
    assert excluded["criterion: opsoclonus"] == (OPSOCLONUS,)
    assert excluded["criterion: neuroblastoma"] == (NEUROBLASTOMA,)


def test_an_excluded_descendant_is_listed_but_does_not_rule_out_the_criterion(
    knowledge: Knowledge, hpo: Hpo
) -> None:
    verdict = evaluate(make([OPSOCLONUS, MYOCLONUS, SLEEP], excluded=(INSOMNIA,)), knowledge, hpo)
    assert verdict.met
    behaviour = next(
        r for r in verdict.results if r.criterion.name == "criterion: behavioural or sleep disturbance"
    )
    assert behaviour.findings == (SLEEP,) and behaviour.excluded == (INSOMNIA,)


# --- work-up and differential ---------------------------------------------------------------------


def test_workup_follows_the_age_group(knowledge: Knowledge, hpo: Hpo, rank: Ranker) -> None:
    child = report(make([OPSOCLONUS, MYOCLONUS], age=2), knowledge, hpo, rank, 3)
    adult = report(make([OPSOCLONUS, MYOCLONUS], age=50), knowledge, hpo, rank, 3)
    child_ids = {i.get("id") for i in child.workup}
    adult_ids = {i.get("id") for i in adult.workup}
    assert ANTI_HU in adult_ids and ANTI_HU not in child_ids  # stated for adults only
    assert NEUROBLASTOMA in child_ids
    assert {i["kind"] for i in child.workup} >= {"test", "tumour", "note"}
    for item in child.workup + adult.workup:
        assert item["sources"], f"work-up item without a source: {item}"
    assert all(i["population"] == "children" for i in child.workup)


def test_adult_tumours_carry_their_antibodies(knowledge: Knowledge, hpo: Hpo, rank: Ranker) -> None:
    adult = report(make([OPSOCLONUS], age=50), knowledge, hpo, rank, 3)
    with_antibodies = [i for i in adult.workup if i["kind"] == "tumour" and i["antibodies"]]
    assert with_antibodies, "some adult tumour is stated with an antibody in the graph"


def test_differential_items_have_sources_and_distinguishing_features(
    knowledge: Knowledge, hpo: Hpo, rank: Ranker
) -> None:
    r = report(make([OPSOCLONUS, ATAXIA]), knowledge, hpo, rank, 3)
    assert r.differential
    assert all(item["sources"] for item in r.differential)
    assert any(item["features"] for item in r.differential)
    cited = {s.id for s in r.sources}
    for item in r.workup + r.differential:
        assert set(item["sources"]) <= cited


# --- ranking --------------------------------------------------------------------------------------


CLASSIC = {
    "child with tumour": [OPSOCLONUS, MYOCLONUS, ATAXIA, IRRITABILITY, HP_NEUROBLASTOMA],
    "child without tumour": [OPSOCLONUS, MYOCLONUS, ATAXIA, SLEEP],
    "opsoclonus, truncal ataxia, insomnia": [OPSOCLONUS, TRUNCAL_ATAXIA, INSOMNIA],
    "opsoclonus, myoclonus, irritability": [OPSOCLONUS, MYOCLONUS, IRRITABILITY],
}


def test_oms_is_first_for_a_classic_case(rank: Ranker) -> None:
    ranked = rank.rank([OPSOCLONUS, MYOCLONUS, ATAXIA, IRRITABILITY, SLEEP], top=5)
    assert ranked[0].id == OMS_ID
    assert [r.rank for r in ranked] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("present", list(CLASSIC.values()), ids=list(CLASSIC))
def test_oms_is_in_the_top_three_for_classic_presentations(present: list[str], rank: Ranker) -> None:
    assert OMS_ID in [r.id for r in rank.rank(present, top=3)]


def test_excluded_findings_count_against_diseases_that_have_them(rank: Ranker) -> None:
    present = [MYOCLONUS, ATAXIA, IRRITABILITY]
    plain = rank.scores(present)
    excluded = rank.scores(present, [OPSOCLONUS])
    oms = rank.ids.index(OMS_ID)
    assert excluded[oms] < plain[oms]
    without_opsoclonus = [i for i, d in enumerate(rank.ids) if OPSOCLONUS not in d and i != oms][:1]
    assert rank.rank(present, [OPSOCLONUS], top=3)[0].id != OMS_ID or not without_opsoclonus


def test_ranking_covers_every_annotated_disease(rank: Ranker) -> None:
    assert rank.n > 12000
    assert OMS_ID in rank.ids and "OMIM:256700" in rank.ids


# --- readers --------------------------------------------------------------------------------------


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def obsolete_with_replacement(hpo: Hpo) -> tuple[str, str]:
    term = next(t for t in sorted(hpo.terms.values(), key=lambda t: t.id) if t.obsolete and t.replaced_by)
    return term.id, term.replaced_by


def test_malformed_csv_rows_are_reported_and_skipped(tmp_path: Path, knowledge: Knowledge, hpo: Hpo) -> None:
    obsolete, replacement = obsolete_with_replacement(hpo)
    path = write(
        tmp_path,
        "cohort.csv",
        "id,age,sex,present,excluded\n"
        f"ok1,P2Y,female,{OPSOCLONUS};{MYOCLONUS},{NEUROBLASTOMA}\n"
        f"bad-age,five,male,{OPSOCLONUS},\n"
        f"bad-sex,P2Y,boy,{OPSOCLONUS},\n"
        f"bad-term,P2Y,male,HP:9999999,\n"
        f"obsolete,P2Y,male,{obsolete},\n"
        f"both,P2Y,male,{OPSOCLONUS},{OPSOCLONUS}\n"
        f"none,P2Y,male,,{OPSOCLONUS}\n"
        f",P2Y,male,{OPSOCLONUS},\n"
        f"ok1,P3Y,male,{OPSOCLONUS},\n"
        f"ok2,P30Y,unknown,{OPSOCLONUS},\n",
    )
    cases, problems = read_cases([path], hpo, knowledge)
    assert [c.id for c in cases] == ["ok1", "ok2"]
    assert [(p.record, p.field) for p in problems] == [
        ("row 3", "age"),
        ("row 4", "sex"),
        ("row 5", "present"),
        ("row 6", "present"),
        ("row 7", "excluded"),
        ("row 8", "present"),
        ("row 9", "id"),
        ("row 10", "id"),
    ]
    assert replacement in problems[3].fix
    for p in problems:
        line = p.line()
        assert "\n" not in line and str(path) in line and p.fix in line


def test_csv_without_a_required_column_is_one_problem(tmp_path: Path, knowledge: Knowledge, hpo: Hpo) -> None:
    path = write(tmp_path, "c.csv", "id,age,present\nx,P2Y,HP:0010543\n")
    cases, problems = read_cases([path], hpo, knowledge)
    assert not cases and len(problems) == 1 and problems[0].field == "sex"


PACKET = {
    "id": "pp-1",
    "subject": {"id": "s1", "sex": "MALE", "timeAtLastEncounter": {"age": {"iso8601duration": "P1Y6M"}}},
    "phenotypicFeatures": [
        {"type": {"id": OPSOCLONUS, "label": "Opsoclonus"}},
        {"type": {"id": TRUNCAL_ATAXIA, "label": "Truncal ataxia"}},
        {"type": {"id": INSOMNIA, "label": "Insomnia"}, "excluded": True},
    ],
    "diseases": [{"term": {"id": NEUROBLASTOMA, "label": "neuroblastoma"}}],
    "metaData": {"created": "2026-01-01T00:00:00Z", "createdBy": "test", "phenopacketSchemaVersion": "2.0"},
}


def test_phenopacket_is_read_with_tumour_as_disease_and_excluded_features(
    tmp_path: Path, knowledge: Knowledge, hpo: Hpo
) -> None:
    path = write(tmp_path, "p.json", json.dumps(PACKET))
    (case,), problems = read_cases([path], hpo, knowledge)
    assert not problems
    assert case.id == "pp-1" and case.sex == "male" and case.age_years == 1.5
    assert case.present == [OPSOCLONUS, TRUNCAL_ATAXIA, NEUROBLASTOMA]
    assert case.excluded == [INSOMNIA]
    assert evaluate(case, knowledge, hpo).met


def test_malformed_phenopackets_are_reported_and_skipped(
    tmp_path: Path, knowledge: Knowledge, hpo: Hpo
) -> None:
    no_age = {**PACKET, "id": "no-age", "subject": {"id": "s", "sex": "FEMALE"}}
    bad_term = {**PACKET, "id": "bad-term", "phenotypicFeatures": [{"type": {"id": "HP:9999999"}}]}
    bad_field = {**PACKET, "id": "bad-field", "phenotypicFeatures": "opsoclonus"}
    good = {**PACKET, "id": "good"}
    cohort = write(tmp_path, "cohort.json", json.dumps([no_age, bad_term, bad_field, good]))
    broken = write(tmp_path, "broken.json", '{"id": 3')
    cases, problems = read_cases([broken, cohort], hpo, knowledge)
    assert [c.id for c in cases] == ["good"]
    assert [(Path(p.file).name, p.field) for p in problems] == [
        ("broken.json", "-"),
        ("cohort.json", "subject.timeAtLastEncounter"),
        ("cohort.json", "phenotypicFeatures[0].type.id"),
        ("cohort.json", "-"),
    ]
    assert "no-age" in problems[1].record


def test_case_shapes_reject_a_finding_that_is_not_a_sign(knowledge: Knowledge, hpo: Hpo) -> None:
    drug = next(t for t, c in sorted(knowledge.categories.items()) if c == "chemical")
    good = make([OPSOCLONUS, TRUNCAL_ATAXIA], case_id="good")
    bad = make([OPSOCLONUS, drug], case_id="bad")
    problems = shacl_problems([good, bad], hpo)
    assert problems and {p.record for p in problems} == {"case"}
    assert all(p.field == "present" for p in problems)
    assert not shacl_problems([good], hpo)


# --- cohort ---------------------------------------------------------------------------------------


def test_cohort_is_seeded_and_mixed(knowledge: Knowledge, hpo: Hpo) -> None:
    first = to_csv(generate(300, seed=5, knowledge=knowledge, hpo=hpo))
    assert first == to_csv(generate(300, seed=5, knowledge=knowledge, hpo=hpo))
    assert first != to_csv(generate(300, seed=6, knowledge=knowledge, hpo=hpo))
    cases = generate(300, seed=5, knowledge=knowledge, hpo=hpo)
    assert {c.id.split("-", 2)[2] for c in cases} == set(MIX)
    verdicts = [evaluate(c, knowledge, hpo).met for c in cases]
    assert any(verdicts) and not all(verdicts)


def test_cohort_reads_back_without_problems(tmp_path: Path, knowledge: Knowledge, hpo: Hpo) -> None:
    path = write(tmp_path, "cohort.csv", to_csv(generate(200, seed=1, knowledge=knowledge, hpo=hpo)))
    cases, problems = read_cases([path], hpo, knowledge)
    assert len(cases) == 200 and not problems
    assert not shacl_problems(cases, hpo)


# --- CLI and the JSON contract ---------------------------------------------------------------------


def test_json_contract(tmp_path: Path) -> None:
    packet = write(tmp_path, "p.json", json.dumps(PACKET))
    cohort = write(
        tmp_path,
        "c.csv",
        f"id,age,sex,present,excluded\nc1,P45Y,female,{OPSOCLONUS};{MYOCLONUS};{IRRITABILITY},\n",
    )
    result = CliRunner().invoke(main, ["case", str(packet), str(cohort), "--format", "json", "--top", "4"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [c["id"] for c in data] == ["pp-1", "c1"]
    for obj in data:
        assert {"id", "criteria_met", "criteria", "workup", "differential", "ranking", "sources"} <= set(obj)
        assert isinstance(obj["criteria_met"], bool)
        for criterion in obj["criteria"]:
            assert set(criterion) == {"name", "met", "findings", "excluded"}
            assert isinstance(criterion["met"], bool)
        assert [r["rank"] for r in obj["ranking"]] == [1, 2, 3, 4]
        for r in obj["ranking"]:
            assert set(r) == {"rank", "id", "label", "score"}
            assert r["id"].split(":")[0] in ("OMIM", "ORPHA")
        assert obj["sources"] and all({"id", "label"} <= set(s) for s in obj["sources"])
        assert obj["notice"] == NOT_ADVICE
    assert data[0]["criteria_met"] is True
    assert OMS_ID in [r["id"] for r in data[1]["ranking"]]


def test_cli_skips_malformed_records_and_exits_non_zero(tmp_path: Path) -> None:
    cohort = write(
        tmp_path,
        "c.csv",
        f"id,age,sex,present,excluded\nok,P2Y,female,{OPSOCLONUS},\nbad,P2Y,female,HP:9999999,\n",
    )
    result = CliRunner().invoke(main, ["case", str(cohort), "--format", "csv"])
    assert result.exit_code == 2
    assert result.stdout.splitlines()[0].startswith("id,criteria_met")
    assert len(result.stdout.splitlines()) == 2 and NOT_ADVICE in result.stdout
    errors = [line for line in result.stderr.splitlines() if line.startswith("omsgraph: error:")]
    assert len(errors) == 1 and "row 3" in errors[0] and "'present'" in errors[0]
    assert "Traceback" not in result.output


def test_text_output_says_it_is_not_medical_advice(tmp_path: Path) -> None:
    packet = write(tmp_path, "p.json", json.dumps(PACKET))
    result = CliRunner().invoke(main, ["case", str(packet)])
    assert result.exit_code == 0
    assert NOT_ADVICE in result.stdout and "MEETS" in result.stdout
    assert "[met] criterion: opsoclonus" in result.stdout
