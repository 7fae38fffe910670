"""The keeping pages of issue 19, as the roles that may and may not use them: legal holds
placed and lifted on the case and document pages, the erase confirmation (what goes, what
stays, the hold that forbids it), the retention rules (add, enable, disable, plan, Run
now), the backups' list; and an erased record read as erased wherever a person meets it
(its own page, the child's page, the pair waiting for review).

The store: FAMILY_LIST reported (F-1 and F-2 with a reporter, F-3 without), REVIEW_FOUND
found (F-1/C-1 and F-2/C-2 wait for review, F-3/C-3 linked), a case for each reported
child, an image attached to F-1's case.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from PIL import Image
from sqlalchemy import select, update
from webhelpers import FAMILY_LIST, Person, Seed, SignIn, link_and_open_cases

from kinlink.domain.access import Actor
from kinlink.domain.documents import Attachment, AttachmentKind
from kinlink.domain.retention import ErasureBasis, ErasureKind
from kinlink.domain.users import UserRole
from kinlink.storage.review_tables import CaseEventRow, CaseRow
from kinlink.storage.tables import AuditEventRow, RecordRow
from kinlink.usecases.documents import upload_document
from kinlink.usecases.erasure import erase

COLLECTION = {"collected_at": "2026-11-30T09:15:00+02:00", "collected_by": "test",
              "method": "scan", "device": "scanner"}


def _image() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def ids(app: FastAPI, seed: Seed, tmp_path: Path) -> dict[str, int]:
    """The records by their list ids, F-1's case (``case``) and its document."""
    services = app.state.services
    seed(FAMILY_LIST)
    link_and_open_cases(services.store, tmp_path)
    with services.store.transaction() as session:
        found = dict(session.execute(
            select(RecordRow.record_id, RecordRow.id)).all())
        found["case"] = session.execute(select(CaseRow.id).where(
            CaseRow.sought_record_pk == found["F-1"])).scalar_one()
    found["document"] = upload_document(
        services.evidence, Actor("test", UserRole.CASE_WORKER, 1), _image(), "scan.png",
        Attachment(AttachmentKind.CASE, found["case"]), dict(COLLECTION)).id
    return found


def _post(person: Person, path: str, form: dict[str, str], *, csrf: bool = True) -> int:
    data = {**form, "csrf_token": person.csrf} if csrf else form
    return int(person.client.post(path, data=data, follow_redirects=False).status_code)


def _actions(app: FastAPI, *names: str) -> list[str]:
    with app.state.services.store.transaction() as session:
        return list(session.execute(select(AuditEventRow.action).where(
            AuditEventRow.action.in_(names)).order_by(AuditEventRow.id)).scalars())


def _section(page: str, anchor: str) -> str:
    found = re.search(rf'<section id="{anchor}">(.*?)</section>', page, re.S)
    assert found, f"no section {anchor}"
    return found.group(1)


# Legal holds on the case and document pages -------------------------------------------


