"""Two agencies, each with its own lists, pairs, decisions, cases (history, evidence,
photograph, a contact logged and a task), channel, lists, exports and answers, a draft
release of public statistics, and records that link within and across them: what the
need-to-know tests start from.

Agency A is the home agency (1), B a second one. Each reports three children and has
found them; B also found A's first child (``X1``, a cross-agency link) and maybe its
third (``X2``, a pair across agencies waiting for review), and reported A's second child
again (``R7``): A's child R1 has a record only B sees, and the child of R2
and R7 is reported by both, each with a case of its own. Given the settings, each agency
also has an upload waiting on its preview (``ids["preview"]``, its token).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image
from sqlalchemy import select

from kinlink.config import Settings
from kinlink.domain.access import Actor
from kinlink.domain.cases import CaseStatus, EvidenceKind
from kinlink.domain.casework import ContactChannel
from kinlink.domain.decisions import DecisionVerdict, PairKey
from kinlink.domain.documents import Attachment, AttachmentKind
from kinlink.domain.mediation import ChannelKind, ExportFormat, ListField
from kinlink.domain.records import SourceKind
from kinlink.domain.retention import Anchor, FieldGroup, HoldTarget, RuleSpec
from kinlink.domain.users import UserRole
from kinlink.evidence import ContentStore
from kinlink.ingest import ImportRequest, import_file
from kinlink.matching.store import match_store
from kinlink.storage import Store
from kinlink.storage.mentions import MentionRepository
from kinlink.storage.photographs import PhotoFlagRow
from kinlink.storage.remote_tables import RemoteCandidateRow
from kinlink.storage.review import DecisionRepository
from kinlink.storage.tables import ImportRunRow, RecordRow
from kinlink.usecases.answers import import_answers, read_reconciliation
from kinlink.usecases.cases import advance_case, list_cases, open_missing_cases
from kinlink.usecases.casework import add_task, log_contact
from kinlink.usecases.channels import create_channel
from kinlink.usecases.documents import Evidence, upload_document
from kinlink.usecases.holds import place_hold
from kinlink.usecases.import_preview import start_preview
from kinlink.usecases.jobs import UploadDescription
from kinlink.usecases.lists import (
    add_to_list,
    attach_photo,
    export_list,
    new_list,
    read_list,
    send_list,
)
from kinlink.usecases.remote_candidates import import_pairs
from kinlink.usecases.retention import add_rule
from kinlink.usecases.review import decide_pair, review_queue
from kinlink.usecases.statistics import prepare_release

HEADER = "record_id,surname,given_name,patronymic,birth_date,sex,birth_place,last_known_place\n"
FOUND_HEADER = "record_id,full_name,birth_date,sex,birth_place,last_known_place\n"
LISTS: dict[str, dict[str, tuple[str, SourceKind]]] = {
    "A": {
        "reports": (HEADER
                    + "R1,Петренко,Олександр,Сергійович,12.03.2014,ч,Херсон,Скадовськ\n"
                    + "R2,Бойко,Ганна,Іванівна,01.06.2015,ж,Маріуполь,Таганрог\n"
                    + "R3,Ковальчук,Дмитро,Андрійович,23.11.2012,ч,Мелітополь,Генічеськ\n",
                    SourceKind.FAMILY_REPORTS),
        "found": (FOUND_HEADER
                  + "F1,ПЕТРЕНКО Александр Сергеевич,2014-03-12,м,Херсон,г. Анапа\n"
                  + "F2,БОЙКО Анна Ивановна,2015-06-01,ж,Мариуполь,г. Ростов-на-Дону\n"
                  + "F3,КОВАЛЬЧУК Дмитрий Андреевич,2012-11-24,ж,Мелитополь,г. Евпатория\n",
                  SourceKind.ADOPTION_REGISTRY),
    },
    "B": {
        "reports": (HEADER
                    + "R4,Шевченко,Марія,Олегівна,05.02.2016,ж,Бердянськ,Донецьк\n"
                    + "R5,Мельник,Ігор,Васильович,17.08.2010,ч,Херсон,Олешки\n"
                    + "R6,Ткаченко,Софія,Петрівна,30.09.2013,ж,Ізюм,Бєлгород\n"
                    + "R7,Бойко,Ганна,Іванівна,01.06.2015,ж,Маріуполь,Таганрог\n",
                    SourceKind.FAMILY_REPORTS),
        "found": (FOUND_HEADER
                  + "F4,ШЕВЧЕНКО Мария Олеговна,2016-02-05,ж,Бердянск,г. Москва\n"
                  + "F5,МЕЛЬНИК Игорь Васильевич,2010-08-17,м,Херсон,г. Курск\n"
                  + "F6,ТКАЧЕНКО София Петровна,2013-09-30,м,Изюм,г. Белгород\n"
                  + "X1,ПЕТРЕНКО Александр Сергеевич,2014-03-12,м,Херсон,г. Сочи\n"
                  + "X2,КОВАЛЬЧУК Дмитрий Андреевич,2012-11-23,ж,Мелитополь,г. Ялта\n",
                  SourceKind.ADOPTION_REGISTRY),
    },
}
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@dataclass
class AgencyWorld:
    """One agency's people (as actors) and the ids of its objects."""

    agency_id: int
    boss: Actor
    worker: Actor
    liaison: Actor
    sources: list[int] = field(default_factory=list)
    records: dict[str, int] = field(default_factory=dict)
    ids: dict[str, Any] = field(default_factory=dict)


