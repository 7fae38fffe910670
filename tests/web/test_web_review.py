"""The child page, review and cases, through the pages and their JSON twins, over lists
linked by the real matcher (FAMILY_LIST against REVIEW_FOUND: two pairs for review, one
linked automatically; one case per reported child)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import select
from typer.testing import CliRunner
from webhelpers import REVIEW_FOUND, Person, Seed, SignIn, link_and_open_cases

from kinlink.cli import app as cli
from kinlink.config import Settings
from kinlink.domain.users import UserRole
from kinlink.linkage import default_spec
from kinlink.linkage.defaults import SPEC_VERSION
from kinlink.storage.review_tables import DecisionRow
from kinlink.storage.tables import AuditEventRow


@pytest.fixture
def linked(app: FastAPI, seed: Seed, tmp_path: Path) -> dict[str, int]:
    """Record ids by their list's record_id (F-1… reported, C-1… found)."""
    seed()
    link_and_open_cases(app.state.services.store, tmp_path)
    from kinlink.storage.tables import RecordRow

    with app.state.services.store.transaction() as session:
        return {r.record_id: r.id for r in session.execute(select(RecordRow)).scalars()}


def _case_of(person: Person, record: int) -> dict[str, object]:
    child = person.client.get(f"/api/v1/children/{record}").json()
    (case,) = child["cases"]
    assert isinstance(case, dict)
    return case


def _audited(app: FastAPI, action: str) -> list[AuditEventRow]:
    with app.state.services.store.transaction() as session:
        return list(session.execute(select(AuditEventRow).where(
            AuditEventRow.action == action)).scalars())


def test_review_queue_decide_and_undo_through_the_api(
        app: FastAPI, sign_in: SignIn, linked: dict[str, int]) -> None:
    reviewer = sign_in(UserRole.REVIEWER)
    queue = reviewer.client.get("/api/v1/review/queue").json()
    pairs = {(q["low"]["id"], q["high"]["id"]) for q in queue}
    assert pairs == {(linked["F-1"], linked["C-1"]), (linked["F-2"], linked["C-2"])}
    first = next(q for q in queue if q["low"]["id"] == linked["F-1"])
    assert first["low"]["birth_date"] == "2014-03-12"
    fields = {f["field"]: f for f in first["explanation"]["fields"]}
    assert fields["birth date"]["weight"] > 0
    assert fields["sex"]["weight"] < 0
    assert "sexes" in first["explanation"]["veto"]
    filtered = reviewer.client.get("/api/v1/review/queue",
                                   params={"born_from": 2015, "region": "Херсон"}).json()
    assert [(q["low"]["id"], q["high"]["id"]) for q in filtered] == [
        (linked["F-2"], linked["C-2"])]

    body = {"a": linked["C-1"], "b": linked["F-1"], "verdict": "same", "note": "same date"}
    assert reviewer.client.post("/api/v1/review/decisions", json=body).status_code == 403
    decided = reviewer.client.post("/api/v1/review/decisions", json=body,
                                   headers=reviewer.headers)
    assert decided.status_code == 200, decided.text
    assert decided.json()["low"] == linked["F-1"]
    assert decided.json()["verdict"] == "same"
    left = reviewer.client.get("/api/v1/review/queue").json()
    assert [(q["low"]["id"], q["high"]["id"]) for q in left] == [
        (linked["F-2"], linked["C-2"])]

    undone = reviewer.client.post("/api/v1/review/undo", headers=reviewer.headers,
                                  json={"a": linked["F-1"], "b": linked["C-1"]})
    assert undone.status_code == 200
    assert undone.json()["verdict"] == "none"
    assert undone.json()["supersedes"] == decided.json()["id"]
    assert len(reviewer.client.get("/api/v1/review/queue").json()) == 2
    nothing = reviewer.client.post("/api/v1/review/undo", headers=reviewer.headers,
                                   json={"a": linked["F-3"], "b": linked["C-3"]})
    assert nothing.status_code == 400
    assert nothing.json()["error"]["message"] == "there is no decision on these records to undo"
    itself = reviewer.client.post("/api/v1/review/decisions", headers=reviewer.headers,
                                  json={"a": 1, "b": 1, "verdict": "same"})
    assert itself.status_code == 400
    missing = reviewer.client.post("/api/v1/review/decisions", headers=reviewer.headers,
                                   json={"a": 1, "b": 99999, "verdict": "same"})
    assert missing.status_code == 404
    assert {e.actor for e in _audited(app, "decision.recorded")} == {reviewer.username}
    assert _audited(app, "decision.undone")


