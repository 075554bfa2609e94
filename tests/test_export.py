"""`omsgraph export`: every format of the release, validated by the tools that consume it."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

from omsgraph import resources
from omsgraph.build import VARIANTS
from omsgraph.cli import main
from omsgraph.export import export, release_graph
from omsgraph.serialize import to_ntriples
from omsgraph.vocab import expand

from .test_build import RDFLIB_FORMATS

VOID = Namespace("http://rdfs.org/ns/void#")


def _run(*args: str) -> tuple[int, bytes, str]:
    result = CliRunner().invoke(main, ["export", *args])
    return result.exit_code, result.stdout_bytes, result.stderr


@pytest.mark.parametrize("fmt", ["owl", "ttl", "jsonld", "nt"])
def test_full_rdf_exports_are_the_release_files(fmt: str) -> None:
    code, out, err = _run("-f", fmt, "-o", "-")
    assert code == 0, err
    suffix = {"owl": ".owl", "ttl": ".ttl", "jsonld": ".jsonld", "nt": ".nt"}[fmt]
    assert out == (resources.ontology_dir() / f"omsgraph{suffix}").read_bytes()


@pytest.mark.parametrize("fmt", ["jsonld", "nt"])
def test_base_exports_in_every_syntax_are_the_base_graph(fmt: str) -> None:
    """Compared through omsgraph's content-based blank node labels: the same N-Triples bytes mean the
    same graph (rdflib's general isomorphism test takes minutes on the whole release)."""
    (data,) = export(fmt, "base").values()
    base = resources.ontology_dir() / VARIANTS["base"][0]
    exported = Graph().parse(data=data, format=RDFLIB_FORMATS[f".{fmt}"])
    assert to_ntriples(exported) == to_ntriples(Graph().parse(base))


def test_output_file_is_written(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "mappings.tsv"
    code, _, err = _run("-f", "sssom", "-o", str(target))
    assert code == 0, err
    assert target.read_bytes() == export("sssom")["omsgraph.sssom.tsv"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-f", "kgx", "-o", "-"], "give -o FOLDER"),
        (["-f", "sssom", "--variant", "base"], "uses the full release"),
    ],
)
def test_bad_requests_are_one_line_errors_with_exit_2(args: list[str], message: str) -> None:
    code, _, err = _run(*args)
    assert code == 2
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_exports_are_deterministic_across_processes(tmp_path: Path) -> None:
    for seed, out in (("1", "a"), ("2", "b")):
        for fmt in ("sssom", "kgx", "void"):
            subprocess.run(
                [sys.executable, "-m", "omsgraph", "export", "-f", fmt, "-o", str(tmp_path / out) + "/"],
                check=True,
                env={**os.environ, "PYTHONHASHSEED": seed},
                capture_output=True,
            )
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert len(names) == 4
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


# --- SSSOM -----------------------------------------------------------------------------------------


def test_sssom_validates_with_the_sssom_package(tmp_path: Path) -> None:
    from sssom.parsers import parse_sssom_table
    from sssom.validators import validate

    path = tmp_path / "omsgraph.sssom.tsv"
    path.write_bytes(export("sssom")["omsgraph.sssom.tsv"])
    msdf = parse_sssom_table(path)
    assert len(msdf.df) > 100
    reports = validate(msdf, fail_on_error=False)
    problems = [r for report in reports.values() for r in report.results]
    assert not problems, problems[:5]


def test_every_sssom_row_is_complete_and_its_subject_is_in_the_release() -> None:
    text = export("sssom")["omsgraph.sssom.tsv"].decode()
    body = "".join(line + "\n" for line in text.splitlines() if not line.startswith("#"))
    rows = list(csv.DictReader(io.StringIO(body), delimiter="\t"))
    graph = release_graph()
    for row in rows:
        subject = expand(row["subject_id"])
        assert (subject, RDFS.label, None) in graph, f"{row['subject_id']} is not in the release"
        assert row["predicate_id"].startswith("skos:")
        assert row["mapping_justification"].startswith("semapv:")
        assert row["see_also"], f"{row['subject_id']} -> {row['object_id']} has no source"
        assert row["comment"].startswith("verified against "), row
    table = resources.curation_dir() / "mappings.tsv"
    assert len(rows) == sum(1 for _ in table.open(encoding="utf-8")) - 1, "a curated mapping is missing"


# --- KGX -------------------------------------------------------------------------------------------


@cache
def _biolink() -> dict[str, dict[str, object]]:
    from importlib.resources import files

    schema = files("biolink_model") / "schema" / "biolink_model.yaml"
    data: dict[str, dict[str, object]] = yaml.safe_load(schema.read_text(encoding="utf-8"))
    return data


def _biolink_name(curie: str) -> str:
    return curie.removeprefix("biolink:")


def _kgx() -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    files = export("kgx")
    nodes = list(csv.DictReader(io.StringIO(files["omsgraph_nodes.tsv"].decode()), delimiter="\t"))
    edges = list(csv.DictReader(io.StringIO(files["omsgraph_edges.tsv"].decode()), delimiter="\t"))
    return nodes, edges


def test_every_kgx_edge_joins_two_nodes() -> None:
    nodes, edges = _kgx()
    ids = {n["id"] for n in nodes}
    assert len(ids) == len(nodes), "duplicate node ids"
    assert len(edges) > 400
    dangling = [
        (e["subject"], e["object"]) for e in edges if e["subject"] not in ids or e["object"] not in ids
    ]
    assert not dangling, dangling[:5]
    assert len({e["id"] for e in edges}) == len(edges)
    publications = {p for e in edges for p in e["publications"].split("|") if p}
    assert publications <= ids, "every cited source record is a node"


def test_kgx_categories_are_biolink_classes() -> None:
    classes = {c.replace(" ", "").lower() for c in _biolink()["classes"]}
    nodes, _ = _kgx()
    for node in nodes:
        name = _biolink_name(node["category"])
        assert name.lower() in classes, f"{node['id']}: {node['category']} is not a Biolink class"
        assert node["name"], f"{node['id']} has no name"


def test_kgx_predicates_are_canonical_biolink_predicates() -> None:
    slots = {s.replace(" ", "_"): v for s, v in _biolink()["slots"].items()}
    _, edges = _kgx()
    for predicate in sorted({e["predicate"] for e in edges}):
        slot = slots.get(_biolink_name(predicate))
        assert isinstance(slot, dict), f"{predicate} is not a Biolink slot"
        annotations = slot.get("annotations") or {}
        assert isinstance(annotations, dict)
        assert annotations.get("canonical_predicate") or slot.get("symmetric") or not slot.get("inverse"), (
            f"{predicate} is not canonical; flip the edge and use its inverse"
        )
    assert {"biolink:has_phenotype", "biolink:treats", "biolink:subclass_of"} <= {
        e["predicate"] for e in edges
    }


# --- VoID ------------------------------------------------------------------------------------------


def test_void_describes_the_release() -> None:
    void = Graph().parse(data=export("void")["omsgraph.void.ttl"], format="turtle")
    (dataset,) = void.subjects(RDF.type, VOID.Dataset)
    release = release_graph()
    assert int(void.value(dataset, VOID.triples)) == len(release)  # type: ignore[arg-type]
    for prop in (VOID.entities, VOID.classes, VOID.properties, VOID.sparqlEndpoint, VOID.exampleResource):
        assert void.value(dataset, prop) is not None, f"VoID lacks {prop}"
    assert void.value(dataset, URIRef("http://purl.org/dc/terms/license")) is not None
    assert len(list(void.objects(dataset, URIRef("http://purl.org/dc/terms/source")))) >= 5


def test_statement_with_two_sources_is_one_kgx_edge_with_both_publications() -> None:
    _, edges = _kgx()
    keys = [(e["subject"], e["original_predicate"], e["object"]) for e in edges]
    assert len(keys) == len(set(keys)), "an (S, P, O) is exported as several edges"
    (edge,) = [e for e in edges if e["subject"] == "CHEBI:2948" and e["original_predicate"] == "OMSG:0000312"]
    assert edge["publications"] == "OMSG:0009004|OMSG:0009005"
