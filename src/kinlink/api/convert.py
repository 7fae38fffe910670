"""Service results to API bodies whose shape is not the read model's (one function per
kind; routes stay thin). A read model whose shape is the wire's is answered as it is, so
it needs no function here."""

from __future__ import annotations

from kinlink.api import schemas
from kinlink.api.children import explanation
from kinlink.domain.cases import Case, CaseEvent, Transition
from kinlink.domain.dates import PartialDate
from kinlink.domain.decisions import Decision
from kinlink.domain.records import RecordView
from kinlink.reports import Dashboard
from kinlink.search import SearchHit
from kinlink.search.records import RecordDetail
from kinlink.usecases.cases import CaseView
from kinlink.usecases.children import ChildFile, Identities
from kinlink.usecases.jobs import JobState
from kinlink.usecases.review import QueueItem
from kinlink.usecases.search import HitChild, SearchPage

__all__ = ["case", "case_event", "case_file", "child", "dashboard", "decision", "hit", "job",
           "queue_item", "record", "search", "step"]


def _date(value: PartialDate | None) -> str | None:
    return value.isoformat() if value else None


def hit(item: SearchHit, child: HitChild | None = None) -> schemas.HitOut:
    """One search hit, with its child when the role may see it."""
    return schemas.HitOut(
        record=item.record_pk, score=item.score, exact=item.exact, weight=item.weight,
        verdict=item.verdict,
        variances=[schemas.VarianceOut(part=v.part, typed=v.typed, found=v.found,
                                       kinds=[k.value for k in v.kinds],
                                       system=v.system.value if v.system else None)
                   for v in item.variances],
        child=schemas.HitChildOut(linked=child.linked, records=child.records,
                               case=child.case_id, case_status=child.case_status)
        if child else None,
        findings=list(item.findings), reasons=list(item.reasons),
        given_name=item.given_name, surname=item.surname, patronymic=item.patronymic,
        full_name=item.full_name, sex=item.sex, birth_date=_date(item.birth),
        birth_place=item.birth_place, role=item.role, source=item.source_id,
        source_title=item.source_title, source_kind=item.source_kind)


def search(found: SearchPage) -> schemas.SearchOut:
    """A page of search results."""
    result, window = found.result, found.result.window
    return schemas.SearchOut(total=result.total, capped=result.capped, offset=result.offset,
                             limit=result.limit, birth_year=result.birth_year,
                             born=_date(result.born),
                             born_from=window.first.isoformat() if window else None,
                             born_to=window.last.isoformat() if window else None,
                             understood_as=result.understood,
                             hits=[hit(h, found.children.get(h.record_pk))
                                   for h in result.hits])


def record(detail: RecordDetail) -> schemas.RecordOut:
    """One record."""
    return schemas.RecordOut(
        id=detail.id, record_id=detail.record_id, line=detail.line, role=detail.role,
        given_name=detail.given_name, surname=detail.surname, patronymic=detail.patronymic,
        full_name=detail.full_name, sex=detail.sex, birth_date=_date(detail.birth),
        birth_place=detail.birth_place, last_known_place=detail.last_known_place,
        event_date=_date(detail.event), notes=detail.notes, source_text=detail.source_text,
        extra=detail.extra, raw=detail.raw, source=detail.source, issues=detail.issues,
        reporter=detail.reporter, contact_shown=detail.contact_shown,
        institution=detail.institution, moved_on=_date(detail.moved), group=detail.group,
        siblings_count=detail.siblings_count)


def job(state: JobState) -> schemas.JobOut:
    """An upload's import."""
    return schemas.JobOut.model_validate(state)


def _counts(items: list[tuple[str, int]] | list[tuple[str | None, int]]
            ) -> list[schemas.CountOut]:
    return [schemas.CountOut(label=label, count=count) for label, count in items]


def dashboard(view: Dashboard) -> schemas.DashboardOut:
    """The dashboard's counts."""
    return schemas.DashboardOut(
        records=view.records, sources=view.sources, by_role=_counts(view.by_role),
        by_kind=_counts(view.by_kind), by_region=_counts(view.by_region),
        by_month=_counts(view.by_month), imports_by_month=_counts(view.imports_by_month))


def case(found: Case) -> schemas.CaseOut:
    """A case (its sought record is ``sought_record`` on the wire)."""
    return schemas.CaseOut(id=found.id, sought_record=found.sought_record_pk,
                           status=found.status, version=found.version,
                           opened_at=found.opened_at, updated_at=found.updated_at,
                           owner_id=found.owner_id, owner_since=found.owner_since,
                           last_activity_at=found.last_activity_at)


def case_event(event: CaseEvent) -> schemas.CaseEventOut:
    """A step of a case's history (without its ids)."""
    return schemas.CaseEventOut.model_validate(event)


def step(rule: Transition) -> schemas.StepOut:
    """A step a case may take."""
    return schemas.StepOut(target=rule.target, evidence=sorted(rule.evidence),
                           needs_found_record=rule.needs_found_record, rule=rule.describe())


def child(found: ChildFile) -> schemas.ChildOut:
    """A child's records, conflicts and cases."""
    return schemas.ChildOut(
        record=found.record_pk, records=[record(r) for r in found.records],
        hidden=found.hidden, conflicts=list(found.conflicts),
        cases=[case(c) for c in found.cases],
        histories={k: [case_event(e) for e in v] for k, v in found.histories.items()})


def case_file(found: CaseView, steps: list[Transition]) -> schemas.CaseFileOut:
    """A case with history, records and the next steps."""
    return schemas.CaseFileOut(
        case=case(found.case), history=[case_event(e) for e in found.history],
        records=[record(r) for r in found.records], hidden=found.hidden,
        conflicts=list(found.child.conflicts), steps=[step(s) for s in steps])


def _pair_record(found: RecordView) -> schemas.PairRecordOut:
    return schemas.PairRecordOut(
        id=found.id, record_id=found.record_id, role=found.role, source=found.source_id,
        given_name=found.given_name, surname=found.surname, patronymic=found.patronymic,
        full_name=found.full_name, sex=found.sex, birth_date=_date(found.birth),
        birth_place=found.birth_place, last_known_place=found.last_known_place,
        event_date=_date(found.event))


def queue_item(item: QueueItem) -> schemas.QueueItemOut:
    """A pair waiting for a person."""
    return schemas.QueueItemOut(
        low=_pair_record(item.low), high=_pair_record(item.high),
        probability=item.pair.match_probability, match_weight=item.pair.match_weight,
        unsure=item.unsure, explanation=explanation(item.pair.explanation))


def identities(found: Identities) -> schemas.IdentitiesOut:
    """A child's possible identities, strongest first."""
    return schemas.IdentitiesOut(
        record=found.child.id, in_window=found.listed, considered=found.considered,
        cut=found.cut, model_version=found.model_version, candidates=[
            schemas.IdentityOut(record=_pair_record(c.record), probability=c.probability,
                                match_weight=c.weight,
                                explanation=explanation(c.explanation.as_dict()),
                                listed_for=[schemas.ListedFor(reason=r.code, words=r.words)
                                            for r in c.listed_for])
            for c in found.candidates])


def decision(found: Decision, cases_opened: int = 0) -> schemas.DecisionOut:
    """A decision in force."""
    return schemas.DecisionOut(id=found.id, low=found.record_low, high=found.record_high,
                               verdict=found.verdict, actor=found.actor,
                               decided_at=found.decided_at, note=found.note,
                               supersedes=found.supersedes_id, cases_opened=cases_opened)
