"""What the mediation pages and their JSON twins share: exports waiting to be downloaded
once, answer uploads checked and passed to the use case, and the API bodies whose shape
differs from the read model's (the others are the read models themselves).

An export's passphrase is shown once, in the answer that made the export; its encrypted
ZIP is kept in this process's memory (never on disk, never in the store) under a random
token for :data:`EXPORT_TTL`, for the person who made it only, and is given out once.
A second download, another person's, or a late one gets 404 — export again (a new
passphrase, a new file, both audited).
"""

from __future__ import annotations

import datetime as dt
import secrets
import threading
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
                raise NotFoundError(_DOWNLOAD_NOT_AVAILABLE_WAS())
            del self._items[token]
        return found


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
                               lambda: kept.take(view.username, list_id, token))
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
