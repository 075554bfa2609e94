"""Competency questions: named SPARQL files in ``queries/``, each headed by its question.

A header is three comment lines::

    # question: Which signs does a population have, and who says so?
    # parameters: population = all (children, adults or all)
    # columns: sign, category, population, source

Each parameter has a ``VALUES ?name { default }`` clause in the query (or one in each UNION branch),
so every file runs as it is in any SPARQL tool; a parameter given by the user replaces the values of
those clauses.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import resources
from .errors import BadInputError
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
    if missing:
        raise BadInputError(
            f"{path.name}: header lacks {missing}; start the file with '# question: ...', "
            "'# parameters: ...' and '# columns: ...' lines"
        )
    params: list[Parameter] = []
    if header["parameters"].lower() != "none":
        for part in _split_outside_parentheses(header["parameters"]):
            m = _PARAM.match(part)
            if not m:
                raise BadInputError(
                    f"{path.name}: parameter {part.strip()!r} is not 'name = default (help)'; "
                    "write it so in the '# parameters:' line"
                )
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
    """A question by name, or a .rq file by path."""
    if name_or_file.endswith(".rq"):
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

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(_clip(c, w).ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = [line(answer.columns), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in answer.rows]
    out.append(f"({len(answer.rows)} row{'s' if len(answer.rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
