"""`ingest`: documents split by their own headings, stored atomically, and cited in answers."""

from __future__ import annotations

import json
import os
from pathlib import Path

import docx
import pytest

from bot.answering import Answerer, ingest_document
from bot.answering.documents import read_sections
from bot.answering.store import STORE_FILE, store_path
from bot.errors import DocumentError, UnknownProfileError
from bot.rulebook import Rulebooks, load_rulebooks

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
SEED_FILES = {
    "dss": "dss-social-media-policy.txt",
    "act": "act-use-of-social-media-policy.txt",
    "vic-dhs": "vic-dhs-social-media-policy.txt",
    "dhs": "dhs-social-media-policy.txt",
    "dibp": "dibp-responsible-use-of-social-media.txt",
}
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="the shared seed policies are not checked out")

DRONE_MD = """# Field Operations Social Media Standard

## 7 Operational imagery

### 7.2 Drone footage
Staff must never fly personal drones over detention facilities or publish aerial footage of them.
Footage gathered on duty belongs to the agency.

## 8 Further help
Contact the Field Integrity Desk for advice.
"""


@pytest.fixture(scope="module")
def rulebooks() -> Rulebooks:
    return load_rulebooks()


def _write_docx(path: Path, sections: list[tuple[str, int, str]]) -> Path:
    document = docx.Document()
    for heading, level, body in sections:
        document.add_heading(heading, level=level)
        document.add_paragraph(body)
    document.save(str(path))
    return path


# (profile, a section heading the seed has, its number)
SEED_SECTIONS = [
    ("dss", "Privacy", "4"),
    ("dss", "Sanctions for non-compliance", "5"),
    ("dibp", "Privacy considerations", "3"),
    ("dibp", "Definitions", "1"),
    ("act", "Personal Use of Social Media", ""),
    ("vic-dhs", "Contempt of court", ""),
    ("dhs", "Department of Human Services Social Media Policy", ""),
]


@needs_seeds
@pytest.mark.parametrize(("profile", "heading", "number"), SEED_SECTIONS)
def test_when_a_seed_policy_is_read_then_it_splits_by_its_own_headings(
    profile: str, heading: str, number: str
) -> None:
    sections = read_sections(SEEDS / SEED_FILES[profile])
    found = [s for s in sections if s.heading == heading]
    assert found, [s.heading for s in sections]
    assert found[0].number == number
    assert found[0].text


@needs_seeds
@pytest.mark.parametrize("profile", sorted(SEED_FILES))
def test_when_each_seed_is_ingested_then_it_is_stored_for_its_profile(
    tmp_path: Path, rulebooks: Rulebooks, profile: str
) -> None:
    report = ingest_document(SEEDS / SEED_FILES[profile], profile, tmp_path, rulebooks)
    assert report.profile == profile
    assert report.sections >= 1
    assert SEED_FILES[profile] in report.summary()
    stored = json.loads(store_path(tmp_path, profile).read_text())
    assert stored["documents"][0]["name"] == SEED_FILES[profile]
    assert len(stored["documents"][0]["sections"]) == report.sections


def test_when_a_markdown_document_is_ingested_then_its_sections_answer_with_their_own_numbers(
    tmp_path: Path, rulebooks: Rulebooks
) -> None:
    doc = tmp_path / "field-standard.md"
    doc.write_text(DRONE_MD)
    ingest_document(doc, "dibp", tmp_path / "data", rulebooks)
    answerer = Answerer.build(rulebooks, tmp_path / "data")
    answer = answerer.answer("can I fly my drone over a detention facility?", "dibp")
    assert not answer.abstained
    assert answer.citations[0].policy == "dibp"
    assert answer.citations[0].section == "7.2"
    assert answer.citations[0].heading == "Drone footage"
    assert "never fly personal drones" in answer.text
    assert "field-standard.md" in answer.text
    assert len(answer.text.split()) <= 120
    # The other profiles do not see it.
    assert answerer.answer("can I fly my drone over a detention facility?", "dss").abstained


