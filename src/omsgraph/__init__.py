"""omsgraph: a knowledge graph and OWL 2 DL ontology of opsoclonus-myoclonus syndrome.

Reference information for research and curation, not medical advice.

>>> from omsgraph import build_release           # doctest: +SKIP
>>> release = build_release()                     # doctest: +SKIP
>>> release.reasoner.consistent                   # doctest: +SKIP
True
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("omsgraph")
except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
    __version__ = "0.0.0"

from .build import Release, build_release, write_release
from .check import CheckReport, run_check
from .errors import BadInputError, CheckFailedError, CurationError, OmsgraphError
from .reason import ReasonerResult, reason
from .release import load_release
from .validate import ValidationResult, validate

__all__ = [
    "BadInputError",
    "CheckFailedError",
    "CheckReport",
    "CurationError",
    "OmsgraphError",
    "ReasonerResult",
    "Release",
    "ValidationResult",
    "__version__",
    "build_release",
    "load_release",
    "reason",
    "run_check",
    "validate",
    "write_release",
]