def test_the_child_shows_every_record_conflicts_and_contacts_by_role(
        app: FastAPI, sign_in: SignIn, linked: dict[str, int]) -> None:
    worker, reviewer = sign_in(UserRole.CASE_WORKER), sign_in(UserRole.REVIEWER)
    child = worker.client.get(f"/api/v1/children/{linked['F-3']}").json()
    assert [r["id"] for r in child["records"]] == [linked["F-3"], linked["C-3"]]
    assert child["hidden"] == 0
    assert child["conflicts"] == []
    (case,) = child["cases"]
    assert case["status"] == "reported"
    assert child["histories"][str(case["id"])][0]["reason"] == "reported child"

    for a, b, verdict in (("F-1", "C-1", "same"), ("F-2", "C-1", "same"),
                          ("F-1", "F-2", "different")):
        assert worker.client.post("/api/v1/review/decisions", headers=worker.headers, json={
            "a": linked[a], "b": linked[b], "verdict": verdict}).status_code == 200
    child = worker.client.get(f"/api/v1/children/{linked['F-1']}").json()
    assert {r["id"] for r in child["records"]} == {linked["F-1"], linked["F-2"], linked["C-1"]}
    assert child["conflicts"] == [{"low": linked["F-1"], "high": linked["F-2"]}]
    assert any(r["reporter"] and r["reporter"]["contact"] == "+380501112233"
               for r in child["records"])
    seen = reviewer.client.get(f"/api/v1/children/{linked['F-1']}").json()
    assert all(r["reporter"] is None and not r["contact_shown"] for r in seen["records"])

    page = worker.client.get(f"/children/{linked['F-1']}")
    assert page.status_code == 200
    assert "Conflict" in page.text
    assert 'class="error conflict"' in page.text
    assert "+380501112233" in page.text
    assert "Mariupol" in page.text
    hidden = reviewer.client.get(f"/children/{linked['F-1']}").text
    assert "+380501112233" not in hidden
    assert "withheld: contact details" in hidden
    record = worker.client.get(f"/records/{linked['F-1']}").text
    assert f'href="/children/{linked["F-1"]}"' in record
    viewer = sign_in(UserRole.VIEWER)
    assert "/children/" not in viewer.client.get(f"/records/{linked['F-1']}").text
    assert viewer.client.get(f"/children/{linked['F-1']}").status_code == 403
    assert worker.client.get("/api/v1/children/99999").status_code == 404


def test_cases_advance_with_optimistic_locking_and_refusals(
        app: FastAPI, sign_in: SignIn, linked: dict[str, int]) -> None:
    worker, liaison = sign_in(UserRole.CASE_WORKER), sign_in(UserRole.MEDIATOR_LIAISON)
    listed = worker.client.get("/api/v1/cases").json()["items"]
    assert {c["sought_record"] for c in listed} == {linked["F-1"], linked["F-2"], linked["F-3"]}
    case = _case_of(worker, linked["F-3"])
    url = f"/api/v1/cases/{case['id']}"
    read = worker.client.get(url).json()
    assert read["case"]["version"] == 1
    assert [s["target"] for s in read["steps"]] == ["located"]
    assert [r["id"] for r in read["records"]] == [linked["F-3"], linked["C-3"]]

    move = {"version": 1, "target": "located", "reason": "found in the registry"}
    moved = worker.client.post(f"{url}/transitions", json=move, headers=worker.headers)
    assert moved.status_code == 200, moved.text
    assert moved.json()["status"] == "located"
    assert moved.json()["version"] == 2
    stale = worker.client.post(f"{url}/transitions", headers=worker.headers, json={
        **move, "target": "identity_verified", "evidence_kind": "dna", "evidence_ref": "D-1"})
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "conflict"
    assert "changed by someone else" in stale.json()["error"]["message"]
    no_evidence = worker.client.post(f"{url}/transitions", headers=worker.headers, json={
        "version": 2, "target": "identity_verified", "reason": "looks right"})
    assert no_evidence.status_code == 409
    assert no_evidence.json()["error"]["code"] == "transition_refused"
    assert "needs evidence" in no_evidence.json()["error"]["message"]
    not_theirs = liaison.client.post(f"{url}/transitions", headers=liaison.headers, json={
        "version": 2, "target": "identity_verified", "reason": "x", "evidence_kind": "dna",
        "evidence_ref": "D-1"})
    assert not_theirs.status_code == 409
    assert "mediator_liaison may not move a case" in not_theirs.json()["error"]["message"]
    jump = worker.client.post(f"{url}/transitions", headers=worker.headers, json={
        "version": 2, "target": "reunited", "reason": "x"})
    assert "cannot go from located to reunited" in jump.json()["error"]["message"]
    assert [c["status"] for c in worker.client.get(
        "/api/v1/cases", params={"status": "located"}).json()["items"]] == ["located"]
    history = worker.client.get(url).json()["history"]
    assert [(e["from_status"], e["to_status"]) for e in history] == [
        (None, "reported"), ("reported", "located")]
    unlinked = _case_of(worker, linked["F-1"])
    refused = worker.client.post(
        f"/api/v1/cases/{unlinked['id']}/transitions", headers=worker.headers,
        json={"version": 1, "target": "located", "reason": "x"})
    assert refused.status_code == 409
    assert "no found record linked" in refused.json()["error"]["message"]


