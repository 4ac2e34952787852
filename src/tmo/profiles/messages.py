"""Key messages: the profile's main figures as sentences, written from the document only.

`key_messages(profile)` picks the figures (no new computation, no free text: each message
is a template of the locales, `msg_<key>`, and the values it fills in) and keeps their
sources; `sentences` writes them in the reader's language for the renderers. A message
whose figures are not available is left out, never written with a gap.
"""

from __future__ import annotations

from typing import Any

from tmo.profiles.caveat_text import money
from tmo.profiles.i18n import Locale


def _fig(p: dict[str, Any], section: str, key: str) -> dict[str, Any]:
    return (p.get(section, {}).get("figures") or {}).get(key) or {}


def _message(key: str, values: dict[str, Any], *figures: dict[str, Any]) -> dict[str, Any]:
    sources = [s for f in figures for s in f.get("sources", [])]
    return {"key": key, "values": values,
            "figures": [f.get("indicator") for f in figures], "sources": sources}


def key_messages(p: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    stock, share = _fig(p, "immigration", "immigrant_stock"), _fig(p, "immigration",
                                                                    "immigrant_share")
    if stock.get("value") is not None and share.get("value") is not None:
        out.append(_message("immigrants", {"year": stock["year"], "n": stock["value"],
                                           "share": share["value"]}, stock, share))
    change = _fig(p, "immigration", "immigrant_change_since_1990")
    if change.get("value") is not None:
        out.append(_message("change_up" if change["value"] >= 0 else "change_down",
                            {"pct": abs(change["value"])}, change))
    emi, rate = _fig(p, "emigration", "emigrant_stock"), _fig(p, "emigration", "emigrant_rate")
    ranking = (_fig(p, "emigration", "top_destinations").get("detail") or {}).get("ranking")
    if emi.get("value") and rate.get("value") is not None and ranking:
        out.append(_message("emigrants", {"n": emi["value"], "rate": rate["value"],
                                          "top": ranking[0]["area"],
                                          "top_share": ranking[0]["share_pct"]},
                            emi, rate, _fig(p, "emigration", "top_destinations")))
    net = p.get("net_position") or {}
    if net.get("value"):
        out.append(_message("net_in" if net["value"] > 0 else "net_out",
                            {"n": abs(net["value"])}, stock, emi))
    hosted, abroad = _fig(p, "refugees", "refugees_hosted"), _fig(p, "refugees",
                                                                   "refugees_abroad")
    if hosted.get("value") is not None and abroad.get("value") is not None:
        out.append(_message("refugees", {"year": hosted["year"], "hosted": hosted["value"],
                                         "abroad": abroad["value"]}, hosted, abroad))
    out += _asylum_messages(p.get("asylum") or {})
    received = _fig(p, "remittances", "remittances_received")
    gdp = _fig(p, "remittances", "remittances_gdp_share")
    if received.get("value") is not None:
        other = (received.get("detail") or {}).get("other")
        out.append(_message("remittances" if gdp.get("value") is not None
                            else "remittances_nogdp",
                            {"usd": received["value"], "year": received["year"],
                             "gdp": gdp.get("value"),
                             "other": other["value"] if other else None},
                            received, *([gdp] if gdp.get("value") is not None else [])))
    return out


def _asylum_messages(section: dict[str, Any]) -> list[dict[str, Any]]:
    """Asylum applications lodged in the country in the latest year held, with UNHCR's
    total recognition rate of that year where it has one; IDMC's internally displaced."""
    out = []
    side = section.get("asylum") or {}
    held = [r for r in side.get("years", []) if r.get("applied") is not None]
    if held:
        r = held[-1]
        rate = r.get("total_rate")
        views = ("asylum_applications",) + (("asylum_decisions",) if rate is not None else ())
        figure = {"indicator": "asylum_applications",
                  "sources": [s for s in side.get("sources", []) if s.get("view") in views]}
        out.append(_message("asylum" if rate is not None else "asylum_norate",
                            {"year": r["year"], "n": r["applied"],
                             "rate": None if rate is None else 100 * rate}, figure))
    idps = section.get("idps") or {}
    if idps.get("series"):
        year, n = idps["series"][-1]
        out.append(_message("idps", {"year": year, "n": n},
                            {"indicator": "idps", "sources": idps.get("sources", [])}))
    return out


def sentences(loc: Locale, messages: list[dict[str, Any]],
              name: Any) -> list[dict[str, str]]:
    """Each message as {"text", "files"} in the locale's language."""
    out = []
    for m in messages:
        v = m["values"]
        values = {"year": v.get("year"), "n": loc.number(v.get("n")),
                  "share": loc.percent(v.get("share")), "pct": loc.percent(v.get("pct"), 0),
                  "rate": loc.percent(v.get("rate")),
                  "top": name(v["top"]) if v.get("top") else "",
                  "top_share": loc.percent(v.get("top_share"), 0),
                  "hosted": loc.number(v.get("hosted")), "abroad": loc.number(v.get("abroad")),
                  "money": money(loc, v.get("usd")), "gdp": loc.percent(v.get("gdp"))}
        text = loc.t(f"msg_{m['key']}", **values)
        if v.get("other") is not None:
            text += " " + loc.t("msg_other_source", other=money(loc, v["other"]))
        files = sorted({f for s in m["sources"] for f in s.get("files", [])})
        out.append({"text": text, "files": ", ".join(files)})
    return out
