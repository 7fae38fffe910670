"""The encoding's parameters: what both parties must agree on, written in every file's
header (never the key), and compared before two files are linked."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["BLOCKING_RULES", "FIELD3_HASHES", "FIELDS2_BLOCKING", "FIELD_HASHES",
           "FORMAT_VERSION", "HASHES", "LAYOUTS", "PLAIN_BLOCKING", "READABLE_VERSIONS",
           "SALTED", "SALT_MODES", "SEGMENTS", "SEGMENTS3", "Parameters", "segment_of"]

FORMAT_VERSION = 3
"""Version of the file format and of the token rules (2: the ``layout`` parameter and
per-field segments; 3: the ``fields3`` layout, the birth date split into a segment with
its year and one without, and two more blocking rules); files of versions not in
:data:`READABLE_VERSIONS` are refused."""
READABLE_VERSIONS = (1, 2, 3)
"""Versions read: a version-1 file is the ``record`` layout, a version-2 file says its
layout (``fields`` or ``record``) and is linked as that layout was."""

HASHES: dict[str, int] = {
    "given": 12, "given_block": 6, "surname": 10, "surname_loose": 6, "father": 6,
    "sex": 2, "year": 3, "month": 3, "date": 6, "swap": 3, "window": 2, "place": 5,
    "last_place": 3, "institution": 6, "moved": 4,
}
"""Bit positions each kind of token sets (its weight in the Dice similarity)."""

FIELD_HASHES: dict[str, int] = {
    "given": 12, "given_block": 8, "surname": 12, "surname_loose": 8, "father": 10,
    "sex": 8, "year": 4, "year_window": 4, "month": 10, "date": 8, "day_month": 16,
    "swap": 4, "window": 3, "place": 8, "last_place": 6, "institution": 8, "moved": 4,
}
"""Bit positions per token kind in the ``fields`` layout: each field's segment is compared
on its own, so a present field must set enough bits to stand out of the flips' noise
(a year alone sets 12 of its segment's 128 positions: 4 for the year, 4 for each of
its two-year windows, so a year off by one agrees on a third of them; the day and month
without the year set 16 of the 44 bits of a full date, so a child whose year was written
wrong still agrees on a good part of its date). Tokens that are no name set fewer
bits than a name token: a frequent one (a sex, a large town) must not look like a name
to a pattern miner that reads the header's counts."""

FIELD3_HASHES: dict[str, int] = FIELD_HASHES | {"year_window": 12, "day_month": 12,
                                                "day_pair": 10, "doy_window": 8}
"""Bit positions per token kind in the ``fields3`` layout: as :data:`FIELD_HASHES`, with
the birth date's tokens without a year (day and month, the unordered pair of the two
numbers, 30-day windows of the day of the year) in a segment of their own, and the
birth year's two-year windows weighing more (a year one off shares one of them: what
tells it from a year further off)."""

LAYOUTS = ("record", "fields", "fields3")
"""``record``: every token in one filter, compared by one similarity (version 1);
``fields``: each field group in its own segment of the filter, compared segment by
segment and read by a per-field model (a field one record lacks is no evidence;
version 2); ``fields3``: the same with the birth date split in two segments, one with
the year and one without (:data:`SEGMENTS3`, version 3)."""

SEGMENTS: tuple[tuple[str, int], ...] = (
    ("given_y", 2), ("surname_y", 2), ("names", 5), ("father", 1), ("year", 1),
    ("day", 3), ("place", 1), ("other", 1),
)
"""The ``fields`` layout's segments and their widths in sixteenths of the stored filter:
the given name salted with the birth-year windows, the surname salted with them, both
names salted with each other (the one name evidence a record without a birth year
keeps; a patronymic too, salted with the surname), the patronymic salted with the
birth-year windows, the birth year (with two-year windows, so a year off by one still
agrees in part), the rest of the birth date (year and month, the date, its 60-day
windows, and the day and month without the year: a namesake born the same year
disagrees here, a child whose year was written wrong agrees in part), the places, and
sex with the institution and move."""

SEGMENTS3: tuple[tuple[str, int], ...] = (
    ("given_y", 2), ("surname_y", 2), ("names", 4), ("father", 1), ("year", 3),
    ("day", 2), ("place", 1), ("other", 1),
)
"""The ``fields3`` layout's segments: as :data:`SEGMENTS`, but ``year`` holds every
birth-date token that carries the year (the year and its two-year windows, year and
month, the date, its 60-day windows) and ``day`` only those without it (day and month,
the pair of the two numbers in either order, 30-day windows of the day of the year). A
child whose year was written one off then agrees in full on ``day`` — which a namesake
born in another year almost never does — and a date known to the month or year only
agrees in full with the dates it is part of (read as containment, not Dice)."""

_DAY3 = frozenset({"day_month", "day_pair", "doy_window"})
"""Token kinds of the ``fields3`` layout's ``day`` segment."""


def segment_of(kind: str, salt: str | None, layout: str = "fields") -> str:
    """The segment a token of ``kind`` goes to, by its salt (``y…``: a year window,
    ``n…``: the other name) and the layout (``fields3``: the date split in two)."""
    if layout == "fields3" and kind in ("month", "date", "swap", "window"):
        return "year"
    if layout == "fields3" and kind in _DAY3:
        return "day"
    if kind in ("given", "given_block"):
        return "given_y" if salt is not None and salt.startswith("y") else "names"
    if kind in ("surname", "surname_loose"):
        return "surname_y" if salt is not None and salt.startswith("y") else "names"
    if kind == "father":
        return "father" if salt is not None and salt.startswith("y") else "names"
    if kind in ("year", "year_window"):
        return "year"
    if kind in ("month", "date", "day_month", "swap", "window", "day_pair", "doy_window"):
        return "day"
    if kind in ("place", "last_place"):
        return "place"
    return "other"


