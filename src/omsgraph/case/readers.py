"""Read cases from GA4GH Phenopacket v2 JSON files and from cohort CSV files.

A malformed record becomes a :class:`Problem` (file, record, field, what, fix) and is skipped; the
others are read. Phenopackets: one per file, a JSON array of them, or a Cohort (``members``). The
tumour may be a phenotypic feature (HP:0003006) or a disease entry (MONDO:0005072); an entry marked
``excluded`` is an excluded finding. CSV: columns ``id``, ``age`` (ISO 8601 duration), ``sex``,
``present`` and ``excluded`` (``;``-separated CURIEs).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..hpo import Hpo, load_hpo
from .knowledge import Knowledge, load_knowledge
from .model import Case, Problem, RecordError, age_in_years, check_finding, check_findings, check_sex

CSV_COLUMNS = ("id", "age", "sex", "present", "excluded")
_PHENOPACKET_SEX = {"FEMALE": "female", "MALE": "male", "OTHER_SEX": "other", "UNKNOWN_SEX": "unknown"}


def _split(cell: str) -> list[str]:
    return [c.strip() for c in cell.split(";") if c.strip()]


def _case_from_row(row: dict[str, str], hpo: Hpo, knowledge: Knowledge) -> Case:
    case_id = (row.get("id") or "").strip()
    if not case_id:
        raise RecordError("id", "the id is empty", "give every row an id")
    present = [check_finding(c, "present", hpo, knowledge) for c in _split(row.get("present") or "")]
    excluded = [check_finding(c, "excluded", hpo, knowledge) for c in _split(row.get("excluded") or "")]
    check_findings(present, excluded, hpo, knowledge)
    return Case(
        id=case_id,
        age_years=age_in_years(row.get("age") or "", "age"),
        sex=check_sex(row.get("sex") or "", "sex"),
        present=present,
        excluded=excluded,
    )


def read_csv(path: Path, hpo: Hpo, knowledge: Knowledge) -> tuple[list[Case], list[Problem]]:
    cases: list[Case] = []
    problems: list[Problem] = []
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                fix = f"give the header row the columns {','.join(CSV_COLUMNS)}"
                return [], [Problem(str(path), "header", missing[0], "the column is missing", fix)]
            for number, row in enumerate(reader, start=2):
                record = f"row {number}"
                if None in row:
                    problems.append(
                        Problem(
                            str(path),
                            record,
                            "-",
                            "the row has more cells than the header",
                            "quote cells with commas",
                        )
                    )
                    continue
                try:
                    case = _case_from_row(row, hpo, knowledge)
                except RecordError as exc:
                    problems.append(Problem(str(path), record, exc.field, exc.what, exc.fix))
                    continue
                case.file, case.record = str(path), record
                cases.append(case)
    except (OSError, UnicodeDecodeError) as exc:
        return [], [
            Problem(str(path), "file", "-", f"cannot be read ({exc})", "give a readable UTF-8 CSV file")
        ]
    return cases, problems


def _phenopacket(data: Any, hpo: Hpo, knowledge: Knowledge) -> Case:
    from google.protobuf.json_format import ParseDict, ParseError
    from phenopackets import Phenopacket

    packet = Phenopacket()
    try:
        ParseDict(data, packet)
    except (ParseError, TypeError, ValueError) as exc:
        first = (str(exc).splitlines() or ["not a phenopacket"])[0]
        raise RecordError(
            "-", f"not a Phenopacket v2 record ({first})", "check the record against the schema"
        ) from exc
    if not packet.id:
        raise RecordError("id", "the phenopacket has no id", "give it an id")
    subject = packet.subject
    age = subject.time_at_last_encounter.age.iso8601duration
    if not age:
        raise RecordError(
            "subject.timeAtLastEncounter",
            "the age is missing",
            'give subject.timeAtLastEncounter.age.iso8601duration, e.g. "P2Y"',
        )
    present: list[str] = []
    excluded: list[str] = []
    for i, feature in enumerate(packet.phenotypic_features):
        where = f"phenotypicFeatures[{i}].type.id"
        term = check_finding(feature.type.id, where, hpo, knowledge)
        (excluded if feature.excluded else present).append(term)
    for i, disease in enumerate(packet.diseases):
        where = f"diseases[{i}].term.id"
        term = check_finding(disease.term.id, where, hpo, knowledge)
        (excluded if disease.excluded else present).append(term)
    check_findings(present, excluded, hpo, knowledge)
    sex_name = type(subject).DESCRIPTOR.fields_by_name["sex"].enum_type.values_by_number[subject.sex].name
    return Case(
        id=packet.id,
        age_years=age_in_years(age, "subject.timeAtLastEncounter.age.iso8601duration"),
        sex=_PHENOPACKET_SEX[sex_name],
        present=present,
        excluded=excluded,
    )


def read_phenopackets(path: Path, hpo: Hpo, knowledge: Knowledge) -> tuple[list[Case], list[Problem]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        return [], [Problem(str(path), "file", "-", f"cannot be read ({exc})", "give a readable JSON file")]
    except json.JSONDecodeError as exc:
        return [], [
            Problem(
                str(path), "file", "-", f"is not JSON (line {exc.lineno}: {exc.msg})", "fix the JSON syntax"
            )
        ]
    records = data.get("members") if isinstance(data, dict) and "members" in data else data
    records = records if isinstance(records, list) else [records]
    cases: list[Case] = []
    problems: list[Problem] = []
    for number, record in enumerate(records, start=1):
        label = f"phenopacket {number}"
        if isinstance(record, dict) and isinstance(record.get("id"), str):
            label += f" ({record['id']})"
        try:
            case = _phenopacket(record, hpo, knowledge)
        except RecordError as exc:
            problems.append(Problem(str(path), label, exc.field, exc.what, exc.fix))
            continue
        case.file, case.record = str(path), label
        cases.append(case)
    return cases, problems


def read_cases(
    paths: Iterable[Path], hpo: Hpo | None = None, knowledge: Knowledge | None = None
) -> tuple[list[Case], list[Problem]]:
    """Every case of the files in input order (CSV by extension, else Phenopacket JSON), and the skipped."""
    hpo = hpo or load_hpo()
    knowledge = knowledge or load_knowledge()
    cases: list[Case] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for path in paths:
        if not path.is_file():
            problems.append(Problem(str(path), "file", "-", "does not exist", "check the path"))
            continue
        reader = read_csv if path.suffix.lower() == ".csv" else read_phenopackets
        found, skipped = reader(path, hpo, knowledge)
        problems += skipped
        for case in found:
            if case.id in seen:
                problems.append(
                    Problem(
                        case.file,
                        case.record,
                        "id",
                        f"id {case.id!r} is used twice",
                        "give each case its own id",
                    )
                )
                continue
            seen.add(case.id)
            cases.append(case)
    return cases, problems
