"""Renderers: the profile's plain data shown as HTML, PDF, Markdown or JSON.

Renderers compute nothing new: every number they show is in the profile document
(`tmo.profiles.document`), formatted for the reader's language; names, definitions and
map shapes come from the store's `Lexicon`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from tmo.indicators.definitions import translated
from tmo.profiles import caveat_text, charts, partial_view, skills_section
from tmo.profiles.asylum import view as asylum_view
from tmo.profiles.changed import view as changed_view
from tmo.profiles.country_flows import view as flows_view
from tmo.profiles.data_gaps import view as gaps_view
from tmo.profiles.demography import view as demography_view
from tmo.profiles.document import Profile
from tmo.profiles.i18n import LANGUAGES, Locale, catalogue
from tmo.profiles.lexicon import Lexicon
from tmo.profiles.messages import sentences
from tmo.profiles.outlook import view as outlook_view
from tmo.profiles.policy import view as policy_view
from tmo.profiles.survey_section import view as survey_view
from tmo.store.evidence import Source

TEMPLATES = Path(__file__).with_name("templates")
_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                   trim_blocks=True, lstrip_blocks=True)


def render_json(profile: Profile) -> str:
    return json.dumps(profile, ensure_ascii=False, indent=1)


class View:
    """Formats one profile for one language."""

    def __init__(self, profile: Profile, lexicon: Lexicon, lang: str) -> None:
        self.p: dict[str, Any] = dict(profile)
        self.loc = Locale(lang)
        self.lang = lang
        self.names: dict[str, str] = lexicon.names_in(lang)
        # caveats by the figure they concern, written once; a row shows them the first
        # time it shows its figure, the rest go under their section (`_caveats`)
        self.notes: dict[str, list[str]] = {}
        for c in self.p.get("caveats") or []:
            self.notes.setdefault(c["figure"], []).append(
                caveat_text.text(self.loc, c, self.name))
        self.shown: set[str] = set()

    def flag(self, key: str) -> str:
        """A card's pointer to the caveats of its figure, if it has any."""
        return self.loc.t("cav_see") if key in self.notes else ""

    def name(self, code: str) -> str:
        return self.names.get(code, code)

    def country_name(self) -> str:
        return self.name(self.p["country"]["iso3"])

    def fig(self, section: str, key: str) -> dict[str, Any]:
        return self.p[section]["figures"].get(key) or {}

    def cite(self, figure: dict[str, Any]) -> str:
        return " | ".join(Source.from_dict(s).cite() for s in figure.get("sources", []))

    def value(self, figure: dict[str, Any]) -> str:
        v, unit = figure.get("value"), figure.get("unit", "")
        if v is None:
            return self.loc.t("not_available")
        if unit == "percent":
            return self.loc.percent(v)
        if unit == "index":
            return self.loc.number(v, 3)
        if unit == "current US$":
            return caveat_text.money(self.loc, v)
        return self.loc.number(v)

    def row(self, label: str, figure: dict[str, Any]) -> dict[str, Any]:
        key = figure.get("indicator", "")
        notes = [] if key in self.shown else self.notes.get(key, [])
        self.shown.add(key)
        return {"label": label, "value": self.value(figure),
                "year": str(figure.get("year") or ""), "source": self.cite(figure),
                "caveats": notes}

    def series(self, trend: list[dict[str, Any]], keys: list[tuple[str, str]]):
        return [(self.loc.t(label), [(r["year"], r.get(key)) for r in trend])
                for key, label in keys]


def _ranking_rows(view: View, figure: dict[str, Any], suffix: str):
    return [(view.name(r["area"]), r["stock"],
             f"({view.loc.percent(r['share_pct'])} {view.loc.t(suffix)})")
            for r in figure.get("detail", {}).get("ranking", [])]


