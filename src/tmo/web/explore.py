"""The indicator explorer: every indicator of the profiles the store has data for (the map
indicators, and those from annual sources: `tmo.indicators.annual`) on a world map with a year
slider (and play), quantile classes and a no-data class; the same indicator over time for
one or several countries (values or an index), as a table, and its sources and
processing. The whole state is in the address (a permalink); every chart downloads as
SVG, PNG (drawn by the browser from the SVG) and CSV, and embeds (`/embed/explore`)."""

from __future__ import annotations

import csv
import io
import math
import threading
from enum import StrEnum
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from tmo import __version__
from tmo.errors import InputError, NotFound
from tmo.indicators import annual, maps, series
from tmo.indicators.breaks import breaks
from tmo.indicators.definitions import translated
from tmo.profiles import charts
from tmo.profiles.choropleth import choropleth, legend
from tmo.profiles.i18n import Locale
from tmo.store import facts
from tmo.store.evidence import Evidence
from tmo.web.pages import LANG, here, page
from tmo.web.state import Snapshot, evidence, snapshot
from tmo.web.wording import INDICATOR_NAMES, words

router = APIRouter(include_in_schema=False)
MAX_COUNTRIES = 6

Indicator = StrEnum("Indicator", {k: k for k in [*maps.MAP_INDICATORS,  # type: ignore[misc]
                                                   *annual.ANNUAL]})
DEFAULT = Indicator("immigrant_share")


class View(StrEnum):
    map = "map"
    chart = "chart"
    table = "table"
    sources = "sources"


class Mode(StrEnum):
    absolute = "abs"
    relative = "rel"


_kept: dict[tuple[str, str, str], dict[int, dict[str, float]]] = {}
_offered: dict[str, list[str]] = {}
_lock = threading.Lock()


def values_by_year(ev: Evidence, snap: Snapshot, indicator: str) -> dict[int, dict[str, float]]:
    """year -> iso3 -> value, computed once per store file (a few kept)."""
    key = (snap.fingerprint, snap.revision, indicator)
    with _lock:
        if key in _kept:
            return _kept[key]
    years = facts.years(ev.con, snap.revision)
    found = series.every_year(ev, indicator, snap.revision, years)
    with _lock:
        if len(_kept) >= 32:
            _kept.pop(next(iter(_kept)))
        _kept[key] = found
    return found


def offered(ev: Evidence, snap: Snapshot) -> list[str]:
    """The indicators the explorer offers: the map indicators and the annual ones the
    store has data for (`tmo.indicators.annual.available`)."""
    with _lock:
        if snap.fingerprint in _offered:
            return _offered[snap.fingerprint]
    found = [*maps.MAP_INDICATORS, *annual.available(ev)]
    with _lock:
        _offered[snap.fingerprint] = found
    return found


def definition(indicator: str, lang: str = "en") -> Any:
    return translated(lang)[indicator]


class State:
    """The explorer's state read from the address, checked against the store."""

    def __init__(self, snap: Snapshot, years: list[int], *, indicator: str, year: int | None,
                 countries: list[str], mode: str, view: str, lang: str) -> None:
        if year is not None and year not in years:
            raise NotFound(f"no estimate for {year} in IMS {snap.revision}",
                           hint=f"years: {', '.join(map(str, years))}")
        unknown = [c for c in countries if c.upper() not in snap.known]
        if unknown:
            raise NotFound(f"unknown country {unknown[0]!r}", hint="use ISO3 codes, e.g. MDA")
        self.indicator, self.year = indicator, year or years[-1]
        self.countries = list(dict.fromkeys(c.upper() for c in countries if c))[:MAX_COUNTRIES]
        self.mode, self.view, self.lang, self.years = mode, view, lang, years

    def query(self, **change: Any) -> str:
        """The address's query of this state (with `change`), defaults left out."""
        state = {"indicator": self.indicator, "year": self.year, "countries": self.countries,
                 "mode": self.mode, "view": self.view, "lang": self.lang, **change}
        pairs: list[tuple[str, Any]] = [("indicator", state["indicator"]),
                                        ("year", state["year"])]
        pairs += [("countries", c) for c in state["countries"]]
        if state["mode"] != "abs":
            pairs.append(("mode", state["mode"]))
        if state["view"] != "map":
            pairs.append(("view", state["view"]))
        if state["lang"] != "en":
            pairs.append(("lang", state["lang"]))
        return urlencode(pairs)


