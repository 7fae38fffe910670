"""Generated case facts for the statistics tests and ``benchmarks/disclosure.py``: skewed
on purpose (a few oblasts hold most cases, most categories are small), so the tables
have many cells under 10 next to large ones."""

from __future__ import annotations

import datetime as dt
import random

from kinlink.statistics.facts import MILESTONES, OBLASTS, RETURN_CHANNELS, CaseFact

AS_OF = dt.date(2025, 6, 30)
PREVIOUS_AS_OF = dt.date(2025, 3, 31)

_HEAVY = ("UA-65", "UA-14", "UA-09", "UA-23", "UA-63")
_STEP = {"located": 0.55, "identity_verified": 0.7, "return_requested": 0.6,
         "returned": 0.5, "reunited": 0.8}
_CHANNELS = [c for c in RETURN_CHANNELS if c != "unknown"]


def facts(n: int, seed: int = 18, *, as_of: dt.date = AS_OF) -> list[CaseFact]:
    """``n`` case facts with milestones up to ``as_of``, skewed like the real picture:
    most children from the occupied south and east, some from everywhere else, some
    oblasts and channels with a handful of cases, some categories unknown."""
    rng = random.Random(seed)
    oblasts = list(OBLASTS)
    weights = [40.0 if o in _HEAVY else rng.choice((0.05, 0.2, 0.5, 1.0)) for o in oblasts]
    start = dt.date(2014, 3, 1)
    out = []
    for _ in range(n):
        if rng.random() < 0.7:
            reported = dt.date(2022, 2, 24) + dt.timedelta(days=int(rng.expovariate(1 / 300)))
        else:
            reported = start + dt.timedelta(days=rng.randrange((as_of - start).days))
        reported = min(reported, as_of)
        dates = {"reported": reported}
        day = reported
        for milestone in MILESTONES[1:]:
            if rng.random() >= _STEP[milestone]:
                break
            day = day + dt.timedelta(days=int(rng.expovariate(1 / 120)))
            if day > as_of + dt.timedelta(days=60):
                break
            dates[milestone] = day
        roll = rng.random()
        oblast: str | None
        if roll < 0.05:
            oblast = None
        else:
            code = rng.choices(oblasts, weights)[0]
            oblast = OBLASTS[code][0] if roll < 0.5 else code
        out.append(CaseFact(
            milestones=dates,
            oblast=oblast,
            age_band=rng.choices(("0-4", "5-9", "10-13", "14-17", "adult_now", "unknown"),
                                 (20, 30, 30, 25, 3, 1))[0],
            sex=rng.choices(("female", "male", None), (48, 50, 2))[0],
            return_channel=(rng.choices(_CHANNELS, (30, 10, 3, 25, 20, 1))[0]
                            if "returned" in dates and rng.random() < 0.95 else None),
        ))
    return out
