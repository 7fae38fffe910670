"""Attacks on an encoded file, to measure what a linkage unit (or anyone holding the file
without the key) could learn: the risk figure a data-protection office asks for.

The attacker holds one encoded file, its header, kinlink's open-source name engine, and
public lists of given names and surnames ranked by frequency. Two attacks:

- **frequency alignment** (:func:`frequency_attack`): the keyed blocking keys are
  deterministic, so equal values give equal keys; the attacker ranks each rule's keys by
  how many records share them and aligns them with the public ranking of the name part
  the rule's name (in the header) says it holds;
- **pattern mining** (:func:`pattern_attack`): bit positions that are set together in
  the same records come from one token; the attacker mines such groups (co-occurrence of
  bits), ranks them by how many records carry them and aligns them with the public
  rankings, given names and surnames alike.

Each returns a guess per record; :func:`reidentified` scores guesses against the truth.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from kinlink.pprl.fileformat import EncodedFile

__all__ = ["Guesses", "frequency_attack", "pattern_attack", "reidentified"]

TOP = 20
"""Ranks the attacker aligns: beyond the most frequent values ranks are noise."""
TIE = 0.9
"""Share of a bit's records in which another bit must also be set to be of its token."""
MIN_BITS = 3
"""Fewest bits a mined group must have to be taken for a token."""


@dataclass
class Guesses:
    """What an attacker claims of each record: given-name ids and surname keys."""

    given: list[set[str]] = field(default_factory=list)
    surname: list[set[str]] = field(default_factory=list)

    @classmethod
    def empty(cls, size: int) -> Guesses:
        """No claim about any of ``size`` records."""
        return cls([set() for _ in range(size)], [set() for _ in range(size)])


def frequency_attack(encoded: EncodedFile, given: Sequence[str],
                     surnames: Sequence[str], top: int = TOP) -> Guesses:
    """Align each rule's most frequent keyed blocking keys with the public rankings, in
    the key space the rules block on (``given``: given-name blocking keys, ``surnames``:
    loose surname keys, most frequent first — the attacker computes them from public
    names with kinlink's open-source engine)."""
    guesses = Guesses.empty(len(encoded))
    for r, rule in enumerate(encoded.params.blocking):
        part = rule.split("+")[0]
        ranking, claims = ((given, guesses.given) if part == "given" else
                           (surnames, guesses.surname) if part == "surname" else (None, None))
        if ranking is None or claims is None:
            continue
        keys = encoded.blocks[:, r]
        counts = Counter(k for k in keys.tolist() if k)
        named = {key: name for (key, _n), name in zip(counts.most_common(top), ranking,
                                                      strict=False)}
        for i, key in enumerate(keys.tolist()):
            if key in named:
                claims[i].add(named[key])
    return guesses


def _groups(bits: np.ndarray, top: int, min_bits: int, tie: float) -> list[np.ndarray]:
    """The record masks of the most frequent mined bit groups.

    Bits of one token are set together in every record that has it, more often than
    their own frequencies predict. Seeded by the pair of bits with the largest excess of
    co-occurrence over chance, a group is the bits set in nearly all (:data:`TIE`) of
    the records having both, refined twice; its pairs are then struck off and the next
    seed taken.
    """
    matrix = np.unpackbits(bits, axis=1).astype(np.float32)
    size = len(matrix)
    ones = matrix.sum(axis=0)
    excess = matrix.T @ matrix - np.outer(ones, ones) / max(size, 1)
    np.fill_diagonal(excess, 0)
    found: list[tuple[int, np.ndarray]] = []
    for _ in range(top * 4):
        seed = int(np.argmax(excess))
        i, j = divmod(seed, excess.shape[1])
        if excess[i, j] <= 1:
            break
        rows = (matrix[:, i] > 0) & (matrix[:, j] > 0)
        members = np.array([i, j])
        for _round in range(3):
            members = np.flatnonzero(matrix[rows].mean(axis=0) >= tie)
            if len(members) == 0:
                break
            rows = matrix[:, members].sum(axis=1) >= tie * len(members)
        excess[np.ix_(members, members)] = 0
        excess[i, j] = excess[j, i] = 0
        if len(members) >= min_bits:
            found.append((int(rows.sum()), rows))
    found.sort(key=lambda item: -item[0])
    return [mask for _n, mask in found[:top]]


NAME_SEGMENTS = ("given_y", "surname_y", "names", "father")
"""``fields`` layout: the segments that hold names (the layout is public code)."""


def _name_bits(encoded: EncodedFile) -> np.ndarray:
    """The filters an attacker mines: in the ``fields`` layouts, only the name segments
    (the header says the layout, the code says where the segments lie; mining the others
    finds a birth year with a sex, not a name, and aligning those with the name
    rankings would only make chance claims)."""
    if encoded.params.layout == "record":
        return encoded.bits
    keep = np.zeros(encoded.params.width, dtype=np.uint8)
    for name, (start, width) in encoded.params.segments().items():
        if name in NAME_SEGMENTS:
            keep[start:start + width] = 1
    return np.asarray(encoded.bits & np.packbits(keep)[None, :])


def pattern_attack(encoded: EncodedFile, given: Sequence[str], surnames: Sequence[str],
                   top: int = TOP, tie: float = TIE) -> Guesses:
    """Mine co-occurring bit groups, rank them by frequency and align the i-th with the
    i-th given name and the i-th surname (the attacker cannot tell which kind a group
    is, so claims both: generous to the attacker). The header says how many bits a name
    token sets, so groups with fewer (a year, a month, a place) are left out."""
    guesses = Guesses.empty(len(encoded))
    hashes = encoded.params.hashes
    least = min(hashes.get("given", MIN_BITS), hashes.get("surname", MIN_BITS))
    for rank, mask in enumerate(_groups(_name_bits(encoded), top, max(least, MIN_BITS), tie)):
        for i in np.flatnonzero(mask).tolist():
            if rank < len(given):
                guesses.given[i].add(given[rank])
            if rank < len(surnames):
                guesses.surname[i].add(surnames[rank])
    return guesses


def reidentified(guesses: Guesses, given: Sequence[Sequence[str]],
                 surnames: Sequence[Sequence[str]]) -> float:
    """Share of records whose true given name (one of its canonical ids or its blocking
    key) or surname (its key or loose key) is among the attacker's claims for it."""
    if not given:
        return 0.0
    hits = sum(1 for i, (ids, keys) in enumerate(zip(given, surnames, strict=True))
               if set(ids) & guesses.given[i] or set(keys) & guesses.surname[i])
    return hits / len(given)
