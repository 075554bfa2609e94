"""Competency questions: named SPARQL files in ``queries/``, each headed by its question.

A header is three comment lines::

    # question: Which signs does a population have, and who says so?
    # parameters: population = all (children, adults or all)
    # columns: sign, category, population, source

Each parameter has a ``VALUES ?name { default }`` clause in the query (or one in each UNION branch),
so every file runs as it is in any SPARQL tool; a parameter given by the user replaces the values of
those clauses. A plain ``.rq`` / ``.sparql`` file without the header runs as it is, without parameters.
Every query is executed through ``omsgraph.sparql`` (refusals, time limit, row cap).
"""

from __future__ import annotations

import csv
import io
import json
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import resources
from .errors import BadInputError
from .sparql import Limits, QueryResult, QueryRunner, open_runner, run_endpoint, to_answer
from .store import Answer, Engine
from .vocab import PREFIXES, expand, is_curie, prefix_of

_PARAM = re.compile(r"^\s*(?P<name>[a-z_][a-z0-9_]*)\s*=\s*(?P<default>[^()]*?)\s*(?:\((?P<help>.*)\))?\s*$")


@dataclass(frozen=True)
class Parameter:
    name: str
    default: str
    help: str


@dataclass(frozen=True)
class Question:
    name: str
    question: str
    parameters: tuple[Parameter, ...]
    columns: tuple[str, ...]
    sparql: str
    path: Path

    def bind(self, values: dict[str, str]) -> str:
        """The query text with the given parameters substituted into their VALUES clauses."""
        known = {p.name for p in self.parameters}
        for name in values:
            if name not in known:
                hint = ", ".join(sorted(known)) or "none"
                raise BadInputError(
                    f"question {self.name!r} has no parameter {name!r}; its parameters: {hint}"
                )
        text = self.sparql
        for name, value in values.items():
            clause = re.compile(r"(VALUES\s+\?" + re.escape(name) + r"\s*\{)[^}]*(\})")
            terms = " ".join(_term(v.strip()) for v in value.split(",") if v.strip())
            if not terms:
                raise BadInputError(f"parameter {name!r} is empty; give a value, e.g. --param {name}=...")
            text, count = clause.subn(_values_replacer(terms), text)
            if not count:
                raise BadInputError(
                    f"{self.path.name} declares {name!r} but has no 'VALUES ?{name} {{ }}' clause"
                )
        return text


def _values_replacer(terms: str) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        return f"{match[1]} {terms} {match[2]}"

    return replace


def _term(value: str) -> str:
    if value.startswith(("http://", "https://")):
        if any(c in value for c in '<>"{}| \\^`'):
            raise BadInputError(f"{value!r} is not a valid IRI")
        return f"<{value}>"
    if is_curie(value) and prefix_of(value) in PREFIXES:
        return f"<{expand(value)}>"
    return json.dumps(value, ensure_ascii=False)  # a string literal, escaped


def parse_question(path: Path) -> Question:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInputError(
            f"cannot read query {str(path)!r}: {exc}; give a readable UTF-8 .rq file"
        ) from exc
    header: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        key, _, value = line[1:].partition(":")
        header[key.strip()] = value.strip()
    missing = [k for k in ("question", "parameters", "columns") if k not in header]
    if len(missing) == 3:  # a plain SPARQL file: it runs as it is, without parameters
        return Question(path.stem, header.get("question", path.name), (), (), text, path)
    if missing:
        raise BadInputError(
            f"{path.name}: header lacks {missing}; start the file with '# question: ...', "
            "'# parameters: ...' and '# columns: ...' lines, or with none of them for a plain query"
        )
    params: list[Parameter] = []
    if header["parameters"].lower() != "none":
        for part in _split_outside_parentheses(header["parameters"]):
            m = _PARAM.match(part)
            if not m:
                raise BadInputError(f"{path.name}: parameter {part.strip()!r} is not 'name = default (help)'")
            params.append(Parameter(m["name"], m["default"], (m["help"] or "").strip()))
    columns = tuple(c.strip() for c in header["columns"].split(","))
    return Question(path.stem, header["question"], tuple(params), columns, text, path)


