"""A stations plan as CSV (one row per site) or as a self-contained HTML page (summary,
assumptions with their sources, a map, the sites of every country), from the plan's
document (`Plan.as_dict()`): renderers only show it."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from tmo.sources.natural_earth import HEIGHT, WIDTH, project

TEMPLATES = Path(__file__).with_name("templates")
_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                   trim_blocks=True, lstrip_blocks=True)
CSV_COLUMNS = ("iso3", "country", "city", "lat", "lon", "kind", "mission", "stations",
               "expected_voters", "voters_per_station", "over_capacity",
               "country_expected_voters", "country_stations_needed")


def to_csv(document: dict[str, Any]) -> str:
    """One row per planned site (countries without a site: one row, empty site columns)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for country in document["countries"]:
        base = {"iso3": country["iso3"], "country": country["name"],
                "country_expected_voters": country["expected_voters"],
                "country_stations_needed": country["stations_needed"]}
        for site in country["sites"] or [{}]:
            writer.writerow({**base, **{k: site.get(k, "") for k in CSV_COLUMNS
                                        if k in site}})
    return out.getvalue()


def to_html(document: dict[str, Any], shapes: dict[str, str]) -> str:
    """The plan page; `shapes` are the store's country outlines (ISO3 -> SVG path)."""
    return _env.get_template("plan.html").render(
        plan=document, summary=document["summary"], map=plan_map(document, shapes),
        pct=_pct, num=_num)


def plan_map(document: dict[str, Any], shapes: dict[str, str]) -> dict[str, Any]:
    """The map's frame (cropped to the sites, in the shapes' equirectangular frame), the
    countries of residence shaded by expected voters, and a circle per site."""
    sites = [(c["iso3"], s) for c in document["countries"] for s in c["sites"]]
    if not sites:
        return {"viewbox": f"0 0 {WIDTH:g} {HEIGHT:g}", "countries": [], "sites": [],
                "others": list(shapes.values())}
    points = [project(s["lon"], s["lat"]) for _, s in sites]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    pad = 12.0
    left, top = max(0.0, min(xs) - pad), max(0.0, min(ys) - pad)
    right, bottom = min(WIDTH, max(xs) + pad), min(HEIGHT, max(ys) + pad)
    width, height = max(right - left, 60.0), max(bottom - top, 40.0)
    voters = {c["iso3"]: c["expected_voters"] for c in document["countries"]}
    top_voters = max(voters.values(), default=0) or 1
    countries = [{"iso3": iso3, "path": path,
                  "shade": 0.15 + 0.6 * math.sqrt(voters[iso3] / top_voters)}
                 for iso3, path in shapes.items() if voters.get(iso3)]
    most = max((s["stations"] for _, s in sites), default=1)
    radius = max(width, height) / 120
    circles = [{"x": x, "y": y, "r": radius * (0.6 + math.sqrt(s["stations"] / most)),
                "iso3": iso3, "city": s["city"], "stations": s["stations"],
                "mission": s["mission"], "over": s["over_capacity"]}
               for (iso3, s), (x, y) in zip(sites, points, strict=True)]
    return {"viewbox": f"{left:.1f} {top:.1f} {width:.1f} {height:.1f}",
            "countries": countries, "sites": circles, "stroke": radius / 4,
            "others": [p for iso3, p in shapes.items() if not voters.get(iso3)]}


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f} %"


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"
