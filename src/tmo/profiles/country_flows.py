"""The profile's section on the country's own flows (issue #13): the flows `tmo flows`
estimated from the migrant stocks, by five-year period, in and out, with the default
method's figure and the range across every stored method (`migration_flows`); WPP's net
migration over the same years (`vital_events`) beside the estimated net; and the flows
the country reports where the store has them (Eurostat immigration by previous residence,
`reported_flows`), summed over the countries of previous residence the file gives.

`country_flows(ev, iso3, revision)` is the section of the document ({} when nothing is
held); `view(...)` formats it for the templates.
"""

from __future__ import annotations

import itertools
from dataclasses import asdict
from typing import Any

import pandas as pd

from tmo.profiles import charts
from tmo.profiles.demography import vital_events
from tmo.profiles.i18n import Locale
from tmo.store import facts
from tmo.store.evidence import Evidence, Source, describe

# the method the web and the API show by default (tmo.web.schemas.DEFAULT_METHOD)
DEFAULT_METHOD = "da_pb_closed"

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "intro_one": "Flows estimated from the migrant stocks of IMS {revision} by the method "
                     "{method} (people who moved in or out during each five-year period); the "
                     "store holds no other method, so no range across methods is shown. They "
                     "are estimates, not counts.",
        "none": "No data: the store holds no estimated, WPP or reported flows for this "
                "country.",
        "no_estimates": "Estimated flows: no data (`tmo flows` has stored no estimate for "
                        "this country).",
        "intro": "Flows estimated from the migrant stocks of IMS {revision} by the method "
                 "{method} (people who moved in or out during each five-year period); the "
                 "range is that across the {n} stored methods ({methods}). They are "
                 "estimates, not counts.",
        "chart": "Estimated flows of {country} by period ({method})",
        "period": "Period", "inflow": "Inflow", "outflow": "Outflow",
        "net_est": "Estimated net", "net_wpp": "WPP net migration", "range": "range",
        "reported_title": "Reported immigration ({source}), by year",
        "reported_note": "Sum over the {n} countries of previous residence that the file "
                         "gives for the year; other origins are not included.",
        "year": "Year", "reported": "Reported immigrants", "origins": "Origins summed",
        "no_reported": "Reported flows: no data (the store holds reported flows only for "
                       "countries in Eurostat's file).",
        "wpp_note": "WPP net migration is summed over the calendar years of each period "
                    "(WPP {revision}).",
    },
    "fr": {
        "intro_one": "Flux estimés à partir des stocks de migrants de l'IMS {revision} par la "
                     "méthode {method} (personnes arrivées ou parties pendant chaque période "
                     "de cinq ans) ; la base ne contient aucune autre méthode, donc aucune "
                     "fourchette entre méthodes. Ce sont des estimations, pas des comptages.",
        "none": "Pas de données : la base ne contient aucun flux estimé, WPP ou déclaré pour "
                "ce pays.",
        "no_estimates": "Flux estimés : pas de données (`tmo flows` n'a enregistré aucune "
                        "estimation pour ce pays).",
        "intro": "Flux estimés à partir des stocks de migrants de l'IMS {revision} par la "
                 "méthode {method} (personnes arrivées ou parties pendant chaque période de "
                 "cinq ans) ; la fourchette est celle des {n} méthodes enregistrées "
                 "({methods}). Ce sont des estimations, pas des comptages.",
        "chart": "Flux estimés : {country}, par période ({method})",
        "period": "Période", "inflow": "Entrées", "outflow": "Sorties",
        "net_est": "Solde estimé", "net_wpp": "Migration nette WPP", "range": "fourchette",
        "reported_title": "Immigration déclarée ({source}), par année",
        "reported_note": "Somme sur les {n} pays de résidence antérieure que le fichier donne "
                         "pour l'année ; les autres provenances n'y sont pas.",
        "year": "Année", "reported": "Immigrants déclarés", "origins": "Provenances sommées",
        "no_reported": "Flux déclarés : pas de données (la base ne contient de flux déclarés "
                       "que pour les pays du fichier d'Eurostat).",
        "wpp_note": "La migration nette WPP est la somme des années civiles de chaque période "
                    "(WPP {revision}).",
    },
    "es": {
        "intro_one": "Flujos estimados a partir de los stocks de migrantes de la IMS {revision} "
                     "con el método {method} (personas que llegaron o se fueron en cada "
                     "período de cinco años); la base no contiene otro método, por lo que no "
                     "se muestra un rango entre métodos. Son estimaciones, no recuentos.",
        "none": "Sin datos: la base no contiene flujos estimados, de WPP ni declarados para "
                "este país.",
        "no_estimates": "Flujos estimados: sin datos (`tmo flows` no ha guardado ninguna "
                        "estimación para este país).",
        "intro": "Flujos estimados a partir de los stocks de migrantes de la IMS {revision} "
                 "con el método {method} (personas que llegaron o se fueron en cada período "
                 "de cinco años); el rango es el de los {n} métodos guardados ({methods}). "
                 "Son estimaciones, no recuentos.",
        "chart": "Flujos estimados: {country}, por período ({method})",
        "period": "Período", "inflow": "Entradas", "outflow": "Salidas",
        "net_est": "Saldo estimado", "net_wpp": "Migración neta WPP", "range": "rango",
        "reported_title": "Inmigración declarada ({source}), por año",
        "reported_note": "Suma de los {n} países de residencia anterior que el archivo da para "
                         "el año; las demás procedencias no se incluyen.",
        "year": "Año", "reported": "Inmigrantes declarados", "origins": "Procedencias sumadas",
        "no_reported": "Flujos declarados: sin datos (la base solo contiene flujos declarados "
                       "de los países del archivo de Eurostat).",
        "wpp_note": "La migración neta WPP es la suma de los años civiles de cada período "
                    "(WPP {revision}).",
    },
}


