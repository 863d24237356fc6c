"""`thinktwice ingest`: add an organisation's own policy document to a profile's knowledge.

The document is read and split by its own headings, checked by indexing it,
and stored under the data directory for the profile, replacing any earlier
document of the same name. Nothing is written unless all of that succeeds.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from ..errors import DocumentError
from ..rulebook import Rulebooks
from .answerer import document_entries
from .documents import read_sections
from .knowledge import load_knowledge
from .retrieval import ProfileIndex
from .store import StoredDocument, load_documents, save_documents
from .text import Normaliser

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IngestReport:
    """What ingesting one document added."""

    profile: str
    document: str
    sections: int
    replaced: bool = False
    path: str = ""

    def summary(self) -> str:
        verb = "Replaced" if self.replaced else "Added"
        noun = "section" if self.sections == 1 else "sections"
        where = f"the {self.profile} profile's knowledge"
        return f"{verb} {self.document} in {where}: {self.sections} {noun} indexed."


def ingest_document(path: Path, profile_id: str, data_dir: Path, rulebooks: Rulebooks) -> IngestReport:
    """Read, split, index and store a document; DocumentError names the file and why it failed."""
    profile = rulebooks.profile(profile_id)
    path = Path(path)
    sections = tuple(read_sections(path))
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        raise DocumentError(f"{path.name} could not be read: {exc.strerror or exc}.") from None
    new = StoredDocument(path.name, digest, sections)
    # Index the new sections once before storing them, so a document that cannot
    # be searched never reaches the store.
    knowledge = load_knowledge(rulebooks)
    ProfileIndex(document_entries(profile, (new,)), Normaliser(knowledge.lexicon))
    existing = load_documents(data_dir, profile.id)
    kept = tuple(d for d in existing if d.name != new.name)
    written = save_documents(data_dir, profile.id, (*kept, new))
    log.info("ingested a document of %d sections for profile %s", len(sections), profile.id)
    return IngestReport(
        profile.id, path.name, len(sections), replaced=len(kept) < len(existing), path=str(written)
    )
