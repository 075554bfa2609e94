"""A bad table row is refused with its table, row, column and a fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib.namespace import XSD

from omsgraph.build import build_release
from omsgraph.curation import parse_value
from omsgraph.errors import BadInputError, CurationError


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture does not contain {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


CASES = [
    # (table, old text, new text, expected row, column, words in the message)
    ("assertions.tsv", "\thas phenotype\t", "\thas fenotype\t", 2, "relation", "is not a relation"),
    (
        "assertions.tsv",
        "\tgard|gale\t",
        "\tgard|nosuchpage\t",
        2,
        "sources",
        "'nosuchpage' is not a source key",
    ),
    ("assertions.tsv", "\tECO:0000304", "\tECO:9999999", 2, "evidence", "not an allowed evidence code"),
    (
        "assertions.tsv",
        "\tOpsoclonus\tall",
        "\tOpsoklonus\tall",
        2,
        "object_label",
        "does not match the label",
    ),
    ("assertions.tsv", "\tchildren\tnearly", "\tteenagers\tnearly", 3, "population", "is not a population"),
    ("assertions.tsv", "\tproportion\t", "\tshare\t", 3, "quantity", "'share' is not a kind of quantity"),
    ("assertions.tsv", "\tproportion\t..0.5", "\tproportion\t", 3, "value", "is empty"),
    ("assertions.tsv", "\t..0.5", "\tabout half", 3, "value", "neither a decimal number"),
    ("assertions.tsv", "\t..0.5", "\t..P5Y", 3, "value", "is a duration but a proportion is a decimal"),
    ("assertions.tsv", "\t..0.5", "\t0.6..0.5", 3, "value", "lower bound not below its upper bound"),
    ("assertions.tsv", "\t..0.5", "\t..50", 3, "value", "is above 1"),
    ("assertions.tsv", "\t..0.5", "\t..P5Y..", 3, "value", "neither a decimal number"),
    ("terms.tsv", "HP:0001336\tMyoclonus", "HP:0001336\tMyoclonic jerks", 5, "label", "not HPO's label"),
    ("terms.tsv", "HP:0001251\tAtaxia", "HP:9999999\tAtaxia", 6, "id", "is not in HPO"),
    (
        "terms.tsv",
        "MONDO:0005072\tneuroblastoma",
        "MONDO:0000001\tneuroblastoma",
        3,
        "id",
        "is not a VERIFIED identifier",
    ),
    ("terms.tsv", "OMSG:0001000\t", "OMSG:0000900\t", 13, "id", "outside this table's ID range"),
    ("terms.tsv", "\tneoplasm\t", "\ttumor\t", 3, "category", "is not a category"),
    (
        "terms.tsv",
        "\tMONDO:0015247\tOpsoclonus",
        "\tMONDO:0099999\tOpsoclonus",
        13,
        "parents",
        "is not declared",
    ),
    ("synonyms.tsv", "\texact\t", "\tsimilar\t", 2, "scope", "is not a scope"),
    ("mappings.tsv", "\tskos:exactMatch\t", "\towl:sameAs\t", 2, "predicate", "is not a mapping predicate"),
    ("mappings.tsv", "\tSCTID:230350000\t", "\tSNOMED 230350000\t", 2, "object", "is not a CURIE"),
]


@pytest.mark.parametrize(
    ("table", "old", "new", "row", "column", "words"),
    CASES,
    ids=[f"{c[0]}-{c[4]}-{i}" for i, c in enumerate(CASES)],
)
def test_bad_cell_is_refused_with_its_place(
    mini_tables: Path, table: str, old: str, new: str, row: int, column: str, words: str
) -> None:
    _replace(mini_tables / table, old, new)
    with pytest.raises(CurationError) as info:
        build_release(curation_dir=mini_tables)
    err = info.value
    assert (err.table, err.row, err.column) == (f"ontology/curation/{table}", row, column)
    assert words in str(err)
    assert "\n" not in str(err)


def test_wrong_header_names_the_expected_columns(mini_tables: Path) -> None:
    _replace(mini_tables / "terms.tsv", "id\tlabel\t", "ident\tlabel\t")
    with pytest.raises(CurationError, match=r"terms.tsv:1: header is .*make it these tab-separated columns"):
        build_release(curation_dir=mini_tables)


def test_missing_cell_is_refused(mini_tables: Path) -> None:
    _replace(mini_tables / "synonyms.tsv", "\tgard|verywell\t", "\tgard|verywell")
    with pytest.raises(CurationError, match=r"synonyms.tsv:2: has 5 cells, expected 6"):
        build_release(curation_dir=mini_tables)


def test_missing_table_is_refused(mini_tables: Path) -> None:
    (mini_tables / "mappings.tsv").unlink()
    with pytest.raises(BadInputError, match=r"mappings.tsv is missing"):
        build_release(curation_dir=mini_tables)


def test_non_utf8_table_is_refused(mini_tables: Path) -> None:
    (mini_tables / "synonyms.tsv").write_bytes("id\xe9\tlabel\n".encode("latin-1"))
    with pytest.raises(CurationError, match="is not UTF-8"):
        build_release(curation_dir=mini_tables)


def test_broken_edit_file_is_refused(tmp_path: Path, mini_tables: Path) -> None:
    bad = tmp_path / "omsgraph-edit.ttl"
    bad.write_text("@prefix : <x> .\n:a :b ", encoding="utf-8")
    with pytest.raises(BadInputError, match="is not valid Turtle"):
        build_release(edit_file=bad, curation_dir=mini_tables)


@pytest.mark.parametrize(
    ("text", "datatype", "exact", "minimum", "maximum"),
    [
        ("0.5", "decimal", "0.5", None, None),
        ("0.4..0.6", "decimal", None, "0.4", "0.6"),
        ("5..6", "decimal", None, "5", "6"),
        ("P5Y", "duration", "P5Y", None, None),
        ("..P5Y", "duration", None, None, "P5Y"),
        ("P6M..", "duration", None, "P6M", None),
        ("P6M..P2Y", "duration", None, "P6M", "P2Y"),
    ],
)
def test_values_parse_to_typed_literals(
    text: str, datatype: str, exact: str | None, minimum: str | None, maximum: str | None
) -> None:
    typed = parse_value(text)
    assert typed.datatype == datatype
    xsd = XSD.decimal if datatype == "decimal" else XSD.duration
    for literal, expected in ((typed.exact, exact), (typed.minimum, minimum), (typed.maximum, maximum)):
        if expected is None:
            assert literal is None
        else:
            assert literal is not None and str(literal) == expected and literal.datatype == xsd


@pytest.mark.parametrize("text", ["", "..", "P", "PT", "P5W", "-0.5", "0.5..P1Y", "P2Y..P6M", "1e3"])
def test_bad_values_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_value(text)
