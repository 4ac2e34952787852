"""Caveats: what a reader must know about a figure, put beside it.

Each caveat names the figure it concerns (`figure`, the indicator's key, unique in a
profile), the check that raised it, the values its sentence needs (translated by the
renderers, `tmo.profiles.render`, from the `cav_<check>` strings of the locales), an
English sentence for readers of the JSON, and the sources of those values. The same list,
grouped, is the profile's "Caveats" section; `tmo.profiles.data_gaps` writes from them
(and the headline figures without data) the "Data gaps" section.

The checks (thresholds as constants below; docs/indicators.md, "Caveats"):
- `remittance_sources`: WDI (the headline) and KNOMAD differ by more than 25 % for the
  headline's year (`tmo check` reports the same pairs), or only KNOMAD has the year;
- `remittance_zero`: WDI publishes 0 for years that are read as not reported;
- `share_over_100`: a share of the population above 100 %;
- `even_split`: immigrants or emigrants published as exactly half women, half men;
- `origin_breakdown`: destinations that publish no figure for the country's emigrants in
  this revision where the previous revision gave one (they sit in "other / unknown");
- `unknown_origin`: immigrants of other or unknown origin, a large share;
- `refugee_sources`: UN DESA's refugees (IMS 2020 Table 6) and UNHCR's differ (the latest
  year `tmo check` flags for the country, within `REFUGEE_YEARS` of the profile's year),
  beside the refugees hosted;
- `population_sources`: the population the immigrant share divides by (IMS) and the
  latest WPP differ for the profile's year, beside the share (with the share WPP's
  population would give);
- `stock_revision`: this revision changes an earlier revision's immigrants or emigrants
  beyond the threshold (the year changed most), beside the stock;
- `stock_jump`: the stock changes between consecutive years of this revision beyond the
  threshold (the largest change up to the profile's year), beside the stock.
The last four use the kernels of `tmo.checks.comparisons`, so they flag what `tmo check`
reports.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from tmo.checks import comparisons
from tmo.indicators import coverage
from tmo.store.evidence import Evidence, Source, ViewCache, describe

EVEN_SPLIT_SHARE = 10.0  # percent of the stock in splits published as 50/50
GAP_SHARE = 1.0  # percent of the previous revision's emigrants missing from this one
GAP_LISTED = 5  # destinations named; the others are counted
UNKNOWN_SHARE = 10.0  # percent of immigrants of other or unknown origin
REFUGEE_YEARS = 5  # refugee disagreements this many years before the profile's, or fewer


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


def _source(view: str, where: dict[str, Any], revision: str, files: list[str],
            rows: list[str], *, n_rows: int | None = None) -> dict[str, Any]:
    src = Source(view, describe(where), revision, tuple(sorted({f for f in files if f})),
                 tuple(rows), len(rows) if n_rows is None else n_rows)
    return {**asdict(src), "files": list(src.files), "rows": list(src.rows)}


def _mine(ev: Evidence, fn: Any, iso3: str) -> list[dict[str, Any]]:
    """The rows of a `tmo.checks.comparisons` kernel (read from the views) for `iso3`."""
    return [r for r in _fact(ev, fn, "", country=iso3) if r["area"] == iso3]


def _change(old: int, new: int) -> float | None:
    return 100 * (new - old) / old if old else None


def comparison_caveats(ev: Evidence, p: dict[str, Any]) -> list[dict[str, Any]]:
    iso3, revision, year = p["country"]["iso3"], p["revision"], p["year"]
    out = []
    refugees = [r for r in _mine(ev, comparisons.refugee_gaps, iso3)
                if year - REFUGEE_YEARS <= r["year"] <= year]
    if refugees and (p["refugees"]["figures"].get("refugees_hosted") or {}):
        r = refugees[-1]  # the latest year flagged
        values = {"year": r["year"], "ims": r["ims"], "unhcr_before": r["unhcr_before"],
                  "unhcr": r["unhcr"], "revision": r["revision"]}
        ref_where = {"asylum": iso3, "year": [r["year"] - 1, r["year"]]}
        srcs = [_source("ims_indicator", {"revision": r["revision"], "indicator": "refugees",
                                          "period": str(r["year"]), "area": iso3,
                                          "sex": "total"},
                        r["revision"], [r["ims_file"]], [r["ims_row"]]),
                _source("refugees", ref_where, "UNHCR", [r["unhcr_file"]], [],
                        n_rows=r["unhcr_rows"])]
        count = lambda n: "none listed" if n is None else f"{n:,}"  # noqa: E731
        out.append(_caveat(
            "refugees_hosted", "refugee_sources",
            f"UN DESA (IMS {r['revision']}) counts {r['ims']:,} refugees and asylum seekers "
            f"in mid-{r['year']}; UNHCR {count(r['unhcr_before'])} at the end of "
            f"{r['year'] - 1} and {count(r['unhcr'])} at the end of {r['year']} (refugees, "
            "asylum seekers and others in need of international protection). UN DESA adds, "
            "where appropriate, Palestine refugees under UNRWA's mandate, which UNHCR's "
            "figures leave out; the migrant stock includes UN DESA's count.", values, srcs))
    share = p["immigration"]["figures"].get("immigrant_share") or {}
    stock = (p["immigration"]["figures"].get("immigrant_stock") or {}).get("value")
    for r in _mine(ev, comparisons.population_gaps, iso3):
        if r["revision"] != revision or r["year"] != year or share.get("value") is None:
            continue
        alt = 100 * stock / r["wpp"] if stock is not None and r["wpp"] else None
        values = {"year": year, "revision": revision, "ims": r["ims"],
                  "wpp_revision": r["wpp_revision"], "wpp": r["wpp"], "share_wpp": alt}
        srcs = [_source("population", {"source": "UN DESA IMS", "revision": revision,
                                       "year": year, "country": iso3, "sex": "total"},
                        revision, [r["ims_file"]], [r["ims_row"]]),
                _source("population", {"source": "UN WPP", "revision": r["wpp_revision"],
                                       "year": year, "country": iso3, "sex": "total"},
                        r["wpp_revision"], [r["wpp_file"]], [r["wpp_row"]])]
        out.append(_caveat(
            "immigrant_share", "population_sources",
            f"The share divides by the population published with the IMS {revision} "
            f"({r['ims']:,} in {year}); WPP {r['wpp_revision']} gives {r['wpp']:,}"
            + (f", with which the share would be {alt:.1f}%." if alt is not None else "."),
            values, srcs))
    jumps = [j for j in _mine(ev, comparisons.stock_jumps, iso3)
             if j["revision"] == revision and j["year"] <= year]
    for side, key in (("destination", "immigrant_stock"), ("origin", "emigrant_stock")):
        section = "immigration" if side == "destination" else "emigration"
        if (p[section]["figures"].get(key) or {}).get("value") is None:
            continue
        view = "destination_stock" if side == "destination" else "migrant_stock"
        for kind, check in (("revisions", "stock_revision"), ("years", "stock_jump")):
            found = [j for j in jumps if j["side"] == side and j["kind"] == kind]
            if not found:
                continue
            j = max(found, key=lambda j: abs(j["new"] - j["old"]))
            values = {"side": side, "year": j["year"], "before": j["before"], "old": j["old"],
                      "new": j["new"], "revision": revision, "change_pct": _change(j["old"],
                                                                                   j["new"])}
            old_rev = j["before"] if kind == "revisions" else revision
            old_year = j["year"] if kind == "revisions" else int(j["before"])
            # a destination's total is one row ("row 165"), an origin's a sum ("44 rows")
            srcs = [_source(view, {"revision": rev, "year": y, side: iso3, "sex": "total"},
                            rev, [f], [row.removeprefix("row ")] if row.startswith("row")
                            else [], n_rows=None if row.startswith("row")
                            else int(row.split()[0]))
                    for rev, y, f, row in ((old_rev, old_year, j["old_file"], j["old_row"]),
                                           (revision, j["year"], j["file"], j["row"]))]
            group = "immigrants" if side == "destination" else "emigrants"
            pct = values["change_pct"]
            text = (f"The {revision} revision gives {j['new']:,} {group} for {j['year']}; "
                    f"the {j['before']} revision gave {j['old']:,}"
                    if kind == "revisions" else
                    f"From {j['before']} to {j['year']} the {group} go from {j['old']:,} "
                    f"to {j['new']:,}")
            text += (f" ({pct:+.0f}%)." if pct is not None else ".")
            out.append(_caveat(key, check, text, values, srcs))
    return out


def caveats(ev: Evidence, profile: dict[str, Any]) -> list[dict[str, Any]]:
    """Every caveat of a (plain) profile document, in the order of its sections."""
    return (coverage_caveats(ev, profile) + share_caveats(profile)
            + comparison_caveats(ev, profile) + remittance_caveats(profile))