def test_review_page_decides_and_undoes_with_plain_forms(
        app: FastAPI, sign_in: SignIn, linked: dict[str, int]) -> None:
    reviewer = sign_in(UserRole.REVIEWER)
    page = reviewer.client.get("/review")
    assert page.status_code == 200
    assert "Are records" in page.text
    assert 'data-shortcut="s"' in page.text
    assert 'class="against"' in page.text
    assert 'class="for"' in page.text
    low, high = (int(x) for x in re.findall(r'name="(?:low|high)" value="(\d+)"', page.text))
    skipped = reviewer.client.get("/review?skip=1").text
    assert f'name="low" value="{low}"' not in skipped
    refused = reviewer.client.post("/review/decide", follow_redirects=False, data={
        "low": str(low), "high": str(high), "verdict": "same"})
    assert refused.status_code == 403
    decided = reviewer.client.post("/review/decide", follow_redirects=False, data={
        "csrf_token": reviewer.csrf, "low": str(low), "high": str(high), "verdict": "different",
        "note": "different sex and no other evidence", "region": "Херсон"})
    assert decided.status_code == 303
    target = decided.headers["location"]
    assert target.startswith("/review?region=")
    assert f"done={low}-{high}" in target
    after = reviewer.client.get(target).text
    assert "different children" in after
    assert 'action="/review/undo"' in after
    assert f'name="low" value="{linked["F-2"]}"' in after  # the next pair from Херсон
    assert 'name="region" value="Херсон"' in after
    undone = reviewer.client.post("/review/undo", follow_redirects=False, data={
        "csrf_token": reviewer.csrf, "low": str(low), "high": str(high)})
    assert undone.status_code == 303
    assert f"undone={low}-{high}" in undone.headers["location"]
    assert "was taken back" in reviewer.client.get(undone.headers["location"]).text
    bad = reviewer.client.get("/review?min_score=2")
    assert bad.status_code == 422


def test_case_page_moves_a_case_and_explains_a_stale_version(
        app: FastAPI, sign_in: SignIn, linked: dict[str, int]) -> None:
    worker, other = sign_in(UserRole.CASE_WORKER), sign_in(UserRole.SUPERVISOR)
    case = _case_of(worker, linked["F-3"])
    page = worker.client.get(f"/cases/{case['id']}").text
    assert 'name="version" value="1"' in page
    assert '<option value="located"' in page
    assert '<option value="reunited"' not in page
    form = {"csrf_token": worker.csrf, "version": "1", "target": "located",
            "reason": "found in the registry"}
    moved = other.client.post(f"/cases/{case['id']}/advance", follow_redirects=False,
                              data={**form, "csrf_token": other.csrf})
    assert moved.status_code == 303
    assert "The case is now: located." in other.client.get(moved.headers["location"]).text
    stale = worker.client.post(f"/cases/{case['id']}/advance", data={
        **form, "target": "withdrawn", "evidence_kind": "documents", "evidence_ref": "x"})
    assert stale.status_code == 409
    assert "Someone changed this case while you had it open." in stale.text
    assert "It is now at version 2" in stale.text
    refused = worker.client.post(f"/cases/{case['id']}/advance", data={
        **form, "version": "2", "target": "identity_verified", "reason": "looks right"})
    assert refused.status_code == 409
    assert "The case was not moved." in refused.text
    assert "looks right" in refused.text  # the form keeps what was typed
    listing = worker.client.get("/cases?status=located").text
    assert f'href="/cases/{case["id"]}"' in listing
    dashboard = worker.client.get("/dashboard").text
    assert "Cases by status" in dashboard
    assert "/cases?status=located" in dashboard
    assert "Cases by status" not in sign_in(UserRole.VIEWER).client.get("/dashboard").text