def _cards(v: View) -> list[dict[str, str]]:
    """The key figures at the top of the profile, each pointing to its caveats; the
    remittances card puts KNOMAD's figure beside WDI's when they disagree."""
    t, loc, p = v.loc.t, v.loc, v.p
    hosted = v.fig("refugees", "refugees_hosted")
    received = v.fig("remittances", "remittances_received")
    other = (received.get("detail") or {}).get("other")
    rem_sub = str(received.get("year") or "")
    if other:
        rem_sub += f" · KNOMAD {other['year']}: {caveat_text.money(loc, other['value'])}"
    return [
        {"label": t("immigrants"), "value": v.value(v.fig("immigration", "immigrant_stock")),
         "sub": f"{v.value(v.fig('immigration', 'immigrant_share'))} · {t('share_of_population')}",
         "caveat": v.flag("immigrant_share")},
        {"label": t("emigrants"), "value": v.value(v.fig("emigration", "emigrant_stock")),
         "sub": f"{v.value(v.fig('emigration', 'emigrant_rate'))} · {t('emigrant_rate')}",
         "caveat": v.flag("emigrant_stock") or v.flag("emigrant_rate")},
        {"label": t("net_position"), "value": loc.number(p["net_position"]["value"]),
         "sub": str(p["year"])},
        {"label": t("female_share") + " · " + t("immigrants"),
         "value": v.value(v.fig("immigration", "immigrant_female_share")),
         "sub": f"{t('emigrants')}: "
                f"{v.value(v.fig('emigration', 'emigrant_female_share'))}",
         "caveat": v.flag("immigrant_female_share") or v.flag("emigrant_female_share")},
        {"label": t("refugees") + " · " + t("hosted"), "value": v.value(hosted),
         "sub": str(hosted.get("year") or "")},
        {"label": t("remittances") + " · " + t("received"), "value": v.value(received),
         "sub": rem_sub, "caveat": v.flag("remittances_received")},
    ]


def _caveats(v: View) -> dict[str, Any]:
    """Every caveat of the profile for its own section (with its figure's label and
    sources), and those no row has shown yet for the section of their figure."""
    listed: list[dict[str, str]] = []
    pending: dict[str, list[str]] = {}
    shown = set(v.shown)
    for c, text in zip(v.p.get("caveats") or [], _texts(v), strict=True):
        listed.append({"label": caveat_text.label(v.loc, c["figure"]), "text": text,
                       "source": " | ".join(Source.from_dict(s).cite()
                                            for s in c.get("sources") or [])})
        if c["figure"] not in shown:
            pending.setdefault(caveat_text.section(c["figure"]), []).append(text)
    return {"caveats": listed, "section_notes": pending}


def _texts(v: View) -> list[str]:
    return [caveat_text.text(v.loc, c, v.name) for c in v.p.get("caveats") or []]


def _captions(v: View) -> dict[str, str]:
    t, p = v.loc.t, v.p
    year, first, last = p["year"], p["years"][0], p["years"][-1]
    captions = {
        "trend": t("trend_title", first=first, last=last),
        "imm_trend": t("imm_trend_title", first=first, last=last),
        "emi_trend": t("emi_trend_title", first=first, last=last),
        "top_origins": t("top_origins_title", year=year),
        "top_destinations": t("top_destinations_title", year=year),
        "female_share": t("female_share_title", year=year),
        "map": t("map_title", year=year),
        "remittance_trend": t("remittance_trend_title"),
        "refugee_trend": t("refugee_trend_title"),
        "regional": t("regional_title", year=year),
        "corridor_trend": "",
    }
    if p.get("corridor_trends"):
        a, b = p["country"]["iso3"], p["corridors"][0]["partner"]
        captions["corridor_trend"] = t("corridor_trend_title", a=v.name(a), b=v.name(b))
    return captions


def _corridor_series(v: View) -> list[tuple[str, list[tuple[int, Any]]]]:
    """Both directions of the main corridor over the years."""
    trends = v.p.get("corridor_trends") or []
    if not trends:
        return []
    a, b = v.p["country"]["iso3"], v.p["corridors"][0]["partner"]
    born = v.loc.t
    return [(label, [(r["year"], r["total"]) for r in trends[0][key]["trend"]])
            for key, label in ((f"{b}->{a}", born("born_in_living_in", a=v.name(b), b=v.name(a))),
                               (f"{a}->{b}", born("born_in_living_in", a=v.name(a), b=v.name(b))))]


