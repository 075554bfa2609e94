"""Exports of the release for data integrators: each format a small module, all deterministic.

``export(fmt, variant)`` returns the files of one format as ``{default file name: bytes}``:

- ``owl``, ``ttl``, ``jsonld``, ``nt``: the release variant (``full`` or ``base``) in that syntax;
- ``sssom``: every code of every entity as an SSSOM mapping set (TSV with its YAML header);
- ``kgx``: KGX nodes and edges TSV files with Biolink categories and predicates, and a metadata file
  declaring the CURIE prefix map their ids use;
- ``void``: a VoID description of the dataset (Turtle).

They read the release files under ``ontology/`` (run ``omsgraph build`` first).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from rdflib import Graph

from .. import resources
from ..build import BASE_OWL, RELEASE_OWL, VARIANTS
from ..errors import BadInputError
from ..release import load_release, warn_if_stale
from ..serialize import to_jsonld, to_ntriples

FORMATS = ("owl", "ttl", "jsonld", "nt", "sssom", "kgx", "void")
RDF_FORMATS = {"owl": ".owl", "ttl": ".ttl", "jsonld": ".jsonld", "nt": ".nt"}


def release_path(variant: str, suffix: str = ".owl") -> Path:
    if variant not in VARIANTS:
        raise BadInputError(f"unknown variant {variant!r}; use one of: {', '.join(sorted(VARIANTS))}")
    stem = Path(RELEASE_OWL if variant == "full" else BASE_OWL).stem
    return resources.ontology_dir() / f"{stem}{suffix}"


@cache
def release_graph(variant: str = "full") -> Graph:
    """The release variant's graph, parsed once per process."""
    return load_release(release_path(variant))


def export(fmt: str, variant: str = "full") -> dict[str, bytes]:
    """The files of format ``fmt`` for ``variant``, as ``{default file name: bytes}``."""
    if fmt not in FORMATS:
        raise BadInputError(f"unknown export format {fmt!r}; use one of: {', '.join(FORMATS)}")
    warn_if_stale()
    if fmt in RDF_FORMATS:
        path = release_path(variant, RDF_FORMATS[fmt])
        if path.is_file():
            return {path.name: path.read_bytes()}
        graph = release_graph(variant)
        data = to_jsonld(graph) if fmt == "jsonld" else to_ntriples(graph) if fmt == "nt" else None
        if data is None:
            raise BadInputError(f"{str(path)!r} does not exist; run `omsgraph build`")
        return {path.name: data}
    if variant != "full":
        raise BadInputError(
            f"--variant {variant} applies to owl, ttl, jsonld and nt; {fmt} uses the full release"
        )
    if fmt == "sssom":
        from .sssom import sssom_tsv

        return {"omsgraph.sssom.tsv": sssom_tsv(release_graph())}
    if fmt == "kgx":
        from .kgx import kgx_metadata, kgx_tsv

        nodes, edges = kgx_tsv(release_graph())
        files = {"omsgraph_nodes.tsv": nodes, "omsgraph_edges.tsv": edges}
        return {**files, "omsgraph_kgx_metadata.json": kgx_metadata(sorted(files))}
    from .void import void_turtle

    return {"omsgraph.void.ttl": void_turtle(release_graph())}


def write_export(files: dict[str, bytes], output: str | None) -> list[Path]:
    """Write exported files: ``output`` '-' is standard output, a folder (or None: the current folder)
    receives the files under their default names, any other path names the single file. Atomic."""
    import sys

    from ..serialize import write_atomic

    if output == "-":
        if len(files) > 1:
            raise BadInputError(f"this format writes {len(files)} files ({', '.join(files)}); give -o FOLDER")
        sys.stdout.buffer.write(next(iter(files.values())))
        sys.stdout.buffer.flush()
        return []
    target = Path(output) if output else Path()
    if len(files) > 1 or target.is_dir() or (output or "").endswith("/"):
        if target.exists() and not target.is_dir():
            raise BadInputError(f"{str(target)!r} is a file; this format writes several files, give a folder")
        paths = [target / name for name in files]
    else:
        paths = [target / next(iter(files)) if not output else target]
    # A folder named with -o is created when its parent exists; a missing folder on the way is an error.
    named = {p.parent for p in paths} if paths[0].parent == target and output else set()
    for path, data in zip(paths, files.values(), strict=True):
        folder = path.parent.parent if path.parent in named else path.parent
        if not folder.is_dir():
            raise BadInputError(
                f"cannot write {str(path)!r}: the folder {str(folder)!r} does not exist; "
                "create it first or choose another -o path"
            )
        try:
            write_atomic(path, data)
        except OSError as exc:
            raise BadInputError(
                f"cannot write {str(path)!r}: {exc.strerror}; choose another -o path"
            ) from exc
    return paths