def test_review_page_explains_in_the_readers_language(
        app: FastAPI, sign_in: SignIn, linked: dict[str, int]) -> None:
    english = sign_in(UserRole.REVIEWER, language="en").client.get("/review").text
    assert "birth date" in english
    assert "the same day" in english
    assert "the records give different sexes" in english
    ukrainian = sign_in(UserRole.REVIEWER, language="uk").client.get("/review").text
    assert "дата народження" in ukrainian
    assert "той самий день" in ukrainian
    assert "у записах різна стать" in ukrainian
    assert "the same day" not in ukrainian
    assert "the records give different sexes" not in ukrainian
    assert "12.03.2014 / 12.03.2014" in ukrainian  # the dates compared, as Ukrainians write
    assert "2014-03-12" not in ukrainian
    # The name engine's own reasons are said in Ukrainian too (none left in English).
    details = re.findall(r'<small class="muted detail">([^<]+)</small>', ukrainian)
    assert details
    assert not [d for d in details if re.search(r"\b(same|different|name|surname)\b", d)]
    assert re.search(r"те саме|різн", " ".join(details))


RENAMED = ("record_id,full_name,birth_date,sex,birth_place\n"
           "R-1,СМИРНОВ Александр Петрович,2014-04-20,м,г. Тверь\n"
           "R-2,ВОЛКОВ Дмитрий Иванович,2014-05-02,м,г. Курск\n"
           "R-3,ИВАНОВА Мария Петровна,2014-04-01,ж,г. Тверь\n"
           "R-4,ОРЛОВ Александр Ильич,2014-09-01,м,г. Тверь\n")
"""An adoption registry: a renamed boy who kept his given name, another boy, a girl, and
a boy born too long after F-1 (12.03.2014) to be him."""


def test_possible_identities_page_and_json_twin(
        app: FastAPI, seed: Seed, sign_in: SignIn, second_agency: int) -> None:
    from kinlink.domain.records import SourceKind
    from kinlink.storage.tables import RecordRow

    seed()
    seed(RENAMED, "registry.csv", SourceKind.ADOPTION_REGISTRY)
    seed("record_id,full_name,birth_date,sex\nX-1,ПЕТРОВ Александр,2014-03-20,м\n",
         "other.csv", SourceKind.ADOPTION_REGISTRY, agency_id=second_agency)
    with app.state.services.store.transaction() as session:
        f1 = session.execute(select(RecordRow.id).where(
            RecordRow.record_id == "F-1")).scalar_one()
    worker = sign_in(UserRole.CASE_WORKER)
    data = worker.client.get(f"/api/v1/children/{f1}/identities").json()
    names = [c["record"]["full_name"] for c in data["candidates"]]
    # The girl, the boy born in September and the other agency's record are not there.
    assert names == ["СМИРНОВ Александр Петрович", "ВОЛКОВ Дмитрий Иванович"]
    assert data["in_window"] == data["considered"] == 2
    assert [r["reason"] for r in data["candidates"][0]["listed_for"]] == [
        "born_near", "given_name"]
    first = {f["field"]: f for f in data["candidates"][0]["explanation"]["fields"]}
    assert first["given name"]["weight"] > 0
    assert data["candidates"][0]["match_weight"] > data["candidates"][1]["match_weight"]

    child_page = worker.client.get(f"/children/{f1}").text
    assert f'href="/children/{f1}/identities"' in child_page
    page = worker.client.get(f"/children/{f1}/identities")
    assert page.status_code == 200
    assert "Possible new identities" in page.text
    assert "СМИРНОВ Александр Петрович" in page.text
    assert "<details>" in page.text
    assert "Listed because: born within three months of the child" in page.text
    assert "Born within three months of the child</th>" in page.text
    ukrainian = sign_in(UserRole.CASE_WORKER, language="uk").client.get(
        f"/children/{f1}/identities").text
    assert "Можливі нові особові дані" in ukrainian
    assert "У переліку, бо: дата народження — у межах трьох місяців" in ukrainian
    stranger = sign_in(UserRole.CASE_WORKER, agency_id=second_agency)
    assert stranger.client.get(f"/api/v1/children/{f1}/identities").status_code == 404
    assert "те саме ім&#39;я" in ukrainian or "те саме ім'я" in ukrainian
    assert len(_audited(app, "child.identities")) == 3

    smirnov, volkov = (c["record"]["id"] for c in data["candidates"])
    refused = worker.client.post(f"/children/{f1}/identities/decide", data={
        "candidate": str(volkov), "verdict": "different"}, follow_redirects=False)
    assert refused.status_code == 403  # no CSRF token
    ruled_out = worker.client.post(f"/children/{f1}/identities/decide", data={
        "csrf_token": worker.csrf, "candidate": str(volkov), "verdict": "different",
        "note": "another boy on the photo"}, follow_redirects=False)
    assert ruled_out.status_code == 303
    assert ruled_out.headers["location"] == f"/children/{f1}/identities?decided={volkov}"
    after = worker.client.get(ruled_out.headers["location"]).text
    assert "your decision is recorded" in after
    assert "ВОЛКОВ" not in after
    linked = worker.client.post(f"/children/{f1}/identities/decide", data={
        "csrf_token": worker.csrf, "candidate": str(smirnov), "verdict": "same"},
        follow_redirects=False)
    assert linked.headers["location"] == f"/children/{f1}"
    child = worker.client.get(f"/api/v1/children/{f1}").json()
    assert smirnov in [r["id"] for r in child["records"]]
    assert worker.client.get(f"/api/v1/children/{f1}/identities").json()["candidates"] == []


