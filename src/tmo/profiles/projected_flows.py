"""Projected flows in the profile's projections section and on the projections page
(issue #14, docs/projections.md "Projected flows"): a country's largest projected inflows
and outflows (total of both sexes, flows between the median stock tables) with the 80 %
and 95 % intervals of the flows estimated in the simulated futures where the store holds
them, read from `projected_flows` (`tmo projections flows run`).

`section(ev, iso3, revision)` is the document's part (empty when the store holds no
projected flows for the country); `view(...)` formats it, with a chart, for the HTML and
Markdown templates. Nothing is computed here but choosing rows."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from tmo.profiles import charts
from tmo.profiles.i18n import Locale
from tmo.store.evidence import Evidence, Source, ViewCache
from tmo.store.flow_intervals import BOUNDS, Cells, flow_cells

TOP = 3  # corridors each way in the profile
PAGE_TOP = 5  # on the projections page
FEW = 40  # fewer futures than this: the 95 % bounds are about their extremes

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Projected flows",
        "caveat": "Projected flows: what the projected stocks (IMS {revision}, median) and "
                  "the medium variant of WPP {wpp} imply together, estimated by {method} "
                  "(persons born anywhere, moving between 1 July of the first and of the "
                  "last year). Not a forecast of moves, and not backtested: no projected "
                  "flows were ever published to score them against. The same method, "
                  "backtested on past years, brackets single flows about as often as its "
                  "intervals say, but not the world's total.",
        "bands": "Bars: the flow between the median stock tables; lines: the 80 % interval "
                 "of the flows estimated in each simulated future.",
        "bands_n": "Bars: the flow between the median stock tables; lines: the 80 % "
                   "interval of the flows estimated in each of {draws} simulated futures.",
        "few": "With so few futures, the 95 % interval is close to their range.",
        "no_bands": "No interval: the store holds no flows of the simulated futures "
                    "(`tmo projections flows run --scenario draws`).",
        "none": "No data: the store holds no projected flows for {country} "
                "(`tmo projections flows run` computes them).",
        "chart": "Largest projected flows into and out of {country}, 1 July {start} – "
                 "1 July {end}",
        "inflows": "Into {country}, from",
        "outflows": "Out of {country}, to",
        "corridor": "Flow", "flow": "Persons", "i80": "80 % interval",
        "i95": "95 % interval", "band80": "80 % interval",
    },
    "fr": {
        "title": "Flux projetés",
        "caveat": "Flux projetés : ce qu'impliquent ensemble les stocks projetés (IMS "
                  "{revision}, médiane) et la variante moyenne des WPP {wpp}, estimés par "
                  "{method} (personnes nées n'importe où, qui se déplacent entre le 1er "
                  "juillet de la première et de la dernière année). Ce n'est pas une "
                  "prévision des déplacements, et ces flux ne sont pas évalués sur le "
                  "passé : aucun flux projeté n'a jamais été publié pour les comparer. "
                  "La même méthode, évaluée sur les années passées, encadre les flux "
                  "un à un à peu près aussi souvent que ses intervalles l'annoncent, mais "
                  "pas le total mondial.",
        "bands": "Barres : le flux entre les tableaux de stocks médians ; traits : "
                 "l'intervalle à 80 % des flux estimés dans chaque avenir simulé.",
        "bands_n": "Barres : le flux entre les tableaux de stocks médians ; traits : "
                   "l'intervalle à 80 % des flux estimés dans chacun de {draws} avenirs "
                   "simulés.",
        "few": "Avec si peu d'avenirs, l'intervalle à 95 % est proche de leur étendue.",
        "no_bands": "Pas d'intervalle : la base ne contient pas les flux des avenirs simulés "
                    "(`tmo projections flows run --scenario draws`).",
        "none": "Pas de données : la base ne contient aucun flux projeté pour {country} "
                "(`tmo projections flows run` les calcule).",
        "chart": "Principaux flux projetés vers et depuis {country}, du 1er juillet {start} "
                 "au 1er juillet {end}",
        "inflows": "Vers {country}, depuis",
        "outflows": "Depuis {country}, vers",
        "corridor": "Flux", "flow": "Personnes", "i80": "Intervalle à 80 %",
        "i95": "Intervalle à 95 %", "band80": "Intervalle à 80 %",
    },
    "es": {
        "title": "Flujos proyectados",
        "caveat": "Flujos proyectados: lo que implican juntos los stocks proyectados (IMS "
                  "{revision}, mediana) y la variante media de WPP {wpp}, estimados por "
                  "{method} (personas nacidas en cualquier lugar que se desplazan entre el "
                  "1 de julio del primer y del último año). No es un pronóstico de los "
                  "desplazamientos, y no se han evaluado con datos pasados: nunca se "
                  "publicaron flujos proyectados con los que compararlos. El mismo método, "
                  "evaluado en años pasados, acota los flujos uno a uno más o menos tan a "
                  "menudo como dicen sus intervalos, pero no el total mundial.",
        "bands": "Barras: el flujo entre las tablas de stocks medianos; líneas: el "
                 "intervalo del 80 % de los flujos estimados en cada futuro simulado.",
        "bands_n": "Barras: el flujo entre las tablas de stocks medianos; líneas: el "
                   "intervalo del 80 % de los flujos estimados en cada uno de {draws} "
                   "futuros simulados.",
        "few": "Con tan pocos futuros, el intervalo del 95 % se acerca a su rango.",
        "no_bands": "Sin intervalo: la base no contiene los flujos de los futuros simulados "
                    "(`tmo projections flows run --scenario draws`).",
        "none": "Sin datos: la base no contiene flujos proyectados para {country} "
                "(`tmo projections flows run` los calcula).",
        "chart": "Mayores flujos proyectados hacia y desde {country}, del 1 de julio de "
                 "{start} al 1 de julio de {end}",
        "inflows": "Hacia {country}, desde",
        "outflows": "Desde {country}, hacia",
        "corridor": "Flujo", "flow": "Personas", "i80": "Intervalo del 80 %",
        "i95": "Intervalo del 95 %", "band80": "Intervalo del 80 %",
    },
}


def words(lang: str) -> dict[str, str]:
    return WORDS.get(lang, WORDS["en"])


@dataclass(frozen=True)
class Ranked:
    """Projected flows ready to choose from: the moves (no stayers, a flow of the
    scenario) largest first per period as plain arrays (`columns`: period_start,
    period_end, origin, destination, flow and the `BOUNDS`), the positions of each
    place's inflows and outflows among them (in that order), and the stored rows behind
    each place's cells."""

    cells: Cells
    columns: dict[str, np.ndarray]
    inflows: dict[str, np.ndarray]
    outflows: dict[str, np.ndarray]
    stored: dict[str, int]


