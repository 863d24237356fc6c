"""Answering policy questions: `thinktwice ask` and `thinktwice ingest`.

    Answerer.build(rulebooks, data_dir, threshold) -> Answerer
    Answerer.answer(question, profile_id) -> Answer
    ingest_document(path, profile_id, data_dir, rulebooks) -> IngestReport

Modules, each with one job: text (normalising words), knowledge (FAQ files),
documents (reading and splitting documents), store (the data directory),
retrieval (BM25), confidence (when to abstain), compose (the answer's text),
answerer and ingest (the two entry points).
"""

from .answerer import DEFAULT_THRESHOLD, MAX_QUESTION_CHARS, Answerer
from .ingest import IngestReport, ingest_document

__all__ = ["DEFAULT_THRESHOLD", "MAX_QUESTION_CHARS", "Answerer", "IngestReport", "ingest_document"]
