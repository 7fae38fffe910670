"""A list's whole round trip, on SQLite and PostgreSQL with the real linkage engine.

Build a list from verified cases, export it encrypted, send it, answer it the way the
other side does (names re-typed in Russian, rows missing, a child who was not on the
list, a contradiction), import the answer, reconcile, apply: the cases move through the
workflow, and nothing the channel may not receive is ever in its files.
"""

from __future__ import annotations

import csv
import io
import struct
import zlib
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader
from sqlalchemy import select

from kinlink.domain.access import Actor
from kinlink.domain.cases import CaseStatus
from kinlink.domain.mediation import (
    AnswerAction,
    AnswerHow,
    ApplyResult,
    ChannelKind,
    ExportFormat,
    ListField,
)
from kinlink.domain.users import UserRole
from kinlink.encryption import decrypt_files
from kinlink.errors import AccessDeniedError, ConflictError, InputRefusedError
from kinlink.mediation.placing import REJECTED_NOTHING
from kinlink.storage import Store
from kinlink.storage.tables import AuditEventRow
from kinlink.usecases.answers import (
    apply_answers,
    import_answers,
    read_reconciliation,
    resolve_answer,
)
from kinlink.usecases.cases import list_cases
from kinlink.usecases.channels import create_channel, track_channel
from kinlink.usecases.lists import (
    add_to_list,
    attach_photo,
    export_list,
    list_candidates,
    new_list,
    read_list,
    send_list,
)
from mediationcases import FORBIDDEN, verified_cases

WORKER = Actor("olena", UserRole.CASE_WORKER)
SUPERVISOR = Actor("maria", UserRole.SUPERVISOR)
LIAISON = Actor("taras", UserRole.MEDIATOR_LIAISON)

CHANNEL_FIELDS = (ListField.NAME_UK, ListField.NAME_RU, ListField.NAME_LATIN_RU,
                  ListField.SEX, ListField.BIRTH_DATE, ListField.BIRTH_PLACE, ListField.PHOTO)


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 4 for _ in range(4))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


@pytest.fixture
def verified(store: Store, tmp_path: Path) -> dict[str, int]:
    """Six reported children, each linked to a found record and verified: record id →
    case id."""
    return verified_cases(store, tmp_path)


def _texts(files: dict[str, bytes]) -> dict[str, str]:
    """The readable text of every exported file."""
    texts = {}
    for name, data in files.items():
        if name.endswith(".csv"):
            texts[name] = data.decode("utf-8-sig")
        elif name.endswith(".xlsx"):
            book = openpyxl.load_workbook(io.BytesIO(data))
            texts[name] = "\n".join(str(c.value) for sheet in book.worksheets
                                    for row in sheet.iter_rows() for c in row if c.value)
        else:
            texts[name] = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    return texts


def _answer_file(path: Path, refs: dict[str, str]) -> Path:
    rows = [
        ["reference", "full_name", "birth_date", "status", "comment"],
        [refs["R1"], "ПЕТРЕНКО Александр Сергеевич", "12.03.2014", "будет возвращён", ""],
        # re-typed in Russian without the reference
        ["", "БОЙКО Анна Ивановна", "01.06.2015", "к возвращению", "в семье опекуна"],
        # a reference and a name that do not agree
        [refs["R3"], "ИВАНОВА Елена Петровна", "2009-01-01", "найден", ""],
        # reaches adulthood: a closing, for a supervisor
        [refs["R5"], "МЕЛЬНИК Игорь Васильевич", "17.08.2010", "совершеннолетний", ""],
        # nothing to match it by: kept and shown, never dropped
        ["", "", "", "найден", "ребёнок из списка"],
        # a child who was not on the list
        ["", "СИДОРЕНКО Кирилл Павлович", "03.04.2011", "найден", ""],
        # R4 and R6: no answer at all
    ]
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