def _import(store: Store, folder: Path, agency: str, agency_id: int) -> list[int]:
    made = []
    for name, (text, kind) in LISTS[agency].items():
        path = folder / f"{agency}-{name}.csv"
        path.write_text(text, encoding="utf-8")
        made.append(import_file(store, ImportRequest(
            path=path, imported_by=f"{agency}-importer", kind=kind, agency_id=agency_id),
            today=dt.date(2026, 11, 26)).source_id)
    return made


def _remote(store: Store, mine: AgencyWorld, label: str, name: str) -> int:
    """A record another party holds, paired by a linkage unit with the agency's ``label``
    (issue 21, part 4): the id of its remote candidate."""
    with store.transaction() as session:
        source = session.execute(select(RecordRow.source_id).where(
            RecordRow.id == mine.records[label])).scalar_one()
    pairs = f"left_id,right_id,score,match_probability\n{label},REMOTE-{name},0.9,0.95\n"
    import_pairs(store, mine.worker, "pairs.csv", pairs.encode(), party="Other bureau",
                 source_id=source)
    with store.transaction() as session:
        return int(session.execute(select(RemoteCandidateRow.id).where(
            RemoteCandidateRow.record_pk == mine.records[label])).scalar_one())


def _link(store: Store, a: int, b: int) -> None:
    """A link the model or the operator made (no case opened with it)."""
    with store.transaction() as session:
        DecisionRepository(session).add(PairKey.of(a, b), DecisionVerdict.SAME, "operator",
                                         None)


def _image() -> bytes:
    """A real PNG (its working copy can be made)."""
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "olive").save(out, "PNG")
    return out.getvalue()


def _photograph() -> bytes:
    """A PNG large enough to be hashed: the same one on two documents raises a flag."""
    out = io.BytesIO()
    Image.linear_gradient("L").resize((64, 48)).convert("RGB").save(out, "PNG")
    return out.getvalue()


def _pdf_with(picture: bytes) -> bytes:
    """A one-page PDF (reportlab) holding ``picture``: a profile printed to PDF."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawImage(ImageReader(io.BytesIO(picture)), 72, 600, width=128, height=96)
    page.showPage()
    page.save()
    return out.getvalue()


def _flagged(store: Store, evidence: Evidence, actor: Actor, case: int) -> dict[str, int]:
    """The same photograph on the case as an image and inside a PDF: the flag, its new
    picture (the one inside the PDF) and the PDF."""
    upload_document(evidence, actor, _photograph(), "family.png",
                    Attachment(AttachmentKind.CASE, case), dict(COLLECTION))
    pdf = upload_document(evidence, actor, _pdf_with(_photograph()), "profile.pdf",
                          Attachment(AttachmentKind.CASE, case), dict(COLLECTION))
    with store.transaction() as session:
        flag = session.execute(select(PhotoFlagRow).order_by(
            PhotoFlagRow.id.desc())).scalars().first()
        assert flag is not None
        return {"flag": flag.id, "photo": flag.new_id, "pdf": pdf.id}


def _mention(store: Store, evidence: Evidence, mine: AgencyWorld, label: str) -> int:
    """The id of a mention of the agency's child ``label`` in a text it keeps."""
    with store.transaction() as session:
        given, surname = session.execute(select(RecordRow.given_name, RecordRow.surname).where(
            RecordRow.id == mine.records[label])).one()
    text = f"Повідомлення: {given} {surname} у списку.".encode()
    upload_document(evidence, mine.worker, text, "note.txt",
                    Attachment(AttachmentKind.INBOX), dict(COLLECTION))
    with store.transaction() as session:
        return next(m.id for m in MentionRepository(session).waiting(mine.agency_id)
                    if m.record_pk == mine.records[label])


COLLECTION = {"collected_at": "2026-11-30T09:15:00+02:00", "collected_by": "scope",
              "method": "scan", "device": "scanner"}


