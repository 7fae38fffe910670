"""``kinlink documents`` on a real embedded store: a file kept with its collection record
and attached to a case, listed, shown with its hashes and chain of custody, and written
back byte for byte; a faulty collection record is refused in words naming the options,
and nothing is kept; another case worker's agency does not reach the document."""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select
from typer.testing import CliRunner

from cliworlds import StartWorld
from kinlink.cli import app
from kinlink.config import Settings
from kinlink.storage import open_store
from kinlink.storage.accounts import AccountRepository
from kinlink.storage.documents import DocumentRow
from kinlink.storage.mentions import MentionRow
from kinlink.storage.tables import AuditEventRow

runner = CliRunner()
LIST = ("record_id,прізвище,ім'я,по батькові,дата народження,стать\n"
        "1,Петренко,Олександр,Іванович,12.03.2014,ч\n")
RECORD = ["--collected-at", "2026-11-30T09:15+02:00", "--collected-by", "Iryna Analyst",
          "--how", "photo", "--from", "person:the child's grandmother", "--from",
          "device:Pixel 7", "--language", "uk", "--language", "ru", "--description",
          "birth certificate kept by the family"]


def scan() -> bytes:
    """A PNG as a scanner writes it, with a text chunk of metadata."""
    out = io.BytesIO()
    Image.new("RGB", (30, 20), "white").save(out, "PNG")
    return out.getvalue()


def _case(folder: Path) -> str:
    """One reported child and its case."""
    path = folder / "reports.csv"
    path.write_text(LIST, encoding="utf-8")
    imported = runner.invoke(app, ["import", str(path), "--kind", "family_reports"])
    assert imported.exit_code == 0, imported.output
    opened = runner.invoke(app, ["cases", "open"])
    assert opened.exit_code == 0, opened.output
    return "1"


@pytest.fixture
def case(cli_world: StartWorld) -> str:
    """A copy of :func:`_case`'s store (built once per worker), the operator at the
    command line (every agency)."""
    made: str = cli_world(_case)
    return made


def _count(table: type[DocumentRow] | type[AuditEventRow] | type[MentionRow],
           **where: str) -> int:
    store = open_store(Settings())
    try:
        with store.transaction() as session:
            query = select(func.count()).select_from(table)
            for name, value in where.items():
                query = query.where(getattr(table, name) == value)
            return int(session.execute(query).scalar_one())
    finally:
        store.dispose()


def test_a_document_is_kept_on_a_case_shown_with_its_custody_and_given_back_unchanged(
        case: str, tmp_path: Path) -> None:
    original = scan()
    path = tmp_path / "certificate.png"
    path.write_bytes(original)
    added = runner.invoke(app, ["documents", "add", str(path), "--attach-to", f"case:{case}",
                                *RECORD])
    assert added.exit_code == 0, added.output
    sha = hashlib.sha256(original).hexdigest()
    assert "Document 1 kept (PNG" in added.output
    assert "attached to case 1" in added.output
    assert sha in added.output

    listed = runner.invoke(app, ["documents", "list", "--attached-to", f"case:{case}"])
    assert listed.exit_code == 0, listed.output
    assert "certificate.png" in listed.output
    assert sha in listed.output
    assert "2026-11-30 09:15 +02:00" in listed.output
    inbox = runner.invoke(app, ["documents", "list", "--attached-to", "inbox"])
    assert "No document here yet." in inbox.output

    written = tmp_path / "back.png"
    got = runner.invoke(app, ["documents", "get", "1", "-o", str(written)])
    assert got.exit_code == 0, got.output
    assert written.read_bytes() == original
    again = runner.invoke(app, ["documents", "get", "1", "-o", str(written)])
    assert again.exit_code == 2
    assert "exists already" in again.output

    shown = runner.invoke(app, ["documents", "show", "1"])
    assert shown.exit_code == 0, shown.output
    for words in ("Iryna Analyst", "the child's grandmother", "Pixel 7", "uk, ru",
                  "birth certificate kept by the family", "photo", sha, "working copy",
                  "Chain of custody"):
        assert words in shown.output, words
    steps = re.findall(r"document\.\w+", shown.output)
    assert steps == ["document.uploaded", "document.text_extracted", "document.downloaded",
                     "document.read"]