def _charts(v: View, lexicon: Lexicon, captions: dict[str, str]) -> dict[str, str]:
    """Every chart of the profile as inline SVG."""
    t, loc, p = v.loc.t, v.loc, v.p
    imm, emi = p["immigration"], p["emigration"]
    axis = loc.compact
    sexes = [("total", "total"), ("female", "women"), ("male", "men")]
    rem_trend = p["remittances"].get("trend", [])
    ref_trend = p["refugees"].get("trend", [])
    corridor_series = _corridor_series(v)
    return {
        "trend": charts.line_chart(
            [(t("immigrants"), [(r["year"], r["total"]) for r in imm["trend"]]),
             (t("emigrants"), [(r["year"], r["total"]) for r in emi["trend"]])],
            title=captions["trend"], fmt=axis),
        "imm_trend": charts.line_chart(v.series(imm["trend"], sexes),
                                       title=captions["imm_trend"], fmt=axis),
        "emi_trend": charts.line_chart(v.series(emi["trend"], sexes),
                                       title=captions["emi_trend"], fmt=axis),
        "top_origins": charts.bar_chart(
            _ranking_rows(v, v.fig("immigration", "top_origins"), "of_immigrants"),
            title=captions["top_origins"], fmt=loc.number),
        "top_destinations": charts.bar_chart(
            _ranking_rows(v, v.fig("emigration", "top_destinations"), "of_emigrants"),
            title=captions["top_destinations"], fmt=loc.number, color=charts.PALETTE[2]),
        "female_share": charts.share_bars(
            [(t("immigrants"), v.fig("immigration", "immigrant_female_share").get("value")),
             (t("emigrants"), v.fig("emigration", "emigrant_female_share").get("value"))],
            title=captions["female_share"], fmt=lambda x: loc.number(x, 1),
            labels=(t("women"), t("men"))),
        "map": charts.world_map(lexicon.shapes,
                                {r["area"]: r["stock"] for r in emi.get("by_destination", [])},
                                title=captions["map"], fmt=loc.number, names=v.names,
                                highlight=p["country"]["iso3"]),
        "remittance_trend": charts.line_chart(
            [(t("received"), [(r["year"], r["received"]) for r in rem_trend]),
             (t("paid"), [(r["year"], r["paid"]) for r in rem_trend])]
            # KNOMAD's series beside WDI's where the two disagree (tmo.profiles.caveats)
            + ([(t("received_knomad"), [(r["year"], r.get("received_knomad"))
                                        for r in rem_trend])]
               if v.flag("remittances_received") and any(r.get("received_knomad")
                                                          for r in rem_trend) else []),
            title=captions["remittance_trend"], fmt=axis),
        "refugee_trend": charts.line_chart(
            [(t("hosted"), [(r["year"], r["hosted"]) for r in ref_trend]),
             (t("abroad"), [(r["year"], r["abroad"]) for r in ref_trend])],
            title=captions["refugee_trend"], fmt=axis),
        "corridor_trend": charts.line_chart(corridor_series, title=captions["corridor_trend"],
                                            fmt=axis) if corridor_series else "",
        "regional": charts.bar_chart([(v.name(r["area"]), r["immigrant_share"], "")
                                      for r in p["regional"]],
                                     title=captions["regional"], fmt=loc.percent,
                                     color=charts.PALETTE[3]),
    }


def _immigration_rows(v: View) -> list[dict[str, str]]:
    t = v.loc.t
    last = v.fig("immigration", "immigrant_change_last_period")
    return [v.row(t("immigrants"), v.fig("immigration", "immigrant_stock")),
            v.row(t("share_of_population"), v.fig("immigration", "immigrant_share")),
            v.row(t("female_share"), v.fig("immigration", "immigrant_female_share")),
            v.row(t("since_1990"), v.fig("immigration", "immigrant_change_since_1990")),
            v.row(t("last_period", base=last.get("detail", {}).get("base_year")), last),
            v.row(t("concentration"), v.fig("immigration", "origin_concentration"))]


def _emigration_rows(v: View) -> list[dict[str, str]]:
    t, loc = v.loc.t, v.loc
    stock = v.fig("emigration", "emigrant_stock")
    dispersion = v.fig("emigration", "diaspora_dispersion")
    detail = dispersion.get("detail", {})
    return [v.row(t("emigrants"), stock),
            v.row(t("emigrant_rate"), v.fig("emigration", "emigrant_rate")),
            v.row(t("female_share"), v.fig("emigration", "emigrant_female_share")),
            v.row(t("since_1990"), v.fig("emigration", "emigrant_change_since_1990")),
            {**v.row(t("dispersion"), dispersion),
             "value": loc.percent(detail.get("top1_share_pct"))},
            {**v.row(t("effective_destinations"), dispersion),
             "value": loc.number(detail.get("effective_destinations"), 1)},
            {**v.row(t("destinations_count"), stock),
             "value": loc.number(stock.get("detail", {}).get("destinations"))}]


