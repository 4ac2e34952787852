"""A stations plan as CSV (one row per site), as a self-contained HTML page (summary,
maps, assumptions with their sources, the sites of every country), and its voter
information pages (one per language), from the plan's document (`Plan.as_dict()`):
renderers only show it.

The maps are the project's world map (`tmo.profiles.charts.world_map`, countries shaded
by expected voters), which the caller passes in as a `MapDrawer` (profiles sit above
voting in the layers), zoomed here to the planned sites, with a circle per site: an
overview of every site and, when most stations crowd into a small part of it, a detail.
"""

from __future__ import annotations

import csv
import datetime
import html
import io
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from tmo.sources.natural_earth import HEIGHT, WIDTH, project
from tmo.voting.i18n import Locale
from tmo.voting.info import cite, info_languages, voter_info

TEMPLATES = Path(__file__).with_name("templates")
_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                   trim_blocks=True, lstrip_blocks=True)
CSV_COLUMNS = ("iso3", "country", "city", "lat", "lon", "kind", "mission", "stations",
               "expected_voters", "voters_per_station", "over_capacity",
               "country_expected_voters", "country_stations_needed")
# (values by ISO3, title) -> the world map's SVG in the natural_earth WIDTH x HEIGHT frame
MapDrawer = Callable[[dict[str, float], str], str]
SITE_COLOURS = {"mission": "#111827", "city": "#c2410c", "over": "#b91c1c"}
CRITERIA_LABELS = {"estimated_electors": "estimated electors",
                   "pre_registrations": "pre-registrations", "previous_votes": "previous votes"}
# world_map's legend: a 14 x 14 swatch and its label, drawn in the world's frame
_LEGEND = re.compile(r'<rect x="[\d.]+" y="[\d.]+" width="14" height="14" '
                     r'fill="(#[0-9a-fA-F]{3,6})"/><text [^>]*>([^<]*)</text>')


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


def to_html(document: dict[str, Any], draw: MapDrawer, *,
            info_links: list[tuple[str, str, str]] | None = None,
            nav: list[tuple[str, str]] | None = None) -> str:
    """The plan page. `info_links`: (language code, name, href) of the voter-information
    pages; `nav`: (label, href) links shown above the title (the web app's)."""
    registrations = (document.get("inputs") or {}).get("registrations")
    return _env.get_template("plan.html").render(
        plan=document, summary=document["summary"], maps=plan_maps(document, draw),
        assumptions=assumptions(document), info_links=info_links or [], nav=nav or [],
        synthetic=registrations if registrations and registrations.get("synthetic") else None,
        site_colours=SITE_COLOURS, pct=_pct, num=_num)


def to_info_html(document: dict[str, Any], lang: str, names: dict[str, dict[str, str]], *,
                 links: dict[str, str], plan_href: str | None = None,
                 election: datetime.date | None = None) -> str:
    """The voter-information page in `lang`; `links` maps each language to its page's
    href (the language switch), `plan_href` links the plan page."""
    context = voter_info(document, lang, names, election=election)
    languages = [{"code": code, "name": Locale(code).t("language"), "href": links.get(code, "")}
                 for code in info_languages(document) if code in links]
    return _env.get_template("info.html").render(**context, languages=languages,
                                                 plan_href=plan_href)


# --- maps ---------------------------------------------------------------------------------

Box = tuple[float, float, float, float]  # left, top, width, height in the world's frame


def plan_maps(document: dict[str, Any], draw: MapDrawer) -> list[dict[str, Any]]:
    """The overview (every site) and, when useful, a detail of where most stations are:
    each {"svg", "caption", "legend": [(colour, label)]}."""
    values = {c["iso3"]: float(c["expected_voters"]) for c in document["countries"]
              if c["expected_voters"] and c["expected_voters"] >= 1}
    sites = [(c["iso3"], c["name"], s) for c in document["countries"] for s in c["sites"]]
    title = f"Polling stations abroad planned for {document['origin_name']}"
    world = draw(values, title)
    points = [(*project(s["lon"], s["lat"]), s) for _, _, s in sites]
    if not points:
        return [{"svg": zoom(world, (0.0, 0.0, WIDTH, HEIGHT), []), "legend": legend(world),
                 "caption": "No site is planned: countries shaded by expected voters."}]
    overview = _frame([(x, y) for x, y, _ in points], pad=14.0, aspect=2.2)
    out = [{"svg": zoom(world, overview, _circles(sites, points, overview)),
            "legend": legend(world),
            "caption": f"All {len(points)} sites of the plan's {document['summary']['stations']}"
                       " stations."}]
    detail = _detail(points, overview)
    if detail is not None:
        box, inside = detail
        stations = sum(int(s["stations"]) for _, _, s in inside)
        out.append({"svg": zoom(world, box, _circles(sites, points, box)),
                    "legend": [],
                    "caption": f"Detail: {len(inside)} sites with {stations} of the "
                               f"{document['summary']['stations']} stations."})
    return out


