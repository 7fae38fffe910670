"""Import a list: read it into the store, link it with everything there, open the cases
of the children it reports. One user action, whichever door it comes through — ``kinlink
import``, ``kinlink demo run``, ``POST /api/v1/imports`` or the Imports page (through the
background job of :mod:`kinlink.usecases.jobs`) — so a list uploaded on the web is linked
and its reported children get their cases exactly as at the command line.

No stage holds the store: the import writes in short chunks and is seen only when its
last transaction ends (:mod:`kinlink.ingest.service`), linking keeps its pairs in short
transactions too, and each case opens in its own.

Every step asks ``stop`` (:mod:`kinlink.domain.stopping`) whether to go on: a cancel or a
time budget stops the import between two chunks (nothing of it is seen), or linking
between two stages (the list stays imported; the next linking takes it up).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from kinlink.domain.access import Actor
from kinlink.domain.limits import ImportLimits
from kinlink.domain.permissions import Action, require
from kinlink.domain.progress import Progress, Stage, StageProgress
from kinlink.domain.stopping import Stop, stoppable
from kinlink.errors import ImportStoppedError
from kinlink.ingest import ImportRequest, ImportResult, import_file
from kinlink.ingest.service import note_linking_stopped
from kinlink.matching import MatchResult
from kinlink.storage import Store
from kinlink.usecases.linking import link_store

__all__ = ["ImportOutcome", "import_list"]


@dataclass(frozen=True)
class ImportOutcome:
    """The import's result, what linking found (``None``: not linked) and the cases
    opened."""

    imported: ImportResult
    linked: MatchResult | None = None
    cases_opened: int = 0

    @property
    def pairs(self) -> int:
        """New candidate pairs."""
        return self.linked.pairs if self.linked else 0

    @property
    def matches(self) -> int:
        """Pairs linked automatically (decision ``match``)."""
        return self.linked.matches if self.linked else 0

    @property
    def reviews(self) -> int:
        """Pairs a person must decide (decision ``review``)."""
        return self.linked.reviews if self.linked else 0

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready summary: the import's, then linking's counts (no personal data)."""
        summary = self.imported.as_dict()
        summary.update(linked=self.linked is not None, pairs=self.pairs,
                       matches=self.matches, reviews=self.reviews,
                       cases_opened=self.cases_opened,
                       linking=self.linked.as_dict() if self.linked else None)
        return summary


def import_list(store: Store, actor: Actor, request: ImportRequest, *, link: bool = True,
                progress: Progress | None = None, stop: Stop | None = None,
                limits: ImportLimits | None = None) -> ImportOutcome:
    """Import ``request.path`` as ``actor`` (for their agency), then — with ``link`` —
    link it with the store and open the cases of the children it reports.

    Each stage (reading, linking, opening cases) reports to ``progress``. A refused file
    raises (:class:`~kinlink.errors.FileRefusedError`, ``DuplicateFileError``) before
    anything is seen; an error while linking leaves the list imported and unlinked, and
    the next import or ``kinlink match`` links it. The file is read within ``limits``;
    a ``stop`` asked for raises :class:`~kinlink.errors.ImportStoppedError` at the next
    step.
    """
    require(actor, Action.IMPORTS_CREATE)
    request = dataclasses.replace(request, imported_by=actor.name, agency_id=actor.agency_id)
    tell = stoppable(progress or _silent, stop)

    def rows(done: int, estimate: int) -> None:
        tell(StageProgress(Stage.READING, done, max(done, estimate)))

    tell(StageProgress(Stage.READING, message=f"Importing {request.path.name}"))
    imported = import_file(store, request, progress=rows, limits=limits)
    (progress or _silent)(StageProgress(Stage.READING, imported.counts.rows,
                                        imported.counts.rows))
    if not link or not imported.counts.imported:
        return ImportOutcome(imported)
    try:
        outcome = link_store(store, actor, progress=tell)
    except ImportStoppedError as exc:
        note_linking_stopped(store, actor.name, imported.source_id, exc)
        raise
    return ImportOutcome(imported, outcome.linked, outcome.cases_opened)


def _silent(_step: StageProgress) -> None:
    """No one is watching."""
