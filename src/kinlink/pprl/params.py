"""The encoding's parameters: what both parties must agree on, written in every file's
header (never the key), and compared before two files are linked."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["BLOCKING_RULES", "FORMAT_VERSION", "HASHES", "PLAIN_BLOCKING", "SALTED", "SALT_MODES",
           "Parameters"]

FORMAT_VERSION = 1
"""Version of the file format and of the token rules; files of other versions are refused."""

HASHES: dict[str, int] = {
    "given": 12, "given_block": 6, "surname": 10, "surname_loose": 6, "father": 6,
    "sex": 2, "year": 3, "month": 3, "date": 6, "swap": 3, "window": 2, "place": 5,
    "last_place": 3, "institution": 6, "moved": 4,
}
"""Bit positions each kind of token sets (its weight in the Dice similarity)."""

SALTED = frozenset({"given", "given_block", "surname", "surname_loose", "father"})
"""Token kinds salted (``salt``)."""

SALT_MODES = ("none", "year", "names", "names+year")
"""How name tokens are salted: not; with two overlapping birth-year windows; with the
other name's key (a given name with the surname, a surname with the given name); or
with both (each name token set once per salt)."""

BLOCKING_RULES: tuple[str, ...] = (
    "given+surname", "surname+year", "given+date", "given+month+sex", "date+place",
    "institution+moved",
)
"""Compound blocking rules (each key mixes a name with another field, so a key's
frequency is not a name's frequency)."""

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
    response); ``blocking``: the rules whose keyed keys the file carries; ``salt``: the
    name tokens are keyed with windows of the record's birth year too (two overlapping
    two-year windows, so years one apart share one), so one name sets other bits in each
    window and no bit pattern is as frequent as the name (:data:`SALTED`).
    """

    bits: int = 1024
    hashes: dict[str, int] = field(default_factory=lambda: dict(HASHES))
    fold: bool = True
    flip: float = 0.02
    blocking: tuple[str, ...] = BLOCKING_RULES
    salt: str = "year"

    def __post_init__(self) -> None:
        if self.bits % 128 or not 128 <= self.bits <= 8192:
            raise ValueError("bits must be a multiple of 128 from 128 to 8192")
        if not 0.0 <= self.flip < 0.5:
            raise ValueError("flip must be from 0 to 0.5")
        if not set(self.hashes) <= set(HASHES) or any(
                not 0 <= k <= 64 for k in self.hashes.values()):
            raise ValueError("unknown token kind or hash count")
        if self.salt not in SALT_MODES:
            raise ValueError("unknown salting mode")
        if not set(self.blocking) <= set(BLOCKING_RULES) | set(PLAIN_BLOCKING):
            raise ValueError("unknown blocking rule")

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
                   salt=_salt_mode(data["salt"]))
