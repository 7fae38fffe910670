"""Stopping an import cleanly, between two steps: a person's cancel, a time budget.

Work that runs long reports every step to a :data:`~kinlink.domain.progress.Progress`
callback (a chunk of rows written, a linking stage begun). :func:`stoppable` wraps that
callback so that each step first asks a :class:`Stop` whether to go on: once someone has
cancelled (the job page, the API, Ctrl+C at the command line) or the deadline has passed,
the step raises :class:`~kinlink.errors.ImportStoppedError` and the import ends the way a
refused one does — nothing of it is seen, its run says why. The flag is set from any
thread or a signal handler and read between steps, so a step never stops half-done.

Saving the candidate pairs of a linking run is not stopped midway (its chunks end with
the run that marks the records linked); it is short, and the stop takes effect at the
next stage.
"""

from __future__ import annotations

import threading
import time

from kinlink.domain.progress import Progress, Stage, StageProgress
from kinlink.errors import ImportStoppedError
from kinlink.i18n import N_, Wording

_CANCELLED = Wording("import.cancelled_by", N_("the import was cancelled by {by}"))
_CANCELLED_AT_KEYBOARD = Wording("import.cancelled_by_keyboard",
                                 N_("the import was cancelled by {by} (Ctrl+C)"))
_PAST_BUDGET = Wording("import.past_time_budget", N_(
    "the import ran longer than its time budget of {seconds} seconds "
    "(KINLINK_LIMITS__{setting}) and was stopped"))

__all__ = ["Stop", "stoppable"]


class Stop:
    """A request to stop at the next step: by a person, or when ``seconds`` have passed
    since it was made (``None``: no time budget)."""

    def __init__(self, seconds: float | None = None, budget_name: str = "import_seconds"
                 ) -> None:
        self._lock = threading.Lock()
        self._error: ImportStoppedError | None = None
        self._seconds = seconds
        self._budget_name = budget_name
        self._deadline = None if seconds is None else time.monotonic() + seconds

    def cancel(self, by: str, *, at_keyboard: bool = False) -> None:
        """Stop at the next step because ``by`` asked to (``at_keyboard``: by Ctrl+C,
        which the message says)."""
        said = _CANCELLED_AT_KEYBOARD if at_keyboard else _CANCELLED
        self.stop(ImportStoppedError(said(by=by), cancelled=True, by=by))

    def stop(self, error: ImportStoppedError) -> None:
        """Stop at the next step with ``error`` (the first reason given is kept)."""
        with self._lock:
            if self._error is None:
                self._error = error

    @property
    def requested(self) -> bool:
        """Whether a stop was asked for (the deadline aside)."""
        with self._lock:
            return self._error is not None

    def check(self) -> None:
        """Raise the stop's error if one was asked for or the deadline has passed."""
        with self._lock:
            error = self._error
        if error is not None:
            raise error
        if self._deadline is not None and time.monotonic() > self._deadline:
            raise ImportStoppedError(
                _PAST_BUDGET(seconds=f'{self._seconds:,.0f}', setting=self._budget_name.upper()),
                cancelled=False)


def stoppable(progress: Progress, stop: Stop | None) -> Progress:
    """``progress``, asking ``stop`` before every step whether to go on."""
    if stop is None:
        return progress

    def step(item: StageProgress) -> None:
        if not (item.stage is Stage.LINKING and item.total):  # pairs being saved: go on
            stop.check()
        progress(item)

    return step
