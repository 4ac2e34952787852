"""Survey estimates drawn with their intervals, as self-contained accessible SVG (no
JavaScript, no network): a dot for the estimate, a bar for its confidence interval, and
optionally a marker for a published figure the estimates are compared with (the store's
immigrant share beside the perceived one). Used by the survey report and by the survey
section of the Migration Profile, so both draw an interval the same way.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

Fmt = Callable[[float], str]
ESTIMATE = "#1b6ca8"
INTERVAL = "#9ecae1"
MARKER = "#c0392b"


@dataclass(frozen=True)
class Row:
    label: str
    estimate: float | None  # None: suppressed or no data (the row says so)
    low: float | None = None
    high: float | None = None
    note: str = ""  # shown instead of a value when there is none


def _ticks(top: float) -> list[float]:
    if top <= 0:
        return [0.0, 1.0]
    raw = top / 5
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    return [i * step for i in range(math.ceil(top / step) + 1)]


def _lines(label: str, limit: int = 34) -> list[str]:
    """A label cut at words into at most two lines of about `limit` characters."""
    if len(label) <= limit:
        return [label]
    cut = label.rfind(" ", 0, limit)
    cut = cut if cut > 0 else limit
    rest = label[cut:].strip()
    return [label[:cut], rest if len(rest) <= limit else rest[:limit - 1] + "…"]


def interval_chart(rows: Sequence[Row], *, title: str, fmt: Fmt, axis_max: float | None = None,
                   tick_fmt: Fmt | None = None, marker: tuple[float, str] | None = None,
                   marker_row: int | None = None, interval_word: str = "95 % CI",
                   width: int = 640) -> str:
    """Horizontal dot-and-interval rows on one axis from 0 (to `axis_max`, or the largest
    interval end); `marker` = (value, its legend text) draws a published figure as a
    vertical dashed line, across the row `marker_row` only when given (the row it compares
    with), else across all rows."""
    shown = [r for r in rows if r.estimate is not None]
    ends = [v for r in shown for v in (r.estimate, r.high) if v is not None]
    if marker is not None:
        ends.append(marker[0])
    if axis_max is not None:
        ticks = [t for t in _ticks(axis_max) if t <= axis_max]
        top_value = axis_max
    else:
        ticks = _ticks(max(ends, default=1.0))
        top_value = ticks[-1]
    tick_fmt = tick_fmt or fmt
    row_h = 34 if any(len(_lines(r.label)) > 1 for r in rows) else 26
    label_w, value_w, head = 220, 175, 8
    foot = 34 + (18 if marker else 0)
    height = head + len(rows) * row_h + foot
    span = width - label_w - value_w

    def px(v: float) -> float:
        return label_w + max(0.0, min(v, top_value)) / top_value * span

    base = head + len(rows) * row_h
    body = [f'<line x1="{px(t):.1f}" x2="{px(t):.1f}" y1="{head}" y2="{base}" stroke="#e3e3e3"/>'
            f'<text x="{px(t):.1f}" y="{base + 14}" text-anchor="middle" fill="#555">'
            f"{escape(tick_fmt(t))}</text>" for t in ticks]
    desc = []
    for i, r in enumerate(rows):
        y = head + i * row_h + row_h / 2
        lines = _lines(r.label)
        first = y + 4 - 7 * (len(lines) - 1)
        body.append(f'<text x="{label_w - 8}" y="{first:.1f}" text-anchor="end" fill="#222">'
                    + "".join(f'<tspan x="{label_w - 8}" dy="{0 if k == 0 else 14}">'
                              f"{escape(line)}</tspan>" for k, line in enumerate(lines))
                    + "</text>")
        if r.estimate is None:
            body.append(f'<text x="{label_w}" y="{y + 4:.1f}" fill="#666" font-style="italic">'
                        f"{escape(r.note)}</text>")
            desc.append(f"{r.label}: {r.note}")
            continue
        text = fmt(r.estimate)
        if r.low is not None and r.high is not None:
            text += f" ({fmt(r.low)}–{fmt(r.high)})"
            body.append(f'<rect x="{px(r.low):.1f}" y="{y - 5:.1f}" '
                        f'width="{max(px(r.high) - px(r.low), 1.5):.1f}" height="10" rx="3" '
                        f'fill="{INTERVAL}" class="interval"/>')
        body.append(f'<circle cx="{px(r.estimate):.1f}" cy="{y:.1f}" r="5" fill="{ESTIMATE}" '
                    f'class="estimate"><title>{escape(r.label)}: {escape(text)}</title>'
                    "</circle>"
                    f'<text x="{width - 2}" y="{y + 4:.1f}" fill="#222" text-anchor="end">'
                    f"{escape(text)}</text>")
        desc.append(f"{r.label}: {text}")
    legend_y = base + 30
    body.append(f'<circle cx="{label_w + 5}" cy="{legend_y - 4}" r="5" fill="{ESTIMATE}"/>'
                f'<rect x="{label_w + 16}" y="{legend_y - 9}" width="26" height="10" rx="3" '
                f'fill="{INTERVAL}"/><text x="{label_w + 48}" y="{legend_y}" fill="#555">'
                f"{escape(interval_word)}</text>")
    if marker is not None:
        value, label = marker
        y1, y2 = ((head - 4, base) if marker_row is None else
                  (head + marker_row * row_h + 2, head + (marker_row + 1) * row_h - 2))
        body.append(f'<line x1="{px(value):.1f}" x2="{px(value):.1f}" y1="{y1}" '
                    f'y2="{y2}" stroke="{MARKER}" stroke-width="2" stroke-dasharray="5 3" '
                    'class="marker"/>'
                    f'<line x1="{label_w}" x2="{label_w + 26}" y1="{legend_y + 14}" '
                    f'y2="{legend_y + 14}" stroke="{MARKER}" stroke-width="2" '
                    f'stroke-dasharray="5 3"/><text x="{label_w + 32}" y="{legend_y + 18}" '
                    f'fill="#555">{escape(label)}</text>')
        desc.append(label)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="100%" role="img" class="chart" font-family="sans-serif" font-size="12">'
            f"<title>{escape(title)}</title><desc>{escape('; '.join(desc))}</desc>"
            + "".join(body) + "</svg>")
