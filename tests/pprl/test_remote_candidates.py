"""Remote candidates: a linkage unit's pairs file imported for one of our lists, shown
with the child and decided — on a real store, SQLite and PostgreSQL. Another agency
cannot import onto, see or decide them; a file with one bad row keeps nothing."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from kinlink.accounts.admin import AccountAdmin
from kinlink.cli import app as cli_app
from kinlink.config import Settings
from kinlink.domain.access import Actor
from kinlink.domain.decisions import DecisionVerdict
from kinlink.domain.mediation import ChannelKind, ExportFormat, ListField
from kinlink.domain.records import SourceKind
from kinlink.domain.retention import ErasureBasis, ErasureKind
from kinlink.domain.users import UserRole
from kinlink.encryption import decrypt_files
from kinlink.errors import InputRefusedError, NotFoundError
from kinlink.ingest import ImportRequest, import_file
from kinlink.pprl.errors import PprlRefusedError
from kinlink.pprl.pairs import PairsRefusedError, Side
from kinlink.storage import Store
from kinlink.storage.remote_tables import RemoteCandidateRow, RemoteDecisionRow
from kinlink.storage.tables import AuditEventRow, RecordRow, SourceRow
from kinlink.usecases.cases import list_cases, open_missing_cases
from kinlink.usecases.channels import create_channel
from kinlink.usecases.children import read_child
from kinlink.usecases.erasure import erase_in
from kinlink.usecases.lists import add_to_list, export_list, new_list, read_list
from kinlink.usecases.remote_candidates import decide_remote, import_pairs

HOME = Actor("olena", UserRole.CASE_WORKER, 1)
REPORTS = ("record_id,surname,given_name,birth_date,sex\n"
           "R1,Петренко,Олександр,12.03.2014,ч\n"
           "R2,Бойко,Ганна,2015,ж\n")
PAIRS = ("left_id,right_id,score,match_probability,decision\n"
         "R1,X-77,0.91,0.998,review\n"
         "R2,X-78,0.52,0.41,review\n")


@pytest.fixture
def source(store: Store, tmp_path: Path) -> int:
    path = tmp_path / "reports.csv"
    path.write_text(REPORTS, encoding="utf-8")
    import_file(store, ImportRequest(path=path, imported_by="tester",
                                     kind=SourceKind.FAMILY_REPORTS),
                today=dt.date(2026, 12, 7))
    with store.transaction() as session:
        return int(session.execute(select(SourceRow.id)).scalar_one())


def _pk(store: Store, record_id: str) -> int:
    with store.transaction() as session:
        return int(session.execute(select(RecordRow.id).where(
            RecordRow.record_id == record_id)).scalar_one())


def _count(store: Store, table: type[RemoteCandidateRow] | type[RemoteDecisionRow]) -> int:
    with store.transaction() as session:
        return int(session.execute(select(func.count()).select_from(table)).scalar_one())


def _events(store: Store, action: str) -> list[AuditEventRow]:
    with store.transaction() as session:
        return list(session.execute(select(AuditEventRow).where(
            AuditEventRow.action == action)).scalars())


def test_pairs_become_remote_candidates_shown_with_the_child_and_decided(
        store: Store, source: int) -> None:
    done = import_pairs(store, HOME, "pairs.csv", PAIRS.encode(), party="NGO hotline",
                        source_id=source)
    assert (done.pairs, done.new, done.updated) == (2, 2, 0)
    child = read_child(store, HOME, _pk(store, "R1"))
    assert [(c.party, c.remote_ref, c.probability, c.verdict) for c in child.remote] == [
        ("NGO hotline", "X-77", 0.998, DecisionVerdict.NONE)]
    decided = decide_remote(store, HOME, child.remote[0].id, DecisionVerdict.SAME, "photo")
    assert decided.verdict is DecisionVerdict.SAME
    decide_remote(store, HOME, child.remote[0].id, DecisionVerdict.UNSURE)
    again = read_child(store, HOME, _pk(store, "R1")).remote[0]
    assert (again.verdict, again.decided_by) == (DecisionVerdict.UNSURE, "olena")
    assert _count(store, RemoteDecisionRow) == 2  # append-only: the first stays
    # importing the file again updates the pairs, it does not add them
    redone = import_pairs(store, HOME, "pairs.csv", PAIRS.replace("0.998", "0.95").encode(),
                          party="NGO hotline", source_id=source)
    assert (redone.new, redone.updated) == (0, 2)
    assert read_child(store, HOME, _pk(store, "R1")).remote[0].probability == 0.95
    imported = _events(store, "remote.pairs_imported")
    assert [e.details for e in imported] == [{"pairs": 2, "new": 2, "updated": 0},
                                             {"pairs": 2, "new": 0, "updated": 2}]
    decisions = _events(store, "remote.decision_recorded")
    assert [e.details["verdict"] for e in decisions] == ["same", "unsure"]
    assert "X-77" not in str([e.details for e in imported + decisions])


def test_our_ids_may_be_the_right_column(store: Store, source: int) -> None:
    swapped = (b"left_id,right_id,score,match_probability\nX-9,R2,0.7,0.6\n")
    import_pairs(store, HOME, "p.csv", swapped, party="B", source_id=source,
                 side=Side.RIGHT)
    assert [c.remote_ref for c in read_child(store, HOME, _pk(store, "R2")).remote] == ["X-9"]


@pytest.mark.parametrize(("row", "code"), [
    ("R9,X-1,0.5,0.5", "unknown_record"),
    ("R1,X-1,0.5,1.5", "bad_probability"),
    ("R1,X-1,0.5,nan", "bad_probability"),
    ("R1,X-1,high,0.5", "bad_score"),
    ("R1,,0.5,0.5", "empty_id"),
    ("R1,X-1,0.5", "columns"),
    ("R1," + "x" * 201 + ",0.5,0.5", "long_id"),
    ("R2,X-78,0.5,0.5", "duplicate"),
])
def test_one_bad_row_refuses_the_file_and_nothing_is_kept(
        store: Store, source: int, row: str, code: str) -> None:
    text = PAIRS.replace(",review", "").replace("left_id,right_id,score,match_probability,decision",
                        "left_id,right_id,score,match_probability")
    with pytest.raises(PairsRefusedError) as refused:
        import_pairs(store, HOME, "pairs.csv", (text + row + "\n").encode(), party="B",
                     source_id=source)
    assert [(p.line, p.code) for p in refused.value.problems] == [(4, code)]
    assert "line 4" in str(refused.value.problems[0].message)
    assert _count(store, RemoteCandidateRow) == 0
    assert not _events(store, "remote.pairs_imported")


def test_a_file_that_is_no_pairs_file_and_a_bad_party_are_refused(
        store: Store, source: int) -> None:
    with pytest.raises(PprlRefusedError, match="left_id, right_id"):
        import_pairs(store, HOME, "x.csv", b"a,b\n1,2\n", party="B", source_id=source)
    for party in ("", " \t", "x" * 101, "B\x00"):
        with pytest.raises(InputRefusedError) as bad:
            import_pairs(store, HOME, "pairs.csv", PAIRS.encode(), party=party,
                         source_id=source)
        assert bad.value.code == "bad_party"
    import_pairs(store, HOME, "pairs.csv", PAIRS.encode(), party="B", source_id=source)
    with pytest.raises(InputRefusedError):
        decide_remote(store, HOME, 1, DecisionVerdict.NONE)
    assert _count(store, RemoteCandidateRow) == 2


def test_another_agency_cannot_import_onto_see_or_decide_our_remote_candidates(
        store: Store, source: int) -> None:
    other = AccountAdmin(store).create_agency("test", "Other office").id
    stranger = Actor("petro", UserRole.CASE_WORKER, other)
    with pytest.raises(NotFoundError):
        import_pairs(store, stranger, "pairs.csv", PAIRS.encode(), party="B",
                     source_id=source)
    import_pairs(store, HOME, "pairs.csv", PAIRS.encode(), party="B", source_id=source)
    with store.transaction() as session:
        ids = list(session.execute(select(RemoteCandidateRow.id)).scalars())
    assert len(ids) == 2
    for candidate in [*ids, 999]:
        with pytest.raises(NotFoundError, match=f"remote candidate {candidate}"):
            decide_remote(store, stranger, candidate, DecisionVerdict.SAME)
    assert _count(store, RemoteDecisionRow) == 0
    refused = _events(store, "scope.refused")
    assert {(e.entity_type, e.entity_id) for e in refused} >= {
        ("source", str(source)), *(("remote_candidate", str(i)) for i in ids)}
    with pytest.raises(NotFoundError):
        read_child(store, stranger, _pk(store, "R1"))


def test_every_bad_row_is_said_at_once_in_line_order(store: Store, source: int) -> None:
    text = PAIRS + "R9,X-1,0.5,0.5,review\nR1,X-2,0.5,7,review\nR8,X-3,0.5,0.5,review\n"
    with pytest.raises(PairsRefusedError) as refused:
        import_pairs(store, HOME, "pairs.csv", text.encode(), party="B", source_id=source)
    assert [(p.line, p.code) for p in refused.value.problems] == [
        (4, "unknown_record"), (5, "bad_probability"), (6, "unknown_record")]
    assert "R9" not in str(refused.value) + str([p.message for p in refused.value.problems])
    assert _count(store, RemoteCandidateRow) == 0


def test_a_list_carries_the_remote_match_instead_of_names_when_its_channel_says_so(
        store: Store, source: int) -> None:
    boss = Actor("maria", UserRole.SUPERVISOR, 1)
    liaison = Actor("taras", UserRole.MEDIATOR_LIAISON, 1)
    open_missing_cases(store, boss)
    import_pairs(store, HOME, "pairs.csv", PAIRS.encode(), party="NGO hotline",
                 source_id=source)
    remote = read_child(store, HOME, _pk(store, "R1")).remote
    decide_remote(store, HOME, remote[0].id, DecisionVerdict.SAME)
    with pytest.raises(InputRefusedError):  # a channel still needs a name or the reference
        create_channel(store, boss, "blind", ChannelKind.NGO, [ListField.BIRTH_DATE])
    channel = create_channel(store, boss, "No names", ChannelKind.NGO,
                             [ListField.REMOTE_MATCH, ListField.BIRTH_DATE])
    draft = new_list(store, liaison, channel.id).list
    cases = {c.sought_record_pk: c.id for c in list_cases(store, boss)}
    add_to_list(store, liaison, draft.id, [cases[_pk(store, "R1")], cases[_pk(store, "R2")]])
    shown = read_list(store, liaison, draft.id)
    assert [c.values for c in shown.children] == [
        {ListField.REMOTE_MATCH: "NGO hotline: X-77", ListField.BIRTH_DATE: "2014-03-12"},
        {ListField.BIRTH_DATE: "2015"},  # R2's pair is undecided: no reference
    ]
    made = export_list(store, liaison, draft.id, [ExportFormat.CSV])
    files = decrypt_files(made.data, made.passphrase)
    text = next(v for k, v in files.items() if k.endswith(".csv")).decode("utf-8-sig")
    assert "Other party's record" in text
    assert "NGO hotline: X-77" in text
    assert "Петренко" not in text
    assert "Олександр" not in text


def test_erasing_our_record_erases_the_reference_of_its_remote_match(
        store: Store, source: int) -> None:
    import_pairs(store, HOME, "pairs.csv", PAIRS.encode(), party="NGO hotline",
                 source_id=source)
    r1, r2 = _pk(store, "R1"), _pk(store, "R2")
    remote = read_child(store, HOME, r1).remote[0]
    decide_remote(store, HOME, remote.id, DecisionVerdict.SAME, "the mother confirmed")
    with store.transaction() as session:
        erase_in(session, Actor("operator", UserRole.SUPERVISOR), ErasureKind.RECORD,
                 r1, "request", basis=ErasureBasis.REQUEST)
    with store.transaction() as session:
        refs = dict(session.execute(select(RemoteCandidateRow.record_pk,
                                           RemoteCandidateRow.remote_ref)).all())
        notes = list(session.execute(select(RemoteDecisionRow.note)).scalars())
    assert refs == {r1: f"erased {remote.id}", r2: "X-78"}
    assert notes == [None]


def test_the_command_imports_pairs_and_decides(store: Store, source: int, tmp_path: Path,
                                               settings: Settings,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KINLINK_DATA_DIR", str(settings.data_dir))
    if settings.database_url:
        monkeypatch.setenv("KINLINK_DATABASE_URL", settings.database_url)
    else:
        monkeypatch.delenv("KINLINK_DATABASE_URL", raising=False)
    monkeypatch.setenv("KINLINK_ROLE", "case_worker")
    monkeypatch.setenv("KINLINK_AGENCY", "1")
    monkeypatch.setenv("KINLINK_LANGUAGE", "en")
    bad, good = tmp_path / "bad.csv", tmp_path / "pairs.csv"
    bad.write_text(PAIRS + "R9,X-9,0.5,0.5,review\n", encoding="utf-8")
    good.write_text(PAIRS, encoding="utf-8")
    runner = CliRunner()
    refused = runner.invoke(cli_app, ["pprl", "import-pairs", str(bad), "--party", "B",
                                      "--list", str(source)])
    assert refused.exit_code == 2
    assert "line 4: our record id is not in the list (unknown_record)" in refused.output
    assert "R9" not in refused.output
    assert _count(store, RemoteCandidateRow) == 0
    done = runner.invoke(cli_app, ["pprl", "import-pairs", str(good), "--party", "B",
                                   "--list", str(source), "--json"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.output) == {"pairs": 2, "new": 2, "updated": 0, "party": "B",
                                       "list": source}
    with store.transaction() as session:
        first = int(session.execute(select(func.min(RemoteCandidateRow.id))).scalar_one())
    decided = runner.invoke(cli_app, ["pprl", "decide", str(first), "different"])
    assert decided.exit_code == 0, decided.output
    assert read_child(store, HOME, _pk(store, "R1")).remote[0].verdict is (
        DecisionVerdict.DIFFERENT)
