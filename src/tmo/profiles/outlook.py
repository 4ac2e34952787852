"""The profile's projections section (issue #14, docs/projections.md): the country's
immigrants and emigrants (diaspora) projected to 2030-2050 with their 80 % and 95 %
intervals, its main corridors, and beside them the backtest of the same model, all read
from the `projections` and `projection_backtest` views that `tmo projections run` stores.

`projections(ev, iso3, revision)` is the section of the document (empty when the store
holds no projection of the revision); `view(...)` formats it for the HTML and Markdown
templates. Nothing is computed here that the views do not hold, except choosing rows.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape

from tmo.profiles import charts, projected_flows
from tmo.profiles.i18n import Locale, catalogue
from tmo.store import facts
from tmo.store.evidence import Evidence, Source, ViewCache, describe
from tmo.vocabulary import UNKNOWN_ORIGIN, WORLD

BANDS = ("median", "lower80", "upper80", "lower95", "upper95")
HELD = ("ceiling", "held", "wpp_revision")  # stored since the ceiling (older stores lack them)
PIT = tuple(f"pit{k}" for k in range(1, 11))
SHOWN_YEARS = (2030, 2050)
CORRIDORS = 3


Row = dict[str, Any]


def _series(rows: list[Row]) -> list[dict[str, Any]]:
    return [{"year": int(r["year"]), "sex": r["sex"], **{k: float(r[k]) for k in BANDS},
             **{k: r[k] for k in HELD if k in r and pd.notna(r[k])}}
            for r in sorted(rows, key=lambda r: (r["sex"], r["year"]))]


def _total(rows: list[Row], origin: str, destination: str) -> dict[str, Any] | None:
    mine = [r for r in rows if r["origin"] == origin and r["destination"] == destination]
    if not mine:
        return None
    jump = [r["jump_off_stock"] for r in mine if r["sex"] == "total"]
    return {"jump_off_stock": float(jump[0]) if jump else None, "series": _series(mine)}


def _corridors(rows: list[Row], side: str, iso3: str) -> list[dict[str, Any]]:
    """The country's largest corridors on one side at the jump-off (both sexes), each with
    its projected totals in the shown years."""
    other = "origin" if side == "destination" else "destination"
    mine = [r for r in rows if r[side] == iso3 and r[other] not in (WORLD, UNKNOWN_ORIGIN)
            and r["sex"] == "total"]
    if not mine:
        return []
    first_year = min(r["year"] for r in mine)
    first = sorted((r for r in mine if r["year"] == first_year),
                   key=lambda r: (-r["jump_off_stock"], r[other]))[:CORRIDORS]
    out = []
    for r in first:
        if r["jump_off_stock"] <= 0:
            continue
        partner = r[other]
        shown = [x for x in mine if x[other] == partner and x["year"] in SHOWN_YEARS]
        out.append({"origin": partner if side == "destination" else iso3,
                    "destination": iso3 if side == "destination" else partner,
                    "jump_off_stock": float(r["jump_off_stock"]), "series": _series(shown)})
    return out


def _backtest_of(con: Any, revision: str) -> dict[str, Any]:
    scores = facts.projection_backtest(con, revision)
    return _backtest(scores) if not scores.empty else {}


def _backtest(scores: pd.DataFrame) -> dict[str, Any]:
    """The model's coverage of corridors and of countries' immigrants (both sexes), by
    held-out year, from the stored backtest."""
    model = scores[(scores["method"] == "model") & (scores["sex"] == "total")
                   & (scores["band"] == "all")]
    if model.empty:
        return {}
    out: dict[str, Any] = {"jump_off": int(model["jump_off"].iloc[0]),
                           "targets": sorted(int(t) for t in model["target"].unique())}
    for level in ("corridor", "destination"):
        rows = model[model["level"] == level].sort_values("target")
        out[level] = [{"target": int(r["target"]), "n": int(r["n"]),
                       "coverage80": float(r["coverage80"]),
                       "coverage95": float(r["coverage95"]),
                       "mae_log": float(r["mae_log"]),
                       **({"pit": [float(r[k]) for k in PIT]}
                          if all(k in r and pd.notna(r[k]) for k in PIT) else {})}
                      for _, r in rows.iterrows()]
    return out


def _population(ev: Evidence, iso3: str, years: list[int]) -> dict[str, Any]:
    """WPP's projected population of the country (medium variant, both sexes) on 1 July of
    each target year, taken as the mean of 31 December of the year before and of the
    year (WPP publishes year ends); the latest WPP revision; {} when it has none."""
    wanted = sorted({y - 1 for y in years} | set(years))
    rows, src = ev.rows("population_projection",
                        {"source": "UN WPP", "country": iso3, "variant": "medium",
                         "sex": "total", "date": "12-31"},
                        ["revision", "year", "population"])
    rows = rows[rows["year"].isin(wanted)]
    if rows.empty:
        return {}
    rev = str(rows["revision"].max())
    at = rows[rows["revision"] == rev].set_index("year")["population"].astype(float)
    values = [{"year": y, "population": (at[y - 1] + at[y]) / 2}
              for y in years if y in at.index and y - 1 in at.index]
    return {"revision": rev, "values": values,
            "sources": [asdict(src) | {"files": list(src.files), "rows": list(src.rows)}]}


def _by_country(con: Any, revision: str) -> dict[str, pd.DataFrame]:
    """Every stored projection of a revision, by country on either side (for a stage
    that builds every profile)."""
    whole = facts.projection_rows(con, revision=revision)
    if whole.empty:
        return {}
    whole = whole.astype({c: object for c in whole.columns if whole[c].dtype == "str"})
    out: dict[str, pd.DataFrame] = {}
    for side in ("origin", "destination"):
        for code, part in whole.groupby(side, sort=False):
            out[str(code)] = pd.concat([out[str(code)], part]) if str(code) in out else part
    return out


def projections(ev: Evidence, iso3: str, revision: str) -> dict[str, Any]:
    """The projections section of `iso3`'s profile: {} when the store holds no projection
    of `revision` (`tmo projections run` writes them)."""
    if isinstance(ev, ViewCache):  # every country in turn: the view read once
        frame = ev.fact(_by_country, revision).get(iso3, pd.DataFrame())
    else:
        frame = facts.projection_rows(ev.con, revision=revision, country=iso3)
    if frame.empty:
        return {}
    scores = ev.fact(facts.projection_backtest, revision)
    files = ev.fact(facts.projected_files, revision)
    jump_off = int(frame["jump_off"].iloc[0])
    rows = frame[["origin", "destination", "sex", "year", "jump_off_stock", *BANDS,
                  *(k for k in HELD if k in frame.columns)]].to_dict("records")
    sources = [Source("projections", describe({"revision": revision})
                      + f" AND '{iso3}' IN (origin, destination)", revision, tuple(files),
                      (), len(frame))]
    if not scores.empty:
        sources.append(Source("projection_backtest",
                              describe({"revision": revision, "method": "model"}), revision,
                              tuple(files), (), int((scores["method"] == "model").sum())))
    return {
        "population": _population(ev, iso3, sorted(int(y) for y in frame["year"].unique())),
        "revision": revision, "jump_off": jump_off,
        "draws": int(frame["draws"].iloc[0]), "seed": int(frame["seed"].iloc[0]),
        "immigrants": _total(rows, WORLD, iso3),
        "emigrants": _total(rows, iso3, WORLD),
        "from_origins": _corridors(rows, "destination", iso3),
        "to_destinations": _corridors(rows, "origin", iso3),
        "backtest": ev.fact(_backtest_of, revision),
        "ceiling": "held" in frame.columns,
        "flows": projected_flows.section(ev, iso3, revision),
        "sources": [asdict(s) | {"files": list(s.files), "rows": list(s.rows)}
                    for s in sources],
    }


def _band(loc: Locale, point: dict[str, Any] | None) -> dict[str, str]:
    if point is None:
        return {"median": loc.t("not_available"), "i80": "", "i95": ""}
    return {"median": loc.number(point["median"]),
            "i80": f"{loc.number(point['lower80'])}–{loc.number(point['upper80'])}",
            "i95": f"{loc.number(point['lower95'])}–{loc.number(point['upper95'])}"}


def _at(total: dict[str, Any] | None, year: int) -> dict[str, Any] | None:
    if not total:
        return None
    return next((p for p in total["series"] if p["sex"] == "total" and p["year"] == year),
                None)


def _held_line(imm: dict[str, Any] | None, loc: Locale, years: list[int]) -> str:
    """How the immigrants were held at WPP's projected population: the stored share of
    draws `held` in each year it is over 0."""
    points = [p for y in years if (p := _at(imm, y)) is not None and "held" in p]
    if not points:
        return loc.t("pj_no_ceiling")
    revision = points[0].get("wpp_revision", "")
    reached = [loc.t("pj_held_year", year=p["year"], share=loc.percent(100 * p["held"], 1))
               for p in points if p["held"] > 0]
    if not reached:
        return loc.t("pj_held_never", revision=revision)
    return loc.t("pj_held", revision=revision) + " " + "; ".join(reached) + "."


def _population_lines(section: dict[str, Any], loc: Locale, years: list[int]) -> list[str]:
    """Projected immigrants as a share of WPP's projected population, and how they were
    held at it (or, for projections stored before the ceiling, the years where the upper
    95 % bound exceeds it)."""
    t = loc.t
    imm = section.get("immigrants")
    population = section.get("population") or {}
    pop_by_year = {p["year"]: p["population"] for p in population.get("values", [])}
    shares, over = [], []
    for y in years:
        point = _at(imm, y)
        if point is None or y not in pop_by_year:
            continue
        shares.append(t("pj_share_year", year=y,
                        share=loc.percent(100 * point["median"] / pop_by_year[y], 1),
                        low=loc.percent(100 * point["lower80"] / pop_by_year[y], 1),
                        high=loc.percent(100 * point["upper80"] / pop_by_year[y], 1)))
        if point["upper95"] > pop_by_year[y]:
            over.append(str(y))
    if not shares:
        return []
    lines = [t("pj_population", revision=population["revision"]) + " " + "; ".join(shares)
             + "."]
    if section.get("ceiling"):
        return lines
    return lines + ([t("pj_exceeds", years=", ".join(over))] if over else [])


def view(section: dict[str, Any], loc: Locale, names: dict[str, str], country: str,
         trends: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> dict[str, Any]:
    """The section formatted for the templates: the caveat, the fan chart (published
    series from `trends`, immigrants' and emigrants' trend rows, then the projections),
    the table of totals, the main corridors, the backtest line and the sources."""
    t = loc.t
    if not section:
        return {"empty": t("pj_none")}
    rev, jump = section["revision"], section["jump_off"]
    imm, emi = section.get("immigrants"), section.get("emigrants")
    years = sorted({p["year"] for s in (imm, emi) if s for p in s["series"]})
    lines = [t("pj_caveat", revision=rev, jump_off=jump),
             t("pj_method", draws=loc.number(section["draws"]), seed=section["seed"])]
    bt = section.get("backtest") or {}
    if bt:
        cor = {r["target"]: r for r in bt.get("corridor", [])}
        dst = {r["target"]: r for r in bt.get("destination", [])}
        parts = [t("pj_backtest_year", target=y,
                   c80=loc.percent(100 * cor[y]["coverage80"], 0),
                   c95=loc.percent(100 * cor[y]["coverage95"], 0),
                   d80=loc.percent(100 * dst[y]["coverage80"], 0),
                   d95=loc.percent(100 * dst[y]["coverage95"], 0))
                 for y in bt["targets"] if y in cor and y in dst]
        backtest = t("pj_backtest", jump_off=bt["jump_off"],
                     horizon=bt["targets"][-1] - bt["jump_off"]) + " " + "; ".join(parts) + "."
        first = next((r for r in bt.get("corridor", []) if "pit" in r), None)
        if first is not None:
            pit = first["pit"]
            backtest += " " + t("pj_pit", target=first["target"],
                                low=loc.percent(100 * pit[0], 0),
                                high=loc.percent(100 * pit[-1], 0),
                                middle=loc.percent(100 * sum(pit[3:7]), 0))
    else:
        backtest = t("pj_backtest_none")
    series = []
    for label, total, trend in ((t("immigrants"), imm, trends[0]),
                                (t("emigrants"), emi, trends[1])):
        if not total:
            continue
        hist = [(int(r["year"]), float(r["total"])) for r in trend if r.get("total") is not None]
        bands = [(p["year"], *(p[k] for k in BANDS)) for p in total["series"]
                 if p["sex"] == "total"]
        series.append((label, hist, bands))
    title = t("pj_chart_title", country=country, jump_off=jump, last=years[-1] if years else jump)
    chart = charts.fan_chart(series, title=title, fmt=loc.compact,
                             legend=(t("pj_band80"), t("pj_band95")))
    rows = [{"year": str(y), "imm": _band(loc, _at(imm, y)), "emi": _band(loc, _at(emi, y))}
            for y in years]
    jump_row = {"year": f"{jump} ({t('pj_published')})",
                "imm": {"median": loc.number(imm["jump_off_stock"]) if imm else
                        t("not_available"), "i80": "", "i95": ""},
                "emi": {"median": loc.number(emi["jump_off_stock"]) if emi else
                        t("not_available"), "i80": "", "i95": ""}}
    lines += _population_lines(section, loc, years)
    if section.get("ceiling"):
        lines.append(_held_line(imm, loc, years))
    corridors = []
    for key in ("from_origins", "to_destinations"):
        for c in section.get(key) or []:
            by_year = {p["year"]: p for p in c["series"] if p["sex"] == "total"}
            corridors.append({
                "name": t("born_in_living_in", a=names.get(c["origin"], c["origin"]),
                          b=names.get(c["destination"], c["destination"])),
                "jump": loc.number(c["jump_off_stock"]),
                "cells": [_band(loc, by_year.get(y)) for y in SHOWN_YEARS]})
    return {"empty": "", "lines": lines, "backtest": backtest, "chart": chart,
            "chart_title": title, "rows": [jump_row, *rows], "corridors": corridors,
            "shown_years": list(SHOWN_YEARS),
            "flows": projected_flows.view(section.get("flows") or {}, loc, names, country),
            "sources": " | ".join(Source.from_dict(s).cite() for s in
                                  [*section["sources"],
                                   *(section.get("population") or {}).get("sources", [])])}


_env = Environment(loader=FileSystemLoader(Path(__file__).with_name("templates")),
                   autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)


def section_html(profile: dict[str, Any], names: dict[str, str], lang: str) -> str:
    """The profile's projections section alone, as HTML (for the web's projections page);
    the same template the profile uses."""
    loc = Locale(lang)
    country = names.get(profile["country"]["iso3"], profile["country"]["iso3"])
    outlook = view(profile.get("projections") or {}, loc, names, country,
                   (profile["immigration"]["trend"], profile["emigration"]["trend"]))
    words = catalogue(lang) | {k: loc.t(k) for k in catalogue("en")}
    return _env.get_template("outlook.html").render(outlook=outlook, t=words)