def _src(view: str, where: dict[str, Any], revision: str, files: list[str], n: int
         ) -> dict[str, Any]:
    return asdict(Source(view, describe(where), revision, tuple(files), (), n)) | {
        "files": list(files), "rows": []}


def _flow_totals(con: Any, revision: str) -> dict[str, list[dict[Any, Any]]]:
    """Country -> its rows of `facts.flow_totals` (split once for a stage's 233 profiles)."""
    totals = facts.flow_totals(con, revision)
    return {str(k): part.to_dict("records")
            for k, part in totals.groupby("country", sort=False)}


def _reported_inflows(con: Any) -> dict[str, pd.DataFrame]:
    """Destination -> its rows of `facts.reported_inflows`."""
    rows = facts.reported_inflows(con)
    return {str(k): part for k, part in rows.groupby("destination", sort=False)}


def _estimated(ev: Evidence, iso3: str, revision: str) -> dict[str, Any]:
    recs = ev.fact(_flow_totals, revision).get(iso3)
    if not recs:
        return {}
    methods = sorted({str(r["method"]) for r in recs})
    default = DEFAULT_METHOD if DEFAULT_METHOD in methods else methods[0]
    by_period: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for r in recs:
        by_period.setdefault((int(r["period_start"]), int(r["period_end"])), []).append(r)
    periods = []
    for (start, end), part in sorted(by_period.items()):
        pick = [r for r in part if r["method"] == default]
        if not pick:
            continue
        inflows = [float(r["inflow"]) for r in part]
        outflows = [float(r["outflow"]) for r in part]
        periods.append({"start": start, "end": end,
                        "inflow": float(pick[0]["inflow"]),
                        "outflow": float(pick[0]["outflow"]),
                        "inflow_range": [min(inflows), max(inflows)],
                        "outflow_range": [min(outflows), max(outflows)]})
    files = ev.fact(facts.projected_files, revision)
    where = {"revision": revision, "sex": "total"}
    return {"revision": revision, "method": default, "methods": methods, "periods": periods,
            "sources": [_src("migration_flows", where, revision, files, len(recs))
                        | {"filter": describe(where) + f" AND '{iso3}' IN (origin, "
                                                       "destination) AND origin <> destination"}]}


def _reported(ev: Evidence, iso3: str) -> dict[str, Any]:
    mine = ev.fact(_reported_inflows).get(iso3)
    if mine is None or mine.empty:
        return {}
    source = str(mine["source"].iloc[0])
    mine = mine[mine["source"] == source]
    files = sorted({f for fs in mine["files"] for f in str(fs).split(",") if f})
    return {"source": source,
            "years": [{"year": int(r["year"]), "flow": float(r["flow"]),
                       "origins": int(r["origins"])} for r in mine.to_dict("records")],
            "sources": [_src("reported_flows", {"source": source, "destination": iso3}, "",
                             files, int(mine["origins"].sum()))]}


