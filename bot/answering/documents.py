"""Read an organisation's policy document and split it into sections by its own headings.

Plain text, Markdown and Word (.docx) are read into lines, each marked as a
heading (with its level) when the format says so: a Markdown `#` line or a
Word heading style. Plain text has no markup, so headings are recognised by
shape: a numbered title ("4 Responsibilities", "3.2 Privacy", "1. Definitions")
or a short title line followed by a paragraph or a list. A section keeps the
document's own number; an unnumbered sub-heading takes the number of the
numbered section it sits in, and a document without numbers is cited by heading.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import DocumentError

SUPPORTED = (".txt", ".md", ".markdown", ".docx")
MAX_BYTES = 20_000_000  # a policy, not a data dump; beyond this something is wrong

_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$")
_NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s+(\S.*)$")
_BULLET = re.compile(r"^\s*[-*+\u2022\u00b7\u2013\u25aa\u25cf]\s*")
_NUMBERED_PARAGRAPH = re.compile(r"^\s*\d{1,2}[.)]\s+")
_TOC_LINE = re.compile(r"\.{4,}|\t\s*\d+\s*$")
_WORD_ARTEFACT = re.compile(r"\[bookmark: [^\]]*\]")
_MARKUP = re.compile(r"[*_`]{1,3}")
_MAX_HEADING_WORDS = 12


@dataclass(frozen=True)
class Section:
    """One part of a document under one heading, cited by the document's own number and heading."""

    number: str
    heading: str
    text: str

    def citation_section(self) -> str:
        return self.number or self.heading


@dataclass(frozen=True)
class _Line:
    text: str
    level: int | None = None  # set when the format itself marks a heading


def _decode(name: str, raw: bytes) -> str:
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DocumentError(f"{name} is not a text document: it looks like a binary file.")
    for encoding in ("utf-8-sig", "utf-16") if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig",):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    try:
        # Documents saved from Word on Windows are often cp1252 ("smart quotes").
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        raise DocumentError(f"{name} could not be read: it is not UTF-8 or Windows text.") from None


def _text_lines(text: str, markdown: bool) -> list[_Line]:
    lines = []
    for raw in text.splitlines():
        line = _WORD_ARTEFACT.sub("", raw)
        m = _MD_HEADING.match(line) if markdown else None
        if m:
            lines.append(_Line(_MARKUP.sub("", m.group(2)).strip(), len(m.group(1))))
        else:
            lines.append(_Line(_MARKUP.sub("", line) if markdown else line))
    return lines


def _docx_lines(path: Path) -> list[_Line]:
    # Imported here: python-docx is only needed when someone ingests a Word file.
    import docx

    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise DocumentError(f"{path.name} could not be read as a Word document: {_reason(exc)}.") from None
    except Exception as exc:  # python-docx raises its own PackageNotFoundError and lxml errors
        raise DocumentError(f"{path.name} could not be read as a Word document: {_reason(exc)}.") from None
    lines = []
    for para in document.paragraphs:
        style = (para.style.name if para.style is not None else "") or ""
        level: int | None = None
        if style == "Title":
            level = 1
        elif style.startswith("Heading"):
            digits = style.removeprefix("Heading").strip()
            level = int(digits) if digits.isdigit() else 1
        lines.append(_Line(para.text, level))
        lines.append(_Line(""))  # a paragraph ends like a blank line in text
    for table in document.tables:
        for row in table.rows:
            lines.append(_Line(" ".join(cell.text for cell in row.cells)))
    return lines


def _reason(exc: Exception) -> str:
    text = str(exc).strip().rstrip(".")
    if isinstance(exc, zipfile.BadZipFile) or "zip" in text.lower():
        return "it is damaged or not really a .docx file"
    return text[:120] or type(exc).__name__


