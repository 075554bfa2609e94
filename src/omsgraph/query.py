"""Competency questions: named SPARQL files in ``queries/``, each headed by its question."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from . import resources
from .errors import BadInputError


@dataclass(frozen=True)
class Question:
    name: str
    question: str
    parameters: str
    columns: tuple[str, ...]
    sparql: str


def parse_question(path: Path) -> Question:
    text = path.read_text(encoding="utf-8")
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
    columns = tuple(c.strip() for c in header["columns"].split(","))
    return Question(path.stem, header["question"], header["parameters"], columns, text)


def load_questions(directory: Path | None = None) -> dict[str, Question]:
    folder = directory or resources.queries_dir()
    return {p.stem: parse_question(p) for p in sorted(folder.glob("*.rq"))}


def get_question(name: str) -> Question:
    questions = load_questions()
    if name not in questions:
        raise BadInputError(f"no question named {name!r}; known: {', '.join(questions)}")
    return questions[name]


def run_question(question: Question, graph: Graph) -> list[tuple[str, ...]]:
    """Answer a question on an rdflib graph; each row as strings, in the question's column order."""
    try:
        result = graph.query(question.sparql)
    except Exception as exc:  # rdflib raises pyparsing errors for bad SPARQL
        raise BadInputError(f"{question.name}.rq is not valid SPARQL: {exc}; fix the query") from exc
    return [tuple("" if v is None else str(v) for v in row) for row in result]  # type: ignore[union-attr]