def _refugee_rows(v: View) -> list[dict[str, str]]:
    t = v.loc.t
    hosted, abroad = v.fig("refugees", "refugees_hosted"), v.fig("refugees", "refugees_abroad")
    rows = [v.row(t("hosted"), hosted), v.row(t("abroad"), abroad)] if hosted else []
    for row, fig in zip(rows, (hosted, abroad), strict=False):
        if fig["detail"].get("asylum_seekers") is not None:  # None: UNHCR lists no one
            row["value"] += (f" (+ {v.loc.number(fig['detail']['asylum_seekers'])} "
                             f"{t('asylum_seekers')})")
    return rows


def _remittance_rows(v: View) -> list[dict[str, str]]:
    t = v.loc.t
    return [v.row(t("received"), v.fig("remittances", "remittances_received")),
            v.row(t("share_of_gdp"), v.fig("remittances", "remittances_gdp_share")),
            v.row(t("paid"), v.fig("remittances", "remittances_paid")),
            v.row(t("cost_to_send"), v.fig("remittances", "remittance_cost"))]


LIGHT_COLOURS = {"green": "#2e7d32", "amber": "#a15c00", "red": "#c62828", "grey": "#616161"}


def _remittance_costs(v: View) -> list[dict[str, Any]]:
    """The cost of sending money to and from the country (tmo.remittances), one block
    per side that has a priced corridor or a fee: light, averages, fees, corridors."""
    t, loc = v.loc.t, v.loc
    doc = v.p.get("remittance_costs") or {}

    def money(value: float | None) -> str:
        return "–" if value is None else caveat_text.money(loc, value)

    out = []
    for key, title in (("as_receiver", "rem_to"), ("as_sender", "rem_from")):
        side = doc.get(key)
        if not side or not (side["priced_corridors"] or side["fees"]["corridors"]):
            continue
        fees = side["fees"]
        lines = [t("rem_side_line", quarter=side["latest_quarter"], n=side["priced_now"],
                   average=loc.percent(side["average_pct"], 2),
                   weighted=loc.percent(side["weighted_pct"], 2),
                   highest=loc.percent(side["highest_pct"], 2))]
        if fees["corridors"]:
            lines.append(t("rem_side_fees", n=fees["corridors"], fees=money(fees["fees"]),
                           volume=money(fees["usd"]), saved5=money(fees["saved_at_5"]),
                           saved3=money(fees["saved_at_3"])))
            lines.append(t("rem_side_years",
                           volume_years=", ".join(map(str, fees["volume_years"])),
                           cost_years=", ".join(map(str, fees["cost_years"]))))
        rows = [{"partner": v.name(c["partner"]), "sender": c["sender"],
                 "receiver": c["receiver"], "href": None,
                 "latest": f"{loc.percent(c['latest_cost_pct'], 2)} ({c['latest_period']})",
                 "trend": "–" if c["slope_pp_per_year"] is None else
                 loc.number(c["slope_pp_per_year"], 2),
                 "volume": money(c["usd"]), "fees": money(c["fees"]),
                 "row": c["src_row"]} for c in side["corridors"]]
        out.append({"id": f"remittance-costs-{key[3:]}",
                    "title": t(title, country=v.country_name()),
                    "light": side["light"],
                    "light_label": t("rem_light_line",
                                     label=t(f"rem_light_{side['light']}")),
                    "colour": LIGHT_COLOURS[side["light"]], "lines": lines, "rows": rows,
                    "sources": " | ".join(Source.from_dict(s).cite()
                                          for s in side["sources"])})
    return out


def _social_security(v: View) -> list[dict[str, Any]]:
    """One block per shipped social security agreement naming the country (tmo.pensions):
    what it is, since when, and the migrants it concerns, with the sources."""
    t, loc = v.loc.t, v.loc
    out = []
    for a in v.p.get("social_security") or []:
        partners = ", ".join(v.name(m) for m in a["members"])
        lines = [t("ss_in_force", date=a["in_force"], n=len(a["members"]))
                 + ("" if a["in_force_confirmed"] else " " + t("ss_unconfirmed"))]
        if a["year"] is not None:
            lines.append(t("ss_migrants", year=a["year"], country=v.country_name(),
                           emigrants=loc.number(a["emigrants"]),
                           immigrants=loc.number(a["immigrants"])))
        else:
            lines.append(t("ss_no_stock"))
        if a["members_without_data"]:
            lines.append(t("ss_without_data", members=", ".join(
                v.name(m) for m in a["members_without_data"])))
        cites = [f"{s['title']} ({s['url']})" for s in a["sources"]]
        cites.append(t("ss_stock_source", revision=a["revision"],
                       files=", ".join(a["files"]) or "–"))
        out.append({"id": f"agreement-{a['agreement']}", "title": a["name"],
                    "partners": t("ss_partners", partners=partners), "lines": lines,
                    "sources": " | ".join(cites)})
    return out


