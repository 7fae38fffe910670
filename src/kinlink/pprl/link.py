"""Link two encoded files: keyed blocking, Dice similarity with bit operations, and
probabilities calibrated within the run — without the key, and writing out only pairs
of record ids with a score and a probability.

Candidate pairs are the pairs that share a keyed blocking key under any rule (a key
held by more than ``max_block`` records on either side is skipped: such a key says
little and would cost the square of its size). The Dice coefficient of two filters,
``2·|a∧b| / (|a|+|b|)``, leaning to the sparser filter (:data:`LEANING`), is computed on
64-bit words with ``numpy.bitwise_count``.
Probabilities, ``fields``/``fields3`` layouts (versions 2 and 3): each segment of the filter
(given name, surname, both names, patronymic, birth date, places, sex and move) is
compared on its own and read by a per-field latent class model fitted by expectation
maximisation (:func:`calibrate_fields`), a field one side lacks being no evidence; a
pair is an automatic link only if it is the best of both its records
(:func:`best_of_both`); ``fields3`` (version 3, the default) also holds for review
the pairs plain kinlink's vetoes would (:func:`held_for_review`), and any layout with
fields writes every best-of-both pair nothing contradicts (:func:`review_floor`).
``record`` layout (version 1): a two-component mixture fitted to
the candidates' Dice scores, made non-decreasing in the score. Decisions use kinlink's
thresholds.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields

import numpy as np
import numpy.typing as npt

from kinlink.pprl.errors import (
    KEY_MISMATCH,
    PARAMETERS_DIFFER,
    TOO_MANY_PAIRS,
    PprlRefusedError,
)
from kinlink.pprl.fileformat import EncodedFile
from kinlink.pprl.params import Parameters

__all__ = ["MATCH", "MAX_BLOCK", "REVIEW", "LinkedPair", "PprlLinkResult", "candidate_count",
           "check_compatible", "link_encoded"]

MATCH, REVIEW = 0.999, 0.2
"""kinlink's decision thresholds: ``match`` (no review needed) and ``review``."""
MAX_BLOCK = 2_000
PAIR_BYTES = 250
"""About how much memory linking holds at its peak per pair code the blocking rules give
(duplicates included), with a margin: 193 bytes measured at 100k × 100k (demo lists,
3,777,052 codes, a peak of 910 MB of which 180 MB are the two files read)."""
LEANING = 0.75
"""How far the similarity's denominator leans to the sparser filter. Dice (0.5) counts
a field one list left blank (a birth year only, no patronymic) as disagreement; kinlink's
own model counts it as no evidence. Measured on the demo lists at 10k (seed 201):
match+review recall 0.890 at 0.5, 0.901 at 0.75, 0.897 with 6 false automatic links at
1.0 (the overlap coefficient)."""
SCORE_CHUNK = 1_000_000

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class LinkedPair:
    """One pair written out: the two record ids, the Dice score, the probability."""

    left_id: str
    right_id: str
    score: float
    probability: float

    @property
    def decision(self) -> str:
        """``match`` or ``review``, by kinlink's thresholds."""
        return "match" if self.probability >= MATCH else "review"


@dataclass(frozen=True)
class PprlLinkResult:
    """The pairs kept (probability at least :data:`REVIEW`) and what the run did."""

    left: EncodedFile
    right: EncodedFile
    left_index: Ints
    right_index: Ints
    scores: Floats
    probabilities: Floats
    candidates: int

    def pairs(self) -> Iterator[LinkedPair]:
        """The kept pairs, highest probability first."""
        for i, j, s, p in zip(self.left_index.tolist(), self.right_index.tolist(),
                              self.scores.tolist(), self.probabilities.tolist(), strict=True):
            yield LinkedPair(self.left.ids[i], self.right.ids[j], s, p)

    @property
    def matches(self) -> int:
        """Pairs decided ``match``."""
        return int((self.probabilities >= MATCH).sum())

    @property
    def reviews(self) -> int:
        """Pairs for a person to decide."""
        return len(self.probabilities) - self.matches


