"""The one module that finds omsgraph's data files.

In a checkout or an editable install the data folders live at the top of the repository
(``ontology/``, ``queries/``, ``shapes/``); in a built wheel they are packaged under
``omsgraph/data/``. Every other module asks this one for paths.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from .errors import DataNotFoundError

EDIT_FILE = "omsgraph-edit.ttl"


@cache
def data_root() -> Path:
    """The folder that holds ``ontology/``, ``queries/`` and ``shapes/``."""
    packaged = Path(str(resources.files("omsgraph"))) / "data"
    if (packaged / "ontology" / EDIT_FILE).is_file():
        return packaged
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "ontology" / EDIT_FILE).is_file():
        return checkout
    raise DataNotFoundError(
        f"omsgraph data not found in {packaged} nor in {checkout}; reinstall omsgraph "
        "(pip install --force-reinstall omsgraph) or run it from a checkout of the repository"
    )


def ontology_dir() -> Path:
    return data_root() / "ontology"


def edit_file() -> Path:
    return ontology_dir() / EDIT_FILE


def curation_dir() -> Path:
    return ontology_dir() / "curation"


def reference_ids() -> Path:
    """The verified-identifier table (a copy of the project's shared reference)."""
    return ontology_dir() / "reference" / "ids.tsv"


def queries_dir() -> Path:
    return data_root() / "queries"


def shapes_dir() -> Path:
    return data_root() / "shapes"


def hpo_text() -> Path:
    """The vendored extract of HPO's definitions, synonyms and cross-references (omsgraph.hpo_text)."""
    return ontology_dir() / "imports" / "hp_text.tsv"
