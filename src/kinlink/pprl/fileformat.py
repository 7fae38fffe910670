"""The encoded file: one header line, then one line per record (JSON Lines, UTF-8).

Header: ``{"format": "kinlink-pprl", "version": 2, "parameters": {...},
"key_check": "…"}`` — the encoding's parameters and a keyed check value, never the key.
Record: ``{"id": "<record_id>", "clk": "<base64 of the filter>", "b": ["<16 hex>" |
null, …]}`` — the filter (``parameters.bits`` bits, halved when folded) and one keyed
blocking key per rule of ``parameters.blocking`` (null when the record lacks a part).
Nothing else: no name, date, place or unkeyed hash of one.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
import numpy.typing as npt

from kinlink.pprl.encoding import EncodedRecord
from kinlink.pprl.errors import (
    BAD_LINE,
    BAD_PARAMETERS,
    ENCODED_UNREADABLE,
    NOT_ENCODED,
    TOO_MANY,
    VERSION_UNKNOWN,
    PprlRefusedError,
)
from kinlink.pprl.params import FORMAT_VERSION, READABLE_VERSIONS, Parameters

__all__ = ["FORMAT", "EncodedFile", "read_encoded", "write_encoded"]

FORMAT = "kinlink-pprl"
MAX_RECORDS = 5_000_000
"""Records one encoded file may hold (a bound on what a reader allocates)."""


@dataclass(frozen=True)
class EncodedFile:
    """An encoded file read back: header, ids, filters as a byte matrix, blocking keys
    as 64-bit integers per rule (0: none)."""

    name: str
    params: Parameters
    key_check: str
    ids: list[str]
    bits: npt.NDArray[np.uint8]
    blocks: npt.NDArray[np.uint64]

    def __len__(self) -> int:
        return len(self.ids)


def header(params: Parameters, key_check: str) -> dict[str, Any]:
    """The header line's content."""
    return {"format": FORMAT, "version": FORMAT_VERSION, "parameters": params.as_dict(),
            "key_check": key_check}


def write_encoded(handle: IO[str], params: Parameters, key_check: str,
                  records: Iterable[EncodedRecord],
                  tick: Callable[[int], None] | None = None) -> int:
    """Write the header and the records; the number of records written."""
    handle.write(json.dumps(header(params, key_check)) + "\n")
    count = 0
    for record in records:
        handle.write(json.dumps({"id": record.record_id,
                                 "clk": base64.b64encode(record.bits).decode("ascii"),
                                 "b": list(record.blocks)}, ensure_ascii=False) + "\n")
        count += 1
        if tick is not None and count % 1000 == 0:
            tick(count)
    return count


def _header(name: str, line: str) -> tuple[Parameters, str]:
    try:
        data = json.loads(line)
    except ValueError:
        raise PprlRefusedError(NOT_ENCODED(name=name)) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise PprlRefusedError(NOT_ENCODED(name=name))
    if data.get("version") not in READABLE_VERSIONS:
        raise PprlRefusedError(VERSION_UNKNOWN(name=name, found=str(data.get("version")),
                                               expected=str(FORMAT_VERSION)))
    try:
        return Parameters.from_dict(data["parameters"]), str(data["key_check"])
    except (KeyError, TypeError, ValueError):
        raise PprlRefusedError(BAD_PARAMETERS(name=name)) from None


def _block(value: object) -> int:
    if value is None:
        return 0
    return int(str(value), 16) or 1


def read_encoded(path: Path) -> EncodedFile:
    """Read an encoded file; refused in words (its line, never its content) if broken."""
    name = path.name
    try:
        handle = path.open(encoding="utf-8")
    except OSError:
        raise PprlRefusedError(ENCODED_UNREADABLE(name=name)) from None
    with handle:
        params, check = _header(name, handle.readline())
        size, rules = params.width // 8, len(params.blocking)
        ids: list[str] = []
        rows: list[bytes] = []
        blocks: list[list[int]] = []
        for number, line in enumerate(handle, start=2):
            if len(ids) >= MAX_RECORDS:
                raise PprlRefusedError(TOO_MANY(name=name, limit=f"{MAX_RECORDS:,}"))
            try:
                item = json.loads(line)
                bits = base64.b64decode(item["clk"], validate=True)
                keys = [_block(v) for v in item["b"]]
                rid = str(item["id"])
            except (ValueError, KeyError, TypeError, binascii.Error):
                raise PprlRefusedError(BAD_LINE(name=name, line=str(number))) from None
            if len(bits) != size or len(keys) != rules:
                raise PprlRefusedError(BAD_LINE(name=name, line=str(number)))
            ids.append(rid)
            rows.append(bits)
            blocks.append(keys)
    matrix = np.frombuffer(b"".join(rows), dtype=np.uint8).reshape(len(ids), size)
    keys_matrix = np.array(blocks, dtype=np.uint64).reshape(len(ids), rules)
    return EncodedFile(name, params, check, ids, matrix, keys_matrix)