SALTED = frozenset({"given", "given_block", "surname", "surname_loose", "father"})
"""Token kinds salted (``salt``)."""

SALT_MODES = ("none", "year", "names", "names+year")
"""How name tokens are salted: not; with two overlapping birth-year windows; with the
other name's key (a given name with the surname, a surname with the given name); or
with both (each name token set once per salt)."""

FIELDS2_BLOCKING: tuple[str, ...] = (
    "given+surname", "surname+year", "given+date", "given+month+sex", "date+place",
    "institution+moved",
)
"""Compound blocking rules of format version 2 (each key mixes a name with another
field, so a key's frequency is not a name's frequency)."""

BLOCKING_RULES: tuple[str, ...] = (*FIELDS2_BLOCKING, "given+year+place", "given+day_month")
"""The default compound blocking rules (version 3): version 2's, and two that a pair with
another surname spelling keeps — the given name with the birth year and place, and the
given name with the day and month of birth (which also survives a year written wrong)."""

PLAIN_BLOCKING: tuple[str, ...] = ("given", "surname", "date")
"""Single-field blocking rules: only for measuring what the compound rules protect."""


def _salt_mode(value: object) -> str:
    """A header's salting mode; files of the first release wrote a boolean (on: the
    birth-year windows)."""
    if isinstance(value, bool):
        return "year" if value else "none"
    return str(value)


@dataclass(frozen=True)
class Parameters:
    """How records are encoded.

    ``bits``: length of a filter before folding; ``hashes``: positions per token kind;
    ``fold``: XOR the two halves into one (a position then says whether an odd number
    of tokens set its pair, which hides single tokens' bit patterns); ``flip``: the
    probability each bit is flipped at random after encoding (BLIP, randomised
    response); ``blocking``: the rules whose keyed keys the file carries; ``salt``: how
    the name tokens are keyed besides (:data:`SALT_MODES`: with windows of the record's
    birth year, two overlapping two-year windows so years one apart share one; with the
    other name's key; both; or not), so one name sets other bits in each window or with
    each other name and no bit pattern is as frequent as the name (:data:`SALTED`);
    ``layout``: :data:`LAYOUTS` — the default ``fields3`` (each field group in its own
    segment, :data:`SEGMENTS3`, read field by field, the birth date with and without its
    year), version 2's ``fields`` (:data:`SEGMENTS`, :meth:`fields2`) or the first
    release's ``record`` (:meth:`record`).
    """

    bits: int = 2048
    hashes: dict[str, int] = field(default_factory=lambda: dict(FIELD3_HASHES))
    fold: bool = True
    flip: float = 0.02
    blocking: tuple[str, ...] = BLOCKING_RULES
    salt: str = "names+year"
    layout: str = "fields3"

    def __post_init__(self) -> None:
        if self.bits % 128 or not 128 <= self.bits <= 8192:
            raise ValueError("bits must be a multiple of 128 from 128 to 8192")
        if not 0.0 <= self.flip < 0.5:
            raise ValueError("flip must be from 0 to 0.5")
        if not set(self.hashes) <= set(HASHES) | set(FIELD3_HASHES) or any(
                not 0 <= k <= 64 for k in self.hashes.values()):
            raise ValueError("unknown token kind or hash count")
        if self.salt not in SALT_MODES:
            raise ValueError("unknown salting mode")
        if not set(self.blocking) <= set(BLOCKING_RULES) | set(PLAIN_BLOCKING):
            raise ValueError("unknown blocking rule")
        if self.layout not in LAYOUTS:
            raise ValueError("unknown layout")
        if self.layout != "record" and self.width % 1024:
            raise ValueError("the fields layout needs a stored filter of a multiple of 1024 bits")

    @classmethod
    def record(cls, **changes: Any) -> Parameters:
        """The first release's encoding (version 1's defaults): one 1024-bit filter
        folded to 512, name tokens salted with the birth-year windows."""
        chosen: dict[str, Any] = {"bits": 1024, "hashes": dict(HASHES), "salt": "year",
                                  "layout": "record"}
        return cls(**(chosen | changes))

    @classmethod
    def fields2(cls, **changes: Any) -> Parameters:
        """Version 2's default encoding (layout ``fields``, its six blocking rules)."""
        chosen: dict[str, Any] = {"hashes": dict(FIELD_HASHES), "layout": "fields",
                                  "blocking": FIELDS2_BLOCKING}
        return cls(**(chosen | changes))

    def segments(self) -> dict[str, tuple[int, int]]:
        """``fields``/``fields3`` layout: each segment's first bit and width in the stored
        filter."""
        unit, at, out = self.width // 16, 0, {}
        for name, size in SEGMENTS3 if self.layout == "fields3" else SEGMENTS:
            out[name] = (at * unit, size * unit)
            at += size
        return out

    @property
    def width(self) -> int:
        """Bits of a stored encoding (after folding)."""
        return self.bits // 2 if self.fold else self.bits

    def as_dict(self) -> dict[str, Any]:
        """The parameters as the header writes them."""
        data = asdict(self)
        data["blocking"] = list(self.blocking)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Parameters:
        """Parameters read back from a header (``ValueError``/``KeyError`` if invalid)."""
        return cls(bits=int(data["bits"]), hashes={str(k): int(v) for k, v in
                                                  dict(data["hashes"]).items()},
                   fold=bool(data["fold"]), flip=float(data["flip"]),
                   blocking=tuple(str(r) for r in data["blocking"]),
                   salt=_salt_mode(data["salt"]), layout=str(data.get("layout", "record")))
