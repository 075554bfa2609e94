"""omsgraph serve over HTTP: every route, content type, status code and guard rail."""

from __future__ import annotations

import gzip
import json
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from starlette.testclient import TestClient  # needs httpx: in the test extra, never skipped

from omsgraph.lookup import load_catalog, page_path
from omsgraph.query import load_questions
from omsgraph.serve import Settings, create_app
from omsgraph.serve.negotiate import ENTITY_REPRESENTATIONS, choose

OMS = "http://purl.obolibrary.org/obo/MONDO_0015247"
SELECT = "SELECT ?s WHERE { ?s a <http://www.w3.org/2002/07/owl#Class> } LIMIT 3"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    settings = Settings(timeout=3, max_rows=50, max_query_bytes=5000, workers=2)
    app = create_app(settings)
    with TestClient(app) as c:
        yield c
    runner = settings.extra.get("runner")
    if runner is not None:
        runner.close()


# --- pages ------------------------------------------------------------------------------------------


def test_home_shows_version_counts_licence_and_the_notice(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "2026-" in r.text and "creativecommons.org/licenses/by/4.0" in r.text
    assert "Not medical advice" in r.text and "classes" in r.text


def test_healthz(client: TestClient) -> None:
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json()["status"] == "ok"


def test_entity_page_shows_synonyms_codes_statements_and_sources(client: TestClient) -> None:
    r = client.get("/term/MONDO:0015247", headers={"accept": "text/html"})
    assert r.status_code == 200
    assert "opsoclonus-myoclonus syndrome" in r.text and "Kinsbourne syndrome" in r.text
    assert "(exact)" in r.text and "G25.3" in r.text and "broadMatch" in r.text
    assert "is associated with autoantibody" in r.text and 'href="/term/HP:' in r.text
    assert 'class="source"' in r.text and "population: " in r.text
    assert "Accept" in r.headers["vary"].split(", ")


def test_minted_iri_is_served_at_its_path(client: TestClient) -> None:
    catalog = load_catalog()
    own = next(
        str(s) for s in catalog.graph.subjects() if str(s).startswith("https://w3id.org/omsgraph/OMSG_")
    )
    r = client.get(page_path(own), headers={"accept": "text/html"})
    assert r.status_code == 200 and catalog.label(URIRef(own)) in r.text


@pytest.mark.parametrize("rep", [r for r in ENTITY_REPRESENTATIONS if r.name != "html"])
def test_entity_content_negotiation(client: TestClient, rep: object) -> None:
    media, fmt, name = rep.media_type, rep.rdflib_format, rep.name  # type: ignore[attr-defined]
    by_accept = client.get("/term/MONDO:0015247", headers={"accept": media})
    by_format = client.get(f"/term/MONDO:0015247?format={name}", headers={"accept": "text/html"})
    for r in (by_accept, by_format):
        assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == media
        graph = Graph().parse(data=r.content, format=fmt)
        assert (URIRef(OMS), None, None) in graph
    assert by_accept.content == by_format.content


def test_q_values_and_406(client: TestClient) -> None:
    r = client.get("/term/MONDO:0015247", headers={"accept": "text/html;q=0.5, text/turtle"})
    assert r.headers["content-type"].startswith("text/turtle")
    assert client.get("/term/MONDO:0015247", headers={"accept": "image/png"}).status_code == 406
    assert choose(ENTITY_REPRESENTATIONS, None, None) == ENTITY_REPRESENTATIONS[0]


@pytest.mark.parametrize(
    "code", ["G25.3", "ORPHA:1183", "230350000", "SCTID:230350000", OMS, "MONDO:0015247"]
)
def test_lookup_by_code_curie_and_iri_lands_on_oms(client: TestClient, code: str) -> None:
    r = client.get("/lookup", params={"id": code}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/term/MONDO:0015247"


def test_a_code_under_term_redirects_and_unknowns_are_404(client: TestClient) -> None:
    r = client.get("/term/ORPHA:1183", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/term/MONDO:0015247"
    assert client.get("/term/MONDO:9999999").status_code == 404
    assert client.get("/lookup?id=nothing-like-this").status_code == 404
    assert client.get("/OMSG_9999999", headers={"accept": "text/html"}).status_code == 404


def test_ontology_and_version_iri_resolve_to_the_release(client: TestClient) -> None:
    release = (Path(__file__).parents[1] / "ontology" / "omsgraph.owl").read_bytes()
    assert client.get("/omsgraph.owl").content == release
    version = load_catalog().ontology()["version_iri"]
    r = client.get(page_path(version))
    assert r.status_code == 200 and r.content == release
    assert client.get("/releases/1999-01-01/omsgraph.owl").status_code == 404


def test_downloads_list_checksums_that_match_the_files(client: TestClient) -> None:
    page = client.get("/downloads")
    assert page.status_code == 200 and "omsgraph.sssom.tsv" in page.text
    sums = client.get("/downloads/SHA256SUMS").text.splitlines()
    assert len(sums) >= 8
    import hashlib

    for line in sums[:3]:
        digest, name = line.split("  ")
        assert hashlib.sha256(client.get(f"/downloads/{name}").content).hexdigest() == digest
        assert digest in page.text


def test_overview_is_generated_from_the_competency_questions(client: TestClient) -> None:
    r = client.get("/oms")
    assert r.status_code == 200
    questions = load_questions()
    assert questions["antibody-chain"].question in r.text
    assert "Anti-Ri" in r.text and "neuroblastoma" in r.text.lower()


# --- search -----------------------------------------------------------------------------------------


def test_search_api_ranks_prefix_matches_and_says_which_synonym_matched(client: TestClient) -> None:
    r = client.get("/api/search", params={"q": "Kinsb"})
    assert r.status_code == 200
    top = r.json()["results"][0]
    assert top["curie"] == "MONDO:0015247" and top["matched"] == "Kinsbourne syndrome"
    assert top["field"] == "exact synonym" and top["path"] == "/term/MONDO:0015247"
    labels = [h["label"] for h in client.get("/api/search", params={"q": "opsoclonus"}).json()["results"]]
    assert labels[0].lower() == "opsoclonus"  # an exact label beats longer ones


def test_search_finds_codes_and_the_html_page(client: TestClient) -> None:
    top = client.get("/api/search", params={"q": "G25.3"}).json()["results"][0]
    assert top["curie"] == "MONDO:0015247" and top["field"] == "code"
    page = client.get("/search", params={"q": "dancing"})
    assert page.status_code == 200 and "dancing" in page.text and "synonym" in page.text
    assert client.get("/api/search", params={"q": ""}).json()["results"] == []


# --- HTTP habits ------------------------------------------------------------------------------------


def test_etag_last_modified_304_gzip_and_cors(client: TestClient) -> None:
    r = client.get("/term/MONDO:0015247", headers={"accept": "text/html", "accept-encoding": "gzip"})
    assert r.headers["content-encoding"] == "gzip" and r.headers["etag"] and r.headers["last-modified"]
    again = client.get(
        "/term/MONDO:0015247", headers={"accept": "text/html", "if-none-match": r.headers["etag"]}
    )
    assert again.status_code == 304 and again.content == b""
    since = client.get("/", headers={"if-modified-since": r.headers["last-modified"]})
    assert since.status_code == 304
    cors = client.get("/api/search?q=oms", headers={"origin": "https://example.org"})
    assert cors.headers["access-control-allow-origin"] == "*"
    assert gzip  # the client decoded the body: the text was readable
    assert "Kinsbourne" in r.text


# --- SPARQL protocol --------------------------------------------------------------------------------


def test_service_description_and_query_page(client: TestClient) -> None:
    sd = client.get("/sparql")
    assert sd.status_code == 200 and sd.headers["content-type"].startswith("text/turtle")
    assert "sd:Service" in sd.text or "sparql-service-description" in sd.text
    page = client.get("/sparql", headers={"accept": "text/html"})
    assert page.status_code == 200 and "<textarea" in page.text
    assert all(name in page.text for name in load_questions())


@pytest.mark.parametrize(
    ("media", "check"),
    [
        ("application/sparql-results+json", lambda b: len(json.loads(b)["results"]["bindings"]) == 3),
        ("application/sparql-results+xml", lambda b: b.count(b"<result>") == 3),
        ("text/csv", lambda b: len(b.decode().strip().splitlines()) == 4),
        ("text/tab-separated-values", lambda b: len(b.decode().strip().splitlines()) == 4),
    ],
)
def test_select_results_by_accept(client: TestClient, media: str, check: object) -> None:
    r = client.get("/sparql", params={"query": SELECT}, headers={"accept": media})
    assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == media
    assert check(r.content)  # type: ignore[operator]


def test_get_post_form_and_post_query_agree(client: TestClient) -> None:
    get = client.get("/sparql", params={"query": SELECT, "format": "json"})
    form = client.post(
        "/sparql", data={"query": SELECT}, headers={"accept": "application/sparql-results+json"}
    )
    direct = client.post(
        "/sparql",
        content=SELECT.encode(),
        headers={"content-type": "application/sparql-query", "accept": "application/sparql-results+json"},
    )
    assert get.status_code == form.status_code == direct.status_code == 200
    assert get.json() == form.json() == direct.json()


@pytest.mark.parametrize(
    ("media", "fmt"),
    [
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
        ("application/n-triples", "nt"),
    ],
)
def test_construct_by_accept(client: TestClient, media: str, fmt: str) -> None:
    q = f"CONSTRUCT {{ <{OMS}> ?p ?o }} WHERE {{ <{OMS}> ?p ?o FILTER(isLiteral(?o)) }}"
    r = client.get("/sparql", params={"query": q}, headers={"accept": media})
    assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == media
    assert len(Graph().parse(data=r.content, format=fmt)) > 5


def test_html_results_on_the_query_page(client: TestClient) -> None:
    r = client.post("/sparql", data={"query": SELECT, "format": "html"})
    assert r.status_code == 200 and 'id="result-table"' in r.text and "3 row(s)" in r.text


def test_the_default_graph_answers_like_omsgraph_query(client: TestClient) -> None:
    from omsgraph.query import ask
    from omsgraph.store import OxigraphEngine

    for name in ("antigens", "antibody-chain", "criteria-verdict"):
        question = load_questions()[name]
        expected = ask(question, OxigraphEngine.open())
        r = client.post("/sparql", data={"query": question.sparql, "format": "tsv"})
        assert r.status_code == 200
        lines = r.text.strip("\n").split("\n")
        assert len(lines) - 1 == min(len(expected.rows), 50), name  # the client's row cap is 50
        assert lines[0].split("\t") == [f"?{c}" for c in expected.columns]


@pytest.mark.parametrize(
    "query",
    [
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "LOAD <http://example.org/data.ttl>",
        "CLEAR ALL",
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }",
    ],
)
def test_updates_load_service_are_refused_before_execution(client: TestClient, query: str) -> None:
    r = client.post("/sparql", data={"query": query})
    assert 400 <= r.status_code < 500, r.text
    assert client.get("/sparql", params={"query": query}).status_code in range(400, 500)


def test_update_parameter_is_refused(client: TestClient) -> None:
    r = client.post("/sparql", data={"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"})
    assert r.status_code == 403


def test_malformed_query_gets_400_with_the_parser_message(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": "SELECT ?x WHERE { ?x ?y }"})
    assert r.status_code == 400 and "not valid SPARQL" in r.text


def test_oversized_body_deep_nesting_and_bad_content_type(client: TestClient) -> None:
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 20_000
    assert (
        client.post("/sparql", content=big, headers={"content-type": "application/sparql-query"}).status_code
        == 413
    )
    deep = "SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000
    assert client.get("/sparql", params={"query": deep[:4900]}).status_code == 400
    assert client.post("/sparql", content=b"x", headers={"content-type": "text/plain"}).status_code == 415
    assert (
        client.post(
            "/sparql", content=b"\xff", headers={"content-type": "application/sparql-query"}
        ).status_code
        == 400
    )


def test_rows_are_capped(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }", "format": "json"})
    assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 50


def test_a_runaway_query_gets_503_and_never_500(client: TestClient) -> None:
    start = time.perf_counter()
    r = client.get("/sparql", params={"query": RUNAWAY})
    assert r.status_code == 503 and "3 s" in r.text
    assert time.perf_counter() - start < 15


# --- a real server: concurrency and the network --------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """``omsgraph serve`` as users start it, on a free loopback port; stopped by PID."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "omsgraph", "serve", "--port", str(port), "--timeout", "2", "--workers", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(url + "/healthz", timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"omsgraph serve exited: {proc.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
                time.sleep(0.1)
        else:
            pytest.fail("omsgraph serve did not start within 60 s")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_runaway_query_is_stopped_while_another_client_is_answered(server: str) -> None:
    outcome: dict[str, object] = {}

    def runaway() -> None:
        start = time.perf_counter()
        try:
            urllib.request.urlopen(f"{server}/sparql?query={urllib.parse.quote(RUNAWAY)}", timeout=30)
        except urllib.error.HTTPError as exc:
            outcome["status"] = exc.code
        outcome["seconds"] = time.perf_counter() - start

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.5)
    start = time.perf_counter()
    for path in ("/term/MONDO:0015247", f"/sparql?format=json&query={urllib.parse.quote(SELECT)}"):
        with urllib.request.urlopen(server + path, timeout=10) as r:
            assert r.status == 200
    answered = time.perf_counter() - start
    thread.join(30)
    assert outcome["status"] == 503
    assert float(outcome["seconds"]) < 2 + 5  # type: ignore[arg-type]
    assert answered < 2, "the second client waited for the runaway query"


def test_service_opens_no_outbound_connection(server: str) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.settimeout(1.5)
        target = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
        for q in (
            f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
            f"SELECT * WHERE {{ OPTIONAL {{ SERVICE SILENT <{target}> {{ ?s ?p ?o }} }} }}",
        ):
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(f"{server}/sparql?query={urllib.parse.quote(q)}", timeout=10)
            assert refused.value.code == 400
        with pytest.raises(TimeoutError):
            listener.accept()


def test_a_library_error_while_preparing_a_page_is_503_never_500() -> None:
    from omsgraph.errors import OmsgraphError

    app = create_app(Settings())
    site = app.state.site

    def broken() -> None:
        raise OmsgraphError("cannot open the query store; run `omsgraph build`")

    site.engine = broken
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/oms")
    assert r.status_code == 503 and "omsgraph build" in r.text
