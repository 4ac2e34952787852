"""The profile's section "Asylum, solutions and displacement" (issue #13).

For the country both as country of asylum and as country of origin, year by year up to
the profile's year (as the refugees section): asylum applications lodged (UNHCR
`asylum_applications`: persons, new applications among them, and cases apart where a
country reports cases), decisions (`asylum_decisions`: persons, first instance among
them, cases apart) with UNHCR's total and refugee recognition rates
(`tmo.indicators.recognition`, on persons), refugees returned, resettled and naturalised
(`durable_solutions`), and the internally displaced by conflict and violence (IDMC,
`internal_displacement`). A year without a row in the file is "no data", never 0;
persons and cases are never added.

`asylum(ev, iso3, year)` is the section of the document ({} when no file has a row for
the country); `view(...)` formats it for the templates.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import pandas as pd

from tmo.indicators.recognition import recognition_rates
from tmo.profiles import charts
from tmo.profiles.i18n import Locale
from tmo.store import facts
from tmo.store.evidence import Evidence, Source, ViewCache, describe

SIDES = ("asylum", "origin")
SHOWN_YEARS = 10  # the tables show the last ten years; the chart every year from FIRST
FIRST = 2000
REVISION = "UNHCR"
IDMC = "IDMC"

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "none": "No data: UNHCR's asylum and solutions files and IDMC's file hold no row "
                "for this country.",
        "asylum_title": "{country} as country of asylum",
        "origin_title": "Nationals of {country} in other countries",
        "asylum_apps": "{year}: {applied} asylum applications lodged in {country} "
                       "(persons){cases}.",
        "origin_apps": "{year}: {applied} asylum applications lodged by nationals of "
                       "{country} in other countries (persons){cases}.",
        "asylum_decs": "{year}: {decided} decisions on asylum claims in {country} (persons); "
                       "{rates}.",
        "origin_decs": "{year}: {decided} decisions on asylum claims of nationals of "
                       "{country} in other countries (persons); {rates}.",
        "rates_line": "total recognition rate {trr}, refugee recognition rate {rrr}",
        "rates_none": "no recognition rate (no substantive decision)",
        "cases_part": ", plus {n} cases",
        "asylum_none": "Asylum in {country}: no data (no application or decision in UNHCR's "
                       "files up to {year}).",
        "origin_none": "Nationals of {country} seeking asylum abroad: no data (no application "
                       "or decision in UNHCR's files up to {year}).",
        "rates": "Total recognition rate = (recognised + complementary protection) / "
                 "(recognised + complementary protection + rejected); refugee recognition "
                 "rate = recognised / the same denominator; decisions otherwise closed are "
                 "left out (UNHCR's definitions). Rates are computed on persons. Some "
                 "countries report cases (a case may hold several persons): cases are shown "
                 "apart, never added to persons. Applications and decisions cover every "
                 "procedure and level the file gives (first instance, appeal...).",
        "year": "Year", "applied": "Applications (persons)", "new": "of which new",
        "applied_cases": "Applications (cases)", "decided": "Decisions (persons)",
        "first_instance": "of which first instance", "trr": "Total recognition rate",
        "rrr": "Refugee recognition rate", "decided_cases": "Decisions (cases)",
        "asylum_returned": "Refugees returned home from {country}",
        "asylum_resettled": "Resettlement arrivals", "asylum_naturalised": "Naturalisations",
        "origin_returned": "Refugees returned to {country}",
        "origin_resettled": "Resettled to third countries",
        "origin_naturalised": "Naturalised abroad",
        "solutions_title": "Durable solutions (persons)",
        "cases_title": "Reported in cases, not persons (a case may hold several persons; "
                       "not added to the figures above)",
        "no_solutions": "Durable solutions: no data (no return, resettlement or "
                        "naturalisation in UNHCR's file).",
        "no_data": "no data",
        "chart": "Asylum applications (persons), {first}–{last}",
        "chart_asylum": "Lodged in {country}", "chart_origin": "Lodged by nationals abroad",
        "idps": "Internally displaced persons (conflict and violence) at the end of {year}: "
                "{value} (IDMC).",
        "idps_none": "Internally displaced persons (conflict and violence): no data (IDMC "
                     "reports no figure for this country; not a count of zero).",
        "idp_chart": "Internally displaced persons (conflict and violence), {first}–{last} "
                     "(IDMC)",
        "idp_series": "Internally displaced",
    },
    "fr": {
        "none": "Pas de données : les fichiers du HCR sur l'asile et les solutions et celui "
                "de l'IDMC ne contiennent aucune ligne pour ce pays.",
        "asylum_title": "{country} : pays d'asile",
        "origin_title": "{country} : ressortissants dans d'autres pays",
        "asylum_apps": "{year} : {applied} demandes d'asile déposées dans le pays "
                       "(personnes){cases}.",
        "origin_apps": "{year} : {applied} demandes d'asile déposées dans d'autres pays par "
                       "ses ressortissants (personnes){cases}.",
        "asylum_decs": "{year} : {decided} décisions sur des demandes d'asile dans le pays "
                       "(personnes) ; {rates}.",
        "origin_decs": "{year} : {decided} décisions sur des demandes d'asile de ses "
                       "ressortissants dans d'autres pays (personnes) ; {rates}.",
        "rates_line": "taux total de reconnaissance {trr}, taux de reconnaissance du statut "
                      "de réfugié {rrr}",
        "rates_none": "aucun taux de reconnaissance (aucune décision sur le fond)",
        "cases_part": ", plus {n} dossiers",
        "asylum_none": "Asile ({country}) : pas de données (aucune demande ni décision dans "
                       "les fichiers du HCR jusqu'en {year}).",
        "origin_none": "Ressortissants ({country}) demandant l'asile à l'étranger : pas de "
                       "données (aucune demande ni décision dans les fichiers du HCR "
                       "jusqu'en {year}).",
        "rates": "Taux total de reconnaissance = (reconnus + protection complémentaire) / "
                 "(reconnus + protection complémentaire + rejets) ; taux de reconnaissance "
                 "du statut de réfugié = reconnus / le même dénominateur ; les décisions "
                 "classées autrement sont exclues (définitions du HCR). Les taux portent sur "
                 "les personnes. Certains pays déclarent des dossiers (un dossier peut "
                 "compter plusieurs personnes) : ils sont montrés à part, jamais ajoutés aux "
                 "personnes. Demandes et décisions : toutes procédures et tous niveaux que "
                 "donne le fichier (première instance, recours...).",
        "year": "Année", "applied": "Demandes (personnes)", "new": "dont nouvelles",
        "applied_cases": "Demandes (dossiers)", "decided": "Décisions (personnes)",
        "first_instance": "dont première instance", "trr": "Taux total de reconnaissance",
        "rrr": "Taux de reconnaissance du statut de réfugié",
        "decided_cases": "Décisions (dossiers)",
        "asylum_returned": "Réfugiés rentrés chez eux depuis ce pays",
        "asylum_resettled": "Arrivées par réinstallation",
        "asylum_naturalised": "Naturalisations",
        "origin_returned": "Réfugiés rentrés au pays",
        "origin_resettled": "Réinstallés dans des pays tiers",
        "origin_naturalised": "Naturalisés à l'étranger",
        "solutions_title": "Solutions durables (personnes)",
        "cases_title": "Déclarés en dossiers, non en personnes (un dossier peut compter "
                       "plusieurs personnes ; non ajoutés aux chiffres ci-dessus)",
        "no_solutions": "Solutions durables : pas de données (aucun retour, aucune "
                        "réinstallation ni naturalisation dans le fichier du HCR).",
        "no_data": "pas de données",
        "chart": "Demandes d'asile (personnes), {first}–{last}",
        "chart_asylum": "Déposées dans le pays",
        "chart_origin": "Déposées par des ressortissants à l'étranger",
        "idps": "Personnes déplacées internes (conflits et violences) fin {year} : {value} "
                "(IDMC).",
        "idps_none": "Personnes déplacées internes (conflits et violences) : pas de données "
                     "(l'IDMC ne donne aucun chiffre pour ce pays ; ce n'est pas un compte "
                     "nul).",
        "idp_chart": "Personnes déplacées internes (conflits et violences), {first}–{last} "
                     "(IDMC)",
        "idp_series": "Déplacés internes",
    },
    "es": {
        "none": "Sin datos: los archivos del ACNUR sobre asilo y soluciones y el del IDMC "
                "no contienen ninguna fila para este país.",
        "asylum_title": "{country} como país de asilo",
        "origin_title": "Nacionales de {country} en otros países",
        "asylum_apps": "{year}: {applied} solicitudes de asilo presentadas en {country} "
                       "(personas){cases}.",
        "origin_apps": "{year}: {applied} solicitudes de asilo presentadas en otros países "
                       "por nacionales de {country} (personas){cases}.",
        "asylum_decs": "{year}: {decided} decisiones sobre solicitudes de asilo en {country} "
                       "(personas); {rates}.",
        "origin_decs": "{year}: {decided} decisiones sobre solicitudes de asilo de nacionales "
                       "de {country} en otros países (personas); {rates}.",
        "rates_line": "tasa total de reconocimiento {trr}, tasa de reconocimiento de la "
                      "condición de refugiado {rrr}",
        "rates_none": "ninguna tasa de reconocimiento (ninguna decisión sobre el fondo)",
        "cases_part": ", más {n} casos",
        "asylum_none": "Asilo en {country}: sin datos (ninguna solicitud ni decisión en los "
                       "archivos del ACNUR hasta {year}).",
        "origin_none": "Nacionales de {country} que solicitan asilo en el extranjero: sin "
                       "datos (ninguna solicitud ni decisión en los archivos del ACNUR hasta "
                       "{year}).",
        "rates": "Tasa total de reconocimiento = (reconocidos + protección complementaria) / "
                 "(reconocidos + protección complementaria + rechazados); tasa de "
                 "reconocimiento de la condición de refugiado = reconocidos / el mismo "
                 "denominador; las decisiones cerradas de otro modo se excluyen "
                 "(definiciones del ACNUR). Las tasas se calculan sobre personas. Algunos "
                 "países declaran casos (un caso puede incluir varias personas): se muestran "
                 "aparte y nunca se suman a las personas. Solicitudes y decisiones: todos los "
                 "procedimientos y niveles que da el archivo (primera instancia, "
                 "apelación...).",
        "year": "Año", "applied": "Solicitudes (personas)", "new": "de ellas nuevas",
        "applied_cases": "Solicitudes (casos)", "decided": "Decisiones (personas)",
        "first_instance": "de ellas en primera instancia",
        "trr": "Tasa total de reconocimiento",
        "rrr": "Tasa de reconocimiento de la condición de refugiado",
        "decided_cases": "Decisiones (casos)",
        "asylum_returned": "Refugiados que regresaron a su país desde {country}",
        "asylum_resettled": "Llegadas por reasentamiento",
        "asylum_naturalised": "Naturalizaciones",
        "origin_returned": "Refugiados que regresaron a {country}",
        "origin_resettled": "Reasentados en terceros países",
        "origin_naturalised": "Naturalizados en el extranjero",
        "solutions_title": "Soluciones duraderas (personas)",
        "cases_title": "Declarados en casos, no en personas (un caso puede incluir varias "
                       "personas; no se suman a las cifras anteriores)",
        "no_solutions": "Soluciones duraderas: sin datos (ningún retorno, reasentamiento ni "
                        "naturalización en el archivo del ACNUR).",
        "no_data": "sin datos",
        "chart": "Solicitudes de asilo (personas), {first}–{last}",
        "chart_asylum": "Presentadas en {country}",
        "chart_origin": "Presentadas por nacionales en el extranjero",
        "idps": "Desplazados internos (conflictos y violencia) a finales de {year}: {value} "
                "(IDMC).",
        "idps_none": "Desplazados internos (conflictos y violencia): sin datos (el IDMC no da "
                     "ninguna cifra para este país; no es un recuento de cero).",
        "idp_chart": "Desplazados internos (conflictos y violencia), {first}–{last} (IDMC)",
        "idp_series": "Desplazados internos",
    },
}


def _num(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _src(view: str, where: dict[str, Any], files: list[str], n: int, revision: str = REVISION
         ) -> dict[str, Any]:
    return asdict(Source(view, describe(where), revision, tuple(files), (), n)) | {
        "files": list(files), "rows": []}


Records = dict[str, dict[str, list[dict[str, Any]]]]  # country -> side -> rows


def _indexed(con: Any, fact: Any, country: str | None) -> Records:
    """The rows of a fact of `tmo.store.facts` (one country's, or every country's when
    `country` is None) as plain records by country and side."""
    out: Records = {}
    for r in fact(con, country).to_dict("records"):
        out.setdefault(r["country"], {}).setdefault(r["side"], []).append(r)
    return out


def _records(ev: Evidence, fact: Any, iso3: str, side: str, year: int
             ) -> list[dict[str, Any]]:
    """A build (ViewCache) reads each fact once for every country; a single profile reads
    its country's rows only."""
    every = isinstance(ev, ViewCache)
    rows = ev.fact(_indexed, fact, None if every else iso3).get(iso3, {}).get(side, [])
    return [r for r in rows if r["year"] <= year]