def legend(svg: str) -> list[tuple[str, str]]:
    """The world map's legend (swatch colour, label), to show beside a zoomed map."""
    return [(colour, html.unescape(label)) for colour, label in _LEGEND.findall(svg)]


def zoom(svg: str, box: Box, circles: list[str]) -> str:
    """The world map cropped to `box` (its legend, drawn in the world's corner, removed:
    the page shows it), with `circles` drawn over it."""
    left, top, width, height = box
    svg = re.sub(r'viewBox="[^"]*"', f'viewBox="{left:.1f} {top:.1f} {width:.1f} {height:.1f}"',
                 svg, count=1)
    svg = svg.replace('class="chart"', 'class="chart plan-map"', 1)
    svg = svg.replace('<rect width="100%" height="100%"',
                      f'<rect x="{left:.1f}" y="{top:.1f}" width="{width:.1f}" '
                      f'height="{height:.1f}"', 1)
    svg = _LEGEND.sub("", svg)
    head, _, tail = svg.rpartition("</svg>")
    return f'{head}<g class="sites">{"".join(circles)}</g></svg>{tail}'


def _frame(points: list[tuple[float, float]], *, pad: float, aspect: float) -> Box:
    """The smallest box around `points` (padded), no flatter than `aspect` (width /
    height), kept inside the world."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    left, right = min(xs) - pad, max(xs) + pad
    top, bottom = min(ys) - pad, max(ys) + pad
    width = max(right - left, 60.0)
    height = max(bottom - top, width / aspect, 36.0)
    cx, cy = (left + right) / 2, (top + bottom) / 2
    width, height = min(width, WIDTH), min(height, HEIGHT)
    left = min(max(cx - width / 2, 0.0), WIDTH - width)
    top = min(max(cy - height / 2, 0.0), HEIGHT - height)
    return left, top, width, height


def _detail(points: list[tuple[float, float, dict[str, Any]]], overview: Box
            ) -> tuple[Box, list[tuple[float, float, dict[str, Any]]]] | None:
    """Where most stations are: the window of 70 x 35 degrees (centred on a site) holding
    the most stations, when it is under half the overview's width and leaves sites out."""
    span_x, span_y = 70 / 360 * WIDTH, 35 / 180 * HEIGHT
    best: list[tuple[float, float, dict[str, Any]]] = []
    best_count = -1
    for cx, cy, _ in points:
        inside = [p for p in points if abs(p[0] - cx) <= span_x / 2
                  and abs(p[1] - cy) <= span_y / 2]
        count = sum(int(p[2]["stations"]) for p in inside)
        if count > best_count:
            best, best_count = inside, count
    if len(best) < 3 or len(best) == len(points):
        return None
    box = _frame([(x, y) for x, y, _ in best], pad=6.0, aspect=1.6)
    if box[2] * 2 > overview[2]:
        return None
    return box, best


def _circles(sites: list[tuple[str, str, dict[str, Any]]],
             points: list[tuple[float, float, dict[str, Any]]], box: Box) -> list[str]:
    """A circle per site (area by stations), larger sites drawn first."""
    most = max(int(s["stations"]) for _, _, s in sites)
    base = max(box[2], 2.0 * box[3]) / 170
    order = sorted(range(len(sites)), key=lambda i: -int(sites[i][2]["stations"]))
    out = []
    for i in order:
        iso3, name, s = sites[i]
        x, y, _ = points[i]
        radius = base * (0.7 + 1.3 * math.sqrt(int(s["stations"]) / most))
        colour = SITE_COLOURS["over" if s["over_capacity"] else
                              "mission" if s["mission"] else "city"]
        label = (f"{s['city']} ({name}): {s['stations']} station"
                 f"{'s' if s['stations'] != 1 else ''}, {_num(s['expected_voters'])} "
                 "expected voters")
        out.append(f'<circle cx="{x:.2f}" cy="{y:.2f}" r="{radius:.2f}" fill="{colour}" '
                   f'fill-opacity=".85" stroke="#fff" data-iso3="{iso3}">'
                   f"<title>{html.escape(label)}</title></circle>")
    return out


