"""The vocabulary constants name terms the edit file really declares."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

from omsgraph import resources, vocab

CONSTANTS = {
    name: value
    for name, value in vars(vocab).items()
    if name.isupper() and isinstance(value, URIRef) and str(value).startswith(str(vocab.OMSG))
}


@pytest.fixture(scope="module")
def edit() -> Graph:
    return Graph().parse(resources.edit_file(), format="turtle")


@pytest.mark.parametrize("name", sorted(CONSTANTS))
def test_constant_is_declared_with_a_label(edit: Graph, name: str) -> None:
    assert edit.value(CONSTANTS[name], RDFS.label) is not None, (
        f"vocab.{name} = {CONSTANTS[name]} is not declared in omsgraph-edit.ttl; "
        "fix the constant or declare it"
    )


def test_expand_and_contract_round_trip() -> None:
    assert vocab.expand("HP:0001336") == URIRef("http://purl.obolibrary.org/obo/HP_0001336")
    assert vocab.contract("http://purl.obolibrary.org/obo/HP_0001336") == "HP:0001336"
    assert vocab.contract("https://w3id.org/omsgraph/OMSG_0000010") == "OMSG:0000010"


def test_data_root_is_the_checkout_here() -> None:
    assert (resources.data_root() / "ontology" / "omsgraph-edit.ttl").is_file()
    assert resources.hpo_text().name == "hp_text.tsv"
