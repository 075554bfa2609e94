"""The same queries against any SPARQL 1.1 endpoint, over the SPARQL protocol (POST)."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from ..errors import BadInputError, OmsgraphError
from .formats import QueryResult, Term
from .scan import Limits, inspect


def _term(binding: dict[str, Any] | None) -> Term | None:
    if binding is None:
        return None
    kind = {"uri": "uri", "bnode": "bnode"}.get(binding.get("type", ""), "literal")
    lang = binding.get("xml:lang")
    return Term(kind, str(binding.get("value", "")), binding.get("datatype"), lang)


def run_endpoint(url: str, text: str, limits: Limits = Limits()) -> QueryResult:  # noqa: B008
    """One query at a SPARQL 1.1 endpoint: the same refusals, its timeout as the socket timeout."""
    if urllib.parse.urlparse(url).scheme not in ("http", "https"):
        raise BadInputError(f"endpoint {url!r} is not an http(s) URL; give e.g. http://127.0.0.1:7878/query")
    info = inspect(text, limits)
    graph = info.kind in ("CONSTRUCT", "DESCRIBE")
    accept = "application/n-triples" if graph else "application/sparql-results+json"
    request = urllib.request.Request(  # a form POST: every store takes it (Virtuoso 7 hangs on a bare query)
        url,
        data=urllib.parse.urlencode({"query": text}).encode("ascii"),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=limits.timeout) as response:
            body = response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace").strip().splitlines()[:1]
        raise OmsgraphError(
            f"endpoint {url} answered HTTP {exc.code}: {' '.join(detail)}; "
            "check the query and that the endpoint holds the omsgraph dataset"
        ) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise OmsgraphError(
            f"cannot reach endpoint {url}: {exc}; check the URL and that it is running"
        ) from exc
    if graph:
        lines = [line for line in body.splitlines(keepends=True) if line.strip()]
        truncated = len(lines) > limits.max_rows
        return QueryResult(info.kind, graph=b"".join(lines[: limits.max_rows]), truncated=truncated)
    try:
        payload = json.loads(body)
        if info.kind == "ASK":
            return QueryResult("ASK", boolean=bool(payload["boolean"]))
        columns = tuple(payload["head"]["vars"])
        bindings = payload["results"]["bindings"]
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise OmsgraphError(
            f"endpoint {url} did not return SPARQL JSON results; is it a SPARQL endpoint?"
        ) from exc
    rows = [tuple(_term(b.get(c)) for c in columns) for b in bindings[: limits.max_rows]]
    return QueryResult(info.kind, columns, rows, truncated=len(bindings) > limits.max_rows)
