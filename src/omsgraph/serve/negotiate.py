"""Content negotiation: which representation a request asks for, by ``format=`` or by ``Accept``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Representation:
    name: str  # the format= value shown in links
    media_type: str
    rdflib_format: str  # "" for HTML
    suffix: str


HTML = Representation("html", "text/html", "", ".html")
RDF_REPRESENTATIONS = (
    Representation("ttl", "text/turtle", "turtle", ".ttl"),
    Representation("jsonld", "application/ld+json", "json-ld", ".jsonld"),
    Representation("rdf", "application/rdf+xml", "xml", ".rdf"),
    Representation("nt", "application/n-triples", "nt", ".nt"),
)
ENTITY_REPRESENTATIONS = (HTML, *RDF_REPRESENTATIONS)
_ALIASES = {
    "turtle": "ttl",
    "json-ld": "jsonld",
    "xml": "rdf",
    "rdfxml": "rdf",
    "owl": "rdf",
    "ntriples": "nt",
    "n-triples": "nt",
}


def parse_accept(header: str) -> list[tuple[str, float]]:
    """Media ranges of an Accept header with their q-values, best first (stable for ties)."""
    ranges: list[tuple[str, float, int]] = []
    for index, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranges.append((media, q, index))
    ranges.sort(key=lambda r: (-r[1], r[2]))
    return [(m, q) for m, q, _ in ranges if q > 0]


def choose(options: tuple[Representation, ...], accept: str | None, fmt: str | None) -> Representation | None:
    """The representation asked for: ``format=`` wins; then Accept; the first option when nothing is
    said or ``*/*``; None when the client accepts none of them (406)."""
    if fmt:
        wanted = _ALIASES.get(fmt.lower(), fmt.lower())
        for option in options:
            if wanted in (option.name, option.media_type):
                return option
        return None
    if not accept:
        return options[0]
    for media, _q in parse_accept(accept):
        if media in ("*/*", "text/*") and (media == "*/*" or options[0].media_type.startswith("text/")):
            return options[0]
        for option in options:
            if media == option.media_type or (media == "application/xml" and option.name == "rdf"):
                return option
            if media.endswith("/*") and option.media_type.startswith(media[:-1]):
                return option
    return None