@pytest.mark.parametrize("target", ["case", "document"])
def test_a_supervisor_places_and_lifts_a_hold_on_the_page(
        app: FastAPI, sign_in: SignIn, ids: dict[str, int], target: str) -> None:
    page_of = f"/{target}s/{ids[target]}"
    boss, worker = sign_in(UserRole.SUPERVISOR), sign_in(UserRole.CASE_WORKER)
    page = boss.client.get(page_of).text
    assert "<title>" in page
    assert "Legal holds" not in page.split("</title>")[0]
    holds = _section(page, "holds")
    assert "No legal hold was placed on it." in holds
    assert 'action="/holds"' in holds
    assert 'id="holds"' not in worker.client.get(page_of).text  # holds: supervisors, admin
    placed = {"target": target, "target_id": str(ids[target]), "reference": "PR-7/2026",
              "reason": "the prosecutor's request", "back": page_of}
    assert _post(worker, "/holds", placed) == 403
    assert _post(boss, "/holds", placed, csrf=False) == 403
    assert _post(boss, "/holds", {**placed, "reference": "  "}) == 422
    assert _post(boss, "/holds", {**placed, "reason": ""}) == 422
    assert _actions(app, "hold.placed") == []
    made = boss.client.post("/holds", data={**placed, "csrf_token": boss.csrf},
                            follow_redirects=False)
    assert made.status_code == 303
    assert made.headers["location"] == page_of
    holds = _section(boss.client.get(page_of).text, "holds")
    assert "In force" in holds
    assert "PR-7/2026" in holds
    assert "the prosecutor" in holds
    hold = int(re.search(r'action="/holds/(\d+)/lift"', holds).group(1))  # type: ignore[union-attr]
    assert "PR-7/2026" not in worker.client.get(page_of).text
    lift = {"reason": "the court released it", "back": page_of}
    assert _post(worker, f"/holds/{hold}/lift", lift) == 403
    assert _post(boss, f"/holds/{hold}/lift", lift, csrf=False) == 403
    assert _post(boss, f"/holds/{hold}/lift", {**lift, "reason": " "}) == 422
    assert _post(boss, f"/holds/{hold}/lift", lift) == 303
    holds = _section(boss.client.get(page_of).text, "holds")
    assert "Lifted" in holds
    assert "the court released it" in holds
    assert "/lift" not in holds
    assert _post(boss, f"/holds/{hold}/lift", lift) == 409  # lifted already
    assert _actions(app, "hold.placed", "hold.lifted") == ["hold.placed", "hold.lifted"]
    listed = boss.client.get("/admin/holds").text
    assert "PR-7/2026" in listed
    assert "PR-7/2026" in sign_in(UserRole.ADMIN).client.get("/admin/holds").text
    for role in (UserRole.CASE_WORKER, UserRole.MEDIATOR_LIAISON, UserRole.ANALYST):
        assert sign_in(role).client.get("/admin/holds").status_code == 403, role


# The erase confirmation ---------------------------------------------------------------


def test_the_erase_confirmation_says_what_goes_what_stays_and_which_hold_forbids_it(
        app: FastAPI, sign_in: SignIn, ids: dict[str, int]) -> None:
    boss, worker = sign_in(UserRole.SUPERVISOR), sign_in(UserRole.CASE_WORKER)
    record = ids["F-1"]
    asked = f"/erase?kind=record&id={record}"
    assert worker.client.get(asked).status_code == 403
    assert _post(worker, "/erase", {"kind": "record", "id": str(record),
                                    "reason": "the family asked"}) == 403
    page = boss.client.get(asked).text
    assert "What will go" in page
    assert "What stays" in page
    assert "A legal hold forbids it" not in page
    assert "Erase for good" in page
    assert f'href="/records/{record}"' in page  # the way back
    assert _post(boss, "/holds", {"target": "case", "target_id": str(ids["case"]),
                                  "reference": "COURT-12", "reason": "trial"}) == 303
    page = boss.client.get(asked).text
    assert "A legal hold forbids it" in page
    assert "COURT-12" in page
    refused = boss.client.post("/erase", data={
        "kind": "record", "id": str(record), "reason": "the family asked",
        "csrf_token": boss.csrf}, follow_redirects=False)
    assert refused.status_code == 409
    assert "Nothing was erased." in refused.text
    assert "COURT-12" in refused.text
    assert "the family asked" in refused.text  # the reason stays in the form
    no_reason = boss.client.post("/erase", data={"kind": "record", "id": str(record),
                                                 "csrf_token": boss.csrf})
    assert no_reason.status_code == 422
    assert "Nothing was erased." in no_reason.text
    assert _post(boss, "/erase", {"kind": "record", "id": str(record), "reason": "x"},
                 csrf=False) == 403
    assert _actions(app, "data.erased") == []
    assert _actions(app, "erasure.refused") == ["erasure.refused"]
    hold = int(re.search(r"hold (\d+)", page).group(1))  # type: ignore[union-attr]
    assert _post(boss, f"/holds/{hold}/lift", {"reason": "verdict given"}) == 303
    done = boss.client.post("/erase", data={"kind": "record", "id": str(record),
                                            "reason": "the family asked", "basis": "request",
                                            "csrf_token": boss.csrf}, follow_redirects=False)
    assert done.status_code == 303
    assert done.headers["location"] == f"/records/{record}"
    shown = boss.client.get(f"/records/{record}").text
    assert "Erased on" in shown
    assert "Петренко" not in shown
    assert "+380501112233" not in shown
    assert "Erase this record" not in shown
    again = boss.client.get(asked).text
    assert "Erased on" in again
    assert "Erase for good" not in again
    assert _actions(app, "data.erased") == ["data.erased"]


