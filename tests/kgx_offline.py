"""KGX 2.6 offline: its validator against the Biolink model shipped in PyPI ``biolink-model``.

KGX builds a Biolink Model Toolkit at import, which downloads ``biolink-model.yaml`` and
``predicate_mapping.yaml`` from GitHub, and reads its JSON-LD contexts (Biolink's prefixes, the
prefixcommons Monarch and OBO contexts) from URLs. ``validate`` points the toolkit at the schema in
``biolink_model`` (no predicate mapping: validation does not use it), the prefixcommons contexts at
the copies bundled in the ``prefixcommons`` package, and extends Biolink's prefixes with a JSON-LD
context (omsgraph's ``omsgraph.context.jsonld``): KGX's own way to accept further CURIE prefixes is
the JSON-LD context it validates ids against. Run it in a child process: it patches KGX's globals.
"""

from __future__ import annotations

import json
import sys
from importlib.resources import files
from pathlib import Path
from typing import Any


def validate(inputs: list[str], context: Path | None) -> dict[str, Any]:
    import bmt.toolkit
    import prefixcommons

    schema = str(files("biolink_model") / "schema" / "biolink_model.yaml")
    bmt.toolkit.Toolkit.__init__.__defaults__ = (schema, {"predicate mappings": []})

    import kgx.config

    registry = Path(prefixcommons.__file__).parent / "registry"
    config = kgx.config.get_config()
    for name in ("monarch_context", "obo_context"):
        config["jsonld-context"][name] = str(registry / f"{name}.jsonld")
    biolink_map = json.loads(
        (files("biolink_model") / "prefixmaps" / "biolink-model-prefix-map.json").read_text()
    )
    extra = json.loads(context.read_text(encoding="utf-8"))["@context"] if context else {}
    kgx.config.jsonld_context_map["biolink"] = {
        **biolink_map,
        **{k: v for k, v in extra.items() if not k.startswith("@")},
    }
    from kgx.cli.cli_utils import validate as kgx_validate

    errors: dict[str, Any] = kgx_validate(inputs, "tsv", None, None)
    return errors


def _refuse_network() -> None:
    import socket

    real = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        if isinstance(address, tuple) and address[0] not in ("127.0.0.1", "::1", "localhost"):
            raise OSError(f"kgx_offline: refused a connection to {address!r}: KGX must run offline")
        return real(self, address)

    socket.socket.connect = guarded  # type: ignore[method-assign]


if __name__ == "__main__":
    _refuse_network()
    context = Path(sys.argv[1]) if sys.argv[1] != "-" else None
    found = validate(sys.argv[2:], context)
    print("OMSGRAPH-KGX " + json.dumps(found, default=str, sort_keys=True))
