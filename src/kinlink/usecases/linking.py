"""Link the store: score what is new against everything there, then open the cases of
reported children that have none (``kinlink match``, and the end of every import).

Cases are opened after linking, never before: a child reported twice is joined into one
child by the automatic links first, so it gets one case, not two.

Scoring runs over the whole store (a child found by one agency must be linkable to its
report by another); what the pairs show is scoped where they are read (a pair is seen
only by an agency that sees both records). The cases opened afterwards are within the
actor's reach only (:mod:`kinlink.cases.opening`): an import by agency B never opens a
case for agency A's reported child.
"""

from __future__ import annotations

from dataclasses import dataclass

from kinlink.cases.opening import open_for_child
from kinlink.domain.access import Actor
from kinlink.domain.permissions import Action, require
from kinlink.domain.progress import Progress, Stage, StageProgress
from kinlink.linkage import Engine
from kinlink.matching import MatchResult, match_store
from kinlink.storage import Store
from kinlink.storage.accounts import begin_write
from kinlink.usecases.cases import open_missing_cases

__all__ = ["LinkOutcome", "link_store"]


@dataclass(frozen=True)
class LinkOutcome:
    """What linking found (new candidate pairs, automatic links, pairs for review) and
    how many cases it opened."""

    linked: MatchResult
    cases_opened: int


def link_store(store: Store, actor: Actor, *, retrain: bool = False,
               progress: Progress | None = None, record: int | None = None,
               engine: Engine | None = None) -> LinkOutcome:
    """Link the records not linked yet with everything in the store (everything again
    with ``retrain``), then open the missing cases; each stage reports to ``progress``.

    With ``record`` (one registered by hand), link that record through the store's
    blocking keys and open the case of its child only (:func:`open_for_child`): a
    fraction of a second instead of a run over the store. A store whose keys were never
    written is linked as a whole, as without ``record``.

    The pairs are kept in short transactions (:mod:`kinlink.matching.store`) and each
    case is opened with its audit event; nothing here holds the store for long.
    ``engine`` scores the pairs (Splink on DuckDB with the store's memory setting when
    none is given; ``kinlink match --engine spark`` gives Spark).
    """
    require(actor, Action.IMPORTS_CREATE)
    tell = progress or _silent
    tell(StageProgress(Stage.LINKING, message="Linking with the store"))
    linked = match_store(store, actor=actor.name, retrain=retrain, progress=tell,
                         records=None if record is None else {record},
                         whole_if_unkeyed=True, engine=engine)
    tell(StageProgress(Stage.OPENING_CASES, message="Opening the cases of reported children"))
    if record is not None and linked.by_key:
        with store.transaction() as session:
            begin_write(session)
            opened = open_for_child(session, actor, record)
    else:
        opened = open_missing_cases(store, actor)
    tell(StageProgress(Stage.OPENING_CASES, opened, opened))
    return LinkOutcome(linked, opened)


def _silent(_step: StageProgress) -> None:
    """No one is watching."""
