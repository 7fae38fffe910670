"""What the mediation pages and their JSON twins share: exports waiting to be downloaded
once, answer uploads passed to the service as a file, and service results as API bodies.

An export's passphrase is shown once, in the answer that made the export; its encrypted
ZIP is kept in this process's memory (never on disk, never in the store) under a random
token for :data:`EXPORT_TTL`, for the person who made it only, and is given out once.
A second download, another person's, or a late one gets 404 — export again (a new
passphrase, a new file, both audited).
"""

from __future__ import annotations

import datetime as dt
import secrets
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from fastapi import Request
from fastapi.responses import Response

from kinlink.accounts import Clock, SessionView
from kinlink.api import mediation_schemas as ms
from kinlink.api.children import actor_of
from kinlink.api.context import Services
from kinlink.audit import AuditAction
from kinlink.errors import NotFoundError
from kinlink.listfiles.uploads import check_upload
from kinlink.mediation.service import (
    AnswerLine,
    AnswerOutcome,
    AnswerSummary,
    Candidate,
    ChannelTrack,
    ExportResult,
    ListView,
    Reconciliation,
    import_answers,
)
from kinlink.storage.accounts import as_utc

__all__ = ["EXPORT_TTL", "PendingExport", "PendingExports", "answer_line", "candidate",
           "channel_summary", "channel_track", "export_out", "import_upload", "list_out",
           "outcome", "pending_exports", "reconciliation_out", "summary_out", "zip_download"]

EXPORT_TTL = dt.timedelta(minutes=10)
_MAX_PENDING = 50


@dataclass(frozen=True)
class PendingExport:
    """An encrypted export waiting for its one download."""

    token: str
    list_id: int
    username: str
    file_name: str
    sha256: str
    data: bytes
    expires_at: dt.datetime


class PendingExports:
    """Exports kept in memory for one download each, for a few minutes."""

    def __init__(self, clock: Clock, ttl: dt.timedelta = EXPORT_TTL) -> None:
        self._clock = clock
        self._ttl = ttl
        self._items: dict[str, PendingExport] = {}
        self._lock = threading.Lock()

    def _expire(self) -> None:
        moment = self._clock()
        for token in [t for t, p in self._items.items() if p.expires_at <= moment]:
            del self._items[token]

    def keep(self, username: str, list_id: int, result: ExportResult) -> PendingExport:
        """Keep ``result``'s bytes for ``username``; the oldest go when there are many."""
        pending = PendingExport(secrets.token_urlsafe(32), list_id, username,
                                result.file_name, result.sha256, result.data,
                                self._clock() + self._ttl)
        with self._lock:
            self._expire()
            while len(self._items) >= _MAX_PENDING:
                del self._items[min(self._items, key=lambda t: self._items[t].expires_at)]
            self._items[pending.token] = pending
        return pending

    def take(self, username: str, list_id: int, token: str) -> PendingExport:
        """The export, given out once (then forgotten); 404 when it is not there any more,
        or is another person's or another list's."""
        with self._lock:
            self._expire()
            found = self._items.get(token)
            if found is None or found.username != username or found.list_id != list_id \
                    or not secrets.compare_digest(found.token, token):
                raise NotFoundError("this download is not available: it was already "
                                    "downloaded, has expired, or is not yours; export the "
                                    "list again")
            del self._items[token]
        return found


def pending_exports(request: Request) -> PendingExports:
    """The app's pending exports (a FastAPI dependency)."""
    found = request.app.state.pending_exports
    assert isinstance(found, PendingExports)
    return found


def zip_download(svc: Services, view: SessionView, pending: PendingExport) -> Response:
    """The encrypted ZIP to save (never shown inline, never cached); the download is
    audited with the file's hash."""
    svc.audit(view.username, AuditAction.LIST_EXPORT_DOWNLOADED,
              "mediation_list", str(pending.list_id),
              {"sha256": pending.sha256})
    return Response(pending.data, media_type="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{pending.file_name}"',
        "Cache-Control": "no-store"})


def import_upload(svc: Services, view: SessionView, list_id: int, name: str, data: bytes,
                  force: bool = False) -> tuple[AnswerSummary, str]:
    """Pass an uploaded answer file to the service as a file under the data directory
    with the upload's (safe) name, deleted afterwards. Returns the summary and the name."""
    clean = check_upload(name, data)
    base = svc.settings.data_dir / "answers"
    base.mkdir(parents=True, exist_ok=True, mode=0o700)
    with tempfile.TemporaryDirectory(prefix="upload-", dir=base) as folder:
        path = Path(folder) / clean
        path.write_bytes(data)
        path.chmod(0o600)
        summary = import_answers(svc.store, actor_of(view), list_id, path, force=force)
    return summary, clean