# Retention rules, plan and Run now ----------------------------------------------------


def test_retention_rules_as_the_roles_that_may_and_may_not(
        app: FastAPI, sign_in: SignIn, ids: dict[str, int], second_agency: int) -> None:
    admin, boss = sign_in(UserRole.ADMIN), sign_in(UserRole.SUPERVISOR)
    other_boss = sign_in(UserRole.SUPERVISOR, second_agency)
    for role in (UserRole.CASE_WORKER, UserRole.MEDIATOR_LIAISON, UserRole.ANALYST):
        person = sign_in(role)
        assert person.client.get("/admin/retention").status_code == 403, role
        assert _post(person, "/admin/retention/rules", {"group": "notes",
                                                         "anchor": "case_closed",
                                                         "keep_days": "30"}) == 403
        assert _post(person, "/admin/retention/run", {}) == 403
    page = boss.client.get("/admin/retention").text
    defaults = [int(n) for n in re.findall(r'action="/admin/retention/rules/(\d+)"', page)]
    assert defaults == []
    assert "every agency" in page
    assert "Plan: what the rules would erase today" in page
    assert "Run now" in page
    assert "applies to your agency’s data only" in page
    rule = {"group": "notes", "anchor": "case_closed", "keep_days": "90",
            "note": "agreement 7, clause 3"}
    assert _post(boss, "/admin/retention/rules", rule, csrf=False) == 403
    assert _post(boss, "/admin/retention/rules", {**rule, "keep_days": "0"}) == 422
    assert _post(boss, "/admin/retention/rules", rule) == 303
    page = boss.client.get("/admin/retention").text
    mine = [int(n) for n in re.findall(r'action="/admin/retention/rules/(\d+)"', page)]
    assert len(mine) == 1
    assert "agreement 7, clause 3" in page
    assert "this agency" in page
    assert "agreement 7, clause 3" not in other_boss.client.get("/admin/retention").text
    assert _post(other_boss, f"/admin/retention/rules/{mine[0]}", {}) == 404
    assert _post(boss, f"/admin/retention/rules/{mine[0]}", {}) == 303  # disabled
    row = _row(boss.client.get("/admin/retention").text, mine[0])
    assert ">Enable<" in row
    assert _post(boss, f"/admin/retention/rules/{mine[0]}", {"active": "true"}) == 303
    assert ">Disable<" in _row(boss.client.get("/admin/retention").text, mine[0])
    admins = admin.client.get("/admin/retention").text
    store_wide = [int(n) for n in re.findall(r'action="/admin/retention/rules/(\d+)"', admins)]
    store_wide.remove(mine[0])  # the admin of the same agency changes its rule too
    assert len(store_wide) >= 3
    assert _post(boss, f"/admin/retention/rules/{store_wide[0]}", {}) == 403
    assert _post(admin, f"/admin/retention/rules/{store_wide[0]}", {}) == 303
    assert ">Enable<" in _row(admin.client.get("/admin/retention").text, store_wide[0])
    ran = boss.client.post("/admin/retention/run", data={"csrf_token": boss.csrf},
                           follow_redirects=False)
    assert ran.status_code == 303
    assert ran.headers["location"] == "/admin/retention?ran=0-0"
    assert "The rules were applied: 0 erased, 0 kept by a legal hold." in boss.client.get(
        ran.headers["location"]).text
    assert _actions(app, "retention.run") == ["retention.run"]
    assert len(_actions(app, "retention.rule_set")) == 4


def _row(page: str, rule: int) -> str:
    found = re.search(rf"<tr>\s*<td>{rule}</td>(.*?)</tr>", page, re.S)
    assert found, f"no row of rule {rule}"
    return found.group(1)


