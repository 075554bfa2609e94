"""Pushing the release to a SPARQL 1.1 store with the Graph Store HTTP Protocol.

The store receives exactly what the embedded query store holds: the full release file as it is
(with its direct edges), in one ``PUT`` that replaces the target graph — the store's default graph,
or the named graph given with ``graph``. Every shipped query then answers from the store as
``omsgraph query`` does (query the named graph as the default graph, e.g. ``default-graph-uri``).
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .errors import BadInputError, OmsgraphError
from .release import load_release

TIMEOUT = 300.0


@dataclass(frozen=True)
class Published:
    graph: str
    triples: int
    status: int


def graph_url(endpoint: str, graph: str | None) -> str:
    """The Graph Store URL of a named graph (``graph=``) or of the default graph (``default``), added
    to the endpoint's own query string."""
    parts = urllib.parse.urlsplit(endpoint)
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    query = [(k, v) for k, v in query if k not in ("graph", "default")]
    encoded = urllib.parse.urlencode([*query, ("graph", graph)] if graph else query)
    if graph is None:
        encoded = f"{encoded}&default" if encoded else "default"
    return urllib.parse.urlunsplit(parts._replace(query=encoded))


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


def release_ntriples(release: Path | None = None) -> tuple[bytes, int]:
    """The full release as N-Triples, and its number of triples."""
    from .store import dataset_nquads

    graph = load_release(release)
    return dataset_nquads(graph), len(graph)


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
    body, triples = release_ntriples(release)
    request = urllib.request.Request(
        graph_url(endpoint, graph),
        data=body,
        method="PUT",
        headers={"Content-Type": "text/turtle; charset=utf-8"},  # N-Triples is Turtle: all stores read it
    )
    name = graph or "the default graph"
    if user is not None:
        _authorize(request, user, password or "")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            done.append(Published(name, triples, response.status))
    except urllib.error.HTTPError as exc:
        detail = " ".join(exc.read().decode("utf-8", "replace").split())[:200]
        hint = "check --user/--password" if exc.code in (401, 403) else "check the Graph Store URL"
        raise OmsgraphError(f"{endpoint} refused {name}: HTTP {exc.code} {detail}; {hint}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise OmsgraphError(
            f"cannot reach {endpoint}: {exc}; check the URL and that the store is running"
        ) from exc
    return done