def check_compatible(left: EncodedFile, right: EncodedFile) -> None:
    """Refuse two files encoded with different keys or parameters."""
    if left.key_check != right.key_check:
        raise PprlRefusedError(KEY_MISMATCH(left=left.name, right=right.name))
    differ = [f.name for f in fields(left.params)
              if getattr(left.params, f.name) != getattr(right.params, f.name)]
    if differ:
        raise PprlRefusedError(PARAMETERS_DIFFER(left=left.name, right=right.name,
                                                 names=", ".join(differ)))


def _words(bits: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint64]:
    return np.ascontiguousarray(bits).view(np.uint64)


def _rule_pairs(a: npt.NDArray[np.uint64], b: npt.NDArray[np.uint64],
                max_block: int) -> Ints:
    """Pair codes ``i * len(b) + j`` of the records sharing a key under one rule."""
    order = np.argsort(b, kind="stable")
    sorted_b = b[order]
    lo = np.searchsorted(sorted_b, a, side="left")
    hi = np.searchsorted(sorted_b, a, side="right")
    counts = (hi - lo).astype(np.int64)
    keys_a, size_a = np.unique(a, return_counts=True)
    crowded_a = keys_a[size_a > max_block]
    counts[(a == 0) | (counts > max_block) | np.isin(a, crowded_a)] = 0
    total = int(counts.sum())
    if not total:
        return np.empty(0, dtype=np.int64)
    left = np.repeat(np.arange(len(a), dtype=np.int64), counts)
    starts = np.repeat(lo.astype(np.int64), counts)
    offsets = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    right = order[starts + offsets].astype(np.int64)
    codes: Ints = left * len(b) + right
    return codes


def candidate_count(left: EncodedFile, right: EncodedFile, max_block: int = MAX_BLOCK) -> int:
    """How many pair codes the blocking rules give (duplicates across rules included:
    an upper bound of the candidates), counted from the keys' block sizes alone."""
    total = 0
    for rule in range(left.blocks.shape[1]):
        keys_a, size_a = np.unique(left.blocks[:, rule], return_counts=True)
        keys_b, size_b = np.unique(right.blocks[:, rule], return_counts=True)
        shared, at_a, at_b = np.intersect1d(keys_a, keys_b, assume_unique=True,
                                            return_indices=True)
        kept = (shared != 0) & (size_a[at_a] <= max_block) & (size_b[at_b] <= max_block)
        total += int((size_a[at_a][kept].astype(np.int64) * size_b[at_b][kept]).sum())
    return total