def test_the_plan_lists_what_is_due_and_the_hold_that_keeps_it(
        app: FastAPI, sign_in: SignIn, ids: dict[str, int]) -> None:
    """F-1's case closed long ago (by the clock of its steps); a rule of 1 day on the
    reporter's contact finds F-1's reporter due, the hold on the case keeps it."""
    boss = sign_in(UserRole.SUPERVISOR)
    closed = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    with app.state.services.store.transaction() as session:
        session.execute(update(CaseRow).where(CaseRow.id == ids["case"]).values(
            status="reunited", updated_at=closed))
        session.add(CaseEventRow(case_id=ids["case"], from_status="reported",
                                 to_status="reunited", actor="test", role="supervisor",
                                 at=closed, reason="home"))
    assert _post(boss, "/admin/retention/rules", {"group": "reporter_contact",
                                                   "anchor": "case_closed",
                                                   "keep_days": "1"}) == 303
    assert _post(boss, "/holds", {"target": "case", "target_id": str(ids["case"]),
                                  "reference": "PR-9", "reason": "evidence"}) == 303
    page = boss.client.get("/admin/retention").text
    plan = page.split("Plan: what the rules would erase today")[1]
    assert f"{ids['F-1']}" in plan
    assert "PR-9" in plan


# The backups' list --------------------------------------------------------------------


def test_the_backups_list_is_the_administrators(
        app: FastAPI, sign_in: SignIn) -> None:
    folder = app.state.services.settings.effective_backup_dir
    admin = sign_in(UserRole.ADMIN)
    assert "No backup in this folder yet." in admin.client.get("/admin/backups").text
    folder.mkdir(parents=True, exist_ok=True)
    name = "kinlink-20261201T020000Z.kbk"
    (folder / name).write_bytes(b"not written by kinlink")
    page = admin.client.get("/admin/backups").text
    assert name in page
    assert "no: kinlink has no record of writing this file" in page
    assert "download" not in page.lower().replace("never downloaded", "")
    for role in (UserRole.SUPERVISOR, UserRole.CASE_WORKER, UserRole.MEDIATOR_LIAISON):
        assert sign_in(role).client.get("/admin/backups").status_code == 403, role


# Erased, wherever a person meets it ---------------------------------------------------


def test_an_erased_record_reads_as_erased_on_the_child_and_review_pages(
        app: FastAPI, sign_in: SignIn, ids: dict[str, int]) -> None:
    boss = sign_in(UserRole.SUPERVISOR)
    services = app.state.services
    actor = Actor("test", UserRole.SUPERVISOR, 1)
    erase(services.evidence, actor, ErasureKind.RECORD, ids["F-3"], "the family asked")
    erase(services.evidence, actor, ErasureKind.RECORD, ids["F-1"], "withdrawn",
          basis=ErasureBasis.CONSENT_WITHDRAWN)
    for seen_from in ("F-3", "C-3"):  # the erased record and its linked one
        child = boss.client.get(f"/children/{ids[seen_from]}")
        assert child.status_code == 200, seen_from
        assert "Коваленко" not in child.text, seen_from
        assert f"Erased on {_today(child.text)} (on request)." in child.text, seen_from
    review = boss.client.get("/review")
    assert review.status_code == 200
    pair_pages = [review.text, boss.client.get("/review?skip=1").text]
    erased_side = next(p for p in pair_pages if "Petrenko" in p)
    assert "Петренко" not in erased_side
    assert "Erased on" in erased_side
    assert f"Erased on {_today(erased_side)} (after consent was withdrawn)." in erased_side
    # The record page: the reporter's erase offered only where the reporter is shown.
    assert "Erase who reported the child" in boss.client.get(f"/records/{ids['F-2']}").text
    for where in ("F-1", "F-3", "C-2"):  # erased, a list naming nobody, a found child
        assert "Erase who reported" not in boss.client.get(f"/records/{ids[where]}").text
    liaison = sign_in(UserRole.MEDIATOR_LIAISON)
    assert "Erase who reported" not in liaison.client.get(f"/records/{ids['F-2']}").text


def _today(page: str) -> str:
    """Today's date as the page writes dates (the one it shows for today)."""
    found = re.search(r"Erased on ([^(]+?) \(", page)
    assert found, "no erasure date on the page"
    assert str(dt.date.today().year) in found.group(1)
    return found.group(1)
