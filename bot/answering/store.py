"""Keep ingested documents on disk, one file per profile, replaced atomically.

    <data_dir>/<profile>/documents.json
        {"version": 1, "documents": [{"name", "sha256", "sections": [{"number", "heading", "text"}]}]}

The file is the source of the index: the answerer rebuilds its BM25 index
from it at start-up (milliseconds), so a change to the lexicon never leaves a
stale index behind. A new version is written to a temporary file beside the
old one and renamed over it, so a failure at any point leaves the previous
file whole and no partial file behind.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import DocumentError
from .documents import Section

log = logging.getLogger(__name__)

STORE_FILE = "documents.json"
VERSION = 1


@dataclass(frozen=True)
class StoredDocument:
    name: str
    sha256: str
    sections: tuple[Section, ...]


def store_path(data_dir: Path, profile_id: str) -> Path:
    return data_dir / profile_id / STORE_FILE


def _section(raw: Any) -> Section:
    return Section(str(raw["number"]), str(raw["heading"]), str(raw["text"]))


def load_documents(data_dir: Path | None, profile_id: str) -> tuple[StoredDocument, ...]:
    """The documents ingested for a profile; none when there is no store or it cannot be read."""
    if data_dir is None:
        return ()
    path = store_path(data_dir, profile_id)
    if not path.exists():
        return ()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return tuple(
            StoredDocument(d["name"], d["sha256"], tuple(_section(s) for s in d["sections"]))
            for d in data["documents"]
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        # Answering must still work when the store is damaged; say so in the log.
        log.error(
            "ignoring the documents ingested for profile %s: %s is unreadable (%s)", profile_id, path, exc
        )
        return ()


def _as_json(documents: tuple[StoredDocument, ...]) -> dict[str, Any]:
    return {
        "version": VERSION,
        "documents": [
            {
                "name": d.name,
                "sha256": d.sha256,
                "sections": [{"number": s.number, "heading": s.heading, "text": s.text} for s in d.sections],
            }
            for d in documents
        ],
    }


def save_documents(data_dir: Path, profile_id: str, documents: tuple[StoredDocument, ...]) -> Path:
    """Write the profile's documents atomically (temporary file, fsync, rename) and return the path."""
    target = store_path(data_dir, profile_id)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = exc.strerror or exc
        raise DocumentError(f"the data directory {target.parent} cannot be created: {reason}.") from None
    fd, tmp_name = tempfile.mkstemp(prefix=".documents-", suffix=".tmp", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(_as_json(documents), f, ensure_ascii=False)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            reason = exc.strerror or exc
            raise DocumentError(f"the index in {target.parent} could not be written: {reason}.") from None
        raise
    return target