def rank(cells: Cells) -> Ranked:
    """The cells' moves ordered for choosing (pure): largest first per period, ties by
    origin and destination; the stayers (origin = destination) only counted."""
    f = cells.frame.astype({"origin": object, "destination": object})
    moves = f[(f["origin"] != f["destination"]) & f["flow"].notna()].sort_values(
        ["period_start", "flow", "origin", "destination"],
        ascending=[True, False, True, True], ignore_index=True)
    by = {side: {str(k): np.asarray(v) for k, v in
                 moves.groupby(side, sort=False).indices.items()}
          for side in ("origin", "destination")}
    stays = f[f["origin"] == f["destination"]]
    stored = (f.groupby("origin")["stored"].sum()
              .add(f.groupby("destination")["stored"].sum(), fill_value=0)
              .sub(stays.groupby("origin")["stored"].sum(), fill_value=0))
    columns = {c: moves[c].to_numpy() for c in
               ("period_start", "period_end", "origin", "destination", "flow", *BOUNDS)}
    return Ranked(cells, columns, by["destination"], by["origin"],
                  {str(k): int(v) for k, v in stored.items()})


def _ranked_all(con: Any, revision: str) -> Ranked:
    """Every place's projected flows of a revision (total of both sexes), read and ranked
    once for a stage that builds every profile."""
    return rank(flow_cells(con, None, revision=revision))


def _moves(ranked: Ranked, positions: np.ndarray, start: int, top: int
           ) -> list[dict[str, Any]]:
    """The first `top` moves of a period among `positions` (largest first)."""
    c = ranked.columns
    chosen = positions[c["period_start"][positions] == start][:top]
    return [{"origin": str(c["origin"][i]), "destination": str(c["destination"][i]),
             "flow": float(c["flow"][i]),
             **{b: None if np.isnan(c[b][i]) else float(c[b][i]) for b in BOUNDS}}
            for i in chosen]