# --- assumptions ----------------------------------------------------------------------------

def assumptions(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Each assumption of the plan: what it is, its value, and where it comes from (the
    rules file's sources, a note, or how it was computed)."""
    cited = document.get("citations", {})
    rules = document["rules"]
    summary = document["summary"]
    stock = document["stock"]
    turnout = document["turnout"]

    def row(label: str, value: str, entry: dict[str, Any] | None = None,
            how: str = "") -> dict[str, Any]:
        entry = entry or {}
        return {"label": label, "value": value, "how": how,
                "sources": cite(document, list(entry.get("sources", ()))),
                "note": entry.get("note", ""),
                "unconfirmed": bool(entry) and not entry.get("confirmed", False)}

    registrations = (document.get("inputs") or {}).get("registrations")
    weights = ", ".join(f"{CRITERIA_LABELS.get(k, k)} {v:g}" for k, v in rules["weights"].items())
    rows = [
        row("Emigrants by country of residence", _num(summary["emigrants"]),
            how=f"UN DESA International Migrant Stock {stock['revision']}, {stock['year']}, "
                "origin by destination, both sexes (the JSON plan cites each country's "
                "source row)"),
        row("Adult share of emigrants", f"{document['adult_share']['value']:g}",
            document["adult_share"]),
        row("Citizenship share (still citizens)", f"{document['citizenship_share']['value']:g}",
            document["citizenship_share"]),
        row("Estimated electors abroad", _num(summary["estimated_electors"]),
            how="emigrants x adult share x citizenship share"),
        row("Turnout of estimated electors", f"{turnout['of_estimated_electors']:.4f}",
            cited.get("turnout_of_estimated_electors"), how=turnout["derivation"]),
        row("Turnout of pre-registered voters", f"{turnout['of_registered']:g}",
            cited.get("turnout_of_registered")),
        row("Votes at the last election, factor", f"{turnout['of_previous_voters']:g}",
            cited.get("turnout_of_previous_voters")),
        row("Weights of the criteria", weights, _merged(cited.get("weights", {})),
            how="expected voters = weighted mean of the criteria a country has figures for"),
    ]
    if registrations:
        label = "synthetic: made-up counts" if registrations.get("synthetic") else "the user's file"
        rows.append(row("Pre-registrations and last votes by city",
                        f"{registrations['places']} places",
                        how=f"{registrations['file']} ({label})"))
    else:
        rows.append(row("Pre-registrations and last votes by city", "none",
                        how="no registrations file: each country's voters are placed at its "
                            "capital and left out of the distance shares"))
    year = f" (in force in {rules['election_year']})" if rules.get("election_year") else ""
    rows += [
        row("Capacity: ballots per station" + year, _num(rules["max_ballots_per_station"]),
            cited.get("max_ballots_per_station")),
        row("Voters planned per station", _num(rules["voters_per_station"]),
            cited.get("voters_per_station")),
        row("Fewest expected voters to open a site", _num(rules["min_expected_voters"]),
            cited.get("min_expected_voters")),
        row("A station at every mission", "yes" if rules["at_every_mission"] else "no",
            cited.get("at_every_mission")),
        row("Stations outside missions", "allowed" if rules["outside_missions"] else "no",
            cited.get("outside_missions")),
    ]
    return rows


def _merged(entries: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    """One citation for several values (the criteria's weights): every source, every note."""
    if not entries:
        return None
    sources = list(dict.fromkeys(k for e in entries.values() for k in e.get("sources", ())))
    notes = list(dict.fromkeys(e["note"] for e in entries.values() if e.get("note")))
    return {"sources": sources, "note": " ".join(notes),
            "confirmed": all(e.get("confirmed") for e in entries.values())}


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f} %"


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"