def _side(ev: Evidence, iso3: str, side: str, year: int) -> dict[str, Any]:
    """One side's figures by year (None = no row in the file) and their sources."""
    apps, decs, sols = (_records(ev, f, iso3, side, year) for f in (
        facts.asylum_application_totals, facts.asylum_decision_totals,
        facts.solution_totals))
    years: dict[int, dict[str, Any]] = {}
    for r in apps:
        row = years.setdefault(int(r["year"]), {})
        if r["unit"] == "persons":
            row.update(applied=_num(r["applied"]), new=_num(r["new"]))
        else:
            row["applied_cases"] = _num(r["applied"])
    for r in decs:
        row = years.setdefault(int(r["year"]), {})
        rates = recognition_rates(r["recognized"], r["complementary"], r["rejected"])
        if r["unit"] == "persons":
            row.update(decided=_num(r["total"]), first_instance=_num(r["first_instance"]),
                       recognized=_num(r["recognized"]),
                       complementary=_num(r["complementary"]),
                       rejected=_num(r["rejected"]), closed=_num(r["closed"]),
                       total_rate=rates.total if rates else None,
                       refugee_rate=rates.refugee if rates else None)
        else:
            row["decided_cases"] = _num(r["total"])
    for r in sols:
        row = years.setdefault(int(r["year"]), {})
        row.update(returned_refugees=_num(r["returned_refugees"]),
                   resettlement=_num(r["resettlement"]),
                   naturalisation=_num(r["naturalisation"]))
    if not years:
        return {}
    sources = []
    for view, part in (("asylum_applications", apps), ("asylum_decisions", decs),
                       ("durable_solutions", sols)):
        if part:
            sources.append(_src(view, {side: iso3}, ev.fact(facts.source_files, view),
                                sum(int(r["n_rows"]) for r in part))
                           | {"filter": describe({side: iso3}) + f" AND year <= {year}"})
    return {"years": [{"year": y, **years[y]} for y in sorted(years)], "sources": sources}


