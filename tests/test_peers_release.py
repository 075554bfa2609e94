"""Every release file opened as each peer tool's users open it, with the same content everywhere.

The files come from ``build.RELEASE_FILES`` (every RDF file in it, whatever is added later), so a new
release file is covered without touching this module. Each peer must read each file it supports with
no error and the triple (or axiom) count of the reference reader (rdflib); the formats of one release
variant must hold equally many triples and axioms.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from omsgraph import resources
from omsgraph.build import CONTEXT_FILE, RELEASE_FILES, VARIANTS
from omsgraph.owlapi import check_files, debian_classpath

from .peers import JAVA_DIR, jena_classpath, require, system_java

RDFLIB = {".owl": "xml", ".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld"}
JENA = {".owl": "rdfxml", ".ttl": "turtle", ".nt": "ntriples", ".jsonld": "jsonld10"}
RDF_FILES = [n for n in RELEASE_FILES if Path(n).suffix in RDFLIB and n != CONTEXT_FILE]
OWL_FILES = [n for n in RDF_FILES if n.endswith(".owl")]  # RDF/XML: what owlready2, pronto, horned-owl read
JSONLD_FILES = [n for n in RDF_FILES if n.endswith(".jsonld")]
VARIANT_FILES = {n for files in VARIANTS.values() for n in files}


def python_peer(module: str, package: str) -> Any:
    """Import a Python peer; outside CI a missing one skips the test, under CI it fails."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        require(False, f"{package} (pip install -e '.[test]')")


def path_of(name: str) -> Path:
    return resources.ontology_dir() / name


@cache
def triples(name: str) -> int:
    """The reference count: rdflib's."""
    from rdflib import Graph

    return len(Graph().parse(path_of(name), format=RDFLIB[Path(name).suffix]))


def test_every_rdf_release_file_is_covered() -> None:
    assert {n for files in VARIANTS.values() for n in files} <= set(RDF_FILES)
    assert {".owl", ".ttl", ".nt", ".jsonld"} <= {Path(n).suffix for n in RDF_FILES}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_formats_of_a_variant_hold_the_same_number_of_triples(variant: str) -> None:
    counts = {name: triples(name) for name in VARIANTS[variant]}
    assert len(set(counts.values())) == 1 and min(counts.values()) > 1000, counts