def test_the_model_page_shows_weights_and_the_check_in_both_languages(
        app: FastAPI, sign_in: SignIn, linked: dict[str, int]) -> None:
    reviewer = sign_in(UserRole.REVIEWER)
    decided = reviewer.client.post("/api/v1/review/decisions", headers={
        "x-csrf-token": reviewer.csrf}, json={"a": linked["F-1"], "b": linked["C-1"],
                                              "verdict": "different"})
    assert decided.status_code in (200, 201), decided.text
    data = reviewer.client.get("/api/v1/model").json()
    assert data["card"]["version"].startswith(f"{SPEC_VERSION}+")
    assert {lv["comparison"] for lv in data["card"]["levels"]} >= {"given name", "sex"}
    bands = data["check"]["bands"]
    assert sum(b["pairs"] for b in bands) == 3  # two review pairs and one automatic link
    assert sum(b["different"] for b in bands) == 1
    page = reviewer.client.get("/model")
    assert page.status_code == 200, page.text
    assert page.text.count('<svg class="chart"') == len(default_spec().comparisons)  # per field
    assert 'class="chart-for"' in page.text
    assert 'class="chart-against"' in page.text
    assert "The scores against people’s decisions" in page.text
    assert 'href="/model"' in page.text  # in the navigation
    ukrainian = sign_in(UserRole.REVIEWER, language="uk").client.get("/model").text
    assert "Модель поєднання" in ukrainian
    assert "те саме ім" in ukrainian
    viewer = sign_in(UserRole.VIEWER).client.get("/model")
    assert viewer.status_code == 403


