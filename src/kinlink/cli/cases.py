"""``kinlink cases``: the caseload with names, totals and filters, and a case's owner.

The group itself (``show``, ``open``, ``advance``) is defined with review in
:mod:`kinlink.cli.review`; this module adds ``list`` (the caseload, as the web page
shows it), ``assign`` and ``claim`` to it and is what :data:`kinlink.cli.GROUPS` loads.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from kinlink.cli.context import (
    acting,
    fail,
    friendly_errors,
    local_time,
    ntr,
    out,
    settings,
    store,
    term,
    tr,
)
from kinlink.cli.review import cases_app
from kinlink.domain.cases import CaseStatus
from kinlink.usecases.caseload import (
    MAX_PER_PAGE,
    SORTS,
    CaseloadQuery,
    assign_case,
    caseload,
    claim_case,
    export_caseload,
    team_people,
)
from kinlink.web.labels import CASE_STATUS

__all__ = ["cases_app"]


def _owner(text: str | None) -> int | str | None:
    if text is None or text in ("me", "nobody"):
        return text
    if text.isdigit():
        return int(text)
    raise typer.BadParameter("me, nobody or a user's id", param_hint="--owner")


@cases_app.command("list")
@friendly_errors
def cases_list_command(
    status: Annotated[CaseStatus | None, typer.Option(help="Only cases in this status.",
                                                      show_default=False)] = None,
    owner: Annotated[str | None, typer.Option(help="me, nobody or a user's id.",
                                              show_default=False)] = None,
    name: Annotated[str | None, typer.Option(
        "--name", help="A child's name in any script (Oleksandr Petrenko, Александр).",
        show_default=False)] = None,
    oblast: Annotated[str | None, typer.Option(
        help="Part of the birth place or last known place.", show_default=False)] = None,
    born_from: Annotated[int | None, typer.Option(min=1900, max=2100,
                                                  show_default=False)] = None,
    born_to: Annotated[int | None, typer.Option(min=1900, max=2100,
                                                show_default=False)] = None,
    has_candidates: Annotated[bool, typer.Option(
        "--has-candidates", help="Only cases with pairs waiting for review.")] = False,
    waiting: Annotated[bool, typer.Option(
        "--waiting", help="Only cases waiting for a mediator's answer.")] = False,
    sort: Annotated[str, typer.Option(help="One of " + ", ".join(SORTS)
                                      + "; a '-' before it sorts descending.")] = "name",
    page: Annotated[int, typer.Option(min=1, help="The page to show.")] = 1,
    per_page: Annotated[int, typer.Option(min=1, max=MAX_PER_PAGE,
                                          help="Cases a page.")] = 25,
    csv_file: Annotated[Path | None, typer.Option(
        "--csv", help="Write every page of this view to FILE as CSV instead.",
        show_default=False, dir_okay=False)] = None,
) -> None:
    """The caseload: cases with the child's name as reported, birth date, oblast, status,
    days in it, owner, last activity and pairs waiting, a page at a time with the total
    (audited); `--csv FILE` writes every page."""
    config = settings()
    query = CaseloadQuery(status, _owner(owner), oblast, born_from, born_to,  # type: ignore[arg-type]
                          has_candidates, waiting, name, sort.lstrip("-"),
                          sort.startswith("-"), page, per_page)
    with store(config) as opened:
        if csv_file is not None:
            text = export_caseload(opened, acting(config), query)
            csv_file.write_text(text, encoding="utf-8")
            written = text.count(chr(10)) - 1
            out.print(ntr("{count} case written to the CSV file.",
                          "{count} cases written to the CSV file.", written).format(
                count=written))
            return
        found = caseload(opened, acting(config), query)
    table = Table(tr("case"), tr("child's name as reported"), tr("born"), tr("oblast"),
                  tr("status"), tr("days in status"), tr("owner"), tr("last activity"),
                  tr("candidates"),
                  title=tr("Cases: page {page} of {pages}, {total} in all").format(
                      page=found.page, pages=found.pages, total=found.total),
                  title_justify="left")
    for c in found.items:
        shown = term(CASE_STATUS, c.status)
        table.add_row(str(c.case_id), c.name, str(c.birth or ""), c.oblast or "",
                      tr("{status} (waiting)").format(status=shown) if c.waiting
                      else shown,
                      str(c.days_in_status), c.owner or "",
                      local_time(c.last_activity_at, config), str(c.candidates))
    out.print(table)
    if found.page < found.pages:
        out.print(tr("Next: --page {page}.").format(page=found.page + 1))


@cases_app.command("assign")
@friendly_errors
def cases_assign_command(
    case: Annotated[int, typer.Argument(help="The case's id.", show_default=False)],
    username: Annotated[str, typer.Argument(
        help="Who works it from now (a supervisor or case worker of the case's agency); "
             "'nobody' to take it from its owner.", show_default=False)],
) -> None:
    """Give a case to a person (KINLINK_ROLE supervisor; audited)."""
    config = settings()
    with store(config) as opened:
        user_id: int | None = None
        if username != "nobody":
            people = {p.username: p.user_id for p in team_people(opened, acting(config))}
            if username not in people:
                raise fail(tr("nobody of that name in the agency may work cases"))
            user_id = people[username]
        moved = assign_case(opened, acting(config), case, user_id)
    out.print(tr("Case {case} is now worked by {user}.").format(case=moved.id, user=username)
              if user_id is not None
              else tr("Case {case} has no owner now.").format(case=moved.id))


@cases_app.command("claim")
@friendly_errors
def cases_claim_command(
    case: Annotated[int, typer.Argument(help="The case's id.", show_default=False)],
) -> None:
    """Take a case nobody owns for yourself (KINLINK_USER names your account; audited)."""
    config = settings()
    with store(config) as opened:
        claimed = claim_case(opened, acting(config), case)
    out.print(tr("Case {case} is yours now.").format(case=claimed.id))
