"""Charts as self-contained, accessible SVG strings, computed from the profile data.

Pure functions: plain data in, SVG text out; no network, no JavaScript. Each chart
has a <title> and a <desc> for screen readers, and its numbers formatted by the
caller's locale (`fmt`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape

Fmt = Callable[[float], str]
PALETTE = ("#1b6ca8", "#c0392b", "#2e8b57", "#8e44ad", "#d35400", "#7f8c8d")
MAP_SCALE = ("#eef4fa", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")


def nice_ticks(top: float, n: int = 5) -> list[float]:
    """Round tick values from 0 to at least `top`."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    return [i * step for i in range(math.ceil(top / step) + 1)]


def _svg(width: int, height: int, title: str, desc: str, body: list[str], *,
         role: str = "img") -> str:
    """An SVG chart; `role` "group" where it holds links (an image has no controls)."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="{role}" class="chart" font-family="sans-serif" font-size="12">'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>" + "".join(body) + "</svg>"
    )


# the least distance between the centres of two year labels of a line chart: four
# digits of GLYPH_W and a gap ('1993' and '1995' side by side collided)
YEAR_GAP = 36.0


def year_labels(xs: Sequence[int], px: Callable[[float], float]) -> list[int]:
    """The years of a line chart's axis that get a label: every year of a short series,
    else the multiples of five and both ends; none closer than YEAR_GAP to the previous
    one, the last year always kept (it drops its neighbour instead)."""
    step = 1 if len(xs) <= 12 else 5
    kept: list[int] = []
    for x in xs:
        if step > 1 and x % step and x not in (xs[0], xs[-1]):
            continue
        if kept and px(x) - px(kept[-1]) < YEAR_GAP:
            if x != xs[-1]:
                continue
            kept.pop()
        kept.append(x)
    return kept


def line_chart(series: Sequence[tuple[str, Sequence[tuple[int, float | None]]]], *, title: str,
               fmt: Fmt, width: int = 640, height: int = 300) -> str:
    """Lines over years; `series` = [(label, [(year, value), ...]), ...]."""
    points = [(x, y) for _, pts in series for x, y in pts if y is not None]
    if not points:
        return _svg(width, 60, title, "no data", [f'<text x="10" y="30">{escape(title)}: –</text>'])
    stacked = max(len(label) for label, _ in series) > 20  # long labels: one per line
    left, right, top = 78, 16, 16
    bottom = 40 + 18 * len(series) if stacked else 56
    height = height + (bottom - 56)
    xs = sorted({x for x, _ in points})
    x0, x1 = xs[0], xs[-1] if xs[-1] > xs[0] else xs[0] + 1
    ticks = nice_ticks(max(y for _, y in points))
    ymax = ticks[-1]

    def px(x: float) -> float:
        return left + (x - x0) / (x1 - x0) * (width - left - right)

    def py(y: float) -> float:
        return height - bottom - y / ymax * (height - top - bottom)

    body = [f'<line x1="{left}" x2="{width - right}" y1="{py(t):.1f}" y2="{py(t):.1f}" '
            f'stroke="#ddd"/><text x="{left - 6}" y="{py(t) + 4:.1f}" '
            f'text-anchor="end" fill="#444">{escape(fmt(t))}</text>' for t in ticks]
    body += [f'<text x="{px(x):.1f}" y="{height - bottom + 18}" text-anchor="middle" '
             f'fill="#444">{x}</text>' for x in year_labels(xs, px)]
    desc = []
    for i, (label, pts) in enumerate(series):
        color = PALETTE[i % len(PALETTE)]
        valid = [(x, y) for x, y in pts if y is not None]
        if not valid:
            continue
        path = " ".join(f"{'M' if j == 0 else 'L'}{px(x):.1f},{py(y):.1f}"
                        for j, (x, y) in enumerate(valid))
        body.append(f'<path d="{path}" fill="none" stroke="{color}" stroke-width="2.5" '
                    f'class="series"/>')
        body += [f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{color}">'
                 f"<title>{escape(label)} {x}: {escape(fmt(y))}</title></circle>"
                 for x, y in valid]
        lx = left if stacked else left + i * 170
        ly = height - bottom + 34 + 18 * i if stacked else height - 22
        body.append(f'<rect x="{lx}" y="{ly}" width="14" height="4" fill="{color}"/>'
                    f'<text x="{lx + 20}" y="{ly + 6}" fill="#222">{escape(label)}</text>')
        desc.append(f"{label}: " + ", ".join(f"{x} {fmt(y)}" for x, y in valid))
    return _svg(width, height, title, "; ".join(desc), body)


# the widest average advance of a 12 px sans-serif glyph (DejaVu Sans, the PDF's font)
GLYPH_W = 7.0


def bar_chart(rows: Sequence[tuple[str, float, str]], *, title: str, fmt: Fmt,
              width: int = 640, color: str = PALETTE[0]) -> str:
    """Horizontal bars; `rows` = [(label, value, annotation), ...] largest first."""
    if not rows:
        return _svg(width, 40, title, "no data", [f'<text x="10" y="24">{escape(title)}: –</text>'])
    bar_h, gap, top = 22, 6, 6
    # the label column fits the longest name (up to 250 px); a longer one ends in "…"
    # and keeps its whole name in the bar's tooltip: never cut at the chart's edge
    longest = max(len(label) for label, _, _ in rows)
    label_w = int(min(250, max(110, longest * GLYPH_W + 14)))
    fits = int((label_w - 14) / GLYPH_W)
    height = top + len(rows) * (bar_h + gap) + 6
    vmax = max(v for _, v, _ in rows) or 1
    span = width - label_w - 230
    body = []
    for i, (label, value, note) in enumerate(rows):
        y = top + i * (bar_h + gap)
        w = max(1.0, value / vmax * span)
        shown = label if len(label) <= fits else label[:fits - 1].rstrip() + "…"
        body.append(
            f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end" fill="#222">'
            f"{escape(shown)}</text>"
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{color}" '
            f'class="bar"><title>{escape(label)}: {escape(fmt(value))} {escape(note)}</title>'
            "</rect>"
            f'<text x="{label_w + w + 6:.1f}" y="{y + 15}" fill="#222">{escape(fmt(value))} '
            f"<tspan fill=\"#666\">{escape(note)}</tspan></text>"
        )
    desc = "; ".join(f"{label}: {fmt(v)} {note}" for label, v, note in rows)
    return _svg(width, height, title, desc, body)


def share_bars(rows: Sequence[tuple[str, float | None]], *, title: str, fmt: Fmt,
               labels: tuple[str, str], width: int = 640) -> str:
    """100% bars split into a share (e.g. women) and the rest (men)."""
    valid = [(label, s) for label, s in rows if s is not None]
    if not valid:
        return _svg(width, 40, title, "no data", [f'<text x="10" y="24">{escape(title)}: –</text>'])
    bar_h, gap, label_w, top = 24, 8, 260, 24
    height = top + len(valid) * (bar_h + gap) + 4
    span = width - label_w - 20
    legend = (f'<rect x="{label_w}" y="4" width="12" height="10" fill="{PALETTE[1]}"/>'
              f'<text x="{label_w + 16}" y="13">{escape(labels[0])}</text>'
              f'<rect x="{label_w + 160}" y="4" width="12" height="10" fill="#bbb"/>'
              f'<text x="{label_w + 176}" y="13">{escape(labels[1])}</text>')
    body = [legend]
    for i, (label, share) in enumerate(valid):
        y = top + i * (bar_h + gap)
        w = share / 100 * span
        body.append(
            f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{PALETTE[1]}" '
            f'class="bar"/><rect x="{label_w + w:.1f}" y="{y}" width="{span - w:.1f}" '
            f'height="{bar_h}" fill="#bbb"/>'
            f'<text x="{label_w + 6}" y="{y + 16}" fill="#fff">{escape(fmt(share))} %</text>'
        )
    desc = "; ".join(f"{label}: {fmt(s)} % {labels[0]}" for label, s in valid)
    return _svg(width, height, title, desc, body)


def classes(values: Sequence[float], k: int = len(MAP_SCALE) - 1) -> list[float]:
    """Upper bounds of k classes on a log scale (stocks span several orders of magnitude)."""
    positive = sorted(v for v in values if v > 0)
    if not positive:
        return []
    lo, hi = math.log10(positive[0]), math.log10(positive[-1])
    if hi - lo < 1e-9:
        return [positive[-1]]
    return [10 ** (lo + (hi - lo) * (i + 1) / k) for i in range(k)]


def world_map(shapes: dict[str, str], values: dict[str, float], *, title: str, fmt: Fmt,
              names: dict[str, str], highlight: str | None = None,
              width: int = 960, height: int = 480,
              link: Callable[[str], str] | None = None) -> str:
    """Choropleth of `values` by area code; `shapes` maps ISO3 to an SVG path in a
    width x height equirectangular frame (see tmo.sources.natural_earth). With `link`,
    each area of `values` is a link to `link(iso3)` for the pointer (kept out of the keyboard's tab
    order: a page with a map also offers a search)."""
    bounds = classes(list(values.values()))
    body = ['<rect width="100%" height="100%" fill="#f7fbff"/>']
    for iso3, path in shapes.items():
        value = values.get(iso3)
        if iso3 == highlight:
            fill, stroke = "#f1c40f", "#333"
        elif value and bounds:
            idx = next((i for i, b in enumerate(bounds) if value <= b * (1 + 1e-9)),
                       len(bounds) - 1)
            fill, stroke = MAP_SCALE[idx + 1], "#fff"
        else:
            fill, stroke = "#e3e3e3", "#fff"
        label = names.get(iso3, iso3)
        tip = f"{label}: {fmt(value)}" if value else label
        area = (f'<path d="{path}" fill="{fill}" stroke="{stroke}" stroke-width="0.5" '
                f'data-iso3="{iso3}"><title>{escape(tip)}</title></path>')
        if link is not None and iso3 in values:  # an area without figures has no page
            area = f'<a href="{escape(link(iso3))}" tabindex="-1">{area}</a>'
        body.append(area)
    lx, ly = 12, height - 24 - 18 * len(bounds)
    low = 0.0
    for i, b in enumerate(bounds):
        body.append(f'<rect x="{lx}" y="{ly + i * 18}" width="14" height="14" '
                    f'fill="{MAP_SCALE[i + 1]}"/><text x="{lx + 20}" y="{ly + i * 18 + 11}" '
                    f'font-size="11">{escape(fmt(low))} – {escape(fmt(b))}</text>')
        low = b
    top = sorted(values.items(), key=lambda kv: -kv[1])[:10]
    desc = "; ".join(f"{names.get(k, k)}: {fmt(v)}" for k, v in top)
    return _svg(width, height, title, desc, body, role="img" if link is None else "group")


def sankey(flows: Sequence[tuple[str, str, float]], *, title: str, fmt: Fmt,
           names: dict[str, str], width: int = 900) -> str:
    """Bipartite flow diagram: origins on the left, destinations on the right, a band per
    flow with its width proportional to the flow."""
    if not flows:
        return _svg(width, 40, title, "no data", [f'<text x="10" y="24">{escape(title)}: –</text>'])
    origins = list(dict.fromkeys(o for o, _, _ in flows))
    dests = list(dict.fromkeys(d for _, d, _ in flows))
    out_tot = {o: sum(f for oo, _, f in flows if oo == o) for o in origins}
    in_tot = {d: sum(f for _, dd, f in flows if dd == d) for d in dests}
    gap, top, label_w = 6, 10, 170
    total = sum(f for *_, f in flows)
    usable = 22 * max(len(origins), len(dests)) + 200
    scale = usable / total
    height = int(top * 2 + usable + gap * max(len(origins), len(dests)))

    def positions(nodes: list[str], tot: dict[str, float]) -> dict[str, float]:
        y, pos = float(top), {}
        for n in nodes:
            pos[n] = y
            y += tot[n] * scale + gap
        return pos

    oy, dy = positions(origins, out_tot), positions(dests, in_tot)
    x0, x1 = label_w, width - label_w
    body, used_o, used_d = [], dict.fromkeys(origins, 0.0), dict.fromkeys(dests, 0.0)
    for i, (o, d, f) in enumerate(flows):
        h = f * scale
        ya, yb = oy[o] + used_o[o], dy[d] + used_d[d]
        used_o[o] += h
        used_d[d] += h
        mid = (x0 + x1) / 2
        path = (f"M{x0},{ya:.1f} C{mid},{ya:.1f} {mid},{yb:.1f} {x1},{yb:.1f} "
                f"L{x1},{yb + h:.1f} C{mid},{yb + h:.1f} {mid},{ya + h:.1f} {x0},{ya + h:.1f}Z")
        label = f"{names.get(o, o)} → {names.get(d, d)}: {fmt(f)}"
        body.append(f'<path d="{path}" fill="{PALETTE[i % len(PALETTE)]}" fill-opacity="0.45" '
                     f'class="flow"><title>{escape(label)}</title></path>')
    body.extend(f'<rect x="{x0 - 8}" y="{oy[n]:.1f}" width="8" '
                f'height="{max(out_tot[n] * scale, 1):.1f}" fill="#333"/>'
                f'<text x="{x0 - 12}" y="{oy[n] + out_tot[n] * scale / 2 + 4:.1f}" '
                f'text-anchor="end">{escape(names.get(n, n))}</text>' for n in origins)
    body.extend(f'<rect x="{x1}" y="{dy[n]:.1f}" width="8" '
                f'height="{max(in_tot[n] * scale, 1):.1f}" fill="#333"/>'
                f'<text x="{x1 + 12}" y="{dy[n] + in_tot[n] * scale / 2 + 4:.1f}">'
                f"{escape(names.get(n, n))}</text>" for n in dests)
    desc = "; ".join(f"{names.get(o, o)} to {names.get(d, d)}: {fmt(f)}" for o, d, f in flows)
    return _svg(width, height, title, desc, body)


def quarter_chart(series: Sequence[tuple[str, Sequence[tuple[str, float | None]]]], *,
                  title: str, fmt: Fmt, targets: Sequence[tuple[str, float]] = (),
                  width: int = 640, height: int = 300) -> str:
    """Lines over quarters ('2013Q2'), with dashed horizontal reference lines `targets`
    = [(label, value), ...] (e.g. the SDG 10.c thresholds); `series` as in line_chart
    but with quarters for years."""
    def at(period: str) -> float:
        return int(period[:4]) + (int(period[5]) - 1) / 4

    points = [(at(p), y) for _, pts in series for p, y in pts if y is not None]
    if not points:
        return _svg(width, 60, title, "no data", [f'<text x="10" y="30">{escape(title)}: –</text>'])
    rows = len(series) + len(targets)
    left, right, top, bottom = 78, 16, 16, 40 + 18 * rows
    height = height + (bottom - 56)
    x0 = math.floor(min(x for x, _ in points))
    x1 = max(math.ceil(max(x for x, _ in points) + 0.25), x0 + 1)
    ticks = nice_ticks(max([y for _, y in points] + [v for _, v in targets]))
    low = min(0.0, *(y for _, y in points))
    ymax = ticks[-1]

    def px(x: float) -> float:
        return left + (x - x0) / (x1 - x0) * (width - left - right)

    def py(y: float) -> float:
        return height - bottom - (y - low) / (ymax - low) * (height - top - bottom)

    body = [f'<line x1="{left}" x2="{width - right}" y1="{py(t):.1f}" y2="{py(t):.1f}" '
            f'stroke="#ddd"/><text x="{left - 6}" y="{py(t) + 4:.1f}" '
            f'text-anchor="end" fill="#444">{escape(fmt(t))}</text>' for t in ticks]
    step = 1 if x1 - x0 <= 6 else 2
    body += [f'<text x="{px(y):.1f}" y="{height - bottom + 18}" text-anchor="middle" '
             f'fill="#444">{y}</text>' for y in range(x0, x1 + 1, step)]
    desc = []
    dashes = ("8 4", "2 3", "8 3 2 3")  # each reference line its own pattern
    for i, (label, value) in enumerate(targets):
        dash = dashes[i % len(dashes)]
        body.append(f'<line x1="{left}" x2="{width - right}" y1="{py(value):.1f}" '
                    f'y2="{py(value):.1f}" stroke="#595959" stroke-width="1.5" '
                    f'stroke-dasharray="{dash}" class="target"/>')
        ly = height - bottom + 34 + 18 * (len(series) + i)
        body.append(f'<line x1="{left}" x2="{left + 16}" y1="{ly + 2}" y2="{ly + 2}" '
                    f'stroke="#595959" stroke-width="1.5" stroke-dasharray="{dash}"/>'
                    f'<text x="{left + 22}" y="{ly + 6}" fill="#222">{escape(label)}</text>')
        desc.append(f"{label}: {fmt(value)}")
    for i, (label, pts) in enumerate(series):
        color = PALETTE[i % len(PALETTE)]
        valid = [(p, y) for p, y in pts if y is not None]
        if not valid:
            continue
        path = " ".join(f"{'M' if j == 0 else 'L'}{px(at(p)):.1f},{py(y):.1f}"
                        for j, (p, y) in enumerate(valid))
        body.append(f'<path d="{path}" fill="none" stroke="{color}" stroke-width="2.5" '
                    f'class="series"/>')
        body += [f'<circle cx="{px(at(p)):.1f}" cy="{py(y):.1f}" r="3" fill="{color}">'
                 f"<title>{escape(label)} {p}: {escape(fmt(y))}</title></circle>"
                 for p, y in valid]
        ly = height - bottom + 34 + 18 * i
        body.append(f'<rect x="{left}" y="{ly}" width="14" height="4" fill="{color}"/>'
                    f'<text x="{left + 20}" y="{ly + 6}" fill="#222">{escape(label)}</text>')
        desc.append(f"{label}: " + ", ".join(f"{p} {fmt(y)}" for p, y in valid))
    return _svg(width, height, title, "; ".join(desc), body)


Band = tuple[int, float, float, float, float, float]  # year, median, lo80, hi80, lo95, hi95


def fan_chart(series: Sequence[tuple[str, Sequence[tuple[int, float]], Sequence[Band]]], *,
              title: str, fmt: Fmt, legend: tuple[str, str], width: int = 640,
              height: int = 320) -> str:
    """Published values (a solid line) continued by projections (a dashed median) with
    their 80 % (darker) and 95 % (lighter) intervals as shaded fans; `series` = [(label,
    [(year, value), ...], [(year, median, lo80, hi80, lo95, hi95), ...]), ...] and
    `legend` names the two intervals."""
    values = [y for _, hist, bands in series for y in
              [v for _, v in hist] + [b[5] for b in bands]]
    if not values:
        return _svg(width, 60, title, "no data", [f'<text x="10" y="30">{escape(title)}: –</text>'])
    left, right, top, bottom = 78, 16, 16, 40 + 18 * (len(series) + 1)
    height += bottom - 56
    xs = sorted({x for _, hist, bands in series for x in
                 [h[0] for h in hist] + [b[0] for b in bands]})
    x0, x1 = xs[0], xs[-1] if xs[-1] > xs[0] else xs[0] + 1
    ticks = nice_ticks(max(values))
    ymax = ticks[-1]

    def px(x: float) -> float:
        return left + (x - x0) / (x1 - x0) * (width - left - right)

    def py(y: float) -> float:
        return height - bottom - y / ymax * (height - top - bottom)

    body = [f'<line x1="{left}" x2="{width - right}" y1="{py(t):.1f}" y2="{py(t):.1f}" '
            f'stroke="#ddd"/><text x="{left - 6}" y="{py(t) + 4:.1f}" '
            f'text-anchor="end" fill="#444">{escape(fmt(t))}</text>' for t in ticks]
    body += [f'<text x="{px(x):.1f}" y="{height - bottom + 18}" text-anchor="middle" '
             f'fill="#444">{x}</text>' for x in xs if x % 10 == 0 or x in (xs[0], xs[-1])]
    desc = []
    for i, (label, hist, bands) in enumerate(series):
        color = PALETTE[i % len(PALETTE)]
        start = [(hist[-1][0], *(hist[-1][1],) * 5)] if hist else []
        fan = [*start, *bands]
        for lo, hi, opacity in ((4, 5, 0.15), (2, 3, 0.3)):
            if len(fan) > 1:
                edge = [f"{px(b[0]):.1f},{py(b[lo]):.1f}" for b in fan]
                edge += [f"{px(b[0]):.1f},{py(b[hi]):.1f}" for b in reversed(fan)]
                body.append(f'<polygon points="{" ".join(edge)}" fill="{color}" '
                            f'fill-opacity="{opacity}" class="band"/>')
        if hist:
            path = " ".join(f"{'M' if j == 0 else 'L'}{px(x):.1f},{py(y):.1f}"
                            for j, (x, y) in enumerate(hist))
            body.append(f'<path d="{path}" fill="none" stroke="{color}" stroke-width="2.5" '
                        f'class="series"/>')
        if len(fan) > 1:
            path = " ".join(f"{'M' if j == 0 else 'L'}{px(b[0]):.1f},{py(b[1]):.1f}"
                            for j, b in enumerate(fan))
            body.append(f'<path d="{path}" fill="none" stroke="{color}" stroke-width="2.5" '
                        f'stroke-dasharray="6 4" class="median"/>')
        body += [f'<circle cx="{px(b[0]):.1f}" cy="{py(b[1]):.1f}" r="3" fill="{color}">'
                 f"<title>{escape(label)} {b[0]}: {escape(fmt(b[1]))} "
                 f"({escape(fmt(b[2]))}–{escape(fmt(b[3]))}; "
                 f"{escape(fmt(b[4]))}–{escape(fmt(b[5]))})</title></circle>" for b in bands]
        ly = height - bottom + 34 + 18 * i
        body.append(f'<rect x="{left}" y="{ly}" width="14" height="4" fill="{color}"/>'
                    f'<text x="{left + 20}" y="{ly + 6}" fill="#222">{escape(label)}</text>')
        desc.append(f"{label}: " + ", ".join(f"{x} {fmt(y)}" for x, y in hist) + "; " + ", ".join(
            f"{b[0]} {fmt(b[1])} ({fmt(b[2])}–{fmt(b[3])}; {fmt(b[4])}–{fmt(b[5])})"
            for b in bands))
    ly = height - bottom + 34 + 18 * len(series)
    body.append(f'<rect x="{left}" y="{ly - 4}" width="14" height="10" fill="#555" '
                f'fill-opacity="0.3"/><text x="{left + 20}" y="{ly + 6}" fill="#222">'
                f"{escape(legend[0])}</text>"
                f'<rect x="{left + 250}" y="{ly - 4}" width="14" height="10" fill="#555" '
                f'fill-opacity="0.15"/><text x="{left + 270}" y="{ly + 6}" fill="#222">'
                f"{escape(legend[1])}</text>")
    return _svg(width, height, title, "; ".join(desc), body)


def pyramid(groups: Sequence[tuple[str, float, float]], *, title: str, fmt: Fmt,
            labels: tuple[str, str], width: int = 640) -> str:
    """A population pyramid: `groups` = [(age label, men, women), ...] youngest first,
    drawn oldest at the top; men's bars run left of the age column, women's right, on
    one scale (bar width proportional to the number). `labels` = (men, women)."""
    if not groups:
        return _svg(width, 40, title, "no data", [f'<text x="10" y="24">{escape(title)}: –</text>'])
    bar_h, gap, top, bottom, age_w, margin = 12, 2, 26, 28, 56, 28  # margin: tick labels
    mid = width / 2
    left_edge, right_edge = mid - age_w / 2, mid + age_w / 2
    span = left_edge - margin
    top_value = max(max(m, f) for _, m, f in groups)
    ticks = nice_ticks(top_value, 3) if top_value >= 1 else [0.0, 1.0]  # under one: 0 to 1
    scale = span / ticks[-1]
    height = top + len(groups) * (bar_h + gap) + bottom
    axis_y = top + len(groups) * (bar_h + gap)
    body = [(f'<rect x="{left_edge - 112}" y="6" width="12" height="10" '
             f'fill="{PALETTE[0]}"/><text x="{left_edge - 96}" y="15" fill="#222">'
             f'{escape(labels[0])}</text><rect x="{right_edge}" y="6" width="12" height="10" '
             f'fill="{PALETTE[1]}"/><text x="{right_edge + 16}" y="15" fill="#222">'
             f"{escape(labels[1])}</text>")]
    body += [f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{axis_y}" stroke="#ddd"/>'
             f'<text x="{x:.1f}" y="{axis_y + 16}" text-anchor="middle" fill="#444">'
             f"{escape(fmt(t))}</text>"
             for t in ticks for x in (left_edge - t * scale, right_edge + t * scale)]
    for i, (age, men, women) in enumerate(reversed(groups)):
        y = top + i * (bar_h + gap)
        wm, wf = men * scale, women * scale
        body.append(
            f'<text x="{mid:.1f}" y="{y + bar_h - 2}" text-anchor="middle" fill="#222" '
            f'font-size="10">{escape(age)}</text>'
            f'<rect x="{left_edge - wm:.2f}" y="{y}" width="{wm:.2f}" height="{bar_h}" '
            f'fill="{PALETTE[0]}" class="bar" data-sex="male" data-age="{escape(age)}" '
            f'data-value="{men:.17g}"><title>{escape(labels[0])} {escape(age)}: '
            f"{escape(fmt(men))}</title></rect>"
            f'<rect x="{right_edge:.2f}" y="{y}" width="{wf:.2f}" height="{bar_h}" '
            f'fill="{PALETTE[1]}" class="bar" data-sex="female" data-age="{escape(age)}" '
            f'data-value="{women:.17g}"><title>{escape(labels[1])} {escape(age)}: '
            f"{escape(fmt(women))}</title></rect>")
    desc = "; ".join(f"{age}: {labels[0]} {fmt(m)}, {labels[1]} {fmt(f)}"
                     for age, m, f in groups)
    return _svg(width, height, title, desc, body)


IntervalBar = tuple[str, float, float | None, float | None]


def interval_bars(groups: Sequence[tuple[str, Sequence[IntervalBar]]], *, title: str,
                  fmt: Fmt, legend: str, width: int = 640) -> str:
    """Horizontal bars with an interval line across each, in groups under a heading (one
    colour a group, on one scale); `groups` = [(heading, [(label, value, low, high), ...]),
    ...], low and high None where there is no interval; `legend` names the line ("" for
    none)."""
    bars = [b for _, rows in groups for b in rows]
    if not bars:
        return _svg(width, 40, title, "no data", [f'<text x="10" y="24">{escape(title)}: –</text>'])
    bar_h, gap, head = 18, 6, 24
    longest = max(len(b[0]) for b in bars)
    label_w = int(min(250, max(110, longest * GLYPH_W + 14)))
    fits = int((label_w - 14) / GLYPH_W)
    vmax = max(max(b[1], b[3] or 0.0) for b in bars) or 1.0
    span = width - label_w - 90
    body: list[str] = []
    desc: list[str] = []
    y = 4
    for g, (heading, rows) in enumerate(groups):
        color = PALETTE[g % len(PALETTE)]
        body.append(f'<text x="4" y="{y + 16}" fill="#222" font-weight="bold">'
                    f"{escape(heading)}</text>")
        y += head
        if not rows:
            body.append(f'<text x="{label_w}" y="{y + 13}" fill="#666">–</text>')
            y += bar_h + gap
        for label, value, low, high in rows:
            w = max(1.0, value / vmax * span)
            shown = label if len(label) <= fits else label[:fits - 1].rstrip() + "…"
            band = "" if low is None or high is None else f" ({fmt(low)}–{fmt(high)})"
            body.append(
                f'<text x="{label_w - 8}" y="{y + 13}" text-anchor="end" fill="#222">'
                f"{escape(shown)}</text>"
                f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{color}" '
                f'fill-opacity="0.75" class="bar"><title>{escape(label)}: {escape(fmt(value))}'
                f"{escape(band)}</title></rect>")
            end = label_w + w
            if low is not None and high is not None:
                x0, x1 = label_w + low / vmax * span, label_w + high / vmax * span
                mid = y + bar_h / 2
                body.append(
                    f'<path d="M{x0:.1f},{mid:.1f}H{x1:.1f}M{x0:.1f},{y + 3}V{y + bar_h - 3}'
                    f'M{x1:.1f},{y + 3}V{y + bar_h - 3}" stroke="#222" stroke-width="1.5" '
                    'fill="none" class="interval"/>')
                end = max(end, x1)
            body.append(f'<text x="{end + 6:.1f}" y="{y + 13}" fill="#222">'
                        f"{escape(fmt(value))}</text>")
            desc.append(f"{heading}: {label} {fmt(value)}{band}")
            y += bar_h + gap
    if legend:
        body.append(f'<path d="M{label_w},{y + 9}H{label_w + 24}M{label_w},{y + 4}V{y + 14}'
                    f'M{label_w + 24},{y + 4}V{y + 14}" stroke="#222" stroke-width="1.5" '
                    f'fill="none"/><text x="{label_w + 32}" y="{y + 13}" fill="#222">'
                    f"{escape(legend)}</text>")
        y += 22
    return _svg(width, y + 4, title, "; ".join(desc), body)