def read_lines(path: Path) -> list[_Line]:
    """The document's lines, or DocumentError naming the file and what is wrong with it."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise DocumentError(
            f"{path.name} is not a supported document type ({suffix or 'no extension'}); "
            f"use {', '.join(SUPPORTED)}."
        )
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise DocumentError(f"{path.name} could not be read: no such file.") from None
    except OSError as exc:
        raise DocumentError(f"{path.name} could not be read: {exc.strerror or exc}.") from None
    if path.is_dir():
        raise DocumentError(f"{path.name} is a folder, not a document.")
    if size > MAX_BYTES:
        raise DocumentError(f"{path.name} is too large to be a policy document ({size // 1_000_000} MB).")
    if suffix == ".docx":
        return _docx_lines(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"{path.name} could not be read: {exc.strerror or exc}.") from None
    return _text_lines(_decode(path.name, raw), markdown=suffix in (".md", ".markdown"))


def _looks_like_title(line: str, max_words: int = _MAX_HEADING_WORDS) -> bool:
    s = line.strip()
    # A tab inside a line is a form field or a table cell ("Owner:<tab>..."), not a title.
    if not s or len(s) > 140 or "\t" in s or _TOC_LINE.search(line) or _BULLET.match(line):
        return False
    if s[-1] in ".,;:" or not (s[0].isupper() or s[0].isdigit()):
        return False
    return len(s.split()) <= max_words


def _is_paragraph(line: str) -> bool:
    return bool(_BULLET.match(line) or _NUMBERED_PARAGRAPH.match(line)) or len(line.split()) >= 8


def _detect_headings(lines: list[_Line]) -> list[_Line]:
    """Mark headings in lines from a format without heading markup."""
    out = []
    for i, line in enumerate(lines):
        text = line.text.strip()
        level: int | None = None
        numbered = _NUMBERED.match(text)
        # Numbered titles may run longer: the number already says "heading".
        if numbered and _looks_like_title(text, _MAX_HEADING_WORDS + 6) and numbered.group(2)[0].isupper():
            level = numbered.group(1).count(".") + 1
        elif _looks_like_title(text) and not numbered:
            following = next((n.text for n in lines[i + 1 :] if n.text.strip()), "")
            if _is_paragraph(following) and not _looks_like_title(following):
                level = 9  # an unnumbered sub-heading: below any numbered one
        out.append(_Line(text, level))
    return out


def split_sections(lines: list[_Line]) -> list[Section]:
    """Sections under each heading; text before the first heading is kept under the document start."""
    if not any(line.level is not None for line in lines):
        lines = _detect_headings(lines)
    sections: list[Section] = []
    number, heading = "", ""
    body: list[str] = []
    numbered_at: dict[int, str] = {}  # heading level -> number of the open numbered section there

    def flush() -> None:
        text = "\n".join(body).strip()
        if text:
            sections.append(Section(number, heading or "Introduction", _tidy(text)))

    for line in lines:
        if line.level is None:
            body.append(line.text.strip())
            continue
        flush()
        body = []
        level = line.level
        # A heading closes every section at its level or below.
        numbered_at = {k: v for k, v in numbered_at.items() if k < level}
        m = _NUMBERED.match(line.text)
        if m:
            number, heading = m.group(1), m.group(2).strip()
            numbered_at[level] = number
        else:
            # An unnumbered sub-heading is cited by the numbered section it sits in.
            heading = line.text.strip()
            number = numbered_at[max(numbered_at)] if numbered_at else ""
    flush()
    return sections


def _tidy(text: str) -> str:
    # Blank runs and stray spaces come from the format, not the author.
    text = re.sub(r"[ \t]+", " ", text)
    return re.sub(r"\n{3,}", "\n\n", text)


def read_sections(path: Path) -> list[Section]:
    """Read and split a document, or raise DocumentError when it has no text at all."""
    sections = split_sections(read_lines(path))
    if not sections:
        raise DocumentError(f"{path.name} has no text to add: the document is empty.")
    return sections