@pytest.mark.slow
def test_a_list_goes_out_minimised_and_comes_back_reconciled(
        store: Store, verified: dict[str, int], tmp_path: Path) -> None:
    channel = create_channel(store, SUPERVISOR, "Qatar mediation", ChannelKind.STATE_MEDIATOR,
                             CHANNEL_FIELDS)
    with pytest.raises(AccessDeniedError):
        create_channel(store, LIAISON, "Envoy", ChannelKind.ENVOY, CHANNEL_FIELDS)
    found = list_candidates(store, LIAISON)
    assert sorted(c.case_id for c in found) == sorted(verified.values())
    attach_photo(store, WORKER, verified["R1"], _png())

    draft = new_list(store, LIAISON, channel.id, "first round").list
    added = {a.case_id: a.reference for a in add_to_list(store, LIAISON, draft.id,
                                                         verified.values())}
    refs = {record: added[case] for record, case in verified.items()}
    assert len(set(refs.values())) == 6
    with pytest.raises(ConflictError, match="already on list"):
        add_to_list(store, LIAISON, draft.id, [verified["R1"]])

    view = read_list(store, LIAISON, draft.id)
    assert ListField.LAST_KNOWN_PLACE not in view.columns
    values = {child.reference: child.values for child in view.children}[refs["R1"]]
    assert values[ListField.NAME_RU] == "Петренко Александр Сергеевич"
    assert values[ListField.NAME_LATIN_RU] == "Petrenko Aleksandr Sergeevich"
    assert values[ListField.SEX] == "M"
    assert values[ListField.BIRTH_DATE] == "2014-03-12"

    with pytest.raises(ConflictError, match="never exported"):
        send_list(store, LIAISON, draft.id, read_list(store, LIAISON, draft.id).list.version)
    exported = export_list(store, LIAISON, draft.id, list(ExportFormat))
    assert exported.children == 6
    files = decrypt_files(exported.data, exported.passphrase)
    assert len(files) == 4
    texts = _texts(files)
    for name, text in texts.items():
        assert refs["R2"] in text, name
        for forbidden in FORBIDDEN:
            assert forbidden not in text, f"{forbidden!r} leaked into {name}"
    assert "Александр" in texts[next(n for n in texts if n.endswith(".csv"))]
    dossiers = next(data for name, data in files.items() if name.endswith("dossiers.pdf"))
    assert any("/XObject" in str(page.get("/Resources", {}))
               for page in PdfReader(io.BytesIO(dossiers)).pages)  # the photo

    version = read_list(store, LIAISON, draft.id).list.version
    sent = send_list(store, LIAISON, draft.id, version)
    assert sorted(sent.moved) == sorted(verified.values())
    with pytest.raises(ConflictError, match="cannot change"):
        add_to_list(store, LIAISON, draft.id, [verified["R1"]])

    answer = _answer_file(tmp_path / "answer.csv", refs)
    summary = import_answers(store, LIAISON, draft.id, answer.name, answer.read_bytes())
    assert summary.rows == 6
    assert summary.counts.rejected == 1
    rec = read_reconciliation(store, LIAISON, draft.id)
    matched = {a.reference: a for a in rec.matched}
    assert set(matched) == {refs["R1"], refs["R2"], refs["R5"]}
    assert matched[refs["R1"]].how is AnswerHow.REFERENCE
    assert matched[refs["R2"]].how is AnswerHow.NAMES
    assert [a.reference for a in rec.contradictions] == [refs["R3"]]
    assert len(rec.unknown) == 1
    assert [(a.line, a.problem) for a in rec.rejected] == [(6, REJECTED_NOTHING)]
    assert rec.counts.rejected == 1
    assert {m.reference for m in rec.missing} == {refs["R4"], refs["R6"]}

    outcomes = {o.reference: o for o in apply_answers(store, LIAISON, draft.id)}
    assert outcomes[refs["R1"]].result is ApplyResult.APPLIED
    assert outcomes[refs["R5"]].result is ApplyResult.PENDING  # closing: a supervisor
    statuses = {c.id: c.status for c in list_cases(store, WORKER)}
    assert statuses[verified["R1"]] == CaseStatus.IN_RETURN
    assert statuses[verified["R5"]] == CaseStatus.RETURN_REQUESTED
    assert statuses[verified["R4"]] == CaseStatus.RETURN_REQUESTED
    if matched[refs["R2"]].sure:
        assert statuses[verified["R2"]] == CaseStatus.IN_RETURN
    else:
        resolve_answer(store, LIAISON, matched[refs["R2"]].id, AnswerAction.CONFIRM,
                       note="same child")
        apply_answers(store, LIAISON, draft.id)
        assert {c.id: c.status for c in list_cases(store, WORKER)}[
            verified["R2"]] == CaseStatus.IN_RETURN
    # applying again changes nothing
    assert apply_answers(store, LIAISON, draft.id) == []

    contradiction = rec.contradictions[0]
    with pytest.raises(InputRefusedError, match="why"):
        resolve_answer(store, LIAISON, contradiction.id, AnswerAction.DISMISS)
    resolve_answer(store, LIAISON, contradiction.id, AnswerAction.DISMISS,
                   note="asked the channel")

    tracked = track_channel(store, LIAISON, channel.id)
    assert tracked.lists[0].children == 6
    assert {w.reference for w in tracked.waiting} >= {refs["R4"], refs["R6"]}

    with store.transaction() as session:
        actions = [a for a, d in session.execute(
            select(AuditEventRow.action, AuditEventRow.details))]
        details = [d for a, d in session.execute(
            select(AuditEventRow.action, AuditEventRow.details)) if a == "list.exported"]
    assert {"list.exported", "list.sent", "answers.imported", "answers.applied"} <= set(actions)
    assert details[0]["sha256"] == exported.sha256
