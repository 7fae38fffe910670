"""Read a linkage unit's pairs file (``kinlink pprl link``'s output) for one party.

The file has ``left_id,right_id,score,match_probability`` (and ``decision``, ignored).
One side's ids are our records' ids, the other side's the other party's opaque ids.
Every row is checked before anything is kept: a problem is a :class:`PairProblem` with
its line and a coded reason, never a cell's value (ids may still say something about a
child), and one problem refuses the whole file (:class:`PairsRefusedError`).
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from enum import StrEnum

from kinlink.domain.remote import RemotePair
from kinlink.i18n import N_, Message, Wording
from kinlink.pprl.errors import PprlRefusedError

__all__ = ["MAX_PAIRS", "MAX_REF", "PAIR_PROBLEMS", "PairProblem", "PairsRefusedError", "Side",
           "parse_pairs", "read_pairs"]

MAX_PAIRS = 200_000
"""At most this many rows in one pairs file."""
MAX_REF = 200
"""At most this many characters in a record id."""
MAX_BYTES = 64 * 1024 * 1024
"""At most this many bytes in one pairs file."""

_COLUMNS = ("left_id", "right_id", "score", "match_probability")

PAIRS_REFUSED = Wording("pprl.pairs.refused", N_(
    "{name}: {count} rows cannot be used (the first on line {line}); nothing was imported"))
PAIRS_HEADER = Wording("pprl.pairs.header", N_(
    "{name}: the first line must name the columns left_id, right_id, score and "
    "match_probability (the output of `kinlink pprl link`)"))
PAIRS_EMPTY = Wording("pprl.pairs.empty", N_("{name}: holds no pairs"))
PAIRS_TOO_LARGE = Wording("pprl.pairs.too_large", N_(
    "{name}: more than {limit} pairs or {size} MB"))
PAIRS_NOT_TEXT = Wording("pprl.pairs.not_text", N_("{name}: is not UTF-8 text"))

PAIR_PROBLEMS = {code: Wording(f"pprl.pairs.{code}", text) for code, text in (
    ("columns", N_("line {line}: the row does not have the header's columns")),
    ("empty_id", N_("line {line}: a record id is empty")),
    ("long_id", N_("line {line}: a record id is longer than {limit} characters")),
    ("bad_score", N_("line {line}: the score is not a number from 0 to 1")),
    ("bad_probability", N_("line {line}: the probability is not a number from 0 to 1")),
    ("unknown_record", N_("line {line}: our record id is not in the list")),
    ("duplicate", N_("line {line}: the same pair is on an earlier line")),
)}
"""Each reason a row is refused, by its code."""


class Side(StrEnum):
    """Which column of the pairs file holds our records' ids."""

    LEFT = "left"
    RIGHT = "right"


@dataclass(frozen=True)
class PairProblem:
    """Why one row cannot be used: its line, a code and the message (no cell value)."""

    line: int
    code: str
    message: Message


class PairsRefusedError(PprlRefusedError):
    """A pairs file with rows that cannot be used; ``problems`` lists each (at most the
    first 1,000)."""

    def __init__(self, message: Message, problems: list[PairProblem]) -> None:
        super().__init__(message)
        self.problems = problems


def problem(line: int, code: str, **params: str) -> PairProblem:
    """The problem ``code`` on ``line``."""
    return PairProblem(line, code, PAIR_PROBLEMS[code](line=str(line), **params))


def _unit(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and 0.0 <= value <= 1.0 else None


def refuse(name: str, problems: list[PairProblem]) -> PairsRefusedError:
    """The error refusing a file for ``problems`` (sorted by line)."""
    problems = sorted(problems, key=lambda p: p.line)
    return PairsRefusedError(PAIRS_REFUSED(name=name, count=str(len(problems)),
                                           line=str(problems[0].line)), problems[:1000])


def parse_pairs(name: str, data: bytes, side: Side = Side.LEFT) -> list[RemotePair]:
    """The pairs of ``data`` (a file called ``name``), our ids from column ``side``;
    refused with every row's problem if any row cannot be used."""
    pairs, problems = read_pairs(name, data, side)
    if problems:
        raise refuse(name, problems)
    return pairs


def read_pairs(name: str, data: bytes, side: Side = Side.LEFT
               ) -> tuple[list[RemotePair], list[PairProblem]]:
    """The usable pairs of ``data`` and the problems of the other rows (a file that is no
    pairs file at all, or too large, or without a single row, is refused at once)."""
    if len(data) > MAX_BYTES:
        raise PprlRefusedError(PAIRS_TOO_LARGE(name=name, limit=f"{MAX_PAIRS:,}",
                                               size=str(MAX_BYTES // 1024 // 1024)))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PprlRefusedError(PAIRS_NOT_TEXT(name=name)) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in next(reader, [])]
    if any(c not in header for c in _COLUMNS):
        raise PprlRefusedError(PAIRS_HEADER(name=name))
    at = {c: header.index(c) for c in _COLUMNS}
    ours, theirs = (("left_id", "right_id") if side is Side.LEFT
                    else ("right_id", "left_id"))
    pairs: list[RemotePair] = []
    problems: list[PairProblem] = []
    seen: set[tuple[str, str]] = set()
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(pairs) + len(problems) >= MAX_PAIRS:
            raise PprlRefusedError(PAIRS_TOO_LARGE(name=name, limit=f"{MAX_PAIRS:,}",
                                                   size=str(MAX_BYTES // 1024 // 1024)))
        if len(row) != len(header):
            problems.append(problem(line, "columns"))
            continue
        our_id, ref = row[at[ours]].strip(), row[at[theirs]].strip()
        score, probability = _unit(row[at["score"]]), _unit(row[at["match_probability"]])
        if not our_id or not ref:
            problems.append(problem(line, "empty_id"))
        elif len(our_id) > MAX_REF or len(ref) > MAX_REF:
            problems.append(problem(line, "long_id", limit=str(MAX_REF)))
        elif score is None:
            problems.append(problem(line, "bad_score"))
        elif probability is None:
            problems.append(problem(line, "bad_probability"))
        elif (our_id, ref) in seen:
            problems.append(problem(line, "duplicate"))
        else:
            seen.add((our_id, ref))
            pairs.append(RemotePair(line, our_id, ref, score, probability))
    if not pairs and not problems:
        raise PprlRefusedError(PAIRS_EMPTY(name=name))
    return pairs, problems