def test_a_faulty_collection_record_is_refused_in_words_and_nothing_is_kept(
        case: str, tmp_path: Path) -> None:
    path = tmp_path / "order.pdf"
    path.write_bytes(b"%PDF-1.4\n%%EOF\n")
    refused = runner.invoke(app, ["documents", "add", str(path), "--collected-at",
                                  "2026-11-30T09:15", "--collected-by", "Iryna",
                                  "--how", "scan", "--from", "device:scanner"])
    assert refused.exit_code == 2
    assert "--collected-at: give the date and time of collection with its time zone" in \
        refused.output
    where = runner.invoke(app, ["documents", "add", str(path), "--from", "the shelf",
                                *RECORD[:6]])
    assert where.exit_code == 2
    assert "device:NAME or person:NAME" in where.output
    target = runner.invoke(app, ["documents", "add", str(path), "--attach-to", "case:99",
                                 *RECORD])
    assert target.exit_code == 2
    assert "there is no case 99" in target.output
    assert _count(DocumentRow) == 0


def test_another_agency_does_not_reach_the_document(case: str, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "order.pdf"
    path.write_bytes(b"%PDF-1.4\n%%EOF\n")
    added = runner.invoke(app, ["documents", "add", str(path), "--attach-to", f"case:{case}",
                                *RECORD])
    assert added.exit_code == 0, added.output
    store = open_store(Settings())
    try:
        with store.transaction() as session:
            other = AccountRepository(session).add_agency("Other agency").id
    finally:
        store.dispose()
    monkeypatch.setenv("KINLINK_AGENCY", str(other))
    for args in (["documents", "show", "1"],
                 ["documents", "get", "1", "-o", str(tmp_path / "x.pdf")]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, args
        assert "there is no document 1" in result.output, args
    assert not (tmp_path / "x.pdf").exists()
    listed = runner.invoke(app, ["documents", "list"])
    assert "No document here yet." in listed.output
    assert _count(AuditEventRow, action="document.read") == 0


def _photo(size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.linear_gradient("L").resize(size).convert("RGB").save(out, "PNG")
    return out.getvalue()


def test_photographs_flagged_listed_and_hashed_after_the_fact(
        case: str, tmp_path: Path) -> None:
    for name, size in (("family.png", (160, 120)), ("profile.png", (100, 75))):
        path = tmp_path / name
        path.write_bytes(_photo(size))
        kept = runner.invoke(app, ["documents", "add", str(path), "--attach-to",
                                   f"case:{case}", *RECORD])
        assert kept.exit_code == 0, kept.output
    listed = runner.invoke(app, ["documents", "photos"])
    assert listed.exit_code == 0, listed.output
    assert "flagged as the same: 1" in listed.stdout
    assert "document 2, picture 1" in listed.stdout
    assert "document 1, picture 1" in listed.stdout
    assert "No photograph flagged." in runner.invoke(
        app, ["documents", "photos", "--status", "dismissed"]).stdout
    hashed = runner.invoke(app, ["documents", "hash-photos"])
    assert hashed.exit_code == 0, hashed.output
    assert "Hashed 0 documents and 0 case photographs; 0 new flags." in hashed.stdout
    assert runner.invoke(app, ["documents", "photos", "--status", "maybe"]).exit_code == 2
def test_a_list_imported_later_is_screened_and_rescreen_adds_nothing_twice(
        case: str, tmp_path: Path) -> None:
    path = tmp_path / "news.txt"
    path.write_text("Вивезли Олександра Петренка та Марію Іванову.", encoding="utf-8")
    added = runner.invoke(app, ["documents", "add", str(path), *RECORD])
    assert added.exit_code == 0, added.output
    assert _count(MentionRow) == 1
    later = tmp_path / "later.csv"
    later.write_text("record_id,прізвище,ім'я\n2,Іванова,Марія\n", encoding="utf-8")
    imported = runner.invoke(app, ["import", str(later), "--kind", "family_reports",
                                   "--no-link"])
    assert imported.exit_code == 0, imported.output
    assert _count(MentionRow) == 2, "the new list's child is found in the kept text"
    again = runner.invoke(app, ["documents", "rescreen", "--all"])
    assert again.exit_code == 0, again.output
    assert "Documents screened: 1; new mentions waiting for review: 0." in again.output
    assert _count(AuditEventRow, action="document.screened") == 3
