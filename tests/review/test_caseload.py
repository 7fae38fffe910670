"""The caseload, case owners and "my work" on a real store (SQLite and PostgreSQL):
paging, every filter and sort, search by a name in any script, owner rules, the CSV
export and the audit events."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from sqlalchemy import select, update

from kinlink.domain.access import Actor
from kinlink.domain.cases import CaseStatus
from kinlink.domain.decisions import DecisionVerdict
from kinlink.domain.records import SourceKind
from kinlink.domain.users import UserRole
from kinlink.errors import AccessDeniedError, ConflictError, InputRefusedError, NotFoundError
from kinlink.ingest import ImportRequest, import_file
from kinlink.storage import Store, candidate_reach
from kinlink.storage.accounts import AccountRepository
from kinlink.storage.casework_tables import CaseTaskRow
from kinlink.storage.linkage import LinkageRepository, NewPair
from kinlink.storage.review_tables import CandidateReachRow, CaseRow
from kinlink.storage.tables import AuditEventRow, RecordRow
from kinlink.usecases.caseload import (
    CaseloadQuery,
    assign_case,
    caseload,
    claim_case,
    export_caseload,
    my_work,
    team_people,
)
from kinlink.usecases.cases import advance_case, open_missing_cases
from kinlink.usecases.registration import withdraw_consent
from kinlink.usecases.review import decide_pair, undo_decision

WORKER = Actor("olena", UserRole.CASE_WORKER, 1)
SUPERVISOR = Actor("maria", UserRole.SUPERVISOR, 1)
VIEWER = Actor("ivan", UserRole.VIEWER, 1)
OTHER = Actor("bohdan", UserRole.SUPERVISOR, 2)

SURNAMES = ["Бойко", "Шевченко", "Мельник", "Ткаченко", "Коваленко", "Бондаренко",
            "Кравченко", "Олійник", "Лисенко", "Руденко", "Савченко", "Петренко"]
REPORTS = ("record_id,surname,given_name,birth_date,sex,birth_place,last_known_place\n"
           + "".join(f"R{i},{SURNAMES[i % 12]},Ганна,01.06.{2008 + i % 8},ж,Маріуполь,"
                     f"Таганрог\n" for i in range(1, 24))
           + "R24,Петренко,Олександр,12.03.2014,ч,Херсон,Скадовськ\n"
           + "R25,=HYPERLINK(\"x\"),Іван,2013,ч,Ізюм,\n")
FOUND = ("record_id,full_name,birth_date,sex,birth_place\n"
         "F1,ПЕТРЕНКО Александр Сергеевич,2014-03-12,м,Херсон\n")


@pytest.fixture
def ids(store: Store, tmp_path: Path) -> dict[str, int]:
    for name, text, kind in (("reports.csv", REPORTS, SourceKind.FAMILY_REPORTS),
                             ("found.csv", FOUND, SourceKind.ADOPTION_REGISTRY)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        import_file(store, ImportRequest(path=path, imported_by="tester", kind=kind),
                    today=dt.date(2026, 11, 26))
    open_missing_cases(store, WORKER)
    with store.transaction() as session:
        accounts = AccountRepository(session)
        accounts.add_agency("Other agency")
        for username, role, agency in (("olena", "case_worker", 1), ("maria", "supervisor", 1),
                                       ("ivan", "viewer", 1), ("petro", "case_worker", 1),
                                       ("bohdan", "case_worker", 2)):
            accounts.add_user(username=username, password_hash="x", role=role,
                              agency_id=agency)
        found = {r.record_id: r.id for r in session.execute(select(RecordRow)).scalars()}
        users = {u.username: u.id for u in accounts.users()}
        cases: dict[str, int] = {}
        for record_id, case_id in session.execute(
                select(RecordRow.record_id, CaseRow.id)
                .join(CaseRow, CaseRow.sought_record_pk == RecordRow.id)).all():
            cases[record_id] = case_id
    return {**found, **{f"user:{k}": v for k, v in users.items()},
            **{f"case:{k}": v for k, v in cases.items()}}


def _pair(store: Store, a: int, b: int, decision: str = "review") -> None:
    with store.transaction() as session:
        repository = LinkageRepository(session)
        model = repository.add_model({"version": "test-1", "spec_version": "test",
                                      "spec_digest": "d" * 64}, {}, 5, "test", "tester")
        run = repository.start_run(model.id, "d" * 64, "tester")
        repository.upsert_pairs([NewPair(a, b, 5.0, 0.8, decision, {"fields": []})],
                                model.id, run.id)
        candidate_reach.refresh(session, (a, b))   # as linking a record does


def _events(store: Store, action: str) -> list[dict[str, object]]:
    with store.transaction() as session:
        return [dict(d) for d in session.execute(
            select(AuditEventRow.details).where(AuditEventRow.action == action)
            .order_by(AuditEventRow.id)).scalars()]


def test_pages_hold_totals_and_every_case_once(store: Store, ids: dict[str, int]) -> None:
    seen: list[int] = []
    for page in (1, 2, 3):
        found = caseload(store, WORKER, CaseloadQuery(per_page=10, page=page))
        assert (found.total, found.pages, found.page) == (25, 3, page)
        seen += [item.case_id for item in found.items]
    assert sorted(seen) == sorted(v for k, v in ids.items() if k.startswith("case:"))
    past = caseload(store, WORKER, CaseloadQuery(per_page=10, page=9))
    assert past.page == 3
    assert len(past.items) == 5
    first = caseload(store, WORKER, CaseloadQuery(text="Петренко Олександр")).items[0]
    assert (first.name, str(first.birth), first.oblast, first.place) == (
        "Петренко Олександр", "2014-03-12", "Херсонська область", "Скадовськ")
    assert first.owner is None
    assert first.days_in_status == 0
    assert first.candidates == 0
    assert _events(store, "cases.listed")[-1] == {"total": 1, "shown": 1, "page": 1,
                                                  "filters": ["text"]}


@pytest.mark.parametrize("typed", ["Oleksandr Petrenko", "Александр", "ПЕТРЕНКО олександр",
                                   "Petrenko"])
def test_a_name_in_any_script_finds_the_child(store: Store, ids: dict[str, int],
                                             typed: str) -> None:
    found = caseload(store, WORKER, CaseloadQuery(text=typed))
    assert ids["case:R24"] in [item.case_id for item in found.items]
    assert all("Петренко" in item.name or "Олександр" in item.name for item in found.items)


def test_a_name_nobody_has_finds_nothing(store: Store, ids: dict[str, int]) -> None:
    assert caseload(store, WORKER, CaseloadQuery(text="Zzyzx Qwerty")).total == 0
    assert caseload(store, WORKER, CaseloadQuery(text="1234")).total == 0


def test_every_filter(store: Store, ids: dict[str, int]) -> None:
    def total(**kwargs: object) -> int:
        return caseload(store, SUPERVISOR, CaseloadQuery(**kwargs)).total  # type: ignore[arg-type]

    assert total(place="херсон") == 1
    assert total(place="Таганрог") == 23
    assert total(born_from=2014, born_to=2014) == 4   # R6, R14, R22 and Petrenko: 2014
    assert total(born_from=2015) == sum(1 for i in range(1, 24) if 2008 + i % 8 >= 2015)
    assert total(has_candidates=True) == 0
    _pair(store, ids["R24"], ids["F1"])
    assert total(has_candidates=True) == 1
    decide_pair(store, WORKER, ids["R24"], ids["F1"], DecisionVerdict.SAME)
    assert total(has_candidates=True) == 0
    claim_case(store, WORKER, ids["case:R24"])
    assert total(owner="nobody") == 24
    assert caseload(store, WORKER, CaseloadQuery(owner="me")).total == 1
    assert total(owner=ids["user:olena"]) == 1
    assert total(owner="me") == 0
    case = caseload(store, WORKER, CaseloadQuery(owner="me")).items[0]
    advance_case(store, WORKER, case.case_id, case.version, CaseStatus.LOCATED, "found")
    assert total(status=CaseStatus.LOCATED) == 1
    assert total(waiting=True) == 0


def test_the_candidates_filter_agrees_with_the_count(store: Store, ids: dict[str, int]
                                                    ) -> None:
    """A case is kept by *has candidates* exactly when its row counts candidates waiting:
    a pair that hangs on another record of the child (linked by a person or by the
    model) counts, and a link overruled or a pair settled stops counting."""
    def waiting() -> dict[int, int]:
        every = caseload(store, SUPERVISOR, CaseloadQuery(per_page=100)).items
        kept = caseload(store, SUPERVISOR, CaseloadQuery(has_candidates=True, per_page=100))
        counted = {item.case_id: item.candidates for item in every if item.candidates}
        assert sorted(item.case_id for item in kept.items) == sorted(counted)
        assert kept.total == len(counted)
        return counted

    assert waiting() == {}
    decide_pair(store, WORKER, ids["R24"], ids["F1"], DecisionVerdict.SAME)
    _pair(store, ids["F1"], ids["R1"])    # hangs on F1, the found record of R24's child
    assert waiting() == {ids["case:R24"]: 1, ids["case:R1"]: 1}
    decide_pair(store, WORKER, ids["R24"], ids["F1"], DecisionVerdict.DIFFERENT)
    assert waiting() == {ids["case:R1"]: 1}
    _pair(store, ids["R2"], ids["F1"], "match")   # the model links R2's child to F1
    assert waiting() == {ids["case:R1"]: 1, ids["case:R2"]: 1}
    decide_pair(store, WORKER, ids["R1"], ids["F1"], DecisionVerdict.DIFFERENT)
    assert waiting() == {}


def _reach_both_ways(store: Store, sources: list[int]) -> tuple[set[int], set[int]]:
    """The records the kept rows say have candidates, and those the recursive walk
    finds, for the lists ``sources``."""
    with store.transaction() as session:
        kept = set(session.execute(
            candidate_reach.records_with_candidates(sources)).scalars())
        walked = set(session.execute(
            candidate_reach.records_with_candidates_recursive(sources)).scalars())
    return {int(r) for r in kept}, {int(r) for r in walked}


def test_kept_rows_agree_with_the_walk(store: Store, ids: dict[str, int]) -> None:
    """The rows kept for *has candidates* give the same sought records as the recursive
    walk over the links, for every list and for one list alone, after pairs are added,
    decisions move a candidate from one child to another and back (same, different,
    undone), a model link joins two children, and a consent is withdrawn; and a full
    rebuild writes the same rows as the refreshes."""
    with store.transaction() as session:
        lists = sorted({int(s) for s in session.execute(select(RecordRow.source_id))
                        .scalars()})

    with store.transaction() as session:
        sought = {int(r) for r in session.execute(
            select(RecordRow.id).where(RecordRow.role == "sought")).scalars()}

    def agree() -> set[int]:
        for sources in (lists, lists[:1]):
            kept, walked = _reach_both_ways(store, sources)
            assert kept == walked & sought                # cases stand on sought records
        with store.transaction() as session:
            before = {tuple(row) for row in session.execute(select(
                CandidateReachRow.record_pk, CandidateReachRow.low_source,
                CandidateReachRow.high_source))}
            candidate_reach.rebuild(session)
            after = {tuple(row) for row in session.execute(select(
                CandidateReachRow.record_pk, CandidateReachRow.low_source,
                CandidateReachRow.high_source))}
        assert before == after
        return _reach_both_ways(store, lists)[0]

    assert agree() == set()
    _pair(store, ids["R3"], ids["R4"])                    # two reports, one list
    assert agree() == {ids["R3"], ids["R4"]}
    _pair(store, ids["F1"], ids["R1"])
    decide_pair(store, WORKER, ids["R24"], ids["F1"], DecisionVerdict.SAME)
    assert agree() == {ids["R3"], ids["R4"], ids["R1"], ids["R24"]}
    _pair(store, ids["R2"], ids["F1"], "match")           # the model joins R2's child
    assert ids["R2"] in agree()
    decide_pair(store, WORKER, ids["R24"], ids["F1"], DecisionVerdict.DIFFERENT)
    assert ids["R24"] not in agree()                      # moved out of F1's child
    undo_decision(store, WORKER, ids["R24"], ids["F1"])   # and back
    assert ids["R24"] in agree()
    decide_pair(store, WORKER, ids["R2"], ids["F1"], DecisionVerdict.UNSURE)
    assert ids["R2"] not in agree()                       # the model link held back
    decide_pair(store, WORKER, ids["R1"], ids["F1"], DecisionVerdict.SAME)
    assert agree() == {ids["R3"], ids["R4"]}              # settled: F1's child waits no more
    withdraw_consent(store, WORKER, ids["R4"], "the mother asked")
    assert agree() == set()
    assert total_kept(store) == 0


def total_kept(store: Store) -> int:
    return caseload(store, SUPERVISOR, CaseloadQuery(has_candidates=True)).total


def test_born_years_exclude_unknown(store: Store, ids: dict[str, int]) -> None:
    exact = caseload(store, WORKER, CaseloadQuery(born_from=2013, born_to=2013))
    assert "=HYPERLINK(\"x\") Іван" in [item.name for item in exact.items]


def test_sorts(store: Store, ids: dict[str, int]) -> None:
    def names(sort: str, descending: bool = False) -> list[str]:
        return [i.name for i in caseload(store, WORKER, CaseloadQuery(
            sort=sort, descending=descending, per_page=200)).items]

    by_name = names("name")
    assert by_name == sorted(by_name, key=str.lower)
    assert names("name", True)[0] == by_name[-1]
    births = [i.birth for i in caseload(store, WORKER, CaseloadQuery(
        sort="birth", per_page=200)).items]
    assert [b.year for b in births if b] == sorted(b.year for b in births if b)
    claim_case(store, WORKER, ids["case:R5"])
    assert caseload(store, WORKER, CaseloadQuery(sort="owner")).items[0].owner == "olena"
    assert caseload(store, WORKER, CaseloadQuery(sort="activity", descending=True)
                    ).items[0].case_id == ids["case:R5"]
    decide_pair(store, WORKER, ids["R24"], ids["F1"], DecisionVerdict.SAME)
    advance_case(store, WORKER, ids["case:R24"], 1, CaseStatus.LOCATED, "found")
    assert caseload(store, WORKER, CaseloadQuery(sort="status", descending=True)
                    ).items[0].case_id == ids["case:R24"]
    assert caseload(store, WORKER, CaseloadQuery(sort="days")).items[-1].case_id == \
        ids["case:R24"]


def test_bad_input_is_refused_by_field(store: Store, ids: dict[str, int]) -> None:
    with pytest.raises(InputRefusedError, match="born_to"):
        caseload(store, WORKER, CaseloadQuery(born_from=2015, born_to=2010))
    with pytest.raises(InputRefusedError, match="sort"):
        caseload(store, WORKER, CaseloadQuery(sort="surname"))
    with pytest.raises(InputRefusedError, match="per_page"):
        caseload(store, WORKER, CaseloadQuery(per_page=1000))
    with pytest.raises(InputRefusedError, match="owner"):  # beyond any id (PostgreSQL: 500)
        caseload(store, WORKER, CaseloadQuery(owner=9_707_744_875))


def test_another_agency_sees_none_of_it(store: Store, ids: dict[str, int]) -> None:
    assert caseload(store, OTHER, CaseloadQuery()).total == 0
    with pytest.raises(NotFoundError):
        assign_case(store, OTHER, ids["case:R1"], None)
    assert _events(store, "scope.refused")


def test_owner_rules(store: Store, ids: dict[str, int]) -> None:
    case = ids["case:R2"]
    with pytest.raises(AccessDeniedError):
        assign_case(store, WORKER, case, ids["user:petro"])
    with pytest.raises(AccessDeniedError):
        claim_case(store, VIEWER, case)
    for refused in ("bohdan", "ivan"):   # another agency's; a viewer
        with pytest.raises(InputRefusedError, match="user_id"):
            assign_case(store, SUPERVISOR, case, ids[f"user:{refused}"])
    given = assign_case(store, SUPERVISOR, case, ids["user:petro"])
    assert given.owner_id == ids["user:petro"]
    assert given.owner_since is not None
    assert given.last_activity_at is not None
    with pytest.raises(ConflictError):
        claim_case(store, WORKER, case)
    assign_case(store, SUPERVISOR, case, None)
    claimed = claim_case(store, WORKER, case)
    assert claimed.owner_id == ids["user:olena"]
    assert claim_case(store, WORKER, case).owner_id == ids["user:olena"]
    with pytest.raises(InputRefusedError, match="account"):
        claim_case(store, Actor("nobody", UserRole.CASE_WORKER, 1), case)
    assert _events(store, "case.assigned") == [
        {"owner_id": ids["user:petro"], "former_owner_id": None},
        {"owner_id": None, "former_owner_id": ids["user:petro"]}]
    assert _events(store, "case.claimed") == [{"owner_id": ids["user:olena"]}]
    assert [p.username for p in team_people(store, SUPERVISOR)] == ["maria", "olena", "petro"]


def test_the_csv_holds_every_page_neutralised(store: Store, ids: dict[str, int]) -> None:
    text = export_caseload(store, WORKER, CaseloadQuery(per_page=5, page=2))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["case", "status", "name"]
    assert len(rows) == 26
    assert "'=HYPERLINK(\"x\") Іван" in [r[2] for r in rows]
    assert not any(cell.startswith("=") for r in rows for cell in r)
    assert _events(store, "cases.exported") == [{"count": 25, "filters": []}]


def test_my_work(store: Store, ids: dict[str, int]) -> None:
    claim_case(store, WORKER, ids["case:R24"])
    assign_case(store, SUPERVISOR, ids["case:R4"], ids["user:petro"])
    decide_pair(store, WORKER, ids["R24"], ids["F1"], DecisionVerdict.SAME)
    advance_case(store, SUPERVISOR, ids["case:R24"], 1, CaseStatus.LOCATED, "found")
    _pair(store, ids["R1"], ids["F1"])
    with store.transaction() as session:
        session.execute(update(CaseRow).where(CaseRow.id == ids["case:R9"])
                        .values(status="return_requested"))
        now = dt.datetime.now(dt.UTC)
        for title, due, who in (("Call the mother", dt.date(2020, 1, 1), "olena"),
                                ("Not yet", dt.date(2999, 1, 1), "olena"),
                                ("Petro's", dt.date(2020, 1, 1), "petro")):
            session.add(CaseTaskRow(case_id=ids["case:R24"], title=title, due_on=due,
                                    assignee_id=ids[f"user:{who}"], created_by="maria",
                                    created_at=now))
    mine = my_work(store, WORKER)
    assert mine.pairs_waiting == 1
    assert mine.my_cases == [(CaseStatus.LOCATED, 1)]
    assert [t.title for t in mine.overdue] == ["Call the mother"]
    assert [c.case_id for c in mine.waiting_longest] == [ids["case:R9"]]
    assert mine.team is None
    boss = my_work(store, SUPERVISOR)
    assert boss.team is not None
    load = {t.username: (t.open_cases, t.overdue) for t in boss.team}
    assert load == {"maria": (0, 0), "olena": (1, 1), "petro": (1, 1)}
    assert _events(store, "work.read")[0] == {"pairs": 1, "cases": 1, "overdue": 1,
                                              "waiting": 1, "team": None}


def test_pairs_waiting_are_counted_only_as_far_as_the_dashboard_says(
        store: Store, ids: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    import kinlink.usecases.caseload as module

    _pair(store, ids["R1"], ids["F1"])
    _pair(store, ids["R2"], ids["F1"])
    assert my_work(store, WORKER).pairs_waiting == 2
    monkeypatch.setattr(module, "PAIRS_COUNTED", 0)  # "0+": counting stops at the first
    assert my_work(store, WORKER).pairs_waiting == 1
