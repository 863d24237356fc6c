"""Time `ask` and `ingest`, run by hand: python bench/bench_ask.py [QUESTIONS.jsonl]

Prints three figures against the budgets of issue 3:
  index build for all five profiles <= 2 s, ask median (warm) <= 20 ms,
  ingest of a generated 30-page .docx <= 5 s.
Questions default to ../shared/eval/questions.jsonl, else the FAQ files' own phrasings.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import docx

from bot.answering import Answerer, ingest_document
from bot.answering.knowledge import load_knowledge
from bot.rulebook import load_rulebooks

DEV_QUESTIONS = Path(__file__).resolve().parents[2] / "shared" / "eval" / "questions.jsonl"
WORDS_PER_PAGE = 500
PAGES = 30


def _questions(path: Path | None) -> list[tuple[str, str]]:
    if path is not None and path.exists():
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        return [(r["question"], r.get("profile", "dss")) for r in rows]
    knowledge = load_knowledge(load_rulebooks())
    return [(q, pid) for pid, entries in knowledge.entries.items() for e in entries for q in e.questions]


def _thirty_pages(path: Path) -> Path:
    """A policy-shaped document: numbered sections of varied sentences, about 30 pages long."""
    topics = ["email", "photos", "privacy", "comment", "clients", "records", "devices", "copyright", "logos"]
    document = docx.Document()
    words = 0
    section = 0
    while words < PAGES * WORDS_PER_PAGE:
        section += 1
        document.add_heading(f"{section} Rules about {topics[section % len(topics)]}", level=1)
        for sub in range(1, 4):
            document.add_heading(
                f"{section}.{sub} Part {sub} of {topics[(section + sub) % len(topics)]}", level=2
            )
            for k in range(4):
                topic = topics[(section + k) % len(topics)]
                text = (
                    f"Staff must take care with {topic} when posting about work. "
                    f"Rule {section}.{sub}.{k} applies to every employee, contractor and secondee. "
                    "Ask your manager before you publish anything that mentions operations or clients."
                )
                document.add_paragraph(text)
                words += len(text.split())
    document.save(str(path))
    return path


def main() -> None:
    rulebooks = load_rulebooks()
    t0 = time.perf_counter()
    answerer = Answerer.build(rulebooks)
    build = time.perf_counter() - t0

    questions = _questions(Path(sys.argv[1]) if len(sys.argv) > 1 else DEV_QUESTIONS)
    for q, pid in questions:  # warm up
        answerer.answer(q, pid)
    times = []
    for _ in range(5):
        for q, pid in questions:
            t = time.perf_counter()
            answerer.answer(q, pid)
            times.append(time.perf_counter() - t)
    median_ms = statistics.median(times) * 1000
    p95_ms = statistics.quantiles(times, n=20)[-1] * 1000

    with tempfile.TemporaryDirectory() as tmp:
        doc = _thirty_pages(Path(tmp) / "thirty-pages.docx")
        t = time.perf_counter()
        report = ingest_document(doc, "dss", Path(tmp) / "data", rulebooks)
        ingest = time.perf_counter() - t

    print(f"index build, 5 profiles: {build * 1000:.0f} ms (budget 2000 ms)")
    n = len(questions)
    print(f"ask, {n} questions x5 warm: median {median_ms:.2f} ms, p95 {p95_ms:.2f} ms (budget 20 ms)")
    print(f"ingest, {PAGES}-page docx ({report.sections} sections): {ingest * 1000:.0f} ms (budget 5000 ms)")


if __name__ == "__main__":
    main()