def read_state(snap: Snapshot = Depends(snapshot), ev: Evidence = Depends(evidence), *,
               indicator: Indicator = Query(DEFAULT, description="the indicator"),
               year: int | None = Query(None, ge=1950, le=2100, description="the map's year"),
               countries: list[str] = Query([], max_length=MAX_COUNTRIES,
                                            description="ISO3 codes to compare"),
               mode: Mode = Query(Mode.absolute, description="values or an index"),
               view: View = Query(View.map, description="the tab shown"),
               lang: str = LANG) -> tuple[State, Evidence, Snapshot]:
    codes = [c for c in countries if c]
    if indicator.value not in offered(ev, snap):
        raise NotFound(f"no data for {indicator.value} in this store",
                       hint=f"indicators: {', '.join(offered(ev, snap))}")
    if any(len(c) != 3 or not c.isalpha() for c in codes):
        raise InputError("countries are ISO3 codes", hint="e.g. countries=MDA&countries=ROU")
    state = State(snap, facts.years(ev.con, snap.revision), indicator=indicator.value,
                  year=year, countries=codes, mode=mode.value, view=view.value, lang=lang)
    return state, ev, snap


Read = tuple[State, Evidence, Snapshot]


def formatter(indicator: str, lang: str, relative: bool = False) -> Any:
    loc = Locale(lang)
    if relative:
        return lambda v: loc.number(v, 0)
    unit = definition(indicator).unit
    if unit.startswith("per 1,000"):
        return lambda v: loc.number(v, 1)
    return loc.percent if unit == "percent" else loc.compact


def bound_formatter(indicator: str, lang: str) -> Any:
    """Class bounds as written in the legend: two significant digits, whatever the size."""
    loc = Locale(lang)
    if definition(indicator).unit.startswith("per 1,000"):
        return lambda v: loc.number(v, 1)
    if definition(indicator).unit != "percent":
        return loc.compact

    def write(v: float) -> str:
        digits = 0 if v == 0 else max(0, 1 - math.floor(math.log10(abs(v))))
        return loc.number(v, digits) + loc.t("percent_suffix")
    return write


def map_bounds(st: State, ev: Evidence, snap: Snapshot) -> list[float]:
    """The classes of the whole period, so colours mean the same in every year."""
    every = values_by_year(ev, snap, st.indicator)
    return breaks([v for year in every.values() for v in year.values()])


def title_of(st: State) -> str:
    return INDICATOR_NAMES[st.indicator][st.lang]


def map_svg(st: State, ev: Evidence, snap: Snapshot, link: bool = True) -> str:
    values = values_by_year(ev, snap, st.indicator)[st.year]
    w = words(st.lang)
    suffix = f"?lang={st.lang}" if st.lang != "en" else ""
    return choropleth(snap.lexicon.shapes, values, map_bounds(st, ev, snap),
                      legend_fmt=bound_formatter(st.indicator, st.lang),
                      title=w["map_title"].format(indicator=title_of(st), year=st.year),
                      fmt=formatter(st.indicator, st.lang), names=snap.lexicon.names_in(st.lang),
                      no_data=w["no_data"], selected=st.countries,
                      link=(lambda iso3: f"/countries/{iso3}{suffix}") if link else None)


def chart_countries(st: State, ev: Evidence, snap: Snapshot) -> list[str]:
    if st.countries:
        return st.countries
    year = values_by_year(ev, snap, st.indicator)[st.year]
    return [c for c, _ in sorted(year.items(), key=lambda kv: (-kv[1], kv[0]))[:5]]


def chart_series(st: State, ev: Evidence, snap: Snapshot
                 ) -> list[tuple[str, list[tuple[int, float | None]]]]:
    every = values_by_year(ev, snap, st.indicator)
    names = snap.lexicon.names_in(st.lang)
    out = []
    for code in chart_countries(st, ev, snap):
        points = [(y, every[y].get(code)) for y in st.years]
        if st.mode == "rel":
            base = next((v for _, v in points if v), None)
            points = [(y, None if v is None or not base else 100 * v / base) for y, v in points]
        out.append((names.get(code, code), points))
    return out


def chart_svg(st: State, ev: Evidence, snap: Snapshot) -> str:
    w = words(st.lang)
    key = "chart_title_rel" if st.mode == "rel" else "chart_title"
    title = w[key].format(indicator=title_of(st), first=st.years[0], last=st.years[-1])
    return charts.line_chart(chart_series(st, ev, snap), title=title,
                             fmt=formatter(st.indicator, st.lang, st.mode == "rel"))


