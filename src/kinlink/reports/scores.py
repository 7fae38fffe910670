"""Do the model's probabilities hold on this store? Its scores against people's decisions.

The benchmark measures calibration on generated lists with a known truth; in use, the
truth is what case workers decide. For each band of match probability this report counts
the candidate pairs and how people decided them: the share decided *the same child*
should lie within the band. Automatic links (``match``) that people reversed are counted
apart: each is a link the model made on its own that was wrong — the figure a court
asks for first. Every share comes with a 95% Wilson interval, so that ten decisions are
not read as a thousand. Counts only: no record is read.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import asdict, dataclass
from typing import Any

from kinlink.storage import Store
from kinlink.storage.review import verdicts_by_band

__all__ = ["EDGES", "BandCheck", "ScoreCheck", "Share", "check_scores", "wilson"]

EDGES = (0.0, 0.2, 0.5, 0.8, 0.95, 0.99, 0.999)
"""Lower edges of the probability bands; the last band runs to 1."""

_Z95 = 1.959964


@dataclass(frozen=True)
class Share:
    """An observed share with its 95% Wilson score interval."""

    value: float
    low: float
    high: float

    def words(self) -> str:
        """``0.83 (0.61–0.94)``."""
        return f"{self.value:.2f} ({self.low:.2f}–{self.high:.2f})"


def wilson(successes: int, total: int) -> Share | None:
    """The share ``successes / total`` with its 95% Wilson interval (``None`` if no
    trials): unlike the plain normal interval it stays within 0..1 and is honest about
    small counts."""
    if total <= 0:
        return None
    p = successes / total
    z2 = _Z95 * _Z95
    centre = (p + z2 / (2 * total)) / (1 + z2 / total)
    half = (_Z95 / (1 + z2 / total)) * math.sqrt(p * (1 - p) / total + z2 / (4 * total ** 2))
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == total else min(1.0, centre + half)
    return Share(p, low, high)


@dataclass(frozen=True)
class BandCheck:
    """One band of match probability: its pairs and how people decided them."""

    low: float
    high: float
    pairs: int
    same: int
    different: int
    unsure: int

    @property
    def decided(self) -> int:
        """Pairs decided same or different (unsure is not a decision about the truth)."""
        return self.same + self.different

    @property
    def undecided(self) -> int:
        """Pairs nobody has decided, or only marked unsure."""
        return self.pairs - self.decided

    @property
    def share_same(self) -> Share | None:
        """Share of decided pairs decided *the same child*."""
        return wilson(self.same, self.decided)

    @property
    def consistent(self) -> bool | None:
        """Whether the observed share's interval meets the band (``None`` undecided)."""
        share = self.share_same
        if share is None:
            return None
        return share.high >= self.low and share.low <= self.high


@dataclass(frozen=True)
class ScoreCheck:
    """The store's candidate pairs by band, and what happened to automatic links."""

    bands: tuple[BandCheck, ...]
    automatic: int
    automatic_confirmed: int
    automatic_reversed: int

    @property
    def reversed_share(self) -> Share | None:
        """Share of decided automatic links that people reversed."""
        return wilson(self.automatic_reversed,
                      self.automatic_confirmed + self.automatic_reversed)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form with the derived shares and intervals."""
        bands = []
        for band in self.bands:
            share = band.share_same
            bands.append(asdict(band) | {
                "decided": band.decided, "undecided": band.undecided,
                "share_same": asdict(share) if share else None,
                "consistent": band.consistent})
        reversed_share = self.reversed_share
        return {"bands": bands, "automatic": self.automatic,
                "automatic_confirmed": self.automatic_confirmed,
                "automatic_reversed": self.automatic_reversed,
                "reversed_share": asdict(reversed_share) if reversed_share else None}


def check_scores(store: Store) -> ScoreCheck:
    """Count the store's candidate pairs by band and verdict in force."""
    with store.transaction() as session:
        counts = verdicts_by_band(session, EDGES)
    tally: dict[tuple[int, str], int] = {}
    automatic = {"same": 0, "different": 0, "all": 0}
    for row in counts:
        index = max(row.band, 0)
        tally[(index, row.verdict)] = tally.get((index, row.verdict), 0) + row.pairs
        tally[(index, "all")] = tally.get((index, "all"), 0) + row.pairs
        if row.decision == "match":
            automatic["all"] += row.pairs
            if row.verdict in automatic:
                automatic[row.verdict] += row.pairs
    bands = tuple(
        BandCheck(low, high, tally.get((i, "all"), 0), tally.get((i, "same"), 0),
                  tally.get((i, "different"), 0), tally.get((i, "unsure"), 0))
        for i, (low, high) in enumerate(itertools.pairwise((*EDGES, 1.0))))
    return ScoreCheck(bands, automatic["all"], automatic["same"], automatic["different"])
