"""A world choropleth with given class bounds and a legend that has a no-data class (the
indicator explorer's map). Pure: shapes, values and bounds in, SVG text out; the
profile's own map is `tmo.profiles.charts.world_map`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from tmo.indicators.breaks import klass
from tmo.profiles.charts import MAP_SCALE, Fmt

NO_DATA = "#d6d6d6"
SCALE = MAP_SCALE[1:]  # five blues, light to dark


def legend(bounds: Sequence[float], fmt: Fmt, no_data: str) -> list[tuple[str, str]]:
    """(colour, label) of each class, then of the no-data class."""
    rows = [(SCALE[i], f"≤ {fmt(b)}" if i == 0 else f"{fmt(bounds[i - 1])} – {fmt(b)}")
            for i, b in enumerate(bounds[:len(SCALE)])]
    return [*rows, (NO_DATA, no_data)]


def choropleth(shapes: dict[str, str], values: dict[str, float], bounds: Sequence[float], *,
               title: str, fmt: Fmt, names: dict[str, str], no_data: str,
               selected: Sequence[str] = (), width: int = 960, height: int = 480,
               link: Callable[[str], str] | None = None, legend_fmt: Fmt | None = None) -> str:
    """`values` by area code coloured by class (`bounds`: upper bounds, at most five,
    from `tmo.indicators.breaks`); areas without a value in the no-data colour, named so
    in their tooltip and the legend (its bounds written by `legend_fmt`, default `fmt`);
    `selected` areas outlined. With `link`, each area with a value links to `link(iso3)`
    for the pointer (out of the tab order)."""
    bound = legend_fmt or fmt
    body = ['<rect width="100%" height="100%" fill="#f7fbff"/>']
    for iso3, path in shapes.items():
        value = values.get(iso3)
        fill = NO_DATA if value is None else SCALE[min(klass(value, bounds), len(SCALE) - 1)]
        stroke, sw = ("#1d2733", 1.5) if iso3 in selected else ("#fff", 0.5)
        tip = f"{names.get(iso3, iso3)}: {fmt(value) if value is not None else no_data}"
        area = (f'<path d="{path}" fill="{fill}" stroke="{stroke}" stroke-width="{sw}" '
                f'data-iso3="{iso3}"><title>{escape(tip)}</title></path>')
        if link is not None and value is not None:
            area = f'<a href="{escape(link(iso3))}" tabindex="-1">{area}</a>'
        body.append(area)
    rows = legend(bounds, bound, no_data)
    lx, ly = 12, height - 12 - 18 * len(rows)
    body.append('<g class="legend">')
    body.append(f'<rect x="{lx - 6}" y="{ly - 6}" width="170" height="{18 * len(rows) + 8}" '
                'fill="#ffffff" fill-opacity="0.9"/>')
    for i, (color, label) in enumerate(rows):
        body.append(f'<rect x="{lx}" y="{ly + i * 18}" width="14" height="14" fill="{color}" '
                    f'stroke="#5b6775" stroke-width="0.5"/><text x="{lx + 20}" '
                    f'y="{ly + i * 18 + 11}" font-size="11" fill="#1d2733">{escape(label)}</text>')
    body.append("</g>")
    ranked = sorted(values.items(), key=lambda kv: -kv[1])[:10]
    desc = "; ".join(f"{names.get(k, k)}: {fmt(v)}" for k, v in ranked)
    role = "img" if link is None else "group"
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="100%" role="{role}" class="chart" font-family="sans-serif" font-size="12">'
            f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>" + "".join(body)
            + "</svg>")
