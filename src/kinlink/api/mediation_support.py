"""What the mediation pages and their JSON twins share: exports waiting to be downloaded
once, answer uploads checked and passed to the use case, and the API bodies whose shape
differs from the read model's (the others are the read models themselves).

An export's passphrase is shown once, in the answer that made the export (never
stored); its encrypted ZIP is kept in the store (so that any worker process of the
server can give it out) under a random token, kept as its hash only, for
:data:`EXPORT_TTL`, for the person who made it only, and is given out once.
A second download, another person's, or a late one gets 404 — export again (a new
passphrase, a new file, both audited).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import Response

from kinlink.accounts import Clock, SessionView
from kinlink.api import mediation_schemas as ms
from kinlink.api.children import actor_of
from kinlink.api.context import Services
from kinlink.errors import NotFoundError
from kinlink.i18n import N_, Wording
from kinlink.listfiles.uploads import check_upload
from kinlink.mediation import AnswerSummary, ChannelTrack, ExportResult, ListView
from kinlink.storage import Session, Store
from kinlink.storage.accounts import as_utc, begin_write
from kinlink.storage.pending_exports import KeptExport, PendingExportRepository
from kinlink.usecases.answers import import_answers
from kinlink.usecases.lists import hand_over_export

_DOWNLOAD_NOT_AVAILABLE_WAS = Wording("api.mediation_support.download_not_available_was", N_(
    "this download is not available: it was already downloaded, has expired, or is not "
    "yours; export the list again"))

__all__ = ["EXPORT_TTL", "PendingExport", "PendingExports", "channel_track", "export_out",
           "import_upload", "list_out", "pending_exports", "zip_download"]

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
    """Exports kept in the store for one download each, for a few minutes: every process
    of a server with several workers gives out what any of them made, once
    (:mod:`kinlink.storage.pending_exports`)."""

    def __init__(self, store: Store, clock: Clock, ttl: dt.timedelta = EXPORT_TTL) -> None:
        self._store = store
        self._clock = clock
        self._ttl = ttl

    def keep(self, username: str, list_id: int, result: ExportResult) -> PendingExport:
        """Keep ``result``'s bytes for ``username``; the oldest go when there are many."""
        pending = PendingExport(secrets.token_urlsafe(32), list_id, username,
                                result.file_name, result.sha256, result.data,
                                self._clock() + self._ttl)
        with self._store.transaction() as session:
            begin_write(session)
            PendingExportRepository(session).keep(pending.token, KeptExport(
                list_id, username, pending.file_name, pending.sha256, pending.data,
                pending.expires_at), self._clock(), _MAX_PENDING)
        return pending

    def take(self, username: str, list_id: int, token: str
             ) -> Callable[[Session], PendingExport]:
        """How to take the export in a use case's transaction: given out once (then
        deleted); 404 when it is not there any more, or is another person's or another
        list's."""
        def taken(session: Session) -> PendingExport:
            found = PendingExportRepository(session).take(token, username, list_id,
                                                          self._clock())
            if found is None:
                raise NotFoundError(_DOWNLOAD_NOT_AVAILABLE_WAS())
            return PendingExport(token, found.list_id, found.username, found.file_name,
                                 found.sha256, found.data, as_utc(found.expires_at))
        return taken


def pending_exports(request: Request) -> PendingExports:
    """The app's pending exports (a FastAPI dependency)."""
    found = request.app.state.pending_exports
    assert isinstance(found, PendingExports)
    return found


def zip_download(svc: Services, view: SessionView, kept: PendingExports, list_id: int,
                 token: str) -> Response:
    """The encrypted ZIP of export ``token`` of the list, to save (never shown inline,
    never cached), if the list is the person's agency's and the export theirs; the
    download is audited with the file's hash."""
    pending = hand_over_export(svc.store, actor_of(view), list_id,
                               kept.take(view.username, list_id, token))
    return Response(pending.data, media_type="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{pending.file_name}"',
        "Cache-Control": "no-store"})


def import_upload(svc: Services, view: SessionView, list_id: int, name: str, data: bytes,
                  force: bool = False) -> AnswerSummary:
    """Check an uploaded answer file (name, size, kind) and import it under its safe
    name; the bytes are read in memory, never written to disk."""
    clean = check_upload(name, data, svc.settings.limits)
    return import_answers(svc.store, actor_of(view), list_id, clean, data, force=force)


# -- API bodies whose shape is not the read model's ------------------------------------------


def channel_track(track: ChannelTrack) -> ms.ChannelTrackOut:
    """A channel (with the totals of its lists), its lists and who waits longest."""
    return ms.ChannelTrackOut(channel=track.summary, lists=list(track.lists),
                              waiting=list(track.waiting))


def list_out(view: ListView) -> ms.ListOut:
    """A list as the channel receives it, with its channel's id and name."""
    row = view.list
    return ms.ListOut(
        id=row.id, number=row.number, status=row.status, version=row.version, note=row.note,
        channel_id=view.channel.id, channel=view.channel.name, created_by=row.created_by,
        created_at=row.created_at, sent_by=row.sent_by, sent_at=row.sent_at,
        fields=list(row.fields), columns=list(view.columns), exports=view.exports,
        children=[ms.ListChildOut.model_validate(c) for c in view.children])


def export_out(result: ExportResult, pending: PendingExport, download: str) -> ms.ExportOut:
    """An export made: the passphrase (this once) and where to download the ZIP."""
    return ms.ExportOut(file_name=result.file_name, passphrase=result.passphrase,
                        sha256=result.sha256, children=result.children,
                        contents=list(result.contents), download=download,
                        expires_at=pending.expires_at)