def _registered(v: View, lexicon: Lexicon) -> dict[str, Any]:
    """The registry's registered diaspora beside UN DESA's estimate (tmo.registry, only
    its published, suppressed aggregates): lines, one row per country of residence, the
    map of registered / estimated; empty when the registry published nothing."""
    t, loc = v.loc.t, v.loc
    doc = v.p.get("registered_diaspora") or {}
    if not doc:
        return {}

    def count(value: int | None) -> str:
        return t("reg_suppressed_cell") if value is None else loc.number(value)

    def cites(sources: list[dict[str, Any]]) -> str:
        return " | ".join(t("reg_cite", date=s["revision"], filter=s["filter"])
                          if s["view"] == "registry_residence" else Source.from_dict(s).cite()
                          for s in sources)

    def skill_cites(sources: list[dict[str, Any]]) -> str:
        return " | ".join(t("reg_skills_cite", date=s["revision"], filter=s["filter"])
                          if s["view"] == "registry_skills" else Source.from_dict(s).cite()
                          for s in sources)

    total = doc["total"]
    rows = [{"residence": v.name(r["residence"]), "registered": count(r["registered"]),
             "estimated": t("not_available") if r["estimated"] is None
             else loc.number(r["estimated"]),
             "coverage": loc.percent(r["coverage_pct"], 1), "source": cites(r["sources"])}
            for r in doc["rows"]]
    title = t("reg_map_title", year=doc["year"])
    shares = {r["residence"]: r["coverage_pct"] for r in doc["rows"]
              if r["coverage_pct"] is not None}
    return {
        "synthetic": t("reg_synthetic", n=loc.number(doc["synthetic"]))
        if doc["synthetic"] else "",
        "intro": t("reg_intro", country=v.country_name(), revision=doc["revision"],
                   year=doc["year"]),
        "total": t("reg_total", registered=count(total["registered"]),
                   estimated=t("not_available") if total["estimated"] is None
                   else loc.number(total["estimated"]),
                   coverage=loc.percent(total["coverage_pct"], 1)),
        "total_source": cites(total["sources"]),
        "caveat": t("reg_caveat", country=v.country_name()),
        "suppressed": t("reg_suppressed", k=doc["k"]),
        "published": t("reg_published", registry=doc["registry"], date=doc["published_at"]),
        "rows": rows, "map_title": title,
        "skills": skills_section.view(doc.get("skills") or {}, loc, v.name, skill_cites),
        "skills_note": t("reg_skills_note", k=doc["k"]) if doc.get("skills") else "",
        "map": charts.world_map(lexicon.shapes, shares, title=title,
                                fmt=lambda x: loc.percent(x, 1), names=v.names,
                                highlight=v.p["country"]["iso3"]) if shares else "",
    }


def _corridor_rows(v: View) -> list[dict[str, Any]]:
    return [{"name": f"{v.country_name()} ↔ {v.name(r['partner'])}", "partner": r["partner"],
             "href": None, "inbound": v.loc.number(r["immigrants_from"]),
             "outbound": v.loc.number(r["emigrants_to"])} for r in v.p["corridors"]]


TOC = ["key-figures", "demography", "immigration", "emigration", "registered-diaspora", "corridors",
       "country-flows", "refugees", "asylum", "remittances", "projections", "what-changed",
       "surveys", "regional", "policy-framework", "data-gaps", "sources"]
TOC_KEYS = {"key-figures": "key_figures", "sources": "data_notes", "surveys": "sv_section",
            "policy-framework": "policy_framework", "registered-diaspora": "reg_title",
            "country-flows": "country_flows", "asylum": "asylum_section", "data-gaps": "dg_section"}
OPTIONAL = {"policy-framework": "policy_framework", "registered-diaspora": "registered_diaspora",
            "surveys": "surveys"}


