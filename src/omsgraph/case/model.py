"""A patient case as case support reads it, and the one-line report of a record that had to be skipped."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..hpo import Hpo
from .knowledge import Knowledge

SEXES = ("female", "male", "other", "unknown")
ADULT_AGE = 18.0  # years: the age from which a case is read with the adults' statements
NOT_ADVICE = (
    "Reference information from omsgraph, not medical advice: a clinician who knows the patient decides."
)
_DURATION = re.compile(
    r"^P(?!$)(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?$"
)


@dataclass
class Case:
    id: str
    age_years: float
    sex: str
    present: list[str]
    excluded: list[str] = field(default_factory=list)
    file: str = ""
    record: str = ""

    @property
    def population(self) -> str:
        """children or adults: which statements of the graph apply."""
        return "adults" if self.age_years >= ADULT_AGE else "children"


@dataclass(frozen=True)
class Problem:
    """Why one record was skipped: where, which field, what is wrong, how to fix it."""

    file: str
    record: str
    field: str
    what: str
    fix: str

    def line(self) -> str:
        return f"{self.file}: {self.record}: field {self.field!r}: {self.what}; {self.fix}"


class RecordError(ValueError):
    def __init__(self, field: str, what: str, fix: str) -> None:
        super().__init__(what)
        self.field, self.what, self.fix = field, what, fix


def age_in_years(text: str, field: str) -> float:
    """An ISO 8601 duration (P4Y, P18M, P1Y6M, P30D) as a number of years."""
    m = _DURATION.match(text.strip())
    if not m:
        raise RecordError(
            field, f"{text!r} is not an ISO 8601 duration", "write the age like P4Y, P18M or P1Y6M"
        )
    years, months, weeks, days = (float(g) if g else 0.0 for g in m.groups())
    age = years + months / 12 + (weeks * 7 + days) / 365.25
    if age > 120:
        raise RecordError(field, f"{text!r} is more than 120 years", "check the age")
    return round(age, 4)


def check_sex(text: str, field: str) -> str:
    value = text.strip().lower()
    if value not in SEXES:
        raise RecordError(field, f"{text!r} is not a sex omsgraph knows", f"use one of {', '.join(SEXES)}")
    return value


def check_finding(curie: str, field: str, hpo: Hpo, knowledge: Knowledge) -> str:
    """A finding must be a current HP term or a term of the graph (a tumour, an antibody, a sign)."""
    curie = curie.strip()
    if curie.startswith("HP:"):
        term = hpo.terms.get(curie)
        if term is None:
            raise RecordError(field, f"{curie} is not in HPO {hpo.version}", "check the HP identifier")
        if term.obsolete:
            fix = f"use its replacement {term.replaced_by}" if term.replaced_by else "use a current HP term"
            raise RecordError(field, f"{curie} is obsolete in HPO {hpo.version}", fix)
        return curie
    if curie in knowledge.labels:
        return curie
    raise RecordError(
        field,
        f"{curie!r} is neither an HP term nor a term of omsgraph",
        "use an HP identifier (HP:0001251) or an omsgraph term such as a tumour (MONDO:0005072)",
    )


def check_findings(present: list[str], excluded: list[str], hpo: Hpo, knowledge: Knowledge) -> None:
    both = sorted(set(present) & set(excluded))
    if both:
        raise RecordError(
            "excluded", f"{', '.join(both)} is both present and excluded", "keep it in one list"
        )
    if not present:
        raise RecordError("present", "the case has no present finding", "list at least one observed finding")