def country_flows(ev: Evidence, iso3: str, revision: str) -> dict[str, Any]:
    """The country's flows: estimated (per period, default method and range), WPP's net
    migration over the same periods, reported immigration; {} when none is held."""
    est, rep = _estimated(ev, iso3, revision), _reported(ev, iso3)
    vital = vital_events(ev, iso3)
    wpp: dict[str, Any] = {}
    if vital:
        annual = vital["annual"]
        years = ev.fact(facts.years, revision)  # the periods flows are estimated over
        periods = [(p["start"], p["end"]) for p in est["periods"]] if est else \
            list(itertools.pairwise(years))
        sums = [{"start": a, "end": b, "net_migration": sum(annual[y] for y in range(a, b))}
                for a, b in periods if all(y in annual for y in range(a, b))]
        if sums:
            wpp = {"revision": vital["revision"], "periods": sums, "sources": vital["sources"]}
    if not (est or rep or wpp):
        return {}
    return {"estimated": est, "wpp_net_migration": wpp, "reported": rep}


def view(section: dict[str, Any], loc: Locale, country: str) -> dict[str, Any]:
    """The section formatted for the templates."""
    w = WORDS.get(loc.lang, WORDS["en"])
    if not section:
        return {"empty": w["none"]}
    est, wpp, rep = (section.get(k) or {} for k in ("estimated", "wpp_net_migration",
                                                      "reported"))
    out: dict[str, Any] = {"empty": "", "w": w, "lines": [], "chart": "", "chart_title": "",
                           "rows": [], "reported": [], "reported_title": "",
                           "reported_note": ""}
    wpp_by = {p["start"]: p["net_migration"] for p in wpp.get("periods", [])}
    if est:
        intro = w["intro" if len(est["methods"]) > 1 else "intro_one"]
        out["lines"].append(intro.format(revision=est["revision"], method=est["method"],
                                              n=len(est["methods"]),
                                              methods=", ".join(est["methods"])))
        title = w["chart"].format(country=country, method=est["method"])
        out["chart_title"] = title
        out["chart"] = charts.line_chart(
            [(w["inflow"], [(p["start"], p["inflow"]) for p in est["periods"]]),
             (w["outflow"], [(p["start"], p["outflow"]) for p in est["periods"]])],
            title=title, fmt=loc.compact)

        def rng(pair: list[float]) -> str:  # one stored method: no range to show
            return "" if len(est["methods"]) < 2 else \
                f"{w['range']} {loc.number(pair[0])}–{loc.number(pair[1])}"
        out["rows"] = [{"period": f"{p['start']}–{p['end']}", "inflow": loc.number(p["inflow"]),
                        "inflow_range": rng(p["inflow_range"]),
                        "outflow": loc.number(p["outflow"]),
                        "outflow_range": rng(p["outflow_range"]),
                        "net": loc.number(p["inflow"] - p["outflow"]),
                        "wpp": loc.number(wpp_by.get(p["start"]))}
                       for p in est["periods"]]
        if wpp:
            out["lines"].append(w["wpp_note"].format(revision=wpp["revision"]))
    else:
        out["lines"].append(w["no_estimates"])
        nodata = loc.t("not_available")
        out["rows"] = [{"period": f"{p['start']}–{p['end']}", "inflow": nodata,
                        "inflow_range": "", "outflow": nodata, "outflow_range": "",
                        "net": nodata, "wpp": loc.number(p["net_migration"])}
                       for p in wpp.get("periods", [])]
        if wpp:
            out["lines"].append(w["wpp_note"].format(revision=wpp["revision"]))
    if rep:
        out["reported_title"] = w["reported_title"].format(source=rep["source"])
        out["reported"] = [{"year": str(r["year"]), "flow": loc.number(r["flow"]),
                            "origins": loc.number(r["origins"])} for r in rep["years"]]
        out["reported_note"] = w["reported_note"].format(
            n=f"{min(r['origins'] for r in rep['years'])}–"
              f"{max(r['origins'] for r in rep['years'])}")
    else:
        out["lines"].append(w["no_reported"])
    out["sources"] = " | ".join(Source.from_dict(s).cite() for part in (est, wpp, rep)
                                for s in part.get("sources", []))
    return out
