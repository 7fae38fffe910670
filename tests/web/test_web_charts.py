"""The charts' text never overlaps (issue 16: a label of the model page ran into its
neighbour). Boxes are estimated the way the charts space them (``_CHAR`` pixels a
character); the browser walk (test_ukrainian_walk_browser) measures the drawn ones."""

from __future__ import annotations

import re
from itertools import pairwise

from kinlink.web import charts

TEXT = re.compile(r'<text class="chart-(?:label|value)" x="([-\d.]+)" y="([-\d.]+)"'
                  r'(?: text-anchor="(\w+)")?>([^<]*)</text>')


def _boxes(svg: str) -> list[tuple[float, float, float, float, str]]:
    """(left, right, top, bottom, text) of every label and value."""
    boxes = []
    for x, y, anchor, text in TEXT.findall(svg):
        width = len(text) * charts._CHAR
        left = float(x) - width if anchor == "end" else float(x)
        boxes.append((left, left + width, float(y) - 12, float(y), text))
    return boxes


def _overlaps(svg: str) -> list[tuple[str, str]]:
    boxes = _boxes(svg)
    return [(a[4], b[4]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]]


def test_a_long_bar_against_keeps_its_value_off_its_label() -> None:
    svg = charts.weights([("a label of twenty-six char", -40.0), ("the other side", 40.0),
                          ("middling", -3.2)], "weights")
    assert _overlaps(svg) == []
    assert min(left for left, *_ in _boxes(svg)) >= 0
    assert max(right for _, right, *_ in _boxes(svg)) <= 620


def test_month_labels_on_the_axis_never_touch() -> None:
    for months in (3, 9, 11, 12, 24, 40):
        items = [(f"20{20 + m // 12}-{m % 12 + 1:02d}", m) for m in range(months)]
        svg = charts.columns(items, "by month")
        labels = sorted(b for b in _boxes(svg) if b[3] > 150)
        assert labels, months
        assert all(a[1] <= b[0] for a, b in pairwise(labels)), months
