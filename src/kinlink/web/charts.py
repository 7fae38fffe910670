"""Charts as inline SVG drawn on the server: no JavaScript, no charting library.

:func:`bars` draws labelled horizontal bars (categories); :func:`columns` draws one
column per month; :func:`weights` draws bars either side of zero (evidence for and
against). Labels are escaped; colours come from CSS classes (``chart-bar``,
``chart-axis``) with plain fills as a fallback, so the page's stylesheet themes them and
the Content-Security-Policy needs no inline style.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from markupsafe import Markup, escape

__all__ = ["bars", "columns", "weights"]

_ROW = 22
_LABEL_WIDTH = 210
_FILL = "#2f6f9f"
_CHAR = 7.5
"""The widest a character of the charts' 12px text is drawn, on average, in pixels: what
labels are spaced by so that no two of them overlap."""
_VALUE_ROOM = 44
"""Room kept beside the bars either side of zero for a value (``−16.0``): a bar against
at full length would otherwise push its value over its row's label."""


def _open(title: str, width: int, height: int) -> list[str]:
    """The start of a chart: the ``svg`` element, labelled for screen readers, and its
    title."""
    return [f'<svg class="chart" role="img" aria-label="{escape(title)}" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}">',
            f"<title>{escape(title)}</title>"]


def bars(items: Sequence[tuple[str, int]], title: str, width: int = 620) -> Markup:
    """Horizontal bars, one per (label, count), longest scaled to the width."""
    top = max((count for _, count in items), default=0) or 1
    room = width - _LABEL_WIDTH - 70
    height = _ROW * len(items) + 8
    parts = _open(title, width, height)
    for row, (label, count) in enumerate(items):
        y = 4 + row * _ROW
        length = max(1, round(room * count / top)) if count else 0
        parts.append(
            f'<text class="chart-label" x="{_LABEL_WIDTH - 8}" y="{y + 15}" '
            f'text-anchor="end">{escape(label)}</text>'
            f'<rect class="chart-bar" fill="{_FILL}" x="{_LABEL_WIDTH}" y="{y + 3}" '
            f'width="{length}" height="{_ROW - 7}"/>'
            f'<text class="chart-value" x="{_LABEL_WIDTH + length + 6}" '
            f'y="{y + 15}">{count}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every interpolated label is escaped


def columns(items: Sequence[tuple[str, int]], title: str, width: int = 620,
            height: int = 180) -> Markup:
    """One column per (label, count) in order, labels on the axis where they fit."""
    top = max((count for _, count in items), default=0) or 1
    plot = height - 40
    step = (width - 50) / max(len(items), 1)
    widest = max((len(label) for label, _ in items), default=0) * _CHAR + 6
    every = max(1, math.ceil(widest / step))  # labels on the axis never touch
    parts = [*_open(title, width, height),
             f'<text class="chart-value" x="4" y="14">{top}</text>',
             f'<line class="chart-axis" stroke="#888" x1="40" y1="{plot + 6}" '
             f'x2="{width - 6}" y2="{plot + 6}"/>']
    for index, (label, count) in enumerate(items):
        x = 44 + index * step
        tall = round(plot * count / top)
        parts.append(
            f'<rect class="chart-bar" fill="{_FILL}" x="{x:.1f}" y="{plot + 6 - tall}" '
            f'width="{max(step - 3, 1):.1f}" height="{tall}">'
            f"<title>{escape(label)}: {count}</title></rect>")
        if index % every == 0:
            parts.append(f'<text class="chart-label" x="{x:.1f}" y="{height - 16}">'
                         f"{escape(label)}</text>")
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every interpolated label is escaped


_FOR, _AGAINST = "#2e7d32", "#b3261e"


def weights(items: Sequence[tuple[str, float | None]], title: str, width: int = 620,
            scale: float = 16.0) -> Markup:
    """Bars either side of a zero line, one per (label, weight in bits): right and green
    for evidence for, left and red against, cut at ``scale`` bits; ``None`` draws none."""
    half = (width - _LABEL_WIDTH - 2 * _VALUE_ROOM) / 2
    zero = _LABEL_WIDTH + _VALUE_ROOM + half
    height = _ROW * len(items) + 8
    parts = [*_open(title, width, height),
             f'<line class="chart-axis" stroke="#888" x1="{zero}" y1="0" x2="{zero}" '
             f'y2="{height}"/>']
    for row, (label, weight) in enumerate(items):
        y = 4 + row * _ROW
        parts.append(f'<text class="chart-label" x="{_LABEL_WIDTH - 8}" y="{y + 15}" '
                     f'text-anchor="end">{escape(label)}</text>')
        if weight is None:
            continue
        length = max(1.0, half * min(abs(weight), scale) / scale)
        positive = weight >= 0
        x = zero if positive else zero - length
        css, fill = ("chart-for", _FOR) if positive else ("chart-against", _AGAINST)
        text_x = zero + length + 4 if positive else zero - length - 4
        anchor = "start" if positive else "end"
        parts.append(f'<rect class="{css}" fill="{fill}" x="{x:.1f}" y="{y + 3}" '
                     f'width="{length:.1f}" height="{_ROW - 7}"/>'
                     f'<text class="chart-value" x="{text_x:.1f}" y="{y + 15}" '
                     f'text-anchor="{anchor}">{weight:+.1f}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every interpolated label is escaped
