"""How long work tells where it stands: one stage at a time, with a count or a message.

Importing a list is three stages — reading it into the store, linking its records with
everything there, opening the cases of the children it reports — and each door shows
them its own way (a Rich bar per stage at the command line, a page that refreshes itself
on the web, a job's JSON). They all receive the same :class:`StageProgress` through one
callback type, :data:`Progress`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["Progress", "Stage", "StageProgress"]


class Stage(StrEnum):
    """A stage of importing a list, in the order they run."""

    READING = "reading"
    LINKING = "linking"
    OPENING_CASES = "opening_cases"


@dataclass(frozen=True)
class StageProgress:
    """Where a stage stands: ``done`` of ``total`` (``total`` 0: not known yet) and,
    when there is one, what it is doing now in words (English, for the command line;
    no personal data)."""

    stage: Stage
    done: int = 0
    total: int = 0
    message: str | None = None


Progress = Callable[[StageProgress], None]
"""Called with every step of every stage."""
