"""PPRL's user actions: make a key, encode a list, link two encoded lists.

No store is involved: a data holder encodes a list file on its own machine and hands
over only the encoded file; a linkage unit links two encoded files and learns pairs of
record ids. The CLI (``kinlink pprl``) and any other door call these functions.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kinlink.domain.limits import ImportLimits
from kinlink.listfiles import read_list
from kinlink.pprl import (
    Encoder,
    Parameters,
    PprlLinkResult,
    key_check,
    link_encoded,
    new_key,
    read_encoded,
    read_key,
    write_encoded,
)
from kinlink.pprl.keys import write_key
from kinlink.pprl.link import MAX_BLOCK

__all__ = ["EncodeOutcome", "encode_list", "link_lists", "make_key"]

Tick = Callable[[int, int], None]
"""Progress: records done, records expected (an estimate)."""


@dataclass(frozen=True)
class EncodeOutcome:
    """What encoding a list did: records written, rows rejected, fields not understood."""

    records: int
    rows: int
    rejected: int
    field_errors: int
    output: Path


def make_key(path: Path) -> Path:
    """Write a new random key to ``path`` (never over an existing file)."""
    write_key(path, new_key())
    return path


def encode_list(path: Path, key_file: Path, output: Path, *,
                params: Parameters | None = None, limits: ImportLimits | None = None,
                line_ids: bool = False, tick: Tick | None = None,
                seed: int | None = None) -> EncodeOutcome:
    """Encode the list at ``path`` (read as ``kinlink link`` reads lists) under the key
    in ``key_file``; write the encoded file atomically to ``output``."""
    key = read_key(key_file)
    chosen = params or Parameters()
    listed = read_list(path, line_ids=line_ids, limits=limits)
    expected = listed.size_hint
    say = tick or (lambda _done, _total: None)
    encoder = Encoder(key, chosen, seed=seed)
    fd, temporary = tempfile.mkstemp(dir=output.parent, prefix=".pprl-", suffix=".part")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            count = write_encoded(handle, chosen, key_check(key),
                                  encoder.encode(listed.records()),
                                  lambda done: say(done, expected))
        os.replace(temporary, output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    say(count, count)
    return EncodeOutcome(count, listed.rows, listed.rejected, listed.field_errors, output)


def link_lists(left: Path, right: Path, output: Path, *,
               tell: Callable[[str], None] | None = None,
               max_block: int = MAX_BLOCK) -> PprlLinkResult:
    """Link two encoded files and write ``left_id,right_id,score,match_probability,
    decision`` for the pairs worth a person's attention or better. A blocking key held
    by more than ``max_block`` records on either side is not used."""
    say = tell or (lambda _text: None)
    say("reading")
    result = link_encoded(read_encoded(left), read_encoded(right), tell=say,
                          max_block=max_block)
    say("writing")
    with output.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["left_id", "right_id", "score", "match_probability", "decision"])
        for pair in result.pairs():
            writer.writerow([pair.left_id, pair.right_id, f"{pair.score:.4f}",
                             f"{pair.probability:.6f}", pair.decision])
    return result