def available_memory() -> int:
    """Bytes of memory this process could still take (Linux: ``MemAvailable``; else
    the physical memory)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def check_size(left: EncodedFile, right: EncodedFile, max_block: int,
               memory: int | None = None) -> int:
    """The pair codes the blocking rules give; refuses, before any is made, a linkage
    that would need more than ``memory`` (default: what is free now) instead of letting
    the system kill it half-way."""
    count = candidate_count(left, right, max_block)
    have = available_memory() if memory is None else memory
    if count * PAIR_BYTES > have:
        raise PprlRefusedError(TOO_MANY_PAIRS(
            left=left.name, right=right.name, pairs=f"{count:,}",
            need=f"{count * PAIR_BYTES / 2**30:.0f}", have=f"{have / 2**30:.0f}",
            max_block=max_block))
    return count


def candidates(left: EncodedFile, right: EncodedFile, max_block: int = MAX_BLOCK) -> Ints:
    """Distinct pair codes over every blocking rule."""
    codes = [_rule_pairs(left.blocks[:, r], right.blocks[:, r], max_block)
             for r in range(left.blocks.shape[1])]
    if not codes:
        return np.empty(0, dtype=np.int64)
    merged = np.concatenate(codes)
    merged.sort()
    # sort and drop repeats: numpy's hash-based unique is ten times slower here
    return merged[np.concatenate(([True], merged[1:] != merged[:-1]))] if len(merged) else merged


def dice(left: npt.NDArray[np.uint64], right: npt.NDArray[np.uint64],
         i: Ints, j: Ints) -> Floats:
    """Similarity of the filter pairs ``(left[i], right[j])``, in chunks:
    ``|a∧b| / (w·min(|a|,|b|) + (1−w)·max(|a|,|b|))`` with ``w`` = :data:`LEANING`
    (``w`` = 0.5 is the Dice coefficient)."""
    ones_l = np.bitwise_count(left).sum(axis=1, dtype=np.int64)
    ones_r = np.bitwise_count(right).sum(axis=1, dtype=np.int64)
    out = np.empty(len(i), dtype=np.float64)
    for start in range(0, len(i), SCORE_CHUNK):
        a, b = i[start:start + SCORE_CHUNK], j[start:start + SCORE_CHUNK]
        common = np.bitwise_count(left[a] & right[b]).sum(axis=1, dtype=np.int64)
        low = np.minimum(ones_l[a], ones_r[b])
        high = np.maximum(ones_l[a], ones_r[b])
        out[start:start + SCORE_CHUNK] = common / np.maximum(
            LEANING * low + (1 - LEANING) * high, 1)
    return out


FIT_SAMPLE = 200_000
"""Scores the mixture is fitted on (a fixed-seed sample when there are more)."""


def _densities(scores: Floats, weight: Floats, mean: Floats, spread: Floats) -> Floats:
    return np.asarray(weight / (spread * np.sqrt(2 * np.pi)) * np.exp(
        -0.5 * ((scores[:, None] - mean) / spread) ** 2))


TOLERANCE = 1e-7
"""EM stops when no parameter moves more than this in a round."""


def calibrate(scores: Floats, rounds: int = 200) -> Floats:
    """Probability that each pair is a match: EM for a mixture of two normal
    distributions of the Dice score (non-matches low, matches high) on a sample, the
    posterior of the high one made non-decreasing in the score."""
    if len(scores) < 2 or float(scores.max() - scores.min()) < 1e-9:
        return np.zeros(len(scores))
    fit = scores if len(scores) <= FIT_SAMPLE else np.random.default_rng(0).choice(
        scores, FIT_SAMPLE, replace=False)
    mean = np.array([np.quantile(fit, 0.5), np.quantile(fit, 0.99)])
    spread = np.array([fit.std() or 0.05, 0.05])
    weight = np.array([0.9, 0.1])
    for _ in range(rounds):
        before = np.concatenate((weight, mean, spread))
        density = _densities(fit, weight, mean, spread)
        posterior = density / np.maximum(density.sum(axis=1, keepdims=True), 1e-300)
        mass = posterior.sum(axis=0)
        weight = mass / len(fit)
        mean = (posterior * fit[:, None]).sum(axis=0) / np.maximum(mass, 1e-12)
        spread = np.sqrt((posterior * (fit[:, None] - mean) ** 2).sum(axis=0)
                         / np.maximum(mass, 1e-12)).clip(1e-3)
        if np.abs(np.concatenate((weight, mean, spread)) - before).max() < TOLERANCE:
            break
    high = int(np.argmax(mean))
    probability = np.empty(len(scores))
    order = np.argsort(scores, kind="stable")
    for start in range(0, len(scores), SCORE_CHUNK):
        part = order[start:start + SCORE_CHUNK]
        density = _densities(scores[part], weight, mean, spread)
        probability[part] = density[:, high] / np.maximum(density.sum(axis=1), 1e-300)
    probability[scores <= mean[1 - high]] = 0.0
    probability[order] = np.maximum.accumulate(probability[order])
    return probability


LEVELS = (0.3, 0.5, 0.65, 0.8, 0.9)
"""Cut points of a segment's Dice coefficient: level 0 is a field one side lacks, levels
1 to 6 the Dice bands below, between and above these."""
POSITIVE_ONLY = frozenset({"given_y", "surname_y", "father"})
"""Segments read only when they agree at least in part (Dice from :data:`AGREE_FLOOR`):
a name salted with the birth year disagrees whenever the year does or the name does,
and both are read already (``date``, ``names``) — counting that disagreement a third
time drops true pairs with a year off or a typo in one name."""
AGREE_FLOOR = 0.5
NAMES_AGREE = 4
"""When both names agree together (``names`` at this level or above), the year-salted
name segments say nothing more than ``names`` and ``year`` do, and are not read: read
too, a namesake born the same year counted the same agreement three times over and
became an automatic link (development lists, second generator: 15)."""
CONTAINED = frozenset({"year", "day"})
"""``fields3`` layout: segments compared by containment (the common bits over the
smaller side's), not Dice: a birth date known to the month or year only sets a part of
the bits a full date sets, and agrees in full with every date it is part of. For two
full dates the two measures are about equal."""
YEAR_AGREE = 5
"""``fields3`` layout: the level from which the dated segment (``year``) or the day and
month without the year (``day``) count as agreeing."""
DAY_NOT_YEAR = len(LEVELS) + 2
"""``fields3`` layout: the birth date's level (an eighth, after the six Dice bands) when
the day and month agree and the year is one off (the dated segment agrees on one of its
two-year windows only, :data:`NEAR_YEAR`) — a year written wrong, which a namesake born
in another year almost never shows. The two segments are read as this one
field: read as two, one agreeing birth date counted twice, and children born the same
day in one town with other names became automatic links (development lists: 153); and
a match class that rarely sees the ``day`` segment apart learnt little from it. When the
dated segment does not agree, the segments salted with the birth year
(:data:`POSITIVE_ONLY`) are not read either: a year one off leaves them agreeing in part
(one of the two windows), a level matches otherwise never show."""
NEAR_YEAR = 0.35
"""A year counts as one off rather than far when the dated segments share this share of
a two-year window's bits beyond the bits they would share by chance (years one apart
share one window; years further apart only chance bits, which in a segment a fifth full
are several)."""
PART_OF = len(LEVELS) + 3
"""``fields3`` layout: the level (a ninth) of a dated segment where one side's date, known
to the year or the month only, is contained in the other's full date: weaker evidence
than two full dates agreeing (a namesake born that year agrees as well), so the model
learns it apart — read as full agreement, it made namesakes of a child with a year-only
date automatic links (development lists: 9). Such a pair is held for review
(:data:`BELOW_MATCH`) even so: a namesake born the same year reads the same (6 false
automatic links on the development lists)."""
PART_FLOOR = 0.65
"""Containment from which a partial date (one whose ``day`` segment holds nothing: no
day and month) counts as part of the other: below 1 even when it is, since the full
date's own tokens cancel some of the shared bits when the filter is folded."""
NOISE_SIGMAS = 3.0
"""A segment with fewer set bits than the flips' expected count plus this many standard
deviations (plus one) holds no field: what the random flips alone would set."""


