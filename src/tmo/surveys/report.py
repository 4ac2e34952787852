"""The survey report in English, French or Spanish, as one self-contained HTML page or a
PDF: every indicator drawn with its 95 % interval (`tmo.surveys.charts`), the perceived
immigrant share beside the published one, how the estimates were made, the definitions
and the sources. SYNTHETIC surveys say so in a banner at the top, in the title and in
every chart caption.

The report shows the survey's aggregates as `tmo.surveys.aggregates.rows` gives them
(the rows `tmo survey publish` stores): it computes nothing new, and an estimate the
small-sample rule suppresses is not drawn.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from tmo import __version__
from tmo.errors import InputError
from tmo.store.evidence import Source
from tmo.surveys.aggregates import rows
from tmo.surveys.charts import Row, interval_chart
from tmo.surveys.indicators import SurveyResults
from tmo.surveys.questionnaire import LANGUAGES, indicator_defs, load_module

LOCALES = Path(__file__).with_name("locales")
TEMPLATES = Path(__file__).with_name("templates")
_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                   trim_blocks=True, lstrip_blocks=True)
# thousands separator and decimal mark, as the profiles write them (UN style)
SEPARATORS = {"en": (",", "."), "fr": ("\u202f", ","), "es": (".", ",")}
KEY_SHARES = ("hh_member_abroad", "hh_remittances", "children_parent_abroad", "contact_weekly")


@cache
def catalogue(lang: str) -> dict[str, str]:
    if lang not in LANGUAGES:
        raise InputError(f"unknown language {lang!r}; available: {', '.join(LANGUAGES)}")
    return yaml.safe_load((LOCALES / f"{lang}.yaml").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Words:
    """The report's words and number formats in one language."""

    lang: str

    def t(self, key: str, **values: object) -> str:
        text = catalogue(self.lang)[key]
        return text.format(**values) if values else text

    def number(self, value: float | None, digits: int = 0) -> str:
        if value is None or not math.isfinite(value):
            return "–"
        text = f"{value:,.{digits}f}"
        thousands, decimal = SEPARATORS[self.lang]
        return text.replace(",", "\x00").replace(".", decimal).replace("\x00", thousands)

    def percent(self, value: float) -> str:
        return self.number(value, 1) + self.t("percent_suffix")

    def whole_percent(self, value: float) -> str:
        return self.number(value) + self.t("percent_suffix")


def _choice_labels(module: str, indicator: str, lang: str) -> dict[str, str]:
    d = indicator_defs()[indicator]
    mod = load_module(module)
    name = mod.question(d.spec["variable"]).list_name or ""
    return {c.name: c.label[lang] for c in mod.choices.get(name, ())}


def _row(label: str, r: dict[str, Any], w: Words) -> Row:
    if r["status"] == "suppressed":
        return Row(label, None, note=w.t("suppressed"))
    if r["estimate"] is None:
        return Row(label, None, note=w.t("no_data"))
    return Row(label + (" (!)" if r["status"] == "flagged" else ""), r["estimate"],
               r["ci_low"], r["ci_high"])


def _chart(title: str, items: list[Row], w: Words, fmt: Any, **kw: Any) -> dict[str, str]:
    return {"title": title, "svg": interval_chart(items, title=title, fmt=fmt,
                                                  interval_word=w.t("interval"), **kw)}


def _households(by: dict[str, list[dict[str, Any]]], w: Words, mark: str,
                currency: str, names: dict[str, str]) -> list[dict[str, str]]:
    defs = indicator_defs()
    charts = []
    keys = [k for k in KEY_SHARES if k in by]
    if keys:
        charts.append(_chart(mark + w.t("key_shares"),
                             [_row(defs[k].label[w.lang], by[k][0], w) for k in keys],
                             w, w.percent, axis_max=100, tick_fmt=w.whole_percent))
    if "remit_median" in by:
        charts.append(_chart(mark + w.t("median_amount", currency=currency),
                             [_row(defs["remit_median"].label[w.lang], by["remit_median"][0],
                                   w)], w, w.number))
    for ind in ("members_abroad_profile", "members_abroad_country", "remit_use",
                "child_care_arrangement", "elderly_care_arrangement", "service_needs"):
        if ind in by:
            labels = (names if ind == "members_abroad_country"
                      else _choice_labels("households", ind, w.lang))
            charts.append(_chart(mark + defs[ind].label[w.lang],
                                 [_row(labels.get(r["category"], r["category"]), r, w)
                                  for r in by[ind]], w, w.percent, axis_max=100,
                                 tick_fmt=w.whole_percent))
    return charts


