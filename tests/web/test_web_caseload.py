"""The caseload through its JSON API and its pages (SQLite and PostgreSQL): a page with
totals, filters and a name in another script, the CSV, claiming and assigning, "my
work", the form's messages per field, and another agency's cases never listed."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import select, text
from webhelpers import Seed, SignIn, link_and_open_cases

from kinlink.domain.records import SourceKind
from kinlink.domain.users import UserRole
from kinlink.storage.caseload import (
    CaseloadQueries,
    CaseloadWhere,
    pairs_touching,
    pairs_waiting_among,
)
from kinlink.storage.linkage_tables import CandidatePairRow
from kinlink.storage.review import clusters_of
from kinlink.storage.tables import AuditEventRow, RecordRow

SURNAMES = ("Бойко", "Шевченко", "Мельник", "Ткаченко", "Коваленко", "Бондаренко",
            "Кравченко", "Олійник")
GIVEN = ("Ганна", "Марія", "Софія", "Дарина", "Олена")
MANY = ("record_id,surname,given_name,birth_date,sex,birth_place\n"
        + "".join(f"M-{i},{SURNAMES[i % 8]},{GIVEN[i // 8]},{1 + i % 28:02d}.{1 + i % 12:02d}."
                  f"{2008 + i % 8},ж,Ізюм\n" for i in range(40))
        + "M-99,=cmd|' /C calc'!A0,Іван,2013,ч,Ізюм\n")


@pytest.fixture
def cases(app: FastAPI, seed: Seed, tmp_path: Path) -> None:
    """FAMILY_LIST linked with its found list (three cases, two pairs waiting) and 41
    more reported children."""
    seed()
    seed(MANY, "many.csv")
    link_and_open_cases(app.state.services.store, tmp_path)


def _actions(app: FastAPI, action: str) -> list[dict[str, object]]:
    with app.state.services.store.transaction() as session:
        return [dict(d) for d in session.execute(select(AuditEventRow.details).where(
            AuditEventRow.action == action).order_by(AuditEventRow.id)).scalars()]


def test_the_caseload_api_pages_filters_and_finds_names_in_any_script(
        app: FastAPI, sign_in: SignIn, cases: None) -> None:
    worker = sign_in(UserRole.CASE_WORKER)
    first = worker.client.get("/api/v1/cases", params={"per_page": 10}).json()
    assert (first["total"], first["pages"], first["page"], len(first["items"])) == (44, 5, 1, 10)
    last = worker.client.get("/api/v1/cases", params={"per_page": 10, "page": 5}).json()
    assert len(last["items"]) == 4
    found = worker.client.get("/api/v1/cases", params={"q": "Oleksandr Petrenko"}).json()
    (child,) = found["items"]
    assert (child["name"], child["birth_date"], child["oblast"]) == (
        "Петренко Олександр Іванович", "2014-03-12", "Донецька область")
    assert child["candidates_waiting"] == 1
    assert child["owner"] is None
    assert worker.client.get("/api/v1/cases", params={"q": "Александр"}).json()["total"] == 1
    waiting = worker.client.get("/api/v1/cases", params={"has_candidates": "true"}).json()
    assert waiting["total"] == 2
    refused = worker.client.get("/api/v1/cases", params={"born_from": 2015, "born_to": 2010})
    assert refused.status_code == 422
    assert "born_to" in refused.json()["error"]["message"]
    bad = worker.client.get("/api/v1/cases", params={"owner": "everyone"})
    assert bad.status_code == 422
    assert "owner" in bad.text
    assert _actions(app, "cases.listed")[-1]["filters"] == ["has_candidates"]


def test_claim_assign_and_my_work_through_the_api(
        app: FastAPI, sign_in: SignIn, cases: None, second_agency: int) -> None:
    worker, boss = sign_in(UserRole.CASE_WORKER), sign_in(UserRole.SUPERVISOR)
    stranger = sign_in(UserRole.CASE_WORKER, second_agency)
    case = worker.client.get("/api/v1/cases", params={"q": "Petrenko"}).json()["items"][0]
    taken = worker.client.post(f"/api/v1/cases/{case['id']}/claim", headers=worker.headers)
    assert taken.status_code == 200
    assert taken.json()["owner_id"] == worker.user_id
    again = boss.client.post(f"/api/v1/cases/{case['id']}/claim", headers=boss.headers)
    assert again.status_code == 409
    mine = worker.client.get("/api/v1/cases", params={"owner": "me"}).json()
    assert [c["owner"] for c in mine["items"]] == [worker.username]
    other = worker.client.get("/api/v1/cases", params={"q": "Бойко", "per_page": 1}).json()
    url = f"/api/v1/cases/{other['items'][0]['id']}/owner"
    assert worker.client.post(url, json={"user_id": worker.user_id},
                              headers=worker.headers).status_code == 403
    wrong = boss.client.post(url, json={"user_id": stranger.user_id}, headers=boss.headers)
    assert wrong.status_code == 422
    assert "user_id" in wrong.json()["error"]["message"]
    given = boss.client.post(url, json={"user_id": worker.user_id}, headers=boss.headers)
    assert given.status_code == 200
    assert given.json()["owner_id"] == worker.user_id
    work = worker.client.get("/api/v1/work").json()
    assert work["pairs_waiting"] == 2
    assert work["my_cases"] == {"reported": 2}
    assert work["team"] is None
    team = {t["username"]: t["open_cases"] for t in boss.client.get("/api/v1/work").json()["team"]}
    assert team[worker.username] == 2
    assert team[boss.username] == 0
    assert stranger.username not in team
    assert stranger.client.get("/api/v1/cases").json()["total"] == 0  # another agency's
    assert _actions(app, "case.claimed") == [{"owner_id": worker.user_id}]
    assert len(_actions(app, "work.read")) == 2


def test_the_csv_is_the_whole_view_neutralised_and_audited(
        app: FastAPI, sign_in: SignIn, cases: None) -> None:
    worker = sign_in(UserRole.CASE_WORKER)
    answer = worker.client.get("/api/v1/cases.csv", params={"oblast": "Ізюм", "per_page": 5})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert len(rows) == 42  # the header and every page
    assert "'=cmd|' /C calc'!A0 Іван" in [r[2] for r in rows]
    assert _actions(app, "cases.exported") == [{"count": 41, "filters": ["place"]}]


def test_the_caseload_page(app: FastAPI, sign_in: SignIn, cases: None) -> None:
    worker = sign_in(UserRole.CASE_WORKER)
    page = worker.client.get("/cases", params={"per_page": "10", "page": "3"})
    assert page.status_code == 200
    assert "Page 3 of 5, 44 cases" in page.text
    assert page.text.count('action="/cases/') >= 10  # a Take button on every unowned row
    found = worker.client.get("/cases", params={"q": "Oleksandr Petrenko"})
    assert "Петренко Олександр Іванович" in found.text
    assert "Page 1 of 1, 1 case" in found.text
    case_id = re.search(r'href="/cases/(\d+)"', found.text)
    assert case_id is not None
    taken = worker.client.post(f"/cases/{case_id.group(1)}/claim", follow_redirects=False,
                               data={"csrf_token": worker.csrf,
                                     "back": "/cases?q=Oleksandr+Petrenko"})
    assert taken.headers["location"] == "/cases?q=Oleksandr+Petrenko"
    assert worker.username in worker.client.get("/cases?owner=me").text
    bad = worker.client.get("/cases", params={"born_from": "20x4", "q": "Petrenko"})
    assert bad.status_code == 422
    assert 'id="born_from-error"' in bad.text
    assert 'value="20x4"' in bad.text
    assert "Page 1 of 1, 1 case" in bad.text  # the name still applies
    ukrainian = sign_in(UserRole.CASE_WORKER, language="uk")
    assert "Сторінка 1 з 1" in ukrainian.client.get("/cases?q=Petrenko").text


def test_the_case_page_shows_the_owner_and_the_assign_form(
        app: FastAPI, sign_in: SignIn, cases: None, second_agency: int) -> None:
    worker, boss = sign_in(UserRole.CASE_WORKER), sign_in(UserRole.SUPERVISOR)
    case = boss.client.get("/api/v1/cases", params={"q": "Petrenko"}).json()["items"][0]
    url = f"/cases/{case['id']}"
    before = worker.client.get(url).text
    assert "Take this case" in before
    assert 'id="assign"' not in before
    assert 'id="assign"' in boss.client.get(url).text
    given = boss.client.post(f"{url}/owner", follow_redirects=False,
                             data={"csrf_token": boss.csrf, "user_id": str(worker.user_id)})
    assert given.headers["location"] == f"{url}?assigned=true"
    assert worker.username in worker.client.get(url).text
    stranger = sign_in(UserRole.CASE_WORKER, second_agency)
    refused = boss.client.post(f"{url}/owner", data={"csrf_token": boss.csrf,
                                                     "user_id": str(stranger.user_id)})
    assert refused.status_code == 422
    assert 'id="user_id-error"' in refused.text
    taken = boss.client.post(f"{url}/claim", data={"csrf_token": boss.csrf})
    assert taken.status_code == 409
    assert "Someone already works this case" in taken.text


def test_case_workers_land_on_their_work(app: FastAPI, sign_in: SignIn, cases: None) -> None:
    worker = sign_in(UserRole.CASE_WORKER)
    board = worker.client.get("/dashboard").text
    assert 'id="my-work"' in board
    assert "Pairs waiting for review" in board
    viewer = sign_in(UserRole.VIEWER)
    assert 'id="my-work"' not in viewer.client.get("/dashboard").text


def test_candidates_waiting_count_the_whole_child_not_the_reported_record_alone(
        app: FastAPI, sign_in: SignIn, seed: Seed, cases: None) -> None:
    """Petrenko's report is confirmed the same child as the found record C-1; a pair
    waits between C-1 and a record of another list (not the report): the caseload (its
    JSON, its page, the storage query) counts it for Petrenko's case, as his child page
    lists it; a list the agency does not see is not counted."""
    store = app.state.services.store
    worker = sign_in(UserRole.CASE_WORKER)
    (child,) = worker.client.get("/api/v1/cases", params={"q": "Petrenko"}).json()["items"]
    sought = child["sought_record"]
    assert child["candidates_waiting"] == 1
    with store.transaction() as session:
        waiting = session.execute(select(CandidatePairRow).where(
            (CandidatePairRow.record_low == sought)
            | (CandidatePairRow.record_high == sought))).scalar_one()
        found = waiting.record_high if waiting.record_low == sought else waiting.record_low
        model_id, run_id = waiting.model_id, waiting.run_id
    decided = worker.client.post("/api/v1/review/decisions", headers=worker.headers,
                                 json={"a": sought, "b": found, "verdict": "same"})
    assert decided.status_code == 200, decided.text
    (child,) = worker.client.get("/api/v1/cases", params={"q": "Petrenko"}).json()["items"]
    assert child["candidates_waiting"] == 0

    other_list = seed("record_id,surname,given_name,birth_date,sex\nO-1,Petrenko,Sasha,2014,M\n",
                      "other.csv", SourceKind.CAMP_LIST)
    with store.transaction() as session:
        other = session.execute(select(RecordRow.id).where(
            RecordRow.source_id == other_list)).scalar_one()
        session.add(CandidatePairRow(
            record_low=min(found, other), record_high=max(found, other), model_id=model_id,
            run_id=run_id, match_weight=2.0, match_probability=0.8, decision="review",
            explanation={}, scored_at=dt.datetime.now(dt.UTC)))
    (child,) = worker.client.get("/api/v1/cases", params={"q": "Petrenko"}).json()["items"]
    assert child["candidates_waiting"] == 1
    page = worker.client.get("/cases", params={"q": "Petrenko"}).text
    assert '<a href="/review">1</a>' in page
    assert f"/review?record={found}" in worker.client.get(f"/children/{sought}").text

    with store.transaction() as session:
        queries = CaseloadQueries(session)
        sources = queries.ready_sources()
        (row,) = queries.page(CaseloadWhere(sources, case_ids=[child["id"]]), "name",
                              False, 0, 10)
        assert row.candidates == 1
        # Not a list the agency sees, not counted.
        (row,) = queries.page(CaseloadWhere([s for s in sources if s != other_list],
                                            case_ids=[child["id"]]), "name", False, 0, 10)
        assert row.candidates == 0
        assert set(clusters_of(session, [sought, other])) == {sought, other}
        assert clusters_of(session, [sought])[sought].records == tuple(sorted((sought,
                                                                                found)))


def test_the_count_of_a_child_s_candidates_goes_through_the_pair_indexes(
        app: FastAPI, cases: None) -> None:
    """On SQLite the caseload's two queries for a child's candidates search by index:
    the pairs touching the child's records by the two record indexes of
    ``candidate_pairs`` (not a scan, not the decision index over every waiting pair),
    then those pairs by primary key with their records and decisions."""
    store = app.state.services.store
    if store.engine.dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")

    def plan(query: object) -> str:
        sql = str(query.compile(dialect=store.engine.dialect,  # type: ignore[attr-defined]
                                compile_kwargs={"literal_binds": True}))
        with store.transaction() as session:
            return " | ".join(str(row[-1]) for row in
                              session.execute(text("EXPLAIN QUERY PLAN " + sql)))

    touching = plan(pairs_touching([1, 2, 3]))
    assert "USING INDEX sqlite_autoindex_candidate_pairs" in touching \
        or "USING INDEX uq_candidate_pairs_pair" in touching, touching
    assert "USING INDEX ix_candidate_pairs_record_high" in touching, touching
    assert "SCAN" not in touching, touching
    among = plan(pairs_waiting_among([1, 2, 3], [1, 2]))
    assert "SEARCH candidate_pairs USING INTEGER PRIMARY KEY" in among, among
    assert "SCAN candidate_pairs" not in among, among
    assert "ix_candidate_pairs_decision" not in among, among
