"""Service results to API bodies (one function per kind; routes stay thin)."""

from __future__ import annotations

import dataclasses

from kinlink.accounts import AgencyView, UserView
from kinlink.api import schemas
from kinlink.domain.dates import PartialDate
from kinlink.ingest.jobs import JobState
from kinlink.ingest.runs import IssueView, RunView, SourceView
from kinlink.reports import Dashboard
from kinlink.search import SearchHit, SearchResult
from kinlink.search.records import RecordDetail

__all__ = ["dashboard", "hit", "job", "record", "run", "search", "source", "user"]


def _date(value: PartialDate | None) -> str | None:
    return value.isoformat() if value else None


def hit(item: SearchHit) -> schemas.HitOut:
    """One search hit."""
    return schemas.HitOut(
        record=item.record_pk, score=item.score, verdict=item.verdict,
        reasons=[schemas.ReasonOut(**dataclasses.asdict(r)) for r in item.reasons],
        given_name=item.given_name, surname=item.surname, patronymic=item.patronymic,
        full_name=item.full_name, sex=item.sex, birth_date=_date(item.birth),
        birth_place=item.birth_place, role=item.role, source=item.source_id,
        source_title=item.source_title, source_kind=item.source_kind)


def search(result: SearchResult, offset: int, limit: int) -> schemas.SearchOut:
    """A page of search results."""
    return schemas.SearchOut(total=result.total, capped=result.capped, offset=offset,
                             limit=limit, birth_year=result.birth_year,
                             understood_as=result.understood,
                             hits=[hit(h) for h in result.hits])


def record(detail: RecordDetail) -> schemas.RecordOut:
    """One record."""
    return schemas.RecordOut(
        id=detail.id, record_id=detail.record_id, line=detail.line, role=detail.role,
        given_name=detail.given_name, surname=detail.surname, patronymic=detail.patronymic,
        full_name=detail.full_name, sex=detail.sex, birth_date=_date(detail.birth),
        birth_place=detail.birth_place, last_known_place=detail.last_known_place,
        event_date=_date(detail.event), notes=detail.notes, source_text=detail.source_text,
        extra=detail.extra,
        raw=[schemas.RawCellOut(**dataclasses.asdict(c)) for c in detail.raw],
        source=schemas.SourceInfoOut(**dataclasses.asdict(detail.source)),
        issues=[schemas.IssueOut(**dataclasses.asdict(i)) for i in detail.issues],
        reporter=schemas.ReporterOut(**dataclasses.asdict(detail.reporter))
        if detail.reporter else None,
        contact_shown=detail.contact_shown)


def source(view: SourceView) -> schemas.SourceOut:
    """A list."""
    return schemas.SourceOut(**dataclasses.asdict(view))


def run(view: RunView) -> schemas.RunOut:
    """An import run."""
    return schemas.RunOut(**dataclasses.asdict(view))


def issue(view: IssueView) -> schemas.IssueOut:
    """An import issue."""
    return schemas.IssueOut(**dataclasses.asdict(view))


def job(state: JobState) -> schemas.JobOut:
    """An upload's import."""
    values = dataclasses.asdict(state)
    for key in ("agency_id", "started_at", "finished_at"):
        values.pop(key)
    return schemas.JobOut(**values)


def _counts(items: list[tuple[str, int]] | list[tuple[str | None, int]]
            ) -> list[schemas.CountOut]:
    return [schemas.CountOut(label=label, count=count) for label, count in items]


def dashboard(view: Dashboard) -> schemas.DashboardOut:
    """The dashboard's counts."""
    return schemas.DashboardOut(
        records=view.records, sources=view.sources, by_role=_counts(view.by_role),
        by_kind=_counts(view.by_kind), by_region=_counts(view.by_region),
        by_month=_counts(view.by_month), imports_by_month=_counts(view.imports_by_month))


def user(view: UserView) -> schemas.UserOut:
    """A user (no secrets)."""
    return schemas.UserOut(**dataclasses.asdict(view))


def agency(view: AgencyView) -> schemas.AgencyOut:
    """An agency."""
    return schemas.AgencyOut(**dataclasses.asdict(view))
