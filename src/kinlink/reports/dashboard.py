"""The dashboard's counts: records by role, by kind of list, by region, over time.

Regions are oblasts, read from the birth place as written: a settlement the place
table knows (:func:`kinlink.names.places.place_key`, any language or era) gives its
oblast; otherwise an oblast named in the text itself (``…, Херсонська обл.``); otherwise
the record counts as *other or unknown*. Time is the month of the event date (when a
child was moved or found), where the list gives it to the month.

These counts are for signed-in staff of one agency, over the sources it sees; they are
not the public statistics (those need disclosure control, see security.md §5).
"""

from __future__ import annotations

import csv
import io
import threading
import time
from dataclasses import dataclass
from functools import cache
from importlib import resources

from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.domain.access import Principal
from kinlink.names import fold, latin_skeleton
from kinlink.names.places import place_key
from kinlink.storage import Session, Store, stats
from kinlink.storage.accounts import AccountRepository, begin_write

__all__ = ["Dashboard", "DashboardReport", "oblast_of"]


@dataclass(frozen=True)
class Dashboard:
    """Counts, each a list of (label, count) in display order."""

    records: int
    sources: int
    by_role: list[tuple[str, int]]
    by_kind: list[tuple[str, int]]
    by_region: list[tuple[str | None, int]]
    by_month: list[tuple[str, int]]
    imports_by_month: list[tuple[str, int]]


@cache
def _places() -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Place key → oblast, and (folded word of an oblast's name, oblast) pairs."""
    text = resources.files("kinlink.names").joinpath("data", "places.csv").read_text(
        encoding="utf-8")
    keys: dict[str, str] = {}
    words: dict[str, str] = {}
    for row in csv.DictReader(io.StringIO(text)):
        oblast = row["oblast_uk"]
        keys[latin_skeleton(row["latin"])] = oblast
        for name in (row["oblast_uk"], row["oblast_ru"]):
            word = fold(name.split()[0]) if name.split() else ""
            if len(word) > 4 and not name.startswith(("Автономна", "Автономная")):
                words[word] = oblast
    return keys, sorted(words.items())


def oblast_of(place: str | None) -> str | None:
    """The oblast of a birth place as written, or ``None`` when it cannot be told."""
    if not place:
        return None
    keys, words = _places()
    key = place_key(place)
    if key is not None and key in keys:
        return keys[key]
    folded = fold(place)
    return next((oblast for word, oblast in words if word in folded), None)


def _ranked(counts: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


class DashboardReport:
    """Counts over what the principal's agency sees (every view is audited).

    Counting a million records takes seconds, so the counts are kept for a few minutes
    per set of visible lists; a new import or a new share changes that set's key (the
    newest record id is part of it), so the dashboard never shows stale counts after one.
    """

    def __init__(self, store: Store, keep_seconds: float = 300.0) -> None:
        self._store = store
        self._keep = keep_seconds
        self._cache: dict[tuple[object, ...], tuple[float, Dashboard]] = {}
        self._lock = threading.Lock()

    def dashboard(self, principal: Principal) -> Dashboard:
        """Every count of the dashboard."""
        with self._store.transaction() as session:
            begin_write(session)
            visible = AccountRepository(session).visible_source_ids(principal.agency_id)
            key = (tuple(visible), stats.newest_record(session))
            with self._lock:
                cached = self._cache.get(key)
            if cached is not None and time.monotonic() - cached[0] < self._keep:
                found = cached[1]
            else:
                found = _count(session, visible)
                with self._lock:
                    self._cache = {k: v for k, v in self._cache.items()
                                   if time.monotonic() - v[0] < self._keep}
                    self._cache[key] = (time.monotonic(), found)
            append_event(session, AuditEvent(principal.actor, AuditAction.DASHBOARD_VIEW,
                                             "dashboard",
                                             None, {"sources": len(visible)}))
        return found


def _count(session: Session, visible: list[int]) -> Dashboard:
    roles = stats.by_role(session, visible)
    regions: dict[str | None, int] = {}
    for place, n in stats.by_birth_place(session, visible).items():
        oblast = oblast_of(place)
        regions[oblast] = regions.get(oblast, 0) + n
    known = _ranked({k: v for k, v in regions.items() if k is not None})
    by_region: list[tuple[str | None, int]] = [*known]
    if None in regions:
        by_region.append((None, regions[None]))
    imports: dict[str, int] = {}
    for when in stats.sources_imported(session, visible):
        label = f"{when:%Y-%m}"
        imports[label] = imports.get(label, 0) + 1
    months = stats.by_event_month(session, visible)
    return Dashboard(
        records=sum(roles.values()), sources=len(visible), by_role=_ranked(roles),
        by_kind=_ranked(stats.by_kind(session, visible)), by_region=by_region,
        by_month=[(f"{y:04d}-{m:02d}", n) for (y, m), n in sorted(months.items())][-36:],
        imports_by_month=sorted(imports.items())[-24:])