def _idps(ev: Evidence, iso3: str, year: int) -> dict[str, Any]:
    rows = ev.fact(facts.internal_displacement)
    mine = rows[(rows["country"] == iso3) & (rows["year"] <= year)]
    if mine.empty:
        return {}
    files = sorted(mine["src_file"].unique())
    listed = tuple(mine["src_row"].astype(str))
    src = asdict(Source("internal_displacement", describe({"country": iso3})
                        + f" AND year <= {year}", IDMC, tuple(files),
                        listed if len(listed) <= 12 else (), len(mine)))
    return {"series": [[int(r["year"]), int(r["idps"])] for r in mine.to_dict("records")],
            "sources": [src | {"files": files, "rows": list(src["rows"])}]}


def asylum(ev: Evidence, iso3: str, year: int) -> dict[str, Any]:
    """The section of `iso3` up to `year` ({} when no file has a row for the country)."""
    out = {side: _side(ev, iso3, side, year) for side in SIDES}
    out["idps"] = _idps(ev, iso3, year)
    if not any(out.values()):
        return {}
    return {"year": year, **out}


def _table(side: dict[str, Any], w: dict[str, str], loc: Locale, country: str, name: str,
           *, year: int) -> dict[str, Any]:
    """The last SHOWN_YEARS years up to `year`, each shown ("no data" where the files have
    no row); cases columns only where a year shown has cases."""
    held = {r["year"]: r for r in side["years"]}
    shown = [held.get(y, {"year": y}) for y in range(year - SHOWN_YEARS + 1, year + 1)]
    nodata = w["no_data"]

    def n(value: int | None) -> str:
        return nodata if value is None else loc.number(value)

    def pct(value: float | None) -> str:
        return nodata if value is None else loc.percent(100 * value)
    has_cases = any(r.get("applied_cases") is not None or r.get("decided_cases") is not None
                    for r in shown)
    has_decisions = any(r.get("decided") is not None for r in shown)
    columns = ["year", "applied",
               *(["decided", "first_instance", "trr", "rrr"] if has_decisions else [])]
    rows = []
    for r in shown:
        cells = {"year": str(r["year"]), "applied": n(r.get("applied")),
                 "new": n(r.get("new")), "applied_cases": n(r.get("applied_cases")),
                 "decided": n(r.get("decided")), "first_instance": n(r.get("first_instance")),
                 "trr": pct(r.get("total_rate")), "rrr": pct(r.get("refugee_rate")),
                 "decided_cases": n(r.get("decided_cases"))}
        rows.append([cells[c] for c in columns])
    sol_rows = [r for r in shown if any(r.get(k) is not None for k in
                                        ("returned_refugees", "resettlement", "naturalisation"))]
    sol_head = [w["year"], w[f"{name}_returned"].format(country=country),
                w[f"{name}_resettled"], w[f"{name}_naturalised"]]
    asylum_rows = [r for r in shown if any(r.get(k) is not None for k in
                                           ("applied", "applied_cases", "decided",
                                            "decided_cases"))]
    cases = [[str(r["year"]), n(r.get("applied_cases")), n(r.get("decided_cases"))]
             for r in shown if r.get("applied_cases") is not None
             or r.get("decided_cases") is not None] if has_cases else []
    return {"cases_head": [w["year"], w["applied_cases"], w["decided_cases"]] if cases else [],
            "cases": cases,
            "head": [w[c] for c in columns] if asylum_rows else [],
            "rows": rows if asylum_rows else [],
            "solutions_head": sol_head if sol_rows else [],
            "solutions": [[str(r["year"]), n(r.get("returned_refugees")),
                           n(r.get("resettlement")), n(r.get("naturalisation"))]
                          for r in shown] if sol_rows else []}


