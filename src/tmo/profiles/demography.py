"""The profile's demographic context (issue #13): the country's population by sex over
time from the latest UN World Population Prospects revision in the store (`population`,
1 July), WPP's medium-variant projection to 2050 (`population_projection`, 1 July taken
as the mean of two year ends, as `tmo.profiles.outlook` does), and natural change (births
minus deaths) beside net migration by five-year period (`vital_events`), and the age
structure on 1 July of the latest year WPP's population by five-year age group covers
(`population_by_age`, the wpp2024 package's popAge5dt: every fifth year to 2020) as a
pyramid with the shares under 15, 15-64 and 65 or over of the published both-sexes rows.
The file gives no median age, so none is shown.

`demography(ev, iso3)` is the section of the document ({} when WPP has no figure for the
country); `view(...)` formats it for the templates. Nothing is computed that the views do
not hold except 1 July of projected years, period sums, births minus deaths and the
three age shares.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import pandas as pd

from tmo.profiles import charts
from tmo.profiles.i18n import Locale
from tmo.store import facts
from tmo.store.evidence import Evidence, Source, ViewCache, describe

SOURCE = "UN WPP"
SEXES = ("total", "female", "male")
HORIZON = 2050
FIRST_PERIOD = 1990
PERIOD = 5
DECADE = 10
AGE_BANDS = (("young", 0, 15), ("working", 15, 65), ("old", 65, 1000))  # [from, to) years

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "none": "No data: the store holds no World Population Prospects figure for this "
                "country.",
        "population": "Population on 1 July {year} (WPP {revision}): {value}, of whom {female} "
                      "women and {male} men.",
        "population_total": "Population on 1 July {year} (WPP {revision}): {value}; no split "
                            "by sex for that year.",
        "projected": "Projected population, medium variant (WPP {revision}): {values}.",
        "no_projection": "No data: the store holds no WPP projection for this country.",
        "age": "Age structure: no data. The store holds no WPP population by age for this "
               "country.",
        "age_shares": "Age structure on 1 July {year} (WPP {revision}): {young} under 15, "
                      "{working} aged 15–64, {old} aged 65 or over.",
        "age_note": "WPP's population by five-year age group is held for every fifth year "
                    "up to {year}; the file gives no median age, so none is shown.",
        "pyramid": "Population pyramid of {country}, 1 July {year} (WPP {revision}): men "
                   "left, women right, by five-year age group",
        "age_table": "Population by five-year age group and sex, {country}, 1 July {year} "
                     "(WPP {revision})",
        "chart": "Population of {country}, {first}–{last} (WPP; projected after {base})",
        "total": "Total", "female": "Women", "male": "Men",
        "total_proj": "Total, projected (medium variant)",
        "period": "Period", "births": "Births", "deaths": "Deaths",
        "natural": "Natural change", "net": "Net migration",
        "vital_title": "Natural change and net migration (WPP {revision}, sums over each "
                       "period; years after {base} are WPP projections, medium variant)",
        "projected_mark": "projected",
        "no_vital": "Births, deaths and net migration: no data for this country.",
        "sources": "Sources", "age_group": "Age group",
    },
    "fr": {
        "none": "Pas de données : la base ne contient aucun chiffre des Perspectives de la "
                "population mondiale pour ce pays.",
        "population": "Population au 1er juillet {year} (WPP {revision}) : {value}, dont "
                      "{female} femmes et {male} hommes.",
        "population_total": "Population au 1er juillet {year} (WPP {revision}) : {value} ; "
                            "pas de répartition par sexe pour cette année.",
        "projected": "Population projetée, variante moyenne (WPP {revision}) : {values}.",
        "no_projection": "Pas de données : la base ne contient aucune projection WPP pour ce "
                         "pays.",
        "age": "Structure par âge : pas de données. La base ne contient aucune population "
               "WPP par âge pour ce pays.",
        "age_shares": "Structure par âge au 1er juillet {year} (WPP {revision}) : {young} de "
                      "moins de 15 ans, {working} de 15 à 64 ans, {old} de 65 ans ou plus.",
        "age_note": "La population WPP par groupe d'âge quinquennal est disponible tous les "
                    "cinq ans jusqu'en {year} ; le fichier ne donne pas d'âge médian, aucun "
                    "n'est donc indiqué.",
        "pyramid": "Pyramide des âges : {country}, 1er juillet {year} (WPP {revision}) : "
                   "hommes à gauche, femmes à droite, par groupe d'âge quinquennal",
        "age_table": "Population par groupe d'âge quinquennal et par sexe : {country}, 1er "
                     "juillet {year} (WPP {revision})",
        "chart": "Population : {country}, {first}–{last} (WPP ; projetée après {base})",
        "total": "Total", "female": "Femmes", "male": "Hommes",
        "total_proj": "Total projeté (variante moyenne)",
        "period": "Période", "births": "Naissances", "deaths": "Décès",
        "natural": "Accroissement naturel", "net": "Migration nette",
        "vital_title": "Accroissement naturel et migration nette (WPP {revision}, sommes sur "
                       "chaque période ; après {base}, projections WPP, variante moyenne)",
        "projected_mark": "projection",
        "no_vital": "Naissances, décès et migration nette : pas de données pour ce pays.",
        "sources": "Sources", "age_group": "Groupe d'âge",
    },
    "es": {
        "none": "Sin datos: la base no contiene ninguna cifra de las Perspectivas de la "
                "Población Mundial para este país.",
        "population": "Población al 1 de julio de {year} (WPP {revision}): {value}, de ellos "
                      "{female} mujeres y {male} hombres.",
        "population_total": "Población al 1 de julio de {year} (WPP {revision}): {value}; sin "
                            "desglose por sexo para ese año.",
        "projected": "Población proyectada, variante media (WPP {revision}): {values}.",
        "no_projection": "Sin datos: la base no contiene ninguna proyección WPP para este "
                         "país.",
        "age": "Estructura por edad: sin datos. La base no contiene ninguna población WPP "
               "por edad para este país.",
        "age_shares": "Estructura por edad al 1 de julio de {year} (WPP {revision}): {young} "
                      "menores de 15 años, {working} de 15 a 64 años, {old} de 65 años o más.",
        "age_note": "La población WPP por grupo quinquenal de edad está disponible cada cinco "
                    "años hasta {year}; el archivo no da la edad mediana, por lo que no se "
                    "muestra.",
        "pyramid": "Pirámide de población: {country}, 1 de julio de {year} (WPP {revision}): "
                   "hombres a la izquierda, mujeres a la derecha, por grupo quinquenal de edad",
        "age_table": "Población por grupo quinquenal de edad y sexo: {country}, 1 de julio de "
                     "{year} (WPP {revision})",
        "chart": "Población: {country}, {first}–{last} (WPP; proyectada después de {base})",
        "total": "Total", "female": "Mujeres", "male": "Hombres",
        "total_proj": "Total proyectado (variante media)",
        "period": "Período", "births": "Nacimientos", "deaths": "Defunciones",
        "natural": "Crecimiento natural", "net": "Migración neta",
        "vital_title": "Crecimiento natural y migración neta (WPP {revision}, sumas de cada "
                       "período; después de {base}, proyecciones WPP, variante media)",
        "projected_mark": "proyección",
        "no_vital": "Nacimientos, defunciones y migración neta: sin datos para este país.",
        "sources": "Fuentes", "age_group": "Grupo de edad",
    },
}


def words(lang: str) -> dict[str, str]:
    return WORDS.get(lang, WORDS["en"])


def _latest(ev: Evidence, view: str, where: dict[str, Any], columns: list[str]
            ) -> tuple[pd.DataFrame, dict[str, Any] | None]:
    """The rows of the latest revision of `view` matching `where`, and their source."""
    frame, _ = ev.rows(view, where, ["revision", *columns])
    if frame.empty:
        return frame, None
    revisions = frame["revision"].to_numpy()
    rev = str(revisions.max())
    mine = frame[revisions == rev]
    files = tuple(sorted({f for f in mine["src_file"] if isinstance(f, str)}))
    src = Source(view, describe({**where, "revision": rev}), rev, files, (), len(mine))
    return mine[columns], asdict(src) | {"files": list(files), "rows": []}


def _population(ev: Evidence, iso3: str) -> dict[str, Any]:
    rows, src = _latest(ev, "population", {"source": SOURCE, "country": iso3},
                        ["year", "sex", "population"])
    if src is None or not (rows["sex"] == "total").any():
        return {}
    recs = rows.to_dict("records")
    series = {s: {int(r["year"]): float(r["population"]) for r in recs if r["sex"] == s}
              for s in SEXES}
    return {"revision": src["revision"], "series": {s: sorted(v.items()) for s, v in
                                                    series.items()}, "sources": [src]}


def _projection(ev: Evidence, iso3: str) -> dict[str, Any]:
    """WPP's medium variant on 1 July: as published where the store holds 1 July (the
    Demographic Indicators file), else the mean of the two year ends around it."""
    for date in ("07-01", "12-31"):
        rows, src = _latest(ev, "population_projection",
                            {"source": SOURCE, "country": iso3, "variant": "medium",
                             "date": date}, ["year", "sex", "population"])
        if src is not None:
            break
    if src is None:
        return {}
    out: dict[str, list[tuple[int, float]]] = {}
    recs = rows[rows["year"] <= HORIZON].to_dict("records")
    for sex in SEXES:
        at = {int(r["year"]): float(r["population"]) for r in recs if r["sex"] == sex}
        out[sex] = ([(y, v) for y, v in sorted(at.items()) if y <= HORIZON] if date == "07-01"
                    else [(y, (at[y - 1] + at[y]) / 2) for y in sorted(at)
                          if y <= HORIZON and y - 1 in at])
    return {"revision": src["revision"], "date": date, "series": out, "sources": [src]}


def _vital_by_country(con: Any, source: str, country: str | None = None
                      ) -> dict[str, list[dict[Any, Any]]]:
    """Country -> its rows of the latest revision holding it: of every country for a
    stage (read once), of `country` alone for a single profile."""
    frame = facts.vital_events_of(con, source, country)
    names = ["country", "revision", "year", "period_years", "births", "deaths",
             "net_migration", "src_file"]
    rows = list(zip(*(frame[c].tolist() for c in names), strict=True))
    latest: dict[str, str] = {}
    for code, rev, *_ in rows:
        if rev > latest.get(code, ""):
            latest[code] = rev
    out: dict[str, list[dict[Any, Any]]] = {}
    for row in rows:
        if row[1] == latest[row[0]]:
            out.setdefault(str(row[0]), []).append(dict(zip(names[1:], row[1:], strict=True)))
    return out


def vital_events(ev: Evidence, iso3: str) -> dict[str, Any]:
    one = () if isinstance(ev, ViewCache) else (iso3,)
    recs = ev.fact(_vital_by_country, SOURCE, *one).get(iso3)
    if not recs:
        return {}
    rev = str(recs[0]["revision"])
    files = tuple(sorted({r["src_file"] for r in recs if isinstance(r["src_file"], str)}))
    src = asdict(Source("vital_events", describe({"source": SOURCE, "country": iso3,
                                                  "revision": rev}), rev, files, (),
                        len(recs))) | {"files": list(files), "rows": []}
    by_year = {int(r["year"]): r for r in recs if int(r["period_years"]) == 1}
    periods = []
    for start in range(FIRST_PERIOD, HORIZON, PERIOD):
        years = [by_year.get(y) for y in range(start, start + PERIOD)]
        if any(r is None for r in years):
            continue
        sums = {k: sum(float(r[k]) for r in years if r is not None)
                for k in ("births", "deaths", "net_migration")}
        periods.append({"start": start, "end": start + PERIOD - 1, **sums,
                        "natural_change": sums["births"] - sums["deaths"]})
    if not periods:
        return {}
    return {"revision": src["revision"], "periods": periods, "annual": {
        y: float(r["net_migration"]) for y, r in by_year.items()}, "sources": [src]}


def _row_span(rows: list[Any]) -> str:
    """src_row of the rows behind the pyramid: "5-25" when contiguous, else listed."""
    numbers = sorted({int(r) for r in rows})  # one row per age group holds all sexes
    if numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"{numbers[0]}-{numbers[-1]}"
    return "+".join(str(n) for n in numbers)


def _age_rows(con: Any, source: str, country: str | None = None
              ) -> dict[str, list[dict[str, Any]]]:
    """facts.population_by_age as plain records by area: of every area for a ViewCache
    (one read and one conversion for every profile of a build), of the one country
    otherwise."""
    frame = facts.population_by_age(con, source, country)
    out: dict[str, list[dict[str, Any]]] = {}
    records: list[dict[str, Any]] = frame.to_dict("records")  # type: ignore[assignment]
    for r in records:
        out.setdefault(str(r["country"]), []).append(r)
    return out


def age_structure(ev: Evidence, iso3: str) -> dict[str, Any] | None:
    """WPP's population by five-year age group on 1 July of the latest year held: the
    groups youngest first ({"age", "total", "male", "female"}, persons as published),
    the shares (%) of the three broad age bands in the published both-sexes total, and the
    source; None when the store holds no age group of the country."""
    one = () if isinstance(ev, ViewCache) else (iso3,)
    rows = ev.fact(_age_rows, SOURCE, *one).get(iso3)
    if not rows:
        return None
    rev, year = str(rows[0]["revision"]), int(rows[0]["year"])
    by_age: dict[str, dict[str, Any]] = {}
    for r in rows:
        group = by_age.setdefault(str(r["age"]), {"age": str(r["age"]),
                                                  "start": int(r["age_start"])})
        group[str(r["sex"])] = float(r["population"])
    groups = sorted(by_age.values(), key=lambda g: g["start"])
    total = sum(g.get("total", 0.0) for g in groups)
    shares = {band: (100 * sum(g.get("total", 0.0) for g in groups if lo <= g["start"] < hi)
                     / total if total > 0 else None) for band, lo, hi in AGE_BANDS}
    where = {"source": SOURCE, "revision": rev, "year": year, "country": iso3}
    files = tuple(sorted({str(r["src_file"]) for r in rows}))
    src = Source("population_by_age", describe(where), rev, files,
                 (_row_span([r["src_row"] for r in rows]),), len(rows))
    return {"revision": rev, "year": year, "groups": groups, "shares": shares,
            "sources": [asdict(src) | {"files": list(files), "rows": list(src.rows)}]}


def demography(ev: Evidence, iso3: str, *, area: bool = False) -> dict[str, Any]:
    """The demographic context of `iso3` ({} when WPP has nothing on it). `annual` net
    migration (by year) is kept for the flows section and left out of the document. An
    area (the World, a region) without WPP age groups leaves the age structure out
    instead of saying "no data"."""
    pop, proj, vital = _population(ev, iso3), _projection(ev, iso3), vital_events(ev, iso3)
    ages = age_structure(ev, iso3)
    if not (pop or proj or vital or ages):
        return {}
    return {"population": pop, "projection": proj,
            **({} if area and ages is None else {"age_structure": ages}),
            "vital": {k: v for k, v in vital.items() if k != "annual"}}


def _age_view(ages: dict[str, Any] | None, w: dict[str, str], loc: Locale, country: str
              ) -> dict[str, Any]:
    """The pyramid, the line of shares and their note; "no data" without age groups."""
    if not ages:
        return {"age_line": w["age"], "pyramid": "", "pyramid_title": "", "age_note": "",
                "age_rows": [], "age_table": ""}
    shares = ages["shares"]
    title = w["pyramid"].format(country=country, year=ages["year"], revision=ages["revision"])
    groups = [(g["age"], g.get("male", 0.0), g.get("female", 0.0)) for g in ages["groups"]]
    return {"age_line": w["age_shares"].format(
                year=ages["year"], revision=ages["revision"],
                **{band: loc.percent(shares.get(band)) for band, _, _ in AGE_BANDS}),
            "pyramid": charts.pyramid(groups, title=title, fmt=loc.compact,
                                      labels=(w["male"], w["female"])),
            "pyramid_title": title, "age_note": w["age_note"].format(year=ages["year"]),
            "age_table": w["age_table"].format(country=country, year=ages["year"],
                                               revision=ages["revision"]),
            "age_rows": [{"age": age, "male": loc.number(m), "female": loc.number(f)}
                         for age, m, f in groups]}


def view(section: dict[str, Any], loc: Locale, country: str) -> dict[str, Any]:
    """The section formatted for the templates."""
    w = words(loc.lang)
    if not section:
        return {"empty": w["none"]}
    pop, proj, vital = section.get("population") or {}, section.get("projection") or {}, \
        section.get("vital") or {}
    lines, chart, title = [], "", ""
    if pop:
        total = dict(pop["series"]["total"])
        last = max(total)
        female, male = dict(pop["series"]["female"]), dict(pop["series"]["male"])
        if last in female and last in male:
            lines.append(w["population"].format(
                year=last, revision=pop["revision"], value=loc.number(total[last]),
                female=loc.number(female[last]), male=loc.number(male[last])))
        else:
            lines.append(w["population_total"].format(
                year=last, revision=pop["revision"], value=loc.number(total[last])))
    if proj and proj["series"]["total"]:
        shown = [(y, v) for y, v in proj["series"]["total"] if y % DECADE == 0] or \
            proj["series"]["total"][-1:]
        lines.append(w["projected"].format(revision=proj["revision"], values="; ".join(
            f"{y} {loc.number(v)}" for y, v in shown)))
    else:
        lines.append(w["no_projection"])
    age = _age_view(section.get("age_structure"), w, loc, country)
    if "age_structure" in section:  # an area without age groups leaves them out
        lines.append(age["age_line"])
    del age["age_line"]
    if pop:
        base = max(y for y, _ in pop["series"]["total"])
        series: list[tuple[str, list[tuple[int, float | None]]]] = [
            (w[s], [(y, v) for y, v in pop["series"][s] if y % DECADE == 0])
            for s in SEXES if pop["series"][s]]  # every tenth year: labels that fit
        if proj:
            series.append((w["total_proj"], [(y, v) for y, v in proj["series"]["total"]
                                             if y > base and y % DECADE == 0]))
        years = [y for _, pts in series for y, _ in pts]
        if years:  # no decade year held: the figures above, no chart
            title = w["chart"].format(country=country, first=min(years), last=max(years),
                                      base=base)
            chart = charts.line_chart(series, title=title, fmt=loc.compact)
    base_year = max((y for y, _ in pop["series"]["total"]), default=0) if pop else 0
    rows = [{"period": f"{p['start']}–{p['end']}"
             + (f" ({w['projected_mark']})" if p["end"] > base_year else ""),
             "births": loc.number(p["births"]), "deaths": loc.number(p["deaths"]),
             "natural": loc.number(p["natural_change"]),
             "net": loc.number(p["net_migration"])} for p in vital.get("periods", [])]
    sources = [Source.from_dict(s).cite() for part in (pop, proj, vital,
                                                         section.get("age_structure") or {})
               for s in part.get("sources", [])]
    return {"empty": "", "w": w, "lines": lines, "chart": chart, "chart_title": title, **age,
            "vital_title": w["vital_title"].format(revision=vital.get("revision", ""),
                                                   base=base_year) if rows else "",
            "no_vital": "" if rows else w["no_vital"], "rows": rows,
            "sources": " | ".join(sources)}
