"""Regenerate the golden answers of the competency questions (tests/data/answers/*.tsv).

Run after a deliberate change to the data or a question, then review the diff before committing:
    .venv/bin/python tests/update_answers.py
"""

from __future__ import annotations

from pathlib import Path

from omsgraph.query import ask, format_answer, load_questions
from omsgraph.release import load_release
from omsgraph.store import OxigraphEngine, dataset_nquads

ANSWERS = Path(__file__).parent / "data" / "answers"


def main() -> None:
    engine = OxigraphEngine.in_memory(dataset_nquads(load_release()))
    ANSWERS.mkdir(parents=True, exist_ok=True)
    questions = load_questions()
    for old in ANSWERS.glob("*.tsv"):
        if old.stem not in questions:
            old.unlink()
    for name, question in questions.items():
        answer = ask(question, engine)
        answer = type(answer)(answer.columns, sorted(answer.rows))
        (ANSWERS / f"{name}.tsv").write_text(format_answer(answer, "tsv"), encoding="utf-8")
    print(f"wrote {len(questions)} answer files to {ANSWERS}")


if __name__ == "__main__":
    main()
