"""Caveats (`tmo.profiles.caveats`) and amounts of money in the reader's language.

The document keeps a caveat's values; this module writes its sentence from the locale's
`cav_<check>` string, with names, numbers and money formatted for the language, and the
label of the figure it concerns.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tmo.profiles.i18n import Locale

# the figure a caveat concerns -> its section (the page's section id) and label keys
FIGURES: dict[str, tuple[str, tuple[str, ...]]] = {
    "immigrant_stock": ("immigration", ("immigrants",)),
    "immigrant_share": ("immigration", ("immigrants", "share_of_population")),
    "immigrant_female_share": ("immigration", ("immigrants", "female_share")),
    "top_origins": ("immigration", ("top_origins_label",)),
    "emigrant_stock": ("emigration", ("emigrants",)),
    "emigrant_rate": ("emigration", ("emigrant_rate",)),
    "emigrant_female_share": ("emigration", ("emigrants", "female_share")),
    "remittances_received": ("remittances", ("remittances", "received")),
    "remittances_paid": ("remittances", ("remittances", "paid")),
    "refugees_hosted": ("refugees", ("refugees", "hosted")),
    "refugees_abroad": ("refugees", ("refugees", "abroad")),
}


def money(loc: Locale, value: float | None) -> str:
    """US$ amounts as each language writes them: "US$ 2.2 billion", "2,2 Md$ US",
    "2,2 mil millones de US$"."""
    if value is None:
        return loc.t("not_available")
    for size, key in ((1e9, "money_billion"), (1e6, "money_million")):
        if abs(value) >= size:
            scaled = value / size
            return loc.t(key, n=loc.number(scaled, 2 if abs(scaled) < 10 else 1))
    return loc.t("money_units", n=loc.number(value))


def label(loc: Locale, figure: str) -> str:
    keys = FIGURES.get(figure, ("", ()))[1]
    return " · ".join(loc.t(k) for k in keys) or figure


def section(figure: str) -> str:
    return FIGURES.get(figure, ("sources", ()))[0]


def _remittance_sources(loc: Locale, v: dict[str, Any], name: Callable[[str], str]) -> str:
    tolerance = loc.percent(v["tolerance_pct"], 0)
    if v.get("value") is None:
        return loc.t("cav_remittance_none", other=money(loc, v["other"]),
                     other_year=v["other_year"])
    return loc.t("cav_remittance_sources", value=money(loc, v["value"]), year=v["year"],
                 other=money(loc, v["other"]), other_year=v["other_year"],
                 tolerance=tolerance)


def _origin_breakdown(loc: Locale, v: dict[str, Any], name: Callable[[str], str]) -> str:
    listing = "; ".join(f"{name(m['area'])}: {loc.number(m['stock'])}" for m in v["missing"])
    others = loc.t("cav_others", n=v["others"]) if v["others"] else ""
    return loc.t("cav_origin_breakdown", revision=v["revision"], previous=v["previous"],
                 year=v["year"], n=len(v["missing"]) + v["others"], listing=listing,
                 others=others, previous_total=loc.number(v["previous_total"]),
                 total=loc.number(v["total"]))


def _count(loc: Locale, value: int | None) -> str:
    return loc.t("cav_none_listed") if value is None else loc.number(value)


def _refugee_sources(loc: Locale, v: dict[str, Any], name: Callable[[str], str]) -> str:
    return loc.t("cav_refugee_sources", revision=v["revision"], year=v["year"],
                 ims=loc.number(v["ims"]), before=_count(loc, v["unhcr_before"]),
                 year_before=v["year"] - 1, after=_count(loc, v["unhcr"]))


def _population_sources(loc: Locale, v: dict[str, Any], name: Callable[[str], str]) -> str:
    text = loc.t("cav_population_sources", revision=v["revision"], year=v["year"],
                 ims=loc.number(v["ims"]), wpp_revision=v["wpp_revision"],
                 wpp=loc.number(v["wpp"]))
    if v.get("share_wpp") is not None:
        text += " " + loc.t("cav_population_share", share=loc.percent(v["share_wpp"]))
    return text


def _stock_change(loc: Locale, v: dict[str, Any], name: Callable[[str], str],
                  key: str) -> str:
    pct = v.get("change_pct")
    change = "" if pct is None else f" ({'+' if pct > 0 else '−'}{loc.percent(abs(pct), 0)})"
    return loc.t(key, revision=v["revision"], year=v["year"], before=v["before"],
                 old=loc.number(v["old"]), new=loc.number(v["new"]), change=change,
                 group=loc.t("cav_group_" + ("immigrants" if v["side"] == "destination"
                                             else "emigrants")))


WRITERS: dict[str, Callable[[Locale, dict[str, Any], Callable[[str], str]], str]] = {
    "remittance_sources": _remittance_sources,
    "remittance_zero": lambda loc, v, _: loc.t(
        "cav_remittance_zero", years=", ".join(map(str, v["years"]))),
    "share_over_100": lambda loc, v, _: loc.t(
        f"cav_share_over_100_{v['side']}", value=loc.percent(v["value"], 3)),
    "even_split": lambda loc, v, _: loc.t(
        "cav_even_split", share=loc.percent(v["share_pct"], 0),
        group=loc.t(f"cav_group_{v['side']}")),
    "origin_breakdown": _origin_breakdown,
    "unknown_origin": lambda loc, v, _: loc.t(
        "cav_unknown_origin", share=loc.percent(v["share_pct"]), n=loc.number(v["unknown"])),
    "refugee_sources": _refugee_sources,
    "population_sources": _population_sources,
    "stock_revision": lambda loc, v, n: _stock_change(loc, v, n, "cav_stock_revision"),
    "stock_jump": lambda loc, v, n: _stock_change(loc, v, n, "cav_stock_jump"),
}


def text(loc: Locale, caveat: dict[str, Any], name: Callable[[str], str]) -> str:
    """The caveat's sentence in the locale's language; `name` gives an area's name."""
    writer = WRITERS.get(caveat.get("check", ""))
    if writer is None:
        return str(caveat.get("text", ""))
    return writer(loc, caveat.get("values") or {}, name)
