"""Reading input files safely: a size limit, and one clear line for any parse error.

Every loader of a user's file goes through here, so that a file of any shape (truncated, binary, in
the wrong encoding, a gigabyte long) ends in one ``BadInputError`` line naming the file, the line
and what is wrong, never in a traceback nor in a surprise read of a huge file into memory.
"""

from __future__ import annotations

import os
from pathlib import Path

from rdflib import Graph

from .errors import BadInputError, clip

#: The largest input file read, in megabytes; ``OMSGRAPH_MAX_INPUT_MB`` overrides it.
DEFAULT_MAX_INPUT_MB = 512
RDFLIB_FORMATS = {".owl": "xml", ".rdf": "xml", ".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld"}
FORMAT_NAMES = {"xml": "RDF/XML", "turtle": "Turtle", "nt": "N-Triples", "json-ld": "JSON-LD"}


def max_input_bytes() -> int:
    value = os.environ.get("OMSGRAPH_MAX_INPUT_MB", "")
    if not value:
        return DEFAULT_MAX_INPUT_MB * 1024 * 1024
    try:
        megabytes = float(value)
    except ValueError:
        raise BadInputError(
            f"OMSGRAPH_MAX_INPUT_MB={clip(value)!r} is not a number; set it to a size in megabytes, e.g. 2048"
        ) from None
    return int(megabytes * 1024 * 1024)


def check_size(path: Path, what: str = "file") -> None:
    """Refuse, before reading it, a file larger than the input limit (it would be parsed in memory)."""
    try:
        size = path.stat().st_size
    except OSError:
        return  # the loader reports the missing or unreadable file itself
    limit = max_input_bytes()
    if size > limit:
        raise BadInputError(
            f"{what} {str(path)!r} is {size / 1024**2:,.0f} MB, over the {limit / 1024**2:,.0f} MB input "
            "limit (omsgraph parses inputs in memory); split it, or raise the limit with "
            "OMSGRAPH_MAX_INPUT_MB if the machine has several times that much memory"
        )


def syntax_detail(exc: BaseException) -> tuple[int | None, str]:
    """The line (when the parser says) and a one-line description of a parser's exception."""
    why = getattr(exc, "_why", None)
    if why is not None:  # rdflib's Turtle/N3 parser: count lines up to the error offset itself
        text = bytes(getattr(exc, "_str", b"")).decode("utf-8", "replace")
        index = int(getattr(exc, "_i", 0) or 0)
        return text.count("\n", 0, index) + 1, str(why)
    line = getattr(exc, "lineno", None) or getattr(exc, "line", None)
    get_line = getattr(exc, "getLineNumber", None)  # SAX (RDF/XML)
    if line is None and callable(get_line):
        line = get_line()
    message = getattr(exc, "msg", None) if isinstance(exc, SyntaxError) else None
    text = str(message or exc).strip() or type(exc).__name__
    first = text.splitlines()[0]
    if "(line" in first and first.endswith(")"):
        first = first[: first.rindex("(line")].strip()
    return (int(line) if isinstance(line, int) else None), first


def describe_error(path: Path, fmt_name: str, exc: BaseException, fix: str) -> str:
    line, detail = syntax_detail(exc)
    where = f"{path}:{line}" if line else str(path)
    return f"{where}: is not valid {fmt_name}: {clip(detail, 200)}; {fix}"


def parse_rdf(path: Path, fmt: str | None = None, graph: Graph | None = None, what: str = "file") -> Graph:
    """Parse an RDF file with rdflib (format from the extension unless given); BadInputError otherwise."""
    fmt = fmt or RDFLIB_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise BadInputError(
            f"{str(path)!r} has an unknown extension; give a .owl, .rdf, .ttl, .nt or .jsonld file"
        )
    if path.is_dir():
        raise BadInputError(f"{str(path)!r} is a folder; give an RDF file")
    check_size(path, what)
    target = graph if graph is not None else Graph()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise BadInputError(f"{what} {str(path)!r} does not exist; check the path") from None
    except OSError as exc:
        raise BadInputError(
            f"cannot read {what} {str(path)!r}: {exc.strerror}; check its permissions"
        ) from exc
    name = FORMAT_NAMES.get(fmt, fmt)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise BadInputError(
            f"{path}:{line}: is not valid {name}: not UTF-8 (byte {exc.start}); save the file as UTF-8"
        ) from None
    try:
        target.parse(data=text, format=fmt, publicID=path.resolve().as_uri())
    except RecursionError:
        raise BadInputError(
            f"{path}: is not valid {name}: nested too deeply to read; flatten the nesting"
        ) from None
    except Exception as exc:  # rdflib raises many unrelated types for a syntax error
        raise BadInputError(describe_error(path, name, exc, "fix the file's syntax")) from exc
    return target