def section(ev: Evidence, iso3: str, revision: str, *, top: int = TOP,
            periods: str = "first") -> dict[str, Any]:
    """The country's largest `top` projected inflows and outflows of the first period
    (`periods` = "first") or of the first and the last ("both"); {} when none are stored."""
    if isinstance(ev, ViewCache):
        ranked = ev.fact(_ranked_all, revision)
        where = ranked.cells.filter + f" AND '{iso3}' IN (origin, destination)"
    else:
        ranked = rank(flow_cells(ev.con, iso3, revision=revision))
        where = ranked.cells.filter
    none = np.empty(0, dtype=int)
    inflows, outflows = ranked.inflows.get(iso3, none), ranked.outflows.get(iso3, none)
    both = np.concatenate([inflows, outflows])
    if len(both) == 0:
        return {}
    c = ranked.columns
    starts = sorted({int(p) for p in c["period_start"][both]})
    chosen = starts[:1] if periods == "first" or len(starts) == 1 else [starts[0], starts[-1]]
    ends = dict(zip(c["period_start"][both].tolist(), c["period_end"][both].tolist(),
                    strict=True))
    out = [{"period_start": start, "period_end": int(ends[start]),
            "inflows": _moves(ranked, inflows, start, top),
            "outflows": _moves(ranked, outflows, start, top)} for start in chosen]
    first = ranked.cells.frame.iloc[0]
    source = Source("projected_flows", where, revision, ranked.cells.files, (),
                    ranked.stored.get(iso3, 0))
    return {"revision": str(first["revision"]), "wpp_revision": str(first["wpp_revision"]),
            "method": str(first["method"]), "kind": str(first["kind"]),
            "scenario": "median", "sex": "total",
            "intervals": bool(np.isfinite(c["lower80"][both]).any()), "backtested": False,
            "draws": ranked.cells.draws,
            "periods": out,
            "sources": [asdict(source) | {"files": list(source.files), "rows": []}]}


def _bands(w: dict[str, str], flows: dict[str, Any]) -> str:
    """What the lines across the bars are, with the number of futures when stored."""
    if not flows.get("intervals"):
        return w["no_bands"]
    draws = flows.get("draws")
    if not draws:
        return w["bands"]
    return w["bands_n"].format(draws=draws) + (" " + w["few"] if draws < FEW else "")


def _partner(move: dict[str, Any], names: dict[str, str], key: str) -> str:
    """The other place of a move (its origin for an inflow, else its destination)."""
    code = move["origin"] if key == "inflows" else move["destination"]
    return names.get(code, code)


def _interval(loc: Locale, low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return "–"
    return f"{loc.number(low)}–{loc.number(high)}"


def view(flows: dict[str, Any], loc: Locale, names: dict[str, str], country: str
         ) -> dict[str, Any]:
    """The part formatted for the templates: the caveat, one chart and one table per
    period (inflows then outflows, each under its heading, the other place named), the
    sources; {"empty": ...} saying no data when nothing is stored."""
    w = words(loc.lang)
    if not flows or not flows.get("periods"):
        return {"title": w["title"], "empty": w["none"].format(country=country)}
    lines = [w["caveat"].format(revision=flows["revision"], wpp=flows["wpp_revision"],
                                method=flows["method"]),
             _bands(w, flows)]
    periods = []
    for p in flows["periods"]:
        groups = []
        rows = []
        for key in ("inflows", "outflows"):
            heading = w[key].format(country=country)
            bars = [(_partner(m, names, key), m["flow"], m["lower80"], m["upper80"])
                    for m in p[key]]
            groups.append((heading, bars))
            rows.append({"heading": heading, "moves": [
                {"name": _partner(m, names, key), "flow": loc.number(m["flow"]),
                 "i80": _interval(loc, m["lower80"], m["upper80"]),
                 "i95": _interval(loc, m["lower95"], m["upper95"])} for m in p[key]]})
        title = w["chart"].format(country=country, start=p["period_start"],
                                  end=p["period_end"])
        chart = charts.interval_bars(groups, title=title, fmt=loc.compact,
                                     legend=w["band80"] if flows.get("intervals") else "")
        periods.append({"title": title, "chart": chart, "rows": rows})
    return {"title": w["title"], "empty": "", "lines": lines, "periods": periods,
            "words": w,
            "sources": " | ".join(Source.from_dict(s).cite() for s in flows["sources"])}
