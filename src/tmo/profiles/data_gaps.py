"""The "Data gaps" section: what the figures of the profile leave out or cannot settle,
since when, and what it means for them.

It is generated, never written by hand: one templated sentence (`dg_<check>` in the
locales, EN/FR/ES) per caveat of the profile (`tmo.profiles.caveats`, whose cross-source
and coverage caveats flag what `tmo check` reports), and one per headline figure with no
data (`no_data`) or whose latest figure is older than the profile's year (`stale`). Each
gap keeps the caveat's values, the check that found it (the `tmo check` rule where there
is one) and the sources of its figures; `text` is the English sentence, for readers of
the JSON. A caveat that concerns no gap (a share above 100 %) stays a caveat only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tmo.profiles import caveat_text
from tmo.profiles.i18n import Locale
from tmo.store.evidence import Source

# the caveat's check -> the `tmo check` rule that reports the same thing (none: the
# profile's own check, named as such)
RULE = {"origin_breakdown": "origin_breakdown", "remittance_sources": "remittance_sources",
        "refugee_sources": "refugee_sources", "population_sources": "population_sources",
        "stock_revision": "stock_jumps", "stock_jump": "stock_jumps"}
NOT_GAPS = frozenset({"share_over_100"})
# headline figures whose absence is a gap: figure -> (section, key of its trend series)
HEADLINES = {"immigrant_stock": ("immigration", "total"),
             "emigrant_stock": ("emigration", "total"),
             "refugees_hosted": ("refugees", "hosted"),
             "refugees_abroad": ("refugees", "abroad"),
             "remittances_received": ("remittances", "received"),
             "remittances_paid": ("remittances", "paid")}


def _missing(p: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for key, (section, series) in HEADLINES.items():
        fig = (p.get(section) or {}).get("figures", {}).get(key)
        if not fig:
            continue
        if fig.get("value") is None:
            years = [r["year"] for r in p[section].get("trend") or []
                     if r.get(series) is not None and r["year"] <= p["year"]]
            out.append({"check": "no_data", "figure": key, "finding": None,
                        "values": {"year": fig.get("year") or p["year"],
                                   "last": max(years) if years else None},
                        "sources": fig.get("sources") or []})
        elif fig.get("year") is not None and fig["year"] < p["year"]:
            out.append({"check": "stale", "figure": key, "finding": None,
                        "values": {"year": p["year"], "last": fig["year"]},
                        "sources": fig.get("sources") or []})
    return out


def data_gaps(p: dict[str, Any]) -> list[dict[str, Any]]:
    """The gaps of a (plain) profile whose caveats are set, caveats first."""
    gaps = [{"check": c["check"], "figure": c["figure"], "finding": RULE.get(c["check"]),
             "values": {"year": p["year"], **c["values"]}, "sources": c["sources"]}
            for c in p.get("caveats") or [] if c["check"] not in NOT_GAPS]
    gaps += _missing(p)
    english = Locale("en")
    country = p["country"]["iso3"]
    for g in gaps:
        g["text"] = text(english, g, lambda code: code, country)
    return gaps


def _signed(loc: Locale, pct: float | None) -> str:
    return "" if pct is None else f" ({'+' if pct > 0 else '−'}{loc.percent(abs(pct), 0)})"


Writer = Callable[[Locale, dict[str, Any], Callable[[str], str], str], str]


def _origin_breakdown(loc: Locale, v: dict[str, Any], name: Callable[[str], str],
                      country: str) -> str:
    return loc.t("dg_origin_breakdown", revision=v["revision"], previous=v["previous"],
                 year=v["year"], n=len(v["missing"]) + v["others"], country=name(country),
                 missing=loc.number(v["missing_total"]))


def _remittance_sources(loc: Locale, v: dict[str, Any], *_: Any) -> str:
    if v.get("value") is None:
        return loc.t("dg_remittance_none", other=caveat_text.money(loc, v["other"]),
                     other_year=v["other_year"])
    return loc.t("dg_remittance_sources", year=v["year"], other_year=v["other_year"],
                 value=caveat_text.money(loc, v["value"]),
                 other=caveat_text.money(loc, v["other"]),
                 tolerance=loc.percent(v["tolerance_pct"], 0))


def _refugee_sources(loc: Locale, v: dict[str, Any], *_: Any) -> str:
    after = loc.t("cav_none_listed") if v["unhcr"] is None else loc.number(v["unhcr"])
    return loc.t("dg_refugee_sources", year=v["year"], ims=loc.number(v["ims"]), after=after)


def _population_sources(loc: Locale, v: dict[str, Any], *_: Any) -> str:
    share = ("" if v.get("share_wpp") is None else
             loc.t("dg_population_share", share=loc.percent(v["share_wpp"])))
    return loc.t("dg_population_sources", year=v["year"], revision=v["revision"],
                 ims=loc.number(v["ims"]), wpp_revision=v["wpp_revision"],
                 wpp=loc.number(v["wpp"]), share=share)


def _stock(key: str) -> Writer:
    def write(loc: Locale, v: dict[str, Any], *_: Any) -> str:
        group = loc.t("cav_group_" + ("immigrants" if v["side"] == "destination"
                                      else "emigrants"))
        return loc.t(key, revision=v["revision"], year=v["year"], before=v["before"],
                     old=loc.number(v["old"]), new=loc.number(v["new"]), group=group,
                     change=_signed(loc, v.get("change_pct")))
    return write


def _no_data(loc: Locale, v: dict[str, Any], *_: Any) -> str:
    since = (loc.t("dg_no_data_since", last=v["last"]) if v.get("last") is not None
             else loc.t("dg_no_data_never"))
    return loc.t("dg_no_data", year=v["year"]) + " " + since


WRITERS: dict[str, Writer] = {
    "origin_breakdown": _origin_breakdown,
    "unknown_origin": lambda loc, v, *_: loc.t(
        "dg_unknown_origin", year=v["year"], share=loc.percent(v["share_pct"]),
        n=loc.number(v["unknown"])),
    "even_split": lambda loc, v, *_: loc.t(
        "dg_even_split", year=v["year"], share=loc.percent(v["share_pct"], 0),
        group=loc.t(f"cav_group_{v['side']}")),
    "remittance_zero": lambda loc, v, *_: loc.t(
        "dg_remittance_zero", years=", ".join(map(str, v["years"]))),
    "remittance_sources": _remittance_sources,
    "refugee_sources": _refugee_sources,
    "population_sources": _population_sources,
    "stock_revision": _stock("dg_stock_revision"),
    "stock_jump": _stock("dg_stock_jump"),
    "no_data": _no_data,
    "stale": lambda loc, v, *_: loc.t("dg_stale", last=v["last"], year=v["year"]),
}


def text(loc: Locale, gap: dict[str, Any], name: Callable[[str], str], country: str) -> str:
    """The gap's sentence in the locale's language (`name`: an area's name)."""
    writer = WRITERS.get(gap["check"])
    if writer is None:
        return str(gap.get("text", ""))
    return writer(loc, gap.get("values") or {}, name, country)


def view(gaps: list[dict[str, Any]], loc: Locale, name: Callable[[str], str],
         country: str) -> list[dict[str, str]]:
    """The gaps formatted for the templates: label, sentence, the check that found it
    (`by`: a `tmo check` finding or the profile's own check) and the files."""
    out = []
    for g in gaps:
        files = sorted({f for s in g.get("sources") or [] for f in s.get("files") or []})
        out.append({"label": caveat_text.label(loc, g["figure"]),
                    "text": text(loc, g, name, country),
                    "by": loc.t("dg_finding" if g.get("finding") else "dg_profile_check"),
                    "check": g.get("finding") or g["check"], "files": ", ".join(files),
                    "source": " | ".join(Source.from_dict(s).cite()
                                         for s in g.get("sources") or [])})
    return out