def _split_outside_parentheses(text: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == ";" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def load_questions(directory: Path | None = None) -> dict[str, Question]:
    folder = directory or resources.queries_dir()
    return {p.stem: parse_question(p) for p in sorted(folder.glob("*.rq"))}


def get_question(name_or_file: str) -> Question:
    """A question by name, or a .rq / .sparql file by path."""
    if name_or_file.endswith((".rq", ".sparql")) or Path(name_or_file).is_file():
        return parse_question(Path(name_or_file))
    questions = load_questions()
    if name_or_file not in questions:
        raise BadInputError(
            f"no question named {name_or_file!r}; known questions: {', '.join(questions)} "
            "(see `omsgraph query --list`)"
        )
    return questions[name_or_file]


def ask(question: Question, engine: Engine, params: dict[str, str] | None = None) -> Answer:
    return engine.select(question.bind(params or {}))


def _string_literals(text: str) -> set[str]:
    return {
        m[1] if m[1] is not None else m[2]
        for m in re.finditer(r'"((?:[^"\\\n]|\\.)*)"|\'((?:[^\'\\\n]|\\.)*)\'', text)
    }


def check_values(question: Question, values: dict[str, str], run: Callable[[str], QueryResult]) -> None:
    """Refuse a parameter value the graph does not know: an IRI or CURIE that no triple mentions, or a
    text that is neither one of the question's own values nor a literal in the graph."""
    for name, raw in values.items():
        parameter = next((p for p in question.parameters if p.name == name), None)
        defaults = [d.strip() for d in parameter.default.split(",")] if parameter else []
        own = set(defaults) | _string_literals(question.sparql)
        for value in (v.strip() for v in raw.split(",") if v.strip()):
            term = _term(value)
            if term.startswith("<"):
                found = run(f"ASK {{ {{ {term} ?p ?o }} UNION {{ ?s ?p {term} }} UNION {{ ?s {term} ?o }} }}")
                if not found.boolean:
                    raise BadInputError(
                        f"parameter {name!r}: {value} is not in the graph; check the identifier "
                        "(find one with e.g. `omsgraph query synonyms` or `omsgraph query codes`)"
                    )
            elif value not in own:
                found = run(f"ASK {{ ?s ?p ?o FILTER(isLiteral(?o) && STR(?o) = {term}) }}")
                if not found.boolean:
                    hint = f" ({parameter.help})" if parameter and parameter.help else ""
                    raise BadInputError(
                        f"parameter {name!r}: {value!r} is neither a value of this question nor in the "
                        f"graph; valid values include {', '.join(defaults) or 'none'}{hint}"
                    )


def answer(
    question: Question,
    params: dict[str, str] | None = None,
    *,
    engine: str = "oxigraph",
    endpoint: str | None = None,
    limits: Limits = Limits(),  # noqa: B008 - Limits is frozen
    runner: QueryRunner | None = None,
) -> QueryResult:
    """The answer to a question (any query form), its parameter values checked against the graph first.
    Runs in ``runner`` when given, else at ``endpoint``, else in a fresh runner over ``engine``."""
    params = params or {}
    text = question.bind(params)
    if runner is None and endpoint is None:
        with open_runner(engine, limits=limits) as own:
            return answer(question, params, limits=limits, runner=own)
    if runner is not None:
        run: Callable[[str], QueryResult] = runner.run
    else:
        url = endpoint or ""

        def run(text: str) -> QueryResult:
            return run_endpoint(url, text, limits)

    check_values(question, params, run)
    return run(text)


GRAPH_FORMATS = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """A result for people or scripts: SELECT as format_answer, ASK as yes/no (json: true/false),
    CONSTRUCT/DESCRIBE as RDF (turtle by default; json gives JSON-LD)."""
    from .sparql import serialize_result

    if result.kind == "ASK":
        if fmt in GRAPH_FORMATS:
            raise BadInputError("an ASK query answers yes or no, not RDF; use -f table, csv, tsv or json")
        if fmt == "json":
            return "true\n" if result.boolean else "false\n"
        return "yes\n" if result.boolean else "no\n"
    if result.graph is not None:
        media = GRAPH_FORMATS.get({"table": "turtle", "json": "jsonld"}.get(fmt, fmt))
        if media is None:
            raise BadInputError(
                f"a {result.kind} query gives RDF, not rows; use -f turtle, ntriples, jsonld or rdfxml"
            )
        text = serialize_result(result, media).decode("utf-8")
        return text if text.endswith("\n") or not text else text + "\n"
    if fmt in GRAPH_FORMATS:
        raise BadInputError("a SELECT query gives rows, not RDF; use -f table, csv, tsv or json")
    return format_answer(to_answer(result), fmt)


def format_answer(answer: Answer, fmt: str = "table") -> str:
    if fmt == "json":
        return (
            json.dumps(
                [dict(zip(answer.columns, row, strict=True)) for row in answer.rows],
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
    if fmt in ("csv", "tsv"):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(answer.columns)
        writer.writerows(answer.rows)
        return buffer.getvalue()
    if fmt != "table":
        raise BadInputError(f"unknown format {fmt!r}; use table, csv, tsv or json")
    widths = [min(60, max([len(c), *(len(r[i]) for r in answer.rows)])) for i, c in enumerate(answer.columns)]

    def lines(cells: tuple[str, ...]) -> list[str]:
        """One row, each cell wrapped to its column's width (never cut)."""
        wrapped = [
            textwrap.wrap(c, w, break_on_hyphens=False) or [""] for c, w in zip(cells, widths, strict=True)
        ]
        height = max(len(w) for w in wrapped)
        return [
            "  ".join(
                (w[k] if k < len(w) else "").ljust(width) for w, width in zip(wrapped, widths, strict=True)
            ).rstrip()
            for k in range(height)
        ]

    out = [*lines(answer.columns), "  ".join("-" * w for w in widths)]
    for row in answer.rows:
        out += lines(row)
    out.append(f"({len(answer.rows)} row{'s' if len(answer.rows) != 1 else ''})")
    return "\n".join(out) + "\n"