# -- results as API bodies ------------------------------------------------------------------


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    """A stored moment as an aware UTC datetime (SQLite gives them back naive)."""
    return None if value is None else as_utc(value)


def channel_summary(track: ChannelTrack) -> ms.ChannelOut:
    """A channel with the totals of its lists."""
    c = track.channel
    return ms.ChannelOut(
        id=c.id, name=c.name, kind=c.kind, fields=list(c.fields), description=c.description,
        active=c.active, created_by=c.created_by, created_at=as_utc(c.created_at),
        lists=len(track.lists),
        children_sent=sum(x.children for x in track.lists if x.sent_at is not None),
        answered=sum(x.answered for x in track.lists), waiting=len(track.waiting),
        longest_wait_days=track.waiting[0].days if track.waiting else None)


def channel_track(track: ChannelTrack) -> ms.ChannelTrackOut:
    """A channel's lists and who waits longest."""
    return ms.ChannelTrackOut(
        channel=channel_summary(track),
        lists=[ms.ListTrackOut(id=x.list_id, number=x.number, status=x.status,
                               created_at=as_utc(x.created_at), sent_at=_utc(x.sent_at),
                               sent_by=x.sent_by,
                               children=x.children, answered=x.answered,
                               answer_files=x.answer_files, exports=x.exports)
               for x in track.lists],
        waiting=[ms.WaitingOut(reference=w.reference, case_id=w.case_id,
                               list_number=w.list_number, sent_at=as_utc(w.sent_at),
                               days=w.days)
                 for w in track.waiting])


def list_out(view: ListView) -> ms.ListOut:
    """A list as the channel receives it."""
    row = view.list
    return ms.ListOut(
        id=row.id, number=view.number, status=row.status, version=row.version, note=row.note,
        channel_id=view.channel.id, channel=view.channel.name, created_by=row.created_by,
        created_at=as_utc(row.created_at), sent_by=row.sent_by, sent_at=_utc(row.sent_at),
        fields=list(row.fields), columns=[f.value for f in view.fields], exports=view.exports,
        children=[ms.ListChildOut(reference=child.reference, case_id=child.case_id,
                                  values={k.value: v for k, v in values.items()})
                  for child, values in view.rows])


def candidate(item: Candidate) -> ms.CandidateOut:
    """A case that may go on a list."""
    return ms.CandidateOut(case_id=item.case_id, status=item.status.value, name=item.name,
                           birth_date=item.birth, birth_place=item.birth_place,
                           on_lists=list(item.on_lists))


def export_out(result: ExportResult, pending: PendingExport, download: str) -> ms.ExportOut:
    """An export made: the passphrase (this once) and where to download the ZIP."""
    return ms.ExportOut(file_name=result.file_name, passphrase=result.passphrase,
                        sha256=result.sha256, children=result.children,
                        contents=list(result.contents), download=download,
                        expires_at=pending.expires_at)


def summary_out(summary: AnswerSummary, file_name: str) -> ms.AnswerSummaryOut:
    """An answer file imported."""
    return ms.AnswerSummaryOut(import_id=summary.import_id, list_number=summary.list_number,
                               file_name=file_name, rows=summary.rows,
                               counts=dict(summary.counts), issues=list(summary.issues),
                               missing=list(summary.missing))


def answer_line(line: AnswerLine) -> ms.AnswerLineOut:
    """One answer row."""
    return ms.AnswerLineOut(
        id=line.id, import_id=line.import_id, line=line.line, outcome=line.outcome,
        how=line.how, probability=line.probability, sure=line.sure, status=line.status,
        status_text=line.status_text, values={k: str(v) for k, v in line.values.items()},
        problem=line.problem, state=line.state, state_note=line.state_note,
        reference=line.reference, case_id=line.case_id)


def reconciliation_out(rec: Reconciliation) -> ms.ReconciliationOut:
    """A sent list against its answers, in the four sections of the page."""
    return ms.ReconciliationOut(
        list_number=rec.list_number, channel=rec.channel, children=rec.children,
        matched=[answer_line(a) for a in rec.of("matched")],
        contradictions=[answer_line(a) for a in rec.of("contradiction")],
        unknown=[answer_line(a) for a in rec.of("unknown")],
        missing=[ms.MissingOut(reference=r, case_id=c) for r, c in rec.missing])


def outcome(item: AnswerOutcome) -> ms.OutcomeOut:
    """What applying one answer did."""
    return ms.OutcomeOut(answer_id=item.answer_id, line=item.line, reference=item.reference,
                         case_id=item.case_id, result=item.result, words=item.words)