def context(profile: Profile, lexicon: Lexicon, lang: str,
            lang_links: list[tuple[str, str, str]] | None = None) -> dict[str, Any]:
    """Everything the templates show, formatted: one builder per section."""
    v = View(profile, lexicon, lang)
    t = v.loc.t
    captions = _captions(v)
    dtype = v.fig("immigration", "immigrant_stock").get("detail", {}).get("data_type")
    return {
        "lang": lang, "t": catalogue(lang) | {k: t(k) for k in catalogue("en")},
        "title": t("profile_title", country=v.country_name()),
        "subtitle": t("subtitle", revision=profile["revision"], year=profile["year"]),
        "toc": [(i, t(TOC_KEYS.get(i, i))) for i in TOC
                if i not in OPTIONAL or profile.get(OPTIONAL[i])],
        "cards": _cards(v), "charts": _charts(v, lexicon, captions), "captions": captions,
        "imm_rows": _immigration_rows(v), "emi_rows": _emigration_rows(v),
        "ref_rows": _refugee_rows(v), "rem_rows": _remittance_rows(v),
        "rem_costs": _remittance_costs(v),
        "policy": policy_view(profile.get("policy_framework") or {}, _social_security(v),
                              v.loc, v.name, v.country_name()),
        "outlook": outlook_view(profile.get("projections") or {}, v.loc, v.names,
                                v.country_name(), (profile["immigration"]["trend"],
                                                   profile["emigration"]["trend"])),
        "changed": changed_view(profile.get("what_changed") or {}, v.loc, v.names,
                                v.country_name()),
        "surveys": survey_view(profile.get("surveys") or [], v.loc, lang),
        "demography": demography_view(profile.get("demography") or {}, v.loc,
                                      v.country_name()),
        "flows": flows_view(profile.get("country_flows") or {}, v.loc, v.country_name()),
        "asylum": asylum_view(profile.get("asylum") or {}, v.loc, v.country_name()),
        "registered": _registered(v, lexicon),
        "corridor_rows": _corridor_rows(v),
        **_caveats(v),  # after the rows: the notes no row has shown
        "data_gaps": gaps_view(profile.get("data_gaps") or [], v.loc, v.name,
                               profile["country"]["iso3"]),
        "messages": sentences(v.loc, profile.get("key_messages") or [], v.name),
        "corridor_caption": t("both_directions", a=v.country_name(), b="…"),
        "data_type_note": t("data_type", code=dtype) if dtype else "",
        "definitions": list(translated(lang).values()),
        "sources": profile["sources"],
        "generated": t("generated", version=profile["tmo_version"]),
        "lang_links": lang_links, "iso3": profile["country"]["iso3"],
    }


def _page(ctx: dict[str, Any], profile: Profile, lexicon: Lexicon, lang: str) -> str:
    """The template of a profile: `partial` for a place the IMS publishes nothing for
    (`tmo.profiles.partial`; `ctx` adapted in place), else `profile`."""
    if not profile.get("ims_absent"):
        return "profile"
    ctx.update(partial_view.adapt(ctx, dict(profile), lexicon.names_in(lang), lang))
    return "partial"


def render_html(profile: Profile, lexicon: Lexicon, lang: str = "en", *,
                lang_links: list[tuple[str, str, str]] | None = None,
                downloads: list[tuple[str, str]] | None = None,
                corridor_link: Callable[[str, str], str] | None = None,
                remittance_link: Callable[[str, str], str] | None = None) -> str:
    """The profile as one self-contained page; `corridor_link(a, b)`, where given, is the
    address of the page of a corridor (the web app's), `remittance_link(sender,
    receiver)` that of a remittance corridor's costs."""
    ctx = context(profile, lexicon, lang, lang_links)
    ctx["downloads"] = downloads or []
    if corridor_link is not None:
        for row in ctx["corridor_rows"]:
            row["href"] = corridor_link(profile["country"]["iso3"], row["partner"])
    if remittance_link is not None:
        for side in ctx["rem_costs"]:
            for row in side["rows"]:
                row["href"] = remittance_link(row["sender"], row["receiver"])
    page = _page(ctx, profile, lexicon, lang)
    css = _env.get_template("profile.css").render(
        page_label=ctx["t"]["page"], footer_label=ctx["title"].replace('"', "'"))
    return _env.get_template(f"{page}.html").render(css=css, **ctx)


def render_pdf(profile: Profile, lexicon: Lexicon, lang: str = "en") -> bytes:
    from weasyprint import HTML  # noqa: PLC0415 - slow to import; only PDF output needs it

    html = render_html(profile, lexicon, lang)
    return HTML(string=html).write_pdf()


def render_markdown(profile: Profile, lexicon: Lexicon, lang: str = "en") -> str:
    ctx = context(profile, lexicon, lang)
    return _env.get_template(f"{_page(ctx, profile, lexicon, lang)}.md").render(**ctx)


__all__ = ["LANGUAGES", "render_html", "render_json", "render_markdown", "render_pdf"]