def build(store: Store, folder: Path, b_agency: int, evidence: Evidence | None = None,
          settings: Settings | None = None) -> dict[str, AgencyWorld]:
    """Both agencies' data, every object each has (see the module's docstring); the
    documents' originals in ``evidence`` (default: a content store in ``folder``); with
    ``settings``, an upload of each agency waiting on its preview (in their data
    directory)."""
    evidence = evidence or Evidence(store, ContentStore(folder / "evidence"), 2**20)
    world = {}
    for name, agency_id in (("A", 1), ("B", b_agency)):
        world[name] = AgencyWorld(
            agency_id, Actor(f"{name}-boss", UserRole.SUPERVISOR, agency_id),
            Actor(f"{name}-worker", UserRole.CASE_WORKER, agency_id),
            Actor(f"{name}-liaison", UserRole.MEDIATOR_LIAISON, agency_id))
        world[name].sources = _import(store, folder, name, agency_id)
    with store.transaction() as session:
        rows = session.execute(select(RecordRow.record_id, RecordRow.id,
                                      RecordRow.source_id)).all()
    for label, pk, source in rows:
        owner = next(w for w in world.values() if source in w.sources)
        owner.records[label] = pk
    match_store(store, actor="operator")
    a, b = world["A"], world["B"]
    _link(store, a.records["R1"], b.records["X1"])  # across: A's child found by B
    _link(store, a.records["R2"], b.records["R7"])  # across: one child, reported by both
    for name, mine in world.items():
        open_missing_cases(store, mine.boss)
        first, second = ("R1", "F1") if name == "A" else ("R4", "F4")
        decide_pair(store, mine.worker, mine.records[first], mine.records[second],
                    DecisionVerdict.SAME)
        pending = review_queue(store, mine.worker, limit=50)
        assert pending, f"agency {name} has no pair waiting for review"
        low, high = pending[0].low.id, pending[0].high.id
        decide_pair(store, mine.worker, low, high, DecisionVerdict.UNSURE, "look again")
        cases = {c.sought_record_pk: c.id for c in list_cases(store, mine.boss)}
        case = cases[mine.records[first]]
        advance_case(store, mine.worker, case, 1, CaseStatus.LOCATED, "in the registry")
        advance_case(store, mine.worker, case, 2, CaseStatus.IDENTITY_VERIFIED,
                     "birth certificate", EvidenceKind.DOCUMENTS, f"BC-{name}")
        attach_photo(store, mine.liaison, case, PNG)
        log_contact(store, mine.worker, case, dt.datetime.now(dt.UTC), "the mother",
                    ContactChannel.PHONE, "called back")
        task = add_task(store, mine.worker, case, "ask for the certificate",
                        dt.datetime.now(dt.UTC).date())
        channel = create_channel(store, mine.boss, "ICRC", ChannelKind.NGO,
                                 [ListField.NAME_UK, ListField.BIRTH_DATE])
        sent = new_list(store, mine.liaison, channel.id).list
        added = add_to_list(store, mine.liaison, sent.id, [case])
        export_list(store, mine.liaison, sent.id, [ExportFormat.CSV])
        send_list(store, mine.liaison, sent.id,
                  read_list(store, mine.liaison, sent.id).list.version)
        answer = f"reference,status\n{added[0].reference},found\nKL-NOPE-000,found\n"
        import_answers(store, mine.liaison, sent.id, "answer.csv", answer.encode())
        answers = read_reconciliation(store, mine.liaison, sent.id)
        draft = new_list(store, mine.liaison, channel.id, "draft").list
        other = next(c for pk, c in cases.items() if c != case)
        add_to_list(store, mine.liaison, draft.id, [other])
        with store.transaction() as session:
            run = session.execute(select(ImportRunRow.id).where(
                ImportRunRow.source_id == mine.sources[0])).scalar_one()
        mine.ids = {"record": mine.records[first], "source": mine.sources[0], "run": run,
                    "low": low, "high": high, "case": case, "other_case": other,
                    "channel": channel.id, "list": draft.id, "sent_list": sent.id,
                    "answer": answers.answers[0].id, "task": task.id,
                    "document": upload_document(evidence, mine.worker, _image(), "scan.png",
                                                Attachment(AttachmentKind.CASE, case),
                                                dict(COLLECTION)).id,
                    **_flagged(store, evidence, mine.worker, case)}
        mine.ids["mention"] = _mention(store, evidence, mine, first)
        mine.ids["release"] = prepare_release(store, mine.boss).id  # a draft
        mine.ids["remote"] = _remote(store, mine, first, name)
        mine.ids.update(_keeping(store, mine))
        if settings is not None:
            mine.ids["preview"] = _preview(store, settings, mine.boss, name)
    return world


def _keeping(store: Store, mine: AgencyWorld) -> dict[str, int]:
    """Issue 19: a legal hold the agency's supervisor placed on its case, and a retention
    rule of the agency's own (its supervisor added it: it applies to its data only)."""
    hold = place_hold(store, mine.boss, HoldTarget.CASE, mine.ids["case"], "PR-1/2026",
                      "prosecutor's request")
    rule = add_rule(store, mine.boss, RuleSpec(FieldGroup.NOTES, Anchor.CASE_CLOSED, 3650,
                                               note="the agency's own"))
    assert rule.agency_id == mine.agency_id
    return {"hold": hold.id, "rule": rule.id}


def _preview(store: Store, settings: Settings, boss: Actor, agency: str) -> str:
    """The token of an upload of the boss's agency, previewed and not yet imported (a
    header it does not recognise, to be mapped)."""
    text = f"record_id,surname,given_name,місце\nP-{agency},Петренко,Олександр,Херсон\n"
    about = UploadDescription(SourceKind.FAMILY_REPORTS, producer=f"producer {agency}")
    return start_preview(store, settings, boss, f"{agency}-preview.csv", text.encode(),
                         about).token