def test_the_api_the_page_and_the_command_line_decide_alike(
        app: FastAPI, seed: Seed, sign_in: SignIn, web_settings: Settings,
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Three reported children, each found once; no case yet. Each door decides one pair
    the same child: each keeps the same decision and opens that child's case, and only
    it; deciding the first pair again through the other two doors opens nothing more."""
    from kinlink.domain.records import SourceKind
    from kinlink.storage.tables import RecordRow

    seed()
    seed(REVIEW_FOUND, "found.csv", SourceKind.ADOPTION_REGISTRY)
    with app.state.services.store.transaction() as session:
        ids = {r.record_id: r.id for r in session.execute(select(RecordRow)).scalars()}
    worker = sign_in(UserRole.CASE_WORKER)
    assert worker.client.get("/api/v1/cases").json()["items"] == []

    def by_api(low: int, high: int) -> None:
        answer = worker.client.post("/api/v1/review/decisions", headers=worker.headers,
                                    json={"a": high, "b": low, "verdict": "same"})
        assert answer.status_code == 200, answer.text

    def by_page(low: int, high: int) -> None:
        answer = worker.client.post("/review/decide", follow_redirects=False, data={
            "csrf_token": worker.csrf, "low": str(low), "high": str(high), "verdict": "same"})
        assert answer.status_code == 303, answer.text

    def by_command_line(low: int, high: int) -> None:
        monkeypatch.setenv("KINLINK_DATA_DIR", str(web_settings.data_dir))
        if web_settings.database_url:
            monkeypatch.setenv("KINLINK_DATABASE_URL", web_settings.database_url)
        else:
            monkeypatch.delenv("KINLINK_DATABASE_URL", raising=False)
        monkeypatch.setenv("KINLINK_USER", worker.username)
        monkeypatch.setenv("KINLINK_ROLE", "case_worker")
        answer = CliRunner().invoke(cli, ["review", "decide", str(low), str(high), "same"])
        assert answer.exit_code == 0, answer.output

    doors = {"F-1": (by_api, "C-1"), "F-2": (by_page, "C-2"), "F-3": (by_command_line, "C-3")}
    for reported, (decide, found) in doors.items():
        decide(ids[reported], ids[found])
        cases = worker.client.get("/api/v1/cases").json()["items"]
        opened = [c["sought_record"] for c in cases]
        assert ids[reported] in opened  # this child's case, and only one more each time
        assert len(opened) == list(doors).index(reported) + 1
    files = {}
    for reported, (_decide, found) in doors.items():
        child = worker.client.get(f"/api/v1/children/{ids[reported]}").json()
        assert [r["id"] for r in child["records"]] == [ids[reported], ids[found]]
        (case,) = child["cases"]
        files[reported] = case
        assert (case["sought_record"], case["status"], case["version"]) == (
            ids[reported], "reported", 1)
        assert [(e["from_status"], e["to_status"], e["actor"], e["role"], e["reason"])
                for e in child["histories"][str(case["id"])]] == [
            (None, "reported", worker.username, "case_worker", "reported child")]
    assert worker.client.get("/api/v1/cases").json()["total"] == 3
    with app.state.services.store.transaction() as session:
        decisions = session.execute(select(DecisionRow).order_by(DecisionRow.id)).scalars().all()
    assert [(d.record_low, d.record_high, d.verdict, d.actor, d.supersedes_id)
            for d in decisions] == [
        (ids[r], ids[f], "same", worker.username, None) for r, (_d, f) in doors.items()]
    opened = _audited(app, "case.opened")
    assert [(e.actor, e.details["sought_record"]) for e in opened] == [
        (worker.username, ids[r]) for r in doors]

    for decide in (by_page, by_command_line):  # the first pair again, through the others
        decide(ids["F-1"], ids["C-1"])
    assert worker.client.get("/api/v1/cases").json()["total"] == 3
    again = worker.client.get(f"/api/v1/children/{ids['F-1']}").json()
    assert again["cases"] == [files["F-1"]]
    assert len(_audited(app, "case.opened")) == 3


def test_pairs_waiting_are_counted_overall_filtered_and_per_list(
        app: FastAPI, sign_in: SignIn, linked: dict[str, int], second_agency: int) -> None:
    """``/api/v1/review/waiting``: the two pairs of the queue, one with the Херсон
    filter, each list's; a decided pair leaves the count; another agency counts none."""
    reviewer = sign_in(UserRole.REVIEWER)
    queue = reviewer.client.get("/api/v1/review/queue").json()
    lists = {q["low"]["source"] for q in queue} | {q["high"]["source"] for q in queue}
    waiting = reviewer.client.get("/api/v1/review/waiting").json()
    assert (waiting["total"], waiting["filtered"]) == (2, 2)
    assert waiting["by_list"] == {str(source): 2 for source in lists}
    assert waiting["match_threshold"] == default_spec().thresholds.match
    assert reviewer.client.get("/api/v1/review/waiting", params={
        "region": "Херсон"}).json()["filtered"] == 1
    reviewer.client.post("/api/v1/review/decisions", headers=reviewer.headers, json={
        "a": linked["F-1"], "b": linked["C-1"], "verdict": "different"})
    assert reviewer.client.get("/api/v1/review/waiting").json()["total"] == 1
    page = reviewer.client.get("/review").text
    assert "Pairs waiting for review: 1" in page
    stranger = sign_in(UserRole.REVIEWER, agency_id=second_agency)
    assert stranger.client.get("/api/v1/review/waiting").json()["total"] == 0