def _attitudes(by: dict[str, list[dict[str, Any]]], w: Words, mark: str
               ) -> tuple[list[dict[str, str]], str, list[str]]:
    """The attitude charts, the sentence comparing perceived and published shares, and
    the citation of the published share."""
    defs = indicator_defs()
    charts, line, cites = [], "", []
    if "perceived_immigrant_share" in by:
        perceived = by["perceived_immigrant_share"][0]
        gap = by.get("perception_gap", [None])[0]
        marker = None
        if gap is not None and gap["actual_value"] is not None:
            sources = [Source.from_dict(s) for s in json.loads(gap["actual_sources"] or "[]")]
            year = int(gap["actual_year"])
            marker = (gap["actual_value"], w.t("published_share_value", year=year,
                                               value=w.percent(gap["actual_value"])))
            cites = [s.cite() for s in sources]
            if gap["status"] != "suppressed" and gap["estimate"] is not None:
                line = w.t("perception_gap_line", perceived=w.percent(perceived["estimate"]),
                           actual=w.percent(gap["actual_value"]), year=year,
                           gap=w.number(gap["estimate"], 1), low=w.number(gap["ci_low"], 1),
                           high=w.number(gap["ci_high"], 1))
        charts.append(_chart(mark + w.t("perception"),
                             [_row(defs["perceived_immigrant_share"].label[w.lang], perceived,
                                   w)], w, w.percent, marker=marker, tick_fmt=w.whole_percent))
    if "acceptance_index" in by:
        charts.append(_chart(mark + w.t("acceptance"),
                             [_row(defs["acceptance_index"].label[w.lang],
                                   by["acceptance_index"][0], w)],
                             w, lambda v: w.number(v, 1), axis_max=9))
    return charts, line, cites


def _generated_from(figures: dict[str, Any], w: Words) -> list[str]:
    """The published figures a SYNTHETIC survey was made from, each with its rows."""
    out = []
    for key in ("population", "emigrant_stock", "immigrant_share", "remittances_received"):
        fig = figures.get(key) or {}
        cites = " | ".join(Source.from_dict(s).cite() for s in fig.get("sources") or [])
        if cites:
            out.append(w.t("source_generated", figure=w.t(f"figure_{key}"),
                           value=w.number(fig.get("value"), 1 if key == "immigrant_share"
                                          else 0), cite=cites))
    return out


def context(results: SurveyResults, country_name: str, lang: str = "en",
            names: dict[str, str] | None = None) -> dict[str, Any]:
    """Everything the report template shows, formatted for `lang`; `names`: area names in
    `lang` by ISO3 code (the store's), for the countries members abroad live in."""
    w = Words(lang)
    desc = results.description
    table = rows(results).astype(object).where(pd.notna, None)
    by_module: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for record in table.to_dict("records"):
        r = {str(k): v for k, v in record.items()}
        by_module.setdefault(r["module"], {}).setdefault(r["indicator"], []).append(r)
    mark = w.t("synthetic_mark") + " · " if desc.synthetic else ""
    sections = []
    if "households" in by_module:
        sections.append({"id": "households", "title": w.t("households"),
                         "charts": _households(by_module["households"], w, mark,
                                               desc.currency, names or {}), "line": ""})
    cites: list[str] = []
    if "attitudes" in by_module:
        charts, line, cites = _attitudes(by_module["attitudes"], w, mark)
        sections.append({"id": "attitudes", "title": w.t("attitudes"), "charts": charts,
                         "line": line})
    methods = [(load_module(module).title[lang],
                w.t("method_design", method=w.t("method_taylor") if about["method"] == "taylor"
                    else w.t("method_replicates", method=about["method"].upper()),
                    psus=about["psus"], strata=about["strata"], df=w.number(about["df"]))
                + " " + w.t("respondents", n=w.number(about["n"])))
               for module, about in results.designs.items()]
    defs = [d for d in indicator_defs().values() if d.module in by_module]
    return {
        "lang": lang, "t": catalogue(lang), "synthetic": desc.synthetic,
        "title": mark + w.t("report_title", title=desc.title_in(lang)),
        "subtitle": w.t("subtitle", country=country_name, year=desc.fieldwork_year or "–"),
        "sections": sections, "methods": methods,
        "definitions": [(d.label[lang], d.definition[lang]) for d in defs],
        "sources": [w.t("source_responses", files=", ".join(desc.files)),
                    *(w.t("source_actual", cite=c) for c in cites),
                    *_generated_from(desc.extra.get("generated_from") or {}, w)],
        "generated": w.t("generated", version=__version__),
    }


def _css_text(text: str) -> Markup:
    """`text` inside a CSS string of the page's <style> (the PDF's running footer): quotes,
    backslashes and `<` escaped as CSS escapes them, so no markup can close the style."""
    cleaned = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    return Markup(cleaned)  # CSS-escaped above; HTML-escaping would print &#39; in the PDF


def render_html(results: SurveyResults, country_name: str, lang: str = "en",
                names: dict[str, str] | None = None) -> str:
    ctx = context(results, country_name, lang, names)
    return _env.get_template("report.html").render(footer_label=_css_text(ctx["title"]), **ctx)


def render_pdf(results: SurveyResults, country_name: str, lang: str = "en",
               names: dict[str, str] | None = None) -> bytes:
    from weasyprint import HTML  # noqa: PLC0415 - slow to import; only PDF output needs it

    return HTML(string=render_html(results, country_name, lang, names)).write_pdf()