def _noise_floor(width: int, flip: float) -> tuple[float, float]:
    """The bits the random flips are expected to set in a segment of ``width`` bits, and
    the count under which a segment holds no field (:data:`NOISE_SIGMAS`)."""
    noise = width * flip
    return noise, noise + NOISE_SIGMAS * np.sqrt(max(noise, 1e-9)) + 1


def field_levels(left: npt.NDArray[np.uint64], right: npt.NDArray[np.uint64], i: Ints,
                 j: Ints, params: Parameters) -> npt.NDArray[np.uint8]:
    """``fields``/``fields3`` layout: each candidate pair's agreement level per segment
    (0: one side's segment holds only noise, i.e. the field is missing there)."""
    contained = CONTAINED if params.layout == "fields3" else frozenset()
    segments = list(params.segments().items())
    out = np.zeros((len(i), len(segments)), dtype=np.uint8)
    dated = np.zeros(len(i), dtype=np.float64)
    beyond = np.zeros(len(i), dtype=np.float64)  # common bits beyond chance (dated)
    cuts = np.array(LEVELS)
    spans = [(name, start // 64, (start + width) // 64, width) for name, (start, width)
             in segments]
    ones_l = [np.bitwise_count(left[:, w0:w1]).sum(axis=1, dtype=np.int64)
              for _n, w0, w1, _w in spans]
    ones_r = [np.bitwise_count(right[:, w0:w1]).sum(axis=1, dtype=np.int64)
              for _n, w0, w1, _w in spans]
    for begin in range(0, len(i), SCORE_CHUNK):
        a, b = i[begin:begin + SCORE_CHUNK], j[begin:begin + SCORE_CHUNK]
        common_bits = np.bitwise_count(left[a] & right[b])  # each pair's rows gathered once
        for f, (name, w0, w1, width) in enumerate(spans):
            noise, floor = _noise_floor(width, params.flip)
            common = common_bits[:, w0:w1].sum(axis=1, dtype=np.int64)
            la, rb = ones_l[f][a], ones_r[f][b]
            if name in contained:  # the smaller side's bits less the flips' expected count
                low = np.maximum(np.minimum(la, rb) - noise, 1)
                score = np.minimum(common / low, 1.0)
            else:
                score = 2 * common / np.maximum(la + rb, 1)
            level = (1 + np.searchsorted(cuts, score, side="right")).astype(np.uint8)
            if name == "year" and contained:
                dated[begin:begin + SCORE_CHUNK] = score
                beyond[begin:begin + SCORE_CHUNK] = common - la * rb / width
            level[(la < floor) | (rb < floor)] = 0
            if name in POSITIVE_ONLY:
                level[score < AGREE_FLOOR] = 0
            out[begin:begin + SCORE_CHUNK, f] = level
    names = [name for name, _span in segments]
    agree = out[:, names.index("names")] >= NAMES_AGREE
    for name in POSITIVE_ONLY - {"father"}:
        out[agree, names.index(name)] = 0
    if params.layout == "fields3":
        year, day = out[:, names.index("year")], out[:, names.index("day")]
        # a side without the day and month (level 0 there) holds a partial date
        year[(year > 0) & (day == 0) & (dated >= PART_FLOOR)] = PART_OF
        near = beyond >= NEAR_YEAR * params.hashes.get("year_window", 0)
        year[(year < YEAR_AGREE) & near & (day >= YEAR_AGREE)] = DAY_NOT_YEAR
        day[:] = 0
        off = (year < YEAR_AGREE) | (year == DAY_NOT_YEAR)
        for name in POSITIVE_ONLY:
            out[off, names.index(name)] = 0
    return out


NAMESAKE_SEGMENTS = frozenset({"names"})
"""Segments a namesake (another child with the same names) agrees on."""
MEANINGLESS_TO_NAMESAKES = frozenset({"father", "other"})
"""Segments a namesake may agree on or not (siblings share a patronymic; sex)."""


def calibrate_fields(levels: npt.NDArray[np.uint8], segments: list[str],
                     rounds: int = 300, most: int | None = None) -> Floats:
    """Probability that each pair is a match from its per-segment agreement levels: a
    latent class model with independent fields (Fellegi–Sunter), fitted by expectation
    maximisation on the distinct level patterns, the way kinlink's own model is trained;
    a missing field (level 0) is no evidence either way.

    Three classes, not two: matches, non-matches, and namesakes (same names, other
    birth date and place). With two, the namesakes among the candidates — a cluster as
    large as a third of the matches — are taken into the match class, which then
    learns that a birth date disagreeing is common among matches (measured on the
    development lists: thousands of false automatic links). Each class starts from
    level shares rising or falling with agreement (the ``fields3`` levels after the Dice
    bands, :data:`DAY_NOT_YEAR` and :data:`PART_OF`, from a middling share in every
    class: the data decide what they weigh) and is then fitted freely, but for one
    bound: the match class never takes more than ``most`` pairs (the records of both
    lists: each is one child, so the true pairs are fewer). Unbounded, at 100k × 100k
    (3.4 million candidates, about 2 % of them true) it took half the candidates and
    linked nothing automatically; the bound keeps it from that start and binds no more
    once the fit has found the matches (the same fit under a bound of the smaller
    list's records), and never at 10k, where the records are half the candidates."""
    if not len(levels):
        return np.zeros(0)
    fields_n, count = levels.shape[1], max(len(LEVELS) + 2, int(levels.max()) + 1)
    codes = (levels.astype(np.int64) * count ** np.arange(fields_n, dtype=np.int64)).sum(axis=1)
    unique, inverse, weight = np.unique(codes, return_inverse=True, return_counts=True)
    patterns = (unique[:, None] // count ** np.arange(fields_n, dtype=np.int64)) % count
    onehot = np.stack([patterns == level for level in range(count)], axis=2)  # P×F×L
    present = ~onehot[:, :, 0]
    bands = len(LEVELS) + 1
    ramp = np.arange(1, bands + 1, dtype=np.float64) ** 3
    middle = np.full(count - 1 - bands, ramp[bands // 2])  # DAY_NOT_YEAR, PART_OF
    up, down = np.concatenate((ramp, middle)), np.concatenate((ramp[::-1], middle))
    flat = np.ones(count - 1)
    starts = [[up] * fields_n, [down] * fields_n,
              [up if name in NAMESAKE_SEGMENTS else flat if name in MEANINGLESS_TO_NAMESAKES
               else down for name in segments]]
    theta = np.ones((3, fields_n, count))
    theta[:, :, 1:] = np.array(starts) / np.array(starts).sum(axis=2, keepdims=True)
    belief = theta * PRIOR_PAIRS
    belief[:, :, 0] = 0
    prior = np.array([0.15, 0.7, 0.15])
    cap = None if most is None else max(most / weight.sum(), 1e-6)  # largest match share
    posterior = np.zeros((3, len(unique)))
    for _ in range(rounds):
        log_l = np.stack([np.where(present, (onehot * np.log(t)[None]).sum(axis=2), 0.0)
                          .sum(axis=1) for t in theta]) + np.log(prior)[:, None]
        updated = np.exp(log_l - log_l.max(axis=0, keepdims=True))
        updated /= updated.sum(axis=0, keepdims=True)
        mass = updated * weight[None]
        prior = np.clip(mass.sum(axis=1) / weight.sum(), 1e-6, 1.0)
        if cap is not None and prior[0] > cap:
            # no more matches than records: the rest goes to the other classes
            prior[1:] *= (1 - cap) / prior[1:].sum()
            prior[0] = cap
        theta = np.stack([_level_shares(onehot, w, b) for w, b in zip(mass, belief,
                                                                      strict=True)])
        done = np.abs(updated - posterior).max() < TOLERANCE
        posterior = updated
        if done:
            break
    return np.asarray(posterior[0][inverse], dtype=np.float64)


PRIOR_PAIRS = 20.0
"""Pairs' worth of the starting level shares added to each class's counts: keeps a small
run (a few dozen candidates) near the starting shape, and weighs nothing at 10k."""


def _level_shares(onehot: npt.NDArray[np.bool_], weight: Floats, belief: Floats) -> Floats:
    """Per field, the weighted share of each present level, ``belief`` added (level 0
    kept at 1: unused)."""
    mass = (onehot * weight[:, None, None]).sum(axis=0) + belief  # F×L
    mass[:, 0] = 0
    shares = mass / mass.sum(axis=1, keepdims=True)
    shares[:, 0] = 1.0
    return np.asarray(shares, dtype=np.float64)


BELOW_MATCH = 0.99
"""The probability a pair that is not the best of both its records is held to (review)."""


def best_of_both(probability: Floats, i: Ints, j: Ints) -> Floats:
    """Hold every pair that is not the most probable of its left record and of its right
    record below the match threshold: two candidates of one record cannot both be
    automatic links (one is usually a namesake or a sibling), so a person decides."""
    out = probability.copy()
    for side in (i, j):
        held = ~_best_of(probability, side)
        out[held] = np.minimum(out[held], BELOW_MATCH)
    return out


def _best_of(probability: Floats, side: Ints) -> npt.NDArray[np.bool_]:
    """Whether each pair is the most probable of its record on ``side`` (one pair a
    record: of equal probabilities, the first in order)."""
    order = np.lexsort((-probability, side))
    first = np.ones(len(order), dtype=np.bool_)
    first[1:] = side[order][1:] != side[order][:-1]
    best = np.zeros(len(order), dtype=np.bool_)
    best[order[first]] = True
    return best


REVIEW_FLOOR_LEVEL = 3
"""The level (Dice from :data:`AGREE_FLOOR`) from which a segment counts as not
disagreeing, for :func:`review_floor`."""


def review_floor(probability: Floats, levels: npt.NDArray[np.uint8], segments: list[str],
                 i: Ints, j: Ints) -> Floats:
    """Lift to :data:`REVIEW` (never higher) every pair that is the most probable of both
    its records, whose names agree (``names`` at :data:`NAMES_AGREE` or above) and whose
    other present segments all agree at least in part (:data:`REVIEW_FLOOR_LEVEL`).

    Why: a missing field is no evidence, so such a pair — a child whose birth date one
    list left out — is judged on its names, place and sex alone, and its probability is
    whatever the fitted model makes of that pattern. On a small list (a few dozen
    candidates) the fit moves with the key: which bits collide when the filter is folded
    shifts the other candidates' levels, and this pair's probability ranged from 0.14 to
    0.82 over 40 keys on the six-children test — below :data:`REVIEW` for about one key
    in seven, when the pair was not written at all. Nothing in the pair disagrees and no
    other candidate of either record is likelier: a person should see it."""
    if not len(probability):
        return probability
    names = levels[:, segments.index("names")]
    present = levels > 0
    agrees = ((~present) | (levels >= REVIEW_FLOOR_LEVEL)).all(axis=1)
    mutual = _best_of(probability, i) & _best_of(probability, j)
    lift = mutual & agrees & (names >= NAMES_AGREE)
    out = probability.copy()
    out[lift] = np.maximum(out[lift], REVIEW)
    return out


AUTOMATIC_DATE = len(LEVELS) + 1
"""``fields3`` layout: the only birth-date level an automatic link may have — the dated
segment in the top Dice band. A year one off (:data:`DAY_NOT_YEAR`), a partial date
(:data:`PART_OF`), a missing one or one agreeing less are held for review, as plain
kinlink holds every birth date that does not agree to the day (its ``birth_*`` and
``no_birth_date`` vetoes): on the development lists (second generator seed 99) a year
one off and a date in a lower band made false automatic links at a cost of about one
automatic link in a hundred."""
PLACE_DISAGREES = 1
"""``fields3`` layout: a place segment at this level (Dice under the first cut) when the
names do not agree in full (``names`` under the top band) holds the pair for review:
a child of a like name born the same day in another town. On the development lists
(demo seed 202, second generator seed 99) two of the eight false automatic links."""


def segment_disagrees(left: npt.NDArray[np.uint64], right: npt.NDArray[np.uint64],
                      i: Ints, j: Ints, params: Parameters, name: str) -> npt.NDArray[np.bool_]:
    """Pairs where segment ``name`` is present on both sides (more than noise) and its
    Dice is under :data:`AGREE_FLOOR`: for the patronymic, which :func:`field_levels`
    reads only when it agrees, the difference it does not show."""
    start, width = params.segments()[name]
    w0, w1 = start // 64, (start + width) // 64
    _noise, floor = _noise_floor(width, params.flip)
    ones_l = np.bitwise_count(left[:, w0:w1]).sum(axis=1, dtype=np.int64)
    ones_r = np.bitwise_count(right[:, w0:w1]).sum(axis=1, dtype=np.int64)
    out = np.zeros(len(i), dtype=np.bool_)
    for begin in range(0, len(i), SCORE_CHUNK):
        a, b = i[begin:begin + SCORE_CHUNK], j[begin:begin + SCORE_CHUNK]
        common = np.bitwise_count(left[a, w0:w1] & right[b, w0:w1]).sum(
            axis=1, dtype=np.int64)
        score = 2 * common / np.maximum(ones_l[a] + ones_r[b], 1)
        out[begin:begin + SCORE_CHUNK] = ((ones_l[a] >= floor) & (ones_r[b] >= floor)
                                          & (score < AGREE_FLOOR))
    return out


def held_for_review(levels: npt.NDArray[np.uint8], segments: list[str],
                    father_differs: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
    """``fields3`` layout: the pairs that may not be automatic links whatever their
    probability, the way plain kinlink's vetoes hold them — a birth date not in the top
    band (:data:`AUTOMATIC_DATE`), patronymics that differ (kinlink's ``other_father``
    veto: siblings and namesakes of one town), and names agreeing less than in full
    with the places disagreeing (:data:`PLACE_DISAGREES`). The model's independent
    fields count each agreeing field as fresh evidence, so a pair strong on names and
    date but contradicted elsewhere reached 0.999 (development lists: 8 false automatic
    links on three lists); a person decides those."""
    date = levels[:, segments.index("year")]
    names = levels[:, segments.index("names")]
    place = levels[:, segments.index("place")]
    return np.asarray((date != AUTOMATIC_DATE) | father_differs
                      | ((names < len(LEVELS) + 1) & (place == PLACE_DISAGREES)))


def link_encoded(left: EncodedFile, right: EncodedFile, *,
                 tell: Callable[[str], None] | None = None,
                 max_block: int = MAX_BLOCK, memory: int | None = None) -> PprlLinkResult:
    """Link two compatible encoded files (refused otherwise, and refused when the
    candidate pairs would not fit in ``memory``: :func:`check_size`)."""
    check_compatible(left, right)
    check_size(left, right, max_block, memory)
    say = tell or (lambda _text: None)
    say("blocking")
    codes = candidates(left, right, max_block)
    i, j = codes // max(len(right), 1), codes % max(len(right), 1)
    say("comparing")
    words_l, words_r = _words(left.bits), _words(right.bits)
    scores = dice(words_l, words_r, i, j)
    say("calibrating")
    if left.params.layout != "record":
        segments = list(left.params.segments())
        levels = field_levels(words_l, words_r, i, j, left.params)
        probability = best_of_both(calibrate_fields(
            levels, segments, most=len(left) + len(right)), i, j)
        probability = review_floor(probability, levels, segments, i, j)
        if left.params.layout == "fields3":  # a partial date, a year off, ...: review
            held = held_for_review(levels, segments, segment_disagrees(
                words_l, words_r, i, j, left.params, "father"))
            probability[held] = np.minimum(probability[held], BELOW_MATCH)
    else:
        probability = calibrate(scores)
    keep = probability >= REVIEW
    order = np.argsort(-probability[keep], kind="stable")
    return PprlLinkResult(left, right, i[keep][order], j[keep][order], scores[keep][order],
                          probability[keep][order], len(codes))
