"""Case support: a patient case in (Phenopacket v2 JSON or cohort CSV), the criteria verdict, the work-up,
the differential and a ranking across every HPO-annotated disease out. Reference information, not
medical advice."""

from __future__ import annotations

from .criteria import Verdict, evaluate
from .knowledge import Knowledge, load_knowledge
from .model import NOT_ADVICE, Case, Problem
from .ranking import Ranked, Ranker, baseline_rank, ranker
from .readers import read_cases
from .report import FORMATS, CaseReport, CaseRun, report, run_cases

__all__ = [
    "FORMATS",
    "NOT_ADVICE",
    "Case",
    "CaseReport",
    "CaseRun",
    "Knowledge",
    "Problem",
    "Ranked",
    "Ranker",
    "Verdict",
    "baseline_rank",
    "evaluate",
    "load_knowledge",
    "ranker",
    "read_cases",
    "report",
    "run_cases",
]