def _latest(side: dict[str, Any], w: dict[str, str], loc: Locale, country: str, name: str,
            *, year: int) -> list[str]:
    """The latest year's applications and decisions, each a sentence (persons; cases
    beside), or one "no data" sentence."""
    rows = side.get("years", [])
    apps = [r for r in rows if r.get("applied") is not None or r.get("applied_cases") is not None]
    decs = [r for r in rows if r.get("decided") is not None]
    if not (apps or decs):
        return [w[f"{name}_none"].format(country=country, year=year)]
    out = []
    if apps:
        r = apps[-1]
        cases = r.get("applied_cases")
        out.append(w[f"{name}_apps"].format(
            year=r["year"], country=country,
            applied=w["no_data"] if r.get("applied") is None else loc.number(r["applied"]),
            cases="" if cases is None else w["cases_part"].format(n=loc.number(cases))))
    if decs:
        r = decs[-1]
        rates = w["rates_none"] if r.get("total_rate") is None else w["rates_line"].format(
            trr=loc.percent(100 * r["total_rate"]), rrr=loc.percent(100 * r["refugee_rate"]))
        out.append(w[f"{name}_decs"].format(year=r["year"], country=country,
                                            decided=loc.number(r["decided"]), rates=rates))
    return out


def view(section: dict[str, Any], loc: Locale, country: str) -> dict[str, Any]:
    """The section formatted for the templates."""
    w = WORDS.get(loc.lang, WORDS["en"])
    if not section:
        return {"empty": w["none"]}
    year = int(section["year"])
    sides = []
    for name in SIDES:
        side = section.get(name) or {}
        table = _table(side, w, loc, country, name, year=year) if side else {
            "head": [], "rows": [], "solutions_head": [], "solutions": [], "cases_head": [],
            "cases": []}
        sides.append({"title": w[f"{name}_title"].format(country=country),
                      "lines": _latest(side, w, loc, country, name, year=year), **table,
                      "solutions_title": w["solutions_title"], "cases_title": w["cases_title"],
                      "no_solutions": "" if table["solutions"] else w["no_solutions"]})
    series = [(w[f"chart_{name}"].format(country=country),
               [(r["year"], r.get("applied")) for r in (section.get(name) or {}).get(
                   "years", []) if r["year"] >= FIRST])
              for name in SIDES]
    years = [y for _, pts in series for y, v in pts if v is not None]
    chart_title = w["chart"].format(first=min(years), last=max(years)) if years else ""
    chart = charts.line_chart(series, title=chart_title, fmt=loc.compact) if years else ""
    idps = section.get("idps") or {}
    idp_line, idp_chart, idp_title = w["idps_none"], "", ""
    if idps:
        last_year, last = idps["series"][-1]
        idp_line = w["idps"].format(year=last_year, value=loc.number(last))
        pts = [(y, float(v)) for y, v in idps["series"]]
        if len(pts) > 1:
            idp_title = w["idp_chart"].format(first=pts[0][0], last=pts[-1][0])
            idp_chart = charts.line_chart([(w["idp_series"], pts)], title=idp_title,
                                          fmt=loc.compact)
    sources = [Source.from_dict(s).cite() for part in (*(section.get(n) or {} for n in SIDES),
                                                        idps)
               for s in part.get("sources", [])]
    return {"empty": "", "rates": w["rates"], "sides": sides, "chart": chart,
            "chart_title": chart_title, "idps": idp_line, "idp_chart": idp_chart,
            "idp_title": idp_title, "sources": " | ".join(sources)}
