"""Records → keyed Bloom filters and keyed blocking keys.

Each token (:mod:`.tokens`) sets ``k`` positions of one record-level filter, where the
positions come from HMAC-SHA256 under the shared key (double hashing on the digest):
without the key nobody can tell which bits a name sets, and no unkeyed hash of a value
is ever computed. The filter is then hardened (:class:`~kinlink.pprl.params.Parameters`):
XOR-folded, and each bit flipped with a small probability (BLIP). A blocking key is the
first 64 bits of HMAC(key, rule, value) — equal for equal values, unreadable otherwise.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from kinlink.domain.records import ParsedRecord
from kinlink.pprl.params import SALTED, Parameters, segment_of
from kinlink.pprl.tokens import Features, all_blocking_values, features_of, tokens

__all__ = ["CHUNK", "EncodedRecord", "Encoder"]

CHUNK = 20_000
"""Records encoded at once (a chunk's bit matrix is ``CHUNK × bits`` bytes)."""


@dataclass(frozen=True)
class EncodedRecord:
    """One record as the file carries it: its id, its filter, its blocking keys."""

    record_id: str
    bits: bytes
    blocks: tuple[str | None, ...]


SALT_YEARS = 2
"""Width of the birth-year windows name tokens are salted with (two overlapping ones:
years one apart always share one)."""


def _year_salts(year: int | None) -> tuple[str, ...]:
    """Two overlapping two-year windows of the birth year (``y?`` when unknown)."""
    if year is None:
        return ("y?",)
    return (f"ya{year // SALT_YEARS}", f"yb{(year + 1) // SALT_YEARS}")


def _name_salt(kind: str, f: Features) -> str:
    """The *other* name's key: a given name is salted with the surname, a surname and
    a patronymic with the given name, so a token is as frequent as the pair of names
    (rare), and survives a missing or shifted birth date."""
    other = f.given_block if kind in ("surname", "surname_loose") else f.surname_loose
    return f"n{other or '?'}"


def _salted(kind: str, value: str, f: Features, salt: str) -> tuple[str, ...]:
    """A name token's values under the salting mode (:data:`SALT_MODES`)."""
    salts: tuple[str, ...] = ()
    if "names" in salt:
        salts += (_name_salt(kind, f),)
    if "year" in salt:
        salts += _year_salts(f.year)
    return tuple(f"{value}|{s}" for s in salts) or (value,)


class Encoder:
    """Encodes records under one key and one set of parameters.

    ``seed`` fixes the random flips (tests); by default they come from the operating
    system, so two encodings of one list differ in their noise.
    """

    def __init__(self, key: bytes, params: Parameters, *, seed: int | None = None) -> None:
        self._key = key
        self._params = params
        self._positions: dict[tuple[str, str], tuple[int, ...]] = {}
        self._names: dict[tuple[object, ...], tuple[int, ...]] = {}
        self._blocks: dict[tuple[str, str], str] = {}
        self._rng = np.random.default_rng(seed)

    def positions(self, kind: str, value: str, segment: str | None = None
                  ) -> tuple[int, ...]:
        """The filter positions the token ``(kind, value)`` sets (remembered); in the
        ``fields`` layout, within ``segment`` (both halves of it when folded, so the fold
        keeps each segment apart)."""
        found = self._positions.get((kind, value))
        if found is None:
            digest = hmac.digest(self._key, f"bit|{kind}|{value}".encode(), "sha256")
            first = int.from_bytes(digest[:8], "big")
            step = int.from_bytes(digest[8:16], "big") | 1
            count = self._params.hashes.get(kind, 0)
            if segment is None:
                size = self._params.bits
                found = tuple((first + i * step) % size for i in range(count))
            else:
                found = self._in_segment(segment, first, step, count)
            if len(self._positions) < 2_000_000:
                self._positions[(kind, value)] = found
        return found

    def _in_segment(self, segment: str, first: int, step: int, count: int
                    ) -> tuple[int, ...]:
        start, width = self._params.segments()[segment]
        if not self._params.fold:
            return tuple(start + (first + i * step) % width for i in range(count))
        half = self._params.bits // 2
        spots = ((first + i * step) % (2 * width) for i in range(count))
        return tuple(start + r if r < width else half + start + r - width for r in spots)

    def block_key(self, rule: str, value: str | None) -> str | None:
        """The keyed blocking key of a value under a rule (hexadecimal, 64 bits)."""
        if value is None:
            return None
        found = self._blocks.get((rule, value))
        if found is None:
            found = hmac.digest(self._key, f"block|{rule}|{value}".encode(), "sha256")[:8].hex()
            if len(self._blocks) < 2_000_000:
                self._blocks[(rule, value)] = found
        return found

    def encode_features(self, ids: list[str], features: list[Features]) -> list[EncodedRecord]:
        """Encode records given by their ids and features (one chunk)."""
        params = self._params
        matrix = np.zeros((len(ids), params.bits), dtype=np.bool_)
        rows: list[int] = []
        cols: list[int] = []
        for row, f in enumerate(features):
            spots = self._name_positions(f)
            fields = params.layout != "record"
            for kind, value in tokens(f):
                if kind not in SALTED:
                    spots += self.positions(kind, value, segment_of(
                        kind, None, params.layout) if fields else None)
            rows.extend([row] * len(spots))
            cols.extend(spots)
        matrix[rows, cols] = True
        packed = self._harden(matrix)
        return [EncodedRecord(rid, packed[i].tobytes(),
                              tuple(self.block_key(r, v) for r, v in zip(
                                  params.blocking, all_blocking_values(f, params.blocking),
                                  strict=True)))
                for i, (rid, f) in enumerate(zip(ids, features, strict=True))]

    def _name_positions(self, f: Features) -> tuple[int, ...]:
        """The positions of a record's name tokens, salted: computed once per distinct
        combination of name keys and salt (names repeat, so most records hit)."""
        salt = self._params.salt
        year = _year_salts(f.year) if "year" in salt else ()
        key = (f.given, f.given_block, f.surname, f.surname_loose, f.father, year)
        found = self._names.get(key)
        if found is None:
            spots: list[int] = []
            for kind, value in tokens(Features(f.given, f.given_block, f.surname,
                                               f.surname_loose, f.father, None, f.year,
                                               None, None, None, None, None, None)):
                if kind not in SALTED:
                    continue
                if self._params.layout != "record":
                    spots += self._field_name_positions(kind, value, f)
                else:
                    for salted in _salted(kind, value, f, salt):
                        spots += self.positions(kind, salted)
            found = tuple(spots)
            if len(self._names) < 2_000_000:
                self._names[key] = found
        return found

    def _field_name_positions(self, kind: str, value: str, f: Features) -> list[int]:
        """``fields`` layout: a name token salted with each year window into its name's
        year segment, and with the other name into the names segment; a salt that is
        not known (no birth year, no other name) sets nothing, so the segment reads as
        missing rather than as a disagreement. A patronymic is salted with the surname
        (the other name), as a given name is."""
        salts: list[str] = []
        if "year" in self._params.salt and f.year is not None:
            salts += _year_salts(f.year)
        other = f.given_block if kind in ("surname", "surname_loose") else f.surname_loose
        if "names" in self._params.salt and other:
            salts.append(f"n{other}")
        if self._params.salt == "none":
            return list(self.positions(kind, value,
                                       segment_of(kind, None, self._params.layout)))
        spots: list[int] = []
        for s in salts:
            spots += self.positions(kind, f"{value}|{s}",
                                    segment_of(kind, s, self._params.layout))
        return spots

    def _harden(self, matrix: npt.NDArray[np.bool_]) -> npt.NDArray[np.uint8]:
        """Fold and flip a chunk's filters, then pack them to bytes."""
        if self._params.fold:
            half = self._params.bits // 2
            matrix = matrix[:, :half] ^ matrix[:, half:]
        if self._params.flip:
            matrix = matrix ^ (self._rng.random(matrix.shape) < self._params.flip)
        return np.packbits(matrix, axis=1)

    def encode(self, records: Iterable[ParsedRecord]) -> Iterator[EncodedRecord]:
        """Encode records as they are read, a chunk at a time."""
        ids: list[str] = []
        features: list[Features] = []
        for record in records:
            ids.append(record.record_id)
            features.append(features_of(record))
            if len(ids) >= CHUNK:
                yield from self.encode_features(ids, features)
                ids, features = [], []
        if ids:
            yield from self.encode_features(ids, features)
