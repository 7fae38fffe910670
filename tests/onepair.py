"""One record on each side through the real engine: which blocking rules generate the
pair, and what the packaged model scores it (shared by the blocking rules' tests, which
pin what a rule does rather than that it is listed)."""

from __future__ import annotations

import dataclasses
from typing import Any

from kinlink.linkage import FeatureBuilder, default_engine, default_spec, packaged_model, score
from kinlink.linkage.spec import LinkageSpec
from kinlink.linkage.tasks import Pairs, Side

EMPTY: dict[str, Any] = {"given": None, "surname": None, "patronymic": None,
                         "full_name": None, "sex": None, "birth": None, "birth_place": None,
                         "last_known_place": None, "event": None}
"""Every field a record may give, none given."""


def side(fields: dict[str, Any]) -> Side:
    """A one-record side with ``fields`` (the rest empty)."""
    builder = FeatureBuilder(display=False)
    builder.add(0, **(EMPTY | fields))
    return Side(("0",), builder.finish())


def _pairs(spec: LinkageSpec, left: dict[str, Any], right: dict[str, Any]) -> Pairs:
    # the packaged model, so that nothing is trained on two records
    model = packaged_model()
    assert model is not None
    return score(default_engine(), spec, [side(left), side(right)], "link", model)


def blocked(spec: LinkageSpec, left: dict[str, Any], right: dict[str, Any]) -> dict[str, int]:
    """The pairs each of ``spec``'s rules generated for one record on each side, whatever
    they then scored."""
    return _pairs(spec, left, right).scored.blocked


def scored(spec: LinkageSpec, left: dict[str, Any], right: dict[str, Any]
           ) -> list[dict[str, Any]]:
    """The pairs the real engine scores for one record on each side."""
    rows: list[dict[str, Any]] = _pairs(spec, left, right).table.to_pylist()
    return rows


def without(*names: str) -> LinkageSpec:
    """kinlink's specification without the blocking rules ``names``."""
    spec = default_spec()
    return dataclasses.replace(spec, blocking=tuple(r for r in spec.blocking
                                                    if r.name not in names))
