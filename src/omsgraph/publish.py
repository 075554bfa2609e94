"""Pushing the release to a SPARQL 1.1 store with the Graph Store HTTP Protocol.

The store receives exactly the dataset the embedded query store holds (the release and the graphs
derived from it, see ``omsgraph.relations``), one ``PUT`` per named graph, each replacing that graph.
A store that answers queries over the union of its named graphs (Oxigraph with
``--union-default-graph``, Virtuoso by default) then gives the same answers as ``omsgraph query``.
With ``graph``, the whole dataset goes into that one named graph instead.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph

from .errors import BadInputError, OmsgraphError
from .release import load_release

TIMEOUT = 300.0


@dataclass(frozen=True)
class Published:
    graph: str
    triples: int
    status: int


def graph_url(endpoint: str, graph: str) -> str:
    """The Graph Store URL of a named graph: ``graph=`` added to the endpoint's own query string
    (Virtuoso's ``/sparql-graph-crud-auth`` also takes ``graph-uri=``; ``graph=`` is the standard)."""
    parts = urllib.parse.urlsplit(endpoint)
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    query = [(k, v) for k, v in query if k not in ("graph", "default")]
    query.append(("graph", graph))
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def _authorize(request: urllib.request.Request, user: str, password: str) -> None:
    """Add credentials before the body is sent: a store that answers 401 and closes the connection
    while a large PUT is still uploading (Virtuoso does) would otherwise break the pipe. Digest when
    the store asks for it (probed with a bodiless GET), else basic."""
    import base64

    probe = urllib.request.Request(request.full_url, method="GET")
    challenge = ""
    try:
        urllib.request.urlopen(probe, timeout=TIMEOUT).close()
    except urllib.error.HTTPError as exc:
        challenge = exc.headers.get("WWW-Authenticate", "") if exc.code == 401 else ""
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise OmsgraphError(
            f"cannot reach {request.full_url}: {exc}; check the URL and that the store is running"
        ) from exc
    if challenge.lower().startswith("digest "):
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, request.full_url, user, password)
        handler = urllib.request.HTTPDigestAuthHandler(manager)
        fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(challenge[7:]))
        value = handler.get_authorization(request, fields)
        if value:
            request.add_unredirected_header("Authorization", f"Digest {value}")
            return
    token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    request.add_unredirected_header("Authorization", f"Basic {token}")


def graphs_to_publish(release: Path | None = None, graph: str | None = None) -> dict[str, Graph]:
    """{named graph IRI: its triples}: the query store's named graphs, or all of them under ``graph``."""
    from . import relations

    dataset: Dataset = relations.query_dataset(load_release(release))
    named = {str(g.identifier): g for g in dataset.graphs() if len(g)}
    if graph is None:
        return dict(sorted(named.items()))
    merged = Graph()
    for part in named.values():
        for triple in part:
            merged.add(triple)
    return {graph: merged}


def publish(
    endpoint: str,
    graph: str | None = None,
    user: str | None = None,
    password: str | None = None,
    release: Path | None = None,
) -> list[Published]:
    """PUT each graph to the store, replacing it; raise OmsgraphError with the store's answer."""
    if urllib.parse.urlsplit(endpoint).scheme not in ("http", "https"):
        raise BadInputError(
            f"endpoint {endpoint!r} is not an http(s) URL; give the store's Graph Store Protocol URL, "
            "e.g. http://127.0.0.1:7878/store"
        )
    if graph is not None and not graph.startswith(("http://", "https://", "urn:")):
        raise BadInputError(f"--graph {graph!r} is not an IRI; give e.g. https://w3id.org/omsgraph/graph/all")
    done = []
    for name, content in graphs_to_publish(release, graph).items():
        body = content.serialize(format="nt", encoding="utf-8")
        request = urllib.request.Request(
            graph_url(endpoint, name),
            data=body,
            method="PUT",
            headers={
                "Content-Type": "text/turtle; charset=utf-8"
            },  # N-Triples is Turtle; every store reads it
        )
        if user is not None:
            _authorize(request, user, password or "")
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                done.append(Published(name, len(content), response.status))
        except urllib.error.HTTPError as exc:
            detail = " ".join(exc.read().decode("utf-8", "replace").split())[:200]
            hint = "check --user/--password" if exc.code in (401, 403) else "check the Graph Store URL"
            raise OmsgraphError(f"{endpoint} refused graph {name}: HTTP {exc.code} {detail}; {hint}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise OmsgraphError(
                f"cannot reach {endpoint}: {exc}; check the URL and that the store is running"
            ) from exc
    return done
