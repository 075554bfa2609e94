"""The query door: every SPARQL query omsgraph runs goes through here.

Refused before execution (``inspect``): updates, LOAD, SERVICE (unless allowed), FROM, queries nested
deeper or longer than the limits. Executed (``QueryRunner``) in worker processes that open the store
read-only, under a wall-clock deadline, with the number of rows capped. See docs/reliability.md.
"""

from __future__ import annotations

from .endpoint import run_endpoint
from .formats import GRAPH_MEDIA_TYPES, RESULT_MEDIA_TYPES, QueryResult, Term
from .output import serialize_result, to_answer
from .runner import QueryRunner, open_runner, wait_ready
from .scan import Limits, QueryInfo, QueryRefused, QueryTimeout, inspect

__all__ = [
    "GRAPH_MEDIA_TYPES",
    "RESULT_MEDIA_TYPES",
    "Limits",
    "QueryInfo",
    "QueryRefused",
    "QueryResult",
    "QueryRunner",
    "QueryTimeout",
    "Term",
    "inspect",
    "open_runner",
    "run_endpoint",
    "serialize_result",
    "to_answer",
    "wait_ready",
]
