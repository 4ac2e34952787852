"""Caveats: what a reader must know about a figure, put beside it.

Each caveat names the figure it concerns (`figure`, the indicator's key, unique in a
profile), the check that raised it, the values its sentence needs (translated by the
renderers, `tmo.profiles.render`, from the `cav_<check>` strings of the locales), an
English sentence for readers of the JSON, and the sources of those values. The same list,
grouped, is the profile's "Caveats and data gaps" section.

The checks (thresholds as constants below; docs/indicators.md, "Caveats"):
- `remittance_sources`: WDI (the headline) and KNOMAD differ by more than 25 % for the
  headline's year (`tmo check` reports the same pairs), or only KNOMAD has the year;
- `remittance_zero`: WDI publishes 0 for years that are read as not reported;
- `share_over_100`: a share of the population above 100 %;
- `even_split`: immigrants or emigrants published as exactly half women, half men;
- `origin_breakdown`: destinations that publish no figure for the country's emigrants in
  this revision where the previous revision gave one (they sit in "other / unknown");
- `unknown_origin`: immigrants of other or unknown origin, a large share.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from tmo.indicators import coverage
from tmo.store.evidence import Evidence, Source, ViewCache, describe

EVEN_SPLIT_SHARE = 10.0  # percent of the stock in splits published as 50/50
GAP_SHARE = 1.0  # percent of the previous revision's emigrants missing from this one
GAP_LISTED = 5  # destinations named; the others are counted
UNKNOWN_SHARE = 10.0  # percent of immigrants of other or unknown origin


def _caveat(figure: str, check: str, text: str, values: dict[str, Any],
            sources: list[Any]) -> dict[str, Any]:
    return {"figure": figure, "check": check, "severity": "warning", "values": values,
            "text": text, "sources": sources}


def _usd(value: float) -> str:
    return f"US$ {value / 1e9:,.2f} billion" if value >= 1e9 else f"US$ {value / 1e6:,.1f} million"


def remittance_caveats(p: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for key, fig in (p["remittances"].get("figures") or {}).items():
        detail = fig.get("detail") or {}
        other = detail.get("other")
        if other:
            values = {"value": fig["value"], "year": fig["year"], "other": other["value"],
                      "other_year": other["year"], "tolerance_pct": 100 * other["tolerance"]}
            head = "no figure" if fig["value"] is None else _usd(fig["value"])
            out.append(_caveat(key, "remittance_sources",
                               f"World Bank WDI gives {head} for {fig['year']}; KNOMAD gives "
                               f"{_usd(other['value'])} for {other['year']}. The headline is "
                               "WDI's (the rule in the annex); the two publications differ by "
                               f"more than {values['tolerance_pct']:.0f}%.",
                               values, other["sources"]))
        if detail.get("zero_years"):
            years = detail["zero_years"]
            out.append(_caveat(key, "remittance_zero",
                               f"WDI publishes 0 for {', '.join(map(str, years))}: read as not "
                               "reported, not as no remittances.",
                               {"years": years}, fig["sources"]))
    return out


def share_caveats(p: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for section, key in (("immigration", "immigrant_share"), ("emigration", "emigrant_rate")):
        fig = p[section]["figures"].get(key) or {}
        if fig.get("value") is not None and fig["value"] > 100:
            out.append(_caveat(key, "share_over_100",
                               f"Above 100% ({fig['value']:.3f}%): "
                               + ("UN DESA estimates the migrant stock and the population "
                                  "separately; read it as almost every resident born abroad."
                                  if section == "immigration" else
                                  "more people born in the country live abroad than live in "
                                  "it; the rate divides emigrants by the residents."),
                               {"value": fig["value"], "side": section}, fig["sources"]))
    return out


def _stock_source(revision: str, where: dict[str, Any], files: list[str],
                  rows: list[str]) -> dict[str, Any]:
    src = Source("migrant_stock", describe(where), revision, tuple(sorted(set(files))),
                 tuple(rows) if len(rows) <= 12 else (), len(rows))
    return {**asdict(src), "files": list(src.files), "rows": list(src.rows)}


def _fact(ev: Evidence, fn: Any, *args: Any, country: str) -> Any:
    """A `tmo.indicators.coverage` fact: of every country at once when the reader keeps
    facts (a build's profiles), else of the one country."""
    if isinstance(ev, ViewCache):
        return ev.fact(fn, *args)
    return fn(ev.con, *args, only=country)


def coverage_caveats(ev: Evidence, p: dict[str, Any]) -> list[dict[str, Any]]:
    iso3, revision, year = p["country"]["iso3"], p["revision"], p["year"]
    out = []
    splits = _fact(ev, coverage.even_splits, revision, year, country=iso3)
    for side, key, section in (("immigrants", "immigrant_female_share", "immigration"),
                               ("emigrants", "emigrant_female_share", "emigration")):
        found = splits[side].get(iso3) or {}
        share = found.get("share_pct")
        if side == "immigrants" and iso3 in splits["destination_totals"]:
            share = 100.0
        fig = p[section]["figures"].get(key) or {}
        if share is not None and share >= EVEN_SPLIT_SHARE and fig.get("value") is not None:
            out.append(_caveat(key, "even_split",
                               f"{share:.0f}% of these {side} are in figures published as "
                               "exactly half women, half men, a split UN DESA imputes where "
                               "a country reports none: this share of women is partly "
                               "assumed.", {"share_pct": share, "side": side},
                               fig["sources"]))
    gap = _fact(ev, coverage.origin_gaps, revision, country=iso3).get(iso3)
    if gap and gap["previous_total"]:
        missing = sum(m["stock"] for m in gap["missing"])
        if 100 * missing / gap["previous_total"] >= GAP_SHARE:
            listed = gap["missing"][:GAP_LISTED]
            values = {"revision": revision, "previous": gap["previous"], "year": gap["year"],
                      "missing": [{"area": m["area"], "stock": m["stock"]} for m in listed],
                      "others": len(gap["missing"]) - len(listed), "missing_total": missing,
                      "total": gap["total"], "previous_total": gap["previous_total"]}
            src = _stock_source(gap["previous"], {"revision": gap["previous"],
                                                  "year": gap["year"], "origin": iso3,
                                                  "sex": "total",
                                                  "destination": [m["area"] for m in listed]},
                                [m["file"] for m in listed], [m["row"] for m in listed])
            out.append(_caveat(
                "emigrant_stock", "origin_breakdown",
                f"The {revision} revision publishes no figure for people born here in "
                + ", ".join(m["area"] for m in listed)
                + (f" and {values['others']} other destinations" if values["others"] else "")
                + f" (the {gap['previous']} revision: "
                + ", ".join(f"{m['stock']:,}" for m in listed)
                + f" in {gap['year']}); they are counted there as other or unknown origin. "
                f"For {gap['year']}, the {gap['previous']} revision counts "
                f"{gap['previous_total']:,} emigrants, the {revision} revision "
                f"{gap['total']:,}.", values, [src]))
    unknown = _fact(ev, coverage.unknown_origin, revision, year, country=iso3).get(iso3)
    fig = p["immigration"]["figures"].get("top_origins") or {}
    if unknown and unknown["share_pct"] is not None and unknown["share_pct"] >= UNKNOWN_SHARE:
        out.append(_caveat("top_origins", "unknown_origin",
                           f"{unknown['share_pct']:.1f}% of immigrants ({unknown['unknown']:,}) "
                           "are of other or unknown origin: the country does not publish "
                           "their country of birth.",
                           {"share_pct": unknown["share_pct"], "unknown": unknown["unknown"]},
                           fig.get("sources", [])))
    return out


def caveats(ev: Evidence, profile: dict[str, Any]) -> list[dict[str, Any]]:
    """Every caveat of a (plain) profile document, in the order of its sections."""
    return (coverage_caveats(ev, profile) + share_caveats(profile)
            + remittance_caveats(profile))
