"""Charts of the backtest report as self-contained SVG strings (pure: numbers in, SVG text
out; no JavaScript). Each chart has a <title> and a <desc> for screen readers; numbers
are formatted by the caller (`fmt`), in the report's language.

- `pit_histogram`: the shares of PIT values in ten bins, with the line every bar would
  reach if the intervals were calibrated (1 / bins).
- `coverage_lines`: interval coverage against the years ahead, one line per method and
  level, with the nominal levels drawn as dashed lines.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape

Fmt = Callable[[float], str]
COLOURS = ("#1b6ca8", "#c0392b", "#2e8b57", "#8e44ad", "#d35400", "#7f8c8d")


def _svg(width: int, height: int, title: str, desc: str, body: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="100%" role="img" class="chart" font-family="sans-serif" font-size="12">'
            f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>"
            + "".join(body) + "</svg>")


def _top(values: Sequence[float], floor: float) -> float:
    """A round upper bound of the axis (a multiple of 0.05) at least `floor`."""
    top = max([floor, *(v for v in values if math.isfinite(v))])
    return math.ceil(top / 0.05 - 1e-9) * 0.05


def pit_histogram(shares: Sequence[float], *, title: str, desc: str, fmt: Fmt,
                  width: int = 300, height: int = 190) -> str:
    """Bars of the shares of PIT values in equal bins of [0, 1]; the dashed line is the
    share of a calibrated forecast (1 / bins). No data (NaN shares): a line saying so."""
    bins = len(shares)
    if bins == 0 or not all(math.isfinite(s) for s in shares):
        return _svg(width, 40, title, desc, [f'<text x="8" y="24">{escape(desc)}</text>'])
    left, right, top, bottom = 44, 18, 10, 34
    ymax = _top(shares, 2.0 / bins)
    step_y = 0.05 if ymax <= 0.3 else 0.1 if ymax <= 0.6 else 0.25
    ymax = math.ceil(ymax / step_y - 1e-9) * step_y
    plot_w, plot_h = width - left - right, height - top - bottom

    def py(v: float) -> float:
        return top + plot_h * (1 - v / ymax)

    ticks = [i * step_y for i in range(round(ymax / step_y) + 1)]
    body = [f'<line x1="{left}" x2="{width - right}" y1="{py(t):.1f}" y2="{py(t):.1f}" '
            f'stroke="#e3e8ee"/><text x="{left - 4}" y="{py(t) + 4:.1f}" '
            f'text-anchor="end">{escape(fmt(t))}</text>' for t in ticks]
    step = plot_w / bins
    for i, s in enumerate(shares):
        x = left + i * step
        body.append(f'<rect x="{x + 1:.1f}" y="{py(s):.1f}" width="{step - 2:.1f}" '
                    f'height="{py(0) - py(s):.1f}" fill="{COLOURS[0]}">'
                    f"<title>{escape(fmt(i / bins))}–{escape(fmt((i + 1) / bins))}: "
                    f"{escape(fmt(s))}</title></rect>")
    even = py(1 / bins)
    body.append(f'<line x1="{left}" x2="{width - right}" y1="{even:.1f}" y2="{even:.1f}" '
                f'stroke="#333" stroke-dasharray="5 3"/>')
    for v in (0.0, 0.5, 1.0):
        x = left + v * plot_w
        body.append(f'<text x="{x:.1f}" y="{height - bottom + 16}" text-anchor="middle">'
                    f"{escape(fmt(v))}</text>")
    return _svg(width, height, title, desc, body)


Line = tuple[str, Sequence[tuple[float, float]], int, int]  # label, (x, y), colour, dash
DASHES = ("", "6 4", "2 3")


def coverage_lines(lines: Sequence[Line], nominal: Sequence[float], *, title: str, desc: str,
                   x_label: str, fmt: Fmt, colours: Sequence[str], dashes: Sequence[str],
                   width: int = 640, height: int = 300) -> str:
    """Coverage (y, 0 to 1) against years ahead (x): one line per (label, points, colour
    number, dash number); the nominal levels as wide grey lines; a legend below: a row
    naming each colour (`colours`) and a row naming each dash (`dashes`)."""
    points = [p for _, pts, _, _ in lines for p in pts]
    if not points:
        return _svg(width, 40, title, desc, [f'<text x="8" y="24">{escape(desc)}</text>'])
    left, right, top = 48, 16, 12
    bottom = 48 + 18 * (len(colours) + 1)
    xs = sorted({x for x, _ in points})
    x0, x1 = min(0.0, xs[0]), xs[-1] + 1
    ymin = math.floor(min([*(y for _, y in points), *nominal]) * 10 - 1e-9) / 10
    ymin = max(0.0, min(ymin, 0.5))

    def px(x: float) -> float:
        return left + (x - x0) / (x1 - x0) * (width - left - right)

    def py(y: float) -> float:
        return top + (1 - (y - ymin) / (1 - ymin)) * (height - top - bottom)

    body = []
    k = 0
    while ymin + k * 0.1 <= 1.0 + 1e-9:
        t = ymin + k * 0.1
        body.append(f'<line x1="{left}" x2="{width - right}" y1="{py(t):.1f}" y2="{py(t):.1f}" '
                    f'stroke="#e3e8ee"/><text x="{left - 4}" y="{py(t) + 4:.1f}" '
                    f'text-anchor="end">{escape(fmt(t))}</text>')
        k += 1
    body.extend(f'<line x1="{left}" x2="{width - right}" y1="{py(level):.1f}" '
                f'y2="{py(level):.1f}" stroke="#999" stroke-width="3" opacity="0.5"/>'
                for level in nominal)
    body.extend(f'<text x="{px(x):.1f}" y="{height - bottom + 16}" text-anchor="middle">'
                f"{x}</text>" for x in range(math.ceil(x0), int(x1) + 1) if x in xs or x == 0)
    body.append(f'<text x="{(left + width - right) / 2:.1f}" y="{height - bottom + 32}" '
                f'text-anchor="middle">{escape(x_label)}</text>')
    for label, pts, c, d in lines:
        colour = COLOURS[c % len(COLOURS)]
        dash = f' stroke-dasharray="{DASHES[d % len(DASHES)]}"' if d % len(DASHES) else ""
        ordered = sorted(pts)
        path = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in ordered)
        body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" '
                    f'stroke-width="2"{dash}/>')
        for x, y in ordered:
            body.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3.5" fill="{colour}">'
                        f"<title>{escape(label)}, {x:g}: {escape(fmt(y))}</title></circle>")
    for c, name in enumerate(colours):
        ly = height - bottom + 50 + 18 * c
        body.append(f'<line x1="{left}" x2="{left + 24}" y1="{ly - 4}" y2="{ly - 4}" '
                    f'stroke="{COLOURS[c % len(COLOURS)]}" stroke-width="4"/>'
                    f'<text x="{left + 30}" y="{ly}">{escape(name)}</text>')
    ly = height - bottom + 50 + 18 * len(colours)
    for d, name in enumerate(dashes):
        lx = left + d * (width - left - right) / max(len(dashes), 1)
        dash = f' stroke-dasharray="{DASHES[d % len(DASHES)]}"' if d % len(DASHES) else ""
        body.append(f'<line x1="{lx:.1f}" x2="{lx + 30:.1f}" y1="{ly - 4}" y2="{ly - 4}" '
                    f'stroke="#333" stroke-width="2"{dash}/>'
                    f'<text x="{lx + 36:.1f}" y="{ly}">{escape(name)}</text>')
    return _svg(width, height, title, desc, body)