def csv_rows(st: State, ev: Evidence, snap: Snapshot) -> list[dict[str, Any]]:
    """The view's values, each with the query of the rows it is computed from: the map's
    year for every country, or the chart's countries in every year."""
    every = values_by_year(ev, snap, st.indicator)
    names = snap.lexicon.names_in("en")
    if st.view == "chart":
        cells = [(c, y) for c in chart_countries(st, ev, snap) for y in st.years]
    else:
        cells = [(c, st.year) for c, _ in sorted(every[st.year].items(), key=lambda kv: -kv[1])]
    rows = []
    for code, year in cells:
        value = every[year].get(code)
        rows.append({"iso3": code, "name": names.get(code, code), "indicator": st.indicator,
                     "year": year, "value": "" if value is None else round(value, 4),
                     "revision": snap.revision,
                     "source_query": "; ".join(series.queries(st.indicator, snap.revision,
                                                              code, year))})
    return rows


def citation(st: State, snap: Snapshot, request: Request) -> str:
    title = f"{title_of(st)}, {st.year}"
    url = f"{request.base_url}explore?{st.query()}"
    return words(st.lang)["citation"].format(version=__version__, title=title,
                                             revision=snap.revision, url=url)


@router.get("/explore", response_class=HTMLResponse)
def explore(request: Request, read: Read = Depends(read_state)) -> HTMLResponse:
    st, ev, snap = read
    w = words(st.lang)
    names = snap.lexicon.names_in(st.lang)
    every = values_by_year(ev, snap, st.indicator)
    ind = definition(st.indicator, st.lang)
    fmt = formatter(st.indicator, st.lang)
    figure = ""
    if st.view == "map":
        figure = map_svg(st, ev, snap)
    elif st.view == "chart":
        figure = chart_svg(st, ev, snap)
    ranked = sorted(every[st.year].items(), key=lambda kv: (-kv[1], kv[0]))
    table_rows = [(i + 1, code, names.get(code, code), fmt(v)) for i, (code, v) in
                  enumerate(ranked)]
    if st.view == "table" and st.countries:
        table_rows = [r for r in table_rows if r[1] in st.countries]
    no_value = sorted(c for c in snap.lexicon.shapes if c not in every[st.year])
    options = sorted(((c["iso3"], names.get(c["iso3"], c["name"])) for c in snap.country_list),
                     key=lambda c: c[1])
    base = str(request.base_url).rstrip("/")
    return page("explore.html", title=title_of(st), st=st, w=w, lang=st.lang,
                langs=here(request), current="/explore",
                crumbs=[(w["nav_explore"], None)],
                indicators=[(k, INDICATOR_NAMES[k][st.lang]) for k in offered(ev, snap)],
                figure=figure, table_rows=table_rows,
                no_value=[names.get(c, c) for c in no_value], options=options,
                ind=ind, queries=series.queries(st.indicator, snap.revision,
                                                st.countries[0] if st.countries else "MDA",
                                                st.year),
                files=series.files(ev, st.indicator, snap.revision), revision=snap.revision,
                default_chart=not st.countries and st.view == "chart",
                q=st.query(), base=base, citation=citation(st, snap, request),
                legend=legend(map_bounds(st, ev, snap), bound_formatter(st.indicator, st.lang),
                              w["no_data"]) if st.view == "map" else [],
                year_index=st.years.index(st.year))


@router.get("/explore/map.svg")
def explore_map(read: Read = Depends(read_state)) -> Response:
    st, ev, snap = read
    return Response(map_svg(st, ev, snap, link=False), media_type="image/svg+xml",
                    headers={"Content-Disposition":
                             f'inline; filename="{st.indicator}-{st.year}.svg"'})


@router.get("/explore/chart.svg")
def explore_chart(read: Read = Depends(read_state)) -> Response:
    st, ev, snap = read
    return Response(chart_svg(st, ev, snap), media_type="image/svg+xml",
                    headers={"Content-Disposition":
                             f'inline; filename="{st.indicator}-{st.years[0]}-'
                             f'{st.years[-1]}.svg"'})


@router.get("/explore/data.csv")
def explore_csv(read: Read = Depends(read_state)) -> Response:
    st, ev, snap = read
    rows = csv_rows(st, ev, snap)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["iso3", "name", "indicator", "year", "value",
                                             "revision", "source_query"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    name = f"{st.indicator}-{st.year if st.view != 'chart' else 'years'}.csv"
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/embed/explore", response_class=HTMLResponse)
def embed(request: Request, read: Read = Depends(read_state)) -> HTMLResponse:
    """The view's chart (or map) alone with its title, citation and a link to the full
    view: for an iframe on another site (framing is allowed on /embed/ routes only)."""
    st, ev, snap = read
    figure = chart_svg(st, ev, snap) if st.view == "chart" else map_svg(st, ev, snap,
                                                                         link=False)
    return page("embed.html", title=title_of(st), st=st, w=words(st.lang), lang=st.lang,
                figure=figure, q=st.query(), citation=citation(st, snap, request))