@pytest.mark.parametrize("name", RDF_FILES)
def test_pyoxigraph_reads_release_file(name: str) -> None:
    import pyoxigraph as ox

    fmt = {".owl": ox.RdfFormat.RDF_XML, ".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES}
    quads = list(ox.parse(path=path_of(name), format=fmt.get(Path(name).suffix, ox.RdfFormat.JSON_LD)))
    assert {q.graph_name for q in quads} == {ox.DefaultGraph()}, "every triple in the default graph"
    assert len(quads) == triples(name)


@pytest.mark.parametrize("name", RDF_FILES)
def test_jena_riot_reads_release_file(name: str) -> None:
    """Jena 4.5 from Debian; JSON-LD through its JSON-LD 1.0 reader (the 1.1 reader needs a Jakarta
    JSON provider Debian does not package), which needs httpclient-cache on the classpath."""
    java = system_java()
    classpath = jena_classpath() + ":" + str(JAVA_DIR / "httpclient-cache.jar")
    assert java is not None
    out = subprocess.run(
        [
            java,
            "-cp",
            classpath,
            "riotcmd.riot",
            "--count",
            f"--syntax={JENA[Path(name).suffix]}",
            str(path_of(name)),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert out.returncode == 0, f"Jena riot rejects {name}:\n{out.stderr[-2000:]}"
    assert "WARN" not in out.stderr and "ERROR" not in out.stderr, out.stderr[-2000:]
    found = re.search(r"Triples = ([\d,]+)", out.stdout + out.stderr)
    assert found is not None, out.stdout + out.stderr
    assert int(found[1].replace(",", "")) == triples(name)


def _offline_loader(url: str, options: Any = None) -> Any:
    raise AssertionError(f"PyLD tried to fetch {url}; the release must read offline")


@pytest.mark.parametrize("mode", ["json-ld-1.0", "json-ld-1.1"])
@pytest.mark.parametrize("name", JSONLD_FILES)
def test_pyld_reads_jsonld_offline(name: str, mode: str) -> None:
    pyld = python_peer("pyld.jsonld", "PyLD")
    doc = json.loads(path_of(name).read_text(encoding="utf-8"))
    dataset = pyld.to_rdf(doc, {"processingMode": mode, "documentLoader": _offline_loader})
    assert set(dataset) == {"@default"}
    assert len(dataset["@default"]) == triples(name)


@pytest.mark.parametrize("name", JSONLD_FILES)
def test_shipped_context_compacts_the_jsonld_to_omsg_curies(name: str) -> None:
    """The prefix map as a JSON-LD 1.1 context: compacting the release with it gives OMSG: CURIEs and
    loses no triple."""
    pyld = python_peer("pyld.jsonld", "PyLD")
    context = json.loads(path_of(CONTEXT_FILE).read_text(encoding="utf-8"))
    doc = json.loads(path_of(name).read_text(encoding="utf-8"))
    options = {"processingMode": "json-ld-1.1", "documentLoader": _offline_loader}
    compacted = pyld.compact(doc, context, options)
    ids = {node["@id"] for node in compacted["@graph"]}
    assert "OMSG:0000010" in ids and not any(i.startswith("https://w3id.org/omsgraph/OMSG_") for i in ids)
    assert len(pyld.to_rdf(compacted, options)["@default"]) == triples(name)


@cache
def owlapi_report() -> dict[str, Any]:
    require(debian_classpath() is not None, "Debian's OWL API 5 (apt-get install libowlapi-java)")
    report = check_files([path_of(n) for n in RDF_FILES], reasoner=False)
    return {Path(f.path).name: f for f in report.files} | {"": report}


@pytest.mark.slow
@pytest.mark.parametrize("name", RDF_FILES)
def test_owlapi_opens_release_file_without_format_hint(name: str) -> None:
    """As Protégé opens a file: no format hint, the OWL API tries its parsers in turn."""
    f = owlapi_report()[Path(name).name]
    assert f.ok, f.problems()
    assert f.axioms > 100


@pytest.mark.slow
@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_owlapi_reads_the_same_axioms_from_every_format_of_a_variant(variant: str) -> None:
    counts = {n: owlapi_report()[n].axioms for n in VARIANTS[variant]}
    assert len(set(counts.values())) == 1, counts


def _in_child(code: str, *args: str) -> str:
    """Run a peer in its own process (owlready2 keeps one world per process; pronto warns loudly)."""
    out = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=600, check=False
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout.strip().splitlines()[-1]


def _named_classes(name: str) -> int:
    from rdflib import Graph, URIRef
    from rdflib.namespace import OWL, RDF

    g = Graph().parse(path_of(name), format=RDFLIB[Path(name).suffix])
    return len({c for c in g.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)})


OWLREADY2 = """
import sys, owlready2
world = owlready2.World()
onto = world.get_ontology("file://" + sys.argv[1]).load()
print(len(set(world.classes())), len(world.graph))
"""


@pytest.mark.slow
@pytest.mark.parametrize("name", OWL_FILES)
def test_owlready2_loads_owl_file(name: str) -> None:
    classes, _ = _in_child(OWLREADY2, str(path_of(name))).split()
    assert int(classes) == _named_classes(name)


PRONTO = """
import sys, warnings, json, pronto
warnings.simplefilter("ignore")
o = pronto.Ontology(sys.argv[1])
print(json.dumps(sorted(t.id for t in o.terms())))
"""


@pytest.mark.parametrize("name", OWL_FILES)
def test_pronto_opens_owl_file_with_curie_ids(name: str) -> None:
    """Regression: pronto 2.7 failed with "could not find 'owl:Ontology' element" on the plain
    rdf:Description RDF/XML; ids must come out as CURIEs (OMSG:0000040), as oaklib shows them."""
    python_peer("pronto", "pronto")
    ids = json.loads(_in_child(PRONTO, str(path_of(name))))
    assert len(ids) == _named_classes(name)
    if name in VARIANT_FILES:  # the release variants; the component and import modules are for Protégé
        assert not [i for i in ids if "/" in i or ":" not in i], "ids left as whole IRIs"
    if name in VARIANTS["full"]:
        assert "OMSG:0000040" in ids and "MONDO:0015247" in ids


HORNED = """
import sys, pyhornedowl
o = pyhornedowl.open_ontology(sys.argv[1], "owl")
print(sum(1 for a in o.get_axioms() if type(a.component).__name__ != "OntologyAnnotation"))
"""


@pytest.mark.slow
@pytest.mark.parametrize("name", OWL_FILES)
def test_py_horned_owl_reads_the_owlapi_axioms(name: str) -> None:
    """py-horned-owl's axioms (without ontology annotations, which the OWL API does not count as
    axioms) equal the OWL API's: one axiom per statement with all its sources (#15 item 6), so no
    copy is lost."""
    python_peer("pyhornedowl", "py-horned-owl")
    axioms = int(_in_child(HORNED, str(path_of(name))))
    assert axioms == owlapi_report()[Path(name).name].axioms


def _export(fmt: str, folder: Path) -> list[Path]:
    from omsgraph.export import export

    paths = []
    for name, data in export(fmt).items():
        (folder / name).write_bytes(data)
        paths.append(folder / name)
    return paths


def _kgx_validate(context: Path | None, inputs: list[Path]) -> dict[str, Any]:
    python_peer("kgx", "kgx")
    helper = Path(__file__).parent / "kgx_offline.py"
    args = [str(context) if context else "-", *map(str, inputs)]
    out = subprocess.run(
        [sys.executable, str(helper), *args], capture_output=True, text=True, timeout=900, check=False
    )
    line = next((x for x in out.stdout.splitlines() if x.startswith("OMSGRAPH-KGX ")), None)
    assert line is not None, (out.stdout + out.stderr)[-3000:]
    found: dict[str, Any] = json.loads(line.removeprefix("OMSGRAPH-KGX "))
    return found


@pytest.mark.slow
def test_kgx_validate_passes_with_the_shipped_prefix_map(tmp_path: Path) -> None:
    """Regression: `kgx validate` reported every OMSG node and edge end as an unknown CURIE prefix.
    With the shipped context (omsgraph.context.jsonld) added to Biolink's prefixes it finds nothing;
    offline, against the Biolink model in PyPI biolink-model."""
    exported = _export("kgx", tmp_path)
    inputs = [p for p in exported if p.suffix == ".tsv"]
    (metadata,) = [json.loads(p.read_text()) for p in exported if p.suffix == ".json"]
    assert metadata["curie_map"]["OMSG"] == "https://w3id.org/omsgraph/OMSG_", (
        "the export declares its prefixes"
    )
    assert _kgx_validate(path_of(CONTEXT_FILE), inputs) == {}
    without = json.dumps(_kgx_validate(None, inputs))
    assert "CURIE prefix 'OMSG'" in without, "the check must be able to fail"


@pytest.mark.slow
def test_sssom_validate_command_accepts_the_export(tmp_path: Path) -> None:
    python_peer("sssom", "sssom")
    (tsv,) = _export("sssom", tmp_path)
    command = Path(sys.executable).parent / "sssom"
    out = subprocess.run(
        [str(command), "validate", str(tsv)], capture_output=True, text=True, timeout=600, check=False
    )
    assert out.returncode == 0, (out.stdout + out.stderr)[-3000:]
    assert "error" not in out.stdout.lower(), out.stdout[-3000:]


def test_sssom_curie_map_and_prefix_files_are_the_project_prefix_map() -> None:
    """The SSSOM curie_map, prefixes.csv and the JSON-LD context all state vocab's prefix map, and
    curies reads the two shipped files to the same converter."""
    import csv

    import curies

    from omsgraph.build import PREFIXES_FILE
    from omsgraph.export import export
    from omsgraph.serialize import prefix_map

    expected = prefix_map()
    with path_of(PREFIXES_FILE).open(encoding="utf-8", newline="") as handle:
        rows = {r["prefix"]: r["uri_prefix"] for r in csv.DictReader(handle)}
    assert rows == expected
    context = json.loads(path_of(CONTEXT_FILE).read_text(encoding="utf-8"))["@context"]
    from_context = {k: v if isinstance(v, str) else v["@id"] for k, v in context.items() if k[0] != "@"}
    assert from_context == expected
    converter = curies.load_prefix_map(rows)
    assert converter.compress("https://w3id.org/omsgraph/OMSG_0000010") == "OMSG:0000010"
    header = [
        line[2:] for line in export("sssom")["omsgraph.sssom.tsv"].decode().splitlines() if line[:1] == "#"
    ]
    curie_map = dict(
        line.strip().split(": ", 1)
        for line in header[1 : header.index(next(h for h in header[1:] if h[:1] != " "))]
    )
    assert curie_map and all(expected[p] == ns for p, ns in curie_map.items())
    assert curie_map["OMSG"] == expected["OMSG"]