def test_when_a_generated_docx_is_ingested_then_heading_styles_split_it(
    tmp_path: Path, rulebooks: Rulebooks
) -> None:
    doc = _write_docx(
        tmp_path / "policy.docx",
        [
            ("4 Responsibilities", 1, "Everyone is responsible for their own posts."),
            (
                "4.1 Mascots",
                2,
                "Staff must not dress the agency koala mascot in football jerseys for selfies.",
            ),
            ("Sponsorship", 2, "Staff must not accept free gear from sponsors in exchange for posts."),
        ],
    )
    report = ingest_document(doc, "dss", tmp_path / "data", rulebooks)
    assert report.sections == 3
    answerer = Answerer.build(rulebooks, tmp_path / "data")
    mascot = answerer.answer("can I put the koala mascot in a football jersey?", "dss")
    assert (mascot.citations[0].section, mascot.citations[0].heading) == ("4.1", "Mascots")
    sponsor = answerer.answer("can a sponsor give me free gear for posting?", "dss")
    # An unnumbered sub-heading is cited by the number of the section it sits in.
    assert (sponsor.citations[0].section, sponsor.citations[0].heading) == ("4", "Sponsorship")


def test_when_the_same_document_is_ingested_again_then_it_replaces_the_old_one(
    tmp_path: Path, rulebooks: Rulebooks
) -> None:
    doc = tmp_path / "field-standard.md"
    doc.write_text(DRONE_MD)
    ingest_document(doc, "dibp", tmp_path, rulebooks)
    report = ingest_document(doc, "dibp", tmp_path, rulebooks)
    assert report.replaced
    assert len(json.loads(store_path(tmp_path, "dibp").read_text())["documents"]) == 1


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("policy.pdf", b"%PDF-1.4", "not a supported document type"),
        ("empty.txt", b"", "empty"),
        ("blank.md", b"\n\n   \n", "empty"),
        ("broken.docx", b"this is not a zip file", "could not be read as a Word document"),
        ("binary.txt", b"\x00\x01\x02\x03" * 100, "binary"),
    ],
)
def test_when_a_document_is_unusable_then_document_error_names_the_file_and_why(
    tmp_path: Path, rulebooks: Rulebooks, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentError) as err:
        ingest_document(path, "dss", tmp_path / "data", rulebooks)
    assert name in str(err.value)
    assert reason in str(err.value)
    assert not (tmp_path / "data" / "dss" / STORE_FILE).exists()


def test_when_the_document_does_not_exist_then_document_error(tmp_path: Path, rulebooks: Rulebooks) -> None:
    with pytest.raises(DocumentError, match=r"missing\.txt.*no such file"):
        ingest_document(tmp_path / "missing.txt", "dss", tmp_path, rulebooks)


def test_when_the_profile_is_unknown_then_unknown_profile_error(tmp_path: Path, rulebooks: Rulebooks) -> None:
    doc = tmp_path / "a.md"
    doc.write_text(DRONE_MD)
    with pytest.raises(UnknownProfileError):
        ingest_document(doc, "nope", tmp_path, rulebooks)


def test_when_writing_the_index_fails_then_the_old_index_is_intact_and_no_temp_file_is_left(
    tmp_path: Path, rulebooks: Rulebooks, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = tmp_path / "first.md"
    first.write_text(DRONE_MD)
    ingest_document(first, "dibp", tmp_path / "data", rulebooks)
    target = store_path(tmp_path / "data", "dibp")
    before = target.read_bytes()

    def failing_replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    second = tmp_path / "second.md"
    second.write_text("# 1 Other\nSomething else entirely about posting rules.\n")
    with pytest.raises(DocumentError, match="could not be written"):
        ingest_document(second, "dibp", tmp_path / "data", rulebooks)
    assert target.read_bytes() == before
    assert [p.name for p in target.parent.iterdir()] == [STORE_FILE]


def test_when_the_store_is_damaged_then_answering_still_works(tmp_path: Path, rulebooks: Rulebooks) -> None:
    target = store_path(tmp_path, "dss")
    target.parent.mkdir(parents=True)
    target.write_text("{not json")
    answerer = Answerer.build(rulebooks, tmp_path)
    assert not answerer.answer("can I register twitter with my work email?", "dss").abstained
